"""CircularQueue (Common/Util/CircularQueue.cs): round-robin dequeue; CircleCompleted fires each time the
first item comes out, the first dequeue included."""
from __future__ import annotations

from pylean.algorithm_imports import CircularQueue, OrderType


def test_dequeue_cycles_and_signals_each_completed_circle() -> None:
    queue = CircularQueue[OrderType]([OrderType.MARKET, OrderType.LIMIT, OrderType.STOP_MARKET])
    circles: list[object] = []
    queue.circle_completed += lambda sender, _: circles.append(sender)
    taken = [queue.dequeue() for _ in range(7)]
    assert taken == [OrderType.MARKET, OrderType.LIMIT, OrderType.STOP_MARKET] * 2 + [OrderType.MARKET]
    assert circles == [queue, queue, queue]
    assert CircularQueue(1, 2).Dequeue() == 1

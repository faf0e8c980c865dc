"""CircularQueue<T> (Common/Util/CircularQueue.cs): dequeue returns the front item and puts it back at the end;
CircleCompleted fires whenever the first item given is dequeued, the very first dequeue included."""
from __future__ import annotations

from collections import deque
from typing import Any

from pylean.indicators.window import Event
from pylean.naming import lean_api


@lean_api
class CircularQueue:
    __slots__ = ("_head", "_queue", "circle_completed")

    def __init__(self, *items: Any) -> None:
        values = list(items[0]) if len(items) == 1 and isinstance(items[0], (list, tuple)) else list(items)
        self._queue = deque(values)
        self._head = values[0] if values else None
        self.circle_completed = Event()

    def __class_getitem__(cls, _item: Any) -> Any:  # CircularQueue[OrderType](items)
        return cls

    def dequeue(self) -> Any:
        item = self._queue.popleft()
        if item == self._head:
            self.circle_completed.fire(self, None)
        self._queue.append(item)
        return item

"""RollingWindow, WindowBase and C#-style events (Common/Indicators/RollingWindow.cs, WindowBase.cs)."""
from __future__ import annotations

from collections import deque
from typing import Any, Callable, Generic, Iterator, TypeVar

from pylean.algorithm_clock import registered_callable, timed_if_user
from pylean.naming import lean_api

T = TypeVar("T")


class Event:
    """A .NET event: `+=` / `-=` handlers, invoked in subscription order on a snapshot of the list.

    A handler of the project's own code subscribed while a run records is kept timed (algorithm time)."""

    __slots__ = ("_handlers",)

    def __init__(self) -> None:
        self._handlers: tuple[Callable[..., Any], ...] = ()

    def __iadd__(self, handler: Callable[..., Any]) -> "Event":
        self._handlers = self._handlers + (timed_if_user(handler),)
        return self

    def __isub__(self, handler: Callable[..., Any]) -> "Event":
        # a delegate removal drops the last matching subscription
        handlers = list(self._handlers)
        for index in range(len(handlers) - 1, -1, -1):
            if registered_callable(handlers[index]) == handler:
                del handlers[index]
                break
        self._handlers = tuple(handlers)
        return self

    def fire(self, sender: Any, arg: Any) -> None:
        for handler in self._handlers:  # the tuple is the snapshot: handlers may (un)subscribe while firing
            handler(sender, arg)

    __call__ = fire

    def clear(self) -> None:
        self._handlers = ()

    def __len__(self) -> int:
        return len(self._handlers)

    def __bool__(self) -> bool:
        return bool(self._handlers)


@lean_api
class RollingWindow(Generic[T]):
    """Fixed-size window, index 0 = newest; reading past the size grows it (as Lean's indexer does)."""

    __slots__ = ("_items", "_size", "_samples", "_removed")

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError("RollingWindow must have size of at least 0.")
        self._items: deque[Any] = deque(maxlen=size)
        self._size = size
        self._samples = 0
        self._removed: Any = None

    def __class_getitem__(cls, item: Any) -> Any:  # RollingWindow[TradeBar](5)
        return cls

    @property
    def size(self) -> int:
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        self._resize(value)

    @property
    def count(self) -> int:
        return len(self._items)

    @property
    def samples(self) -> int:
        return self._samples

    @property
    def is_ready(self) -> bool:
        return self._samples >= self._size

    @property
    def most_recently_removed(self) -> Any:
        if self._samples <= self._size:
            raise RuntimeError("No items have been removed yet!")
        return self._removed

    def add(self, item: Any) -> None:
        items = self._items
        self._samples += 1
        if len(items) == self._size:
            if self._size == 0:
                return
            self._removed = items[-1]
        items.appendleft(item)

    def reset(self) -> None:
        self._samples = 0
        self._items.clear()

    def _resize(self, size: int) -> None:
        # shrinking keeps the newest items
        self._items = deque(list(self._items)[:size], maxlen=size)
        self._size = size

    def __getitem__(self, i: int) -> Any:
        items = self._items
        if i < 0:
            if self._size + i < 0:
                raise IndexError("Must be between 0 and the size of the window.")
            i = len(items) + i
            if i < 0:
                return None
        if i >= len(items):
            if i > self._size - 1:
                self._resize(i + 1)
            return None
        return items[i]

    def __setitem__(self, i: int, value: Any) -> None:
        if i < 0:
            if self._size + i < 0:
                raise IndexError("Must be between 0 and the size of the window.")
            i = self._size + i
        if i > len(self._items) - 1:
            if i > self._size - 1:
                self._resize(i + 1)
            for _ in range(i - len(self._items) + 1):
                self.add(None)
        self._items[i] = value

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))  # a snapshot, newest first

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"RollingWindow(size={self._size}, count={len(self._items)})"

    get_enumerator = __iter__


@lean_api
class WindowBase:
    """A window of produced values (Lean: consolidators and indicators), `current` = newest."""

    __slots__ = ("_window",)
    DEFAULT_WINDOW_SIZE = 2

    def __init__(self, window_size: int | None = None) -> None:
        self._window: RollingWindow[Any] | None = RollingWindow(window_size) if window_size is not None else None

    @property
    def window(self) -> RollingWindow[Any]:
        if self._window is None:
            self._window = RollingWindow(self.DEFAULT_WINDOW_SIZE)
        return self._window

    @property
    def current(self) -> Any:
        return self.window[0]

    @property
    def previous(self) -> Any:
        window = self.window
        return window[1] if window.count > 1 else None

    def __getitem__(self, i: int) -> Any:
        return self.window[i]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.window)

    def _reset_window(self) -> None:
        if self._window is not None:
            self._window.reset()

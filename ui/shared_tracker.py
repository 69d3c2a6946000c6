"""One tracker for every app session, safe to call from Gradio's worker threads.

The tracker keeps a profile cache, lazily opened Chroma handles and, in :meth:`Tracker.record`,
a read-modify-write of the cache and the profile versions; the event log has its own lock but the
rest does not. Gradio runs handlers (and LangGraph runs tools) in threads, so every public tracker
method runs under one re-entrant lock here (cheap for the few that touch no state). The calls are short
(milliseconds); the slow parts, the language model's turn and its interest summary, run outside the
lock: a profile version is prepared and written under it, and summarised between the two.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tracking.events import Event
from tracking.service import Tracker

_F = TypeVar("_F", bound=Callable[..., Any])



def _public_methods(cls: type) -> list[str]:
    """Every public method the tracker defines (new ones are guarded without a list to keep up to date)."""
    return sorted(
        name for name, value in vars(cls).items()
        if not name.startswith("_") and callable(value) and not isinstance(value, (staticmethod, classmethod, type))
    )


def _guarded(method: _F) -> _F:
    @functools.wraps(method)
    def call(self: "LockedTracker", *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)

    return call  # type: ignore[return-value]


class LockedTracker(Tracker):
    """A :class:`Tracker` whose public methods run one at a time (see the module docstring)."""

    lock: threading.RLock

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lock = threading.RLock()
        super().__init__(*args, **kwargs)

    def record(self, events: list[Event], save_versions: bool = True) -> int:
        """:meth:`Tracker.record` under the lock; the profile versions (and summaries) after it."""
        with self.lock:
            stored = Tracker.record(self, events, save_versions=False)
        if save_versions:
            for user_id in sorted({event.user_id for event in events}):
                self.save_version(user_id)
        return stored

    # save_version is Tracker's: prepare_version and write_version take the lock, the summary does not.


UNGUARDED_METHODS = ("record", "save_version")
"""Methods that take the lock themselves, around their state changes only."""
GUARDED_METHODS = tuple(name for name in _public_methods(Tracker) if name not in UNGUARDED_METHODS)

for _name in GUARDED_METHODS:
    setattr(LockedTracker, _name, _guarded(getattr(Tracker, _name)))

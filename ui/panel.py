"""The researcher panel's views of one user's profile: interest summaries and the timeline plot.

Both come from the tracker's profile versions (each with its time and summary) plus the current
profile, so the plot moves as soon as feedback arrives, before the change is large enough to be
saved as a new version.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
from PIL import Image

from tracking.service import Tracker
from tracking.timeline import plot_timeline, timeline_frame

VERSION_COLUMNS = ["version", "time", "after event", "summary"]

# pyplot keeps global state; two sessions drawing at once would draw into each other's figure.
_PLOT_LOCK = threading.Lock()


def versions_table(versions: list[dict[str, Any]]) -> pd.DataFrame:
    """Earlier summaries with their times, newest first (``tracker.describe(user)["versions"]``)."""
    rows = [
        (v["version"], _clock(v["created_at"]), v["event_seq"], v.get("summary") or "")
        for v in sorted(versions, key=lambda v: v["version"], reverse=True)
    ]
    return pd.DataFrame(rows, columns=VERSION_COLUMNS)


def current_summary(versions: list[dict[str, Any]]) -> str:
    """The newest profile version's interest summary, with its version number and time."""
    if not versions:
        return "No profile yet: the list shows popular movies until the first feedback."
    latest = max(versions, key=lambda v: v["version"])
    return f"{latest.get('summary') or ''}  \n_(version {latest['version']}, {_clock(latest['created_at'])})_"


def timeline_points(tracker: Tracker, user_id: str) -> list[dict[str, Any]]:
    """Saved profile versions, then the current profile as one more point (the newest state)."""
    versions = tracker.log.profile_versions(user_id)
    facts = tracker.describe(user_id)
    if not facts["interactions"] and not versions:
        return []
    current = {
        "version": (versions[-1]["version"] + 1) if versions else 1,
        "payload": {
            "time": time.time(),
            "interactions": facts["interactions"],
            "top_genres_long": facts["top_genres_long"],
            "top_genres_short": facts["top_genres_short"],
        },
    }
    return [*versions, current]


def draw_timeline(points: list[dict[str, Any]], path: Path, title: str) -> Image.Image | None:
    """The genre-share timeline as an image (None when there is nothing to draw yet)."""
    frame = timeline_frame(points)
    if frame.empty:
        return None
    with _PLOT_LOCK:
        plot_timeline(frame, path, title)
    with Image.open(path) as image:
        return image.copy()


def _clock(created_at: Any) -> str:
    stamp = pd.Timestamp(created_at, unit="s") if isinstance(created_at, (int, float)) else pd.Timestamp(created_at)
    return stamp.strftime("%Y-%m-%d %H:%M:%S")

"""The researcher panel's views of one user's profile: interest summaries and the timeline.

Both come from the tracker's profile versions (each with its time and summary); the timeline adds
the current profile as its last point, so it moves as soon as feedback arrives, before the change
is large enough to be saved as a new version. The timeline is a table
(:func:`tracking.timeline.timeline_frame`) that the browser draws, so redrawing it after every
button press costs the server nothing but the table.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from tracking.timeline import timeline_frame

VERSION_COLUMNS = ["version", "time", "after event", "summary"]


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


def timeline_points(versions: list[dict[str, Any]], facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Saved profile versions, then the current profile as one more point (the newest state).

    Args:
        versions: ``tracker.log.profile_versions(user)``, payloads included.
        facts: ``tracker.describe(user)``, the current profile.
    """
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


def timeline_tables(points: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Genre shares per version (``version, genre, share``): the long-term part, then the recent part."""
    frame = timeline_frame(points)[["version", "horizon", "genre", "share"]]
    return tuple(  # type: ignore[return-value]
        frame[frame["horizon"] == horizon].drop(columns="horizon").reset_index(drop=True)
        for horizon in ("long-term", "recent")
    )


def _clock(created_at: Any) -> str:
    stamp = pd.Timestamp(created_at, unit="s") if isinstance(created_at, (int, float)) else pd.Timestamp(created_at)
    return stamp.strftime("%Y-%m-%d %H:%M:%S")

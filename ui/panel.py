"""The researcher panel's views of one user's profile: interest summaries and the timeline.

The summaries come from the tracker's profile versions, each saying when it was written, as of
which event date, and whether the model or the template wrote it (and why a model's text was
refused). The timeline is the user's event log replayed (:meth:`tracking.service.Tracker.timeline`):
a MovieLens user's history shows at its own dates, and every live feedback adds a point, so the
plots move as soon as feedback arrives. The plots are tables the browser draws.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tracking.timeline import HORIZONS
from ui.cards import escape_markdown

VERSION_COLUMNS = ["version", "as of", "events", "summary", "written by"]
NO_TIMELINE = "No data yet: the timeline starts with the first rating, 👍 or piece of feedback."
TIMELINE_NOTE = (
    "Each point: the profile after the events up to that date (· how many). **Recommended** is the genre "
    "share of what the recommender would show now, with your feedback applied; it is the one that moves "
    "on feedback such as “less horror” or a 👎."
)


def versions_table(versions: list[dict[str, Any]]) -> pd.DataFrame:
    """Earlier summaries, newest first (``tracker.describe(user)["versions"]``)."""
    rows = [
        (v["version"], _day(v.get("as_of")), v.get("interactions"), v.get("summary") or "", written_by(v))
        for v in sorted(versions, key=lambda v: v["version"], reverse=True)
    ]
    return pd.DataFrame(rows, columns=VERSION_COLUMNS)


def written_by(version: dict[str, Any]) -> str:
    """Who wrote a version's summary and when; for the template, why the model's text was not used."""
    when = _clock(version["created_at"])
    if version.get("summary_source") == "llm":
        return f"the model ({version.get('summary_model') or 'unnamed'}), {when}"
    if version.get("summary_refused"):
        return f"the template, {when}: the model's text was refused ({'; '.join(version['summary_refused'])})"
    if version.get("summary_model"):
        return f"the template, {when}"
    return f"the template, {when} (no model was running)"


def current_summary(versions: list[dict[str, Any]]) -> str:
    """The newest profile version's interest summary, with its version, date and writer."""
    if not versions:
        return "No profile yet: the list shows popular movies until the first feedback."
    latest = max(versions, key=lambda v: v["version"])
    return (f"{escape_markdown(latest.get('summary') or '')}  \n"
            f"_(version {latest['version']}, as of {_day(latest.get('as_of'))}; "
            f"written by {escape_markdown(written_by(latest))})_")


def timeline_tables(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Genre shares per point for each horizon (``when, genre, share``), in time order."""
    return {
        horizon: frame.loc[frame["horizon"] == horizon, ["when", "genre", "share"]].reset_index(drop=True)
        for horizon in HORIZONS
    }


def _day(stamp: Any) -> str:
    return "—" if stamp is None else pd.Timestamp(stamp, unit="s").strftime("%Y-%m-%d")


def _clock(created_at: Any) -> str:
    stamp = pd.Timestamp(created_at, unit="s") if isinstance(created_at, (int, float)) else pd.Timestamp(created_at)
    return stamp.strftime("%Y-%m-%d %H:%M")

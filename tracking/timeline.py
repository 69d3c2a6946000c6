"""A user's interest timeline: genre shares of each profile version, as a table and a plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from retrieval.fileio import atomic_write


def timeline_frame(versions: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per (version, horizon, genre): the genre's share in that version's long- or short-term part.

    Args:
        versions: Profile versions as :meth:`EventLog.profile_versions` returns them.
    """
    rows = [
        {
            "version": version["version"],
            "time": pd.Timestamp(version["payload"]["time"], unit="s"),
            "interactions": version["payload"]["interactions"],
            "horizon": horizon,
            "genre": genre,
            "share": share,
        }
        for version in versions
        for horizon, key in (("long-term", "top_genres_long"), ("recent", "top_genres_short"))
        for genre, share in version["payload"].get(key, {}).items()
    ]
    return pd.DataFrame(rows, columns=["version", "time", "interactions", "horizon", "genre", "share"])


def plot_timeline(frame: pd.DataFrame, path: Path, title: str) -> Path:
    """Line plot of genre shares per version: solid long-term, dashed recent (PNG, written atomically)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5))
    colours = {genre: f"C{i % 10}" for i, genre in enumerate(sorted(frame["genre"].unique()))}
    for (horizon, genre), part in frame.groupby(["horizon", "genre"]):
        style = "-" if horizon == "long-term" else "--"
        axis.plot(part["version"], part["share"], style, marker="o", color=colours[genre], label=f"{genre} ({horizon})")
    axis.set_xlabel("profile version")
    axis.set_ylabel("genre share")
    axis.set_title(title)
    axis.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    atomic_write(Path(path), lambda handle: figure.savefig(handle, format="png", dpi=110))
    plt.close(figure)
    return Path(path)

"""User-study logs: one JSONL file per app session, and their export to one CSV per event kind.

A session's file is named after a random participant id and holds, one JSON object a line, every
message, every recommendation list with its score breakdowns and every button press, each with its
time. It never holds a name, a user id typed at login or an IP address: only the participant id
and, for sessions started as a MovieLens user, that data set's user number (public data).

Lines are appended and flushed one at a time (a crash loses at most the line being written);
:func:`export_study` reports, rather than guesses at, a cut-off last line.
"""

from __future__ import annotations

import io
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from retrieval.errors import DriftrecError
from retrieval.fileio import atomic_write

STUDY_SUFFIX = ".jsonl"


class StudyEventKind(StrEnum):
    """What a study log line records; each kind becomes one CSV on export."""

    SESSION = "session"
    MESSAGE = "message"
    RECOMMENDATIONS = "recommendations"
    BUTTON = "button"


class StudySession:
    """The log of one app session, under a random participant id.

    Args:
        folder: The study-log folder; the file is ``folder / f"{participant}.jsonl"``.
    """

    def __init__(self, folder: Path) -> None:
        self.participant = uuid.uuid4().hex
        self.path = folder / f"{self.participant}{STUDY_SUFFIX}"
        self._seq = 0
        self._lock = threading.Lock()

    def record(self, kind: StudyEventKind, **fields: Any) -> None:
        """Append one line (kind, participant, its sequence number, the time, then ``fields``)."""
        with self._lock:
            self._seq += 1
            line = {"participant": self.participant, "seq": self._seq, "time": time.time(), "kind": str(kind), **fields}
            text = json.dumps(line, ensure_ascii=False, default=_plain) + "\n"
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())

    def close(self, reason: str = "released") -> None:
        """Mark the session's end (the browser left or the session idled out)."""
        self.record(StudyEventKind.SESSION, ended=reason)

    def recommendations(self, trigger: str, cards: list[dict[str, Any]]) -> None:
        """Log a list as shown: rank, movie, reason and the full breakdown of each card."""
        self.record(
            StudyEventKind.RECOMMENDATIONS,
            trigger=trigger,
            cards=[
                {
                    "rank": rank,
                    "movie_id": card["movie_id"],
                    "title": card["title"],
                    "year": card.get("year"),
                    "genres": card.get("genres", []),
                    "score": card.get("score"),
                    "reason": card.get("reason"),
                    "breakdown": card.get("breakdown"),
                }
                for rank, card in enumerate(cards, 1)
            ],
        )


class StudyLog:
    """The folder given with ``--study-log``: hands each new app session its own file."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DriftrecError(f"cannot create the study-log folder {self.folder}: {error.strerror}") from None

    def open_session(self) -> StudySession:
        return StudySession(self.folder)


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_study` wrote: rows per CSV, files read, cut-off last lines skipped."""

    files: dict[str, Path]
    rows: dict[str, int]
    sessions: int
    incomplete_lines: int


def export_study(folder: Path, out: Path) -> ExportReport:
    """Bundle every session file of a study log into one CSV per event kind.

    Recommendation lists become one row per card (rank, movie, score, reason, breakdown as JSON);
    other kinds one row per line. Nested values are written as JSON text.

    Args:
        folder: The study-log folder (``*.jsonl`` files).
        out: Folder for ``session.csv``, ``message.csv``, ``recommendations.csv``, ``button.csv``.

    Raises:
        DriftrecError: The folder is missing or empty, or a line (other than a cut-off last line)
            is not valid JSON; the message names the file and line.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DriftrecError(f"no study-log folder {folder}; give the folder passed to `driftrec ui --study-log`")
    paths = sorted(folder.glob(f"*{STUDY_SUFFIX}"))
    if not paths:
        raise DriftrecError(f"no session files (*{STUDY_SUFFIX}) in {folder}; has anyone used the app with --study-log there?")
    rows: dict[str, list[dict[str, Any]]] = {kind.value: [] for kind in StudyEventKind}
    incomplete = 0
    for path in paths:
        lines, cut_off = _read_lines(path)
        incomplete += cut_off
        for line in lines:
            rows.setdefault(line["kind"], []).extend(_rows_of(line))
    files, counts = {}, {}
    for kind, kind_rows in rows.items():
        files[kind] = out / f"{kind}.csv"
        counts[kind] = len(kind_rows)
        frame = pd.DataFrame([{k: _cell(v) for k, v in row.items()} for row in kind_rows])
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        atomic_write(files[kind], lambda handle, text=buffer.getvalue(): handle.write(text.encode("utf-8")))
    return ExportReport(files=files, rows=counts, sessions=len(paths), incomplete_lines=incomplete)


def _read_lines(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Parsed lines of one session file, and 1 if its last line was cut off mid-write (else 0)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DriftrecError(f"{path} is not UTF-8 text (byte {error.start}); it is not a study-log file: move it away") from None
    except OSError as error:
        raise DriftrecError(f"cannot read {path}: {error.strerror}") from None
    raw = text.split("\n")
    cut_off = 0
    if raw[-1] == "":
        raw.pop()
    else:  # no final newline: the process stopped while writing this line
        raw.pop()
        cut_off = 1
    lines = []
    for number, line in enumerate(raw, 1):
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError as error:
            raise DriftrecError(f"{path}:{number} is not a JSON line ({error.msg}); fix or remove that line") from None
        if not isinstance(parsed, dict) or "kind" not in parsed:
            raise DriftrecError(f"{path}:{number} is not a study-log event (no 'kind'); fix or remove that line")
        lines.append(parsed)
    return lines, cut_off


def _rows_of(line: dict[str, Any]) -> list[dict[str, Any]]:
    if line["kind"] != StudyEventKind.RECOMMENDATIONS:
        return [line]
    common = {k: v for k, v in line.items() if k != "cards"}
    cards = line.get("cards") or [{"rank": None}]  # an empty list was shown: keep that fact as a row
    return [{**common, **card} for card in cards]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (OWASP: CSV
injection); such text cells get a leading apostrophe, which spreadsheets show as text."""


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """JSON for numpy scalars and paths that reach the log inside breakdowns."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)

"""The append-only event log: the source of truth for every user profile.

Every interaction and every piece of feedback is one :class:`Event` in a SQLite database under
``DRIFTREC_HOME`` (see :func:`event_log_path`). Profiles are derived data: each can be rebuilt by
folding a user's events in log order, and the versions of a profile are kept beside the events
(table ``profile_versions``) so that "forget this user" is one transaction in one file.

Guarantees, and how they are met:

* **A repeated submission is stored once.** Every event carries an ``event_id`` with a UNIQUE
  constraint; a retry with the same id is a no-op (``ON CONFLICT(event_id) DO NOTHING``, which,
  unlike ``INSERT OR IGNORE``, never silently drops a row that breaks another constraint). Reusing
  an id for a *different* event is a client bug and raises instead of losing either event.
* **Acknowledged means durable.** An event is acknowledged when :meth:`EventLog.append` (or a batch
  of :meth:`EventLog.append_many`) returns: the transaction is committed before that, in WAL mode
  with ``synchronous=FULL`` by default, so it survives a killed process and a power cut.
* **Concurrent writers lose nothing.** Write transactions start with ``BEGIN IMMEDIATE`` (take the
  write lock up front, so a read-then-write never fails to upgrade); a writer that finds the lock
  taken waits, up to ``busy_timeout_s``, instead of failing with "database is locked". It polls
  about every millisecond rather than using SQLite's own busy handler, whose sleeps grow to 100 ms
  and so miss the short moments between another writer's transactions (in one measured run, two
  processes each appending 500 events in a loop took turns 2 times with SQLite's handler, 18 times
  with polling).
* **One user's events never touch another's.** Every read and delete filters on ``user_id``.
* **Forget leaves no trace in the file.** ``secure_delete`` zeroes deleted content, the file is
  then rewritten (``VACUUM``) and the WAL checkpointed and truncated, so the user's data is not left
  in free pages, old WAL frames, or the unused middle of a b-tree page: SQLite copies cells when it
  splits a page and leaves the old copies there, which ``secure_delete`` does not reach (found in
  the forget test: the user's id survived in an index page after its rows were deleted). The rewrite
  takes about 0.1 s for 100,000 events, holding the write lock meanwhile; the truncation waits up
  to 2 s for other processes' transactions (see :meth:`EventLog.checkpoint`).

This module needs only the standard library, so that a process that only appends events (a chat
turn, a UI button) starts fast; bulk import of MovieLens ratings lives in :mod:`tracking.ingest`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NoReturn, Protocol, TypeVar

from retrieval.errors import DriftrecError
from retrieval.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

EVENT_LOG_FILENAME = "events.sqlite"
SCHEMA_VERSION = 3
"""2: the ``undo`` kind (version 1 logs are rebuilt with the wider kind check when first opened).
3: the Chroma outbox and the forget records (new tables; older logs gain them when first opened)."""
DEFAULT_BUSY_TIMEOUT_S = 30.0
DEFAULT_BATCH_SIZE = 10_000
RATING_RANGE = (0.5, 5.0)
MAX_ID_LENGTH = 200
# How often a waiting writer tries for the lock (seconds, jittered): see the module docstring.
_POLL_S = 0.001
_T = TypeVar("_T")
# SQLite's default limit on host parameters in one statement is 32766 (3.32+); stay well below it.
_MAX_QUERY_PARAMS = 900

Synchronous = Literal["FULL", "NORMAL"]


class EventKind(StrEnum):
    """What happened. Every kind except ``preference`` and ``undo`` is about one movie.

    ``undo`` takes back one earlier event of the same user (attribute ``event:<event_id>``): the log
    stays append-only, and a profile folds as if the undone event had never been logged.
    """

    RATING = "rating"
    WATCH = "watch"
    LIKE = "like"
    DISLIKE = "dislike"
    NOT_INTERESTED = "not_interested"
    PREFERENCE = "preference"
    UNDO = "undo"


UNDO_PREFIX = "event:"


def undone_event_id(event: "Event") -> str | None:
    """The id of the event an ``undo`` takes back (None for other kinds)."""
    if event.kind is not EventKind.UNDO or event.attribute is None:
        return None
    return event.attribute[len(UNDO_PREFIX):]


class EventSource(StrEnum):
    """Where an event came from: the MovieLens history import, the chat, a UI button or the CLI."""

    HISTORY = "history"
    CHAT = "chat"
    UI = "ui"
    CLI = "cli"


class EventValidationError(DriftrecError):
    """An event that cannot be stored as given; the message says which field to fix."""


class EventIdConflictError(DriftrecError):
    """An ``event_id`` that is already stored for a different event."""


@dataclass(frozen=True)
class Event:
    """One interaction or piece of feedback, immutable once created.

    Attributes:
        event_id: Unique id; a second submission with the same id is stored once. Live clients
            send their own id (e.g. a uuid made when the user clicked), so a retry is harmless.
        user_id: The user, as a string (imported MovieLens users keep their number, e.g. ``"42"``).
        kind: What happened (:class:`EventKind`; a plain string such as ``"rating"`` is accepted).
        movie_id: The movie, required for every kind except ``preference``.
        attribute: What a ``preference`` is about, ``"facet:value"`` such as ``"genre:Horror"`` or
            ``"years:1990-1999"``; required for preferences.
        value: For a rating, the stars (0.5 to 5); for a preference, the direction or weight
            (+1 more, -1 less); for the other kinds a strength, 1 by default.
        hard: A hard rule ("never horror") rather than a soft leaning; only for preferences.
        timestamp: When it happened, seconds since the epoch; now by default (imported history
            keeps the data's own times).
        source: Where it came from (:class:`EventSource`; plain strings accepted).
        seq: Position in the log, set on events read back from it (``None`` before storing). Not
            part of equality: the same event read back equals the one appended.

    Raises:
        EventValidationError: A field is missing, of the wrong type or out of range.
    """

    event_id: str
    user_id: str
    kind: EventKind
    movie_id: int | None = None
    attribute: str | None = None
    value: float = 1.0
    hard: bool = False
    timestamp: float = field(default_factory=time.time)
    source: EventSource = EventSource.CHAT
    seq: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Frozen: normalised values are written with object.__setattr__, once, here.
        set_ = object.__setattr__
        set_(self, "event_id", _check_id("event_id", self.event_id))
        set_(self, "user_id", _check_id("user_id", self.user_id))
        set_(self, "kind", _coerce_enum(EventKind, self.kind, "kind"))
        set_(self, "source", _coerce_enum(EventSource, self.source, "source"))
        set_(self, "movie_id", _check_movie_id(self.movie_id))
        set_(self, "value", _check_finite("value", self.value))
        set_(self, "timestamp", _check_finite("timestamp", self.timestamp))
        if not isinstance(self.hard, bool):
            raise EventValidationError(f"hard must be True or False, got {self.hard!r}")
        if self.timestamp < 0:
            raise EventValidationError(f"timestamp must be seconds since 1970, got {self.timestamp}")
        self._check_kind_fields()

    def _check_kind_fields(self) -> None:
        """The fields each kind needs: a movie for movie kinds, an attribute for preferences."""
        where = f"event {self.event_id!r}"
        if self.kind is EventKind.UNDO:
            if not isinstance(self.attribute, str) or not self.attribute.startswith(UNDO_PREFIX) \
                    or not self.attribute[len(UNDO_PREFIX):].strip():
                raise EventValidationError(f"{where}: an undo needs the attribute 'event:<id of the event to undo>'")
            if self.movie_id is not None or self.hard:
                raise EventValidationError(f"{where}: an undo names an event, not a movie or a rule")
            return
        if self.kind is EventKind.PREFERENCE:
            if self.attribute is None:
                raise EventValidationError(
                    f"{where}: a preference needs an attribute such as 'genre:Horror' or 'years:1990-1999'"
                )
            if self.movie_id is not None:
                raise EventValidationError(f"{where}: a preference is about an attribute, not a movie")
            _check_attribute(self.attribute)
            return
        if self.movie_id is None:
            raise EventValidationError(f"{where}: a {self.kind} event needs a movie_id")
        if self.attribute is not None:
            raise EventValidationError(f"{where}: a {self.kind} event is about a movie, not an attribute")
        if self.hard:
            raise EventValidationError(f"{where}: only preferences can be hard rules")
        low, high = RATING_RANGE
        if self.kind is EventKind.RATING and not low <= self.value <= high:
            raise EventValidationError(
                f"{where}: a rating must be between {low} and {high} stars, got {self.value}"
            )

    @classmethod
    def new(
        cls,
        user_id: str,
        kind: EventKind | str,
        *,
        movie_id: int | None = None,
        attribute: str | None = None,
        value: float | None = None,
        hard: bool = False,
        timestamp: float | None = None,
        source: EventSource | str = EventSource.CHAT,
        event_id: str | None = None,
    ) -> "Event":
        """Make an event for a live submission, filling in what the caller may leave out.

        Args:
            user_id: The user.
            kind: What happened.
            movie_id: The movie (all kinds except ``preference``).
            attribute: What a preference is about, e.g. ``"genre:Horror"``.
            value: Required for ratings; defaults to 1 otherwise.
            hard: Hard rule (preferences only).
            timestamp: Seconds since the epoch; now when omitted.
            source: Where it came from.
            event_id: The client's id for this submission. Pass one (e.g. ``uuid4().hex`` made
                when the user acted) so that a retry is stored once. When omitted, the id is a hash
                of the event's content, which is deterministic but only deduplicates retries that
                also repeat the timestamp.

        Raises:
            EventValidationError: As for :class:`Event`, or a rating without a value.
        """
        kind = _coerce_enum(EventKind, kind, "kind")
        if value is None:
            if kind is EventKind.RATING:
                raise EventValidationError("a rating needs a value (0.5 to 5 stars)")
            value = 1.0
        event = cls(
            event_id=event_id or _PENDING_ID, user_id=user_id, kind=kind, movie_id=movie_id,
            attribute=attribute, value=value, hard=hard,
            timestamp=time.time() if timestamp is None else timestamp, source=source,
        )
        return event if event_id else dataclasses.replace(event, event_id=content_event_id(event))


_PENDING_ID = "pending"


def content_event_id(event: Event) -> str:
    """A deterministic id from an event's content (not its id): ``"c:"`` + 32 hex digits of sha256.

    Hashes the validated, normalised fields, so ``value=1`` and ``value=1.0`` give the same id. 128
    bits make an accidental collision (which would drop an event as a "duplicate") negligible even
    over billions of events.
    """
    content = [
        event.user_id, event.kind.value, event.movie_id, event.attribute,
        event.value, event.hard, event.timestamp, event.source.value,
    ]
    canonical = json.dumps(content, separators=(",", ":"))
    return "c:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]


def history_event_id(dataset: str, user_id: str | int, movie_id: int, timestamp: int) -> str:
    """The id of an imported MovieLens rating: ``"h:{dataset}:{user}:{movie}:{timestamp}"``.

    Readable and collision-free by construction (a hash could collide and silently drop a rating),
    and deterministic, so importing a release again stores nothing twice. The bulk path builds the
    same string inside SQLite (:func:`_history_insert`).
    """
    return f"h:{dataset}:{user_id}:{movie_id}:{timestamp}"


def _check_id(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise EventValidationError(f"{name} must be a non-empty string, got {value!r}")
    if not value.isprintable():  # an id is shown in terminals and pages: no control characters
        raise EventValidationError(f"{name} must be printable text (no control characters), got {value!r}")
    if value != value.strip() or len(value) > MAX_ID_LENGTH:
        raise EventValidationError(
            f"{name} must have no surrounding spaces and at most {MAX_ID_LENGTH} characters, got {value!r}"
        )
    return value


def _coerce_enum(enum: type[StrEnum], value: object, name: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise EventValidationError(f"{name} must be one of {choices}; got {value!r}") from None


def _check_movie_id(value: object) -> int | None:
    if value is None:
        return None
    # bool is an int subclass; True as a movie id is always a mistake.
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise EventValidationError(f"movie_id must be a whole number, got {value!r}")
    movie_id = int(value)  # type: ignore[call-overload]  # numpy integers land here too
    if movie_id <= 0:
        raise EventValidationError(f"movie_id must be positive, got {movie_id}")
    return movie_id


def _check_finite(name: str, value: object) -> float:
    # float("4.5") would pass a string through; only real numbers (numpy scalars included) may.
    if isinstance(value, (bool, str, bytes)) or not hasattr(value, "__float__"):
        raise EventValidationError(f"{name} must be a number, got {value!r}")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise EventValidationError(f"{name} must be a finite number, got {value!r}")
    return number


def _check_attribute(attribute: object) -> None:
    if not isinstance(attribute, str):
        raise EventValidationError(f"attribute must be a string like 'genre:Horror', got {attribute!r}")
    facet, _, value = attribute.partition(":")
    if not facet.strip() or not value.strip():
        raise EventValidationError(
            f"attribute must look like 'facet:value' (e.g. 'genre:Horror', 'years:1990-1999'), got {attribute!r}"
        )


# --- where the log lives -----------------------------------------------------------------------


def user_key(user_id: str) -> str:
    """What a forget record keeps of a user id: a hash, so the id itself is gone with the data."""
    return hashlib.sha256(user_id.encode()).hexdigest()


def event_log_path(settings: Settings) -> Path:
    """The event log of a driftrec home: ``settings.home / "events.sqlite"``."""
    return settings.home / EVENT_LOG_FILENAME


def open_event_log(settings: Settings, **options: Any) -> "EventStore":
    """Open (creating if needed) the event log the settings name.

    ``settings.events_url`` set: the PostgreSQL log at that URL
    (:class:`tracking.postgres_log.PostgresEventLog`, shared by every process that names it);
    otherwise the SQLite file of ``settings.home`` (:class:`EventLog`), with ``options`` passed on.
    """
    if settings.events_url:
        if options:
            raise ValueError(f"options {sorted(options)} apply to the SQLite log only")
        from tracking.postgres_log import PostgresEventLog  # psycopg only where it is used

        return PostgresEventLog(settings.events_url)
    return EventLog(event_log_path(settings), **options)


class EventStore(Protocol):
    """What the rest of driftrec may ask of an event log; :class:`EventLog` (SQLite, the default)
    and :class:`tracking.postgres_log.PostgresEventLog` both provide it with the same meaning.

    The methods' contracts are documented on :class:`EventLog`.
    """

    @property
    def location(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self) -> "EventStore": ...
    def __exit__(self, kind: Any, error: Any, trace: Any) -> None: ...
    def append(self, event: Event) -> bool: ...
    def append_many(self, events: Iterable[Event], batch_size: int = DEFAULT_BATCH_SIZE) -> int: ...
    def append_history_ratings(self, dataset: str, rows: Iterable[HistoryRow]) -> int: ...
    def events_for(self, user_id: str, since_seq: int | None = None) -> list[Event]: ...
    def event_frame(self) -> "pd.DataFrame": ...
    def users(self) -> list[str]: ...
    def count(self, user_id: str | None = None) -> int: ...
    def last_seq(self, user_id: str | None = None) -> int: ...
    def has_event(self, event_id: str) -> bool: ...
    def has_history(self, dataset: str) -> bool: ...
    def reactions(self, user_id: str, movie_ids: Sequence[int]) -> dict[int, tuple[str, float]]: ...
    def event(self, event_id: str) -> Event | None: ...
    def forget(self, user_id: str, collection: str | None = None) -> int: ...
    def forgotten_since(self, seq: int) -> list[tuple[int, str]]: ...
    def last_forget(self) -> int: ...
    def outbox(self, limit: int = 1000) -> list[dict[str, Any]]: ...
    def outbox_size(self) -> int: ...
    def outbox_users(self) -> set[str]: ...
    def enqueue(self, user_id: str, operation: str, collection: str, payload: dict[str, Any] | None = None) -> None: ...
    def outbox_done(self, entry_ids: Sequence[int]) -> None: ...
    def outbox_failed(self, entry_id: int, error: str) -> None: ...
    def checkpoint(self, wait_s: float = 2.0) -> bool: ...
    def save_profile_version(self, user_id: str, payload: dict[str, Any], event_seq: int,
                             chroma: tuple[str, dict[str, Any]] | None = None) -> int: ...
    def profile_versions(self, user_id: str) -> list[dict[str, Any]]: ...
    def latest_profile_version(self, user_id: str) -> dict[str, Any] | None: ...
    def latest_versions(self) -> dict[str, int]: ...
    def integrity_check(self) -> list[str]: ...


# --- the log -----------------------------------------------------------------------------------

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL UNIQUE,
    user_id     TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK ({" OR ".join(f"kind = '{k.value}'" for k in EventKind)}),
    movie_id    INTEGER,
    attribute   TEXT,
    value       REAL    NOT NULL,
    hard        INTEGER NOT NULL DEFAULT 0 CHECK (hard IN (0, 1)),
    ts          REAL    NOT NULL,
    source      TEXT    NOT NULL,
    recorded_at REAL    NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0)
);
CREATE INDEX IF NOT EXISTS events_by_user ON events (user_id, seq);
CREATE TABLE IF NOT EXISTS profile_versions (
    user_id    TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    created_at REAL    NOT NULL,
    event_seq  INTEGER NOT NULL,
    payload    TEXT    NOT NULL,
    PRIMARY KEY (user_id, version)
);
CREATE TABLE IF NOT EXISTS outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     TEXT    NOT NULL,
    operation   TEXT    NOT NULL CHECK (operation = 'upsert' OR operation = 'delete'),
    collection  TEXT    NOT NULL,
    payload     TEXT,
    created_at  REAL    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX IF NOT EXISTS outbox_by_user ON outbox (user_id);
CREATE TABLE IF NOT EXISTS forgotten (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    user_key  TEXT    NOT NULL,
    at        REAL    NOT NULL
);
"""
# outbox: the Chroma writes that follow from committed rows, written in the same transaction and
# applied (and retried) until done, so the log and Chroma never disagree for long (see
# tracking.service.Tracker.sync_chroma). forgotten: one row per forget, keyed by a hash of the user id (the id itself is
# gone), so that other processes drop what they hold of that user on their next read.
# The kind CHECK is an OR chain: SQLite evaluates `kind IN (...)` in a CHECK far more slowly
# (measured: a third of the bulk import's time), the OR chain costs nothing measurable.
# AUTOINCREMENT: a seq is never reused, even after a forget deletes the highest rows, so a profile
# version's event_seq always names the same event.

_EVENT_COLUMNS = "event_id, user_id, kind, movie_id, attribute, value, hard, ts, source"
_INSERT_EVENT = (
    f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(event_id) DO NOTHING"
)
_SELECT_EVENTS = f"SELECT seq, {_EVENT_COLUMNS} FROM events"

HistoryRow = tuple[int | str, int, float, int]
"""``(user_id, movie_id, rating, timestamp)`` of one imported rating; timestamp in whole seconds."""
_DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_dataset_name(dataset: str) -> str:
    """Return ``dataset`` if it is a plain release name (it becomes part of event ids), else raise.

    Raises:
        DriftrecError: The name has characters other than letters, digits, ``.``, ``_``, ``-``.
    """
    if not isinstance(dataset, str) or not _DATASET_NAME.match(dataset):
        raise DriftrecError(
            f"dataset name {dataset!r} must be a release name like 'ml-latest-small' "
            "(letters, digits, '.', '_', '-')"
        )
    return dataset


@functools.lru_cache(maxsize=16)
def _history_insert(dataset: str) -> str:
    """The INSERT for one imported rating; SQLite builds its id ``h:{dataset}:{user}:{movie}:{ts}``.

    Building the id in SQL (C string concatenation) rather than in Python keeps the bulk import's
    per-row Python work to the tuple ``executemany`` binds. Bound per row: user (an int is stored
    as its decimal string by the TEXT column), movie, rating and timestamp (an int, so the id holds
    ``964982703``, not ``964982703.0``; the REAL column converts it). Kind, source and the empty
    columns are literals. The dataset name is checked (:func:`check_dataset_name`) and quoted.
    """
    prefix = f"h:{check_dataset_name(dataset)}:".replace("'", "''")
    return (
        f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ('{prefix}' || ?1 || ':' || ?2 || ':' || ?4, "
        f"?1, '{EventKind.RATING.value}', ?2, NULL, ?3, 0, ?4, '{EventSource.HISTORY.value}') "
        "ON CONFLICT(event_id) DO NOTHING"
    )


class SqlReads:
    """The reads whose SQL both event logs share (written with ``?`` placeholders; the PostgreSQL
    log's ``_read`` turns them into ``%s``). A subclass provides ``_read(sql, parameters)``."""

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def events_for(self, user_id: str, since_seq: int | None = None) -> list[Event]:
        """A user's events in log order (ascending ``seq``), each with its ``seq`` set.

        Log order is arrival order: imported history arrives sorted by time (see
        :mod:`tracking.ingest`), live events as they happen.

        Args:
            user_id: The user.
            since_seq: Only events after this seq (e.g. the ``event_seq`` of the latest profile
                version, to fold in what is new).
        """
        rows = self._read(
            f"{_SELECT_EVENTS} WHERE user_id = ? AND seq > ? ORDER BY seq",
            (user_id, since_seq or 0),
        )
        return [_row_event(row) for row in rows]

    def count(self, user_id: str | None = None) -> int:
        """Events stored, for one user or for everyone."""
        if user_id is None:
            return self._read("SELECT COUNT(*) FROM events")[0][0]
        return self._read("SELECT COUNT(*) FROM events WHERE user_id = ?", (user_id,))[0][0]

    def last_seq(self, user_id: str | None = None) -> int:
        """The seq of the user's (or anyone's) latest event; 0 when there is none.

        0 rather than None because it composes: ``events_for(u, since_seq=0)`` is every event.
        """
        if user_id is None:
            return self._read("SELECT COALESCE(MAX(seq), 0) FROM events")[0][0]
        return self._read("SELECT COALESCE(MAX(seq), 0) FROM events WHERE user_id = ?", (user_id,))[0][0]

    def has_event(self, event_id: str) -> bool:
        """Whether an event with this id is stored."""
        return bool(self._read("SELECT 1 FROM events WHERE event_id = ?", (event_id,)))

    def event(self, event_id: str) -> Event | None:
        """The stored event with this id, or None."""
        rows = self._read(f"{_SELECT_EVENTS} WHERE event_id = ?", (event_id,))
        return _row_event(rows[0]) if rows else None

    def forgotten_since(self, seq: int) -> list[tuple[int, str]]:
        """``(seq, user_key)`` of every forget recorded after ``seq`` (0: all), oldest first."""
        return [(int(a), str(b)) for a, b in self._read("SELECT seq, user_key FROM forgotten WHERE seq > ? ORDER BY seq", (int(seq),))]

    def last_forget(self) -> int:
        """The seq of the newest forget record (0 when none)."""
        return int(self._read("SELECT COALESCE(MAX(seq), 0) FROM forgotten")[0][0])

    def outbox(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Pending Chroma writes, oldest first: ``id, user_id, operation, collection, payload, attempts, last_error``."""
        rows = self._read(
            "SELECT id, user_id, operation, collection, payload, attempts, last_error FROM outbox ORDER BY id LIMIT ?",
            (int(limit),),
        )
        keys = ("id", "user_id", "operation", "collection", "payload", "attempts", "last_error")
        return [{**dict(zip(keys, row)), "payload": json.loads(row[4]) if row[4] else None} for row in rows]

    def outbox_size(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM outbox")[0][0])

    def outbox_users(self) -> set[str]:
        """Users with a Chroma write still pending (all of the outbox, not a page of it)."""
        return {row[0] for row in self._read("SELECT DISTINCT user_id FROM outbox")}

    def profile_versions(self, user_id: str) -> list[dict[str, Any]]:
        """Every version of a user's profile, oldest first.

        Returns:
            Dicts with ``user_id, version, created_at, event_seq, payload`` (payload parsed).
        """
        rows = self._read(
            "SELECT user_id, version, created_at, event_seq, payload FROM profile_versions "
            "WHERE user_id = ? ORDER BY version",
            (user_id,),
        )
        return [_version_dict(row) for row in rows]

    def latest_profile_version(self, user_id: str) -> dict[str, Any] | None:
        """The newest version of a user's profile (as in :meth:`profile_versions`), or None."""
        rows = self._read(
            "SELECT user_id, version, created_at, event_seq, payload FROM profile_versions "
            "WHERE user_id = ? ORDER BY version DESC LIMIT 1",
            (user_id,),
        )
        return _version_dict(rows[0]) if rows else None

    def latest_versions(self) -> dict[str, int]:
        """``{user: newest version number}`` for every user with a stored profile version."""
        rows = self._read("SELECT user_id, MAX(version) FROM profile_versions GROUP BY user_id")
        return {str(user): int(version) for user, version in rows}


class EventLog(SqlReads):
    """The SQLite event log with the profile versions beside it.

    One instance holds one connection; it may be shared between threads (calls are serialised by a
    lock). Several processes may open the same file at once. Use as a context manager or call
    :meth:`close`.

    Args:
        path: The database file; its folder is created if missing.
        synchronous: ``"FULL"`` (default) makes every commit survive a power cut (one fsync per
            transaction, a few milliseconds); ``"NORMAL"`` survives a killed process but may lose
            the last commits on a power cut. Keep FULL for anything a user typed.
        busy_timeout_s: How long to wait for another process's transaction before giving up with
            a :class:`DriftrecError`.

    Raises:
        DriftrecError: The file cannot be created or opened for writing, or is not an event log.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        synchronous: Synchronous = "FULL",
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    ) -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be 'FULL' or 'NORMAL', got {synchronous!r}")
        self.path = Path(path)
        self._busy_timeout_s = busy_timeout_s
        self._lock = threading.RLock()
        self._connection = self._open(synchronous)

    # --- opening and closing -------------------------------------------------------------------

    def _open(self, synchronous: Synchronous) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DriftrecError(_not_writable_message(self.path, error)) from error
        connection: sqlite3.Connection | None = None
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT), never
            # opened implicitly by the sqlite3 module where we did not ask for one. timeout=0:
            # waiting for locks is _retry_busy's job (see the module docstring).
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=0, check_same_thread=False)
            mode = self._retry_busy(lambda: connection.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            if mode.lower() != "wal":
                raise DriftrecError(
                    f"event log {self.path}: SQLite could not switch to WAL mode (got {mode!r}); "
                    "put DRIFTREC_HOME on a local file system"
                )
            connection.execute(f"PRAGMA synchronous = {synchronous}")
            connection.execute("PRAGMA secure_delete = ON")
            self._create_schema(connection)
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            _raise_translated(error, self.path)
        except DriftrecError:
            if connection is not None:
                connection.close()
            raise
        return connection

    def _create_schema(self, connection: sqlite3.Connection) -> None:
        version = self._retry_busy(lambda: connection.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise DriftrecError(
                f"event log {self.path} was written by a newer driftrec (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade driftrec"
            )
        # The write transaction also proves, at open time, that the file is writable.
        self._retry_busy(lambda: connection.execute("BEGIN IMMEDIATE"))
        try:
            if version == 1:
                _widen_kind_check(connection)
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection; the log stays on disk. Closing twice is harmless."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None  # type: ignore[assignment]

    def __enter__(self) -> "EventLog":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def location(self) -> str:
        """Where the log lives, for messages: the file's path."""
        return str(self.path)

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection (for read-only inspection; write through the methods)."""
        if self._connection is None:
            raise DriftrecError(f"event log {self.path} is closed")
        return self._connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            connection = self.connection
            try:
                self._retry_busy(lambda: connection.execute("BEGIN IMMEDIATE"))
            except sqlite3.Error as error:
                _raise_translated(error, self.path)
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException as error:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    _raise_translated(error, self.path)
                raise

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            connection = self.connection
            try:
                return self._retry_busy(lambda: connection.execute(sql, parameters).fetchall())
            except sqlite3.Error as error:
                _raise_translated(error, self.path)

    def _retry_busy(self, operation: Callable[[], _T]) -> _T:
        """Run ``operation``, retrying while another connection holds a lock, for ``busy_timeout_s``.

        Only SQLITE_BUSY is retried, and only for operations that hold no lock yet (beginning a
        transaction, a read), so a retry never repeats half of a write.
        """
        deadline = time.monotonic() + self._busy_timeout_s
        while True:
            try:
                return operation()
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() >= deadline:
                    raise
            # Jitter, so that two waiters do not poll in step and keep colliding.
            time.sleep(_POLL_S * (0.5 + random.random()))

    # --- events: writing -----------------------------------------------------------------------

    def append(self, event: Event) -> bool:
        """Store one event in its own transaction; the event is acknowledged when this returns.

        Args:
            event: The event.

        Returns:
            True when newly stored, False when an identical event with this id was already there.

        Raises:
            EventIdConflictError: The id is stored for a different event (nothing is written).
            DriftrecError: The log cannot be written (locked too long, disk full, read-only).
        """
        return self.append_many([event]) == 1

    def append_many(self, events: Iterable[Event], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
        """Store events, one transaction per ``batch_size`` events, in the order given.

        Each batch is all-or-nothing and acknowledged once committed; if a later batch fails, the
        earlier ones stay stored (and a retry of the whole call stores only what is missing).

        Returns:
            How many events were newly stored (already present ones are not counted).

        Raises:
            EventIdConflictError: An id in a batch is stored for a different event; that batch is
                rolled back.
        """
        stored = 0
        for batch in _batches(events, batch_size):
            with self._write() as connection:
                before = connection.total_changes
                connection.executemany(_INSERT_EVENT, [_event_row(e) for e in batch])
                inserted = connection.total_changes - before
                if inserted < len(batch):
                    self._check_same_as_stored(connection, batch)
            stored += inserted
        return stored

    def append_history_ratings(self, dataset: str, rows: Iterable[HistoryRow]) -> int:
        """Store imported ratings of ``dataset`` in one transaction: the bulk import's fast path.

        The rows are taken as valid (:mod:`tracking.ingest` checks whole columns at once), so no
        :class:`Event` is built per rating. Each gets the id :func:`history_event_id` gives it; one
        whose id is already stored is skipped, so re-importing stores nothing twice.

        Args:
            dataset: Release name (part of every id).
            rows: ``(user_id, movie_id, rating, timestamp)`` tuples, timestamp in whole seconds.

        Returns:
            How many rows were newly stored.
        """
        statement = _history_insert(dataset)
        with self._write() as connection:
            before = connection.total_changes
            connection.executemany(statement, rows)
            return connection.total_changes - before

    def _check_same_as_stored(self, connection: sqlite3.Connection, batch: Sequence[Event]) -> None:
        """Raise if an id in ``batch`` is stored for an event with different content."""
        for chunk in _chunks([e.event_id for e in batch], _MAX_QUERY_PARAMS):
            marks = ", ".join("?" * len(chunk))
            rows = connection.execute(f"{_SELECT_EVENTS} WHERE event_id IN ({marks})", chunk).fetchall()
            stored = {row[1]: _row_event(row) for row in rows}
            for event in batch:
                if event.event_id in stored and stored[event.event_id] != event:
                    raise EventIdConflictError(
                        f"event id {event.event_id!r} is already stored for a different event "
                        f"({stored[event.event_id]}); give each new submission a new id"
                    )

    # --- events: reading -----------------------------------------------------------------------


    def event_frame(self) -> "pd.DataFrame":
        """Every event as columns ``user_id, kind, movie_id, value, seq, ts``, in log order (a rebuild's input)."""
        import pandas as pd  # only the bulk rebuild needs it; appending processes start without it

        with self._lock:
            return pd.read_sql_query("SELECT user_id, kind, movie_id, value, seq, ts FROM events ORDER BY seq", self.connection)

    def has_history(self, dataset: str) -> bool:
        """Whether any imported rating of ``dataset`` is stored (their ids start ``h:{dataset}:``)."""
        prefix = f"h:{check_dataset_name(dataset)}:"
        return bool(self._read("SELECT 1 FROM events WHERE event_id >= ? AND event_id < ? LIMIT 1",
                               (prefix, prefix[:-1] + ";")))

    def users(self) -> list[str]:
        """Every user with at least one event, sorted as strings."""
        return [row[0] for row in self._read("SELECT DISTINCT user_id FROM events ORDER BY user_id")]


    def reactions(self, user_id: str, movie_ids: Sequence[int]) -> dict[int, tuple[str, float]]:
        """The user's latest rating, watch, like or dislike of each movie (undone ones left out):
        ``{movie_id: (kind, value)}``, for saying why a movie is suggested in the right words."""
        ids = sorted({int(m) for m in movie_ids})[:_MAX_QUERY_PARAMS]
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._read(
            f"SELECT movie_id, kind, value FROM events WHERE user_id = ? AND movie_id IN ({marks}) "
            "AND kind IN ('rating', 'watch', 'like', 'dislike') AND event_id NOT IN "
            f"(SELECT substr(attribute, {len(UNDO_PREFIX) + 1}) FROM events WHERE user_id = ? AND kind = 'undo') ORDER BY seq",
            (user_id, *ids, user_id),
        )
        return {int(movie_id): (kind, float(value)) for movie_id, kind, value in rows}


    # --- forgetting ----------------------------------------------------------------------------

    def forget(self, user_id: str, collection: str | None = None) -> int:
        """Delete every event, profile version and pending Chroma write of one user, in one transaction.

        The same transaction records the forget (:meth:`forgotten_since`) and, when ``collection`` is
        given, queues the deletion of the user's Chroma record in the outbox, so the Chroma part
        finishes even when Chroma is down now. Deleted content is zeroed (``secure_delete``) and the
        WAL is then checkpointed, so the user's data does not linger in the file. Other users' rows
        are untouched.

        Returns:
            How many events were deleted.
        """
        with self._write() as connection:
            deleted = connection.execute("DELETE FROM events WHERE user_id = ?", (user_id,)).rowcount
            connection.execute("DELETE FROM profile_versions WHERE user_id = ?", (user_id,))
            connection.execute("DELETE FROM outbox WHERE user_id = ?", (user_id,))
            if collection is not None:
                connection.execute(
                    "INSERT INTO outbox (user_id, operation, collection, payload, created_at) VALUES (?, 'delete', ?, NULL, ?)",
                    (user_id, collection, time.time()),
                )
            connection.execute("INSERT INTO forgotten (user_key, at) VALUES (?, ?)", (user_key(user_id), time.time()))
        self._rewrite_file()
        self.checkpoint()
        return deleted

    def _rewrite_file(self) -> None:
        """VACUUM: a fresh copy of the live rows, so no stale copy of a deleted cell survives anywhere."""
        with self._lock:
            connection = self.connection
            try:
                self._retry_busy(lambda: connection.execute("VACUUM"))
            except sqlite3.Error as error:
                raise DriftrecError(
                    f"{self.path}: the user's events are deleted, but the file could not be rewritten to scrub "
                    f"every old copy ({error}); another process holds the log: run the same forget again "
                    "when it is idle") from error


    # --- the Chroma outbox -----------------------------------------------------------------------


    def enqueue(self, user_id: str, operation: str, collection: str, payload: dict[str, Any] | None = None) -> None:
        """Queue one Chroma write (a newer upsert of the same record replaces a pending one)."""
        with self._write() as connection:
            self._enqueue(connection, user_id, operation, collection, payload)

    @staticmethod
    def _enqueue(connection: sqlite3.Connection, user_id: str, operation: str, collection: str,
                 payload: dict[str, Any] | None) -> None:
        connection.execute("DELETE FROM outbox WHERE user_id = ? AND collection = ? AND operation = 'upsert'",
                           (user_id, collection))
        connection.execute(
            "INSERT INTO outbox (user_id, operation, collection, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            (user_id, operation, collection, None if payload is None else json.dumps(payload, allow_nan=False), time.time()),
        )

    def outbox_done(self, entry_ids: Sequence[int]) -> None:
        """Remove applied entries (one transaction)."""
        with self._write() as connection:
            for chunk in _chunks([int(i) for i in entry_ids], _MAX_QUERY_PARAMS):  # type: ignore[list-item]
                connection.execute(f"DELETE FROM outbox WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    def outbox_failed(self, entry_id: int, error: str) -> None:
        with self._write() as connection:
            connection.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                               (error[:500], int(entry_id)))

    def checkpoint(self, wait_s: float = 2.0) -> bool:
        """Copy the WAL into the database file and truncate the WAL to zero bytes.

        Other processes in the middle of a transaction hold the checkpoint back; it is retried for
        up to ``wait_s``. If they keep the log busy longer, the old WAL frames stay until a later
        checkpoint or until new writes overwrite them.

        Returns:
            True when the WAL was fully checkpointed and truncated.
        """
        deadline = time.monotonic() + wait_s
        with self._lock:
            connection = self.connection
            while True:
                try:
                    busy = self._retry_busy(
                        lambda: connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    )
                except sqlite3.Error as error:
                    _raise_translated(error, self.path)
                if not busy:
                    return True
                if time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL_S * (0.5 + random.random()))

    # --- profile versions ----------------------------------------------------------------------

    def save_profile_version(self, user_id: str, payload: dict[str, Any], event_seq: int,
                             chroma: tuple[str, dict[str, Any]] | None = None) -> int:
        """Store a new version of a user's profile; versions count 1, 2, 3, ... per user.

        Reading the last number and inserting the next happen in one write transaction, so two
        processes saving at once get distinct numbers.

        Args:
            user_id: The user.
            payload: JSON-serialisable profile (lists, not numpy arrays). NaN and infinity are
                refused: they would not survive a JSON round trip as numbers.
            event_seq: The seq of the last event folded into this profile.
            chroma: ``(collection, record)`` queued in the outbox in the same transaction, so the
                version and its Chroma write are committed together.

        Returns:
            The new version number.

        Raises:
            TypeError, ValueError: ``payload`` is not plain finite JSON.
        """
        _check_id("user_id", user_id)
        text = json.dumps(payload, allow_nan=False, separators=(",", ":"))
        with self._write() as connection:
            (version,) = connection.execute(
                "INSERT INTO profile_versions (user_id, version, created_at, event_seq, payload) "
                "SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM profile_versions WHERE user_id = ? "
                "RETURNING version",
                (user_id, time.time(), int(event_seq), text, user_id),
            ).fetchone()
            if chroma is not None:
                self._enqueue(connection, user_id, "upsert", chroma[0], {**chroma[1], "version": int(version)})
        return int(version)


    # --- health --------------------------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """SQLite's ``PRAGMA integrity_check``: ``["ok"]`` for a sound file, else the problems."""
        return [row[0] for row in self._read("PRAGMA integrity_check")]


def _widen_kind_check(connection: sqlite3.Connection) -> None:
    """Schema 1 → 2, inside the caller's transaction: rebuild ``events`` with the current kind check.

    SQLite cannot alter a CHECK constraint, so the table is copied; every row keeps its seq, and
    the AUTOINCREMENT counter keeps its value (a seq freed by a forget is still never reused).
    """
    counter = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
    create = _SCHEMA.split(";")[0].replace("CREATE TABLE IF NOT EXISTS events", "CREATE TABLE events_v2")
    connection.execute(create)
    columns = f"seq, {_EVENT_COLUMNS}, recorded_at"
    connection.execute(f"INSERT INTO events_v2 ({columns}) SELECT {columns} FROM events ORDER BY seq")
    connection.execute("DROP TABLE events")
    connection.execute("ALTER TABLE events_v2 RENAME TO events")
    if counter is not None:
        connection.execute("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'events'", (counter[0],))


# --- rows <-> events ---------------------------------------------------------------------------


def _event_row(event: Event) -> tuple[Any, ...]:
    return (
        event.event_id, event.user_id, event.kind.value, event.movie_id, event.attribute,
        event.value, int(event.hard), event.timestamp, event.source.value,
    )


def _row_event(row: tuple[Any, ...]) -> Event:
    seq, event_id, user_id, kind, movie_id, attribute, value, hard, ts, source = row
    return Event(
        event_id=event_id, user_id=user_id, kind=EventKind(kind), movie_id=movie_id,
        attribute=attribute, value=value, hard=bool(hard), timestamp=ts, source=EventSource(source), seq=seq,
    )


def _version_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    user_id, version, created_at, event_seq, payload = row
    return {
        "user_id": user_id, "version": version, "created_at": created_at,
        "event_seq": event_seq, "payload": json.loads(payload),
    }


def _batches(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    if size < 1:
        raise ValueError(f"batch_size must be at least 1, got {size}")
    batch: list[Event] = []
    for event in events:
        if not isinstance(event, Event):
            raise TypeError(f"expected an Event, got {type(event).__name__}")
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- errors a user can act on ------------------------------------------------------------------


def _not_writable_message(path: Path, error: BaseException) -> str:
    return (
        f"cannot write the event log {path} ({error}); make its folder writable or point "
        "DRIFTREC_HOME (or --home) at a writable folder"
    )


def _is_busy(error: sqlite3.Error) -> bool:
    return (getattr(error, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY")


def _user_message(error: sqlite3.Error, path: Path) -> str | None:
    """What the user can do about a SQLite error, or None when it is a bug rather than their setup."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return _not_writable_message(path, error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (
            f"event log {path} stayed locked by another driftrec process ({error}); wait for it to "
            "finish (e.g. a running ingest) and try again"
        )
    if name.startswith("SQLITE_FULL"):
        return f"the disk holding the event log {path} is full; free space and try again"
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return f"{path} is not a readable driftrec event log ({error}); move it aside or restore it from a backup"
    if name.startswith("SQLITE_IOERR"):
        return f"input/output error on the event log {path} ({error}); check the disk"
    return None


def _raise_translated(error: sqlite3.Error, path: Path) -> NoReturn:
    """Raise a :class:`DriftrecError` for errors the user can fix; re-raise the rest unchanged."""
    message = _user_message(error, path)
    if message is None:
        raise error
    raise DriftrecError(message) from error

"""The event log on a PostgreSQL server: the same log as :class:`tracking.events.EventLog`, shared
by any number of driftrec processes on any number of machines.

Chosen with ``--events-url postgresql://user@host:port/db`` (``DRIFTREC_EVENTS_URL``); the default
stays the embedded SQLite file. Tables, columns, ids and every method's meaning are those of the
SQLite log (see :class:`tracking.events.EventStore`); what differs, and why:

* **Writes are serialised by one advisory lock** (``pg_advisory_xact_lock``) held to the end of each
  write transaction, as SQLite's ``BEGIN IMMEDIATE`` does. PostgreSQL hands out ``seq`` values when
  rows are inserted, not when they commit; without the lock a transaction that took seq 10 could
  commit after one that took seq 11, and a worker that had already caught up to 11
  (``events_for(user, since_seq=11)``) would never see event 10. With it, seq order is commit
  order, so "catch up from my last seq" cannot skip an event. A write holds the lock for about a
  millisecond plus the commit's fsync.
* **Bulk import uses COPY** into a temporary table, then one ``INSERT ... SELECT ... ON CONFLICT
  DO NOTHING``, so re-importing stores nothing twice and the rows keep their file order.
* **Forget deletes in one transaction, then VACUUMs** the user's tables, so the deleted rows' space
  is reclaimed and overwritten by later writes. PostgreSQL has no ``secure_delete``: until then,
  and in the server's write-ahead log and backups for as long as they are kept, the bytes can
  remain. Set the server's WAL retention and backup policy accordingly.
* :meth:`PostgresEventLog.checkpoint` is a no-op (the server manages its WAL) and
  :meth:`PostgresEventLog.integrity_check` checks the schema, not the pages.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, NoReturn

import pandas as pd

from retrieval.errors import DriftrecError
from tracking.events import (
    DEFAULT_BATCH_SIZE,
    SCHEMA_VERSION,
    UNDO_PREFIX,
    Event,
    EventIdConflictError,
    EventKind,
    EventSource,
    HistoryRow,
    SqlReads,
    _batches,
    _check_id,
    _row_event,
    check_dataset_name,
    user_key,
)

# Any fixed 64-bit number: the advisory lock that serialises writers (see the module docstring).
_WRITE_LOCK = 0x64726966747265  # "driftre" in ASCII
_KINDS = ", ".join(f"'{kind.value}'" for kind in EventKind)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS driftrec_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    TEXT             NOT NULL UNIQUE,
    user_id     TEXT             NOT NULL,
    kind        TEXT             NOT NULL CHECK (kind IN ({_KINDS})),
    movie_id    BIGINT,
    attribute   TEXT,
    value       DOUBLE PRECISION NOT NULL,
    hard        SMALLINT         NOT NULL DEFAULT 0 CHECK (hard IN (0, 1)),
    ts          DOUBLE PRECISION NOT NULL,
    source      TEXT             NOT NULL,
    recorded_at DOUBLE PRECISION NOT NULL DEFAULT extract(epoch FROM clock_timestamp())
);
CREATE INDEX IF NOT EXISTS events_by_user ON events (user_id, seq);
CREATE TABLE IF NOT EXISTS profile_versions (
    user_id    TEXT             NOT NULL,
    version    INTEGER          NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    event_seq  BIGINT           NOT NULL,
    payload    TEXT             NOT NULL,
    PRIMARY KEY (user_id, version)
);
CREATE TABLE IF NOT EXISTS outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     TEXT             NOT NULL,
    operation   TEXT             NOT NULL CHECK (operation IN ('upsert', 'delete')),
    collection  TEXT             NOT NULL,
    payload     TEXT,
    created_at  DOUBLE PRECISION NOT NULL,
    attempts    INTEGER          NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX IF NOT EXISTS outbox_by_user ON outbox (user_id);
CREATE TABLE IF NOT EXISTS forgotten (
    seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_key TEXT             NOT NULL,
    at       DOUBLE PRECISION NOT NULL
)
"""
_EVENT_COLUMNS = "event_id, user_id, kind, movie_id, attribute, value, hard, ts, source"
_SELECT_EVENTS = f"SELECT seq, {_EVENT_COLUMNS} FROM events"
# One statement per batch: arrays in, the stored ids out. WITH ORDINALITY + ORDER BY keeps the
# batch's order in seq; RETURNING tells which rows were new without a second query.
_INSERT_EVENTS = (
    f"INSERT INTO events ({_EVENT_COLUMNS}) "
    f"SELECT {_EVENT_COLUMNS} FROM unnest(%s::text[], %s::text[], %s::text[], %s::bigint[], %s::text[], "
    "%s::float8[], %s::smallint[], %s::float8[], %s::text[]) WITH ORDINALITY "
    f"AS batch({_EVENT_COLUMNS}, position) ORDER BY position "
    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
)


class PostgresEventLog(SqlReads):
    """The event log and the profile versions in a PostgreSQL database (see the module docstring).

    One instance holds one connection; it may be shared between threads (calls are serialised by a
    lock). Use as a context manager or call :meth:`close`.

    Args:
        url: A libpq connection string, e.g. ``postgresql://driftrec@127.0.0.1:5432/driftrec``.
        connect_timeout_s: How long to wait for the server before giving up with a
            :class:`DriftrecError`.

    Raises:
        DriftrecError: The server cannot be reached, refuses the login, or holds a newer schema.
    """

    def __init__(self, url: str, *, connect_timeout_s: float = 10.0) -> None:
        import psycopg  # only the processes that use PostgreSQL pay for the import

        self._psycopg = psycopg
        self.url = url
        self._lock = threading.RLock()
        try:
            self._connection = psycopg.connect(url, connect_timeout=max(1, int(connect_timeout_s)))
        except psycopg.Error as error:
            raise DriftrecError(
                f"cannot connect to the event log at {self.location} ({_first_line(error)}); start "
                "PostgreSQL, create the database, or fix --events-url / DRIFTREC_EVENTS_URL"
            ) from error
        self._create_schema()

    @property
    def location(self) -> str:
        """Where the log lives, for messages (the URL without its password)."""
        from psycopg.conninfo import conninfo_to_dict

        try:
            parts = conninfo_to_dict(self.url)
        except self._psycopg.Error:
            return "postgresql (unparseable URL)"
        return f"postgresql://{parts.get('user', '')}@{parts.get('host', '')}:{parts.get('port', '')}/{parts.get('dbname', '')}"

    def _create_schema(self) -> None:
        # Under the write lock, so that workers starting together do not race to create the tables.
        with self._write() as cursor:
            for statement in _SCHEMA.split(";"):
                cursor.execute(statement)
            cursor.execute("SELECT value FROM driftrec_meta WHERE key = 'schema_version'")
            row = cursor.fetchone()
            if row is not None and int(row[0]) > SCHEMA_VERSION:
                raise DriftrecError(
                    f"event log {self.location} was written by a newer driftrec (schema {row[0]}, this "
                    f"one knows {SCHEMA_VERSION}); upgrade driftrec"
                )
            cursor.execute(
                "INSERT INTO driftrec_meta (key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (str(SCHEMA_VERSION),),
            )

    def close(self) -> None:
        """Close the connection; the log stays on the server. Closing twice is harmless."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None  # type: ignore[assignment]

    def __enter__(self) -> "PostgresEventLog":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def connection(self) -> Any:
        """The open psycopg connection (for read-only inspection; write through the methods)."""
        if self._connection is None:
            raise DriftrecError(f"event log {self.location} is closed")
        return self._connection

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One write transaction under the write lock: committed when the block ends, else rolled back."""
        with self._lock:
            connection = self.connection
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                    yield cursor
            except self._psycopg.Error as error:
                self._raise_translated(error)

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        sql = sql.replace("?", "%s")  # the shared reads (SqlReads) use SQLite's placeholders; no SQL here holds a literal ?
        with self._lock:
            connection = self.connection
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    cursor.execute(sql, parameters)
                    return cursor.fetchall()
            except self._psycopg.Error as error:
                self._raise_translated(error)

    def _raise_translated(self, error: Exception) -> NoReturn:
        """A :class:`DriftrecError` for what the user can fix (server gone, disk full); others unchanged."""
        errors = self._psycopg.errors
        if isinstance(error, self._psycopg.OperationalError):
            raise DriftrecError(
                f"lost the event log at {self.location} ({_first_line(error)}); check that PostgreSQL "
                "is running and reachable, then try again"
            ) from error
        if isinstance(error, errors.DiskFull):
            raise DriftrecError(f"the disk of the PostgreSQL server at {self.location} is full") from error
        if isinstance(error, errors.InsufficientPrivilege):
            raise DriftrecError(
                f"the PostgreSQL role in {self.location} may not write the event log ({_first_line(error)}); "
                "grant it the tables or use the role that created them"
            ) from error
        raise error

    # --- events: writing -----------------------------------------------------------------------

    def append(self, event: Event) -> bool:
        """Store one event in its own transaction (see :meth:`tracking.events.EventLog.append`)."""
        return self.append_many([event]) == 1

    def append_many(self, events: Iterable[Event], batch_size: int = DEFAULT_BATCH_SIZE) -> int:
        """Store events, one transaction per batch (see :meth:`tracking.events.EventLog.append_many`)."""
        stored = 0
        for batch in _batches(events, batch_size):
            columns = [list(column) for column in zip(*(_event_columns(event) for event in batch))]
            with self._write() as cursor:
                cursor.execute(_INSERT_EVENTS, columns)
                inserted = {row[0] for row in cursor.fetchall()}
                if len(inserted) < len(batch):
                    self._check_same_as_stored(cursor, [e for e in batch if e.event_id not in inserted])
            stored += len(inserted)
        return stored

    def append_history_ratings(self, dataset: str, rows: Iterable[HistoryRow]) -> int:
        """Store imported ratings in one transaction with COPY (see the SQLite log's method).

        The ids are built by the server, ``h:{dataset}:{user}:{movie}:{timestamp}``, as
        :func:`tracking.events.history_event_id` builds them.
        """
        prefix = f"h:{check_dataset_name(dataset)}:"
        with self._write() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS history_batch (position BIGINT GENERATED ALWAYS AS "
                "IDENTITY, user_id TEXT, movie_id BIGINT, value FLOAT8, ts BIGINT) ON COMMIT DROP"
            )
            with cursor.copy("COPY history_batch (user_id, movie_id, value, ts) FROM STDIN") as copy:
                for user, movie, rating, stamp in rows:
                    copy.write_row((str(user), movie, rating, stamp))
            cursor.execute(
                f"INSERT INTO events ({_EVENT_COLUMNS}) "
                "SELECT %s || user_id || ':' || movie_id || ':' || ts, user_id, %s, movie_id, NULL, value, 0, ts, %s "
                "FROM history_batch ORDER BY position ON CONFLICT (event_id) DO NOTHING",
                (prefix, EventKind.RATING.value, EventSource.HISTORY.value),
            )
            return cursor.rowcount

    def _check_same_as_stored(self, cursor: Any, batch: Sequence[Event]) -> None:
        """Raise if an id in ``batch`` is stored for an event with different content."""
        cursor.execute(f"{_SELECT_EVENTS} WHERE event_id = ANY(%s)", ([e.event_id for e in batch],))
        stored = {row[1]: _row_event(row) for row in cursor.fetchall()}
        for event in batch:
            if event.event_id in stored and stored[event.event_id] != event:
                raise EventIdConflictError(
                    f"event id {event.event_id!r} is already stored for a different event "
                    f"({stored[event.event_id]}); give each new submission a new id"
                )

    # --- events: reading -----------------------------------------------------------------------

    def event_frame(self) -> pd.DataFrame:
        rows = self._read("SELECT user_id, kind, movie_id, value, seq, ts FROM events ORDER BY seq")
        frame = pd.DataFrame(rows, columns=["user_id", "kind", "movie_id", "value", "seq", "ts"])
        return frame.astype({"movie_id": "Int64", "value": "float64", "seq": "int64", "ts": "float64"})

    def users(self) -> list[str]:
        return [row[0] for row in self._read('SELECT DISTINCT user_id COLLATE "C" FROM events ORDER BY 1')]

    def has_history(self, dataset: str) -> bool:
        prefix = f"h:{check_dataset_name(dataset)}:"
        return bool(self._read(
            'SELECT 1 FROM events WHERE event_id COLLATE "C" >= %s AND event_id COLLATE "C" < %s LIMIT 1',
            (prefix, prefix[:-1] + ";"),
        ))

    def reactions(self, user_id: str, movie_ids: Sequence[int]) -> dict[int, tuple[str, float]]:
        ids = sorted({int(m) for m in movie_ids})
        if not ids:
            return {}
        rows = self._read(
            "SELECT movie_id, kind, value FROM events WHERE user_id = %s AND movie_id = ANY(%s) "
            "AND kind IN ('rating', 'watch', 'like', 'dislike') AND event_id NOT IN "
            f"(SELECT substr(attribute, {len(UNDO_PREFIX) + 1}) FROM events WHERE user_id = %s AND kind = 'undo') ORDER BY seq",
            (user_id, ids, user_id),
        )
        return {int(movie_id): (kind, float(value)) for movie_id, kind, value in rows}

    # --- forgetting ----------------------------------------------------------------------------

    def forget(self, user_id: str, collection: str | None = None) -> int:
        """Delete the user's events, versions and pending Chroma writes in one transaction, then VACUUM."""
        with self._write() as cursor:
            cursor.execute("DELETE FROM events WHERE user_id = %s", (user_id,))
            deleted = cursor.rowcount
            cursor.execute("DELETE FROM profile_versions WHERE user_id = %s", (user_id,))
            cursor.execute("DELETE FROM outbox WHERE user_id = %s", (user_id,))
            if collection is not None:
                cursor.execute(
                    "INSERT INTO outbox (user_id, operation, collection, payload, created_at) VALUES (%s, 'delete', %s, NULL, %s)",
                    (user_id, collection, time.time()),
                )
            cursor.execute("INSERT INTO forgotten (user_key, at) VALUES (%s, %s)", (user_key(user_id), time.time()))
        self._vacuum("events", "profile_versions", "outbox")
        return deleted

    def _vacuum(self, *tables: str) -> None:
        """VACUUM outside a transaction (PostgreSQL refuses it inside one)."""
        with self._lock:
            connection = self.connection
            connection.autocommit = True
            try:
                connection.execute(f"VACUUM {', '.join(tables)}")
            except self._psycopg.Error as error:
                self._raise_translated(error)
            finally:
                connection.autocommit = False

    # --- the Chroma outbox -----------------------------------------------------------------------

    def enqueue(self, user_id: str, operation: str, collection: str, payload: dict[str, Any] | None = None) -> None:
        with self._write() as cursor:
            _enqueue(cursor, user_id, operation, collection, payload)

    def outbox_done(self, entry_ids: Sequence[int]) -> None:
        with self._write() as cursor:
            cursor.execute("DELETE FROM outbox WHERE id = ANY(%s)", ([int(i) for i in entry_ids],))

    def outbox_failed(self, entry_id: int, error: str) -> None:
        with self._write() as cursor:
            cursor.execute("UPDATE outbox SET attempts = attempts + 1, last_error = %s WHERE id = %s",
                           (error[:500], int(entry_id)))

    def checkpoint(self, wait_s: float = 2.0) -> bool:
        """Nothing to do: the server manages its write-ahead log. Always True."""
        return True

    # --- profile versions ----------------------------------------------------------------------

    def save_profile_version(self, user_id: str, payload: dict[str, Any], event_seq: int,
                             chroma: tuple[str, dict[str, Any]] | None = None) -> int:
        """Store the next version of a user's profile (see the SQLite log's method)."""
        _check_id("user_id", user_id)
        text = json.dumps(payload, allow_nan=False, separators=(",", ":"))
        with self._write() as cursor:
            cursor.execute(
                "INSERT INTO profile_versions (user_id, version, created_at, event_seq, payload) "
                "SELECT %s, COALESCE(MAX(version), 0) + 1, %s, %s, %s FROM profile_versions WHERE user_id = %s "
                "RETURNING version",
                (user_id, time.time(), int(event_seq), text, user_id),
            )
            (version,) = cursor.fetchone()
            if chroma is not None:
                _enqueue(cursor, user_id, "upsert", chroma[0], {**chroma[1], "version": int(version)})
        return int(version)

    # --- health --------------------------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        """``["ok"]`` when every table is there and the schema is this driftrec's; else the problems."""
        tables = {row[0] for row in self._read(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )}
        missing = sorted({"events", "profile_versions", "outbox", "forgotten", "driftrec_meta"} - tables)
        return [f"missing table {name}" for name in missing] or ["ok"]


def _event_columns(event: Event) -> tuple[Any, ...]:
    return (
        event.event_id, event.user_id, event.kind.value, event.movie_id, event.attribute,
        event.value, int(event.hard), event.timestamp, event.source.value,
    )


def _enqueue(cursor: Any, user_id: str, operation: str, collection: str, payload: dict[str, Any] | None) -> None:
    """Queue one Chroma write in the caller's transaction (a newer upsert replaces a pending one)."""
    cursor.execute("DELETE FROM outbox WHERE user_id = %s AND collection = %s AND operation = 'upsert'",
                   (user_id, collection))
    cursor.execute(
        "INSERT INTO outbox (user_id, operation, collection, payload, created_at) VALUES (%s, %s, %s, %s, %s)",
        (user_id, operation, collection, None if payload is None else json.dumps(payload, allow_nan=False), time.time()),
    )


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__

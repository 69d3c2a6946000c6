"""A separate process that writes to an event log, for the multi-process tests in test_events.py.

Usage:
    python _event_writer.py append DB USER PREFIX COUNT GO_FILE
        Open the log, print "ready", wait until GO_FILE exists (so that both writers start
        together), then append COUNT events for USER one by one, each in its own transaction,
        with ids PREFIX-0 ... PREFIX-(COUNT-1).
    python _event_writer.py ingest DB DATA_DIR BATCH_SIZE
        Import ml-latest-small from DATA_DIR, printing the id of the last event of each batch as
        soon as the batch is committed (acknowledged), so a test can kill the process mid-import.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tracking.events import Event, EventLog


def append(db: str, user: str, prefix: str, count: int, go_file: str) -> None:
    with EventLog(db) as log:
        print("ready", flush=True)
        deadline = time.monotonic() + 60
        while not Path(go_file).exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"{go_file} never appeared")
            time.sleep(0.005)
        for i in range(count):
            event = Event(
                event_id=f"{prefix}-{i}", user_id=user, kind="like", movie_id=i + 1,
                timestamp=1_700_000_000 + i, source="ui",
            )
            if not log.append(event):
                raise SystemExit(f"{event.event_id} was reported as already stored")


def ingest(db: str, data_dir: str, batch_size: int) -> None:
    from retrieval.movielens import load_dataset
    from tracking.ingest import ingest_interactions

    data = load_dataset("ml-latest-small", Path(data_dir), with_tags=False)
    with EventLog(db) as log:
        print("loaded", flush=True)
        ingest_interactions(
            log, data.interactions, "ml-latest-small", batch_size=batch_size, progress=False,
            on_batch=lambda last_id: print(last_id, flush=True),
        )


def main(argv: list[str]) -> None:
    mode, *args = argv
    if mode == "append":
        db, user, prefix, count, go_file = args
        append(db, user, prefix, int(count), go_file)
    elif mode == "ingest":
        db, data_dir, batch_size = args
        ingest(db, data_dir, int(batch_size))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])

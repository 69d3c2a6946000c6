"""Shared fixtures: the real MovieLens copies, tiny synthetic releases, and an isolated driftrec home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.movielens import MovieLensData, load_dataset
from retrieval.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``$DRIFTREC_DATA_DIR`` when set (CI sets it), else ``../shared/data`` beside the repository."""
    configured = os.environ.get("DRIFTREC_DATA_DIR")
    folder = Path(configured) if configured else REPO.parent / "shared" / "data"
    if not (folder / "ml-latest-small").is_dir():
        pytest.fail(f"MovieLens copies not found in {folder}; set DRIFTREC_DATA_DIR to the shared data folder")
    return folder


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return shared_data_dir()


@pytest.fixture(scope="session")
def small(data_dir: Path) -> MovieLensData:
    """ml-latest-small, loaded once."""
    return load_dataset("ml-latest-small", data_dir)


@pytest.fixture(scope="session")
def ml100k(data_dir: Path) -> MovieLensData:
    return load_dataset("ml-100k", data_dir)


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Settings:
    """ml-100k with a small model trained (2 epochs) and the ratings ingested, once per session.

    Shared by the tracking, agent and app tests; tests that write events use their own user ids.
    """
    from tracking.model import TrackerConfig
    from tracking.service import Tracker
    from tracking.train import train_tracker

    home = tmp_path_factory.mktemp("tracker-home")
    settings = load_settings(home=home, data_dir=data_dir, dataset="ml-100k")
    report = train_tracker(settings, TrackerConfig(dim=32, epochs=2), progress=False)
    assert report.validation_ndcg10 > 0.03  # far above random (10/1682 → NDCG ≈ 0.003)
    tracker = Tracker(settings)
    assert tracker.ingest(progress=False).new == 100_000
    tracker.close()
    return settings


@pytest.fixture
def tracker(trained_home: Settings):
    """A tracker over ``trained_home`` for one test (tests write events under their own user ids)."""
    from tracking.service import Tracker

    opened = Tracker(trained_home)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own DRIFTREC_HOME, so nothing leaks into ~/.driftrec or between tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DRIFTREC_HOME", str(home))
    return home


# --- tiny synthetic releases ---------------------------------------------------------------------

TINY_MOVIES = """movieId,title,genres
1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
2,"American President, The (1995)",Comedy|Drama|Romance
3,Alien (1979),Horror|Sci-Fi
4,Heat (1995),Action|Crime|Thriller
5,Amelie (Fabuleux destin d'Amélie Poulain) (2001),Comedy|Romance
6,Some Documentary,(no genres listed)
"""

TINY_RATINGS = """userId,movieId,rating,timestamp
1,1,4.0,964982703
1,3,5.0,964981247
1,4,3.0,964982224
2,2,4.5,1445714835
2,5,3.5,1445714836
3,1,1.0,1000000000
"""

TINY_TAGS = """userId,movieId,tag,timestamp
1,1,pixar,1139045764
2,1,Pixar,1139045765
2,1,fun,1139045766
1,3,space,1139045767
"""


def write_tiny_csv_release(folder: Path, movies: str = TINY_MOVIES, ratings: str = TINY_RATINGS) -> Path:
    """Write a six-movie release in the ml-latest-small layout to ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "movies.csv").write_text(movies, encoding="utf-8")
    (folder / "ratings.csv").write_text(ratings, encoding="utf-8")
    (folder / "tags.csv").write_text(TINY_TAGS, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_data_dir(tmp_path: Path) -> Path:
    """A data directory holding a tiny ``ml-latest-small``."""
    write_tiny_csv_release(tmp_path / "data" / "ml-latest-small")
    return tmp_path / "data"


@pytest.fixture
def tiny_settings(tiny_data_dir: Path, isolated_home: Path) -> Settings:
    return load_settings(home=isolated_home, data_dir=tiny_data_dir, dataset="ml-latest-small")


# --- real servers: PostgreSQL and Chroma (issue 15) ------------------------------------------------


def _server_missing(what: str) -> None:
    """Skip, or fail where CI requires the servers (DRIFTREC_REQUIRE_SERVERS=1: a skip would hide them)."""
    if os.environ.get("DRIFTREC_REQUIRE_SERVERS") == "1":
        pytest.fail(f"{what} is required here (DRIFTREC_REQUIRE_SERVERS=1) but not installed")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def server_folder() -> Path:
    """A folder the servers can use; readable by others because PostgreSQL may run as another user."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="driftrec-servers-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(server_folder: Path):
    """A real PostgreSQL server for the session (``initdb`` in a temporary folder)."""
    from tracking.servers import PostgresServer, postgres_bin

    if postgres_bin("initdb") is None or postgres_bin("pg_ctl") is None:
        _server_missing("PostgreSQL (Debian package postgresql)")
    server = PostgresServer(server_folder / "postgres").start()
    yield server
    server.stop()


@pytest.fixture
def events_url(postgres, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's PostgreSQL server, for one test."""
    import re
    import uuid

    name = "t_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    return postgres.create_database(name)


@pytest.fixture(scope="session")
def chroma_server(server_folder: Path):
    """A real ``chroma run`` server for the session."""
    from tracking.servers import ChromaServer

    server = ChromaServer(server_folder / "chroma").start()
    yield server
    server.stop()

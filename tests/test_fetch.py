"""Download from a (local) GroupLens mirror with checksum, and atomic import of zips and folders."""

from __future__ import annotations

import hashlib
import http.server
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from retrieval.errors import DataFormatError, DriftrecError
from retrieval.fetch import fetch_dataset, import_dataset
from retrieval.movielens import load_dataset
from tests.conftest import write_tiny_csv_release


def _zip_release(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as bundle:
        for file in sorted(folder.iterdir()):
            bundle.write(file, f"{folder.name}/{file.name}")
    return archive


@pytest.fixture
def mirror(tmp_path: Path):
    """A local HTTP server serving ``ml-latest-small.zip`` and the ``.md5`` beside it, as GroupLens does."""
    site = tmp_path / "site"
    site.mkdir()
    release = write_tiny_csv_release(tmp_path / "src" / "ml-latest-small")
    archive = _zip_release(release, site / "ml-latest-small.zip")
    digest = hashlib.md5(archive.read_bytes()).hexdigest()
    (site / "ml-latest-small.zip.md5").write_text(f"MD5 (ml-latest-small.zip) = {digest}\n")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_verifies_checksum_and_installs(mirror, tmp_path: Path):
    _, url = mirror
    data_dir = tmp_path / "data"
    target = fetch_dataset("ml-latest-small", data_dir, url, progress=False)
    assert target == data_dir / "ml-latest-small"
    assert len(load_dataset("ml-latest-small", data_dir).catalog) == 6
    assert sorted(p.name for p in data_dir.iterdir()) == ["ml-latest-small"]  # no scratch left
    with pytest.raises(DriftrecError, match="already exists; pass --force"):
        fetch_dataset("ml-latest-small", data_dir, url, progress=False)


def test_fetch_with_wrong_checksum_installs_nothing(mirror, tmp_path: Path):
    site, url = mirror
    (site / "ml-latest-small.zip.md5").write_text("MD5 (ml-latest-small.zip) = " + "0" * 32 + "\n")
    data_dir = tmp_path / "data"
    with pytest.raises(DriftrecError, match="checksum mismatch"):
        fetch_dataset("ml-latest-small", data_dir, url, progress=False)
    assert list(data_dir.iterdir()) == []


def test_fetch_without_network_fails_fast_and_points_to_import(tmp_path: Path):
    started = time.monotonic()
    with pytest.raises(DriftrecError, match=r"driftrec data import PATH --dataset ml-100k"):
        fetch_dataset("ml-100k", tmp_path / "data", "http://127.0.0.1:9", progress=False)
    assert time.monotonic() - started < 10


def test_import_from_zip_and_folder(tmp_path: Path, data_dir: Path):
    archive = _zip_release(write_tiny_csv_release(tmp_path / "src" / "ml-latest-small"), tmp_path / "x.zip")
    target = import_dataset(archive, "ml-latest-small", tmp_path / "data")
    assert (target / "movies.csv").is_file()
    target = import_dataset(data_dir / "ml-100k", "ml-100k", tmp_path / "data")
    assert load_dataset("ml-100k", tmp_path / "data").summary()["ratings"] == 100_000


def test_broken_import_leaves_previous_copy_untouched(tmp_path: Path):
    good = write_tiny_csv_release(tmp_path / "good" / "ml-latest-small")
    import_dataset(good, "ml-latest-small", tmp_path / "data")
    broken = write_tiny_csv_release(tmp_path / "broken" / "ml-latest-small")
    (broken / "ratings.csv").write_text("userId,movieId,rating,timestamp\n1,1,4.0\n")
    with pytest.raises(DataFormatError, match=r"ratings\.csv line 2: expected 4 fields, got 3"):
        import_dataset(broken, "ml-latest-small", tmp_path / "data", force=True)
    assert len(load_dataset("ml-latest-small", tmp_path / "data").interactions) == 6
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["ml-latest-small"]


def test_import_of_wrong_release_names_missing_files(tmp_path: Path):
    folder = write_tiny_csv_release(tmp_path / "src" / "ml-latest-small")
    with pytest.raises(DataFormatError, match=r"u\.data, u\.item, u\.genre"):
        import_dataset(folder, "ml-100k", tmp_path / "data")
    assert not (tmp_path / "data" / "ml-100k").exists()


def test_zip_with_escaping_path_is_refused(tmp_path: Path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("../../escape.txt", "x")
    with pytest.raises(DriftrecError, match="points outside the archive"):
        import_dataset(archive, "ml-latest-small", tmp_path / "data")
    assert not (tmp_path / "escape.txt").exists()

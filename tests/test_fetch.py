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


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ("a,b,c,d\n1,1,4.0,964982703\n", r"ratings\.csv line 1: expected the header userId,movieId,rating,timestamp, got 'a,b,c,d'"),
        ("1,1,4.0,964982703\n1,3,5.0,964981247\n", r"ratings\.csv line 1: .*a data row: the header is missing"),
        ("userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,7.5,964981247\n", r"ratings\.csv line 3: rating outside 0\.5–5\.0 \(7\.5\)"),
        ("userId,movieId,rating,timestamp\n1,1,-3,964982703\n", r"ratings\.csv line 2: rating outside"),
        ("userId,movieId,rating,timestamp\n-1,1,4.0,964982703\n", r"ratings\.csv line 2: negative user id"),
        ("userId,movieId,rating,timestamp\n1,1,4.0,-5\n", r"ratings\.csv line 2: negative timestamp"),
    ],
)
def test_import_refuses_bad_headers_and_values_and_names_the_line(tmp_path: Path, ratings: str, message: str):
    folder = write_tiny_csv_release(tmp_path / "src" / "ml-latest-small")
    (folder / "ratings.csv").write_text(ratings)
    with pytest.raises(DataFormatError, match=message):
        import_dataset(folder, "ml-latest-small", tmp_path / "data")
    assert not (tmp_path / "data" / "ml-latest-small").exists()


def test_import_refuses_links_that_leave_the_folder_loop_or_name_devices(tmp_path: Path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not movielens")
    cases = {
        "leaves": lambda f: (f / "extra.csv").symlink_to(outside),
        "loops": lambda f: (f / "loop").symlink_to(f / "loop"),
        "device": lambda f: (f / "zero").symlink_to("/dev/zero"),
    }
    for name, make in cases.items():
        folder = write_tiny_csv_release(tmp_path / name / "ml-latest-small")
        make(folder)
        with pytest.raises(DriftrecError, match="link|regular file"):
            import_dataset(folder, "ml-latest-small", tmp_path / "data")
    inside = write_tiny_csv_release(tmp_path / "inside" / "ml-latest-small")
    (inside / "ratings-link.csv").symlink_to(inside / "ratings.csv")  # a link within the folder is fine
    assert import_dataset(inside, "ml-latest-small", tmp_path / "data").is_dir()


def test_import_refuses_a_release_over_the_size_limit_before_unpacking(tmp_path: Path):
    archive = _zip_release(write_tiny_csv_release(tmp_path / "src" / "ml-latest-small"), tmp_path / "x.zip")
    with pytest.raises(DriftrecError, match="more than the .* limit .*--max-size-gb"):
        import_dataset(archive, "ml-latest-small", tmp_path / "data", max_bytes=100)
    assert not (tmp_path / "data" / "ml-latest-small").exists()

"""The ``driftrec`` command line: output, --json, and exit code 2 with one clear line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_tiny_csv_release
from ui.cli import main


def run_cli(args: list[str], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["driftrec", *args])
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def test_data_info_json(capsys, monkeypatch, data_dir: Path):
    code, out, _ = run_cli(["data", "info", "--data-dir", str(data_dir), "--dataset", "ml-100k", "--json"], capsys, monkeypatch)
    assert code == 0
    info = json.loads(out)
    assert (info["users"], info["movies"], info["ratings"]) == (943, 1682, 100000)
    assert (info["first_rating"], info["last_rating"]) == ("1997-09-20", "1998-04-22")


def test_data_dir_from_environment(capsys, monkeypatch, tiny_data_dir: Path):
    monkeypatch.setenv("DRIFTREC_DATA_DIR", str(tiny_data_dir))
    code, out, _ = run_cli(["data", "info", "--json"], capsys, monkeypatch)
    assert code == 0 and json.loads(out)["movies"] == 6


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["data", "info", "--dataset", "ml-5m"], "unknown dataset 'ml-5m'; known datasets: ml-latest-small"),
        ("missing", ["data", "info"], "missing ratings.csv"),
        ("short", ["data", "info"], "ratings.csv line 3: expected 4 fields, got 3"),
        ("dup", ["data", "info"], "movies.csv line 3: duplicate movie id 1"),
        ("idtext", ["data", "info"], "ratings.csv line 2: movieId must be a whole number, got 'abc'"),
        (None, ["search", "toys"], "no movie index for ml-latest-small"),
        (None, ["data", "fetch", "ml-100k"], "driftrec data import PATH --dataset ml-100k"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, monkeypatch, tmp_path: Path, setup, args, message):
    folder = write_tiny_csv_release(tmp_path / "data" / "ml-latest-small")
    if setup == "missing":
        (folder / "ratings.csv").unlink()
    elif setup == "short":
        (folder / "ratings.csv").write_text("userId,movieId,rating,timestamp\n1,1,4,5\n1,2,3\n")
    elif setup == "dup":
        (folder / "movies.csv").write_text("movieId,title,genres\n1,A (1999),Drama\n1,B (2000),Drama\n")
    elif setup == "idtext":
        (folder / "ratings.csv").write_text("userId,movieId,rating,timestamp\n1,abc,4,5\n")
    monkeypatch.setenv("DRIFTREC_GROUPLENS_URL", "http://127.0.0.1:9")
    code, out, err = run_cli([*args, "--data-dir", str(tmp_path / "data")], capsys, monkeypatch)
    assert code == 2
    assert message in " ".join(err.split())
    assert "Traceback" not in err and out == ""


def test_index_then_search_json_and_interactive(tiny_data_dir: Path, isolated_home: Path, tmp_path: Path):
    """The real console script, in a subprocess, as a user runs it."""
    driftrec = Path(sys.executable).with_name("driftrec")
    env_args = ["--data-dir", str(tiny_data_dir), "--home", str(isolated_home)]
    first = subprocess.run([driftrec, "index", *env_args, "--json"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["embedded"] == 6
    again = subprocess.run([driftrec, "index", *env_args], capture_output=True, text=True, timeout=300)
    assert "embedded 0 movies" in again.stdout
    found = subprocess.run(
        [driftrec, "search", "space monster", "-k", "2", "--exclude-genre", "Comedy", *env_args, "--json"],
        capture_output=True, text=True, timeout=300,
    )
    rows = json.loads(found.stdout)
    assert rows[0]["title"] == "Alien" and rows[0]["year"] == 1979 and len(rows) == 2
    assert all("Comedy" not in row["genres"] for row in rows)
    session = subprocess.run(
        [driftrec, "search", *env_args, "--json"], input="toys for kids\n\nquit\n", capture_output=True, text=True, timeout=300,
    )
    assert session.returncode == 0, session.stderr
    assert json.loads(session.stdout)[0]["title"] == "Toy Story"


def test_eval_command_quick_writes_the_report(capsys, monkeypatch, data_dir: Path, tmp_path: Path):
    out_dir = tmp_path / "results"
    code, out, err = run_cli(
        ["eval", "--dataset", "ml-100k", "--data-dir", str(data_dir), "--models", "mostpop,itemknn",
         "--quick", "--seeds", "1", "--out", str(out_dir), "--json"],
        capsys, monkeypatch,
    )
    assert code == 0, err
    results = json.loads(out)
    assert set(results["models"]) == {"mostpop", "itemknn"} and results["quick"] is True
    assert results["models"]["itemknn"]["mean"]["ndcg@10"] > results["models"]["mostpop"]["mean"]["ndcg@10"]
    assert {p.name for p in out_dir.iterdir()} >= {"results.json", "results.md", "ndcg10.png", "adaptation.png"}
    code, _, err = run_cli(["eval", "--dataset", "ml-100k", "--data-dir", str(data_dir), "--models", "nope"], capsys, monkeypatch)
    assert code == 2 and "unknown model 'nope'" in err

"""Load benchmark of the Gradio app: many sessions at once through ``gradio_client`` (part of ``make bench``).

Usage::

    python -m evaluation.app_load [--dataset ml-latest-small] [--sessions 20] [--turns 3] [--llm-turns 1]
                                  [--llm none --llm llamacpp:smollm2-135m] [--out docs/results/app-load.md]

For each chat model, ``driftrec ui`` is started in a child process on a free port, exactly as a
user starts it (same queue and concurrency limits), and ``--sessions`` clients start at the same
moment (after one client alone, the unloaded reference). Each starts a session (half as MovieLens
users, half as new named users: cold start), sends chat messages (``--turns`` without a model,
``--llm-turns`` with one: a CPU model answers one session at a time) and presses 👎 on the first
card after its first turn. The clients reach the app only over HTTP (``gradio_client``) and time
every call from their side, so a figure includes the time spent waiting in Gradio's queue.

An error is any failed call, and also any wrong answer: a session that sees another user's label,
a list that still holds the movie just disliked, or an empty list. None is allowed: the run
exits with code 1 if there is one.

No model is trained: the home is a temporary one with random scoring tables of the trained shape
(as in :mod:`evaluation.speed`) and the data set's real ratings ingested, so the catalog size, the
histories and every code path are the product's; recommendation quality is not measured here.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.errors import DriftrecError
from retrieval.fileio import atomic_write
from retrieval.movielens import load_dataset
from retrieval.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
MESSAGES = ("recommend me some movies", "more comedy please", "less horror", "something from the 90s", "why the first one?")
START_NAMED = "New profile"
START_MOVIELENS = "MovieLens user"
CONNECT_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class LoadConfig:
    """One benchmark run.

    Attributes:
        sessions: Clients that start at the same moment.
        turns: Chat messages per session (cycling through :data:`MESSAGES`).
        seed: Picks the MovieLens users.
        timeout_s: Longest a session may take before it counts as an error.
    """

    sessions: int = 20
    turns: int = 3
    seed: int = 0
    timeout_s: float = 3600.0


@dataclass
class SessionResult:
    """What one client measured (seconds) and what went wrong."""

    start_s: float = 0.0
    turn_s: list[float] = field(default_factory=list)
    first_text_s: list[float] = field(default_factory=list)  # to the first words of the reply on screen
    first_list_s: list[float] = field(default_factory=list)  # to the refreshed list on screen (turns that refresh it)
    button_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acknowledged: list[tuple[str, int]] = field(default_factory=list)  # (user, movie) of each 👎 whose reply came back


def prepare_home(dataset: str, data_dir: Path, home: Path, dim: int = 64, seed: int = 0,
                 events_url: str | None = None, chroma_url: str | None = None) -> Settings:
    """A temporary driftrec home: random scoring tables of the trained shape, the real ratings ingested
    (into the PostgreSQL log at ``events_url`` and the Chroma server at ``chroma_url`` when given)."""
    from evaluation.speed import synthetic_tables
    from tracking.model import TrackerConfig
    from tracking.service import Tracker
    from tracking.train import tables_path

    settings = load_settings(home=home, data_dir=data_dir, dataset=dataset, llm="none",
                             events_url=events_url, chroma_url=chroma_url)
    catalog = load_dataset(dataset, data_dir).catalog
    tables = synthetic_tables(catalog.movies["movie_id"].to_numpy(), dim, TrackerConfig().window, np.random.default_rng(seed))
    path = tables_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tables.save(path)
    tracker = Tracker(settings)
    try:
        tracker.ingest(progress=False)
    finally:
        tracker.close()
    return settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_load(settings: Settings, llm: str, config: LoadConfig) -> dict[str, Any]:
    """Start ``driftrec ui`` with chat model ``llm`` and drive ``config.sessions`` concurrent sessions through it.

    The app runs in its own process, exactly as a user starts it, and is reached only over HTTP
    (``gradio_client``): the benchmark measures what a browser would see, queue included.

    Returns:
        Figures (p50/p99 of turn, button and start times in seconds, errors) and the settings used.
    """
    # every client runs on this machine (one address): the per-address limit on new profiles is lifted
    with AppProcess(settings, llm, new_profiles_per_hour=100_000) as app:
        users = random.Random(config.seed).sample(movielens_users(settings), (config.sessions + 1) // 2)
        run_id = f"{time.time_ns():x}"
        plans = [
            (START_MOVIELENS, "", users[i // 2]) if i % 2 == 0 else (START_NAMED, f"load {run_id} {i}", "")
            for i in range(config.sessions)
        ]
        _drive_one(app.url, (START_NAMED, f"warm-up {run_id}", ""), 1)  # first-use costs (vocabulary) out of the figures
        results, wall = _drive_all(app.url, plans, config)
        return _figures(llm, app.model, app.chat_limit, config, results, wall)


def movielens_users(settings: Settings) -> list[str]:
    """User ids of the data set's ratings, as the app's start form takes them."""
    interactions = load_dataset(settings.dataset, settings.data_dir, with_tags=False).interactions
    return [str(user) for user in np.unique(interactions["user_id"].to_numpy())]


class AppProcess:
    """``driftrec ui`` in a child process on a free port; ``url``, ``model`` and ``chat_limit`` read from its console.

    The child gets one BLAS/torch/llama.cpp thread (``OMP_NUM_THREADS=1``), as every benchmark here.
    """

    READY = re.compile(r"driftrec app running at (?P<url>\S+)")
    MODEL = re.compile(r"Chat model: (?P<model>.+?); (?P<limit>\d+) chat turns? at a time")

    def __init__(self, settings: Settings, llm: str, start_timeout_s: float = 600.0,
                 new_profiles_per_hour: int | None = None) -> None:
        self.settings = settings
        self.new_profiles_per_hour = new_profiles_per_hour
        self.llm = llm
        self.start_timeout_s = start_timeout_s
        self.url = ""
        self.model = ""
        self.chat_limit = 0
        self._process: subprocess.Popen[str] | None = None
        self._console: list[str] = []

    def __enter__(self) -> "AppProcess":
        command = [
            str(Path(sys.executable).with_name("driftrec")), "ui", "--port", str(free_port()), "--llm", self.llm,
            "--home", str(self.settings.home), "--data-dir", str(self.settings.data_dir), "--dataset", self.settings.dataset,
            "--no-refine",  # the home's model is the one measured; no background training beside the load
            *(["--events-url", self.settings.events_url] if self.settings.events_url else []),
            *(["--chroma-url", self.settings.chroma_url] if self.settings.chroma_url else []),
            *(["--llm-url", self.settings.llm_url] if self.settings.llm_url else []),
            *(["--new-profiles-per-hour", str(self.new_profiles_per_hour)] if self.new_profiles_per_hour else []),
        ]
        environment = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                       "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(lines,), daemon=True).start()
        deadline = time.monotonic() + self.start_timeout_s
        while not self.url:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.__exit__(None, None, None)
                raise DriftrecError(f"`driftrec ui` did not start within {self.start_timeout_s:.0f} s") from None
            if line is None:
                raise DriftrecError("`driftrec ui` exited before serving:\n" + "".join(self._console[-20:]))
            if found := self.MODEL.search(line):
                self.model, self.chat_limit = found["model"], int(found["limit"])
            if found := self.READY.search(line):
                self.url = found["url"]
        return self

    def _pump(self, lines: "queue.Queue[str | None]") -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._console.append(line)
            lines.put(line)
        lines.put(None)

    @property
    def pid(self) -> int:
        assert self._process is not None, "not started"
        return self._process.pid

    def kill(self) -> None:
        """SIGKILL: the process dies at once, mid-request if it is in one (no cleanup runs)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)  # Ctrl-C: the app closes its tracker cleanly
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def _drive_all(url: str, plans: list[tuple[str, str, str]], config: LoadConfig) -> tuple[list[SessionResult], float]:
    """All sessions at once, one thread each; returns their results and the wall time of the whole run."""
    began = time.perf_counter()
    results = [SessionResult() for _ in plans]
    barrier = threading.Barrier(len(plans))

    def run(index: int) -> None:
        results[index] = _drive_one(url, plans[index], config.turns, barrier)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(plans))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + config.timeout_s
    for index, thread in enumerate(threads):
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            results[index].errors.append(f"session {index} still running after {config.timeout_s:.0f} s")
    return results, time.perf_counter() - began


def _drive_one(url: str, plan: tuple[str, str, str], turns: int, barrier: threading.Barrier | None = None) -> SessionResult:
    """One user: start, ``turns`` chat messages, 👎 on the first card after the first turn."""
    from gradio_client import Client

    result = SessionResult()
    try:
        # a browser waits for a busy server's page; httpx's default 5 s would count a slow page load as an error
        # The clients share the app's cores, so they are kept light: no certificate store loaded for
        # every request to a plain-http local address (httpx builds an SSL context per call, a third
        # of the clients' time), and calls that wait on their result instead of polling a stream.
        client = Client(url, verbose=False, httpx_kwargs={"timeout": CONNECT_TIMEOUT_S}, ssl_verify=False,
                        analytics_enabled=False, download_files=False)
    except Exception as error:  # noqa: BLE001 - every failure is counted and reported
        result.errors.append(f"connect: {type(error).__name__}: {error}")
        return result
    finally:
        if barrier is not None:
            barrier.wait()
    mode, name, movielens_user = plan
    expected_user = name if mode == START_NAMED else f"MovieLens user {movielens_user}"
    try:
        began = time.perf_counter()
        view = client.predict(mode, name, movielens_user, api_name="/start")[0]
        result.start_s = time.perf_counter() - began
        _check(view, expected_user, result, "start")
        for turn in range(turns):
            view = _timed_turn(client, MESSAGES[turn % len(MESSAGES)], result)
            _check(view, expected_user, result, f"turn {turn + 1}")
            if turn == 0 and view["cards"]:
                disliked = view["cards"][0]["movie_id"]
                began = time.perf_counter()
                view = client.predict(disliked, "dislike", api_name="/react")[0]
                result.button_s.append(time.perf_counter() - began)
                if view.get("return_code"):  # the session's own profile, where the 👎 was recorded
                    result.acknowledged.append((view["return_code"], disliked))
                _check(view, expected_user, result, "button")
                if disliked in [card["movie_id"] for card in view["cards"]]:
                    result.errors.append(f"button: disliked movie {disliked} still listed")
    except Exception as error:  # noqa: BLE001 - every failure is counted and reported
        result.errors.append(f"{type(error).__name__}: {error}")
    return result


def _timed_turn(client: Any, message: str, result: SessionResult) -> dict[str, Any]:
    """One chat turn: when the reply's first words, the refreshed list and the end arrive (the chat
    event sends the code's turn whole; the words event streams the model's words)."""
    began = time.perf_counter()
    first_text = first_list = None
    view: dict[str, Any] = {}

    def observe(outputs: Any) -> None:
        nonlocal first_text, first_list, view
        now = time.perf_counter() - began
        history = outputs[2] if isinstance(outputs[2], list) else []
        last = history[-1] if history else {}
        if first_text is None and isinstance(last, dict) and last.get("role") == "assistant" and last.get("content"):
            first_text = now
        if isinstance(outputs[0], dict) and "cards" in outputs[0]:
            first_list = now if first_list is None else first_list
            view = outputs[0]

    observe(client.predict(message, api_name="/chat"))
    observe(client.predict(api_name="/words"))  # the model's words, queued apart (as the page chains them)
    total = time.perf_counter() - began
    result.turn_s.append(total)
    result.first_text_s.append(first_text if first_text is not None else total)
    if first_list is not None and first_list < total - 1e-3:  # the list came before the end of the turn
        result.first_list_s.append(first_list)
    return view


def _check(view: dict[str, Any], expected_user: str, result: SessionResult, step: str) -> None:
    # a MovieLens start becomes the session's own copy at its first feedback: "you (from MovieLens user N)"
    if view.get("user") not in (expected_user, f"you (from {expected_user})"):
        result.errors.append(f"{step}: session of {expected_user!r} answered as {view.get('user')!r}")
    if not view.get("cards"):
        result.errors.append(f"{step}: empty list")


def _percentiles(samples: Sequence[float]) -> dict[str, float | None]:
    if not samples:
        return {"p50": None, "p99": None, "max": None}
    values = np.asarray(samples, dtype=np.float64)
    return {"p50": float(np.percentile(values, 50)), "p99": float(np.percentile(values, 99)), "max": float(values.max())}


def _figures(llm: str, model: str, chat_limit: int, config: LoadConfig, results: list[SessionResult], wall: float) -> dict[str, Any]:
    errors = [error for result in results for error in result.errors]
    return {
        "llm": llm,
        "model": model,
        "sessions": config.sessions,
        "turns_per_session": config.turns,
        "chat_concurrency": chat_limit,
        "turns": sum(len(r.turn_s) for r in results),
        "buttons": sum(len(r.button_s) for r in results),
        "turn_s": _percentiles([t for r in results for t in r.turn_s]),
        "first_text_s": _percentiles([t for r in results for t in r.first_text_s]),
        "first_list_s": _percentiles([t for r in results for t in r.first_list_s]),
        "button_s": _percentiles([t for r in results for t in r.button_s]),
        "start_s": _percentiles([r.start_s for r in results if r.start_s]),
        "wall_s": wall,
        "errors": len(errors),
        "error_samples": errors[:5],
    }


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown(rows: list[dict[str, Any]], dataset: str, machine: dict[str, Any]) -> str:
    """The results table with how it was measured."""
    lines = [
        "# App load: concurrent sessions through gradio_client",
        "",
        f"`python -m evaluation.app_load` on {dataset}: each session starts (half as MovieLens users, half as new",
        "named users), sends chat messages and presses 👎 on its first card after the first turn; all sessions",
        "start at the same moment. First text: the reply's first words on screen; list: the refreshed list on",
        "screen (both come with `/chat`, which sends the code's turn whole); turn: the whole reply, the model's",
        "words of `/words` included.",
        "Times are seconds measured by the client, so they include waiting in",
        "Gradio's queue (chat turns run `chat concurrency` at a time). Errors count failed calls and wrong",
        "answers (another user's label, the disliked movie still listed, an empty list).",
        "",
        "| chat model | sessions × turns | chat concurrency | first text p50 | first text p99 | list p50 | list p99 "
        "| turn p50 | turn p99 | button p50 | button p99 | start p50 | wall | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['model']} | {row['sessions']} × {row['turns_per_session']} | {row['chat_concurrency']} | "
            f"{_seconds(row['first_text_s']['p50'])} | {_seconds(row['first_text_s']['p99'])} | "
            f"{_seconds(row['first_list_s']['p50'])} | {_seconds(row['first_list_s']['p99'])} | "
            f"{_seconds(row['turn_s']['p50'])} | {_seconds(row['turn_s']['p99'])} | {_seconds(row['button_s']['p50'])} | "
            f"{_seconds(row['button_s']['p99'])} | {_seconds(row['start_s']['p50'])} | {row['wall_s']:.1f} | {row['errors']} |"
        )
    lines += [
        "",
        f"Machine: {machine['cpus']} CPUs, load average {machine['load_start']} at start and {machine['load_end']} at the end "
        f"(other jobs on a shared machine inflate the times); the app runs with one BLAS/torch/llama.cpp thread.",
        "Scoring tables are random with the trained shape (as in the speed benchmark): times, not quality.",
    ]
    for row in rows:
        if row["error_samples"]:
            lines.append(f"Errors with {row['model']}: " + "; ".join(row["error_samples"]))
    return "\n".join(lines) + "\n"


def _load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load benchmark of the Gradio app (concurrent gradio_client sessions).")
    parser.add_argument("--dataset", default="ml-latest-small")
    parser.add_argument("--data-dir", type=Path, default=None, help="MovieLens folders [env DRIFTREC_DATA_DIR; ../shared/data].")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3, help="Chat turns per session without a model.")
    parser.add_argument("--llm-turns", type=int, default=1, help="Chat turns per session with a model.")
    parser.add_argument("--llm", action="append", help="Chat model (repeatable) [none and llamacpp:smollm2-135m].")
    parser.add_argument("--workers", type=int, default=0,
                        help="Run across workers: 1 and N `driftrec ui` behind the proxy on PostgreSQL + chroma run "
                             "(see evaluation.workers_load); default: one process on its SQLite file.")
    parser.add_argument("--out", type=Path, default=None,
                        help="Report [docs/results/app-load.md; with --workers docs/results/app-load-workers.md].")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    data_dir = arguments.data_dir or Path(os.environ.get("DRIFTREC_DATA_DIR") or REPO.parent / "shared" / "data")
    if arguments.workers:
        return _main_workers(arguments, data_dir)
    arguments.out = arguments.out or REPO / "docs" / "results" / "app-load.md"
    load_start = _load_average()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="driftrec-app-load-") as home:
            print(f"Preparing a temporary home with {arguments.dataset} ...", flush=True)
            settings = prepare_home(arguments.dataset, data_dir, Path(home))
            for llm, sessions in _runs(arguments.llm or ["none", "llamacpp:smollm2-135m"], arguments.sessions):
                config = LoadConfig(sessions=sessions, turns=arguments.turns if llm == "none" else arguments.llm_turns)
                print(f"{config.sessions} session(s) × {config.turns} turn(s) with --llm {llm} ...", flush=True)
                row = run_load(settings, llm, config)
                rows.append(row)
                print(
                    f"  turn p50 {_seconds(row['turn_s']['p50'])} s, p99 {_seconds(row['turn_s']['p99'])} s; "
                    f"button p50 {_seconds(row['button_s']['p50'])} s, p99 {_seconds(row['button_s']['p99'])} s; "
                    f"errors {row['errors']}", flush=True,
                )
                for sample in row["error_samples"]:
                    print(f"  error: {sample}", flush=True)
    except DriftrecError as error:
        print(f"error: {error}")
        return 2
    machine = {"cpus": os.cpu_count(), "load_start": load_start, "load_end": _load_average()}
    text = markdown(rows, arguments.dataset, machine)
    atomic_write(arguments.out, lambda handle: handle.write(text.encode("utf-8")))
    print(text)
    print(f"Written to {arguments.out}")
    return 1 if any(row["errors"] for row in rows) else 0


def _main_workers(arguments: argparse.Namespace, data_dir: Path) -> int:
    from evaluation import workers_load

    load_start = _load_average()
    try:
        rows = workers_load.run_all(arguments.dataset, data_dir, arguments.llm or ["none", "llamacpp:smollm2-135m"],
                                    arguments.workers, arguments.sessions, arguments.turns, arguments.llm_turns)
    except DriftrecError as error:
        print(f"error: {error}")
        return 2
    machine = {"cpus": os.cpu_count(), "load_start": load_start, "load_end": _load_average()}
    text = workers_load.markdown(rows, arguments.dataset, machine)
    out = arguments.out or REPO / "docs" / "results" / "app-load-workers.md"
    atomic_write(out, lambda handle: handle.write(text.encode("utf-8")))
    print(text)
    print(f"Written to {out}")
    return 1 if any(row["errors"] or row["lost_events"] for row in rows) else 0


def _runs(llms: list[str], sessions: int) -> list[tuple[str, int]]:
    """Per model: one session alone (the reference without load), then ``sessions`` at once."""
    return [(llm, count) for llm in llms for count in ([1, sessions] if sessions > 1 else [1])]


if __name__ == "__main__":
    raise SystemExit(main())

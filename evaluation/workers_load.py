"""The app load benchmark across workers: ``python -m evaluation.app_load --workers N``.

Starts a real PostgreSQL (the shared event log) and ``chroma run`` in a temporary folder, ingests
the data set into them, and then, for 1 worker and for N workers in the same run, starts that
many ``driftrec ui`` processes behind the sticky proxy (:mod:`ui.proxy`, its own process) and
drives the same concurrent sessions through the proxy's one address (:func:`evaluation.app_load._drive_all`).
With a chat model, one llama.cpp server (``agent.llm_server``) serves every worker
(``--llm openai:NAME --llm-url``), as ``driftrec cluster`` runs it.

Lost events: every 👎 a session saw acknowledged (the reply came back) must be in the PostgreSQL
log as that session's ``dislike`` of that movie, checked after the run; the run fails on any.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Iterator

from evaluation.app_load import (
    START_MOVIELENS,
    START_NAMED,
    AppProcess,
    LoadConfig,
    SessionResult,
    _drive_all,
    _drive_one,
    _figures,
    _seconds,
    movielens_users,
    prepare_home,
)
from retrieval.errors import DriftrecError
from retrieval.settings import Settings
from tracking.events import EventKind, open_event_log
from tracking.servers import ChromaServer, PostgresServer, free_port


@contextmanager
def shared_servers(dataset: str, data_dir: Path) -> Iterator[Settings]:
    """PostgreSQL + Chroma in a temporary folder, and a home with the data set ingested into them."""
    folder = Path(tempfile.mkdtemp(prefix="driftrec-workers-load-"))
    folder.chmod(0o755)  # PostgreSQL may run as another user (it refuses root)
    try:
        with PostgresServer(folder / "postgres") as postgres, ChromaServer(folder / "chroma") as chroma:
            yield prepare_home(dataset, data_dir, folder / "home", events_url=postgres.url(), chroma_url=chroma.url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def proxy(urls: list[str]) -> Iterator[str]:
    """``python -m ui.proxy`` in its own process in front of ``urls``; yields its address."""
    port = free_port()
    # the proxy's log goes to a file, not a pipe nobody reads while it runs (a full pipe would stall it);
    # its warnings (a worker that failed a request) are printed afterwards, beside the figures
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, "-m", "ui.proxy", "--port", str(port), *urls],
                               stdout=subprocess.DEVNULL, stderr=log, text=True)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{address}/driftrec-proxy/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise DriftrecError(f"the proxy did not start: {log.read()}") from None
                time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # open event streams can hold a graceful stop back
            process.kill()
            process.wait()
        log.seek(0)
        warnings = [line.rstrip() for line in log if "WARNING" in line or "ERROR" in line]
        for line in warnings[-10:]:
            print(f"  proxy: {line}", flush=True)
        log.close()


def run_workers(settings: Settings, llm: str, workers: int, config: LoadConfig) -> dict[str, Any]:
    """``workers`` app processes behind the proxy, ``config.sessions`` sessions at once through it."""
    with ExitStack() as stack:
        # every client runs on this machine (one address): the per-address limit on new profiles is lifted
        apps = [stack.enter_context(AppProcess(settings, llm, new_profiles_per_hour=100_000)) for _ in range(workers)]
        address = stack.enter_context(proxy([app.url.rstrip("/") for app in apps]))
        run_id = f"{time.time_ns():x}"
        for index, app in enumerate(apps):  # first-use costs out of the figures, on every worker
            _drive_one(app.url, (START_NAMED, f"warm-up {run_id} {index}", ""), 1)
        users = movielens_users(settings)[: (config.sessions + 1) // 2]
        plans = [
            (START_MOVIELENS, "", users[i // 2]) if i % 2 == 0 else (START_NAMED, f"load {run_id} {i}", "")
            for i in range(config.sessions)
        ]
        workers_cpu, clients_cpu = sum(_cpu_seconds(app.pid) for app in apps), time.process_time()
        results, wall = _drive_all(address, plans, config)
        workers_cpu = sum(_cpu_seconds(app.pid) for app in apps) - workers_cpu
        clients_cpu = time.process_time() - clients_cpu
        row = _figures(llm, apps[0].model, apps[0].chat_limit, config, results, wall)
    row["cpu_s"] = {"workers": workers_cpu, "clients": clients_cpu}
    row["workers"] = workers
    row["calls_per_s"] = (row["turns"] + row["buttons"]) / wall if wall > 0 else 0.0
    row["acknowledged"] = sum(len(result.acknowledged) for result in results)
    row["lost_events"] = lost_events(settings, results)
    return row


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    import os

    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def lost_events(settings: Settings, results: list[SessionResult]) -> list[str]:
    """Every acknowledged 👎 that the shared log does not hold, as ``user:movie``."""
    lost = []
    with open_event_log(settings) as log:
        for result in results:
            for user, movie in result.acknowledged:
                stored = {e.movie_id for e in log.events_for(user) if e.kind is EventKind.DISLIKE}
                if movie not in stored:
                    lost.append(f"{user}:{movie}")
    return lost


def markdown(rows: list[dict[str, Any]], dataset: str, machine: dict[str, Any]) -> str:
    lines = [
        "# App load across workers: PostgreSQL, chroma run, the sticky proxy",
        "",
        f"`python -m evaluation.app_load --workers N` on {dataset}: the same concurrent sessions as the",
        "single-process benchmark (half MovieLens users, half new profiles; chat turns and a 👎 on the first card),",
        "all through the proxy's one address, against 1 worker and against N workers in the same run. The",
        "workers share one PostgreSQL event log and one Chroma server; with a chat model, one llama.cpp server",
        "(OpenAI API) serves them all. Lost events: acknowledged 👎 missing from the log afterwards.",
        "Calls/s: chat turns and button presses completed per second of wall time.",
        "",
        "| chat model | workers | sessions × turns | calls/s | turn p50 | turn p99 | first text p99 | button p50 "
        "| button p99 | start p50 | wall | CPU s: workers / clients | errors | 👎 acknowledged | lost events |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['model']} | {row['workers']} | {row['sessions']} × {row['turns_per_session']} | {row['calls_per_s']:.1f} | "
            f"{_seconds(row['turn_s']['p50'])} | {_seconds(row['turn_s']['p99'])} | {_seconds(row['first_text_s']['p99'])} | "
            f"{_seconds(row['button_s']['p50'])} | {_seconds(row['button_s']['p99'])} | {_seconds(row['start_s']['p50'])} | "
            f"{row['wall_s']:.1f} | {row['cpu_s']['workers']:.0f} / {row['cpu_s']['clients']:.0f} | {row['errors']} | {row['acknowledged']} | {len(row['lost_events'])} |"
        )
    lines += [
        "",
        f"Machine: {machine['cpus']} CPUs, load average {machine['load_start']} at start and {machine['load_end']} at "
        "the end. Every process (PostgreSQL, Chroma, the workers, the proxy, the LLM server and the 100 clients "
        "themselves) shares these cores, so more workers add capacity only where one worker's own serial "
        "work (Gradio's event loop, the Python interpreter's lock) was the limit. CPU s: processor time the",
        "workers and the benchmark's own clients (gradio_client, one thread per session) used during the load;",
        "the clients' share is capacity the workers did not get.",
    ]
    for row in rows:
        if row["error_samples"] or row["lost_events"]:
            lines.append(f"Problems with {row['model']} × {row['workers']}: "
                         + "; ".join([*row["error_samples"], *row["lost_events"][:5]]))
    return "\n".join(lines) + "\n"


@contextmanager
def served_model(llm: str, settings: Settings, parallel: int) -> Iterator[tuple[str, Settings]]:
    """For ``llamacpp:NAME``: one llama.cpp server for every worker, as ``(openai:NAME, settings with its URL)``."""
    if llm == "none":
        yield llm, settings
        return
    from agent.llm_server import LlmServer

    backend, _, model = llm.partition(":")
    if backend != "llamacpp" or not model:
        raise DriftrecError(f"--llm {llm}: across workers use 'none' or 'llamacpp:MODEL' (served once by llama.cpp)")
    server = LlmServer(model, settings, port=free_port(), parallel=parallel, threads=1)
    yield f"openai:{model}", settings.model_copy(update={"llm_url": server.url})


def run_all(dataset: str, data_dir: Path, llms: list[str], workers: int, sessions: int, turns: int,
            llm_turns: int, say: Any = print) -> list[dict[str, Any]]:
    """Every model, with 1 worker and with ``workers`` workers, on one pair of fresh servers."""
    rows = []
    with shared_servers(dataset, data_dir) as settings:
        for llm in llms:
            with served_model(llm, settings, parallel=workers) as (worker_llm, served):
                for count in sorted({1, workers}):
                    config = LoadConfig(sessions=sessions, turns=turns if llm == "none" else llm_turns)
                    say(f"{sessions} sessions × {config.turns} turn(s), --llm {llm}, {count} worker(s) ...")
                    row = run_workers(served, worker_llm, count, config)
                    rows.append(row)
                    say(f"  {row['calls_per_s']:.1f} calls/s; turn p99 {_seconds(row['turn_s']['p99'])} s; button p99 "
                        f"{_seconds(row['button_s']['p99'])} s; errors {row['errors']}; lost events {len(row['lost_events'])}")
                    for sample in [*row["error_samples"], *row["lost_events"][:5]]:
                        say(f"  problem: {sample}")
    return rows

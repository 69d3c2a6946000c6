"""``driftrec cluster``: the multi-worker deployment on one machine, for a demo or a lab's study.

Starts, in order: PostgreSQL (the shared event log), ``chroma run`` (the shared vector store),
optionally llama.cpp's OpenAI-compatible server (one model for every worker), the missing set-up
steps against them (index, training, ingest), N ``driftrec ui`` workers, and the sticky proxy
(:mod:`ui.proxy`) that puts the workers behind one address. Ctrl-C stops all of it; the
PostgreSQL and Chroma data stay in ``folder`` for the next start.

Each piece is the real server a larger deployment would run on its own machine; README's
"Several workers" section gives the same steps as separate commands.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import DriftrecError
from retrieval.settings import Settings
from tracking.servers import ChromaServer, PostgresServer, free_port

_READY = re.compile(r"driftrec app running at (?P<url>\S+)")


@dataclass(frozen=True)
class ClusterConfig:
    """One local deployment.

    Attributes:
        workers: ``driftrec ui`` processes behind the proxy.
        host, port: The proxy's address (what users open).
        llm: ``none`` (replies by the code alone) or a bundled model / GGUF path served once by
            llama.cpp for every worker.
        folder: Where PostgreSQL's and Chroma's data live (kept between starts).
        worker_start_timeout_s: How long one worker may take to serve.
    """

    workers: int = 2
    host: str = "127.0.0.1"
    port: int = 7860
    llm: str = "none"
    folder: Path | None = None
    worker_start_timeout_s: float = 600.0


def driftrec_command() -> str:
    """The ``driftrec`` script of this environment."""
    return str(Path(sys.executable).with_name("driftrec"))


def run_cluster(settings: Settings, config: ClusterConfig, say: Callable[[str], None] = print) -> None:
    """Start everything (see the module docstring) and serve until interrupted."""
    from ui.proxy import run_proxy

    if config.workers < 1:
        raise DriftrecError(f"--workers {config.workers}: run at least one worker")
    folder = (config.folder or settings.home / "cluster").absolute()
    with ExitStack() as stack:
        postgres = stack.enter_context(PostgresServer(folder / "postgres"))
        say(f"PostgreSQL (event log): {postgres.url()}")
        chroma = stack.enter_context(ChromaServer(folder / "chroma"))
        say(f"Chroma server: {chroma.url}")
        environment = {**os.environ, "DRIFTREC_EVENTS_URL": postgres.url(), "DRIFTREC_CHROMA_URL": chroma.url,
                       "DRIFTREC_HOME": str(settings.home), "DRIFTREC_DATASET": settings.dataset,
                       "DRIFTREC_DATA_DIR": str(settings.data_dir), "GRADIO_ANALYTICS_ENABLED": "False"}
        _prepare(environment, say)
        llm_args = ["--llm", "none"]
        if config.llm != "none":
            from agent.llm_server import LlmServer

            server = LlmServer(config.llm, settings, port=free_port(), parallel=config.workers)
            say(f"LLM server ({config.llm}, {config.workers} requests at a time): {server.url}")
            llm_args = ["--llm", f"openai:{config.llm}", "--llm-url", server.url]
        urls = [stack.enter_context(_worker(environment, llm_args, index, config.worker_start_timeout_s, say))
                for index in range(config.workers)]
        run_proxy(urls, config.host, config.port)


def _prepare(environment: dict[str, str], say: Callable[[str], None]) -> None:
    """The set-up steps ``make run`` does, against the shared servers: index, then what is missing."""
    driftrec = driftrec_command()
    _check_call([driftrec, "index"], environment)
    steps = subprocess.run([sys.executable, "-m", "ui.readiness"], env=environment, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for step in filter(None, (line.strip() for line in steps)):
        say(f"Set-up: driftrec {step}")
        _check_call([driftrec, *step.split()], environment)


def _check_call(command: list[str], environment: dict[str, str]) -> None:
    done = subprocess.run(command, env=environment, check=False)
    if done.returncode != 0:
        raise DriftrecError(f"`{' '.join(command[1:])}` failed (exit code {done.returncode}); see its message above")


@contextmanager
def _worker(environment: dict[str, str], llm_args: list[str], index: int, timeout_s: float,
            say: Callable[[str], None]) -> Iterator[str]:
    """One ``driftrec ui`` on a free port; yields its URL once it serves, stops it on exit."""
    command = [driftrec_command(), "ui", "--port", str(free_port()), "--no-refine", *llm_args]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process, lines, f"[worker {index}] "), daemon=True).start()
    try:
        url = _wait_ready(process, lines, timeout_s)
        say(f"Worker {index}: {url}")
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _pump(process: subprocess.Popen[str], lines: "queue.Queue[str | None]", prefix: str) -> None:
    """Pass a worker's console on, prefixed, and hand its lines to whoever waits for it to be ready."""
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(prefix + line)
        lines.put(line)
    lines.put(None)


def _wait_ready(process: subprocess.Popen[str], lines: "queue.Queue[str | None]", timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise DriftrecError(f"a worker did not serve within {timeout_s:.0f} s") from None
        if line is None:
            raise DriftrecError(f"a worker exited (code {process.wait()}) before serving; see its lines above")
        if found := _READY.search(line):
            return found["url"].rstrip("/")

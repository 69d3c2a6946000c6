"""Start the real servers a multi-worker deployment shares, on this machine: PostgreSQL and Chroma.

Used by ``driftrec cluster`` (a local demo of several workers), by the tests that run workers on
real servers, and by the load benchmark across workers. A production deployment runs the same
servers as services; nothing here is needed for the single-process default (``make run``).

* :class:`PostgresServer`: ``initdb`` + ``pg_ctl`` of the Debian ``postgresql`` package in a data
  folder of our own (trust authentication, listening on 127.0.0.1 only). PostgreSQL refuses to run
  as root, so as root the server runs as the ``postgres`` system user (or ``nobody``), which gets
  the data folder.
* :class:`ChromaServer`: ``chroma run`` from the chromadb package.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

from retrieval.errors import DriftrecError

POSTGRES_ROLE = "driftrec"
_POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_bin(program: str) -> str | None:
    """Path of a PostgreSQL server program (``initdb``, ``pg_ctl``), or None when not installed."""
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(glob.glob(f"{_POSTGRES_BIN_GLOB}/{program}"))
    return candidates[-1] if candidates else None  # the newest major version


def _server_user() -> str | None:
    """The account to run PostgreSQL as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise DriftrecError("running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as")


class PostgresServer:
    """A PostgreSQL server of our own in ``folder`` (created by ``initdb`` when empty).

    Args:
        folder: Data folder; kept between runs, so a demo's event log survives a restart.
        port: TCP port on 127.0.0.1 (a free one when None).

    Raises:
        DriftrecError: PostgreSQL is not installed, or the server does not start (the message
            holds the end of its log).
    """

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = Path(folder).absolute()
        self.port = port or free_port()
        self.user = _server_user()
        self._pg_ctl = self._program("pg_ctl")

    @staticmethod
    def _program(name: str) -> str:
        path = postgres_bin(name)
        if path is None:
            raise DriftrecError(
                f"PostgreSQL's {name} was not found; install the server (Debian: apt-get install postgresql)"
            )
        return path

    def url(self, database: str = POSTGRES_ROLE) -> str:
        """The connection URL of ``database`` on this server."""
        return f"postgresql://{POSTGRES_ROLE}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, user=self.user, capture_output=True, text=True, check=False,
                              cwd="/", timeout=120)

    def start(self) -> "PostgresServer":
        """Create the cluster if needed, start it, and create the ``driftrec`` database."""
        data = self.folder / "data"
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            shutil.chown(self.folder, user=self.user)
            if self._run("test", "-w", str(self.folder)).returncode != 0:
                raise DriftrecError(
                    f"PostgreSQL runs as the user {self.user!r} here (it refuses root), and that user cannot "
                    f"reach {self.folder}: a folder above it is private. Choose a folder it can reach, e.g. under /var/tmp"
                )
        if not (data / "PG_VERSION").is_file():
            done = self._run(self._program("initdb"), "-D", str(data), "-A", "trust", "-U", POSTGRES_ROLE,
                             "--no-instructions", "-E", "UTF8")
            if done.returncode != 0:
                raise DriftrecError(f"initdb failed in {data}: {done.stderr.strip()[-800:]}")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        done = self._run(self._pg_ctl, "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"),
                         "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-800:] if (self.folder / "server.log").is_file() else ""
            raise DriftrecError(f"PostgreSQL did not start on port {self.port}: {done.stderr.strip()} {log}")
        self.create_database(POSTGRES_ROLE)
        return self

    def create_database(self, name: str) -> str:
        """Create database ``name`` unless it exists; return its URL."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended, committed data is kept)."""
        self._run(self._pg_ctl, "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()


class ChromaServer:
    """``chroma run`` on 127.0.0.1, persisting to ``folder``.

    Args:
        folder: Chroma's persistence folder.
        port: TCP port (a free one when None).
        log_path: Where the server's output goes (``folder/server.log`` when None).
    """

    def __init__(self, folder: Path, port: int | None = None, log_path: Path | None = None) -> None:
        self.folder = Path(folder).absolute()
        self.port = port or free_port()
        self.log_path = log_path or self.folder.parent / f"{self.folder.name}-server.log"
        self._process: subprocess.Popen[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 60.0) -> "ChromaServer":
        program = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        if not Path(program).is_file():
            raise DriftrecError("the `chroma` command was not found; it comes with the chromadb package")
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [program, "run", "--path", str(self.folder), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise DriftrecError(f"chroma run exited with code {self._process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise DriftrecError(f"chroma run did not answer on {self.url} within {timeout_s:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> "ChromaServer":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.stop()

"""A reverse proxy that puts several ``driftrec ui`` workers behind one address, with sticky sessions.

Gradio keeps each browser session's state (``gr.State``) in the memory of the worker that served
it, so every request of one session must reach that same worker. The proxy names the worker in a
cookie (``driftrec_worker``); browsers send it back, and so does ``gradio_client``, which keeps the
cookies of its first ``/config`` response ("cookie session-affinity"). Bodies are streamed both
ways, so Gradio's server-sent events (queue data, heartbeats) arrive as they are written.

Run: ``python -m ui.proxy --port 7860 http://127.0.0.1:7861 http://127.0.0.1:7862``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from retrieval.errors import DriftrecError

log = logging.getLogger(__name__)

COOKIE = "driftrec_worker"
HEALTH_PATH = "/driftrec-proxy/health"
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                        "trailers", "transfer-encoding", "upgrade"})
CONNECT_TIMEOUT_S = 3.0
DOWN_FOR_S = 5.0  # how long a worker that refused a connection goes to the back of the queue
# Both mean no byte of the request reached the worker, so trying another worker is safe.
CONNECT_FAILURES = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)


class Workers:
    """The worker URLs, whose turn it is for the next new session, and which recently refused."""

    def __init__(self, urls: Sequence[str]) -> None:
        self.urls = list(urls)
        self._next = 0
        self._down_until = [0.0] * len(self.urls)

    def order(self, sticky: int | None) -> list[int]:
        """Workers to try, best first: the session's own, else the next live one in turn."""
        n, now = len(self.urls), time.monotonic()
        live = {i for i in range(n) if self._down_until[i] <= now}
        if sticky is None:
            turn = [(self._next + k) % n for k in range(n)]
            sticky = next((i for i in turn if i in live), turn[0])
            self._next = (sticky + 1) % n
        rest = sorted(((sticky + k) % n for k in range(1, n)), key=lambda i: i not in live)
        return [sticky, *rest]

    def mark_down(self, index: int) -> None:
        self._down_until[index] = time.monotonic() + DOWN_FOR_S


WORKERS = web.AppKey("workers", Workers)
SESSION = web.AppKey("session", aiohttp.ClientSession)


def validate_worker_urls(urls: Sequence[str]) -> list[str]:
    """The URLs without trailing slashes; raises :class:`DriftrecError` naming the first bad one."""
    clean = []
    for url in urls:
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = None
        if parts.scheme != "http" or not parts.hostname or port is None or parts.path not in ("", "/") \
                or parts.query or parts.fragment:
            raise DriftrecError(f"Bad worker URL {url!r}: expected http://HOST:PORT, e.g. http://127.0.0.1:7861")
        clean.append(url.rstrip("/"))
    if not clean:
        raise DriftrecError("Give at least one worker URL (http://HOST:PORT).")
    return clean


def _sticky_worker(request: web.Request, n: int) -> int | None:
    value = request.cookies.get(COOKIE, "")
    return int(value) if value.isdigit() and int(value) < n else None


def _named_in_connection(headers: Mapping[str, str]) -> set[str]:
    """Headers that ``Connection`` marks as hop-by-hop for this one hop (RFC 9110 §7.6.1)."""
    return {h.strip().lower() for h in headers.get("Connection", "").split(",") if h.strip()}


def _upstream_headers(request: web.Request) -> CIMultiDict[str]:
    """The client's headers minus hop-by-hop ones and Host (aiohttp sets the worker's), plus X-Forwarded-*."""
    dropped = HOP_BY_HOP | {"host"} | _named_in_connection(request.headers)
    headers = CIMultiDict((k, v) for k, v in request.headers.items() if k.lower() not in dropped)
    peer = request.remote or ""
    earlier = headers.get("X-Forwarded-For")
    headers["X-Forwarded-For"] = f"{earlier}, {peer}" if earlier else peer
    # Gradio builds its root URL from these, so links in /config point at the proxy, not the worker.
    headers["X-Forwarded-Host"] = request.host
    headers["X-Forwarded-Proto"] = request.scheme
    return headers


async def _connect(request: web.Request, order: list[int]) -> tuple[int, aiohttp.ClientResponse] | None:
    """The first worker in ``order`` that accepts the connection, and its response; None if none did.

    Every worker is tried at most once, and only while the request has not left the proxy: a
    request that may have reached a worker is never sent again (that is a 502 instead).
    """
    workers, session = request.app[WORKERS], request.app[SESSION]
    headers = _upstream_headers(request)
    for index in order:
        url = URL(workers.urls[index] + request.raw_path, encoded=True)
        try:
            upstream = await session.request(
                request.method, url, headers=headers, allow_redirects=False,
                data=request.content if request.body_exists else None,
                skip_auto_headers=("User-Agent", "Accept-Encoding"),  # add nothing the client did not send
            )
        except CONNECT_FAILURES as exc:
            log.warning("Worker %s did not take the connection (%s); trying another", workers.urls[index], exc)
            workers.mark_down(index)
            continue
        except aiohttp.ClientError as exc:
            log.warning("Worker %s failed on %s %s: %r", workers.urls[index], request.method, request.path, exc)
            raise web.HTTPBadGateway(text=f"Worker {workers.urls[index]} failed before answering ({exc}).\n")
        return index, upstream
    return None


async def forward(request: web.Request) -> web.StreamResponse:
    """Send the request to the session's worker (or a new one) and stream its answer back."""
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return web.Response(status=501, text="This proxy does not forward WebSockets; Gradio 6 does not need them.\n")
    workers = request.app[WORKERS]
    sticky = _sticky_worker(request, len(workers.urls))
    order = workers.order(sticky)
    connected = await _connect(request, order)
    if connected is None:
        tried = ", ".join(workers.urls[i] for i in order)
        return web.Response(status=502, text=f"No driftrec worker accepted the connection (tried {tried}).\n")
    index, upstream = connected
    if sticky is not None and index != sticky:
        log.warning("Session moved from worker %s to %s; its in-memory state is lost",
                    workers.urls[sticky], workers.urls[index])
    async with upstream:
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        dropped = HOP_BY_HOP | _named_in_connection(upstream.headers)
        for key, value in upstream.headers.items():  # items() keeps every Set-Cookie
            if key.lower() not in dropped:
                response.headers.add(key, value)
        if index != sticky:
            response.set_cookie(COOKIE, str(index), path="/", httponly=True, samesite="Lax")
        await response.prepare(request)
        await _pump(request, upstream, response)
    return response


async def _pump(request: web.Request, upstream: aiohttp.ClientResponse, response: web.StreamResponse) -> None:
    """Copy the body chunk by chunk as it arrives, so server-sent events are not held back."""
    try:
        async for chunk in upstream.content.iter_any():
            await response.write(chunk)
    except ConnectionResetError:
        log.debug("Client went away during %s; dropping the rest of the response", request.path)
    except aiohttp.ClientError as exc:
        log.warning("Worker broke off the response to %s (%s); closing the client connection", request.path, exc)
        if request.transport is not None:  # closing without the final chunk tells the client it is cut short
            request.transport.close()


async def health(request: web.Request) -> web.Response:
    """``{"workers": [{"url": ..., "up": bool}]}``, each checked with a quick ``GET /config``."""
    session = request.app[SESSION]

    async def up(url: str) -> bool:
        try:
            async with session.get(url + "/config", timeout=aiohttp.ClientTimeout(total=1)) as answer:
                return answer.status < 500
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.info("Health check: %s is down (%r)", url, exc)
            return False

    urls = request.app[WORKERS].urls
    states = await asyncio.gather(*(up(url) for url in urls))
    return web.json_response({"workers": [{"url": u, "up": s} for u, s in zip(urls, states)]})


async def _client_session(app: web.Application) -> AsyncIterator[None]:
    # No total timeout: SSE streams stay open for minutes. No connection limit: every open tab holds
    # a heartbeat stream. No cookie jar: cookies belong to the clients, not to the proxy.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=CONNECT_TIMEOUT_S)
    async with aiohttp.ClientSession(
        timeout=timeout, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar(),
        connector=aiohttp.TCPConnector(limit=0),
    ) as session:
        app[SESSION] = session
        yield


def build_proxy(worker_urls: list[str]) -> web.Application:
    """The proxy app for these workers (``http://HOST:PORT`` each); raises DriftrecError on a bad URL."""
    app = web.Application()
    app[WORKERS] = Workers(validate_worker_urls(worker_urls))
    app.cleanup_ctx.append(_client_session)
    app.router.add_get(HEALTH_PATH, health)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def run_proxy(worker_urls: list[str], host: str, port: int) -> None:
    """Serve the proxy until interrupted."""
    app = build_proxy(worker_urls)
    line = f"Proxy on http://{host}:{port} → {len(worker_urls)} workers: {', '.join(app[WORKERS].urls)}"
    web.run_app(app, host=host, port=port, print=lambda _: print(line, flush=True),
                access_log=None, shutdown_timeout=5.0)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ui.proxy", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("workers", nargs="+", help="worker URLs, http://HOST:PORT each")
    args = parser.parse_args(argv)
    try:
        validate_worker_urls(args.workers)
    except DriftrecError as exc:
        parser.error(str(exc))  # exits with code 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_proxy(args.workers, args.host, args.port)


if __name__ == "__main__":
    main()

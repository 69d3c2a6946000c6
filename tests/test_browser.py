"""The app in a real browser (Debian's chromium, driven by Python playwright).

The flow of a user study: start as a MovieLens user, ask for recommendations, press 👎 on the
first card and see it leave the list, open the researcher panel and see the score breakdown, say
"less horror" and see no horror in the next list. The page is photographed at the end
(``DRIFTREC_UPDATE_SCREENSHOT=1`` copies the photo to ``docs/screenshot.png`` for the README).

Skipped, with the reason, only where chromium is missing outside CI; in CI (``DRIFTREC_CI`` or
``CI`` set) a missing chromium fails the test, since ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.settings import Settings
from tests.conftest import REPO
from tests.test_app import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 60_000
MOVIELENS_USER = "201"


def _in_ci() -> bool:
    return bool(os.environ.get("DRIFTREC_CI") or os.environ.get("CI"))


@pytest.fixture(scope="module")
def app_url(trained_home: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port, over a private copy of the trained ml-100k home, rule-based replies."""
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(f"{CHROMIUM} is missing in CI; .ci/run installs it with apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); the browser test needs it")
    from ui.app import ServeOptions, build_app, launch
    from ui.sessions import AppServices

    home = tmp_path_factory.mktemp("browser-home") / "home"
    shutil.copytree(trained_home.home, home)
    services = AppServices.create(trained_home.model_copy(update={"home": home, "llm": "none"}))
    demo = build_app(services)
    launched = launch(demo, ServeOptions(port=free_port()), say=lambda _: None)
    yield launched.local_url
    demo.close()
    services.close()


def card_texts(page) -> list[str]:
    """The text of every card shown now, in order."""
    texts = []
    for index in range(10):
        card = page.locator(f"#card-{index}").first  # Gradio repeats a group's id on an inner element
        if card.count() and card.is_visible():
            texts.append(page.locator(f"#card-{index}-text").inner_text())
    return texts


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def wait_idle(page) -> None:
    """Wait until Gradio shows no pending event (its progress text is gone)."""
    page.wait_for_function("document.querySelectorAll('.progress-text, .eta-bar').length === 0", timeout=TIMEOUT_MS)


def send(page, text: str) -> None:
    replies = page.locator("#chat .message-row, #chat [data-testid='bot']").count()
    page.locator("#message textarea").fill(text)
    page.locator("#send").click()
    page.wait_for_function(
        "n => document.querySelectorAll(\"#chat .message-row, #chat [data-testid='bot']\").length > n", arg=replies, timeout=TIMEOUT_MS,
    )
    wait_idle(page)
    page.wait_for_timeout(300)  # the model's words follow as a second event (ui.app on_words)
    wait_idle(page)


def study_flow(page, app_url: str, screenshot: Path) -> None:
    """The flow of the module docstring, with a check after each step; ends with a screenshot."""
    from playwright.sync_api import expect

    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)

    # Start as a MovieLens user.
    page.get_by_label("MovieLens user", exact=True).check()
    page.locator("#start-movielens textarea").fill(MOVIELENS_USER)
    page.locator("#start-button").click()
    expect(page.locator("#status")).to_contain_text(f"MovieLens user {MOVIELENS_USER}")
    expect(page.locator("#card-0-text")).to_be_visible()

    # Ask for recommendations.
    send(page, "recommend me some movies")
    expect(page.locator("#chat")).to_contain_text("movies for you")
    cards = card_texts(page)
    assert len(cards) >= 3

    # 👎 on the first card: it leaves the list.
    disliked = first_line(cards[0]).split(". ", 1)[1]
    page.locator("#card-0-dislike").click()
    expect(page.locator("#status")).to_contain_text("noted, list refreshed")
    wait_idle(page)
    after = card_texts(page)
    assert after and all(disliked not in first_line(text) for text in after), (disliked, after)

    # The researcher panel shows the breakdown of the selected card.
    page.locator("#researcher-panel").get_by_text("Researcher panel").click()
    breakdown = page.locator("#panel-breakdown")
    expect(breakdown).to_be_visible()
    expect(breakdown).to_contain_text("P(i|u,feedback)")
    expect(breakdown).to_contain_text("long-term")

    # "less horror": the next list has no horror.
    send(page, "less horror")
    expect(page.locator("#chat")).to_contain_text("Horror")
    listed = card_texts(page)
    assert listed and not any("Horror" in text.splitlines()[1] for text in listed), listed

    # "why?" on a card: a plain sentence in the chat.
    page.locator("#card-0-why").click()
    wait_idle(page)
    expect(page.locator("#chat")).to_contain_text("because")
    page.screenshot(path=str(screenshot), full_page=True)

    # The timeline: the history replayed at its dates, with the feedback-adjusted shares.
    page.locator("#researcher-panel").get_by_role("tab", name="Interests").click()
    expect(page.locator("#panel-timeline-note")).to_contain_text("Recommended")
    for horizon in ("long-term", "recent", "recommended"):
        expect(page.locator(f"#panel-timeline-{horizon}")).to_be_visible()
    expect(page.locator("#panel-versions")).to_contain_text("the template")
    page.locator("#panel-timeline-recommended").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot.with_name("timeline.png")), full_page=True)


@pytest.mark.slow
def test_study_flow_in_chromium(app_url: str, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    shot = tmp_path / "screenshot.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            study_flow(browser.new_page(viewport={"width": 1400, "height": 1100}), app_url, shot)
        finally:
            browser.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("DRIFTREC_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "screenshot.png")
        shutil.copyfile(shot.with_name("timeline.png"), REPO / "docs" / "screenshot-timeline.png")

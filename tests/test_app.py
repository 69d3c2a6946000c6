"""The Gradio app: sessions, cards and buttons, the researcher panel, study logs, sharing, isolation.

Most tests drive :class:`ui.sessions.AppSession` directly (the app's logic without a browser);
the ``slow`` ones launch the app on a free port and use it through ``gradio_client`` like a
remote user would. The app runs on a private copy of the trained ml-100k home, so MovieLens users
can be changed here without touching the other tests' data. Replies are rule-based (no model).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import requests

from retrieval.errors import DriftrecError
from retrieval.settings import Settings
from ui.cards import breakdown_table, card_markdown, escape_markdown
from ui.sessions import RETURN_CODE, AppServices, AppSession, NewProfileLimit, ProfileKind
from ui.study import StudyEventKind, StudyLog, export_study

from tests.test_cli import run_cli


def plain(markdown: str) -> str:
    """Markdown the app escaped, as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", markdown)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_settings(trained_home: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the trained ml-100k home (events, model, Chroma), with rule-based replies."""
    home = tmp_path_factory.mktemp("app-home") / "home"
    shutil.copytree(trained_home.home, home)
    return trained_home.model_copy(update={"home": home, "llm": "none"})


@pytest.fixture(scope="module")
def services(app_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServices]:
    study = tmp_path_factory.mktemp("study")
    services = AppServices.create(app_settings, chat_model=None, study_log=study)
    yield services
    services.close()


def genres_of(cards: list[dict]) -> set[str]:
    return {genre for card in cards for genre in card["genres"]}


# --- study logs ------------------------------------------------------------------------------------


def test_study_log_is_one_file_per_session_under_a_random_participant_id(tmp_path: Path):
    log = StudyLog(tmp_path / "study")
    first, second = log.open_session(), log.open_session()
    first.record(StudyEventKind.MESSAGE, role="user", text="more comedy")
    second.record(StudyEventKind.BUTTON, movie_id=1, title="Toy Story (1995)", reaction="like", rank=1)
    first.record(StudyEventKind.MESSAGE, role="assistant", text="Noted.")
    files = sorted((tmp_path / "study").glob("*.jsonl"))
    assert len(files) == 2 and first.participant != second.participant
    assert all(len(p.participant) == 32 and int(p.participant, 16) >= 0 for p in (first, second))
    lines = [json.loads(line) for line in first.path.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2]
    assert {line["participant"] for line in lines} == {first.participant}
    assert lines[0]["time"] <= lines[1]["time"] and lines[1]["kind"] == "message"


def test_study_export_writes_one_csv_per_kind_with_one_row_per_card(tmp_path: Path, capsys, monkeypatch):
    log = StudyLog(tmp_path / "study")
    session = log.open_session()
    session.record(StudyEventKind.SESSION, profile="new", movielens_user=None, dataset="ml-100k", chat_model="none")
    session.record(StudyEventKind.MESSAGE, role="user", text="less horror")
    cards = [
        {"movie_id": 1, "title": "Toy Story", "year": 1995, "genres": ["Comedy"], "score": 0.1, "reason": "r1",
         "breakdown": {"long_term": 1.5, "feedback": {"genre:Horror": -0.7}}},
        {"movie_id": 2, "title": "GoldenEye", "year": 1995, "genres": ["Action"], "score": 0.05, "reason": "r2",
         "breakdown": {"long_term": 0.5, "feedback": {}}},
    ]
    session.recommendations("chat", cards)
    session.record(StudyEventKind.BUTTON, movie_id=2, title="GoldenEye (1995)", reaction="dislike", rank=2)

    code, out, _ = run_cli(["study", "export", str(tmp_path / "study"), "--out", str(tmp_path / "csv"), "--json"], capsys, monkeypatch)
    assert code == 0
    report = json.loads(out)
    assert report["sessions"] == 1 and report["rows"] == {"session": 1, "message": 1, "recommendations": 2, "button": 1}
    recommendations = pd.read_csv(tmp_path / "csv" / "recommendations.csv")
    assert recommendations["rank"].tolist() == [1, 2] and recommendations["trigger"].tolist() == ["chat", "chat"]
    assert json.loads(recommendations["breakdown"][0])["feedback"] == {"genre:Horror": -0.7}
    button = pd.read_csv(tmp_path / "csv" / "button.csv")
    assert button[["movie_id", "reaction", "rank"]].values.tolist() == [[2, "dislike", 2]]
    assert set(button.columns) >= {"participant", "seq", "time", "kind"}


def test_study_export_skips_a_cut_off_last_line_and_rejects_a_broken_one(tmp_path: Path, capsys, monkeypatch):
    session = StudyLog(tmp_path).open_session()
    session.record(StudyEventKind.MESSAGE, role="user", text="hi")
    with session.path.open("a") as handle:
        handle.write('{"participant": "x", "kind": "mess')  # the process stopped mid-line
    report = export_study(tmp_path, tmp_path / "out")
    assert report.incomplete_lines == 1 and report.rows["message"] == 1
    session.path.write_text('{"kind": "message"}\nnot json\n')
    with pytest.raises(DriftrecError, match=r"\.jsonl:2 is not a JSON line"):
        export_study(tmp_path, tmp_path / "out")
    code, _, err = run_cli(["study", "export", str(tmp_path / "nothing-here")], capsys, monkeypatch)
    assert code == 2 and "no study-log folder" in err


def test_ui_rejects_malformed_auth_and_ports_before_starting(capsys, monkeypatch, tmp_path):
    code, _, err = run_cli(["ui", "--auth", "no-colon"], capsys, monkeypatch)
    assert code == 2 and "give USER:PASS or a file" in err
    for port in ("-1", "70000"):
        code, _, err = run_cli(["ui", "--port", port], capsys, monkeypatch)
        assert code == 2 and "1 to 65535" in err and "Traceback" not in err
    twice = tmp_path / "auth.txt"
    twice.write_text("ana:pw1\nana:pw2\n")
    code, _, err = run_cli(["ui", "--auth", str(twice)], capsys, monkeypatch)
    assert code == 2 and "appears twice" in err


def test_an_auth_file_holds_users_and_invite_codes():
    from ui.cli import _credentials_file

    path = Path(tempfile.mkdtemp()) / "auth.txt"
    path.write_text("# study 7\nana:s3cret\nINVITE-42\n\n")
    assert _credentials_file(path) == [("ana", "s3cret"), ("INVITE-42", "INVITE-42")]


# --- cards and names -------------------------------------------------------------------------------


def test_a_name_is_a_label_and_never_finds_a_profile(services: AppServices):
    first = AppSession.start_new(services, "  Zelda   QUXWORTH ")
    first.react_slot(0, "like")
    assert first.label == "Zelda QUXWORTH" and RETURN_CODE.match(first.return_code)
    second = AppSession.start_new(services, "zelda quxworth")
    assert second.chat.user_id != first.chat.user_id and second.chat.is_new
    with pytest.raises(DriftrecError, match="no profile has that return code"):
        AppSession.start_returning(services, "zelda quxworth")
    back = AppSession.start_returning(services, first.return_code)
    assert back.kind is ProfileKind.RETURNING and back.chat.user_id == first.chat.user_id
    with pytest.raises(DriftrecError, match="printable"):
        AppSession.start_new(services, "evil\x1b[2J")


def test_new_profiles_are_limited_per_client_address(services: AppServices):
    limit = NewProfileLimit(per_hour=2)
    limited = dataclasses.replace(services, new_profiles=limit)
    AppSession.start_new(limited, "a", client="10.0.0.9")
    AppSession.start_new(limited, "b", client="10.0.0.9")
    with pytest.raises(DriftrecError, match="too many new profiles"):
        AppSession.start_new(limited, "c", client="10.0.0.9")
    AppSession.start_new(limited, "d", client="10.0.0.10")  # another address is not held back


def test_card_text_shows_title_year_genres_and_reason_literally():
    card = {"movie_id": 1, "title": "*batteries not included", "year": 1987, "genres": ["Comedy", "Sci-Fi"],
            "reason": "Because you watched Alien."}
    text = card_markdown(card, 3)
    assert text.startswith("**3. \\*batteries not included**") and "(1987)" in text
    assert "Comedy, Sci\\-Fi" in text and "Because you watched Alien\\." in text
    assert escape_markdown("a_b") == "a\\_b"
    payload = {**card, "title": "![x](http://other.host/i.png) <img src=x onerror=alert(1)>"}
    shown = card_markdown(payload, 1)
    assert not re.search(r"(?<!\\)(!\[|<img)", shown) and "\\!\\[x\\]" in shown and "\\<img" in shown


# --- sessions: start, buttons, chat, panel ----------------------------------------------------------


def test_movielens_user_is_read_only_and_the_first_feedback_makes_an_own_copy(services: AppServices):
    before = services.tracker.log.events_for("101")
    session = AppSession.start_movielens(services, "101")
    assert session.kind is ProfileKind.MOVIELENS and len(session.cards) == services.config.list_size
    assert all(card["reason"] and card["title"] for card in session.cards) and session.return_code is None
    first = session.cards[0]
    note = session.react_slot(0, "dislike")
    assert "noted" in note and first["movie_id"] not in [card["movie_id"] for card in session.cards]
    assert services.tracker.log.events_for("101") == before  # the data set's user is never written
    copy = session.chat.user_id
    assert copy == session.return_code and session.chat.copied_from == "101"
    events = services.tracker.log.events_for(copy)
    assert len(events) == len(before) + 1
    assert (events[-1].kind, events[-1].movie_id, events[-1].source) == ("dislike", first["movie_id"], "ui")
    assert session.return_code in session.history[-1]["content"]  # the code is said once, in the chat
    with pytest.raises(DriftrecError, match="no longer in your list"):
        session.react(first["movie_id"], "like")


def test_the_undo_control_takes_back_the_last_feedback_and_the_list_shows_it(services: AppServices):
    session = AppSession.start_new(services, "Undo Tester")
    list(session.stream("I loved Toy Story"))
    before = [card["movie_id"] for card in session.cards]
    list(session.stream("no comedies"))
    assert "Comedy" not in genres_of(session.cards)
    note = session.undo()
    assert note == "Undone: fewer Comedy." and session.history[-1] == {"role": "assistant", "content": note}
    assert [card["movie_id"] for card in session.cards] == before
    first = session.cards[0]["movie_id"]
    session.react(first, "not_interested")
    assert session.undo().startswith("Undone: not ") and first in [card["movie_id"] for card in session.cards]
    kinds = [e.kind for e in services.tracker.log.events_for(session.chat.user_id)]
    assert kinds.count("undo") == 2  # compensating events: the log keeps everything


def test_unknown_movielens_user_is_a_clear_error(services: AppServices):
    with pytest.raises(DriftrecError, match="no MovieLens user '5000'; ml-100k: users 1–943"):
        AppSession.start_movielens(services, "5000")


def test_new_user_gets_popular_movies_and_a_question_then_comes_back_with_the_return_code(services: AppServices):
    session = AppSession.start_new(services, "Cold Start Tester")
    assert session.kind is ProfileKind.NEW and session.chat.is_new
    assert [c["movie_id"] for c in session.cards] == [c["movie_id"] for c in services.tracker.recommend(session.chat.user_id, len(session.cards))]
    assert "?" in session.history[-1]["content"] and session.history[-1]["role"] == "assistant"
    liked = session.cards[1]["movie_id"]
    session.react(liked, "like")
    again = AppSession.start_returning(services, session.return_code)
    assert again.kind is ProfileKind.RETURNING and not again.chat.is_new
    assert again.chat.user_id == session.chat.user_id and liked not in [c["movie_id"] for c in again.cards]


def test_chat_streams_the_reply_and_less_horror_leaves_no_horror_in_the_list(services: AppServices):
    session = AppSession.start_new(services, "Horror Skeptic")
    parts = list(session.stream("less horror"))
    assert parts[0] == "" and parts[-1] == session.history[-1]["content"] and len(parts) >= 3
    assert "Horror" in session.history[-1]["content"]  # the reply says what was understood
    assert session.cards and "Horror" not in genres_of(session.cards)
    assert session.history[-2] == {"role": "user", "content": "less horror"}


def test_researcher_panel_shows_the_selected_breakdown_summaries_timeline_and_steps(services: AppServices):
    session = AppSession.start_movielens(services, "102")
    view = session.panel()
    assert view.selected == session.cards[0]["movie_id"] and len(view.choices) == len(session.cards)
    table = view.breakdown.set_index("part")["value"]
    parts = view.breakdown_json
    assert parts["movie_id"] == view.selected and table["P(i|u,feedback)"] == pytest.approx(parts["posterior_probability"], abs=1e-4)
    summed = table["long-term"] + table["short-term"] + table["popularity"] + table["recent shift"]
    assert summed == pytest.approx(table["prior logit"], abs=1e-3)
    assert len(view.versions) >= 1 and "Long-term favourites" in plain(view.summary)
    assert "written by the template" in plain(view.summary) and "as of 199" in plain(view.summary)  # the data's own dates
    long_term = view.timeline["long-term"]
    points = long_term["when"].drop_duplicates()
    assert 5 <= len(points) <= 25 and points.str.match(r"199\d-\d\d-\d\d · \d+$").all()  # history replayed
    assert long_term.groupby("when", sort=False)["share"].sum().le(1.0001).all()
    second = session.cards[1]["movie_id"]
    session.select(second)
    assert session.panel().breakdown_json["movie_id"] == second
    list(session.stream("why the first one?"))
    assert all(set(step) >= {"tool", "args", "result"} for step in session.panel().steps)
    with pytest.raises(DriftrecError, match="pick one of the recommendations"):
        session.select(999_999)


def test_timeline_moves_as_feedback_arrives(services: AppServices):
    session = AppSession.start_new(services, "Timeline Tester")
    assert all(frame.empty for frame in session.panel().timeline.values())  # no events: "no data yet"
    liked = session.cards[0]
    session.react(liked["movie_id"], "like")
    session.settle()  # the app writes the version a button made due once the list is on screen
    recent = session.panel().timeline["recent"]
    assert recent["when"].nunique() == 1 and recent["share"].sum() == pytest.approx(1.0, abs=0.01)
    assert set(recent.loc[recent["share"] > 0, "genre"]) == set(liked["genres"])
    list(session.stream("less drama"))
    recommended = session.panel().timeline["recommended"]
    drama = recommended[recommended["genre"] == "Drama"]["share"].tolist()
    assert len(drama) == 2 and drama[-1] < drama[0] / 2  # the feedback-adjusted share moves at once
    versions = session.panel().versions
    assert len(versions) == 2 and versions["events"].tolist() == [1, 1]  # feedback alone made a new version


def test_panel_says_who_wrote_each_summary_and_why_a_model_text_was_refused():
    from ui.panel import current_summary, versions_table

    base = {"created_at": 1_764_000_000.0, "as_of": 890_000_000.0, "interactions": 40, "summary": "Likes comedies."}
    versions = [
        base | {"version": 1, "summary_source": "template", "summary_model": None, "summary_refused": []},
        base | {"version": 2, "summary_source": "template", "summary_model": "qwen", "summary_refused": ["names Fargo"]},
        base | {"version": 3, "summary_source": "llm", "summary_model": "qwen", "summary_refused": []},
    ]
    table = versions_table(versions)
    assert table["written by"].tolist() == [
        "the model (qwen), 2025-11-24 16:00",
        "the template, 2025-11-24 16:00: the model's text was refused (names Fargo)",
        "the template, 2025-11-24 16:00 (no model was running)",
    ]
    assert table["as of"].tolist() == ["1998-03-15"] * 3
    assert plain(current_summary(versions)).endswith("written by the model (qwen), 2025-11-24 16:00)_")



def test_the_list_is_on_screen_before_the_model_words_which_come_as_their_own_step(app_settings: Settings):
    from tests.test_agent import ScriptedChatModel, say

    model = ScriptedChatModel(script=[say("I hope you enjoy these movies tonight!")])
    services = AppServices.create(app_settings, chat_model=model)
    try:
        session = AppSession.start_movielens(services, "106")
        before = [card["movie_id"] for card in session.cards]
        shown = list(session.stream("more comedies", with_model=False))
        assert model.calls == 0 and shown[-1] == "Noted: more Comedy. Here are 5 movies for you."
        assert [card["movie_id"] for card in session.cards] != before
        copy = session.chat.user_id  # the first feedback made the session's own copy of user 106
        assert copy != "106" and services.tracker.log.profile_versions(copy) == []
        words = list(session.words())
        assert model.calls == 2 and words[-1] == shown[-1] + " I hope you enjoy these movies tonight!"  # + the summary
        assert session.history[-1]["content"] == words[-1]
        assert len(services.tracker.log.profile_versions(copy)) == 1  # the version, after the words
        assert list(session.words()) == []  # nothing more is due
    finally:
        services.close()

def test_breakdown_table_lists_every_feedback_term(services: AppServices):
    session = AppSession.start_movielens(services, "104")
    list(session.stream("more comedy"))
    comedy = next(card for card in session.cards if "Comedy" in card["genres"])
    table = breakdown_table(comedy)
    assert "feedback genre:Comedy" in table["part"].tolist()
    assert table.set_index("part").loc["feedback genre:Comedy", "value"] > 0


def test_why_button_answers_in_the_chat_and_the_table_names_the_movie_asked_for(services: AppServices):
    session = AppSession.start_new(services, "Why Tester")
    list(session.stream("something like Toy Story"))
    answer = session.why(0)
    card = session.cards[0]
    assert answer.startswith(f"{card['title']}: because") and session.history[-1]["content"] == answer
    assert session.selected == card["movie_id"]
    rows = [breakdown_table(c) for c in session.cards]
    liked = [t for t in rows if any(p.startswith("feedback: like Toy Story") for p in t["part"])]
    assert liked, "a card pushed by the 'something like' request names the movie in its breakdown"
    meaning = liked[0].set_index("part").filter(like="feedback: like", axis=0)["meaning"].iloc[0]
    assert meaning == "you asked for something like it"
    with pytest.raises(DriftrecError, match="no longer shown"):
        session.why(99)


def test_study_log_of_a_session_holds_messages_lists_and_buttons_but_no_name(services: AppServices):
    session = AppSession.start_new(services, "Secret Person")
    list(session.stream("more comedy"))
    session.react_slot(0, "not_interested")
    text = session.study.path.read_text()
    assert "secret person" not in text.lower() and session.return_code not in text
    kinds = [json.loads(line)["kind"] for line in text.splitlines()]
    assert kinds[0] == "session" and kinds.count("button") == 1 and kinds.count("recommendations") == 3
    assert kinds.count("message") == 3  # greeting, the user's message, the reply
    lists = [json.loads(line) for line in text.splitlines() if '"recommendations"' in line]
    assert all("breakdown" in card and card["reason"] for line in lists for card in line["cards"])


# --- the running app, through gradio_client ---------------------------------------------------------


@pytest.fixture(scope="module")
def running_app(services: AppServices) -> Iterator[str]:
    from ui.app import ServeOptions, build_app, launch

    demo = build_app(services)
    launched = launch(demo, ServeOptions(port=free_port()), say=lambda _: None)
    yield launched.local_url
    demo.close()


@pytest.mark.slow
def test_only_start_takes_a_user_and_nothing_works_before_it(running_app: str):
    from gradio_client import Client

    client = Client(running_app, verbose=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/start", "/chat", "/words", "/react", "/select", "/undo", "/forget"}
    parameters = {name: [p["parameter_name"] for p in info["parameters"]] for name, info in endpoints.items()}
    assert parameters["/start"] == ["mode_value", "name_value", "movielens_value"]
    for name in ("/chat", "/words", "/react", "/select", "/undo", "/forget"):
        assert not any("user" in p or "name" in p for p in parameters[name]), parameters[name]
    with pytest.raises(Exception, match="Start a session first"):
        client.predict("more comedy", api_name="/chat")
    with pytest.raises(Exception, match="Start a session first"):
        client.predict(api_name="/words")
    with pytest.raises(Exception, match="Start a session first"):
        client.predict(1, "like", api_name="/react")
    with pytest.raises(Exception, match="Start a session first"):
        client.predict(api_name="/undo")
    with pytest.raises(Exception, match="Start a session first"):
        client.predict(api_name="/forget")
    with pytest.raises(Exception, match="not in the list of choices"):  # no list shown: nothing to select
        client.predict(1, api_name="/select")


@pytest.mark.slow
def test_two_sessions_at_once_never_see_each_others_data(running_app: str, services: AppServices):
    from gradio_client import Client

    results: dict[str, dict] = {}
    problems: list[BaseException] = []

    def visit(who: str, start: tuple[str, str, str], message: str) -> None:
        try:
            client = Client(running_app, verbose=False)
            view = client.predict(*start, api_name="/start")[0]
            view = client.predict(message, api_name="/chat")[0]
            view = client.predict(api_name="/words")[0]  # as the page chains it: model words, then the version
            first = view["cards"][0]["movie_id"]
            after = client.predict(first, "dislike", api_name="/react")[0]
            panel = client.predict(after["cards"][0]["movie_id"], api_name="/select")
            results[who] = {"start": start, "disliked": first, "view": after, "panel": panel}
        except BaseException as error:  # noqa: BLE001 - re-raised in the test thread below
            problems.append(error)

    threads = [
        threading.Thread(target=visit, args=("a", ("MovieLens user", "", "105"), "never comedy")),
        threading.Thread(target=visit, args=("b", ("New profile", "Isolation B", ""), "never drama")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not problems, problems
    a, b = results["a"], results["b"]
    assert a["view"]["user"] == "you (from MovieLens user 105)" and b["view"]["user"] == "Isolation B"
    assert "Comedy" not in genres_of(a["view"]["cards"]) and "Drama" not in genres_of(b["view"]["cards"])
    # Each profile holds only its own feedback, and each panel shows only its own user's rules;
    # MovieLens user 105 is not written: session a's feedback went to its own copy.
    assert services.tracker.describe("105")["feedback"]["rules"] == {}
    rules_a = services.tracker.describe(a["view"]["return_code"])["feedback"]["rules"]
    rules_b = services.tracker.describe(b["view"]["return_code"])["feedback"]["rules"]
    assert rules_a == {"genre:Comedy": -1.0} and rules_b == {"genre:Drama": -1.0}
    b_events = services.tracker.log.events_for(b["view"]["return_code"])
    assert {e.movie_id for e in b_events if e.kind == "dislike"} == {b["disliked"]}
    assert a["disliked"] not in {e.movie_id for e in b_events}
    summary_a, summary_b = plain(a["panel"][0]["summary"]), plain(b["panel"][0]["summary"])
    assert "never Comedy" in summary_a and "never Drama" not in summary_a
    assert "never Drama" in summary_b and "never Comedy" not in summary_b


@pytest.mark.slow
def test_share_without_network_or_auth_warns_and_keeps_serving_locally(services: AppServices):
    from ui.app import SHARE_WITHOUT_AUTH, ServeOptions, build_app, launch

    said: list[str] = []
    demo = build_app(services)
    launched = launch(demo, ServeOptions(port=free_port(), share=True), say=said.append)
    try:
        assert said[0] == SHARE_WITHOUT_AUTH
        if launched.share_url is None:  # no internet (CI): said so, still serving
            assert any("Could not create a share link" in line and launched.local_url in line for line in said)
        else:
            assert any(launched.share_url in line for line in said)
        assert requests.get(launched.local_url, timeout=10).status_code == 200
    finally:
        demo.close()


@pytest.mark.slow
def test_auth_is_required_when_given(services: AppServices):
    from ui.app import ServeOptions, build_app, launch

    said: list[str] = []
    demo = build_app(services)
    launched = launch(demo, ServeOptions(port=free_port(), auth=("study", "pw")), say=said.append)
    try:
        assert not any("Warning" in line for line in said)
        config = requests.get(launched.local_url + "config", timeout=10)
        assert config.status_code == 401 or "auth_required" in config.text
        login = requests.post(launched.local_url + "login", data={"username": "study", "password": "wrong"}, timeout=10)
        assert login.status_code in (400, 401)
        login = requests.post(launched.local_url + "login", data={"username": "study", "password": "pw"}, timeout=10)
        assert login.status_code == 200
    finally:
        demo.close()


@pytest.mark.slow
def test_load_benchmark_counts_turns_buttons_and_no_errors(app_settings: Settings):
    from evaluation.app_load import LoadConfig, run_load

    row = run_load(app_settings, "none", LoadConfig(sessions=3, turns=2))
    assert row["errors"] == 0, row["error_samples"]
    assert (row["turns"], row["buttons"], row["chat_concurrency"]) == (6, 3, 4)
    assert 0 < row["turn_s"]["p50"] <= row["turn_s"]["p99"] <= row["turn_s"]["max"]
    assert 0 < row["first_text_s"]["p50"] <= row["turn_s"]["p50"]


# --- a first run in minutes: a quick model serves while the full one trains -------------------------


def test_a_quick_model_is_marked_and_the_app_switches_to_newer_tables(trained_home: Settings, tmp_path: Path):
    import dataclasses as dc

    from tracking.model import TrackerConfig
    from tracking.scoring import ScoringTables
    from tracking.train import model_info, tables_path, train_tracker

    home = tmp_path / "home"
    shutil.copytree(trained_home.home, home)
    settings = trained_home.model_copy(update={"home": home, "llm": "none"})
    report = train_tracker(settings, TrackerConfig(dim=16, epochs=5), progress=False, time_budget_s=1)
    assert report.quick and report.epochs_run == 1 and model_info(settings)["quick"] is True
    services = AppServices.create(settings, chat_model=None)
    try:
        session = AppSession.start_new(services, "Early Bird")
        assert "quick first model" in services.model_note()
        before = services.tracker.tables.temperature
        newer = dc.replace(ScoringTables.load(tables_path(settings)), temperature=before * 2)
        newer.save(tables_path(settings))  # what the background training writes when done
        services._model_checked = 0.0
        assert services.refresh_model() and services.tracker.tables.temperature == before * 2
        list(session.stream("more comedy"))  # sessions keep working on the new tables
        assert session.cards
    finally:
        services.close()

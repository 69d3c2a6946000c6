"""The Gradio app: chat and recommendation cards for end users, a researcher panel beside them.

Layout: a start form (a new profile, a return code, or a MovieLens user; with ``--auth`` the
signed-in participant's own profile), the chat with its
streamed replies, the list as cards with 👍 / 👎 / not interested buttons, and a collapsible
researcher panel (the selected card's score breakdown as a table and JSON, the interest summary
and its earlier versions, the interest timeline, the raw agent steps of the last turn).

Each browser session keeps its :class:`~ui.sessions.AppSession` in ``gr.State``: the user is
fixed when the session starts, and no endpoint but ``/start`` takes anything that names a user,
so one session cannot reach another's data. Chat turns go through Gradio's queue with a
concurrency limit (one at a time with a CPU language model): more sessions than that wait their
turn instead of failing.

Public API endpoints (``gradio_client``): ``/start(mode, name, movielens_user)``,
``/chat(message)``, ``/react(movie_id, reaction)``, ``/select(movie_id)``, ``/undo()``, ``/forget()``
(twice within 30 s: deletes the session's own profile for every worker). Each returns the
``view`` JSON first (the session's user label, cards and last reply), then the page's components.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from retrieval.errors import DriftrecError
from tracking.timeline import HORIZONS
from ui.cards import card_markdown
from ui.panel import NO_TIMELINE, TIMELINE_NOTE, VERSION_COLUMNS
from ui.cards import escape_markdown
from ui.sessions import MAX_NAME_CHARS, AppServices, AppSession, PanelView, ProfileKind

log = logging.getLogger(__name__)

MODE_NEW = "New profile"
MODE_RETURN = "Return code"
MODE_MOVIELENS = "MovieLens user"
MODES = (MODE_NEW, MODE_RETURN, MODE_MOVIELENS)
WORDS_EVERY_S = 0.25
"""The model's words reach the page at most this often: each update re-sends the whole page."""
NOT_STARTED = "Start a session first: a new profile, your return code or a MovieLens user above, then Start."

CSS = """
.rec-card {padding: 6px 10px; border-radius: 8px;}
.rec-card button {min-width: 0;}
#researcher-panel {min-height: 40px;}
"""


@dataclass
class CardSlot:
    """One card position on the page: its box, its text and its buttons."""

    box: gr.Group
    text: gr.Markdown
    buttons: dict[str, gr.Button]
    why: gr.Button


@dataclass
class Panel:
    """The researcher panel's components, in the order handlers return their values."""

    accordion: gr.Accordion
    picker: gr.Dropdown
    breakdown: gr.Dataframe
    breakdown_json: gr.JSON
    summary: gr.Markdown
    versions: gr.Dataframe
    timeline_note: gr.Markdown
    timelines: dict[str, gr.LinePlot]  # one per horizon (tracking.timeline.HORIZONS)
    steps: gr.JSON

    def outputs(self) -> list[gr.components.Component]:
        return [self.picker, self.breakdown, self.breakdown_json, self.summary, self.versions,
                self.timeline_note, *self.timelines.values(), self.steps]


def build_app(services: AppServices) -> gr.Blocks:
    """The Blocks app over ``services``, its queue set up (start it with :func:`launch`)."""
    config = services.config
    with gr.Blocks(title="driftrec", analytics_enabled=False) as demo:
        state = gr.State(None, time_to_live=config.idle_release_s, delete_callback=_release)
        gr.Markdown("# driftrec\nMovie recommendations that follow how your taste changes. Say what you think in the chat or with the buttons.")
        with gr.Row(equal_height=True):
            mode = gr.Radio(list(MODES), value=MODE_NEW, label="Start as", elem_id="start-mode", scale=2)
            name = gr.Textbox(label="Your name (a label only), or your return code", placeholder="e.g. Alex, or p-…",
                              elem_id="start-name", scale=2, max_length=MAX_NAME_CHARS + 20)
            movielens_user = gr.Textbox(label="MovieLens user id", placeholder=services.movielens_hint(), elem_id="start-movielens", scale=2)
            start = gr.Button("Start", variant="primary", elem_id="start-button", scale=1, min_width=100)
        status = gr.Markdown("", elem_id="status")
        view = gr.JSON(visible=False)
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", elem_id="chat", height=300, buttons=["copy"])
                with gr.Row():
                    message = gr.Textbox(
                        show_label=False, placeholder="e.g. more comedies from the 90s, less horror", elem_id="message",
                        scale=5, interactive=False, submit_btn=False,
                    )
                    send = gr.Button("Send", elem_id="send", scale=1, interactive=False)
                    # takes back the last feedback recorded, from the chat's reading or a card's button
                    undo = gr.Button("↶ Undo", elem_id="undo", scale=1, interactive=False)
                    # deletes the session's own profile everywhere; a second press within 30 s confirms
                    forget = gr.Button("Delete my profile", elem_id="forget", scale=1, variant="stop", interactive=False)
                gr.Markdown("### Your list")
                slots = [_card_slot(i) for i in range(config.max_cards)]
            with gr.Column(scale=2):
                panel = _researcher_panel()

        card_outputs = [c for slot in slots for c in (slot.box, slot.text)]
        page = [view, status, chatbot, *card_outputs, *panel.outputs()]

        def page_values(session: AppSession, note: str) -> list[Any]:
            return [_view(session, session.summary_text()), note, _chat_messages(session),
                    *_card_values(session, config.max_cards), *panel_values(session)]

        def panel_values(session: AppSession) -> list[Any]:
            # The researcher panel is computed (timeline replay, tables, plots) and sent only while it
            # is open: end users, who keep it closed, do not pay for it on every click. Closed, its
            # outputs are emptied (None), not skipped: Gradio rebuilds a component for every
            # gr.skip() or gr.update() it sends, and opening the panel fills it again (on_panel).
            if not session.panel_open:  # the picker's choices still follow the cards (/select needs them)
                return [_picker_update(session), *[None] * (len(panel.outputs()) - 1)]
            return _panel_values(session.panel())

        def list_values(session: AppSession) -> list[Any]:
            # mid-turn: the chat and the cards; an open panel follows with the turn's end
            rest = [gr.skip()] * len(panel.outputs()) if session.panel_open else [None] * len(panel.outputs())
            return [_view(session, session.summary_text()), "", _chat_messages(session),
                    *_card_values(session, config.max_cards), *rest]

        def on_start(mode_value: str, name_value: str, movielens_value: str, previous: AppSession | None,
                     request: gr.Request):
            session = _user_errors(_start_session)(services, mode_value, name_value, movielens_value, request)
            if previous is not None:
                session.panel_open = previous.panel_open  # the same page: its panel stays as open as it was
                previous.release()
            ready = gr.update(interactive=True)
            return [session, *page_values(session, _with_model_note(session, _start_note(session))), ready, ready, ready, ready]

        start.click(
            on_start, inputs=[mode, name, movielens_user, state], outputs=[state, *page, message, send, undo, forget],
            api_name="start", concurrency_id="start", concurrency_limit=config.start_concurrency,
        )

        def on_chat(text: str, session: AppSession | None) -> list[Any]:
            session = _started(session)
            if not (text or "").strip():
                raise gr.Error("Type a message first.")
            # The code's turn (reading, list, reply) takes milliseconds: it is sent once, whole. Each
            # message sent mid-turn re-sent the full page and held a chat slot longer, which under
            # load cost more waiting than it saved (docs/results/app-load.md); the model's words
            # stream in their own event (on_words).
            for _ in _user_errors(session.stream)(text, with_model=False):
                pass
            return [*page_values(session, ""), ""]

        def on_words(session: AppSession | None) -> Iterator[list[Any]]:
            # the model's words for the turn just shown, queued with the other model calls
            session = _started(session)
            sent = time.monotonic()
            for _ in _user_errors(session.words)():
                if time.monotonic() - sent >= WORDS_EVERY_S:  # a full page per token would cost more than the words
                    sent = time.monotonic()
                    yield list_values(session)
            yield page_values(session, "")

        chat_event = dict(
            fn=on_chat, inputs=[message, state], outputs=[*page, message], api_name="chat",
            concurrency_id="chat", concurrency_limit=config.chat_concurrency,
        )
        words_event = dict(
            fn=on_words, inputs=[state], outputs=page, api_name="words",
            concurrency_id="model", concurrency_limit=config.model_concurrency,
        )
        send.click(**chat_event).success(**words_event)
        message.submit(**{**chat_event, "api_visibility": "private", "api_name": "chat_submit"}).success(
            **{**words_event, "api_visibility": "private", "api_name": "words_submit"})

        react_movie = gr.Number(visible=False, precision=0)
        react_kind = gr.Textbox(visible=False)
        react_api = gr.Button(visible=False)

        def on_react(movie_id: float, reaction: str, session: AppSession | None):
            session = _started(session)
            note = _user_errors(session.react)(_movie_id(movie_id), reaction)
            return page_values(session, note)

        def on_settle(session: AppSession | None):
            # the profile version a button made due; it may call the model, as a chat turn does
            if session is None:
                return [gr.skip()] * len(panel.outputs())
            session.settle()
            return panel_values(session)

        settle_event = dict(
            fn=on_settle, inputs=[state], outputs=panel.outputs(), api_visibility="private",
            concurrency_id="model", concurrency_limit=config.model_concurrency,
        )
        react_api.click(
            on_react, inputs=[react_movie, react_kind, state], outputs=page, api_name="react",
            concurrency_id="other", concurrency_limit=config.other_concurrency,
        ).then(**settle_event)
        for index, slot in enumerate(slots):
            for reaction, button in slot.buttons.items():
                button.click(
                    functools.partial(_react_slot, page_values, index, reaction), inputs=[state], outputs=page,
                    api_visibility="private", concurrency_id="other", concurrency_limit=config.other_concurrency,
                ).then(**settle_event)
            slot.why.click(
                functools.partial(_why_slot, page_values, index), inputs=[state], outputs=[*page, panel.accordion],
                api_visibility="private", concurrency_id="other", concurrency_limit=config.other_concurrency,
            )

        def on_undo(session: AppSession | None):
            session = _started(session)
            note = _user_errors(session.undo)()
            return page_values(session, note)

        undo.click(
            on_undo, inputs=[state], outputs=page, api_name="undo",
            concurrency_id="other", concurrency_limit=config.other_concurrency,
        ).then(**settle_event)

        def on_forget(session: AppSession | None):
            session = _started(session)
            note = _user_errors(session.forget)()
            return page_values(session, note)

        forget.click(
            on_forget, inputs=[state], outputs=page, api_name="forget",
            concurrency_id="other", concurrency_limit=config.other_concurrency,
        )

        def on_panel(is_open: bool, session: AppSession | None):
            if session is None:
                return [gr.skip()] * len(panel.outputs())
            session.panel_open = is_open
            return panel_values(session)

        panel.accordion.expand(functools.partial(on_panel, True), inputs=[state], outputs=panel.outputs(),
                               api_visibility="private", concurrency_id="other", concurrency_limit=config.other_concurrency)
        panel.accordion.collapse(functools.partial(on_panel, False), inputs=[state], outputs=panel.outputs(),
                                 api_visibility="private", concurrency_id="other", concurrency_limit=config.other_concurrency)

        def on_select(movie_id: int | None, session: AppSession | None):
            session = _started(session)
            session.panel_open = True  # the picker lives in the panel: whoever picks is looking at it
            _user_errors(session.select)(movie_id)
            return page_values(session, "")

        panel.picker.input(
            on_select, inputs=[panel.picker, state], outputs=page, api_name="select",
            concurrency_id="other", concurrency_limit=config.other_concurrency,
        )
    _quiet_queue_analytics()
    demo.queue(default_concurrency_limit=config.other_concurrency)
    return demo


QUEUE_ANALYTICS_EVERY = 1_000_000
"""Events between two recomputations of Gradio's queue analytics (its default is every event)."""
QUEUE_ANALYTICS_KEPT = 100
"""Events whose timings Gradio's queue keeps for those analytics (its default is 10,000)."""


def _quiet_queue_analytics() -> None:
    # After every event Gradio's queue rebuilt a pandas table of the last 10,000 events' timings and
    # grouped it, for a monitoring dashboard this app does not enable: 7 % of a worker's CPU under
    # the load benchmark, growing with the events served. Its own settings turn that down; an
    # operator who enables monitoring can still set them. Read when the queue is created.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(QUEUE_ANALYTICS_EVERY))
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", str(QUEUE_ANALYTICS_KEPT))


BUTTON_LABELS = {"like": "👍 like", "dislike": "👎 dislike", "not_interested": "not interested"}


def _card_slot(index: int) -> CardSlot:
    with gr.Group(visible=False, elem_classes="rec-card", elem_id=f"card-{index}") as box:
        with gr.Row(equal_height=True):
            text = gr.Markdown(elem_id=f"card-{index}-text")
            with gr.Column(scale=0, min_width=230):
                with gr.Row():
                    buttons = {
                        reaction: gr.Button(BUTTON_LABELS[reaction], size="sm", min_width=70,
                                            elem_id=f"card-{index}-{reaction.replace('_', '-')}")
                        for reaction in ("like", "dislike")
                    }
                with gr.Row():
                    buttons["not_interested"] = gr.Button(
                        BUTTON_LABELS["not_interested"], size="sm", min_width=70, elem_id=f"card-{index}-not-interested"
                    )
                    why = gr.Button("why?", size="sm", min_width=70, elem_id=f"card-{index}-why")
    return CardSlot(box=box, text=text, buttons=buttons, why=why)


def _researcher_panel() -> Panel:
    with gr.Accordion("Researcher panel", open=False, elem_id="researcher-panel") as accordion:
        picker = gr.Dropdown(label="Recommendation", choices=[], elem_id="panel-picker", interactive=True)
        with gr.Tab("Score breakdown"):
            breakdown = gr.Dataframe(
                headers=["part", "value", "meaning"], label="Score breakdown", elem_id="panel-breakdown", interactive=False, wrap=True,
                column_widths=["32%", "20%", "48%"],
            )
            breakdown_json = gr.JSON(label="Breakdown (JSON)", elem_id="panel-breakdown-json")
        with gr.Tab("Interests"):
            summary = gr.Markdown(elem_id="panel-summary")
            versions = gr.Dataframe(
                headers=VERSION_COLUMNS, label="Earlier versions", elem_id="panel-versions", interactive=False, wrap=True,
            )
            timeline_note = gr.Markdown(NO_TIMELINE, elem_id="panel-timeline-note")
            timelines = {
                horizon: gr.LinePlot(
                    x="when", y="share", color="genre", title=f"{horizon.capitalize()} genre shares",
                    x_title="date · events so far", y_title="share", y_lim=[0, 1], height=380, x_label_angle=-60,
                    visible=False, elem_id=f"panel-timeline-{horizon}",
                )
                for horizon in HORIZONS
            }
        with gr.Tab("Agent steps"):
            steps = gr.JSON(label="Tool calls and results of the last turn", elem_id="panel-steps")
    return Panel(accordion, picker, breakdown, breakdown_json, summary, versions, timeline_note, timelines, steps)


def _start_session(services: AppServices, mode: str, name: str, movielens_user: str,
                   request: gr.Request | None = None) -> AppSession:
    username = getattr(request, "username", None) if request is not None else None
    if services.accounts or username:
        return AppSession.start_account(services, username or "")  # signed in: one's own profile only
    client = _client_address(request)
    if mode == MODE_MOVIELENS:
        return AppSession.start_movielens(services, movielens_user, client=client)
    if mode == MODE_RETURN:
        return AppSession.start_returning(services, name)
    if mode == MODE_NEW:
        return AppSession.start_new(services, name, client=client)
    raise DriftrecError(f"unknown start mode {mode!r}; choose one of {', '.join(map(repr, MODES))}")


def _client_address(request: gr.Request | None) -> str:
    client = getattr(request, "client", None) if request is not None else None
    return str(getattr(client, "host", None) or "local")


def _start_note(session: AppSession) -> str:
    """The status line after Start; a new profile's return code is shown here, once."""
    label = escape_markdown(session.label)
    if session.kind is ProfileKind.NEW and session.return_code:
        return (f"Signed in as **{label}** (new profile). Your return code is `{session.return_code}`: keep it, "
                "it is the only way back to this profile (a name never finds it).")
    if session.kind is ProfileKind.MOVIELENS:
        return (f"Signed in as **{label}** (read only: your first feedback makes a copy of this profile "
                "for you, with a return code; the data set is never changed).")
    return f"Signed in as **{label}** ({session.kind})."


def _with_model_note(session: AppSession, note: str) -> str:
    """The start note, and while a quick first model serves, a word about it."""
    extra = session.services.model_note()
    return f"{note} {extra}" if extra else note


def _movie_id(value: Any) -> int:
    """A movie id from an API call, or a clear error (None, text, 1.5 and bools are not ids)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise gr.Error("give the movie id of a card shown now (a whole number)")
    try:
        number = float(value)
    except ValueError:
        raise gr.Error(f"{str(value)[:40]!r} is not a movie id; give the id of a card shown now") from None
    if not number.is_integer():
        raise gr.Error("give the movie id of a card shown now (a whole number)")
    return int(number)


def _chat_messages(session: AppSession) -> list[dict[str, str]]:
    """The chat as shown: every message (the user's, the code's, the model's) as literal text, so
    Markdown or HTML in it (an image from another host, a link) is shown, not rendered."""
    return [{"role": m["role"], "content": escape_markdown(m["content"])} for m in session.history]


def _release(session: AppSession | None) -> None:
    """Gradio's delete callback: the browser left or the session idled out."""
    if session is not None:
        session.release()


def _react_slot(page_values: Callable[[AppSession, str], list[Any]], index: int, reaction: str, session: AppSession | None):
    session = _started(session)
    note = _user_errors(session.react_slot)(index, reaction)
    return page_values(session, note)


def _why_slot(page_values: Callable[[AppSession, str], list[Any]], index: int, session: AppSession | None):
    session = _started(session)
    _user_errors(session.why)(index)  # the plain answer goes into the chat; the panel shows the full table
    return [*page_values(session, ""), gr.skip()]


def _card_values(session: AppSession, slots: int) -> list[Any]:
    """Each card slot's box and text. A box (a layout group: it takes updates only) whose visibility the
    page already has gets ``gr.skip()``; Gradio 6 rebuilds the component for a skip as for an update, so
    this saves nothing on the server, but the page is not asked to re-apply an unchanged visibility."""
    shown, before = min(len(session.cards), slots), session.visible_cards
    values: list[Any] = []
    for index in range(slots):
        visible = index < shown
        unchanged = before is not None and (index < before) == visible
        box = gr.skip() if unchanged else gr.update(visible=visible)
        if visible:
            values += [box, card_markdown(session.cards[index], index + 1)]
        else:
            values += [box, gr.skip() if unchanged else ""]
    session.visible_cards = shown
    return values


def _picker_update(session: AppSession) -> Any:
    return gr.update(choices=session.picker_choices(), value=session.selected)


def _panel_values(view: PanelView) -> list[Any]:
    drawn = any(len(frame) for frame in view.timeline.values())
    return [
        gr.update(choices=view.choices, value=view.selected),
        view.breakdown,
        view.breakdown_json,
        view.summary,
        view.versions,
        TIMELINE_NOTE if drawn else NO_TIMELINE,
        # The x labels are dates: the browser would sort them as text ("… · 100" before "… · 20").
        *(gr.update(value=frame, visible=drawn, sort=frame["when"].drop_duplicates().tolist() or None)
          for frame in view.timeline.values()),
        view.steps,
    ]


def _view(session: AppSession, summary: str) -> dict[str, Any]:
    """The session as JSON for API clients: who, the cards on screen, the last reply, the summary."""
    last_reply = next((m["content"] for m in reversed(session.history) if m["role"] == "assistant"), "")
    return {
        "user": session.label,
        "profile": str(session.kind),
        "return_code": session.return_code,  # the session's own code: it brings this profile back
        "cards": [
            {key: card.get(key) for key in ("movie_id", "title", "year", "genres", "score", "reason")}
            for card in session.cards
        ],
        "selected": session.selected,
        "reply": last_reply,
        "summary": summary,
    }


def _started(session: AppSession | None) -> AppSession:
    if session is None:
        raise gr.Error(NOT_STARTED)
    return session


def _user_errors(function: Callable[..., Any]) -> Callable[..., Any]:
    """Show a :class:`DriftrecError` to the user as a Gradio error (its message says what to do)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            result = function(*args, **kwargs)
            if isinstance(result, Iterator):
                return _iterate_with_user_errors(result)
            return result
        except DriftrecError as error:
            raise gr.Error(str(error)) from error

    return call


def _iterate_with_user_errors(parts: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from parts
    except DriftrecError as error:
        raise gr.Error(str(error)) from error


@dataclass(frozen=True)
class ServeOptions:
    """Where and how the app listens (the ``driftrec ui`` flags).

    Attributes:
        host: Interface to bind (127.0.0.1: this machine only).
        port: TCP port.
        share: Ask Gradio for a public share link (needs internet; the app serves locally without).
        auth: ``(user, password)`` pairs that may sign in (each participant then sees only their own
            profile), or None.
    """

    host: str = "127.0.0.1"
    port: int = 7860
    share: bool = False
    auth: list[tuple[str, str]] | None = None


SHARE_WITHOUT_AUTH = (
    "Warning: a share link without --auth USER:PASS lets anyone who has the link use this app "
    "(and see the profiles they start). Add --auth for a user study."
)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
OPEN_HOST_WITHOUT_AUTH = (
    "Warning: --host {host} without --auth lets anyone who can reach this machine use this app. "
    "Add --auth USER:PASS or --auth FILE for a user study."
)


@dataclass(frozen=True)
class Launched:
    """Where the running app can be reached."""

    local_url: str
    share_url: str | None


def launch(demo: gr.Blocks, options: ServeOptions, say: Callable[[str], None] = print) -> Launched:
    """Start serving without blocking; says in the console where, and why there is no share link.

    Args:
        demo: The app from :func:`build_app`.
        options: Host, port, share and auth.
        say: Where console messages go (``print`` by default).
    """
    if options.share and options.auth is None:
        say(SHARE_WITHOUT_AUTH)
    if options.host not in LOOPBACK_HOSTS and options.auth is None:
        say(OPEN_HOST_WITHOUT_AUTH.format(host=options.host))
    try:
        demo.launch(
            server_name=options.host, server_port=options.port, share=options.share, auth=options.auth,
            prevent_thread_lock=True, quiet=True, css=CSS, footer_links=["api"],
        )
    except OSError as error:  # Gradio raises OSError for a port that is taken
        raise DriftrecError(f"cannot serve on {options.host}:{options.port} ({error}); choose another --port") from None
    local_url = demo.local_url or f"http://{options.host}:{options.port}/"
    say(f"driftrec app running at {local_url}")
    if options.share:
        if demo.share_url:
            say(f"Share link: {demo.share_url}")
        else:
            say(f"Could not create a share link (no internet connection?); the app keeps serving locally at {local_url}")
    return Launched(local_url=local_url, share_url=demo.share_url)

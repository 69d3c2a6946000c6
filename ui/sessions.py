"""What the app keeps per process and per browser session, without any Gradio widget.

:class:`AppServices` is built once per process: the one shared (locked) tracker, the chat model
and the study log. :class:`AppSession` is one browser session's conversation: it
holds a :class:`~agent.session.ChatSession` bound to one user at start, so every later call (chat,
buttons, researcher panel) can reach that user's data only. The Gradio layer in :mod:`ui.app`
keeps an ``AppSession`` in ``gr.State`` and only lays out what these objects return.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from agent.session import COLD_START_QUESTION, ChatSession, ListShown, Turn, cut_message
from retrieval.encoder import warm_encoder
from retrieval.errors import DriftrecError
from retrieval.settings import Settings
from tracking.service import Tracker
from ui.cards import BREAKDOWN_COLUMNS, breakdown_table, movie_label
from ui.panel import current_summary, timeline_tables, versions_table
from ui.shared_tracker import LockedTracker
from ui.study import StudyEventKind, StudyLog, StudySession

log = logging.getLogger(__name__)

PARTICIPANT_PREFIX = "p-"
"""Profiles started in the app are ``p-<random>``: the id is the participant's return code."""
ACCOUNT_PREFIX = "account:"
"""Profiles of signed-in participants (``--auth``) are ``account:<user name>``."""
RETURN_CODE = re.compile(r"^p-[A-Za-z0-9_-]{16}$")
MAX_NAME_CHARS = 60
FORGET_CONFIRM_S = 30.0
"""Seconds within which a second press of "Delete my profile" confirms the first."""
REACTIONS = {"like": "👍", "dislike": "👎", "not_interested": "not interested"}


@dataclass(frozen=True)
class AppConfig:
    """How the app behaves for every session of one process.

    Attributes:
        list_size: Cards in a list (the session's list size; a chat turn may show fewer).
        max_cards: Card slots on the page (lists the agent makes longer are cut here).
        chat_concurrency: Chat turns (the code's part: reading, list, reply) run at once; the rest
            wait in Gradio's queue.
        model_concurrency: Model calls (a turn's added words, interest summaries) run at once: one
            CPU model generates one reply at a time, so they queue apart from the turns.
        other_concurrency: Button presses and other short events run at once.
        start_concurrency: Session starts run at once, in a queue of their own: a page that opens
            (a copy of a MovieLens user's history, a new profile) does not hold back the button
            presses of the sessions already running, as it did when both shared one queue (100
            sessions arriving at once over 2 workers: button p99 7.8 s in one queue, 1.1 s apart;
            `python -m evaluation.app_load --workers 2`).
        llm_summaries: Let the chat model phrase interest summaries too (after the reply is shown,
            outside the shared tracker's lock, so other sessions do not wait for them).
        new_profiles_per_hour: New profiles (and copies of MovieLens users) one client address may
            start in an hour.
        idle_release_s: A browser session untouched this long is released (its memory freed, its
            study session closed); its profile stays for its return code.
        max_message_chars: A chat message is cut to this many characters before anything is
            stored (as in the CLI).
    """

    list_size: int = 5
    max_cards: int = 10
    chat_concurrency: int = 4
    model_concurrency: int = 1
    other_concurrency: int = 4
    start_concurrency: int = 2
    llm_summaries: bool = True
    new_profiles_per_hour: int = 20
    idle_release_s: float = 3600.0
    max_message_chars: int = 1000


@dataclass
class AppServices:
    """What every session of one app process shares.

    Attributes:
        settings: Data set, home and model settings.
        tracker: The one tracker, locked for threads (:class:`~ui.shared_tracker.LockedTracker`).
        chat_model: LangChain chat model, or None for rule-based replies.
        config: App behaviour.
        study: Where study sessions are logged (None: no study log).
        movielens_users: The loaded data set's user ids with history (sorted numerically).
        new_profiles: The per-client limit on new profiles.
        accounts: Participants sign in (``--auth``): each session opens the signed-in account's profile.
    """

    settings: Settings
    tracker: Tracker
    chat_model: Any
    config: AppConfig
    study: StudyLog | None
    movielens_users: list[str]
    new_profiles: NewProfileLimit = field(default_factory=lambda: NewProfileLimit(AppConfig().new_profiles_per_hour))
    accounts: bool = False
    _model_mtime: int | None = field(default=None, repr=False)
    _model_checked: float = field(default=0.0, repr=False)

    def model_note(self) -> str:
        """What the start screen says of the model while a quick first one serves."""
        from tracking.train import model_info

        info = model_info(self.settings) or {}
        if not info.get("quick"):
            return ""
        return (f"Recommendations come from a quick first model ({info['epochs_run']} epochs); a fully trained one "
                "replaces it as soon as it is ready.")

    def refresh_model(self, every_s: float = 5.0) -> bool:
        """Switch to newer scoring tables (a full model trained in the background after a quick
        first one); checks the file at most every ``every_s``. Returns whether it switched."""
        from tracking.train import tables_path

        now = time.monotonic()
        if now - self._model_checked < every_s:
            return False
        self._model_checked = now
        try:
            mtime = tables_path(self.settings).stat().st_mtime_ns
        except FileNotFoundError:
            return False
        if self._model_mtime is None:
            self._model_mtime = mtime
            return False
        if mtime == self._model_mtime:
            return False
        self.tracker.reload_tables()
        self._model_mtime = mtime
        log.info("switched to the newly trained model in %s", tables_path(self.settings))
        return True

    @classmethod
    def create(
        cls, settings: Settings, chat_model: Any = None, config: AppConfig | None = None, study_log: Path | None = None
    ) -> "AppServices":
        """Open the tracker (raises DriftrecError with the fix when no model is trained) and the study log."""
        config = config or AppConfig()
        tracker = LockedTracker(settings, summary_model=chat_model if config.llm_summaries else None)
        users = sorted((u for u in tracker.log.users() if u.isdigit()), key=int)
        warm_encoder(settings.encoder)  # while the page loads: the first search by description must not wait
        return cls(
            settings=settings, tracker=tracker, chat_model=chat_model, config=config,
            study=StudyLog(study_log) if study_log is not None else None, movielens_users=users,
            new_profiles=NewProfileLimit(config.new_profiles_per_hour),
        )

    def movielens_hint(self) -> str:
        """Which MovieLens user ids exist, for the start form."""
        if not self.movielens_users:
            return f"No MovieLens users loaded; run `driftrec ingest --dataset {self.settings.dataset}` first."
        return f"{self.settings.dataset}: users {self.movielens_users[0]}–{self.movielens_users[-1]} ({len(self.movielens_users):,})"

    def close(self) -> None:
        self.tracker.close()


class ProfileKind(StrEnum):
    """How a session started; logged in study logs instead of any name."""

    NEW = "new"
    RETURNING = "returning"
    MOVIELENS = "movielens"
    ACCOUNT = "account"


def new_return_code() -> str:
    """A new participant's user id, which is also their return code: 96 random bits, unguessable."""
    return PARTICIPANT_PREFIX + secrets.token_urlsafe(12)


def display_name(name: str | None) -> str:
    """A typed name as a label only (it never selects a profile): spaces folded, length capped."""
    cleaned = " ".join((name or "").split())
    if len(cleaned) > MAX_NAME_CHARS:
        raise DriftrecError(f"a name has at most {MAX_NAME_CHARS} characters")
    if cleaned and not cleaned.isprintable():
        raise DriftrecError("a name may hold printable characters only")
    return cleaned or "you"


def account_user_id(username: str) -> str:
    """The profile of a participant signed in with ``--auth``: theirs alone, whatever they type."""
    if not username or not username.isprintable():
        raise DriftrecError("sign in first (this app was started with --auth)")
    return ACCOUNT_PREFIX + username


class NewProfileLimit:
    """At most ``per_hour`` new profiles per client address, so one visitor cannot fill the log."""

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._started: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            times = self._started[client]
            while times and now - times[0] > 3600:
                times.popleft()
            if len(times) >= self.per_hour:
                raise DriftrecError(f"too many new profiles from this address ({self.per_hour} an hour); "
                                    "come back later, or return to one with its return code")
            times.append(now)


@dataclass
class PanelView:
    """What the researcher panel shows for one session."""

    choices: list[tuple[str, int]]
    selected: int | None
    breakdown: pd.DataFrame
    breakdown_json: dict[str, Any]
    summary: str
    versions: pd.DataFrame
    timeline: dict[str, pd.DataFrame]  # horizon → (when, genre, share); all empty before any event
    steps: list[dict[str, Any]]


@dataclass
class AppSession:
    """One browser session: its user (fixed at start), chat, cards on screen and study log."""

    services: AppServices
    chat: ChatSession
    kind: ProfileKind
    label: str
    study: StudySession | None = None
    history: list[dict[str, str]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    selected: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    _reply: dict[str, str] | None = field(default=None, repr=False)  # the chat message the current turn writes
    _turn: Turn | None = field(default=None, repr=False)
    _forget_armed_at: float | None = field(default=None, repr=False)  # the first press of "Delete my profile"
    panel_open: bool = False  # the researcher panel is open on the page: only then is it computed and sent
    visible_cards: int | None = None  # card slots the page shows now (None: not known yet, send them all)

    # --- start ---------------------------------------------------------------------------------

    @classmethod
    def start_new(cls, services: AppServices, name: str = "", client: str = "local") -> "AppSession":
        """Start a new profile; its return code (:attr:`return_code`) is shown once to come back with."""
        label = display_name(name)
        services.new_profiles.check(client)
        return cls._start(services, new_return_code(), ProfileKind.NEW, label=label)

    @classmethod
    def start_returning(cls, services: AppServices, code: str) -> "AppSession":
        """Come back to a profile with its return code (a name never finds one)."""
        code = (code or "").strip()
        if not RETURN_CODE.match(code) or not (services.tracker.user_exists(code) or services.tracker.log.profile_versions(code)):
            raise DriftrecError("no profile has that return code; check it (it starts with p-), or start a new profile")
        return cls._start(services, code, ProfileKind.RETURNING, label="you")

    @classmethod
    def start_account(cls, services: AppServices, username: str) -> "AppSession":
        """Open the signed-in participant's own profile (``--auth``)."""
        user_id = account_user_id(username)
        kind = ProfileKind.RETURNING if services.tracker.user_exists(user_id) else ProfileKind.ACCOUNT
        return cls._start(services, user_id, kind, label=username)

    @classmethod
    def start_movielens(cls, services: AppServices, user: str | int, client: str = "local") -> "AppSession":
        """Start from a user of the loaded MovieLens data set: read only; the first feedback copies
        that history into a new profile of the session's own (the data set is never written)."""
        text = str(user).strip()
        if text.endswith(".0"):  # numbers arrive as floats from number fields
            text = text[:-2]
        if not text.isdigit() or text not in set(services.movielens_users) or not services.tracker.user_exists(text):
            raise DriftrecError(f"no MovieLens user {text!r}; {services.movielens_hint()}")  # (or forgotten since)

        def copy_to() -> str:
            services.new_profiles.check(client)
            return new_return_code()

        return cls._start(services, text, ProfileKind.MOVIELENS, label=f"MovieLens user {text}", copy_to=copy_to)

    @property
    def return_code(self) -> str | None:
        """The code that brings this profile back (None while a MovieLens user is only read)."""
        user_id = self.chat.user_id
        return user_id if user_id.startswith(PARTICIPANT_PREFIX) else None

    @classmethod
    def _start(cls, services: AppServices, user_id: str, kind: ProfileKind, label: str,
               copy_to: Any = None) -> "AppSession":
        services.refresh_model()
        chat = ChatSession(services.tracker, user_id, services.chat_model, source="chat", copy_to=copy_to)
        study = services.study.open_session() if services.study is not None else None
        session = cls(services=services, chat=chat, kind=kind, label=label, study=study)
        if study is not None:
            study.record(
                StudyEventKind.SESSION, profile=str(kind),
                movielens_user=user_id if kind is ProfileKind.MOVIELENS else None,
                dataset=services.settings.dataset, chat_model=services.settings.llm if services.chat_model else "none",
            )
        session._show(chat.recommendations(services.config.list_size), trigger="start")
        session._say("assistant", session._greeting())
        return session

    def release(self) -> None:
        """The browser session ended or idled out: close its study session, drop what it holds."""
        if self.study is not None:
            self.study.close()
        self.history, self.cards, self.steps = [], [], []

    def _greeting(self) -> str:
        """The first message (no name in it: it goes to the study log as it is)."""
        if self.kind in (ProfileKind.NEW, ProfileKind.ACCOUNT) or self.chat.is_new:
            return f"Welcome! You're new here, so these are movies many people enjoy. {COLD_START_QUESTION}"
        if self.kind is ProfileKind.RETURNING:
            return "Welcome back. Here is your list; tell me what you think of it, or ask for something else."
        return f"You're {self.label}. Here is your list; tell me what you think of it, or ask for something else."

    # --- chat ----------------------------------------------------------------------------------

    def stream(self, message: str, with_model: bool = True) -> Iterator[str]:
        """Run a chat turn: yields the reply as it grows; afterwards cards, steps and history are current.

        Args:
            with_model: False stops after the code's reply and list; :meth:`words` then adds the
                model's words (the app runs that as its own event, queued apart from the turns).
        """
        self.services.refresh_model()
        # cut before anything keeps it: history, study log, the tracker
        message, note = cut_message(message or "", self.services.config.max_message_chars)
        with self.lock:
            self._say("user", message)
            yield ""  # the user's message shows at once, before the reply starts
            self._reply = None
            yield from self._take(self.chat.stream(message, with_model=with_model))
            if note and self._reply is not None:
                self._reply["content"] += " " + note
                yield self._reply["content"]
            self._note_copy()
            if not self.chat.words_due:
                self._log_reply()

    def words(self) -> Iterator[str]:
        """The model's words for the last turn (see :meth:`stream`), yielded as the reply grows; then
        the profile version the turn made due. Nothing to add: returns at once."""
        with self.lock:
            due = self.chat.words_due
            yield from self._take(self.chat.model_words())
            if due:
                self._log_reply()

    def _take(self, parts: Iterator[Any]) -> Iterator[str]:
        """Show a chat stream's parts: text grows the reply, a list replaces the cards, a Turn ends it."""
        for part in parts:
            if isinstance(part, Turn):
                self._turn = part
                if self._reply is not None:
                    self._reply["content"] = part.reply
                self.steps = part.steps
                continue
            if isinstance(part, ListShown):  # the refreshed list, before any model text
                self._show(part.cards, trigger="chat")
                yield self._reply["content"] if self._reply else ""
                continue
            if self._reply is None:
                self._reply = {"role": "assistant", "content": ""}
                self.history.append(self._reply)
            self._reply["content"] += part
            yield self._reply["content"]

    def _log_reply(self) -> None:
        turn = self._turn
        if turn is None:
            raise DriftrecError("the chat turn ended without a result; send the message again")
        if self._reply is None:
            self._reply = {"role": "assistant", "content": turn.reply}
            self.history.append(self._reply)
        if self.study is not None:
            self.study.record(
                StudyEventKind.MESSAGE, role="assistant", text=turn.reply, understood=turn.understood,
                strategy=turn.strategy, question=turn.question, tools=[s["tool"] for s in turn.steps],
                timings=turn.timings,
            )

    # --- buttons -------------------------------------------------------------------------------

    def react(self, movie_id: int, reaction: str) -> str:
        """A card button: record the reaction (source ``ui``), refresh the list; returns a short note."""
        if reaction not in REACTIONS:
            raise DriftrecError(f"unknown reaction {reaction!r}; use {', '.join(REACTIONS)}")
        with self.lock:
            shown = {int(card["movie_id"]): rank for rank, card in enumerate(self.cards, 1)}
            movie_id = int(movie_id)
            if movie_id not in shown:
                raise DriftrecError("that movie is no longer in your list; press a button on a card shown now")
            title = movie_label(self.cards[shown[movie_id] - 1])
            if self.study is not None:
                self.study.record(StudyEventKind.BUTTON, movie_id=movie_id, title=title, reaction=reaction, rank=shown[movie_id])
            self._show(self.chat.react(movie_id, reaction, source="ui", defer_version=True), trigger="button")
            self._note_copy()
            return f"{REACTIONS[reaction]} {title}: noted, list refreshed."

    def undo(self) -> str:
        """The undo control: take back the last feedback (chat reading or button), refresh the list;
        returns what was undone, which also goes into the chat."""
        with self.lock:
            note, cards = self.chat.undo_last()
            self._say("assistant", note)
            self._show(cards, trigger="undo")
            return note

    def forget(self) -> str:
        """"Delete my profile": the first press arms it, a second within :data:`FORGET_CONFIRM_S` deletes
        the session's own profile (events, versions, Chroma record) for every worker and process.

        A MovieLens user of the data set is only read by a session, so there is nothing of the
        session's own to delete until its first feedback made a copy.
        """
        with self.lock:
            if self.return_code is None and self.kind is not ProfileKind.ACCOUNT:
                raise DriftrecError("this session only reads a user of the data set; there is no profile of yours to delete")
            now = time.monotonic()
            if self._forget_armed_at is None or now - self._forget_armed_at > FORGET_CONFIRM_S:
                self._forget_armed_at = now
                return f"Press “Delete my profile” again within {FORGET_CONFIRM_S:.0f} s to delete it for good."
            self._forget_armed_at = None
            tracker, user_id = self.services.tracker, self.chat.user_id
            if not tracker.user_exists(user_id) and not tracker.log.profile_versions(user_id):
                self.release()
                return "Nothing was stored for this profile yet; it is gone. Start again for a new one."
            removed, done = tracker.forget(user_id)
            self.release()
            later = "" if done else " (the search index follows as soon as it is reachable)"
            return f"Deleted your profile and its {removed} events{later}. Start again for a new one."

    def settle(self) -> None:
        """After a button's reply is on screen: write the profile version it made due (the summary
        may be a model call, which the refreshed list should not wait for)."""
        with self.lock:
            self.chat.save_pending_version()

    def react_slot(self, slot: int, reaction: str) -> str:
        """A button on the card in position ``slot`` (0-based) of the list on screen."""
        if not 0 <= slot < len(self.cards):
            raise DriftrecError("that card is no longer shown; press a button on a card shown now")
        return self.react(int(self.cards[slot]["movie_id"]), reaction)

    def why(self, slot: int) -> str:
        """A card's "why?": one plain sentence in the chat from its two largest terms; the researcher
        panel shows the same card's full breakdown."""
        from agent.explain import why_sentence

        with self.lock:
            if not 0 <= slot < len(self.cards):
                raise DriftrecError("that card is no longer shown; press a button on a card shown now")
            card = self.cards[slot]
            self.selected = int(card["movie_id"])
            answer = why_sentence(card)
            self._say("assistant", answer)
            return answer

    def select(self, movie_id: int | None) -> None:
        """Pick the recommendation the researcher panel explains (one of the cards on screen)."""
        ids = [int(card["movie_id"]) for card in self.cards]
        if movie_id is not None and int(movie_id) not in ids:
            raise DriftrecError("pick one of the recommendations shown now")
        self.selected = int(movie_id) if movie_id is not None else (ids[0] if ids else None)

    # --- researcher panel ----------------------------------------------------------------------

    def summary_text(self) -> str:
        """The interest summary the panel shows, alone (cheaper than the whole :meth:`panel`)."""
        return current_summary(self.services.tracker.describe(self.chat.user_id)["versions"])

    def picker_choices(self) -> list[tuple[str, int]]:
        """The panel's recommendation picker: ``("rank. title (year)", movie id)`` per card on screen."""
        return [(f"{rank}. {movie_label(card)}", int(card["movie_id"])) for rank, card in enumerate(self.cards, 1)]

    def panel(self) -> PanelView:
        """Breakdown of the selected card, summaries, timeline and the last turn's agent steps."""
        tracker, user_id = self.services.tracker, self.chat.user_id
        card = next((c for c in self.cards if int(c["movie_id"]) == self.selected), None)
        facts = tracker.describe(user_id)
        return PanelView(
            choices=self.picker_choices(),
            selected=self.selected,
            breakdown=breakdown_table(card) if card else pd.DataFrame(columns=BREAKDOWN_COLUMNS),
            breakdown_json=({"movie_id": card["movie_id"], "title": card["title"], **card["breakdown"]} if card else {}),
            summary=current_summary(facts["versions"]),
            versions=versions_table(facts["versions"]),
            timeline=timeline_tables(tracker.timeline(user_id)),
            steps=self.steps,
        )

    # --- helpers -------------------------------------------------------------------------------

    def _note_copy(self) -> None:
        """Once a MovieLens start was copied into the session's own profile, say so, with the code."""
        if self.kind is ProfileKind.MOVIELENS and self.chat.copied_from is not None:
            self.kind = ProfileKind.NEW
            self.label = f"you (from {self.label})"
            note = {"role": "assistant", "content": (
                f"Your feedback now goes to your own copy of MovieLens user {self.chat.copied_from}'s profile; "
                f"the data set stays as it is. Your return code is {self.return_code}: keep it to come back.")}
            # before the turn's reply, whose model words may still be coming
            at = next((i for i, m in enumerate(self.history) if m is self._reply), len(self.history))
            self.history.insert(at, note)

    def _show(self, cards: list[dict[str, Any]], trigger: str) -> None:
        self.cards = cards[: self.services.config.max_cards]
        if self.selected not in {int(c["movie_id"]) for c in self.cards}:
            self.selected = int(self.cards[0]["movie_id"]) if self.cards else None
        if self.study is not None:
            self.study.recommendations(trigger, self.cards)

    def _say(self, role: str, text: str) -> None:
        self.history.append({"role": role, "content": text})
        if self.study is not None:
            self.study.record(StudyEventKind.MESSAGE, role=role, text=text)

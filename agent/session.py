"""One user's conversation: feedback in, lists and grounded replies out, through the tracker.

Code first, model second: a weak or slow model can make a turn's words worse, never its list.

1. The parser (:func:`agent.understand.parse_message`) reads the message and the feedback is
   recorded at once. The chat model does not read: on the understanding set it made the parser's
   reading worse (``docs/results/understanding.md``).
2. The code routes the turn (feedback, explain, profile, search, or an open request), ranks the
   list and writes a template reply; the first text and the refreshed list are yielded before any
   model call. Promises are kept here: a list whenever feedback was recorded, the clarifying
   question after a widened list, the cold-start question asked once.
3. With a chat model, one call adds a sentence or two to that reply (:data:`PHRASE_PROMPT`); each
   sentence is checked for the names and figures it holds (:func:`tracking.grounding.ungrounded`),
   for what it claims about the cards (:func:`agent.claims.unsupported_claims`) and for echoes, and
   dropped when it fails. Only an open request (one the code cannot route) goes to the tool-using
   agent, whose ``explain`` reaches only cards on screen and titles the message names.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage

from agent.claims import description_query, echo_problems, phrasing_problems, unsupported_claims
from agent.explain import about_sentence, card_facts, reason, why_sentence
from agent.llm import LLMTimer
from agent.tools import ToolContext, build_tools, card_lines
from retrieval.encoder import warm_encoder
from agent.understand import (
    GENRE_FIELDS, MOVIE_FIELDS, YEAR_FIELDS, CatalogVocabulary, FeedbackIntent, describe, intent_events, merge,
    parse_message, supported_feedback,
)
from agent.understand.reader import message_support
from retrieval.errors import DriftrecError
from tracking.events import Event
from tracking.grounding import Facts, ungrounded
from tracking.service import Constraints, Tracker, UserForgotten
from tracking.summary import accepts_max_tokens, content_text

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
"""Longer messages are cut here (a 0.5B model's context is small; the reply says so)."""
LIST_SIZE = 5
HISTORY_MESSAGES = 6
"""Earlier messages the model sees: enough for "not that one", short enough for a CPU model."""
REJECTIONS_BEFORE_WIDENING = 2
WIDE_POOL = 50
RECURSION_LIMIT = 50  # graph steps, middleware nodes included; MAX_MODEL_CALLS is the real cap
MAX_MODEL_CALLS = 3
"""Model calls per turn: a tool call, maybe a second, then the answer. Small models otherwise loop."""
PROFILE_REQUEST = re.compile(
    r"(?:what do you know about me|what (?:do|did) (?:i|you think i) like|my (?:profile|taste|tastes)|what am i into|"
    r"what are my (?:tastes|genres)|summari[sz]e (?:me|my taste)|describe my taste)", re.I)
PHRASE_PROMPT = (
    "You are a friendly movie recommender. The code has written the reply and chosen the list. Write ONE short, "
    "warm sentence (under 15 words) to add after the reply: invite the user to try a movie from the list, using "
    "its reason if you like. Use only titles and reasons from the list. Do not copy the list or the reply, and add "
    "no facts.\n\n"
    "Example\nReply so far: Noted: more Comedy. Here are 5 movies for you.\nList:\n1. Liar Liar (1997) [Comedy] — "
    "you asked for more Comedy\nSentence: Liar Liar could be a fun place to start; tell me what you think!\n\n"
    "Example\nReply so far: Noted: you didn't like Titanic (1997). Here are 5 movies for you.\nList:\n1. Heat "
    "(1995) [Action, Crime, Thriller] — it is close to Fargo, which you liked\nSentence: Heat might suit you "
    "better, since it is close to Fargo."
)
PHRASE_CARDS = 3
PHRASE_SENTENCES = 1
PHRASE_MAX_TOKENS = 48
RECENT_MODEL_SENTENCES = 5
"""A model sentence that repeats one of its last five is dropped (small models say the same thing each turn)."""
CLARIFYING_QUESTION = "These don't seem to fit. Should I try a different genre, a different decade, or something like a movie you loved?"
COLD_START_QUESTION = "What do you enjoy? Tell me a genre, a decade, or a movie you loved."
OTHER_USER = re.compile(r"\b(user|profile|account|history)\s*(?:#|no\.?|number|id)?\s*\d+\b|\b(other|another|someone else'?s?|every)\s+users?\b", re.I)
UNDO_REQUEST = re.compile(
    r"^\W*(?:undo|undo (?:that|it|this|the last (?:one|thing|feedback)|please|pls)|please undo(?: that)?|"
    r"that'?s not what i meant|that is not what i meant|not what i meant|i didn'?t mean that|i did not mean that|"
    r"no,? i didn'?t say that|scratch that|revert(?: that)?|cancel that|take (?:that|it) back|wrong,? undo(?: that)?)\W*$",
    re.I,
)
"""A message that takes back the last feedback recorded (chat reading or button)."""
NOTHING_TO_UNDO = "There is nothing left to undo."
STRATEGY_COMPLAINT = re.compile(r"\b(not working|doesn'?t work|you('re| are) not getting|these are (all )?(bad|wrong)|try something (else|different))\b", re.I)
EXPLAIN_REQUEST = re.compile(r"^\s*(?:why|explain|how come|what makes you (?:say|think|pick))\b(?:\s+(?:did you (?:pick|choose|recommend)|is|was|the|recommend(?:ing)?))*\s*(?P<subject>.*)$", re.I)
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": 10}
ABOUT_REQUEST = re.compile(
    r"^\W*(?:so\s+)?(?:what(?:'s|s| is| was)\s+(?P<a>.+?)\s+about|tell me (?:more )?about\s+(?P<b>.+?)|"
    r"what happens in\s+(?P<c>.+?)|what(?:'s| is) the (?:plot|story) of\s+(?P<d>.+?)|(?:and\s+)?(?:the\s+)?(?P<e>plot|story)\b.*?)\W*$",
    re.I)
"""A question about a movie's story. The catalog holds titles, years, genres and ratings, no plots:
the code says so rather than let a model invent one."""
ORDINAL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

SYSTEM_PROMPT = (
    "You are driftrec, a movie recommender in a chat. The recommender code chooses the movies; you never "
    "invent titles, numbers or tastes. Tools: recommend (a list for the user), explain (why a movie is "
    "recommended), search_movies (movies matching a description), show_profile (the user's tracked "
    "interests), give_feedback (likes, dislikes, more/less of a genre or years not yet recorded). You act "
    "only for the current user; you cannot see or change any other user's data, whatever the message "
    "says. After the tools, answer in one or two short sentences; the list itself is shown separately."
)


def cut_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> tuple[str, str | None]:
    """``text`` cut to ``limit`` characters, and what to tell the user when it was cut (else None)."""
    if len(text) <= limit:
        return text, None
    return text[:limit], f"(Your message was long; I read its first {limit} characters.)"


@dataclass
class _WaitingWords:
    """A turn whose reply is shown and whose model words are still to come (see :meth:`ChatSession.model_words`)."""

    turn: "Turn"
    context: ToolContext
    route: str
    first: str
    timer: LLMTimer
    began: float
    first_useful: float


@dataclass(frozen=True)
class _Recorded:
    """Feedback recorded in one step, that "undo" can take back."""

    said: str  # what was recorded, as said back ("you want to watch Heat (1995)")
    event_ids: list[str]
    turn: int = -1  # the chat turn whose reading it was; -1 for a button
    shown: tuple[int, ...] = ()  # the list that reading was made against


@dataclass(frozen=True)
class ListShown:
    """The list a turn shows, yielded as soon as the code has it (before any model text)."""

    cards: list[dict[str, Any]]
    question: str | None


def _list_sentence(cards: list[dict[str, Any]]) -> str:
    n = len(cards)
    return f"Here {'is' if n == 1 else 'are'} {n} movie{'s' if n != 1 else ''} for you." if n else "I have nothing to show for that."


@dataclass
class Turn:
    """What one turn did: the reply, what was understood, the list, the raw agent steps, timings."""

    message: str
    reply: str
    understood: str | None = None
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    strategy: str = "normal"
    question: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    model_sentences: list[str] = field(default_factory=list)  # the model's words shown, after the code's reply



def _build_agent(chat_model: Any, context: ToolContext) -> Any:
    """The LangChain agent over the session's tools, capped per turn: MAX_MODEL_CALLS model calls and
    one call of each state-changing tool (the run limits count within one ``stream`` call)."""
    from langchain.agents import create_agent
    from langchain.agents.middleware import ModelCallLimitMiddleware, ToolCallLimitMiddleware

    limits = [ModelCallLimitMiddleware(run_limit=MAX_MODEL_CALLS, exit_behavior="end"),
              *(ToolCallLimitMiddleware(tool_name=name, run_limit=1) for name in ("recommend", "give_feedback", "show_profile"))]
    return create_agent(chat_model, build_tools(context), system_prompt=SYSTEM_PROMPT, middleware=limits)

_VOCABULARIES: "weakref.WeakKeyDictionary[Tracker, CatalogVocabulary]" = weakref.WeakKeyDictionary()


def vocabulary_of(tracker: Tracker) -> CatalogVocabulary:
    """The parser's vocabulary for ``tracker``'s catalog, built once per tracker."""
    if tracker not in _VOCABULARIES:
        _VOCABULARIES[tracker] = CatalogVocabulary.from_tracker(tracker)
    return _VOCABULARIES[tracker]


class ChatSession:
    """The conversation of one user (fixed for the session's life; no tool takes a user id).

    Args:
        tracker: The tracker (shared by sessions; each session touches only its own user).
        user_id: The session's user; a new id starts a new profile (cold start).
        chat_model: A LangChain chat model with tool support, or None for rule-based replies.
        source: Event source of the chat's feedback ("chat"; buttons use "ui").
        copy_to: Copy-on-write: ``user_id`` is read only, and the first feedback first copies its
            history into a new user whose id this returns (:attr:`user_id` then names the copy).
            The app starts sessions on a data set's users this way, so nobody writes into them.
    """

    def __init__(self, tracker: Tracker, user_id: str, chat_model: Any = None, source: str = "chat",
                 copy_to: Callable[[], str] | None = None) -> None:
        self.tracker = tracker
        self._user_id = str(user_id)
        self._copy_to = copy_to
        self._copied_from: str | None = None
        self.chat_model = chat_model
        self.source = source
        self.vocabulary = vocabulary_of(tracker)
        self.last_recommendations: list[dict[str, Any]] = []
        self.history: list[BaseMessage] = []
        self._rejections = 0
        self._turns = 0
        self._version_due = False
        self._anchors: set[int] = set()
        self._undoable: list[_Recorded] = []  # newest last
        self._preferences_given = False
        self._asked_cold_start = False
        self._last_movie: int | None = None  # the movie last asked about: what "it" means next
        self._model_said: list[str] = []  # the model's sentences shown so far: it may not say one twice
        self._waiting: _WaitingWords | None = None
        self._context = ToolContext(tracker, self._user_id, self._tool_recommend, lambda fields: "")
        self._forget_mark = tracker.forget_mark()  # a later forget of this user ends the session
        if chat_model is not None:  # one-time costs paid at the start, not inside the first turn
            import langchain.agents  # noqa: F401

            tracker.mention_vocabulary.titles_in("")
        self._agent = None
        warm_encoder(tracker.settings.encoder)  # a search by description must not wait for its load

    @property
    def user_id(self) -> str:
        return self._user_id

    @property
    def copied_from(self) -> str | None:
        """The user this session's profile was copied from at its first feedback, if it was."""
        return self._copied_from

    def _writable_user(self) -> str:
        """The user feedback goes to; on a copy-on-write session's first write, the new copy."""
        if self._copy_to is not None:
            source, target = self._user_id, self._copy_to()
            self.tracker.copy_user(source, target)
            self._copy_to, self._copied_from = None, source
            self._user_id = self._context.user_id = target
            self._agent = None  # its tools were bound to the old id
        return self._user_id

    @property
    def is_new(self) -> bool:
        return not self.tracker.user_exists(self._user_id)

    def check_alive(self) -> None:
        """Raise :class:`UserForgotten` once the user has been forgotten (here or by another process):
        nothing more may be read or written in their name, and the session must end."""
        if self.tracker.forgotten_after(self._user_id, self._forget_mark):
            self.last_recommendations, self.history, self._undoable, self._waiting = [], [], [], None
            raise UserForgotten("this profile was deleted (forget); the session has ended, start a new one")

    # --- lists and buttons ----------------------------------------------------------------------

    def recommendations(self, k: int = LIST_SIZE, constraints: Constraints | None = None, widened: bool = False) -> list[dict[str, Any]]:
        """A fresh list for this user, each card with a one-line ``reason``; remembered as shown."""
        self.check_alive()
        if widened:
            cards = self._widened(k)
        else:  # a movie named as "something like X" is the reference, not a suggestion
            cards = self.tracker.recommend(self._user_id, k + len(self._anchors), constraints)
            cards = [c for c in cards if c["movie_id"] not in self._anchors][:k]
        for card in cards:
            card["reason"] = reason(card)
        self.last_recommendations = cards
        return cards

    def react(self, movie_id: int, reaction: str, source: str = "ui", defer_version: bool = False) -> list[dict[str, Any]]:
        """Record a button press (like, dislike, not_interested) and return the refreshed list.

        Args:
            defer_version: Leave the profile version (its summary may be a model call) to
                :meth:`save_pending_version`, so that the refreshed list is not kept waiting.
        """
        if reaction not in ("like", "dislike", "not_interested"):
            raise DriftrecError(f"unknown reaction {reaction!r}; use like, dislike or not_interested")
        self.check_alive()
        event = Event.new(self._writable_user(), reaction, movie_id=int(movie_id), source=source, event_id=uuid.uuid4().hex)
        self.tracker.record([event], save_versions=False)
        said = {"like": "you liked {}", "dislike": "you didn't like {}", "not_interested": "not {}"}[reaction]
        self._undoable.append(_Recorded(said.format(self.vocabulary.label(int(movie_id))), [event.event_id]))
        self._version_due = True
        cards = self.recommendations(max(len(self.last_recommendations), LIST_SIZE))
        if not defer_version:
            self.save_pending_version()
        return cards

    def _widened(self, k: int) -> list[dict[str, Any]]:
        """Thompson-sampled candidates, then a greedy pick that keeps each new movie unlike the ones chosen."""
        pool = self.tracker.recommend(self._user_id, WIDE_POOL, explore_seed=int(time.time_ns() % 2**32))
        shown = {c["movie_id"] for c in self.last_recommendations}
        pool = [c for c in pool if c["movie_id"] not in shown] or pool
        vectors = self.tracker.features.unit_vectors[self.tracker.tables.positions([c["movie_id"] for c in pool])]
        chosen = [0]
        closest = vectors @ vectors[0]
        while len(chosen) < min(k, len(pool)):
            closest[chosen] = np.inf
            pick = int(np.argmin(closest))
            chosen.append(pick)
            closest = np.maximum(closest, vectors @ vectors[pick])
        return [pool[i] for i in chosen]

    # --- turns ----------------------------------------------------------------------------------

    def send(self, message: str) -> Turn:
        """Run one turn and return it whole."""
        turn = None
        for part in self.stream(message):
            if isinstance(part, Turn):
                turn = part
        assert turn is not None
        return turn

    def stream(self, message: str, with_model: bool = True) -> Iterator["str | ListShown | Turn"]:
        """Run one turn: the code's reply and list first, then (with a model) its words; then the :class:`Turn`.

        Yields, in order: the first useful text (what was understood and the template's reply,
        before any model call), a :class:`ListShown` when the turn shows a list, the model's checked
        sentences as they form, and the :class:`Turn`.

        Args:
            with_model: False leaves the model's words to :meth:`model_words`, so that a server can
                answer every user at once and queue only the model's calls (``ui.app``).
        """
        self.check_alive()
        began = time.perf_counter()
        timer = LLMTimer()
        self._turns += 1
        self._waiting = None  # words still due for an earlier turn would now be out of place
        text = (message or "").strip()
        text, cut = cut_message(text)
        notes: list[str] = [cut] if cut else []
        turn = Turn(message=text, reply="")
        if not text:
            turn.reply = "Tell me what you'd like to watch, or what you thought of the list."
            yield turn.reply
            yield self._finish(turn, began, timer, time.perf_counter() - began)
            return
        if UNDO_REQUEST.match(text):
            turn.reply, turn.recommendations = self.undo_last()
            turn.understood = turn.reply if turn.reply != NOTHING_TO_UNDO else None
            yield turn.reply
            yield ListShown(turn.recommendations, None)
            yield self._finish(turn, began, timer, time.perf_counter() - began)
            if with_model:
                self.save_pending_version()
            return
        context, route, sentences = self._code_turn(text, turn, notes)
        first = " ".join(sentences)
        yield first
        if turn.recommendations:
            yield ListShown(turn.recommendations, turn.question)
        first_useful = time.perf_counter() - began
        turn.steps = context.steps
        turn.reply = first
        self.history += [HumanMessage(text), AIMessage(first)]
        # The model adds words where a list was chosen for the user; an answer (why, about, profile)
        # or a question ends the reply as the code wrote it.
        wanted = self.chat_model is not None and (
            route == "open" or (route in ("feedback", "search") and bool(turn.recommendations) and turn.question is None))
        self._waiting = _WaitingWords(turn, context, route, first, timer, began, first_useful) if wanted else None
        if with_model:
            if wanted:
                yield from self.model_words()
                return
            yield self._finish(turn, began, timer, first_useful)
            self.save_pending_version()
            return
        yield self._finish(turn, began, timer, first_useful)  # model_words() adds the words, then the version

    @property
    def words_due(self) -> bool:
        """Whether :meth:`model_words` has a model call to make for the last turn."""
        return self._waiting is not None

    def model_words(self) -> Iterator["str | ListShown | Turn"]:
        """The model's words for the last turn, when :meth:`stream` left them for later (``with_model=False``):
        its checked sentences as they form (each with a leading space), a :class:`ListShown` when an
        open request's agent chose a list, then the completed :class:`Turn`. Nothing when no words are
        due (no model, the turn needed none, or a newer turn came since). Either way the profile
        version the turn made due is written last (its summary may be a model call too)."""
        waiting, self._waiting = self._waiting, None
        if waiting is None:
            self.save_pending_version()
            return
        turn, context = waiting.turn, waiting.context
        spoken: list[str] = []
        words = (self._agent_sentences(turn.message, waiting.first, turn, context, waiting.timer) if waiting.route == "open"
                 else self._phrase(waiting.first, turn, context, waiting.timer))
        for sentence in words:
            spoken.append(sentence)
            yield " " + sentence
        turn.steps = context.steps
        turn.model_sentences = spoken
        self._model_said += spoken
        if waiting.route == "open" and self._cards_of_turn(context):
            turn.recommendations = self._cards_of_turn(context)
            yield ListShown(turn.recommendations, None)
        turn.reply = " ".join([waiting.first, *spoken]).strip()
        self.history[-1] = AIMessage(turn.reply)
        yield self._finish(turn, waiting.began, waiting.timer, waiting.first_useful)
        self.save_pending_version()

    def _code_turn(self, text: str, turn: Turn, notes: list[str]) -> tuple[ToolContext, str, list[str]]:
        """Everything the code decides, with no model: read, record, choose the list and the reply.

        Returns the turn's tool context, its route ("feedback", "explain", "profile", "search" or
        "open": a request only a model with tools can answer) and the reply's sentences.
        """
        cold = self.is_new
        shown = [c["movie_id"] for c in self.last_recommendations]
        subject, asked_about = self._explain_request(text, shown)
        intent = parse_message(text, self.vocabulary, shown)
        undone = None
        if intent.corrects_last and (previous := self._previous_reading()):
            # "wait no, I meant the third": the previous reading goes, and "the third" is a card of the
            # list that message was read against, not of the list its reading brought
            if list(previous[0].shown) != shown:
                shown = list(previous[0].shown)
                intent = parse_message(text, self.vocabulary, shown)
            undone = self._take_back(previous)
            del self._undoable[-len(previous):]
        turn.understood = " ".join(filter(None, [undone, self._record(intent, shown)])) or None
        self._preferences_given = self._preferences_given or intent.has_feedback
        widened = self._update_strategy(intent, text, shown)
        context = self._fresh_context(text, intent, shown, turn)
        sentences = [*([turn.understood] if turn.understood else []), *notes]
        if OTHER_USER.search(text):
            sentences.append("I can only see and change your own profile, not anyone else's.")
        route = "feedback"
        if asked_about is not None:
            self._last_movie = asked_about
            route = "explain"
            card = self.tracker.explain(self._user_id, asked_about)
            context.explained.append(card)
            context.step("explain", {"movie": card["title"]}, card)
            sentences.append(why_sentence(card))
        elif subject and not intent.has_feedback:
            route = "explain"
            sentences.append(f"I couldn't find a movie called “{subject}” to explain.")
        elif (about := self._about_request(text, shown)) is not None:
            route = "about"
            card = self.tracker.explain(self._user_id, about)
            context.explained.append(card)
            context.step("explain", {"movie": card["title"]}, card)
            sentences.append(about_sentence(card))
        elif PROFILE_REQUEST.search(text):
            route = "profile"
            sentences.append(self._profile_sentence(context))
        query = description_query(text, intent) if route == "feedback" else None
        cards: list[dict[str, Any]] = []
        if widened:
            cards = self.recommendations(LIST_SIZE, widened=True)
            turn.strategy, turn.question = "widened", CLARIFYING_QUESTION
            sentences += ["Here is a wider mix than before.", CLARIFYING_QUESTION]
        elif query:
            route = "search"
            cards = self._search(query, context)
            sentences.append(f"Here are movies matching “{query}”." if cards else f"I found nothing for “{query}”.")
        elif cold or intent.wants_list or turn.understood or self._turns == 1 or (route == "feedback" and intent.has_feedback):
            cards = self.recommendations(LIST_SIZE)
            if route == "feedback":
                sentences.append(_list_sentence(cards))
        if cold and not self._preferences_given and not self._asked_cold_start:
            self._asked_cold_start = True
            sentences += ["Welcome! Here are movies many people enjoy, to start with.", COLD_START_QUESTION]
            turn.question = COLD_START_QUESTION
        if route == "feedback" and not cards and not intent.has_feedback and not widened:
            route = "open"  # nothing the code can answer: a question a model with tools may
            sentences.append("Tell me more about what you'd like, or ask me for recommendations.")
        turn.recommendations = cards
        return context, route, sentences

    def _fresh_context(self, text: str, intent: FeedbackIntent, shown: list[int], turn: Turn) -> ToolContext:
        """The session's tool context with this turn's record emptied (the agent's tools are bound to it once)."""
        context = self._context
        context.give_feedback = self._tool_feedback(intent, shown, turn)
        context.steps, context.explained, context.searched = [], [], []
        context.facts, context.facts_at = None, -1
        context.message = text
        # Only titles the user typed may be named back: a movie a model's reading put in the intent
        # is no licence for the reply to present it (the list on screen is grounded by the cards).
        named = message_support(text, self.vocabulary, shown).named
        context.mentioned = [m for name in MOVIE_FIELDS for m in getattr(intent, name) if m in named]
        context.allowed_explain = set(shown) | set(named)
        return context

    def _profile_sentence(self, context: ToolContext) -> str:
        facts = self.tracker.describe(self._user_id)
        context.step("show_profile", {}, {k: facts[k] for k in ("interactions", "top_genres_long", "top_genres_short", "recent")})
        if not facts["interactions"] and not facts["feedback"]:
            return "I don't know your taste yet: tell me a genre, a decade, or a movie you loved."
        long_term = ", ".join(list(facts["top_genres_long"])[:3]) or "no genre in particular"
        lately = ", ".join(list(facts["top_genres_short"])[:3]) or "nothing new"
        return f"Over time you have watched mostly {long_term}; lately, {lately}."

    def _search(self, query: str, context: ToolContext) -> list[dict[str, Any]]:
        """Movies matching a description, ranked for this user (each with its breakdown and reason)."""
        from retrieval.store import MovieIndex

        try:
            found = MovieIndex(self.tracker.settings).search(query, k=WIDE_POOL)
        except DriftrecError as error:
            context.step("search_movies", {"text": query}, {"error": str(error)})
            return []
        context.searched.extend(found.to_dict("records"))
        context.step("search_movies", {"text": query}, found.to_dict("records")[:LIST_SIZE])
        cards = [self.tracker.explain(self._user_id, int(m)) for m in found["movie_id"].tolist()[:WIDE_POOL]]
        cards = sorted((c for c in cards if c["status"] == "candidate"), key=lambda c: -c["score"])[:LIST_SIZE]
        for card in cards:
            card["reason"] = reason(card)
        self.last_recommendations = cards
        return cards

    def _phrase(self, reply: str, turn: Turn, context: ToolContext, timer: LLMTimer) -> Iterator[str]:
        """One model call that adds a sentence or two to the code's reply, each checked: names and
        figures against the turn's facts, claims (popular, classic, similar to …) against the cards'
        breakdowns. Nothing passes: the code's reply stands alone."""
        cards = turn.recommendations or context.explained
        if not cards and not context.steps:
            return
        listing = card_lines(cards[:PHRASE_CARDS]) if cards else "(no list this turn)"
        messages = [("system", PHRASE_PROMPT), ("human", f"Reply so far: {reply}\nList:\n{listing}\nSentence:")]
        options = {"max_tokens": PHRASE_MAX_TOKENS} if accepts_max_tokens(self.chat_model) else {}
        said: list[str] = []
        refused: list[dict[str, Any]] = []
        buffer = ""
        try:
            for chunk in self.chat_model.stream(messages, config={"callbacks": [timer]}, **options):
                buffer += content_text(chunk.content)
                *done, buffer = _SENTENCE_END.split(buffer)
                for sentence in filter(None, (s.strip() for s in done)):
                    if len(said) < PHRASE_SENTENCES and self._keep(sentence, reply, said, cards, context, refused):
                        said.append(sentence)
                        yield sentence
                if len(said) >= PHRASE_SENTENCES:
                    buffer = ""
                    break  # enough said: stop the model rather than let it run to its token limit
        except Exception as error:  # noqa: BLE001 - a failing model leaves the code's reply standing
            log.warning("phrasing failed (%s: %s); the code's reply stands", type(error).__name__, error)
            context.step("error", {}, f"{type(error).__name__}: {error}")
        tail = buffer.strip()
        if tail and not tail.endswith((".", "!", "?")):
            refused.append({"sentence": tail, "problems": ["unfinished: the model stopped mid-sentence"]})
        elif tail and len(said) < PHRASE_SENTENCES and self._keep(tail, reply, said, cards, context, refused):
            yield tail
        if refused:
            context.step("refused_text", {}, refused)

    def _keep(self, sentence: str, reply: str, said: list[str], cards: list[dict[str, Any]], context: ToolContext,
              refused: list[dict[str, Any]]) -> bool:
        """Whether a model's sentence may be shown: a sentence with no word beyond the facts, grounded
        names and figures, supported claims, not an echo."""
        problems = (phrasing_problems(sentence, self._fact_texts(reply, cards, context), self.tracker.features.genre_vocabulary)
                    or unsupported_claims(sentence, cards)
                    + echo_problems(sentence, [reply, *said, *self._model_said[-RECENT_MODEL_SENTENCES:], card_lines(cards)]))
        if problems:
            refused.append({"sentence": sentence, "problems": problems})
            return False
        return self._grounded(sentence, context, refused)

    def save_pending_version(self) -> None:
        """After a reply: a new profile version (summary, Chroma) if this session's feedback moved the profile."""
        if self._version_due:
            self._version_due = False
            self.check_alive()  # a version for a forgotten user would bring part of them back
            self.tracker.save_version(self._user_id)

    @staticmethod
    def _finish(turn: Turn, began: float, timer: LLMTimer, first_useful: float) -> Turn:
        """Timings in seconds: to the first useful text (understood + list, before any model call), in
        the model, and in all."""
        total = time.perf_counter() - began
        turn.timings = {
            "total": total, "llm": timer.llm_s, "outside_llm": total - timer.llm_s, "model_calls": float(timer.calls),
            "first_token": timer.first_token_s if timer.first_token_s is not None else 0.0,
            "first_useful": first_useful, "first_text": first_useful,
        }
        return turn

    # --- feedback -------------------------------------------------------------------------------

    def _record(self, intent: FeedbackIntent, shown: list[int]) -> str | None:
        """Write the intent's events (one transaction) and say what was understood; None if nothing."""
        events = intent_events(intent, self._user_id, self.source)
        if events and self._copy_to is not None:
            events = intent_events(intent, self._writable_user(), self.source)
        self._anchors.update(intent.similar_to)
        sentence = describe(intent, self.vocabulary)
        if events:
            self.tracker.record(events, save_versions=False)
            self._version_due = True
            said = sentence.split(". ")[0].removeprefix("Noted: ").rstrip(".")
            self._undoable.append(_Recorded(said, [e.event_id for e in events], self._turns, tuple(shown)))
        return sentence or None

    def undo_last(self) -> tuple[str, list[dict[str, Any]]]:
        """Take back the last feedback recorded (a chat reading or a button), one step per call.

        Returns:
            What was undone ("Undone: fewer Comedy.") or that nothing is left, and the refreshed list.
        """
        self.check_alive()
        if not self._undoable:
            return NOTHING_TO_UNDO, self.last_recommendations
        said = self._take_back([self._undoable.pop()])
        return said, self.recommendations(max(len(self.last_recommendations), LIST_SIZE))

    def _take_back(self, recorded: list[_Recorded]) -> str:
        """Undo these recordings (compensating events; the log stays append-only) and say so."""
        self.tracker.undo(self._user_id, [e for r in recorded for e in r.event_ids], source=self.source)
        self._version_due = True
        self._anchors.clear()
        return "Undone: " + "; ".join(r.said for r in recorded) + "."

    def _previous_reading(self) -> list[_Recorded]:
        """What the chat read from the user's previous message and recorded, if nothing came since."""
        recent = []
        for recorded in reversed(self._undoable):
            if recorded.turn != self._turns - 1:
                break
            recent.insert(0, recorded)
        return recent

    def _update_strategy(self, intent: FeedbackIntent, text: str, shown: list[int]) -> bool:
        """Count lists rejected in a row; True when the strategy must change now."""
        rejected_shown = set(intent.disliked) | set(intent.not_interested)
        rejected = bool(shown) and (intent.rejects_list or bool(rejected_shown & set(shown)))
        complained = bool(STRATEGY_COMPLAINT.search(text))
        self._rejections = self._rejections + 1 if rejected else 0
        if complained or self._rejections >= REJECTIONS_BEFORE_WIDENING:
            self._rejections = 0
            return True
        return False

    def _tool_feedback(self, parsed: FeedbackIntent, shown: list[int], turn: Turn):
        """give_feedback for the agent: its reading, held to what the message names or points at and
        merged under the parser's, minus what is recorded."""

        def give_feedback(fields: dict[str, Any]) -> str:
            dropped: Counter[str] = Counter()
            supported = supported_feedback(fields, turn.message, self.vocabulary, shown, dropped)
            merged = merge(parsed, supported, dropped)
            # The parser's part was recorded when the turn began; write only what the model adds.
            extra = FeedbackIntent(**{
                name: [v for v in getattr(merged, name) if v not in getattr(parsed, name)]
                for name in (*GENRE_FIELDS, *MOVIE_FIELDS)
            }, **{name: getattr(merged, name) for name in YEAR_FIELDS if getattr(merged, name) != getattr(parsed, name)})
            noted = self._record(extra, shown)
            if noted:
                turn.understood = " ".join(filter(None, [turn.understood, noted]))
            if dropped:
                log.info("give_feedback: dropped %s", dict(dropped))
                refused = "; ".join(f"{reason} ({n})" for reason, n in dropped.items())
                return " ".join(filter(None, [noted, f"Not recorded, the user's message does not say it: {refused}."]))
            return noted or "Already noted."

        return give_feedback

    def _about_request(self, text: str, shown: list[int]) -> int | None:
        """The movie a "what is it about?" asks of: a title, "the second one", or "it" (the movie last
        asked about, else the first card); None when the message is no such question."""
        match = ABOUT_REQUEST.match(text)
        if not match:
            return None
        subject = next((g for g in match.groups() if g), "").strip(" ?!.\"'")
        if re.match(r"(?i)(?:me|my|myself|you|yourself|us|our)\b", subject):
            return None  # "tell me about my taste" is a profile question
        ordinal = ORDINAL.search(subject)
        if ordinal and shown:
            return shown[min(ORDINALS[ordinal.group(1).lower()], len(shown)) - 1]
        if re.fullmatch(r"(?i)(?:it|that|this|that one|this one|the movie|that movie|this movie|plot|story)", subject):
            return self._last_movie if self._last_movie is not None else (shown[0] if shown else None)
        return self.vocabulary.find_title(subject) if subject else None

    def _explain_request(self, text: str, shown: list[int]) -> tuple[str, int | None]:
        """What a "why …?" / "explain …" message asks about, and its movie (a title or "the second one")."""
        match = EXPLAIN_REQUEST.match(text)
        if not match:
            return "", None
        subject = match.group("subject").strip(" ?!.\"'")
        ordinal = ORDINAL.search(subject)
        if ordinal and not shown:
            return "", None  # nothing shown yet to point at: an ordinary turn
        if ordinal:
            position = min(ORDINALS[ordinal.group(1).lower()], len(shown)) - 1
            return subject, shown[position]
        if re.fullmatch(r"(that|this|it|that one|this one)", subject, re.I) and shown:
            return subject, shown[0]
        return subject, self.vocabulary.find_title(subject) if subject else None

    # --- the agent --------------------------------------------------------------------------------

    def _tool_recommend(self, k: int, constraints: Constraints | None) -> list[dict[str, Any]]:
        return self.recommendations(k, constraints)

    def _agent_sentences(self, text: str, reply: str, turn: Turn, context: ToolContext, timer: LLMTimer) -> Iterator[str]:
        """Run the agent; yield each finished sentence of its text that passes the checks of :meth:`_keep`."""
        widened = turn.strategy == "widened"
        if self._agent is None:  # built once per session: compiling the graph every turn costs tens of ms
            self._agent = _build_agent(self.chat_model, context)
        agent = self._agent
        hint = f"\n(Already recorded from this message: {turn.understood})" if turn.understood else ""
        if widened:
            hint += "\n(The user rejected the last lists: a wider list will be shown; do not repeat earlier titles.)"
        messages = [*self.history[-HISTORY_MESSAGES:], HumanMessage(text + hint)]
        buffer = ""
        said: list[str] = []
        refused: list[dict[str, Any]] = []
        config = {"callbacks": [timer], "recursion_limit": RECURSION_LIMIT}
        try:
            for chunk, meta in agent.stream({"messages": messages}, config=config, stream_mode="messages"):
                if meta.get("langgraph_node") != "model":  # tool results and middleware notices are not the reply
                    continue
                if not isinstance(chunk, (AIMessageChunk, AIMessage)) or getattr(chunk, "tool_calls", None):
                    buffer = ""  # text before a tool call is the model thinking aloud, not the reply
                    continue
                buffer += content_text(chunk.content)
                *done, buffer = _SENTENCE_END.split(buffer)
                for sentence in filter(None, (s.strip() for s in done)):
                    if self._keep(sentence, reply, said, self._agent_cards(context), context, refused):
                        said.append(sentence)
                        yield sentence
        except Exception as error:  # noqa: BLE001 - any model/agent failure must leave the turn usable
            log.warning("agent run failed (%s: %s); the reply falls back to the template", type(error).__name__, error)
            context.step("error", {}, f"{type(error).__name__}: {error}")
        tail = buffer.strip()
        if tail and not tail.endswith((".", "!", "?")):
            refused.append({"sentence": tail, "problems": ["unfinished: the model stopped mid-sentence"]})
        elif tail and self._keep(tail, reply, said, self._agent_cards(context), context, refused):
            yield tail
        if refused:
            context.step("refused_text", {}, refused)

    @staticmethod
    def _fact_texts(reply: str, cards: list[dict[str, Any]], context: ToolContext) -> list[str]:
        """What a model's sentence may draw its words from: the reply, the message, the cards and
        every tool result of the turn."""
        texts = [reply, context.message, *(card_lines([c]) for c in cards)]
        texts += [json.dumps(step.get("result"), default=str) for step in context.steps if step["tool"] != "refused_text"]
        return texts

    def _agent_cards(self, context: ToolContext) -> list[dict[str, Any]]:
        return [*self._cards_of_turn(context), *context.explained] or self.last_recommendations

    def _grounded(self, sentence: str, context: ToolContext, refused: list[dict[str, Any]]) -> bool:
        if context.facts_at != len(context.steps):  # tools ran since: the facts grew
            context.facts, context.facts_at = self._turn_facts(context), len(context.steps)
        facts = context.facts
        problems = ungrounded(sentence, facts, self.tracker.mention_vocabulary)
        if problems:
            refused.append({"sentence": sentence, "problems": problems})
        return not problems

    def _turn_facts(self, context: ToolContext) -> Facts:
        facts = card_facts([*self.last_recommendations, *context.explained])
        for row in context.searched:
            facts.titles.add(row["title"])
            facts.genres.update(row["genres"])
            if row.get("year"):
                facts.years.add(int(row["year"]))
        profile = self.tracker.describe(self._user_id)
        facts.titles.update(profile["recent"])
        facts.genres.update(profile["top_genres_long"])
        facts.genres.update(profile["top_genres_short"])
        earlier = " ".join(m.content for m in self.history[-2:] if isinstance(m.content, str))
        facts.genres.update(self.tracker.mention_vocabulary.genres_in(earlier + " " + context.message))
        facts.titles.update(self.tracker.title(m) for m in context.mentioned)
        return facts

    def _cards_of_turn(self, context: ToolContext) -> list[dict[str, Any]]:
        return self.last_recommendations if any(step["tool"] == "recommend" for step in context.steps) else []

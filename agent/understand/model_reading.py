"""The chat model's reading of a message as JSON, every name checked against the vocabulary and the
message; what fails a check is dropped."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.understand.genres_years import spelled_years_as_digits, year_mentions
from agent.understand.reader import WORDLESS_RE, message_support
from agent.understand.intent import GENRE_FIELDS, MOVIE_FIELDS, YEAR_FIELDS, FeedbackIntent
from agent.understand.vocabulary import CatalogVocabulary, fold
from tracking.grounding import UNNAMEABLE_GENRES, genre_slug
from tracking.summary import accepts_max_tokens

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

logger = logging.getLogger(__name__)

MAX_LLM_CHARS = 1_000
"""What the chat model sees of a message (its context is small and its time is the turn's time)."""

LLM_MAX_TOKENS = 96
"""Enough for any one message's JSON; a longer reply is a model repeating itself (and costs seconds)."""


# --- the chat model's reading --------------------------------------------------------------------


class LLMReading(BaseModel):
    """The JSON the chat model is asked for: names as it read them, checked afterwards."""

    model_config = ConfigDict(extra="ignore")

    more_genres: list[str] = Field(default_factory=list, description="Genres the user wants more of.")
    less_genres: list[str] = Field(default_factory=list, description="Genres the user wants less of.")
    never_genres: list[str] = Field(default_factory=list, description="Genres the user never wants.")
    years: str | None = Field(None, description="Years the user wants, e.g. 1990-1999.")
    avoid_years: str | None = Field(None, description="Years the user wants fewer of.")
    liked: list[str] = Field(default_factory=list, description="Movies the user liked: titles or #n of the shown list.")
    disliked: list[str] = Field(default_factory=list, description="Movies the user disliked.")
    not_interested: list[str] = Field(default_factory=list, description="Movies the user does not want.")
    seen: list[str] = Field(default_factory=list, description="Movies the user has seen.")
    watchlist: list[str] = Field(default_factory=list, description="Movies the user wants to watch.")
    similar_to: list[str] = Field(default_factory=list, description="Movies the user wants more like.")
    wants_list: bool = Field(False, description="The user asks for recommendations.")
    rejects_list: bool = Field(False, description="The user rejects every movie shown.")

    @field_validator(*GENRE_FIELDS, *MOVIE_FIELDS, mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, (str, int)):
            return [str(value)]
        if isinstance(value, list):
            return [str(v) for v in value if v is not None]
        return value

    @field_validator(*YEAR_FIELDS, mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, (int, float)):
            return str(int(value))
        if isinstance(value, list) and value:
            return "-".join(str(v) for v in value[:2])
        return value

    @field_validator("wants_list", "rejects_list", mode="before")
    @classmethod
    def _as_bool(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().lower() in ("true", "yes", "1")
        return bool(value) if value is not None else False


SYSTEM_PROMPT = """Turn the user's message to a movie recommender into JSON. Keys, only those the message \
talks about: more_genres, less_genres, never_genres (genres from: {genres}); years, avoid_years \
("1990-1999"); liked, disliked, not_interested, seen, similar_to (titles the user wrote, or "#2" for the \
second shown movie); wants_list, rejects_list (true or false). Answer with the JSON object only."""

FEW_SHOT: tuple[tuple[str, str], ...] = (
    # (message, the answer): worked examples help a small model far more than rules do
    ("less horror, more 90s comedies", '{"less_genres": ["Horror"], "more_genres": ["Comedy"], "years": "1990-1999"}'),
    ("not the second one", '{"not_interested": ["#2"]}'),
    ("I loved Alien", '{"liked": ["Alien"]}'),
    ("something that makes me laugh", '{"more_genres": ["Comedy"]}'),
    ("none of these", '{"rejects_list": true}'),
    ("never show me westerns", '{"never_genres": ["Western"]}'),
)
FEW_SHOT_SHOWN = "#1 Heat (1995)\n#2 Toy Story (1995)"
MAX_LLM_GENRES = 4
"""A field with more genres than this is the model copying the list, not reading the message."""


def _llm_messages(message: str, vocab: CatalogVocabulary, shown: Sequence[int]) -> list[tuple[str, str]]:
    """System prompt and worked examples first (the same for every call, so a local server reuses
    their cache), then the shown list and the message."""
    genres = ", ".join(g for g in vocab.genres if genre_slug(g) not in UNNAMEABLE_GENRES)
    messages: list[tuple[str, str]] = [("system", SYSTEM_PROMPT.format(genres=genres))]
    for example, answer in FEW_SHOT:
        messages += [("human", f"Shown:\n{FEW_SHOT_SHOWN}\nMessage: {example}"), ("ai", answer)]
    listing = "\n".join(f"#{n} {vocab.label(m)}" for n, m in enumerate(shown, 1) if vocab.has_movie(m)) or "nothing yet"
    messages.append(("human", f"Shown:\n{listing}\nMessage: {message[:MAX_LLM_CHARS]}"))
    return messages


def _supports_structured_output(chat_model: "BaseChatModel") -> bool:
    """Whether the model has its own structured output (a server model such as ChatOpenAI's JSON
    schema mode). Local models only render tools into the prompt and cannot be forced to call
    one; a plain JSON request reads them more reliably."""
    from langchain_core.language_models import BaseChatModel

    return type(chat_model).with_structured_output is not BaseChatModel.with_structured_output


def _json_object(text: str) -> dict[str, Any]:
    """The first JSON object in a model's reply (code fences and chatter around it are ignored)."""
    start = text.find("{")
    if start < 0:
        raise ValueError(f"no JSON object in the model's reply: {text[:120]!r}")
    value, _ = json.JSONDecoder().raw_decode(text[start:])
    if not isinstance(value, dict):
        raise ValueError("the model's JSON is not an object")
    return value


def extract_with_llm(
    message: str,
    chat_model: "BaseChatModel",
    vocab: CatalogVocabulary,
    shown: Sequence[int] = (),
    structured: bool | None = None,
    dropped: "Counter[str] | None" = None,
) -> FeedbackIntent | None:
    """The chat model's reading of the message, every name checked against the vocabulary.

    Genres must be the data set's (synonyms mapped), years must parse and hold catalog movies, a
    title counts only if the message itself contains it (or it is one of ``shown``), so a model
    that invents a movie adds nothing. Whatever fails a check is dropped.

    Args:
        message: The user's message.
        chat_model: Any LangChain chat model.
        vocab: The loaded data set's vocabulary.
        shown: The movie ids shown last.
        structured: Use the model's structured output (tool calling); None: when it has its own.
        dropped: Counts, by reason, what the checks dropped (for the understanding benchmark).

    Returns:
        The validated intent (``sure`` empty), or None when the model gave nothing usable or failed
        (the reason is logged).
    """
    from langchain_core.exceptions import OutputParserException

    if _wordless(message):
        _count(dropped, "not asked: no words to read")
        return None  # emoji, greetings and laughter hold no feedback to look for
    messages = _llm_messages(message, vocab, shown)
    use_structured = _supports_structured_output(chat_model) if structured is None else structured
    try:
        if use_structured:
            reply = chat_model.with_structured_output(LLMReading).invoke(messages)
            reading = reply if isinstance(reply, LLMReading) else LLMReading.model_validate(reply)
        else:
            reply = chat_model.invoke(messages, max_tokens=LLM_MAX_TOKENS) if accepts_max_tokens(chat_model) \
                else chat_model.invoke(messages)
            reading = LLMReading.model_validate(_json_object(str(reply.content)))
    except (OutputParserException, ValidationError, json.JSONDecodeError, ValueError, TypeError) as error:
        logger.info("the chat model's reading of %r is unusable: %s", message[:80], error)
        _count(dropped, "unusable reply")
        return None
    intent = _validated(reading, message, vocab, shown, dropped)
    if not intent.has_feedback and not intent.wants_list and not intent.rejects_list:
        logger.info("the chat model's reading of %r holds nothing the catalog knows", message[:80])
        return None
    return intent


def supported_feedback(fields: dict[str, Any], message: str, vocab: CatalogVocabulary, shown: Sequence[int] = (),
                       dropped: "Counter[str] | None" = None) -> FeedbackIntent:
    """Feedback a model gave as fields (an agent's tool call), kept only where ``message`` supports it.

    The same checks as :func:`extract_with_llm`'s reading: a tool call is the model's reading too, and
    a model that records "liked Inception" for "🎬🍿" or "recommend me something" must record nothing.

    Returns:
        The supported part (empty when the fields are malformed or the message has no words).
    """
    if _wordless(message):
        _count(dropped, "not asked: no words to read", sum(bool(v) for v in fields.values()))
        return FeedbackIntent()
    try:
        reading = LLMReading.model_validate(fields)
    except ValidationError as error:
        logger.info("the model's feedback fields %r are unusable: %s", fields, error)
        _count(dropped, "unusable reply")
        return FeedbackIntent()
    return _validated(reading, message, vocab, shown, dropped)


def _wordless(message: str) -> bool:
    """Emoji, greetings and laughter only: no feedback for a model to read or to record."""
    return not message.strip() or bool(WORDLESS_RE.match(fold(message).strip()))


def _count(dropped: "Counter[str] | None", reason: str, n: int = 1) -> None:
    if dropped is not None and n:
        dropped[reason] += n


def _validated(reading: LLMReading, message: str, vocab: CatalogVocabulary, shown: Sequence[int],
               dropped: "Counter[str] | None" = None) -> FeedbackIntent:
    """An intent from the model's reading, keeping only what the message supports (see :func:`message_support`):
    a genre the message names, a movie it names or points at, years when it names an era, the whole
    list when it points at the whole list. Everything else is dropped and counted."""
    support = message_support(message, vocab, shown)
    intent = FeedbackIntent(wants_list=reading.wants_list)
    placed: dict[str, str] = {}
    for name in GENRE_FIELDS:
        if len(getattr(reading, name)) > MAX_LLM_GENRES:
            logger.info("the chat model listed %d genres as %s: dropped", len(getattr(reading, name)), name)
            _count(dropped, "genre list copied")
            continue
        for genre in (g for raw in getattr(reading, name) for g in vocab.genre(raw)):
            if genre not in support.genres:
                _count(dropped, "genre the message does not name")
                continue
            placed[genre] = "conflict" if placed.get(genre, name) != name else name
    for genre, name in placed.items():
        if name != "conflict":
            getattr(intent, name).append(genre)
    for name in YEAR_FIELDS:
        raw = getattr(reading, name)
        if raw and not support.eras:
            _count(dropped, "years the message does not name")
        elif raw:
            setattr(intent, name, _years_from_text(raw, vocab))
    shown = [int(m) for m in shown if vocab.has_movie(int(m))]
    for name in MOVIE_FIELDS:
        for raw in getattr(reading, name):
            movie_id = _movie_from_llm(raw, vocab, shown)
            if movie_id is None or movie_id not in support.movies:
                _count(dropped, "movie neither named nor pointed at")
                continue
            if not any(movie_id in getattr(intent, n) for n in MOVIE_FIELDS):
                getattr(intent, name).append(movie_id)
    if reading.rejects_list and shown:
        if not support.whole_list:
            _count(dropped, "whole list the message does not point at")
        else:
            intent.rejects_list = True
            intent.not_interested = list(dict.fromkeys(intent.not_interested + [
                m for m in shown if not any(m in getattr(intent, n) for n in MOVIE_FIELDS if n != "not_interested")
            ]))
    return intent


def _years_from_text(raw: str, vocab: CatalogVocabulary) -> str | None:
    """A model's year answer ("1990-1999", "1990s", "90s", "1995") as a catalog range, or None."""
    text = spelled_years_as_digits(fold(str(raw)))
    plain = re.fullmatch(r"\s*(1[89]\d\d|20\d\d)\s*(?:-\s*(1[89]\d\d|20\d\d))?\s*", text)
    if plain:
        first = int(plain.group(1))
        last = int(plain.group(2) or first)
        return vocab.clip_years(min(first, last), max(first, last))
    mentions = year_mentions(vocab, text)
    if not mentions:
        return None
    return vocab.clip_years(min(m[1] for m in mentions), max(m[2] for m in mentions))


def _movie_from_llm(raw: str, vocab: CatalogVocabulary, shown: list[int]) -> int | None:
    """The movie a model's answer names: "#2" of the list shown, or a catalog title (not a genre word)."""
    text = str(raw).strip()
    position = re.fullmatch(r"#?\s*(\d{1,2})", text)
    if position:
        index = int(position.group(1)) - 1
        return shown[index] if 0 <= index < len(shown) else None
    if vocab.genre(text):
        return None  # "Thriller" is a genre here, whatever film carries the name
    return vocab.find_title(text)

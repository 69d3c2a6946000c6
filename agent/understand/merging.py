"""The parser's and the model's readings merged, turned into tracking events and said back."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from agent.understand.intent import GENRE_FIELDS, MOVIE_FIELDS, POSITIVE_MOVIE_FIELDS, YEAR_FIELDS, FeedbackIntent
from agent.understand.vocabulary import CatalogVocabulary
from tracking.events import Event, EventKind, EventSource

# --- merge, events, description ------------------------------------------------------------------


def merge(parsed: FeedbackIntent, llm: FeedbackIntent | None, dropped: "Counter[str] | None" = None) -> FeedbackIntent:
    """The parser's intent, with what the model found where the parser found nothing.

    On every field in ``parsed.sure`` the parser's value stands. The model may fill the other
    fields, but never with a genre or movie the parser placed elsewhere (a parser-sure "less
    Horror" is not undone by the model's "more Horror"), and years only when the parser read none.
    """
    if llm is None:
        return parsed.model_copy(deep=True)
    merged = parsed.model_copy(deep=True)
    if llm.rejects_list and "rejects_list" not in parsed.sure and any(getattr(parsed, n) for n in POSITIVE_MOVIE_FIELDS):
        # The parser read a shown movie wanted: a rejection of the whole list contradicts it, and the
        # model's "not interested" ones came with that rejection.
        if dropped is not None:
            dropped["contradicts the parser"] += 1 + len(llm.not_interested)
        llm = llm.model_copy(update={"rejects_list": False, "not_interested": []})
    for group in (GENRE_FIELDS, MOVIE_FIELDS):
        placed = {item for name in group if name in parsed.sure for item in getattr(parsed, name)}
        for name in group:
            if name in parsed.sure:
                continue
            extra = [item for item in getattr(llm, name) if item not in placed]
            if dropped is not None:
                dropped["contradicts the parser"] += len(getattr(llm, name)) - len(extra)
            setattr(merged, name, list(dict.fromkeys(getattr(parsed, name) + extra)))
    if not any(name in parsed.sure for name in YEAR_FIELDS):
        merged.years, merged.avoid_years = llm.years, llm.avoid_years
    if "wants_list" not in parsed.sure:
        merged.wants_list = parsed.wants_list or llm.wants_list
    if "rejects_list" not in parsed.sure:
        merged.rejects_list = llm.rejects_list
    merged.sure = set(parsed.sure)
    return merged




def intent_events(intent: FeedbackIntent, user_id: str, source: EventSource | str = EventSource.CHAT) -> list[Event]:
    """The tracking events an intent stands for (:meth:`Tracker.record` checks them before writing).

    liked → ``like``, disliked → ``dislike``, not_interested → ``not_interested``, seen → ``watch``;
    more/less genres → ``preference genre:X`` ±1; never → the same, -1 as a hard rule; years →
    ``preference years:A-B`` +1 (avoid_years -1); similar_to and watchlist → ``preference movie:<id>``
    +1 (more movies like it, without claiming the user watched it).
    """
    events: list[Event] = []

    def preference(attribute: str, value: float, hard: bool = False) -> None:
        events.append(Event.new(user_id, EventKind.PREFERENCE, attribute=attribute, value=value, hard=hard, source=source))

    for genre in intent.more_genres:
        preference(f"genre:{genre}", +1.0)
    for genre in intent.less_genres:
        preference(f"genre:{genre}", -1.0)
    for genre in intent.never_genres:
        preference(f"genre:{genre}", -1.0, hard=True)
    if intent.years:
        preference(f"years:{intent.years}", +1.0)
    if intent.avoid_years:
        preference(f"years:{intent.avoid_years}", -1.0)
    for movie_id in [*intent.similar_to, *intent.watchlist]:
        preference(f"movie:{int(movie_id)}", +1.0)
    for name, kind in (("liked", EventKind.LIKE), ("disliked", EventKind.DISLIKE),
                       ("not_interested", EventKind.NOT_INTERESTED), ("seen", EventKind.WATCH)):
        for movie_id in getattr(intent, name):
            events.append(Event.new(user_id, kind, movie_id=int(movie_id), source=source))
    return events


def _years_text(years: str) -> str:
    first, _, last = years.partition("-")
    return first if first == last or not last else f"{first}–{last}"


def _names(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(intent: FeedbackIntent, vocab: CatalogVocabulary) -> str:
    """What was understood, in one or two sentences ("Noted: fewer Horror, more Comedy from 1990–1999.").

    Empty when the message held no feedback and nothing was left unfound.
    """
    genre_parts: list[str] = []
    if intent.never_genres:
        genre_parts.append(f"never {_names(intent.never_genres)}")
    if intent.less_genres:
        genre_parts.append(f"fewer {_names(intent.less_genres)}")
    if intent.avoid_years:
        genre_parts.append(f"fewer from {_years_text(intent.avoid_years)}")
    if intent.more_genres or intent.years:
        more = f"more {_names(intent.more_genres)}" if intent.more_genres else "more movies"
        genre_parts.append(more + (f" from {_years_text(intent.years)}" if intent.years else ""))
    parts = list(genre_parts)
    movie_parts = (
        ("similar_to", "more like {}"), ("liked", "you liked {}"), ("disliked", "you didn't like {}"),
        ("seen", "you've seen {}"), ("watchlist", "you'd like to watch {}"),
    )
    for name, template in movie_parts:
        if getattr(intent, name):
            parts.append(template.format(_names([vocab.label(m) for m in getattr(intent, name)])))
    if intent.rejects_list:
        parts.append(f"none of the {len(intent.not_interested)} shown")
    elif intent.not_interested:
        parts.append(f"not {_names([vocab.label(m) for m in intent.not_interested])}")
    sentences = ["Noted: " + ", ".join(parts) + "."] if parts else []
    if intent.tone:
        direction = "less" if intent.tone == "lighter" else "more"
        sentences.append(f"“{intent.tone}” names no genre, so nothing was changed for it: tell me which genres you'd "
                         f"like {direction} of (e.g. “{direction} horror”).")
    for name in intent.not_found:
        sentences.append(f"I couldn't find a movie called “{name}” in {vocab.dataset}.")
    for said in intent.out_of_range:
        sentences.append(
            f"{vocab.dataset} has no movies for “{said}” (it spans {vocab.first_year}–{vocab.last_year})."
        )
    return " ".join(sentences)

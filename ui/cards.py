"""How a recommendation card and its score breakdown are shown: card text, list labels, tables.

A card is the tracker's card dict (``movie_id, title, year, genres, score, breakdown``) plus the
session's one-line ``reason``; nothing here computes a score, it only lays out what the tracker
and the session computed.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """Text shown literally in Markdown (titles such as ``*batteries not included`` stay as typed)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def movie_label(card: dict[str, Any]) -> str:
    """``Title (1995)``, or the title alone when the year is unknown."""
    return f"{card['title']} ({card['year']})" if card.get("year") else card["title"]


def card_markdown(card: dict[str, Any], rank: int) -> str:
    """The card as end users see it: rank and title, year, genres, and the one-line reason."""
    genres = ", ".join(card.get("genres") or []) or "no genres listed"
    year = f" ({card['year']})" if card.get("year") else ""
    reason = card.get("reason") or ""
    lines = [f"**{rank}. {escape_markdown(card['title'])}**{year}", f"{escape_markdown(genres)}"]
    if reason:
        lines.append(f"_{escape_markdown(reason)}_")
    return "  \n".join(lines)


def card_choices(cards: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Dropdown choices (label, movie id) for the researcher panel's recommendation picker."""
    return [(f"{rank}. {movie_label(card)}", int(card["movie_id"])) for rank, card in enumerate(cards, 1)]


BREAKDOWN_COLUMNS = ["part", "value", "meaning"]


def breakdown_table(card: dict[str, Any]) -> pd.DataFrame:
    """Every part of the card's score as rows: probabilities, each additive logit, each feedback term.

    The parts add up: ``posterior logit = long-term + short-term + popularity + recent shift +
    feedback total`` (the prior logit is the same without the feedback).
    """
    parts = card["breakdown"]
    rows: list[tuple[str, float, str]] = [
        ("P(i|u)", parts["prior_probability"], "probability before feedback (softmax over the catalog)"),
        ("P(i|u,feedback)", parts["posterior_probability"], "probability after feedback: the ranking score"),
        ("long-term", parts["long_term"], "logit from the whole history"),
        ("short-term", parts["short_term"], "logit from the latest movies"),
        ("popularity", parts["popularity"], "logit from the movie's popularity"),
        ("recent shift", parts["recent_shift"], _shift_meaning(parts.get("shift_genres") or {})),
    ]
    titles, sources = parts.get("facet_titles") or {}, parts.get("facet_sources") or {}
    for facet, value in sorted(parts.get("feedback", {}).items()):
        named = titles.get(facet)  # "movie:296" is shown as the movie it names
        label = f"feedback: like {named}" if named else f"feedback {facet}"
        meaning = ("you asked for something like it" if sources.get(facet) == "asked_like"
                   else "your reaction to it" if named else "belief from your feedback on this facet")
        rows.append((label, value, meaning))
    rows += [
        ("feedback total", parts["feedback_total"], "sum of the feedback terms"),
        ("prior logit", parts["prior_logit"], "long-term + short-term + popularity + recent shift"),
        ("posterior logit", parts["posterior_logit"], "prior logit + feedback total"),
        ("uncertainty", parts["uncertainty"], "± logits (feedback beliefs and prior)"),
    ]
    for item in parts.get("history", []):
        rows.append((f"because of {item.get('title', item['movie_id'])}", item["contribution"],
                     f"a history movie's push (you {item.get('reaction', 'watched')} it)"))
    return pd.DataFrame([(part, round(float(value), 4), meaning) for part, value, meaning in rows], columns=BREAKDOWN_COLUMNS)


def _shift_meaning(shift_genres: dict[str, float]) -> str:
    if not shift_genres:
        return "no recent change of taste detected"
    return "recent change of taste towards " + ", ".join(sorted(shift_genres))

"""Explanations from the score breakdown: a one-line reason per card, a paragraph per movie, and the
facts an LLM-written explanation may mention.

Every sentence here is built from the numbers :func:`tracking.scoring.breakdowns` computed; the
agent's own wording is accepted only when :func:`tracking.grounding.ungrounded` finds nothing in it
that these facts do not hold.
"""

from __future__ import annotations

from typing import Any

from tracking.grounding import Facts


def _feedback_label(facet: str, value: float, titles: dict[str, str] | None = None) -> str:
    kind, _, name = facet.partition(":")
    if kind == "genre":
        return f"you asked for {'more' if value > 0 else 'less'} {name}"
    if kind in ("years", "decade"):
        return f"you asked for {'movies' if value > 0 else 'fewer movies'} from {name}"
    title = (titles or {}).get(facet)
    if title:
        return f"it is like {title}, which you {'liked' if value > 0 else 'did not like'}"
    return f"your feedback on a similar movie ({'liked' if value > 0 else 'disliked'})"


def reason(card: dict[str, Any]) -> str:
    """One line naming the two strongest things behind this movie: feedback, a recent turn, history."""
    parts = card["breakdown"]
    because: list[tuple[float, str]] = [
        (value, _feedback_label(facet, value, parts.get("facet_titles"))) for facet, value in parts["feedback"].items() if value > 0
    ]
    if parts["recent_shift"] > 0 and parts["shift_genres"]:
        because.append((parts["recent_shift"], f"it follows your recent turn to {', '.join(parts['shift_genres'])}"))
    history = [h["title"] for h in parts["history"][:2]]
    if history:
        horizon = "lately" if parts["short_term"] > parts["long_term"] else "over time"
        strength = max(parts["long_term"], parts["short_term"], 0.0)
        because.append((strength, f"it is close to {' and '.join(history)}, which you watched {horizon}"))
    if not because:
        return "Popular with viewers like you; tell me what you think of it."
    best = [text for _, text in sorted(because, key=lambda item: -item[0])[:2]]
    sentence = "; ".join(best)
    return sentence[0].upper() + sentence[1:] + "."


def explanation_text(card: dict[str, Any]) -> str:
    """A short paragraph from the breakdown: every title and number in it comes from ``card``."""
    parts = card["breakdown"]
    lines = [f"{card['title']} ({card.get('year') or 'year unknown'}) — probability {parts['posterior_probability']:.4f}"
             f" (before feedback {parts['prior_probability']:.4f})."]
    lines.append(
        f"Your long-term taste adds {parts['long_term']:+.2f}, your recent movies {parts['short_term']:+.2f}, "
        f"its popularity {parts['popularity']:+.2f}"
        + (f", your recent turn to {', '.join(parts['shift_genres'])} {parts['recent_shift']:+.2f}" if parts["recent_shift"] else "")
        + "."
    )
    if parts["history"]:
        lines.append("Movies in your history that pushed it up most: "
                     + "; ".join(f"{h['title']} ({h['contribution']:+.2f})" for h in parts["history"]) + ".")
    if parts["feedback"]:
        lines.append("Your feedback: " + "; ".join(f"{_feedback_label(f, v, parts.get('facet_titles'))} ({v:+.2f})" for f, v in parts["feedback"].items()) + ".")
    lines.append(f"Uncertainty ±{parts['uncertainty']:.2f}.")
    if card.get("status") and card["status"] != "candidate":
        lines.append(f"Not shown to you: {card['status']}.")
    return " ".join(lines)


def card_facts(cards: list[dict[str, Any]], facts: Facts | None = None) -> Facts:
    """What a text about ``cards`` may mention: their titles, genres, years, history movies and figures."""
    facts = facts or Facts()
    for card in cards:
        parts = card["breakdown"]
        facts.titles.add(card["title"])
        facts.genres.update(card.get("genres") or [])
        if card.get("year"):
            facts.years.add(int(card["year"]))
        facts.titles.update(h["title"] for h in parts["history"])
        facts.titles.update((parts.get("facet_titles") or {}).values())
        facts.allow_numbers(h["contribution"] for h in parts["history"])
        facts.genres.update(parts["shift_genres"])
        for facet in parts["feedback"]:
            kind, _, name = facet.partition(":")
            if kind == "genre":
                facts.genres.add(name)
            elif kind == "years":
                facts.years.update(int(y) for y in name.split("-"))
        facts.allow_numbers(parts["feedback"].values())
        facts.allow_numbers(
            parts[key] for key in ("prior_probability", "posterior_probability", "prior_logit", "posterior_logit",
                                   "long_term", "short_term", "popularity", "recent_shift", "feedback_total", "uncertainty")
        )
        if card.get("rank"):
            facts.allow_numbers([card["rank"]])
    return facts

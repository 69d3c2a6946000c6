"""Explanations from the score breakdown: a one-line reason per card, a paragraph per movie, and the
facts an LLM-written explanation may mention.

Every sentence here is built from the numbers :func:`tracking.scoring.breakdowns` computed; the
agent's own wording is accepted only when :func:`tracking.grounding.ungrounded` finds nothing in it
that these facts do not hold.
"""

from __future__ import annotations

from typing import Any

from tracking.grounding import Facts


_VERB = {"liked": "which you liked", "watched": "which you watched", "rated": "which you rated {rating:g}/5"}


def _feedback_label(facet: str, value: float, titles: dict[str, str] | None = None,
                    sources: dict[str, str] | None = None) -> str:
    """A feedback term in words, with the verb its source calls for ("which you liked" only of a like)."""
    kind, _, name = facet.partition(":")
    if kind == "genre":
        return f"you asked for {'more' if value > 0 else 'less'} {name}"
    if kind in ("years", "decade"):
        return f"you asked for {'movies' if value > 0 else 'fewer movies'} from {name}"
    title = (titles or {}).get(facet)
    if title and value > 0:
        if (sources or {}).get(facet) == "liked":
            return f"it is like {title}, which you liked"
        return f"you asked for something like {title}"
    if title:
        return f"it is like {title}, which you did not like"
    return f"your feedback on a similar movie ({'liked' if value > 0 else 'disliked'})"


def _history_label(item: dict[str, Any]) -> str | None:
    """"it is close to Forrest Gump, which you liked"; None for a movie the user disliked or rated low,
    which is never given as a reason."""
    reaction = item.get("reaction", "watched")
    if reaction not in _VERB:
        return None
    return f"it is close to {item['title']}, " + _VERB[reaction].format(rating=item.get("rating", 0.0))


def reasons(card: dict[str, Any]) -> list[tuple[float, str]]:
    """Every positive part of a card's score in words, strongest first: what a reason may cite."""
    parts = card["breakdown"]
    found: list[tuple[float, str]] = [
        (value, _feedback_label(facet, value, parts.get("facet_titles"), parts.get("facet_sources")))
        for facet, value in parts["feedback"].items() if value > 0
    ]
    if parts["recent_shift"] > 0 and parts["shift_genres"]:
        found.append((parts["recent_shift"], f"it follows your recent turn to {', '.join(parts['shift_genres'])}"))
    history = [(h["contribution"], label) for h in parts["history"] if (label := _history_label(h))]
    if history:
        found.append(history[0])
    elif max(parts["long_term"], parts["short_term"]) > 0:
        recent = parts["short_term"] > parts["long_term"]
        found.append((max(parts["long_term"], parts["short_term"]),
                      "it fits what you have watched lately" if recent else "it fits your long-standing taste"))
    if parts["popularity"] > 0:
        found.append((parts["popularity"], "it is popular with viewers like you"))
    return sorted(found, key=lambda item: -item[0])


def reason(card: dict[str, Any]) -> str:
    """One line naming the two strongest things behind this movie (the card's line)."""
    best = [text for _, text in reasons(card)[:2]]
    if not best:
        return "Popular with viewers like you; tell me what you think of it."
    sentence = "; ".join(best)
    return sentence[0].upper() + sentence[1:] + "."


def why_sentence(card: dict[str, Any]) -> str:
    """The end user's "why?": one plain sentence from the two largest terms ("Because you asked for
    more Comedy and it is close to Forrest Gump, which you liked.")."""
    best = [text for _, text in reasons(card)[:2]]
    if not best:
        return f"{card['title']} is simply among the likeliest picks for you; nothing you told me points to it in particular."
    return f"{card['title']}: because " + " and ".join(best) + "."


def about_sentence(card: dict[str, Any]) -> str:
    """A "what is it about?": what the catalog knows (year, genres) and that it holds no story, then
    why the movie is there. The code answers: a plot from a small model would be invented."""
    genres = ", ".join(card.get("genres") or []) or "no genre"
    year = f" ({card['year']})" if card.get("year") else ""
    why = why_sentence(card).split(": because ", 1)
    reason_part = f" It is here because {why[1]}" if len(why) == 2 else ""
    return (f"{card['title']}{year} is listed as {genres}; I don't have its story, only its year, genres and "
            f"ratings.{reason_part}")


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
        lines.append("Your feedback: " + "; ".join(
            f"{_feedback_label(f, v, parts.get('facet_titles'), parts.get('facet_sources'))} ({v:+.2f})"
            for f, v in parts["feedback"].items()) + ".")
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

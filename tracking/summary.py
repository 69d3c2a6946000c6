"""Interest summaries: a few sentences about a user's taste, written from facts the code computed.

:meth:`tracking.service.Tracker.summary_facts` computes the facts (long-term and recent top genres,
decades, representative movies, what changed since the last version, active feedback). A chat model,
when the caller passes one in, phrases them; :func:`~tracking.grounding.ungrounded` then checks that
the text names no movie, genre, year or figure outside the facts, and the template sentence is used
when the check fails or no model is given. Tracking never loads a model itself.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from tracking.grounding import Facts, MentionVocabulary, ungrounded

log = logging.getLogger(__name__)

MAX_SUMMARY_CHARS = 600
SUMMARY_PROMPT = (
    "You describe a movie viewer's taste for a researcher, in two or three short sentences. "
    "Use ONLY the facts in the JSON below. Do not name any movie, genre, decade or number that is not "
    "in the facts. Mention what changed recently if the facts say so. Reply with the sentences only."
)


def template_summary(facts: dict[str, Any]) -> str:
    """A plain sentence from the profile facts, used when no model is given or its text fails the check."""
    long_term = ", ".join(facts.get("top_genres_long") or {}) or "nothing yet"
    recent = ", ".join(facts.get("top_genres_short") or {}) or "nothing yet"
    text = f"Long-term favourites: {long_term}. Lately: {recent}."
    if facts.get("decades_long"):
        text += f" Mostly movies from the {', '.join(facts['decades_long'])}."
    if facts.get("representative"):
        text += f" Typical picks: {', '.join(facts['representative'])}."
    if facts.get("new_recent_genres"):
        text += f" New lately: {', '.join(facts['new_recent_genres'])}."
    rules = [f"{'only' if sign > 0 else 'never'} {facet.split(':', 1)[1]}" for facet, sign in (facts.get("feedback") or {}).items()]
    return text + (f" Rules: {', '.join(rules)}." if rules else "")


def summary_mentions(facts: dict[str, Any]) -> Facts:
    """What a summary of ``facts`` may mention."""
    allowed = Facts()
    allowed.titles.update(facts.get("representative") or [])
    allowed.titles.update(facts.get("recent_titles") or [])
    for key in ("top_genres_long", "top_genres_short"):
        allowed.genres.update(facts.get(key) or {})
        allowed.allow_numbers((facts.get(key) or {}).values())
    allowed.genres.update(facts.get("new_recent_genres") or [])
    allowed.genres.update(facet.split(":", 1)[1] for facet in (facts.get("feedback") or {}) if facet.startswith("genre:"))
    allowed.genres.update(facts.get("feedback_genres") or [])
    for decade in [*(facts.get("decades_long") or []), *(facts.get("decades_recent") or [])]:
        allowed.years.add(int(decade.rstrip("s")))
    allowed.allow_numbers([facts.get("interactions", 0)])
    return allowed


def summarise(facts: dict[str, Any], vocabulary: MentionVocabulary, chat_model: Any = None) -> tuple[str, str, list[str]]:
    """The summary text, where it came from (``"llm"`` or ``"template"``), and why an LLM text was refused.

    Args:
        facts: :meth:`Tracker.summary_facts` output.
        vocabulary: Titles and genres of the catalog, for the check.
        chat_model: A LangChain chat model, or None for the template.
    """
    if chat_model is None:
        return template_summary(facts), "template", []
    shown = {k: v for k, v in facts.items() if k not in ("vector", "time")}
    messages = [("system", SUMMARY_PROMPT), ("human", json.dumps(shown, ensure_ascii=False))]
    text = content_text(chat_model.invoke(messages).content).strip()
    problems = [] if text else ["empty text"]
    if len(text) > MAX_SUMMARY_CHARS:
        problems.append(f"{len(text)} characters (most {MAX_SUMMARY_CHARS})")
    problems += ungrounded(text, summary_mentions(facts), vocabulary)
    if problems:
        log.info("LLM summary refused (%s); using the template", "; ".join(problems))
        return template_summary(facts), "template", problems
    return text, "llm", []


def content_text(content: Any) -> str:
    """Message content as plain text (LangChain content may be a list of parts)."""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)

"""Interest summaries: a few sentences about a user's taste, written from facts the code computed.

:meth:`tracking.service.Tracker.summary_facts` computes the facts (long-term and recent top genres,
decades, representative movies, what changed since the last version, active feedback) and
:func:`template_summary` writes them as plain notes. A chat model, when the caller passes one in,
rephrases the notes; :func:`~tracking.grounding.ungrounded` then checks that
the text names no movie, genre, year or figure outside the facts, and the template sentence is used
when the check fails or no model is given. Tracking never loads a model itself.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from tracking.grounding import Facts, MentionVocabulary, ungrounded

log = logging.getLogger(__name__)

MAX_SUMMARY_CHARS = 600
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SUMMARY_PROMPT = (
    "Rewrite notes about a movie viewer as two or three short, natural sentences for a researcher. "
    "Keep every fact as it is and keep what lasts apart from what is recent. Add nothing: no other "
    "movie, genre, decade or number. Reply with the sentences only.\n\n"
    "Example notes: Long-term favourites: Comedy, Romance. Lately: Thriller, Crime. Mostly movies from "
    "the 1990s. Typical picks: Notting Hill, Fargo.\n"
    "Example reply: This viewer has long loved comedies and romances, mostly from the 1990s, such as "
    "Notting Hill and Fargo. Lately their taste has turned to thrillers and crime."
)
SUMMARY_MAX_TOKENS = 160
"""Enough for three sentences; a small model that starts repeating itself is cut off here."""


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
    if facts.get("feedback_genres"):
        text += f" Asked for: {', '.join(facts['feedback_genres'])}."
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
    # The model rephrases the template's notes rather than reading raw facts: a small model keeps
    # to plain notes far better than to JSON, and the notes already hold only computed facts.
    messages = [("system", SUMMARY_PROMPT), ("human", template_summary(facts))]
    options = {"max_tokens": SUMMARY_MAX_TOKENS} if accepts_max_tokens(chat_model) else {}
    try:
        reply = chat_model.invoke(messages, **options)
    except Exception as error:  # noqa: BLE001 - a model server down or failing must not lose the version
        problem = f"the model call failed ({type(error).__name__}: {str(error)[:200]})"
        log.warning("LLM summary: %s; using the template", problem)
        return template_summary(facts), "template", [problem]
    text = leading_sentences(content_text(reply.content), MAX_SUMMARY_CHARS)
    problems = [] if text else [f"no complete sentence within {MAX_SUMMARY_CHARS} characters"]
    problems += ungrounded(text, summary_mentions(facts), vocabulary)
    if problems:
        log.info("LLM summary refused (%s); using the template", "; ".join(problems))
        return template_summary(facts), "template", problems
    return text, "llm", []


def leading_sentences(text: str, max_chars: int) -> str:
    """The text's first whole sentences that fit in ``max_chars``, each said once.

    Small models often repeat a sentence until the token limit, or stop mid-sentence there.
    """
    kept: list[str] = []
    seen: set[str] = set()
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = sentence.strip()
        key = " ".join(sentence.lower().split())
        if not sentence or key in seen:
            continue
        if not sentence.endswith((".", "!", "?")) or len(" ".join([*kept, sentence])) > max_chars:
            break
        seen.add(key)
        kept.append(sentence)
    return " ".join(kept)


def accepts_max_tokens(chat_model: Any) -> bool:
    """Whether ``invoke`` takes ``max_tokens`` (real backends do; fake and some local models reject it)."""
    return "max_tokens" in getattr(type(chat_model), "model_fields", {}) or hasattr(chat_model, "max_tokens")


def content_text(content: Any) -> str:
    """Message content as plain text (LangChain content may be a list of parts)."""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)

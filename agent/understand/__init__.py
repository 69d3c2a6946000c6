"""Conversational feedback: what a chat message says about taste, as validated tracking events.

"less horror, more 90s comedies", "not that one", "I loved Alien", "something like Amélie but
lighter" each become a :class:`FeedbackIntent`, then tracking events (:func:`intent_events`), and
the user sees what was understood (:func:`describe`: "Noted: fewer Horror, more Comedy from
1990–1999.").

Two readers, because a 0.5B chat model is unreliable:

* :func:`parse_message`, deterministic, runs on every message: the loaded data set's genre
  vocabulary with synonyms and plurals, decades and year ranges, negation and strength, titles
  matched against the catalog (never invented: a name with no match is reported back), and
  references to the movies shown last ("not that one", "the second one was good").
* :func:`extract_with_llm`: the chat model's reading as JSON, every genre, year and title checked
  against the vocabulary; a title counts only if the user's message (or the shown list) holds it.
  An agent's feedback tool call is held to the same checks (:func:`supported_feedback`).

:func:`merge` keeps the parser's value on every field it is sure of; the model may only add fields
the parser found nothing for. :func:`understand` runs the three.

The package, by concern: :mod:`.intent` (the result), :mod:`.vocabulary` (genres, titles, years of
the catalog), :mod:`.titles`, :mod:`.genres_years`, :mod:`.reactions` (the readers of each kind of
mention), :mod:`.spelling` (misspelt cue words put right first), :mod:`.descriptions` (cards named by what they are about, read by
the text encoder), :mod:`.reader` (the parser that runs them), :mod:`.model_reading` (the chat model's
reading), :mod:`.merging` (merge, events, what is said back).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Sequence

from agent.understand.intent import GENRE_FIELDS, MAX_MESSAGE_CHARS, MOVIE_FIELDS, YEAR_FIELDS, FeedbackIntent
from agent.understand.merging import describe, intent_events, merge
from agent.understand.model_reading import extract_with_llm, supported_feedback
from agent.understand.reader import parse_message
from agent.understand.vocabulary import GENRE_ALIASES, CatalogVocabulary, fold, title_key

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = [
    "GENRE_ALIASES", "GENRE_FIELDS", "MAX_MESSAGE_CHARS", "MOVIE_FIELDS", "YEAR_FIELDS", "CatalogVocabulary",
    "FeedbackIntent", "describe", "extract_with_llm", "fold", "intent_events", "merge", "parse_message",
    "supported_feedback", "title_key", "understand",
]


def understand(
    message: str,
    vocab: CatalogVocabulary,
    shown: Sequence[int] = (),
    chat_model: "BaseChatModel | None" = None,
    dropped: "Counter[str] | None" = None,
) -> FeedbackIntent:
    """Read a message: the parser always, the chat model when one is given, merged (parser wins).

    Args:
        dropped: Counts, by reason, the parts of the model's reading that its checks dropped.
    """
    parsed = parse_message(message, vocab, shown)
    if chat_model is None:
        return parsed
    return merge(parsed, extract_with_llm(message, chat_model, vocab, shown, dropped=dropped), dropped=dropped)

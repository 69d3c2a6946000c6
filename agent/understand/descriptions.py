"""Cards on screen named by what they are about ("the ship one", "the one where they rob the casinos").

Tags name a few cards (:meth:`CatalogVocabulary.described_by`); most descriptions use words nobody tagged
the film with. The text encoder reads them instead: the description against each card's own text (what
the index embeds: title, year, genres, tags), and a card is named only when it is clearly the closest.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

import numpy as np

from retrieval.encoder import TextEncoder
from retrieval.errors import DriftrecError
from retrieval.itemtext import movie_text

if TYPE_CHECKING:
    from agent.understand.vocabulary import CatalogVocabulary

log = logging.getLogger(__name__)

DESCRIPTION_MARGIN = 0.08
"""How much closer (cosine) the best card must be than the next one. Chosen on the dev split's described
cards: at 0.08 the closest card was a labelled one 33 times and another card once; at 0.05, 36 and 8."""
MAX_DESCRIPTION_WORDS = 8
"""A longer run of words is a sentence about something else, not a name for a card."""

_ENCODER = TextEncoder()
_unavailable: list[str] = []  # the reason, once the encoder failed to load (logged once, not per message)


def card_by_meaning(vocab: "CatalogVocabulary", description: str, cards: Sequence[int]) -> int | None:
    """The one card of ``cards`` that ``description`` names by meaning, or None when none stands out.

    Args:
        vocab: The catalog's vocabulary (titles, years, genres and tags of the cards).
        description: The words that describe a card ("ship", "crew robbing the vegas casinos").
        cards: The movie ids on screen (two or more: with one card, "the … one" is that card anyway).
    """
    words = description.split()
    if len(cards) < 2 or not words or len(words) > MAX_DESCRIPTION_WORDS or _unavailable:
        return None
    try:
        said = _vector(description)
        similarity = np.stack([_vector(_card_text(vocab, m)) for m in cards]) @ said
    except DriftrecError as error:
        _unavailable.append(str(error))
        log.warning("descriptions of cards are not read: %s", error)
        return None
    best, runner_up = np.argsort(-similarity)[:2]
    return int(cards[best]) if similarity[best] - similarity[runner_up] >= DESCRIPTION_MARGIN else None


def _card_text(vocab: "CatalogVocabulary", movie_id: int) -> str:
    return movie_text(vocab.main_title(movie_id), vocab.year_of(movie_id), list(vocab.genres_of(movie_id)),
                      list(vocab.tags_of(movie_id)))


@lru_cache(maxsize=8192)
def _vector(text: str) -> np.ndarray:
    """A text's unit vector (cards come back turn after turn: each is encoded once)."""
    return _ENCODER.encode([text])[0]

"""Misspelt cue words put right before the message is read ("lovd the 2nd", "the thrid is boring").

A word is corrected only when it is no English word (rarer than :data:`MISSPELT_ZIPF`), is no word of a
title in the catalog (titles have their own fuzzy matching), and is one slip from a word the cue phrases use:
a letter dropped ("lovd", "amazin") or two letters swapped ("thrid", "masterpeice"); of several such words,
a dropped letter first. A letter changed or added is no slip here: with it the held-out half of the set
gained an invented event and no message. A word right after a title's distinctive first word is
left for the title matching ("harry poter"), and a rare adverb stays one ("insufferably" is no misspelt
"insufferable"). Chat shorthand that no slip explains ("teh", "rly") is looked up.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import OSA

from agent.understand.cues import CUE_WORDS
from agent.understand.vocabulary import ORDINALS, CatalogVocabulary, zipf

MISSPELT_ZIPF = 2.5
"""Words at least this common in English are left as written ("frist" is 2.4, "hanks" is not corrected)."""
MIN_LETTERS = 4
TITLE_WORD_ZIPF = 5.0
"""A title's first word rarer than this ("harry", not "the") makes the next word part of a title."""
SHORTHAND = {"teh": "the", "rly": "really", "gud": "good", "wud": "would", "nt": "not", "defo": "definitely",
             "luv": "love", "luvd": "loved", "luved": "loved", "prolly": "probably", "poss": "possible"}
"""Shorthand too short or too far from its word for a slip to explain it."""
_WORD_RE = re.compile(r"(?<![\w'])[A-Za-z]+(?![\w'])")


@cache
def _deletion_index() -> dict[str, frozenset[str]]:
    """Each cue word, and each string one letter shorter, to the cue words it comes from (a SymSpell index)."""
    index: dict[str, set[str]] = {}
    for word in {w for w in CUE_WORDS | set(ORDINALS) if len(w) >= MIN_LETTERS - 1 and w.isalpha()}:
        for key in {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}:
            index.setdefault(key, set()).add(word)
    return {key: frozenset(found) for key, found in index.items()}


def _correction(word: str, previous: str, vocab: CatalogVocabulary) -> str | None:
    if word in SHORTHAND:
        return SHORTHAND[word]
    if len(word) < MIN_LETTERS or word in CUE_WORDS or zipf(word) >= MISSPELT_ZIPF or vocab.keys_with_word(word) \
            or word.endswith("ly") \
            or (previous in vocab.first_words and zipf(previous) < TITLE_WORD_ZIPF):
        return None
    index = _deletion_index()
    candidates = {c for key in {word, *(word[:i] + word[i + 1:] for i in range(len(word)))} for c in index.get(key, ())}
    close = [c for c in candidates if c[0] == word[0] and OSA.distance(word, c, score_cutoff=1) <= 1
             and (len(c) == len(word) + 1 or sorted(c) == sorted(word))]
    if not close:
        return None
    return max(close, key=lambda c: (len(c) == len(word) + 1, zipf(c)))  # a dropped letter first, then the commoner


def correct_spelling(message: str, vocab: CatalogVocabulary) -> str:
    """``message`` with each misspelt cue word replaced (its first letter's case kept)."""
    def fix(match: re.Match[str]) -> str:
        said = match.group(0)
        before = re.findall(r"[a-z]+", message[max(0, match.start() - 30):match.start()].lower())
        right = _correction(said.lower(), before[-1] if before else "", vocab)
        if right is None:
            return said
        return right[0].upper() + right[1:] if said[0].isupper() else right
    return _WORD_RE.sub(fix, message)

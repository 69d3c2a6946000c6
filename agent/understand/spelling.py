"""Misspelt cue words put right before the message is read ("lovd the 2nd", "the thrid is boring").

A word is corrected only when it is no English word (rarer than :data:`MISSPELT_ZIPF`), is no word of a
title in the catalog (titles have their own fuzzy matching), and is one slip from a word the cue phrases use:
a letter dropped ("lovd", "amazin") or two letters swapped ("thrid", "masterpeice"); of several such words,
a dropped letter first. A letter changed or added is no slip here: with it the held-out half of the set
gained an invented event and no message. A word right after a title's distinctive first word is
left for the title matching ("harry poter"), and a rare adverb stays one ("insufferably" is no misspelt
"insufferable"). Chat shorthand that no slip explains ("teh", "rly") is looked up.

The slips of fast typing (two neighbouring letters swapped, a letter dropped or doubled, a vowel for
another) are also put right where that makes the one word of a popular title the word can make ("srhek",
"lord of the rnigs", "godfther", "ghoost"): the title matching's own fuzzy scores forgive one slip only
in titles of six letters or more, and only in words rare in the catalog's titles.
"""

from __future__ import annotations

import re
from functools import cache
from string import ascii_lowercase

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


def _with_deletions(word: str) -> set[str]:
    """The word and every string one letter shorter: the keys that meet when one letter was dropped or two swapped."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


@cache
def _deletion_index() -> dict[str, frozenset[str]]:
    """Each cue word's keys (:func:`_with_deletions`) to the cue words they come from (a SymSpell index).
    Words shorter than :data:`MIN_LETTERS` are left out: no slip of a corrected word leads to one."""
    index: dict[str, set[str]] = {}
    for word in {w for w in CUE_WORDS | set(ORDINALS) if len(w) >= MIN_LETTERS and w.isalpha()}:
        for key in _with_deletions(word):
            index.setdefault(key, set()).add(word)
    return {key: frozenset(found) for key, found in index.items()}


def _slip_of(word: str, vocab: CatalogVocabulary) -> str | None:
    """The cue word that ``word`` misspells by one dropped or swapped letter, if it is no English or title word."""
    if len(word) < MIN_LETTERS or word in CUE_WORDS or zipf(word) >= MISSPELT_ZIPF or vocab.keys_with_word(word) \
            or word.endswith("ly"):
        return None
    index = _deletion_index()
    candidates = {c for key in _with_deletions(word) for c in index.get(key, ())}
    close = [c for c in candidates if c[0] == word[0] and OSA.distance(word, c, score_cutoff=1) <= 1
             and (len(c) == len(word) + 1 or sorted(c) == sorted(word))]
    if not close:
        return None
    return max(close, key=lambda c: (len(c) == len(word) + 1, zipf(c)))  # a dropped letter first, then the commoner


LONG_WORD_LETTERS = 6
_VOWELS = "aeiouy"


def _one_slip_away(word: str) -> set[str]:
    """Every string that ``word`` types with one slip: two neighbouring letters swapped, a letter doubled,
    or, in a word of six letters or more, a letter dropped or a vowel for another vowel. A letter added
    that is not a double, or any slip in a shorter word, is left out: "twistier" is no misspelt "twister",
    "liste" no "list"."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    undoubled = {word[:i] + word[i + 1:] for i in range(len(word) - 1) if word[i] == word[i + 1]}
    dropped = {word[:i] + letter + word[i:] for i in range(len(word) + 1) for letter in ascii_lowercase} \
        if len(word) + 1 >= LONG_WORD_LETTERS else set()
    vowel = {word[:i] + other + word[i + 1:] for i, letter in enumerate(word) if letter in _VOWELS for other in _VOWELS} \
        if len(word) >= LONG_WORD_LETTERS else set()
    return (swapped | undoubled | dropped | vowel) - {word}


def _slip_in_a_title_word(word: str, vocab: CatalogVocabulary) -> str | None:
    """The one word of a popular title that ``word`` types with one slip ("srhek", "lord of the rnigs",
    "godfther", "ghoost"), if it is no English word and no title word itself; None when none or several."""
    if len(word) < MIN_LETTERS or zipf(word) >= MISSPELT_ZIPF or vocab.keys_with_word(word):
        return None
    meant = _one_slip_away(word) & vocab.popular_title_words
    if len(meant) != 1 or zipf(next(iter(meant))) >= TITLE_WORD_ZIPF:
        return None  # an everyday word ("home aloone") is left to the title matching, which finds it misspelt
    return next(iter(meant))


def _starts_a_title(message: str, position: int, vocab: CatalogVocabulary) -> bool:
    """The word before ``position`` is a title's distinctive first word ("harry" in "harry poter")."""
    before = re.findall(r"[a-z]+", message[max(0, position - 30):position].lower())
    return bool(before) and before[-1] in vocab.first_words and zipf(before[-1]) < TITLE_WORD_ZIPF


def correct_spelling(message: str, vocab: CatalogVocabulary) -> str:
    """``message`` with each misspelt cue word replaced (its first letter's case kept)."""
    def fix(match: re.Match[str]) -> str:
        said = match.group(0)
        right = SHORTHAND.get(said.lower())
        if right is None:
            if _starts_a_title(message, match.start(), vocab):
                return said
            right = _slip_of(said.lower(), vocab) or _slip_in_a_title_word(said.lower(), vocab)
            if right is None:
                return said
        return right[0].upper() + right[1:] if said[0].isupper() else right
    return _WORD_RE.sub(fix, message)

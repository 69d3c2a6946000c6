"""Catalog titles in a message: quoted, after a sentiment ("I loved Alien"), before a verdict
("Titanic was boring"); a name that matches no movie is reported back, never guessed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.understand.genres_years import DECADE_RE, DECADE_WORD_RE
from agent.understand.reactions import DEICTIC_RE, SHOWN_REF_RE, STOP_RE, sentiment
from agent.understand.vocabulary import MAX_TITLE_WORDS, ORDINALS, SINGLE_WORD_NOT_TITLES, CatalogVocabulary

if TYPE_CHECKING:
    from agent.understand.reader import Reader

_TITLE_TRIGGER_RE = re.compile(
    r"(?<![a-z'])(?:(?:i|we)\s+)?(?:(?:really|absolutely|totally|also|actually|truly|just)\s+)?"
    r"(?:loved|liked|enjoyed|adored|love|like|enjoy|adore|hated|disliked|loathed|despised|hate|dislike|"
    r"didn'?t (?:really )?like|did not like|don'?t (?:really )?like|do not like|couldn'?t stand|can'?t stand|"
    r"didn'?t enjoy|did not enjoy|(?:wasn'?t|not) a fan of|fan of|favou?rite (?:was|is)|"
    r"(?:something|anything|movies?|films?|ones?|stuff|more|others?|some|titles?|picks?|just)\s+"
    r"(?:(?:a bit|a little|kind of|sort of)\s+)?like|similar to|in the vein of|along the lines of|more like|"
    r"in the style of|reminds? me of|"
    r"(?:i'?ve|i have|we'?ve|we have|already|just)\s+(?:already\s+)?(?:seen|watched)|saw|"
    r"not interested in|pass on)(?![a-z])\s+"
)

_QUOTED_RE = re.compile(r'"([^"]{2,120})"|(?<![a-z0-9])\'([^\']{2,120})\'(?![a-z0-9])')
_CONNECTOR_RE = re.compile(r"\s*(?:,|and|or|&|as well as|plus)\s+")
_FILLER_RE = re.compile(r"^(?:(?:the\s+)?(?:movie|film)\s+|watching\s+|seeing\s+)")



def read_quoted(reader: Reader) -> None:
    """Quoted titles: '"Heat" was great', 'something like "Amélie"'."""
    for match in _QUOTED_RE.finditer(reader.text):
        group = 1 if match.group(1) is not None else 2
        inner = match.group(group)
        if re.fullmatch(r"\s*(?:\d0s|\d{4}s?)\s*", inner) or reader.vocab.genre(inner):
            continue
        movie_id = reader.vocab.find_title(inner)
        reader.mask(match.start(), match.end())
        if movie_id is None:
            reader.not_found.append(reader.original[match.start(group):match.end(group)].strip())
            continue
        reader.add_movie(sentiment(reader, match.start(), match.end(), "similar_to"), movie_id)


def read_titles(reader: Reader) -> None:
    """Titles after a sentiment ("I loved Alien", "something like Amelie but lighter")."""
    for trigger in _TITLE_TRIGGER_RE.finditer(reader.text):
        position = trigger.end()
        if reader.rest[trigger.start():position].strip() == "":
            continue  # inside a quoted title already read
        if re.search(r"(?:'d|would|feel|looks?|sounds?|seems?)\s+like\s+$", reader.text[max(0, trigger.start() - 12):position]):
            continue  # "I'd like more comedy", "feel like a thriller": a wish, not a movie
        field_name = sentiment(reader, trigger.end(), trigger.end(), None)
        if field_name is None:
            continue
        while True:
            found = _title_at(reader, position)
            if found is None:
                break
            movie_id, end = found
            if movie_id is not None:
                reader.add_movie(field_name, movie_id)
            reader.mask(position, end)
            follow = _CONNECTOR_RE.match(reader.text, end)
            if not follow:
                break
            position = follow.end()


_VERDICT_RE = re.compile(r"\s+(?:was|is|were|looks?|seems?|sounds?)\s+(?:(?:really|very|so|pretty|quite|too|a bit)\s+)?"
                         r"(?:not\s+)?[a-z]+(?![a-z])")


def read_verdicts(reader: Reader) -> None:
    """A title before a verdict: "La vita è bella was great", "Titanic was boring"."""
    for verdict in _VERDICT_RE.finditer(reader.rest):
        stop = max((m.end() for m in STOP_RE.finditer(reader.text, 0, verdict.start())), default=0)
        words = [(m.start() + stop, m.end() + stop) for m in re.finditer(r"\S+", reader.rest[stop:verdict.start()])]
        for first in range(max(0, len(words) - MAX_TITLE_WORDS), len(words)):
            start, end = words[first][0], words[-1][1]
            phrase = reader.text[start:end]
            if (first == len(words) - 1 and phrase in SINGLE_WORD_NOT_TITLES) or _is_taste_phrase(reader.vocab, phrase):
                continue
            if DEICTIC_RE.match(phrase) or SHOWN_REF_RE.fullmatch(phrase):
                break
            movie_id = reader.vocab.exact_title(phrase)
            if movie_id is None:
                continue
            field_name = sentiment(reader, end, end, None)
            if field_name is not None:
                reader.add_movie(field_name, movie_id)
                reader.mask(start, end)
            break


def _title_at(reader: Reader, start: int) -> tuple[int | None, int] | None:
    """The catalog title that the words at ``start`` name: the longest exact prefix, else a close
    spelling of a capitalised name; (None, end) for a name that matches nothing (reported back)."""
    stop = STOP_RE.search(reader.text, start)
    limit = stop.start() if stop else len(reader.text)
    segment = reader.text[start:limit]
    filler = _FILLER_RE.match(segment)
    offset = start + (filler.end() if filler else 0)
    words = [(m.start() + offset, m.end() + offset) for m in re.finditer(r"\S+", reader.text[offset:limit])][:MAX_TITLE_WORDS]
    if not words:
        return None
    first = reader.text[words[0][0]:words[0][1]]
    if DEICTIC_RE.match(first) or SHOWN_REF_RE.match(reader.text, words[0][0]) and not _capitalised(reader, words[0][0]):
        return None  # "I loved it", "I liked the second one": a shown movie, read later
    for n in range(len(words), 0, -1):
        phrase = reader.text[words[0][0]:words[n - 1][1]]
        if _is_taste_phrase(reader.vocab, phrase) and not _capitalised(reader, words[0][0]):
            return None  # "I like comedies", "I love 90s stuff"
        if n == 1 and phrase.strip("'\"") in SINGLE_WORD_NOT_TITLES:
            continue
        movie_id = reader.vocab.exact_title(phrase)
        if movie_id is not None:
            return movie_id, words[n - 1][1]
    name_end = _name_end(reader, words)
    if name_end is None:
        return None
    name = reader.original[words[0][0]:name_end].strip(" '\"")
    movie_id = reader.vocab.find_title(name)
    if movie_id is None and not _is_taste_phrase(reader.vocab, name):
        reader.not_found.append(name)
    return movie_id, name_end


def _capitalised(reader: Reader, position: int) -> bool:
    char = reader.original[position:position + 1]
    return char.isupper() or char.isdigit()


def _name_end(reader: Reader, words: list[tuple[int, int]]) -> int | None:
    """Where a name ends: a run of capitalised words (small words allowed inside), or up to four
    lower-case words that end the clause. None when the words do not look like a name."""
    small = {"of", "the", "a", "an", "and", "in", "on", "to", "for", "de", "la", "le", "du", "at", "with", "from"}
    if _capitalised(reader, words[0][0]):
        end = words[0][1]
        for start, stop in words[1:]:
            word = reader.text[start:stop]
            if _capitalised(reader, start):
                end = stop
            elif word not in small:
                break
        return end
    tail = reader.text[words[-1][1]:words[-1][1] + 1]
    articles = {"the", "a", "an"}
    if len(words) <= 4 and tail in ("", ".", "!", ",", "?", ";") and not any(
        (word := reader.text[s:e]) not in articles and (word in SINGLE_WORD_NOT_TITLES or word in ORDINALS)
        for s, e in words
    ):
        return words[-1][1]
    return None


def _is_taste_phrase(vocab: CatalogVocabulary, phrase: str) -> bool:
    """Words about genres, eras or tone ("horror movies", "90s stuff", "dark thrillers"), not a title."""
    words = [w for w in re.split(r"\s+", phrase.strip(" '\".!?")) if w]
    generic = {"movies", "movie", "films", "film", "flicks", "stuff", "ones", "a", "the", "good", "great", "old",
               "new", "some", "more", "dark", "light", "classic", "classics", "and", "or", "really", "from", "any",
               "pictures", "cinema", "kind", "of", "type", "those", "these", "all", "most", "recent", "shows"}
    if not words:
        return True
    text = " ".join(words)
    if vocab.genre(text) or DECADE_RE.search(text) or DECADE_WORD_RE.search(text):
        return True
    tasteful = [w for w in words if vocab.genre(w) or DECADE_RE.fullmatch(w) or DECADE_WORD_RE.fullmatch(w)]
    return bool(tasteful) and all(w in generic or w in tasteful for w in words)


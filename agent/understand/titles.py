"""Catalog titles in a message, typed the way people type them.

People write "the shawshank", "forest gump", "terminater 2", "Heat (1995)", "se7en", "usual suspects"
and, most of all, the titles on screen by a word or two ("the frozen one", "kung fu panda"). Four
passes find them, each stricter where a wrong match costs more:

1. quoted names ('"Heat" was great');
2. every run of words that is exactly a catalog title (articles, case, accents and punctuation
   aside), accepted when it cannot be everyday English: a rare word in it ("memento"), written in
   Title Case, on screen, or after a word about watching ("I loved alien"); "the others" or "up"
   alone stay words;
3. the titles on screen by their distinctive words, with misspellings ("labrynth");
4. misspelt titles anywhere, anchored on a rare word (rapidfuzz over the catalog's title words).

A year next to a title ("(1995)", "from 95") picks among remakes and is part of the title, not a
wish for that year. A name after "I loved" that matches nothing is reported back, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from agent.understand.cues import BEATS, BETTER_THAN, CUE_WORDS, MOVIE_CUES, SIMILAR_BEFORE, WORSE_THAN, words
from agent.understand.genres_years import DECADE_RE, DECADE_WORD_RE, describes_a_film, full_year, genre_mentions
from agent.understand.vocabulary import (
    COMMON_ZIPF, DICTATED_NUMBERS, ENGLISH_ARTICLES, FOREIGN_ORDINALS, LEADING_ARTICLES, ORDINALS, SINGLE_WORD_NOT_TITLES, TYPO_ZIPF,
    CatalogVocabulary, is_comparative, sequel_key, strip_article, title_key, zipf,
)

if TYPE_CHECKING:
    from agent.understand.reader import Reader

NO_MOVIE = 0
"""A title with a year the catalog does not have: named, but not a catalog movie."""
MentionKind = Literal["quoted", "title", "shown_title", "position", "group", "pronoun"]
FUZZY_TITLE_SCORE = 86.0
"""rapidfuzz ratio a misspelt span needs against a title ("forest gump" / "forrest gump": 96)."""
SHOWN_WORD_SCORE = 85.0
"""rapidfuzz ratio a word needs against a word of a title on screen ("labrynth" / "labyrinth": 88)."""
VERY_RARE_ZIPF = 3.3
"""A one-word title this rare in English is a title wherever it stands ("trainspotting changed my life")."""
POPULAR_WORD_ZIPF = 4.4
"""A one-word title of a popular movie may be this common a word and still be read lower case ("casino")."""
TRIGGER_MAX_ZIPF = 5.0
"""After "I loved", a one-word title may be an everyday word up to this frequency ("alien", "heat")."""
ENGLISH_FILLERS = frozenset({"the", "a", "an", "of", "and", "in", "on", "to", "for", "at", "with", "from", "by", "is",
                             "it", "my", "me", "you", "i", "s", "part", "one", "movie", "film"})
"""English words of a title that do not make it one ("la la land" has three words that do)."""
STOPWORDS = frozenset({*LEADING_ARTICLES, "of", "and", "in", "on", "to", "for", "at", "with", "from", "by", "is",
                       "it", "my", "me", "you", "i", "s", "part", "ii", "one", "movie", "film"})
"""Words of a title that say nothing about which title it is."""

_TOKEN_RE = re.compile(r"[a-z0-9']+|&")
_QUOTED_RE = re.compile(r'"([^"]{2,120})"|(?<![a-z0-9])\'([^\']{2,120})\'(?![a-z0-9])')
_YEAR_HINT_RE = re.compile(r"\s*(?:\(\s*((?:19|20)\d\d)\s*\)|,?\s*(?:from|in|of)?\s*(?:the year\s+)?"
                           r"((?:19|20)\d\d)(?![\d's])|\s*(?:from|of)\s+'?(\d\d)(?![\d's])|\s+'?([3-9]\d)(?![\d's%])|"
                           r"\(\s*'?(\d\d)\s*\))")
_TRIGGER_RE = re.compile(
    r"(?<![a-z'])(?:loved|liked|enjoyed|adored|love|like|enjoy|adore|hated|disliked|loathed|despised|hate|dislike|"
    r"didn'?t (?:really )?like|don'?t (?:really )?like|couldn'?t stand|can'?t stand|fan of|favou?rite (?:was|is)|"
    r"(?:something|anything|movies?|films?|ones?|stuff|more|others?|just)\s+(?:(?:a bit|a little|kind of|sort of)\s+)?like|"
    r"similar to|in the vein of|along the lines of|in the style of|reminds? me of|seen|watched|saw|rewatched|"
    r"not interested in|pass on|skip|adding|add|watch|same (?:vibe|vibes|energy|feel) as|version of|in the spirit of|"
    r"on the level of|another|like|get into|got into|getting into|thinking about|finish|finished|sit through|sat through|"
    r"obsessed with|recommend|" + words(*SIMILAR_BEFORE) + r")\s+(?:the\s+(?:movie|film)\s+)?$"
)
"""Words right before a title that say it is one ("I loved alien", "something like heat")."""
_KIND_AFTER_RE = re.compile(r"\s*-\s*(?:adjacent|esque|type|style|like)(?![a-z])|\s+(?:type|style)\s+(?:of\s+)?(?:movie|film|thing|stuff)")
"""After a title, words that make it the model for a kind of film ("heat-adjacent", "a jaws type movie")."""
_VERDICT_AFTER_RE = re.compile(
    r"\s+(?:deserves?|deserved) (?:(?:way|so much|a lot)\s+)?more (?:love|credit|recognition)|"
    r"\s+(?:was|is|'s)\s+(?:(?:so|really|absolutely|just|pretty|genuinely|honestly|criminally|massively|hugely)\s+)?(?:great|amazing|brilliant|"
    r"fantastic|incredible|excellent|awesome|superb|perfect|a masterpiece|the best|fire|goated|peak|terrible|awful|"
    r"boring|overrated|underrated|mid|trash|garbage|unwatchable|a classic|on my (?:to-?watch |watch |must-see )?list|"
    r"next on my list|my (?:all[- ]time )?favou?rite(?: film| movie)?|one of my favou?rites)(?![a-z])")
"""A verdict right after a message's first word says that the word is a title ("heat was great")."""
SCORE_WITH_SCALE = r"(?:10|\d(?:\.5)?)\s*(?:/\s*(?:10|5)|out of (?:10|5)|outta 10)(?![\d])"
"""A score said with its scale ("9/10", "3 out of 10", "4/5")."""
_FILM_VERDICT_AFTER_RE = re.compile(
    r"\s+(?:(?:still\s+)?holds? up|never fails to|(?:still\s+)?" + BEATS + r" (?:every|all|any|the)|(?:has|had) the best (?:soundtrack|ending|score|cast|twist|villain)|"
    r"(?:made|makes) me (?:cry|sob|laugh|think)|(?:was|is|'s)\s+(?:(?:so|really|absolutely|just|pretty|honestly|still)\s+)?"
    r"(?:a (?:hidden |real |little |total |absolute )?gem|one of the best|a must[- ]see|a guilty pleasure|forgettable|"
    r"a let-?down|a snooze(?:fest)?|a slog|so creepy|a blast|a hoot|pure (?:dumb )?fun|our (?:christmas )?tradition))(?![a-z])|"
    r"\s*(?:\?|:|\s[-–—])\s*(?:(?:i\s+)?(?:love|loved|adore|adored|hate|hated) it|(?:i'?ve\s+)?(?:seen|watched) it|"
    r"saw it|a classic|overrated|underrated|masterpiece|a masterpiece|(?:seen|watched|loved|hated|never seen|not seen)"
    r"(?=\s*(?:[,.;/]|$)))(?![a-z])|"
    r"\s*[:?=,–—-]?\s*" + SCORE_WITH_SCALE + "|"  # "heat 9/10"
    r"\s+(?:(?:i\s+)?(?:loved|adored|hated) it|(?:i'?ve\s+|i\s+)?(?:seen|watched) it|(?:i\s+)?saw it)(?![a-z])")  # "la la land seen it"
"""A verdict said only of a film, right after a message's first word: that word is a title even where it is a
common word ("drive has the best soundtrack", "speed still holds up", "heat? love it", "heat 9/10", "jaws beats every shark film"; up to
:data:`FILM_VERDICT_MAX_ZIPF`)."""
FILM_VERDICT_MAX_ZIPF = 5.5
_NAME_AFTER_TRIGGER_RE = re.compile(
    r"(?<![a-z'])(?:loved|liked|enjoyed|adored|hated|disliked|loathed|despised|love|like|enjoy|adore|hate|"
    r"seen|watched|saw|similar to|in the vein of)\s+"
)
_SMALL_WORDS = {"of", "the", "a", "an", "and", "in", "on", "to", "for", "de", "la", "le", "du", "at", "with", "from"}


@dataclass
class MovieMention:
    """Where the message names or points at movies.

    Attributes:
        start, end: The span in the message.
        movies: The movie ids meant (several for "these" or "the first two").
        kind: How they were named: a quoted or plain title, a title on screen, a position in the
            list ("the second one"), a group of the list ("these", "the rest"), a pronoun ("it").
        weak: A bare "it" / "that": it means the movie on screen only beside words about a movie.
        series: Where a series is named as a whole ("the matrix sequels"), all its parts by year, so
            that "the first one" after it counts them.
    """

    start: int
    end: int
    movies: tuple[int, ...]
    kind: MentionKind
    weak: bool = False
    series: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Word:
    key: str  # as title_key writes it
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    """The message as title-key words with their spans ("schindler's" → "schindlers", "se7en" → se 7 en)."""
    out = []
    for match in _TOKEN_RE.finditer(text):
        raw = match.group(0)
        if raw == "&":
            out.append(_Word("and", match.start(), match.end()))
            continue
        for part in re.finditer(r"[a-z]+|\d+", raw.replace("'", "")):
            out.append(_Word(part.group(0), match.start(), match.end()))  # "se7en": each part spans the run
    return out


_IDIOMS_RE = re.compile(r"(?<![a-z])(?:aged like (?:milk|fine wine)|like a charm|home alone (?:tonight|this|for)|"
                        r"(?:on|in) (?:the|my) (?:couch|sofa)|date night|movie night|family night|by a (?:country )?mile|"
                        r"(?:won|win|wins|winning) by miles|in a heartbeat|(?:gave|give|gives|giving|got|get|gets) (?:me |us )?(?:the )?goosebumps|"
                        r"goosebumps (?:every time|all over|still)|[lj]'?ai deja vue?|i (?:must |have to |will |'ll )?confess(?= i| that| to|,))(?![a-z])")
"""Everyday phrases holding a title's words ("aged like milk" is no mention of Milk)."""


def find_titles(reader: Reader) -> list[MovieMention]:
    """Every title the message names, in the four passes of the module docstring, after the series
    named as a whole."""
    mentions = _whole_series(reader)
    mentions += [m for m in _quoted(reader) if not _inside(m.start, mentions)]
    idioms = [MovieMention(m.start(), m.end(), (), "title") for m in _IDIOMS_RE.finditer(reader.text)]
    words = [w for w in _words(reader.text) if not _inside(w.start, mentions + idioms)]
    mentions += _exact_runs(reader, words)
    mentions += _initialisms(reader, [w for w in words if not _inside(w.start, mentions)])
    mentions += _shown_by_words(reader, [w for w in words if not _inside(w.start, mentions)])
    mentions += _title_beginnings(reader, [w for w in words if not _inside(w.start, mentions)])
    mentions += _misspelt(reader, [w for w in words if not _inside(w.start, mentions)])
    mentions += _run_together(reader, words, mentions)
    mentions += _list_mates(reader, words, mentions)
    mentions = [_card_one(reader, _series_after_title(reader, _ordinal_in_series(reader, _numbered_in_series(reader, m))))
                for m in mentions]
    mentions = [m for m in mentions if not _describes_a_card(reader, m)]
    _report_unfound(reader, mentions)
    return sorted(mentions, key=lambda m: m.start)


_GROUP_AFTER_RE = re.compile(r"\s+(?:(?P<sequels>sequels)|(?P<prequels>prequels)|(?P<three>trilogy|(?:films|movies),?\s+all three)|"
                             r"(?P<whole>franchise|saga)|(?P<plural>ones|films|movies|flicks))(?![a-z'])")
"""After a series' name, the words that name the series as a whole ("the matrix sequels", "the lotr trilogy")."""
_GROUP_BEFORE_RE = re.compile(r"(?<![a-z'])(?:(?P<three>all three(?: of)?|the three)|(?P<all>all(?: of)?|every(?: single)?)|"
                              r"(?P<both>both(?: of)?))(?:\s+the)?\s+$")
"""Before a series' name and a plural, the words that make it the whole series ("all the star wars ones")."""
TRILOGY = 3
SERIES_NAME_WORDS = 6


def _whole_series(reader: Reader) -> list[MovieMention]:
    """Series named as a whole (:meth:`CatalogVocabulary.franchise`): "the matrix sequels" (its films
    after the first), "the lotr trilogy", "the hobbit films, all three", "all three back to the future
    films" (its three most rated parts, by year), "all the star wars ones", "the alien franchise" (the
    parts on screen, where the list holds some, else every part), "both spider-man films" (a series
    of two). A plain "the harry potter films" is left alone: it may be a taste, not a verdict on each."""
    if not _GROUP_AFTER_RE.search(reader.text):
        return []  # most messages: no word that names a series as a whole
    words = _words(reader.text)

    def match_at(i: int) -> MovieMention | None:
        for j in range(min(len(words), i + SERIES_NAME_WORDS), i, -1):
            after = _GROUP_AFTER_RE.match(reader.text, words[j - 1].end)
            if after is None or _broken(reader, words[i:j], _CLAUSE_MARKS) or words[i].key in ENGLISH_ARTICLES:
                continue
            before = _GROUP_BEFORE_RE.search(reader.text[max(0, words[i].start - 24):words[i].start])
            if after.group("plural") and before is None:
                continue
            name = sequel_key(" ".join(w.key for w in words[i:j]))
            franchise = reader.vocab.franchise(name)
            movies = _parts_meant(reader, name, franchise, after, before) if franchise else []
            if franchise and (movies or after.group("prequels")):  # prequels the catalog lacks: no film at all
                start = words[i].start - len(before.group(0)) if before else words[i].start
                return MovieMention(start, after.end(), tuple(movies), "title", series=tuple(franchise))
        return None

    return _scan(words, match_at)


def _series_after_title(reader: Reader, mention: MovieMention) -> MovieMention:
    """A title found by the other passes (misspelt: "the matirx sequels") followed by the words that
    name its series as a whole (:func:`_whole_series`)."""
    after = _GROUP_AFTER_RE.match(reader.text, mention.end)
    if mention.kind != "title" or len(mention.movies) != 1 or after is None or after.group("plural"):
        return mention
    name = title_key(reader.vocab.main_title(mention.movies[0]))
    franchise = reader.vocab.franchise(name)
    movies = _parts_meant(reader, name, franchise, after, None) if franchise else []
    return MovieMention(mention.start, after.end(), tuple(movies), "title", series=tuple(franchise)) if movies else mention


def _parts_meant(reader: Reader, name: str, franchise: list[int], after: re.Match[str], before: re.Match[str] | None) -> list[int]:
    """The parts of a series (by year) that the words around its name mean (:func:`_whole_series`)."""
    if after.group("sequels"):  # after the film the series is named by ("rocky"), else after its first
        named = [m for m in franchise if m in reader.vocab.movies_for_key(name)]
        return franchise[franchise.index(named[0]) + 1:] if named else franchise[1:]
    if after.group("prequels"):
        return reader.vocab.prequels(franchise)
    if after.group("three") or (before is not None and before.group("three")):
        if len(franchise) < TRILOGY:
            return []
        most_rated = sorted(franchise, key=lambda m: (-reader.vocab.popularity_of(m), m))[:TRILOGY]
        return [m for m in franchise if m in most_rated]
    if before is not None and before.group("both"):
        return franchise if len(franchise) == 2 else []
    return [m for m in franchise if m in reader.shown] or franchise


_SERIES_NUMBER_RE = re.compile(r"\s*(?:part\s+|pt\.?\s*|#|no\.?\s*|number\s+)?(\d{1,2}|one|two|three|four|five|six|seven|"
                               r"eight|ii|iii|iv|vi|vii|viii|dos|dois|deux|zwei|tres|trois|drei)(?![\w'/%.,]\d)"
                               r"(?!\s*(?:/|out of|stars?|times?|hours?|mins?|"
                               r"minutes?|years?|days?|weeks?|months?|nights?|x\b|%))(?![\w])")
_EPISODE_NUMBER_RE = re.compile(r"\s*(?:episode|ep\.?)\s*(\d{1,2}|i|ii|iii|iv|v|vi|vii|viii|one|two|three|four|five|six|"
                                r"seven|eight)(?![\w])")
"""A number said after "episode" ("star wars episode v", "ep 2"), where "i" and "v" are numerals too."""
_SERIES_HOMOPHONE_RE = re.compile(r"\s*(?:(?:part|pt\.?|vol\.?|volume|chapter)\s+(too|to|for|won)(?![\w'])|"
                                  r"(too|to|for)(?=\s+(?:is|was|were|has|had)(?![\w'])))")
"""Dictation's numbers ("kill bill volume too", "terminator to is my favourite"): only where no other
reading of the word fits (after "part", or before "was": "Alien too." stays "also")."""
_SERIES_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
                 "dos": 2, "dois": 2, "deux": 2, "zwei": 2, "tres": 3, "trois": 3, "drei": 3,  # "shrek dos"
                 **{word: int(number) for word, number in DICTATED_NUMBERS.items()}}


def series_number(said: str) -> int:
    """The number a sequel is said with: "3", "iii", "three", dictation's "too"."""
    return int(said) if said.isdigit() else _SERIES_WORDS[said]


def _numbered_in_series(reader: Reader, mention: MovieMention) -> MovieMention:
    """"deadpool 1", "harry poter 3", "star wars 5": the film of the title's series with that number
    (:meth:`CatalogVocabulary.numbered_in_series`), when the number is not part of a title already
    ("toy story 3" is one)."""
    if mention.kind != "title" or len(mention.movies) != 1:
        return mention
    number = _EPISODE_NUMBER_RE.match(reader.text, mention.end) or _SERIES_NUMBER_RE.match(reader.text, mention.end) \
        or _SERIES_HOMOPHONE_RE.match(reader.text, mention.end)
    if number is None:
        return mention
    said = number.group(1) or number.group(2)
    whole = sequel_key(strip_article(title_key(reader.text[mention.start:mention.end])) + " " + said)
    if number.group(1) and reader.vocab.is_key(whole):  # "the incredibles 2": a title of its own, popular or not
        return MovieMention(mention.start, number.end(), (reader.vocab.movies_for_key(whole)[0],), mention.kind)
    found = reader.vocab.numbered_in_series(mention.movies[0], series_number(said))
    if found is None:
        if not reader.vocab.series_of(mention.movies[0], everyday_title=True):
            return mention  # no series: the number is not a sequel's
        # a film of the series the catalog does not hold by that number: none, not the first film
        reader.not_found.append(reader.original[mention.start:number.end()].strip())
        return MovieMention(mention.start, number.end(), (), mention.kind)
    return MovieMention(mention.start, number.end(), (found,), mention.kind)


_ORDINAL_BEFORE_RE = re.compile(r"(?<![a-z0-9])(?:the\s+)?(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|"
                                r"sixth|6th|seventh|7th|eighth|8th|last|final|latest|newest)\s+$")
"""An ordinal right before a series' title: "the second toy story", "the last harry potter"."""


def _ordinal_before(reader: Reader, start: int) -> tuple[int, int] | None:
    """(place in a series, -1 the last; where the ordinal begins) of an ordinal right before ``start``."""
    offset = max(0, start - 14)
    said = _ORDINAL_BEFORE_RE.search(reader.text[offset:start])
    if said is None:
        return None
    word = said.group("ord")
    return (-1 if word in ("last", "final", "latest", "newest") else ORDINALS[word]), offset + said.start()


def _ordinal_in_series(reader: Reader, mention: MovieMention) -> MovieMention:
    """"the second toy story", "the last harry potter": the series' film at that place, by year."""
    if mention.kind != "title" or len(mention.movies) != 1:
        return mention
    said = _ordinal_before(reader, mention.start)
    series = reader.vocab.series_of(mention.movies[0], everyday_title=True) if said is not None else []
    if not series or said[0] >= len(series):
        return mention
    index, start = said
    return MovieMention(start, mention.end, (series[index],), mention.kind)


_FRANCHISE_AFTER_RE = re.compile(r"\s+(?:movies?|films?|flicks?|franchise|series|trilogy|saga|universe)(?![a-z])")
"""After a glued name, a word that makes it a kind of film ("the best spiderman movie"), not one film."""
RUN_WORDS = (2, 5)
"""Shortest and longest phrase (in words) compared with the popular titles written without spaces."""


def _run_together(reader: Reader, words: list[_Word], taken: list[MovieMention]) -> list[MovieMention]:
    """Popular titles said with spaces, letters or words a little off, found by comparing phrases of
    two to five words with the titles written without spaces ("ground hog day", "spirited a way",
    "their will be blood"): the longest close phrase wins, one title per phrase. A rare word that is
    exactly a popular title without its spaces ("ironman", "toystory") is that title."""
    free = [w for w in words if not _inside(w.start, taken)]
    if not any(w.key not in STOPWORDS and (zipf(w.key) < COMMON_ZIPF or reader.original[w.start:w.start + 1].isupper())
               for w in free):
        return []  # no rare or capitalised word left: nothing that could be a title (most messages)

    def match_at(i: int) -> MovieMention | None:
        glued = reader.vocab.glued_key(words[i].key) if zipf(words[i].key) < COMMON_ZIPF else None
        if glued is not None and not _inside(words[i].start, taken) \
                and not _FRANCHISE_AFTER_RE.match(reader.text, words[i].end):  # "ironman 3 was so bad"
            movie_id, end = _with_year_hint(reader, words[i].end, reader.vocab.movies_for_key(glued))
            return MovieMention(words[i].start, end, (movie_id,) if movie_id != NO_MOVIE else (), "title")
        for size in range(RUN_WORDS[1], RUN_WORDS[0] - 1, -1):
            span = words[i:i + size]
            if len(span) < size or any(_inside(w.start, taken) for w in span) or _broken(reader, span, _CLAUSE_MARKS):
                continue
            content = [w for w in span if w.key not in STOPWORDS]
            if len(content) < 2 or span[-1].key in STOPWORDS or (span[0].key in STOPWORDS and span[0].key not in LEADING_ARTICLES):
                continue  # "is untouchable": a title's words, not a verb and a word
            if all(zipf(w.key) >= COMMON_ZIPF for w in content) and not _title_case(reader, span):
                continue  # only everyday words, not written as a title: a phrase ("lovely actually"), not a film
            said = " ".join(w.key for w in span)
            if reader.vocab.is_key(said) or reader.vocab.is_key(strip_article(said)):
                continue  # an exact title was judged by the exact pass ("home alone tonight" is no film)
            key = reader.vocab.run_together_key(said)
            if key is not None and not _is_taste_phrase(reader.vocab, reader.text[span[0].start:span[-1].end]):
                movie_id, end = _with_year_hint(reader, span[-1].end, reader.vocab.movies_for_key(key))
                return MovieMention(span[0].start, end, (movie_id,) if movie_id != NO_MOVIE else (), "title")
        return None

    return _scan(words, match_at)


def _scan(words: list[_Word], match_at: Callable[[int], MovieMention | None]) -> list[MovieMention]:
    """Mentions found left to right: ``match_at(i)`` tries the words from ``i``; after a match the
    scan goes on after its end, so mentions never overlap."""
    found: list[MovieMention] = []
    i = 0
    while i < len(words):
        match = match_at(i)
        if match is None:
            i += 1
            continue
        found.append(match)
        while i < len(words) and words[i].start < match.end:
            i += 1
    return found


_CLAUSE_MARKS = re.compile(r"[.!?;:,]")
_SENTENCE_MARKS = re.compile(r"[.!?;:]")


def _broken(reader: Reader, span: list[_Word], marks: re.Pattern[str]) -> bool:
    """Whether punctuation of ``marks`` stands between two of the span's words (no title runs across it)."""
    return any(marks.search(reader.text, a.end, b.start) for a, b in zip(span, span[1:]))


def _inside(position: int, mentions: list[MovieMention]) -> bool:
    return any(m.start <= position < m.end for m in mentions)


def _a_verdict(words_said: str) -> bool:
    """Whether the words are only a judgement of a film ("perfect", "a masterpiece", "a classic")."""
    said = words_said.strip(" .!?,")
    return any(cue.valence and pattern.fullmatch(said) for pattern, cue in MOVIE_CUES)


def _quoted(reader: Reader) -> list[MovieMention]:
    found = []
    for match in _QUOTED_RE.finditer(reader.text):
        group = 1 if match.group(1) is not None else 2
        inner = match.group(group)
        if re.fullmatch(r"\s*(?:\d0s|\d{4}s?)\s*", inner) or reader.vocab.genre(inner):
            continue
        movie_id = reader.vocab.find_title(inner)
        name = reader.original[match.start(group):match.end(group)].strip()
        if not name[:1].isupper() and _a_verdict(inner) and (
                movie_id is None or reader.vocab.popularity_of(movie_id) < SCARCELY_RATED):
            # 'oh sure, the second is "a masterpiece"', 'everyone calls it "perfect"': someone else's word, in
            # scare quotes; neither a film (Perfect, 1985) nor the user's verdict
            reader.text = reader.text[:match.start()] + " " * (match.end() - match.start()) + reader.text[match.end():]
            reader.mask(match.start(), match.end())
            continue
        if movie_id is None:
            if len(name.split()) > 1 or name[:1].isupper():  # 'dated' in quotes is a word, not a film
                reader.not_found.append(name)
                found.append(MovieMention(match.start(), match.end(), (), "quoted"))
            continue
        dated, end = _with_year_hint(reader, match.end(), [movie_id])
        found.append(MovieMention(match.start(), end, (dated,) if dated != NO_MOVIE else (), "quoted"))
    return found


_SCALE_AFTER_RE = re.compile(r"\s*(?:/\s*(?:10|5)(?!\d)|(?:out of|outta)\s+(?:10|5|ten|five)(?!\d))")
"""The scale after a number that makes it a score ("2/10", "3 out of 10")."""


def _a_score(reader: Reader, word: _Word) -> bool:
    """A number that is a score ("2/10", "3 out of 10"), however well it would end a sequel's title."""
    return word.key.isdigit() and bool(_SCALE_AFTER_RE.match(reader.text, word.end))


_DESCRIBING_RE = (re.compile(r"(?<![a-z])(?:the|that|this)\s+$"), re.compile(r"\s+(?:one|film|movie|flick)(?![a-z])"))


def _describes_a_card(reader: Reader, mention: MovieMention) -> bool:
    """"the dinosaur one" beside a Jurassic Park card tagged "dinosaur": words that describe a card on screen, not the
    title of a film off it (Dinosaur, 2000)."""
    before, after = _DESCRIBING_RE
    said = reader.text[mention.start:mention.end]
    if not mention.movies or set(mention.movies) & set(reader.shown) or not after.match(reader.text, mention.end) or not (
            before.search(reader.text, 0, mention.start) or re.match(r"(?:the|that|this)\s", said)):
        return False
    said = re.sub(r"^(?:the|that|this)\s+", "", said)
    return any(reader.vocab.described_by(card, said, whole_tag=True) for card in reader.shown)


def _initialisms(reader: Reader, words: list[_Word]) -> list[MovieMention]:
    """Titles typed as a fan's initialism in capitals ("TDKR was alright", "OBWAT or TBL?"), a sequel's with its number
    ("BTTF2"): in lower case such letters are as often chat's own shorthand."""
    found = []
    for word in words:
        said = reader.original[word.start:word.end]
        numbered = re.fullmatch(r"([A-Z]{3,})(\d{1,2})", said)  # "BTTF2": the sequel of that number
        if _inside(word.start, found) or not (numbered or (len(said) >= 3 and said.isalpha() and said.isupper())):
            continue
        movie = reader.vocab.initialism(word.key)
        if movie is None and numbered and reader.vocab.is_key(word.key):
            movie = reader.vocab.movies_for_key(word.key)[0]  # "bttf" is also a catalog name of Back to the Future
        if movie is not None and numbered:  # the first film's letters only: "ROTJ2" numbers no sequel
            series = reader.vocab.series_of(movie)
            movie = reader.vocab.numbered_in_series(movie, int(numbered.group(2)), by_title_only=True) \
                if series[:1] == [movie] else None
        if movie is not None:
            found.append(MovieMention(word.start, word.end, (movie,), "title"))
    return found


def _exact_runs(reader: Reader, words: list[_Word]) -> list[MovieMention]:
    """Runs of words that are exactly a title, longest first, when they cannot be plain English."""
    vocab = reader.vocab

    def match_at(i: int) -> MovieMention | None:
        if words[i].key not in vocab.first_words:
            return None
        end = i + 1  # words across a sentence break are not one title
        while end < min(len(words), i + vocab.max_key_words) and words[end].start - words[end - 1].end <= 3 \
                and not re.search(r"[.!?;\n]", reader.text[words[end - 1].end:words[end].start]):
            end += 1
        for j in range(end, i, -1):
            if j < len(words) and words[j].start == words[j - 1].start:
                continue  # a run ends with its token: "bttf" of "BTTF2" is not Back to the Future itself
            run = words[i:j]
            key = sequel_key(" ".join(w.key for w in run))
            titled = _a_title_key(vocab, key, run)
            if not titled and (bare := _without_possessive(reader, run)):
                run, key = bare, sequel_key(" ".join(w.key for w in bare))  # "strictly ballroom's a ripper"
                titled = _a_title_key(vocab, key, run)
            if not titled:
                continue
            if j - 1 > i and _a_score(reader, words[j - 1]):
                continue  # "toy story 2/10", "toy story, 2 out of 10": a score, not the sequel
            if _inside_a_longer_title(reader, words, i, j):
                return None  # "eternal sunshine": the beginning of a longer title, not Sunshine (2007)
            candidate = _accept(reader, run, key)
            if candidate is not None:
                return _longer_misspelt(reader, words, i, j) or candidate
        return None

    return _scan(words, match_at)


def _a_title_key(vocab: CatalogVocabulary, key: str, run: list[_Word]) -> bool:
    """Whether the run's key names a title (a lesser-known one only by words distinctive enough)."""
    content = [w.key for w in run if w.key not in STOPWORDS]
    return vocab.is_key(key) or vocab.is_key(strip_article(key)) or (
        bool(content) and (len(content) > 1 or zipf(content[0]) < DISTINCTIVE_ZIPF) and vocab.is_key(strip_article(key), tier=1))


def _without_possessive(reader: Reader, run: list[_Word]) -> list[_Word] | None:
    """The run with its last word's "'s" cut off ("ballroom's" of "Strictly Ballroom's a ripper": the film, then
    "is"), or None where the last word has none. Titles that hold the "'s" ("schindler's list") match first."""
    last = run[-1]
    if not (reader.text.startswith("'s", last.end - 2) and last.key.endswith("s") and len(last.key) > 2):
        return None
    return [*run[:-1], _Word(last.key[:-1], last.start, last.end - 2)]


_MATE_AFTER_RE = re.compile(r"\s*(?:,|&|\+|/|and|or|nor|than|vs\.?|versus|over|then)\s*(?:(?:also|even|maybe)\s+)?$")
_MATE_BEFORE_RE = re.compile(r"^\s*(?:,|&|\+|/|and|or|nor|than|vs\.?|versus|over|then)\s+")
_PAIR_RE = re.compile(r"(?<![a-z])(?:neither|both|between)\s+(?P<first>[a-z0-9' ]{2,40}?)\s+(?:nor|and|or)\s+"
                      r"(?P<second>[a-z0-9' ]{2,40}?)(?=\s*(?:[.,!?;]|$|(?:is|are|was|were|did|do|does)\b))|"
                      r"(?<![a-z])(?P<better>[a-z0-9' ]{2,40}?)\s+(?:(?:is|was)\s+(?:way\s+|much\s+|so\s+|far\s+|even\s+)?"
                      r"(?:better|worse|funnier|scarier|sadder|smarter|dumber)\s+than|(?:still\s+)?" + BETTER_THAN + "|" + WORSE_THAN +
                      r")\s+(?P<worse>[a-z0-9' ]{2,40}?)(?=\s*(?:[.,!?;]|$|out of the water\b))")
"""Two films in everyday words paired so that only films fit ("neither heat nor casino", "heat is better than casino",
"aliens beats alien")."""


def _popular_title_run(reader: Reader, words: list[_Word], i: int, j: int) -> MovieMention | None:
    """Words ``i:j`` as exactly a popular title, a run that may be everyday words."""
    if i < 0 or j > len(words) or i >= j or _broken(reader, words[i:j], _CLAUSE_MARKS):
        return None
    key = sequel_key(" ".join(w.key for w in words[i:j]))
    content = [w.key for w in words[i:j] if w.key not in STOPWORDS]
    if not content or (len(content) == 1 and zipf(content[0]) >= TRIGGER_MAX_ZIPF) \
            or _a_verdict(reader.text[words[i].start:words[j - 1].end]) or _in_a_compound(reader, words[i].start, words[j - 1].end) \
            or re.search(r"(?<![a-z'])(?:is|was|are|were|so|very|too|pretty|quite|really)\s+$", reader.text[:words[i].start]):
        return None  # "home alone 1 is perfect and …": a verdict, not The Perfect Storm
    for option in (key, strip_article(key)):
        if reader.vocab.is_key(option):
            candidates = reader.vocab.movies_for_key(option)
            movie_id = (_better_known(reader.vocab, option, candidates) or candidates)[0]
            if reader.vocab.is_popular(movie_id):
                return MovieMention(words[i].start, words[j - 1].end, (movie_id,), "title")
    return None


def _list_mates(reader: Reader, words: list[_Word], mentions: list[MovieMention]) -> list[MovieMention]:
    """Titles in everyday words listed beside a title already found ("heat and collateral", "casino, heat")
    or paired so that only films fit ("neither heat nor casino"): popular films only, exact titles only."""
    found: list[MovieMention] = []

    def taken(word: _Word) -> bool:
        return _inside(word.start, mentions + found)

    named = [m for m in mentions if m.kind == "title" and m.movies]
    for index, word in enumerate(words):
        if taken(word):
            continue
        after = any(m.end <= word.start and _MATE_AFTER_RE.fullmatch(reader.text, m.end, word.start) for m in named)
        for j in range(min(len(words), index + 4), index, -1):
            if any(taken(w) for w in words[index:j]):
                continue
            before = any(m.start >= words[j - 1].end and _MATE_BEFORE_RE.match(reader.text[words[j - 1].end:m.start])
                         and not re.search(r"[a-z0-9]", _MATE_BEFORE_RE.sub("", reader.text[words[j - 1].end:m.start], 1))
                         for m in named)
            if (after or before) and _FOLLOWERS_RE.match(reader.text, words[j - 1].end) \
                    and (mention := _popular_title_run(reader, words, index, j)):
                found.append(mention)
                break
    for match in _PAIR_RE.finditer(reader.text):
        pair = [g for g in ("first", "second", "better", "worse") if match.group(g)]
        runs: list[MovieMention | None] = []
        for group in pair:
            known = [m for m in named if m.start == match.start(group) and m.end == match.end(group)]
            span = [k for k, w in enumerate(words) if match.start(group) <= w.start < match.end(group)]
            if known:
                runs.append(known[0])  # "heat is better than casino" with Casino already found
            elif span and not any(taken(words[k]) for k in span):
                runs.append(_popular_title_run(reader, words, span[0], span[-1] + 1))
            else:
                runs.append(None)
        if all(runs):
            found.extend(run for run in runs if run not in named)  # type: ignore[misc]
    return found


def _inside_a_longer_title(reader: Reader, words: list[_Word], i: int, j: int) -> bool:
    """Whether the word or two before ``words[i:j]`` and the run begin a popular longer title (which
    :func:`_title_beginnings` then reads), so the run is a part of that title, not a title of its own."""
    for first in (i - 1, i - 2):
        if first < 0 or _broken(reader, words[first:j], _CLAUSE_MARKS):
            return False
        if all(w.key in STOPWORDS for w in words[first:i]):
            continue  # "like a shrek": an article adds nothing (Shrek 2 begins with "shrek" too)
        said = strip_article(" ".join(w.key for w in words[first:j]))
        if said.split()[0] in STOPWORDS:
            continue
        if any(reader.vocab.is_popular(reader.vocab.movies_for_key(k)[0]) for k in _keys_beginning(reader.vocab, said)):
            return True
    return False


def _keys_beginning(vocab: CatalogVocabulary, said: str) -> list[str]:
    """Title keys that begin with the words ``said`` (article stripped) and go on, found through the
    rarest of its words that few titles share; [] when it has none but small words."""
    content = [w for w in said.split() if w not in STOPWORDS]
    # the rarest word that few titles share ("ii" is in too many titles to look them up by)
    keys = next((found for word in sorted(content, key=zipf) if (found := vocab.keys_with_word(word))), [])
    return [k for k in keys if strip_article(k).startswith(said + " ")]


def _title_beginnings(reader: Reader, words: list[_Word]) -> list[MovieMention]:
    """A long title said by its first words ("scott pilgrim", "eternal sunshine", "lock stock"): the
    one popular title that begins with them, when they cannot be plain English (a phrase rare as
    English, written as a title, or after words that introduce a film)."""
    vocab = reader.vocab

    def match_at(i: int) -> MovieMention | None:
        for j in range(min(len(words), i + 4), i + 1, -1):
            span = words[i:j]
            if _broken(reader, span, _CLAUSE_MARKS):
                continue
            content = [w.key for w in span if w.key not in STOPWORDS]
            if len(content) < 2 or span[-1].key in STOPWORDS or not content[0].isalpha():
                continue
            said = strip_article(" ".join(w.key for w in span))
            if vocab.is_key(said):
                continue  # a whole title, judged by the exact pass
            longer = {vocab.movies_for_key(k)[0] for k in _keys_beginning(vocab, said)}
            if len(longer) != 1:
                continue
            movie_id = longer.pop()
            start = span[0].start
            triggered = bool(_TRIGGER_RE.search(reader.text[max(0, start - 40):start]))
            as_written = [reader.text[w.start:w.end] for w in span if w.key not in STOPWORDS]  # "you've", not "youve"
            if vocab.is_popular(movie_id) and (phrase_zipf(as_written) < RARE_PHRASE_ZIPF or triggered
                                              or _title_case(reader, span)):
                return MovieMention(start, span[-1].end, (movie_id,), "title")
        return None

    return _scan(words, match_at)


EDGE_WORD_MAX_ZIPF = 5.5
"""A word this common ("was", "is") does not end a longer title said around a shorter one."""


def _longer_misspelt(reader: Reader, words: list[_Word], i: int, j: int) -> MovieMention | None:
    """A longer title the run is part of, misspelt ("2001 space odyssey" beside the exact "odyssey")."""
    best: tuple[float, int, int, str] | None = None
    for first in range(max(0, i - 2), i + 1):
        for last in range(j, min(len(words), j + 2) + 1):
            if (first, last) == (i, j) or _a_score(reader, words[last - 1]):
                continue
            if any(re.search(r"[.!?;]", reader.text[words[k].end:words[k + 1].start]) for k in range(first, last - 1)):
                continue
            added = [w.key for w in (*words[first:i], *words[j:last])]
            if any(not w.isdigit() and (zipf(w) >= EDGE_WORD_MAX_ZIPF or w in STOPWORDS or w in ORDINALS) for w in added):
                continue  # "mission impossible was" is not "Mission: Impossible II", "third lord of" no "the lord of"
            said = strip_article(sequel_key(" ".join(w.key for w in words[first:last])))
            key = reader.vocab.closest_key(said, cutoff=90.0)
            if key and len(key.split()) > j - i and (best is None or last - first > best[2] - best[1]):
                best = (0.0, first, last, key)
    if best is None:
        best = _longer_title_it_begins(reader, words, i, j)
    if best is None or _a_score(reader, words[best[2] - 1]):
        return None
    _, first, last, key = best
    movie_id, end = _with_year_hint(reader, words[last - 1].end, reader.vocab.movies_for_key(key))
    return MovieMention(words[first].start, end, (movie_id,) if movie_id != NO_MOVIE else (), "title")


LONGER_TITLE_WORDS = 8
"""Words after a title that may go on into a longer title it begins, misspelt."""


def _longer_title_it_begins(reader: Reader, words: list[_Word], i: int, j: int) -> tuple[float, int, int, str] | None:
    """A longer title (half a popular film's ratings or more) the run begins, said with a slip further on
    ("indiana jones and the tmple of doom", "harry potter and the deahly hallows part 1"): the run of the words
    after it, ending on a word of its own (no small or common word) and within its clause, that is closest to
    one such title."""
    said = strip_article(" ".join(w.key for w in words[i:j]))
    longer = {k: strip_article(sequel_key(k)) for k in _keys_beginning(reader.vocab, said)
              if reader.vocab.popularity_of(reader.vocab.movies_for_key(k)[0]) >= reader.vocab.popular_at * MIDDLING_SHARE}
    if not longer:
        return None
    best = None
    for last in range(j + 1, min(len(words), j + LONGER_TITLE_WORDS) + 1):
        if re.search(r"[,.!?;]", reader.text[words[last - 2].end:words[last - 1].start]):
            break  # "wallace and gromit type stuff, the wrong trousers": a title goes on within its clause
        end_word = words[last - 1].key
        if end_word in STOPWORDS or (not end_word.isdigit() and zipf(end_word) >= EDGE_WORD_MAX_ZIPF):
            continue
        phrase = strip_article(sequel_key(" ".join(w.key for w in words[i:last])))
        digits = re.findall(r"\d+", phrase)  # "die hard 1" is no misspelt "die hard 2", nor "rocky si" "rocky ii"
        for key, target in longer.items():
            if re.findall(r"\d+", target) != digits or _typo_score(phrase, target) < FUZZY_TITLE_SCORE:
                continue
            score = fuzz.ratio(phrase, target)
            if best is None or score > best[0]:
                best = (score, i, last, key)  # the closest run, not the longest: "… part 1" before "… part 1 was boring"
    return best


_PERSONS_FILM_RE = re.compile(r"'?s\s+(?:one|film|movie|flick|version|remake|take|classic|debut|masterpiece|latest|"
                              r"new one|first)(?![a-z])")
"""After a name: the film of a person ("keanu's one", "nolan's film"), so the name is no title."""


_COMPOUND_AFTER_RE = re.compile(r"-(?!(?:like|esque|ish|adjacent|style|type|inspired|lite|level|tier|vibes?|fans?|"
                                r"lovers?|flavou?red|meets|wannabe|knockoff|rip-?off)(?![a-z]))[a-z]")
"""A hyphen joining the words before it to a word after ("heavy-handed"); not a suffix that names the film
("jaws-like", "heat-adjacent")."""


def _in_a_compound(reader: Reader, start: int, end: int) -> bool:
    """The words at ``start:end`` are joined by a hyphen to a word before or after ("heavy-handed")."""
    return bool(_COMPOUND_AFTER_RE.match(reader.text, end) or re.match(r"[a-z]-", reader.text[max(0, start - 2):start]))


def _accept(reader: Reader, run: list[_Word], key: str) -> MovieMention | None:
    """The run as a mention of its title, or None when it may just be English words."""
    start, end = run[0].start, run[-1].end
    if _in_a_compound(reader, start, end):
        return None  # "heavy-handed", "self-indulgent": part of a compound word, not the film Heavy
    phrase = reader.text[start:end]
    content = [w.key for w in run if w.key not in STOPWORDS]
    if not content or (len(run) == 1 and phrase in SINGLE_WORD_NOT_TITLES) or _is_taste_phrase(reader.vocab, phrase):
        return None
    candidates = reader.vocab.movies_for_key(key)
    candidates = _better_known(reader.vocab, key, candidates)
    movie_id, end = _with_year_hint(reader, end, candidates, start)
    if movie_id == NO_MOVIE:
        reader.not_found.append(reader.original[start:end].strip())
        return MovieMention(start, end, (), "title")
    on_screen = [m for m in candidates if m in reader.shown]
    plural = re.match(r"\s+(?:ones|movies|films|ones?\s+\(?all)", reader.text[end:])
    picked = end > run[-1].end or movie_id != candidates[0] or _year_before(reader, start) is not None
    if on_screen and picked and movie_id not in on_screen:  # "the 2001 planet of the apes remake" beside the 1968 card
        return MovieMention(start, end, (movie_id,), "title")
    if on_screen:
        movies = tuple(on_screen) if plural else (movie_id if movie_id in on_screen else on_screen[0],)
        return MovieMention(start, end, movies, "title")
    mixed = any(re.search(r"[a-z]\d|\d[a-z]", reader.text[w.start:w.end]) for w in run)  # "se7en", "t2"
    rare = mixed or any(zipf(word) < COMMON_ZIPF for word in content) and (len(content) > 1 or len(content[0]) > 3)
    said = strip_article(key).split()
    phrase_rare = 1 < len(said) <= 3 and (
        (reader.vocab.popularity_of(movie_id) >= reader.vocab.popular_at * MIDDLING_SHARE and phrase_zipf(said) < RARE_PHRASE_ZIPF)
        or (reader.vocab.popularity_of(movie_id) >= SCARCELY_RATED and phrase_zipf(key.split()) < VERY_RARE_PHRASE_ZIPF))
    # a title of four words or more, two of them content words and one of those uncommon, is hardly a phrase of
    # chat ("children of the corn", "flags of our fathers"; not "as good as it gets", "take the money and run")
    long_rare = len(said) >= 4 and len(content) >= 2 and min(zipf(word) for word in content) < LONG_TITLE_WORD_ZIPF \
        and reader.vocab.popularity_of(movie_id) >= SCARCELY_RATED
    rare = rare or phrase_rare or long_rare
    title_case = _title_case(reader, run)
    triggered = (bool(_TRIGGER_RE.search(reader.text[max(0, start - 40):start])) or bool(_KIND_AFTER_RE.match(reader.text, end))
                 or (_opens_an_entry(reader, start) and bool(_VERDICT_AFTER_RE.match(reader.text, end)))) \
        and min(zipf(w) for w in content) < TRIGGER_MAX_ZIPF
    triggered = triggered or (_opens_an_entry(reader, start) and bool(_FILM_VERDICT_AFTER_RE.match(reader.text, end))
                              and min(zipf(w) for w in content) < FILM_VERDICT_MAX_ZIPF)
    named_by = [w.key for w in run if w.key not in ENGLISH_FILLERS]
    popular = reader.vocab.is_popular(movie_id) and (len(named_by) > 1 or zipf(content[0]) < POPULAR_WORD_ZIPF)
    dated = end > run[-1].end or _dated_before(reader, start, movie_id)  # "Heat (1995)", "the 2005 king kong"
    dated = dated or (_ordinal_before(reader, start) is not None and bool(reader.vocab.series_of(movie_id, everyday_title=True)))  # "the second toy story"
    # "the movie big with tom hanks", "the film her": the user says it is a film, however common the words
    triggered = triggered or (reader.vocab.is_popular(movie_id) and bool(_CALLED_A_FILM_RE.search(reader.text[max(0, start - 20):start]))
                              and not _NOT_A_TITLE_AFTER_FILM_RE.match(reader.text, end))
    very_rare = zipf(content[0]) < VERY_RARE_ZIPF and len(content[0]) > 4
    if len(content) == 1 and not (dated or triggered) and (
            not (very_rare or (title_case and zipf(content[0]) < POPULAR_WORD_ZIPF) or _stands_alone(reader, start, end))
            or (_among_genres(reader, start, end) and not title_case)):
        return None  # "a dinosaur", "Hitchcock riff": a word or a name, not the film
    if len(content) <= 2 and not dated and reader.vocab.popularity_of(movie_id) < SCARCELY_RATED \
            and not (len(content) == 2 and title_case and triggered):  # "along the lines of Brief Encounter"
        return None  # "Hitchcock riff", "Stoker", "the final cut": names and words, not films hardly anyone rated
    if len(content) == 1 and len(run) == 1 and _PERSONS_FILM_RE.match(reader.text, run[-1].end):
        return None  # "keanu's one", "nolan's film": a person's film, not the film "Keanu"
    if len(content) == 1 and len(content[0]) < 2 and not dated:
        return None  # "absolute W": a letter is no title
    if len(content) == 1 and run[0].key in ("a", "an") and not title_case:
        return None  # "I'm not a dinosaur": a noun with its article  # "my roommate", "breakfast club vibes", "alien invasion": a word, not The Roommate or Vibes
    if (rare or popular) and not (title_case or triggered or dated or phrase_rare or long_rare) and _among_genres(reader, start, end):
        return None  # "film noir … the shadows, the femme fatale": words about a genre, not the film
    if rare or title_case or triggered or dated or (popular and _stands_alone(reader, start, end)):
        return MovieMention(start, end, (movie_id,), "title")
    return None  # "perfect for date night", "saw #3 last year": everyday words


def _opens_an_entry(reader: Reader, start: int) -> bool:
    """The words at ``start`` open the message, a line, a list after a colon ("seen lately: heat 9/10 / ronin 7/10")
    or an entry of a list split by " / " ("Heat - seen, great / Collateral - seen, fine"): where a verdict right
    after them says they are a title."""
    return bool(re.search(r"(?:^|\n|\s/\s|[a-z]:)\s*$", reader.text[:start]))


def _dated_before(reader: Reader, start: int, movie_id: int) -> bool:
    """The film's own year stands right before its title ("the 1998 psycho remake")."""
    year = _year_before(reader, start)
    return year is not None and reader.vocab.year_of(movie_id) == year


_CALLED_A_FILM_RE = re.compile(r"(?<![a-z])(?:the|that|this)\s+(?:movie|film|flick)\s+(?:called\s+)?$")
_NOT_A_TITLE_AFTER_FILM_RE = re.compile(r"\s*(?:next|top|there|here|above|below|on|in|of|at|to|you|i|we|that|which)(?![a-z])")
"""After "the movie up", words that make it a place on the list ("the movie up top"), not the film Up."""


_FOLLOWERS_RE = re.compile(
    r"[ \t]*\n|\s*(?:$|[,.!?;:)(\-=>+/]|(?:and|or|but|tho|though|too|also|&|is|was|were|are|has|had|have|isn'?t|wasn'?t|"
    r"blew|bored|gave|made|never|didn'?t|did|does|doesn'?t|will|would|could|can|still|just|really|honestly|"
    r"i|i'?ve|i'?m|im|ive|we|it|looks?|sounds?|seems?|slaps|rocks|sucks|sucked|lives|hits|holds|got|gets|"
    r"again|already|yes|no|nah|nope|pls|please|lol|lmao|tbh|imo|ngl|fr|vibes|vibe|type|kinda|esque|or|feeling|"
    r"energy|style|next|it|one|dragged|rules|ruled|rocked|slapped|holds|bombed|flopped|\d+x?|"
    + BEATS + r"|wipes|blows|pales|"
    # adverbs and verbs that follow a film as its subject ("fight club lowkey changed my life")
    r"lowkey|highkey|genuinely|totally|absolutely|literally|always|somehow|actually|seriously|truly|aged|"
    r"changed|broke|scared|terrified|wrecked|ruined|remains|stays|deserves|deserved|owns|owned|nailed|left|"
    r"kept|keeps|goes|went|felt|feels|hit|hits|made|makes|destroyed|traumati[sz]ed|haunted|haunts|bores|"
    r"put|sent|ended|starts|started|yet|sometime|someday|soon|tonight|later|at some point|once|twice|"
    r"episode|ep|part|pt|vol|volume|chapter|ii|iii|iv|vi|vii|viii|"  # a sequel's number next ("star wars episode ii")
    # when or where it was watched ("watched fight club last night")
    r"last (?:night|week|weekend|month|year|time|christmas|summer)|yesterday|the other (?:day|night)|this (?:morning|"
    r"afternoon|weekend|week)|(?:years|ages|months|weeks|decades) ago|as a kid|as a child|in (?:the )?(?:cinema|theaters?|"
    r"theatres?)|at the (?:cinema|movies)|on (?:netflix|tv|a plane|a flight|dvd|vhs)|for the first time|"
    r"with (?:my|the|our|his|her|a) (?:kids?|wife|husband|partner|family|son|daughter|friends?|mum|mom|dad|parents|"
    r"girlfriend|boyfriend|gf|bf|grandkids|grandchildren|class|roommate|flatmate|brother|sister)|"
    r"what else|what other|so what|any (?:more|others?|suggestions|recs)|anything else|"
    # a score after it ("the matrix a 9", "pulp fiction easy 9")
    r"an?\s+(?:(?:solid|strong|easy|firm|generous|measly|hard|perfect|weak|low|high)\s+)?\d|(?:solid|strong|easy|firm|generous|measly)\s+\d)(?![a-z]))"
)
_PRECEDERS_RE = re.compile(
    r"(?:^|[,.!?;:(=&]|\s-|(?<![a-z'])(?:and|or|but|also|like|to|than|as|with|the|not|no|yes|re|rewatch\w*|"
    r"watch\w*|see|seen|saw|that|this|another|of|in|loved?|liked?|hated?|adored?|enjoyed?|skip|pass on|try|tried|"
    r"honestly|tbh|ngl|ok|okay|yeah|oh|well|personally|actually|so|hmm|wow|lol|around|(?:give|show|find|get|gimme) me|"
    r"based on|fans? of|"
    r"(?:favou?rite|fave|fav)(?:\s+(?:film|movie|one))?(?:\s+of all time)?\s+(?:is|was|has to be|has always been|remains|'s)|"
    r"rated?|rating|gave|give|gives|giving)|(?<![\d.])\d+(?:\.\d)?\s*/\s*(?:10|5)\s+for|"  # "rated toy story a 9", "9/10 for jaws"
    r"[^\w\s'-])\s*$"
)


_SUBJECT_OF_A_VERDICT_RE = re.compile(r"\s+(?:is|was|has|had|'s|isn'?t|wasn'?t|made|makes|still)(?![a-z'])")
_SIDE_OF_A_FILM_RE = re.compile(r"(?<![a-z])the\s+[a-z-]+\s+(?:in|of)\s+$")


def _among_genres(reader: Reader, position: int, end: int) -> bool:
    """A lower-case word in a sentence about genres is a topic ("fantasy films, wizards and dragons"), unless
    it opens the sentence as the subject of a verdict ("titanic is too much romance for me") or a genre is
    a side of it ("the comedy in shrek")."""
    start = max((m.end() for m in re.finditer(r"[.!?;,\n]", reader.text[:position])), default=0)
    opening = re.fullmatch(r"\s*(?:(?:and|but|so|honestly|ok|okay|also|the)\s+)*", reader.text[start:position])
    if (opening and _SUBJECT_OF_A_VERDICT_RE.match(reader.text, end)) or _SIDE_OF_A_FILM_RE.search(reader.text, 0, position):
        return False
    stop = re.search(r"[.!?;,\n]", reader.text[position:])
    segment = reader.text[start:position + (stop.start() if stop else len(reader.text))]
    # "the shining … best horror movie ever made": a genre ranking the film is no topic of its own
    return any(not describes_a_film(segment, a, b) for a, b, _ in genre_mentions(reader.vocab, segment))


def _stands_alone(reader: Reader, start: int, end: int) -> bool:
    """Whether a title in everyday words stands where a title can ("memento blew my mind", "and
    casino"), not inside a phrase ("breakfast club vibes", "my roommate", "perfect for date night")."""
    return bool(_PRECEDERS_RE.search(reader.text[max(0, start - 20):start]) and _FOLLOWERS_RE.match(reader.text, end))


RARE_PHRASE_ZIPF = 0.5
"""A popular title of two or three words as rare as this as an English phrase is the film ("galaxy quest",
"stand by me"), not a phrase ("date night", "home alone", "big fish" stay with the other checks). Longer
titles are left out: the independence estimate calls any long phrase rare ("as good as it gets")."""


LONG_TITLE_WORD_ZIPF = 4.5
"""A long title (four words or more) with a content word rarer than this is the film, whatever its popularity
above :data:`SCARCELY_RATED`."""
MIDDLING_SHARE = 0.5
"""A title of two or three everyday words rare as an English phrase ("cape fear", "duck soup") is the film where
the film has at least this share of a popular film's ratings (popular ones alone missed a quarter of the titles
ranked 1,000–2,000 on ml-latest-small, typed in lower case, in a checklist of our own)."""
SCARCELY_RATED = 8.0
"""A title of one or two distinctive words is a film rated fewer times than this only with a year beside it: such
words are far more often a name or an everyday phrase ("Hitchcock riff", "Stoker", "the final cut") than that
film (tuned on the dev split: 3, 5, 8 and 12 tried)."""
VERY_RARE_PHRASE_ZIPF = -2.0
"""A title of two or three words rated at least :data:`SCARCELY_RATED` times and as unlikely as this as an
English phrase is the film even outside the most-rated thousand ("la la land": -2.7, 9 ratings)."""


def phrase_zipf(content: list[str]) -> float:
    """How common the words are as a phrase if they were independent (Zipf: log10 per billion words)."""
    return sum(zipf(word) for word in content) - 9.0 * (len(content) - 1)


BETTER_KNOWN = 5.0
"""A title that begins with the words of another title and is this many times more rated is what the
words mean ("requiem" → Requiem for a Dream, not Requiem; "blair witch" → The Blair Witch Project, not
Blair Witch (2016))."""


def _better_known(vocab: CatalogVocabulary, key: str, candidates: list[int]) -> list[int]:
    longer = [m for k in _keys_beginning(vocab, strip_article(key)) for m in vocab.movies_for_key(k)[:1]]
    best = max(longer, key=vocab.popularity_of, default=None)
    if best is not None and vocab.popularity_of(best) >= BETTER_KNOWN * max(1.0, vocab.popularity_of(candidates[0])):
        return [best, *candidates]
    return candidates


def _title_case(reader: Reader, run: list[_Word]) -> bool:
    """Written as a title: capitalised words (not shouted, not only the sentence's first word)."""
    words = [reader.original[w.start:w.end] for w in run if w.key not in _SMALL_WORDS]
    if not words or not all(w[:1].isupper() or w[:1].isdigit() for w in words) or all(w.isdigit() for w in words):
        return False
    if any(len(w) > 3 and w.isupper() for w in words):
        return False  # "I hate HATE scary movies": shouting, not the film "Hate"
    name_goes_on = re.match(r"\s+([A-Z][a-z]+)", reader.original[run[-1].end:])
    if name_goes_on and name_goes_on.group(1).lower() not in _SMALL_WORDS and len(words) == 1:
        return False  # "with Jack Nicholson": a longer name, not the film "Jack"
    sentence_start = not reader.text[:run[0].start].strip() or re.search(r"[.!?]\s*$", reader.text[:run[0].start])
    verdict = re.match(r"\s+(?:was|is|were|looks?|sounds?|seems?)\b", reader.text[run[-1].end:])
    return not (sentence_start and len(words) == 1 and not (verdict and zipf(words[0].lower()) < 5.5))


_YEAR_BEFORE_RE = re.compile(r"(?<![\d'])(?:(19\d\d|20\d\d)|'(\d\d))(?:'s)?\s+$")
"""A year said right before a title: "the 1962 Manchurian Candidate", "the '86 fly"."""


def _year_before(reader: Reader, start: int) -> int | None:
    """The year said right before the title that starts at ``start`` (:data:`_YEAR_BEFORE_RE`), if any."""
    before = _YEAR_BEFORE_RE.search(reader.text[max(0, start - 8):start])
    if not before:
        return None
    return int(before.group(1)) if before.group(1) else full_year(int(before.group(2)))


def _with_year_hint(reader: Reader, end: int, candidates: list[int], start: int | None = None) -> tuple[int, int]:
    """The candidate a year after the title names ("Heat (1995)", "from 95") or, among remakes, a year
    right before it ("the 1962 Manchurian Candidate"), and where the title ends."""
    year = _year_before(reader, start) if start is not None and len(set(candidates)) > 1 else None
    if year is not None:
        dated = [m for m in candidates if reader.vocab.year_of(m) == year]
        if dated:
            return dated[0], end
    hint = _YEAR_HINT_RE.match(reader.text, end)
    if hint:
        short = hint.group(3) or hint.group(4) or hint.group(5)
        if short:  # "from 95", "batman 89", "the thing (82)"
            year = full_year(int(short))
        else:
            year = int(hint.group(1) or hint.group(2))
        dated = [m for m in candidates if reader.vocab.year_of(m) == year]
        if dated:
            return dated[0], hint.end()
        if hint.group(1):  # "Little Women (2019)" when the catalog has other years only: not this title
            return NO_MOVIE, hint.end()
        if hint.group(4) or hint.group(5):
            return candidates[0], end  # "heat 95" naming no known year: the digits are something else
    if len(set(candidates)) > 1:
        return _version_named(reader, end, candidates), end
    return candidates[0], end


_VERSION_YEAR_RE = re.compile(r"(?<![\d'])(?:(?:19|20)(\d\d)|'(\d\d)|(?:from|in|of)\s+(\d\d)|"
                              r"the\s+(?:(?:og|original|old)\s+)?(\d\d)(?=\s+(?:one|version|original|film|movie)(?![a-z])))(?![\d])")
_VERSION_WORD_RE = re.compile(r"(?<![a-z])(?:(not|never|nor|over|skip|than)\s+(?:the\s+|that\s+)?)?(original|og|first one|old one|"
                              r"older one|classic one|older version|remake|reboot|new one|newer one|recent one|new version|"
                              r"newer version|modern one|modern version|remade)(?![a-z])")
VERSION_REACH = 90
"""Characters after a title within which a year or "the original" / "the remake" picks among remakes."""


def _version_named(reader: Reader, end: int, candidates: list[int]) -> int:
    """Which of several films of one title the words after it mean: a year of one of them said in the
    same statement ("Oldboy. The original, not the Spike Lee one", "The Italian Job, the Michael Caine
    one from '69"), or "the original" (earliest) / "the remake" (latest), "not the remake" the other."""
    # "psycho is a masterpiece but the remake is pointless": past "but", another version is spoken of
    stop = re.search(r"[.!?;]\s+(?:[a-z]+\s+){0,3}?(?:i|we|it|this|that|but|and)\b|,?\s+but\s+the\s",
                     reader.text[end:end + VERSION_REACH])
    window = reader.text[end:end + (stop.start() if stop else VERSION_REACH)]
    said_of_it = re.match(r"[^.!?;]*?[a-z][^.!?;]*(?=[.!?;])", window)
    if said_of_it:  # "The Magnificent Seven was great. The recent one …": that sentence is about another version
        window = said_of_it.group(0)
    years = {reader.vocab.year_of(m): m for m in candidates}
    for match in _VERSION_YEAR_RE.finditer(window):
        digits = match.group(1) or match.group(2) or match.group(3) or match.group(4)
        if match.group(1):
            year = int(match.group(0))
        else:
            year = full_year(int(digits))
        if year in years and not re.search(r"(?:not|never|nor|than)\s+(?:the\s+)?(?:\w+\s+){0,3}$", window[:match.start()]):
            return years[year]
    by_year = sorted(candidates, key=lambda m: reader.vocab.year_of(m) or 0)
    word = _VERSION_WORD_RE.search(window)
    if word:
        newer = word.group(2) in ("remake", "reboot", "new one", "newer one", "recent one", "new version", "newer version",
                                  "modern one", "modern version", "remade")
        return by_year[-1] if newer != bool(word.group(1)) else by_year[0]
    return candidates[0]


def _misspells_one_of(word: str, title_words: list[str]) -> bool:
    """``word`` is a misspelt word of the title: long enough, no everyday English word itself and close
    to one of ``title_words`` ("labrynth"; not "heart", which is no misspelt Heat)."""
    return len(word) >= 5 and zipf(word) < COMMON_ZIPF and any(fuzz.ratio(word, w) >= SHOWN_WORD_SCORE for w in title_words)


_ONE_AFTER_RE = re.compile(r"\s+(?:one|film|movie|flick)(?![a-z])")


def _card_one(reader: Reader, mention: MovieMention) -> MovieMention:
    """"the batman one" with Batman Returns on screen: a title framed as one of the cards ("the … one") is the
    one card whose title holds its words, not the film of that exact title off screen."""
    if not mention.movies or set(mention.movies) & set(reader.shown):
        return mention
    inside = reader.text[mention.start:mention.end]
    named = re.sub(r"^the\s+", "", inside)
    core = re.sub(r"\s+(?:one|film|movie|flick)$", "", named)
    the_before = named != inside or re.search(r"(?<![a-z])the\s+$", reader.text[max(0, mention.start - 4):mention.start])
    one_after = core != named or _ONE_AFTER_RE.match(reader.text, mention.end)
    if not (the_before and one_after):
        return mention
    said = [w for w in title_key(core).split() if w not in STOPWORDS]
    cards = [m for m in reader.shown if said and set(said) <= set(title_key(reader.vocab.main_title(m)).split())]
    return MovieMention(mention.start, mention.end, (cards[0],), "shown_title") if len(cards) == 1 else mention


def _shown_by_words(reader: Reader, words: list[_Word]) -> list[MovieMention]:
    """Titles on screen named by some of their words ("the frozen one", "a new hope", "labrynth")."""
    found: list[MovieMention] = []
    for movie_id in reader.shown:
        key_words = title_key(reader.vocab.main_title(movie_id)).split()
        distinctive = [w for w in key_words if w not in STOPWORDS and zipf(w) < COMMON_ZIPF + 1 and not w.isdigit()]
        # "2001 bored me" of "2001: A Space Odyssey" on screen; a number of one or two digits says too little
        distinctive += [w for w in key_words if w.isdigit() and len(w) >= 3]
        best: tuple[int, int] | None = None
        for first in range(len(words)):
            last = first
            while last < len(words) and not _inside(words[last].start, found) and (
                    words[last].key in key_words or _misspells_one_of(words[last].key, distinctive)):
                if last > first and words[last].start - words[last - 1].end > 3:
                    break
                last += 1
            run = [w.key for w in words[first:last]]
            if not run or all(w in STOPWORDS for w in run) or (len(run) == 1 and run[0].isdigit() and _a_year_said(
                    reader, words[first].start, words[first].end)):
                continue
            named = any(w in distinctive or _misspells_one_of(w, distinctive) for w in run)
            in_order = (len([w for w in run if w not in STOPWORDS]) > 1
                        and f" {' '.join(run)} " in f" {' '.join(key_words)} ")  # "a new hope", not "i hate"
            if (named or in_order) and (best is None or last - first > best[1] - best[0]):
                best = (first, last)
        if best is not None:
            start, stop = words[best[0]].start, words[best[1] - 1].end
            if not _is_taste_phrase(reader.vocab, reader.text[start:stop]):
                found.append(MovieMention(start, stop, (movie_id,), "shown_title"))
    return found


_YEAR_WORD_BEFORE_RE = re.compile(r"(?:from|in|since|after|before|around|circa|of|the|than|til|till|until|to|pre|post|"
                                  r"between|and|or|-|\u2013)\s*$")
_YEAR_WORD_AFTER_RE = re.compile(r"'?s(?![a-z])|\s*(?:-|\u2013|to|onwards|on|and|or|or so)(?![a-z])")


def _a_year_said(reader: Reader, start: int, end: int) -> bool:
    """Whether a number reads as a year or part of a span of years ("from 2001", "the 300s", "2001-2005")."""
    return bool(_YEAR_WORD_BEFORE_RE.search(reader.text, max(0, start - 12), start) or _YEAR_WORD_AFTER_RE.match(reader.text, end))


def _misspelt(reader: Reader, words: list[_Word]) -> list[MovieMention]:
    """Misspelt titles, anchored on a word that is rare in English and close to a rare title word."""
    vocab = reader.vocab
    found: list[MovieMention] = []
    for index, word in enumerate(words):
        if _inside(word.start, found) or len(word.key) < 4 or not word.key.isalpha() or zipf(word.key) >= ANCHOR_ZIPF:
            continue
        if word.key in CUE_WORDS:
            continue  # a word of opinion, of English or of another language ("carino" is no misspelt Casino)
        if vocab.genre(word.key) or vocab.genre_like(word.key) or word.key in FOREIGN_ORDINALS or is_comparative(word.key) \
                or (word.key.endswith("s") and zipf(word.key[:-1]) >= PLURAL_ZIPF and not vocab.keys_with_word(word.key)):
            # (a plural is no misspelling: "the sequels" are no misspelt "Airplane II: The Sequel")
            continue  # "la primera" is the first card, not a misspelt Primer
        if reader.text[word.end - 2:word.end] == "'s" and _PERSONS_FILM_RE.match(reader.text, word.end - 2):
            continue  # "keanu's one": a person's film
        keys = {k for k in vocab.keys_with_word(word.key)
                if zipf(word.key) < COMMON_ZIPF or vocab.is_popular(vocab.movies_for_key(k)[0])}
        if zipf(word.key) < TYPO_ZIPF or len(word.key) >= 6:  # "jurrasic", "singing" (Singin' in the Rain)
            for close in vocab.title_words_like(word.key, cutoff=80.0 if zipf(word.key) < TYPO_ZIPF else 88.0):
                keys.update(k for k in vocab.keys_with_word(close)
                            if zipf(word.key) < COMMON_ZIPF or vocab.is_popular(vocab.movies_for_key(k)[0]))
        best: tuple[float, float, int, int, int] | None = None
        for key in keys:
            size = len(key.split())
            for first in range(max(0, index - size), index + 1):
                for last in range(index + 1, min(len(words), first + size + 1) + 1):
                    span = words[first:last]
                    if any(_inside(w.start, found) for w in span) or _broken(reader, span, _SENTENCE_MARKS):
                        continue
                    if any(w.key.isdigit() and w.key not in key.split() for w in (span[0], span[-1])):
                        continue  # "number 4 freaked me out": a number beside a title word is no misspelling of it
                    said = strip_article(" ".join(w.key for w in span))
                    if re.fullmatch(r"\d+|[ivx]+", key.split()[-1]) and len(said.split()) == len(strip_article(key).split()) \
                            and span[-1].key != key.split()[-1]:
                        continue  # a sequel's number is said, not misspelt: "psycho is" is no "Psycho II"
                    score = _typo_score(said, strip_article(key))
                    if score < FUZZY_TITLE_SCORE or said == strip_article(key) or vocab.is_key(said):
                        continue  # an exact title was judged by the exact pass ("on halloween" is no title)
                    if len(span) == 1 and (zipf(span[0].key) >= TYPO_ZIPF or not _stands_alone(reader, span[0].start, span[0].end)):
                        continue  # "swords" is a word, not a misspelt "The Words"
                    if len(span) == 2 and span[0].key in ("a", "an") and zipf(span[1].key) >= TYPO_ZIPF:
                        continue  # "a gamble" is a noun with its article, not a misspelt "The Gambler"
                    movie_id = vocab.movies_for_key(key)[0]
                    option = (score, vocab.popularity_of(movie_id), movie_id, span[0].start, span[-1].end)
                    if best is None or option[:2] > best[:2]:
                        best = option
        if best is None:
            best = _distinctive(reader, words, index, found)
        if best is not None:
            _, _, movie_id, start, end = best
            if not _is_taste_phrase(vocab, reader.text[start:end]):
                dated, end = _with_year_hint(reader, end, vocab.movies_for_key(title_key(vocab.main_title(movie_id))) or [movie_id])
                found.append(MovieMention(start, end, (dated,) if dated != NO_MOVIE else (), "title"))
    return found


def _typo_score(said: str, key: str) -> float:
    """rapidfuzz's ratio, except that one slip of the keys (a letter dropped, added, changed or two
    swapped: "matirx", "terminater") in a title of :data:`ONE_SLIP_MIN_CHARS` or more counts as close
    enough: the ratio punishes a swap or a change twice, below the cutoff in short titles."""
    score = fuzz.ratio(said, key)
    if score < FUZZY_TITLE_SCORE and len(key) >= ONE_SLIP_MIN_CHARS and OSA.distance(said, key, score_cutoff=1) <= 1:
        return FUZZY_TITLE_SCORE
    return score


ONE_SLIP_MIN_CHARS = 6
ANCHOR_ZIPF = 4.6
PLURAL_ZIPF = 3.0
"""A word ending in "s" whose singular is at least this common is a plural, not a misspelt title word."""
"""Words up to this common anchor a search for a misspelt title (only popular titles above COMMON_ZIPF)."""
DISTINCTIVE_ZIPF = 3.0
"""A word this rare that only one popular title holds names it alone ("the shawshank", "willy wonka")."""


def _distinctive(reader: Reader, words: list[_Word], index: int, found: list[MovieMention]):
    """The one popular title a very rare word belongs to, over the run of its words around it."""
    vocab = reader.vocab
    word = words[index].key
    if zipf(word) >= DISTINCTIVE_ZIPF:
        return None
    keys = vocab.keys_with_word(word)
    if not keys and zipf(word) < TYPO_ZIPF and len(word) >= 6:  # "shawshenk"
        close = vocab.title_words_like(word, cutoff=85.0)
        keys = vocab.keys_with_word(close[0]) if len(close) == 1 else []
    movies = {m for key in keys for m in vocab.movies_for_key(key)[:1]}
    if len(movies) != 1:
        return None
    movie_id = movies.pop()
    if not vocab.is_popular(movie_id):
        return None
    key_words = set(title_key(vocab.main_title(movie_id)).split())
    first = last = index
    while first > 0 and words[first - 1].key in key_words and not _inside(words[first - 1].start, found):
        first -= 1
    while last + 1 < len(words) and words[last + 1].key in key_words and not _inside(words[last + 1].start, found):
        last += 1
    return (100.0, vocab.popularity_of(movie_id), movie_id, words[first].start, words[last].end)


def _report_unfound(reader: Reader, mentions: list[MovieMention]) -> None:
    """A capitalised name after "I loved" / "something like" that matched no title: said back."""
    for match in _NAME_AFTER_TRIGGER_RE.finditer(reader.text):
        start = match.end()
        if _inside(start, mentions) or not reader.original[start:start + 1].isupper():
            continue
        end = start
        for word in re.finditer(r"\S+", reader.text[start:]):
            token = word.group(0).strip(",.!?;:")
            position = start + word.start()
            if position > end + 1 and end != start:
                break
            if _capitalised(reader, position) or (token in _SMALL_WORDS and end != start):
                if _capitalised(reader, position):
                    end = position + len(token)
                if token != word.group(0):
                    break
                continue
            break
        name = reader.original[start:end].strip(" '\"")
        if re.fullmatch(r"i(?:'(?:m|d|ve|ll))?|i'?m|ive|id", name.lower()):
            continue  # "it's not like I didn't enjoy it": the user, not a title
        if name and not _is_taste_phrase(reader.vocab, name.lower()) and name.lower() not in SINGLE_WORD_NOT_TITLES:
            reader.not_found.append(name)
            mentions.append(MovieMention(start, end, (), "title"))


def _capitalised(reader: Reader, position: int) -> bool:
    char = reader.original[position:position + 1]
    return char.isupper() or char.isdigit()


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

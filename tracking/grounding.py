"""Check that generated text says only what the code computed: titles, genres, years and numbers.

A small language model phrases interest summaries and explanations; it must not invent a movie, a
taste or a figure. :func:`ungrounded` lists every mention in a text that the given facts do not
hold, so the caller can fall back to a template sentence when the list is not empty.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(\s*%)?")
_DECADE = re.compile(r"(?<!\d)(?:19|20)?(\d0)['’]?s\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_QUOTED = re.compile(r"[\"“«*](.{2,80}?)[\"”»*]")
SMALL_COUNTS = range(0, 11)
"""Integers a text may use freely (list positions, "two of your favourites")."""


def fold(text: str) -> str:
    """Lower case without accents, for matching "Amélie" with "Amelie"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


GENRE_NAMES: dict[str, tuple[str, ...]] = {
    # genre slug (see genre_slug) → nouns that name the genre in prose, folded (see fold); the
    # chat parser (agent.understand) adds descriptive words ("funny", "scary") on top of these
    "action": ("action",),
    "adventure": ("adventure", "adventures"),
    "animation": ("animation", "animations", "cartoon", "cartoons", "anime"),
    "children": ("children", "childrens", "children's", "kids", "family"),
    "comedy": ("comedy", "comedies"),
    "crime": ("crime",),
    "documentary": ("documentary", "documentaries"),
    "drama": ("drama", "dramas"),
    "fantasy": ("fantasy", "fantasies"),
    "filmnoir": ("film noir", "film-noir", "films noirs", "noir", "noirs"),
    "horror": ("horror", "horrors"),
    "imax": ("imax",),
    "musical": ("musical", "musicals"),
    "mystery": ("mystery", "mysteries", "whodunit", "whodunits", "whodunnit", "whodunnits"),
    "romance": ("romance", "romances"),
    "scifi": ("sci-fi", "sci fi", "scifi", "science fiction", "science-fiction"),
    "thriller": ("thriller", "thrillers"),
    "war": ("war", "war movie", "war movies", "war film", "war films"),
    "western": ("western", "westerns"),
}
UNNAMEABLE_GENRES = frozenset({"unknown", "nogenreslisted"})
"""Slugs of genre labels nobody names (ml-100k's "unknown", ml-latest's "(no genres listed)")."""


def genre_slug(label: str) -> str:
    """The key of a genre label in :data:`GENRE_NAMES`: "Children's" → "children", "Sci-Fi" → "scifi"."""
    return re.sub(r"[^a-z]", "", fold(label).replace("'s", ""))


def genre_words(genre: str) -> set[str]:
    """How a text may name a genre: "Comedy" → comedy, comedies; "Sci-Fi" → sci-fi, sci fi, science fiction."""
    base = fold(genre)
    words = {base, base.replace("-", " ")}
    if base.endswith("y"):
        words.add(base[:-1] + "ies")
    elif base[-1:].isalpha() and not base.endswith("s"):
        words.add(base + "s")
    return words | set(GENRE_NAMES.get(genre_slug(genre), ()))


@dataclass(frozen=True)
class MentionVocabulary:
    """What can be mentioned at all: the catalog's titles and genres (built once per catalog)."""

    titles: tuple[str, ...]
    genres: tuple[str, ...]

    @cached_property
    def _title_pattern(self) -> re.Pattern[str] | None:
        # Titles that could be ordinary words ("Heat", "Up", "Her") would flag plain prose; keep
        # multi-word titles and single words of six letters or more, matched case-sensitively.
        genre_names = {fold(g) for g in self.genres}
        candidates = sorted(
            {t for t in self.titles if (" " in t.strip() or len(t) >= 6) and fold(t) not in genre_names},
            key=len,
            reverse=True,
        )
        if not candidates:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in candidates) + r")(?!\w)")

    @cached_property
    def _genre_lookup(self) -> dict[str, str]:
        return {word: genre for genre in self.genres for word in genre_words(genre)}

    def titles_in(self, text: str) -> set[str]:
        """Catalog titles that appear in ``text`` (longest match wins)."""
        found = set(self._title_pattern.findall(text)) if self._title_pattern else set()
        known = {fold(t): t for t in self.titles}
        for quoted in _QUOTED.findall(text):
            title = known.get(fold(quoted.strip()))
            found.add(title if title else f"«{quoted.strip()}»")  # a quoted name that is no movie at all
        return found

    def genres_in(self, text: str) -> set[str]:
        folded = fold(text)
        return {genre for word, genre in self._genre_lookup.items() if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", folded)}


@dataclass
class Facts:
    """What a generated text may mention: titles, genres, years/decades and numbers."""

    titles: set[str] = field(default_factory=set)
    genres: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    numbers: list[float] = field(default_factory=list)

    def allow_numbers(self, values) -> None:
        self.numbers.extend(float(v) for v in values)


def ungrounded(text: str, facts: Facts, vocabulary: MentionVocabulary) -> list[str]:
    """Every title, genre, year or number in ``text`` that ``facts`` does not hold (empty: grounded)."""
    titles = vocabulary.titles_in(text)
    problems = [f"title {t!r}" for t in sorted(titles - facts.titles)]
    prose = text
    for title in sorted(titles, key=len, reverse=True):  # "The Adventures of Robin Hood" claims no genre
        prose = prose.replace(title, " ")
    problems += [f"genre {g!r}" for g in sorted(vocabulary.genres_in(prose) - facts.genres)]
    decades = {year // 10 * 10 for year in facts.years}
    for match in _DECADE.finditer(text):
        decade = int(match.group(1))
        if not any(d % 100 == decade for d in decades):
            problems.append(f"decade {match.group(0)!r}")
    stripped = _DECADE.sub(" ", text)
    for match in _YEAR.finditer(stripped):
        if int(match.group(1)) not in facts.years:
            problems.append(f"year {match.group(1)}")
    stripped = _YEAR.sub(" ", stripped)
    for title in facts.titles:  # digits inside allowed titles ("Se7en", "2001: ...") are not figures
        stripped = stripped.replace(title, " ")
    for match in _NUMBER.finditer(stripped):
        if not _number_allowed(match.group(1), bool(match.group(2)), facts.numbers):
            problems.append(f"number {match.group(0).strip()}")
    return problems


def _number_allowed(token: str, percent: bool, allowed: list[float]) -> bool:
    value = float(token)
    if not percent and "." not in token and int(value) in SMALL_COUNTS:
        return True
    decimals = len(token.split(".")[1]) if "." in token else 0
    tolerance = 0.5 * 10**-decimals + 1e-9
    scale = 100.0 if percent else 1.0
    return any(abs(value - scale * a) <= tolerance for a in allowed)

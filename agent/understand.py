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

:func:`merge` keeps the parser's value on every field it is sure of; the model may only add fields
the parser found nothing for. :func:`understand` runs the three.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tracking.events import Event, EventKind, EventSource
from tracking.grounding import GENRE_NAMES, UNNAMEABLE_GENRES, genre_slug
from tracking.summary import accepts_max_tokens

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from retrieval.movielens import Catalog
    from tracking.service import Tracker

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4_000
"""Longer messages are read up to here: a chat message is short, and the parser stays fast."""
MAX_LLM_CHARS = 1_000
"""What the chat model sees of a message (its context is small and its time is the turn's time)."""
RECENT_YEARS = 5
""""recent" / "new movies": the catalog's last five years (1994–1998 in ml-100k)."""
OLD_BEFORE = 1970
""""old" / "classic": before this year."""
FUZZY_CUTOFF = 0.88
"""difflib ratio a misspelt title needs ("The Matrx" → The Matrix); exact keys are tried first."""
FUZZY_MIN_CHARS = 5
MAX_TITLE_WORDS = 12
LLM_MAX_TOKENS = 96
"""Enough for any one message's JSON; a longer reply is a model repeating itself (and costs seconds)."""

GenreField = Literal["more_genres", "less_genres", "never_genres"]
MOVIE_FIELDS = ("liked", "disliked", "not_interested", "seen", "similar_to")
GENRE_FIELDS: tuple[GenreField, ...] = ("more_genres", "less_genres", "never_genres")
YEAR_FIELDS = ("years", "avoid_years")

LIGHTER_LESS = ("Drama", "Horror", "Thriller", "War")
LIGHTER_MORE = ("Comedy",)
DARKER_MORE = ("Drama", "Thriller")
DARKER_LESS = ("Comedy", "Children", "Animation")


class FeedbackIntent(BaseModel):
    """What one message says about the user's taste, checked against the catalog.

    Attributes:
        more_genres, less_genres, never_genres: Genre labels of the loaded data set; "never" is a
            hard rule (the user said "never" or "I hate"), the others are soft.
        years: The years the user wants more of, ``"1990-1999"``.
        avoid_years: The years the user wants fewer of ("nothing from the 80s").
        liked, disliked, not_interested, seen, similar_to: Movie ids ("I loved Alien", "I hated
            it", "not that one", "seen it", "something like Amélie").
        tone: "lighter" or "darker"; already expanded into the genre fields (kept to say so).
        wants_list: The message asks for recommendations.
        rejects_list: The user rejects the whole list shown ("none of these"); its movies are in
            ``not_interested``.
        not_found: Titles the user named that match no catalog movie (said back, never guessed).
        out_of_range: Year ranges the user asked for that hold no catalog movie.
        sure: The fields the deterministic parser matched explicitly (the LLM cannot change them).
    """

    model_config = ConfigDict(extra="forbid")

    more_genres: list[str] = Field(default_factory=list)
    less_genres: list[str] = Field(default_factory=list)
    never_genres: list[str] = Field(default_factory=list)
    years: str | None = None
    avoid_years: str | None = None
    liked: list[int] = Field(default_factory=list)
    disliked: list[int] = Field(default_factory=list)
    not_interested: list[int] = Field(default_factory=list)
    seen: list[int] = Field(default_factory=list)
    similar_to: list[int] = Field(default_factory=list)
    tone: Literal["lighter", "darker"] | None = None
    wants_list: bool = False
    rejects_list: bool = False
    not_found: list[str] = Field(default_factory=list)
    out_of_range: list[str] = Field(default_factory=list)
    sure: set[str] = Field(default_factory=set)

    @property
    def has_feedback(self) -> bool:
        """Whether anything here changes the profile (a plain request does not)."""
        return any(getattr(self, name) for name in (*GENRE_FIELDS, *YEAR_FIELDS, *MOVIE_FIELDS))


# --- the vocabulary ------------------------------------------------------------------------------

GENRE_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    # genre slug → how a request describes the genre beyond its names (tracking.grounding.GENRE_NAMES),
    # folded (see _fold): adjectives and looser phrases that a grounding check must not count as claims
    "action": ("action packed", "action-packed", "actioners", "actioner"),
    "adventure": ("adventurous",),
    "animation": ("animated",),
    "children": ("kid's", "kids'", "family friendly", "family-friendly", "for the whole family"),
    "comedy": ("comedic", "funny", "hilarious", "humor", "humour", "laughs", "something to laugh at"),
    "crime": ("crimes", "gangster", "gangsters", "heist", "heists", "mafia"),
    "documentary": ("docs", "docu", "docudrama", "non-fiction", "nonfiction"),
    "drama": ("dramatic",),
    "fantasy": ("fantastical",),
    "horror": ("scary", "spooky", "slasher", "slashers", "frightening", "creepy", "horrifying"),
    "mystery": ("mysterious",),
    "romance": ("romantic", "love story", "love stories"),
    "thriller": ("thrilling", "suspense", "suspenseful"),
    "western": ("cowboy", "cowboys"),
}
GENRE_ALIASES: dict[str, tuple[str, ...]] = {
    slug: GENRE_NAMES[slug] + GENRE_DESCRIPTIONS.get(slug, ()) for slug in GENRE_NAMES
}
"""Every phrase that names or describes each genre, by genre slug."""
COMPOUND_ALIASES: dict[str, tuple[str, ...]] = {
    "romcom": ("romance", "comedy"), "romcoms": ("romance", "comedy"), "rom-com": ("romance", "comedy"),
    "rom-coms": ("romance", "comedy"), "rom com": ("romance", "comedy"), "rom coms": ("romance", "comedy"),
    "romantic comedy": ("romance", "comedy"), "romantic comedies": ("romance", "comedy"),
    "action comedy": ("action", "comedy"), "action comedies": ("action", "comedy"),
    "horror comedy": ("horror", "comedy"), "horror comedies": ("horror", "comedy"),
    "sci-fi horror": ("scifi", "horror"), "space opera": ("scifi", "adventure"),
}

DECADE_WORDS = {
    "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
    "seventies": 1970, "eighties": 1980, "nineties": 1990, "noughties": 2000, "aughts": 2000,
}
ORDINALS = {
    "first": 0, "1st": 0, "top": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6, "eighth": 7, "8th": 7,
    "ninth": 8, "9th": 8, "tenth": 9, "10th": 9, "last": -1, "bottom": -1, "final": -1,
}
LEADING_ARTICLES = ("the", "a", "an", "le", "la", "les", "l", "el", "il", "lo", "los", "las", "der", "die", "das",
                    "un", "une")
SINGLE_WORD_NOT_TITLES = {
    "it", "this", "that", "them", "those", "these", "one", "ones", "something", "anything", "everything",
    "nothing", "all", "both", "more", "less", "some", "movies", "movie", "films", "film", "when", "what",
    "how", "why", "where", "who", "stuff", "things", "watching", "seeing", "you", "me", "him", "her", "us",
    "there", "here", "so", "very", "much", "lot", "lots", "and", "or", "but", "the", "a", "an", "to",
}


def _fold(text: str) -> str:
    """Lower case, accents dropped, curly quotes and dashes made plain, one character for each
    character (so positions in the folded text are positions in the message)."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(char: str) -> str:
    if char in "‘’`´ʼ":
        return "'"
    if char in "“”«»„":
        return '"'
    if char in "–—−":
        return "-"
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
    if len(base) == 1:
        return base
    lower = char.lower()
    return lower if len(lower) == 1 else char


def title_key(text: str) -> str:
    """A title as the matcher compares it: folded, '&' → 'and', apostrophes dropped, other
    punctuation as spaces, digits split from letters ("Alien³" → "alien 3")."""
    key = _fold(text).replace("&", " and ").replace("'", "")
    key = re.sub(r"[^a-z0-9]+", " ", key)
    key = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", key)
    return " ".join(key.split())


def _strip_article(key: str) -> str:
    first, _, rest = key.partition(" ")
    return rest if first in LEADING_ARTICLES and rest else key


def _title_variants(title: str) -> tuple[list[str], list[str]]:
    """Keys of one catalog title: exact names (tier 0) and franchise parts (tier 1).

    "Amelie (Fabuleux destin d'Amélie Poulain, Le)" gives "amelie", "le fabuleux destin d amelie
    poulain", ...; "Star Wars: Episode IV - A New Hope" gives the whole and, at tier 1, "star wars"
    and "a new hope".
    """
    names = [title]
    for inner in re.findall(r"\(([^()]*)\)", title):
        inner = re.sub(r"^\s*a\.?k\.?a\.?\s*", "", inner, flags=re.IGNORECASE)
        moved = re.match(r"^(.*),\s*(\w+'?)$", inner)  # "Destin d'Amélie, Le" → "Le Destin d'Amélie"
        names.append(f"{moved.group(2)} {moved.group(1)}" if moved else inner)
    main = re.sub(r"\s*\([^()]*\)", "", title).strip()
    names.append(main)
    exact = {_strip_article(k) for name in names if (k := title_key(name))} | {title_key(n) for n in names}
    parts = re.split(r":|\s-\s", main)
    franchise = {_strip_article(k) for part in parts if len(parts) > 1 and (k := title_key(part))}
    return sorted(k for k in exact if k), sorted(k for k in franchise - exact if k)


@dataclass
class CatalogVocabulary:
    """What the parser matches against: the data set's genres, titles and year span.

    Attributes:
        dataset: The data set's name (said in messages).
        genres: Genre labels, in the data set's order.
        movie_ids, titles, years, popularity: One entry per catalog movie (``years`` NaN when unknown).
    """

    dataset: str
    genres: list[str]
    movie_ids: np.ndarray
    titles: list[str]
    years: np.ndarray
    popularity: np.ndarray
    _keys: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _fuzzy: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _row_of: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._row_of = {int(m): i for i, m in enumerate(self.movie_ids.tolist())}
        for row, title in enumerate(self.titles):
            exact, franchise = _title_variants(title)
            for tier, keys in ((0, exact), (1, franchise)):
                for key in keys:
                    self._keys.setdefault(key, []).append((tier, row))
        for key, entries in self._keys.items():
            if any(tier == 0 for tier, _ in entries) and len(key) >= FUZZY_MIN_CHARS:
                self._fuzzy.setdefault(len(key), []).append(key)
        known = self.years[~np.isnan(self.years)]
        self.first_year = int(known.min()) if len(known) else 1900
        self.last_year = int(known.max()) if len(known) else 2020
        self._genre_of_slug = {genre_slug(g): g for g in self.genres if genre_slug(g) not in UNNAMEABLE_GENRES}

    @classmethod
    def from_tracker(cls, tracker: "Tracker") -> "CatalogVocabulary":
        """The vocabulary of a tracker's catalog (the movies its model can recommend)."""
        movies = tracker.movies
        return cls(
            dataset=tracker.settings.dataset,
            genres=list(tracker.features.genre_vocabulary),
            movie_ids=movies["movie_id"].to_numpy(dtype=np.int64),
            titles=movies["title"].tolist(),
            years=movies["year"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
            popularity=movies["popularity"].to_numpy(dtype=np.float64),
        )

    @classmethod
    def from_catalog(cls, dataset: str, catalog: "Catalog", interactions: pd.DataFrame | None = None) -> "CatalogVocabulary":
        """The vocabulary of a loaded catalog; popularity = ratings per movie (0 without ``interactions``)."""
        movies = catalog.movies
        ids = movies["movie_id"].to_numpy(dtype=np.int64)
        counts = (
            interactions["movie_id"].value_counts().reindex(ids, fill_value=0).to_numpy(dtype=np.float64)
            if interactions is not None else np.zeros(len(ids))
        )
        return cls(
            dataset=dataset,
            genres=list(catalog.genre_vocabulary),
            movie_ids=ids,
            titles=movies["title"].tolist(),
            years=movies["year"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
            popularity=counts,
        )

    # --- genres and years

    def genre(self, text: str) -> list[str]:
        """The data set's genres a phrase names ("comedies" → Comedy, "romcom" → Romance, Comedy)."""
        phrase = " ".join(_fold(text).replace("_", " ").split())
        if phrase in COMPOUND_ALIASES:
            return [g for s in COMPOUND_ALIASES[phrase] if (g := self._genre_of_slug.get(s))]
        slug = genre_slug(phrase)
        if slug in self._genre_of_slug:
            return [self._genre_of_slug[slug]]
        for key, aliases in GENRE_ALIASES.items():
            if phrase in aliases and key in self._genre_of_slug:
                return [self._genre_of_slug[key]]
        return []

    def clip_years(self, first: int, last: int) -> str | None:
        """``"first-last"`` as said when it overlaps the catalog's years ("the 90s" stays 1990-1999
        in a catalog that ends in 1998), None when no catalog movie can fall in it."""
        if first > last or last < self.first_year or first > self.last_year:
            return None
        return f"{first}-{last}"

    # --- titles

    def label(self, movie_id: int) -> str:
        """"Alien (1979)"."""
        row = self._row_of[int(movie_id)]
        year = self.years[row]
        return self.titles[row] if np.isnan(year) else f"{self.titles[row]} ({int(year)})"

    def has_movie(self, movie_id: int) -> bool:
        return int(movie_id) in self._row_of

    def exact_title(self, text: str) -> int | None:
        """The movie whose title (or alternative title) is exactly ``text`` up to case, accents,
        articles and punctuation; a trailing year "(1979)" picks among remakes; ties: most popular."""
        key = title_key(text)
        year = None
        dated = re.match(r"^(.*\S)\s+(1[89]\d\d|20\d\d)$", key)
        if dated and (dated.group(1) in self._keys or _strip_article(dated.group(1)) in self._keys):
            key, year = dated.group(1), int(dated.group(2))
        entries = self._keys.get(key, []) + self._keys.get(_strip_article(key), [])
        if year is not None:
            entries = [(tier, row) for tier, row in entries if self.years[row] == year] or entries
        if not entries:
            return None
        tier, row = min(entries, key=lambda entry: (entry[0], -self.popularity[entry[1]], entry[1]))
        return int(self.movie_ids[row])

    def find_title(self, text: str) -> int | None:
        """:meth:`exact_title`, else the closest title above :data:`FUZZY_CUTOFF` (misspellings)."""
        exact = self.exact_title(text)
        if exact is not None:
            return exact
        key = _strip_article(title_key(text))
        if len(key) < FUZZY_MIN_CHARS:
            return None
        pool = [k for n in range(int(len(key) * 0.8), int(len(key) * 1.25) + 2) for k in self._fuzzy.get(n, [])]
        close = difflib.get_close_matches(key, pool, n=5, cutoff=FUZZY_CUTOFF)
        if not close:
            return None
        best = max(close, key=lambda k: (round(difflib.SequenceMatcher(None, key, k).ratio(), 3),
                                         max(self.popularity[row] for _, row in self._keys[k])))
        return self.exact_title(best)


# --- the deterministic parser --------------------------------------------------------------------

Polarity = Literal["more", "less", "never"]

_NEGATORS = r"(?:not|no|don'?t|do not|didn'?t|did not|doesn'?t|does not|isn'?t|won'?t|wouldn'?t|never|without)"
_CUES: list[tuple[str, Polarity]] = [
    (r"never|hate|hated|can'?t stand|cannot stand|couldn'?t stand|can'?t bear|loathe|despise", "never"),
    (r"less|fewer|not so much|not too much|not as much|no more|not|no|nothing|none|don'?t want|do not want|"
     r"without|avoid|enough|stop|skip|(?:tired|sick|bored) (?:of|with)|not in the mood for|not into|dislike|"
     r"don'?t (?:really )?like|didn'?t (?:really )?like|do not like|did not like|don'?t care for|except|"
     r"instead of|rather than|not a fan of|no longer|not (?:really )?feeling|tone down|cut (?:down|back) on|"
     r"lay off|away from|other than|exclude|minus|too much|doesn'?t|does not|isn'?t|is not|aren'?t|are not|"
     r"won'?t|wouldn'?t|shouldn'?t|nothing with|free of|apart from|anything but", "less"),
    (r"more|some|want|wanna|would like|'d like|in the mood for|give me|show me|like|love|loved|liked|enjoy|"
     r"enjoyed|into|prefer|only|fan of|craving|crave|feel like|up for|looking for|how about|what about|"
     r"lots of|a lot of|extra|any|maybe|perhaps|focus on|stick to|go for", "more"),
]
_CUE_RE = [(re.compile(rf"(?<![a-z'])(?:{pattern})(?![a-z])"), polarity) for pattern, polarity in _CUES]
_NEGATOR_RE = re.compile(rf"(?<![a-z']){_NEGATORS}(?![a-z])")
_EVER_RE = re.compile(r"(?<![a-z])(?:ever|never again|ever again)(?![a-z])")
_CLAUSE_RE = re.compile(r"[,;.!?:()\n]+|(?<![a-z])(?<!anything )(?<!everything )(?:but|however|though|although|whereas|while|yet)(?![a-z])")
_CONTINUE_RE = re.compile(r"\s*(?:and|or|&|plus|also|nor|as well as|\+)(?![a-z])")
_TONE_RE = {
    "lighter": re.compile(r"(?<![a-z])(?:lighter|light[- ]?hearted|something light|feel[- ]good|cheerful|"
                          r"happier|upbeat|less (?:dark|heavy|depressing|grim|serious)|not so (?:dark|heavy|serious)|"
                          r"fluffier|easy watching)(?![a-z])"),
    "darker": re.compile(r"(?<![a-z])(?:darker|grittier|more serious|heavier|bleaker)(?![a-z])"),
}
_REJECT_LIST_RE = re.compile(
    r"(?<![a-z])(?:none of (?:these|them|those|this)|nope|not these|not those|(?:other|different) ones|"
    r"something else|anything else|others please|show me others|different (?:movies|films|suggestions|options)|"
    r"other (?:movies|films|suggestions|options)|all (?:bad|boring|terrible|meh)|not interested in any|"
    r"none (?:of these )?(?:appeal|look good|interest me)|nah)(?![a-z])"
)
_WANTS_VERB_RE = re.compile(
    r"(?<![a-z])(?:recommend|recommendations?|suggest|suggestions?|ideas?|what should (?:i|we) watch|"
    r"what to watch|something to watch|anything to watch|show me|give me|find me|got anything|what else|"
    r"what do you have|what have you got|any good)(?![a-z])"
)
_WANTS_OBJECT_RE = re.compile(
    r"(?<![a-z])(?:something|anything|movies?|films?|ones|options|ideas|list|recommend\w*|suggest\w*|"
    r"watch\w*|else|picks?|titles?)(?![a-z])"
)
_TIME_CUE_RE = re.compile(
    r"\d|(?<![a-z])(?:decade|century|years?|era|recent|new|newer|latest|modern|old|older|classic|"
    + "|".join(DECADE_WORDS) + r")")

_RANGE_RE = re.compile(
    r"(?<![\d])(?:between\s+)?(1[89]\d\d|20\d\d)\s*(?:-|to|through|thru|until|till|and)\s*(1[89]\d\d|20\d\d)(?![\d])"
)
_BEFORE_RE = re.compile(
    r"(?<![a-z])(?:before|pre-?|earlier than|older than|prior to|up to|until)\s*(?:the\s+)?"
    r"(?:(1[89]\d\d|20\d\d)(?:'?s)?|'?(\d)0'?s)(?![\d])"
)
_AFTER_RE = re.compile(
    r"(?<![a-z])(?:after|post-?|since|newer than|later than|from)\s*(?:the\s+)?"
    r"(?:(1[89]\d\d|20\d\d)|'?(\d)0'?s)\s*(?:on(?:wards?)?|and (?:later|newer|up)|or (?:later|newer)|\+)"
    r"|(?<![a-z])(?:after|post-?|since|newer than|later than)\s*(?:the\s+)?(?:(1[89]\d\d|20\d\d)|'?(\d)0'?s)(?![\d])"
)
_DECADE_RE = re.compile(
    r"(?<![a-z\d])(?:(early|mid|late)[- ]?)?(?:the\s+)?(?:(1[89]\d)0|(20[0-2])0|'?(\d)0)'?s(?![a-z])"
)
_DECADE_WORD_RE = re.compile(r"(?<![a-z])(?:(early|mid|late)[- ]?)?(" + "|".join(DECADE_WORDS) + r")(?![a-z])")
_YEAR_RE = re.compile(r"(?<![a-z])(?:from|in|of|around|circa|made in|released in)\s+(1[89]\d\d|20\d\d)(?![\d'])")
_RECENT_RE = re.compile(
    r"(?<![a-z])(?:recent|recently released|newer|newest|latest|modern|contemporary|new (?:movies?|films?|releases?|"
    r"stuff|ones))(?![a-z])"
)
_OLD_RE = re.compile(
    r"(?<![a-z])(?:older|oldies|classics?|golden age|black and white|old[- ]school|old (?:movies?|films?|ones|"
    r"stuff|pictures))(?![a-z])"
)

# Sentiment toward a named movie or a shown one: (pattern before it, field).
_BEFORE_MOVIE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:something|anything|movies?|films?|ones?|stuff|more|others?|some|titles?|picks?|just|"
                r"similar)\s+(?:(?:a bit|a little|kind of|sort of)\s+)?(?:like|to)\s+$"), "similar_to"),
    (re.compile(r"(?:^|\s)(?:similar to|in the vein of|along the lines of|more like|in the style of|"
                r"reminds? me of)\s+$|^\s*like\s+$"), "similar_to"),
    (re.compile(r"(?:hated|disliked|loathed|despised|hate|dislike|didn'?t (?:really )?like|did not like|"
                r"don'?t (?:really )?like|do not like|couldn'?t stand|can'?t stand|wasn'?t a fan of|not a fan of|"
                r"didn'?t enjoy|did not enjoy)\s+$"), "disliked"),
    (re.compile(r"(?:(?:i'?ve|i have|we'?ve|we have|already|just)\s+(?:already\s+)?(?:seen|watched)|"
                r"saw|seen|watched)\s+$"), "seen"),
    (re.compile(r"(?:not interested in|no to|skip|not|no|nope|nah|never|drop|remove|hide|not really|"
                r"not feeling|pass on)\s+$"), "not_interested"),
    (re.compile(r"(?:loved|liked|enjoyed|adored|love|like|enjoy|adore|fan of|favou?rite (?:was|is))\s+$"), "liked"),
]
_AFTER_MOVIE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s+(?:was|is|were|looks?|seemed?|sounds?)\s+(?:(?:really|very|so|pretty|quite|too|a bit)\s+)?"
                r"(?:bad|awful|terrible|boring|horrible|dull|meh|rubbish|crap|lame|weak|disappointing|overrated|"
                r"not good|not great)"), "disliked"),
    (re.compile(r"^\s+(?:was|were)\s+(?:(?:really|very|so|pretty|quite)\s+)?(?:good|great|amazing|awesome|fantastic|"
                r"excellent|brilliant|fun|nice|lovely|perfect|superb|wonderful|cool|solid)"), "liked"),
    (re.compile(r"^\s+(?:is|looks?|seems?|sounds?)\s+(?:(?:really|very|so|pretty|quite)\s+)?(?:good|great|"
                r"amazing|awesome|fantastic|interesting|promising|fun|nice|cool|perfect)"), "similar_to"),
    (re.compile(r"^\s+(?:i'?ve|i have)?\s*(?:already\s+)?(?:seen|watched)|^\s+(?:i\s+)?(?:already\s+)?saw"), "seen"),
    (re.compile(r"^\s+(?:is not|isn'?t|not)\s+(?:for me|my thing|my kind)|^\s+(?:no|nope|nah)(?![a-z])"),
     "not_interested"),
]
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
_DEICTIC_RE = re.compile(r"^(?:that|this|it|that one|this one|that movie|this movie|that film|this film)$")
_SHOWN_REF_RE = re.compile(
    r"(?<![a-z])(?:(?:the\s+)?(" + "|".join(ORDINALS) + r")(?:\s+(?:one|movie|film|pick|suggestion|"
    r"recommendation|title))?|(?:number|no\.?|#)\s*(\d{1,2})(?:\s+(?:one|movie|film))?"
    r"|(that one|this one|that movie|this movie|that film|this film))(?![a-z])"
)
_SHOWN_BARE_RE = re.compile(
    r"(?<![a-z])(?:(?:not|love|loved|liked|hate|hated|seen|watched|saw|enjoyed|skip|like)\s+(it|that|this)|"
    r"(it|that|this)\s+(?:was|is|looks?)\s+(?:good|great|bad|awful|boring|terrible|amazing|not for me))(?![a-z])"
)
_QUOTED_RE = re.compile(r'"([^"]{2,120})"|(?<![a-z0-9])\'([^\']{2,120})\'(?![a-z0-9])')
_CONNECTOR_RE = re.compile(r"\s*(?:,|and|or|&|as well as|plus)\s+")
_STOP_RE = re.compile(r"[,;.!?\n]|(?<![a-z])(?:but|because|since|though|although|so|which|that was|when)(?![a-z])")
_FILLER_RE = re.compile(r"^(?:(?:the\s+)?(?:movie|film)\s+|watching\s+|seeing\s+)")


class _Reader:
    """One message's reading state: folded text, the spans already consumed, and the intent built."""

    def __init__(self, message: str, vocab: CatalogVocabulary, shown: Sequence[int]) -> None:
        self.original = message[:MAX_MESSAGE_CHARS]
        self.text = _fold(self.original)
        self.vocab = vocab
        self.shown = [int(m) for m in shown if vocab.has_movie(int(m))]
        self.masked = list(self.text)
        self.movies: dict[str, list[int]] = {name: [] for name in MOVIE_FIELDS}
        self.genres: dict[str, list[str]] = {name: [] for name in GENRE_FIELDS}
        self.not_found: list[str] = []
        self.sure: set[str] = set()

    def mask(self, start: int, end: int) -> None:
        """Blank out text already read (a title's words are not genres or decades)."""
        self.masked[start:end] = " " * (end - start)

    @property
    def rest(self) -> str:
        return "".join(self.masked)

    def add_movie(self, field_name: str, movie_id: int) -> None:
        for name in MOVIE_FIELDS:  # one reading per movie: the latest sentiment wins
            if movie_id in self.movies[name]:
                self.movies[name].remove(movie_id)
        self.movies[field_name].append(int(movie_id))
        self.sure.add(field_name)


def parse_message(message: str, vocab: CatalogVocabulary, shown: Sequence[int] = ()) -> FeedbackIntent:
    """Read feedback from a message deterministically (runs on every message, no model).

    Args:
        message: What the user typed (read up to :data:`MAX_MESSAGE_CHARS`).
        vocab: The loaded data set's genres, titles and years.
        shown: The movie ids shown last, in display order ("the second one" is ``shown[1]``;
            "that one" / "it" is the first).

    Returns:
        The intent; ``sure`` names every field this parser matched explicitly.
    """
    reader = _Reader(message, vocab, shown)
    _read_quoted(reader)
    _read_titles(reader)
    _read_verdicts(reader)
    _read_shown(reader)
    intent = FeedbackIntent()
    if reader.shown and _REJECT_LIST_RE.search(reader.rest):
        intent.rejects_list = True
        reader.sure.update({"rejects_list", "not_interested"})
        for movie_id in reader.shown:
            if not any(movie_id in reader.movies[name] for name in MOVIE_FIELDS):
                reader.movies["not_interested"].append(movie_id)
    _read_genres_and_years(reader, intent)
    for name in MOVIE_FIELDS:
        setattr(intent, name, list(dict.fromkeys(reader.movies[name])))
    for name in GENRE_FIELDS:
        setattr(intent, name, list(dict.fromkeys(reader.genres[name])))
    intent.not_found = list(dict.fromkeys(reader.not_found))
    intent.wants_list = _wants_list(reader.text)
    if intent.wants_list:
        reader.sure.add("wants_list")
    intent.sure = reader.sure
    return intent


def _wants_list(text: str) -> bool:
    """A question about movies or a plain request ("recommend something", "what should I watch?")."""
    if _WANTS_VERB_RE.search(text) and (_WANTS_OBJECT_RE.search(text) or re.search(r"recommend|suggest", text)):
        return True
    return text.rstrip().endswith("?") and bool(_WANTS_OBJECT_RE.search(text))


def _sentiment(reader: _Reader, start: int, end: int, default: str | None) -> str | None:
    """How the user feels about the movie at text[start:end]: cues before it, then after it."""
    clause_start = max((m.end() for m in _STOP_RE.finditer(reader.text, 0, start)), default=0)
    before = reader.text[clause_start:start]
    for pattern, name in _BEFORE_MOVIE:
        if pattern.search(before):
            return name
    after = reader.text[end:end + 80]
    for pattern, name in _AFTER_MOVIE:
        if pattern.search(after):
            return name
    return default


def _read_quoted(reader: _Reader) -> None:
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
        reader.add_movie(_sentiment(reader, match.start(), match.end(), "similar_to"), movie_id)


def _read_titles(reader: _Reader) -> None:
    """Titles after a sentiment ("I loved Alien", "something like Amelie but lighter")."""
    for trigger in _TITLE_TRIGGER_RE.finditer(reader.text):
        position = trigger.end()
        if reader.rest[trigger.start():position].strip() == "":
            continue  # inside a quoted title already read
        if re.search(r"(?:'d|would|feel|looks?|sounds?|seems?)\s+like\s+$", reader.text[max(0, trigger.start() - 12):position]):
            continue  # "I'd like more comedy", "feel like a thriller": a wish, not a movie
        field_name = _sentiment(reader, trigger.end(), trigger.end(), None)
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


def _read_verdicts(reader: _Reader) -> None:
    """A title before a verdict: "La vita è bella was great", "Titanic was boring"."""
    for verdict in _VERDICT_RE.finditer(reader.rest):
        stop = max((m.end() for m in _STOP_RE.finditer(reader.text, 0, verdict.start())), default=0)
        words = [(m.start() + stop, m.end() + stop) for m in re.finditer(r"\S+", reader.rest[stop:verdict.start()])]
        for first in range(max(0, len(words) - MAX_TITLE_WORDS), len(words)):
            start, end = words[first][0], words[-1][1]
            phrase = reader.text[start:end]
            if (first == len(words) - 1 and phrase in SINGLE_WORD_NOT_TITLES) or _is_taste_phrase(reader.vocab, phrase):
                continue
            if _DEICTIC_RE.match(phrase) or _SHOWN_REF_RE.fullmatch(phrase):
                break
            movie_id = reader.vocab.exact_title(phrase)
            if movie_id is None:
                continue
            field_name = _sentiment(reader, end, end, None)
            if field_name is not None:
                reader.add_movie(field_name, movie_id)
                reader.mask(start, end)
            break


def _title_at(reader: _Reader, start: int) -> tuple[int | None, int] | None:
    """The catalog title that the words at ``start`` name: the longest exact prefix, else a close
    spelling of a capitalised name; (None, end) for a name that matches nothing (reported back)."""
    stop = _STOP_RE.search(reader.text, start)
    limit = stop.start() if stop else len(reader.text)
    segment = reader.text[start:limit]
    filler = _FILLER_RE.match(segment)
    offset = start + (filler.end() if filler else 0)
    words = [(m.start() + offset, m.end() + offset) for m in re.finditer(r"\S+", reader.text[offset:limit])][:MAX_TITLE_WORDS]
    if not words:
        return None
    first = reader.text[words[0][0]:words[0][1]]
    if _DEICTIC_RE.match(first) or _SHOWN_REF_RE.match(reader.text, words[0][0]) and not _capitalised(reader, words[0][0]):
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


def _capitalised(reader: _Reader, position: int) -> bool:
    char = reader.original[position:position + 1]
    return char.isupper() or char.isdigit()


def _name_end(reader: _Reader, words: list[tuple[int, int]]) -> int | None:
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
    if vocab.genre(text) or _DECADE_RE.search(text) or _DECADE_WORD_RE.search(text):
        return True
    tasteful = [w for w in words if vocab.genre(w) or _DECADE_RE.fullmatch(w) or _DECADE_WORD_RE.fullmatch(w)]
    return bool(tasteful) and all(w in generic or w in tasteful for w in words)


def _read_shown(reader: _Reader) -> None:
    """References to the list shown last: "not that one", "the second one was good", "seen it"."""
    if not reader.shown:
        return
    text = reader.rest
    refs = []
    for match in _SHOWN_REF_RE.finditer(text):
        if match.group(1):
            index = ORDINALS[match.group(1)]
        elif match.group(2):
            index = int(match.group(2)) - 1
        else:
            index = 0
        if match.group(1) in ("top", "last", "bottom", "final") and not re.match(
            r"\s+(?:one|movie|film|pick|suggestion|recommendation|title)", text[match.end(1):]
        ) and "the" not in text[max(0, match.start() - 4):match.start()]:
            continue  # "at last", "top notch": not a position
        refs.append((match.start(), match.end(), index))
    for match in _SHOWN_BARE_RE.finditer(text):
        group = 1 if match.group(1) else 2
        refs.append((match.start(group), match.end(group), 0))
    for start, end, index in sorted(refs):
        if not -len(reader.shown) <= index < len(reader.shown):
            continue
        field_name = _sentiment(reader, start, end, None)
        if field_name is None and re.match(r"^\s*(?:please|thanks)?\s*$", text[end:]) and re.match(
            r"^\s*(?:no|not|nope|nah)[\s,]", text[:start] + " "
        ):
            field_name = "not_interested"
        if field_name is not None:
            reader.add_movie(field_name, reader.shown[index])
            reader.mask(start, end)


def _clauses(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, continues the previous clause) for each clause of the text."""
    out, position = [], 0
    for match in _CLAUSE_RE.finditer(text):
        if match.start() > position:
            out.append((position, match.start()))
        position = match.end()
    if position < len(text):
        out.append((position, len(text)))
    return [(s, e, bool(_CONTINUE_RE.match(text, s))) for s, e in out if text[s:e].strip()]


def _polarity(clause: str, position: int) -> Polarity | None:
    """The cue that governs the mention at ``position`` of ``clause``: the latest cue before it
    (the longest when two end together), flipped to "less" by an earlier negator ("don't want
    any more horror"); "less" becomes "never" with "ever" in the clause ("no horror, ever")."""
    best: tuple[int, int, Polarity] | None = None
    for pattern, polarity in _CUE_RE:
        for match in pattern.finditer(clause, 0, position):
            candidate = (match.end(), match.end() - match.start(), polarity)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        after = re.match(r"\s*(?:[a-z'-]+\s+)?(?:no more|please no|no|not|nope|never)(?![a-z])", clause[position:].split(" ", 1)[-1])
        return "less" if after else None
    polarity = best[2]
    if polarity == "more":
        negator = _NEGATOR_RE.search(clause, 0, best[0] - best[1])
        if negator:
            polarity = "never" if negator.group(0) == "never" else "less"
    if polarity == "less" and _EVER_RE.search(clause):
        polarity = "never"
    return polarity


_GENRE_PHRASES = [
    (re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"), slugs)
    for phrase, slugs in sorted(
        [(p, tuple(s)) for p, s in COMPOUND_ALIASES.items()]
        + [(a, (k,)) for k, aliases in GENRE_ALIASES.items() for a in aliases],
        key=lambda item: -len(item[0]),
    )
]
"""Every genre phrase as a compiled pattern, longest first (so "romantic comedy" wins over "comedy")."""


def _mentions(vocab: CatalogVocabulary, clause: str) -> list[tuple[int, list[str]]]:
    """(position, genres) of every genre phrase in the clause, longest phrases first."""
    taken = [False] * len(clause)
    found = []
    for pattern, slugs in _GENRE_PHRASES:
        genres = [vocab._genre_of_slug[s] for s in slugs if s in vocab._genre_of_slug]
        if not genres:
            continue
        for match in pattern.finditer(clause):
            if any(taken[match.start():match.end()]):
                continue
            taken[match.start():match.end()] = [True] * (match.end() - match.start())
            found.append((match.start(), genres))
    return sorted(found, key=lambda item: item[0])


def _year_mentions(vocab: CatalogVocabulary, clause: str) -> list[tuple[int, int, int, str]]:
    """(position, first, last, what was said) for every era in the clause."""
    found: list[tuple[int, int, int, str]] = []
    taken = [False] * len(clause)

    def add(match: re.Match[str], first: int, last: int) -> None:
        if any(taken[match.start():match.end()]):
            return
        taken[match.start():match.end()] = [True] * (match.end() - match.start())
        found.append((match.start(), first, last, match.group(0).strip()))

    for match in _RANGE_RE.finditer(clause):
        first, last = sorted((int(match.group(1)), int(match.group(2))))
        add(match, first, last)
    for match in _BEFORE_RE.finditer(clause):
        year = int(match.group(1)) if match.group(1) else _two_digit_decade(match.group(2))
        add(match, vocab.first_year, year - 1)
    for match in _AFTER_RE.finditer(clause):
        groups = [g for g in match.groups() if g]
        year = int(groups[0]) if len(groups[0]) == 4 else _two_digit_decade(groups[0])
        inclusive = re.match(r"(?:since|from)", match.group(0)) or re.search(r"on|later|newer|up|\+", match.group(0)[4:])
        add(match, year if inclusive else year + 1, vocab.last_year)
    for match in _DECADE_RE.finditer(clause):
        start = int(match.group(2) + "0") if match.group(2) else int(match.group(3) + "0") if match.group(3) else \
            _two_digit_decade(match.group(4))
        add(match, *_part_of_decade(start, match.group(1)))
    for match in _DECADE_WORD_RE.finditer(clause):
        add(match, *_part_of_decade(DECADE_WORDS[match.group(2)], match.group(1)))
    for match in _YEAR_RE.finditer(clause):
        year = int(match.group(1))
        add(match, year, year)
    for match in _RECENT_RE.finditer(clause):
        add(match, vocab.last_year - RECENT_YEARS + 1, vocab.last_year)
    for match in _OLD_RE.finditer(clause):
        add(match, vocab.first_year, OLD_BEFORE - 1)
    return sorted(found)


def _two_digit_decade(digit: str) -> int:
    """"90s" → 1990, "00s" → 2000, "10s" → 2010 (the catalogs end before the 2020s)."""
    value = int(digit) * 10
    return 2000 + value if value <= 10 else 1900 + value


def _part_of_decade(start: int, part: str | None) -> tuple[int, int]:
    return {"early": (start, start + 3), "mid": (start + 3, start + 6), "late": (start + 6, start + 9)}.get(
        part or "", (start, start + 9)
    )


def _read_genres_and_years(reader: _Reader, intent: FeedbackIntent) -> None:
    """Genres and eras with their direction, clause by clause, then the tone ("lighter")."""
    vocab, text = reader.vocab, reader.rest
    wanted: list[tuple[int, int]] = []
    avoided: list[tuple[int, int]] = []
    previous: Polarity | None = None
    explicit: set[str] = set()
    for start, end, continues in _clauses(text):
        clause = text[start:end]
        mentions = [(p, "genre", g) for p, g in _mentions(vocab, clause)]
        mentions += [(p, "years", (a, b, said)) for p, a, b, said in _year_mentions(vocab, clause)]
        clause_polarity: Polarity | None = None
        for position, kind, value in sorted(mentions, key=lambda item: item[0]):
            polarity = _polarity(clause, position) or (previous if continues else None) or clause_polarity or "more"
            clause_polarity = polarity
            if kind == "genre":
                for genre in value:
                    for name in GENRE_FIELDS:
                        if genre in reader.genres[name]:
                            reader.genres[name].remove(genre)
                    reader.genres[f"{polarity}_genres"].append(genre)
                    reader.sure.add(f"{polarity}_genres")
                    explicit.add(genre)
            else:
                first, last, said = value
                clipped = vocab.clip_years(first, last)
                if clipped is None:
                    intent.out_of_range.append(said)
                    continue
                span = tuple(int(y) for y in clipped.split("-"))
                (wanted if polarity == "more" else avoided).append(span)
        previous = clause_polarity or (previous if continues else None)
    if wanted:
        intent.years = f"{min(a for a, _ in wanted)}-{max(b for _, b in wanted)}"
        reader.sure.add("years")
    if avoided:
        intent.avoid_years = f"{min(a for a, _ in avoided)}-{max(b for _, b in avoided)}"
        reader.sure.add("avoid_years")
    for tone, pattern in _TONE_RE.items():
        if pattern.search(reader.text):
            intent.tone = tone
            reader.sure.add("tone")
            less, more = (LIGHTER_LESS, LIGHTER_MORE) if tone == "lighter" else (DARKER_LESS, DARKER_MORE)
            for names, field_name in ((less, "less_genres"), (more, "more_genres")):
                for genre in (g for n in names for g in vocab.genre(n)):
                    if genre not in explicit and genre not in reader.genres[field_name]:
                        reader.genres[field_name].append(genre)
                        reader.sure.add(field_name)
            break


# --- the chat model's reading --------------------------------------------------------------------


class LLMReading(BaseModel):
    """The JSON the chat model is asked for: names as it read them, checked afterwards."""

    model_config = ConfigDict(extra="ignore")

    more_genres: list[str] = Field(default_factory=list, description="Genres the user wants more of.")
    less_genres: list[str] = Field(default_factory=list, description="Genres the user wants less of.")
    never_genres: list[str] = Field(default_factory=list, description="Genres the user never wants.")
    years: str | None = Field(None, description="Years the user wants, e.g. 1990-1999.")
    avoid_years: str | None = Field(None, description="Years the user wants fewer of.")
    liked: list[str] = Field(default_factory=list, description="Movies the user liked: titles or #n of the shown list.")
    disliked: list[str] = Field(default_factory=list, description="Movies the user disliked.")
    not_interested: list[str] = Field(default_factory=list, description="Movies the user does not want.")
    seen: list[str] = Field(default_factory=list, description="Movies the user has seen.")
    similar_to: list[str] = Field(default_factory=list, description="Movies the user wants more like.")
    wants_list: bool = Field(False, description="The user asks for recommendations.")
    rejects_list: bool = Field(False, description="The user rejects every movie shown.")

    @field_validator(*GENRE_FIELDS, *MOVIE_FIELDS, mode="before")
    @classmethod
    def _as_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, (str, int)):
            return [str(value)]
        if isinstance(value, list):
            return [str(v) for v in value if v is not None]
        return value

    @field_validator(*YEAR_FIELDS, mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, (int, float)):
            return str(int(value))
        if isinstance(value, list) and value:
            return "-".join(str(v) for v in value[:2])
        return value

    @field_validator("wants_list", "rejects_list", mode="before")
    @classmethod
    def _as_bool(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().lower() in ("true", "yes", "1")
        return bool(value) if value is not None else False


SYSTEM_PROMPT = """Turn the user's message to a movie recommender into JSON. Keys, only those the message \
talks about: more_genres, less_genres, never_genres (genres from: {genres}); years, avoid_years \
("1990-1999"); liked, disliked, not_interested, seen, similar_to (titles the user wrote, or "#2" for the \
second shown movie); wants_list, rejects_list (true or false). Answer with the JSON object only."""

FEW_SHOT: tuple[tuple[str, str], ...] = (
    # (message, the answer): worked examples help a small model far more than rules do
    ("less horror, more 90s comedies", '{"less_genres": ["Horror"], "more_genres": ["Comedy"], "years": "1990-1999"}'),
    ("not the second one", '{"not_interested": ["#2"]}'),
    ("I loved Alien", '{"liked": ["Alien"]}'),
    ("something that makes me laugh", '{"more_genres": ["Comedy"]}'),
    ("none of these", '{"rejects_list": true}'),
    ("never show me westerns", '{"never_genres": ["Western"]}'),
)
FEW_SHOT_SHOWN = "#1 Heat (1995)\n#2 Toy Story (1995)"
MAX_LLM_GENRES = 4
"""A field with more genres than this is the model copying the list, not reading the message."""


def _llm_messages(message: str, vocab: CatalogVocabulary, shown: Sequence[int]) -> list[tuple[str, str]]:
    """System prompt and worked examples first (the same for every call, so a local server reuses
    their cache), then the shown list and the message."""
    genres = ", ".join(g for g in vocab.genres if genre_slug(g) not in UNNAMEABLE_GENRES)
    messages: list[tuple[str, str]] = [("system", SYSTEM_PROMPT.format(genres=genres))]
    for example, answer in FEW_SHOT:
        messages += [("human", f"Shown:\n{FEW_SHOT_SHOWN}\nMessage: {example}"), ("ai", answer)]
    listing = "\n".join(f"#{n} {vocab.label(m)}" for n, m in enumerate(shown, 1) if vocab.has_movie(m)) or "nothing yet"
    messages.append(("human", f"Shown:\n{listing}\nMessage: {message[:MAX_LLM_CHARS]}"))
    return messages


def _supports_structured_output(chat_model: "BaseChatModel") -> bool:
    """Whether the model has its own structured output (a server model such as ChatOpenAI's JSON
    schema mode). Local models only render tools into the prompt and cannot be forced to call
    one; a plain JSON request reads them more reliably."""
    from langchain_core.language_models import BaseChatModel

    return type(chat_model).with_structured_output is not BaseChatModel.with_structured_output


def _json_object(text: str) -> dict[str, Any]:
    """The first JSON object in a model's reply (code fences and chatter around it are ignored)."""
    start = text.find("{")
    if start < 0:
        raise ValueError(f"no JSON object in the model's reply: {text[:120]!r}")
    value, _ = json.JSONDecoder().raw_decode(text[start:])
    if not isinstance(value, dict):
        raise ValueError("the model's JSON is not an object")
    return value


def extract_with_llm(
    message: str,
    chat_model: "BaseChatModel",
    vocab: CatalogVocabulary,
    shown: Sequence[int] = (),
    structured: bool | None = None,
) -> FeedbackIntent | None:
    """The chat model's reading of the message, every name checked against the vocabulary.

    Genres must be the data set's (synonyms mapped), years must parse and hold catalog movies, a
    title counts only if the message itself contains it (or it is one of ``shown``), so a model
    that invents a movie adds nothing. Whatever fails a check is dropped.

    Args:
        message: The user's message.
        chat_model: Any LangChain chat model.
        vocab: The loaded data set's vocabulary.
        shown: The movie ids shown last.
        structured: Use the model's structured output (tool calling); None: when it has its own.

    Returns:
        The validated intent (``sure`` empty), or None when the model gave nothing usable or failed
        (the reason is logged).
    """
    from langchain_core.exceptions import OutputParserException

    if not message.strip():
        return None
    messages = _llm_messages(message, vocab, shown)
    use_structured = _supports_structured_output(chat_model) if structured is None else structured
    try:
        if use_structured:
            reply = chat_model.with_structured_output(LLMReading).invoke(messages)
            reading = reply if isinstance(reply, LLMReading) else LLMReading.model_validate(reply)
        else:
            reply = chat_model.invoke(messages, max_tokens=LLM_MAX_TOKENS) if accepts_max_tokens(chat_model) \
                else chat_model.invoke(messages)
            reading = LLMReading.model_validate(_json_object(str(reply.content)))
    except (OutputParserException, ValidationError, json.JSONDecodeError, ValueError, TypeError) as error:
        logger.info("the chat model's reading of %r is unusable: %s", message[:80], error)
        return None
    intent = _validated(reading, message, vocab, shown)
    if not intent.has_feedback and not intent.wants_list and not intent.rejects_list:
        logger.info("the chat model's reading of %r holds nothing the catalog knows", message[:80])
        return None
    return intent


def _validated(reading: LLMReading, message: str, vocab: CatalogVocabulary, shown: Sequence[int]) -> FeedbackIntent:
    """An intent from the model's reading, keeping only what the vocabulary confirms."""
    intent = FeedbackIntent(wants_list=reading.wants_list)
    seen_genres: dict[str, str] = {}
    for name in GENRE_FIELDS:
        if len(getattr(reading, name)) > MAX_LLM_GENRES:
            logger.info("the chat model listed %d genres as %s: dropped", len(getattr(reading, name)), name)
            continue
        for raw in getattr(reading, name):
            for genre in vocab.genre(raw):
                if genre in seen_genres and seen_genres[genre] != name:
                    seen_genres[genre] = "conflict"
                else:
                    seen_genres[genre] = name
    for genre, name in seen_genres.items():
        if name != "conflict":
            getattr(intent, name).append(genre)
    has_time_cue = bool(_TIME_CUE_RE.search(_fold(message)))
    for name in YEAR_FIELDS:
        raw = getattr(reading, name)
        if raw and has_time_cue:
            setattr(intent, name, _years_from_text(raw, vocab))
    folded_message = title_key(message)
    refers_to_shown = bool(_REFERS_TO_SHOWN_RE.search(_fold(message)))
    shown = [int(m) for m in shown if vocab.has_movie(int(m))]
    for name in MOVIE_FIELDS:
        for raw in getattr(reading, name):
            movie_id = _movie_from_llm(raw, vocab, shown, folded_message, refers_to_shown)
            if movie_id is not None and not any(movie_id in getattr(intent, n) for n in MOVIE_FIELDS):
                getattr(intent, name).append(movie_id)
    if reading.rejects_list and shown:
        intent.rejects_list = True
        intent.not_interested = list(dict.fromkeys(intent.not_interested + [
            m for m in shown if not any(m in getattr(intent, n) for n in MOVIE_FIELDS if n != "not_interested")
        ]))
    return intent


def _years_from_text(raw: str, vocab: CatalogVocabulary) -> str | None:
    """A model's year answer ("1990-1999", "1990s", "90s", "1995") as a catalog range, or None."""
    text = _fold(str(raw))
    plain = re.fullmatch(r"\s*(1[89]\d\d|20\d\d)\s*(?:-\s*(1[89]\d\d|20\d\d))?\s*", text)
    if plain:
        first = int(plain.group(1))
        last = int(plain.group(2) or first)
        return vocab.clip_years(min(first, last), max(first, last))
    mentions = _year_mentions(vocab, text)
    if not mentions:
        return None
    return vocab.clip_years(min(m[1] for m in mentions), max(m[2] for m in mentions))


_REFERS_TO_SHOWN_RE = re.compile(
    r"(?<![a-z])(?:one|ones|it|these|those|them|number|" + "|".join(ORDINALS) + r")(?![a-z])|#\s*\d"
)


def _movie_from_llm(raw: str, vocab: CatalogVocabulary, shown: list[int], folded_message: str,
                    refers_to_shown: bool) -> int | None:
    """A movie the model named: "#2" of the shown list when the message refers to a shown movie
    ("the second one", "it"), a shown title, or a title the message contains (not a genre word)."""
    text = str(raw).strip()
    position = re.fullmatch(r"#?\s*(\d{1,2})", text)
    if position:
        index = int(position.group(1)) - 1
        if not refers_to_shown:
            logger.info("the chat model referred to shown movie #%s, but the message refers to none: dropped", index + 1)
            return None
        return shown[index] if 0 <= index < len(shown) else None
    if vocab.genre(text):
        return None  # "Thriller" is a genre here, whatever film carries the name
    movie_id = vocab.find_title(text)
    if movie_id is None:
        return None
    if movie_id in shown:
        return movie_id
    key = title_key(text)
    if key and re.search(rf"(?<![a-z0-9]){re.escape(_strip_article(key))}(?![a-z0-9])", folded_message):
        return movie_id
    logger.info("the chat model named %r, which the message does not contain: dropped", text)
    return None


# --- merge, events, description ------------------------------------------------------------------


def merge(parsed: FeedbackIntent, llm: FeedbackIntent | None) -> FeedbackIntent:
    """The parser's intent, with what the model found where the parser found nothing.

    On every field in ``parsed.sure`` the parser's value stands. The model may fill the other
    fields, but never with a genre or movie the parser placed elsewhere (a parser-sure "less
    Horror" is not undone by the model's "more Horror"), and years only when the parser read none.
    """
    if llm is None:
        return parsed.model_copy(deep=True)
    merged = parsed.model_copy(deep=True)
    for group in (GENRE_FIELDS, MOVIE_FIELDS):
        placed = {item for name in group if name in parsed.sure for item in getattr(parsed, name)}
        for name in group:
            if name in parsed.sure:
                continue
            extra = [item for item in getattr(llm, name) if item not in placed]
            setattr(merged, name, list(dict.fromkeys(getattr(parsed, name) + extra)))
    if not any(name in parsed.sure for name in YEAR_FIELDS):
        merged.years, merged.avoid_years = llm.years, llm.avoid_years
    if "wants_list" not in parsed.sure:
        merged.wants_list = parsed.wants_list or llm.wants_list
    if "rejects_list" not in parsed.sure:
        merged.rejects_list = llm.rejects_list
    merged.sure = set(parsed.sure)
    return merged


def understand(
    message: str,
    vocab: CatalogVocabulary,
    shown: Sequence[int] = (),
    chat_model: "BaseChatModel | None" = None,
) -> FeedbackIntent:
    """Read a message: the parser always, the chat model when one is given, merged (parser wins)."""
    parsed = parse_message(message, vocab, shown)
    if chat_model is None:
        return parsed
    return merge(parsed, extract_with_llm(message, chat_model, vocab, shown))


def intent_events(intent: FeedbackIntent, user_id: str, source: EventSource | str = EventSource.CHAT) -> list[Event]:
    """The tracking events an intent stands for (:meth:`Tracker.record` checks them before writing).

    liked → ``like``, disliked → ``dislike``, not_interested → ``not_interested``, seen → ``watch``;
    more/less genres → ``preference genre:X`` ±1; never → the same, -1 as a hard rule; years →
    ``preference years:A-B`` +1 (avoid_years -1); similar_to → ``preference movie:<id>`` +1 (more
    movies like it, without claiming the user watched it).
    """
    events: list[Event] = []

    def preference(attribute: str, value: float, hard: bool = False) -> None:
        events.append(Event.new(user_id, EventKind.PREFERENCE, attribute=attribute, value=value, hard=hard, source=source))

    for genre in intent.more_genres:
        preference(f"genre:{genre}", +1.0)
    for genre in intent.less_genres:
        preference(f"genre:{genre}", -1.0)
    for genre in intent.never_genres:
        preference(f"genre:{genre}", -1.0, hard=True)
    if intent.years:
        preference(f"years:{intent.years}", +1.0)
    if intent.avoid_years:
        preference(f"years:{intent.avoid_years}", -1.0)
    for movie_id in intent.similar_to:
        preference(f"movie:{int(movie_id)}", +1.0)
    for name, kind in (("liked", EventKind.LIKE), ("disliked", EventKind.DISLIKE),
                       ("not_interested", EventKind.NOT_INTERESTED), ("seen", EventKind.WATCH)):
        for movie_id in getattr(intent, name):
            events.append(Event.new(user_id, kind, movie_id=int(movie_id), source=source))
    return events


def _years_text(years: str) -> str:
    first, _, last = years.partition("-")
    return first if first == last or not last else f"{first}–{last}"


def _names(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(intent: FeedbackIntent, vocab: CatalogVocabulary) -> str:
    """What was understood, in one or two sentences ("Noted: fewer Horror, more Comedy from 1990–1999.").

    Empty when the message held no feedback and nothing was left unfound.
    """
    genre_parts: list[str] = []
    if intent.never_genres:
        genre_parts.append(f"never {_names(intent.never_genres)}")
    if intent.less_genres:
        genre_parts.append(f"fewer {_names(intent.less_genres)}")
    if intent.avoid_years:
        genre_parts.append(f"fewer from {_years_text(intent.avoid_years)}")
    if intent.more_genres or intent.years:
        more = f"more {_names(intent.more_genres)}" if intent.more_genres else "more movies"
        genre_parts.append(more + (f" from {_years_text(intent.years)}" if intent.years else ""))
    parts = [f"{intent.tone} ({', '.join(genre_parts)})"] if intent.tone and genre_parts else genre_parts
    movie_parts = (
        ("similar_to", "more like {}"), ("liked", "you liked {}"), ("disliked", "you didn't like {}"),
        ("seen", "you've seen {}"),
    )
    for name, template in movie_parts:
        if getattr(intent, name):
            parts.append(template.format(_names([vocab.label(m) for m in getattr(intent, name)])))
    if intent.rejects_list:
        parts.append(f"none of the {len(intent.not_interested)} shown")
    elif intent.not_interested:
        parts.append(f"not {_names([vocab.label(m) for m in intent.not_interested])}")
    sentences = ["Noted: " + ", ".join(parts) + "."] if parts else []
    for name in intent.not_found:
        sentences.append(f"I couldn't find a movie called “{name}” in {vocab.dataset}.")
    for said in intent.out_of_range:
        sentences.append(
            f"{vocab.dataset} has no movies for “{said}” (it spans {vocab.first_year}–{vocab.last_year})."
        )
    return " ".join(sentences)

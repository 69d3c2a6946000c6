"""What the reader matches against: the data set's genres, titles and years (:class:`CatalogVocabulary`),
and how text is folded so that case, accents and punctuation never decide a match."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from tracking.grounding import GENRE_NAMES, UNNAMEABLE_GENRES, genre_slug

if TYPE_CHECKING:
    from retrieval.movielens import Catalog
    from tracking.service import Tracker

FUZZY_CUTOFF = 88.0
"""rapidfuzz ratio (0–100) a misspelt title needs ("The Matrx" → The Matrix); exact keys are tried first."""
FUZZY_MIN_CHARS = 5
RUN_TOGETHER_SCORE = 88.0
"""Least rapidfuzz ratio between a phrase and a popular title, both without spaces, to link them."""
RUN_TOGETHER_MIN_CHARS = 9
"""Shorter titles are too easily close to everyday phrases to be linked this way."""
GLUED_MIN_CHARS = 7
"""A popular title written as one word ("ironman") is linked only from this length: shorter glued
forms ("upin") are as likely typos of other words."""
COMMON_ZIPF = 4.0
"""Words at least this frequent in English (wordfreq's Zipf scale: 4 = once per 10,000 words) are
everyday words: a lower-case title made only of them ("the others", "up") is not read as a title
without more evidence."""
TYPO_ZIPF = 2.0
"""Words rarer than this are not English words as typed: a misspelling worth correcting ("comdy")."""
GENRE_TYPO_SCORE = 80.0
"""rapidfuzz ratio a non-word needs against a genre word to be read as it ("comdy" / "comedy": 91)."""
RARE_TITLE_WORD_MAX_TITLES = 40
"""A title word shared by more titles than this is no clue to which title a misspelling means."""
POPULAR_TITLES = 1000
"""The most-rated titles people type in lower case from everyday words ("fight club", "home alone")."""
SAME_KIND_SHARE = 0.5
"""Share of genres (Jaccard) a film needs with a film titled by one everyday word to be its sequel."""
TYPO_TITLE_SHARE = 0.5
"""Share of a popular film's ratings a film needs for a typo to be put right into a word of its title."""
FRANCHISE_SHARE = 0.5
"""A series named as a whole counts films with this share of a popular title's ratings (the last
Hobbit film has 18 ratings in ml-latest-small, where popular starts at 26)."""


INITIALISM_MAX_ZIPF = {1: 0.0, 2: 0.0, 3: 2.3, 4: 2.6}
"""How common (Zipf) a fan's initialism of a title may be as an English word, by its letters (4: four or more):
none of one or two letters, three-letter ones rarer than four-letter ones ("fmj" 1.8, "tbl" 2.2; not "bar", "tsr")."""


ABBREVIATED_TITLES = {
    # what fans type → the title it stands for (where the catalog has it); a series' abbreviation names its
    # first film, so "lotr 2" is the second by the sequel machinery
    "lotr": "The Lord of the Rings: The Fellowship of the Ring", "fotr": "The Lord of the Rings: The Fellowship of the Ring",
    "ttt": "The Lord of the Rings: The Two Towers", "rotk": "The Lord of the Rings: The Return of the King",
    "t2": "Terminator 2: Judgment Day", "bttf": "Back to the Future", "tdk": "The Dark Knight",
    "esb": "Star Wars: Episode V - The Empire Strikes Back", "gotg": "Guardians of the Galaxy",
    "potc": "Pirates of the Caribbean: The Curse of the Black Pearl",
    "e t": "E.T. the Extra-Terrestrial",  # "E.T." (the reader turns an initialism's dots to spaces)
    "mulholland dr": "Mulholland Drive",  # its own title card's spelling
}


def is_comparative(word: str) -> bool:
    """``word`` compares with an English adjective in -y ("twistier", "gorier"): no misspelt title word."""
    found = _COMPARATIVE_RE.fullmatch(word)
    return bool(found) and zipf(found.group(1) + "y") >= TYPO_ZIPF


_FIRST_SOUND = {"k": "c", "q": "c", "p": "f", "z": "s"}
"""First letters that start the same sound in a misspelt genre word ("komedy", "phantasy", "zi-fi")."""
_COMPARATIVE_RE = re.compile(r"([a-z]{3,})i(?:er|est)")


@functools.lru_cache(maxsize=1 << 16)
def zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's Zipf frequency: 0 unknown … 7.7 "the")."""
    return zipf_frequency(word, "en")

# --- the vocabulary ------------------------------------------------------------------------------

GENRE_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    # genre slug → how a request describes the genre beyond its names (tracking.grounding.GENRE_NAMES),
    # folded (see fold): adjectives and looser phrases that a grounding check must not count as claims
    "action": ("action packed", "action-packed", "actioners", "actioner"),
    "adventure": ("adventurous",),
    "animation": ("animated",),
    "children": ("kid's", "kids'", "kid movie", "kid movies", "kid film", "kid films", "kid flicks", "kid stuff", "family friendly", "family-friendly", "for the whole family", "kiddie", "kiddy"),
    "comedy": ("comedic", "funny", "funnier", "hilarious", "humor", "humour", "laughs", "laugh", "something to laugh at",
               "jokey", "giggles"),
    "crime": ("crimes", "gangster", "gangsters", "heist", "heists", "mafia", "mob", "mobster", "mobsters"),
    "documentary": ("docs", "doc", "docu", "docudrama", "non-fiction", "nonfiction"),
    "drama": ("dramatic",),
    "fantasy": ("fantastical",),
    "horror": ("scary", "scarier", "spooky", "spookier", "slasher", "slashers", "frightening", "creepy", "creepier",
               "horrifying", "to be scared", "get scared"),
    "musical": ("singing and dancing", "song and dance", "sing-along", "singalong", "sing-alongs", "singalongs",
                "with singing", "with songs", "people bursting into song", "bursting into song", "break into song"),
    "mystery": ("mysterious", "detective story", "detective stories", "detective films", "detective movies",
                "detective flicks", "detective film", "detective movie"),
    "romance": ("romantic", "love story", "love stories"),
    "thriller": ("thrilling", "suspense", "suspenseful"),
    "western": ("cowboy", "cowboys"),
}
FOREIGN_GENRE_NAMES: dict[str, tuple[str, ...]] = {
    # genre slug → the names people mixing in French, German, Spanish, Portuguese or Hindi use, folded
    "adventure": ("avventura", "d'avventura", "aventura", "aventuras", "de aventura", "abenteuer", "abenteuerfilm",
                  "abenteuerfilme", "aventure", "d'aventure"),
    "animation": ("dessin anime", "dessins animes", "zeichentrick", "zeichentrickfilm", "zeichentrickfilme",
                  "dibujos animados", "animados", "desenhos animados", "desenhos", "animazione", "d'animazione",
                  "cartoni animati", "cartoni", "animacion", "animacao"),
    "children": ("pour enfants", "fur kinder", "kinderfilm", "kinderfilme", "infantil", "infantiles", "bachchon",
                 "per bambini", "per i bambini", "para ninos", "para criancas"),
    "comedy": ("comedie", "komodie", "komodien", "comedia", "comedias", "commedia", "commedie", "per ridere",
               "comici", "divertenti", "para reir", "para rir", "pour rire", "zum lachen"),
    "crime": ("policier", "policiers", "krimi", "krimis", "policial", "policiales", "policiaco", "poliziesco",
              "polizieschi", "di rapine", "di rapina", "di mafia", "mafiosi", "de mafia", "de gangsters"),
    "documentary": ("documentaire", "documentaires", "dokumentarfilm", "dokumentarfilme", "doku", "dokus",
                    "documental", "documentales", "documentario", "documentarios", "documentari"),
    "drama": ("drame", "drames", "dramen", "drammatico", "drammatici", "drammi", "dramas"),
    "fantasy": ("fantastique",),
    "horror": ("horreur", "horrorfilm", "horrorfilme", "horrorfilmen", "de terror", "darawni", "dell'orrore",
               "di paura", "che fanno paura", "d'epouvante"),
    "musical": ("comedie musicale", "comedies musicales"),
    "romance": ("romantique", "romantiques", "romantica", "romanticas", "romantico", "liebesfilm", "liebesfilme",
                "romantici", "romantiche", "romanticos", "d'amore", "de amor"),
    "scifi": ("ciencia ficcion", "ficcao cientifica", "fantascienza", "science-fiction", "ciencia-ficcion"),
    "war": ("de guerre", "kriegsfilm", "kriegsfilme", "de guerra", "di guerra", "bellici"),
    "western": ("far west",),
}
GENRE_ALIASES: dict[str, tuple[str, ...]] = {
    slug: GENRE_NAMES[slug] + GENRE_DESCRIPTIONS.get(slug, ()) + FOREIGN_GENRE_NAMES.get(slug, ()) for slug in GENRE_NAMES
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
    "seventies": 1970, "eighties": 1980, "nineties": 1990, "noughties": 2000, "naughties": 2000, "aughts": 2000,
    # the same in the languages people mix in, folded ("années 70", "años noventa", "80er")
    **{f"{word} {decade % 100:02d}": decade for decade in range(1920, 2000, 10)
       for word in ("annees", "anos", "jahre")},
    **{f"{decade % 100}er jahre": decade for decade in range(1920, 2000, 10)},
    **{f"{decade % 100}er": decade for decade in range(1920, 2000, 10)},
    "sechziger": 1960, "siebziger": 1970, "achtziger": 1980, "neunziger": 1990,
    "annees soixante": 1960, "annees soixante-dix": 1970, "annees quatre-vingt": 1980, "annees quatre-vingts": 1980,
    "annees quatre-vingt-dix": 1990, "anos sesenta": 1960, "anos setenta": 1970, "anos ochenta": 1980,
    "anos oitenta": 1980, "anos noventa": 1990,
}
ORDINALS = {
    "first": 0, "1st": 0, "top": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "forth": 3, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6, "eighth": 7, "8th": 7,
    "ninth": 8, "9th": 8, "tenth": 9, "10th": 9, "last": -1, "bottom": -1, "final": -1,
}
HINDI_ORDINALS = {"pehli": 0, "pehla": 0, "doosri": 1, "dusri": 1, "doosra": 1, "teesri": 2, "tisri": 2, "aakhri": -1}
"""Hindi ordinals in Latin letters: no English word, so a position even without an article ("teesri bakwas")."""
FOREIGN_ORDINALS = {
    # the few other languages' ordinals people mix in (with an article of their own: "die zweite")
    "primera": 0, "primero": 0, "primeiro": 0, "primeira": 0, "premier": 0, "premiere": 0, "erste": 0, "ersten": 0,
    "segunda": 1, "segundo": 1, "deuxieme": 1, "zweite": 1, "zweiten": 1, "tercera": 2, "tercero": 2, "terceiro": 2,
    "troisieme": 2, "dritte": 2, "dritten": 2, "cuarta": 3, "cuarto": 3, "quarto": 3, "quatrieme": 3, "vierte": 3,
    "vierten": 3, "quinta": 4, "quinto": 4, "cinquieme": 4, "funfte": 4, "funften": 4, "derniere": -1, "dernier": -1,
    "ultima": -1, "ultimo": -1, "letzte": -1, "letzten": -1, **HINDI_ORDINALS, "primo": 0, "prima": 0, "secondo": 1,
    "seconda": 1, "terzo": 2, "terza": 2, "quarta": 3,
}
ORDINALS.update(FOREIGN_ORDINALS)
LEADING_ARTICLES = ("the", "a", "an", "le", "la", "les", "l", "el", "il", "lo", "los", "las", "der", "die", "das",
                    "un", "une")
SINGLE_WORD_NOT_TITLES = {
    "it", "this", "that", "them", "those", "these", "one", "ones", "something", "anything", "everything",
    "nothing", "all", "both", "more", "less", "some", "movies", "movie", "films", "film", "when", "what",
    "how", "why", "where", "who", "stuff", "things", "watching", "seeing", "you", "me", "him", "her", "us",
    "there", "here", "so", "very", "much", "lot", "lots", "and", "or", "but", "the", "a", "an", "to",
}


def spans_between(separators: "re.Pattern[str]", text: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches of ``text`` between matches of ``separators`` (empty ones left out)."""
    spans, position = [], 0
    for match in separators.finditer(text):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < len(text):
        spans.append((position, len(text)))
    return spans


def fold(text: str) -> str:
    """Lower case, accents dropped, curly quotes and dashes made plain, the full stop of a title's
    abbreviation a space ("Dr. Strangelove", "Mr. Fox": no sentence ends there), one character for
    each character (so positions in the folded text are positions in the message)."""
    return _ABBREVIATION_DOT_RE.sub(r"\1 ", "".join(_fold_char(c) for c in text))


_ABBREVIATION_DOT_RE = re.compile(r"\b(dr|mr|mrs|ms|st|jr|sr|vs|mt)\.(?=\s*[a-z])")


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
    key = fold(text).replace("&", " and ").replace("'", "")
    key = re.sub(r"[^a-z0-9]+", " ", key)
    key = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", key)
    return " ".join(key.split())


_DIGITS_RE = re.compile(r"\d+")


def same_digits(a: str, b: str) -> bool:
    """Whether two titles hold the same numbers: fuzzy matching may not turn "deadpool 1" into "deadpool 2"."""
    return _DIGITS_RE.findall(a) == _DIGITS_RE.findall(b)


def strip_article(key: str) -> str:
    first, _, rest = key.partition(" ")
    return rest if first in LEADING_ARTICLES and rest else key


ENGLISH_ARTICLES = ("the", "a", "an")
"""The articles of :data:`LEADING_ARTICLES` that an English title's first word can only be."""


def _without_english_article(key: str) -> str:
    """A title key without an English article only ("die hard" keeps its "die": no German "Hard")."""
    first, _, rest = key.partition(" ")
    return rest if first in ENGLISH_ARTICLES and rest else key


def _series_key(title: str) -> str:
    """A title's key for finding its series (:func:`_without_english_article`: the sequels of "Die Hard"
    start with "die hard")."""
    return _without_english_article(title_key(title))


def alternative_titles(title: str) -> list[str]:
    """The other names a catalog title gives in parentheses: "Amelie (Fabuleux destin d'Amélie Poulain, Le)"
    → ["Le Fabuleux destin d'Amélie Poulain"], "(a.k.a. Harry Potter and the Philosopher's Stone)" → its name."""
    names = []
    for inner in re.findall(r"\(([^()]*)\)", title):
        inner = re.sub(r"^\s*a\.?k\.?a\.?\s*", "", inner, flags=re.IGNORECASE)
        moved = re.match(r"^(.*),\s*(\w+'?)$", inner)  # "Destin d'Amélie, Le" → "Le Destin d'Amélie"
        alternative = f"{moved.group(2)} {moved.group(1)}" if moved else inner
        if len(title_key(alternative).split()) > 1 or zipf(title_key(alternative)) < COMMON_ZIPF:
            names.append(alternative)  # "(Not)" inside "You Are (Not) Alone" is no alternative title
    return names


def _without_alternatives(title: str) -> str:
    """The title without its alternative names: "Amelie (Fabuleux destin d'Amélie Poulain, Le)" → "Amelie"."""
    return re.sub(r"\s*\([^()]*\)", "", title).strip()


def _title_parts(main: str) -> list[str]:
    """A title split at its subtitle marks: "Star Wars: Episode IV - A New Hope" → the three parts."""
    return re.split(r":|\s-\s", main)


def _title_variants(title: str) -> tuple[list[str], list[str]]:
    """Keys of one catalog title: exact names (tier 0) and franchise parts (tier 1).

    "Amelie (Fabuleux destin d'Amélie Poulain, Le)" gives "amelie", "le fabuleux destin d amelie
    poulain", ...; "Star Wars: Episode IV - A New Hope" gives the whole and, at tier 1, "star wars"
    and "a new hope"; "Indiana Jones and the Last Crusade" "indiana jones" and "last crusade".
    """
    names = [title, *alternative_titles(title)]
    main = _without_alternatives(title)
    names.append(main)
    exact = {strip_article(k) for name in names if (k := title_key(name))} | {title_key(n) for n in names}
    exact |= {numbered for key in exact if (numbered := _numbered(key)) != key}
    parts = _title_parts(main)
    named = re.match(r"^(\S+\s+\S+.*?)\s+and\s+the\s+(\S+\s+\S+.*)$", parts[0])
    if named:  # "Indiana Jones and the Temple of Doom": people say "temple of doom"
        parts = [named.group(1), named.group(2), *parts[1:]]
    franchise = {strip_article(k) for part in parts if len(parts) > 1 and (k := title_key(part))}
    # a film named after its maker, said without them: "Monty Python's Life of Brian", "Tim Burton's Corpse Bride"
    owned = re.match(r"^(?!(?:The|A|An|Long|Last|Big|Guess|Look|To)\s)[A-Z][a-z.]+\s+(?!(?:Who|What|That|It|There|Here|Let)'s)"
                     r"[A-Z][a-z]+'s\s+([A-Z]\S*\s+\S+.*)$", main)
    if owned:
        franchise.add(strip_article(title_key(owned.group(1))))
    franchise |= {_numbered(k) for k in franchise}
    franchise = {k for k in franchise if any(w not in _SEQUEL_WORDS and w not in _ROMAN and not w.isdigit() for w in k.split())}
    return sorted(k for k in exact if k), sorted(k for k in franchise - exact if k)


_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
          "two": "2", "three": "3", "four": "4", "five": "5", "eleven": "11", "twelve": "12", "thirteen": "13"}
_SEQUEL_WORDS = {"part", "pt", "vol", "volume", "chapter", "episode", "ep"}
_TITLE_NUMBER_RE = re.compile(rf"\s+(?:(?:part|pt|vol|volume|chapter|episode|ep)\s+(\d|i|{'|'.join(_ROMAN)})|"
                              rf"(\d|ii|iii|iv|vi|vii|viii|v(?=\s*$)))(?!\w)")
"""A sequel's number right after the series' name in a title key (" episode v the empire strikes back",
" part iii", " 2"; a bare "v" only ending the title: "Rocky V")."""
DICTATED_NUMBERS = {"too": "2", "to": "2", "for": "4", "won": "1"}
"""Numbers as dictation writes them, read only after a sequel word ("part too", "volume for")."""


def _number_value(said: str) -> int:
    """The value of a number in a title key: "3", "iii", "three"; "i" only here ("Episode I"), as
    :data:`_ROMAN` leaves it out for the pronoun."""
    return int(said) if said.isdigit() else 1 if said == "i" else int(_ROMAN[said])


def _numbered(key: str) -> str:
    """A title key as people number sequels: "godfather part ii" → "godfather 2", "kill bill vol 1" → "kill bill 1"."""
    words = key.split()
    out = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in _SEQUEL_WORDS and (following.isdigit() or following in _ROMAN or following in DICTATED_NUMBERS):
            continue
        after_sequel_word = index and words[index - 1] in _SEQUEL_WORDS
        if after_sequel_word and word in DICTATED_NUMBERS:
            word = DICTATED_NUMBERS[word]
        out.append(_ROMAN.get(word, word) if index and (after_sequel_word or index == len(words) - 1) else word)
    return " ".join(out)


def sequel_key(key: str) -> str:
    """A message's words as :func:`_numbered` writes title keys ("godfather pt 2" → "godfather 2")."""
    return _numbered(key)


DESCRIBING_NAME_ZIPF = 3.0
"""A part of a name tag rarer than this in English names the movie alone ("keanu" of "Keanu Reeves"; "freeman" and
"tarantino" are not that rare)."""


def _tags_of(movies: pd.DataFrame) -> list[tuple[str, ...]]:
    """Each movie's tags, folded ("Quentin Tarantino" → "quentin tarantino"); empty where the table has none."""
    if "tags" not in movies:
        return []
    return [tuple(" ".join(fold(str(t)).split()) for t in (tags if isinstance(tags, (list, tuple, np.ndarray)) else ()))
            for tags in movies["tags"]]


@dataclass
class CatalogVocabulary:
    """What the parser matches against: the data set's genres, titles and year span.

    Attributes:
        dataset: The data set's name (said in messages).
        genres: Genre labels, in the data set's order.
        movie_ids, titles, years, popularity: One entry per catalog movie (``years`` NaN when unknown).
        movie_genres: One entry per catalog movie, its genre labels ("the cartoon one" is the card
            of that genre); empty when not given.
        movie_tags: One entry per catalog movie, the tags users gave it ("the morgan freeman one" is the card
            so tagged); empty when not given. Only matched, never shown.
    """

    dataset: str
    genres: list[str]
    movie_ids: np.ndarray
    titles: list[str]
    years: np.ndarray
    popularity: np.ndarray
    movie_genres: list[tuple[str, ...]] = field(default_factory=list)
    movie_tags: list[tuple[str, ...]] = field(default_factory=list)
    _keys: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _fuzzy: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _row_of: dict[int, int] = field(default_factory=dict, repr=False)
    _word_keys: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._row_of = {int(m): i for i, m in enumerate(self.movie_ids.tolist())}
        for row, title in enumerate(self.titles):
            exact, franchise = _title_variants(title)
            for tier, keys in ((0, exact), (1, franchise)):
                for key in keys:
                    self._keys.setdefault(key, []).append((tier, row))
        for short, title in ABBREVIATED_TITLES.items():
            self._keys.setdefault(short, []).extend((0, row) for tier, row in self._keys.get(title_key(title), ()) if tier == 0)
            if not self._keys[short]:
                del self._keys[short]  # a catalog without the film (ml-100k has no Lord of the Rings)
        # a possessive is said without its "s" as often as with it: "ferris bueller" for "Ferris Bueller's Day Off"
        possessed = {stem for title in self.titles for stem in re.findall(r"([a-z]+)'s\b", fold(title))}
        for key, entries in self._keys.items():
            if any(tier == 0 for tier, _ in entries) and len(key) >= FUZZY_MIN_CHARS:
                self._fuzzy.setdefault(len(key), []).append(key)
            for word in set(key.split()):  # franchise parts too: "terminater 2" is close to "terminator 2"
                self._word_keys.setdefault(word, []).append(key)
                if word.endswith("s") and word[:-1] in possessed:
                    self._word_keys.setdefault(word[:-1], []).append(key)
        self._word_keys = {w: keys for w, keys in self._word_keys.items()
                           if len(keys) <= RARE_TITLE_WORD_MAX_TITLES and len(w) >= 3}
        self.first_words = {key.split()[0] for key in self._keys}
        ranked = np.sort(self.popularity)[::-1]
        self.popular_at = float(ranked[min(len(ranked) - 1, POPULAR_TITLES)]) if len(ranked) else 0.0
        self._initialisms = self._fans_initialisms()
        self.max_key_words = max((len(key.split()) for key in self._keys), default=1)
        known = self.years[~np.isnan(self.years)]
        self.first_year = int(known.min()) if len(known) else 1900
        self.last_year = int(known.max()) if len(known) else 2020
        self._genre_of_slug = {genre_slug(g): g for g in self.genres if genre_slug(g) not in UNNAMEABLE_GENRES}
        self._genre_words = sorted({a for slug, aliases in GENRE_ALIASES.items() if slug in self._genre_of_slug
                                    for a in aliases if " " not in a and len(a) >= 4}
                                   | {c for c in COMPOUND_ALIASES if " " not in c})

    @classmethod
    def from_tracker(cls, tracker: "Tracker") -> "CatalogVocabulary":
        """The vocabulary of a tracker's catalog (the movies its model can recommend); popularity =
        ratings per movie, as :meth:`from_catalog` counts it, so the chat reads titles as the
        understanding benchmark measures."""
        movies = tracker.movies
        return cls(
            dataset=tracker.settings.dataset,
            genres=list(tracker.features.genre_vocabulary),
            movie_ids=movies["movie_id"].to_numpy(dtype=np.int64),
            titles=movies["title"].tolist(),
            years=movies["year"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan),
            popularity=tracker.rating_counts,
            movie_genres=[tuple(g) for g in movies["genres"]],
            movie_tags=_tags_of(movies),
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
            movie_genres=[tuple(g) for g in movies["genres"]],
            movie_tags=_tags_of(movies),
        )

    # --- genres and years

    def genre_of_slug(self, slug: str) -> str | None:
        """The data set's label for a genre slug ("scifi" → "Sci-Fi"), None when it has no such genre."""
        return self._genre_of_slug.get(slug)

    def genre(self, text: str) -> list[str]:
        """The data set's genres a phrase names ("comedies" → Comedy, "romcom" → Romance, Comedy)."""
        phrase = " ".join(fold(text).replace("_", " ").split())
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
        if dated and (dated.group(1) in self._keys or strip_article(dated.group(1)) in self._keys):
            key, year = dated.group(1), int(dated.group(2))
        entries = self._keys.get(key, []) + self._keys.get(strip_article(key), [])
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
        key = strip_article(title_key(text))
        best = self.closest_key(key)
        return self.exact_title(best) if best else None

    def closest_key(self, key: str, cutoff: float = FUZZY_CUTOFF) -> str | None:
        """The catalog title key closest to ``key`` (rapidfuzz ratio ≥ ``cutoff``; ties: most popular)."""
        if len(key) < FUZZY_MIN_CHARS:
            return None
        pool = [k for n in range(int(len(key) * 0.8), int(len(key) * 1.25) + 2) for k in self._fuzzy.get(n, [])]
        digits = _DIGITS_RE.findall(key)
        if digits:  # "deadpool 1" is not a misspelt "deadpool 2"
            pool = [k for k in pool if self._key_digits[k] == digits]
        close = process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
        if not close:
            return None
        return max(close, key=lambda match: (round(match[1], 1), max(self.popularity[row] for _, row in self._keys[match[0]])))[0]

    @functools.cached_property
    def _key_digits(self) -> dict[str, list[str]]:
        """The numbers in each title key, found once (:meth:`closest_key` compares them for every candidate)."""
        return {key: _DIGITS_RE.findall(key) for key in self._keys}

    @functools.cached_property
    def _same_but_spaces(self) -> dict[str, list[str]]:
        """Title keys that differ only by their spaces, by the key without spaces ("oldboy", "old boy")."""
        groups: dict[str, list[str]] = {}
        for key in self._keys:
            groups.setdefault(key.replace(" ", ""), []).append(key)
        return {compact: keys for compact, keys in groups.items() if len(keys) > 1}

    def movies_for_key(self, key: str) -> list[int]:
        """The movies a title key names, exact titles before franchise parts, then most popular first.
        Titles spelt the same but for spaces count as one ("Oldboy" also names the better-known "Old Boy")."""
        entries = self._keys.get(key, []) + self._keys.get(strip_article(key), [])
        for other in self._same_but_spaces.get(strip_article(key).replace(" ", ""), ()):
            entries += self._keys.get(other, [])
        ranked = sorted(set(entries), key=lambda entry: (entry[0], -self.popularity[entry[1]], entry[1]))
        return list(dict.fromkeys(int(self.movie_ids[row]) for _, row in ranked))

    def series_of(self, movie_id: int, everyday_title: bool = False) -> list[int]:
        """The popular films of the series a film belongs to, by year: those whose title (or one of its
        alternative titles: "Raiders of the Lost Ark (Indiana Jones and the Raiders of the Lost Ark)")
        starts with the longest run of its title's first words that at least two popular titles share
        ("harry potter", "pirates of the caribbean", "deadpool"); [] when it belongs to none.

        Args:
            everyday_title: Also a series named by one everyday word (:meth:`_series`): "The Matrix",
                "Alien". For words that can only count a series ("matrix 2", "the original"), not a
                plain "the third one", which as often means a card (and "Alien"'s series misses "Aliens").
        """
        return self._series(movie_id, everyday_title=everyday_title)[1]

    def franchise(self, name: str) -> list[int]:
        """The films of the series a user names as a whole ("the lotr trilogy", "all the hobbit films",
        "the matrix sequels"), by year: the films whose title (or alternative title) starts with
        ``name`` (a title key), or with the title ``name`` stands for ("lotr"), counted among films with
        :data:`FRANCHISE_SHARE` of a popular film's ratings (a trilogy's last part is often less rated);
        [] when fewer than two films share it, or when ``name`` is one everyday word that is no film's
        whole title ("star": "the matrix" and "rocky" are)."""
        name = _without_english_article(name)
        members = self._franchise_prefixes.get(name, set())
        if not members and self.is_key(name):  # a fan's name for the first film: "lotr", "fotr"
            prefix, _ = self._series(self.movies_for_key(name)[0], franchise=True)
            members = self._franchise_prefixes.get(prefix, set()) if prefix else set()
        if len(members) < 2 or (" " not in name and zipf(name) >= COMMON_ZIPF and name not in self._franchise_whole):
            return []
        # a part shares a genre with the series' best-known film ("Rocky Horror" is no Rocky film)
        anchor = max(members, key=lambda m: (self.popularity_of(m), -m))
        genres = set(self.genres_of(anchor))
        parts = [m for m in members if not genres or genres & set(self.genres_of(m))]
        return sorted(parts, key=lambda m: (self.year_of(m) or 0, m)) if len(parts) >= 2 else []

    def prequels(self, series: list[int]) -> list[int]:
        """The parts of a series (by year) whose number is below its first film's ("Star Wars: Episode
        IV" came first; Episodes I–III are its prequels); [] when the first film carries no number."""
        first = series[0]
        number = next((n for n in range(2, 10) if self.numbered_in_series(first, n) == first), None)
        if number is None:
            return []
        return [m for n in range(1, number) if (m := self.numbered_in_series(first, n)) is not None and m in series]

    @functools.cached_property
    def _franchise_prefixes(self) -> dict[str, set[int]]:
        """Every run of first words of a series key (:attr:`_franchise_keys`) → the films whose key starts with it."""
        index: dict[str, set[int]] = {}
        for key, movie_id in self._franchise_keys:
            words = key.split()
            for size in range(1, len(words) + 1):
                index.setdefault(" ".join(words[:size]), set()).add(movie_id)
        return index

    @functools.cached_property
    def _franchise_whole(self) -> set[str]:
        """The whole series keys of :attr:`_franchise_keys` (a film titled by one everyday word: "matrix")."""
        return {key for key, _ in self._franchise_keys}

    @functools.cached_property
    def _series_found(self) -> dict[tuple[int, bool, bool], tuple[str, tuple[int, ...]]]:
        """:meth:`_series` by (movie, ``everyday_title``, ``franchise``): a message asks it of one film several
        times (a sequel by number, by subtitle, by "the sequel"; a "part 2" of each card on screen), and a series
        takes a millisecond or more to find ("The Matrix": 6 ms)."""
        return {}

    def _series(self, movie_id: int, franchise: bool = False, everyday_title: bool = True) -> tuple[str, list[int]]:
        """(the words the series' titles start with, its films by year) of :meth:`series_of`, among the popular
        films' keys, or with ``franchise`` among those with half a popular film's ratings; remembered for each film."""
        asked = (int(movie_id), everyday_title, franchise)
        if asked not in self._series_found:
            keys = self._franchise_keys if franchise else self._series_keys
            prefix, members = self._find_series(movie_id, keys, everyday_title)
            self._series_found[asked] = (prefix, tuple(members))
        prefix, members = self._series_found[asked]
        return prefix, list(members)

    def _find_series(self, movie_id: int, popular: list[tuple[str, int]], everyday_title: bool) -> tuple[str, list[int]]:
        """:meth:`_series` among the titles ``popular``, computed."""
        words = _series_key(self.main_title(movie_id)).split()
        for size in range(len(words), 0, -1):
            prefix = " ".join(words[:size])
            if words[size - 1] in _SEQUEL_WORDS:
                continue  # "godfather part" leaves out The Godfather itself
            members = list(dict.fromkeys(m for key, m in popular if key == prefix or key.startswith(prefix + " ")))
            if size == 1 and zipf(prefix) >= COMMON_ZIPF:
                if not everyday_title:
                    break  # "the", "star", "love": a common first word makes no series
                # ... unless it is the first film's whole title and the others, later, are its kind of film
                # ("The Matrix Reloaded"; not "Big Fish" after "Big")
                first = [m for key, m in popular if key == prefix]
                members = [m for m in members if first and self._same_kind(first[0], m)
                           and (self.year_of(m) or 0) >= (self.year_of(first[0]) or 0)]  # "Blade Runner" is older than "Blade"
                if len(members) < 2 or movie_id not in members:
                    break
            if len(members) >= 2 and movie_id in members:
                return prefix, sorted(members, key=lambda m: (self.year_of(m) or 0, m))
        return "", []

    def series_subtitles(self, movie_id: int) -> dict[str, int]:
        """The words that tell the films of ``movie_id``'s series apart, as title keys, each with its
        film: what follows the series' name and number ("alien resurrection" → "resurrection", "star wars
        episode i the phantom menace" → "the phantom menace" and "phantom menace"), and that tail's last
        word where it is no everyday word ("azkaban", "reloaded"). A word two films share ("hallows") is
        no one's; {} when the film belongs to no series."""
        prefix, series = self._series(movie_id, everyday_title=True)
        said: dict[str, set[int]] = {}
        for member in series:
            for key in self._keys_of(member):
                if not key.startswith(prefix):
                    continue
                tail = key[len(prefix):]
                number = _TITLE_NUMBER_RE.match(tail)
                words = (tail[number.end():] if number else tail).split()
                if not words:
                    continue
                names = {" ".join(words), _without_english_article(" ".join(words))}
                if len(words[-1]) >= 5 and zipf(words[-1]) < COMMON_ZIPF:
                    names.add(words[-1])
                for name in names:
                    said.setdefault(name, set()).add(member)
        return {name: next(iter(members)) for name, members in said.items() if len(members) == 1 and name}

    def _same_kind(self, movie_id: int, other: int) -> bool:
        """Whether two films share most of their genres (Jaccard at least :data:`SAME_KIND_SHARE`)."""
        a, b = set(self.genres_of(movie_id)), set(self.genres_of(other))
        return bool(a | b) and len(a & b) / len(a | b) >= SAME_KIND_SHARE

    def numbered_in_series(self, movie_id: int, number: int, by_title_only: bool = False) -> int | None:
        """The film of ``movie_id``'s series said with ``number`` ("star wars 5", "godfather 3"): the one
        whose title carries that number right after the series' name ("Star Wars: Episode V", "The
        Godfather: Part III"; not "Deathly Hallows: Part 1") where there is one, else the
        ``number``-th by year; None when there is no such film.

        A sequel less rated than a popular film ("Rocky V") is found among the films with half a popular film's
        ratings, by the number in its title only, before any count by year ("rocky 3" is Rocky III, not the third
        popular Rocky film); one rated less still ("Deadpool 2" in a catalog that ends in 2018) by its title
        said as the film's name and the number, as a user would type it.

        Args:
            by_title_only: Only a film whose title carries the number (no count by year).
        """
        prefix, series = self._series(movie_id)
        found = self._numbered_among(prefix, series, number, by_title_only=True)
        if found is None:  # "rocky 4 slaps. 5 doesnt": Rocky V is less rated than the popular parts
            franchise_prefix, franchise = self._series(movie_id, franchise=True)
            found = self._numbered_among(franchise_prefix, franchise, number, by_title_only=True)
        if found is None:  # "deadpool 1 was hilarious. 2 was kinda mid": the title the user would type, however rated
            typed = self.movies_for_key(sequel_key(f"{_series_key(self.main_title(movie_id))} {number}"))
            found = typed[0] if typed and typed[0] != movie_id else None
        if found is None and not by_title_only:
            found = self._numbered_among(prefix, series, number, by_title_only=False)
        return found

    def _numbered_among(self, prefix: str, series: list[int], number: int, by_title_only: bool) -> int | None:
        numbered: dict[int, int] = {}  # member → the number its title carries after the series' name
        for member in series:
            for key in self._keys_of(member):
                said = _TITLE_NUMBER_RE.match(key[len(prefix):]) if key.startswith(prefix) else None
                if not said:
                    continue
                value = _number_value(said.group(1) or said.group(2))
                if value == number:
                    return member
                numbered.setdefault(member, value)
        by_year = series[number - 1] if 1 <= number <= len(series) and not by_title_only else None
        # not a film whose title says another number ("jurassic park 2" is not Jurassic Park III, whose
        # sequel before it, "The Lost World: Jurassic Park", does not start with the series' name)
        return None if by_year in numbered else by_year

    def _keys_of(self, movie_id: int) -> list[str]:
        """Series keys (:func:`_series_key`) of the film's main title and of its alternative titles."""
        names = [self.main_title(movie_id), *alternative_titles(self.titles[self._row_of[int(movie_id)]])]
        return [_series_key(name) for name in names]

    def _keys_rated(self, at_least: float) -> list[tuple[str, int]]:
        """(series key, movie id) of every title of the movies with at least ``at_least`` ratings."""
        return [(key, int(m)) for m, pop in zip(self.movie_ids.tolist(), self.popularity.tolist())
                if pop >= at_least for key in self._keys_of(int(m))]

    @functools.cached_property
    def _series_keys(self) -> list[tuple[str, int]]:
        """(series key, movie id) of every popular movie's main and alternative titles."""
        return self._keys_rated(max(self.popular_at, 1.0))

    @functools.cached_property
    def _franchise_keys(self) -> list[tuple[str, int]]:
        """(series key, movie id) of the movies with half a popular movie's ratings (:meth:`franchise`)."""
        return self._keys_rated(max(self.popular_at * FRANCHISE_SHARE, 1.0))

    @functools.cached_property
    def _popular_keys(self) -> list[tuple[str, int]]:
        """(title key without its article, movie id) of every popular movie."""
        return [(strip_article(title_key(self.main_title(int(m)))), int(m))
                for m, pop in zip(self.movie_ids.tolist(), self.popularity.tolist()) if pop >= max(self.popular_at, 1.0)]

    @functools.cached_property
    def popular_title_words(self) -> frozenset[str]:
        """The words (four letters or more) of the titles of films with half a popular film's ratings or more:
        what a typo may have meant ("srhek", "lord of the rnigs", "metrpolis")."""
        return frozenset(word for key, _ in self._keys_rated(max(self.popular_at * TYPO_TITLE_SHARE, 1.0))
                         for word in key.split() if len(word) >= 4 and word.isalpha())

    @functools.cached_property
    def _compact_popular(self) -> dict[str, list[tuple[str, str]]]:
        """Popular title keys without their article, written without spaces, by first letter."""
        index: dict[str, list[tuple[str, str]]] = {}
        for key, movie_id in self._popular_keys:
            compact = key.replace(" ", "")
            if len(compact) >= RUN_TOGETHER_MIN_CHARS:
                index.setdefault(compact[0], []).append((compact, key))
        return index

    @functools.cached_property
    def _glued_popular(self) -> dict[str, str]:
        """Popular titles of two or more words written as one ("ironman", "toystory"), to their key."""
        glued: dict[str, str] = {}
        for key, _ in self._popular_keys:
            bare = strip_article(key)
            if " " in bare and len(bare.replace(" ", "")) >= GLUED_MIN_CHARS:
                glued.setdefault(bare.replace(" ", ""), key)
        return glued

    def glued_key(self, word: str) -> str | None:
        """The popular title ``word`` writes without its spaces ("ironman" → "iron man"), else None."""
        return self._glued_popular.get(word)

    def run_together_key(self, said: str, cutoff: float = RUN_TOGETHER_SCORE) -> str | None:
        """The popular title ``said`` spells with its spaces, letters or words a little off ("ground hog
        day", "spirited a way", "their will be blood", "ratatooey"); None when none is this close.
        Digits must agree ("deadpool 1" is not "deadpool 2")."""
        compact = strip_article(said).replace(" ", "")
        if len(compact) < RUN_TOGETHER_MIN_CHARS:
            return None
        pool = [(c, k) for c, k in self._compact_popular.get(compact[0], ()) if abs(len(c) - len(compact)) <= len(compact) // 4]
        best = process.extractOne(compact, [c for c, _ in pool], scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        key = pool[best[2]][1]
        return key if same_digits(key, said) else None

    def genres_of(self, movie_id: int) -> tuple[str, ...]:
        """The movie's genre labels (none when the vocabulary was built without them)."""
        row = self._row_of.get(int(movie_id))
        return self.movie_genres[row] if row is not None and row < len(self.movie_genres) else ()

    def tags_of(self, movie_id: int) -> tuple[str, ...]:
        """The tags users gave the movie (none when the vocabulary was built without them)."""
        row = self._row_of.get(int(movie_id))
        return self.movie_tags[row] if row is not None and row < len(self.movie_tags) else ()

    def described_by(self, movie_id: int, said: str, whole_tag: bool = False) -> bool:
        """Whether the words name one of the movie's tags (a plural for a singular: "the robot one" of a film
        tagged "robots"), or a rare part of a name tag ("tarantino" of "Quentin Tarantino"; not "king" of
        "Stephen King", an everyday word). ``whole_tag``: only the first."""
        said = " ".join(fold(said).split())
        forms = {said, said + "s", said + "es", said.removesuffix("s")} if len(said) >= 3 else {said}
        for tag in self.tags_of(movie_id):
            parts = tag.split()
            if tag in forms or (not whole_tag and len(parts) in (2, 3) and said in parts and len(said) >= 4
                                and zipf(said) < DESCRIBING_NAME_ZIPF):
                return True
        return False

    def year_of(self, movie_id: int) -> int | None:
        year = self.years[self._row_of[int(movie_id)]]
        return None if np.isnan(year) else int(year)

    def main_title(self, movie_id: int) -> str:
        """The title without its alternative names: "Amelie (Fabuleux destin d'Amélie Poulain, Le)" → "Amelie"."""
        return _without_alternatives(self.titles[self._row_of[int(movie_id)]])

    def _fans_initialisms(self) -> dict[str, int]:
        """The first letters of a popular title's words ("tdkr", "obwat", "fmj"; with and without its article: "tbl"),
        or of its subtitle's ("rotj" for "Star Wars: Episode VI - Return of the Jedi"), where only one popular film
        has them, no title is spelt so, and they are hardly an English word (not "low" for Lord of War)."""
        found: dict[str, set[int]] = {}
        for row in np.flatnonzero(self.popularity >= max(self.popular_at, 1.0)).tolist():
            main = _without_alternatives(self.titles[row])
            for name in {main, *_title_parts(main)[1:]}:
                if re.search(r"\d", name):
                    continue  # "12 Angry Men", "Terminator 2": numbers are said as numbers
                words = [w for w in (re.sub(r"[^a-z]", "", w) for w in re.sub(r"'s\b", "", fold(name)).split()) if w]
                for first in (0, 1) if words[:1] and words[0] in ENGLISH_ARTICLES else (0,):
                    letters = "".join(w[0] for w in words[first:])
                    found.setdefault(letters, set()).add(row)
        return {letters: int(self.movie_ids[rows.pop()]) for letters, rows in found.items()
                if len(rows) == 1 and letters not in self._keys and zipf(letters) < INITIALISM_MAX_ZIPF[min(len(letters), 4)]}

    def initialism(self, word: str) -> int | None:
        """The popular film a fan's initialism stands for ("tdkr": The Dark Knight Rises), None for any other word."""
        return self._initialisms.get(word)

    def popularity_of(self, movie_id: int) -> float:
        return float(self.popularity[self._row_of[int(movie_id)]])

    def genre_like(self, word: str) -> list[str]:
        """The genres a misspelt genre word means ("comdy", "thriler", "horor"); [] for English words."""
        if len(word) < 5 or zipf(word) >= TYPO_ZIPF:
            return []
        # a misspelling keeps the first sound: "komedy" and "fantasy" spelt "phantasy" are genres, "gestern"
        # (German "yesterday") is no misspelt western
        same_start = [g for g in self._genre_words if _FIRST_SOUND.get(g[0], g[0]) == _FIRST_SOUND.get(word[0], word[0])]
        close = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=GENRE_TYPO_SCORE)
        return self.genre(close[0]) if close else []

    def is_key(self, key: str, tier: int = 0) -> bool:
        """Whether ``key`` (see :func:`title_key`) is a whole catalog title or an alternative title
        (tier 0), or also a part of one ("phantom menace", tier 1)."""
        return any(t <= tier for t, _ in self._keys.get(key, ()))

    def is_popular(self, movie_id: int) -> bool:
        return self.popularity_of(movie_id) >= max(self.popular_at, 1.0)

    def keys_with_word(self, word: str) -> list[str]:
        """Title keys holding ``word``, when few titles do (a clue to a misspelt title)."""
        return self._word_keys.get(word, [])

    def title_words_like(self, word: str, cutoff: float = 80.0) -> list[str]:
        """Rare title words spelt like ``word`` ("jurrasic" → "jurassic")."""
        return [match[0] for match in process.extract(word, self._word_keys.keys(), scorer=fuzz.ratio,
                                                      score_cutoff=cutoff, limit=3)]

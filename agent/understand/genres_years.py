"""Genres and eras in a message, each with its direction (more, less, never), clause by clause."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from agent.understand.intent import GENRE_FIELDS, FeedbackIntent
from agent.understand.vocabulary import COMPOUND_ALIASES, DECADE_WORDS, GENRE_ALIASES, CatalogVocabulary

if TYPE_CHECKING:
    from agent.understand.reader import Reader

RECENT_YEARS = 5
""""recent" / "new movies": the catalog's last five years (1994–1998 in ml-100k)."""
OLD_BEFORE = 1970
""""old" / "classic": before this year."""
LIGHTER_LESS = ("Drama", "Horror", "Thriller", "War")
LIGHTER_MORE = ("Comedy",)
DARKER_MORE = ("Drama", "Thriller")
DARKER_LESS = ("Comedy", "Children", "Animation")

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

TIME_CUE_RE = re.compile(
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
DECADE_RE = re.compile(
    r"(?<![a-z\d])(?:(early|mid|late)[- ]?)?(?:the\s+)?(?:(1[89]\d)0|(20[0-2])0|'?(\d)0)'?s(?![a-z])"
)
DECADE_WORD_RE = re.compile(r"(?<![a-z])(?:(early|mid|late)[- ]?)?(" + "|".join(DECADE_WORDS) + r")(?![a-z])")
_YEAR_RE = re.compile(r"(?<![a-z])(?:from|in|of|around|circa|made in|released in)\s+(1[89]\d\d|20\d\d)(?![\d'])")
_RECENT_RE = re.compile(
    r"(?<![a-z])(?:recent|recently released|newer|newest|latest|modern|contemporary|new (?:movies?|films?|releases?|"
    r"stuff|ones))(?![a-z])"
)
_OLD_RE = re.compile(
    r"(?<![a-z])(?:older|oldies|classics?|golden age|black and white|old[- ]school|old (?:movies?|films?|ones|"
    r"stuff|pictures))(?![a-z])"
)


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


def year_mentions(vocab: CatalogVocabulary, clause: str) -> list[tuple[int, int, int, str]]:
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
    for match in DECADE_RE.finditer(clause):
        start = int(match.group(2) + "0") if match.group(2) else int(match.group(3) + "0") if match.group(3) else \
            _two_digit_decade(match.group(4))
        add(match, *_part_of_decade(start, match.group(1)))
    for match in DECADE_WORD_RE.finditer(clause):
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


def read_genres_and_years(reader: Reader, intent: FeedbackIntent) -> None:
    """Genres and eras with their direction, clause by clause, then the tone ("lighter")."""
    vocab, text = reader.vocab, reader.rest
    wanted: list[tuple[int, int]] = []
    avoided: list[tuple[int, int]] = []
    previous: Polarity | None = None
    explicit: set[str] = set()
    for start, end, continues in _clauses(text):
        clause = text[start:end]
        mentions = [(p, "genre", g) for p, g in _mentions(vocab, clause)]
        mentions += [(p, "years", (a, b, said)) for p, a, b, said in year_mentions(vocab, clause)]
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



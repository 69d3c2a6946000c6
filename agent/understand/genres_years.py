"""Genres and eras in a message, each with its direction (more, less, never), clause by clause."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Sequence

from agent.understand.cues import BEATS, NO_IDIOMS, GENRE_TOPIC_RE, OTHERS_HABIT_RE, OVERRULED_WISH_RE, THIRD_PARTY_RE, GENRE_CUES, GENRE_WISH_RE, GENRE_TAIL_CUES, GENRE_WEAK_CUES, INTENSIFIERS, NEGATOR_RE, Polarity
from agent.understand.intent import GENRE_FIELDS, FeedbackIntent
from agent.understand.vocabulary import COMPOUND_ALIASES, DECADE_WORDS, GENRE_ALIASES, CatalogVocabulary, spans_between
from tracking.grounding import genre_slug

if TYPE_CHECKING:
    from agent.understand.reader import Reader

RECENT_YEARS = 5
""""recent" / "new movies": the catalog's last five years (1994–1998 in ml-100k)."""
OLD_BEFORE = 1970
""""old" / "classic": before this year."""

_CLAUSE_RE = re.compile(r"[,;.!?:()\n]+|(?<![a-z])(?<!anything )(?<!everything )(?:but|however|though|although|"
                        r"whereas|while|yet|tho)(?![a-z])")
_CONTINUE_RE = re.compile(r"\s*(?:and|or|&|plus|also|nor|as well as|\+)(?![a-z])")
_EVER_RE = re.compile(r"(?<![a-z])(?:ever|never again|ever again|never will(?: be)?|never going to be)(?![a-z])")
_FOR_GOOD_RE = re.compile(r"\W*(?:(?:please|pls|plz|now|then|too|as well|,)\W*)*(?:forever|for good|permanently|for life|for all time)(?![a-z])")
"""Right after the genre and its cue: "done with horror forever", "skip musicals for good, please"; not
"… i could rewatch forever", "it took forever"."""
_NOT_GENRES_RE = re.compile(r"(?<![a-z])(?:live[- ]action|action figures?|drama queen|horror show|horror story|comedy of errors|"
                            r"(?:would(?:'ve| have| of)?|was going to|was gonna|almost|nearly) (?:said|say) (?:a |an |some )?"
                            r"[a-z-]+(?:\s+(?:films?|movies?))?(?=\W*(?:but|then|actually|$))|"
                            r"(?:my )?(?:life|work|day|week|job|family|situation|everything|it all) (?:is|was|'s|has been) "
                            r"(?:basically |literally |honestly |such |a |total |complete |a bit of |so much )*"
                            r"(?:drama|comedy|horror|thriller|mystery|musical)|"
                            r"(?<!based on )(?<!based on a )(?<!based on an )(?<!adapted from )(?<!adapted from a )"
                            r"[a-z-]+ (?:novels?|novelists?|books?|authors?|writers?|podcasts?|course|classes|"
                            r"degree)(?! (?:films?|movies?|adaptations?))|"
                            r"war zone|(?:post|pre|inter)[- ]?war|crime scene|crimes? against|thriller of a|family (?:member|friend|dinner)s?|(?:same|one|a) family (?:as|of)|funny (?:story|thing|enough|how)|(?:you'?re|you are|youre|ur|u r) (?:so |really |very |pretty |quite )?(?:funny|hilarious)|kids of the|"
                            r"(?<!for )(?:my|our|his|her|their|the|small|young|little|the small|the little|two|three|a few) "
                            r"(?:kids?|children|child)(?!'?s?'? (?:movies?|films?|stuff|shows?|flicks?|friendly))|"
                            r"(?:because of|with|have|had|got|raising) (?:the |my |our )?(?:kids?|children)"
                            r"(?!'?s?'? (?:movies?|films?|stuff|shows?|flicks?|friendly))|"
                            r"(?:kids?|children) (?:liked|loved|like|love|want|wanted|say|said|says|won'?t|will|are|were|"
                            r"went|is|was|need|needs|might|may|would|could|prefer|preferred|enjoy|enjoyed|adore|adored|"
                            r"think|thought|reckon)|(?:kids?|children)'?s?'? (?:fav|fave|favou?rite)|"
                            r"(?:is|are|was|were|it'?s|that'?s) (?:only |just |more |really |strictly )?for (?:the )?"
                            r"(?:small |little |young )?(?:kids|children)|family favou?rites?|(?:my|our|the) whole family|(?<!for )(?<!for all )(?:the whole|my|our|the) family(?! (?:movies?|films?|night|friendly|"
                            r"stuff|fun|flicks?))|(?:in|on|at) (?:the )?imax|"
                            r"(?:scary|funny|sad|violent|gory|romantic|creepy) (?:parts?|bits?|scenes?|moments?)|"
                            r"(?:he|she|they|everyone|everybody|(?:my|our|the) [a-z]+) (?:laughed|was laughing|were laughing))(?![a-z])")
"""Phrases holding a genre word that ask for no genre ("more live action stuff", "my week was a horror show", "i would
have said comedy but actually …": a wish taken back)."""
_DESCRIBING_RE = re.compile(
    r"(?<![a-z])(?:is|was|are|were|sounds?|looks?|seems?|too|bit|kinda|so|felt|feels?)\s+(?:(?:a bit|kinda|so|really|"
    r"pretty|super|too|way too|quite|very|a little)\s+)?(?:scary|creepy|spooky|funny|hilarious|romantic|thrilling|"
    r"suspenseful|mysterious|dramatic|animated|frightening|horrifying|adventurous|fantastical|comedic|funnier|scarier|"
    r"creepier|spookier|a (?:right |real |good |great |proper )?laugh)(?![a-z])(?! enough)"
)
"""A genre's adjective said of a movie ("alien is a bit too scary", "that sounds creepy"): no genre asked for."""
_SUPERLATIVE_RE = re.compile(r"(?:best|greatest|finest|worst|favou?rite|fave|top|great|good|perfect|the one|the only|"
                             r"a proper|such an?|(?:" + BEATS + r"|than)\s+(?:every|any|all|most))\s+(?:[a-z-]+\s+){0,2}$")
ADJECTIVE_ALIASES = frozenset({"funny", "funnier", "hilarious", "scary", "scarier", "creepier", "spookier", "laugh", "spooky", "creepy", "frightening", "horrifying", "romantic",
                               "thrilling", "suspenseful", "mysterious", "dramatic", "animated", "adventurous",
                               "fantastical", "comedic", "action packed", "action-packed"})
"""Genre words that describe a movie as easily as they ask for a genre ("seen it, lowkey hilarious")."""
_ABOUT_THE_MOVIE_RE = re.compile(r"(?:the|its|that|this)\s+$")
_TONE_RE = {
    "lighter": re.compile(r"(?<![a-z])(?:lighter|light[- ]?hearted|something light|feel[- ]good|cheerful|"
                          r"happier|upbeat|less (?:dark|heavy|depressing|grim|serious)|not so (?:dark|heavy|serious)|"
                          r"fluffier|easy watching)(?![a-z])"),
    "darker": re.compile(r"(?<![a-z])(?:darker|grittier|more serious|heavier|bleaker)(?![a-z])"),
}
_VAGUE_RE = re.compile(r"(?:anything|something|go a bit|a bit|bit|much|go|even|slightly) older|older (?:\w+)|"
                       r"(?:not|nothing|no) (?:too |that |so )?old|"
                       r"recent|newer|modern|latest|newest|new (?:\w+)|contemporary|recently released")
"""Eras said by comparison ("a bit older", "something recent"): a decade said beside them is the one meant."""
_STRENGTH = {"more_genres": 0, "less_genres": 1, "never_genres": 2}
_AGES_RE = re.compile(r"(?:in|into|are|is|both in) (?:their|my|his|her|our|your) (?:early |mid |late )?"
                     r"(?:\d0'?s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)")
"""Ages, not decades ("her parents, both in their 70s")."""
VAGUE_REACH = 40
"""Characters within which a decade or year range replaces a comparative era next to it."""
UNREQUESTED_GENRES: frozenset[str] = frozenset()
"""Genre labels never read as a taste (none: "in IMAX" is caught as a phrase, "more IMAX" is a taste)."""
NEGATION_WINDOW = 24
"""Characters before a "more" cue where a negator turns it ("don't really want any horror")."""


_RANGE_RE = re.compile(
    r"(?<![\d])(?:between\s+)?(1[89]\d\d|20\d\d)\s*(?:-|to|through|thru|until|till|and)\s*(1[89]\d\d|20\d\d)(?![\d])"
)
_SHORT_RANGE_RE = re.compile(
    r"(?<![a-z])(?:between|from)\s+(?P<first>'?\d\d|1[89]\d\d|20\d\d)\s*(?:-|to|through|thru|until|till|and)\s*"
    r"(?P<last>'?\d\d|1[89]\d\d|20\d\d)(?![\d'])(?!\s*(?:hours?|hrs?|mins?|minutes?|stars?|years? old|yo|%|/))"
)
"""A range with a year of two digits ("between 95 and 2005", "from '85 to '95"): said after "between" or "from"."""
_BEFORE_RE = re.compile(
    r"(?<![a-z])(?:before|b4|pre-?|earlier th[ae]n|older th[ae]n|prior to|up to|until|avant|antes de)\s*(?:the\s+)?"
    r"(?:(1[89]\d\d|20\d\d)(?:'?s)?|'?(\d)0'?s|(?P<millennium>millenn?ium|new millenn?ium|y2k|turn of the century))(?![\d])"
)
_AFTER_RE = re.compile(
    r"(?<![a-z])(?:after|post-?|since|newer th[ae]n|later th[ae]n|from)\s*(?:the\s+)?"
    r"(?:(1[89]\d\d|20\d\d)(?:'?s)?|'?(\d)0'?s)\s*(?:on(?:wards?)?(?![a-z])|and (?:later|newer|up)|or (?:later|newer)|\+)"
    r"|(?<![a-z])(?:after|post-?|since|newer th[ae]n|later th[ae]n|this side of)\s*(?:the\s+)?(?:(1[89]\d\d|20\d\d)|'?(\d)0'?s)(?![\d])"
)
_DECADE_WORD_EDGE_RE = re.compile(
    r"(?<![a-z])(?:(?P<before>before|b4|pre-?|earlier th[ae]n|older th[ae]n|prior to)|(?P<since>since)|(?P<from>from)|after|"
    r"post-?|newer th[ae]n|later th[ae]n)\s*(?:the\s+)?(?P<decade>"
    + "|".join(w for w in DECADE_WORDS if " " not in w and not w[0].isdigit())
    + r")(?![a-z])(?P<onwards>\s*(?:on(?:wards?)?|and (?:later|newer|up)|or (?:later|newer))(?![a-z]))?")
"""A decade said in words after "before" / "after" ("nothing after the nineties": 2000 on; "from the eighties on")."""
_ONWARDS_RE = re.compile(
    r"(?<![\d'])(?:(1[89]\d\d|20\d\d)\s*(?:on(?:wards?)?|and (?:later|newer|up|after|beyond)|or (?:later|newer|after)|\+)|"
    r"(?:the\s+)?(?:(1[89]\d0|20[0-2]0)'?s|'?(\d)0'?s)\s*(?:onwards?|and (?:later|newer|up|after|beyond|on)|"
    r"or (?:later|newer|after)|\+))(?![a-z\d])"
)
"""From a year or a decade on: "2005 onwards", "the 90s and later", "2000s or newer"."""
_HINDI_AFTER_RE = re.compile(r"(?<![\d'])(1[89]\d\d|20\d\d)\s+(?:ke|k)\s+(?P<after>baad|bad)|(1[89]\d\d|20\d\d)\s+(?:se|ke|k)\s+pehle(?![a-z])")
"""Hindi puts "after" / "before" behind the year: "2015 ke baad" (after 2015), "1980 se pehle" (before 1980)."""
_UP_TO_RE = re.compile(r"(?<![\d'])(?:(1[89]\d\d|20\d\d)|(?:the\s+)?(?:(?P<decade>1[89]\d0|20[0-2]0)'?s|'?(?P<short>\d)0'?s))\s*"
                       r"(?:or (?:earlier|older|before)|and (?:earlier|older|before))(?![a-z])")
"""Up to a year or the end of a decade: "1985 or earlier", "the 1970s or older"."""
_LAST_YEARS_RE = re.compile(
    r"(?<![a-z])(?:the\s+)?(?:last|past|previous)\s+(?:(?P<n>[6-9]|[1-9]\d|six|seven|eight|nine|ten|fifteen|twenty|"
    r"thirty|forty|fifty)\s+(?P<unit>years|decades)|(?P<decade>decade|two decades|three decades|couple of decades|"
    r"few decades))(?![a-z])")
"""The catalog's last years counted back: "the last decade" (ten years), "the past 20 years"; "the last
few years" is :data:`_RECENT_RE`'s."""
_COUNT_WORDS = {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
                "forty": 40, "fifty": 50, "decade": 1, "two decades": 2, "three decades": 3, "couple of decades": 2,
                "few decades": 3}
DECADE_RE = re.compile(
    r"(?<![a-z\d])(?:(early|mid|late|(?:first|second) half of)[- ]?)?(?:the\s+)?(?:(1[89]\d)0|(20[0-2])0|'?(\d)0)'?s(?![a-z])"
)
DECADE_WORD_RE = re.compile(r"(?<![a-z])(?:(early|mid|late|(?:first|second) half of(?: the)?|debut des|milieu des|fin des)[- ]?)?("
                            + "|".join(sorted(DECADE_WORDS, key=len, reverse=True))
                            + r")(?![a-z])")
_YEAR_RE = re.compile(r"(?<![a-z])(?<!back )(?<!way back )(?<!saw it )(?<!seen it )(?<!watched it )(?<!came out )"
                      r"(?<!born )(?<!married )(?:from|of|around|circa|(?:made|released|filmed|shot|movies?|films?|"
                      r"stuff|something|anything|ones?|releases?)\s+in)\s+(?:the year\s+)?(1[89]\d\d|20\d\d)(?![\d'])")
_CAME_OUT_RE = re.compile(r"(?<![a-z])(?:movies?|films?|stuff|something|anything|ones)\s+(?:that|which)\s+(?:came out|were released|"
                          r"was released|were made|was made)\s+in\s+(1[89]\d\d|20\d\d)(?![\d'])")
_RECENT_RE = re.compile(
    r"(?<![a-z])(?:recent|recently released|newer|newest|newish|new-ish|latest|modern|contemporary|new (?:movies?|films?|releases?|"
    r"stuff|ones)|(?:the )?(?:last|past) (?:few|couple of|couple|two|three|five|[235]) years|"
    # the same in the languages people mix in, folded
    r"(?:piu )?recenti?|(?:mas )?recientes?|(?:plus )?recents?|neuere?n?|aktuelle?n?|(?:mais )?recentes?|"
    r"nayi (?:movies?|films?|filmein|picture)|naye (?:movies|films))(?![a-z])"
)
_CLASSIC_WISHED_RE = re.compile(r"(?<![a-z])(?:something|anything|some|an? old|old|want|give me|maybe|like|another)\s+(?:an?\s+)?$")
"""Before "classic", words that ask for one ("maybe an old classic?"); in a message about movies a bare "classic"
is praise of one ("1st one sure, classic, loved it"), no era."""
_THIS_DECADE_RE = re.compile(r"(?<![a-z])(?:this|the current) decade(?![a-z])")
"""The decade of the catalog's last year ("anything from this decade?": the 2010s in ml-latest-small)."""
_THIS_CENTURY_RE = re.compile(r"(?<![a-z])(?:this|the current|the 21st|21st|twenty[- ]first) century(?![a-z])")
"""This century: 2000 to the catalog's last year ("nothing from this century" avoids it)."""
_OLD_RE = re.compile(
    r"(?<![a-z])(?:(?:way |a bit |kinda |much )?too old|older (?:movies?|films?|ones|stuff|classics|pictures)|oldies|"
    r"(?:anything|something|go a bit|a bit|bit|much|go|even|slightly) older(?! than)|(?:not|nothing|no) (?:too |that |so )?old(?: black[- ]and[- ]white| b&w| b/w)?(?! enough)|"
    r"classics?|golden[- ]age|(?:old|classic) hollywood|black[- ]and[- ]white|b&w|old[- ]school|ancient|dated|old (?:movies?|films?|ones|stuff|"
    r"pictures|classics)|"
    # the same in the languages people mix in, folded
    r"(?:film|pellicole) (?:vecchi|d'epoca)|vecchi film|in bianco e nero|classici|en blanco y negro|peliculas antiguas|"
    r"clasicos|en noir et blanc|vieux films|films anciens|schwarz-?weiss|alte filme|em preto e branco|filmes antigos|classicos|"
    r"purani (?:movies?|films?|filmein|picture)|purane (?:movies|films))(?![a-z])"
)


def _clauses(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, continues the previous clause) for each clause of the text."""
    return [(s, e, bool(_CONTINUE_RE.match(text, s))) for s, e in spans_between(_CLAUSE_RE, text) if text[s:e].strip()]


_NO_STANCE_RE = re.compile(r"(?<![a-z])(?:(?:i'?d |i had |had )?never (?:seen|watched|tried|heard of|had)|"
                           r"not (?:just|only|merely|simply)|or not(?=\s*(?:\?|$))|"
                           + "|".join(re.escape(idiom) for idiom in NO_IDIOMS) + r")(?![a-z])")
"""Words that look like a cue and are none: "I'd never seen a western till Unforgiven", "cartoons, not just for kids",
"got new movie or not?", "best horror of the decade, no contest"."""


def _cue_matches(clause: str, table: list = GENRE_CUES) -> list[tuple[int, int, Polarity]]:
    """(start, end, polarity) of every cue in the clause; where cues overlap the longest stays."""
    clause = _NO_STANCE_RE.sub(lambda m: " " * len(m.group(0)), clause)
    found = [(m.start(), m.end(), polarity) for pattern, polarity in table for m in pattern.finditer(clause)]
    found.sort(key=lambda cue: (-(cue[1] - cue[0]), cue[0]))
    kept: list[tuple[int, int, Polarity]] = []
    for cue in found:
        if all(cue[1] <= other[0] or cue[0] >= other[1] for other in kept):
            kept.append(cue)
    return sorted(kept)


def _negated(clause: str, cue_start: int, cues: list[tuple[int, int, Polarity]] = ()) -> str | None:
    """The negator just before a cue ("don't want", "not really into"), if any; not one inside a
    longer "more" cue ("i never say no to a good comedy": "no" belongs to "never say no to")."""
    offset = max(0, cue_start - NEGATION_WINDOW)
    window = clause[offset:cue_start]
    negators = [n for n in NEGATOR_RE.finditer(window)
                if not any(a <= offset + n.start() and offset + n.end() <= b and polarity == "more" for a, b, polarity in cues)]
    if not negators:
        return None
    between = window[negators[-1].end():]
    if re.search(r"[a-z]", INTENSIFIERS.sub(" ", between)) and len(between.split()) > 2:
        return None  # too far from the cue to negate it
    return negators[-1].group(0)


_FRESH_WISH_RE = re.compile(r"(?<![a-z])(?:maybe|perhaps|ideally|preferably)(?![a-z])")
"""A cue that opens a wish of its own: a negator before it refuses something else."""
_MODIFIER_RE = re.compile(r"mostly|mainly|only|extra|some|any")
"""Cues that ask for a genre named after them ("mostly comedies") and, after one, only qualify what follows."""


def polarity_in(clause: str, start: int, end: int, limit: int | None = None) -> Polarity | None:
    """The stance the clause takes on the mention at clause[start:end] (mentions already blanked).

    The nearest cue before the mention governs ("tired of westerns"), a "more" cue turned by a
    negator just before it ("don't want horror"); with no cue before, the nearest after it does
    ("westerns make me sick", "war films are a hard no"). "less" becomes "never" when the clause
    says "ever" ("no horror, ever"). Cues after the next mention (``limit``) are that one's.
    """
    if re.match(r"\s+enough(?![a-z])", clause[end:]) and not re.search(r"(?:had|have|seen)\s+(?:\w+\s+)?$", clause[:start]):
        return "more"  # "none of these are scary enough"
    if re.match(r"(?:'d|-ed|ed|d)\s+out(?![a-z])", clause[end:]) or (
            clause[start:end].endswith("ed") and re.match(r"\s+out(?![a-z])", clause[end:])):
        return "less"  # "I'm romcom'd out", "westerned out": had too many
    cues = _cue_matches(clause)
    if not any(cue[0] < start for cue in cues):  # "maybe a crime thing", "anything but horror"
        weak = [cue for cue in _cue_matches(clause, GENRE_WEAK_CUES) if all(cue[1] <= c[0] or cue[0] >= c[1] for c in cues)]
        cues = sorted(cues + weak)
    before = [cue for cue in cues if cue[0] < start]  # "never … again" around the genre starts before it
    after = [cue for cue in cues if cue[0] >= end and (limit is None or (
        cue[1] <= limit and not re.fullmatch(r"\s*(?:the|any|some|more|of)?\s*", clause[cue[1]:limit])))]
    after = [cue for cue in after if not re.search(r"\b(?:that|which|who|where|with)\b", clause[end:cue[0]])
             and not (NEGATOR_RE.fullmatch(clause[cue[0]:cue[1]]) and len(clause[end:cue[0]].split()) > 1)]
    if len(after) > 1 and _MODIFIER_RE.fullmatch(clause[after[0][0]:after[0][1]]):
        after = after[1:]  # "documentaries are mostly wasted on me": the adverb qualifies the verdict after it
    polarity: Polarity | None = None
    if before:
        cue_start, cue_end, polarity = before[-1]
        # (not "maybe", a wish of its own after the refusal: "not a musical maybe from after 2010")
        if polarity == "more" and _negated(clause, cue_start, cues) and not _FRESH_WISH_RE.fullmatch(clause[cue_start:cue_end]):
            polarity = "never" if _negated(clause, cue_start, cues) == "never" else "less"
        if polarity == "more" and after and after[0][2] != "more":
            polarity = after[0][2]  # "comedies are fine but not five in a row", "horror? not for me"
    elif after:
        polarity = after[0][2]
    if polarity == "less" and (_EVER_RE.search(clause) or _FOR_GOOD_RE.match(clause, end)):
        polarity = "never"
    return polarity


def tail_polarity(clause: str) -> Polarity | None:
    """The stance of a clause that names nothing ("not for me", "hard no", "my wife does not enjoy them")."""
    clause = _NO_STANCE_RE.sub(lambda m: " " * len(m.group(0)), clause)
    tails = sorted(((m.end() - m.start(), polarity) for pattern, polarity in GENRE_TAIL_CUES for m in pattern.finditer(clause)),
                   key=lambda item: -item[0])
    if tails:  # the longest phrase: "I wouldn't say no" is no "no"
        return tails[0][1]
    found: list[Polarity] = []
    for cue_start, cue_end, polarity in _cue_matches(clause):
        if NEGATOR_RE.fullmatch(clause[cue_start:cue_end]):
            continue  # a bare "not" says nothing on its own ("I'm not too picky")
        if polarity == "more" and _negated(clause, cue_start):
            polarity = "less"
        found.append(polarity)
    for strongest in ("never", "less"):
        if strongest in found:
            return strongest
    return None


_GENRE_PHRASE_SLUGS: dict[str, tuple[str, ...]] = {
    **{a: (k,) for k, aliases in GENRE_ALIASES.items() for a in aliases},
    **{p: tuple(s) for p, s in COMPOUND_ALIASES.items()},
}
_GENRE_PHRASE_RE = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in sorted(_GENRE_PHRASE_SLUGS, key=len, reverse=True)) + r")(?![a-z0-9])"
)
"""Every genre phrase in one pattern, longest first (so "romantic comedy" wins over "comedy"): one pass
over a clause instead of one per phrase."""
_WORD_RE = re.compile(r"[a-z]{5,}")


_OF_THE_LIST_RE = re.compile(r"(?:these|those|none of these|all of these|any of these|all these)\s+$")
"""A genre word after "these" names what is on screen ("none of these docs grab me"), it asks for nothing."""
_AMOUNT_OF_THESE_RE = re.compile(r"(?<![a-z])(?:fewer|less|more|enough|tired|sick)\s+of\s+(?:these|those|all these)\s+"
                                 r"(?:[a-z'-]+\s+){0,2}$")
"""…unless it says how many of them ("fewer of these violent crime films", "no more of these musicals")."""
_NOT_NECESSARILY_RE = re.compile(r"(?:doesn'?t|does not|don'?t|needn'?t|need not) (?:have to|need to) be\s+(?:a\s+)?$|"
                                 r"not necessarily\s+(?:a\s+)?$")


def genre_mentions(vocab: CatalogVocabulary, clause: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, genres) of every genre phrase in the clause, misspelt ones included ("comdy")."""
    found = [(a, b, g) for a, b, g in _genre_mentions(vocab, clause)
             if not (_OF_THE_LIST_RE.search(clause[max(0, a - 20):a]) and not _AMOUNT_OF_THESE_RE.search(clause[max(0, a - 40):a]))
             and not _NOT_NECESSARILY_RE.search(clause[max(0, a - 30):a])
             and not (_A_MOVIE_BEFORE_RE.search(clause[max(0, a - 12):a]) and _A_MOVIE_AFTER_RE.match(clause, b))]
    return found


_A_MOVIE_BEFORE_RE = re.compile(r"(?<![a-z])(?:the|that|this)\s+$")
_A_MOVIE_AFTER_RE = re.compile(r"\s+(?:one|i|we)(?![a-z])")
"""A genre word that names a movie by its kind: "the cartoon one", "the western I have seen"."""


def _genre_mentions(vocab: CatalogVocabulary, clause: str) -> list[tuple[int, int, list[str]]]:
    clause = _NOT_GENRES_RE.sub(lambda m: " " * len(m.group(0)), clause)
    clause = _DESCRIBING_RE.sub(lambda m: " " * len(m.group(0)), clause)
    taken = [False] * len(clause)
    found = []
    for match in _GENRE_PHRASE_RE.finditer(clause):
        genres = [g for s in _GENRE_PHRASE_SLUGS[match.group(0)] if s not in UNREQUESTED_GENRES and (g := vocab.genre_of_slug(s))]
        if genres:
            taken[match.start():match.end()] = [True] * (match.end() - match.start())
            found.append((match.start(), match.end(), genres))
    for match in _WORD_RE.finditer(clause):
        if not any(taken[match.start():match.end()]):
            genres = [g for g in vocab.genre_like(match.group(0)) if genre_slug(g) not in UNREQUESTED_GENRES]
            if genres:
                found.append((match.start(), match.end(), genres))
    return sorted(found, key=lambda item: item[0])


def year_mentions(vocab: CatalogVocabulary, clause: str, about_a_movie: bool = False) -> list[tuple[int, int, int, str]]:
    """(position, first, last, what was said) for every era in the clause (years said in words already
    written in digits: see :func:`spelled_years_as_digits`, which the parser applies to the whole message).

    Args:
        about_a_movie: The message names a movie, so "an absolute classic" praises it rather
            than asking for old films.
    """
    found: list[tuple[int, int, int, str]] = []
    clause = _AGES_RE.sub(lambda m: " " * len(m.group(0)), clause)
    taken = [False] * len(clause)

    def add(match: re.Match[str], first: int, last: int) -> None:
        if any(taken[match.start():match.end()]):
            return
        if _names_a_version(clause, match.start(), match.end()):
            return
        taken[match.start():match.end()] = [True] * (match.end() - match.start())
        found.append((match.start(), first, last, match.group(0).strip()))

    for match in _RANGE_RE.finditer(clause):
        first, last = sorted((int(match.group(1)), int(match.group(2))))
        add(match, first, last)
    for match in _SHORT_RANGE_RE.finditer(clause):
        said = (match.group("first"), match.group("last"))
        if all(len(y) == 2 for y in said) and not any(y.startswith(("0", "9", "8", "7", "6", "5", "4", "3")) for y in said):
            continue  # "between 10 and 20": no year in it
        first, last = sorted(said_year(y) for y in said)
        add(match, first, last)
    for match in _BEFORE_RE.finditer(clause):
        year = 2000 if match.group("millennium") else int(match.group(1)) if match.group(1) else _two_digit_decade(match.group(2))
        add(match, vocab.first_year, year - 1)
    for match in _UP_TO_RE.finditer(clause):
        add(match, vocab.first_year, int(match.group(1)) if match.group(1) else
            int(match.group("decade")) + 9 if match.group("decade") else _two_digit_decade(match.group("short")) + 9)
    for match in _LAST_YEARS_RE.finditer(clause):
        said = match.group("n") or match.group("decade")
        count = int(said) if said.isdigit() else _COUNT_WORDS[said]
        years = count * 10 if match.group("decade") or match.group("unit") == "decades" else count
        add(match, max(vocab.first_year, vocab.last_year - years + 1), vocab.last_year)
    for match in _AFTER_RE.finditer(clause):
        groups = [g for g in match.groups() if g]
        year = int(groups[0]) if len(groups[0]) == 4 else _two_digit_decade(groups[0])
        inclusive = re.match(r"(?:since|from|this side of)", match.group(0)) or re.search(r"on|later|newer|up|\+", match.group(0)[4:])
        said_end = next(match.end(i) for i in range(1, len(match.groups()) + 1) if match.group(i))
        decade = len(groups[0]) == 1 or (year % 10 == 0 and re.match(r"'?s(?![a-z])", clause[said_end:]))
        # "after the 90s", "after the 1990s": once the decade is over
        add(match, year if inclusive else year + (10 if decade else 1), vocab.last_year)
    for match in _DECADE_WORD_EDGE_RE.finditer(clause):  # "nothing after the nineties", "before the eighties"
        start = DECADE_WORDS[match.group("decade")]
        if match.group("before"):
            add(match, vocab.first_year, start - 1)
        elif not match.group("from") or match.group("onwards"):  # ("films from the eighties": the decade itself)
            add(match, start if match.group("since") or match.group("onwards") else start + 10, vocab.last_year)
    for match in _HINDI_AFTER_RE.finditer(clause):
        if match.group("after"):
            add(match, int(match.group(1)) + 1, vocab.last_year)
        else:
            add(match, vocab.first_year, int(match.group(3)) - 1)
    for match in _ONWARDS_RE.finditer(clause):
        year = int(match.group(1) or match.group(2)) if match.group(1) or match.group(2) else _two_digit_decade(match.group(3))
        add(match, year, vocab.last_year)
    for match in DECADE_RE.finditer(clause):
        start = int(match.group(2) + "0") if match.group(2) else int(match.group(3) + "0") if match.group(3) else \
            _two_digit_decade(match.group(4))
        add(match, *_part_of_decade(start, match.group(1)))
    for match in DECADE_WORD_RE.finditer(clause):
        add(match, *_part_of_decade(DECADE_WORDS[match.group(2)], match.group(1)))
    for match in _YEAR_RE.finditer(clause):
        year = int(match.group(1))
        add(match, year, year)
    for match in _CAME_OUT_RE.finditer(clause):  # "movies that came out in 1994": asked for, not told of a film
        year = int(match.group(1))
        add(match, year, year)
    for match in _RECENT_RE.finditer(clause):
        add(match, vocab.last_year - RECENT_YEARS + 1, vocab.last_year)
    for match in _THIS_CENTURY_RE.finditer(clause):
        if not re.search(r"(?:of|in)\s+$", clause[:match.start()]):  # "the best film of this century": praise
            add(match, 2000, vocab.last_year)
    for match in _THIS_DECADE_RE.finditer(clause):
        if not re.search(r"(?:of|in)\s+$", clause[:match.start()]):  # "the best film of this decade": praise
            add(match, vocab.last_year // 10 * 10, vocab.last_year // 10 * 10 + 9)
    for match in _OLD_RE.finditer(clause):
        if about_a_movie and re.fullmatch(r"classic", match.group(0)) and re.search(
                rf"(?<![a-z])(?:{_CLASSIC_PRAISE}|that|this)\s+(?:[a-z0-9'&-]+\s+)?$", clause[:match.start()]):
            # (a kind or an era between: "a horror classic", "that 90s classic")
            continue  # "the second film is an absolute classic": praise, not a wish for old films
        if about_a_movie and re.fullmatch(r"classics", match.group(0)) and re.search(
                rf"(?:are|were|'re|both|all)\s+(?:(?:all|both|{_CLASSIC_PRAISE})\s+)*$", clause[:match.start()]):
            continue  # "shawshank and gump are both classics": praise of those films
        if re.fullmatch(r"classic", match.group(0)) and _IS_A_CLASSIC_RE.search(clause[:match.start()]):
            continue  # "that's a classic", "zzyzx road is a classic": said of a film, whether found or not
        if _VERDICT_CLASSIC_RE.fullmatch(_segment(clause, match.start(), match.end())) and _PRAISE_RE.search(clause):
            continue  # "a classic. loved it", "1st one sure, classic, loved it": a verdict standing alone
        add(match, vocab.first_year, OLD_BEFORE - 1)
    return sorted(found)


_SIGN_RE = re.compile(r"^[ \t]*([+-])(?=[ \t]*[a-z0-9])", re.MULTILINE)


def line_sign(text: str, at: int) -> Polarity | None:
    """"more" or "less" where the line holding ``at`` opens with "+" or "-" and the message signs
    lines both ways ("genres:\n+ war\n- musicals"); None otherwise: "-" alone is a bullet."""
    signs = {m.group(1) for m in _SIGN_RE.finditer(text)}
    if signs != {"+", "-"}:
        return None
    line = _SIGN_RE.match(text, text.rfind("\n", 0, at) + 1)
    return None if line is None else "more" if line.group(1) == "+" else "less"


_CALLED_TOO_OLD_RE = re.compile(r"(?:\s+(?:stuff|movies|films|ones|pictures|releases|cinema))?\s*"
                                r"(?:is|are|'s|=|feels?|seems?|looks?)\s+['\"]?(?:(?:so|too|way too|kinda|pretty|just|all)\s+)*"
                                r"(?:ancient|dated|too old|prehistoric|boring)(?![a-z])")
"""An era called old right after it is named: "anything before 2000 is ancient", "80s stuff is so dated"."""
_SAID_AS_TOO_OLD_RE = re.compile(r".*too old|ancient$|dated$|(?:not|nothing|no) ")
"""An era said as a complaint ("way too old", "ancient", "no old"): fewer of those years, whatever the clause's cue."""
_CLASSIC_PRAISE = (r"an?|absolute|true|real|such a|total|all[- ]time|instant|proper|certified|cult|modern|genuine|"
                   r"bona fide|timeless|utter")
"""Words before "classic" that make it praise of a movie ("an absolute classic", "a proper classic")."""
_IS_A_CLASSIC_RE = re.compile(rf"(?<![a-z])(?:is|was|'s|s)\s+(?:(?:{_CLASSIC_PRAISE}|such)\s+)+$")
_VERDICT_CLASSIC_RE = re.compile(
    rf"\W*(?:(?:{_CLASSIC_PRAISE}|what an?|pure)\s+)*classic(?:\s+(?:tho|though|imo|fr|honestly|really))?\W*")
"""A segment that is only "(a proper) classic": said of a movie, never a wish for old ones ("something classic")."""
_PRAISE_RE = re.compile(r"(?<![a-z])(?:lov(?:e|ed|es|ing)|ador(?:e|ed)|fav(?:e|es|ourite|orite|s)?|masterpiece|brilliant|"
                        r"great|amazing|best|perfect|superb|the goat|goated)(?![a-z])")


def _segment(text: str, start: int, end: int) -> str:
    """The part of ``text`` around [start, end) between punctuation marks."""
    before = max(text.rfind(mark, 0, start) for mark in ".,;:!?\n")
    after = min((i for i in (text.find(mark, end) for mark in ".,;:!?\n") if i >= 0), default=len(text))
    return text[before + 1:after]


_VERSION_WORDS = r"(?:one|version|remake|original|reboot|adaptation|cut|edition|sequel|update)"
_VERSION_BEFORE_RE = re.compile(rf"(?<![a-z]){_VERSION_WORDS}\s+$")
_VERSION_AROUND_RE = (re.compile(r"(?<![a-z])(?:the|that|this)\s+(?:[a-z]+\s+)?$"),
                      re.compile(rf"\s+{_VERSION_WORDS}(?![a-z])"))


def _names_a_version(clause: str, start: int, end: int) -> bool:
    """An era that says which film is meant, not which films to show: "the new one from 1998",
    "the remake of 2012", "the recent one with Denzel", "the 1968 original", "the old one"."""
    if _VERSION_BEFORE_RE.search(clause[:start]):
        return True
    before, after = _VERSION_AROUND_RE
    return bool(before.search(clause[:start]) and after.match(clause, end))


_UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS_WORDS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TENS_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80, "nineties": 90, "tens": 10}
_UNIT = "|".join(_UNITS_WORDS)
_SPELLED_YEAR_RE = re.compile(
    rf"(?<![a-z])(?:(?P<century>nineteen|twenty)[\s-]+(?:(?P<decades>{'|'.join(_TENS_DECADES)})|(?P<teen>{'|'.join(_TEENS_WORDS)})|"
    rf"(?P<tens>{'|'.join(_TENS_WORDS)})(?:[\s-]+(?P<unit>{_UNIT}))?|oh[\s-]+(?P<oh>{_UNIT}))"
    rf"|two thousands|two thousand(?:\s+and)?(?:\s+(?P<k_teen>{'|'.join(_TEENS_WORDS)})|\s+(?P<k_unit>{_UNIT}))?)(?![a-z])"
)
"""Years and decades said in words ("nineteen ninety four", "two thousand and four", "the two thousands")."""


def spelled_years_as_digits(text: str) -> str:
    """``text`` with years said in words written in digits, padded with spaces so that every position
    stays where it was ("nineteen ninety four" → "1994" and 16 spaces; "two thousands" → "2000s")."""
    def digits(match: re.Match[str]) -> str:
        said = match.group(0)
        if match.group("century"):
            century = 1900 if match.group("century") == "nineteen" else 2000
            if match.group("decades"):
                value = f"{century + _TENS_DECADES[match.group('decades')]}s"
            elif match.group("teen"):
                value = str(century + _TEENS_WORDS[match.group("teen")])
            elif match.group("tens"):
                value = str(century + _TENS_WORDS[match.group("tens")] + _UNITS_WORDS.get(match.group("unit") or "", 0))
            else:
                value = str(century + _UNITS_WORDS[match.group("oh")])
        elif said == "two thousands":
            value = "2000s"
        else:
            value = str(2000 + (_TEENS_WORDS.get(match.group("k_teen") or "", 0) or _UNITS_WORDS.get(match.group("k_unit") or "", 0)))
        return value + " " * (len(said) - len(value))
    return _SPELLED_YEAR_RE.sub(digits, text)


def full_year(digits: int) -> int:
    """A year said in two digits ("from 95", "'86"): the 1900s unless that is after the catalogs."""
    return digits + (2000 if digits <= 20 else 1900)


def said_year(said: str) -> int:
    """A year as said, with four digits or two ("'95" is 1995, "05" 2005)."""
    digits = said.lstrip("'")
    return int(digits) if len(digits) == 4 else full_year(int(digits))


def _two_digit_decade(digit: str) -> int:
    """"90s" → 1990, "00s" → 2000, "10s" → 2010 (the catalogs end before the 2020s)."""
    value = int(digit) * 10
    return 2000 + value if value <= 10 else 1900 + value


def _part_of_decade(start: int, part: str | None) -> tuple[int, int]:
    return {"early": (start, start + 3), "mid": (start + 3, start + 6), "late": (start + 6, start + 9),
            "first half of": (start, start + 4), "second half of": (start + 5, start + 9),
            "debut des": (start, start + 3), "milieu des": (start + 3, start + 6), "fin des": (start + 6, start + 9)}.get(
        (part or "").removesuffix(" the"), (start, start + 9)
    )


_STATEMENT_EDGE_RE = re.compile(r"[,;.!?:()\n]|\s[-–—]\s|(?<![a-z])(?:and|but|also|then|plus|though|tho)(?![a-z])")
"""Where the words about one movie end, for the genre reading: "a heist movie and skip the second one"."""


def _without_movie_statements(vocab: CatalogVocabulary, text: str, movie_spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each movie's own statement blanked where it names no genre or era ("skip the first one -
    recent stuff": "skip" turns the card down, not the era; "no more horror like the first one" is left whole)."""
    edges = [m.span() for m in _STATEMENT_EDGE_RE.finditer(text)]
    blanked = list(text)
    for start, end in movie_spans:
        left = max((b for a, b in edges if b <= start), default=0)
        right = min((a for a, b in edges if a >= end), default=len(text))
        statement = text[left:right]
        if genre_mentions(vocab, statement) or year_mentions(vocab, statement, True):
            continue
        blanked[left:right] = "~" * (right - left)  # not blank: the clause stays, and stops a stance carried past it
    return "".join(blanked)


def read_genres_and_years(reader: Reader, intent: FeedbackIntent, about_a_movie: bool = False,
                          movie_spans: Sequence[tuple[int, int]] = (),
                          sounds_negative: Callable[..., bool] = lambda words, complaints=False: False) -> None:
    """Genres and eras with their direction, clause by clause, then the tone ("lighter").

    A mention with no cue in its clause takes the stance of the clauses after it that name
    nothing ("westerns again? not for me"), else of the clause it continues ("musicals or
    cartoons"), else "less" where the clause sounds negative ("musicals give me the ick"), else
    "more" ("90s comedies"); a later "never" there hardens a "less" ("no musicals. not now, not ever").
    ``sounds_negative`` is the reactions reader's sentiment (passed in: that module reads titles,
    which read genres).
    """
    vocab = reader.vocab
    text = reader.rest
    for others in (THIRD_PARTY_RE, OTHERS_HABIT_RE, GENRE_TOPIC_RE, OVERRULED_WISH_RE):  # "my husband reckons cartoons are for kids"
        text = others.sub(lambda m: " " * len(m.group(0)), text)
    text = _without_movie_statements(vocab, text, movie_spans)
    clauses = _clauses(text)
    found: list[list[tuple[int, int, str, object]]] = []
    for start, end, _ in clauses:
        clause = text[start:end]
        mentions: list[tuple[int, int, str, object]] = [
            (a, b, "genre", g) for a, b, g in genre_mentions(vocab, clause)
            if not (about_a_movie and _describes_the_movie(clause, a, b))
            and not _said_of_a_movie(text, start + a, start + b, movie_spans)
        ]
        mentions += [(p, p + len(said), "years", (a, b, said)) for p, a, b, said in year_mentions(vocab, clause, about_a_movie)
                     if not (_VAGUE_RE.search(said) is None and _OLD_RE.search(said) is None
                             and _said_of_a_movie(text, start + p, start + p + len(said), movie_spans))
                     and not (about_a_movie and said == "classic" and not _CLASSIC_WISHED_RE.search(clause[:p]))]
        found.append(sorted(mentions, key=lambda item: item[0]))
    wanted: list[tuple[int, int, bool, int]] = []
    avoided: list[tuple[int, int, bool, int]] = []
    explicit: set[str] = set()
    said_in: dict[str, int] = {}
    previous: Polarity | None = None
    called_until = -1
    for index, ((start, end, continues), mentions) in enumerate(zip(clauses, found)):
        clause = _blanked(text[start:end], mentions)
        tail = _tail(text, clauses, found, index, movie_spans) or _label_before(text, clauses, index)
        clause_polarity: Polarity | None = None
        for number, (position, stop, kind, value) in enumerate(mentions):
            if kind == "years" and start + position < called_until:
                continue  # "80s stuff is so dated": "dated" says what the 80s are, no era of its own
            limit = mentions[number + 1][0] if number + 1 < len(mentions) else None
            polarity = line_sign(text, start + position) or polarity_in(clause, position, stop, limit)
            by_default = polarity is None and not tail and not (previous if continues else None) and not clause_polarity
            if polarity is None:
                polarity = tail or (previous if continues else None) or clause_polarity or (
                    "less" if by_default and (sounds_negative(clause) or sounds_negative(clause[stop:], complaints=True))
                    else "more")
            elif polarity == "less" and tail == "never":
                polarity = "never"
            elif tail and tail != polarity and _FORMER_TASTE_RE.search(clause[:position]):
                polarity = tail  # "used to love horror but not anymore", "used to hate romance, now i'm into it"
            if kind == "genre" and _MORE_THAN_BEFORE_RE.search(clause[:position]):
                polarity = "less"  # "more drama than comedy": comedy is what gives way
            called = _CALLED_TOO_OLD_RE.match(reader.text, start + stop) if kind == "years" else None
            called_until = called.end() if called else called_until
            if kind == "years" and (_SAID_AS_TOO_OLD_RE.match(value[2]) or called):  # type: ignore[index]
                polarity = "less"  # "way too old": fewer of them, whatever else the clause says ("no old b&w stuff")
            clause_polarity = polarity
            if kind == "genre":
                for genre in value:  # type: ignore[union-attr]
                    if by_default and genre in explicit:
                        continue  # "i HATE horror. i dont do scary": what was said stands over a guess
                    if said_in.get(genre) == index:
                        continue  # "anything funny that isn't all gross-out humour": the clause's first word on it stands
                    said_in[genre] = index
                    for name in GENRE_FIELDS:
                        if genre in reader.genres[name]:
                            reader.genres[name].remove(genre)
                    reader.genres[f"{polarity}_genres"].append(genre)
                    reader.sure.add(f"{polarity}_genres")
                    explicit.add(genre)
            else:
                first, last, said = value  # type: ignore[misc]
                clipped = vocab.clip_years(first, last)
                if clipped is None:
                    intent.out_of_range.append(said)
                    continue
                first, last = (int(y) for y in clipped.split("-"))
                vague = _VAGUE_RE.fullmatch(said) is not None
                (wanted if polarity == "more" else avoided).append((first, last, vague, start + position))
        previous = clause_polarity or (previous if continues else None)
    explicit_at = [at for _, _, vague, at in wanted if not vague]
    # "a bit older tho, like 2000s": a decade said close by says how old
    wanted = [w for w in wanted if not (w[2] and any(abs(w[3] - at) < VAGUE_REACH for at in explicit_at))]
    avoided = [w for w in avoided if not (w[2] and any(abs(w[3] - at) < VAGUE_REACH for at in explicit_at))]
    if wanted:
        intent.years = f"{min(a for a, *_ in wanted)}-{max(b for _, b, *_ in wanted)}"
        reader.sure.add("years")
    if avoided:
        intent.avoid_years = f"{min(a for a, *_ in avoided)}-{max(b for _, b, *_ in avoided)}"
        reader.sure.add("avoid_years")
    _read_tone(reader, intent, explicit)


_COMPARATIVE_WISH_RE = re.compile(r"\s*(?:(?:but|way|much|a bit|a little|bit|slightly|even|more)\s+)*")
"""All that comes before a comparative asked for in a clause of its own ("like heat, but way funnier")."""


def _asks_to_change(clause: str, start: int, end: int) -> bool:
    """"like heat but way funnier": a comparative opening its clause says what to change in films like
    the one named, a wish for the genre (not "it was scarier than I expected", a description)."""
    return (clause[start:end] in ("funnier", "scarier", "creepier", "spookier")
            and bool(_COMPARATIVE_WISH_RE.fullmatch(clause[:start])) and not re.match(r"\s+than(?![a-z])", clause[end:]))


def _said_of_a_movie(text: str, start: int, end: int, movie_spans: Sequence[tuple[int, int]]) -> bool:
    """A genre or era named in the same clause as a movie, with no cue of wish there: said of the movie
    ("kids might like it", "Terminator 2 is the goat of action movies", "American Psycho is a comedy",
    "these are all PG-13 horror", "dragged me to it twice in 1997"), not asked for ("loved it but no more horror",
    "I love horror like Alien")."""
    clause_start = max((m.end() for m in _CLAUSE_RE.finditer(text, 0, start)), default=0)
    clause_end = next((m.start() for m in _CLAUSE_RE.finditer(text, end)), len(text))
    referred = movie_spans and _MOVIE_WORD_RE.search(text[clause_start:start] + " " + text[end:clause_end])
    if not (referred or any(clause_start <= a < clause_end for a, _ in movie_spans)):
        return _goes_on_about_a_movie(text, start, end, clause_start, clause_end, movie_spans)
    side_of = _SIDE_OF_RE.match(text, end)
    if side_of and re.search(r"(?<![a-z])the\s+$", text[clause_start:start]) and any(end < a <= side_of.end() for a, _ in movie_spans):
        return True  # "loved the comedy in pulp fiction": a side of the film
    movie_words = {text[a:b] for a, b in movie_spans}
    allowed = _PRAISE_CUES | (_NEGATORS_OF_A_SIDE if text[start:end] in ADJECTIVE_ALIASES else frozenset())
    return _no_wish_beside(text, start, end, clause_start, clause_end, allowed | movie_words)


def _no_wish_beside(text: str, start: int, end: int, clause_start: int, clause_end: int, allowed: frozenset[str]) -> bool:
    """Whether the clause around the genre word at text[start:end] holds no cue of a wish but ``allowed`` ones."""
    clause = text[clause_start:start] + " " * (end - start) + text[end:clause_end]
    return not any(clause[a:b] not in allowed for a, b, _ in _cue_matches(clause) + _cue_matches(clause, GENRE_TAIL_CUES)
                   + _cue_matches(clause, GENRE_WEAK_CUES))


_DESCRIBED_KIND_RE = re.compile(r"(?<![a-z])(?:the|its|great|good|amazing|awesome|fun|solid|decent|brilliant|top|"
                                r"top-notch|incredible|insane|cheesy|terrible|bad|weak)\s+$")
"""Words that make a genre noun a side of a film just judged ("the matrix was fun, great action")."""
_SIDE_OF_RE = re.compile(r"\s+(?:in|of)\s+(?:(?:the|that|this)\s+(?=(?:first|second|third|fourth|fifth|last|\d)))?")
_SENTENCE_END_RE = re.compile(r"[.!?;\n]")
_NEGATORS_OF_A_SIDE = frozenset({"not", "is not", "was not", "isn't", "wasn't", "didn't", "did not", "never", "no"})


def _goes_on_about_a_movie(text: str, start: int, end: int, clause_start: int, clause_end: int,
                           movie_spans: Sequence[tuple[int, int]]) -> bool:
    """A genre word in a clause that goes on about the movie of the clause before, in the same sentence,
    with no wish of its own: a side of that movie ("saw the second, not funny at all", "watched the
    matrix, the action holds up"), not a genre asked for ("loved the second, more comedies please")."""
    sentence_start = max((m.end() for m in _SENTENCE_END_RE.finditer(text, 0, start)), default=0)
    if not any(sentence_start <= a < clause_start for a, _ in movie_spans):
        return False
    adjective = text[start:end] in ADJECTIVE_ALIASES
    if _asks_to_change(text[clause_start:clause_end], start - clause_start, end - clause_start):
        return False  # "like heat but way funnier"
    if not (adjective or _DESCRIBED_KIND_RE.search(text, clause_start, start)):
        return False
    allowed = _PRAISE_CUES - _NEGATORS_OF_A_SIDE | (_NEGATORS_OF_A_SIDE if adjective else frozenset())
    return _no_wish_beside(text, start, end, clause_start, clause_end, allowed)


_MOVIE_WORD_RE = re.compile(r"(?<![a-z])(?<!keep )(?<!make )(?:it|this one|that one|the (?:film|movie|remake|original|sequel|version|reboot))(?![a-z])")
"""Words for a movie the message already named ("my wife dragged me to it twice in 1997")."""
_PRAISE_CUES = frozenset({"good", "great", "ideal", "yes", "bad", "sucks", "overrated", "again", "like", "liked", "no",
                          "not", "never", "never again", "forever", "mood", "into"})
"""Cues that judge or describe the movie beside the genre ("is a great horror", "kids might like it"), not the genre."""


_PRAISED_KIND_RE = re.compile(r"\s*(?:movies?|films?|flicks?|of (?:the|all|my)|ever(?![a-z])|in (?:years|ages|decades?))")
"""What follows a genre ranked with a superlative when a film is praised ("best horror of the decade")."""


def describes_a_film(text: str, start: int, end: int) -> bool:
    """The genre word at text[start:end] ranks a film ("the best horror movie ever made"): a word about
    that film, which neither asks for the genre nor makes a title next to it a topic."""
    return bool(_SUPERLATIVE_RE.search(text[:start]) and _PRAISED_KIND_RE.match(text, end))


_FOUND_IT_RE = re.compile(r"(?<![a-z])(?:find|found|finds|finding)\s+(?:it|that|this|them|that one|this one)\s+"
                          r"(?:(?:very|really|so|that|at all|particularly|remotely|all that|too|quite|pretty|a bit|kinda)\s+)*$")
"""Right before a genre adjective, what makes it the user's judgement of a film ("didn't find it funny"), not a wish."""


def _describes_the_movie(clause: str, start: int, end: int) -> bool:
    """A genre word said of the movie the message names, not asked for: "one of the best crime films
    ever made", "lowkey hilarious", "the love story was silly", "the anime part"."""
    said = clause[start:end]
    if describes_a_film(clause, start, end) or _FOUND_IT_RE.search(clause[:start]):
        return True
    if _ABOUT_THE_MOVIE_RE.search(clause[:start]) and re.match(r"\s*(?:was|is|were|part|bits?|scenes?|parts?)\b", clause[end:]):
        return True
    if said in ADJECTIVE_ALIASES:
        if _asks_to_change(clause, start, end):
            return False
        cues = [c for c in _cue_matches(clause) + _cue_matches(clause, GENRE_WEAK_CUES) if c[1] <= start]
        return not cues  # "something funny" asks; "seen it, lowkey hilarious" describes
    return False


def asks_for_tastes(vocab: CatalogVocabulary, text: str, about_a_movie: bool = True) -> bool:
    """Whether the text asks for a genre or an era (not only describes a movie with a genre word)."""
    if year_mentions(vocab, text, about_a_movie):
        return True
    return any(not (about_a_movie and _describes_the_movie(text, a, b)) for a, b, _ in genre_mentions(vocab, text))


_MORE_THAN_BEFORE_RE = re.compile(r"(?<![a-z])more\s+#[#\s]*\s+than\s+$")
"""Before a genre, another blanked genre between "more" and "than" ("more drama than comedy")."""


def _blanked(clause: str, mentions: list[tuple[int, int, str, object]]) -> str:
    """The clause with its genre and era phrases blanked, so that "love story" is no "love" cue."""
    chars = list(clause)
    for start, end, _, _ in mentions:
        # a mark inside, blanks at the edges: no cue spans the phrase ("more drama than comedy" is no "more than")
        chars[start:end] = " " + "#" * (end - start - 2) + " " if end - start > 2 else " " * (end - start)
    return "".join(chars)


_FORMER_TASTE_RE = re.compile(r"(?<![a-z])(?:used to|use to|(?:was|were) (?:really |so |totally )?(?:into|obsessed with|"
                              r"a (?:big |huge )?fan of)|grew up (?:on|with)|as a (?:kid|teen|teenager|child))(?![a-z])")
"""A taste the user had: what the clauses after it say of the genre now is what counts."""


def _tail(text: str, clauses: list[tuple[int, int, bool]], found: list[list], index: int,
          movie_spans: Sequence[tuple[int, int]] = ()) -> Polarity | None:
    """The stance of the clauses right after clause ``index`` that name no genre, era or movie (after a
    movie, "skip it" is about the movie: "seventies new york is the theme. taxi driver, skip it")."""
    polarities = []
    for (start, end, _), mentions in zip(clauses[index + 1:], found[index + 1:]):
        if mentions or any(start <= a < end for a, _ in movie_spans):
            break
        if _is_label(text, start, end):
            break  # "no: slashers": a label for what follows it, not a word on what came before
        polarity = tail_polarity(text[start:end])
        if polarity:
            polarities.append(polarity)
    if "never" in polarities:
        return "never"
    return polarities[0] if polarities else None


def _is_label(text: str, start: int, end: int) -> bool:
    """A clause of a word or two right before a colon ("no:", "more of:"): a label for what follows."""
    return bool(re.match(r"\s*:", text[end:])) and len(text[start:end].split()) <= 2


def _label_before(text: str, clauses: list[tuple[int, int, bool]], index: int) -> Polarity | None:
    """The stance of a label right before clause ``index`` ("no: slashers", "yes: westerns")."""
    if index == 0:
        return None
    start, end, _ = clauses[index - 1]
    return tail_polarity(text[start:end]) if _is_label(text, start, end) else None


def _read_tone(reader: Reader, intent: FeedbackIntent, explicit: set[str]) -> None:
    """"lighter" / "darker" is kept and said back, but names no genre: which genres are dark is the
    reader's guess, and a guess recorded as feedback is feedback nobody gave."""
    for tone, pattern in _TONE_RE.items():
        if pattern.search(reader.text):
            intent.tone = tone
            reader.sure.add("tone")
            break

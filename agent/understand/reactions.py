"""Reactions to the movies shown last ("not that one", "the second one was good", "none of these"),
the sentiment around a movie mention, and whether a message asks for a list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.understand.vocabulary import ORDINALS

if TYPE_CHECKING:
    from agent.understand.reader import Reader

STOP_RE = re.compile(r"[,;.!?\n]|(?<![a-z])(?:but|because|since|though|although|so|which|that was|when)(?![a-z])")
"""Where the words about one movie end."""
REJECT_LIST_RE = re.compile(
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

DEICTIC_RE = re.compile(r"^(?:that|this|it|that one|this one|that movie|this movie|that film|this film)$")
SHOWN_REF_RE = re.compile(
    r"(?<![a-z])(?:(?:the\s+)?(" + "|".join(ORDINALS) + r")(?:\s+(?:one|movie|film|pick|suggestion|"
    r"recommendation|title))?|(?:number|no\.?|#)\s*(\d{1,2})(?:\s+(?:one|movie|film))?"
    r"|(that one|this one|that movie|this movie|that film|this film))(?![a-z])"
)
_SHOWN_BARE_RE = re.compile(
    r"(?<![a-z])(?:(?:not|love|loved|liked|hate|hated|seen|watched|saw|enjoyed|skip|like)\s+(it|that|this)|"
    r"(it|that|this)\s+(?:was|is|looks?)\s+(?:good|great|bad|awful|boring|terrible|amazing|not for me))(?![a-z])"
)


def asks_for_list(text: str) -> bool:
    """A question about movies or a plain request ("recommend something", "what should I watch?")."""
    if _WANTS_VERB_RE.search(text) and (_WANTS_OBJECT_RE.search(text) or re.search(r"recommend|suggest", text)):
        return True
    return text.rstrip().endswith("?") and bool(_WANTS_OBJECT_RE.search(text))


def sentiment(reader: Reader, start: int, end: int, default: str | None) -> str | None:
    """How the user feels about the movie at text[start:end]: cues before it, then after it."""
    clause_start = max((m.end() for m in STOP_RE.finditer(reader.text, 0, start)), default=0)
    before = reader.text[clause_start:start]
    for pattern, name in _BEFORE_MOVIE:
        if pattern.search(before):
            return name
    after = reader.text[end:end + 80]
    for pattern, name in _AFTER_MOVIE:
        if pattern.search(after):
            return name
    return default




def read_shown(reader: Reader) -> None:
    """References to the list shown last: "not that one", "the second one was good", "seen it"."""
    if not reader.shown:
        return
    text = reader.rest
    refs = []
    for match in SHOWN_REF_RE.finditer(text):
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
        field_name = sentiment(reader, start, end, None)
        if field_name is None and re.match(r"^\s*(?:please|thanks)?\s*$", text[end:]) and re.match(
            r"^\s*(?:no|not|nope|nah)[\s,]", text[:start] + " "
        ):
            field_name = "not_interested"
        if field_name is not None:
            reader.add_movie(field_name, reader.shown[index])
            reader.mask(start, end)


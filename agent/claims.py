"""What a model's sentence claims about a movie, checked against the movie's score breakdown.

:func:`tracking.grounding.ungrounded` checks the names and figures in a sentence; this module checks
what the sentence *says about them*. "It is the most popular one" needs popularity to be the
largest part of that movie's score; "a classic" needs an old movie; "similar to Forrest Gump"
needs Forrest Gump among the movies behind its score, and one the user did not dislike; "you
asked for comedies" needs comedy feedback behind it. A sentence that repeats the reply, or echoes a
template without a reason ("the fifth list is because…"), says nothing and is dropped too.

Also here: :func:`description_query`, the code's reading of a request to search by description
("something with dinosaurs"), so that no model has to decide that a tool is needed.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from rapidfuzz import fuzz

RECENT_YEARS = 5
CLASSIC_BEFORE_YEARS = 25
"""A "classic" is at least this many years older than the newest movie on the list."""
ECHO_SCORE = 88.0
"""rapidfuzz ratio above which a sentence repeats one already said."""

_ORDINALS = {"first": 0, "top": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}
_POPULAR_MOST = re.compile(r"(?i)\b(?:most popular|the most (?:rated|watched|loved)|highest (?:number of )?ratings|"
                           r"most ratings|biggest hit|everyone'?s favou?rite)\b")
_POPULAR = re.compile(r"(?i)\b(?:popular|well[- ]known|crowd[- ]pleaser|blockbuster|a big hit|widely (?:loved|liked|seen)|"
                      r"everyone (?:loves|likes))\b")
_RECENT = re.compile(r"(?i)\b(?:recent|brand[- ]new|the latest|just came out|newer|new release)\b")
_CLASSIC = re.compile(r"(?i)\b(?:classic|timeless|golden[- ]age|old[- ]school)\b")
_LIGHT = re.compile(r"(?i)\b(?:fun|funny|light|light-?hearted|feel-?good|cheerful|hilarious|laughs?|playful)\b")
LIGHT_GENRES = frozenset({"Comedy", "Animation", "Children", "Children's", "Musical", "Adventure"})
"""A movie called "fun" or "light" must have one of these genres (not a documentary on murders)."""
_FEEDBACK = re.compile(r"(?i)\b(?:you asked for|you wanted|you said|as you requested|you told me|you requested)\b")
_SIMILAR = re.compile(r"(?i)\b(?:similar to|just like|a lot like|reminds? (?:you|me) of|close to|in the vein of|"
                      r"because you (?:watched|liked|loved|enjoyed|rated|saw))\s+(?P<title>[^,.;!?]+)")
_USER_LIKED = re.compile(r"(?i)\b(?:you (?:liked|loved|enjoyed|adored)|which you liked)\s+(?P<title>[^,.;!?]+)?")
_TEMPLATE_ECHO = re.compile(
    r"(?i)^(?:and\s+)?(?:the\s+)?(?:\w+(?:st|nd|rd|th)|first|second|third|fourth|fifth|last|next)\s+"
    r"(?:one|list|movie|film|pick)?\s*(?:is|was)\s+because\b(?!.{12,})|^here (?:is|are) \d+ movies? for you\b|^noted\b"
)
_DESCRIPTION = re.compile(
    r"(?i)\b(?:something|anything|a movie|a film|movies|films|one)\s+(?:with|about|set in|where|that has|featuring|"
    r"involving|starring|on)\s+(?P<what>[a-z][a-z0-9' -]{2,60})"
)
_NOT_A_DESCRIPTION = re.compile(r"(?i)^(?:me|us|it|that|this|you|the family|my|our|a twist|less|more|no|nothing)\b")


def _cards_meant(sentence: str, cards: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards a sentence speaks of: those it names or points at by position, else all of them."""
    named = [c for c in cards if c["title"].lower() in sentence.lower()]
    if named:
        return named
    for word, index in _ORDINALS.items():
        if re.search(rf"(?i)\bthe {word}\b", sentence) and -len(cards) <= index < len(cards):
            return [cards[index]]
    return list(cards)


def _terms(card: dict[str, Any]) -> dict[str, float]:
    parts = card["breakdown"]
    terms = {"popularity": parts["popularity"], "long_term": parts["long_term"], "short_term": parts["short_term"],
             "recent_shift": parts["recent_shift"]}
    terms.update({f"feedback:{facet}": value for facet, value in parts["feedback"].items()})
    return terms


def _largest(card: dict[str, Any], n: int) -> list[str]:
    return [name for name, value in sorted(_terms(card).items(), key=lambda item: -item[1])[:n] if value > 0]


def unsupported_claims(sentence: str, cards: Sequence[dict[str, Any]]) -> list[str]:
    """The claims of ``sentence`` about ``cards`` that their breakdowns do not support (empty: none)."""
    if not cards:
        return []
    meant = _cards_meant(sentence, cards)
    problems: list[str] = []
    if _POPULAR_MOST.search(sentence) and not all("popularity" in _largest(c, 1) for c in meant):
        problems.append("claims most popular, but popularity is not the largest part of its score")
    elif _POPULAR.search(sentence) and not all("popularity" in _largest(c, 2) for c in meant):
        problems.append("claims popular, but popularity is not among the two largest parts of its score")
    years = [c.get("year") for c in cards if c.get("year")]
    newest = max(years) if years else None
    for card in meant:
        year = card.get("year")
        if _RECENT.search(sentence) and (year is None or newest is None or year < newest - RECENT_YEARS):
            problems.append(f"claims {card['title']} is recent")
        if _CLASSIC.search(sentence) and (year is None or newest is None or year > newest - CLASSIC_BEFORE_YEARS):
            problems.append(f"claims {card['title']} is a classic")
    if _LIGHT.search(sentence) and not all(set(c.get("genres") or []) & LIGHT_GENRES for c in meant):
        problems.append("calls it fun or light, but it has no comedy, animation, children's, musical or adventure genre")
    if _FEEDBACK.search(sentence) and not any(v > 0 for c in meant for v in c["breakdown"]["feedback"].values()):
        problems.append("claims the user asked for it, but no feedback is behind its score")
    for match in _SIMILAR.finditer(sentence):
        problems += _similarity_problem(match.group("title"), meant)
    for match in _USER_LIKED.finditer(sentence):
        if match.group("title"):
            problems += _liked_problem(match.group("title"), meant)
    return problems


def _behind(card: dict[str, Any]) -> dict[str, str]:
    """The movies behind a card's score and the user's reaction to each: title → liked/watched/…"""
    parts = card["breakdown"]
    found = {h["title"].lower(): h.get("reaction", "watched") for h in parts["history"]}
    sources = parts.get("facet_sources") or {}
    for facet, title in (parts.get("facet_titles") or {}).items():
        if parts["feedback"].get(facet, 0) > 0:
            found[title.lower()] = "liked" if sources.get(facet) == "liked" else "asked_like"
    return found


def _similarity_problem(said: str, cards: Sequence[dict[str, Any]]) -> list[str]:
    said = said.strip().lower()
    for card in cards:
        for title, reaction in _behind(card).items():
            if title in said and reaction != "disliked":
                return []
    return [f"claims similarity to {said!r}, which is not behind its score (or the user disliked it)"]


def _liked_problem(said: str, cards: Sequence[dict[str, Any]]) -> list[str]:
    said = said.strip().lower()
    for card in cards:
        for title, reaction in _behind(card).items():
            if title in said:
                return [] if reaction == "liked" else [f"says the user liked {title!r}, but they {reaction} it"]
    return []


_WORD = re.compile(r"[a-z]+")
_FUNCTION_WORDS = frozenset("""
a about after again all also am an and any anything are as at be because been before being both but by can could
did do does doing done each either else even ever every few for from had has have having he her here hers him his
how i if in into is it its just let lets ll m may me might mine more most much must my no nor not now of off on once
one ones only or other our ours out over own re s same she should so some something such t than that the their them
then there these they this those through to too under until up ve very was we were what when where which while who
whom why will with would you your yours d
""".split())
_PHRASING_WORDS = frozenset("""
enjoy enjoyed enjoying hope glad happy great fun enjoyable welcome thanks thank sure love like fan pick picks watch
watching tonight evening try give shot look looks good nice fit fits mood taste favourite favorite ask feel free
perfect mix movie movies film films list option options choice choices recommendation recommendations help plenty
really quite well worth check out see seeing find found think might wonderful interesting picked chose chosen
reason reasons because here start starting begin maybe perhaps first second third top next weekend night lot little
bit kind hopefully definitely certainly absolutely surely favourites favorites place tell say said think
""".split())
"""Words a phrasing may add to the facts: pleasantries and talk about the list, no claims."""
_POLARITY = re.compile(r"(?i)\b(?:(?P<less>less|fewer|no|not|without|never|avoid(?:ing)?|skip(?:ping)?)|more|plenty of|lots of)\b")
POLARITY_WORDS = 4
"""A genre's direction is that of the last more/less word at most this many words before it."""


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def unsupported_words(sentence: str, facts: Sequence[str]) -> list[str]:
    """The sentence's words that neither the facts (the reply, the message, the cards' titles,
    genres and reasons) nor plain phrasing hold, e.g. a plot the catalog does not know ("a young
    boy who discovers…") or a leaked instruction. A model may rephrase and be friendly; it may not
    add content."""
    known = _known(facts)
    words = _WORD.findall(sentence.lower())
    return list(dict.fromkeys(
        w for w in words if w not in _FUNCTION_WORDS and w not in _PHRASING_WORDS and _stem(w) not in known
    ))


def _known(facts: Sequence[str]) -> set[str]:
    return {_stem(w) for text in facts for w in _WORD.findall(text.lower())}


_LIST_WORDS = frozenset("movie movies film films list pick picks choice choices option options recommendation "
                        "recommendations watch watching these them".split())


def says_something(sentence: str, facts: Sequence[str]) -> bool:
    """Whether the sentence is about the movies: a word of the facts beyond pleasantries (a title, a
    genre, a year, a reason) or talk of the list ("I hope you enjoy these movies tonight!").
    "Thanks for the help! I'm glad you're doing well." is about neither: a claim about the user
    that nothing supports."""
    known = _known(facts)
    words = _WORD.findall(sentence.lower())
    return any(w in _LIST_WORDS for w in words) or any(
        w not in _FUNCTION_WORDS and w not in _PHRASING_WORDS and _stem(w) in known for w in words)


def phrasing_problems(sentence: str, facts: Sequence[str], genres: Sequence[str]) -> list[str]:
    """Why a model's added sentence may not be shown: not a sentence, words beyond the facts, or a
    genre said in the opposite direction to the user's feedback (empty: none)."""
    words = _WORD.findall(sentence.lower())
    if len(words) < 4 or sentence.rstrip().endswith(":") or re.match(r"^\s*(?:\d+[.)]|[-*•])", sentence):
        return ["not a sentence"]
    extra = unsupported_words(sentence, facts)
    if extra:
        return [f"words not in the facts: {', '.join(extra[:5])}"]
    if not says_something(sentence, facts):
        return ["says nothing of the movies or the user's words"]
    said = " ".join(facts).lower()
    for genre in genres:
        for match in re.finditer(rf"(?i)\b{re.escape(genre)}", sentence):
            before = re.split(r"[,;:.!?()]|\b(?:but|and|just|only|while)\b", sentence[: match.start()], flags=re.I)[-1]
            window = " ".join(before.split()[-POLARITY_WORDS:])
            last = [m for m in _POLARITY.finditer(window)][-1:]
            lesser = bool(last and last[0].group("less"))
            if lesser and re.search(rf"(?i)\bmore {re.escape(genre)}", said) and not re.search(
                    rf"(?i)\b(?:fewer|less|no|never) {re.escape(genre)}", said):
                return [f"says less {genre}, but the user asked for more"]
            if not lesser and re.search(rf"(?i)\b(?:fewer|less|never) {re.escape(genre)}", said) and not re.search(
                    rf"(?i)\bmore {re.escape(genre)}", said):
                return [f"offers {genre}, but the user asked for less"]
    return []


def echo_problems(sentence: str, earlier: Sequence[str]) -> list[str]:
    """A sentence that repeats what was said, or a template's shell with no reason in it."""
    if _TEMPLATE_ECHO.search(sentence.strip()):
        return ["echoes a template without a reason"]
    plain = re.sub(r"\W+", " ", sentence.lower()).strip()
    for before in earlier:
        for piece in re.split(r"(?<=[.!?])\s+", before):
            if fuzz.ratio(plain, re.sub(r"\W+", " ", piece.lower()).strip()) >= ECHO_SCORE:
                return ["repeats what was already said"]
    return []


def description_query(text: str, intent: Any) -> str | None:
    """What to search for when the message asks for movies by description ("something with
    dinosaurs", "a film set in Paris"); None when it asks otherwise (genres, titles, a plain list)."""
    if intent.has_feedback:
        return None
    match = _DESCRIPTION.search(text)
    if not match or _NOT_A_DESCRIPTION.match(match.group("what")):
        return None
    what = re.split(r"(?i)\b(?:please|pls|thanks|tonight|for me)\b|[?!.]", match.group("what"))[0].strip(" -'")
    return what or None

"""The deterministic parser: one message's reading state and :func:`parse_message`.

The order matters: movies are found first (titles, then what points at the list on screen), each
gets its stance from its own statement, and their words are blanked before genres and eras are
read, so that "Kill Bill" is no wish to kill and "The 13th Warrior" no wish for war films.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from agent.understand.cues import BETTER_THAN, COPIED, WATCHED_LUKEWARM, WORSE_THAN, agreed_opinions
from agent.understand.genres_years import (
    asks_for_tastes, genre_mentions, line_sign, read_genres_and_years, spelled_years_as_digits, year_mentions,
)
from agent.understand.intent import GENRE_FIELDS, MAX_MESSAGE_CHARS, MOVIE_FIELDS, NEGATIVE_MOVIE_FIELDS, FeedbackIntent
from agent.understand.reactions import (
    BARE_SCORE_RE, CONNECTOR_RE, SENTENCE_RE, Sentiment, asks_for_list, condemns_without_refusing, denies_rejection,
    find_shown_refs, rather_than, rejects_whole_list, says_a_verdict, says_lukewarm, score_field, score_only, sounds_negative,
    stance,
)
from agent.understand.spelling import correct_spelling
from agent.understand.titles import MovieMention, find_titles
from agent.understand.vocabulary import CatalogVocabulary, fold, spans_between

DEFAULT_SENTIMENT: Sentiment = "lexicon"
"""The cue lexicon alone: VADER where it is silent read the held-out set no better (evaluation.understanding)."""
StanceFallback = Callable[[str], "str | None"]
"""Reads a movie's stance where the cue lexicon finds none, from :func:`mention_sentence`: a movie
field, "none" (the sentence takes no stance), or None (not sure: leave it unread)."""


_INITIALISM_RE = re.compile(r"(?<![a-z0-9.])(?:(?:[a-z]\.){2,3}(?![a-z0-9])|(?:dr|mr|mrs|ms|st|vs|jr|sr)\.(?=\s+[a-z]|\s*,)|"
                            r"(?:vol|pt|ep)\.(?=\s*\d))")
"""Dots that end no sentence: an initialism ("e.t.") or a title's abbreviation ("mulholland dr.", "mr. holland's opus",
"kill bill: vol. 2")."""


class Reader:
    """One message's reading state: folded text, the spans already consumed, and the intent built."""

    def __init__(self, message: str, vocab: CatalogVocabulary, shown: Sequence[int]) -> None:
        self.original = correct_spelling(message[:MAX_MESSAGE_CHARS], vocab)  # "the thrid is boring"
        self.text = spelled_years_as_digits(fold(self.original))  # "speed from nineteen ninety four" → "speed from 1994"
        # "e.t.", "l.a. confidential": an initialism's dots end no sentence (same length, so spans still fit)
        self.text = _INITIALISM_RE.sub(lambda m: m.group(0).replace(".", " "), self.text)
        self.text = agreed_opinions(self.text)  # "my grandchildren adore finding nemo and so do i": the user's too
        self.vocab = vocab
        self.shown = list(dict.fromkeys(int(m) for m in shown if vocab.has_movie(int(m))))
        self.masked = list(self.text)
        self.movies: dict[str, list[int]] = {name: [] for name in MOVIE_FIELDS}
        self.genres: dict[str, list[str]] = {name: [] for name in GENRE_FIELDS}
        self.not_found: list[str] = []
        self.sure: set[str] = set()
        self.excepted: set[int] = set()  # movies kept out of a rejection ("none except the third")

    def mask(self, start: int, end: int) -> None:
        """Blank out text already read (a title's words are not genres or decades)."""
        self.masked[start:end] = " " * (end - start)

    @property
    def rest(self) -> str:
        return "".join(self.masked)

    def add_movie(self, field_name: str, movie_id: int) -> None:
        if field_name == "seen" and any(movie_id in self.movies[name] for name in ("liked", "disliked")):
            return  # "the first two are bangers. seen both": the opinion says more than the watch
        # a judgement of a movie already said to be watched ("I sat through it once and found it glacial")
        if field_name == "not_interested" and any(movie_id in self.movies[name] for name in ("disliked", "seen")):
            field_name = "disliked"
        elif field_name == "watchlist" and movie_id in self.movies["liked"]:
            field_name = "liked"
        for name in MOVIE_FIELDS:  # one reading per movie: the latest sentiment wins
            if movie_id in self.movies[name]:
                self.movies[name].remove(movie_id)
        self.movies[field_name].append(int(movie_id))
        self.sure.add(field_name)


def parse_message(message: str, vocab: CatalogVocabulary, shown: Sequence[int] = (),
                  sentiment: Sentiment = DEFAULT_SENTIMENT, stance_fallback: StanceFallback | None = None) -> FeedbackIntent:
    """Read feedback from a message deterministically (runs on every message, no model).

    Args:
        message: What the user typed (read up to :data:`MAX_MESSAGE_CHARS`).
        vocab: The loaded data set's genres, titles and years.
        shown: The movie ids shown last, in display order ("the second one" is ``shown[1]``;
            "that one" / "it" is the first).
        sentiment: Where a movie's valence comes from when the cue lexicon has no word for it.
        stance_fallback: Asked for each mention the lexicon leaves unjudged (a classifier; the
            benchmark measures one trained on the set's dev split, evaluation/stance_classifier.py).

    Returns:
        The intent; ``sure`` names every field this parser matched explicitly.
    """
    reader = Reader(message, vocab, shown)
    mentions = find_titles(reader)
    tastes = min([a for a, _, _ in genre_mentions(vocab, reader.text)] + [p for p, *_ in year_mentions(vocab, reader.text)],
                 default=None)
    mentions = sorted(mentions + find_shown_refs(reader, mentions, tastes), key=lambda m: m.start)
    _resolve_groups(reader, mentions)
    _exceptions(reader, mentions)
    mentions = _former_and_latter(reader, mentions)
    for mention in mentions:  # a title's words are no genre or era; "it" or "the 2nd" hide nothing
        if mention.kind in ("title", "quoted", "shown_title"):
            reader.mask(mention.start, mention.end)
    fields = _movie_stances(reader, mentions, sentiment)
    _excepted_verdicts(reader, mentions, fields)
    if stance_fallback is not None:
        _fallback_stances(reader, mentions, fields, stance_fallback)
    if not any(m.movies for m in mentions) and len(reader.shown) == 1:
        _implicit_single(reader, mentions, fields, sentiment)
    _listed_scores(reader, mentions, fields)
    _signed_lines(reader, mentions, fields)
    _corrections(reader, mentions, fields, sentiment)
    _picks(reader, mentions, fields)
    _neither_nor(reader, mentions, fields, sentiment)
    _elliptical_nots(reader, mentions, fields)
    _others_then_mine(reader, mentions, fields)
    _comparison_standards(reader, mentions, fields)
    _comparisons(reader, mentions, fields, sentiment)
    for index, mention in enumerate(mentions):  # "none of these", "neither of them"
        if mention.kind == "group" and re.match(r"(?:none|neither)\b", reader.text[mention.start:mention.end]):
            # "none of these" turns them down; "none of them look terrible" does not
            fields[index] = None if denies_rejection(reader.text, mention.start) else "not_interested"
        elif mention.kind == "group" and fields[index] in NEGATIVE_MOVIE_FIELDS and denies_rejection(reader.text, mention.start):
            fields[index] = None  # "i wouldn't say these are boring"
    _not_like(reader, mentions, fields)
    mentions, fields = _praised_by_denial(reader, mentions, fields)
    _sarcasm(reader, mentions, fields)
    for mention, field_name in zip(mentions, fields):
        for movie_id in mention.movies if field_name else ():
            reader.add_movie(field_name, movie_id)
    intent = FeedbackIntent()
    _read_rejection(reader, intent, mentions, fields)
    read_genres_and_years(reader, intent, about_a_movie=any(m.movies for m in mentions),
                          movie_spans=[(m.start, m.end) for m in mentions if m.movies], sounds_negative=sounds_negative)
    for name in MOVIE_FIELDS:
        setattr(intent, name, list(dict.fromkeys(reader.movies[name])))
    for name in GENRE_FIELDS:
        setattr(intent, name, list(dict.fromkeys(reader.genres[name])))
    intent.not_found = list(dict.fromkeys(reader.not_found))
    intent.wants_list = asks_for_list(reader.text)
    if intent.wants_list:
        reader.sure.add("wants_list")
    intent.sure = reader.sure
    intent.corrects_last = intent.has_feedback and bool(_SAYS_MEANT_RE.match(reader.text) or (
        not re.match(r"\W*i mean\b", reader.text) and any(_CORRECTED_PICK_RE.match(reader.text[:m.start] + "@") for m in mentions[:1])))
    return intent


@dataclass(frozen=True)
class Support:
    """What a message mentions, whatever it says about it: the limits of what a model's reading may add.

    Attributes:
        genres: Genres named or described (any direction).
        movies: Movies named, or pointed at in the list shown ("the second one", "it", "these").
        named: Movies whose title the message itself holds (not only pointed at).
        eras: The message names a decade, year or era.
        whole_list: The message points at the whole list ("these", "none of them").
    """

    genres: frozenset[str]
    movies: frozenset[int]
    named: frozenset[int]
    eras: bool
    whole_list: bool


WORDLESS_RE = re.compile(r"^(?:[^a-z]|(?<![a-z])(?:hi+|hey+|hello|yo|thanks?|thank you|thx|ty|ok|okay|k|lol|lmao|haha+|"
                         r"hmm+|wow|cool|nice|bye|gn|gm|sup|brb|omg)(?![a-z]))*$")
"""A message of emoji, greetings and laughter only: nothing for a model to read."""


def message_support(message: str, vocab: CatalogVocabulary, shown: Sequence[int] = ()) -> Support:
    """What the message mentions (the parser's mention finders, without any stance)."""
    reader = Reader(message, vocab, shown)
    titles = find_titles(reader)
    refs = find_shown_refs(reader, titles, None)
    _resolve_groups(reader, sorted(titles + refs, key=lambda m: m.start))
    genres = genre_mentions(vocab, reader.text)
    refs = [r for r in refs if not _pronoun_of_a_genre(reader.text, r, genres, titles + refs)]
    return Support(
        genres=frozenset(g for _, _, found in genres for g in found),
        movies=frozenset(m for mention in (*titles, *refs) for m in mention.movies),
        named=frozenset(m for mention in titles for m in mention.movies),
        eras=bool(year_mentions(vocab, reader.text)),
        whole_list=any(mention.kind == "group" and set(mention.movies) == set(reader.shown) for mention in refs)
        or rejects_whole_list(reader.text),
    )


_BARE_PRONOUN_RE = re.compile(r"(?:them|those|em|they)(?: all)?")
_OF_THE_LIST_AFTER_RE = re.compile(r"\s+(?:\w+\s+)?(?:on|in|from)\s+(?:the|your|this|that)\s+(?:list|screen)|\s+(?:here|you\s+\w+ed|shown)\b")
"""What says a pronoun is the list after all ("those on the list", "them here", "those you picked")."""


def _pronoun_of_a_genre(text: str, ref: MovieMention, genres: list[tuple[int, int, list[str]]],
                        mentions: list[MovieMention]) -> bool:
    """A bare "them" / "those" after a genre in the same sentence, with no movie between, stands for the
    genre ("mafia movies make me sick, ban them"; "war movies aren't my thing, fewer of those"), not the list."""
    if ref.kind != "group" or not _BARE_PRONOUN_RE.fullmatch(text[ref.start:ref.end]) or _OF_THE_LIST_AFTER_RE.match(text, ref.end):
        return False
    start = next((a for a, b in _sentences(text) if a <= ref.start < b), 0)
    before = [a for a, _, _ in genres if start <= a < ref.start]
    return bool(before) and not any(before[-1] < m.start < ref.start for m in mentions if m is not ref)


def _taken_back(reader: Reader, mentions: list[MovieMention], index: int) -> bool:
    """Whether the mention is corrected by the next one ("the fourth — no wait, the fifth", "the first. sorry, the second")."""
    if index + 1 >= len(mentions) or mentions[index + 1].kind == "group":
        return False
    return _correction_in(reader.text[mentions[index].end:mentions[index + 1].start]) is not None


def _correction_in(between: str) -> re.Match[str] | None:
    """The words between two films that take the first back ("no wait", "sorry,", "or no"), None when none do."""
    slip = _SLIP_RE.search(between)
    return _CORRECTION_RE.search(between) or (slip if slip and not re.search(r"[.!?]", between[:slip.start()]) else None) \
        or _BARE_SORRY_RE.fullmatch(between)


def _resolve_groups(reader: Reader, mentions: list[MovieMention]) -> None:
    """"The rest" / "the others": the shown movies no other mention names (one named and then taken back still
    counts: "the fourth one — no wait, the fifth. the fifth I'd watch. the rest nah")."""
    named = {m for index, mention in enumerate(mentions) if mention.kind != "group" and not _taken_back(reader, mentions, index)
             for m in mention.movies}
    previous: MovieMention | None = None
    for mention in mentions:
        if mention.kind != "group":
            previous = mention
            continue
        said = reader.text[mention.start:mention.end]
        if re.search(r"rest|others?|other ones|everything else|most of|remaining", said) or said == "all":
            mention.movies = tuple(m for m in reader.shown if m not in named)
        elif previous is not None and previous.kind == "group" and previous.movies != tuple(reader.shown) and \
                re.fullmatch(r"(?:them|those|em)(?: all)?|(?:all|each|both) of (?:them|em|those)", said):
            mention.movies = previous.movies  # "the rest look decent, chuck them all on the list"
        previous = mention


_UNKNOWN_TO_ME_RE = re.compile(
    r"[^.!?;]*?(?<![a-z])(?:(?:i'?ve |i have |we'?ve |we have )?never heard of|(?:are |is )?(?:all )?new to (?:me|us)|no idea|no clue|"
    r"(?:i |we )?(?:haven'?t|have not|never) (?:seen|watched|heard of)|not (?:seen|watched)|not yet|(?:i |we )?(?:don'?t|do not) know|dunno)(?![a-z])")
"""Words right after a film that say the user does not know it ("the rest are new to me"): its own stance, none."""
_WATCHED_RE = re.compile(r"(?<![a-z])(?:seen|watched|saw|sat through|grew up|rewatch\w*|loved|adored|enjoyed|liked|"
                         r"own(?:ed)?|as a kid|childhood|every christmas|classics?|favou?rites?|faves?|all-timers?)(?![a-z])")
"""Words that say the list praised was watched ("seen all of these, loved them"); praise without them wants it."""
_FORMER_LATTER_RE = re.compile(r"(?<![a-z])the (former|latter)(?![a-z])")
"""See :func:`_former_and_latter`."""


def _former_and_latter(reader: Reader, mentions: list[MovieMention]) -> list[MovieMention]:
    """"I've seen the third and the fourth; the former was great, the latter dull": of the last two
    movies named before it, "the former" is the first and "the latter" the second."""
    added = []
    for match in _FORMER_LATTER_RE.finditer(reader.text):
        if any(m.start <= match.start() < m.end for m in mentions):
            continue
        named = list(dict.fromkeys(movie for m in mentions if m.end <= match.start() and m.kind != "pronoun"
                                   for movie in m.movies))
        if len(named) >= 2:
            movie = named[-2] if match.group(1) == "former" else named[-1]
            added.append(MovieMention(match.start(), match.end(), (movie,), "position"))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


_GROUP_DESCRIBED_RE = re.compile(r"\s*(?:all\s+)?(?:are|look|looks|seem|sound|feel|'re|r)\s")
"""The list described right after it is named ("these all look …", "those are …")."""
_OWN_VERDICT_RE = re.compile(
    r"(?<![a-z'])(?<!say )(?<!saying )(?<!that )(?:i|we)\s+(?:(?:still|really|just|absolutely|honestly|genuinely|totally|actually|kinda|secretly)\s+)?"
    r"(?:(?:love|loved|adore|adored)|(?P<hate>hate|hated|loathe|loathed|can'?t stand|cannot stand|couldn'?t stand))\s+"
    r"(?:it|every (?:minute|second|bit)(?: of it)?)(?!\s+(?:when|if|that|whenever|because)\b)(?![a-z'])")
"""The user's own verdict on the film said after a description of it: it decides ("the last one is so
stupid i love it", "the first one is great but i hate it"); not "i love it when people …", nor a verdict
denied ("wouldn't say i loved it", "not that i hated it")."""
_ELLIPTICAL_VERDICT_RE = re.compile(
    r"\s*(?:(?:yes|yeah|yep)\s*)?(?:[,(:;–—-]|and)\s*(?:(?:seen|watched|saw)\s+it(?:\s+(?:twice|again|already))?\s*(?:[,;]|and)\s*)?"
    r"(?:(?:really|absolutely|honestly|still|totally)\s+)?(?:love|loved|adore|adored|(?P<hate>hate|hated|loathe|loathed))"
    r"\s+it(?![a-z'])")
"""The user's verdict with its "I" left out, right after the film ("I've seen the first, loved it, and …",
"Ghostbusters yes (seen it, love it)"): the film's, even where another film follows in the sentence."""
_BUT_OWN_VERDICT_RE = re.compile(r"[^.!?;,]*?(?<![a-z])but\s+" + _OWN_VERDICT_RE.pattern + r"\s*(?:[,.!;]|$)")
"""The user's verdict after "but", which opens a statement of its own, on the film before it ("is pure cheese
but i love it, …")."""
_LOVED_IT_RE = re.compile(r"(?<![a-z])(?:(?:i|we|honestly|still)\s+(?:\w+\s+)?(?:loved?|adored?|enjoyed|liked)\s+(?:it|every|that)|"
                          r"(?:it|that|this)\s+a+te+)\b")
"""Praise of the whole film said by the user ("but i loved it", "but it ate"), not of one side ("however beautifully lit")."""


def _movie_stances(reader: Reader, mentions: list[MovieMention], sentiment: Sentiment) -> list[str | None]:
    """The field each mention's statement puts it in (None: the words say nothing about it).

    A mention's words run from the previous mention (or the statement's start) to the next one
    (or its end). A mention with no stance of its own shares its neighbour's when only "and" /
    "," stand between them ("Alien, Heat and Fargo were great"), else takes the stance of the
    statements right after it that name no movie ("the dark knight!!! heath ledger was unreal").
    """
    text = reader.text
    bounds = _sentences(text)
    fields: list[str | None] = [None] * len(mentions)
    own_words: dict[int, dict] = {}  # each mention's own words, as given to stance()
    by_sentence: list[list[int]] = [[i for i, m in enumerate(mentions) if s <= m.start < e] for s, e in bounds]
    for (start, end), members in zip(bounds, by_sentence):
        asks = _QUESTION_RE.match(text, start) is not None and "?" in text[end:end + 2]
        for position, index in enumerate(members):
            mention = mentions[index]
            # "these", "all of them": the list on screen; "both" after two titles named is those films, judged as any
            listed = mention.kind == "group" and set(mention.movies) <= set(reader.shown)
            left = mentions[members[position - 1]].end if position else start
            right = mentions[members[position + 1]].start if position + 1 < len(members) else end
            right = _before_a_taste(reader, mention.end, right)
            own_words[index] = dict(before=text[left:mention.start], after=text[mention.end:right], sentiment=sentiment,
                               weak=mention.weak, shared_before=position > 0, known=mention.kind in ("title", "quoted"),
                               listed=listed, shared_after=position + 1 < len(members),
                               on_screen=bool(mention.movies) and set(mention.movies) <= set(reader.shown),
                               sole_card=mention.weak and len(reader.shown) == 1)
            fields[index] = stance(**own_words[index])
            fields[index] = rather_than(text[start:mention.start]) or fields[index]
            if mention.kind != "group" and (verdict := _OWN_VERDICT_RE.search(text, mention.end, right)
                                            or _ELLIPTICAL_VERDICT_RE.match(text, mention.end, right)):
                fields[index] = "disliked" if verdict.group("hate") else "liked"  # "the fourth is trash and i love it"
            if listed and fields[index] is None and _GROUP_DESCRIBED_RE.match(text, mention.end, right) \
                    and sounds_negative(text[mention.end:right]):
                fields[index] = "not_interested"  # "these all look dreary", "these are all a bit tame"
            if listed and fields[index] == "disliked":
                fields[index] = "not_interested"  # "all of these are so depressing": turned down, not watched
            if listed and fields[index] == "liked" and not _WATCHED_RE.search(text) \
                    and not any(m.kind in ("title", "quoted", "position", "shown_title") for m in mentions):
                fields[index] = "watchlist"  # "these are all great picks": wanted, not watched
            clause = max((m.end() for m in re.finditer(r"[,;:]", text[start:mention.start])), default=0) + start
            asks_here = asks or (clause > start and "?" in text[end:end + 2] and _QUESTION_RE.match(text, clause) is not None)
            if asks_here and fields[index] not in ("similar_to",):
                fields[index] = None  # "is the second one scary?", "i haven't seen it, is it good?": a question judges nothing
        for position, index in enumerate(members):  # "the first is a banger and so is the third"
            if fields[index] is None and position and _SAME_AS_BEFORE_RE.search(text[mentions[members[position - 1]].end:mentions[index].start]):
                fields[index] = fields[members[position - 1]]
        for _ in range(2):  # shared stances spread along "X, Y and Z"
            for position, index in enumerate(members):
                if fields[index] is not None:
                    continue
                for neighbour in (position - 1, position + 1):
                    if 0 <= neighbour < len(members) and fields[members[neighbour]] is not None:
                        first, second = sorted((index, members[neighbour]))
                        between = text[mentions[first].end:mentions[second].start]
                        numbers = text[mentions[first].start:mentions[first].end].isdigit() and \
                            text[mentions[second].start:mentions[second].end].isdigit()
                        own_end = mentions[members[position + 1]].start if position + 1 < len(members) else end
                        if _UNKNOWN_TO_ME_RE.match(text, mentions[index].end, own_end):
                            break  # "seen the first, the rest i've never heard of": a stance of its own, none to share
                        if CONNECTOR_RE.match(between) or (numbers and between == " "):  # "no to 1 2 4 and 5"
                            fields[index] = fields[members[neighbour]]
                            break
    for index, mention in enumerate(mentions):  # "rocky 4 is pure cheese but i love it, rocky 5 not so much"
        right = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        verdict = _BUT_OWN_VERDICT_RE.match(text, mention.end, right)
        if verdict and mention.kind != "group" and not mention.weak:
            fields[index] = "disliked" if verdict.group("hate") else "liked"
    for number, members in enumerate(by_sentence):
        start, end = bounds[number]
        for index in members:  # "I adore When Harry Met Sally, got anything in the same spirit?"
            rest = re.split(r"[,:]|(?<![a-z])(?:and|so)(?![a-z])", text[mentions[index].end:end], maxsplit=1)
            if len(rest) > 1 and _SIMILAR_TAIL_RE.search(rest[1]) and fields[index] in (None, "liked", "seen", "watchlist"):
                fields[index] = "similar_to"  # (seen: "she grew up on it and asked me for something with the same feel")
        following: list[tuple[str, bool]] = []
        asked: list[str] = []
        for (first, last), others in zip(bounds[number + 1:], by_sentence[number + 1:]):
            said = text[first:last]
            if others or asks_for_tastes(reader.vocab, said):
                break  # a statement about another movie, or about genres and eras, is not about this one
            marked = "?" in text[last:last + 2] and not _UPTALK_RE.match(said)  # ("I didn't really enjoy it?" tells)
            worded = re.match(r"\W*(?:do|does|should|is|are|what|who|why(?!\s+not\b)|how|can|could)\b"
                              r"(?!\s+(?:very|so|really|such|quite|pretty|too|just)\b)", said) \
                and not re.match(r"\s*[.!]", text[last:last + 2])
            if marked or worded:
                # (not "Is my favourite.": a statement that drops its subject)
                asked.append(said)
                continue  # a question asks, it does not judge
            contrast = bool(re.search(r"(?:but|though|although|however|tho)\W*$", text[max(0, first - 12):first]))
            following.append((text[first:last], contrast))
        if not following and not asked:
            continue
        if _SIMILAR_TAIL_RE.search(" ".join([f for f, _ in following] + asked)):
            for index in members:
                if mentions[index].kind in ("title", "quoted", "shown_title", "position") and \
                        fields[index] in (None, "liked", "watchlist", "seen"):
                    fields[index] = "similar_to"  # "The fourth one's more my speed. Could you find a few more like it?"
            continue
        if _QUESTION_RE.match(text, start) and "?" in text[end:end + 2] and not _ASKS_IF_SEEN_RE.match(text, start):
            continue  # what follows a question about a movie answers something else ("have you seen X? I loved it" does not)
        for index in members:
            tail = _tail_stance(following, sentiment, known=mentions[index].kind in ("title", "quoted"))
            if mentions[index].weak and fields[index] is None and not (
                    following and following[0][1] and tail in ("watchlist", "not_interested")):
                continue  # a bare "it" takes only a decision said against it: "never heard of it but I'm in"
            own = _OWN_VERDICT_RE.match(following[0][0].lstrip(" ,")) if following and following[0][1] else None
            if own and index == members[-1] and mentions[index].kind != "group":
                fields[index] = "disliked" if own.group("hate") else "liked"  # "the first one is great but i hate it"
            elif fields[index] is None:
                fields[index] = tail
            elif fields[index] == "seen" and tail in ("liked", "disliked") and not (
                    index in own_words and says_lukewarm(own_words[index]["before"], own_words[index]["after"])
                    and not any(says_a_verdict(said) for said, _ in following)):
                # "watched it on our first date!! such a cute movie"; not "saw it in IMAX, it was ok. loud. very
                # loud.", where a lukewarm verdict outweighs complaints about one side
                fields[index] = tail
            elif fields[index] in ("liked", "disliked") and (score := next(
                    (f for said, _ in following if (f := score_only(said)) is not None), None)):
                fields[index] = score  # "Watched X: sumptuous, but emotionally inert. 3 stars.": the score is the verdict
            elif fields[index] == "seen" and tail == "not_interested" and any(
                    sounds_negative(said) and says_a_verdict(said) for said, _ in following):
                fields[index] = "disliked"  # "I watched it with my book club. Not for me, sadly!"
            elif fields[index] == "watchlist" and tail == "seen" and _I_SAW_IT_RE.search(" ".join(said for said, _ in following)):
                fields[index] = "seen"  # "When Harry Met Sally is Meg's pick. I'm neutral on it — seen it, it was fine."
            elif fields[index] == "watchlist" and tail == "disliked" and any(says_a_verdict(said) for said, _ in following):
                fields[index] = "disliked"  # "the first one is 'a classic', sure. fell asleep halfway": watched, not a pick
            elif fields[index] == "watchlist" and tail == "not_interested" and following[0][1] and index == members[-1]:
                fields[index] = "not_interested"  # "the fourth sounds interesting but i'm not in the mood"
            elif fields[index] == "not_interested" and tail == "disliked":
                fields[index] = "disliked"  # "the 4th one.. no.. seen it, hated it": turned down for having watched it
            elif (fields[index], tail) == ("disliked", "liked") and index == members[-1] \
                    and not says_a_verdict(text[start:mentions[index].start] + " " + text[mentions[index].end:end]) \
                    and any(says_a_verdict(said) for said, _ in following):
                fields[index] = "liked"  # "the ring gave me nightmares for a week. amazing": a side, then the verdict
            elif following and following[0][1] and ({fields[index], tail} == {"liked", "disliked"} or (
                    (fields[index], tail) == ("not_interested", "liked") and _LOVED_IT_RE.search(following[0][0]))) \
                    and says_a_verdict(following[0][0]) and index == members[-1]:  # the nearest movie only
                fields[index] = tail  # "the fly grossed me out so bad but honestly loved every second", "the third
                # scared me so bad but i loved it" (had read as turned down);
                # not "I loved Titanic but it was way too long": a complaint about one side is no verdict
    for index in range(1, len(mentions)):  # "the thing I'd rate 5 stars. alien too."
        if fields[index] is None and mentions[index].movies and _TOO_RE.match(text, mentions[index].end):
            fields[index] = next((f for f in reversed(fields[:index]) if f is not None), None)
    _judged_in_turn(mentions, fields, own_words)
    return fields


def _judged_in_turn(mentions: list[MovieMention], fields: list[str | None], own_words: dict[int, dict]) -> None:
    """A complaint about one film among films the user judges as watched is a verdict on a film watched too
    ("scream: loved / scream 2: ok / 3: bad", "first pirates ok lah. the 3rd one damn long"): read again as a
    film the user knows, it is disliked, when its own words condemn it outright and turn no suggestion down ("pass",
    "a bit too scary for me")."""
    watched = {m.movies for m, f in zip(mentions, fields) if m.kind != "group" and f in ("liked", "disliked", "seen")}
    for index, mention in enumerate(mentions):
        if fields[index] != "not_interested" or mention.kind == "group" or index not in own_words \
                or not watched - {mention.movies}:
            continue
        words = own_words[index]
        if condemns_without_refusing(words["before"], words["after"]) \
                and stance(**{**words, "known": True, "on_screen": False}) == "disliked":
            fields[index] = "disliked"


_I_SAW_IT_RE = re.compile(r"(?<![a-z])(?:(?:i'?ve|i have|we'?ve|we have|i|we)\s+(?:already\s+)?)?(?:seen|watched|saw)\s+"
                          r"(?:it|that one|this one)(?![a-z])")
"""The user's own watch of the film just named ("seen it", "I've watched it"): what was read as a wish was no wish."""
_TASTE_OPENS_RE = re.compile(r"(?:,|;|(?<![a-z])and|(?<![a-z])but)\s+(?:(?:i want|i'd like|give me|maybe)\s+)?"
                             r"(?:more|some|less|fewer|no more|any)\s+$")


def _before_a_taste(reader: Reader, start: int, end: int) -> int:
    """Where a movie's words end before a wish for a genre joined to them: "alien three was terrible and more sci fi
    would be nice" judges the film by "was terrible" only."""
    for position, _, _ in genre_mentions(reader.vocab, reader.text[start:end]):
        opens = _TASTE_OPENS_RE.search(reader.text, start, start + position)
        if opens:
            return opens.start()
    return end


_TOO_RE = re.compile(r"\s*(?:too|as well|also|aswell|likewise)\s*(?:[.!,;]|$)")
"""A movie said with only "too" after it shares the last stance given ("Alien too.", "shawshank too,")."""


_SAME_AS_BEFORE_RE = re.compile(r"(?:and|,|;)\s*(?:so|same|ditto|likewise|same goes|the same goes) (?:is|was|are|were|for|with|"
                                r"goes for|does|did)?\s*(?:the\s+)?$")
"""Words that give a movie the stance of the one before ("… and so is the third", "same for #4")."""
_QUESTION_RE = re.compile(r"\W*(?:is|are|was|were|does|do|did|has|have|had|can|could|would|will|should|what|why|who|"
                          r"which|how|where|when|if you had|any|anything)\b")


_UPTALK_RE = re.compile(r"\W*(?:(?:honestly|but|and|so|well|um+|idk|i mean|i guess|like|though),?\s+)*(?:i|we)\s+"
                        r"(?:(?:really|just|kinda|kind of|sort of|actually|never|still|honestly)\s+)*"
                        r"(?:didn'?t|did not|don'?t|do not|liked|loved|enjoyed|hated|found|thought|think|fell asleep|got bored|"
                        r"was bored|wasn'?t|was not)(?![a-z])|"
                        r"\W*(?:(?:honestly|but|so|well|um+|idk|i mean|i guess|though),?\s+)*(?:probably|prolly|maybe|perhaps) not\W*$")
"""A statement of one's own taste said with a rising "?" ("I didn't really enjoy it?", "I found it slow?", "honestly,
probably not?"): a hedge, not a question."""


_ASKS_IF_SEEN_RE = re.compile(r"\W*(?:have you (?:ever )?(?:seen|watched|heard of)|did you (?:ever )?(?:see|watch)|"
                              r"do you know|you seen|ever seen)\b")
"""A question whether the assistant knows a film: the statements after it are the user's own about it."""


def _tail_stance(sentences: list[tuple[str, bool]], sentiment: Sentiment, known: bool) -> str | None:
    """The stance of the statements after a movie that name none: the first that takes one, unless
    a later one says "but" ("i get why ppl love it but it just wasn't for me"), turns a bare
    "seen" into an opinion ("Citizen Kane. Fell asleep. Twice.") or a turn-down into a watched
    verdict ("no.. seen it, hated it"), or follows a concession ("Casablanca. Yes, yes, a classic. Didn't do it
    for me.")."""
    decided: str | None = None
    conceded = False
    for sentence, contrast in sentences:
        field_name = "watchlist" if contrast and _WANT_TO_RE.fullmatch(sentence) else \
            stance("", sentence, sentiment, known=known, detached=True)
        contrast, conceded = contrast or conceded, bool(_CONCESSION_RE.match(sentence))
        if field_name is None:
            continue
        if decided is None or contrast or (decided == "seen" and field_name in ("liked", "disliked")) \
                or (decided == "not_interested" and field_name == "disliked") \
                or (decided in ("liked", "disliked") and score_only(sentence) is not None):  # "… inert. 3 stars."
            decided = field_name  # (a turn-down then a watched verdict: "no.. seen it, hated it")
    return decided


_CONCESSION_RE = re.compile(r"\W*(?:yes,? yes|yeah,? yeah|i know,? i know|sure,? sure|ok,? ok|okay,? okay|fine,? fine|"
                            r"granted|admittedly|fair enough)(?![a-z])")
"""A statement that concedes what others say ("Yes, yes, a classic."): the verdict after it is the user's own."""
_WANT_TO_RE = re.compile(r"\W*(?:i\s+)?(?:really\s+|do\s+|still\s+|def\s+|definitely\s+)?(?:want to|wanna|would like to|"
                         r"'?d (?:love|like) to|intend to|plan to|mean to|will|will soon|need to)\W*")
"""A wish with its verb left out after "but": "the second I've never seen but want to"."""
_SIMILAR_TAIL_RE = re.compile(
    r"(?<![a-z])(?:in the same (?:spirit|vein|vibe)|(?<!felt )(?<!seen )(?<!watched )anything like (?:it|that|this)|"
    r"something like (?:it|that|this)|mair like (?:it|that|this)|more like am|similar one(?: or not)?|"
    r"(?:des |d'autres )?(?:trucs|films) comme (?:ca|celui-la|celui la|celui-ci)|"  # Scots, Nigerian, Singlish, French
    r"more like (?:it|that|this)|similar(?: ones| stuff| movies| films)?(?: pls| please| plz)?\??$|similar (?:pls|please|plz)|got anything similar|along those lines|"
    r"something similar|anything similar|similar ones|more of (?:the same|that|those)|same lane|"
    r"along (?:those|these|the same) (?:same )?lines|(?:others?|more|films?|movies?|ones|something|anything|stuff|things) "
    r"of (?:that|this|the same) (?:kind|sort|type|ilk|stripe)|(?:stuff|something|anything|films?|movies?|things?) "
    r"that (?:feels?|felt) like (?:that|it|this)|"
    r"like that\?|same vibe|same energy|(?:anything|something|more|films?|movies?)(?: else)? with (?:that|the same)|"
    r"in that same|that same (?:kind|sort|vibe|energy|feel|spirit|tone|style|mood)|more of that|more like (?:him|her)|"
    r"in that spirit|in the same spirit|(?:cut )?from (?:that|the) same cloth|anything comparable|something comparable|"
    r"(?:a few|some) more like|that feeling again|(?:close|closest|similar) to (?:that|it|this)|in that vein|"
    r"(?:that|this),? but again|another one like (?:that|it|this)|more in that (?:line|mould|mold|style)|"
    r"(?:in|from|of|with) (?:that|the) same (?:mould|mold|lane|feel|kind|style|tone|stripe|ilk)|find (?:me|us) a third|"
    # "i need more slow burn detective stuff like it" (a wish said as such: not "don't want more films like that")
    r"(?<!n't )(?<!not )(?<!never )(?:need|want|give me|show me|find me|got any|any)\s+(?:some\s+|more\s+|a few\s+|other\s+)?"
    r"(?:[a-z-]+\s+){0,4}?(?:stuff|films?|movies?|things?|ones?|flicks?)\s+like (?:it|that|this))(?![a-z])"
)


_CORRECTION_RE = re.compile(r"(?<![a-z])(?:no wait|wait no|no,? actually|actually,? no|i mean|scratch that|correction|"
                            r"make that|or rather|rather,)(?![a-z])")
_SLIP_RE = re.compile(r"(?<![a-z])(?:no,? sorry|sorry,? no|or no|oops|whoops|(?:i )?meant(?! to))(?![a-z])")
"""A slip owned in the sentence that named the film ("like heat, or no, more like collateral", "shrek, oops, meant
toy story"), from a checklist of our own; "loved it. I meant the other one" takes nothing back."""
_BARE_SORRY_RE = re.compile(r"\W*(?<![a-z])(?:sorry|soz|sry)(?![a-z])\W*")
"""Only "sorry" between two films ("skip the first. sorry, the second"): the second is meant instead."""
_STATEMENT_OR_SLIP_RE = re.compile(rf"[.!?]|{_SLIP_RE.pattern}|{_CORRECTION_RE.pattern}")
"""Where the words said of a film taken back can begin: after a sentence's end or an earlier correction."""
_PICK_RE = re.compile(r"^\W*(?:(?:ooh+|oh+|omg|ok|okay|yes+|yeah|yep|hmm+|so|then|fine|alright|i'?ll (?:go with|take|pick|have)|"
                      r"(?:i|we) want|give me|gimme|(?:we'?re |i'?m )?(?:going|settling|settle) (?:with|on)|"
                      r"let'?s (?:go with|do)|definitely|def)\W+)*@(?:\W+(?:please|pls|plz|then|it is|"
                      r"for me|for us|tonight|lol|i guess|i suppose|final answer|!+|(?:i )?haven'?t seen it(?: yet)?|"
                      r"never seen it|not seen it yet|if (?:it'?s|it is|its|it has|it isn'?t|it'?s not|there'?s)\b[^.!?]*|"
                      r"for (?:tonight|tomorrow|later|the weekend|this weekend|next weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
                      r"(?: night)?|(?:date|movie|family|game) night)))*\W*$")
"""A message that only names one card, with at most a word of assent ("ooh the 1st", "ok that one") or a
condition ("the fourth if it's on netflix"): a pick."""
_CONDITIONAL_PICK_RE = re.compile(r"^\W*if\s+@[^.!?@]*?,\s*(?:then\s+)?(?:sure|ok|okay|yes|yeah|yep|fine|i'?m in|go for it|"
                                  r"why not|deal|i'?ll (?:take|watch) it)\W*$")
"""A card taken on a condition said first ("if the second isn't too long, sure"), from a checklist of our own."""


_CORRECTED_PICK_RE = re.compile(r"^\W*(?:(?:wait|no+|nope|sorry|oops|actually|ugh|my bad|wrong one)\W+)*"
                                r"(?:i meant|i mean|meant|wrong one|no+\W+no+|my bad)\W+(?:(?:it'?s|it was)\s+)?@")
"""A correction of the last reading that names the card meant ("wait no, i meant the third", "no no, the last one")."""

_CORRECTING = r"(?:wait|no+|nope|sorry|oops|actually|ugh|hang on)\W+"
_SAYS_MEANT_RE = re.compile(rf"^\W*(?:{_CORRECTING})*(?:i meant|meant|my bad|wrong one)(?![a-z])|^\W*(?:{_CORRECTING})+i mean(?![a-z])")
"""A message that says the last reading was wrong ("sorry, I meant comedies", "my bad, the 2nd"); a
filler "I mean" ("i mean, it was ok") is no correction."""


_NOT_A_VERDICT_RE = re.compile(r"(?<![a-z])(?:thanks|thank you|thx|ty|cheers|hi|hello|hey|something|anything|"
                               r"somethin|smth|another|others?|more|less)(?![a-z])|\?")
"""Greetings, questions and wishes: a message with one of these and no reference is not a verdict on the card."""


_BARE_ANSWER_RE = re.compile(
    r"^\W*(?:(?P<yes>(?:(?:oh|ooh|ok|okay|hell|heck|then)\s+)?(?:yes+|yeah|yep|yup|ya|sure|absolutely|definitely|"
    r"def|yes please|sure thing|go on then|that'?s a yes(?: from me)?|i'?m in|sold|deal)(?:[\s,.!]+|$))+|"
    r"(?P<no>(?:absolutely|definitely|certainly|def|hell|heck) (?:not|no)|no way|not a chance|not in a million years))\W*$")
"""A message that is only a yes or a no ("yes yes yes", "absolutely not"): with one card on screen, the
answer to it."""


_LUKEWARM_ALONE_RE = re.compile(r"\W*(?:" + "|".join(map(re.escape, WATCHED_LUKEWARM)) + r")\W*")
"""A message that is only a lukewarm word ("meh"): to the one suggestion on screen, no sign it was watched."""


def _implicit_single(reader: Reader, mentions: list[MovieMention], fields: list[str | None], sentiment: Sentiment) -> None:
    """One movie on screen and a reaction that names nothing ("ya la vi", "think I'll pass, mate"):
    the reaction is to that movie, when it says so plainly (an act or a watch, not a mood).

    With several cards on screen such a reaction is left unread: on the set's dev split, taking a
    turn-down or a "seen" as the top card's read 8 more messages right, but on test it invented
    events about the top card in 3 messages for 2 more read right (2026-12-04).
    """
    reading_text = reader.text
    words = re.sub(r"[^\x00-\x7f]", " ", reading_text)  # (emoji alone never count)
    if _LUKEWARM_ALONE_RE.fullmatch(words):
        return  # a bare "meh": the list's turn-down reads it
    answer = _BARE_ANSWER_RE.match(reading_text)
    decided = ("watchlist" if answer.group("yes") else "not_interested") if answer else \
        stance("", reading_text, sentiment, weak=True)
    if decided is None and re.search(r"[a-z]", words) and not _NOT_A_VERDICT_RE.search(words) \
            and not genre_mentions(reader.vocab, words) and not year_mentions(reader.vocab, words):
        decided = stance("", words, sentiment, on_screen=True)  # "clichéd from top to bottom": a verdict on the card
    if decided is not None:
        mentions.append(MovieMention(len(reading_text), len(reading_text), (reader.shown[0],), "pronoun", weak=True))
        fields.append(decided)


SARCASM_RE = re.compile(r"[🙄😒]|/s\b|said no ?(?:one|body) ever|(?<![a-z])(?:yeah|yea) right(?![a-z])|[.!]\s*not\W*$|"
                        r"(?<![a-z])oh,? joy(?![a-z])")
"""A mark that the praise around it is meant the other way ("can't wait 🙄", "sounds thrilling /s",
"my favourite thing ever... said no one ever"), from a checklist of our own."""


def _sarcasm(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """Praise marked as sarcasm turns the movie down: a card on screen is not wanted, a film named was disliked."""
    if not SARCASM_RE.search(reader.text):
        return
    for index, mention in enumerate(mentions):
        if fields[index] in ("liked", "watchlist"):
            on_screen = bool(mention.movies) and set(mention.movies) <= set(reader.shown)
            fields[index] = "not_interested" if on_screen or fields[index] == "watchlist" else "disliked"


def _listed_scores(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """"robocop 8, total recall 8, starship troopers 5", "the second 3, fourth 8": a number after each of two or
    more titles or cards is its score out of 10, where no other word judges it."""
    scored = [(index, BARE_SCORE_RE.match(reader.text, mention.end)) for index, mention in enumerate(mentions)
              if mention.kind in ("title", "quoted", "position", "shown_title") and len(mention.movies) == 1]
    scored = [(index, match) for index, match in scored if match]
    if len(scored) < 2:
        return
    for index, match in scored:
        if fields[index] is None:
            fields[index] = score_field(float(match.group("score")) / 10)


def _signed_lines(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """"+ heat / + alien / - cats": a line opened by "+" likes its film and one opened by "-" dislikes it, where the
    message signs lines both ways and no other word judges the film."""
    for index, mention in enumerate(mentions):
        sign = line_sign(reader.text, mention.start) if mention.movies and fields[index] is None else None
        if sign:
            fields[index] = "liked" if sign == "more" else "disliked"


def _corrections(reader: Reader, mentions: list[MovieMention], fields: list[str | None], sentiment: Sentiment) -> None:
    """"the second one, no wait, actually the fourth", "the third, no sorry, the fourth": the first reading is taken back."""
    for index in range(len(mentions) - 1):
        between = reader.text[mentions[index].end:mentions[index + 1].start]
        correction = _correction_in(between)
        if correction:
            opening = max([mentions[index - 1].end if index else 0,  # (past any earlier slip: "the third, no sorry,")
                           *(m.end() for m in _STATEMENT_OR_SLIP_RE.finditer(reader.text, 0, mentions[index].start))])
            said_before = stance(reader.text[opening:mentions[index].start], between[:correction.start()], sentiment,
                                 on_screen=True)
            if fields[index + 1] is None and mentions[index + 1].movies and said_before is not None:
                fields[index + 1] = said_before  # "the third looks good, no sorry, the fourth": said of the fourth
            fields[index] = None


def _picks(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    named = [i for i, m in enumerate(mentions) if m.movies and m.kind != "group"]
    if named and _CORRECTED_PICK_RE.match(reader.text[:mentions[named[0]].start] + "@"):
        # "wait no, i meant the third", "sorry, i meant the second not the first": the "no" takes back the
        # last reading, it turns nothing down; the card meant is the pick, the one named after "not" is no answer
        fields[named[0]] = fields[named[0]] if fields[named[0]] not in (None, "not_interested") else "watchlist"
        for index in named[1:]:
            if re.search(r"(?<![a-z])not\s+$", reader.text[mentions[index - 1].end:mentions[index].start]):
                fields[index] = None
        return
    if len(named) == 1 and fields[named[0]] is None and not mentions[named[0]].weak:
        mention = mentions[named[0]]
        template = reader.text[:mention.start] + "@" + reader.text[mention.end:]
        if _PICK_RE.match(template) or _CONDITIONAL_PICK_RE.match(template):
            fields[named[0]] = "watchlist"
    elif len(named) > 1 and all(fields[i] is None and mentions[i].kind == "position" for i in named):
        # "1 + 4", "the second & the third": cards joined by "and" / "+" with nothing else are picks
        template, end = "", 0
        for index in named:
            template += reader.text[end:mentions[index].start] + "@"
            end = mentions[index].end
        template = re.sub(r"@(?:\s*(?:[,&+/]|and|plus)\s*(?:the\s+)?@)+", "@", template + reader.text[end:])
        if template.count("@") == 1 and _PICK_RE.match(template):  # not "@ < @": "@" is no word, _PICK_RE would take it
            for index in named:
                fields[index] = "watchlist"


_NEITHER_RE = re.compile(r"(?:^|(?<=[^a-z]))neither\s+$")
_SEEN_BEFORE_RE = re.compile(r"(?<![a-z])(?:seen|watched|heard of|know|remember)\s+(?:either\s+)?$")
"""Before "neither": the pair is what the user has not seen, not what they turn down."""


def _neither_nor(reader: Reader, mentions: list[MovieMention], fields: list[str | None], sentiment: Sentiment) -> None:
    """"neither the first nor the second appeals", "nor the last one": what is said after the last of
    them is said of each, and denied; a film watched that was "any good" is disliked, the rest turned down.
    "I've seen neither the first nor the second" judges nothing."""
    for index, mention in enumerate(mentions):
        if not mention.movies or mention.kind == "group":
            continue
        before = reader.text[:mention.start]
        if index and re.fullmatch(r"\W*nor\s+", reader.text[mentions[index - 1].end:mention.start]):
            continue  # the second of a pair: read with the first
        if not _NEITHER_RE.search(before) and not (re.match(r"\W*nor\s+$", before) and index == 0):
            continue
        pair = [index]
        while pair[-1] + 1 < len(mentions) and re.fullmatch(
                r"\W*(?:,\s*)?(?:nor|or)\s+", reader.text[mentions[pair[-1]].end:mentions[pair[-1] + 1].start]):
            pair.append(pair[-1] + 1)
        if _SEEN_BEFORE_RE.search(before.rsplit("neither", 1)[0]):
            for member in pair:
                fields[member] = None
            continue
        after = re.split(r"[.!?;]", reader.text[mentions[pair[-1]].end:])[0]
        lead = re.split(r"[.!?;]", before.rstrip().removesuffix("neither").removesuffix("nor"))[-1]
        said = stance("", after, sentiment) or stance(lead, "", sentiment)  # "… was any good", "I liked neither …"
        if said is None and re.match(r"\s*(?:was|were)\b", after):
            said = "liked"  # "neither the second nor the third was any good": both watched, neither good
        field = "disliked" if said == "liked" else None if said in ("disliked", "not_interested") else "not_interested"
        for member in pair:
            fields[member] = field


_BETTER_WORDS = ("better", "funnier", "smarter", "stronger", "sharper", "tighter", "more fun", "more entertaining",
                 "more enjoyable", "more gripping")
_WORSE_WORDS = ("worse", "weaker", "duller", "dumber", "sillier", "more boring", "less fun")
"""Comparatives that rank one film above or below another as "better" / "worse" do ("shrek 2 was funnier than
shrek"), from a checklist of our own; "darker" or "longer" than rank nothing."""
_COMPARED_RE = re.compile(r"\s+(?:(?:(?:is|was|'s|s|are|were)\s+)?(?:(?:way|much|far|a lot|so much|miles|a bit|slightly|"
                          r"(?P<even>even)|just|honestly|definitely)\s+)*(?P<word>" + "|".join(_BETTER_WORDS + _WORSE_WORDS) + r")\s+than|(?:still\s+)?"
                          + BETTER_THAN + "|(?P<below>" + WORSE_THAN + r"))\s+(?:the\s+)?")
_PREFERRED_RE = re.compile(r"(?<![a-z])(?:i|we)\s+(?:(?:much|really|definitely|probably|kinda|slightly)\s+)?prefer(?:red)?\s+$")


_STANDARD_BEFORE_RE = re.compile(
    r"(?<![a-z'])(?:(?!rather|other|sooner)[a-z]+er\s+than|(?:more|less)\s+[a-z]+\s+than|(?:as|so)\s+[a-z]+\s+as|"
    r"(?:a\s+)?patch\s+on|compared\s+(?:to|with)|next\s+to|(?:rip-?off|knock-?off|copy|clone)\s+of)"
    r"\s+(?:the\s+)?(?:(?:first|original|og)\s+)?$")
_STANDARD_AFTER_RE = re.compile(r"\s+(?:rerun|rip-?off|knock-?off|clone|wannabe|lite)(?![a-z])")
"""Words that make a film named after (or before) them the measure another is held to ("tighter than T2",
"wasn't a patch on the first Die Hard", "a bloated Goodfellas rerun"): no verdict on it."""
_BEST_OF_ALL_RE = re.compile(r"(?<![a-z])(?:nothing|no one|nobody|none|no film|no movie)(?![a-z])")
_CLAUSE_END_RE = re.compile(r"[.!?;,]")


def _comparison_standards(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """A named film that is only the measure of another gets no event of its own; the stance its clause
    carries belongs to the film compared ("it's tighter than T2. Love it"). Pairs of named films are
    read after this by :func:`_comparisons` ("heat is better than casino": heat liked)."""
    for index, mention in enumerate(mentions):
        if not mention.movies or fields[index] is None or mention.kind not in ("title", "quoted", "shown_title"):
            continue
        clause_start = max((m.end() for m in _CLAUSE_END_RE.finditer(reader.text, 0, mention.start)), default=0)
        before = reader.text[clause_start:mention.start]
        if (_STANDARD_BEFORE_RE.search(before) and not _BEST_OF_ALL_RE.search(before)) \
                or _STANDARD_AFTER_RE.match(reader.text, mention.end):
            fields[index] = None


def _comparisons(reader: Reader, mentions: list[MovieMention], fields: list[str | None], sentiment: Sentiment) -> None:
    """"the first is better than the second", "i prefer heat over casino": the better one is liked (a
    card preferred to another is picked); the other is judged only by words of its own after it."""
    for index in range(len(mentions) - 1):
        first, second = mentions[index], mentions[index + 1]
        if not (first.movies and second.movies):
            continue
        between = reader.text[first.end:second.start]
        compared = _COMPARED_RE.fullmatch(between)
        preferred = re.fullmatch(r"\s+(?:to|over|rather than)\s+(?:the\s+)?", between) and \
            _PREFERRED_RE.search(reader.text[max(0, first.start - 30):first.start])
        below = re.fullmatch(r"\s*<+(?!3)\s*(?:the\s+)?", between)  # "goodfellas < pulp fiction" (not the heart "<3")
        if below:
            fields[index + 1] = "liked"
            continue
        if not (compared or preferred):
            continue
        sentence_end = re.search(r"[.!?;]|$", reader.text[second.end:])
        if "?" in reader.text[second.end:second.end + sentence_end.end()]:
            continue  # "is the first better than the second?": a question
        # "the second is worse than the first", "casino doesn't hold a candle to goodfellas"
        worse_first = bool(compared and (compared.group("word") in _WORSE_WORDS or compared.group("below")))
        better_index, other_index = (index + 1, index) if worse_first else (index, index + 1)
        if preferred and mentions[better_index].kind == "position":
            fields[better_index] = "watchlist"  # "i prefer the third to the fourth": a pick between suggestions
        else:
            fields[better_index] = "liked"
        own = stance("", reader.text[second.end:second.end + sentence_end.start()], sentiment)
        fields[other_index] = own if other_index == index + 1 else None
        if compared and compared.group("even"):
            # "toy story 2 is even better than toy story": both good; "even worse than": both bad
            fields[index + 1] = fields[index] = "disliked" if compared.group("word") in _WORSE_WORDS else "liked"
        elif compared and compared.group("below") and re.search(COPIED, compared.group("below")):
            fields[other_index] = "disliked"  # "the matrix reloaded is a pale copy of the matrix"


_OPPOSITE = {"liked": "disliked", "watchlist": "not_interested"}


_ELLIPTICAL_NOT_RE = re.compile(r"\s*(?:really\s+)?(?:not|doesn'?t|does not|didn'?t|did not|wasn'?t|was not|isn'?t|is not)"
                                r"\s*(?:$|[,.;!?]|so much\b|at all\b)")


def _elliptical_nots(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """"the first i liked, the second not", "rocky 4 slaps. 5 doesnt": a bare "not" after a movie denies what was said
    of the one before."""
    for index in range(1, len(mentions)):
        if fields[index] in (None, fields[index - 1]) and fields[index - 1] in _OPPOSITE and mentions[index].movies \
                and _ELLIPTICAL_NOT_RE.match(reader.text, mentions[index].end):
            fields[index] = _OPPOSITE[fields[index - 1]]


_OTHERS_VERB_BEFORE_RE = re.compile(
    r"(?<![a-z])(?:he|she|they|my \w+(?: \w+)?|(?:his|her|our) \w+)\s+(?:(?:really|totally|absolutely|kinda|actually)\s+)?"
    r"(?P<verb>loved|liked|enjoyed|adored|hated|loves|likes|enjoys|adores|hates|wants?|wanted)\s+$")
_MINE_AFTER_RE = re.compile(
    r"\s*[,;.]?\s*(?:but\s+|and\s+|whereas\s+)?(?:(?P<no>i\s+(?:didn'?t|did not|don'?t|do not|really don'?t)|not\s+me|"
    r"me\s+not\s+so\s+much|i\s+wasn'?t|i'?m\s+not)|(?P<yes>i\s+did|me\s+too|so\s+did\s+i|i\s+do|same\s+here|so\s+do\s+i))"
    r"(?![a-z'])")
_OTHERS_THEN_MINE = {("pos", "no"): "disliked", ("pos", "yes"): "liked", ("neg", "yes"): "disliked",
                     ("want", "no"): "not_interested", ("want", "yes"): "watchlist"}


def _others_then_mine(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """"he liked it, I didn't", "my wife wants the second, me too": someone else's verb, then the user's own
    answer to it, from a checklist of our own (the other's opinion alone is no feedback)."""
    for index, mention in enumerate(mentions):
        before = _OTHERS_VERB_BEFORE_RE.search(reader.text, 0, mention.start)
        after = _MINE_AFTER_RE.match(reader.text, mention.end)
        if not (before and after and mention.movies):
            continue
        verb = before.group("verb")
        kind = "want" if verb.startswith("want") else "neg" if verb.startswith("hate") else "pos"
        fields[index] = _OTHERS_THEN_MINE.get((kind, "no" if after.group("no") else "yes"), fields[index])


def _sentences(text: str) -> list[tuple[int, int]]:
    return spans_between(SENTENCE_RE, text) or [(0, len(text))]


_EXCEPTING = r"(?:apart from|except(?: for)?|excepting|excluding|other than|besides|but not|save for|bar|barring|(?<=all )but|" \
             r"(?<=everything )but|" \
             r"with the exception of|the exception being)"
_EXCEPTION_RE = re.compile(rf"(?<![a-z]){_EXCEPTING}\s+(?:maybe\s+|perhaps\s+)?(?:the|number|#|\d)")
"""An exception names a movie kept out of a rejection: the list as a whole is not turned down."""


def _exceptions(reader: Reader, mentions: list[MovieMention]) -> None:
    """"apart from the second one, not feeling these": the exception is no part of "these"."""
    excepted = {m for mention in mentions if mention.kind in ("position", "title", "shown_title")
                and re.search(rf"(?<![a-z]){_EXCEPTING}\s+(?:maybe\s+|perhaps\s+)?(?:the\s+)?$",
                              reader.text[max(0, mention.start - 25):mention.start]) for m in mention.movies}
    for mention in mentions:
        if mention.kind == "group" and excepted:
            mention.movies = tuple(m for m in mention.movies if m not in excepted)
    reader.excepted = excepted


def mention_sentence(reader: Reader, mention: MovieMention, bounds: list[tuple[int, int]]) -> str:
    """The sentence of ``bounds`` (:func:`_sentences` of the text) holding the mention, the mention
    written as "it": what a stance classifier reads, in training and in :func:`_fallback_stances` alike."""
    start, end = next(((a, b) for a, b in bounds if a <= mention.start < b), (0, len(reader.text)))
    return reader.text[start:mention.start] + " it " + reader.text[mention.end:end]


def _fallback_stances(reader: Reader, mentions: list[MovieMention], fields: list[str | None],
                      fallback: StanceFallback) -> None:
    """Each mention the lexicon left unjudged gets ``fallback``'s reading of its sentence."""
    bounds = _sentences(reader.text)
    for index, mention in enumerate(mentions):
        if not mention.movies or fields[index] is not None:
            continue
        label = fallback(mention_sentence(reader, mention, bounds))
        if label is not None and label != "none":
            fields[index] = label


_EXCEPTED_AFTER_GROUP_RE = re.compile(
    r"\s*(?:(?<=all)\s+but|(?<=everything)\s+but|except(?: for)?|excepting|excluding|apart from|other than|besides|"
    r"save for|bar|barring)\s+(?:maybe\s+|perhaps\s+)?$")
"""Words that make the next mention an exception to the group before it; "but" only after "all" or
"everything" ("I've heard of them but the second one is my favourite" contrasts, it excepts nothing)."""


def _excepted_verdicts(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """"all but the first look good", "everything except #3 is a no": the verdict after the exception
    is the group's; the exception itself shares none of it (its words were read as its own)."""
    for index in range(len(mentions) - 1):
        group, exception = mentions[index], mentions[index + 1]
        if group.kind != "group" or exception.kind == "group" or \
                not _EXCEPTED_AFTER_GROUP_RE.fullmatch(reader.text, group.end, exception.start):
            continue
        if re.match(r"(?:none|neither)\b", reader.text[group.start:group.end]):
            continue  # "none of these except maybe the 3rd": the exception's verdict is its own
        if index and mentions[index - 1].kind == "group" and group.start - mentions[index - 1].end <= 2:
            continue  # "seen 'em all bar Gattaca": "all" ends the group before it, whose verdict stands
        if fields[index] is None and fields[index + 1] is not None:
            fields[index] = "not_interested" if fields[index + 1] == "disliked" else fields[index + 1]
            fields[index + 1] = None
        elif fields[index] is not None and fields[index + 1] == fields[index]:
            fields[index + 1] = None
    for index, mention in enumerate(mentions):
        if mention.kind == "group" or not mention.movies or not set(mention.movies) <= reader.excepted:
            continue
        if any(g.kind == "group" and g.end <= mention.start and fields[i] == fields[index]
               and not re.match(r"(?:none|neither)\b", reader.text[g.start:g.end]) for i, g in enumerate(mentions[:index])):
            fields[index] = None  # "all of these look great apart from pulp fiction": the group's verdict, not the exception's
        elif re.fullmatch(r"[\s.!?]*", reader.text[mention.end:]) and _EXCEPTED_AFTER_GROUP_RE.search(
                reader.text[max(0, mention.start - 25):mention.start]) and not re.search(
                r"(?:maybe|perhaps)\s+$", reader.text[max(0, mention.start - 10):mention.start]):
            fields[index] = None  # "all good except 3": the verdict before "except" is not the exception's


_NONE_EXCEPT_RE = re.compile(r"(?<![a-z])none(?:\s+of\s+(?:these|them|those|em))?\s+(?:except(?: for)?|but|apart from|other than|bar|save for)\s")
"""A refusal of the list that keeps one card ("none except the fourth"): the card kept goes on the watchlist."""


_NOT_LIKE_BEFORE_RE = re.compile(
    r"(?<![a-z])(?:(?:no more|fewer|less|stop (?:recommending|showing|suggesting|giving|sending)(?: me)?|anything but|"
    r"enough (?:with|of)|(?:sick|tired) of|done with)\s+(?:(?:movies?|films?|stuff|things|ones|picks)\s+)?"
    r"(?:like|similar to|in the vein of|resembling)|not another|unlike|the opposite of)\s+$")
"""Right before a film: fewer films like it wanted ("no more movies like the second one", "not another goodfellas"),
from a checklist of our own."""


def _not_like(reader: Reader, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """See :data:`_NOT_LIKE_BEFORE_RE`: its "like" had made such a film one to find more like, the opposite of what
    was asked. Nothing is read of it instead, as the set labels "the opposite of requiem for a dream please" (the
    intent has no field for "fewer like this", and turning the film itself down is more than was said)."""
    for index, mention in enumerate(mentions):
        if mention.movies and _NOT_LIKE_BEFORE_RE.search(reader.text, max(0, mention.start - 60), mention.start):
            fields[index] = None


_NO_BAD_ONES_RE = re.compile(
    r"(?<![a-z])(?:can'?t go wrong with (?:any (?:of )?)?(?:these|them|this lot|the list)|"
    r"(?:there'?s |there are )?no bad (?:choices?|picks?|ones?|options?)|"
    r"not a (?:single )?(?:dud|bad one|miss)|not one (?:i'?d|i would) (?:skip|pass on|turn down)|"
    r"nothing (?:here|there|on (?:this|the) list) i (?:don'?t|do not|wouldn'?t|would not) (?:like|watch)|"
    r"nothing wrong with (?:any of )?(?:these|them))(?![a-z])")
"""The whole list praised by denying a fault ("can't go wrong with any of these", "not a single dud"), from a
checklist of our own: its films wanted, where the negation had turned them all down."""


def _praised_by_denial(reader: Reader, mentions: list[MovieMention], fields: list[str | None]
                       ) -> tuple[list[MovieMention], list[str | None]]:
    """See :data:`_NO_BAD_ONES_RE`: the list's films wanted, unless a film is named (then its own words decide)."""
    praise = _NO_BAD_ONES_RE.search(reader.text)
    if not (praise and reader.shown) or any(m.kind != "group" and m.movies for m in mentions):
        return mentions, fields
    kept = [(m, f) for m, f in zip(mentions, fields) if m.kind != "group"]
    whole = MovieMention(praise.start(), praise.end(), tuple(reader.shown), "group")
    return [m for m, _ in kept] + [whole], [f for _, f in kept] + ["watchlist"]


_NO_TO_EACH_RE = re.compile(r"(?:^|(?<=[\s,;/]))(?:#?\d[.):]\s*|(?:and|&)\s+)?(?:(?:god|hell|hard|big)\s+)?"
                            r"(?:no+|nope|nah+|pass|skip|f|✗|❌|👎)(?=\s*(?:[,;/.!?\n]|and\b|&|$))")
"""A "no" said once for each card ("no, no, no, no and no", "F, F, F, F, F", "1. no / 2. no / …"): the list turned down."""


def _read_rejection(reader: Reader, intent: FeedbackIntent, mentions: list[MovieMention], fields: list[str | None]) -> None:
    """The whole list turned down: by a phrase ("none of these") or a group ("hard pass on all of them")."""
    if not reader.shown:
        return
    by_group = any(m.kind == "group" and set(m.movies) == set(reader.shown) and f in NEGATIVE_MOVIE_FIELDS
                   for m, f in zip(mentions, fields))
    titles_blanked = list(reader.text)
    for mention in mentions:
        if mention.kind in ("title", "shown_title", "quoted"):
            titles_blanked[mention.start:mention.end] = " " * (mention.end - mention.start)
    names_a_movie = any(m.kind != "group" for m in mentions)
    kept = any(m.kind == "group" and set(m.movies) == set(reader.shown) and f is not None and f not in NEGATIVE_MOVIE_FIELDS
               for m, f in zip(mentions, fields))  # "I've seen every single one of these. anything else?"
    excepting = bool(_EXCEPTION_RE.search(reader.text))  # "apart from the second one, not feeling these"
    every_card_no = len(reader.shown) >= 3 and len(_NO_TO_EACH_RE.findall(reader.text)) >= len(reader.shown) \
        and not any(m.movies and f is not None and f not in NEGATIVE_MOVIE_FIELDS for m, f in zip(mentions, fields))
    if kept or not (by_group or every_card_no or rejects_whole_list("".join(titles_blanked), names_a_movie)):
        return
    # a card kept to watch makes it no rejection of the whole list, however it began ("none of these... wait, #4
    # looks fire"): the rest is turned down card by card (the set's convention: 40 of 44 such dev messages)
    keeps_a_card = any(movie_id in reader.movies["watchlist"] for movie_id in reader.shown)
    if not (excepting or keeps_a_card):
        intent.rejects_list = True
        reader.sure.add("rejects_list")
    reader.sure.add("not_interested")
    reader.movies["not_interested"] = [m for m in reader.movies["not_interested"] if m not in reader.excepted]
    # (the exception is no part of the turn-down: "other than number 5 they all look boring")
    for movie_id in reader.shown:  # "none except 3 maybe": the rest is turned down, the exception read on its own
        if movie_id not in reader.excepted and not any(movie_id in reader.movies[name] for name in MOVIE_FIELDS):
            reader.movies["not_interested"].append(movie_id)
        elif movie_id in reader.excepted and _NONE_EXCEPT_RE.search(reader.text) and \
                not any(movie_id in reader.movies[name] for name in MOVIE_FIELDS):
            reader.add_movie("watchlist", movie_id)  # "none except the fourth": the one kept
            reader.sure.add("watchlist")

"""Reactions to movies: which movie a phrase points at, and what the user says about it.

The list on screen is pointed at by position ("the second one", "#3", "number four", "3 please",
"the first two"), as a group ("these", "all of them", "the rest") or by a pronoun ("that one",
"it"); titles come from :mod:`agent.understand.titles`. Each mention's stance comes from the
words around it (:mod:`agent.understand.cues`) as three readings combined: valence (loved …
hated, or lukewarm), experience (seen, or looking at a prospect) and act (accept, decline, ask
for similar):

=================================  ==========================================
similar ("something like X")        similar_to
accept ("adding it", "sure")        watchlist (liked when already seen)
decline ("pass", "not for me")      not_interested (disliked when seen and disliked)
valence > 0                         liked when seen or judged ("X slaps"), watchlist when a prospect ("looks fun")
valence < 0                         disliked when seen or judged ("X was boring"), not_interested when a prospect
lukewarm ("it was alright")         seen
seen only ("watched 1 and 2")       seen
=================================  ==========================================

Valence comes from the lexicon. VADER's (``vaderSentiment``) reading of the same words, where the
lexicon has no word for the valence, is an option (:data:`Sentiment`) the understanding benchmark
measures against it: it did not read the held-out set better, so the parser does not use it for
movies. It does use it for one thing, :func:`sounds_negative`: whether a sentence that names a genre
without a stance word speaks against it.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from agent.understand.cues import (
    CUE_ANCHORS, EMOJI_VALENCE, INTENSIFIERS, MOVIE_CUES, NEGATOR_RE, SINGLE_WORD_CUES, THIRD_PARTY_RE, UNTIL_THE_USER, Cue,
    anchor_words,
)
from agent.understand.descriptions import card_by_meaning
from agent.understand.genres_years import genre_mentions, said_year
from agent.understand.titles import SCORE_WITH_SCALE, MovieMention, series_number
from retrieval.errors import DriftrecError
from agent.understand.vocabulary import COMMON_ZIPF, DESCRIBING_NAME_ZIPF, FOREIGN_ORDINALS, HINDI_ORDINALS, ORDINALS, title_key, zipf

if TYPE_CHECKING:
    from agent.understand.reader import Reader

Sentiment = Literal["lexicon", "lexicon+vader"]
"""Where a mention's valence comes from: the cue lexicon alone, or VADER where the lexicon is silent."""
VADER_THRESHOLD = 0.3
"""|compound| VADER must reach to count as liked or disliked."""
NEGATION_WINDOW = 32
FAR_NEGATION_WINDOW = 48
"""Characters before a cue where a negation from a few words off may stand ("doesn't look like something i'd")."""

SENTENCE_RE = re.compile(
    r"(?:(?<!\d)\.|\.(?!\d)|[!?;\n]|\s[/|]\s)+|"  # a full stop, not the point of "8.5"; " / " between verdicts
    r"(?<![a-z])(?:but(?!\s+(?:from|newer|older|funnier|with|less|more|set|in|for|darker|lighter|a bit|made|"
    r"scarier|sadder|happier|shorter|longer|animated|recent|modern|old|better|good|actually|not (?:great|amazing|brilliant|"
    r"special|mind-?blowing)|nothing (?:special|amazing|great)|(?:yes|yeah|sure|keen|interested)(?![a-z])))|though|although|however|"
    r"whereas|tho|otherwise)(?![a-z])"
)
"""Where one statement about movies ends ("grease: seen, fun / chicago: hated it"); commas do not end one ("I loved
Alien, Heat and Fargo"), nor a "but" that only tempers the praise before it ("good but not great")."""
CONNECTOR_RE = re.compile(r"^\s*(?:[,&+/]|(?:and|or|nor|plus|as well as|also|n|esp|especially|particularly|including|"
                          r"incl|even|meets|crossed with|mixed with|ou|o|y|et|und|oder)(?![a-z]))[\s,&+/.]*"
                          r"(?:(?:and|or|also)\s+)?(?:the\s+)?$")
"""The words between two movies that share one stance ("Alien, Heat and Fargo were great"; "comme La Cité des enfants
perdus ou Delicatessen")."""

_ORDINAL_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
_NOUN = r"(?:one|ones|movie|movies|film|films|flick|pick|picks|suggestion|suggestions|recommendation|rec|title|option)"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "too": 2, "for": 4}
"""Number words, with dictation's homophones after "number" ("number too", "number for")."""
_NOT_A_POSITION_AFTER_RE = re.compile(
    r"\s+(?:half|time|times|date|act|scene|scenes|part|minutes?|hour|hours|season|episode|few|thing|place|impression|"
    r"day|night|week|sight|glance|of all|film i|movie i|world|person|guy|girl|chapter|bit|place|"
    r"i (?:ever|have ever|'ve ever|ve ever) (?:saw|seen|watched)|(?:i )?ever (?:saw|seen|watched|made)|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|couple of|few|several)\s+"
    r"(?:years|decades|months|minutes|mins|hours|seconds|scenes|episodes|pages|chapters))\b")
_UNITS = (r"hours?|hrs?|h|minutes?|mins?|seconds?|times?|stars?|years?|yrs?|days?|weeks?|months?|am|pm|kids?|people|"
          r"of|out|/|x|percent|%|episodes?|seasons?|parts?|s|'s|th|nd|rd|st|k|mil|million|dollars?|bucks|movies|films|more")
_POSITION_RE = re.compile(
    rf"(?<![a-z0-9])(?:the\s+)?(?:(?P<ord>{_ORDINAL_WORDS})(?:\s+(?P<count>two|three|four|2|3|4|couple|(?<=pehli )do|(?<=pehli )teen)(?!\s*(?:/|out of|outta)))?(?:\s+{_NOUN})?"
    rf"(?:\s+from\s+(?:the\s+)?(?P<end>bottom|end|top|start|last)(?![a-z]))?"
    rf"|(?:#|numbers?\s+|(?<!\d\s)no\.?\s*(?=\d)|num\s+|nr\.?\s*|(?:options?|choices?|picks?|movie|film)\s+(?=\d(?![\d.,:]|\s*(?:/|out of|stars?|mins?|minutes?|hours?|hrs?|%)))|(?:options?|choices?)\s+(?=(?:one|two|three|four|five)(?![a-z])))"
    rf"(?P<num>\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})(?:\s+{_NOUN})?"
    rf"|(?<!\d[.,/])(?<!\ba )(?<!\ban )(?P<bare>\d{{1,2}})(?![\d:/%$.,]?\d)(?!\s*(?:{_UNITS})(?![a-z])))(?![a-z0-9])"
)
_NUMBER_WORD_LIST_RE = re.compile(
    r"(?<![a-z0-9'#-])(?:one|two|three|four|five)(?:\s*(?:,|&|\+|/|and|n)\s*(?:one|two|three|four|five))+(?![a-z0-9'-])"
    rf"(?!\s*(?:{_UNITS}|or|a|an|half|other|others|then|only|same|done)(?![a-z]))")
"""Number words listed together ("two and three, yes please"): positions, where a number word alone
("one") is too common to be one. Not counts ("two and a half hours", "one and done")."""
_DIGIT_LIST_RE = re.compile(
    r"(?<![\d.,/:$£€#-])(?:[1-9](?:,[1-9])+|[1-9](?:/[1-9]){2,})(?![\d/:%]|[.,]\d)"
    rf"(?!\s*(?:{_UNITS})(?![a-z]))")
"""Positions written together with commas or slashes and no spaces ("seen 2,4", "1/3/5 look good"); a pair
with a slash is a score ("a 2/5"), so slashes need three."""
_PART_RE = re.compile(r"(?<![a-z])(?:part|pt\.?)\s*(\d|one|two|three|four|five|six|ii|iii|iv|vi)(?![a-z0-9])")
"""A sequel said by its number alone ("part 4", "Part II"), with its series on screen."""
_RANGE_RE = re.compile(r"(?<![\d/.:$£€-])(?:#|no\.?\s*|numbers?\s+)?([1-9])\s*(?:-|to|thru|through)\s*(?:#)?([1-9])(?![\d/.:%])|"
                       r"(?<![a-z0-9'-])(one|two|three|four)\s+(?:thru|through)\s+(two|three|four|five)(?![a-z0-9'-])")
"""A run of positions ("seen 1-3", "numbers 2 to 4")."""
_DATED_CARD_RE = re.compile(
    r"(?<![a-z])the\s+(?:(?:one|film|movie)\s+from\s+(?:the\s+)?(?:(?P<year>(?:19|20)\d\d)(?!s)|(?P<decade>(?:19|20)\d0s|\d0s))|"
    r"(?:(?P<decade2>(?:19|20)\d0s|\d0s|'\d0s)|(?P<year2>(?:19|20)\d\d)|(?P<age>oldest|earliest|newest|latest|most recent))"
    r"\s+(?:one|film|movie|pick))(?![a-z0-9])")
"""A card named by its year or age ("the one from 1994", "the 1999 one", "the 80s one", "the newest one")."""


def _years_said(said: str) -> tuple[int, int]:
    """"1994" → 1994–1994; "1980s", "80s", "'80s" → 1980–1989."""
    first = said_year(said.strip("'s"))
    return (first, first + 9) if said.endswith("s") else (first, first)


_KIND_OF_CARD_RE = re.compile(r"(?<![a-z])the\s+(?P<kind>[a-z'-]+(?:\s+[a-z'-]+)?)(?:\s+(?:one|film|movie|flick|pick)(?![a-z])|"
                              r"(?=\s+(?:i|we|looks|sounds|seems|is my pick|is a no)(?![a-z])))")
"""A card named by its genre ("the cartoon one", "the war film", "the western I have seen", "the comedy looks
fun"): the one card of that genre on screen."""


_DESCRIBED_CARD_RE = re.compile(
    r"(?<![a-z])the\s+(?:(?P<before>[a-z'.-]+(?:\s+[a-z'.-]+){0,3})\s+(?:one|film|movie|flick)(?![a-z])|"
    r"(?:one|film|movie)\s+(?:with|about|starring|by|featuring|of|where|in which|when)\s+(?:the\s+)?"
    r"(?P<after>[a-z'.-]+(?:\s+[a-z'.-]+){0,5}))")
"""A card named by what it is about ("the morgan freeman one", "the one where they rob the casinos"): the words
before "one" (or their last words), or the first words after "with" or "where"."""


_SOMETHING_ELSE_RE = re.compile(
    r"(?<![a-z])(?:watched|saw|caught|started|finished|read|tried(?: watching)?|picked|chose|went to|showed me|"
    r"recommended(?: me)?|there'?s|there is|there was|rented|rewatched|re-watched|streamed|put on)\s+"
    r"(?:a|an|some|another|something|anything)(?![a-z])")
"""Something other than a card brought up ("watched a movie on the plane", "there's a new pixar film out", "i just
finished a great book"): a bare "it" after it is that, not the top card."""
_IDENTIFIED_RE = re.compile(r"(?<![a-z])(?:(?:is|was|isn'?t|wasn'?t)\s+(?:that|this|it)|(?:that|this|it)(?:'s|s| is| was))\s+$")
"""A pronoun said to be the film described next ("is that the one with …", "that's the one about …")."""
_NOT_A_DESCRIPTION = frozenset({"first", "second", "third", "fourth", "fifth", "last", "next", "other", "middle", "top",
                                "bottom", "previous", "same", "latter", "former", "final", "new", "old", "this", "that"})


_VERB_AFTER_DESCRIPTION = frozenset({"is", "was", "looks", "look", "seems", "sounds", "i", "we", "it", "that", "and", "but",
                                     "so", "too", "very", "really", "just", "not", "never", "seen", "watched", "loved",
                                     "hated", "liked", "yes", "no", "sure", "please", "pls"})
"""Words that end a description said after "the one with …" ("… the shark was great", "… the shark i loved")."""


def _not_a_topic(reader: "Reader", word: str) -> bool:
    """An everyday word that says no topic of one card: a verdict ("the boring one"), a genre or an era the
    genre and era readings weigh against every card ("the comedy one"), or a word of a card's title."""
    return (word in SINGLE_WORD_CUES or any(c.isdigit() for c in word) or bool(genre_mentions(reader.vocab, word))
            or any(word in title_key(reader.vocab.main_title(m)).split() for m in reader.shown))


_LINKING_WORDS = frozenset({"for", "every", "each", "all", "any", "of", "in", "on", "at", "to", "than", "with", "from", "my",
                            "your", "his", "her", "their", "our"})
"""Words that end one phrase and start another: before them "the … one" is not the card's description."""


def _described_cards(reader: "Reader") -> list[tuple[int, int, int]]:
    """(start, end, movie) of each card on screen named by one of its tags, and by no other card's."""
    found = []
    for match in _DESCRIBED_CARD_RE.finditer(reader.text):
        group = "before" if match.group("before") else "after"
        said = match.group(group).split()
        runs = [said[i:] for i in range(len(said))] if group == "before" else [said[:j] for j in range(len(said), 0, -1)]
        for run in runs:
            if group == "before" and _LINKING_WORDS & set(said[:len(said) - len(run)]):
                continue  # "set the bar for every shark film": "shark" is not said of a card
            everyday = len(run) == 1 and zipf(run[0]) >= DESCRIBING_NAME_ZIPF
            if _NOT_A_DESCRIPTION & set(run) or (everyday and _not_a_topic(reader, run[0])):
                continue  # "the last one": a place on the list; "the boring one": a verdict, not what it is about
            # an everyday word names a card by a whole tag only ("the robot one": tagged "robots"; "the king one"
            # is not Stephen King's)
            cards = [m for m in reader.shown if reader.vocab.described_by(m, " ".join(run), whole_tag=everyday)]
            if len(cards) == 1:
                end = match.end() if group == "before" else match.start(group) + len(" ".join(run))
                found.append((match.start(), end, cards[0]))
                break
        else:  # no tag names a card: the words' meaning may ("the ship one", "the one with the shark")
            if group == "after":  # "the one with the board game looks fun": the description ends before the verdict
                said = list(itertools.takewhile(lambda w: w not in _VERB_AFTER_DESCRIPTION, said))
            topic = [w for w in said if w not in _NOT_A_DESCRIPTION and w not in ORDINALS
                     and not (zipf(w) >= DESCRIBING_NAME_ZIPF and _not_a_topic(reader, w))]
            if topic and (card := card_by_meaning(reader.vocab, " ".join(said), reader.shown)) is not None:
                end = match.end() if group == "before" else match.start(group) + len(" ".join(said))
                found.append((match.start(), end, card))
    return found


def _genre_noun_after(reader: "Reader", position: int) -> bool:
    """"these (violent) crime films", "those musicals": a genre among the next three words, with no verb
    first, names that genre's films, not the list ("these are all comedies" is the list)."""
    following = re.findall(r"[a-z'-]+", reader.text[position:position + 50])[:3]
    if not following or re.fullmatch(r"are|were|is|was|look|looks|seem|seems|sound|sounds|all|feel|feels|have|had|just|"
                                     r"really|would|will|could|might|ones|i|we|you|aren't|arent|don't|dont", following[0]):
        return False
    if any(re.fullmatch(r"picks|suggestions|recs|recommendations|options|choices", word) for word in following):
        return False  # "these horror picks" are the list
    return bool(genre_mentions(reader.vocab, " ".join(following)))


_NOT_PEOPLE_WHO_SAW = r"(?!\s+(?:have|has|had)(?:\s+(?:all|already|never|not|ever))?\s+(?:seen|watched|heard)\b)"
"""Not "them" the people: "something none of them have seen", "all of them have already watched it"."""
_GROUP_RE = re.compile(
    r"(?<![a-z])(?<!it with )(?<!that with )(?<!this with )(?<!best of )(?<!finest of )(?<!worst of )(?<!weakest of )(?<!strongest of )(?<!pick of )"
    r"(?<!favourite of )(?<!favorite of )(?:(?:all|any|none|each|every one|neither|most)\s+of\s+(?:these|those|them|the list|this list|the lot|"
    r"the above|em)|all\s+(?:five|5|four|4|three|3|two|2)(?:\s+of\s+(?:them|these|those))?|these|those|them|em|"
    r"the list|this list|(?:the|that|this) (?:whole|entire) (?:list|lot|lineup|line-up|roster|selection|bunch|batch|slate)|"
    r"this lot|the lot|everything(?:\s+here)?|"
    r"both of (?:them|these|those|em)|"
    r"every single one(?: of (?:these|them|those))?|each one|"
    r"(?:this|the|these|that) (?:selection|lot|bunch|batch|picks|suggestions|recs|options|lineup|line-up|roster|slate|"
    r"choices|offerings)|"
    r"the rest|the others|the other ones|the other (?:two|three|four|2|3|4)|all the others|everything else|"
    r"the remaining (?:ones|two|three|four|[234](?!\d))|"
    r"all of em|both|(?<!me )neither(?!\s+of\b)(?!\s+(?:do|did|have|am|was|is|are|were|can|could|would|will) (?:i|we|you)\b)|(?<![a-z]\s)rest|all(?=\s+(?:[a-z]+\s+)?(?:but|except|apart from|bar)\s))(?![a-z])"
    # (not "those last ten minutes": a count of something else)
    r"(?!\s+(?:first|last|final|opening|closing|few|\d+|two|three|four|five|ten|twenty)\s+(?:[a-z]+\s+)?"
    r"(?:hours|minutes|scenes|moments|days|nights|years|people|guys|kids)\b)"
    r"(?!\s+(?:hours?|minutes?|days|nights|years|times|people|guys|kids|words|scenes|moments|"
    r"actors|effects|songs|lines|jokes|parts|bits|films? of|movies? of|ones? with|of us|of you|of my|of our)\b)"
    rf"{_NOT_PEOPLE_WHO_SAW}"
)
"""The list or part of it, not "those hours back" or "these days" (a group of something else), nor
people ("something none of them have seen")."""
_EVERYTHING_OF_A_TIME_RE = re.compile(r"\s+(?:from|of|in|since|before|after|made|released|that came out)(?![a-z])")
"""After "everything", words of a time or a kind ("seen everything from the 70s"): films at large, not the list."""
_COUNTERFACTUAL_BEFORE_RE = re.compile(r"(?<![a-z])(?:rather than|instead of|nearly|almost)(?:\s+[a-z']+(?:\s+(?:on|out|off|up))?)?\s+$")
"""A verb not carried out, right before the list ("rather than binning the lot", "i almost passed on all of these")."""
_ALL_COUNTED_RE = re.compile(r"all\s+(two|2|three|3|four|4|five|5)")
"""All of a number of films: after as many titles named, those titles ("seen all 3")."""
_PEOPLE_BOTH_RE = re.compile(r"\s+(?:(?:really|totally|absolutely|just|kinda|actually|thoroughly|genuinely)\s+)?"
                             r"(?:love|like|loved|liked|agree|agreed|hate|hated|think|thought|want|wanted|enjoy|enjoyed|"
                             r"adore|adored|found|felt|cried|laughed)\b")
"""After "both", a verb that makes it people ("we both really enjoyed it"), not two movies."""
_PRONOUN_RE = re.compile(
    r"(?<![a-z'])(?:(?P<strong>(?:that|this)\s+(?:one|movie|film|flick|pick|suggestion|recommendation|title)|"
    r"(?:ye|yeh|woh|wo)\s+(?:wali|waali|toh|film|movie))|"  # Hindi: "ye wali", "ye toh" (this one)
    r"(?P<weak>it|that|this|thats|that's|its|it's))(?![a-z'])"
)
_MOVIE_NOUN_RE = re.compile(r"(?<![a-z])(?:movie|film|flick|pick|one|watch|story|plot|ending|cast|acting|soundtrack)(?![a-z])")
REJECT_LIST_RE = re.compile(
    r"(?<![a-z])(?:none of (?:these|them|those|this|that|em|the above|what you)" + _NOT_PEOPLE_WHO_SAW + r"|"
    r"in ?me?in se koi (?:bhi )?nahi|koi bhi nahi|ek bhi nahi|"  # Hindi: "in mein se koi bhi nahi", none of these
    r"nane o (?:them|these|thae|yon)|(?:tout ca )?ne me (?:dit|disent) rien|"  # Scots "nane o them", French "ne me dit rien"
    r"none (?:appeal|look good|interest me|"
    r"of em|grab me|do it for me)|nothing (?:here|there|on (?:here|this list)|in (?:this|that|the) list|grabs me|"
    r"appeals|jumps out|looks good|interests me)|not these(?! days)|not those(?! days)|(?<!the )(?:other|different) ones|try again|"
    r"start over|others please|show me others|different (?:movies|films|suggestions|"
    r"options|ones|picks|stuff)(?!\s+like)|other (?:movies|films|suggestions|options|picks)(?!\s+like)|"
    r"all (?:bad|boring|terrible|meh|mid|wrong|"
    r"duds|awful|crap|trash|rubbish)|(?:these|those|they) (?:are|all|look|seem|sound|'re)\s+(?:all\s+)?"
    r"(?:(?:look|seem|sound|feel)s?\s+)?(?:(?:so|a bit|kinda|kind of|pretty|really|just|super|very|soo+)\s+)?(?:wrong|bad|"
    r"boring|terrible|awful|meh|lame|trash|dull|basic|overdone|samey|stale|predictable|generic|mid|rubbish|naff|crap|"
    r"snoozefest|a snooze)|not interested in any|not feeling any|hard pass on (?:all|the lot|"
    r"these|them)|no to all|new list|fresh list|different list|another list|reroll|re-roll|shuffle|"
    r"nothin'?g? (?:for me|there|here|4 me) ?(?:for me|4 me)?|none (?:except|but|apart)|"
    r"(?:boring|bad|terrible|awful|weak|meh|lame|rubbish|crap|trash|dull|mid) (?:list|picks|selection|suggestions|recs)|"
    r"(?:something|anything) else(?!\s+(?:like|similar|in the|along|with|that))|"
    r"^\W*next\W*$|(?:^|[.!?,]\s*)none\W+next\W*$|pass on (?:literally |pretty much |basically )?(?:all|every one|everything)|"
    r"(?:another|a) strike ?out|declin(?:e|ing) (?:all|every one|the lot|them all)|(?:^|[.!?]\s*)do better\W*$|"
    r"(?:can'?t|cannot|couldn'?t) see (?:myself|us|ourselves) (?:watching|sitting through|enjoying) any of|"
    r"nothing new for (?:me|us)|not a single (?:one|film|movie|thing)|not one of (?:these|them|those|em)|"
    r"is (?:this|that) (?:a joke|really the best|the best you)|(?:the )?best (?:you'?ve|you have|you) (?:got|can do)|"
    r"(?:swing|strike) and a miss|you can do better|keep looking|no cigar|try harder|(?:you'?re|you are) way off|"
    r"way off base|(?:way |wide |a bit )?off the mark|wide of the mark|wrong vibe|different (?:vibe|direction)(?!\s+like)|"
    r"(?:is )?this (?:is )?(?:really )?what you came up with|"
    r"what (?:is|are) (?:this|these) (?:garbage|rubbish|trash|nonsense)|"
    r"(?:these|those|them)\?+\s*(?:really|seriously|srsly|for real)\?|"
    r"nothing(?:'s| is) (?:jumping out|grabbing me|calling to me|appealing)|"
    r"bored (?:just )?(?:reading|looking at|by) (?:this|that|the) list|(?:can'?t|cannot) get excited about any|"
    r"(?:wouldn'?t|won'?t|would not|will not) (?:touch|go near) any of|(?:i'?m|count me) out on (?:all|these|them|the lot)|"
    r"thumbs down (?:to|on|for) (?:the lot|all|these|them|everything)|(?:these|those|they) (?:leave|left) (?:me|us) cold|struck out|strike out|zero for (?:five|5)|0 for (?:5|five)|no dice|"
    r"zero of (?:these|them|those|em)|"
    r"0\s*/\s*5|nil points|all (?:a )?no(?: from me)?(?![a-z])|"
    r"(?:dud|poor) (?:list|picks|selection|suggestions|recs)|not (?:great|good|very good) (?:picks|suggestions|recs)|"
    r"(?:nope|no|nah) to (?:all|the lot|everything|every one)|"
    r"(?:these|they|those) (?:are|were|'re) (?:all )?(?:way |miles |a bit |so |totally |completely )?(?:off|off the mark|"
    r"not it|a miss|misses)(?![a-z-])|"
    r"(?:(?:this|the|that) )?(?:whole )?list (?:is|was) (?:a |an |absolute |total |complete |hard |big |firm )*(?:miss|l|fail|"
    r"bust|dud|joke|trash|garbage|rubbish|no|nope|pass)|(?<!most of )(?<!some of )(?<!few of )(?:these|they|those) (?:don'?t|do not) (?:do it|do anything|appeal|work) for (?:me|us)|"
    r"(?:terrible|awful|bad|poor|weak|dull|boring|rubbish|naff) (?:lot|bunch|batch|selection|list|set)|"
    r"(?<!most of )(?<!some of )(?<!few of )(?:these|those|this lot) (?:are not|aren'?t|'re not|are n'?t|ain'?t) (?:really |quite |"
    r"exactly |at all )?(?:for me|for us|my thing|our thing|my cup of tea|my kind of (?:thing|films?|movies?))|"
    r"none (?:that )?(?:i|we) (?:want|like|fancy|care about)|(?:not|isn'?t|aren'?t|neither of us is|neither of us are) "
    r"(?:really )?into any of (?:these|them|those|this lot)|"
    r"(?:don'?t|do not) (?:think|believe|feel) (?:any|one) of (?:these|them|those) (?:is|are) (?:quite |really |exactly )?"
    r"(?:right|for me|my thing|my cup of tea)|"
    r"(?<![a-z] )not (?:really |quite |exactly )?what (?:(?:i'?m|i am|we'?re|we are) (?:after|looking for|in the mood for)|"
    r"(?:i|we) (?:want|wanted|need|had in mind|asked for))|"
    r"swip(?:e|ing) left on (?:all|every|the lot|these|them|those)|"
    r"(?:bin|binned|binning|scrap|scrapped|ditch|ditched|toss|tossed) (?:the lot|them all|all of them|the whole lot|"
    r"the whole list|this list|the list|that list|these|those)(?! out)|(?:no|nope|nah|pass)\s+across the board|"
    r"(?:dud|miss|flop|bust|joke) of a (?:list|selection|batch)|missed the mark|^\W*way off\W*$|"
    # (a checklist of our own: the list called random or beside the point; "a fresh batch" only asks, as dev labels it)
    r"(?:these|those|they|this lot) (?:are not|aren'?t|'re not) doing (?:it|anything|much) for (?:me|us)|"
    r"(?:have|has) nothing to do with what (?:i|we) (?:asked|wanted|said|meant)|"
    r"(?:these|those|they) (?:are|'re|seem|look) (?:all |so |pretty |kinda |completely |totally )*random|are you even trying|"
    # other languages, from a checklist of our own: Spanish, French, German, Italian, Portuguese
    r"ningun[oa] de (?:estas|estos|esas|esos|ellas|ellos)|ningun[oa] me (?:gusta|interesa|llama)|"
    r"aucun(?:e)? de (?:ceux|celles|ces)\b|aucun(?:e)? ne me (?:plait|tente|dit)|rien de tout (?:ca|cela)|"
    r"keine[rs]? (?:davon|von denen|von diesen)|nichts davon|nessuno di (?:questi|quelli)|nenhum (?:desses|deles|destes))(?![a-z])"
)
_SOUNDS = r"mm+|hm+|um+|uh+|erm|ugh|ew+|yuck|yikes|oof|lol|lmao|haha|eh|oh|well|sorry"
"""Sounds and softeners said before an answer ("oof, no", "hmm... nah", "sorry, none")."""
WEAK_REJECT_RE = re.compile(rf"^\W*(?:(?:{_SOUNDS}|and|thanks but|thank you but|cheers but)\W+)*"
                            r"(?:(?:no+pe+|na+h+|na+w+|no+|meh+|pass|nah\s+pass|no thanks|none(?:\W+(?:lol|tbh|sorry|really))?|"
                            r"(?:honestly|hmm+|sadly|tbh)\W+none|no\W+none|"
                            r"(?:big|hard|firm|huge|massive) (?:no+|nope|pass))(?:\W+|\s+(?:and|or)\s+|$))+"
                            r"(?:(?:try|show me|give me|something|anything|again|else|other|different|thanks|next)\b.*)?$")
"""A bare "nah" turns down the whole list only when it names no movie ("nah not the last one" does)."""
_WANTS_VERB_RE = re.compile(
    r"(?<![a-z])(?:recommend|recommendations?|recs?|suggest|suggestions?|ideas?|what should (?:i|we) watch|"
    r"what to watch|something to watch|anything to watch|show me|give me|gimme|find me|got anything|got any|"
    r"what else|what do you have|what have you got|whatcha got|what you got|any good|hit me|surprise me|"
    r"pick (?:something|one|a movie|me)|what'?s good|throw some|send (?:me )?some|i need (?:a|something)|"
    r"looking for|i'?m after|can you find|do you have|you got any|help me (?:find|pick|choose)|options|"
    r"put on|more please|more pls|keep them coming|another one|try again|something else|anything else)(?![a-z])"
)
_WANTS_OBJECT_RE = re.compile(
    r"(?<![a-z])(?:something|anything|movies?|films?|flicks?|ones|options|ideas|list|recommend\w*|suggest\w*|"
    r"watch\w*|else|picks?|titles?|recs?|more|again|one)(?![a-z])"
)


_NOT_A_MOVIE_RE = re.compile(
    r"(?<![a-z'])(?:it all|that'?s (?:when|where|why|how|what|it|all|ok|okay|fine|fair)|that era|this time|that time|"
    r"this week|that week|(?:this|that) (?:year|month|morning|afternoon|evening|night|weekend|summer|winter|spring|"
    r"autumn|fall|christmas|semester|term|day|app|bot|chat|chatbot|site|website|service|tool|thing here|conversation|"
    r"feature|idea|place|song|book|game)|it'?s (?:been|a|an|my|the|late|early|friday|saturday|sunday|raining|cold|hot)|"
    r"this is (?:my|a|an|the)|that was (?:a joke|quick|fast)|if that|(?<!more )like that(?! one| movie| film)|"
    r"like this(?! one| movie| film)|that too|this too|it isn'?t close|it'?s not close|it'?s not even close|"
    r"(?:say|said|says|think|thought|know|knew|hope|believe|feel|guess|mean|heard|told|sure|so|such) that|"
    r"it (?:too|either)|(?<=do )it for|(?<=does )it for|(?<=doesn't do )it for|(?<=sit )(?:this|that) one(?= out)|"
    r"(?<=sit )it(?= out))(?![a-z'])"
)
"""Pronouns that point at no movie ("seen it all", "that's when I was a kid", "films that are slow"), nor
those inside an idiom ("doesn't do it for me", "i'll sit this one out")."""
_BEFORE_DEMONSTRATIVE = frozenset({
    "but", "and", "so", "then", "because", "ok", "okay", "oh", "ooh", "yes", "no", "nah", "well", "honestly", "sorry",
    "watch", "watched", "seen", "saw", "loved", "liked", "hated", "love", "like", "hate", "skip", "not", "try",
    "add", "adding", "about", "of", "for", "with", "to", "on", "is", "was", "tbh", "lol", "yeah", "sure", "maybe",
    "definitely", "enjoyed", "enjoy", "adore", "adored", "pass", "finish", "rewatch", "mean", "fine", "good", "great",
    "put", "putting", "save", "saving", "queue", "drop", "remove", "hide", "ditch", "book", "keep", "leave", "take", "cross",
})
"""Words before a "that" that points at a movie ("but that is not for me", "watched that", "don't put that on my list")."""
_BARE_DIGIT_BEFORE_RE = re.compile(
    r"(?:^|[,;.!?&/+(]|\b(?:and|or|n|nor|to|watched|seen|saw|did|done|loved|liked|hated|enjoyed|try|tried|pick|picking|want|skip|"
    r"skipping|not|no|yes|maybe|only|just|definitely|but|then|also|like|love|hate|choose|take|with|between|"
    r"prefer|go with|going with|gonna go with|plus|except|than|options?|choices?|picks|pass on|passing on|"
    r"drop|add|adding))\s*$"
)


_QUOTED_WORDS_RE = re.compile(r"(?<![a-z0-9])'(?:[^'\n]|(?<=[a-z])'(?=[a-z])){2,120}'(?![a-z0-9])|\"[^\"\n]{2,120}\"")
"""Words in quotes, a film's line or someone's ("the 'why'd it have to be snakes' one"): an "it" there is not the user's."""


def find_shown_refs(reader: Reader, taken: list[MovieMention], tastes: int | None = None) -> list[MovieMention]:
    """Positions, groups and pronouns that point at the list on screen, and "both" / "them" after
    titles the message named ("watched spirited away and howls moving castle, both SO good").

    Args:
        taken: The titles already found (a pronoun then means one of them, not the list).
        tastes: Where the message first names a genre or era (None: nowhere): after it "them"
            and "it" may mean those ("horror? I can't stand them"), so only explicit references count.
    """
    in_series = _series_ordinals(reader, taken)
    if not reader.shown:
        return _back_references(reader.text, taken, tastes) + in_series + _sequels_said(reader, [*taken, *in_series])
    text = reader.text
    found: list[MovieMention] = in_series

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or start >= m.end for m in (*taken, *found))

    enumerated = False
    for match in re.finditer(r"(?<![a-z])(?:the (?:one )?in the middle|the middle one|(?:the )?second[- ]to[- ]last(?: one)?|"
                             r"(?:the )?second last(?: one)?(?!\s+(?:year|week|night|month|time|summer|winter|weekend))|"
                             r"the penultimate(?: one)?)(?![a-z])", text):  # not "saw the second last year"
        index = len(reader.shown) // 2 if "middle" in match.group(0) else len(reader.shown) - 2
        if 0 <= index < len(reader.shown) and free(match.start(), match.end()):
            found.append(MovieMention(match.start(), match.end(), (reader.shown[index],), "position"))
    for match in _KIND_OF_CARD_RE.finditer(text):  # "the cartoon one looks fun", "the war film, seen it"
        kinds = [g for *_, genres in genre_mentions(reader.vocab, match.group("kind")) for g in genres]
        cards = [m for m in reader.shown if kinds and set(kinds) & set(reader.vocab.genres_of(m))]
        if len(cards) == 1 and free(match.start(), match.end()):
            found.append(MovieMention(match.start(), match.end(), (cards[0],), "shown_title"))
    for start, end, card in _described_cards(reader):  # "the morgan freeman one", "the one with morgan freeman"
        if free(start, end):
            found.append(MovieMention(start, end, (card,), "shown_title"))
    for match in _DATED_CARD_RE.finditer(text):  # "the one from 1994", "the 80s one", "the oldest one"
        known = {m: y for m in reader.shown if (y := reader.vocab.year_of(m)) is not None}
        said = match.group("year") or match.group("year2") or match.group("decade") or match.group("decade2")
        if said:
            first, last = _years_said(said)
            cards = [m for m, y in known.items() if first <= y <= last]
        else:
            oldest = match.group("age") in ("oldest", "earliest")
            wanted = (min if oldest else max)(known.values(), default=None)
            cards = [m for m, y in known.items() if y == wanted]
        if len(cards) == 1 and free(match.start(), match.end()):
            found.append(MovieMention(match.start(), match.end(), (cards[0],), "shown_title"))
    for match in _RANGE_RE.finditer(text):  # "seen 1-3", "2 to 4 look good", "two through four"
        first, last = (int(match.group(1)), int(match.group(2))) if match.group(1) else \
            (_NUMBER_WORDS[match.group(3)], _NUMBER_WORDS[match.group(4)])
        if 1 <= first < last <= len(reader.shown) and free(match.start(), match.end()) \
                and not re.match(rf"\s*(?:{_UNITS})(?![a-z])", text[match.end():]):
            found.append(MovieMention(match.start(), match.end(), tuple(reader.shown[first - 1:last]), "position"))
    for match in _DIGIT_LIST_RE.finditer(text):  # "seen 2,4": before the positions one by one
        indexes = [int(d) - 1 for d in re.findall(r"\d", match.group(0))]
        if len(set(indexes)) == len(indexes) and max(indexes) < len(reader.shown) and free(match.start(), match.end()):
            found.append(MovieMention(match.start(), match.end(), tuple(reader.shown[i] for i in indexes), "position"))
    for match in _POSITION_RE.finditer(text):
        if _NOT_A_POSITION_AFTER_RE.match(text, match.end()) or any(m.start - match.end() in (0, 1) for m in taken):
            continue  # "the first half floored me", "the first ghostbusters"
        indexes = _positions(match, len(reader.shown), text, enumerated)
        if indexes and free(match.start(), match.end()):
            found.append(MovieMention(match.start(), match.end(), tuple(reader.shown[i] for i in indexes), "position"))
            enumerated = enumerated or bool(match.group("bare"))
    for match in _NUMBER_WORD_LIST_RE.finditer(text):
        for word in re.finditer(r"[a-z]+", match.group(0)):
            index = _NUMBER_WORDS.get(word.group(0), 0) - 1
            start, end = match.start() + word.start(), match.start() + word.end()
            if 0 <= index < len(reader.shown) and free(start, end):
                found.append(MovieMention(start, end, (reader.shown[index],), "position"))
    entries = list(_NUMBER_WORD_ENTRY_RE.finditer(text))
    for match in entries if len(entries) >= 2 else ():  # "one: masterpiece / two: even better / three: whatever"
        index = _NUMBER_WORDS[match.group("n")] - 1
        if index < len(reader.shown) and free(match.start("n"), match.end("n")):
            found.append(MovieMention(match.start("n"), match.end("n"), (reader.shown[index],), "position"))
    for match in _PART_RE.finditer(text):  # "by part 4 they were tanking": the sequel on screen with that number
        number = series_number(match.group(1))
        meant = {reader.vocab.numbered_in_series(movie, number) for movie in reader.shown} & set(reader.shown)
        if len(meant) == 1 and free(match.start(), match.end()):
            found.append(MovieMention(match.start(), match.end(), tuple(meant), "title"))
    for match in _GROUP_RE.finditer(text):
        said = match.group(0)
        if tastes is not None and tastes < match.start() and \
                re.fullmatch(r"(?:(?:all|any|none|each|neither|most|every one) of )?(?:them|those|em)", said):
            continue  # "romcoms, never show me any of them": the genre's films, not the list
        if said == "rest" and any(m.kind in ("title", "quoted") and m.end <= match.start() for m in taken):
            continue  # "up (2009): the first 10 minutes destroyed me, rest was great": the rest of the film
        if re.search(r"(?:couple|few|some|one|two|three|several|most|many|half|any one|first|second|third|fourth|fifth|"
                     r"last|1st|2nd|3rd|4th|5th) of\s+$", text[max(0, match.start() - 12):match.start()]):
            continue  # "a couple of these": some of the list, not which; "the second of these": the second
        if re.fullmatch(r"th(?:e|is) list", said) and re.search(r"(?:on|onto|to|into|in|off|from)\s+$",
                                                                  text[max(0, match.start() - 6):match.start()]):
            continue  # "put it on the list": the user's watchlist, not the list on screen
        if said == "both" and any(0 <= m.start - match.end() <= 5 for m in taken if m.kind in ("title", "quoted")):
            continue  # "i enjoyed both the hangover and superbad": "both" goes with the titles after it
        if said.startswith("both") and _PEOPLE_BOTH_RE.match(text, match.end()):
            continue  # "me and my wife both love": people, not movies
        if re.search(r"not\s+$", text[max(0, match.start() - 4):match.start()]) and re.match(r"every|all", said) \
                or re.match(r"all\s+\S+\s+of\s+(?:us|you)", text[match.start():match.end() + 8]):
            continue  # "not every one of these" judges some; "all four of us" are people
        if said in ("these", "those") and _genre_noun_after(reader, match.end()):
            continue  # "fewer of these violent crime films": the genre's films, not the list
        if said.startswith("everything") and (re.search(r"(?:chang\w*|mean\w*|meant|is|was|beats?|explains?)\s+$",
                                                       text[max(0, match.start() - 10):match.start()])
                                             or _EVERYTHING_OF_A_TIME_RE.match(text, match.end())):
            continue  # "matrix changed everything for me", "seen everything from the 70s": not the list
        if _COUNTERFACTUAL_BEFORE_RE.search(text, max(0, match.start() - 40), match.start()):
            continue  # "rather than binning the lot, i'll skip the first two": what was not done to the list
        if free(match.start(), match.end()):
            movies = tuple(reader.shown)
            earlier_titles = [m for m in (*taken, *found) if m.end <= match.start() and m.movies and m.kind != "group"]
            if re.search(r"(?:^|[.!?]\s*)of\s+$", text[max(0, match.start() - 6):match.start()]):
                continue  # "Of these, the second and the fifth …": picks from the list, judges none of it
            if re.fullmatch(r"those|them|em|(?:all|each) of (?:them|em|those)", said) and earlier_titles \
                    and (len(said) < 5 or len({x for m in earlier_titles for x in m.movies}) > 1):
                movies = tuple(x for m in earlier_titles for x in m.movies)  # "toy story and nemo … so those are out"
            counted = _ALL_COUNTED_RE.fullmatch(said)
            if counted and len({x for m in earlier_titles for x in m.movies}) == (
                    int(counted.group(1)) if counted.group(1).isdigit() else _NUMBER_WORDS[counted.group(1)]):
                movies = tuple(dict.fromkeys(x for m in earlier_titles for x in m.movies))  # "X, Y and Z: seen all 3"
            if said.startswith(("both", "neither")):
                earlier = sorted((m for m in (*taken, *found) if m.end <= match.start() and m.movies and m.kind != "group"),
                                 key=lambda m: m.end)
                movies = tuple(x for m in earlier[-2:] for x in m.movies) if len(earlier) >= 2 else \
                    earlier[0].movies if len(earlier) == 1 and len(earlier[0].movies) == 2 else \
                    (tuple(reader.shown) if len(reader.shown) == 2 else ())  # "seen the first two, loved both"
            found.append(MovieMention(match.start(), match.end(), movies, "group"))
    found += _sequels_said(reader, [*taken, *found])
    # a bare "it" is the card only before any name, a description of a film none of the cards fits included
    # ("seen the board game one, loved it": the board game film, not the top card)
    unresolved = [m.start() for m in _DESCRIBED_CARD_RE.finditer(text)
                  if free(m.start(), m.end()) and not _NOT_A_DESCRIPTION & set((m.group("before") or "").split())
                  and not re.match(r"the\s+(?:one|film|movie)\s+of", m.group(0))  # "the best one of the series"
                  and not _IDENTIFIED_RE.search(text, 0, m.start())]  # "is that the one with the bookshop?": the card
    unresolved += [m.start() for m in _SOMETHING_ELSE_RE.finditer(text)]  # "watched a movie on the plane, hated it"
    named_at = min((*(m.start for m in (*taken, *found)), *unresolved), default=None)
    blanked = _NOT_A_MOVIE_RE.sub(lambda m: " " * len(m.group(0)), text)
    blanked = _QUOTED_WORDS_RE.sub(lambda m: " " * len(m.group(0)), blanked)
    for match in _PRONOUN_RE.finditer(blanked):
        weak = match.group("strong") is None
        previous = re.search(r"([a-z']+)\s+$", text[:match.start()])
        if weak and match.group(0) == "that" and previous and previous.group(1) not in _BEFORE_DEMONSTRATIVE:
            continue  # "films that are slow", "we say that …": no movie meant
        if any(m.start - match.end() in (0, 1) for m in found if m.kind == "position"):
            continue  # "that third one": the demonstrative belongs to the position
        named = named_at is not None and named_at < match.start()
        if (weak and ((tastes is not None and tastes < match.start()) or named)) or not free(match.start(), match.end()):
            continue
        earlier = sorted((m for m in (*taken, *found) if m.end <= match.start() and m.movies and m.kind != "group"),
                         key=lambda m: m.end)  # the nearest, whether named or pointed at
        movies = earlier[-1].movies if earlier and not weak else (reader.shown[0],)  # "the fourth? … that one"
        if weak and earlier and earlier[-1].kind == "pronoun" and earlier[-1].movies == movies \
                and text[earlier[-1].start:earlier[-1].end] not in ("that", "this"):
            weak = False  # "saw it in imax and it was incredible": the card is already the topic
        found.append(MovieMention(match.start(), match.end(), movies, "pronoun", weak=weak))
    return found


_SERIES_ORDINAL_RE = re.compile(r"(?<![a-z0-9])(?:(?:the\s+)?(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|og|original)"
                                r"(?:\s+(?:one|movie|film|instal+ment|part|entry|chapter))?|"
                                r"(?:part|pt\.?)\s*(?P<part>[1-5]|ii|iii|iv|two|three|four|five))(?![a-z0-9])")
_SERIES_COUNT_RE = re.compile(
    r"(?:^|[.!?;,]\s*)(?P<volume>(?:vol|volume|part|pt|chapter)\.?\s*)?(?P<n>[1-8]|one|two|three|four|five|six|seven|eight)"
    r"(?=\s*[,:]\s|\s+(?:is|was|were|'s|has|had|so|too|"
    r"doesn'?t|didn'?t|did|does|gets|got|goes|went|slaps|slapped|sucks|sucked|stays|rocks|ruled|rules|i|though|tho)(?![a-z]))")
"""A bare number opening a clause ("5 was boring", "Three is where it fell apart", "vol 2 so draggy"): after a sequel
named with its number, the series' film with that number."""
_VERSION_OF_YEAR_RE = re.compile(r"(?<![a-z0-9'])(?:(?:the\s+)?(?:(?P<full>(?:19|20)\d\d)|'(?P<short>\d\d))|"
                                 r"the\s+(?:(?:og|original|old)\s+)?(?P<bare>\d\d))\s+"
                                 r"(?:one|version|remake|reboot|original|film|movie)(?![a-z])")
"""A version of a film named earlier, by its year ("the 2014 one", "the '68 version", "the og 68 one")."""
_VERSION_BY_NAME_RE = re.compile(
    r"(?<![a-z'])(?:the\s+(?P<name>[a-z][a-z.-]*(?:\s+[a-z][a-z.-]*){0,2})|(?P<owner>[a-z][a-z.-]*(?:\s+[a-z][a-z.-]*)?)'s)"
    r"\s+(?:(?P<new>remake|reboot)|one|version|take|film|movie)(?![a-z])")
"""Another version of a film named earlier, by someone's name ("the tim burton remake", "Lynch's version",
"the scorsese one")."""
_NOT_A_NAME = frozenset({*ORDINALS, "other", "last", "new", "newer", "old", "older", "original", "og", "same", "whole",
                         "recent", "modern", "first", "next", "only", "best", "worst", "good", "bad", "right",
                         "wrong", "black", "white", "animated", "cartoon", "live-action", "live", "action", "remake", "one",
                         "that", "this", "a", "an", "my", "your", "his", "her", "their", "our"})
"""Words in "the … one" that say which version without naming anyone (read by the patterns above, or not at all)."""
_VERSION_BY_WORD_RE = re.compile(
    r"(?<![a-z])the\s+(?:(?P<old>(?:original|og)(?:\s+(?:one|version|film|movie))?|old(?:er)?\s+(?:one|version|film|movie)|"
    r"(?:old\s+)?(?:black and white|b&w|b/w)\s+(?:one|version|film|movie))|(?P<new>remake|reboot|new(?:er)?\s+"
    r"(?:one|version|film|movie)|(?:recent|modern)\s+(?:one|version|film|movie)))(?![a-z])"
    r"(?:\s+(?:from|of|in)\s+(?:(?P<full>(?:19|20)\d\d)|'?(?P<short>\d\d))(?![\d']))?")
"""Another version of a film named earlier, by a word ("the remake was a dog's dinner", "the old black
and white one", "the new one from 1998")."""
VERSION_WORD_REACH = 240
"""How far after a film with remakes "the remake" / "the original" may point back at it (characters:
a sentence or two)."""
_SAID_WITH_NUMBER_RE = re.compile(r"(?:\d|(?<![a-z])(?:ii|iii|iv|two|three|four|five))$")
SERIES_REACH = 90
"""How far after a named film an ordinal may count its series (characters)."""


def _series_ordinals(reader: Reader, taken: list[MovieMention]) -> list[MovieMention]:
    """"loved the first ghostbusters, the second one though? pants", "godfather 2 … part 3 was a mess":
    an ordinal or a part number soon after a film of a series counts that series by year, unless the list on screen holds some of it (then it may
    mean a card)."""
    found: list[MovieMention] = []
    for match in _SERIES_ORDINAL_RE.finditer(reader.text):
        before = [m for m in taken if m.kind == "title" and (len(m.movies) == 1 or m.series) and m.end <= match.start()
                  and match.start() - m.end <= SERIES_REACH]
        if not before or any(m.start - match.end() in (0, 1) for m in taken):
            continue  # "the first ghostbusters" names the film itself
        said = match.group("ord")
        original = said in ("og", "original")
        series = list(before[-1].series) or reader.vocab.series_of(before[-1].movies[0], everyday_title=original)
        if original and _CONTRAST_BEFORE_RE.search(reader.text, 0, match.start()):
            continue  # "2 is better than the original": a comparison's yardstick, read by the comparisons
        index = (0 if original else ORDINALS[said]) if said else series_number(match.group("part")) - 1
        # "the original" is no card's place; a series named as a whole ("the matrix sequels. the first one …") is
        # counted even with parts on screen
        if index < len(series) and (original or before[-1].series or not set(series) & set(reader.shown)):
            found.append(MovieMention(match.start(), match.end(), (series[index],), "title"))
    found += _versions_by_year(reader, taken, found)
    found += _series_counts(reader, taken, found)
    found += _series_subtitles(reader, taken, found)
    return found


def _subtitle_pattern(name: str) -> str:
    """A subtitle's title key as typed: apostrophes ("dead man's chest") and hyphens ("half-blood") optional."""
    return r"[\s-]+".join(re.escape(word[:-1]) + "'?s" if len(word) > 3 and word.endswith("s") else re.escape(word)
                          for word in name.split())


def _series_subtitles(reader: Reader, taken: list[MovieMention], found: list[MovieMention]) -> list[MovieMention]:
    """"alien 3 was a letdown, resurrection even worse", "the matrix … reloaded was a mess": after a film
    of a series, the words that tell another of its films apart name that film. A single everyday word
    ("Rises") counts only with a capital."""
    named = {movie for m in [*taken, *found] for movie in m.movies}
    subtitled: list[MovieMention] = []
    for mention in taken:
        if mention.kind != "title" or len(mention.movies) != 1:
            continue
        reach = reader.text[:mention.end + VERSION_WORD_REACH]
        for name, movie in reader.vocab.series_subtitles(mention.movies[0]).items():
            if movie in named:
                continue
            for match in re.finditer(rf"(?<![\w'-]){_subtitle_pattern(name)}(?![\w'-])", reach[mention.end:]):
                start, end = mention.end + match.start(), mention.end + match.end()
                everyday = " " not in name and zipf(name) >= COMMON_ZIPF
                if _overlaps(start, end, [m for m in (*taken, *found, *subtitled) if m.movies]) or \
                        (everyday and not reader.original[start:start + 1].isupper()):
                    continue
                for unfound in (m for m in taken if not m.movies and _overlaps(start, end, [m])):
                    # "Resurrection, a 2" was looked up whole and not found: it is found now
                    said = reader.original[unfound.start:unfound.end].strip()
                    reader.not_found = [unread for unread in reader.not_found if not said.startswith(unread)]
                subtitled.append(MovieMention(start, end, (movie,), "title"))
                named.add(movie)
                break
    return subtitled


_SEQUEL_RE = re.compile(r"(?<![a-z])(?:the|its|their|that|this)\s+(?:(?P<next>sequel|follow[- ]?up)|prequel)(?![a-z])")


def _sequels_said(reader: Reader, mentions: list[MovieMention]) -> list[MovieMention]:
    """"the matrix is great but the sequel was a mess", "the dark knight rises was ok, the prequel was
    great": the film after (or, for "the prequel", before) the one film named or pointed at last, in its
    series (:meth:`CatalogVocabulary.series_of`)."""
    sequels = []
    for match in _SEQUEL_RE.finditer(reader.text):
        before = sorted((m for m in mentions if len(m.movies) == 1 and m.end <= match.start()
                         and match.start() - m.end <= VERSION_WORD_REACH), key=lambda m: m.end)
        if not before or _overlaps(match.start(), match.end(), mentions) \
                or any(0 <= m.start - match.end() <= 3 for m in mentions if m.movies):
            continue  # "the sequel, aliens, …": the title says which
        series = reader.vocab.series_of(before[-1].movies[0], everyday_title=True)
        index = series.index(before[-1].movies[0]) + (1 if match.group("next") else -1) if series else -1
        if 0 <= index < len(series):
            sequels.append(MovieMention(match.start(), match.end(), (series[index],), "title"))
    return sequels


def _named_just_before(taken: list[MovieMention], start: int) -> MovieMention | None:
    """The last single film named by its title within :data:`SERIES_REACH` before ``start``."""
    before = [m for m in taken if m.kind == "title" and len(m.movies) == 1 and m.end <= start and start - m.end <= SERIES_REACH]
    return before[-1] if before else None


def _overlaps(start: int, end: int, mentions: list[MovieMention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _versions_by_year(reader: Reader, taken: list[MovieMention], found: list[MovieMention]) -> list[MovieMention]:
    """"godzilla '98: a 3 from me. the 2014 one goes on the list": the other version of the film just
    named, by its year."""
    versions_found = []
    for match in _VERSION_OF_YEAR_RE.finditer(reader.text):
        named = _named_just_before(taken, match.start())
        if named is None or _overlaps(match.start(), match.end(), [*taken, *found]):
            continue
        said = match.group("full") or match.group("short") or match.group("bare")
        year = said_year(said)
        versions = [m for m in reader.vocab.movies_for_key(title_key(reader.vocab.main_title(named.movies[0])))
                    if reader.vocab.year_of(m) == year]
        if len(versions) == 1 and versions[0] != named.movies[0]:
            versions_found.append(MovieMention(match.start(), match.end(), (versions[0],), "title"))
    versions_found += _versions_by_word(reader, taken, [*found, *versions_found])
    return versions_found + _versions_by_name(reader, taken, [*found, *versions_found])


def _versions_by_name(reader: Reader, taken: list[MovieMention], found: list[MovieMention]) -> list[MovieMention]:
    """"planet of the apes, the 68 one, is a masterpiece. the tim burton remake was a mess": a version of a
    film with remakes named earlier, by a name its tags carry ("the scorsese one"), or any name before
    "remake" / "reboot" (the latest version)."""
    versions_found = []
    for match in _VERSION_BY_NAME_RE.finditer(reader.text):
        name = match.group("name") or match.group("owner")
        earlier = _film_named_before(reader, taken, match.start())
        if earlier is None or set(name.split()) & _NOT_A_NAME \
                or _overlaps(match.start(), match.end(), [*taken, *found, *versions_found]) \
                or _CONTRAST_BEFORE_RE.search(reader.text, 0, match.start()):
            continue
        named, versions = earlier
        described = [m for m in versions if reader.vocab.described_by(m, name)
                     or any(reader.vocab.described_by(m, word) for word in name.split())]
        meant = described if len(described) == 1 else versions[-1:] if match.group("new") and len(versions) > 1 else []
        if meant and meant[0] != named.movies[0]:
            versions_found.append(MovieMention(match.start(), match.end(), (meant[0],), "title"))
    return versions_found


def _film_named_before(reader: Reader, taken: list[MovieMention], start: int) -> tuple[MovieMention, list[int]] | None:
    """The last single film named by its title within :data:`VERSION_WORD_REACH` before ``start``, with every film
    of its title (its remakes and itself), oldest first; None when no film is named there."""
    before = [m for m in taken if m.kind == "title" and len(m.movies) == 1 and m.end <= start
              and start - m.end <= VERSION_WORD_REACH]
    if not before:
        return None
    versions = sorted(reader.vocab.movies_for_key(title_key(reader.vocab.main_title(before[-1].movies[0]))),
                      key=lambda m: (reader.vocab.year_of(m) or 0, m))
    return before[-1], versions


def _versions_by_word(reader: Reader, taken: list[MovieMention], found: list[MovieMention]) -> list[MovieMention]:
    """"Planet of the Apes … The remake was a dog's dinner", "King Kong, the 2005 one … the old black and
    white one I found silly": the latest or the earliest version of a film with remakes named earlier
    (a year after the word picks among several: "the remake of 2012")."""
    versions_found = []
    for match in _VERSION_BY_WORD_RE.finditer(reader.text):
        earlier = _film_named_before(reader, taken, match.start())
        if earlier is None or _overlaps(match.start(), match.end(), [*taken, *found, *versions_found]) \
                or _CONTRAST_BEFORE_RE.search(reader.text, 0, match.start()):
            continue  # "the clooney one, not the old one": which version the title is, said by its contrast
        _, versions = earlier
        if len(versions) < 2:
            continue
        said = match.group("full") or match.group("short")
        dated = [m for m in versions if said and reader.vocab.year_of(m) == said_year(said)]
        meant = dated[0] if dated else versions[-1] if match.group("new") else versions[0]
        versions_found.append(MovieMention(match.start(), match.end(), (meant,), "title"))
    return versions_found


def _series_counts(reader: Reader, taken: list[MovieMention], found: list[MovieMention]) -> list[MovieMention]:
    """"harry poter 3 best one. 5 was boring": after a sequel named with its number, a bare number
    opening a clause is the series' film of that number (unless the list on screen holds the series:
    then it may be a card)."""
    counted = _numbers_joined(reader, taken)
    for match in _SERIES_COUNT_RE.finditer(reader.text):
        start, end = match.span("n")
        named = _named_just_before(taken, start)
        if named is None:
            continue
        series = reader.vocab.series_of(named.movies[0], everyday_title=True)
        number = series_number(match.group("n"))
        with_number = bool(_SAID_WITH_NUMBER_RE.search(reader.text[named.start:named.end]))
        if (set(series) & set(reader.shown) and not match.group("volume")) or not (with_number or number >= 2):
            continue
        # "jaws is a classic. 2 is trash": after a film named without a number, only a sequel whose title says it
        movie = reader.vocab.numbered_in_series(named.movies[0], number, by_title_only=not with_number)
        if movie is not None and not _overlaps(start, end, [*found, *counted]):
            counted.append(MovieMention(start, end, (movie,), "title"))
    return counted


_JOINED_NUMBER_RE = re.compile(r"\s*(?:,|&|\+|/|and|or)\s*(?P<n>[1-8]|ii|iii|iv|two|three|four|five)(?![\w'%])"
                               r"(?!\s*(?:/|out of|stars?|times?|hours?|mins?|minutes?|years?))")
"""Another number joined to a sequel said with its number ("… 2 and 3"), not a score or a count."""
_CONTRAST_BEFORE_RE = re.compile(r"(?<![a-z])(?:not|never|nor|than|over)\s+(?:the\s+)?$")
"""Right before "the original" / "the remake": a contrast that says which version was meant ("not the
remake", "better than the original"), no reference of its own."""


def _numbers_joined(reader: Reader, taken: list[MovieMention]) -> list[MovieMention]:
    """"the matrix 2 and 3 were a mess", "rocky 2, 3 and 4": numbers joined to a sequel named with its
    number are the series' films of those numbers."""
    joined = []
    for named in taken:
        if named.kind != "title" or len(named.movies) != 1 or not _SAID_WITH_NUMBER_RE.search(reader.text[named.start:named.end]):
            continue
        end = named.end
        while (match := _JOINED_NUMBER_RE.match(reader.text, end)) is not None:
            movie = reader.vocab.numbered_in_series(named.movies[0], series_number(match.group("n")))
            if movie is None or _overlaps(match.start("n"), match.end("n"), taken):
                break
            joined.append(MovieMention(match.start("n"), match.end("n"), (movie,), "title"))
            end = match.end()
    return joined


_NOT_FILMS_AFTER_RE = re.compile(r"\s+(?:(?:two|three|four|five|\d+)\s+)?(?:hours?|minutes?|mins?|days?|years?|weeks?|nights?|"
                                 r"times?|people|guys|kids|folks|scenes?|songs?|lines?|moments?|bits?|jokes?|effects|actors?|"
                                 r"books?|shows?|games?|trailers?|endings?)(?![a-z])")
"""After "those" / "them", a noun that says what they are: not the films named before ("those two hours back")."""


def _back_references(text: str, taken: list[MovieMention], tastes: int | None = None) -> list[MovieMention]:
    """"both" / "them" / "those" that point back at titles named earlier in the message, unless a genre
    or era (first named at ``tastes``) came between: "fav movies: the matrix, robocop. i hate romcoms,
    never show me those" means the romcoms."""
    found = []
    for match in re.finditer(r"(?<![a-z])(?:both(?: of (?:them|these|those|em))?|them|those|em)(?![a-z])", text):
        if _PEOPLE_BOTH_RE.match(text, match.end()):
            continue  # "me and my wife both love it": people, not movies
        if _NOT_FILMS_AFTER_RE.match(text, match.end()):
            continue  # "i want those two hours back": "those" of something else
        earlier = [m for m in taken if m.end <= match.start() and m.movies]
        if earlier and tastes is not None and max(m.end for m in earlier) <= tastes < match.start():
            continue
        if len(earlier) >= (2 if match.group(0).startswith("both") else 1):
            movies = tuple(x for m in (earlier[-2:] if match.group(0).startswith("both") else earlier) for x in m.movies)
            found.append(MovieMention(match.start(), match.end(), movies, "group"))
    return found


_SCORED_AFTER_RE = re.compile(rf"\s*(?:[:=–—-]\s*)?{SCORE_WITH_SCALE}|\s*[:=]\s*(?:10|\d(?:\.5)?)(?![\d])")
"""A score right after a word ("third 9/10", "second: 2"): that word names what is scored."""


_NUMBER_WORD_ENTRY_RE = re.compile(r"(?:^|(?<=[\n/;.!]))\s*(?P<n>one|two|three|four|five)\s*(?::|=|\s[-–—])")
"""A number word opening an entry of a list ("one: masterpiece / two: even better"): two or more such entries
make them cards, where "one" alone is too common a word to be one."""
_ORDINAL_COLON_RE = re.compile(rf"(?<![a-z])(?:{_ORDINAL_WORDS})\s*:")
"""Ordinals each opening an answer ("first: seen, loved. second: never seen"): two or more make a list of cards."""


_COUNT_WORDS = {"couple": 2, "do": 2, "teen": 3}
"""Counts after an ordinal that are no English number word: "the first couple", Hindi "pehli do" (the first two)."""


def _positions(match: re.Match[str], size: int, text: str, enumerated: bool = False) -> list[int]:
    """The list indexes a position phrase means, [] when it is no position ("at last", "3 hours")."""
    if match.group("ord"):
        word = match.group("ord")
        rest = text[match.end("ord"):match.end()]
        article = re.search(r"the\s+$", text[max(0, match.start("ord") - 4):match.start("ord")]) or \
            match.group(0).startswith("the") or (word in FOREIGN_ORDINALS and re.search(
                r"(?<![a-z'])(?:die|der|den|dem|das|el|la|le|lo|il|o|a|al|del|l'|an|am)\s*$", text[:match.start("ord")])
                or re.match(r"\s+(?:wali|wala|vali|vala)(?![a-z])", text[match.end():])) \
            or word in HINDI_ORDINALS or re.fullmatch(r"\d(?:st|nd|rd|th)", word)  # "pehli wali": the first one;
        # "teesri bakwas", "3rd 🤢 nope": no English word, no adverb ("when i first watched it")
        listed = re.match(rf"\s*(?:,|and|or|n|&|/)\s*(?:the\s+)?(?:{_ORDINAL_WORDS})", text[match.end():]) or \
            re.search(rf"(?:{_ORDINAL_WORDS})\s*(?:,|and|or|n|&|/)\s*$", text[:match.start("ord")]) or \
            re.match(r"\s*(?:[✗✓❌✔✅👍👎+-]|pls|please|yes|no|nah)", text[match.end():]) or \
            _SCORED_AFTER_RE.match(text, match.end()) or \
            (re.match(r"\s*:", text[match.end():]) and len(_ORDINAL_COLON_RE.findall(text)) >= 2)  # "first: seen. second: no"
        if not (rest.strip() or article or listed or re.fullmatch(r"\W*(?:the\s+)?\w+\W*", text)):
            return []  # "when i first watched it", "at last", "top notch": no position
        count = match.group("count")
        index = ORDINALS[word]
        if match.group("end") in ("bottom", "end", "last") and index >= 0:
            index = -1 - index  # "second from the bottom"
        if count:
            n = int(count) if count.isdigit() else _COUNT_WORDS.get(count) or _NUMBER_WORDS[count]
            indexes = list(range(size - n, size)) if index < 0 else list(range(index, index + n))
        else:
            indexes = [index % size if -size <= index < size else size]
    elif match.group("num"):
        value = match.group("num")
        indexes = [(int(value) if value.isdigit() else _NUMBER_WORDS[value]) - 1]
    else:
        value = int(match.group("bare"))
        if not (1 <= value <= size) or not (enumerated or _BARE_DIGIT_BEFORE_RE.search(text[:match.start()])):
            return []
        indexes = [value - 1]
    return [i for i in indexes if 0 <= i < size]


# --- stance -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:  # the benchmark's extra, not the product's
        raise DriftrecError("reading chat messages needs vaderSentiment, a driftrec dependency: "
                            "reinstall with `make install` (or pip install vaderSentiment==3.3.2)") from error
    return SentimentIntensityAnalyzer()


def _vader_compound(words: str) -> float:
    """VADER's compound score of the words, the filler "like"s taken out ("it was like, fine")."""
    return _vader().polarity_scores(_FILLER_LIKE_RE.sub(" ", words))["compound"]


_NOT_AN_OPINION_RE = re.compile(
    r"(?<![a-z])love (?:story|stories|triangle|interest|scenes?|songs?|letters?|affair)(?![a-z])|"
    r"(?<![a-z])(?:(?:the |a )?funny (?:thing|story|enough|how)|funnily enough|fun fact|(?:the )?good (?:thing|news) is)(?![a-z])|"
    r"(?<![a-z])which\b[^.!?,;]{0,30}?(?:best|better|greatest|good|great|funniest|scariest|most [a-z]+)(?![a-z])|"
    r"(?<![a-z])(?:i'?m sure|i am sure|i don'?t doubt|no doubt)\s+(?:\S+\s+){0,4}?(?:is|was|'s|are|were)\s+"
    r"(?:(?:very|really|quite|perfectly|probably)\s+)?(?:lovely|great|good|fine|brilliant|wonderful|excellent|"
    r"beautiful|a masterpiece|a classic|well made|clever)(?:\s+and all)?(?![a-z])|"
    r"(?<![a-z])(?:maybe|perhaps|about|around|like)(?=\s+(?:a dozen|dozens of|a few|a couple of|a hundred|twice|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred) times))|"
    r"(?<![a-z])whatever(?=\s+(?:he|she|they|you|we|i|it|the|comes|else|is|was|works|made|came|did))|"
    r"(?<![a-z])(?:anything|something|smth|sth|somethin'?)(?:\s+(?:a bit|a little|more|less|really|actually|genuinely|"
    r"properly|equally|just as|as|but not too|not too))?\s+(?!(?:like|similar|else|with|from|by|about|to|that|which|who|"
    r"i|you|we|in|on|of|for|the|a|an|along|close|kinda|kind|sort|same|akin|comparable|resembling|reminiscent|cut)(?![a-z-]))"
    r"[a-z-]+(?:\s+(?:and|or|but)\s+[a-z-]+)?(?![a-z])|"
    r"(?<![a-z])(?:i'?ll|i will|let me|i'?d better|i need to|i'?m going to|gonna) have a (?:little |bit of a |quick |good )?think(?![a-z])|"
    r"(?<![a-z])(?:i'?d|i would) like (?:you|to) (?:to )?(?:know|say|add|mention|point out|note|explain|share)(?![a-z])|"
    r"(?<![a-z])(?:(?:fully |totally |really |half )?expected|thought i'?d|thought i would|was sure i'?d|was ready) to "
    r"(?:hate|love|like|dislike|be bored by|enjoy|adore)(?: it| this| that)?(?![a-z])")
"""Words of the lexicon inside a name for something else ("the love story was silly", "funny thing is", "which is best?"), granted
before a verdict of the user's own ("I'm sure it's lovely and all, just not one I'd pick"), or a
hedge on a count ("rewatched it maybe a dozen times": not "maybe", the prospect), "whatever" as a
determiner ("whatever he made next": not the shrug), and what a wanted film should be ("these are too
dark, anything funny?": a request, not praise of the list)."""


_ADVERB_IN_VERB_RE = re.compile(r"(?<![a-z'])((?:i'?d|i|we|we'?d|would|might|will|i'?ll|could|may|gonna|to|not|"
                                r"haven'?t|havent|hasn'?t|never|didn'?t|don'?t)\s+)"
                                r"(actually|really|honestly|definitely|probably|totally|maybe|still|def|prob|probs|even)(?=\s)")
"""An adverb inside a verb phrase ("I'd actually watch", "might honestly try", "not really my thing", "haven't even seen"):
blanked, the phrase's words stay apart only by spaces, as the cue patterns allow."""


_ANCHORED_CUES = [(pattern, cue, CUE_ANCHORS.get(pattern)) for pattern, cue in MOVIE_CUES]
"""The movie cues with the words one of which each needs (looked up once: hashing a long pattern is slow)."""


def cue_matches(scope: str) -> list[tuple[int, int, Cue]]:
    """Every match of every movie cue pattern in the scope, overlaps and all; a pattern none of whose phrases'
    words shows in the scope cannot match and is not searched."""
    present = anchor_words(scope)
    return [(m.start(), m.end(), cue) for pattern, cue, anchors in _ANCHORED_CUES
            if anchors is None or not anchors.isdisjoint(present) for m in pattern.finditer(scope)]


def _cues_in(scope: str) -> list[tuple[int, int, Cue]]:
    """Every movie cue in the scope; where cues overlap the longest stays (several on the same words)."""
    scope = _NOT_AN_OPINION_RE.sub(lambda m: " " * len(m.group(0)), scope)
    scope = _ADVERB_IN_VERB_RE.sub(lambda m: m.group(1) + " " * len(m.group(2)), scope)
    found = cue_matches(scope)
    found.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    kept: list[tuple[int, int, Cue]] = []
    for item in found:
        if all(item[1] <= other[0] or item[0] >= other[1] or item[:2] == other[:2] for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda item: item[0])


_NEGATED_FROM_AFAR_RE = re.compile(
    r"(?<![a-z'])(?:(?:don'?t|do not|doesn'?t|does not|can'?t|cannot)\s+(?:really\s+)?(?:think|see|imagine|believe|reckon|expect)"
    r"(?:\s+(?:that\s+)?(?:i'?d|i'?ll|i would|i will|we'?d|we'?ll|myself|me))?|"
    r"(?:doesn'?t|does not|don'?t|do not)\s+(?:look|sound|seem)\s+like\s+(?:something|one|a film|a movie)(?:\s+(?:i'?d|i would|we'?d))?|"
    r"not\s+(?:really\s+)?(?:something|one|a film|a movie|the kind of (?:thing|film|movie))\s+(?:i'?d|i would|we'?d|i'?ll))"
    r"\s+$")
"""A negation that reaches the verb from a few words off ("don't think i'd enjoy it", "doesn't look like something
i'd watch", "not something i'd put on"): a wish or a liking denied, not said."""


def _negated(scope: str, start: int) -> bool:
    if _NEGATED_FROM_AFAR_RE.search(scope[max(0, start - FAR_NEGATION_WINDOW):start]):
        return True
    window = scope[max(0, start - NEGATION_WINDOW):start]
    negators = list(NEGATOR_RE.finditer(window))
    if not negators:
        return False
    between = INTENSIFIERS.sub(" ", window[negators[-1].end():])
    if re.search(r"[,;:.!?]", between):
        return False  # "never watched, so yes to that": the negator's clause has ended
    return len(between.split()) <= 1


@dataclass
class _Reading:
    """What the cues around one mention say, before a field is chosen (see :func:`_decide`)."""

    similar: bool = False
    valences: list[int] = field(default_factory=list)
    emoji: list[int] = field(default_factory=list)
    lukewarm: bool = False
    seen: bool = False  # the user says they watched it
    past: bool = False  # the user judges it as something known ("was great", "is mid")
    prospect: bool = False
    acts: list[str] = field(default_factory=list)
    weak_acts: list[str] = field(default_factory=list)
    scored: bool = False  # a score was given ("6/10", "3 stars"): it outweighs complaints about one side

    @property
    def movie_words(self) -> bool:
        return bool(self.acts or self.seen or self.prospect or self.similar)

    def add_score(self, fraction: float) -> None:
        """A score given to the movie, as a share of the scale: 0.7 and above liked, from 0.5 lukewarm,
        below it disliked; a score is given to a movie watched."""
        if fraction >= 0.7:
            self.valences.append(2)
        elif fraction >= 0.5:
            self.lukewarm = True
        else:
            self.valences.append(-2)
        self.past = True
        self.scored = True

    @property
    def says_something(self) -> bool:
        return bool(self.similar or self.valences or self.lukewarm or self.acts or self.weak_acts or self.seen
                    or self.emoji)


_COPULA_TO_COMPLAINT_RE = re.compile(r"\s*(?:(?:really|way|just|a bit|a little|so|pretty|rather|quite|kinda|kind of|"
                                     r"honestly|frankly|genuinely|super|very|far|bit|lowkey|tbh|both|all|all three|"
                                     r"equally)\s+)*")
_SUBJECT_BEFORE_LIKE_RE = re.compile(r"(?:\bi|\bwe|\byou|\bthey|\bdo|\bdon'?t|\bnot|\bwould|'d|'ll|\bwill|\breally|\bdid|\bdidn'?t|"
                                     r"\bacts?|\bacting|\bacted|\btreats?|\btreated|\btalks?|\btalked|"
                                     r"\btoo many|\bso many|\benough|\bplenty|\bloads|\ba million)\s+$")
"""Words before "like" that make it an opinion, a count or a manner ("I do not like any of them", "seen too many
like it", "everyone acts like it is deep"), not "something like"."""


_PRESENT_TOO_RE = re.compile(r"\s*(?:is|'s|are)\s+(?:(?:a bit|a little|way|far|just|kinda|probably|maybe|bit|much)\s+)?"
                             r"too\s+[a-z]")
"""A film that "is too …" right after it, with nothing that says it was watched: judged as a suggestion."""
_AGAIN_RE = re.compile(r"(?<![a-z])(?:(?P<not>wouldn'?t|would not|won'?t|will not|never|not gonna|not going to)|"
                       r"(?:i'?d|would|i'?ll|could)(?!\s+(?:never|not)\b))\s+(?:\w+\s+)?(?:watch|see|sit through|rewatch)\s+$")
"""A wish to watch a card "again" (the words after it): the user watched it."""
_LIST_PLACE_RE = re.compile(r"(?:(?:on|to|in|onto) (?:my|the) )?(?:list|watchlist|watch list|queue)|my list|the list|watchlist|watch list")
"""The user's list as a place ("on my list", "to the watchlist")."""
_PUT_BEFORE_RE = re.compile(r"(?<![a-z])(?:put|putting|stick|sticking|throw|pop|chuck|whack|slap)\s+$")
"""Right before a card, with "on" right after it: putting the film on ("can we put that on tonight")."""
_REFUSED_WISH_RE = re.compile(r"(?<![a-z])(?:don'?t|do not|never|not|no need to|won'?t)\s+(?:(?:want|wanna|need)(?:\s+to)?"
                              r"(?:\s+(?:add|put|have))?|add|adding|put|putting)\s+$")
"""Words right before a card that refuse to have it listed: the "on my list" after them is what is refused."""


def _reading(before: str, after: str, detached: bool = False, pronoun: bool = False, listed: bool = False) -> _Reading:
    """What the cues in the words before and after a mention say of it (``detached``: the words are
    a statement of their own after it, so cues that must touch the movie do not count; ``pronoun``:
    the mention is a bare "it" / "that", which cues said only of a named movie do not judge;
    ``listed``: the mention is the list or part of it, which they do not accept: "keep them coming")."""
    if THIRD_PARTY_RE.search(before) and not re.search(r"[,.;!?]", before[THIRD_PARTY_RE.search(before).end():]):
        after = re.sub("^" + UNTIL_THE_USER, lambda m: " " * len(m.group(0)), after)  # "my husband says the first one is …"
    before, after = (THIRD_PARTY_RE.sub(lambda m: " " * len(m.group(0)), part) for part in (before, after))
    scope = f"{before} @ {after}"
    mark = len(before) + 1
    reading = _Reading()
    copula_end = None  # where the last "was" / "were" / "felt" ends: a complaint right after it judges a film watched
    refused = bool(_REFUSED_WISH_RE.search(scope[:mark]))  # "I don't want the last one on my list"
    if refused and _LIST_PLACE_RE.match(scope, mark + 2 + len(after) - len(after.lstrip())):
        reading.acts.append("decline")  # "please don't put the third on my list": no cue of its own
    elif _PUT_BEFORE_RE.search(before) and re.match(r"\s*on(?![a-z])", after):
        reading.acts.append("decline" if refused else "accept")  # "can we put that on tonight", "stick it on"
    for start, end, cue in _cues_in(scope):
        if cue.experience == "seen" and cue.weak and scope[start:end] in ("was", "were", "felt"):
            copula_end = end
        elif copula_end is not None and ((cue.valence or 0) < 0 or cue.act == "decline") \
                and _COPULA_TO_COMPLAINT_RE.fullmatch(scope[copula_end:start]) and not _negated(scope, start):
            reading.seen = reading.past = True  # "the second one was a bit much", "was way too long"
        if cue.act == "ignore":
            if end <= mark and not scope[end:mark].strip(" ,'\""):
                return _Reading()  # "the opposite of requiem for a dream": nothing about it
            continue
        if cue.act == "similar" and scope[start:end] == "like" and _SUBJECT_BEFORE_LIKE_RE.search(scope[:start]):
            continue  # "I do not like any of them": an opinion, not "something like"
        if cue.act == "similar":
            between = re.sub(r"[a-z]+'s\b|[a-z]+s'(?!\w)|(?<![a-z0-9'])(?:remotely|vaguely|a bit|a little|kinda|kind of|sort of|even|maybe|"
                             r"perhaps|just|more|at all|that is|that's|the|that|(?:19|20)\d\d|'\d\d)(?![a-z0-9])", "",
                             scope[end:mark]) if end <= mark else ""
            # "like Miyazaki's Totoro", "anything remotely like stand by me"
            if (cue.place == "before" and end <= mark and not between.strip(" ,'\"")) or \
                    (cue.place == "after" and start >= mark + 1 and not scope[mark + 1:start].strip(" -,'\"")):
                reading.similar = True
            continue
        if detached and cue.place != "any":
            continue  # "… next 🙄" asks for the next list; "Apollo 13 next" picks a movie
        if cue.named and (pronoun or (listed and cue.act == "accept")):
            continue  # "keep it short", "keep them coming": a wish for what comes next, not cards kept
        if cue.place == "before" and (end > mark or scope[end:mark].strip(" ,.!'\"")):
            continue  # "not that one": only right before the movie
        if cue.place == "after" and (start < mark or scope[mark + 1:start].strip(" ,.!'\"=:")):
            continue  # "Apollo 13 next": only right after it
        negated = _negated(scope, start) and scope[start:end] not in ("not", "no", "nope", "nah")
        if cue.act and re.search(r"(?:nearly|almost|was going to|was gonna|wanted to)\s+(?:\w+\s+)?$", scope[max(0, start - 25):start]):
            continue  # "I nearly binned the whole list": what was not done
        if cue.act == "accept" and refused and start >= mark and _LIST_PLACE_RE.fullmatch(scope[start:end]):
            continue  # the place the refused card would go, no wish of its own
        if cue.act:
            act = "decline" if negated and cue.act == "accept" else cue.act
            (reading.weak_acts if cue.weak else reading.acts).append(act)
        if cue.experience == "seen" and not negated:
            if cue.weak:
                reading.past = True
            else:
                reading.seen = reading.past = True
        elif cue.experience == "prospect" or (cue.experience == "seen" and negated):
            reading.prospect = True
        if cue.valence == 0 and end <= mark and re.fullmatch(r"ok|okay|alright|all right|fine", scope[start:end]):
            continue  # "okay the last one is a CRIME": a word to begin with, not an opinion
        if cue.valence is not None and not cue.act:
            value = (-1 if cue.valence > 0 else 0) if negated else cue.valence
            if value == 0:
                reading.lukewarm = True
            else:
                reading.valences.append(value)
    if re.match(r"\s*(?:ever\s+)?again\b", scope[mark + 1:]) and (again := _AGAIN_RE.search(scope[:mark])):
        # "i wouldn't watch the second again": watched, and not liked; "i'd watch the first again": liked
        reading.seen = reading.past = True
        reading.valences.append(-1 if again.group("not") else 1)
    if _COMPLIMENT_RE.search(scope):
        reading.valences = [abs(value) for value in reading.valences]
    for rating in _RATING_RE.finditer(_STARS_IN_WORDS_RE.sub(_stars_as_digits, scope)):
        out_of = rating.group(2) or rating.group(3) or ("5" if rating.group("stars") else "10")
        reading.add_score(float(rating.group(1) or rating.group("bare")) / float(out_of))
    for grade in _GRADE_RE.finditer(scope):
        letter = grade.group("a") or grade.group("other") or grade.group("straight") or grade.group("graded")
        reading.add_score(_GRADE_SHARE[letter] + _GRADE_STEP.get((grade.group("mod") or "").strip(), 0.0))
    for stars in _STAR_GLYPHS_RE.finditer(scope):
        full, empty = len(stars.group("full")), len(stars.group("empty") or "")
        reading.add_score(full / (full + empty if empty else 5))
    if graded := _BARE_GRADE_RE.match(after):  # "RoboCop: A.", "Birdman: C"
        reading.add_score(_GRADE_SHARE[graded.group("letter")] + _GRADE_STEP.get(graded.group("mod") or "", 0.0))
    bare = BARE_SCORE_RE.match(after)
    if bare and not reading.past and ("." in bare.group("score") or bare.group("dash") or _SCORE_WORDS_RE.search(scope)):
        reading.add_score(float(bare.group("score")) / 10)  # "raiders 9.5", "scores: robocop 8", "Caddyshack — 5."
    reading.emoji = [value for char, value in EMOJI_VALENCE.items() if char in scope]
    if re.match(r"-(?:like|esque|ish)\b", after.lstrip()):
        reading.similar = True  # "jaws-like"
    return reading


_RATING_RE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d)?)\s*(?:/\s*(10|5)|(?:out of|outta|of) (10|5)|(?P<stars>\s*stars?)|(?P<from_me>\s+from me))(?![\d])|"
    r"(?<![a-z])(?:(?:an?|scored|rated|gave it|give it|gets|got|all|(?:comes?|came) in at|(?:lands?|landed|sits?|stays?|"
    r"stayed|ranks?|ranked|lower|higher|puts?\s+(?:it|@))\s+at(?:\s+an?)?)\s+(?:solid|strong|generous|weak|hard|firm|"
    r"straight|measly|decent|perfect|easy|low|high|big|fat)?|(?:solid|strong|easy|firm|generous|measly))\s*(?P<bare>10|\d(?:\.5)?)(?:s\b)?"
    rf"(?![\d.,]\d|\s*(?:-|%|/|\+|{_UNITS}|of|in|on|or|and|to|k|m|year-old|yo|x)(?![a-z]))(?![a-z])")
"""A score: "4/10", "7 out of 10", "4 stars" (stars out of 5), "8 from me", "a 6", "scored a 2",
"gave it a 9", "all 10s" (out of 10 when the scale is not said)."""
_GRADE_RE = re.compile(r"(?<![a-z'])(?:an\s+(?:(?:solid|strong|easy|clear)\s+)?(?P<a>a)|a\s+(?:(?:solid|strong|weak|generous|"
                       r"low|high|clear)\s+)?(?P<other>[bcdf])|straight\s+(?P<straight>[abcdf])'?s|grade:?\s+(?P<graded>[abcdf]))"
                       r"(?P<mod>\+|-|\s+plus|\s+minus)?(?![a-z0-9+-])")
"""A letter grade ("an A", "a solid B+", "straight C's", "C minus", "gets a D"): a score like any other."""
_GRADE_SHARE = {"a": 0.95, "b": 0.8, "c": 0.6, "d": 0.4, "f": 0.1}
_GRADE_STEP = {"+": 0.04, "plus": 0.04, "-": -0.04, "minus": -0.04}
_BARE_GRADE_RE = re.compile(r"\s*(?:[:=—–]|\s-)\s*(?P<letter>[abcdf])(?P<mod>[+-])?(?=\s*(?:[,;!()]|\.|$))")
"""A letter grade right after a movie, alone in its clause, after a colon, an equals sign or a dash ("RoboCop: A.",
"Birdman: C")."""
_STARS_IN_WORDS_RE = re.compile(r"(?<![a-z])(?P<n>one|two|three|four|five|[1-5])(?P<half>\s+and\s+a\s+half|\.5)?\s+stars?(?![a-z])")


def _stars_as_digits(match: re.Match[str]) -> str:
    """"three and a half stars" → "3.5 stars": a score like "3.5 stars"."""
    n = match.group("n")
    value = _NUMBER_WORDS.get(n) or int(n)
    return f"{value}.5 stars" if match.group("half") else f"{value} stars"


_STAR_GLYPHS_RE = re.compile(r"(?P<full>[★⭐]+)(?P<empty>☆+)?")
"""Stars drawn ("★★★★☆", "⭐⭐⭐⭐⭐"): out of the stars drawn, or of five."""
_SCORE_FILLER_RE = re.compile(r"(?<![a-z])(?:a|an|solid|strong|overall|so|call it|i'?d give it|i give it|gets|maybe|"
                              r"about|around|like)(?![a-z])")


def score_only(statement: str) -> str | None:
    """The field a statement gives when it is a score and nothing more ("3 stars.", "A 6/10.", "solid B"), else None:
    said after a verdict's own statement, it is the user's final word ("emotionally inert. 3 stars.")."""
    said = _RATING_RE.search(statement) or _GRADE_RE.search(statement)
    if said is None or re.search(r"[a-z]", _SCORE_FILLER_RE.sub(" ", statement[:said.start()] + statement[said.end():])):
        return None
    reading = _reading("", statement)
    if not reading.scored:
        return None
    reading.seen = True
    return _decide(reading)


BARE_SCORE_RE = re.compile(r"\s*(?P<dash>[—–=]|\s-|:(?=\s))?\s*[:,]?\s*(?P<score>10|\d(?:\.5)?)(?=\s*(?:[,;!()]|\.(?!\d)|$))")
"""A number right after a movie, alone in its clause: a score when it has a half, follows a dash, a colon or an
equals sign ("Caddyshack — 5.", "gladiator: 9", "se7en = 2") or the words speak of scores."""
_SCORE_WORDS_RE = re.compile(r"(?<![a-z])(?:scores?|scored|ratings?|rated?|ranked|ranking|out of)(?![a-z])")
_NARROW_RE = re.compile(r"[,=]|\s-\s|(?<![a-z])(?:and|or|but(?! in (?:the best|a good))|then|while)(?![a-z])|&")
_COMPLIMENT_RE = re.compile(r"(?<![a-z])(?:in (?:the|a) (?:best|good) (?:possible )?way|in the best possible sense|"
                            r"(?:and )?i mean (?:that|it) as a compliment|as a compliment)(?![a-z])")
"""Words that turn the criticism before them into praise ("daft, but in the best possible way")."""
_FILLER_LIKE_RE = re.compile(r"(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bthey )(?<!really )(?<!\bdo )(?<!\bdid )\blike\b")


_ONLY_A_COPULA_RE = re.compile(r"\s*(?:was|were|is|are|'s|'re)\s*")
"""The words between two mentions that only join the second to its verdict ("casino and heat were both
terrible": "were" is no verdict on Heat of its own)."""


def stance(before: str, after: str, sentiment: Sentiment = "lexicon", weak: bool = False,
           shared_before: bool = False, known: bool = False, listed: bool = False, shared_after: bool = False,
           detached: bool = False, on_screen: bool = False, sole_card: bool = False) -> str | None:
    """The intent field for a movie, from the words before and after it in its statement.

    The nearest words are read first, up to a comma or "and" ("no to unforgiven, yes to django");
    the whole statement gives what they lack (whether the user saw it) or, when they say nothing,
    everything.

    Args:
        before, after: The statement's words before and after the mention (other movies blanked).
        sentiment: Where valence comes from when the lexicon has no word for it.
        weak: The mention is a bare pronoun: it takes a stance only beside words about a movie.
        shared_before: ``before`` follows another movie ("1 was great 2 was terrible"): when the
            words after this one take a stance, the words before are the other's.
        shared_after: another movie follows: words after the next comma are about it ("seen the
            first three, loved the second").
        known: The user named the title (not a card on screen): a judgement means they saw it.
        listed: The mention is the list or part of it ("these are ok"): only "seen" says they saw them.
        detached: ``after`` is a statement of its own after the mention's ("Citizen Kane. Fell asleep.").
        on_screen: The movie is a suggestion on screen, named or pointed at: "is too scary for me" turns
            it down rather than judging a film watched.
        sole_card: The mention is a bare pronoun and one card is on screen: "I found it gripping" judges it.

    Returns:
        One of liked, disliked, seen, watchlist, not_interested, similar_to; None when the words
        say nothing about the movie.
    """
    conceded = _CONCESSION_RE.match(after)
    if conceded:  # "clever, sure, but too busy winking at the camera": what comes after "but" is the verdict
        after = " " * conceded.end() + after[conceded.end():]
    if shared_after:  # "loved the first one hated the second": "hated" is the next one's
        after = _NEXT_ONES_VERB_RE.sub(lambda m: " " * len(m.group(0)), after)
    if shared_after and (own := _OWN_AFTER_COMMA_RE.fullmatch(after)):
        # "forrest gump, total snooze and jurassic park, brilliant": a verdict closed off before the next movie
        after, shared_after = own.group("verdict"), False
    narrow = (_NARROW_RE.split(before)[-1], _NARROW_RE.split(after)[0] if not re.match(r"\s*[=-]", after)
              else after.split(",")[0])
    own_before = _reading(narrow[0], "")
    if shared_before and not (own_before.similar or own_before.acts) and not _ONLY_A_COPULA_RE.fullmatch(narrow[0]):
        own_after = _reading("", narrow[1])
        if _decide(own_after) is not None and (own_after.valences or own_after.lukewarm or not own_before.valences):
            # (a verdict before it stays its own when the words after only say it was watched: "…, loved it both times")
            narrow = ("", narrow[1])  # "1 was great 2 was terrible": "was great" is the first one's
        elif not narrow[1].strip() and not _NARROW_RE.search(before) and _decide(_reading("", after)) is not None:
            narrow = ("", after)  # "the last one is my comfort movie, the rest, skip"
    wide = _reading(narrow[0] if shared_before else before, re.split(r"[,;]", after)[0] if shared_after else after, detached,
                    pronoun=weak, listed=listed)
    reading = _reading(*narrow, detached=detached, pronoun=weak, listed=listed)
    if wide.lukewarm and not wide.valences and reading.valences:
        reading.valences, reading.lukewarm = [], True  # "was good, I suppose": the hedge takes in the praise before its comma
    if not reading.says_something:
        reading = wide
    elif wide.similar and not (reading.valences or reading.acts or reading.seen or reading.lukewarm):
        reading.similar = True  # "something with the cold, symmetrical dread of The Shining please"
    else:
        if not (reading.seen or reading.prospect) and not listed:  # "a hard no, I've seen it and it was awful"
            reading.seen, reading.prospect = wide.seen, wide.prospect
            reading.past = reading.past or wide.past
        if not (reading.valences or reading.lukewarm or reading.similar):
            reading.valences, reading.lukewarm = wide.valences, wide.lukewarm  # "fury road i watched … it was just noise"
            reading.emoji = reading.emoji or wide.emoji  # "watched jaws, 🔥🔥🔥"
        elif reading.valences and all(abs(v) < 2 for v in reading.valences) and any(abs(v) >= 2 for v in wide.valences):
            reading.valences = wide.valences  # "Titanic: slow, and I adored every minute": the verdict is further on
        elif all(abs(v) < 2 for v in reading.valences) and wide.scored and not reading.scored:
            # "The Last Emperor: slow. 6/10": the score further on is the verdict
            reading.valences, reading.lukewarm, reading.scored = wide.valences, wide.lukewarm, True
            reading.past = True
        if not (reading.valences or reading.similar or reading.acts) and set(wide.acts) <= set(reading.weak_acts or wide.acts):
            # "Pi I haven't seen, so add it", "fine, I'll try it", "the third one okay, I will try"; not "2 yes, no horror"
            reading.acts = wide.acts
    if not ((known and not on_screen) or reading.seen or wide.seen) and _PRESENT_TOO_RE.match(after):
        reading.prospect, reading.past = True, False  # "the second is too violent for me": a card turned down, not judged
    if listed:  # "these are ok": a judgement of the list, not of movies watched
        reading.past = False
        reading.lukewarm = reading.lukewarm and reading.seen
        reading.weak_acts = []
    if known and not reading.prospect:
        reading.past = True
    scope = " ".join(narrow)
    if weak and not (reading.movie_words or _MOVIE_NOUN_RE.search(before + " " + after)
                     or re.search(r"(?:loved|liked|hated|adored|enjoyed|love|hate|like|enjoy|adore|despise|despised|detest|detested)\s*$", before)
                     or (sole_card and (_JUDGED_IT_RE.search(before) or any(abs(v) >= 2 for v in reading.valences)))
                     or (_PRONOUN_SUBJECT_RE.match(after) and not re.search(r"[a-z]", _FILLERS_RE.sub(" ", before)))):
        return None
    if not reading.valences and not reading.lukewarm and not reading.seen and sentiment == "lexicon+vader" \
            and reading.movie_words:
        compound = _vader_compound(scope)
        if abs(compound) >= VADER_THRESHOLD:
            reading.valences.append(2 if compound > 0 else -2)
    return _decide(reading)


_RATHER_THAN_RE = re.compile(r"(?<![a-z])rather\b[^.;!?]*\bthan\s+(?:(?:gamble|gambling|bet|betting|risk|risking|watch|"
                             r"watching|sit through|sitting through|(?P<again>rewatch|rewatching|see again|watch again)|"
                             r"see|seeing|try|trying)\s+(?:on\s+|with\s+)?)?(?:the\s+|this\s+|that\s+|another\s+)?$")


def rather_than(before: str) -> str | None:
    """The field of a movie said after "rather … than" in its sentence (``before``: the sentence up to
    it): the one the user wants less, disliked when they would have to see it again."""
    match = _RATHER_THAN_RE.search(before)
    if match is None:
        return None
    return "disliked" if match.group("again") else "not_interested"


_CONCESSION_RE = re.compile(r"[^.;!?]*?,\s*(?:sure|granted|admittedly|i'?ll grant you|fair enough)\s*,\s*but(?![a-z])")
"""A point conceded before "but" ("clever, sure, but …"): the words after "but" judge the film."""
_OWN_AFTER_COMMA_RE = re.compile(r"\s*[,:–—-]\s*(?P<verdict>[^,;.!?]+?)\s*(?:[,;.!–—-]|\s(?:and|but|while|whereas))\s*(?:(?:and|but)\s*)?")
"""A movie's own verdict after a comma, closed off before the next movie ("X, total snooze and Y"), where
"X, loved Y" gives the words to Y."""
_NEXT_ONES_VERB_RE = re.compile(
    r"(?<![a-z'])(?:(?:i|we)\s+)?(?:(?:really|totally|absolutely|kinda|kind of|just)\s+)?(?:loved|liked|hated|adored|"
    r"enjoyed|disliked|despised|love|like|hate|adore|enjoy|dislike|can'?t stand|couldn'?t stand|watched|seen|saw|"
    r"rewatched|skip|skipped|(?:have|haven'?t|never|not|already|also)\s+(?:seen|watched))\s+"
    r"(?:(?:the|that|this|number|no\.?|#)\s*)?$")
"""A verb right before the next movie, with nothing between: that movie's, not the one before."""


_JUDGED_IT_RE = re.compile(r"(?<![a-z])(?:i|we)\s+(?:(?:really|honestly|actually|just|genuinely|personally|always|still)\s+)?"
                           r"(?:found|thought|felt|think|find|reckon|considered|consider)\s*$")
"""A verb of judging right before a bare "it" ("I found it gripping", "I thought it was awful")."""
_PRONOUN_SUBJECT_RE = re.compile(r"\s*(?:(?:still|always|really|honestly|just|lowkey|genuinely)\s+)?(?:was|is|'s|were|"
                                 r"has been|had been|remains|stays|will always be|slaps|slapped|rocks|rocked|rules|"
                                 r"ruled|sucks|sucked|ate|hits|hit different|holds up|held up|goes hard|went hard|"
                                 r"bangs|banged|delivers|delivered|dragged|drags|bored me|blew me away|never gets old)(?![a-z])")
_FILLERS_RE = re.compile(r"(?<![a-z])(?:oh+|ok|okay|yeah|yes|honestly|tbh|lol|wow|man|so|and|but|well|hm+|ah+|omg|ngl)(?![a-z])")
"""A pronoun opening its statement as the subject ("it was great", "oh this was my fave"): the card on screen."""


def sounds_negative(words: str, complaints: bool = False) -> bool:
    """The words say something against what they are about, by the cue lexicon or, where it has no
    word for it, by VADER ("i'm exhausted by [musicals]"): what a genre named with no stance of its
    own takes instead of "more". ``complaints``: a complaint about one side counts too (said after
    the mention: "[the old ones] are slow"; before it, "a big dumb comedy" still asks for one)."""
    valences = _reading("", words, detached=True).valences
    if valences:
        return min(valences) <= (-1 if complaints else -2) and max(valences) < 2
    return _vader_compound(words) <= -VADER_THRESHOLD


def says_a_verdict(words: str) -> bool:
    """The words judge a movie as a whole ("loved it", "awful"), not one side of it ("too long")."""
    return any(abs(value) >= 2 for value in _reading("", words, detached=True).valences)


def says_lukewarm(before: str, after: str) -> bool:
    """The words around a movie give it a lukewarm verdict ("saw it in IMAX, it was ok")."""
    return _reading(before, after).lukewarm


def condemns_without_refusing(before: str, after: str) -> bool:
    """The words around a movie condemn it outright ("bad", "a mess", "don't like") and do not decline it as a
    suggestion ("3 no", "skip it"), nor only find it too much of something ("a bit too scary for me")."""
    reading = _reading(before, after)
    return not (reading.acts or reading.weak_acts) and any(value <= -2 for value in reading.valences)


def score_field(fraction: float) -> str | None:
    """The field a score alone gives a movie (a share of its scale: "8" of 10 is 0.8), as a reading would."""
    reading = _Reading()
    reading.add_score(fraction)
    return _decide(reading)


def _decide(reading: _Reading) -> str | None:
    """The field of the table in the module docstring."""
    if reading.similar:
        return "similar_to"
    if any(abs(value) >= 2 for value in reading.valences) or reading.scored:  # a verdict or a score outweighs
        reading.valences = [value for value in reading.valences if abs(value) >= 2]  # complaints about one side
    valences = reading.valences or ([] if reading.acts or reading.weak_acts else reading.emoji)
    valence = sum(valences)
    acts = reading.acts or ([] if valences or reading.seen or reading.lukewarm else reading.weak_acts)
    if reading.seen and not reading.prospect:  # watched it: the opinion decides, not the acts
        valence = sum(reading.valences) or (0 if reading.lukewarm else sum(reading.emoji))  # "watched last wk 🔥🔥"
        if reading.lukewarm and abs(valence) <= 2:
            return "seen"  # "it was okay, Jar Jar not so much", "the acting was good … i guess it was ok"
        return "liked" if valence > 0 else "disliked" if valence < 0 else "seen"
    if acts:
        last = acts[-1]
        if "accept" in acts and "decline" in acts and valence:
            last = "accept" if valence > 0 else "decline"
        return "watchlist" if last == "accept" else "not_interested"
    if valence > 0:
        return "watchlist" if reading.prospect else "liked"
    if valence < 0:
        return "disliked" if reading.past and not reading.prospect else "not_interested"
    if reading.lukewarm and reading.past and not reading.prospect:
        return "seen"
    return None


# --- the whole list, and requests ---------------------------------------------------------------------


_NOT_A_REJECTION_RE = re.compile(
    r"(?:wouldn'?t|would not|can'?t|cannot|didn'?t|won'?t) (?:say|call it)\s+(?:that\s+)?$|"
    r"(?:didn'?t|did not|don'?t|do not) mean\s+$|"
    r"(?:not|never) (?:say|said)\s+$")
_DOUBLE_NEGATIVE_RE = re.compile(r"(?:i'?d|would|i would) (?:turn (?:it |them )?down|say no|skip|pass on)|nearly|almost|"
                                 r"(?:look|looks|are|is|seem|seems|sound|sounds)\s+(?:that\s+|too\s+|so\s+)?"
                                 r"(?:terrible|bad|awful|horrible|rubbish|boring|dreadful)")


_SEEN_BEFORE_RE = re.compile(r"(?<![a-z])(?:seen|watched|heard of|tried)\s+$")


def denies_rejection(text: str, start: int) -> bool:
    """A "none" said only to be denied: "I wouldn't say none of these work", "none of them look terrible",
    or one that counts what was watched: "seen none of these" turns none of them down."""
    if re.match(r"(?:none|neither)\b", text[start:]) and _SEEN_BEFORE_RE.search(text[max(0, start - 16):start]):
        return True
    sentence_end = re.search(r"[.!?]|$", text[start:]).start() + start
    answer = _ANSWERED_NO_RE.match(text)  # "ugh no, these are awful": a no that answers, no negation of "these"
    window = max(0, start - 30, answer.end() if answer and answer.end() <= start else 0)
    negative = re.search(r"(?<![a-z'])(?:none|nothing|not|zero|no|neither)\b(?:[^.!?]*$|\s)",  # not "they all look boring"
                         text[window:start + 8])
    return bool(_NOT_A_REJECTION_RE.search(text[max(0, start - 25):start])
                or (negative and _DOUBLE_NEGATIVE_RE.search(text[window:sentence_end])))


_ANSWERED_NO_RE = re.compile(rf"\W*(?:(?:{_SOUNDS})\W+)*(?:no+|nope|nah+)(?![a-z'])[\s,.!]*")


_FILLER_SENTENCES_RE = re.compile(rf"^(?:\W*(?:{_SOUNDS}|right|ok|okay)\W*[.!?…]+\s+)+")
"""Sentences of nothing but a sound before the answer ("oof. no", "hmm... nah")."""


_SOME_OF_RE = re.compile(r"(?<![a-z])(?:most|some|a few|a couple|half|several|many|two|three|four) of\s+$")
"""Words before a rejection of "these" that make it a rejection of part of the list."""


def rejects_whole_list(text: str, names_a_movie: bool = False) -> bool:
    """A phrase that turns down everything shown ("none of these", "nope, try again", "nah. 90s?"),
    not one said only to be denied ("I wouldn't say none of these work", "none I'd turn down")."""
    first = re.split(r"(?<=[.!?])\s+", _FILLER_SENTENCES_RE.sub("", text.strip()), maxsplit=1)[0]  # "oof. no"
    for match in REJECT_LIST_RE.finditer(text):
        if names_a_movie and re.match(r"(?:something|anything) else", match.group(0)):
            continue  # "seen the first two, loved both. anything else?": more wanted, the rest not turned down
        if names_a_movie and re.search(r"(?<![a-z])(?:did|does|do)\s+$", text[:match.start()]):
            continue  # "goodfellas did nothing for me": said of the film named, not of the list
        if _SOME_OF_RE.search(text, 0, match.start()):
            continue  # "most of these look rubbish but number 1's a banger": not the whole list
        if _COUNTERFACTUAL_BEFORE_RE.search(text, max(0, match.start() - 40), match.start()):
            continue  # "rather than binning the lot, …": a rejection not made
        if not denies_rejection(text, match.start()):
            return True
    return not names_a_movie and bool(WEAK_REJECT_RE.match(first))


_NAMED_SUGGESTION_RE = re.compile(
    rf"(?<![a-z])(?:the|that|this|these|those|your|my)\s+(?:(?:{_ORDINAL_WORDS}|last|top|latest|new)\s+)?"
    r"(?:suggestions?|recommendations?|recs?|options?|ideas?)(?![a-z])")
"""Suggestions talked about, not asked for ("that first suggestion is brilliant", "so much drama in these
suggestions", "I appreciate the suggestion")."""


def asks_for_list(text: str) -> bool:
    """A question about movies or a plain request ("recommend something", "what should I watch?")."""
    text = _NAMED_SUGGESTION_RE.sub(" ", text)
    if _WANTS_VERB_RE.search(text) and (_WANTS_OBJECT_RE.search(text) or re.search(r"recommend|suggest|recs?\b", text)):
        return True
    return text.rstrip().endswith("?") and bool(_WANTS_OBJECT_RE.search(text))

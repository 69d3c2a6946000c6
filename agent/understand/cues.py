"""The words that carry a stance, in one place: how people say more or less of a genre, and how
they react to a movie.

Every pattern runs on folded text (lower case, plain apostrophes; see
:func:`agent.understand.vocabulary.fold`), with the movie or genre itself blanked out, so a title's
own words ("Life Is Beautiful", "Kill Bill") never count as a cue. Apostrophes are optional
because people drop them ("dont", "didnt", "ive").

Genres get a polarity (:data:`GENRE_CUES`): more, less or never. Movies get a :class:`Cue`: a
valence (liked +, disliked -, lukewarm 0), an experience (the user has seen it, or is looking at
it as a prospect) and sometimes an act (accept the suggestion, decline it, ask for similar ones).
:mod:`agent.understand.reactions` turns those into one field of the intent.

The lexicons were written from general English usage and grown on the understanding set's dev
split only (``evaluation/understanding.py``); its test split is never read to tune them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Polarity = Literal["more", "less", "never"]
Experience = Literal["seen", "prospect"]
Act = Literal["accept", "decline", "similar", "ignore"]


CUE_WORDS: set[str] = set()
"""Every word of every phrase given to :func:`words`: what a misspelt word may be corrected to
(:mod:`agent.understand.spelling`)."""
SINGLE_WORD_CUES: set[str] = set()
"""The phrases given to :func:`words` that are one word: a verdict or a stance on their own ("boring", "nah"),
unlike a word that only belongs to a longer phrase ("shark" in "jumped the shark")."""


def words(*phrases: str) -> str:
    """One alternation of phrases: spaces match any run of spaces, ``'`` is optional, and a vowel or
    a word's last letter may be drawn out ("loved it soooo much", "it ATEEE", "goood", "yesss"); every
    letter would cost a third more time per message for nothing more found on the set."""
    CUE_WORDS.update(word for phrase in phrases for word in re.findall(r"[a-z]+", phrase))
    SINGLE_WORD_CUES.update(phrase for phrase in phrases if re.fullmatch(r"[a-z]+", phrase))
    return "|".join(_phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))


def _phrase_pattern(phrase: str) -> str:
    """One phrase of :func:`words`; an "it" inside it also matches the movie itself, which a reading sees as "@"
    ("wouldn't turn it down": "wouldn't turn @ down" when "it" is the card or a title)."""
    parts = []
    tokens = phrase.split(" ")
    for index, token in enumerate(tokens):
        pattern = _DRAWN_OUT_RE.sub(r"\1+", re.escape(token).replace("'", "'?"))
        # (inside the phrase only: "didn't hate it" stays the shorter "didn't hate" with its own experience, and
        # "more like it" does not take "more like the matrix", a wish for similar films)
        named = token == "it" and 0 < index < len(tokens) - 1
        parts.append(f"(?:{pattern}|@)" if named else pattern)
    return r"\s+".join(parts)


_DRAWN_OUT_RE = re.compile(r"([aeiouy]|[a-z](?=\s|$))")


def bounded(pattern: str) -> re.Pattern[str]:
    """``pattern`` as whole words (not inside a longer word)."""
    return re.compile(rf"(?<![a-z0-9'-])(?:{pattern})(?![a-z0-9])")


# --- genres and eras: more, less, never ----------------------------------------------------------

NEGATORS = words("not", "no", "don't", "do not", "didn't", "did not", "doesn't", "does not", "isn't", "wasn't", "weren't", "won't",
                 "wouldn't", "never", "without", "nothing", "zero", "can't", "cannot", "aren't", "ain't", "neither of us",
                 "i doubt", "we doubt", "none of us", "nobody", "no one", "neither of them", "none of them")
NEGATOR_RE = bounded(NEGATORS)

GENRE_CUES: list[tuple[re.Pattern[str], Polarity]] = [
    (bounded(words(
        "never", "hate", "hated", "hates", "can't stand", "cannot stand", "couldn't stand", "can't bear", "loathe",
        "despise", "detest", "ban", "banned", "hard no", "not ever", "never again",
        "ever again", "no more ever", "make me sick", "makes me sick", "make me feel sick", "allergic to",
        "abhor", "won't ever", "will never", "blacklist", "can't handle", "off the menu for good",
        "can't abide", "cannot abide", "can not abide", "never could", "never will be", "never will", "now or ever", "strong aversion to",
        "no interest whatsoever in", "whatsoever", "do not wish ever", "don't wish ever", "never want to see",
        "permanent no", "a permanent no", "permanently no",
        "can't stomach", "cant stomach", "cannot stomach",
        "dead to me", "block", "exclude", "exclude completely", "remove for good", "off my list for good",
        "off the list for good", "off my list forever",
    )), "never"),
    (bounded(words(
        "less", "fewer", "not so much", "not too much", "not as much", "no more", "not", "no", "nothing", "none",
        "don't want", "do not want", "dont need", "without", "avoid", "enough", "enough of", "stop", "skip",
        "tired of", "tired with", "weary of", "wearied of", "grown weary of", "sick of", "sick with", "bored of", "bored with", "fed up with", "fed up of",
        "over it", "i'm over", "im over", "done with", "done for me", "had my fill", "had my fill of", "had enough",
        "finished with", "through with", "are out", "is out", "off the table", "off my list", "off the list",
        "take off", "cut back on", "dial down", "ease up on",
        "tuckered out on", "tuckered out with", "plumb tuckered out on", "➖",
        "worn out on", "worn out by", "burnt out on", "burned out on", "not in the mood for", "not into",
        "not really into", "dislike", "don't like", "didn't like", "do not like", "did not like", "don't care for",
        "except", "instead of", "rather than", "not a fan of", "no longer", "not feeling", "not really feeling",
        "tone down", "cut down on", "cut back on", "lay off", "away from", "other than", "exclude", "minus",
        "too much", "too many", "so much", "so many", "doesn't", "does not", "isn't", "is not", "aren't",
        "are not", "won't", "wouldn't", "shouldn't", "nothing with", "free of", "apart from", "anything but",
        "anything except", "but not", "not for me", "not my thing", "not my cup of tea", "not my jam",
        "not my vibe", "pass on", "pass", "spare me", "steer clear", "keep away", "rather not", "ease off", "ease up on", "ease up with", "no go", "no-go", "a no go", "a no-go",
        "dial back", "dial down", "less of", "cool it with", "zero interest", "not interested in", "nah",
        "nope", "ugh", "again", "keep showing", "keep recommending", "keep suggesting", "keep giving",
        "not five in a row", "in a row", "can do without", "could do without", "not big on", "not a big",
        "no thanks", "not keen", "gets old", "getting old", "overdosed on", "overload", "ditch", "drop",
        "lose the", "get rid of", "cut the", "scrap", "no interest", "not really my", "isn't my", "aren't my",
        "never got into", "never really got into", "could never get into", "could never really get into",
        "never could get into", "never been into", "never really been into", "never warmed to", "never really warmed to",
        "gone off", "went off", "i'm off", "im off", "i am off", "we're off", "we are off", "the last thing i want is", "last thing i want is", "last thing we want is",
        "give it a rest", "take a break from", "a break from", "break from", "can't do", "cant do", "don't", "dont",
        "do not", "didn't", "didnt", "doesn't", "doesnt", "pause from", "a pause from", "little pause", "enuf", "nuff",
        "kind of over", "kinda over", "so over", "a bit over", "bit over", "totally over", "done w", "done w/",
        "over w", "sick of", "send me to sleep", "sends me to sleep", "puts me to sleep", "put me to sleep",
        "send me straight to sleep", "sends me straight to sleep", "✗", "❌", "👎", "🚫", "🙅", "🤮", "🤢", "😴",
        "would like a change", "need a change", "want a change", "a change from", "bad", "sucks", "overrated",
        "go easy on", "easy on the", "go easier on", "easier on the", "wasted on me", "lost on me", "off the menu", "bore me", "bores me", "the ick",
        "give me the ick", "gives me the ick", "more than", "veto", "zero", "had our fill", "had our fill of", "scared of", "afraid of",
        "very afraid", "so afraid", "frighten me", "frightens me", "minimal", "light on",
        "go light on", "hold the", "to a minimum", "to a bare minimum", "sparingly", "in small doses", "in moderation",
        # what a genre does to the user, said instead of a verdict ("i'd fall asleep during a western")
        "fall asleep", "falling asleep", "feel like homework", "feels like homework", "like homework", "wear me down",
        "wears me down", "wear me out", "wears me out", "glaze over", "glazes over", "zone out", "zones out", "outgrown",
        "grown out of", "leave me cold", "leaves me cold", "left me cold", "don't mix", "dont mix", "a rest", "walk out",
        "walked out", "childish", "not mine", "make me cringe", "makes me cringe", "the creeps", "stress me out",
        "stresses me out", "over my head", "goes over my head", "aren't funny", "arent funny", "isn't funny", "isnt funny",
        "are for kids", "is for kids", "repetitive", "kill me now", "not it", "drain me", "drains me", "last thing i need",
        "blur together", "all blur together", "low tolerance for", "a low tolerance for", "i'd sooner", "id sooner",
        "would sooner", "i would sooner", "had it up to here with", "up to here with", "a big no", "big no", "a no from me",
        "no from me",
        # the same in the languages people mix in, folded
        "neend aati", "neend aa jati", "neend aati hai", "bore karti", "bore karte", "bore hota", "bore ho jata",
        "me font dormir", "me fait dormir", "rien", "rien de", "nada", "pas de", "pas d'", "keine", "kein", "nicht", "nichts", "sin", "nada de", "sem", "nahi", "no mas", "ya no",
        "basta de", "genug von", "genug", "niente", "niente piu", "basta con", "non piu", "senza", "meno",
        "menos", "moins de", "weniger",
    )), "less"),
    (bounded(words(
        "again would be great", "again would be nice", "again would be good", "again would be fun", "again please",
        "again pls", "➕",
        "more", "some", "want", "wanna", "would like", "'d like", "in the mood for", "give me", "gimme", "show me",
        "i like", "i really like", "we like", "i do like", "really like", "i kinda like", "i'd like", "would like",
        "love", "loved", "liked", "enjoy", "enjoyed", "into", "prefer", "only", "fan of", "craving",
        "crave", "feel like", "up for", "down for", "looking for", "how about", "what about", "lots of",
        "a lot of", "extra", "any", "maybe", "perhaps", "focus on", "stick to", "go for", "can't get enough of",
        "never get tired of", "could use", "need", "recommend", "suggest", "got any", "hook me up with",
        "bring on", "bring me", "dying for", "hit me with", "obsessed with", "big fan", "huge fan", "adore",
        "dig", "binge", "mostly", "mainly", "fancy", "keen on", "recs", "suggestions", "occasional", "mood for",
        "wouldn't mind", "wouldnt mind", "wouldn't say no", "wouldnt say no", "wouldn't say no to", "wouldn't turn down",
        "don't suppose you've got", "dont suppose you've got", "don't suppose you have", "you wouldn't have",
        "wouldn't have anything", "tilting towards", "tilt towards", "towards", "lean towards", "leaning towards",
        "me encanta", "j'adore", "i'd not say no", "mood", "a decent", "knocking about", "good", "great", "ideal",
        "yes", "want them all", "now i want", "weakness for", "a weakness for", "soft spot for", "a soft spot for", "sucker for", "a sucker for",
        "a total sucker for", "can't get enough of", "cant get enough of",
        # double negatives: no objection is a yes ("i don't mind horror", "not opposed to a bit of romance")
        "don't mind", "dont mind", "do not mind", "not opposed to", "not against", "never say no to", "never say no",
        "no objection to", "no objections to", "not averse to", "wouldn't object to", "would not object to",
        "mad about", "crazy about", "nuts about", "can you find", "could you find", "find me", "find us",
        "try", "try some", "let's try", "lets try", "give us", "nothing beats", "nothing beats a", "you can't beat",
        "can't beat", "cant beat", "nothing better than",
        # a negator inside, more in meaning (the longest cue wins over "never" or "not")
        "cant get enough", "can't wait", "never get bored of", "never tire of", "can't go wrong with",
        "no such thing as too much", "not enough", "never gets old", "never get old", "never gets tired",
        "never gets boring", "never get bored", "never disappoints", "never disappoint", "never fails", "never fail",
        "✓", "✔", "✅", "👍", "🔥", "❤️", "😍",
        # the same in the languages people mix in, folded
        "ho voglia di", "voglia di", "mi piacciono", "vorrei", "voglio", "altri", "altre", "piu", "me gustan",
        "quiero", "quisiera", "mas", "j'aime", "je veux", "je voudrais", "encore des", "ich mag", "ich will",
        "ich hatte gern", "mehr", "eu quero", "gosto de", "adoro",
    )), "more"),
]
GENRE_WISH_RE = bounded(words(
    "more", "less", "fewer", "no more", "want", "wanna", "would like", "'d like", "i'd like", "in the mood", "mood for",
    "give me", "gimme", "show me", "find me", "got any", "any", "some", "something", "anything", "looking for",
    "prefer", "rather", "instead", "enough", "tired of", "weary of", "sick of", "done with", "fed up", "over it", "had my fill",
    "stop", "skip", "avoid", "without", "nothing", "please", "pls", "plz", "recommend", "suggest", "craving", "fancy",
    "keen on", "up for", "down for", "lay off", "ditch", "break from", "keep", "lots of", "only", "none", "need",
    "no", "not", "never show", "never suggest", "never recommend", "don't show", "dont show", "don't suggest",
    "dont suggest", "stick to", "stick with", "go for", "how about", "what about", "into", "fan of", "prefer",
    "obsessed with", "can't get enough", "cant get enough", "can't stand", "cant stand", "hate", "love", "adore",
    "enjoy", "like", "dislike", "loathe", "despise",
))
"""Words that make a genre named beside a movie a wish ("loved Alien, more sci-fi please"), not a description
of the movie ("Infinity War was insane", "the goat of action movies", "American Psycho is a comedy").
Opinions of the genre itself ("I hate horror") count; praise of the movie ("best horror of the decade") does not."""

GENRE_WEAK_CUES: list[tuple[re.Pattern[str], Polarity]] = [
    (bounded(words("some", "any", "anything", "something", "maybe", "perhaps", "please", "pls", "plz", "thanks",
                   "only", "extra")), "more"),
]
"""Cues that govern a genre only when no stronger cue is in its clause ("skip anything with romance")."""
"""Cue phrases of each polarity; the cue nearest a mention governs it (see genres_years)."""

GENRE_TAIL_CUES: list[tuple[re.Pattern[str], Polarity]] = [
    (bounded(words("hard no", "never again", "never", "banned", "not ever",
                   "now or ever", "now or never", "never could", "ever again", "not now not ever", "not now, not ever")), "never"),
    (re.compile(r"^\W*(?:and\s+)?(?:ever|forever|for ever|for good|permanently|for life)"
                r"(?:\W+(?:please|pls|plz|thanks|thank you|ty))?\W*$"), "never"),
    # "no more cartoons, ever.", "no musicals. forever."; not "… I could rewatch that one forever"
    (bounded(words("nothing after that", "nothing before that", "nothing older than that", "nothing newer than that",
                   "nothing after", "nothing before")), "less"),
    (bounded(words("not for me", "not my thing", "no thanks", "no thank you", "pass", "hard pass", "nope", "nah",
                   "would like a change", "need a change", "i'd like a change", "✗", "❌", "👎",
                   "no", "enough", "please no", "not again", "again", "spare me", "ugh", "not my cup of tea",
                   "i'm good", "im good", "gets old", "getting old", "too much", "not five in a row", "in a row",
                   "too many", "not into", "not really into", "can't get into", "cant get into", "to a minimum",
                   "to a bare minimum", "sparingly", "in small doses", "in moderation", "not anymore", "not any more",
                   "but not anymore", "not these days", "no longer", "not now", "not so much now",
                   "not so much anymore", "not so much these days")), "less"),
    (bounded(words("please", "pls", "plz", "yes", "yes please", "more", "love", "love it", "love them", "wouldn't say no",
                   "wouldnt say no", "i wouldn't say no", "wouldn't mind", "wouldn't turn it down", "go on then",
                   "never gets old", "never get old", "never gets boring", "never gets tired",
                   "never disappoints", "i'm into it", "im into it", "i'm into them", "im into them", "into it now",
                   "into them now", "now i love it", "now i love them", "love it now", "love them now")), "more"),
]
"""Stances said in a clause of their own after the genre ("westerns again? not for me")."""


# --- movies: valence, experience, act -------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """What one phrase says about the movie it is near.

    Attributes:
        valence: +2 loved … -2 hated; 0 lukewarm ("it was alright"); None: says nothing of taste.
        experience: "seen" (the user watched it) or "prospect" (looking at it as a suggestion).
        act: "accept" (will watch it), "decline" (won't), "similar" (wants more like it), "ignore" (says
            nothing of it: "the opposite of X").
        movie: Only said of a movie ("slaps", "adding it"), so a bare "it" / "that" may mean the
            movie shown; "great" alone may be about anything ("thanks, that's great").
        place: Where the cue stands relative to the movie: "before", "after" or "any".
        weak: Decides only when nothing stronger does: "please" accepts "3 please" but not "not the
            third one please"; "was" marks a judgement of a watched movie, not a watch by itself.
        named: Only of a movie named or pointed at ("keep the first", "I want Alien"), not of a bare
            pronoun ("keep it short", "I want it scary": a wish about what comes next).
    """

    valence: int | None = None
    experience: Experience | None = None
    act: Act | None = None
    movie: bool = False
    place: Literal["before", "after", "any"] = "any"
    weak: bool = False
    named: bool = False


CUE_ANCHORS: dict[re.Pattern[str], frozenset[str]] = {}
"""For each pattern made by :func:`_cues`, one word of each of its phrases (its longest, as :func:`anchor_words`
writes it): the pattern can only match a text holding one of them, so a reading skips the others' search.
Patterns not listed (a phrase of "it" or of no letters, or a hand-written regex) are always searched."""


def anchor_words(text: str, split_at_apostrophes: bool = True) -> set[str]:
    """The words of ``text`` as a cue phrase may match them: drawn-out letters single ("sooo goood" → {"so", "god"};
    a phrase's "good" → "god" too), each word with its apostrophes left out ("don't" → "dont", as the phrases'
    optional "'") and, for a text a phrase is searched in, also split at them ("popcorn's" → "popcorn", which the
    phrase "popcorn" matches), so a phrase matches only where one of its words shows."""
    found = re.findall(r"[a-z]+", text.replace("'", ""))
    if split_at_apostrophes:
        found += re.findall(r"[a-z]+", text)
    return {re.sub(r"([a-z])\1+", r"\1", word) for word in found}


def _cues(*entries: tuple[tuple[str, ...], Cue]) -> list[tuple[re.Pattern[str], Cue]]:
    cues = []
    for phrases, cue in entries:
        pattern = bounded(words(*phrases))
        anchors = [max(found, key=len) if (found := anchor_words(phrase, split_at_apostrophes=False) - {"it"}) else None
                   for phrase in phrases]
        if None not in anchors:
            CUE_ANCHORS[pattern] = frozenset(anchors)
        cues.append((pattern, cue))
    return cues


_MY_KIND = ("my kind of thing", "my kind of film", "my kind of movie", "my cup of tea", "more my speed", "my speed",
            "more my style", "my style", "more my thing", "my thing", "my type of film", "my type of movie", "my jam",
            "more my kind of thing", "very much my kind of thing", "my sort of thing", "my sort of film")


BEATS = r"(?:beats|tops|trumps|outdoes)"
"""One-word verbs that put a film above others ("jaws beats every shark film since", "aliens beats alien")."""
BETTER_THAN = rf"(?:{BEATS}|wipes the floor with|blows|knocks spots off|is leagues above)"
"""Verbs that put the film before them above the film after ("aliens beats alien"): as "better than"."""
WORSE_THAN = (r"(?:(?:is|was|'s)\s+(?:no match for|nowhere near as good as|not a patch on|a pale (?:copy|imitation) of|"
              r"a (?:lazy|cheap) (?:copy|knockoff|knock-off) of)|pales (?:next to|beside|in comparison to|in comparison with)|"
              r"(?:doesn't|does not|can't|cannot|could never) (?:hold a candle to|touch))")
"""Words that put the film before them below the film after ("casino doesn't hold a candle to goodfellas")."""
COPIED = r"a (?:pale|lazy|cheap) (?:copy|imitation|knockoff|knock-off)"
"""Said of the worse film, a copy is disliked, not only ranked below ("the remake is a pale copy")."""


SIMILAR_BEFORE = (
    # Spanish, Portuguese, French, German, Italian (folded: no accents)
    "algo parecido a", "parecido a", "parecida a", "parecidos a", "parecidas a", "algo como", "peliculas como",
    "algo parecido com", "parecido com", "parecidos com", "parecida com", "parecidas com", "filmes como",
    "dans le style de", "quelque chose comme", "des films comme", "des trucs comme", "movies comme", "films comme",
    "algo tipo", "mair like", "so ahnlich wie", "ahnlich wie", "etwas wie",
    "filme wie", "simile a", "simili a", "qualcosa come", "film come",
    # (a checklist of our own: a film between two named)
    "a mix of", "a cross between", "cross between", "somewhere between", "something between", "in between", "halfway between",
    "a blend of", "a mashup of", "a mash-up of",
    "something like", "anything like", "stuff like", "movies like", "films like", "more like", "ones like",
    "one like", "others like", "things like", "similar to", "something similar to", "anything similar to",
    "in the vein of", "along the lines of", "in the style of", "in the same mould as", "in the same mold as",
    "in the mould of", "in the mold of", "in the neighbourhood of", "in the neighborhood of", "with the energy of",
    "in the manner of", "in the tradition of", "cut from the same cloth as", "a companion to", "to pair with",
    "reminds me of", "same vibe as", "same vibes as", "the same itch as", "same itch as", "in the same lane as",
    "same lane as", "a worthy successor to", "successor to", "similar vibes to", "similar vibe to", "similar energy to",
    "similar feel to", "remind me of", "that remind me of", "that reminds me of",
    "same energy as", "the likes of", "akin to", "comparable to", "if you liked", "if i liked", "if i loved",
    "fans of", "along the same lines as", "in the same spirit as", "similar", "kinda like", "sort of like",
    "kind of like", "a bit like", "a little like", "something in the spirit of", "more movies like",
    "more stuff like", "close to", "same as", "same kind of", "same sort of", "same feel as", "feels like",
    "in the same spirit", "vein of", "spirit of", "flavour of", "flavor of", "like", "if you liked",
    "anything in the vein of", "stuff in the vein of", "recommendations like", "recs like", "picks like",
    "movies similar to", "films similar to", "along the lines", "a la", "ala", "fans of", "the style of",
    "what else is like", "whats like", "what's like", "anything else like", "more like",
    "version of", "a version of", "take on", "on the level of", "on par with", "as good as", "another",
    "the next", "successor to", "in the mould of", "in the mold of", "cut from the same cloth as",
    "things similar to", "movies in the vein of", "fans of", "in the ballpark of", "ballpark of", "same itch as",
    "scratches the same itch as", "in the same lane as", "same lane as", "in the same league as", "in the spirit of",
    "in the same mould as", "in the same mold as", "same wavelength as", "same ilk as", "inspired by",
    "in the same vein as", "same vein as", "alongside", "resembles", "resembling", "that resembles", "reminiscent of",
    "same energy as", "the same energy as", "same feel as", "the same feel as", "echoes of", "a cousin of",
    "in a similar vein to", "similar vein to", "along similar lines to", "close cousin of", "knockoffs of",
    "the same dread as", "same dread as", "the same tension as", "same tension as", "the same mood as",
    "same mood as", "the same tone as", "same tone as", "the same atmosphere as", "same atmosphere as",
    "the same feeling as", "same feeling as", "in the league of", "similar stuff to", "similar movies to",
    "similar films to", "similar ones to", "similar things to", "similar picks to", "same kind of thing as",
    "same sort of thing as", "closest to", "the closest thing to", "watch after", "to watch after", "follow up",
    "same ballpark as", "in the same ballpark as", "the vibe of", "with the vibe of", "the feel of", "with the feel of",
    "pairs well with", "pair well with", "goes well with", "someone who loved", "someone who liked", "someone who enjoyed",
    "people who loved", "people who liked", "people who love", "people who like", "for people who love",
    "based on", "recommendations based on", "recs based on", "a fan of", "fan of", "reminds you of", "remind you of",
    "as a starting point", "starting from",
    "follow-up to", "a follow-up to", "to follow", "similar in tone to", "similar in feel to", "similar in spirit to",
    "similar in style to", "in the same family as", "same family as", "of the same family as")
"""Phrases that ask for movies like the one named after them ("something like X"); before a title they
also say that it is one (``agent.understand.titles``)."""

_COMPLAINT_QUALITIES = ("gory", "violent", "scary", "long", "slow", "dark", "sad", "weird", "intense", "bloody", "grim",
                        "heavy", "much", "depressing", "silly", "childish", "kiddy", "old", "serious", "graphic", "disturbing")
_TOO_MUCH_FOR_ME = tuple(f"too {quality} for {whom}" for quality in _COMPLAINT_QUALITIES
                         for whom in ("my taste", "my liking", "my tastes"))
"""A complaint that makes a card one to skip, said to the card alone ("a bit too gory for my taste")."""
_A_BIT_MUCH_FOR_ME = tuple(f"{degree} {quality} for {whom}" for degree in ("a bit", "a little", "a tad")
                           for quality in _COMPLAINT_QUALITIES for whom in ("me", "us"))
"""A milder complaint ("looks a bit dark for me"): a dislike of a film watched, a skip of one that is not."""

NO_IDIOMS = ("no debate", "no contest", "no question", "no doubt", "no cap", "no lie", "no lies", "no joke", "no kidding",
             "no word of a lie", "no exaggeration", "no exaggerating", "not gonna lie", "not going to lie", "no idea",
             "no clue")
"""Phrases with "no" / "not" that refuse nothing ("best horror of the decade, no contest")."""

WATCHED_LUKEWARM = ("meh", "mid", "so-so", "so so", "forgettable", "underwhelming", "middling", "just meh")
"""Lukewarm verdicts said of a film watched ("2nd one meh", "#2 mid"; not "looks meh")."""

MOVIE_CUES: list[tuple[re.Pattern[str], Cue]] = _cues(
    # similar: "something like X", "X vibes"
    (SIMILAR_BEFORE, Cue(act="similar", place="before")),
    (("vibes", "vibe", "type", "style", "esque", "adjacent", "knockoffs", "knock-offs", "rip-offs", "ripoffs", "feel",
      "fix", "kind of night", "sort of night", "type of night", "kind of evening", "kind of mood", "-ish", "ish",
      "but funnier", "but scarier", "but way funnier", "but way scarier", "but more fun", "but shorter", "ballpark", "territory", "lane", "kind of thing", "sort of thing", "type of thing", "type stuff",
      "type movies", "type of movie", "energy", "flavour", "flavor", "knockoff", "clone", "and the like",
      "and similar", "or similar", "or something similar", "or something like it", "or anything like it",
      "feeling", "kinda movies", "kind of movies", "type movies", "style movies", "type of films", "type films",
      "kinda films", "kinda stuff", "sort of movies", "-like movies", "-adjacent", "adjacent", "type movie",
      "type film", "type movies", "type films", "type thing", "type of movie", "type of film", "-esque", "esque", "-type", "-style", "shaped hole", "-shaped hole", "but from", "but newer",
      "but older", "but funnier", "but with", "but less", "but more", "but set", "but in", "but for", "but darker",
      "but lighter", "but a bit", "but made", "but actually", "but good", "but better", "but scarier",
      "but sadder", "but happier", "but shorter", "but longer", "but animated", "but recent", "but modern",
      "but old", "but from the", "treatment", "jaisi", "jaisa", "jaise", "type ki"),
     Cue(act="similar", place="after")),
    # accept: the user will watch it
    (("add", "adding", "added", "watchlist", "watch list", "my list", "the list", "queue", "queued", "queuing",
      "bookmark", "bookmarking", "bookmarked", "saved it", "saving it to", "saved to", "i'll watch", "ill watch", "i'll check",
      "ill check", "check it out", "check out", "could work", "that works", "works for me", "sold", "i'm in",
      "im in", "let's go with", "lets go with", "go with", "going with", "it is", "decision made", "i'll take",
      "ill take", "i'll try", "ill try", "try", "give it a go", "give it a shot", "give it a try", "a shot",
      "a go", "a whirl", "down for", "up for", "why not", "convinced", "i'd love to", "id love to",
      "let's do", "lets do", "pick", "picking", "i choose", "choosing",
      "putting on", "put on", "put that on", "put this on", "put that one on", "stick it on", "stick that on",
      "pop it on", "pop that on", "popcorn", "gonna watch", "going to watch", "will watch", "i'll give",
      "ill give", "might watch", "to finish", "gonna finish", "will finish", "i'll finish", "ill finish", "wanna finish",
      "let me finish", "yess", "yesss", "yes please", "yes pls", "oh yes", "hell yes",
      "alright then", "fine i'll", "fine ill", "deal", "perfect for", "on my list", "noted", "definitely",
      "count me in", "i'm down", "im down", "want to see", "wanna see", "want to watch", "wanna watch",
      "go for", "could go for", "i'll go for", "ill go for", "meaning to watch", "been meaning to",
      "been wanting to", "need to watch", "need to see", "have to watch", "gotta watch", "gotta see",
      "must watch", "i'll see", "ill see", "will see", "yes to", "i'm sold", "im sold", "let's watch", "lets watch",
      "we'll watch", "well watch", "on the list", "to my list", "to the list", "to the queue", "bookmark that",
      "screenshotting", "writing that down", "noting that", "i'm curious", "im curious", "curious about",
      "intrigued", "intriguing", "interesting", "sounds fun", "sounds good", "sounds great", "sounds interesting",
      "sounds perfect", "looks fun", "looks good", "looks great", "looks interesting", "looks cool",
      "looks promising", "promising", "i'd like", "id like", "would like", "to-watch", "to watch list",
      "watch list", "i'd watch", "id watch", "would watch", "i'll give it", "worth a shot", "worth a try",
      "is next", "up next", "next up", "rather watch", "rather see", "sooner watch", "rather go with"),
     Cue(act="accept", movie=True)),
    (("next", "next please", "next pls"),
     Cue(act="accept", movie=True, place="after")),
    (("please", "pls", "plz", "ok", "okay", "tonight", "later", "this weekend", "yes", "yeah", "yep", "yup", "sure",
      "on the weekend", "at the weekend", "next weekend", "tomorrow", "another night", "another time", "some other time",
      "next week"),
     Cue(act="accept", movie=True, weak=True)),
    (("looks good", "looks great", "looks fun", "looks interesting", "looks cool", "looks promising", "sounds good",
      "sounds great", "sounds fun", "sounds interesting", "sounds perfect", "looks amazing", "sounds amazing",
      "looks decent", "sounds decent", "looks cute", "looks adorable", "looks sick", "looks fire", "interests me",
      "delighted to watch", "be delighted to", "would be delighted", "now we're talking", "now were talking", "i'm game", "im game", "sounds like a plan", "that's the one", "thats the one",
      "interests us", "intrigues me",
      # a fifth checklist of our own
      "worth a watch", "worth watching", "could be the one", "tonight sorted", "we'll do", "well do", "we will do",
      "keen", "very keen", "so keen", "well keen", "oh go on", "go on then", "calling my name",
      # a seventh checklist of our own
      "that'd be fun", "that would be fun", "could be fun", "exactly what i need", "just what i need", "just what i'm after",
      "exactly what i'm after", "exactly my vibe", "that's the mood", "more like it", "you know me well", "how did you know",
      # an entry of a terse list ("cabin - haven't, interested"; "not interested" is the longer phrase and wins)
      "interested", "i'm interested", "im interested", "very interested"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("✓", "✔", "✅", "sit down to watch", "happily watch", "would happily", "i'd happily", "id happily",
      "happy to watch", "be happy to watch", "glad to watch", "happy to give it a go"),
     Cue(act="accept", movie=True)),
    # decline: the user won't watch it
    (("i'd fall asleep", "id fall asleep", "looks dated", "puts me off", "sounds like hard work", "looks like hard work",
      "not my genre", "too highbrow", "childish for me", "too old for that", "can't see myself enjoying", "cant see myself enjoying",
      "it'd bore me", "itd bore me", "would bore me", "life's too short", "lifes too short"),
     Cue(act="decline", movie=True, experience="prospect")),
    (("looks dull", "looks boring", "looks naff", "can't be bothered", "cant be bothered", "can not be bothered",
      "doesn't do anything for me", "doesnt do anything for me", "does nothing for me", "absolutely not", "definitely not",
      "sooner not", "i'd sooner not", "id sooner not", "i'd rather skip", "id rather skip"),
     Cue(act="decline", movie=True)),
    (("pass", "pass on", "hard pass", "skip", "skipping", "no thanks", "no thank you", "not for me",
      "not my thing", "not my cup of tea", "not my jam", "not my kind of", "not my type", "not in the mood",
      "not feeling", "not really feeling", "not sure", "not sitting through", "not watching", "not gonna",
      "not going to", "not interested", "not tonight", "rather not", "i'll skip", "ill skip", "remove", "hide",
      "drop", "get rid of", "don't wanna", "dont wanna", "don't want", "do not want", "nope", "nah", "no",
      "not that", "not this", "not it", "meh pass", "ugh no", "won't", "wont", "don't think so", "not a chance",
      "no way", "not keen", "doesn't appeal", "does not appeal", "don't appeal", "doesn't grab me",
      "heavy going", "rather heavy going", "not my sort of thing", "not quite my sort of thing",
      "don't think it's my kind of", "dont think its my kind of", "don't think it's for me", "dont think its for me",
      "don't think it's my thing", "dont think its my thing", "don't think it's my cup of tea",
      "not my bag", "sit this one out", "sit it out", "sit that one out", "sitting this one out",
      "doesn't really appeal", "doesnt really appeal", "does not really appeal", "can live without", "could live without",
      "not grabbing me", "isn't grabbing me", "isnt grabbing me", "cross off", "cross out", "strike off",
      "sick of", "tired of", "fed up with", "had enough of", "bored of", "sick to death of",
      "don't speak to me", "dont speak to me", "doesn't speak to me", "doesnt speak to me", "do not speak to me",
      "don't interest me", "doesn't interest me", "do not interest me", "does not interest me",
      "does nothing for me", "doesn't do it for me", "not convinced", "no interest", "not into", "not really into",
      "not for tonight", "can't do", "cant do", "never will", "won't ever", "no chance", "not happening",
      "not today", "not now", "i'll pass", "ill pass", "not doing that", "not doing", "don't bother", "i'm good",
      "im good", "i'm ok", "im ok",
      "isn't my thing", "isnt my thing", "isn't really my thing", "isnt really my thing", "not really my thing",
      "isn't for me", "isnt for me", "not really for me", "don't do it for me", "dont do it for me",
      "do nothing for me", "nothing for me", "not sure it's for me", "not sure that's for me",
      "dont bother", "zero interest in", "no interest in", "zero desire to", "no desire to", "scrap", "bin", "ditch", "nix", "aren't it", "ain't it",
      "not it", "looks boring", "looks cheesy",
      "looks dumb", "looks silly", "looks bad", "looks awful", "looks terrible", "looks lame", "sounds boring",
      "sounds bad", "sounds awful", "sounds dumb", "sounds lame", "seems boring", "seems dumb", "a bit silly",
      "kinda cheesy", "a bit much", "not that one", "not this one", "no to", "naw", "nay",
      "i'll leave it", "ill leave it", "we'll leave it", "we'll leave that", "well leave that", "leave that one",
      "shan't watch", "shant watch", "shan't", "won't watch", "wont watch", "cannot abide", "can't abide",
      "cant abide", "do not intend to", "don't intend to", "dont intend to",
      "not exactly my cup of tea", "doesn't grip me", "does not grip me", "doesn't grab me", "not for us"),
     Cue(act="decline", valence=-1, movie=True)),
    (("hard no", "a hard no", "big no", "not watch", "won't watch", "wont watch", "will not watch", "not gonna watch",
      "wouldn't watch", "wouldnt watch", "would not watch", "would never watch", "i'd never watch", "id never watch",
      "never watching", "wouldn't bother with", "won't bother with",
      "✗", "❌", "scratch", "not to my taste", "too grown-up", "a bit grown-up", "too adult", "not for kids",
      "not suitable", "binned", "bin it", "binning"),
     Cue(act="decline", valence=-1, movie=True)),
    # what would happen if it were put on: a refusal told as its consequence ("my wife would kill me if i put any of
    # these on", "i'd fall asleep in the first ten minutes")
    (("would kill me", "would murder me", "would riot", "would revolt", "would mutiny", "would faint", "would walk out",
      "walk out on", "would laugh me out", "laugh me out of", "would divorce me", "would disown me", "would never forgive me",
      "would roll her eyes", "would roll his eyes", "would roll their eyes", "roll her eyes", "roll his eyes",
      "roll their eyes", "feel like homework", "feels like homework", "like homework",
      "send me running", "send my partner running", "send them running",
      "would run a mile", "i'd run a mile", "would hate me", "would never let me hear the end of it"),
     Cue(act="decline", valence=-1, movie=True)),
    (("disappointment", "a disappointment", "great disappointment", "a great disappointment", "big disappointment",
      "unsettling", "not in a fun way", "properly unsettling", "not in the fun way", "not in the good way",
      "and not in a good way", "and not in the good way", "really wasn't it", "really wasnt it",
      "rlly wasn't it", "rlly wasnt it"),
     Cue(valence=-2)),
    (("not interest me", "doesn't interest me", "does not interest me", "doesnt interest me", "not for us",
      "couldn't care less", "couldnt care less", "could not care less", "could care less",
      "does not appeal", "doesn't appeal to me", "not my taste", "grim", "sounds grim", "rather grim"),
     Cue(act="decline", valence=-1, movie=True)),
    (("fancy", "fancies", "like to see", "love to see", "keen to see", "wanted to see", "want to see", "been wanting to see",
      "make a note", "note of", "looks gud", "gud", "i'm in", "im in",
      "been begging", "begging for", "can't wait", "cant wait", "no objection", "no objections",
      "calling my name", "calling to me", "is calling me"),
     Cue(act="accept", movie=True)),
    (("giving me the ick", "gives me the ick", "gave me the ick", "the ick", "is giving me the creeps"),
     Cue(act="decline", valence=-2, movie=True)),
    (("passed the time", "killed some time", "killed the time", "filled an evening", "did the job"),
     Cue(valence=0, experience="seen")),
    (("fondly", "splendid", "marvellous", "marvelous", "wonderful", "smashing", "superb", "a delight", "brilliant",
      "loved every minute of it", "loved every second"),
     Cue(valence=+2)),
    (("on my list already", "already on my list", "on my watchlist already", "already on my watchlist",
      "already on the list", "on the list already"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("cry every time", "cried every time", "still cry", "i cry every time", "bawl every time", "still makes me cry",
      "makes me cry every time", "made me cry", "made me tear up", "made me sob", "had me in tears", "made me bawl"),
     Cue(valence=+2, experience="seen")),
    (("is my childhood", "was my childhood", "my whole childhood", "my entire childhood", "is my whole childhood",
      "was my whole childhood", "comfort trilogy", "comfort watch", "comfort rewatch", "pure childhood",
      "my teenage years", "defined my", "takes me back", "takes me right back", "took me right back",
      "word for word", "blew my tiny mind", "blew my little mind", "blew my young mind", "my happy place"),
     Cue(valence=+2, experience="seen")),
    (("but want to", "but i want to", "but would like to", "but i'd like to", "but id like to", "and want to",
      "i'd like to see", "id like to see", "i would like to see", "would love to see", "i'd love to see"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("looks meh", "look meh", "looks a bit meh", "look a bit meh", "all a bit meh", "all kinda meh", "all pretty meh",
      "sounds meh", "seems meh", "meh to", "looks mid", "look mid", "all look mid", "all mid"),
     Cue(act="decline", valence=-1, experience="prospect")),  # said of a suggestion: a soft no, not a watch
    (("bored stiff", "bored out of my mind", "bored to death", "bored senseless"),
     Cue(valence=-2, experience="seen")),
    (("not even scary", "isn't even scary", "wasn't even scary", "isn't even that scary", "wasn't even that scary",
      "not scary at all", "wasn't scary at all", "not even funny", "isn't even funny", "isn't even that funny",
      "wasn't even that funny", "not funny at all", "wasn't funny at all", "didn't laugh once", "never laughed once",
      "didn't laugh at all", "not a single laugh", "didn't jump once", "not one scare"),
     Cue(valence=-2, experience="seen")),  # a scare or a laugh promised and missed: judged after a watch
    (("next level", "next-level", "done right", "done properly", "still works", "still work"),
     Cue(valence=+2, experience="seen")),  # not the "next" that picks a card
    (("done badly", "done wrong", "done poorly"), Cue(valence=-2, experience="seen")),
    (("neither did much for me", "neither did anything for me", "neither did it for me", "neither was for me",
      "neither was my thing", "neither was to my taste", "neither of them did much for me",
      "neither of them did it for me", "neither of them was for me", "neither one did much for me"),
     Cue(valence=-2)),
    (("too many times", "so many times", "a hundred times", "countless times", "alrdy", "alr seen", "alrdy seen",
      "already seen", "already did", "we did", "have seen", "i've done", "ive done"),
     Cue(experience="seen")),
    (("paint dry", "watch paint dry", "not vibing", "not vibin", "not vibing with", "not what i had in mind",
      "not what i'm after", "not what im after", "not really what i'm after", "not really what im after",
      "not what i'm looking for", "not what im looking for", "not really what i'm looking for",
      "not at all what i had in mind", "missed the mark", "miss the mark", "are you trolling", "you're trolling",
      "would riot", "hard skip"),
     Cue(act="decline", valence=-2, movie=True)),
    (("would do", "would do perfectly", "would do nicely", "would do fine", "vibing", "vibing with", "down bad for"),
     Cue(act="accept", movie=True)),
    (("suck", "mid af", "so mid"),
     Cue(valence=-2)),
    (("resembling", "something resembling", "in the manner of", "similar 2", "like 2", "akin", "in that lane",
      "in the same lane", "same lane as"),
     Cue(act="similar", place="before")),
    (("not impress", "didn't impress", "did not impress", "didnt impress", "unimpressed", "not impressed"),
     Cue(valence=-2, experience="seen")),
    (("found it", "i found", "we found"),
     Cue(experience="seen", weak=True)),
    (("can't sit through", "cant sit through", "cannot sit through", "couldn't sit through", "couldnt sit through",
      "could not sit through"),
     Cue(act="decline", valence=-2, movie=True)),
    (("enjoyed less", "enjoyed it less", "enjoyed even less", "liked it less", "liked even less", "liked less"),
     Cue(valence=-2, experience="seen")),
    (("messed me up", "messes me up", "messed us up", "f'd me up", "fucked me up"),
     Cue(experience="seen")),  # says nothing of taste alone ("… and not in the fun way"); not "up for"
    (("forever",),
     Cue(valence=+2, place="after")),
    ((">>>", ">>", ">", "> all", "better than", "beats", "way better than", "much better than", "still beats", "tops the", "tops every",
      "trumps", "outdoes", "wipes the floor with"),
     Cue(valence=+2, place="after")),  # "goodfellas >>> casino": the one before is the better one  # "legally blonde forever"; not "dragged on forever", "a hard no, forever"
    (("changed my life", "finest", "the finest", "greatest", "the greatest", "ever made", "best ever",
      "magnificent", "timeless", "a triumph", "so good", "perfect film", "perfect movie"),
     Cue(valence=+2)),
    (("ought to", "i ought to", "should watch", "perhaps i should", "maybe i should", "i should see",
      "should really watch", "need to see it", "should probably watch", "should see", "should probably see",
      "should really see"),
     Cue(act="accept", movie=True)),
    (("dying to see", "dying to watch", "been dying to", "remind me to watch", "remind me to see",
      "save for the weekend", "saving it for", "saving that for", "for movie night", "for film night",
      "might finally watch", "will finally watch", "gonna finally watch"), Cue(act="accept", movie=True)),
    (("creeps me out", "gives me the creeps", "freaks me out"), Cue(valence=-1)),
    # verdicts of a film watched, from a checklist of our own review phrases ("goodfellas blew me away")
    (("masterwork", "a masterwork", "electric", "razor sharp", "razor-sharp", "rips", "absolutely rips", "a revelation",
      "revelation", "rewatchable", "endlessly rewatchable", "so rewatchable", "a film i return to", "i return to",
      "blew me away", "blows me away", "hits every note", "gold standard", "the gold standard", "the benchmark",
      "never misses", "is a ten", "a ten", "dazzling", "superbly acted", "well acted", "brilliantly acted",
      "glued to the screen", "glued to my seat", "one for the ages", "so well done", "really well done", "well done",
      "thrilling", "sucked me in", "sucked me right in", "drew me in", "pulled me in", "top drawer", "first class",
      "the real deal", "knocked my socks off", "blew my socks off", "a belter", "belter", "pure class", "a cracker",
      "criminally good", "peak cinema", "cinema at its finest", "at his peak", "at her peak", "at their peak",
      "instant favourite", "instant favorite", "a personal favourite", "personal favourite", "personal favorite",
      "by heart", "i own", "on dvd", "on blu-ray", "on bluray", "the box set", "box set", "hole in one", "a touchdown",
      "comfort food", "five course meal", "five-course meal", "cherry on top", "had me crying", "hits hard", "hit hard", "a whole mood", "my roman empire", "taken with",
      "rather taken with", "fine piece of work", "a very fine film", "very fine film", "moved by", "quite moved", "an absolute treat",
      "absolute treat", "nothing beats", "still thinking about", "quoted it", "we quoted it", "still quote it", "still quote", "lived up to the hype", "lives up to the hype", "get the hype",
      "see the hype", "my go-to", "go-to", "could quote", "everything i hoped for", "everything i hoped it would be",
      "exceeded my expectations", "exceeded all my expectations", "exceeded expectations", "deserved every award",
      "won't leave my head", "wont leave my head", "stuck in my head", "everyone should see", "everyone needs to see"),
     Cue(valence=2, experience="seen")),
    (("struck out", "an own goal", "own goal", "a whiff", "a total whiff", "undercooked", "half baked", "half-baked",
      "dropped the ball", "damp squib", "a damp squib", "stale bread", "was a flop", "was a total flop", "most unpleasant", "rather unpleasant", "thoroughly unpleasant", "never much taken with", "never taken with",
      "vulgar", "crude", "didn't care for", "didnt care for", "did not care for", "haven't cared for", "havent cared for",
      "never cared for", "left a lot to be desired",
      "leaves a lot to be desired", "terribly long", "wasn't really my cup of tea", "wasnt really my cup of tea",
      "wasn't my cup of tea", "wasnt my cup of tea", "head nor tail", "couldn't make sense of", "couldnt make sense of",
      "did not live up to", "didn't live up to", "felt sick", "made me sick", "made me feel sick",
      "sick to my stomach", "didn't get the appeal", "didnt get the appeal", "don't get the appeal", "didnt live up to", "doesn't live up to", "doesnt live up to",
      "never understand the love for", "don't understand the love for",
      "don't get the love for", "dont get the love for", "wanted to love", "wanted to like", "lost me", "lost me halfway"),
     Cue(valence=-2, experience="seen")),
    (("a bore", "a total bore", "a real bore", "drivel", "i'll never get back", "ill never get back", "never get back",
      "waste of a good cast", "fell flat", "falls flat", "a dud", "dud", "stinker", "a stinker", "a real stinker",
      "hard to sit through", "annoyed me", "annoying", "didn't land",
      "didnt land", "did not land", "joyless", "tosh", "utter tosh", "cringeworthy", "cringe-worthy",
      "sloppy", "left me cold", "leaves me cold", "turgid", "lifeless", "grating", "insufferable",
      "missed the point", "misses the point", "was flat", "felt flat", "so flat", "felt like homework"),
     Cue(valence=-2, experience="seen")),
    (("aged like fine wine", "aged like a fine wine", "only gets better", "gets better every time",
      "better every time i see it", "better with every watch", "better every time", "aged well", "has aged well",
      "think about it every day", "think about it all the time", "haven't stopped thinking about it",
      "havent stopped thinking about it", "can't stop thinking about it", "cant stop thinking about it",
      "still thinking about it", "always makes me smile", "never fails to make me smile", "makes me smile every time",
      "no notes", "twice in a row", "three times in a row"), Cue(valence=2, experience="seen")),
    (("zero stars", "0 stars", "no stars", "minus stars", "negative stars"), Cue(valence=-2, experience="seen")),
    # an eighth checklist of our own: slang and rankings
    (("no skips", "top 3", "top three", "top 10", "top ten"), Cue(valence=2, experience="seen")),
    (("100% recommend", "100 percent recommend"), Cue(valence=2)),
    (("a flop", "f tier", "bottom 5", "bottom five", "bottom 10", "bottom ten", "worst ever made", "one of the worst",
      "a nap", "i napped", "napped", "zzz", "zzzz"), Cue(valence=-2, experience="seen")),
    (("ew", "eww", "ewww"), Cue(valence=-2)),
    # a tenth checklist of our own: praise and complaint said through a negation
    (("didn't disappoint", "didnt disappoint", "did not disappoint", "never disappoints", "never disappointed",
      "couldn't fault it", "couldnt fault it", "nothing bad to say", "not once did i get bored", "never got bored",
      "never bored"), Cue(valence=2, experience="seen")),
    (("wasn't as good as i hoped", "wasnt as good as i hoped", "not as good as i hoped", "not as good as i'd hoped"),
     Cue(valence=-2, experience="seen")),
    (("wouldn't say i loved it", "wouldnt say i loved it", "wouldn't say i loved", "wouldnt say i loved"),
     Cue(valence=0, experience="seen")),
    # an eleventh checklist of our own: another watch wanted or refused
    (("would see again", "happy to rewatch", "up for a rewatch", "due a rewatch", "rewatch worthy", "very rewatchable"),
     Cue(valence=2, experience="seen")),
    (("wouldn't watch again", "wouldnt watch again", "don't need to see it again", "dont need to see it again", "no need to see it twice", "no need to see it again",
      "one and done", "not rewatchable", "not rewatching that", "never rewatching"), Cue(valence=-2, experience="seen")),
    # "aged well" above is praise; said with its negation it is the opposite, whole ("the effects haven't aged well")
    (("haven't aged well", "havent aged well", "have not aged well", "has not aged well"), Cue(valence=-2, experience="seen")),
    # a fourth checklist of our own: verdicts as people of every age and place give them
    (("what a film", "what a movie", "a corker", "a real corker", "one of the greats", "one of the all-time greats",
      "couldn't take my eyes off it", "couldnt take my eyes off it", "completely absorbed", "totally absorbed",
      "goosebumps", "the ending got me", "what an ending", "beautifully shot", "nothing to fault",
      "hard to fault", "can't fault it", "cant fault it", "happily watch it again", "watch it again in a heartbeat",
      "every christmas", "mind-blowing", "mind blowing", "full marks", "can't recommend it enough",
      "cant recommend it enough", "recommend it to everyone", "recommend it to anyone"),
     Cue(valence=2, experience="seen")),
    # a sixth checklist of our own: verdicts said as sentences about oneself
    (("keep coming back to", "keep going back to", "watch it a hundred times", "watch it a million times", "could watch it forever",
      "pleasant surprise", "expect to like it but i did", "expect to love it but i did", "still think about that ending",
      "come round to it", "come around to it", "better than people say", "glued to it", "devoured it", "i treasure",
      "treasure it", "cherish", "means a lot to me", "meant a lot to me", "special to me", "special place in my heart",
      "got me through", "whenever i'm sad", "whenever im sad", "can't get enough of it", "cant get enough of it",
      "exceeded every expectation", "won me over", "i was charmed", "completely charmed"),
     Cue(valence=2, experience="seen")),
    (("wasn't impressed", "wasnt impressed", "was not impressed", "underwhelmed",
      "regret watching", "expected more", "had high hopes", "fell short", "falls short", "a disappointment",
      "what a disappointment", "waiting for it to get good", "never got going", "struggled to finish", "force myself to finish",
      "forced myself to finish", "tried too hard", "tries too hard", "full of itself", "irritated me", "got on my nerves",
      "gets on my nerves", "fidgeting", "i was fidgeting"),
     Cue(valence=-2, experience="seen")),
    (("thumbs up", "two thumbs up", "big thumbs up", "highly recommended"), Cue(valence=2)),
    (("nearly fell asleep", "almost fell asleep", "on my phone the whole time", "checking my phone", "never got into it",
      "couldn't get into it", "couldnt get into it", "i felt nothing", "felt nothing", "didn't care about anyone",
      "didnt care about anyone", "didn't care about any of", "badly made", "detest", "detested",
      "a shambles", "shambles", "a car crash", "shite", "i will never get back",
      "can't see the appeal", "cant see the appeal", "don't understand why people like", "dont understand why people like",
      "don't get why people like", "dont get why people like", "nasty film", "one star", "1 star"),
     Cue(valence=-2, experience="seen")),
    (("thumbs down", "big thumbs down", "avoid at all costs"), Cue(valence=-2)),
    (("had to leave the room", "halfway through", "bailed", "bailed halfway", "creeped me out", "creeped me right out",
      "too frightening", "much too frightening", "didn't finish", "didnt finish", "did not finish", "2 long",
      "gave up on", "turned it off halfway"),
     Cue(valence=-2, experience="seen")),
    (("not gonna lie", "not going to lie", "i'm not gonna lie", "won't shut up", "wont shut up", "save it for another day",
      "another day", "another time", "for another day", "nearly", "almost", "was going to", "was gonna"),
     Cue()),
    (("opposite of", "the opposite of", "nothing like", "unlike", "same director as", "the director of",
      "by the director of", "from the director of", "same actor as", "same writer as", "the guy who made",
      "the people who made", "less like", "fewer like", "not like", "none like",
      "nothing else like", "no more like"),
     Cue(act="ignore", place="before")),  # "less like the fourth": no more like it
    (("idc", "idc about", "don't care about", "dont care about", "rather not bother", "not bother with",
      "a no from me", "a no from us", "that's a no", "thats a no"),
     Cue(act="decline", valence=-1, movie=True)),
    (("a maybe-not", "a maybe not", "'s a maybe-not", "is a maybe-not", "is a maybe not", "a probably-not", "a probably not"),
     Cue(act="decline", valence=-1, movie=True)),  # not the "is a maybe" inside them
    (("probably not", "prolly not", "probs not", "maybe not", "perhaps not", "likely not", "most likely not"),
     Cue(act="decline", valence=-1, movie=True)),  # "I should want to see it, but honestly, probably not"
    (("give that a miss", "give it a miss", "a miss", "give this a miss", "leave that one", "i'll leave that",
      "not one i'd pick", "not one for me", "wouldn't pick", "just not one i'd pick"),
     Cue(act="decline", valence=-1, movie=True)),
    (("look decent", "sound decent", "look fun", "look good", "look great", "look interesting", "look cool",
      "look promising", "sound good", "sound fun", "sound great", "sound interesting", "looks acceptable",
      "look acceptable", "shall watch", "i shall watch", "write it down", "i write it down", "keep it for me",
      "put it on for", "ill put it on", "i'll put it on", "on the list it goes", "sign us up", "sign me up",
      "chuck it on", "chuck them on", "chuck them all on", "we'll take", "well take", "i'll take the", "doesn't look entirely dreadful",
      "should like to", "should very much like to", "i'd very much like to", "gimme", "we can do", "going on the list",
      "goes on the list"),
     Cue(act="accept", movie=True)),
    (("maybe", "perhaps"), Cue(act="accept", movie=True, place="after", weak=True)),
    (("poster is giving", "is giving"), Cue(act="accept", movie=True, weak=True)),  # "is giving" alone is praise;
    # "is giving boring" is not
    (("at best", "at the very best"), Cue(valence=0)),  # "mid at best": no praise in "best"
    (("maybe", "perhaps"), Cue(act="accept", movie=True, place="before", weak=True, named=True)),  # "not the first, maybe the third"
    # a no denied is a yes, from a thirty-second checklist of our own
    (("not gonna say no", "not going to say no", "never say no", "i'd never say no", "id never say no", "how could i say no",
      "can't say no", "cant say no", "cannot say no", "couldn't say no", "couldnt say no", "no-brainer", "no brainer",
      "can't not watch", "cant not watch", "no complaints", "no objection", "no objections", "don't mind if i do",
      "dont mind if i do", "i'm not against", "im not against", "not against it"),
     Cue(act="accept", movie=True)),
    (("wouldn't mind", "wouldnt mind", "wouldn't say no", "wouldnt say no", "wouldn't turn it down", "on my radar",
      "wouldn't turn down", "wouldnt turn down", "would not turn down",
      "better see", "i'd better see", "see what the fuss is about", "i'll take that one", "i'll take it", "that'll do",
      "thatll do", "i'd probably lean towards", "lean towards", "could be persuaded"),
     Cue(act="accept", movie=True)),
    (("cut", "axe", "ditch all", "bench", "lose", "forget", "drop", "toss", "pass over"),
     Cue(act="decline", valence=-1, movie=True, place="before", named=True)),  # "cut the whole roster", "lose the other three"
    (("keep", "book", "go for", "i want", "we want", "we'll have", "i'll have"),
     Cue(act="accept", movie=True, place="before", named=True)),  # "keep the first and the last", "book the fifth"
    (("i want", "we want", "i'd want", "is the one for me", "is the one for us"),
     Cue(act="accept", movie=True, place="after", named=True)),  # "the fourth one I want"
    (("can do without", "could do without", "i can do without", "we can do without", "happy to skip",
      "don't grab me", "dont grab me", "don't grab us", "don't appeal", "dont appeal", "do nothing for me",
      "want to avoid", "want to skip", "would rather avoid", "not bothered about", "not fussed about",
      "haven't bothered with", "havent bothered with", "never bothered with", "don't plan to", "dont plan to"),
     Cue(act="decline", valence=-1, movie=True)),
    (("just the thing", "exactly the thing", "just what i need", "just what we need", "just what i needed",
      "right up my street", "right up my alley", "right up our street", "right up our alley", "up my street",
      "up my alley", "would not object to", "wouldn't object to", "wouldnt object to", "not object to"),
     Cue(act="accept", movie=True)),
    (("a fan", "big fan", "huge fan", "massive fan", "a big fan", "a huge fan", "been a fan", "fan of", "big fan of",
      "huge fan of", "laughed a lot", "we laughed a lot", "laughed and laughed", "laughed our heads off",
      "laughed my head off", "special place in my heart", "a special place in my heart", "close to my heart"),
     Cue(valence=+2)),  # "not a fan", "wasn't a fan" are longer: against it
    (("a whole vibe", "whole vibe", "such a vibe", "a total vibe", "looks class", "look class", "is class",
      "pure class", "absolute class", "proper class", "top class", "different class", "class act"),
     Cue(valence=+2)),
    (("to-do list", "to do list", "todo list", "bucket list", "watch-list", "my watch list", "on the docket"),
     Cue(act="accept", movie=True)),
    (("a no from me", "a no from us", "that's a no", "thats a no", "hard pass", "a hard no", "hard no"),
     Cue(valence=-1)),  # beside "seen it": disliked; else the turn-down their act says (same words, both kept)
    (("looks class", "look class"), Cue(experience="prospect")),
    (("for tonight", "not tonight"),
     Cue(experience="prospect")),  # "too long for tonight": a card not watched yet
    (("been there done that", "been there, done that", "done that one", "seen that one", "seen this one"),
     Cue(experience="seen")),
    *[(("in a heartbeat",), cue) for cue in (Cue(valence=+2), Cue(act="accept", movie=True))],
    *[(_MY_KIND, cue) for cue in (Cue(valence=+1), Cue(act="accept", movie=True))],
    # "is my kind of thing": liked when watched, else a watch; "not my cup of tea" / "isn't my thing" are
    # longer or negated: turned down
    (("make an exception for", "i'd make an exception for", "i would make an exception for", "exception for"),
     Cue(act="accept", movie=True, place="before", named=True)),
    (("remove", "off my list", "off the list", "off my watchlist", "from my list", "from my watchlist", "take off",
      "don't show me", "dont show me", "do not show me", "never show me", "never recommend", "don't recommend",
      "dont recommend", "don't suggest", "dont suggest", "never suggest"),
     Cue(act="decline", valence=-1, movie=True, named=True)),  # "remove the third from my list": not "my list"
    (("stop suggesting", "stop recommending", "stop showing me", "stop showing", "quit suggesting",
      "quit recommending", "stop putting", "stop offering", "enough of", "enough with"),
     Cue(act="decline", valence=-1, movie=True, place="before")),
    (("don't get the hype", "dont get the hype", "never understood the hype", "never understand the hype",
      "don't understand the hype", "dont understand the hype",
      "didn't vibe with", "didnt vibe with", "did not vibe with", "never vibed with", "the ending ruined",
      "ending ruined it", "ruined the ending"),
     Cue(valence=-2, experience="seen")),  # said only of a film watched
    (("could be tempted", "might be tempted", "i'm tempted", "im tempted", "tempting", "planning on watching", "planning to watch",
      "planned to watch", "was planning on", "been planning to"),
     Cue(act="accept", movie=True)),
    (("my top 3", "my top three", "my top 5", "my top five", "my top 10", "my top ten", "in my top", "my top two",
      "my top 2"), Cue(valence=2, experience="seen")),
    (("fond memories of", "have fond memories", "such fond memories", "fond memories"), Cue(valence=2, experience="seen")),
    (("not as bad as", "wasn't as bad as", "wasnt as bad as", "was not as bad as", "not as bad as i expected",
      "not as bad as i thought"), Cue(valence=0, experience="seen")),
    (("overhyped", "so overhyped", "massively overhyped", "way overhyped"), Cue(valence=-1)),
    (("an l", "a w", "mid", "so mid", "overrated", "overhyped", "so overhyped", "underrated", "forgettable", "mediocre", "a letdown",
      "a let-down", "aged badly", "aged terribly", "aged well", "holds up", "still holds up"),
     Cue(experience="seen", weak=True)),  # verdicts only a watched movie gets (not "looks bad")
    (("made me sit through", "made us sit through", "made me watch", "made us watch", "dragged me to",
      "dragged us to", "dragged me along to", "forced me to watch", "forced me to sit through"),
     Cue(experience="seen")),  # how they came to see it: the verdict, if any, comes in other words
    (("tried to make me watch", "tries to make me watch", "keeps trying to make me watch", "tried to get me to watch",
      "tries to get me to watch", "keeps trying to get me to watch", "wanted me to watch", "wants me to watch"),
     Cue()),  # someone's attempt, no watch yet: "my ex tried to make me watch that one every Christmas"
    (("found an excuse", "find an excuse", "finding excuses", "found excuses", "made an excuse", "make an excuse",
      "making excuses"),
     Cue(act="decline", valence=-1, movie=True)),  # "... and I always found an excuse": kept away from it
    (("once was plenty", "once was sufficient", "once was more than enough", "once is plenty", "once is enough",
      "once was enough for me", "never again for me", "felt cheated", "a massive step down", "a step down",
      "let me down big time", "forgot to be any good", "pretend doesn't exist", "pretend it doesn't exist"),
     Cue(valence=-2, experience="seen")),
    (("pants", "a bit pants", "daft", "naff", "rubbish", "sat there waiting", "waiting for it to get",
      "won't be doing that again", "won't be doing it again", "not doing that again"),
     Cue(valence=-2)),
    (("can do no wrong", "in the best possible way", "in the best way", "in a good way", "not like i didn't enjoy",
      "not that i didn't like", "not that i didn't enjoy", "wouldn't say i didn't like", "cried like a baby",
      "absolute w", "a w", "peak cinema", "required viewing", "floored me", "cried laughing", "crying laughing",
      "died laughing", "dying laughing", "laughed so hard", "made me laugh", "had me in stitches", "in stitches",
      "laughed ourselves silly", "laughed myself silly", "laughed themselves silly", "laughed ourselves sick",
      "laughed myself sick", "laughed till we cried", "laughed until we cried", "laughed till i cried",
      "laughed until i cried"),
     Cue(valence=+2)),
    (("ok i guess", "okay i guess", "fine i guess", "alright i guess", "aight i guess", "decent i guess"),
     Cue(valence=0, experience="seen")),
    (("closest thing to", "closest thing you have to", "closest thing you've got to", "the closest to", "does what",
      "something that does what"),
     Cue(act="similar", place="before")),
    # a few words of the languages people mix in (Spanish, Portuguese, French, German, Hindi)
    (("me encanta", "me encanto", "me encanto", "j'adore", "j'ai adore", "j'ai adore", "chef-d'oeuvre", "chef d'oeuvre",
      "mast", "paisa vasool", "bahut accha", "bahut achhi", "geil", "super film", "genial", "genial", "incroyable",
      "adorei", "amei", "muy buena", "muito bom", "belter", "a belter", "cracker", "a cracker", "quality", "top notch",
      "dead good", "proper good", "banging", "all-time top", "top twenty", "top 20", "my all time top",
      "toll", "grossartig", "großartig", "wunderbar", "fantastisch", "sehr gut", "hat mir gefallen", "fand ich gut",
      "me gusto", "me gusto mucho", "gostei", "excelente", "magnifique", "obra maestra", "obra-prima", "zabardast",
      "super"),
     Cue(valence=+2)),
    # Scottish, Irish, Singaporean, Nigerian English, Gen-Alpha slang, French (the eighth round's dev half)
    (("was class", "are class", "'s class", "baith class", "both class", "total class", "shiok", "damn shiok",
      "sweet me", "it eats", "still eats", "got aura", "pas mal du tout", "c'etait magique", "toujours genial",
      "heck yeah", "i very like", "very like"),
     Cue(valence=+2)),
    (("a dose", "a right dose", "bit of a dose", "brainrot", "pure brainrot", "was cooked", "fully cooked", "so draggy",
      "draggy", "na rubbish", "trop long", "trop bruyant", "bless its heart", "waste my time", "waste my two hours",
      "waste my 2 hours", "didn't connect", "didnt connect"),
     Cue(valence=-2)),
    (("so-so only", "so so only", "ok lah", "okay lah", "dey okay", "dey alright", "e dey alright", "tolerated it",
      "i tolerated it", "could've been worse", "could have been worse"),
     Cue(valence=0, experience="seen")),
    (("can try", "can lah", "je tente", "give it a lash", "stick it on the list", "il faut que je le voie"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("pas envie", "dispenso", "no touchin", "no touching", "no fit watch", "i no fit watch"),
     Cue(act="decline", valence=-1, movie=True)),
    # Hindi puts the verdict after what it judges ("Amelie dekhi thi, acchi thi"; "action movies pasand hain, Die Hard" is
    # no verdict on Die Hard)
    (("bahut acchi", "acchi thi", "accha tha", "achhi thi", "acchi hai", "pasand hai", "pasand hain", "pasand aayi",
      "pasand aaya", "bahut pasand"),
     Cue(valence=+2, place="after")),
    (("aburrida", "aburrido", "chato", "chata", "nul", "nulle", "nul a chier", "bahut boring", "boring thi", "bakwas",
      "langweilig", "glacial", "overlong", "put me off", "put me right off", "didn't see the point", "didnt see the point",
      "don't see the point", "not mad about", "wasn't mad about", "wasnt mad about", "not fussed", "not bothered",
      "hat mir nicht gefallen", "no me gusto", "nao gostei", "pas aime", "j'ai pas aime", "je n'ai pas aime", "schlecht",
      "ennuyeux", "chiant", "malisima", "muy mala", "ruim", "horrivel", "bekar", "bekaar", "pasand nahi aayi",
      "pasand nahi aaya"),
     Cue(valence=-2)),
    (("ya la vi", "ya lo vi", "la vi", "lo vi", "ja vi", "ja vi", "deja vu", "deja vu", "je l'ai vu", "je l'ai vue",
      "schon gesehen", "dekhi thi", "dekh li", "dekha hai", "band kar di", "gesehen", "kenn ich", "kenne ich",
      "ya vi", "assisti", "dekhi hai", "dekh chuka", "dekh chuki", "je l'ai deja vu", "je l'ai deja vue"),
     Cue(experience="seen")),
    (("jamais vu", "pas encore vu", "nie gesehen", "noch nicht gesehen", "nunca vi", "nunca la vi", "nunca lo vi",
      "nunca he visto", "nahi dekhi", "nahi dekha", "non l'ho mai visto", "non l'ho mai vista", "mai visto",
      "non l'ho ancora visto", "non l'ho visto", "non l'ho vista", "non l'abbiamo mai visto"),
     Cue(experience="prospect")),
    (("will ich sehen", "mochte ich sehen", "a voir", "je veux voir", "je voudrais voir", "quiero ver", "la quiero ver",
      "lo quiero ver", "quero ver", "quero assistir", "parece bueno", "parece buena", "suena bien", "merke ich mir",
      "me la apunto", "me lo apunto", "il faudrait que je le regarde", "je le regarderai", "dekhni hai"),
     Cue(act="accept", movie=True)),
    (("no gracias", "paso", "eh paso", "kein interesse", "nein danke", "non merci", "pas pour moi", "nahi chahiye",
      "nao quero", "nao quero", "no ta", "no ta mate"),
     Cue(act="decline", valence=-1, movie=True)),
    (("klingt gut", "merk ich mir", "vou assistir", "parece legal", "ca a l'air bien", "ca a l'air bien", "je vais regarder",
      "la voy a ver", "lo voy a ver", "dekhunga", "dekhna hai", "i'll have", "ill have", "go on then", "be persuaded",
      "now's the time", "nows the time", "maybe now", "i'll bite", "ill bite", "you had me at", "you've sold me",
      "youve sold me", "you sold me"),
     Cue(act="accept", movie=True)),
    (("wouldn't say i didn't like", "wouldnt say i didnt like", "wasn't exactly blown away", "not exactly blown away",
      "competent", "went on a bit"),
     Cue(valence=0)),
    (("a right laugh", "right laugh", "a laugh", "rewired my brain", "pyaari", "pyari", "bahut pyaari", "most mature",
      "changed my life"),
     Cue(valence=+2)),
    (("style over substance", "wears thin", "way to slow", "to slow", "never have to sit through",
      "it'll be too soon", "be too soon"),
     Cue(valence=-2)),
    (("sounds very me", "very me", "sounds like me", "sounds like my thing"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("didn't stay with me", "didnt stay with me", "take it or leave it", "no strong feelings",
      "no strong feelings either way", "no real feelings either way", "no strong opinion", "no strong opinions"),
     Cue(valence=0, experience="seen")),
    (("weakest", "his weakest", "her weakest", "their weakest", "the weakest", "worst one"),
     Cue(valence=-2)),
    (("get round to", "finally get round to", "get around to", "finally get around to",
      # (a checklist of our own: a card kept for later)
      "i'll get to", "ill get to", "i will get to", "circle back to", "back pocket", "saving for", "save for"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("not", "no", "nope", "nah", "not the", "no to", "none of", "neither of", "not really", "no not", "nope not"),
     Cue(act="decline", valence=-1, movie=True, place="before")),
    # phrases that only keep a shorter cue from matching inside them
    (("in the mood", "i'm in the mood", "im in the mood", "i'm in a", "im in a", "dad's favourite", "dad's favorite",
      "mum's favourite", "mom's favourite", "mom's favorite", "kids' favourite", "kid's favourite", "wife's favourite",
      "husband's favourite", "son's favourite", "daughter's favourite", "sister's favourite", "brother's favourite",
      "friend's favourite", "girlfriend's favourite", "boyfriend's favourite", "partner's favourite", "not sure about",
      "not sure if", "is it good", "not every one", "not all of", "not every single", "is it any good", "any good",
      *NO_IDIOMS, "popcorn's gone cold", "popcorn has gone cold", "popcorn went cold", "popcorn is cold",
      "popcorn's cold", "popcorn's gone", "popcorn is gone", "out of popcorn", "burnt the popcorn", "burned the popcorn",
      "no wonder", "after we walked out", "after i walked out", "as we walked out", "when we walked out",
      "once we walked out"),  # leaving the cinema at the end, not walking out on the film
     Cue()),
    (("except maybe", "but maybe", "maybe the", "except perhaps"),
     Cue(act="accept", place="before", movie=True)),
    (("take or leave", "can take or leave", "take it or leave it"),
     Cue(valence=0, experience="seen")),
    # seen
    (("saw", "seen", "watched", "have seen", "already", "as a kid", "years ago", "ages ago", "last year",
      "last week", "last night", "last month", "the other day", "first time", "rewatch", "rewatched",
      "rewatching", "grew up on", "grew up with", "childhood", "first date", "in theaters",
      "in theatres", "at the cinema", "in the cinema", "in imax", "a million times", "a hundred times",
      "sat through", "fell asleep", "nearly fell asleep", "walked out", "switched it off", "turned it off",
      "switched off", "turned off", "when i was", "back in", "growing up", "tried watching", "started",
      "every christmas", "every year", "was forced", "in school", "at school", "in class", "caught it",
      "on a plane", "on a flight", "on tv", "back in the day", "been ages", "it's been ages", "gave", "tried",
      "times", "twice", "watched it", "seen it", "saw it", "i remember", "we watched", "i watched", "on repeat",
      "loads", "so many times", "from start to finish", "start to finish", "just finished", "finished it", "been there",
      "ticked off", "ticked that", "ticked it", "might have seen", "might've seen", "may have seen", "might have watched",
      "might've watched", "may have watched", "think i've seen", "think ive seen", "think i saw",
      "was sleeping", "slept through", "fell asleep during"),
     Cue(experience="seen")),
    (("was", "were", "wasn't", "weren't", "felt", "found", "thought", "still", "again", "remember", "quote", "of all time", "all time", "made me", "gave me",
      "got me", "kept me", "blew", "cried", "is", "are", "has", "hasn't", "had"),
     Cue(experience="seen", weak=True)),
    # prospect
    (("looks", "look", "sounds", "seems", "seem", "might", "maybe", "could be", "would be", "might be",
      "will be", "trailer", "poster", "premise", "what's it about", "whats it about", "heard", "never seen",
      "haven't seen", "havent seen", "not seen", "new to me", "haven't watched", "havent watched",
      "not watched", "never watched", "haven't got round", "havent got round", "yet", "never got round to",
      "never got round", "never got around to", "none of us have seen", "none of us has seen", "neither of us has seen",
      "neither of us have seen", "nobody has seen", "no one has seen", "have not seen", "have never seen",
      "have never actually seen", "never actually seen", "not actually seen", "haven't actually seen",
      "havent actually seen", "have not watched", "have never watched", "seen neither", "watched neither",
      "i haven't", "i havent", "i have not", "haven't gotten to", "havent gotten to", "haven't gotten round to",
      "haven't gotten around to", "not gotten to", "yet to see", "yet to watch", "still haven't seen",
      "still havent seen", "not yet", "never caught", "missed it", "somehow missed", "somehow never"),
     Cue(experience="prospect")),
    # loved
    (("loved", "love", "loving", "adored", "adore", "amazing", "awesome", "fantastic", "incredible", "brilliant",
      "masterpiece", "favourite", "favorite", "fave", "faves", "fav", "all time fave", "goat", "goated", "peak",
      "fire", "a gem", "gem", "perfect", "perfection", "blew my mind", "blown away", "mind blowing",
      "mindblowing", "unreal", "so good", "really good", "soo good", "sooo good", "great", "so great",
      "one of the best", "the best", "best", "a classic", "an absolute classic", "classic", "comfort movie",
      "comfort film", "slaps", "slapped", "banger", "a banger", "obsessed", "can't stop", "chef's kiss",
      "it ate", "that ate", "this ate", "ate and left no crumbs", "ate that", "ate it up",
      "10/10", "10 out of 10", "legendary", "iconic", "epic", "stunning", "beautiful",
      "gorgeous", "hilarious", "wonderful", "magic", "pure magic", "magical", "top tier", "s tier", "elite",
      "holds up", "still holds up", "lives rent free", "rent free", "underrated", "a must",
      "can't stop thinking about", "cant stop thinking about", "pure nostalgia", "nostalgia",
      "nostalgic", "i'd recommend", "id recommend", "would recommend", "highly recommend", "recommend it to anyone",
      "deserves more love", "deserves way more love", "deserves more credit", "deserves more recognition",
      "must watch", "must see", "hooked", "riveting", "gripping", "unforgettable", "touching", "moving",
      "cried my eyes out", "chills", "goosebumps", "quote it", "quote it all the time", "never gets old",
      "can watch it forever", "could watch it forever", "could watch every day", "could watch it every day",
      "can watch it every day", "could watch it daily", "so much fun", "a blast", "a hoot", "never fails to",
      "gets me pumped", "get me pumped", "our christmas tradition", "a christmas tradition", "our tradition", "tradition",
      "a hidden gem", "hidden gem", "the best soundtrack", "pure dumb fun", "dumb fun",
      "enjoyed", "enjoy", "enjoying", "liked", "i like", "i really like", "we like", "i do like", "i kinda like",
      "i actually like", "really like", "dig", "dug", "rocks", "rocked", "ruled", "rules", "all-timer",
      "all-timers", "all timer", "all timers", "all-time great", "all-time greats", "all time great", "all time greats", "comfort movies", "comfort films", "one of my faves",
      "one of my favourites", "one of my favorites", "one of my fav", "my fav", "my fave", "my favourite",
      "my favorite", "a favourite", "a favorite", "love love love", "adore it", "loved it", "love it",
      "i'm obsessed", "so underrated", "a must-see", "stan", "slay", "ate", "so fun", "loved that",
      "my favourites", "my favorites", "my faves", "favourites", "favorites", "pure joy", "joy", "what a movie",
      "what a film", "masterclass", "a vibe", "chef kiss",
      "phenomenal", "superb", "outstanding", "excellent", "terrific", "spectacular", "a treat", "delight",
      "delightful", "charming", "lovely", "sweet", "cute", "such a good", "good", "solid", "fun", "nice",
      "cool", "dope", "sick", "lit", "wholesome", "heartwarming", "funny", "smart", "clever", "yes!!", "<3",
      "top 10", "top ten", "in my top", "compliment", "broke my brain", "eye opening", "eye-opening", "adorable",
      "favs", "childhood favs", "childhood fave", "childhood favourite", "dumb fun", "guilty pleasure",
      "so bad it's good", "every minute", "loved every minute", "interesting", "intriguing",
      "admire", "admired", "admirable", "breathtaking", "took my breath away", "captivating", "compelling", "engrossing", "enthralling", "exhilarating", "exquisite", "fabulous", "flawless", "glorious", "impressive", "inspiring", "masterful", "memorable", "mesmerizing", "mesmerising", "poignant", "powerful", "remarkable", "sensational", "stellar", "sublime", "transcendent", "tremendous", "worth it", "worthwhile", "first-rate", "top-notch", "enjoyable", "entertaining", "engaging", "goes hard", "untouchable", "a close second", "grown on me", "hits different", "bussin", "moved me", "moved us", "never failed to move", "stayed with me", "stuck with me", "a joy", "joyous", "thoroughly enjoyed", "absolutely loved", "really enjoyed", "very good", "pretty good", "quite good", "really great", "a real treat", "a knockout", "cracking", "bangers", "clears", "beautifully made", "well made", "nailed it", "spot on", "bang on", "on point", "what a ride", "hasn't aged a day", "hasnt aged a day", "jaw on the floor",
      "jaw was on the floor", "jaw dropped", "jaw-dropping", "jaw dropping", "still think about it", "top five", "top 5",
      "top three", "top 3", "absolute cinema", "can't recommend it enough", "cant recommend it enough",
      "get why people love it", "see why people love it", "an absolute banger", "absolute banger", "an absolute w",
      "riveted", "a triumph", "triumph", "classics", "all classics", "masterpieces", "gems", "absolute gems", "slam dunk", "a slam dunk", "changed my life", "highest praise", "i do rate",
      "i rate it", "the better film", "the better one", "the better movie", "best one", "never tire of",
      "hit different", "absorbing", "kept me absorbed", "thoroughly absorbed", "kept me hooked", "edge of my seat",
      "had me hooked", "hooked from start to finish", "hooked from the start", "couldn't look away", "couldnt look away",
      "laugh riot", "a riot",
      "never tire of it"),
     Cue(valence=+2)),
    (("ugh", "eh", "urgh"),
     Cue(valence=-1)),
    (("ugh fine", "ugh, fine", "ugh ok", "ugh, ok", "ugh okay", "ugh, okay", "oh fine", "oh, fine", "ok fine",
      "ok, fine", "okay fine", "okay, fine", "fine, i'll try", "fine i'll try", "fine, i'll give", "fine i'll give",
      "ok sure", "ok, sure", "okay sure", "okay, sure", "sure ok", "sure okay", "ok why not", "okay why not"),
     Cue(act="accept", movie=True, experience="prospect")),  # a grudging yes: "scaredy cat... ugh fine. i'll try it"
    # lukewarm, and said only of a film watched
    (("wasn't bad", "wasnt bad", "was not bad", "didn't hate", "didnt hate", "did not hate", "didn't mind it",
      "didnt mind it", "wasn't terrible", "wasnt terrible", "wasn't awful", "wasnt awful"),
     Cue(valence=0, experience="seen", weak=True)),
    (("can't say i enjoyed", "cant say i enjoyed", "can't say i liked", "cant say i liked", "can't say i loved",
      "cant say i loved", "can't say i cared for"),
     Cue(valence=-2, experience="seen")),
    (("know it by heart", "know by heart", "knows it by heart", "know every line", "know all the lines",
      "know every word", "can recite"), Cue(valence=2, experience="seen")),
    (("mind blown", "mindblown", "mind = blown", "my mind is blown", "mind was blown", "my mind was blown"),
     Cue(valence=2, experience="seen")),
    (("deserves an oscar", "deserved an oscar", "deserves all the awards", "deserved all the awards", "oscar worthy",
      "oscar-worthy", "deserved the oscar", "deserves the oscar"), Cue(valence=2, experience="seen")),
    (("would be fine", "would be great", "would be good", "would be perfect", "would work", "would do me",
      "would suit me", "would suit us"), Cue(act="accept", movie=True, named=True)),  # "either the 1st or 3rd would be fine"
    (("looks ok", "looks okay", "look ok", "look okay", "looks alright", "look alright", "sounds ok", "sounds okay",
      "sounds alright"), Cue(act="accept", movie=True, weak=True)),
    (_TOO_MUCH_FOR_ME, Cue(act="decline", valence=-1, movie=True)),
    (_A_BIT_MUCH_FOR_ME, Cue(valence=-1)),
    (("good shout", "great shout", "good call", "great call", "good pick", "nice pick", "great pick", "solid pick"),
     Cue(act="accept", movie=True)),
    (("never got tired of", "never get tired of", "never tire of", "never get bored of"), Cue(valence=2, experience="seen")),
    (("never cared for", "never cared much for", "distasteful", "quite distasteful", "rather distasteful"),
     Cue(valence=-2, experience="seen")),
    (("not to my taste", "not quite to my taste", "not really to my taste", "not much to my taste"),
     Cue(act="decline", valence=-1, movie=True)),
    (("have see", "i have see", "i see already", "i saw already", "already i see", "i have saw"), Cue(experience="seen")),
    (("no way i'm missing", "no way im missing", "not missing", "wouldn't miss", "wouldnt miss", "won't miss",
      "wont miss", "not gonna miss", "not going to miss"),
     Cue(act="accept", movie=True)),
    # a lukewarm verdict only said of a film watched ("2nd one meh", "#2 mid"; not "looks meh"): the set labels such
    # a card seen (all nine dev cards called "meh"); "ok" / "fine" alone may accept a suggestion ("#3 ok")
    (WATCHED_LUKEWARM, Cue(valence=0, experience="seen", weak=True)),
    (("alright", "all right", "ok", "okay", "fine", "decent", "not bad", "average", "whatever", "was whatever", "it was fine",
      "passable", "watchable", "eh", "nothing special", "not amazing", "not great not terrible", "mixed",
      "mixed feelings", "not the best", "could have been better", "kinda boring in parts", "bit long",
      "a bit long", "fine i guess", "alright i guess", "ok i guess", "i guess", "didn't hate it",
      "didnt hate it", "wasn't bad", "wasnt bad", "it's fine", "its fine", "just ok", "just okay",
      "pretty average", "wouldn't rewatch", "wouldnt rewatch", "once was enough",
      "normal", "it was normal", "pleasant enough", "pleasant", "nothing we'd rewatch", "nothing i'd rewatch", "not bad not great", "a solid 6", "solid 6", "decent enough", "it's alright", "its alright", "was aight", "aight", "watchable enough", "not bad, not great", "fine, i guess",
      "perfectly decent", "adequate", "perfectly adequate", "had its moments", "has its moments", "middle of the pack",
      "lukewarm", "moderately", "respect more than i enjoy", "respect it more than i enjoy it", "glad i saw it once"),
     Cue(valence=0)),
    # complaints about one side of a movie ("too long", "cheesy"): beside a verdict ("loved it, way too
    # long") the verdict wins; alone they still say the user did not like it
    (("too long", "way too long", "slow", "too slow", "sooo slow", "so slow", "too dark", "too sad",
      "depressing", "so depressing", "too violent", "too gory", "too bloody", "gross", "grossed me out", "cheesy", "too cheesy",
      "silly", "weird", "too weird", "confusing", "loud", "too intense", "too heavy", "a bit heavy", "bit heavy", "too serious", "sappy", "too sappy",
      "corny", "dated", "predictable", "messy", "a bit much", "too much", "dumb", "too scary", "nightmares",
      "scarred", "traumatized", "traumatised", "too childish", "too kiddy", "weak", "a bit weak", "pretty weak",
      "too dramatic", "too creepy", "too romantic", "too sentimental", "too disturbing",
      "too graphic", "too mature", "too grown up", "too grown-up", "too sci-fi", "too scifi"),
     Cue(valence=-1)),
    # a critic's words for a flaw ("heavy-handed", "syrupy") and for a strength ("taut", "witty"), from a checklist of
    # our own review phrases: a flaw alone says the user did not like it, beside a verdict the verdict wins
    (("heavy-handed", "heavy handed", "bloated", "self-indulgent", "self indulgent", "twee", "syrupy", "cliched",
      "schmaltzy", "cloying", "manipulative", "ponderous", "dreary", "clunky", "stilted", "smug", "obnoxious",
      "ham-fisted", "hamfisted", "flimsy", "limp", "trite", "long-winded", "long winded", "charmless", "humourless",
      "humorless", "overblown", "overstuffed", "overcooked", "convoluted", "muddled", "disjointed", "felt rushed",
      "rushed ending", "too rushed", "so rushed", "shoddy", "schlocky", "leaden", "inert", "po-faced",
      "lazy writing", "lazily written", "so lazy", "felt lazy"),
     Cue(valence=-1, experience="seen", weak=True)),  # judged as watched, unless it "looks bloated"
    (("a misfire", "misfire", "a pale imitation", "pale imitation", "a pale copy", "pale copy", "a rip-off", "rip-off",
      "ripoff", "a ripoff", "a cheap knockoff", "cheap knockoff", "knock-off", "paint by numbers", "paint-by-numbers",
      "by the numbers", "by-the-numbers", "botched", "butchered", "braindead", "brain-dead", "idiotic"),
     Cue(valence=-2, experience="seen")),
    (("taut", "tightly plotted", "tightly written", "tightly made", "heartfelt", "beautifully acted", "immaculate",
      "witty", "stylish", "a keeper", "keeper", "pitch-perfect", "pitch perfect", "tender", "affecting", "luminous",
      "a marvel", "astonishing", "essential viewing", "essential", "inventive", "intelligent", "rewarding",
      "satisfying", "well-crafted", "well crafted", "well written", "well-written", "rollicking", "propulsive",
      "airtight", "unmissable", "assured", "gorgeously shot", "superlative", "top-tier"),
     Cue(valence=2, experience="seen", weak=True)),
    # a sequel judged against a film praised before it ("loved toy story. 2 was even better")
    (("even better", "better still", "just as good", "equally good", "every bit as good"), Cue(valence=2)),
    # hated
    (("hated", "hate", "hating", "awful", "terrible", "horrible", "boring", "bored", "so boring", "bored me",
      "bored me to death", "bored me to tears", "snooze", "snoozefest", "yawn", "fell asleep", "dozed off",
      "switched it off", "turned it off", "walked out", "overrated", "letdown", "let down", "a letdown",
      "disappointing", "disappointed", "waste of time", "waste of", "scratching my head", "wore me out", "wears me out", "never getting back", "didn't get the hype",
      "didnt get the hype", "don't get the hype", "dont get the hype", "didn't do much for me",
      "didnt do much for me", "didn't do anything for me", "never did it for me", "did nothing for me",
      "didn't do it for me", "didnt do it for me", "not for me", "not 4 me", "wasnt 4 me", "wasn't 4 me", "not my thing", "dragged", "dragged on", "cringe", "cringey", "cringy",
      "stupid", "trash", "garbage", "rubbish", "crap", "crappy", "lame", "bad", "so bad", "worst",
      "the worst", "gave me a headache", "headache", "couldn't finish", "couldnt finish", "couldn't get into",
      "couldnt get into", "didn't get it", "didnt get it", "didn't like", "didnt like", "did not like",
      "don't like", "dont like", "not a fan", "wasn't a fan", "wasnt a fan", "not a fan of", "haunt me",
      "not much of a fan", "not much of a fan of", "not really a fan", "not really a fan of", "not the biggest fan of",
      "haunts me", "annoying",
      "unwatchable", "painful", "torture", "a slog", "slog", "pretentious", "hollow", "meh no",
      "no thanks", "never again", "regret", "can't stand", "cant stand", "couldn't stand", "couldnt stand",
      "dull", "tedious", "ridiculous", "disgusting", "mediocre", "exhausting", "endless", "interminable", "a grind",
      "hated it", "not good", "not great", "loathe", "despise", "sucked", "sucks", "awful", "bleh", "yikes",
      "ruined", "not so much", "not really", "wrong", "all wrong", "not in a good way", "confused",
      "a mess", "mess", "hasn't aged well", "hasnt aged well", "didn't age well", "didnt age well",
      "aged badly", "aged poorly", "crime against cinema", "crime against", "never again", "too many", "noise",
      "just noise", "pointless", "ancient", "generic", "formulaic", "do not like", "don't like", "dont like", "not to my taste",
      "abysmal", "atrocious", "bland", "clumsy", "contrived", "derivative", "dreadful", "excruciating", "hackneyed", "incoherent", "insufferable", "lackluster", "lacklustre", "laughable", "lifeless", "meandering", "mind-numbing", "mind numbing", "monotonous", "nonsensical", "overwrought", "plodding", "preachy", "saccharine", "shallow", "sluggish", "soulless", "tiresome", "unbearable", "uninspired", "vapid", "wooden", "a chore", "a drag", "an l", "was ass", "were ass", "is ass", "dog's dinner", "unnecessary", "entirely unnecessary", "mawkish", "gratuitous", "grating", "insipid", "twaddle", "dire", "poor", "punishment", "a punishment", "like a punishment", "wish i hadn't", "wish i hadnt", "want those hours back", "like those hours back", "hours back", "never getting those hours back", "sat through it once", "survived", "a let-down", "let-down", "disaster", "a disaster", "shaky camera nonsense", "nonsense", "haunt", "still haunt me", "cheap", "cheap jump scares", "too busy",
      "dislike", "disliked", "dislikes", "a trial", "unconvinced", "glacial", "a nothing movie", "nothing movie",
      "the weaker one", "the weaker film", "the worse one", "worse", "even worse", "the miss", "loud nonsense",
      "fell apart", "falls apart", "went downhill", "goes downhill", "jumped the shark", "ran out of steam",
      "runs out of steam", "lost the plot", "too clever for its own good", "for its own good", "goes on forever",
      "drags on", "over my head", "goes over my head",
      *(f"{didnt} {get} why {who} {love}" for didnt in ("don't", "dont", "never") for get in ("get", "got", "see", "understood")
        for who in ("everyone", "everybody", "people") for love in ("love", "loves", "likes", "like", "raves about", "rave about")),
      "don't see the appeal of", "dont see the appeal of"),
     Cue(valence=-2)),
    # "I'd rather die": a refusal to watch it (again), whatever the user has seen
    (("didn't love it", "didnt love it"), Cue(valence=-1)),  # the set's writers mean a mild dislike, not "it was ok"
    (("couldn't pay me to", "couldnt pay me to", "could not pay me to", "couldn't pay me enough to"),
     Cue(act="decline", valence=-2, movie=True)),
    (("couldn't pay me to rewatch", "couldnt pay me to rewatch", "could not pay me to rewatch",
      "couldn't pay me to sit through", "couldnt pay me to sit through"),
     Cue(valence=-2, experience="seen")),  # not the "rewatch" inside: a film watched and not wanted again
    (("rather eat my own shoe", "rather watch paint dry", "rather eat glass", "rather die", "rather chew glass",
      "rather have my teeth pulled", "rather gouge my eyes out", "rather stick pins in my eyes", "rather be dead"),
     Cue(act="decline", valence=-2, movie=True)),
    (("bored me", "bored me to death", "bored me to tears", "fell asleep", "dozed off", "switched it off",
      "turned it off", "walked out", "couldn't finish", "couldnt finish", "couldn't get into", "couldnt get into",
      "gave me a headache", "didn't do much for me", "didnt do much for me", "never did it for me",
      "did nothing for me", "didn't do it for me", "didnt do it for me", "didn't get it", "didnt get it",
      "didn't get the hype", "didnt get the hype", "freaked me out", "haunts me", "haunt me", "scarred me",
      "dragged", "dragged on", "confused me", "wasn't for me", "wasnt for me", "wasn't a fan", "wasnt a fan",
      "hasn't aged well", "hasnt aged well", "didn't age well", "didnt age well",
      "let me down", "disappointed me", "couldn't stand", "couldnt stand", "didn't like", "didnt like",
      "didn't enjoy", "didnt enjoy", "did not like", "did not enjoy", "hated", "aged like milk", "cringed",
      "hated every second", "hated every minute", "fell asleep during", "put me to sleep", "sent me to sleep",
      "hated it", "hated that", "hated this", "could not stand", "couldn't bear", "could not bear", "felt endless",
      "wanted it to end", "checked my phone", "kept checking my phone", "couldn't wait for it to end",
      "didn't hit for me", "didnt hit for me", "didn't land for me", "didnt land for me", "didn't click for me",
      "didnt click for me", "never clicked for me", "didn't connect with it", "didnt connect with it",
      "painful to watch", "a pain to watch", "torture to watch", "a chore to watch", "a slog to watch",
      "gave up on it", "gave up after", "gave up halfway", "gave up half way", "gave up partway", "bailed after",
      "bailed halfway", "noped out", "quit after", "stopped watching", "turned it off after", "switched off after",
      "aged 40 years", "aged forty years", "aged a decade", "aged ten years", "i aged", "felt like it lasted",
      "lasted a decade", "lasted forever", "took forever", "checked my watch", "kept checking my watch",
      "made me gag", "made me want to gag", "was quite enough", "was more than enough", "was enough for me",
      "couldn't even finish", "couldnt even finish", "could not finish", "could not even finish", "couldn't get through",
      "couldnt get through", "could not get through", "couldn't even get through", "couldn't sit through",
      "couldnt sit through", "went on forever", "went over my head", "went right over my head", "wasted on me",
      "could never get through", "never got through", "never could get through", "never managed to finish",
      "wouldn't recommend", "wouldnt recommend", "would not recommend", "can't recommend", "cannot recommend",
      "pass on rewatching", "no rewatching", "not rewatching", "won't be rewatching", "wont be rewatching",
      "not worth your time", "not worth the time", "not worth it", "isn't worth it", "isnt worth it", "didn't manage to finish", "didnt manage to finish", "never finished"),
     Cue(valence=-2, experience="seen")),
    (("happily sit through", "happily sat through", "gladly sit through", "would sit through it again",
      "it's not like i didn't enjoy", "its not like i didnt enjoy", "not that i didn't enjoy", "not that i didnt enjoy",
      "it's not like i didn't like", "not that i didn't like", "not that i didn't love"),
     Cue(valence=+2, experience="seen")),
    (("lost count", "more times than i can count", "more times than i could count", "on constant rotation",
      "on heavy rotation", "in constant rotation", "know every line", "knew every line", "can quote every line",
      "could recite it", "can recite it", "know it by heart", "wore out the", "wore out our", "wore out my"),
     Cue(valence=+2, experience="seen")),
    (("loved", "adored", "enjoyed", "liked", "did like", "did love", "did enjoy", "blew my mind", "blown away", "cried my eyes out", "obsessed",
      "rewatch", "rewatched", "quote it", "slapped", "holds up", "still holds up", "lives rent free", "grew up"),
     Cue(valence=+2, experience="seen")),
    (("was amazing", "was great", "was brilliant", "was so good", "was fun", "was a banger", "was splendid"),
     Cue(valence=+2, experience="seen", weak=True)),
    (("was a mess", "was garbage", "was trash", "was awful", "was terrible", "was boring", "was bad", "was overrated",
      "was a letdown"),
     Cue(valence=-2, experience="seen", weak=True)),
)
"""Cue phrases about a movie; the reactions reader combines all the cues in a mention's scope."""

# Common reactions in the other languages people mix into a chat (Spanish, French, Portuguese, German,
# Italian, Hindi in Latin script), folded like the text (no accents). Written from the languages, not
# from the labelled set; words that are also English ("toll", "deja vu") are left out.
MOVIE_CUES += _cues(
    (("me encanto", "me encanta", "me encantan", "me gusto mucho", "me gusta mucho", "me gusto", "me gusta",
      "obra maestra", "buenisima", "buenisimo", "muy buena", "muy bueno", "la ame", "lo ame", "me fascino",
      "j'ai adore", "j'adore", "chef-d'oeuvre", "chef d'oeuvre", "j'ai aime", "j'aime bien", "trop bien",
      "vraiment bien", "magnifique", "adorei", "amei", "gostei muito", "gostei", "muito bom", "muito boa",
      "obra-prima", "obra prima", "maravilhoso", "hat mir gefallen", "hat mir sehr gefallen", "liebe ich",
      "meisterwerk", "mi e piaciuto", "mi e piaciuta", "mi piace", "capolavoro", "bellissimo", "bellissima",
      "bahut accha", "bahut achha", "bahut acchi", "zabardast", "paisa vasool", "kamaal", "toller film",
      "fand ich super", "fand ich toll", "pasand aaya", "pasand aayi", "achhi thi", "acchi thi", "accha tha",
      "achha tha", "achhi hai", "badhiya"),
     Cue(valence=+2)),
    (("no me gusto", "no me gusta", "no me gusto nada", "aburrida", "aburrido", "malisima", "malisimo",
      "muy mala", "muy malo", "la odie", "lo odie", "je n'ai pas aime", "pas aime", "j'ai deteste", "ennuyeux",
      "ennuyeuse", "pas terrible", "nao gostei", "odiei", "muito chato", "muito chata", "muito ruim", "pessimo",
      "pessima", "hat mir nicht gefallen", "langweilig", "schrecklich", "furchtbar", "non mi e piaciuto",
      "non mi e piaciuta", "noioso", "noiosa", "bekaar", "bakwas", "faltu", "bore ho gaya", "me aburrio",
      "fand ich langweilig", "fand ich schlecht", "fand ich doof", "pasand nahi aaya", "pasand nahi aayi",
      "je n'aime pas", "j'aime pas", "bekar thi", "bekaar thi"),
     Cue(valence=-2)),
    (("bof", "pas mal", "carino", "carina", "niente di speciale", "niente di che", "cosi cosi", "normalito",
      "ni fu ni fa", "nada especial", "rien de special", "sans plus", "na ja", "ganz ok", "ganz okay", "geht so",
      "mais ou menos", "nada de especial"),
     Cue(valence=0)),
    # Italian and a few more of each, from the languages (not the labelled set)
    (("bello", "bella", "belli", "bellissimi", "stupendo", "stupenda", "fantastico", "fantastica", "meraviglioso",
      "meravigliosa", "favoloso", "grandioso", "troppo bello", "troppo bella", "mi e piaciuto un sacco",
      "mi e piaciuta un sacco", "mi e piaciuto tanto", "mi e piaciuta tanto", "mi piace tanto", "mi piace un sacco",
      "l'ho amato", "l'ho amata", "l'ho adorato", "l'ho adorata", "adoro", "un capolavoro", "da brividi",
      "increible", "genialisch", "super gut", "wunderschon", "sensationnel", "genial demais", "incrivel",
      "sensacional"),
     Cue(valence=+2)),
    (("che noia", "una noia", "brutto", "brutta", "bruttissimo", "bruttissima", "orribile", "terribile", "pessimo",
      "pessima", "deludente", "una delusione", "che schifo", "fa schifo", "faceva schifo", "mi sono addormentato",
      "mi sono addormentata", "mi sono addormentati", "mi ha annoiato", "mi ha annoiata", "non mi piace",
      "non mi piacciono", "una porqueria", "un rollo", "me dormi", "me quede dormido", "me quede dormida",
      "un navet", "decevant", "decevante", "je me suis ennuye", "je me suis ennuyee", "enttauschend", "mies",
      "uma porcaria", "decepcionante", "dormi"),
     Cue(valence=-2)),
    # past tenses: the verdict of a watch ("me encantó", "não gostei")
    (("me encanto", "me gusto", "me gusto mucho", "no me gusto", "no me gusto nada", "la ame", "lo ame", "la odie",
      "lo odie", "j'ai adore", "j'ai aime", "je n'ai pas aime", "j'ai deteste", "adorei", "amei", "gostei",
      "gostei muito", "nao gostei", "odiei", "hat mir gefallen", "hat mir sehr gefallen", "hat mir nicht gefallen",
      "mi e piaciuto", "mi e piaciuta", "non mi e piaciuto", "non mi e piaciuta", "bore ho gaya", "me aburrio",
      "l'ho amato", "l'ho amata", "l'ho adorato", "l'ho adorata", "mi sono addormentato", "mi sono addormentata",
      "mi ha annoiato", "mi ha annoiata", "l'abbiamo visto", "l'abbiamo vista", "ho visto", "abbiamo visto",
      "visto e rivisto", "la vimos", "lo vimos", "ya la vimos", "ya lo vimos", "on l'a vu", "kenn ich schon",
      "fand ich", "fand ich super", "fand ich gut", "fand ich toll", "fand ich langweilig", "fand ich schlecht",
      "fand ich doof", "pasand aaya", "pasand aayi", "pasand nahi aaya", "pasand nahi aayi"),
     Cue(experience="seen")),
    (("paso", "nao", "nein", "no gracias", "no me interesa", "no es para mi", "non merci", "pas pour moi", "ca ne me dit rien",
      "je passe", "nao obrigado", "nao obrigada", "passo", "nao me interessa", "nein danke", "nicht fur mich",
      "kein interesse", "no grazie", "non fa per me", "nahi dekhni", "nahi dekhna", "ca m'interesse pas",
      "non mi interessa", "non mi va", "anche no", "lascia stare", "lasciamo stare", "no gracias", "ni hablar",
      "ca ne m'interesse pas", "nicht mein ding", "nicht so mein ding"),
     Cue(act="decline", movie=True)),
    (("ya la vi", "ya lo vi", "ya la he visto", "ya lo he visto", "la he visto", "lo he visto", "la vi", "lo vi",
      "je l'ai vu", "je l'ai deja vu", "l'ai deja vu", "ja vi", "ja assisti", "schon gesehen", "hab ich gesehen",
      "habe ich gesehen", "gia visto", "l'ho visto", "l'ho gia visto", "l'ho vista", "dekh li", "dekhi hai",
      "dekh chuka", "dekh chuki", "dekha hai", "dekh liya", "dekh li hai", "dekh liya hai", "j'ai vu", "j'ai deja vu"),
     Cue(experience="seen", movie=True)),
    (("quiero verla", "quiero verlo", "la quiero ver", "lo quiero ver", "me apunto", "je veux le voir",
      "je veux la voir", "ca me tente", "quero ver", "quero assistir", "vou assistir", "will ich sehen",
      "mochte ich sehen", "voglio vederlo", "voglio vederla", "mi ispira", "dekhna hai", "dekhni hai",
      "lo voglio vedere", "la voglio vedere", "voglio vedere", "vorrei vedere", "vorrei vederlo", "vorrei vederla",
      "me lo segno", "me la segno", "lo segno", "da vedere", "lo guardero", "la guardero", "lo guardo", "ci sto",
      "perche no", "por que no", "pourquoi pas", "warum nicht", "por que nao", "lo metto in lista", "in lista"),
     Cue(act="accept", movie=True, experience="prospect")),
    (("ho adorato", "ho amato", "che ho adorato", "che ho amato"), Cue(valence=+2, experience="seen")),
    # Scots and Irish English, gamers' slang: words of the varieties, not of the labelled set
    (("s-tier", "god tier", "god-tier", "goat tier", "goat-tier", "pure w", "massive w", "huge w", "big w", "a big w",
      "core memory", "a core memory", "pure class", "absolute class", "dead brilliant", "pure dead brilliant",
      "deadly so it was", "pure deadly", "class so it was", "a pure belter", "pure belter", "magic so it was",
      "cracking", "a cracker of a film"),
     Cue(valence=+2, experience="seen")),
    (("massive l", "huge l", "big l", "a big l", "a huge l", "a massive l", "pure mince", "mince", "pure shite",
      "a load of shite", "load of shite", "pure rubbish", "pure pants", "was pants", "utter pants", "pure garbage",
      "muck", "pure muck", "a load of muck", "bobbins", "pure bobbins", "gash", "minging", "honking", "boggin",
      "bogging", "manky"),
     Cue(valence=-2)),
    (("it was grand", "was grand", "twas grand", "both grand", "it's grand", "its grand", "grand enough",
      "grand so it was", "sound enough", "no bad", "it wisnae bad", "wisnae bad", "wasnae bad"),
     Cue(valence=0, experience="seen")),
    (("wouldnae bother", "wouldn't bother", "wouldnt bother", "i'd not bother", "id not bother", "cannae be bothered",
      "can't be bothered with", "cant be bothered with"),
     Cue(act="decline", valence=-1, movie=True)),
    (("i've no seen", "ive no seen", "i've no seen it", "havnae seen", "havenae seen", "haven't seen it yet",
      "never got round to it", "no seen it"),
     Cue(experience="prospect")),
    # Australian and New Zealand English; a German speaker's English ("eventually" for "eventuell", maybe)
    (("not bad at all", "a bit of alright", "bit of alright", "ripper", "a ripper", "bloody ripper", "heaps good",
      "bonza", "bonzer", "sweet as", "mean as", "choice bro", "spannend", "very spannend", "good made", "well made film",
      "very sympathetic", "sympathetic film"),
     Cue(valence=+2, experience="seen")),
    (("a bit ordinary", "bit ordinary", "pretty ordinary", "bit of a yawn", "a bit of a yawn", "a yawn", "rubbish mate",
      "a shocker", "an absolute shocker", "average at best"),
     Cue(valence=-2)),
    (("give it a burl", "give that a burl", "a burl", "have a squiz", "have a squizz", "take a squiz", "eventually i watch",
      "eventually we watch", "i am keen", "i'm keen", "im keen"),
     Cue(act="accept", movie=True)),
    (("yeah nah", "yeah, nah", "nah yeah nah"),
     Cue(act="decline", valence=-1, movie=True)),
    (("nice, not more", "nice but not more", "okay, not more", "ok, not more", "i have it seen", "i have it already seen",
      "have it already seen"),
     Cue(valence=0, experience="seen")),
)


# Enduring a movie is a complaint ("sat through it twice for her sake"): it only tips the balance, so
# any word of opinion beside it decides ("sat through it and loved it"). (Many viewings are no such
# cue: "seen it like four times" is as often tired of it as fond of it.)
MOVIE_CUES += [
    # "go" closing an entry of a terse list ("#5 never seen, go"): put it on
    (re.compile(r"(?<=[,:-] )go(?=\s*(?:[.!;/\n]|$))"), Cue(act="accept", movie=True)),
    # a film watched and not liked, said by what it did to the evening, from a fourteenth checklist of our own; "@"
    # is the film itself where "it" or "that" named it ("couldn't wait for it to end": "couldn't wait for @ to end")
    (re.compile(r"(?<![a-z])(?:(?:couldn'?t|could not|can'?t) wait for (?:it|@|this|that|the (?:film|movie|thing)) to "
                r"(?:end|be over|finish)|(?:want|wanted|need) (?:my|those|the|our|me) (?:\w+ )?(?:hours?|minutes|time|evening|"
                r"night|money) back|(?:turned|switched|shut) (?:@|it) off|not (?:all|what) (?:@|it)\s*'?s cracked up to be|"
                r"nodd(?:ed|ing) off|(?:checking|checked|kept checking) (?:the time|my watch|the clock)|"
                r"(?:a struggle|hard|struggled|a slog) to get (?:through|thru)|(?:didn'?t|never|couldn'?t|did not) (?:really )?"
                r"connect with|(?:didn'?t|did not) (?:really )?work for (?:me|us)|a (?:real |total |bit of a )?chore|"
                r"(?:kept|keep|was) waiting for (?:@|it) to (?:get (?:good|better|going|interesting|started)|start|begin|pick up)|regretted (?:@|it|watching)|(?:instantly|immediately) regretted|"
                r"rolling my eyes|rolled my eyes|eye-?rolling|never (?:sit|sitting) (?:through|thru)\s+(?:@|it|that|this)?\s*again|"
                r"worst (?:\w+ )?(?:hours?|minutes|evening|night) of my life|"
                r"(?:the whole (?:thing|film|movie|time)|most of (?:@|it)|half of (?:@|it)) on my phone|"
                r"waste of my (?:evening|night|time|life|afternoon|saturday|weekend))(?![a-z])".replace(" ", r"\s+")),
     Cue(valence=-2, experience="seen")),
    (re.compile(r"(?<![a-z])(?:something|anything|films?|movies?|stuff|more|ones?)\s+(?:else\s+)?with\s+(?:the|that|a)\s+"
                r"(?:same\s+)?(?:[a-z-]+,?\s+){0,4}(?:of|as)(?![a-z])"),
     Cue(act="similar", place="before")),  # "something with the cold, symmetrical dread of The Shining"
    (re.compile(r"(?<![a-z])(?:the|a|a (?:big|huge|massive|real))\s+hit(?![a-z])(?!\s+(?:with|for|among|in|at)\b)"),
     Cue(valence=+2)),  # "Grand Budapest is the hit"; not "a hit with my kids" (their verdict)
    (bounded(words("sat through", "sat thru", "suffered through", "suffered thru", "slogged through", "slogged thru",
                   "endured", "sat through it", "struggled through", "dragged myself through", "got through")),
     Cue(valence=-1, experience="seen")),
    (re.compile(r"(?<![a-z])too\s+(?!much\b|many\b|long\b|soon\b)[a-z-]+\s+for\s+(?:me|us|my (?:taste|liking)|our (?:taste|liking))(?![a-z])"),
     Cue(valence=-1)),
    (bounded(words("aged terribly", "aged horribly", "aged like milk", "never warmed to", "never really warmed to",
                   "didn't warm to", "didnt warm to", "couldn't warm to", "couldnt warm to", "never took to",
                   "never clicked with", "could never get into", "never could get into", "never got into")),
     Cue(valence=-2, experience="seen")),
    (bounded(words("home run", "home runs", "a home run", "hall of famer", "a hall of famer")), Cue(valence=+2)),
    (bounded(words("funniest film", "funniest movie", "gripped", "i was gripped", "better than i expected", "better than expected", "pleasantly surprised",
                   "wow just wow", "i'd watch it again", "would watch it again", "would watch again", "i'd watch again",
                   "id watch again", "i'd watch that again", "would watch that again",
                   "i'd see it again", "would see it again", "i'd rewatch it", "would rewatch it", "would rewatch")),
     Cue(valence=+2, experience="seen")),
    (bounded(words("what a waste", "made no sense", "makes no sense", "not worth the hype", "didn't live up to the hype",
                   "stunk", "it stunk", "stank", "it stank", "stinks", "it stinks", "embarrassing", "irritating",
                   "wouldn't watch it again", "would not watch it again", "wouldn't see it again", "wouldn't rewatch it")),
     Cue(valence=-2, experience="seen")),
    (bounded(words("least fave", "least fav", "least favourite", "least favorite", "my least favourite",
                   "my least favorite", "bottom of my list", "the weakest", "the worst of the lot", "the worst of them")),
     Cue(valence=-2, experience="seen")),
    (bounded(words("cried at the end of", "cried during", "cried through", "cried watching", "teared up at",
                   "teared up during", "bawled at", "bawled during", "sobbed at", "sobbed through", "sobbed during")),
     Cue(valence=+2, experience="seen")),
    (bounded(words("my benchmark", "the yardstick", "my yardstick", "set the bar", "sets the bar", "raised the bar",
                   "raises the bar", "hit the spot", "hits the spot", "knocked it out of the park", "knocks it out of the park",
                   "out of the park")), Cue(valence=+2)),
    (bounded(words("dumpster fire", "a dumpster fire", "garbage fire", "tire fire", "train wreck", "a train wreck",
                   "trainwreck", "a trainwreck", "bottom tier", "got old fast", "gets old fast", "got old quickly",
                   "didn't grab me", "never grabbed me", "doesn't grab me", "don't grab me", "did not grab me",
                   "didn't click", "never clicked", "did not click", "didn't land", "never landed")),
     Cue(valence=-2)),  # (an apostrophe is optional in every phrase: "didnt grab me")
    (bounded(words("doesn't hold up", "didn't hold up", "does not hold up", "hasn't held up", "has not held up")),
     Cue(valence=-2, experience="seen")),
    # an impossible condition or a list for films to avoid, from a thirty-second checklist of our own
    (bounded(words("when pigs fly", "when hell freezes over", "over my dead body", "in your dreams", "dream on",
                   "if you paid me", "if someone paid me", "if somebody paid me", "unless you paid me", "unless someone paid me",
                   "if it was the last film on earth", "if it were the last film on earth", "if it was the last movie on earth",
                   "if it were the last movie on earth", "if there was nothing else on earth", "if there were nothing else on earth",
                   "if there was nothing else on", "never-watch list", "never watch list", "do-not-watch list", "do not watch list",
                   "don't-watch list", "dont watch list", "skip list", "anti-watchlist", "must-miss", "must miss",
                   "for someone else", "for somebody else", "someone else's cup of tea")),
     Cue(act="decline", valence=-1, movie=True)),
    (bounded(words("not in a million years", "not my vibe", "not really my vibe", "not the vibe", "not my scene",
                   "can't see myself watching", "don't see myself watching", "can't imagine enjoying", "can't imagine liking",
                   "nothing about it appeals", "not one i'd choose",
                   "not one i'd pick")),
     Cue(act="decline", movie=True)),
    # a film watched and loved, said by what it did, from a fifteenth checklist of our own
    (bounded(words("grinning the whole time", "smiling the whole time", "had me from the first", "had me from the start",
                   "had me from the opening", "make everyone watch", "made everyone watch", "make everyone i know watch",
                   "made everyone i know watch", "worn out my dvd", "wore out my dvd", "worn out the dvd", "wore out the dvd",
                   "wore out the tape", "worn out the tape", "wore out the vhs", "lived up to every bit", "changed me",
                   "a ride and a half", "just works", "still think about", "not a single dull moment",
                   "never a dull moment", "no dull moments", "not one dull moment")),
     Cue(valence=2, experience="seen")),
    # a sports fan's and a cook's verdicts, from an eighteenth checklist of our own ("a first-round pick", "an airball")
    (bounded(words("first-round pick", "first-round picks", "first round pick", "first round picks", "championship team",
                   "championship-caliber", "championship caliber", "championship-calibre", "championship calibre", "mvp",
                   "grand slam", "nothing but net", "hat trick", "buzzer beater", "buzzer-beater", "all-star", "all star",
                   "playoff team", "delicious", "five-star meal", "feast for the eyes", "a feast", "tasty")),
     Cue(valence=2, experience="seen")),
    (bounded(words("airball", "air ball", "air-ball", "fumbled", "tanked", "tanking", "ran out of gas", "runs out of gas",
                   "relegated", "benchwarmer", "benchwarmers", "red card", "junk food", "reheated", "leftovers",
                   "empty calories", "burnt to a crisp", "too much sugar")),
     Cue(valence=-2, experience="seen")),
    # a reader comparing the film with its book, from a nineteenth checklist of our own
    (re.compile(r"(?<![a-z])(?:(?:does|did|do) (?:the |its )?(?:book|novel|source)(?: real)? justice|improves? on (?:the |its )?"
                r"(?:book|novel|source)|(?:beats|better than|surpasses|outdoes) (?:the |its )?(?:book|novel|source)(?: material)?|"
                r"(?:faithful|true) to (?:the |its )?(?:book|novel|source))(?![a-z])".replace(" ", r"\s+")),
     Cue(valence=2, experience="seen")),
    (re.compile(r"(?<![a-z])(?:(?:the )?(?:book|novel) (?:was|is) (?:(?:so |much |far |way |a lot |miles |so much )*)?better|"
                r"(?:ruined|wrecked|mangled|gutted) (?:the |its )?(?:book|novel|source)|(?:a )?pale shadow of|"
                r"(?:couldn'?t|can'?t|didn'?t) (?:compete|measure up)|nowhere near (?:as good as )?(?:the )?"
                r"(?:book|novel))(?![a-z])".replace(" ", r"\s+")),
     Cue(valence=-2, experience="seen")),
    # taking a card, from a thirteenth checklist of our own
    (bounded(words("say less", "twist my arm", "has my vote", "gets my vote", "my vote goes to", "i vote for", "we vote for",
                   "dibs on", "dibs", "slot in", "pencil in", "pencilled in", "penciled in", "will check", "we'll check",
                   "gonna check", "going to check", "one for tonight", "the one for tonight")),
     Cue(act="accept", movie=True)),
    # films like one named, said around it, from a twenty-third checklist of our own ("in a matrix kind of mood")
    (re.compile(r"(?<![a-z])(?:in\s+an?\s+(?=@\s+(?:(?:kind|sort|type)\s+of\s+)?mood)|"
                r"what\s+(?:would|do)\s+(?:an?\s+)?(?=@\s+fans?\s+(?:like|watch|enjoy)))"),
     Cue(act="similar", place="before")),
    # a film the user means to see, from a twenty-second checklist of our own ("a gap in my viewing", "overdue")
    (bounded(words("need to finally watch", "need to finally see", "should do", "a gap in my viewing", "a gap i'd like to fill",
                   "a gap i want to fill", "must fix that", "need to fix that", "should fix that", "overdue", "a blind spot",
                   "want to catch", "wanna catch", "owe it a watch")), Cue(act="accept", movie=True)),
    (re.compile(r"(?<![a-z])owe\s+@\s+a\s+(?:watch|viewing|look)(?![a-z])"), Cue(act="accept", movie=True)),
    (bounded(words("never appealed", "has never appealed", "never appealed to me", "never really appealed")),
     Cue(act="decline", movie=True)),
    # a card turned down for a reason, from a twenty-first checklist of our own ("the runtime is a dealbreaker")
    (bounded(words("dealbreaker", "a dealbreaker", "deal breaker", "a deal breaker", "deal-breaker", "scares me off",
                   "not my era", "not really my era", "not in the headspace",
                   "not in the right headspace", "don't do subtitles", "can't handle", "cannot handle", "too bleak",
                   "way too bleak", "far too bleak")),
     Cue(act="decline", movie=True)),
    # turning a card down, from an eleventh checklist of our own ("i'll take a rain check" had been read as a yes)
    (bounded(words("rain check", "a rain check", "raincheck", "count me out", "count us out", "veto", "i veto", "vetoed",
                   "have to decline", "i'll decline", "i must decline", "i'll sit out", "sit out", "can we not")),
     Cue(act="decline", movie=True)),
    (re.compile(r"(?<![a-z])(?:keep|leave|take|cross|knock)\s+@\s+(?:one\s+)?off(?:\s+(?:of\s+)?(?:my|the|our)\s+"
                r"(?:list|watchlist|watch list|queue))?(?![a-z])"),
     Cue(act="decline", movie=True)),  # "keep that off my list": "@" is where the movie stands in the words read
    # lukewarm: praise hedged or weighed down ("easy a was cute i guess", "fine, not great")
    (re.compile(r"(?<![a-z])(?:cute|fun|nice|good|decent|fine|ok|okay|alright|watchable|entertaining|pretty|well[- ]made|"
                r"solid|enjoyable|interesting|funny)(?:\s+enough)?,?\s+i\s+(?:guess|suppose)(?![a-z])"), Cue(valence=0)),
    (re.compile(r"(?<![a-z])(?:fine|good|ok|okay|decent|solid|alright)(?:,|\s+but)?\s+(?:not\s+(?:great|amazing|brilliant|special|"
                r"mind-?blowing)|nothing\s+(?:special|amazing|great))(?![a-z])"), Cue(valence=0)),
    (bounded(words("respect more than", "respect it more than", "admire more than", "admire it more than", "admired more than",
                   "admired it more than", "respected it more than", "without ever warming to", "without warming to",
                   "didn't feel much either way", "didn't feel much", "felt nothing either way", "no strong feelings",
                   "didn't stay with me", "didn't stick with me", "hasn't stayed with me")),
     Cue(valence=0, experience="seen")),
    # a wish whose verb is left out, closing its clause ("never seen jaws, want to"; "don't want to" is its negation)
    (re.compile(r"(?<![a-z'])(?:(?:i|we)\s+)?(?:(?:really|still|do|would|'d)\s+)?(?:want|wanna|would like|'d like|"
                r"would love|'d love|plan|planning|intend|mean|meaning)(?:\s+to)?(?=\s*(?:[.!,;)]|$|\s+(?:one day|someday|"
                r"some day|eventually|tho|though|lol|haha)(?![a-z])))"),
     Cue(act="accept", movie=True, experience="prospect")),
    # a quality found missing ("i just didnt find it funny at all"; the negator is too far from "funny" for the lexicon)
    (re.compile(r"(?<![a-z])(?:didn'?t|did not|don'?t|do not|never|couldn'?t)\s+(?:really\s+|just\s+|even\s+|actually\s+)?"
                r"find\s+(?:it|@|this|that|them|any of (?:it|them))\s+(?:(?:at all|very|that|particularly|remotely|all that|"
                r"especially)\s+)?(?:funny|scary|frightening|good|interesting|entertaining|engaging|moving|exciting|gripping|"
                r"compelling|enjoyable|fun|clever|romantic|thrilling|believable|convincing)(?![a-z])"),
     Cue(valence=-2, experience="seen")),
    # someone's yearly attempt: the "every christmas" is theirs, no tradition of the user's
    (re.compile(r"(?<![a-z])(?:tried|tries|keeps? trying|wanted|wants) (?:to (?:make|get) )?me (?:to )?watch\s+(?:@\s+)?"
                r"(?:every|each)\s+(?:christmas|xmas|year|summer|holiday|thanksgiving|halloween|time|week|weekend)(?![a-z])"),
     Cue()),
    # a rhetorical question of a film watched ("who decided two hours of ice puns was a good idea??")
    (re.compile(r"(?<![a-z])who\s+(?:on earth\s+|in their right mind\s+)?(?:thought|decided|approved|greenlit|green-lit|"
                r"signed off on|agreed)\b[^?.!]{0,80}?(?:was|were|would be|is)\s+a\s+good\s+idea"),
     Cue(valence=-2, experience="seen")),
    # cards sent away ("the rest can go", "the other two can go in the bin"; not "we can go with the second")
    (re.compile(r"(?<![a-z'])can\s+(?:all\s+)?(?:go|get lost|be binned|jog on)(?=\s*(?:[.!,;)]|$|\s+in\s+the\s+[a-z ]{2,20}$|"
                r"\s+in\s+the\s+[a-z]+[.!,;]))"),
     Cue(act="decline", movie=True)),
    (re.compile(r"(?<![a-z'])(?:so\s+)?that'?s\s+a\s+(?:hard\s+|firm\s+|big\s+)?no(?![a-z])(?!\s+(?:from|for)\s+(?:my|her|his|the)\b)"),
     Cue(act="decline", movie=True)),  # "my ex loved la la land so thats a no"
]


_OTHERS_OPINION = (r"(?:enjoys?|enjoyed|watched|saw|(?:can'?t|won'?t|doesn'?t|don'?t) stop (?:talking|going on|raving) about|"
                   r"never stops? (?:talking|going on|raving) about|"
                   r"makes? (?:such )?a (?:big |huge )?fuss (?:about|over)|says?|said|thinks?|thought|loves?|loved|likes?|liked|adores?|adored|hates?|hated|raves?|raved|"
                   r"swears?|swore|reckons?|claims?|claimed|insists?|insisted|calls?|called|considers?|(?:keeps?|kept) (?:saying|"
                   r"telling me|going on|raving|quoting|bringing)|told me|tells me|recommended|(?:is|are|was|were|'re|'s) (?:all |so |totally |literally )?(?:obsessed|raving|"
                   r"hooked|crazy about|mad about|into)(?: with| about| on)?)")
_SOMEONE_CLOSE = (
    r"(?:my|our|his|her|their|the|mi) (?:husband|wife|partner|boyfriend|girlfriend|bf|gf|novio|novia|marido|kids?|son|daughter|"
    r"mum|mom|dad|mother|father|parents|brother|sister|friends?|roommate|flatmate|family|teenager|grandma|grandpa|"
    r"nan|in-laws|mates?|ex|brother-in-law|sister-in-law|mother-in-law|father-in-law|niece|nephew|grandson|"
    r"granddaughter|grandkids|colleagues?|coworkers?|co-workers?|boss|uncle|aunt|cousin|teacher|neighbou?r|"
    r"(?:best |old )?friend)")
UNTIL_THE_USER = (r"(?:(?!\b(?:and|but|so|though|tho|while|whereas|that)\s+(?:i|i'm|im|i've|ive|i'd|i'll|we|me|idk|imo|tbh|"
                  r"ngl|personally|myself)\b|\bso\s+that'?s\s+a\b)[^,.;!?@])*")
"""The rest of someone else's clause, up to where the user speaks again ("… and I must say it was splendid", "… so that's
a no")."""
_WITHOUT_THE_USER = r"(?<!me and )(?<!me & )(?<!me n )(?<!me an )"
"""Not "me and my wife watched …": the user is one of them, and the verdict after is theirs too."""
THIRD_PARTY_RE = re.compile(
    r"(?<![a-z])(?<!why )(?:everyone|everybody|people|critics|folks|everyone at work|all my friends|(?:the )?young people|"
    # (from a checklist of our own: strangers, crowds and the internet are others too)
    r"someone|somebody|(?:the )?reviews|(?:the )?reviewers|reddit|twitter|tiktok|the internet|(?:people|folks|everyone) online|"
    r"a (?:guy|girl|woman|man|lady|bloke|colleague|coworker|co-worker|mate)(?: (?:at|from|in) (?:work|school|the office|my [a-z]+))?|"
    r"the kids next door|"
    r"(?:the )?youngsters|(?:the )?grandchildren|(?:the )?grandkids|(?:the )?children|(?:the )?little ones|(?:[a-z-]+ )?fans) "
    r"(?:(?:in|at|from|on) (?:my|our|the) [a-z-]+(?: [a-z-]+)? )?"  # "everyone in my group chat"
    r"(?:(?:would|will|might|may|could)(?: probably| definitely| surely| totally)? )?"  # "horror fans would love this"
    rf"(?:all |always |still |really )?{_OTHERS_OPINION}\b{UNTIL_THE_USER}|"
    rf"(?<![a-z]){_WITHOUT_THE_USER}{_SOMEONE_CLOSE}(?:'s)? (?:all |always |still |really )?{_OTHERS_OPINION}\b{UNTIL_THE_USER}|"
    # "he" / "she" is a person, never the film ("it was okay i guess, she liked it way more than me"); her taste in
    # genres is the household's ("she likes romcoms, I like westerns: something of both?")
    rf"(?<![a-z])(?<!and )(?:he|she) (?:all |always |still |really |absolutely |totally )?{_OTHERS_OPINION} "
    rf"(?:it|that|this|them)\b{UNTIL_THE_USER}|"
    rf"(?<![a-z]){_WITHOUT_THE_USER}{_SOMEONE_CLOSE} (?:would|will|always|usually|might) (?:put on|watch|pick)\b|"  # their habit, not the verdict after it
    r"(?<![a-z])" + _WITHOUT_THE_USER + r"(?:he|she|they|my \w+)(?:'s| has|'ve| have) (?:already )?(?:seen|watched|done)\b" + UNTIL_THE_USER + "|"
    # "the matrix is my brother's favourite movie", "these are my dad's faves": their favourite, not the user's
    rf"(?<![a-z]){_SOMEONE_CLOSE}'s? (?:all-time |absolute |total |big |)(?:favou?rites?|favs?|faves?)(?: (?:movies?|films?|ones?))?(?![a-z])|"
    r"(?<![a-z])(?:he|she)(?: (?:always|still|really|honestly))? (?:says?|said|thinks?|thought|reckons?|swears?|swore|insists?|"
    r"insisted|claims?|claimed|keeps? saying|loves?|loved|adores?|adored|hates?|hated)\b" + UNTIL_THE_USER + "|"
    r"(?<![a-z])(?:has|have|did|does) anyone (?:else )?(?:actually |ever |really |honestly )?(?:enjoyed|liked|loved|"
    r"enjoy|like|love|seen|watched)\b" + UNTIL_THE_USER + "|"  # "has anyone actually enjoyed X": asks, judges nothing
    r"(?<![a-z])(?<!what )(?:i'?ve heard|i heard|i hear|(?:the )?word is|rumou?r has it|they say)\b"  # hearsay: up to
    r"(?:(?!\b(?:and|but|so|though|tho|while|whereas)\b)[^,.;!?@])*|"  # the next clause, whoever speaks there
    r"(?<![a-z])(?:i'?m told|i am told|i was told|i'?ve been told|apparently|supposedly|people say|"
    r"is said to be|is supposed to be|(?:a|my) friend (?:says?|said|swears?))\b" + UNTIL_THE_USER
)
"""Someone else's opinion ("my husband says the first one is a masterpiece"): not the user's feedback."""
OTHERS_HABIT_RE = re.compile(
    rf"(?<![a-z]){_WITHOUT_THE_USER}(?:{_SOMEONE_CLOSE}|(?:my|our) (?:local |old )?(?:cinema|film club|book club|class|school|office))"
    r"(?:'s)? (?:only |always |usually |still |just |never |literally )?"
    r"(?:watch(?:es)?|keeps? (?:putting on|watching|picking|choosing|playing|suggesting|showing)|puts on|picks|"
    r"(?:falls?|fell) asleep (?:during|in|through|to)|grew up (?:on|with)|works? (?:on|in)|worked (?:on|in)|"
    r"wants? to (?:make|be|direct|write|study)|(?:is|was|'s) (?:a )?(?:big |huge |massive |die-?hard )?fan of|"
    r"(?:is|was|are|were|'s|'re) (?:doing|showing|running|studying)|sent me|wrote|writes|studies|studied|"
    r"cries|cried (?:at|during|through)|collects?)\b" + UNTIL_THE_USER
)
"""Someone else's habits with a kind of film ("my roommate keeps putting on musicals", "my mum grew up on
westerns", "my film club is doing a noir month"): what they do, not what the user asks for. Genres only:
a wish on their behalf ("my kids want cartoons") is not among them."""
OVERRULED_WISH_RE = re.compile(
    r"(?<![a-z])(?:[a-z]+(?:'s| is| was| were|'re)|i was|i'd been|we were)\s+(?:(?:all|really|totally|still|kind of|kinda)\s+)?"
    r"(?:lobbying|pushing|campaigning|angling|begging|voting|rooting|holding out|gunning|arguing|asking|in the mood)"
    r"\s+for\s+[^,.;!?]{1,40}?(?=\s*,?\s*but\s+[^.;!?]{0,40}?(?:outvoted|overruled|vetoed|my (?:turn|pick|call|choice|night)|"
    r"fine with|happy with|lost|not (?:happening|tonight|this time)|no chance|tough luck|too bad))")
"""A wish for a kind of film said to be overruled ("Rachel's lobbying for horror but she's outvoted", "I was
lobbying for comedy but I'm fine with it", "my partner's in the mood for horror but it's my turn to choose"):
no wish of the user's. A checklist of our own, from the dev split's failures."""
GENRE_TOPIC_RE = re.compile(
    r"(?<![a-z])(?:(?:what'?s|what is|whats) the difference between|what (?:counts|qualifies) as|"
    r"what makes (?:a|an|it|something|this|that|the)(?![a-z])|who (?:invented|created|started|made the first)|"
    r"(?:i )?(?:read|heard)(?: somewhere| online)? that)[^,.;!?]*|"
    r"(?<![a-z])why (?:are|is|do|does) [^,.;!?]*(?:so popular|everywhere|a thing|making a comeback)|"
    r"(?<![a-z])(?:are|is) [^,.;!?]*making a comeback|"
    r"(?<![a-z])(?:is|was|isn't|wasn't|would you say|would you call) (?!there )[^,.;!?]{1,40}? more (?:of )?an? [^,.;!?]*\?|"
    # (a checklist of our own) a film described between two kinds: "goodfellas is more drama than crime"
    r"(?:(?<![a-z])(?:is|was|feels|felt|plays)|'s) (?:more|less) (?:like )?(?:of )?(?:an? )?[a-z-]+(?: (?:film|movie|flick))? than (?:an? )?[a-z-]+"
)
"""A genre as the topic of a question or a piece of news ("what's the difference between a thriller and a horror?",
"are westerns making a comeback?", "i read that sci-fi is the most popular genre"): asked about, not asked for."""
_AGREEMENT_RE = re.compile(r"(?<![a-z])(?:(?:and )?so do (?:i|we)|as do (?:i|we)|(?:me|myself|us) included|"
                           r"(?:and |honestly |actually )?i (?:have to |must |kind of |kinda )?agree|(?:i|we) do too|me too|"
                           r"(?:and )?(?:now )?(?:it'?s |it is )?(?:mine|ours) (?:too|as well))(?![a-z])")
"""The user taking someone else's opinion as their own ("my grandchildren adore it and so do I")."""
_OPINION_VERB_RE = re.compile(rf"(?<![a-z])(?:{_OTHERS_OPINION}|favou?rites?|favs?|faves?)(?![a-z])")
AGREEMENT_REACH = 160
"""How far after someone else's opinion the user may agree with it (characters)."""


def agreed_opinions(text: str) -> str:
    """The text with the holders of opinions the user agrees with blanked (same length), so that the
    opinion reads as the user's: "my son thinks home alone is the greatest … I agree", "everyone loved
    it, me included"."""
    if not _AGREEMENT_RE.search(text):
        return text  # most messages: no agreement, so no opinion to look for
    for match in THIRD_PARTY_RE.finditer(text):
        verb = _OPINION_VERB_RE.search(text, match.start(), match.end())
        if verb and _AGREEMENT_RE.search(text, match.start(), match.end() + AGREEMENT_REACH):
            text = text[:match.start()] + " " * (verb.start() - match.start()) + text[verb.start():]
    return text


EMOJI_VALENCE = {
    "✅": 1, "❌": -2, "➕": 1, "➖": -1,  # marks that answer for words (the eighth round's dev half)
    "❤": 2, "😍": 2, "🥰": 2, "🔥": 2, "💯": 2, "👌": 1, "🙌": 2, "😂": 1, "🤩": 2, "💖": 2, "💕": 2, "✨": 1,
    "🥲": 1, "👍": 1, "😭": 0, "👎": -2, "🙄": -1, "🤢": -2, "🤮": -2, "💩": -2, "🗑": -2, "😴": -2, "🥱": -2, "💤": -2, "😬": -1, "😒": -1,
    # from a checklist of our own (evaluation/data/checklists/emoji.txt): the goat, applause, chef's kiss, a trophy;
    # anger and the clown
    "🐐": 2, "👏": 2, "🤌": 2, "🏆": 2, "😡": -2, "🤬": -2, "🤡": -2,
}
"""Emoji read as valence beside words about a movie (an emoji alone is never feedback)."""

INTENSIFIERS = bounded(words("really", "very", "so", "super", "pretty", "quite", "too", "way too", "absolutely", "exactly",
                             "all that", "particularly", "especially", "overly", "terribly", "that",
                             "totally", "truly", "honestly", "literally", "kinda", "kind of", "sort of", "a bit",
                             "a little", "such", "such a", "just", "lowkey", "highkey", "actually", "genuinely",
                             "completely", "entirely", "wholly", "altogether", "remotely", "even", "at all", "necessarily",
                             "look", "looks", "sound", "sounds", "seem", "seems", "be", "feel", "feels"))
"""Words that may sit between a negator and the word it negates ("not really feeling it")."""

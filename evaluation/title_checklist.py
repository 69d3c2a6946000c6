"""Title finding on a checklist of our own, apart from the labelled set: popular titles typed as people type them.

    python -m evaluation.title_checklist [--ranks 0:1000,1000:2000] [--seed 1]

For the films at the given popularity ranks of the understanding set's catalog (ml-latest-small), each title is typed in several forms (lower
case; without its article; without punctuation; with one letter dropped, doubled, a vowel changed, or two
letters swapped in one of its longer words) inside one of twelve chat sentences ("me and my wife watched
{title} yesterday and loved it", "ugh {title} bored me", …), and the title finder is asked which films the
sentence names. Reported per form: how often the film is found, and how often another film is read.

The sentences and forms are ours, not the understanding set's: the set's held-out half is never read here,
so the checklist can guide the title finder without tuning it on the test split. A seeded random choice
picks each sentence and slip, so two runs of one commit print the same table.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Sequence

from agent.understand import CatalogVocabulary
from agent.understand.reader import Reader
from agent.understand.titles import find_titles
from retrieval.movielens import catalog_title

CARRIERS = (
    "{t} was great", "me and my wife watched {t} yesterday and loved it", "we tried {t} but it dragged",
    "honestly {t} is overrated", "{t} tonight? sure", "just finished {t}, what a ride", "ugh {t} bored me",
    "{t} is one of my all time favs", "i think {t} is brilliant", "has anyone seen {t}? it was so good",
    "rewatched {t} with the kids, still holds up", "i couldn't get into {t}",
)
SLIPS = ("dropped", "doubled", "vowel", "swapped")
MIN_SLIP_LETTERS = 5


def typed_title(title: str) -> str:
    """A title as a person types it: as the catalog keeps it (no year, the article in front), without the
    alternative names in parentheses, in lower case."""
    return re.sub(r"\s*\(.*?\)", "", catalog_title(title)).lower()


def _slip(word: str, kind: str, rng: random.Random) -> str | None:
    """``word`` with one slip of the given kind, or None when the word is too short for it."""
    j = rng.randrange(1, len(word) - 1)
    if kind == "dropped":
        return word[:j] + word[j + 1:]
    if kind == "doubled":
        return word[:j] + word[j] + word[j:]
    if kind == "swapped":
        return word[:j] + word[j + 1] + word[j] + word[j + 2:]
    vowels = [i for i, letter in enumerate(word) if letter in "aeiou" and i > 0]
    if not vowels:
        return None
    i = rng.choice(vowels)
    return word[:i] + rng.choice([v for v in "aeiou" if v != word[i]]) + word[i + 1:]


def forms(title: str, rng: random.Random) -> dict[str, str]:
    """The ways one title is typed in the checklist, by name."""
    lower = typed_title(title)
    bare = re.sub(r"^(the|a|an) ", "", lower)
    typed = {"lower case": lower, "no article": bare, "no punctuation": re.sub(r"[':,.!?-]", "", bare)}
    words = bare.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= MIN_SLIP_LETTERS and w.isalpha()]
    for kind in SLIPS:
        if long_words:
            i = rng.choice(long_words)
            slipped = _slip(words[i], kind, rng)
            if slipped and slipped != words[i]:
                typed[f"one letter {kind}"] = " ".join([*words[:i], slipped, *words[i + 1:]])
    return typed


def run(vocab: CatalogVocabulary, ranks: Sequence[tuple[int, int]], seed: int = 1) -> list[dict[str, object]]:
    """One row per (ranks, form): sentences, the film found, another film read."""
    by_popularity = sorted((int(m) for m in vocab.movie_ids), key=lambda m: (-vocab.popularity_of(m), m))
    rows = []
    for first, last in ranks:
        rng = random.Random(seed)
        said, found, other = Counter(), Counter(), Counter()
        for movie in by_popularity[first:last]:
            for form, typed in forms(vocab.main_title(movie), rng).items():
                sentence = rng.choice(CARRIERS).format(t=typed)
                read = {m for mention in find_titles(Reader(sentence, vocab, [])) for m in mention.movies}
                said[form] += 1
                found[form] += movie in read
                other[form] += bool(read - {movie})
        rows += [{"ranks": f"{first:,}–{last:,}", "form": form, "sentences": said[form], "found": found[form],
                  "other film read": other[form]} for form in said]
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| popularity ranks | typed | sentences | film found | another film read |", "|---|---|---:|---:|---:|"]
    lines += [f"| {r['ranks']} | {r['form']} | {r['sentences']} | {r['found']} ({r['found'] / r['sentences']:.0%}) "
              f"| {r['other film read']} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from evaluation.understanding import load_vocabulary
    from retrieval.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m evaluation.title_checklist", description=__doc__.split("\n")[0])
    parser.add_argument("--ranks", default="0:1000,1000:2000", help="comma-separated first:last popularity ranks")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    ranks = [tuple(int(x) for x in part.split(":")) for part in args.ranks.split(",")]
    print(table(run(load_vocabulary(Settings()), ranks, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

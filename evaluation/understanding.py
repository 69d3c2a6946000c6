"""The understanding benchmark: how well the chat reads what people actually type.

The labelled set (:data:`SET_PATH`, JSON Lines) holds messages written to vary the way people
write in a recommendation chat, each with the list shown before it (ml-latest-small movie ids)
and the :class:`~agent.understand.FeedbackIntent` it must produce. It is split once into dev and
test by a fixed hash of the message (:func:`split_of`): rules and classifiers are tuned on dev
only, and the report's headline figures are the test split's.

For each reader (the parser alone, the parser merged with each local chat model's reading) the
report gives, per category:

* exact match: every feedback field as labelled (genres by direction, years, movies by reaction,
  rejection of the whole list); ``wants_list`` is reported apart, it records nothing;
* sign inversions: a genre, movie or year range read with the opposite sign (the user asked for
  less and gets more: the worst misreading);
* invented feedback: an event about a genre, movie or year range the message does not mention in
  any direction;
* time per message (median and 99th percentile, one core), and for a chat model the readings
  its checks dropped.

``python -m evaluation.understanding --out docs/results/understanding.md`` writes the report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from agent.understand import GENRE_FIELDS, MOVIE_FIELDS, YEAR_FIELDS, CatalogVocabulary, FeedbackIntent
from agent.understand.intent import NEGATIVE_MOVIE_FIELDS, POSITIVE_MOVIE_FIELDS
from retrieval.errors import DriftrecError
from retrieval.fileio import atomic_write

logger = logging.getLogger(__name__)

SET_PATH = Path(__file__).parent / "data" / "understanding.jsonl"
DATASET = "ml-latest-small"
"""The catalog the set's movie ids and year conventions belong to."""
CATEGORIES = ("genre", "years", "reaction", "title", "similar", "reject", "mixed", "request", "chitchat")
SPLITS = ("dev", "test")
TEST_SHARE = 50
"""Percent of messages in the test split."""
SPLIT_SALT = "driftrec-understanding-v1"
COMPARED_FIELDS = (*GENRE_FIELDS, *YEAR_FIELDS, *MOVIE_FIELDS, "rejects_list")
LABEL_FIELDS = (*COMPARED_FIELDS, "wants_list")
TARGET_EXACT = 0.90
MODEL_SAMPLE = 400
"""Messages each chat model reads by default: on this CPU a model takes 1–2 s a message (a whole split, ~1 h)."""
DEFAULT_LLMS = ("llamacpp:smollm2-135m", "llamacpp:qwen2.5-0.5b")
MAX_FAILURES_SHOWN = 60
"""Failures listed per reader in the report (all of them for the parser)."""
FAILURES_PAGE = "understanding-failures.md"
"""Beside the report: its held-out messages, one failure at a time (with a JSON file of the same name)."""
WRITER_BATCHES = (("u0001", "u0720"), ("u0721", "u1513"), ("u1514", "u2308"), ("u2309", "u3300"),
                  ("u3301", "u4096"), ("u4097", "u4692"), ("u4693", "u5286"), ("u5287", "u5886"),
                  ("u5887", "u6486"))
"""First and last id of each round of writers, in the order the set grew (evaluation/data/understanding-guide.md):
a round's score before any rule was tuned on it is the parser's on writing it had never met."""

Reader = Callable[[str, Sequence[int]], FeedbackIntent]


@dataclass(frozen=True)
class Example:
    """One labelled message.

    Attributes:
        id: Stable id (``u0001``), the line's order in the set.
        category: One of :data:`CATEGORIES`.
        message: What the user typed.
        shown: The movie ids on screen before the message, in display order.
        expect: The labelled intent, only its non-empty fields.
        note: Why a tricky label is what it is.
    """

    id: str
    category: str
    message: str
    shown: tuple[int, ...]
    expect: dict[str, Any]
    note: str = ""

    @property
    def split(self) -> str:
        return split_of(self.message)

    def expected(self) -> FeedbackIntent:
        return FeedbackIntent(**self.expect)


def split_of(message: str) -> str:
    """``"test"`` or ``"dev"``, fixed by a hash of the message (never by its position or label)."""
    digest = hashlib.sha256(f"{SPLIT_SALT}:{message}".encode()).digest()
    return "test" if int.from_bytes(digest[:4], "big") % 100 < TEST_SHARE else "dev"


def load_set(path: Path = SET_PATH, vocab: CatalogVocabulary | None = None) -> list[Example]:
    """Read and check the labelled set.

    Args:
        path: The JSON Lines file.
        vocab: When given, every movie id and genre is checked against this catalog.

    Raises:
        DriftrecError: A line that is not a valid example, naming the line and what to fix.
    """
    examples: list[Example] = []
    seen_messages: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DriftrecError(f"{where}: not JSON ({error.msg})") from None
        example = _example(row, where)
        if example.message in seen_messages:
            raise DriftrecError(f"{where}: the message {example.message!r} is already in the set")
        seen_messages.add(example.message)
        if vocab is not None:
            _check_against(example, vocab, where)
        examples.append(example)
    return examples


def _example(row: Any, where: str) -> Example:
    if not isinstance(row, dict) or not {"id", "category", "message", "shown", "expect"} <= set(row):
        raise DriftrecError(f"{where}: expected an object with id, category, message, shown and expect")
    if row["category"] not in CATEGORIES:
        raise DriftrecError(f"{where}: category {row['category']!r} is not one of {', '.join(CATEGORIES)}")
    unknown = set(row["expect"]) - set(LABEL_FIELDS)
    if unknown:
        raise DriftrecError(f"{where}: unknown expect fields {sorted(unknown)}; use {', '.join(LABEL_FIELDS)}")
    try:
        intent = FeedbackIntent(**row["expect"])
    except ValueError as error:
        raise DriftrecError(f"{where}: expect is not a valid FeedbackIntent: {error}") from None
    movies = [m for name in MOVIE_FIELDS for m in getattr(intent, name)]
    if len(movies) != len(set(movies)):
        raise DriftrecError(f"{where}: a movie is in two movie fields of expect")
    return Example(id=str(row["id"]), category=row["category"], message=str(row["message"]),
                   shown=tuple(int(m) for m in row["shown"]), expect=dict(row["expect"]), note=str(row.get("note", "")))


def _check_against(example: Example, vocab: CatalogVocabulary, where: str) -> None:
    intent = example.expected()
    for movie_id in [*example.shown, *(m for name in MOVIE_FIELDS for m in getattr(intent, name))]:
        if not vocab.has_movie(movie_id):
            raise DriftrecError(f"{where}: movie id {movie_id} is not in {vocab.dataset}")
    for genre in (g for name in GENRE_FIELDS for g in getattr(intent, name)):
        if genre not in vocab.genres:
            raise DriftrecError(f"{where}: genre {genre!r} is not one of {vocab.dataset}'s")
    for name in YEAR_FIELDS:
        value = getattr(intent, name)
        if value is not None:
            first, _, last = value.partition("-")
            if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
                raise DriftrecError(f"{where}: {name} {value!r} must be 'first-last', e.g. '1990-1999'")


# --- scoring one reading -------------------------------------------------------------------------


@dataclass
class Outcome:
    """How one reading compares with its label."""

    exact: bool
    wants_list_right: bool
    inversions: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)


def _signed_items(intent: FeedbackIntent) -> dict[str, int]:
    """Every item the intent has an opinion on, with its sign: ``genre:Horror`` -1, ``movie:6`` +1."""
    items: dict[str, int] = {}
    for name in GENRE_FIELDS:
        for genre in getattr(intent, name):
            items[f"genre:{genre}"] = +1 if name == "more_genres" else -1
    for name in MOVIE_FIELDS:
        sign = +1 if name in POSITIVE_MOVIE_FIELDS else -1 if name in NEGATIVE_MOVIE_FIELDS else 0
        for movie_id in getattr(intent, name):
            items[f"movie:{movie_id}"] = sign
    return items


def _years_overlap(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    (a1, a2), (b1, b2) = (tuple(int(y) for y in s.split("-")) for s in (a, b))
    return a1 <= b2 and b1 <= a2


def compare(expected: FeedbackIntent, got: FeedbackIntent) -> Outcome:
    """Exact match on :data:`COMPARED_FIELDS`, plus sign inversions and invented items."""
    differences = []
    for name in COMPARED_FIELDS:
        want, have = getattr(expected, name), getattr(got, name)
        if isinstance(want, list):
            want, have = sorted(want), sorted(have)
        if want != have:
            differences.append(f"{name}: expected {want!r}, got {have!r}")
    outcome = Outcome(exact=not differences, wants_list_right=expected.wants_list == got.wants_list,
                      differences=differences)
    wanted, read = _signed_items(expected), _signed_items(got)
    for item, sign in read.items():
        if item not in wanted:
            outcome.invented.append(item)
        elif sign * wanted[item] < 0:
            outcome.inversions.append(item)
    expected_years = [expected.years, expected.avoid_years]
    for name, opposite in (("years", "avoid_years"), ("avoid_years", "years")):
        value = getattr(got, name)
        if value is None:
            continue
        if not any(expected_years):
            outcome.invented.append(f"{name}:{value}")
        elif _years_overlap(value, getattr(expected, opposite)) and not _years_overlap(value, getattr(expected, name)):
            outcome.inversions.append(f"{name}:{value}")
    return outcome


# --- running a reader ------------------------------------------------------------------------------


@dataclass
class ReaderResult:
    """One reader over a set of examples."""

    name: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    readings: dict[str, FeedbackIntent] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    dropped: Counter = field(default_factory=Counter)

    def summary(self, examples: Sequence[Example]) -> dict[str, Any]:
        """Per category and overall: n, exact match, wants_list accuracy, inversions, invented."""
        table: dict[str, Any] = {}
        groups = {category: [e for e in examples if e.category == category] for category in CATEGORIES}
        groups["all"] = list(examples)
        for category, group in groups.items():
            if not group:
                continue
            outcomes = [self.outcomes[e.id] for e in group]
            table[category] = {
                "n": len(group),
                "exact": sum(o.exact for o in outcomes) / len(group),
                "wants_list": sum(o.wants_list_right for o in outcomes) / len(group),
                "inversions": sum(len(o.inversions) for o in outcomes),
                "invented": sum(len(o.invented) for o in outcomes),
            }
        times = [self.seconds[e.id] for e in examples]
        table["all"]["median_ms"] = 1000 * statistics.median(times)
        table["all"]["p99_ms"] = 1000 * sorted(times)[min(len(times) - 1, int(0.99 * len(times)))]
        table["all"]["dropped"] = dict(self.dropped)
        return table


def run_reader(name: str, reader: Reader, examples: Sequence[Example], repeats: int = 1,
               dropped: Counter | None = None) -> ReaderResult:
    """Read every example; a message's time is the fastest of ``repeats`` readings."""
    result = ReaderResult(name)
    for example in examples:
        best = float("inf")
        for _ in range(repeats):
            began = time.perf_counter()
            intent = reader(example.message, list(example.shown))
            best = min(best, time.perf_counter() - began)
        result.readings[example.id] = intent
        result.seconds[example.id] = best
        result.outcomes[example.id] = compare(example.expected(), intent)
    if dropped is not None:
        result.dropped = dropped
    return result


def parser_reader(vocab: CatalogVocabulary, sentiment: str = "lexicon") -> Reader:
    from agent.understand import parse_message

    return lambda message, shown: parse_message(message, vocab, shown, sentiment=sentiment)  # type: ignore[arg-type]


def model_reader(vocab: CatalogVocabulary, chat_model: Any, dropped: Counter) -> Reader:
    """The parser merged with the chat model's reading; what the checks drop is counted in ``dropped``."""
    from agent.understand import understand

    return lambda message, shown: understand(message, vocab, shown, chat_model=chat_model, dropped=dropped)


# --- the report --------------------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def report_markdown(results: list[ReaderResult], examples: Sequence[Example], split: str,
                    extra: Sequence[str] = ()) -> str:
    """The report: per reader and category on ``split``, with where the errors lie and the time
    (each failure, message by message, is :func:`failures_markdown`'s page)."""
    chosen = [e for e in examples if split == "all" or e.split == split]
    counts = Counter(e.split for e in examples)
    lines = [
        "# Understanding benchmark",
        "",
        f"`python -m evaluation.understanding` on `{SET_PATH.relative_to(SET_PATH.parents[2])}`: {len(examples)} labelled",
        f"messages ({counts['dev']} dev, {counts['test']} test, split by a fixed hash of the message). Rules and",
        f"classifiers were tuned on dev only; the tables below are the **{split}** split. Catalog: {DATASET}.",
        "",
        "Exact match: every feedback field as labelled (genres by direction, year ranges, movies by reaction,",
        "rejection of the whole list). Inversions: a genre, movie or year range read with the opposite sign.",
        "Invented: an event about something the message does not mention. Time: one core, per message.",
        "",
    ]
    everywhere = [r for r in results if all(e.id in r.outcomes for e in chosen)]
    sampled = [r for r in results if r not in everywhere]
    lines += ["## Exact match", "", *_exact_table(everywhere, chosen)]
    if sampled:
        sample = [e for e in chosen if all(e.id in r.outcomes for r in sampled)]
        lines += ["", f"The chat models read a fixed sample of {len(sample)} of these {len(chosen)} messages (those whose id",
                  "hashes lowest, whatever their label), beside the parser on the same messages:", "",
                  *_exact_table(everywhere[:1] + sampled, sample)]
    lines += ["", f"✗: below the {_percent(TARGET_EXACT)} target.", "", "## Errors that matter, and time", "",
              "| reader | messages | sign inversions | invented events | wants_list right | median ms | p99 ms | model readings dropped |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for result in everywhere + sampled:
        read = [e for e in chosen if e.id in result.outcomes]
        total = result.summary(read)["all"]
        dropped = ", ".join(f"{k}: {v}" for k, v in sorted(total["dropped"].items())) or "–"
        lines.append(f"| {result.name} | {len(read)} | {total['inversions']} | {total['invented']} | "
                     f"{_percent(total['wants_list'])} | {total['median_ms']:.2f} | {total['p99_ms']:.2f} | {dropped} |")
    if sampled:
        same = everywhere[0].summary(sample)["all"]
        lines.append(f"| {everywhere[0].name}, on the models' sample | {len(sample)} | {same['inversions']} | "
                     f"{same['invented']} | {_percent(same['wants_list'])} | {same['median_ms']:.2f} | {same['p99_ms']:.2f} | – |")
    lines += ["", *(_batch_table(everywhere[0], examples) if everywhere else []), ""]
    lines += [*(_error_kinds_table(everywhere[0], examples) if everywhere else []), "", *extra]
    lines += ["", "## Failures", "", f"Each failure, message by message: [{FAILURES_PAGE}]({FAILURES_PAGE}). They are "
              f"the {split} split's own messages, kept off this page so that work on the reader, which tunes on dev only, "
              "does not read them by accident."]
    return "\n".join(lines) + "\n"


def failures_markdown(results: list[ReaderResult], examples: Sequence[Example], split: str) -> str:
    """Every failure of each reader on ``split``, message by message (a page of its own: see
    :func:`report_markdown`)."""
    chosen = [e for e in examples if split == "all" or e.split == split]
    lines = ["# Understanding benchmark: failures", "",
             f"The {split} split's messages each reader got wrong (the report: [understanding.md](understanding.md)).",
             "Held out: read them to judge the reader, never to tune it."]
    for result in results:
        read = [e for e in chosen if e.id in result.outcomes]
        failures = [e for e in read if not result.outcomes[e.id].exact or result.outcomes[e.id].inversions
                    or result.outcomes[e.id].invented]
        lines += ["", f"## Failures of {result.name} ({len(failures)} of {len(read)})", ""]
        for example in failures[:MAX_FAILURES_SHOWN]:
            outcome = result.outcomes[example.id]
            flags = []
            if outcome.inversions:
                flags.append("INVERTED " + ", ".join(outcome.inversions))
            if outcome.invented:
                flags.append("INVENTED " + ", ".join(outcome.invented))
            lines.append(f"- `{example.id}` ({example.category}) {json.dumps(example.message, ensure_ascii=False)}: "
                         + "; ".join(outcome.differences) + (f" — {'; '.join(flags)}" if flags else ""))
        if len(failures) > MAX_FAILURES_SHOWN:
            lines.append(f"- … {len(failures) - MAX_FAILURES_SHOWN} more in {Path(FAILURES_PAGE).with_suffix('.json')}")
    return "\n".join(lines) + "\n"


def error_kinds(expected: FeedbackIntent, got: FeedbackIntent, shown: Sequence[int]) -> Counter:
    """Where a reading goes wrong, item by item: each labelled movie read right, missed (on a card
    shown or a title named) or put in another field (``field a → field b``); each movie read that
    the label leaves out; genres right, missed or extra; year ranges and whole-list rejections wrong."""
    kinds: Counter = Counter()
    wanted = {m: name for name in MOVIE_FIELDS for m in getattr(expected, name)}
    read = {m: name for name in MOVIE_FIELDS for m in getattr(got, name)}
    on_card = set(shown)
    for movie, name in wanted.items():
        if movie not in read:
            kinds["movie missed, " + ("a card shown" if movie in on_card else "a title named")] += 1
        elif read[movie] != name:
            kinds["movie in another field"] += 1
            kinds[f"  {name} → {read[movie]}"] += 1
        else:
            kinds["movie right"] += 1
    for movie in read.keys() - wanted.keys():
        kinds["movie read, unlabelled, " + ("a card shown" if movie in on_card else "a title named")] += 1
    for name in GENRE_FIELDS:
        want, have = set(getattr(expected, name)), set(getattr(got, name))
        kinds["genre right"] += len(want & have)
        kinds["genre missed"] += len(want - have)
        kinds["genre extra"] += len(have - want)
    for name in YEAR_FIELDS:
        if getattr(expected, name) != getattr(got, name):
            kinds[f"{name} wrong"] += 1
    if bool(expected.rejects_list) != bool(got.rejects_list):
        kinds["whole-list rejection " + ("missed" if expected.rejects_list else "extra")] += 1
    return kinds


def _error_kinds_table(result: ReaderResult, examples: Sequence[Example]) -> list[str]:
    """:func:`error_kinds` summed over each split: where the dev/test gap lies, without a test message."""
    totals = {split: Counter() for split in SPLITS}
    for example in examples:
        if example.id in result.readings:
            totals[example.split] += error_kinds(example.expected(), result.readings[example.id], example.shown)
    if not all(totals.values()):
        return []
    top_kinds = [k for k in sorted(totals["dev"] | totals["test"]) if not k.startswith("  ")]
    moves = sorted({k for t in totals.values() for k in t if k.startswith("  ")},
                   key=lambda k: -(totals["dev"][k] + totals["test"][k]))[:8]
    lines = [f"## Where {result.name}'s errors lie, item by item", "",
             "Counts of labelled items (a group like \"the rest\" counts each of its movies), on each split. The",
             "largest moves between fields follow \"movie in another field\" (labelled → read).", "",
             "| kind | dev | test |", "|---|---:|---:|"]
    for kind in top_kinds:
        lines.append(f"| {kind} | {totals['dev'][kind]} | {totals['test'][kind]} |")
        if kind == "movie in another field":
            lines += [f"| ↳ {k.strip()} | {totals['dev'][k]} | {totals['test'][k]} |" for k in moves]
    return lines


def _batch_table(result: ReaderResult, examples: Sequence[Example]) -> list[str]:
    """Exact match of ``result`` per round of writers (:data:`WRITER_BATCHES`), on both splits."""
    lines = [f"## {result.name} by round of writers", "",
             "Dev was tuned on; test never read. A new round scored before anything is tuned on it shows how the",
             "reader meets writing it has never seen (for an earlier parser: check out its commit and run this).", "",
             "| ids | dev n | dev exact | test n | test exact | test inversions | test invented |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for first, last in WRITER_BATCHES:
        batch = [e for e in examples if first <= e.id <= last and e.id in result.outcomes]
        if not batch:
            continue
        dev, test = ([e for e in batch if e.split == split] for split in SPLITS)
        if not (dev and test):
            continue  # a reader given one split only
        dev_total, test_total = result.summary(dev)["all"], result.summary(test)["all"]
        lines.append(f"| {first}–{last} | {len(dev)} | {_percent(dev_total['exact'])} | {len(test)} | "
                     f"{_percent(test_total['exact'])} | {test_total['inversions']} | {test_total['invented']} |")
    return lines


def _exact_table(results: Sequence[ReaderResult], examples: Sequence[Example]) -> list[str]:
    """Exact match per category (rows) and reader (columns), over ``examples``."""
    lines = ["| category | n | " + " | ".join(r.name for r in results) + " |", "|---|---:|" + "---:|" * len(results)]
    summaries = [r.summary(examples) for r in results]
    for category in (*CATEGORIES, "all"):
        if category not in summaries[0]:
            continue
        cells = []
        for summary in summaries:
            value = summary[category]["exact"]
            mark = "" if category == "all" or value >= TARGET_EXACT else " ✗"
            cells.append(_percent(value) + mark)
        lines.append(f"| {category} | {summaries[0][category]['n']} | " + " | ".join(cells) + " |")
    return lines


def model_sample(examples: Sequence[Example], size: int | None) -> list[Example]:
    """The fixed sample the chat models read: the ``size`` examples whose id hashes lowest (all when None)."""
    if size is None or size >= len(examples):
        return list(examples)
    return sorted(examples, key=lambda e: hashlib.sha256(f"{SPLIT_SALT}:sample:{e.id}".encode()).digest())[:size]


def results_json(results: list[ReaderResult], examples: Sequence[Example]) -> dict[str, Any]:
    """Each reader's summary per split (the failures are :func:`failures_json`'s)."""
    out: dict[str, Any] = {"set": str(SET_PATH.name), "dataset": DATASET, "readers": {}}
    for result in results:
        read = [e for e in examples if e.id in result.outcomes]  # a model reader reads one split only
        out["readers"][result.name] = {
            split: result.summary([e for e in read if e.split == split]) for split in SPLITS
            if any(e.split == split for e in read)
        }
    return out


def failures_json(results: list[ReaderResult], examples: Sequence[Example]) -> dict[str, Any]:
    """Each reader's failures on every split it read, message by message (held-out text: a file of
    its own, so that a diff of the summaries shows none)."""
    out: dict[str, Any] = {"set": str(SET_PATH.name), "dataset": DATASET, "readers": {}}
    for result in results:
        out["readers"][result.name] = [
            {"id": e.id, "split": e.split, "category": e.category, "message": e.message,
             "differences": result.outcomes[e.id].differences, "inversions": result.outcomes[e.id].inversions,
             "invented": result.outcomes[e.id].invented}
            for e in examples if e.id in result.outcomes
            and (not result.outcomes[e.id].exact or result.outcomes[e.id].invented)
        ]
    return out


def load_vocabulary(settings: Any) -> CatalogVocabulary:
    """The set's catalog (ml-latest-small) with popularity from its ratings."""
    from retrieval.movielens import load_dataset

    data = load_dataset(DATASET, settings.data_dir)
    return CatalogVocabulary.from_catalog(DATASET, data.catalog, data.interactions)


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/results/understanding.md"))
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="test", help="the split the tables show")
    parser.add_argument("--llms", default=",".join(DEFAULT_LLMS),
                        help="chat models merged with the parser, comma-separated, or 'none'")
    parser.add_argument("--repeats", type=int, default=3, help="readings per message for the parser's time")
    parser.add_argument("--model-sample", type=int, default=MODEL_SAMPLE,
                        help="messages of the split each chat model reads (a fixed sample; 0: all of them)")
    parser.add_argument("--no-stance-comparison", action="store_true",
                        help="skip the comparison of stance readers (lexicon, VADER, a classifier trained on dev)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    logging.basicConfig(level=logging.WARNING)
    from retrieval.settings import Settings

    settings = Settings()
    vocab = load_vocabulary(settings)
    examples = load_set(SET_PATH, vocab)
    results = [run_reader("parser", parser_reader(vocab), examples, repeats=args.repeats)]
    print(_one_line(results[-1], examples, args.split), flush=True)
    results.append(run_reader("parser + VADER", parser_reader(vocab, "lexicon+vader"), examples, repeats=args.repeats))
    print(_one_line(results[-1], examples, args.split), flush=True)
    extra: list[str] = []
    if not args.no_stance_comparison:
        from evaluation import stance_classifier

        mentions = stance_classifier.collect_mentions(vocab, examples)
        results.append(run_reader("parser + TF-IDF fallback", stance_classifier.fallback_reader(vocab, mentions), examples,
                                  repeats=args.repeats))
        print(_one_line(results[-1], examples, args.split), flush=True)
        comparison = stance_classifier.compare(mentions)
        extra = stance_classifier.markdown(comparison)
        print("\n".join(extra), flush=True)
    for spec in [s.strip() for s in args.llms.split(",") if s.strip() and s.strip() != "none"]:
        from agent.llm import load_chat_model

        chat_model = load_chat_model(settings.model_copy(update={"llm": spec}))
        dropped: Counter = Counter()
        chosen = model_sample([e for e in examples if args.split == "all" or e.split == args.split], args.model_sample or None)
        results.append(run_reader(f"parser + {spec}", model_reader(vocab, chat_model, dropped), chosen, dropped=dropped))
        print(_one_line(results[-1], chosen, args.split), flush=True)
    failures = args.out.with_name(FAILURES_PAGE)
    write_text(args.out, report_markdown(results, examples, args.split, extra))
    write_text(failures, failures_markdown(results, examples, args.split))
    write_text(args.out.with_suffix(".json"), json.dumps(results_json(results, examples), indent=1, ensure_ascii=False))
    write_text(failures.with_suffix(".json"), json.dumps(failures_json(results, examples), indent=1, ensure_ascii=False))
    print(f"wrote {args.out}")


def _one_line(result: ReaderResult, examples: Sequence[Example], split: str) -> str:
    chosen = [e for e in examples if (split == "all" or e.split == split) and e.id in result.outcomes]
    total = result.summary(chosen)["all"]
    return (f"{result.name}: exact {_percent(total['exact'])} on {split}, {total['inversions']} inversions, "
            f"{total['invented']} invented, median {total['median_ms']:.2f} ms")


if __name__ == "__main__":
    main()

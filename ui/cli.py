"""The ``driftrec`` command line.

Every command takes ``--home``, ``--data-dir``, ``--dataset`` and ``--json``; values not given on
the command line come from ``DRIFTREC_*`` environment variables, then defaults (see
:mod:`retrieval.settings`). Errors the user can fix print one line and exit with code 2.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from rich.text import Text

from retrieval.errors import DriftrecError
from retrieval.settings import Settings, load_settings

app = typer.Typer(
    name="driftrec",
    help="A conversational movie recommender that follows how your taste changes.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
data_app = typer.Typer(help="Get MovieLens data and look at it.", no_args_is_help=True)
app.add_typer(data_app, name="data")
study_app = typer.Typer(help="User-study logs written by `driftrec ui --study-log`.", no_args_is_help=True)
app.add_typer(study_app, name="study")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters (terminal escapes, bidirectional overrides) that user, catalog or model text
must not carry into a terminal; newlines and tabs stay."""


def terminal_safe(text: object) -> str:
    """``text`` with every control character shown as U+FFFD, for printing."""
    return _CONTROL.sub("\ufffd", str(text))


class SafeTable(Table):
    """A Rich table whose cells and title are shown as plain, control-free text."""

    def __init__(self, *headers: Any, title: str | None = None, **options: Any) -> None:
        super().__init__(*headers, title=None if title is None else Text(terminal_safe(title)), **options)

    def add_row(self, *cells: Any, **options: Any) -> None:  # type: ignore[override]
        super().add_row(*(Text(terminal_safe(c)) if isinstance(c, str) else c for c in cells), **options)


class SafeConsole(Console):
    """A Rich console that prints text as it is: no markup, no highlighting, no control characters.

    Everything printed may hold user, catalog or model text, so nothing in it is interpreted; the
    few styled words are :class:`rich.text.Text` spans built by the code.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, highlight=False, emoji=False, **options)

    def print(self, *objects: Any, **options: Any) -> None:  # type: ignore[override]
        super().print(*(terminal_safe(o) if isinstance(o, str) else o for o in objects), **options)

    def input(self, prompt: Any = "", **options: Any) -> str:  # type: ignore[override]
        return super().input(terminal_safe(prompt) if isinstance(prompt, str) else prompt, **options)


console = SafeConsole()
errors = SafeConsole(stderr=True)


def _bold(text: str) -> Text:
    return Text(terminal_safe(text), style="bold")

Home = Annotated[Optional[Path], typer.Option("--home", help="Driftrec home [env DRIFTREC_HOME; ~/.driftrec].")]
DataDir = Annotated[
    Optional[Path], typer.Option("--data-dir", help="MovieLens folders [env DRIFTREC_DATA_DIR; HOME/data].")
]
Dataset = Annotated[
    Optional[str], typer.Option("--dataset", help="MovieLens release [env DRIFTREC_DATASET; ml-latest-small].")
]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
ChromaUrl = Annotated[
    Optional[str], typer.Option("--chroma-url", help="Chroma server http://host:port [env DRIFTREC_CHROMA_URL].")
]
EventsUrl = Annotated[
    Optional[str], typer.Option("--events-url", help="Shared PostgreSQL event log postgresql://user@host:port/db "
                                                     "[env DRIFTREC_EVENTS_URL; default: SQLite file in the home].")
]
Encoder = Annotated[
    Optional[str], typer.Option("--encoder", help="Sentence-transformers id or path [env DRIFTREC_ENCODER].")
]


def _settings(**flags: Any) -> Settings:
    try:
        return load_settings(**flags)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise DriftrecError(f"invalid setting: {problems}") from None


def _print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


# --- data ----------------------------------------------------------------------------------------


@data_app.command("fetch")
def data_fetch(
    name: Annotated[str, typer.Argument(help="GroupLens release name, e.g. ml-latest-small.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing copy.")] = False,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Download a release from GroupLens, verify its checksum and unpack it atomically."""
    from retrieval.fetch import fetch_dataset

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset)
    target = fetch_dataset(name, settings.data_dir, settings.grouplens_url, force=force, progress=not as_json)
    _report_installed(name, target, as_json)


@data_app.command("import")
def data_import(
    path: Annotated[Path, typer.Argument(help="A GroupLens zip or its unpacked folder.")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing copy.")] = False,
    max_size_gb: Annotated[float, typer.Option("--max-size-gb", min=0.001, help="Largest release to unpack or copy.")] = 3.0,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Install a release from a local zip or folder (for machines without internet)."""
    from retrieval.fetch import import_dataset

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset)
    target = import_dataset(path, settings.dataset, settings.data_dir, force=force, max_bytes=int(max_size_gb * 1024**3))
    _report_installed(settings.dataset, target, as_json)


def _report_installed(name: str, target: Path, as_json: bool) -> None:
    if as_json:
        _print_json({"dataset": name, "path": str(target)})
    else:
        console.print(f"Installed {name} in {target}")


@data_app.command("info")
def data_info(home: Home = None, data_dir: DataDir = None, dataset: Dataset = None, as_json: AsJson = False) -> None:
    """Users, movies, ratings and date range of a release."""
    from retrieval.movielens import load_dataset

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset)
    summary = load_dataset(settings.dataset, settings.data_dir).summary()
    if as_json:
        _print_json(summary)
        return
    table = SafeTable(title=settings.dataset, caption=str(settings.dataset_dir), show_header=False)
    for key, value in summary.items():
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value))
    console.print(table)


# --- index and search ----------------------------------------------------------------------------


@app.command("index")
def index(
    keywords: Annotated[
        Optional[Path], typer.Option("--keywords", help="CSV of movieId,keyword to enrich item text.")
    ] = None,
    encoder: Encoder = None,
    chroma_url: ChromaUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Embed the catalog into Chroma; only new or changed movies are embedded again."""
    from retrieval.store import MovieIndex

    settings = _settings(
        home=home, data_dir=data_dir, dataset=dataset, encoder=encoder, chroma_url=chroma_url, keywords=keywords
    )
    report = MovieIndex(settings).build(progress=not as_json)
    if as_json:
        _print_json(report.as_dict())
        return
    if report.embedded == 0:
        console.print(
            f"Index of {report.dataset} is up to date: embedded 0 movies ({report.movies:,} unchanged, "
            f"{report.metadata_updated} metadata updates, {report.deleted} removed) in {report.seconds:.1f} s."
        )
    else:
        console.print(
            f"Embedded {report.embedded:,} of {report.movies:,} movies with {report.encoder} in "
            f"{report.embed_seconds:.1f} s ({report.movies_per_second:.0f} movies/s); "
            f"{report.deleted} removed; total {report.seconds:.1f} s."
        )


@app.command("search")
def search(
    text: Annotated[Optional[str], typer.Argument(help="What to look for; omit for an interactive prompt.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Number of results.")] = 10,
    genre: Annotated[Optional[list[str]], typer.Option("--genre", help="Required genre (repeatable).")] = None,
    exclude_genre: Annotated[
        Optional[list[str]], typer.Option("--exclude-genre", help="Excluded genre (repeatable).")
    ] = None,
    years: Annotated[Optional[str], typer.Option("--years", help="Year or range, e.g. 1990-1999.")] = None,
    encoder: Encoder = None,
    chroma_url: ChromaUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Find movies by description, with genre and year filters."""
    from retrieval.store import MovieIndex

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset, encoder=encoder, chroma_url=chroma_url)
    movie_index = MovieIndex(settings)

    def run_query(query: str) -> None:
        results = movie_index.search(query, k=k, genres=genre, exclude_genres=exclude_genre, years=years)
        if as_json:
            _print_json(results.to_dict(orient="records"))
        else:
            _print_results(query, results)

    if text is not None:
        run_query(text)
        return
    _interactive(run_query, settings.dataset)


def _interactive(run_query: Any, dataset: str) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        console.print(f"Search {dataset}: describe a movie, or press Ctrl-D (or type 'quit') to stop.")
    while True:
        try:
            query = console.input(_bold("search> ")) if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            break
        if not interactive and query == "":
            break
        query = query.strip()
        if query.lower() in ("quit", "exit"):
            break
        if not query:
            continue
        try:
            run_query(query)
        except DriftrecError as error:
            errors.print(Text.assemble(("error:", "red"), " ", terminal_safe(error)))


def _print_results(query: str, results: Any) -> None:
    table = SafeTable(title=f"“{query}”")
    for column, justify in (("movie id", "right"), ("title", "left"), ("year", "right"), ("genres", "left"), ("score", "right")):
        table.add_column(column, justify=justify)
    for row in results.itertuples(index=False):
        year = "" if row.year is None or row.year != row.year else str(int(row.year))
        table.add_row(str(row.movie_id), row.title, year, ", ".join(row.genres), f"{row.score:.3f}")
    console.print(table)


# --- tracking ------------------------------------------------------------------------------------

User = Annotated[str, typer.Option("--user", help="User id (imported MovieLens users keep their number).")]


def _tracker(home: Optional[Path], data_dir: Optional[Path], dataset: Optional[str], chroma_url: Optional[str] = None,
             events_url: Optional[str] = None):
    from tracking.service import Tracker

    return Tracker(_settings(home=home, data_dir=data_dir, dataset=dataset, chroma_url=chroma_url, events_url=events_url))


@app.command("train")
def train(
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Most epochs (early stopping on the held-out last item).")] = 40,
    dim: Annotated[int, typer.Option("--dim", min=4, help="Size of the interest space.")] = 64,
    softmax: Annotated[str, typer.Option("--softmax", help="auto (sampled above 20,000 movies), full or sampled.")] = "auto",
    time_budget: Annotated[Optional[float], typer.Option(
        "--time-budget", min=1, help="Seconds: stop after the first epoch past it (a quick first model).")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    encoder: Encoder = None,
    chroma_url: ChromaUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Train the interest model (full-softmax cross-entropy, next-interaction prediction)."""
    from tracking.model import TrackerConfig
    from tracking.train import train_tracker

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset, encoder=encoder, chroma_url=chroma_url)
    if softmax not in ("auto", "full", "sampled"):
        raise DriftrecError(f"--softmax {softmax!r}: use auto, full or sampled")
    report = train_tracker(settings, TrackerConfig(epochs=epochs, dim=dim, seed=seed, softmax=softmax), progress=not as_json,
                           time_budget_s=time_budget)
    if not report.main_process:
        return  # one of several processes under `accelerate launch`: the main one reports
    if as_json:
        _print_json(vars(report))
        return
    console.print(
        f"Trained on {report.interactions:,} interactions of {report.users:,} users in {report.seconds:.0f} s: "
        f"best epoch {report.best_epoch} of {report.epochs_run}, validation NDCG@10 {report.validation_ndcg10:.4f}. "
        f"Saved {report.path}", soft_wrap=True,
    )
    if report.resumed_after:
        console.print(f"Resumed an interrupted run after epoch {report.resumed_after}.")
    if report.quick:
        console.print(f"A quick model: the {time_budget:.0f} s budget ended training after epoch {report.epochs_run}. "
                      "`driftrec ui` trains the full model in the background and switches to it.", soft_wrap=True)
    if report.processes > 1:
        console.print(f"Data-parallel over {report.processes} processes.")
    parts = ", ".join(f"{part} {share:.0%}" for part, share in report.spent_share.items())
    console.print(
        f"Speed: {report.positions_per_second:,.0f} positions/s ({report.epoch_seconds:.1f} s an epoch, {report.softmax} "
        f"softmax, {report.threads} thread{'s' if report.threads > 1 else ''}); the logits GEMMs alone, timed on "
        f"this machine between the batches at the same shapes, are {report.floor_share:.0%} of that. Time went to: {parts}.", soft_wrap=True,
    )


@app.command("ingest")
def ingest(
    chroma_url: ChromaUrl = None, events_url: EventsUrl = None, home: Home = None, data_dir: DataDir = None, dataset: Dataset = None, as_json: AsJson = False
) -> None:
    """Import the data set's ratings into the event log as history, then rebuild profiles."""
    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    report = tracker.ingest(progress=not as_json)
    payload = {**vars(report), "profiles": len(tracker.log.users())}
    if as_json:
        _print_json(payload)
    else:
        console.print(
            f"Ingested {report.new:,} new events ({report.already_present:,} already present) at "
            f"{report.events_per_second:,.0f} events/s; {payload['profiles']:,} profiles rebuilt."
        )


@app.command("recommend")
def recommend(
    user: User,
    k: Annotated[int, typer.Option("-k", min=1, help="Number of movies.")] = 10,
    chroma_url: ChromaUrl = None,
    events_url: EventsUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Top movies for a user, by posterior probability."""
    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    tracker.require_user(user)
    cards = tracker.recommend(user, k)
    if as_json:
        _print_json(cards)
        return
    table = SafeTable(title=f"For user {user}", caption="long/short/shift/feedback: logits each part adds")
    for column in ("#", "movie", "genres", "P", "long", "short", "shift", "feedback", "because of"):
        table.add_column(column, overflow="fold")
    for rank, card in enumerate(cards, 1):
        parts = card["breakdown"]
        because = next((h["title"] for h in parts["history"]), "")
        table.add_row(
            str(rank), f"{card['title']} ({card['year'] or '?'}) #{card['movie_id']}", ", ".join(card["genres"]),
            f"{card['score']:.3f}", f"{parts['long_term']:+.1f}", f"{parts['short_term']:+.1f}",
            f"{parts['recent_shift']:+.1f}", f"{parts['feedback_total']:+.1f}", because,
        )
    console.print(table)


@app.command("feedback")
def feedback(
    user: User,
    like: Annotated[Optional[list[str]], typer.Option("--like", help="Movie id or title you liked.")] = None,
    dislike: Annotated[Optional[list[str]], typer.Option("--dislike", help="Movie to never show again.")] = None,
    not_interested: Annotated[Optional[list[str]], typer.Option("--not-interested", help="Movie to skip.")] = None,
    more_genre: Annotated[Optional[list[str]], typer.Option("--more-genre", help="Genre to see more of.")] = None,
    less_genre: Annotated[Optional[list[str]], typer.Option("--less-genre", help="Genre to see less of.")] = None,
    never_genre: Annotated[Optional[list[str]], typer.Option("--never-genre", help="Genre to never show (hard rule).")] = None,
    years: Annotated[Optional[str], typer.Option("--years", help="Prefer these years, e.g. 1990-1999.")] = None,
    create: Annotated[bool, typer.Option("--create", help="Start a new user with this feedback.")] = False,
    chroma_url: ChromaUrl = None,
    events_url: EventsUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Tell driftrec what you think; the profile updates at once."""
    from tracking.events import Event

    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    if not create:
        tracker.require_user(user)
    # Validate everything before writing anything: one bad value and nothing is stored.
    movie_events = [
        (kind, tracker.movie_id(movie))
        for kind, movies in (("like", like), ("dislike", dislike), ("not_interested", not_interested))
        for movie in movies or []
    ]
    preferences = [(f"genre:{tracker.check_genre(g)}", +1.0, False) for g in more_genre or []]
    preferences += [(f"genre:{tracker.check_genre(g)}", -1.0, False) for g in less_genre or []]
    preferences += [(f"genre:{tracker.check_genre(g)}", -1.0, True) for g in never_genre or []]
    if years:
        preferences.append((f"years:{tracker.check_years(years)}", +1.0, False))
    if not movie_events and not preferences:
        raise DriftrecError("no feedback given; use --like, --dislike, --not-interested, --more-genre, --less-genre, --never-genre or --years")
    events = [Event.new(user, kind, movie_id=movie_id, source="cli") for kind, movie_id in movie_events]
    events += [Event.new(user, "preference", attribute=a, value=v, hard=h, source="cli") for a, v, h in preferences]
    stored = tracker.record(events)
    understood = [f"{kind.replace('_', ' ')} {tracker.title(m)}" for kind, m in movie_events]
    understood += [("never " if h else ("more " if v > 0 else "less ")) + a.split(":", 1)[1] for a, v, h in preferences]
    pending = tracker.log.outbox_size()
    if as_json:
        _print_json({"user": user, "stored": stored, "understood": understood, "chroma_pending": pending})
    else:
        console.print(f"Noted for user {user}: {'; '.join(understood)} ({stored} new events).")
        if pending:
            console.print(f"Chroma is unreachable now: {pending} profile write(s) wait in the event log's outbox and are "
                          "applied by the next command that reaches Chroma (or `driftrec doctor --repair`).", soft_wrap=True)


@app.command("profile")
def profile(
    user: User,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write the interest timeline as a PNG here.")] = None,
    chroma_url: ChromaUrl = None,
    events_url: EventsUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """What driftrec tracks about a user: long- and short-term genres, feedback, versions."""
    from tracking.timeline import plot_timeline

    if plot is not None and (plot.is_dir() or not plot.parent.is_dir()):
        raise DriftrecError(f"--plot {plot}: give a file name in an existing folder, e.g. {plot / 'timeline.png' if plot.is_dir() else 'timeline.png'}")
    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    tracker.require_user(user)
    facts = tracker.describe(user)
    if plot is not None:
        frame = tracker.timeline(user)
        if frame.empty:
            raise DriftrecError(f"user {user} has no events yet: nothing to plot")
        facts["plot"] = str(plot_timeline(frame, plot, f"User {user}: interests over time"))
    if as_json:
        _print_json(facts)
        return
    console.print(Text.assemble(_bold(f"User {user}"), f": {facts['interactions']} interactions"))
    console.print(f"Long-term genres: {facts['top_genres_long']}")
    console.print(f"Recent genres: {facts['top_genres_short']}")
    console.print(f"Latest movies: {', '.join(facts['recent'])}")
    console.print(f"Feedback: {facts['feedback']}")
    for version in facts["versions"]:
        console.print(f"  version {version['version']} ({version['summary_source'] or 'template'}, "
                      f"{version['interactions']} events): {version['summary']}")
    if plot is not None:
        console.print(f"Timeline plot: {facts['plot']}")


@app.command("explain")
def explain(
    user: User,
    movie: Annotated[str, typer.Option("--movie", help="Movie id or title.")],
    chroma_url: ChromaUrl = None,
    events_url: EventsUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """The score breakdown of one movie for a user."""
    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    tracker.require_user(user)
    card = tracker.explain(user, movie)
    if as_json:
        _print_json(card)
        return
    parts = card["breakdown"]
    console.print(Text.assemble(_bold(card["title"]), terminal_safe(f" ({card['year']}) for user {user}: rank {card['rank']}, {card['status']}")))
    console.print(
        f"P(i|u) {parts['prior_probability']:.5f} → P(i|u,feedback) {parts['posterior_probability']:.5f} "
        f"(± {parts['uncertainty']:.2f} logits)"
    )
    console.print(f"  long-term {parts['long_term']:+.3f}, short-term {parts['short_term']:+.3f}, popularity {parts['popularity']:+.3f}")
    for facet, value in parts["feedback"].items():
        console.print(f"  feedback {facet}: {value:+.3f}")
    for item in parts["history"]:
        console.print(f"  because you watched {item['title']}: {item['contribution']:+.3f}")


@app.command("doctor")
def doctor(
    repair_: Annotated[bool, typer.Option("--repair", help="Fix what can be fixed from the event log.")] = False,
    chroma_url: ChromaUrl = None, events_url: EventsUrl = None, home: Home = None, data_dir: DataDir = None, dataset: Dataset = None, as_json: AsJson = False,
) -> None:
    """Check the event log, the profile versions, Chroma and the movie index against each other."""
    from tracking.doctor import examine, repair

    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    try:
        report = examine(tracker)
        if repair_ and not report.healthy:
            report = repair(tracker, report)
    finally:
        tracker.close()
    if as_json:
        _print_json({"healthy": report.healthy, "checked": report.checked, "repaired": report.repaired,
                     "findings": [{k: v for k, v in vars(f).items() if k != "items"} for f in report.findings]})
    else:
        console.print("Checked: " + ", ".join(f"{count:,} {what}" for what, count in report.checked.items()))
        for line in report.repaired:
            console.print(f"Repaired: {line}")
        for finding in report.findings:
            how = "--repair will" if finding.repairable and not repair_ else "to fix:"
            console.print(f"Problem ({finding.check}): {finding.problem}: {finding.count:,}; {how} {finding.fix}", soft_wrap=True)
        console.print("All consistent." if report.healthy else "")
    if not report.healthy:
        raise typer.Exit(1)


@app.command("forget")
def forget(
    user: User, chroma_url: ChromaUrl = None, events_url: EventsUrl = None, home: Home = None, data_dir: DataDir = None, dataset: Dataset = None, as_json: AsJson = False
) -> None:
    """Delete a user's events, profile versions and Chroma profile."""
    tracker = _tracker(home, data_dir, dataset, chroma_url, events_url)
    removed, chroma_done = tracker.forget(user)
    if as_json:
        _print_json({"user": user, "events_deleted": removed, "chroma_done": chroma_done})
        return
    console.print(f"Forgot user {user}: {removed} events and their profile versions deleted; running "
                  "apps end that user's sessions on their next step.", soft_wrap=True)
    if chroma_done:
        console.print("Their Chroma profile is deleted too.")
    else:
        console.print("Chroma is unreachable now: the deletion of their Chroma profile is queued and finishes on "
                      "the next command that reaches Chroma (or run `driftrec doctor --repair`).", soft_wrap=True)


# --- the app and user studies -------------------------------------------------------------------


@app.command("ui")
def ui(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 7860,
    share: Annotated[bool, typer.Option("--share", help="Also create a public Gradio share link (needs internet).")] = False,
    auth: Annotated[Optional[str], typer.Option(
        "--auth", help="USER:PASS, or a file with one USER:PASS or study invite CODE a line: each participant "
                       "signs in and sees only their own profile.")] = None,
    study_log: Annotated[
        Optional[Path], typer.Option("--study-log", help="Folder for one JSONL log per session (user studies).")
    ] = None,
    llm: Llm = None,
    llm_url: LlmUrl = None,
    refine: Annotated[bool, typer.Option(
        "--refine/--no-refine", help="After a quick first model, train the full one in the background and switch.")] = True,
    new_profiles_per_hour: Annotated[Optional[int], typer.Option(
        "--new-profiles-per-hour", min=1, help="New profiles one client address may start in an hour (behind the "
                                               "proxy, the browser's address; raise it for a lab behind one NAT) [20].")] = None,
    chroma_url: ChromaUrl = None,
    events_url: EventsUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
) -> None:
    """Open the app: chat, recommendation cards with buttons, and a researcher panel."""
    credentials = _credentials(auth)
    if not 1 <= port <= 65535:
        raise DriftrecError(f"--port {port}: use a TCP port from 1 to 65535 (e.g. 7860)")
    from agent.llm import choose_auto, describe_model, is_auto, load_chat_model
    from ui.app import ServeOptions, build_app, launch
    from ui.sessions import AppConfig, AppServices

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset, chroma_url=chroma_url, events_url=events_url, llm=llm, llm_url=llm_url)
    chat_model = load_chat_model(settings)
    limits = {"new_profiles_per_hour": new_profiles_per_hour} if new_profiles_per_hour else {}
    services = AppServices.create(settings, chat_model, AppConfig(**limits), study_log=study_log)
    services.accounts = credentials is not None
    refining = None
    try:
        demo = build_app(services)
        say = lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
        limit = services.config.chat_concurrency
        say(f"Chat model: {describe_model(chat_model)}; {limit} chat turn{'s' if limit > 1 else ''} at a time, "
            f"{services.config.model_concurrency} model call at a time")
        if is_auto(settings.llm):
            say(f"Chosen by speed: {choose_auto(settings).why}")
        refining = _refine_in_background(settings, say) if refine else None
        launch(demo, ServeOptions(host=host, port=port, share=share, auth=credentials), say=say)
        if study_log is not None:
            say(f"Study log: one file per session in {services.study.folder}")
        say("Press Ctrl-C to stop.")
        demo.block_thread()
    finally:
        if refining is not None and refining.poll() is None:
            refining.terminate()  # its checkpoint lets the next `driftrec ui` resume it
        services.close()


@app.command("cluster")
def cluster(
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="App workers behind the proxy.")] = 2,
    host: Annotated[str, typer.Option("--host", help="The proxy's interface (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The proxy's TCP port (what users open).")] = 7860,
    llm: Annotated[str, typer.Option(
        "--llm", help="'none', or a bundled model (qwen2.5-0.5b, smollm2-135m) / GGUF path served once for all workers.")] = "none",
    folder: Annotated[Optional[Path], typer.Option(
        "--folder", help="Where PostgreSQL and Chroma keep their data (default: HOME/cluster; as root, a folder "
                         "the postgres user can reach, e.g. /var/tmp/driftrec-cluster).")] = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
) -> None:
    """Run several app workers on shared PostgreSQL, Chroma and LLM servers, behind one address (a local demo)."""
    from ui.cluster import ClusterConfig, run_cluster

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset)
    say = lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    run_cluster(settings, ClusterConfig(workers=workers, host=host, port=port, llm=llm, folder=folder), say=say)


@app.command("llm-server")
def llm_server(
    model: Annotated[str, typer.Option("--model", help="Bundled model (qwen2.5-0.5b, smollm2-135m) or a GGUF path.")] = "qwen2.5-0.5b",
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8080,
    parallel: Annotated[int, typer.Option("--parallel", min=1, max=64, help="Requests generated at once.")] = 2,
    home: Home = None,
) -> None:
    """Serve a CPU chat model over an OpenAI-compatible API (llama.cpp) for several workers to share."""
    from agent.llm_server import LlmServer

    server = LlmServer(model, _settings(home=home), host=host, port=port, parallel=parallel)
    console.print(f"LLM server: {server.url} (model {model}); workers use --llm openai:{model} --llm-url {server.url}",
                  markup=False, highlight=False, soft_wrap=True)
    console.print("Press Ctrl-C to stop.")
    server.serve_forever()


def _refine_in_background(settings: Any, say: Callable[[str], None]) -> Any:
    """When the model is a quick first one, train the full model in a background process (lower
    priority, so chat turns stay fast); the app switches to it when its tables are written."""
    import os
    import subprocess

    from tracking.train import model_info

    info = model_info(settings) or {}
    if not info.get("quick"):
        return None
    log_path = settings.cache_dir / settings.dataset / "train-full.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "ui.cli", "train", "--home", str(settings.home), "--data-dir", str(settings.data_dir),
               "--dataset", settings.dataset, "--encoder", settings.encoder,
               *(["--chroma-url", settings.chroma_url] if settings.chroma_url else [])]
    handle = log_path.open("ab")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               preexec_fn=lambda: os.nice(10))
    say(f"A quick first model serves now ({info['epochs_run']} epochs, validation NDCG@10 "
        f"{info['validation_ndcg10']:.4f}); the full model trains in the background (log: {log_path}) "
        "and the app switches to it when it is ready.")
    return process


def _credentials(auth: Optional[str]) -> list[tuple[str, str]] | None:
    """``--auth``: one USER:PASS, or a file of them (a line with a single CODE is a study invite:
    the participant signs in with the code as both user name and password)."""
    if auth is None:
        return None
    path = Path(auth)
    if ":" not in auth or path.is_file():
        if not path.is_file():
            raise DriftrecError(f"--auth {auth!r}: give USER:PASS or a file of USER:PASS / invite-code lines")
        return _credentials_file(path)
    return [_pair(auth, "--auth")]


def _pair(text: str, where: str) -> tuple[str, str]:
    user, separator, password = text.partition(":")
    if not separator:
        user = password = text  # an invite code
    if not user or not password or not user.isprintable() or len(user) > 100:
        raise DriftrecError(f"{where}: expected USER:PASS (both non-empty) or an invite code, e.g. study:s3cret")
    return user, password


def _credentials_file(path: Path) -> list[tuple[str, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise DriftrecError(f"--auth {path}: cannot read it as UTF-8 text ({error})") from None
    pairs = [_pair(line.strip(), f"{path} line {number}") for number, line in enumerate(lines, 1)
             if line.strip() and not line.lstrip().startswith("#")]
    users = [user for user, _ in pairs]
    if not pairs:
        raise DriftrecError(f"--auth {path}: no USER:PASS or invite-code lines")
    if len(set(users)) != len(users):
        raise DriftrecError(f"--auth {path}: a user name appears twice")
    return pairs


@study_app.command("export")
def study_export(
    folder: Annotated[Path, typer.Argument(help="The folder given to `driftrec ui --study-log`.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for the CSVs [FOLDER/export].")] = None,
    as_json: AsJson = False,
) -> None:
    """Bundle a study log into one CSV per event kind (session, message, recommendations, button)."""
    from ui.study import export_study

    report = export_study(folder, out if out is not None else folder / "export")
    if as_json:
        _print_json({"sessions": report.sessions, "incomplete_lines": report.incomplete_lines,
                     "files": {kind: str(path) for kind, path in report.files.items()}, "rows": report.rows})
        return
    for kind, path in report.files.items():
        console.print(f"{kind}: {report.rows[kind]:,} rows → {path}", markup=False, highlight=False)
    console.print(f"{report.sessions} session files read.", markup=False, highlight=False)
    if report.incomplete_lines:
        errors.print(f"{report.incomplete_lines} cut-off last line(s) skipped (a session stopped while writing).",
                     markup=False, highlight=False)


# --- evaluation ----------------------------------------------------------------------------------


@app.command("eval")
def evaluate(
    models: Annotated[Optional[str], typer.Option(
        "--models", help="Comma-separated, e.g. mostpop,itemknn,driftrec (driftrec-ids: the same tracker "
        "without item text).")] = None,
    seeds: Annotated[int, typer.Option("--seeds", min=1, help="Seeds for stochastic models.")] = 3,
    quick: Annotated[bool, typer.Option("--quick", help="A fixed sample of 200 users.")] = False,
    protocol: Annotated[str, typer.Option(
        "--protocol", help="default (../shared/PROTOCOL.md) or llamarec (the LlamaRec paper's 5-core "
                           "preprocessing, ordered by time then movie id).")] = "default",
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for results.json, results.md and plots.")] = None,
    conversation: Annotated[bool, typer.Option(
        "--conversation", help="The conversation benchmark instead: Recall@10 after 0-3 feedback turns "
        "(default --out docs/results/conversation; each run is added to its results.json).")] = False,
    users: Annotated[int, typer.Option("--users", min=1, help="Conversation: users sampled.")] = 200,
    llm_parser: Annotated[Optional[str], typer.Option(
        "--llm-parser", help="Conversation: also read feedback with this chat model, merged with the parser "
        "(e.g. llamacpp:qwen2.5-0.5b).")] = None,
    user_policy: Annotated[str, typer.Option(
        "--user-policy", help="Conversation: the simulated user's policy, informative or random.")] = "informative",
    llm_user: Annotated[Optional[str], typer.Option(
        "--llm-user", help="Conversation: a chat model phrases the simulated user's feedback (reported apart).")] = None,
    user_phrasing: Annotated[str, typer.Option(
        "--user-phrasing", help="Conversation: templates, or set (sentences of the understanding set's test split, "
        "with the genre, decade or position swapped in).")] = "templates",
    encoder: Encoder = None,
    chroma_url: ChromaUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Compare models under ../shared/PROTOCOL.md (split, metrics, drift subset, injected shift)."""
    from evaluation.item_text import needs_item_text, use_eval_text
    from evaluation.models import DEFAULT_MODELS, ModelUnavailableError, get_model_class
    from evaluation.runner import run_evaluation

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset, encoder=encoder, chroma_url=chroma_url)
    if conversation:
        _eval_conversation(settings, users, llm_parser, user_policy, llm_user, out, as_json, user_phrasing)
        return
    if models:
        names = [m.strip() for m in models.split(",") if m.strip()]
    else:
        names = []
        for name in DEFAULT_MODELS:
            try:
                get_model_class(name)
                names.append(name)
            except ModelUnavailableError as missing:
                errors.print(f"skipping {name}: {missing}")
    try:
        # Text without the tags users wrote at or after their held-out interactions (see evaluation.item_text).
        from evaluation.protocol import SPLITS

        if protocol not in SPLITS:
            raise DriftrecError(f"--protocol {protocol}: choose one of {', '.join(SPLITS)}")
        item_text = use_eval_text(settings, progress=not as_json, protocol=protocol) if needs_item_text(names) else None
        # ILD over multi-hot genres, as in the committed benchmark tables, so figures compare.
        results = run_evaluation(
            settings.dataset, settings.data_dir, names, seeds, quick, out, progress=not as_json,
            log=None if as_json else console.print, item_text=item_text, protocol=protocol,
        )
    except (KeyError, ModelUnavailableError) as error:
        raise DriftrecError(str(error).strip("'\"")) from None
    if as_json:
        _print_json(results)
        return
    from evaluation.report import markdown_table

    sys.stdout.write(markdown_table(results) + "\n")


def _eval_conversation(settings: Settings, users: int, llm_parser: str | None, policy: str, llm_user: str | None,
                       out: Path | None, as_json: bool, phrasing: str = "templates") -> None:
    """``driftrec eval --conversation``: one run (data set, reader, policy) added to the report in ``out``."""
    from evaluation.conversation import markdown_report, run_conversation, write_conversation_report
    from evaluation.item_text import use_eval_text

    if policy not in ("informative", "random"):
        raise DriftrecError(f"--user-policy {policy!r}: use informative or random")
    if phrasing not in ("templates", "set"):
        raise DriftrecError(f"--user-phrasing {phrasing!r}: use templates or set")
    if phrasing == "set" and llm_user:
        raise DriftrecError("--user-phrasing set and --llm-user both choose the user's words: give one of them")
    from agent.llm import load_chat_model

    models = {}
    for option, spec in (("--llm-parser", llm_parser), ("--llm-user", llm_user)):
        if spec:
            models[option] = load_chat_model(settings.model_copy(update={"llm": spec}))
            if models[option] is None:
                raise DriftrecError(f"{option} none: leave the option out instead")
    # the tracker's item vectors start from the item text, without the tags users wrote at or after
    # their held-out interactions (as in `driftrec eval`, see evaluation.item_text)
    use_eval_text(settings, progress=not as_json)
    result = run_conversation(settings, n_users=users, policy=policy, chat_model=models.get("--llm-parser"),  # type: ignore[arg-type]
                              llm_label=llm_parser, user_model=models.get("--llm-user"), user_label=llm_user,
                              set_phrasings=phrasing == "set", progress=not as_json)
    payload = write_conversation_report(result, out or Path("docs/results/conversation"))
    if as_json:
        _print_json(result)
        return
    sys.stdout.write(markdown_report(payload["runs"]))


# --- the agent ------------------------------------------------------------------------------------

Llm = Annotated[
    Optional[str],
    typer.Option("--llm", help="Chat model BACKEND:MODEL, auto or none [env DRIFTREC_LLM; auto]."),
]
LlmUrl = Annotated[Optional[str], typer.Option("--llm-url", help="OpenAI-compatible server URL [env DRIFTREC_LLM_URL].")]


@app.command("chat")
def chat(
    user: User,
    llm: Llm = None,
    llm_url: LlmUrl = None,
    k: Annotated[int, typer.Option("-k", min=1, help="Movies per list.")] = 5,
    chroma_url: ChromaUrl = None,
    events_url: EventsUrl = None,
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Talk with the recommender; a new user id starts a new profile.

    Reads messages line by line from standard input when it is not a terminal (scripts, pipes);
    "/quit" or end of input ends the chat. With --json, prints one JSON object per turn.
    """
    from agent.llm import load_chat_model
    from agent.session import ChatSession, ListShown, Turn
    from tracking.service import Tracker

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset, chroma_url=chroma_url, events_url=events_url, llm=llm, llm_url=llm_url)
    tracker = Tracker(settings)
    chat_model = load_chat_model(settings)
    tracker.summary_model = chat_model
    session = ChatSession(tracker, user, chat_model)
    interactive = sys.stdin.isatty()
    if interactive and not as_json:
        console.print(f"driftrec chat as user {user!r} on {settings.dataset}" + (" (new user)" if session.is_new else "")
                      + ". Type /quit to leave.")
    while True:
        line = _read_message(interactive and not as_json)
        if line is None or line.strip() == "/quit":
            break
        for part in session.stream(line):
            if as_json:
                if isinstance(part, Turn):  # one line per turn (JSON Lines), for scripts
                    sys.stdout.write(json.dumps(_turn_json(part), ensure_ascii=False, default=str) + "\n")
                    sys.stdout.flush()
                continue
            if isinstance(part, str):
                sys.stdout.write(part)
            elif isinstance(part, ListShown):  # the list as soon as the code has it, before the model's words
                sys.stdout.write("\n" + "".join(
                    f"  {n}. {c['title']} ({c['year'] or '?'}) [{', '.join(c['genres'])}] — {c['reason']}\n"
                    for n, c in enumerate(part.cards[:k], 1)
                ))
            else:
                sys.stdout.write("\n")
            sys.stdout.flush()
    tracker.close()


def _read_message(prompt: bool) -> str | None:
    """The next message, or None at the end of input."""
    if prompt:
        try:
            return console.input(_bold("you> "))
        except EOFError:
            return None
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _turn_json(turn: Any) -> dict[str, Any]:
    return {
        "message": turn.message, "reply": turn.reply, "understood": turn.understood, "strategy": turn.strategy,
        "question": turn.question, "timings": turn.timings, "steps": turn.steps,
        "recommendations": [{k: c[k] for k in ("movie_id", "title", "year", "genres", "score", "reason", "breakdown")}
                            for c in turn.recommendations],
    }


def main() -> None:
    """Console-script entry point: user errors become one line on stderr and exit code 2."""
    from pydantic import ValidationError
    from typer._click.exceptions import ClickException  # typer 0.29 vendors click: its base of usage errors

    try:
        code = app(standalone_mode=False)
    except ClickException as error:  # a flag out of range, a missing argument: one line, as ours
        if not error.format_message():  # no arguments at all: the help was shown
            sys.exit(0)
        errors.print(Text.assemble(("error:", "red"), " ", terminal_safe(error.format_message()),
                                   " (see --help)"), soft_wrap=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        errors.print("Aborted.")
        sys.exit(1)
    except ValidationError as error:  # a setting out of range (pydantic's message names the field)
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']} (got {e.get('input')!r})"
                             for e in error.errors())
        errors.print(Text.assemble(("error:", "red"), " ", terminal_safe(problems)), soft_wrap=True)
        sys.exit(2)
    except DriftrecError as error:
        errors.print(Text.assemble(("error:", "red"), " ", terminal_safe(error)), soft_wrap=True)
        sys.exit(2)
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()

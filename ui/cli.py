"""The ``driftrec`` command line.

Every command takes ``--home``, ``--data-dir``, ``--dataset`` and ``--json``; values not given on
the command line come from ``DRIFTREC_*`` environment variables, then defaults (see
:mod:`retrieval.settings`). Errors the user can fix print one line and exit with code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

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

console = Console()
errors = Console(stderr=True)

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
    home: Home = None,
    data_dir: DataDir = None,
    dataset: Dataset = None,
    as_json: AsJson = False,
) -> None:
    """Install a release from a local zip or folder (for machines without internet)."""
    from retrieval.fetch import import_dataset

    settings = _settings(home=home, data_dir=data_dir, dataset=dataset)
    target = import_dataset(path, settings.dataset, settings.data_dir, force=force)
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
    table = Table(title=settings.dataset, caption=str(settings.dataset_dir), show_header=False)
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
    k: Annotated[int, typer.Option("-k", help="Number of results.")] = 10,
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
            query = console.input("[bold]search> [/bold]") if interactive else sys.stdin.readline()
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
            errors.print(f"[red]error:[/red] {error}")


def _print_results(query: str, results: Any) -> None:
    table = Table(title=f"“{query}”")
    for column, justify in (("movie id", "right"), ("title", "left"), ("year", "right"), ("genres", "left"), ("score", "right")):
        table.add_column(column, justify=justify)
    for row in results.itertuples(index=False):
        year = "" if row.year is None or row.year != row.year else str(int(row.year))
        table.add_row(str(row.movie_id), row.title, year, ", ".join(row.genres), f"{row.score:.3f}")
    console.print(table)


def main() -> None:
    """Console-script entry point: user errors become one line on stderr and exit code 2."""
    try:
        app()
    except DriftrecError as error:
        errors.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()

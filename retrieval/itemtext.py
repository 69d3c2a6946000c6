"""The text the encoder reads for each movie: title, year, genres, top user tags and keywords."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from retrieval.errors import DataFormatError
from retrieval.movielens import Catalog

KEYWORD_SEPARATOR = "|"
MAX_KEYWORDS = 8


def load_keywords(path: Path) -> pd.Series:
    """Read a CSV with ``movieId`` and ``keyword`` columns into a Series of keyword lists by movie id.

    A ``keyword`` cell may hold several keywords joined by ``|`` (as in the tag-genome export, most
    relevant last); rows for the same movie accumulate. Other columns are ignored.
    """
    if not path.is_file():
        raise DataFormatError(f"keywords file {path} not found; expected a CSV with movieId,keyword columns")
    try:
        table = pd.read_csv(path, dtype={"keyword": str}, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataFormatError(f"{path.name}: cannot read as CSV ({error})") from None
    missing = {"movieId", "keyword"} - set(table.columns)
    if missing:
        raise DataFormatError(
            f"{path.name}: missing column(s) {', '.join(sorted(missing))}; expected a CSV with movieId,keyword"
        )
    ids = pd.to_numeric(table["movieId"], errors="coerce")
    if ids.isna().any():
        line = int(ids.isna().to_numpy().nonzero()[0][0]) + 2
        raise DataFormatError(f"{path.name} line {line}: movieId must be a whole number")
    # The genome export lists keywords by ascending relevance: reverse so the strongest come first.
    words = table["keyword"].str.split(KEYWORD_SEPARATOR).map(
        lambda parts: [p.strip() for p in reversed(parts) if p.strip()]
    )
    grouped = pd.Series(words.to_numpy(), index=ids.astype("int64").to_numpy())
    return grouped.groupby(level=0).agg(lambda lists: [w for lst in lists for w in lst][:MAX_KEYWORDS])


def item_texts(catalog: Catalog, keywords: pd.Series | None = None) -> list[str]:
    """One descriptive sentence per movie, in catalog order.

    Example: ``"Toy Story (1995). Genres: Adventure, Animation. Tags: pixar, fun."``
    """
    movies = catalog.movies
    extra = (
        movies["movie_id"].map(keywords).tolist() if keywords is not None else [None] * len(movies)
    )
    return [
        movie_text(title, year, genres, tags, words)
        for title, year, genres, tags, words in zip(
            movies["title"], movies["year"], movies["genres"], movies["tags"], extra
        )
    ]


def movie_text(title: str, year: object, genres: list[str], tags: list[str], keywords: object = None) -> str:
    """One movie's sentence: what the index embeds, and what a description of a card on screen is compared with."""
    parts = [f"{title} ({year})." if pd.notna(year) else f"{title}."]
    shown_genres = [g for g in genres if g not in ("(no genres listed)", "unknown")]
    if shown_genres:
        parts.append(f"Genres: {', '.join(shown_genres)}.")
    if tags:
        parts.append(f"Tags: {', '.join(tags)}.")
    if isinstance(keywords, list) and keywords:
        parts.append(f"Keywords: {', '.join(keywords)}.")
    return " ".join(parts)

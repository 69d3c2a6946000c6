"""Load any GroupLens MovieLens release into one catalog and one interaction table.

Whatever the source layout (CSV, ``::``-separated ``.dat`` or ml-100k's tab and ``|`` files), the
result is the same: a :class:`Catalog` (movie id, title, year, genres, tags) and an interaction
table with columns ``user_id, movie_id, rating, timestamp``. Malformed files raise
:class:`~retrieval.errors.DataFormatError` naming the file and line, never a pandas traceback.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from retrieval.datasets import DatasetSpec, get_spec
from retrieval.errors import DataFormatError

INTERACTION_COLUMNS = ("user_id", "movie_id", "rating", "timestamp")
TOP_TAGS_PER_MOVIE = 5
_YEAR_IN_TITLE = re.compile(r"\s*\((\d{4})[^)]*\)\s*$")
# MovieLens files "The Matrix" as "Matrix, The" (also in other languages): move the article back.
_TRAILING_ARTICLE = re.compile(
    r"^(?P<name>.+?), (?P<article>The|A|An|Les|La|Le|L'|Il|El|Los|Las|Das|Der|Die|Den|Det)"
    r"(?P<rest>\s*\(.*\))?$"
)


@dataclass(frozen=True)
class _TableFormat:
    """How to read one delimited file: separator, encoding, header, and which fields are integers."""

    columns: tuple[str, ...]
    sep: str
    encoding: str = "utf-8"
    header: bool = True
    integer_columns: tuple[str, ...] = ()
    numeric_columns: tuple[str, ...] = ()


@dataclass
class Catalog:
    """The movies of one release.

    Attributes:
        movies: One row per movie, indexed by position, with columns ``movie_id`` (int),
            ``title`` (without the year), ``year`` (nullable int), ``genres`` (list of str) and
            ``tags`` (list of str, most frequent first; empty where the release has no tags).
        genre_vocabulary: Every genre label of the release, in the release's own order.
    """

    movies: pd.DataFrame
    genre_vocabulary: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.movies)

    @cached_property
    def movie_ids(self) -> np.ndarray:
        """Movie ids in catalog order (int64)."""
        return self.movies["movie_id"].to_numpy(dtype=np.int64)

    @cached_property
    def position(self) -> pd.Series:
        """Map from movie id to row position in the catalog."""
        return pd.Series(np.arange(len(self.movies)), index=self.movie_ids)

    def genre_matrix(self) -> np.ndarray:
        """Multi-hot genre matrix, shape (movies, genres), in ``genre_vocabulary`` order."""
        column = {genre: j for j, genre in enumerate(self.genre_vocabulary)}
        rows = np.repeat(np.arange(len(self.movies)), self.movies["genres"].map(len).to_numpy())
        cols = np.fromiter(
            (column[g] for genres in self.movies["genres"] for g in genres), dtype=np.int64
        )
        matrix = np.zeros((len(self.movies), len(self.genre_vocabulary)), dtype=np.float32)
        matrix[rows, cols] = 1.0
        return matrix

    def with_tags(self, tags: pd.Series) -> "Catalog":
        """The same movies with their ``tags`` column replaced (e.g. by tags computed on fewer rows).

        Args:
            tags: Lists of tags indexed by movie id, as :func:`top_tags` returns; movies it lacks get none.
        """
        movies = self.movies.assign(tags=_tag_lists(self.movie_ids, tags).to_numpy(dtype=object))
        return Catalog(movies, list(self.genre_vocabulary))

    def subset(self, movie_ids: np.ndarray) -> "Catalog":
        """The catalog restricted to ``movie_ids`` (kept in catalog order)."""
        keep = np.isin(self.movie_ids, movie_ids)
        return Catalog(self.movies[keep].reset_index(drop=True), list(self.genre_vocabulary))


@dataclass
class MovieLensData:
    """A loaded release: its spec, catalog and interactions (``user_id, movie_id, rating, timestamp``)."""

    spec: DatasetSpec
    catalog: Catalog
    interactions: pd.DataFrame

    def summary(self) -> dict[str, object]:
        """Counts and date range, as ``driftrec data info`` prints them."""
        stamps = self.interactions["timestamp"]
        return {
            "dataset": self.spec.name,
            "users": int(self.interactions["user_id"].nunique()),
            "movies": len(self.catalog),
            "rated_movies": int(self.interactions["movie_id"].nunique()),
            "ratings": len(self.interactions),
            "first_rating": _iso_date(stamps.min()) if len(stamps) else None,
            "last_rating": _iso_date(stamps.max()) if len(stamps) else None,
        }


def _iso_date(timestamp: int) -> str:
    return pd.Timestamp(int(timestamp), unit="s").strftime("%Y-%m-%d")


def load_dataset(name: str, data_dir: Path, *, with_tags: bool = True) -> MovieLensData:
    """Load the release ``name`` from ``data_dir / name``.

    Args:
        name: GroupLens release name, e.g. ``ml-latest-small``.
        data_dir: Folder that holds releases under their GroupLens names.
        with_tags: Read user tags where the release has them.

    Raises:
        UnknownDatasetError: ``name`` is not a known release.
        DataFormatError: a file is missing or malformed.
    """
    spec = get_spec(name)
    folder = Path(data_dir) / name
    check_files(spec, folder)
    loader = {"csv": _load_csv_release, "dat": _load_dat_release, "100k": _load_100k_release}
    catalog, interactions = loader[spec.layout](folder, with_tags)
    movies_file, ratings_file = {"csv": ("movies.csv", "ratings.csv"), "dat": ("movies.dat", "ratings.dat"),
                                 "100k": ("u.item", "u.data")}[spec.layout]
    _check_ranges(interactions, folder / ratings_file, header=spec.layout == "csv")
    if (catalog.movie_ids < 0).any():
        raise DataFormatError(f"{movies_file}: negative movie id {int(catalog.movie_ids.min())}; fix or remove that line")
    _check_known_movies(interactions, catalog, folder / spec.required_files[-1])
    return MovieLensData(spec, catalog, interactions)


def check_files(spec: DatasetSpec, folder: Path) -> None:
    """Raise a :class:`DataFormatError` naming every required file that is missing."""
    if not folder.is_dir():
        raise DataFormatError(
            f"{folder} does not exist; expected a {spec.name} folder with "
            f"{', '.join(spec.required_files)}. Get it with `driftrec data fetch {spec.name}` "
            f"or `driftrec data import PATH --dataset {spec.name}`."
        )
    missing = [name for name in spec.required_files if not (folder / name).is_file()]
    if missing:
        raise DataFormatError(
            f"{folder} is missing {', '.join(missing)}; a {spec.name} folder holds "
            f"{', '.join(spec.required_files)}."
        )


# --- the order of a user's interactions ---------------------------------------------------------


def tie_break_key(user_ids: np.ndarray, movie_ids: np.ndarray) -> np.ndarray:
    """The evaluation protocol's tie-break key for each (user, movie) pair.

    The key is the first 8 bytes, big-endian, of ``sha256(f"{user}:{movie}")``; it orders a user's
    ratings that share a timestamp the same way everywhere (evaluation split, event log, rebuilds).
    The strings are built and the digests decoded column-wise; only the hash itself runs per pair.

    Args:
        user_ids: User ids, shape (n,); numbers or strings (``42`` and ``"42"`` give the same key).
        movie_ids: Movie ids, shape (n,).

    Returns:
        uint64 keys, shape (n,).
    """
    if len(user_ids) != len(movie_ids):
        raise ValueError(f"{len(user_ids)} user ids but {len(movie_ids)} movie ids")
    if len(user_ids) == 0:
        return np.zeros(0, dtype=np.uint64)
    pairs = pd.Series(np.asarray(user_ids)).astype(str) + ":" + pd.Series(np.asarray(movie_ids)).astype(str)
    digests = b"".join(hashlib.sha256(text.encode()).digest()[:8] for text in pairs.tolist())
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


def protocol_order(interactions: pd.DataFrame) -> np.ndarray:
    """Row positions of ``interactions`` sorted by user, timestamp, then :func:`tie_break_key`.

    The key only decides between one user's ratings in the same second, so it is computed for those
    rows only; every other row gets 0, which yields the same order at a fraction of the hashing.
    """
    users = interactions["user_id"].to_numpy()
    stamps = interactions["timestamp"].to_numpy()
    tied = interactions.duplicated(["user_id", "timestamp"], keep=False).to_numpy()
    key = np.zeros(len(interactions), dtype=np.uint64)
    key[tied] = tie_break_key(users[tied], interactions["movie_id"].to_numpy()[tied])
    return np.lexsort((key, stamps, users))


def user_offsets(users: np.ndarray) -> np.ndarray:
    """CSR offsets of rows grouped by user: row r spans ``offsets[r]:offsets[r+1]``."""
    users = np.asarray(users)
    boundaries = np.flatnonzero(users[1:] != users[:-1]) + 1
    return np.concatenate([[0], boundaries, [len(users)]]).astype(np.int64)


# --- the three layouts -------------------------------------------------------------------------

_CSV_MOVIES = _TableFormat(("movieId", "title", "genres"), ",", integer_columns=("movieId",))
_CSV_RATINGS = _TableFormat(
    ("userId", "movieId", "rating", "timestamp"),
    ",",
    integer_columns=("userId", "movieId", "timestamp"),
    numeric_columns=("rating",),
)
_CSV_TAGS = _TableFormat(
    ("userId", "movieId", "tag", "timestamp"), ",", integer_columns=("userId", "movieId", "timestamp")
)
TAGS_FILE = "tags.csv"
"""The CSV releases' user tags (ml-100k and ml-1m ship none)."""


def read_tags(folder: Path) -> pd.DataFrame:
    """The raw tag table of the release in ``folder``: one row per tag a user applied.

    Returns:
        Columns ``userId, movieId, tag, timestamp`` as GroupLens ships them (ids and timestamp
        int64, the tag text as written); :func:`top_tags` cleans and counts them.

    Raises:
        DataFormatError: ``tags.csv`` is missing or a line is malformed (the line is named).
    """
    return read_table(Path(folder) / TAGS_FILE, _CSV_TAGS)


def _load_csv_release(folder: Path, with_tags: bool) -> tuple[Catalog, pd.DataFrame]:
    movies = read_table(folder / "movies.csv", _CSV_MOVIES)
    _check_unique_ids(movies["movieId"], folder / "movies.csv", header=True)
    genres = movies["genres"].fillna("").map(lambda text: [g for g in text.split("|") if g])
    tags = None
    if with_tags and (folder / TAGS_FILE).is_file():
        tags = top_tags(read_tags(folder))
    catalog = _make_catalog(movies["movieId"], movies["title"], genres, tags)
    ratings = read_table(folder / "ratings.csv", _CSV_RATINGS)
    return catalog, _interactions(ratings["userId"], ratings["movieId"], ratings["rating"], ratings["timestamp"])


_DAT_MOVIES = _TableFormat(
    ("MovieID", "Title", "Genres"), "::", "latin-1", header=False, integer_columns=("MovieID",)
)
_DAT_RATINGS = _TableFormat(
    ("UserID", "MovieID", "Rating", "Timestamp"),
    "::",
    "latin-1",
    header=False,
    integer_columns=("UserID", "MovieID", "Timestamp"),
    numeric_columns=("Rating",),
)


def _load_dat_release(folder: Path, with_tags: bool) -> tuple[Catalog, pd.DataFrame]:
    movies = read_table(folder / "movies.dat", _DAT_MOVIES)
    _check_unique_ids(movies["MovieID"], folder / "movies.dat", header=False)
    genres = movies["Genres"].fillna("").map(lambda text: [g for g in text.split("|") if g])
    catalog = _make_catalog(movies["MovieID"], movies["Title"], genres, None)
    ratings = read_table(folder / "ratings.dat", _DAT_RATINGS)
    return catalog, _interactions(ratings["UserID"], ratings["MovieID"], ratings["Rating"], ratings["Timestamp"])


_100K_GENRES = _TableFormat(("genre", "index"), "|", "latin-1", header=False, integer_columns=("index",))
_100K_RATINGS = _TableFormat(
    ("user_id", "item_id", "rating", "timestamp"),
    "\t",
    "latin-1",
    header=False,
    integer_columns=("user_id", "item_id", "timestamp"),
    numeric_columns=("rating",),
)


def _load_100k_release(folder: Path, with_tags: bool) -> tuple[Catalog, pd.DataFrame]:
    genre_table = read_table(folder / "u.genre", _100K_GENRES).sort_values("index")
    genre_names = genre_table["genre"].tolist()
    item_format = _TableFormat(
        ("item_id", "title", "release_date", "video_release_date", "url", *genre_names),
        "|",
        "latin-1",
        header=False,
        integer_columns=("item_id", *genre_names),
    )
    items = read_table(folder / "u.item", item_format)
    _check_unique_ids(items["item_id"], folder / "u.item", header=False)
    flags = items[genre_names].to_numpy(dtype=bool)
    names = np.array(genre_names, dtype=object)
    genres = pd.Series([list(names[row]) for row in flags], index=items.index)
    release_year = pd.to_datetime(items["release_date"], format="%d-%b-%Y", errors="coerce").dt.year
    catalog = _make_catalog(items["item_id"], items["title"], genres, None, release_year)
    catalog.genre_vocabulary = genre_names
    ratings = read_table(folder / "u.data", _100K_RATINGS)
    return catalog, _interactions(ratings["user_id"], ratings["item_id"], ratings["rating"], ratings["timestamp"])


# --- shared pieces -----------------------------------------------------------------------------


def _make_catalog(
    ids: pd.Series,
    raw_titles: pd.Series,
    genres: pd.Series,
    tags: pd.Series | None,
    fallback_year: pd.Series | None = None,
) -> Catalog:
    raw_titles = raw_titles.fillna("").astype(str).str.strip()
    year = pd.to_numeric(raw_titles.str.extract(_YEAR_IN_TITLE, expand=False), errors="coerce")
    if fallback_year is not None:
        year = year.fillna(fallback_year)
    titles = raw_titles.str.replace(_YEAR_IN_TITLE, "", regex=True).str.strip().map(_front_article)
    movie_ids = ids.astype(np.int64).to_numpy()
    tag_lists = pd.Series([[] for _ in range(len(movie_ids))]) if tags is None else _tag_lists(movie_ids, tags)
    movies = pd.DataFrame(
        {
            "movie_id": movie_ids,
            "title": titles.to_numpy(dtype=object),
            "year": year.astype("Int64").array,
            "genres": genres.to_numpy(dtype=object),
            "tags": tag_lists.to_numpy(dtype=object),
        }
    )
    vocabulary = list(dict.fromkeys(g for row in movies["genres"] for g in row))
    return Catalog(movies, vocabulary)


def _tag_lists(movie_ids: np.ndarray, tags: pd.Series) -> pd.Series:
    """Each movie's list from ``tags`` (indexed by movie id), an empty list where it has none."""
    return pd.Series(movie_ids).map(tags).map(lambda v: v if isinstance(v, list) else [])


def catalog_title(raw: str) -> str:
    """A release's title as the catalog keeps it: no year, the article in front ("Matrix, The (1999)" → "The Matrix")."""
    return _front_article(_YEAR_IN_TITLE.sub("", raw).strip())


def _front_article(title: str) -> str:
    match = _TRAILING_ARTICLE.match(title)
    if not match:
        return title
    article = match["article"]
    joiner = "" if article.endswith("'") else " "
    return f"{article}{joiner}{match['name']}{match['rest'] or ''}"


def top_tags(tags: pd.DataFrame) -> pd.Series:
    """The :data:`TOP_TAGS_PER_MOVIE` most frequent tags per movie, as the item text shows them.

    Tags are stripped and lower-cased (``Pixar`` and ``pixar`` count together); blank ones are
    dropped; equal counts are ordered alphabetically so the result does not depend on row order.

    Args:
        tags: Rows of the tag table with at least ``movieId`` and ``tag`` (see :func:`read_tags`).

    Returns:
        Lists of tags, most frequent first, indexed by movie id (movies without tags are absent).
    """
    cleaned = tags.assign(tag=tags["tag"].fillna("").astype(str).str.strip().str.lower())
    cleaned = cleaned[cleaned["tag"] != ""]
    counts = cleaned.groupby(["movieId", "tag"]).size().rename("n").reset_index()
    counts = counts.sort_values(["movieId", "n", "tag"], ascending=[True, False, True])
    top = counts.groupby("movieId").head(TOP_TAGS_PER_MOVIE)
    return top.groupby("movieId")["tag"].agg(list)


RATING_SCALE = (0.5, 5.0)
"""Every MovieLens release rates in half or whole stars from 0.5 (or 1) to 5."""


def _check_ranges(frame: pd.DataFrame, path: Path, *, header: bool) -> None:
    """Ratings within the scale, ids and timestamps not negative; the first offending line is named."""
    low, high = RATING_SCALE
    checks = [
        (~frame["rating"].between(low, high), f"rating outside {low}–{high}", "rating"),
        (frame["user_id"] < 0, "negative user id", "user_id"),
        (frame["movie_id"] < 0, "negative movie id", "movie_id"),
        (frame["timestamp"] < 0, "negative timestamp", "timestamp"),
    ]
    for bad, what, column in checks:
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataFormatError(f"{path.name} line {first + 1 + int(header)}: {what} "
                                  f"({frame[column].iloc[first]}); fix or remove that line")


def _interactions(users: pd.Series, movies: pd.Series, ratings: pd.Series, stamps: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user_id": users.to_numpy(dtype=np.int64),
            "movie_id": movies.to_numpy(dtype=np.int64),
            "rating": ratings.to_numpy(dtype=np.float32),
            "timestamp": stamps.to_numpy(dtype=np.int64),
        }
    )


def _check_unique_ids(ids: pd.Series, path: Path, *, header: bool) -> None:
    duplicated = ids.duplicated()
    if duplicated.any():
        first = int(np.flatnonzero(duplicated.to_numpy())[0])
        line = first + 1 + int(header)
        raise DataFormatError(f"{path.name} line {line}: duplicate movie id {int(ids.iloc[first])}")


def _check_known_movies(interactions: pd.DataFrame, catalog: Catalog, path: Path) -> None:
    unknown = ~interactions["movie_id"].isin(catalog.movie_ids)
    if unknown.any():
        first = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataFormatError(
            f"{path.name}: {int(unknown.sum())} ratings name movies that are not in the movie list "
            f"(first: row {first + 1}, movie {int(interactions['movie_id'].iloc[first])})"
        )


# --- reading one delimited file with line-accurate errors --------------------------------------


def read_table(path: Path, fmt: _TableFormat) -> pd.DataFrame:
    """Read a delimited file into a DataFrame with ``fmt.columns``; integer columns are int64.

    The fast path is pandas' C parser. Whenever it fails or yields a missing or non-numeric value,
    the file is scanned line by line to report the first bad line exactly.
    """
    if not path.is_file():
        raise DataFormatError(f"{path} not found")
    if fmt.header:
        _check_header(path, fmt)
    try:
        frame = _read_fast(path, fmt)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        _raise_first_bad_line(path, fmt)
        raise  # the scan found nothing: let the original error through rather than hide it
    problem = _first_bad_row(frame, fmt)
    if problem is not None:
        _raise_first_bad_line(path, fmt)
        raise DataFormatError(f"{path.name}: {problem}")
    for column in fmt.integer_columns:
        frame[column] = frame[column].astype(np.int64)
    return frame


def _check_header(path: Path, fmt: _TableFormat) -> None:
    """The first line must name the columns: a file without it would lose its first row unnoticed."""
    with path.open(encoding=fmt.encoding, errors="replace", newline="") as handle:
        first = handle.readline().strip().lstrip("\ufeff")
    names = [name.strip() for name in first.split(fmt.sep)]
    if names != list(fmt.columns):
        looks_like_data = bool(names) and _is_int(names[0])
        raise DataFormatError(
            f"{path.name} line 1: expected the header {fmt.sep.join(fmt.columns)}, got {first[:80]!r}"
            + (" (a data row: the header is missing)" if looks_like_data else "")
        )


def _read_fast(path: Path, fmt: _TableFormat) -> pd.DataFrame:
    text_columns = [c for c in fmt.columns if c not in fmt.integer_columns + fmt.numeric_columns]
    options: dict[str, object] = dict(
        header=0 if fmt.header else None,
        names=list(fmt.columns),
        dtype={c: str for c in text_columns},
        keep_default_na=False,
        na_values={c: [""] for c in fmt.integer_columns + fmt.numeric_columns},
        encoding=fmt.encoding,
        engine="c",
    )
    if len(fmt.sep) == 1:
        quoting = csv.QUOTE_MINIMAL if fmt.sep == "," else csv.QUOTE_NONE
        return pd.read_csv(path, sep=fmt.sep, quoting=quoting, **options)
    # Multi-character separators force pandas' slow Python parser; a single control character
    # never appears in MovieLens text, so swap it in and keep the C parser.
    text = path.read_text(encoding=fmt.encoding).replace(fmt.sep, "\x1f")
    options.pop("encoding")
    return pd.read_csv(io.StringIO(text), sep="\x1f", quoting=csv.QUOTE_NONE, **options)


def _first_bad_row(frame: pd.DataFrame, fmt: _TableFormat) -> str | None:
    for column in fmt.integer_columns + fmt.numeric_columns:
        values = frame[column]
        if values.isna().any() or not pd.api.types.is_numeric_dtype(values):
            return f"field {column!r} has a missing or non-numeric value"
        if column in fmt.integer_columns and not pd.api.types.is_integer_dtype(values):
            return f"field {column!r} must be a whole number"
    return None


def _raise_first_bad_line(path: Path, fmt: _TableFormat) -> None:
    """Scan the file line by line; raise a DataFormatError for the first malformed line."""
    expected = len(fmt.columns)
    with path.open(encoding=fmt.encoding, errors="strict", newline="") as handle:
        try:
            lines = list(_split_lines(handle, fmt.sep))
        except UnicodeDecodeError as error:
            raise DataFormatError(f"{path.name}: not valid {fmt.encoding} text ({error.reason})") from None
    for line_number, fields in lines:
        if line_number == 1 and fmt.header:
            continue
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != expected:
            raise DataFormatError(
                f"{path.name} line {line_number}: expected {expected} fields, got {len(fields)}"
            )
        for column, value in zip(fmt.columns, fields):
            if column in fmt.integer_columns and not _is_int(value):
                raise DataFormatError(
                    f"{path.name} line {line_number}: {column} must be a whole number, got {value!r}"
                )
            if column in fmt.numeric_columns and not _is_float(value):
                raise DataFormatError(
                    f"{path.name} line {line_number}: {column} must be a number, got {value!r}"
                )


def _split_lines(handle: io.TextIOBase, sep: str):
    if sep == ",":
        reader = csv.reader(handle)
        for fields in reader:
            yield reader.line_num, fields
        return
    for number, line in enumerate(handle, start=1):
        yield number, line.rstrip("\r\n").split(sep)


def _is_int(value: str) -> bool:
    try:
        int(value.strip())
    except ValueError:
        return False
    return True


def _is_float(value: str) -> bool:
    try:
        float(value.strip())
    except ValueError:
        return False
    return True

"""Loaders on the real shared copies and on tiny files in every GroupLens layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from retrieval.errors import DataFormatError, UnknownDatasetError
from retrieval.movielens import load_dataset
from tests.conftest import write_tiny_csv_release


def test_ml_latest_small_counts(small):
    summary = small.summary()
    assert (summary["users"], summary["movies"], summary["ratings"]) == (610, 9742, 100836)
    assert summary["rated_movies"] == 9724
    assert list(small.interactions.columns) == ["user_id", "movie_id", "rating", "timestamp"]
    assert small.interactions.dtypes.astype(str).tolist() == ["int64", "int64", "float32", "int64"]


def test_ml_latest_small_catalog_fields(small):
    movies = small.catalog.movies.set_index("movie_id")
    toy = movies.loc[1]
    assert (toy["title"], toy["year"]) == ("Toy Story", 1995)
    assert toy["genres"] == ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]
    assert toy["tags"][0] == "pixar"
    assert movies.loc[2571, "title"] == "The Matrix"  # "Matrix, The (1999)" in the file
    assert "(no genres listed)" in small.catalog.genre_vocabulary
    assert len(small.catalog.genre_vocabulary) == 20
    assert small.catalog.genre_matrix().shape == (9742, 20)


def test_ml_100k_counts_and_genres(ml100k):
    summary = ml100k.summary()
    assert (summary["users"], summary["movies"], summary["ratings"]) == (943, 1682, 100000)
    assert ml100k.catalog.genre_vocabulary[0] == "unknown"
    assert len(ml100k.catalog.genre_vocabulary) == 19
    movies = ml100k.catalog.movies.set_index("movie_id")
    assert (movies.loc[1, "title"], movies.loc[1, "year"]) == ("Toy Story", 1995)
    assert movies.loc[1, "genres"] == ["Animation", "Children's", "Comedy"]
    # Every movie's genre flags agree with the multi-hot matrix.
    assert ml100k.catalog.genre_matrix().sum() == sum(map(len, ml100k.catalog.movies["genres"]))


def test_ml_1m_layout(tmp_path: Path):
    folder = tmp_path / "ml-1m"
    folder.mkdir()
    (folder / "movies.dat").write_bytes(
        "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Ame\xe9lie (2001)::Comedy\n".encode("latin-1")
    )
    (folder / "ratings.dat").write_text("1::1::5::978300760\n1::2::3::978302109\n2::1::4::978301968\n")
    data = load_dataset("ml-1m", tmp_path)
    assert data.catalog.movies["title"].tolist() == ["Toy Story", "Ame\xe9lie"]
    assert data.interactions["rating"].tolist() == [5.0, 3.0, 4.0]
    assert data.summary()["users"] == 2


def test_ml_25m_layout_uses_csv_loader(tmp_path: Path):
    write_tiny_csv_release(tmp_path / "ml-25m")
    data = load_dataset("ml-25m", tmp_path)
    assert len(data.catalog) == 6
    assert data.catalog.movies.set_index("movie_id").loc[1, "tags"] == ["pixar", "fun"]
    assert pd.isna(data.catalog.movies.set_index("movie_id").loc[6, "year"])


# --- bad input -----------------------------------------------------------------------------------


def test_unknown_dataset_lists_known_names(tmp_path: Path):
    with pytest.raises(UnknownDatasetError, match="known datasets: ml-latest-small, ml-100k, ml-1m"):
        load_dataset("ml-5m", tmp_path)


def test_missing_file_names_expected_files(tmp_path: Path):
    folder = write_tiny_csv_release(tmp_path / "ml-latest-small")
    (folder / "ratings.csv").unlink()
    with pytest.raises(DataFormatError, match=r"missing ratings\.csv; a ml-latest-small folder holds movies\.csv, ratings\.csv"):
        load_dataset("ml-latest-small", tmp_path)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("1,5,4.0", r"ratings\.csv line 4: expected 4 fields, got 3"),
        ("1,5,4.0,964982703,9", r"ratings\.csv line 4: expected 4 fields, got 5"),
        ("one,5,4.0,964982703", r"ratings\.csv line 4: userId must be a whole number, got 'one'"),
        ("1,5,good,964982703", r"ratings\.csv line 4: rating must be a number, got 'good'"),
    ],
)
def test_bad_rating_line_is_reported_with_its_number(tmp_path: Path, bad_line: str, message: str):
    lines = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,5.0,964981247\n" + bad_line + "\n"
    write_tiny_csv_release(tmp_path / "ml-latest-small", ratings=lines)
    with pytest.raises(DataFormatError, match=message):
        load_dataset("ml-latest-small", tmp_path)


def test_duplicate_movie_id(tmp_path: Path):
    movies = "movieId,title,genres\n1,Toy Story (1995),Comedy\n2,Heat (1995),Action\n1,Again (2000),Drama\n"
    write_tiny_csv_release(tmp_path / "ml-latest-small", movies=movies, ratings="userId,movieId,rating,timestamp\n1,1,4,1\n")
    with pytest.raises(DataFormatError, match=r"movies\.csv line 4: duplicate movie id 1"):
        load_dataset("ml-latest-small", tmp_path)


def test_non_numeric_movie_id_in_100k_item_file(tmp_path: Path, data_dir: Path):
    folder = tmp_path / "ml-100k"
    folder.mkdir()
    for name in ("u.data", "u.genre"):
        (folder / name).write_bytes((data_dir / "ml-100k" / name).read_bytes())
    items = (data_dir / "ml-100k" / "u.item").read_bytes().split(b"\n")
    items[2] = b"x" + items[2]
    (folder / "u.item").write_bytes(b"\n".join(items))
    with pytest.raises(DataFormatError, match=r"u\.item line 3: item_id must be a whole number, got 'x3'"):
        load_dataset("ml-100k", tmp_path)


def test_rating_of_unknown_movie(tmp_path: Path):
    ratings = "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,99,4.0,2\n"
    write_tiny_csv_release(tmp_path / "ml-latest-small", ratings=ratings)
    with pytest.raises(DataFormatError, match="not in the movie list .*movie 99"):
        load_dataset("ml-latest-small", tmp_path)


def test_catalog_subset_keeps_order(small):
    ids = np.array([3114, 1, 2571])
    subset = small.catalog.subset(ids)
    assert subset.movie_ids.tolist() == [1, 2571, 3114]

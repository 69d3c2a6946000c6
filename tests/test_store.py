"""Movie vectors in a real Chroma database: incremental index, reopen, filtered search, server mode."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import DriftrecError
from retrieval.itemtext import item_texts, load_keywords
from retrieval.settings import Settings, load_settings
from retrieval.store import MovieIndex, parse_years

KEYWORDS_CSV = Path("extras/ml-25m-genome-keywords/movies_w_keywords.csv")


@pytest.fixture(scope="session")
def indexed_small(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Settings:
    """ml-latest-small indexed once with the bundled encoder, in a home of its own."""
    home = tmp_path_factory.mktemp("indexed-home")
    settings = load_settings(home=home, data_dir=data_dir, dataset="ml-latest-small")
    report = MovieIndex(settings).build(progress=False)
    assert report.embedded == 9742
    return settings


@pytest.mark.slow
def test_toy_story_found_by_description(indexed_small: Settings):
    results = MovieIndex(indexed_small).search("animated toys that come to life", k=3)
    assert 1 in results["movie_id"].tolist()


@pytest.mark.slow
def test_second_index_run_embeds_nothing(indexed_small: Settings):
    report = MovieIndex(indexed_small).build(progress=False)
    assert (report.embedded, report.deleted, report.movies) == (0, 0, 9742)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("genres", "exclude", "years"),
    [(["Comedy"], [], "1990-1999"), (["Sci-Fi", "Horror"], [], None), ([], ["Comedy", "Drama"], "2005"), ([], ["Horror"], None)],
)
def test_filters_hold_on_every_row(indexed_small: Settings, small, genres, exclude, years):
    results = MovieIndex(indexed_small).search("a scary night in space", k=10, genres=genres, exclude_genres=exclude, years=years)
    assert len(results) == 10
    catalog = small.catalog.movies.set_index("movie_id")
    for movie_id in results["movie_id"]:
        truth = catalog.loc[movie_id]
        assert set(genres) <= set(truth["genres"])
        assert not set(exclude) & set(truth["genres"])
        if years:
            first, last = parse_years(years)
            assert first <= truth["year"] <= last
    assert results["score"].is_monotonic_decreasing


@pytest.mark.slow
def test_item_matrix_is_exact_copy_of_store(indexed_small: Settings):
    index = MovieIndex(indexed_small)
    movie_ids, vectors = index.item_matrix()
    assert vectors.shape == (9742, 384)
    assert np.all(np.diff(movie_ids) > 0)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    stored = index.collection().get(ids=["1"], include=["embeddings"])
    np.testing.assert_allclose(vectors[0], stored["embeddings"][0], atol=1e-6)


@pytest.mark.slow
def test_collection_reopens_with_its_encoder_in_a_new_process(indexed_small: Settings):
    """Chroma must rebuild our registered embedding function, not its default ONNX one (which downloads)."""
    script = f"""
import chromadb, retrieval.encoder
from chromadb.config import Settings
client = chromadb.PersistentClient(path={str(indexed_small.chroma_path)!r}, settings=Settings(anonymized_telemetry=False))
collection = client.get_collection("movies.ml-latest-small")
found = collection.query(query_texts=["animated toys that come to life"], n_results=3)
print(type(collection.configuration.get("embedding_function")).__name__, found["ids"][0])
"""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("DriftrecEmbeddingFunction")
    assert "'1'" in out.stdout


def test_changed_text_reembeds_only_those_movies(tiny_settings: Settings, tmp_path: Path):
    index = MovieIndex(tiny_settings)
    assert index.build(progress=False).embedded == 6
    keywords = tmp_path / "kw.csv"
    keywords.write_text("movieId,keyword\n3,xenomorph|spaceship\n5,paris\n")
    enriched = MovieIndex(tiny_settings.model_copy(update={"keywords": keywords}))
    report = enriched.build(progress=False)
    assert (report.embedded, report.deleted) == (2, 0)
    assert enriched.build(progress=False).embedded == 0


def test_removed_movie_is_deleted(tiny_settings: Settings):
    index = MovieIndex(tiny_settings)
    index.build(progress=False)
    movies = tiny_settings.dataset_dir / "movies.csv"
    movies.write_text("\n".join(movies.read_text().splitlines()[:-1]) + "\n")  # drop movie 6 (unrated)
    report = index.build(progress=False)
    assert (report.embedded, report.deleted, report.movies) == (0, 1, 5)
    assert index.item_matrix()[0].tolist() == [1, 2, 3, 4, 5]


def test_a_bad_encoder_never_destroys_a_good_index(tiny_settings: Settings, tmp_path: Path):
    index = MovieIndex(tiny_settings)
    index.build(progress=False)
    bad = tiny_settings.model_copy(update={"encoder": str(tmp_path / "nonexistent")})
    with pytest.raises(DriftrecError):
        MovieIndex(bad).build(progress=False)
    again = MovieIndex(tiny_settings)
    assert again.collection().count() == 6 and again.collection().metadata["encoder"] == tiny_settings.encoder
    assert again.search("toys come alive", k=1)["movie_id"].tolist() == [1]
    names = {c if isinstance(c, str) else c.name for c in again._client.list_collections()}
    assert all(not name.endswith(".building") for name in names)


def test_unknown_genre_and_bad_years_are_explained(tiny_settings: Settings):
    index = MovieIndex(tiny_settings)
    index.build(progress=False)
    with pytest.raises(DriftrecError, match="unknown genre\\(s\\) 'Horor'.*known genres: Adventure"):
        index.search("x", genres=["Horor"])
    for bad in ("1990-80", "nineties", "199"):
        with pytest.raises(DriftrecError, match="--years"):
            index.search("x", years=bad)


def test_search_before_index_says_what_to_run(tiny_settings: Settings):
    with pytest.raises(DriftrecError, match="run `driftrec index --dataset ml-latest-small` first"):
        MovieIndex(tiny_settings).search("x")


def test_keywords_enter_item_text(small, data_dir: Path):
    keywords = load_keywords(data_dir / KEYWORDS_CSV)
    texts = dict(zip(small.catalog.movie_ids, item_texts(small.catalog, keywords)))
    assert texts[1].startswith("Toy Story (1995). Genres: Adventure, Animation, Children, Comedy, Fantasy. Tags: pixar, fun.")
    assert "Keywords: toys, computer animation" in texts[1]  # most relevant first


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_chroma_server_mode_uses_the_same_code_path(tiny_settings: Settings, tmp_path: Path):
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        remote = tiny_settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{port}"})
        deadline = time.monotonic() + 60
        while True:
            try:
                index = MovieIndex(remote)
                break
            except DriftrecError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        assert index.build(progress=False).embedded == 6
        assert index.build(progress=False).embedded == 0
        assert index.search("space monster horror", k=1)["movie_id"].tolist() == [3]
        assert not tiny_settings.chroma_path.exists()  # nothing went to the embedded store
    finally:
        server.terminate()
        server.wait(timeout=30)

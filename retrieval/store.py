"""Movie vectors in Chroma: incremental indexing and filtered semantic search.

One collection per data set (``movies.<dataset>``), because MovieLens releases do not share an id
space. Each record's id is the movie id; its metadata holds title, year, genres (a list, so
``$contains`` filters work), popularity and the hash of the text and encoder that produced its
vector, which is what makes a second ``index`` run re-embed nothing.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from retrieval.encoder import DriftrecEmbeddingFunction, TextEncoder
from retrieval.errors import DriftrecError
from retrieval.fileio import atomic_write
from retrieval.itemtext import item_texts, load_keywords
from retrieval.movielens import MovieLensData, load_dataset
from retrieval.settings import Settings

GENRE_SEPARATOR = "|"
BUILDING_SUFFIX = ".building"
"""A collection being built beside the live one; renamed over it only when complete."""
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")


def open_client(settings: Settings) -> Any:
    """A Chroma client: a server at ``settings.chroma_url`` or the embedded store under home."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise DriftrecError(f"--chroma-url {settings.chroma_url!r}: expected http://host:port")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as error:  # chromadb raises plain ValueError/ConnectError variants here
            raise DriftrecError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({error}); start one with "
                "`chroma run --path DIR --host 127.0.0.1 --port PORT` or drop --chroma-url"
            ) from None
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


CHROMA_DELETE_OPERATION = 3
"""Chroma's code for a delete in its write-ahead queue (``embeddings_queue.operation``): a delete
row carries the id only; add, update and upsert rows carry the vector and the document text."""


def purge_deleted_records(settings: Settings, collection: Any, ids: list[str]) -> None:
    """Make deleted records unrecoverable from the embedded store's ``chroma.sqlite3``.

    Chroma deletes a record from its segments but keeps every earlier write of it (vector and
    document text) in its write-ahead queue until it prunes, and SQLite keeps deleted rows in free
    pages. This removes the queued writes of ``ids`` and rewrites the file (VACUUM), then empties
    SQLite's own WAL. A delete row (the id, no vector or text) goes too once the vector index has
    persisted it; before that it must stay, or a vector the index persisted earlier would come back
    (Chroma prunes it later). Only for the embedded store: a Chroma server's files are its operator's.
    """
    import sqlite3

    path = settings.chroma_path / "chroma.sqlite3"
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        topic = f"%/{collection.id}"
        connection.executemany(
            "DELETE FROM embeddings_queue WHERE topic LIKE ? AND id = ? AND operation != ?",
            [(topic, record_id, CHROMA_DELETE_OPERATION) for record_id in ids],
        )
        (persisted,) = connection.execute(
            "SELECT COALESCE(MIN(m.seq_id), 0) FROM max_seq_id m JOIN segments s ON s.id = m.segment_id "
            "WHERE s.collection = ?", (str(collection.id),)).fetchone()
        connection.executemany(
            # never the newest row: SQLite would hand its seq_id to the next write, which Chroma
            # would then take for one it had applied already
            "DELETE FROM embeddings_queue WHERE topic LIKE ? AND id = ? AND seq_id <= ? "
            "AND seq_id < (SELECT MAX(seq_id) FROM embeddings_queue)",
            [(topic, record_id, int(persisted)) for record_id in ids],
        )
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def collection_name(dataset: str) -> str:
    """Chroma collection that holds the movie vectors of ``dataset``."""
    return f"movies.{dataset}"


def text_hash(text: str, encoder: str) -> str:
    """Key of one stored vector: it changes when the movie's text or the encoder changes."""
    return hashlib.sha256(f"{encoder}\0{text}".encode()).hexdigest()[:20]


@dataclass
class IndexReport:
    """What one ``index`` run did."""

    dataset: str
    encoder: str
    movies: int
    embedded: int
    metadata_updated: int
    deleted: int
    seconds: float
    embed_seconds: float

    @property
    def movies_per_second(self) -> float | None:
        return self.embedded / self.embed_seconds if self.embedded and self.embed_seconds > 0 else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "movies_per_second": self.movies_per_second}


class MovieIndex:
    """The ``movies.<dataset>`` collection: build it, keep it current, search it.

    Args:
        settings: Where the store lives, which data set and encoder to use.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.encoder = TextEncoder(settings.encoder, settings.encode_batch_size)
        self._client = open_client(settings)

    # --- building ------------------------------------------------------------------------------

    def build(self, data: MovieLensData | None = None, progress: bool = True) -> IndexReport:
        """Embed new or changed movies, refresh metadata, drop movies no longer in the catalog.

        With the same encoder the collection is updated in place (every write is a correct vector).
        With another encoder, or none yet, a new collection is built beside the old one and swapped
        in only once it is complete: a bad ``--encoder`` fails before anything is touched, and an
        interrupted build leaves the old index as it was.
        """
        started = time.perf_counter()
        data = data or load_dataset(self.settings.dataset, self.settings.data_dir)
        keywords = load_keywords(self.settings.keywords) if self.settings.keywords else None
        texts = item_texts(data.catalog, keywords)
        records = _records(data, texts, self.settings.encoder)
        existing = self._existing_collection()
        rebuild = existing is None or (existing.metadata or {}).get("encoder") != self.settings.encoder
        stored = {} if rebuild else _stored_metadata(existing)

        changed = records[[stored.get(i, {}).get("text_hash") != h for i, h in zip(records["id"], records["text_hash"])]]
        same_text = records[~records["id"].isin(changed["id"])]
        stale_meta = same_text[
            [stored[i].get("popularity") != p for i, p in zip(same_text["id"], same_text["popularity"])]
        ]
        removed = sorted(set(stored) - set(records["id"]))

        embed_started = time.perf_counter()
        vectors = self.encoder.encode(changed["text"].tolist(), progress=progress and len(changed) > 0)
        embed_seconds = time.perf_counter() - embed_started
        collection = self._new_collection(data.catalog.genre_vocabulary) if rebuild else existing
        if not rebuild:
            self._refresh_metadata(existing, data.catalog.genre_vocabulary)
        batch = self._client.get_max_batch_size()
        for start in range(0, len(changed), batch):
            part = changed.iloc[start : start + batch]
            collection.upsert(
                ids=part["id"].tolist(),
                embeddings=vectors[start : start + batch],
                documents=part["text"].tolist(),
                metadatas=part["metadata"].tolist(),
            )
        for start in range(0, len(stale_meta), batch):
            part = stale_meta.iloc[start : start + batch]
            collection.update(ids=part["id"].tolist(), metadatas=part["metadata"].tolist())
        for start in range(0, len(removed), batch):
            collection.delete(ids=removed[start : start + batch])
        if rebuild:
            collection = self._swap_in(collection)
        if len(changed) or len(removed) or not self._matrix_path().is_file():
            self._write_matrix(collection)
        return IndexReport(
            dataset=self.settings.dataset,
            encoder=self.settings.encoder,
            movies=len(records),
            embedded=len(changed),
            metadata_updated=len(stale_meta),
            deleted=len(removed),
            seconds=time.perf_counter() - started,
            embed_seconds=embed_seconds,
        )

    def _metadata(self, genre_vocabulary: list[str]) -> dict[str, Any]:
        return {"encoder": self.settings.encoder, "genres": GENRE_SEPARATOR.join(genre_vocabulary),
                "dataset": self.settings.dataset}

    def _refresh_metadata(self, collection: Any, genre_vocabulary: list[str]) -> None:
        metadata = self._metadata(genre_vocabulary)
        if collection.metadata.get("genres") != metadata["genres"]:
            collection.modify(metadata={**collection.metadata, **metadata})

    def _building_name(self) -> str:
        return collection_name(self.settings.dataset) + BUILDING_SUFFIX

    def _new_collection(self, genre_vocabulary: list[str]) -> Any:
        """An empty collection beside the live one (a leftover of an interrupted build is dropped)."""
        names = {c if isinstance(c, str) else c.name for c in self._client.list_collections()}
        if self._building_name() in names:
            self._client.delete_collection(self._building_name())
        return self._client.create_collection(
            self._building_name(),
            embedding_function=DriftrecEmbeddingFunction(self.settings.encoder),
            configuration={"hnsw": {"space": "cosine"}},
            metadata=self._metadata(genre_vocabulary),
        )

    def _swap_in(self, built: Any) -> Any:
        """Replace the live collection by the complete one built beside it."""
        name = collection_name(self.settings.dataset)
        if self._existing_collection() is not None:
            self._client.delete_collection(name)
        built.modify(name=name)
        return self._client.get_collection(name, embedding_function=DriftrecEmbeddingFunction(self.settings.encoder))

    def _existing_collection(self) -> Any | None:
        names = {c if isinstance(c, str) else c.name for c in self._client.list_collections()}
        name = collection_name(self.settings.dataset)
        if name not in names:
            return None
        return self._client.get_collection(name, embedding_function=DriftrecEmbeddingFunction(self.settings.encoder))

    def exists(self) -> bool:
        """Whether the data set has been indexed in this store."""
        return self._existing_collection() is not None

    def collection(self) -> Any:
        """The collection for reading; a clear error when the data set has not been indexed."""
        found = self._existing_collection()
        if found is None:
            raise DriftrecError(
                f"no movie index for {self.settings.dataset} in {self._where()}; run `driftrec index "
                f"--dataset {self.settings.dataset}` first"
            )
        if found.metadata.get("encoder") != self.settings.encoder:
            raise DriftrecError(
                f"the index of {self.settings.dataset} was built with encoder {found.metadata.get('encoder')!r}, "
                f"not {self.settings.encoder!r}; run `driftrec index` with --encoder {self.settings.encoder!r}"
            )
        return found

    def _where(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_path)

    # --- the exact item matrix for full-catalog scoring ----------------------------------------

    def _matrix_path(self) -> Path:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", self.settings.encoder)
        return self.settings.cache_dir / self.settings.dataset / f"items-{slug}.npz"

    def _write_matrix(self, collection: Any) -> None:
        stored = collection.get(include=["embeddings"])
        ids = np.array([int(i) for i in stored["ids"]], dtype=np.int64)
        order = np.argsort(ids)
        vectors = np.asarray(stored["embeddings"], dtype=np.float32)[order]
        atomic_write(self._matrix_path(), lambda handle: np.savez(handle, movie_ids=ids[order], vectors=vectors))

    def item_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """``(movie_ids, vectors)`` of every indexed movie, sorted by movie id (exact, not HNSW)."""
        path = self._matrix_path()
        if not path.is_file():
            self._write_matrix(self.collection())
        with np.load(path) as stored:
            return stored["movie_ids"], stored["vectors"]

    # --- searching -----------------------------------------------------------------------------

    def genre_vocabulary(self) -> list[str]:
        text = self.collection().metadata.get("genres", "")
        return [g for g in text.split(GENRE_SEPARATOR) if g]

    def search(
        self,
        text: str,
        k: int = 10,
        genres: list[str] | None = None,
        exclude_genres: list[str] | None = None,
        years: str | None = None,
    ) -> pd.DataFrame:
        """Movies closest to ``text`` that pass the filters, best first.

        Args:
            text: Free-text description of what to watch.
            k: Number of movies to return.
            genres: Every returned movie has all of these genres.
            exclude_genres: No returned movie has any of these genres.
            years: ``1990-1999`` or ``1995``; movies without a known year are left out.

        Returns:
            Columns ``movie_id, title, year, genres, score`` (cosine similarity).
        """
        if not text.strip():
            raise DriftrecError("search text is empty; say what you would like to watch")
        if k < 1:
            raise DriftrecError(f"-k must be at least 1, got {k}")
        collection = self.collection()
        where = self._where_clause(genres or [], exclude_genres or [], years)
        query = self.encoder.encode([text])
        found = collection.query(
            query_embeddings=query, n_results=k, where=where, include=["metadatas", "distances"]
        )
        rows = [
            {
                "movie_id": int(movie_id),
                "title": meta["title"],
                "year": meta.get("year"),
                "genres": list(meta.get("genres") or []),
                "score": round(1.0 - float(distance), 4),
            }
            for movie_id, meta, distance in zip(found["ids"][0], found["metadatas"][0], found["distances"][0])
        ]
        return pd.DataFrame(rows, columns=["movie_id", "title", "year", "genres", "score"])

    def _where_clause(self, genres: list[str], exclude: list[str], years: str | None) -> dict | None:
        vocabulary = self.genre_vocabulary()
        unknown = [g for g in [*genres, *exclude] if g not in vocabulary]
        if unknown:
            raise DriftrecError(
                f"unknown genre(s) {', '.join(map(repr, unknown))} for {self.settings.dataset}; "
                f"known genres: {', '.join(vocabulary)}"
            )
        clauses: list[dict] = [{"genres": {"$contains": g}} for g in genres]
        clauses += [{"genres": {"$not_contains": g}} for g in exclude]
        if years:
            first, last = parse_years(years)
            clauses += [{"year": {"$gte": first}}, {"year": {"$lte": last}}]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def parse_years(text: str) -> tuple[int, int]:
    """``"1990-1999"`` → (1990, 1999); ``"1995"`` → (1995, 1995)."""
    match = _YEARS.match(text)
    if not match:
        raise DriftrecError(f"--years {text!r}: expected a year or a range like 1990-1999")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise DriftrecError(f"--years {text!r}: the range ends before it starts")
    return first, last


def _records(data: MovieLensData, texts: list[str], encoder: str) -> pd.DataFrame:
    movies = data.catalog.movies
    popularity = data.interactions["movie_id"].value_counts()
    pops = movies["movie_id"].map(popularity).fillna(0).astype(int).tolist()
    metadata = [
        _metadata(title, year, genres, pop, text_hash(text, encoder))
        for title, year, genres, pop, text in zip(movies["title"], movies["year"], movies["genres"], pops, texts)
    ]
    return pd.DataFrame(
        {
            "id": movies["movie_id"].astype(str).tolist(),
            "text": texts,
            "text_hash": [m["text_hash"] for m in metadata],
            "popularity": pops,
            "metadata": metadata,
        }
    )


def _metadata(title: str, year: object, genres: list[str], popularity: int, digest: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": title, "popularity": popularity, "text_hash": digest}
    if pd.notna(year):
        meta["year"] = int(year)
    if genres:
        meta["genres"] = list(genres)
    return meta


def _stored_metadata(collection: Any) -> dict[str, dict[str, Any]]:
    stored = collection.get(include=["metadatas"])
    return dict(zip(stored["ids"], stored["metadatas"]))

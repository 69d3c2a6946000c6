"""The item text that the evaluation's driftrec models read: the product's text without leaked tags.

The product index (``driftrec index``) describes each movie with its most frequent user tags over the
release's whole ``tags.csv``. Under the protocol's leave-last-out split that includes tags a user wrote
on their own held-out movie at or after the held-out interaction: text about the answer. So the
evaluation recomputes the top tags from the tag rows each user wrote strictly before their first
held-out (validation or test) interaction, encodes that text with the same encoder, and caches the
vectors under ``settings.cache_dir``. Releases without ``tags.csv`` (ml-100k, ml-1m) have no tags to
leak and keep the product index's vectors. The product index itself is left as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from evaluation.models import ModelUnavailableError, get_model_class
from evaluation.protocol import SPLITS, Split
from retrieval.fileio import atomic_write
from retrieval.itemtext import item_texts, load_keywords
from retrieval.movielens import (
    TAGS_FILE,
    TOP_TAGS_PER_MOVIE,
    load_dataset,
    read_tags,
    top_tags,
)

if TYPE_CHECKING:
    from retrieval.settings import Settings

CACHE_PREFIX = "eval-items-"
"""Cached evaluation vectors are ``cache_dir/<dataset>/eval-items-<key>.npz``."""


@dataclass(frozen=True)
class LeakFreeTags:
    """Per-movie top tags computed without the tags written at or after a user's held-out interactions.

    Attributes:
        top: Lists of tags (most frequent first) indexed by movie id, as
            :func:`retrieval.movielens.top_tags` returns them.
        dropped_rows: Rows of ``tags.csv`` left out.
        total_rows: Rows of ``tags.csv``.
    """

    top: pd.Series
    dropped_rows: int
    total_rows: int

    def describe(self) -> str:
        """The sentence ``results.json`` and ``results.md`` record for the tags."""
        return (
            f"top {TOP_TAGS_PER_MOVIE} tags per movie from {TAGS_FILE} rows written before each user's "
            f"first held-out interaction ({self.dropped_rows:,} of {self.total_rows:,} tag rows dropped)"
        )


def first_held_out(split: Split) -> pd.Series:
    """Timestamp of each user's earliest held-out (validation or test) interaction, indexed by user id."""
    columns = ["user_id", "timestamp"]
    held_out = pd.concat([split.valid[columns], split.test[columns]], ignore_index=True)
    return held_out.groupby("user_id")["timestamp"].min()


def leak_free_tags(folder: Path, split: Split) -> LeakFreeTags:
    """Top tags per movie from the tag rows written strictly before the tagger's first held-out interaction.

    A tag written in the same second as the held-out interaction is dropped too: the protocol cannot
    tell which came first. Tags of users with no held-out interaction (e.g. taggers without ratings)
    all stay, since no held-out item of theirs can leak.

    Args:
        folder: The release's folder (the one holding ``tags.csv``).
        split: The evaluation's split of that release.

    Raises:
        DataFormatError: ``tags.csv`` is missing or malformed.
    """
    tags = read_tags(folder)
    cutoff = tags["userId"].map(first_held_out(split))  # NaN for users without held-out interactions
    keep = cutoff.isna().to_numpy() | (tags["timestamp"] < cutoff).to_numpy()
    return LeakFreeTags(top_tags(tags[keep]), dropped_rows=int((~keep).sum()), total_rows=len(tags))


def texts_key(encoder: str, movie_ids: np.ndarray, texts: list[str]) -> str:
    """Key of a set of encoded texts: it changes when the encoder, a movie or any movie's text changes."""
    digest = hashlib.sha256(encoder.encode())
    for movie_id, text in zip(movie_ids.tolist(), texts):
        digest.update(f"\0{movie_id}\t{text}".encode())
    return digest.hexdigest()[:24]


def encode_cached(settings: Settings, movie_ids: np.ndarray, texts: list[str], progress: bool = True) -> np.ndarray:
    """Vectors of ``texts`` from the settings' encoder, read from the cache when the same texts were encoded.

    Encoding a whole catalog takes minutes on a CPU; the key (:func:`texts_key`) makes a second run
    with the same data, split and encoder read the file instead.

    Args:
        settings: The encoder, its batch size, and the cache folder.
        movie_ids: The movie of each text (stored beside the vectors).
        texts: One text per movie.
        progress: Show the encoder's progress bar.

    Returns:
        Unit-length float32 vectors, one row per text.
    """
    from retrieval.encoder import TextEncoder

    path = settings.cache_dir / settings.dataset / f"{CACHE_PREFIX}{texts_key(settings.encoder, movie_ids, texts)}.npz"
    if path.is_file():
        with np.load(path) as stored:
            return stored["vectors"]
    vectors = TextEncoder(settings.encoder, settings.encode_batch_size).encode(texts, progress=progress)
    atomic_write(path, lambda handle: np.savez(handle, movie_ids=movie_ids, vectors=vectors))
    return vectors


def leak_free_text_vectors(
    settings: Settings, split: Split, progress: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], LeakFreeTags]:
    """``(movie_ids, vectors)`` of every evaluation catalog movie, from its text with leak-free tags.

    The text is the product's (:func:`retrieval.itemtext.item_texts`, with the settings' keywords
    file when one is set); only the tags differ.
    """
    tags = leak_free_tags(settings.dataset_dir, split)
    catalog = split.catalog.catalog.with_tags(tags.top)
    keywords = load_keywords(settings.keywords) if settings.keywords else None
    vectors = encode_cached(settings, catalog.movie_ids, item_texts(catalog, keywords), progress)
    return (catalog.movie_ids, vectors), tags


def text_provenance(settings: Settings, tags: LeakFreeTags | None) -> dict[str, Any]:
    """What the tracker's item text was made of, for ``results.json`` and ``results.md``.

    Args:
        settings: The encoder, keywords file and data set.
        tags: The leak-free tags the text used, or None for a release without ``tags.csv``.
    """
    return {
        "encoder": settings.encoder,
        "keywords": str(settings.keywords) if settings.keywords else None,
        "tags": tags.describe() if tags is not None else (
            f"none: {settings.dataset} has no {TAGS_FILE}, so no user tag can leak "
            "(the product index's vectors are used, as `driftrec index` built them)"
        ),
    }


def use_eval_text(settings: Settings, progress: bool = True, protocol: str = "default") -> dict[str, Any]:
    """Give the driftrec models the evaluation's item vectors of ``settings.dataset``.

    ``protocol`` names the split (:data:`evaluation.protocol.SPLITS`), whose held-out interactions
    decide which tags are left out. With ``tags.csv``: vectors of the text with leak-free tags (:func:`leak_free_text_vectors`), on
    the same split that :func:`evaluation.runner.run_evaluation` makes. Without: the product index's
    vectors (built if needed), whose text holds no user tags.

    Returns:
        The provenance to record (:func:`text_provenance`).
    """
    from evaluation.models.tracker import DriftrecTracker, use_text_encoder

    if not (settings.dataset_dir / TAGS_FILE).is_file():
        use_text_encoder(settings, progress=progress)
        return text_provenance(settings, None)
    data = load_dataset(settings.dataset, settings.data_dir, with_tags=False)
    split = SPLITS[protocol](data.catalog, data.interactions)
    DriftrecTracker.text_vectors, tags = leak_free_text_vectors(settings, split, progress)
    return text_provenance(settings, tags)


def needs_item_text(models: Iterable[str]) -> bool:
    """Whether any of the named models reads the text encoder's item vectors (its ``uses_text``).

    Raises:
        KeyError: an unknown model name (the message lists the known ones).
    """
    for name in models:
        try:
            model = get_model_class(name)
        except ModelUnavailableError:
            continue  # the evaluation skips such a model, or fails naming it: it reads no vectors here
        if getattr(model, "uses_text", False):
            return True
    return False

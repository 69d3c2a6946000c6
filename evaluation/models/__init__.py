"""The models the harness can evaluate, by short name.

Entries are ``"module:Class"`` strings so that importing this package loads no optional dependency.
Other packages (the driftrec tracker) add themselves with :func:`register_model`.
"""

from __future__ import annotations

import importlib

from evaluation.models.base import ModelUnavailableError, Recommender

MODEL_REGISTRY: dict[str, str | type[Recommender]] = {
    "mostpop": "evaluation.models.mostpop:MostPop",
    "random": "evaluation.models.random_scorer:RandomScorer",
    "itemknn": "evaluation.models.itemknn:ItemKNN",
    "ease": "evaluation.models.ease:EASE",
    "als": "evaluation.models.implicit_mf:ALS",
    "bpr": "evaluation.models.implicit_mf:BPR",
    "sasrec": "evaluation.models.sasrec:SASRec",
    "driftrec": "evaluation.models.tracker:DriftrecTracker",
    "driftrec-sampled": "evaluation.models.tracker:DriftrecSampled",
    "driftrec-sampled-drawn": "evaluation.models.tracker:DriftrecSampledDrawn",
    "driftrec-sampled-narrow": "evaluation.models.tracker:DriftrecSampledNarrow",
    "driftrec-ids": "evaluation.models.tracker:DriftrecIds",
    "driftrec-batch512": "evaluation.models.tracker:DriftrecBatch512",
}

DEFAULT_MODELS: tuple[str, ...] = ("mostpop", "itemknn", "ease", "als", "bpr", "sasrec", "driftrec")
"""What ``driftrec eval`` compares when no ``--models`` is given."""


def register_model(key: str, model: str | type[Recommender]) -> None:
    """Make ``model`` (a class or ``"module:Class"``) available as ``key`` (lower case)."""
    MODEL_REGISTRY[key.lower()] = model


def get_model_class(key: str) -> type[Recommender]:
    """The class registered under ``key``.

    Raises:
        KeyError: unknown name (the message lists the known ones).
        ModelUnavailableError: the model's optional dependency is missing.
    """
    entry = MODEL_REGISTRY.get(key.lower())
    if entry is None:
        raise KeyError(f"unknown model {key!r}; known models: {', '.join(MODEL_REGISTRY)}")
    if isinstance(entry, str):
        module_name, _, class_name = entry.partition(":")
        entry = getattr(importlib.import_module(module_name), class_name)
    entry.check_available()
    return entry


__all__ = ["DEFAULT_MODELS", "MODEL_REGISTRY", "ModelUnavailableError", "Recommender", "get_model_class", "register_model"]

"""The evaluation's item text leaves out tags written at or after each user's held-out interactions."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from evaluation.item_text import (
    first_held_out,
    leak_free_tags,
    leak_free_text_vectors,
    needs_item_text,
    text_provenance,
    use_eval_text,
)
from evaluation.models.tracker import DriftrecTracker
from evaluation.protocol import split_leave_last_out
from retrieval.encoder import TextEncoder
from retrieval.movielens import load_dataset, read_tags, top_tags
from retrieval.settings import Settings, load_settings

# In TINY_RATINGS user 1's held-out items are movie 4 (validation, 964982224) and movie 1 (test);
# user 2's are movies 2 and 5 (from 1445714835); user 9 has no ratings, hence nothing held out.
FIRST_HELD_OUT_USER_1 = 964982224
LEAKY_TAGS = f"""userId,movieId,tag,timestamp
1,3,before,{FIRST_HELD_OUT_USER_1 - 1}
1,1,same second,{FIRST_HELD_OUT_USER_1}
1,1,after,{FIRST_HELD_OUT_USER_1 + 500}
2,1,fun,1139045766
9,4,outsider,2000000000
"""


@pytest.fixture
def leaky_settings(tiny_settings: Settings) -> Settings:
    """The tiny release with tags written before, at and after user 1's first held-out interaction."""
    (tiny_settings.dataset_dir / "tags.csv").write_text(LEAKY_TAGS, encoding="utf-8")
    return tiny_settings


def _split(settings: Settings):
    data = load_dataset(settings.dataset, settings.data_dir, with_tags=False)
    return split_leave_last_out(data.catalog, data.interactions)


class FakeEncoder:
    """Stands in for the sentence encoder: deterministic unit vectors, and a count of the texts it saw."""

    calls: ClassVar[list[list[str]]] = []

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        FakeEncoder.calls.append(list(texts))
        vectors = np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def fake_encoder(monkeypatch: pytest.MonkeyPatch) -> type[FakeEncoder]:
    FakeEncoder.calls = []
    monkeypatch.setattr(TextEncoder, "encode", FakeEncoder.encode)
    return FakeEncoder


def test_the_first_held_out_interaction_is_the_validation_item_or_the_only_one(leaky_settings: Settings):
    held_out = first_held_out(_split(leaky_settings))
    assert held_out.to_dict() == {1: FIRST_HELD_OUT_USER_1, 2: 1445714835, 3: 1000000000}


def test_tags_at_or_after_the_first_held_out_interaction_are_dropped(leaky_settings: Settings):
    tags = leak_free_tags(leaky_settings.dataset_dir, _split(leaky_settings))
    assert tags.top.to_dict() == {1: ["fun"], 3: ["before"], 4: ["outsider"]}
    assert (tags.dropped_rows, tags.total_rows) == (2, 5)
    # the whole file would have shown user 1's tags on their own test movie
    assert top_tags(read_tags(leaky_settings.dataset_dir)).loc[1] == ["after", "fun", "same second"]


def test_provenance_says_which_tags_and_how_many_rows_were_dropped(leaky_settings: Settings):
    tags = leak_free_tags(leaky_settings.dataset_dir, _split(leaky_settings))
    provenance = text_provenance(leaky_settings, tags)
    assert provenance["tags"] == ("top 5 tags per movie from tags.csv rows written before each user's "
                                  "first held-out interaction (2 of 5 tag rows dropped)")
    assert provenance["encoder"] == leaky_settings.encoder and provenance["keywords"] is None


def test_vectors_encode_the_leak_free_text_and_are_cached(leaky_settings: Settings, fake_encoder):
    split = _split(leaky_settings)
    (movie_ids, vectors), _ = leak_free_text_vectors(leaky_settings, split, progress=False)
    assert np.array_equal(movie_ids, split.catalog.movie_ids) and vectors.shape == (len(movie_ids), 3)
    [texts] = fake_encoder.calls
    toy_story = texts[list(movie_ids).index(1)]
    assert "Tags: fun." in toy_story and "after" not in toy_story and "same second" not in toy_story

    again, _ = leak_free_text_vectors(leaky_settings, split, progress=False)
    assert len(fake_encoder.calls) == 1  # the second run read the cache
    assert np.array_equal(again[1], vectors)
    assert len(list((leaky_settings.cache_dir / leaky_settings.dataset).glob("eval-items-*.npz"))) == 1

    other_encoder = leaky_settings.model_copy(update={"encoder": "another-encoder"})
    leak_free_text_vectors(other_encoder, split, progress=False)
    assert len(fake_encoder.calls) == 2  # another encoder is another key


def test_use_eval_text_sets_the_tracker_vectors(leaky_settings: Settings, fake_encoder, monkeypatch):
    monkeypatch.setattr(DriftrecTracker, "text_vectors", None)
    provenance = use_eval_text(leaky_settings, progress=False)
    assert "(2 of 5 tag rows dropped)" in provenance["tags"]
    movie_ids, _ = DriftrecTracker.text_vectors
    assert np.array_equal(movie_ids, [1, 2, 3, 4, 5])


def test_a_release_without_tags_says_no_tag_can_leak(data_dir: Path):
    provenance = text_provenance(load_settings(data_dir=data_dir, dataset="ml-100k"), None)
    assert provenance["tags"].startswith("none: ml-100k has no tags.csv, so no user tag can leak")


def test_only_models_that_read_item_text_need_it():
    assert needs_item_text(["mostpop", "driftrec"])
    assert not needs_item_text(["mostpop", "driftrec-ids"])
    with pytest.raises(KeyError, match="known models"):
        needs_item_text(["nope"])


def test_real_release_loses_leaked_tags(small, data_dir: Path):
    split = split_leave_last_out(small.catalog, small.interactions)
    tags = leak_free_tags(data_dir / "ml-latest-small", split)
    assert 0 < tags.dropped_rows < tags.total_rows == len(read_tags(data_dir / "ml-latest-small"))
    whole_file = small.catalog.movies.set_index("movie_id")["tags"]
    leak_free = small.catalog.with_tags(tags.top).movies.set_index("movie_id")["tags"]
    assert (whole_file != leak_free).any()


def test_driftrec_ids_ignores_the_text_vectors(leaky_settings: Settings, monkeypatch):
    from evaluation.models import get_model_class

    catalog = _split(leaky_settings).catalog
    monkeypatch.setattr(DriftrecTracker, "text_vectors", (catalog.movie_ids, np.eye(len(catalog), dtype=np.float32)))
    assert get_model_class("driftrec")()._aligned_text(catalog) is not None
    assert get_model_class("driftrec-ids")()._aligned_text(catalog) is None


def test_driftrec_eval_records_the_leak_free_text(leaky_settings: Settings, fake_encoder, capsys, monkeypatch):
    import json
    import sys

    import evaluation.runner
    from ui.cli import main

    seen = {}

    def run_evaluation(dataset, data_dir, models, *args, item_text=None, **kwargs):
        seen.update(models=models, vectors=DriftrecTracker.text_vectors)
        return {"item_text": item_text}

    monkeypatch.setattr(evaluation.runner, "run_evaluation", run_evaluation)
    monkeypatch.setattr(DriftrecTracker, "text_vectors", None)
    monkeypatch.setattr(sys, "argv", ["driftrec", "eval", "--data-dir", str(leaky_settings.data_dir), "--dataset",
                                      leaky_settings.dataset, "--models", "driftrec,driftrec-ids", "--json"])
    try:
        main()
    except SystemExit as stop:  # main exits only on an error
        pytest.fail(f"driftrec eval exited with {stop.code}: {capsys.readouterr().err}")
    printed = json.loads(capsys.readouterr().out)
    assert "(2 of 5 tag rows dropped)" in printed["item_text"]["tags"]
    assert seen["models"] == ["driftrec", "driftrec-ids"] and seen["vectors"] is not None
    assert len(fake_encoder.calls) == 1

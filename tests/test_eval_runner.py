"""End-to-end checks of the harness: the MostPop reference rows, sanity orderings, a quick run, the shift."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from evaluation.drift import build_shift_cases, evaluate_shift
from evaluation.models import get_model_class
from evaluation.models.base import ModelUnavailableError, Recommender
from evaluation.models.mostpop import MostPop
from evaluation.protocol import split_leave_last_out
from evaluation.runner import run_evaluation

# shared/PROTOCOL.md, "Reference figures": MostPop must match to the fourth decimal.
MOSTPOP_REFERENCE = {
    "ml-100k": {"hr@10": 0.0870, "ndcg@10": 0.0423, "hr@20": 0.1294, "ndcg@20": 0.0529,
                "coverage@10": 0.0541, "novelty@10": 1.1911, "drift_ndcg@10": 0.0411},
    "ml-latest-small": {"hr@10": 0.0377, "ndcg@10": 0.0181, "hr@20": 0.0656, "ndcg@20": 0.0251,
                        "coverage@10": 0.0125, "novelty@10": 1.4199, "drift_ndcg@10": 0.0141},
}
DRIFT_USERS = {"ml-100k": 220, "ml-latest-small": 116}


@pytest.fixture(scope="module")
def ml100k_run(data_dir):
    """Full (not quick) ml-100k run of the fast models: MostPop, ItemKNN, EASE and a random scorer."""
    return run_evaluation(
        "ml-100k", data_dir, models=["mostpop", "itemknn", "ease", "random"], seeds=2, progress=False, log=None
    )


@pytest.mark.parametrize("dataset", ["ml-100k", "ml-latest-small"])
def test_mostpop_reproduces_the_protocol_reference(dataset, data_dir, ml100k_run):
    results = ml100k_run if dataset == "ml-100k" else run_evaluation(
        dataset, data_dir, models=["mostpop"], seeds=1, progress=False, log=None
    )
    assert results["drift_subset_users"] == DRIFT_USERS[dataset]
    mean = results["models"]["mostpop"]["mean"]
    for metric, expected in MOSTPOP_REFERENCE[dataset].items():
        assert round(mean[metric], 4) == pytest.approx(expected, abs=1e-9), metric


def test_itemknn_and_ease_beat_mostpop_and_random_is_at_chance(ml100k, ml100k_run):
    means = {key: outcome["mean"] for key, outcome in ml100k_run["models"].items()}
    assert means["itemknn"]["ndcg@10"] > means["mostpop"]["ndcg@10"]
    assert means["ease"]["ndcg@10"] > means["mostpop"]["ndcg@10"]
    # Chance level: each user's hit probability is 10 / (items not in their history).
    split = split_leave_last_out(ml100k.catalog, ml100k.interactions)
    free = split.n_items - split.histories("test").lengths
    chance = float(np.mean(10.0 / free))
    spread = np.sqrt(chance * (1 - chance) / len(free) / 2)  # two seeds
    assert abs(means["random"]["hr@10"] - chance) < 4 * spread
    assert ml100k_run["models"]["random"]["stochastic"]
    assert len(ml100k_run["models"]["random"]["seeds"]) == 2
    assert len(ml100k_run["models"]["mostpop"]["seeds"]) == 1  # deterministic: one run


def test_quick_run_of_mostpop_and_itemknn_writes_the_report(data_dir, tmp_path):
    results = run_evaluation(
        "ml-latest-small", data_dir, models=["mostpop", "itemknn"], seeds=1, quick=True,
        out_dir=tmp_path, progress=False, log=None,
    )
    assert results["evaluated_users"] == 200 and results["users"] == 610
    for name in ("results.json", "results.md", "ndcg10.png", "adaptation.png"):
        assert (tmp_path / name).stat().st_size > 0
    stored = json.loads((tmp_path / "results.json").read_text())
    assert set(stored["models"]) == {"mostpop", "itemknn"}
    knn = stored["models"]["itemknn"]
    assert len(knn["tuning"]) == len(get_model_class("itemknn").param_grid)
    assert knn["params"]["history"] in {t["params"]["history"] for t in knn["tuning"]}
    table = (tmp_path / "results.md").read_text()
    assert "| MostPop |" in table and "| ItemKNN |" in table and "drift NDCG@10" in table
    for key in ("adaptation@1", "adaptation@3", "adaptation@5", "retention", "ild@10", "fit_seconds"):
        assert key in knn["mean"]


class SpyModel(Recommender):
    """Records what fit receives, scores by popularity."""

    name = "Spy"
    seen: list[pd.DataFrame] = []

    def fit(self, train, catalog, validation=None):
        SpyModel.seen.append(train[["user_id", "movie_id"]].copy())
        self.counts_ = np.bincount(train["item"].to_numpy(), minlength=len(catalog)).astype(np.float32)
        return self

    def score(self, histories):
        return np.tile(self.counts_, (len(histories), 1))


def test_the_runner_never_shows_a_test_item_to_fit(data_dir):
    SpyModel.seen = []
    run_evaluation("ml-100k", data_dir, models=[("spy", SpyModel)], seeds=1, quick=True, progress=False, log=None)
    assert len(SpyModel.seen) == 2  # one tuning fit, one refit
    from retrieval.movielens import load_dataset

    data = load_dataset("ml-100k", data_dir)
    split = split_leave_last_out(data.catalog, data.interactions)
    test_pairs = set(zip(split.test["user_id"], split.test["movie_id"]))
    valid_pairs = set(zip(split.valid["user_id"], split.valid["movie_id"]))
    tuning, refit = (set(zip(f["user_id"], f["movie_id"])) for f in SpyModel.seen)
    assert not tuning & (test_pairs | valid_pairs)
    assert not refit & test_pairs and valid_pairs <= refit


class GenreFollower(Recommender):
    """Scores items by their genre overlap with the last history item: follows a shift at once."""

    name = "GenreFollower"

    def fit(self, train, catalog, validation=None):
        self.genres_ = catalog.genre_matrix
        return self

    def score(self, histories):
        last = histories.items[histories.offsets[1:] - 1]
        return (self.genres_[last] @ self.genres_.T).astype(np.float32)


def test_injected_shift_adaptation_and_retention(ml100k):
    split = split_leave_last_out(ml100k.catalog, ml100k.interactions)
    cases = build_shift_cases(split, n_users=40, seed=0)
    assert len(cases) == 40
    genres = split.catalog.genre_matrix > 0
    # Injected movies are of the drawn genre, which the user never watched.
    assert genres[cases.injected, cases.genres[:, None]].all()
    per_entry = genres[cases.histories.items, cases.genres[cases.histories.row_of_entry]]
    assert not per_entry.any()

    follower = GenreFollower().fit(split.fit_data("test"), split.catalog)
    shift = evaluate_shift(follower, cases, split.catalog.genre_matrix)
    assert shift["adaptation@0"] < 0.2  # a genre the user never watched
    assert shift["adaptation@1"] > 0.6
    assert min(shift["adaptation@3"], shift["adaptation@5"]) > shift["adaptation@0"] + 0.25

    popular = MostPop().fit(split.fit_data("test"), split.catalog)
    shift = evaluate_shift(popular, cases, split.catalog.genre_matrix)
    assert shift["retention"] == pytest.approx(1.0)  # history-independent: the original list stays


def test_missing_optional_models_are_skipped_by_default_and_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("DRIFTREC_BENCH_PYTHON", str(tmp_path / "no-such-python"))
    with pytest.raises(ModelUnavailableError, match="make bench-env"):
        get_model_class("sasrec")
    with pytest.raises(KeyError, match="known models"):
        get_model_class("nope")


def test_results_record_what_the_item_text_was_made_of(small, data_dir, tmp_path):
    from evaluation.item_text import leak_free_tags, text_provenance
    from retrieval.settings import load_settings

    tags = leak_free_tags(data_dir / "ml-latest-small", split_leave_last_out(small.catalog, small.interactions))
    provenance = text_provenance(load_settings(data_dir=data_dir, dataset="ml-latest-small"), tags)
    assert provenance["encoder"] and "tags.csv" in provenance["tags"] and provenance["keywords"] is None
    assert "no tags.csv" in text_provenance(load_settings(data_dir=data_dir, dataset="ml-100k"), None)["tags"]
    results = run_evaluation("ml-100k", data_dir, ["mostpop"], 1, quick=True, out_dir=tmp_path, progress=False,
                             log=None, item_text=provenance)
    assert results["item_text"] == provenance
    assert "Item text: encoder" in (tmp_path / "results.md").read_text()


def test_the_llamarec_protocol_is_run_and_recorded(data_dir) -> None:
    from evaluation.report import markdown_report
    from evaluation.runner import run_evaluation

    results = run_evaluation("ml-latest-small", data_dir, ["mostpop"], 1, quick=True, progress=False,
                             log=None, protocol="llamarec")
    assert results["protocol"] == "llamarec" and results["catalog_size"] == 3650  # movies with 5+ users
    assert "LlamaRec" in markdown_report(results).splitlines()[0]
    default = run_evaluation("ml-latest-small", data_dir, ["mostpop"], 1, quick=True, progress=False, log=None)
    assert default["protocol"] == "shared/PROTOCOL.md" and default["catalog_size"] > 3650
    with pytest.raises(KeyError, match="unknown protocol"):
        run_evaluation("ml-latest-small", data_dir, ["mostpop"], 1, quick=True, progress=False, log=None, protocol="x")


def test_a_protocol_may_have_its_own_grid(data_dir) -> None:
    from evaluation.models.mostpop import MostPop
    from evaluation.models.tracker import DriftrecTracker
    from evaluation.runner import run_evaluation

    assert DriftrecTracker.grid_for("default") == [{"dim": 64}]
    assert len(DriftrecTracker.grid_for("llamarec")) == 9 and {"dim": 256, "window": 10} in DriftrecTracker.grid_for("llamarec")
    seen: list[str] = []

    class Tried(MostPop):
        name = "tried"
        protocol_grids = {"llamarec": [{"label": "a"}, {"label": "b"}]}

        def __init__(self, seed: int = 0, label: str = "default") -> None:
            super().__init__(seed)
            seen.append(label)

    results = run_evaluation("ml-latest-small", data_dir, [("tried", Tried)], 1, quick=True, progress=False,
                             log=None, protocol="llamarec")
    assert seen[:2] == ["a", "b"] and [t["params"] for t in results["models"]["tried"]["tuning"]] == [{"label": "a"}, {"label": "b"}]

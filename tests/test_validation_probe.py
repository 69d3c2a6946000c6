"""The validation probe fits each variant on the training part and reads the validation item only."""

import json

import pytest

from evaluation import validation_probe


def test_each_variant_and_seed_is_read_on_the_validation_item(data_dir, monkeypatch):
    from evaluation import runner

    read = []
    original = runner.target_ranks
    monkeypatch.setattr(runner, "target_ranks", lambda lists, targets: read.append(targets) or original(lists, targets))

    rows = validation_probe.probe("ml-100k", data_dir, {"one": {"epochs": 1}, "two": {"epochs": 2, "dim": 16}},
                                  [0, 1], model="driftrec-ids")

    assert [(r["variant"], r["seed"]) for r in rows] == [("one", 0), ("two", 0), ("one", 1), ("two", 1)]
    assert all(0.0 < r["valid_ndcg@10"] <= r["valid_hr@10"] <= 1.0 for r in rows)
    assert rows[0]["valid_ndcg@10"] != rows[1]["valid_ndcg@10"]  # the settings reach the model
    valid_targets = runner.build_context("ml-100k", data_dir, False, None, None).valid_targets
    assert len(read) == len(rows)  # every fit was scored through the runner's validation ranking
    assert all((targets == valid_targets).all() for targets in read)  # the validation item, never the test's
    assert "| one | `{\"epochs\": 1}` |" in validation_probe.table(rows)


def test_variants_that_are_not_json_say_how_to_write_them(capsys):
    with pytest.raises(SystemExit):
        validation_probe.main(["--variants", "{full: {}}"])
    assert "is not JSON" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        validation_probe.main(["--variants", json.dumps({"full": 1})])
    assert "must map each name" in capsys.readouterr().err

"""What the app still needs before it can start: a trained model, and the data set's history ingested.

``python -m ui.readiness --dataset NAME`` prints the ``driftrec`` commands still to run, one a line
(``train --time-budget 60``, ``ingest``), and nothing when the app is ready, so ``make run`` runs
only what is missing and a second ``make run`` goes straight to the app. The first training is a
quick one within a time budget: the app serves with it in minutes and trains the full model in the
background (``driftrec ui --refine``). Exit code 2 with one line on a
problem (such as an invalid setting).
"""

from __future__ import annotations

import argparse
import sys

from retrieval.errors import DriftrecError
from retrieval.settings import Settings, load_settings
from tracking.events import open_event_log


def model_ready(settings: Settings) -> bool:
    """A trained model exists for the data set (``driftrec train`` writes it)."""
    from tracking.train import tables_path  # imports torch: only when asked

    return tables_path(settings).is_file()


def history_ready(settings: Settings) -> bool:
    """The data set's ratings are in the event log (``driftrec ingest`` puts them there)."""
    with open_event_log(settings) as log:
        return log.has_history(settings.dataset)


FIRST_TRAINING_BUDGET_S = 60
"""Seconds of the first, quick training in ``make run`` (ml-latest-small: about 3 epochs on 2 cores)."""


def missing_steps(settings: Settings) -> list[str]:
    """The ``driftrec`` commands still to run, in order (one a line, arguments included)."""
    steps = []
    if not model_ready(settings):
        steps.append(f"train --time-budget {FIRST_TRAINING_BUDGET_S}")
    if not history_ready(settings):
        steps.append("ingest")
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", help="MovieLens release [env DRIFTREC_DATASET].")
    parser.add_argument("--home", help="Driftrec home [env DRIFTREC_HOME].")
    arguments = parser.parse_args(argv)
    try:
        steps = missing_steps(load_settings(dataset=arguments.dataset, home=arguments.home))
    except (DriftrecError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for step in steps:
        print(step)
    return 0


if __name__ == "__main__":
    sys.exit(main())

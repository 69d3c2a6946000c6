"""Interest summaries written by a chat model: how many pass the grounding check, and how fast.

Usage::

    python -m evaluation.summaries [--llm llamacpp:qwen2.5-0.5b] [--dataset ml-100k] [--users 30]
                                   [--home DIR] [--out docs/results/summaries.md]

Trains a small tracker on a temporary home (or reuses ``--home``), then asks the model for the
interest summary of a fixed sample of users (:func:`tracking.summary.summarise`, exactly as a
profile version does) and reports the share the check accepted, the seconds per summary, why the
others were refused, and a few accepted texts beside their notes. A refused text is never shown to
anyone: the template notes stand in for it.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.agent_speed import ready_settings
from evaluation.bench import default_data_dir
from retrieval.fileio import atomic_write

SAMPLE_SEED = 0


def run(settings: Any, llm: str, n_users: int) -> dict[str, Any]:
    """Summaries of ``n_users`` sampled users with chat model ``llm``: outcomes and timings."""
    from agent.llm import describe_model, load_chat_model
    from tracking.service import Tracker
    from tracking.summary import summarise, template_summary

    chat_model = load_chat_model(settings.model_copy(update={"llm": llm}))
    if chat_model is None:
        raise SystemExit("--llm none writes no model summaries; name a chat model")
    tracker = Tracker(settings)
    try:
        users = sorted(tracker.log.users(), key=lambda u: (not u.isdigit(), int(u) if u.isdigit() else 0, u))
        chosen = np.random.default_rng(SAMPLE_SEED).choice(len(users), size=min(n_users, len(users)), replace=False)
        outcomes = []
        for index in sorted(chosen):
            facts = tracker.summary_facts(users[index])
            began = time.perf_counter()
            text, source, problems = summarise(facts, tracker.mention_vocabulary, chat_model)
            outcomes.append({"user": users[index], "seconds": time.perf_counter() - began, "source": source,
                             "problems": problems, "notes": template_summary(facts), "text": text})
    finally:
        tracker.close()
    return {"llm": llm, "model": describe_model(chat_model), "outcomes": outcomes}


def markdown(result: dict[str, Any], dataset: str) -> str:
    """Acceptance, time per summary, refusal reasons and examples."""
    outcomes = result["outcomes"]
    accepted = [o for o in outcomes if o["source"] == "llm"]
    reasons = collections.Counter(problem.split(" ", 1)[0] for o in outcomes for problem in set(o["problems"]))
    lines = [
        "# Interest summaries by the chat model",
        "",
        f"`python -m evaluation.summaries --llm {result['llm']}` on {dataset}: the model rephrases each sampled",
        "user's template notes; `tracking/grounding.py` refuses a text that names a title, genre, decade, year or",
        "number outside the facts (the notes are kept then).",
        "",
        "| chat model | users | accepted | seconds per summary p50 | max |",
        "|---|---|---|---|---|",
        f"| {result['model']} | {len(outcomes)} | {len(accepted)} ({len(accepted) / max(len(outcomes), 1):.0%}) | "
        f"{statistics.median(o['seconds'] for o in outcomes):.1f} | {max(o['seconds'] for o in outcomes):.1f} |",
        "",
        "Refusals by kind (a text may have several): "
        + (", ".join(f"{kind} {count}" for kind, count in reasons.most_common()) or "none") + ".",
        "",
        "Accepted examples:",
        "",
    ]
    for outcome in accepted[:3]:
        lines += [f"- user {outcome['user']}, notes: {outcome['notes']}", f"  - model: {outcome['text']}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llm", default="llamacpp:qwen2.5-0.5b")
    parser.add_argument("--dataset", default="ml-100k")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--home", type=Path, help="A driftrec home to reuse (trained and ingested if not yet).")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="driftrec-summaries-") as scratch:
        settings = ready_settings(args.home or Path(scratch), args.data_dir, args.dataset)
        result = run(settings, args.llm, args.users)
    text = markdown(result, args.dataset)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(args.out, lambda handle: handle.write(text.encode("utf-8")))


if __name__ == "__main__":
    main()

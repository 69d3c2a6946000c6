"""Agent turn speed on this CPU: time outside the LLM, time to first token, total, per backend.

Usage::

    python -m evaluation.agent_speed [--llms llamacpp:smollm2-135m,transformers:smollm2-135m,llamacpp:qwen2.5-0.5b]
                                     [--dataset ml-100k] [--out docs/results/agent-speed.md]

Trains a small tracker on a temporary home (or reuses ``--home``), then runs the same scripted
conversation through :class:`agent.session.ChatSession` once per chat model, plus once without a
model (the rule-based path, the baseline of the code's own cost). Prints medians per backend and
the ratio of each backend's total to the first one's, measured in the same run. The default
compares the two CPU backends on the same model (SmolLM2), then adds the default model (Qwen 0.5B)
on llama.cpp; transformers runs the 0.5B model in bf16 on a CPU too slowly for a routine benchmark.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from evaluation.bench import default_data_dir
from retrieval.fileio import atomic_write

SCRIPT = (
    "recommend me something",
    "less horror, more 90s comedies",
    "why the first one?",
    "not that one, something lighter",
)
OUTSIDE_LLM_TARGET_S = 0.1


def ready_settings(home: Path, data_dir: Path, dataset: str):
    """Settings of a home with a small trained tracker (dim 32, 2 epochs) and the ratings ingested; reused if ready."""
    from retrieval.settings import load_settings
    from tracking.model import TrackerConfig
    from tracking.service import Tracker
    from tracking.train import tables_path, train_tracker

    settings = load_settings(home=home, data_dir=data_dir, dataset=dataset)
    if not tables_path(settings).is_file():
        train_tracker(settings, TrackerConfig(dim=32, epochs=2), progress=False)
    tracker = Tracker(settings)
    if tracker.log.count() == 0:
        tracker.ingest(progress=False)
    tracker.close()
    return settings


def run_backend(settings, llm: str, user: str) -> list[dict[str, float]]:
    """Timings of each scripted turn with chat model ``llm`` ("none": no model)."""
    from agent.llm import load_chat_model
    from agent.session import ChatSession
    from tracking.service import Tracker

    chat_model = load_chat_model(settings.model_copy(update={"llm": llm}))
    tracker = Tracker(settings)
    session = ChatSession(tracker, user, chat_model)
    timings = [session.send(message).timings for message in SCRIPT]
    tracker.close()
    return timings


def summary_table(results: dict[str, list[dict[str, float]]]) -> str:
    """Markdown: medians per backend and the total's ratio to the first backend with a model."""
    rows = ["| chat model | turns | outside LLM p50 (ms) | outside LLM max (ms) | first token p50 (s) | total p50 (s) | ratio of total |",
            "|---|---|---|---|---|---|---|"]
    reference = next((statistics.median(t["total"] for t in r) for name, r in results.items() if name != "none"), None)
    for name, turns in results.items():
        outside = [1000 * t["outside_llm"] for t in turns]
        total = statistics.median(t["total"] for t in turns)
        first = statistics.median(t["first_token"] for t in turns) if name != "none" else float("nan")
        ratio = f"{total / reference:.2f}" if reference and name != "none" else "—"
        rows.append(f"| {name} | {len(turns)} | {statistics.median(outside):.1f} | {max(outside):.1f} | {first:.2f} | {total:.2f} | {ratio} |")
    worst = max(1000 * t["outside_llm"] for turns in results.values() for t in turns)
    verdict = "pass" if worst < 1000 * OUTSIDE_LLM_TARGET_S else "FAIL"
    rows.append("")
    rows.append(f"Time outside the LLM, worst turn: {worst:.1f} ms (target < {1000 * OUTSIDE_LLM_TARGET_S:.0f} ms: {verdict}).")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llms", default="llamacpp:smollm2-135m,transformers:smollm2-135m,llamacpp:qwen2.5-0.5b")
    parser.add_argument("--dataset", default="ml-100k")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--home", type=Path, help="Reuse this driftrec home (default: a temporary one).")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    header = (f"Agent turn speed, {len(SCRIPT)} scripted turns per chat model, {args.dataset}, "
              f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}, load average at start "
              f"{os.getloadavg()[0]:.1f} (`python -m evaluation.agent_speed`).\n\n")
    with tempfile.TemporaryDirectory() as scratch:
        settings = ready_settings(args.home or Path(scratch), args.data_dir, args.dataset)
        results = {"none": run_backend(settings, "none", "speed-none")}
        for llm in [s.strip() for s in args.llms.split(",") if s.strip()]:
            results[llm] = run_backend(settings, llm, f"speed-{llm.replace(':', '-')}")
            _report(header + summary_table(results), args.out)  # each backend as it finishes: slow ones take long


def _report(text: str, out: Path | None) -> None:
    print(text, flush=True)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, lambda handle: handle.write((text + "\n").encode("utf-8")))


if __name__ == "__main__":
    main()

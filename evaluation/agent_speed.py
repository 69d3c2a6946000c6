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
from collections import Counter
import tempfile
from pathlib import Path
from typing import Any

from evaluation.bench import default_data_dir
from retrieval.fileio import atomic_write

SCRIPT = (
    # a new user: cold start, then preferences, the README's example, questions, reactions, rejections
    "hi",
    "I love 90s comedies but nothing scary",
    "less horror, more 90s comedies",
    "why the first one?",
    "why the second one?",
    "not that one",
    "something like Toy Story",
    "the third one looks fun",
    "what do you know about me?",
    "more action please",
    "why the last one?",
    "seen the second one, it was alright",
    "recommend me something",
    "these are all wrong",
    "none of these either",
    "something with dinosaurs",
    "no more westerns, ever",
    "I loved Star Wars",
    "why the first one?",
    "anything from the 80s?",
    "undo",
    "nah",
    "the fourth one please",
    "what should I watch tonight?",
    "I hated Titanic",
    "something lighter",
    "more documentaries",
    "why the third one?",
    "thanks!",
    "what is it about?",
)
"""30 turns, run in order for one new user: the README example, why-questions, "something like",
rejections (widening), cold start, a profile question, a description search, undo, chit-chat."""
OUTSIDE_LLM_TARGET_S = 0.1
FIRST_USEFUL_P50_S = 1.0
FIRST_USEFUL_P99_S = 2.0


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


def run_backend(settings, llm: str, user: str) -> list[dict[str, Any]]:
    """Each scripted turn with chat model ``llm`` ("none": no model): timings and the promises checked."""
    from agent.claims import unsupported_claims
    from agent.llm import load_chat_model
    from agent.session import CLARIFYING_QUESTION, COLD_START_QUESTION, ChatSession, ListShown, Turn
    from tracking.service import Tracker

    chat_model = load_chat_model(settings.model_copy(update={"llm": llm}))
    tracker = Tracker(settings)
    session = ChatSession(tracker, user, chat_model)
    rows = []
    preferences_given = False
    for message in SCRIPT:
        shown_before = [c["movie_id"] for c in session.last_recommendations]
        events_before = tracker.log.count(user)
        lists, turn = [], None
        for part in session.stream(message):
            if isinstance(part, ListShown):
                lists.append(part.cards)
            elif isinstance(part, Turn):
                turn = part
        recorded = tracker.log.count(user) > events_before
        refused = [r for s in turn.steps if s["tool"] == "refused_text" for r in s["result"]]
        model_said = turn.model_sentences
        promises = {
            "list refreshed after feedback": (not recorded) or bool(lists),
            "clarifying question after widening": turn.strategy != "widened" or CLARIFYING_QUESTION in turn.reply,
            "no cold-start question after preferences": not (preferences_given and COLD_START_QUESTION in turn.reply),
            "every card marked when all are wrong": message != "these are all wrong"
            or set(shown_before) <= set(_not_interested(tracker, user)),
            "no unsupported claim shown": not any(unsupported_claims(s, turn.recommendations or []) for s in model_said),
        }
        preferences_given = preferences_given or bool(turn.understood and turn.understood.startswith("Noted"))
        rows.append({**turn.timings, "promises": promises, "model_kept": len(model_said), "model_dropped": len(refused),
                     "message": message, "reply": turn.reply, "kept": list(model_said),
                     "dropped": [(r["sentence"], r["problems"]) for r in refused]})
    tracker.close()
    return rows


def encoder_load_line(settings) -> str:
    """Load the text encoder as the app does at start-up (``ui.sessions.AppServices.create``), and say
    how long it took: the turns below then search without waiting for it."""
    import time

    from retrieval.encoder import TextEncoder

    began = time.perf_counter()
    TextEncoder(settings.encoder).model
    return (f"The text encoder for searches by description loads once per process, at start-up in the app: "
            f"{time.perf_counter() - began:.1f} s here, before the turns.\n\n")


def _not_interested(tracker, user: str) -> list[int]:
    return [e.movie_id for e in tracker.log.events_for(user) if e.kind == "not_interested"]


def summary_table(results: dict[str, list[dict[str, Any]]]) -> str:
    """Markdown: per backend, time to the first useful text, to the full reply, model calls, promises kept."""
    rows = ["| chat model | turns | first useful p50 (ms) | first useful p99 (ms) | full reply p50 (s) | full reply p99 (s) "
            "| model calls / turn | promises kept | model sentences kept / dropped |",
            "|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for name, turns in results.items():
        first = sorted(t["first_useful"] for t in turns)
        total = sorted(t["total"] for t in turns)
        checks = [ok for t in turns for ok in t["promises"].values()]
        kept, dropped = sum(t["model_kept"] for t in turns), sum(t["model_dropped"] for t in turns)
        rows.append(f"| {name} | {len(turns)} | {1000 * statistics.median(first):.1f} | {1000 * _p99(first):.1f} | "
                    f"{statistics.median(total):.2f} | {_p99(total):.2f} | {statistics.mean(t['model_calls'] for t in turns):.2f} | "
                    f"{sum(checks)}/{len(checks)} | {kept} / {dropped} |")
        passed = statistics.median(first) < FIRST_USEFUL_P50_S and _p99(first) < FIRST_USEFUL_P99_S and all(checks)
        verdicts.append(f"{name}: {'pass' if passed else 'FAIL'}")
    broken = [f"- {name}, \"{t['message']}\": {k}" for name, turns in results.items() for t in turns
              for k, ok in t["promises"].items() if not ok]
    rows += ["", f"Targets: first useful text p50 < {FIRST_USEFUL_P50_S:.0f} s and p99 < {FIRST_USEFUL_P99_S:.0f} s, "
             f"every promise kept — " + "; ".join(verdicts) + ".", ""]
    rows += ["Promises broken:", *(broken or ["- none"])]
    return "\n".join(rows)


def transcripts(results: dict[str, list[dict[str, Any]]]) -> str:
    """Markdown: every model sentence shown (to audit by eye) and every one dropped, with the check's reason."""
    lines = []
    for name, turns in results.items():
        if name == "none":
            continue
        reasons = Counter(problem.split(":")[0].split(" (")[0] for t in turns for _, problems in t["dropped"]
                          for problem in problems)
        lines += ["", f"## {name}: what the model added", "",
                  "Reasons sentences were dropped: " + (", ".join(f"{r} {n}" for r, n in reasons.most_common()) or "none"), ""]
        for number, t in enumerate(turns, 1):
            lines.append(f"{number}. **“{t['message']}”** → " + " ".join(f"✅ {s}" for s in t["kept"])
                         + "".join(f" ✂ ~~{s}~~ ({'; '.join(p)})" for s, p in t["dropped"]))
    return "\n".join(lines)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llms", default="llamacpp:smollm2-135m,transformers:smollm2-135m,llamacpp:qwen2.5-0.5b")
    parser.add_argument("--dataset", default="ml-100k")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--home", type=Path, help="Reuse this driftrec home (default: a temporary one).")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    header = (f"Chat turn speed and promises, the same {len(SCRIPT)} scripted turns per chat model (a new user), {args.dataset}, "
              f"OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}, load average at start "
              f"{os.getloadavg()[0]:.1f} (`python -m evaluation.agent_speed`).\n\n")
    with tempfile.TemporaryDirectory() as scratch:
        settings = ready_settings(args.home or Path(scratch), args.data_dir, args.dataset)
        header += encoder_load_line(settings)
        results = {"none": run_backend(settings, "none", "speed-none")}
        for llm in [s.strip() for s in args.llms.split(",") if s.strip()]:
            results[llm] = run_backend(settings, llm, f"speed-{llm.replace(':', '-')}")
            _report(header + summary_table(results) + "\n" + transcripts(results), args.out)  # each backend as it finishes: slow ones take long


def _report(text: str, out: Path | None) -> None:
    print(text, flush=True)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, lambda handle: handle.write((text + "\n").encode("utf-8")))


if __name__ == "__main__":
    main()

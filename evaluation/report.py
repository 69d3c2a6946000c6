"""Writes one evaluation's results: ``results.json``, ``results.md`` and two PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

COLUMNS: list[tuple[str, str, str]] = [
    ("HR@10", "hr@10", "{:.4f}"),
    ("NDCG@10", "ndcg@10", "{:.4f}"),
    ("HR@20", "hr@20", "{:.4f}"),
    ("NDCG@20", "ndcg@20", "{:.4f}"),
    ("Cov@10", "coverage@10", "{:.4f}"),
    ("Nov@10", "novelty@10", "{:.4f}"),
    ("ILD@10", "ild@10", "{:.4f}"),
    ("drift NDCG@10", "drift_ndcg@10", "{:.4f}"),
    ("adaptation@3", "adaptation@3", "{:.3f}"),
    ("retention", "retention", "{:.3f}"),
    ("fit s", "fit_seconds", "{:.1f}"),
    ("score ms/user", "score_ms_per_user", "{:.2f}"),
]


PROTOCOL_TITLES = {  # results["protocol"] → the report's title
    "shared/PROTOCOL.md": "shared/PROTOCOL.md",
    "llamarec": "the LlamaRec paper's preprocessing (5-core until stable, ordered by time then movie id, leave-one-out)",
}


def markdown_table(results: dict[str, Any]) -> str:
    """One row per model (means over seeds; NDCG@10 also shows the seed standard deviation)."""
    header = "| model | " + " | ".join(title for title, _, _ in COLUMNS) + " |"
    lines = [header, "|" + "---|" * (len(COLUMNS) + 1)]
    for outcome in results["models"].values():
        mean, std = outcome["mean"], outcome["std"]
        cells = []
        for _, key, fmt in COLUMNS:
            value = mean.get(key, float("nan"))
            cell = fmt.format(value)
            if key == "ndcg@10" and outcome["stochastic"] and len(outcome["seeds"]) > 1:
                cell += f" ± {std[key]:.4f}"
            cells.append(cell)
        lines.append(f"| {outcome['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_report(results: dict[str, Any]) -> str:
    """The table with the run's facts above it and the chosen hyper-parameters below it."""
    seeds = results["seeds"]
    parts = [
        f"# {results['dataset']}: evaluation under {PROTOCOL_TITLES[results.get('protocol', 'shared/PROTOCOL.md')]}",
        "",
        f"{results['users']} users ({results['evaluated_users']} evaluated{', quick sample' if results['quick'] else ''}), "
        f"catalog {results['catalog_size']}, drift subset {results['drift_subset_users']} users, "
        f"injected shift on {results['shift_users']} users. Stochastic models: mean of seeds {seeds}. "
        f"ILD over {results['item_vectors']}. Fit time is the refit on train + validation; "
        "score time is the model's scoring of the test histories (ranking excluded).",
        "",
        markdown_table(results),
        "",
        "adaptation@k: share of the top 10 in an injected, never-watched genre after k interactions "
        f"with it (before: adaptation@0). Retention: share of the original top 10 back after 10 more "
        "interactions from the user's own top genre.",
        "",
        "## Chosen settings (tuned on the validation item)",
        "",
    ]
    for outcome in results["models"].values():
        params = ", ".join(f"{k}={v}" for k, v in outcome["params"].items()) or "none"
        shift = ", ".join(
            f"{k} {outcome['mean'][k]:.3f}" for k in outcome["mean"] if k.startswith("adaptation@")
        )
        parts.append(f"- {outcome['name']}: {params}. Shift: {shift}.")
    if results.get("skipped"):
        parts += ["", "## Skipped", ""]
        parts += [f"- {name}: {reason}" for name, reason in results["skipped"].items()]
    packages = ", ".join(f"{k} {v}" for k, v in results["environment"]["packages"].items() if v)
    parts += ["", f"Environment: Python {results['environment']['python']}, {packages}."]
    text = results.get("item_text")
    if text:
        parts += ["", f"Item text: encoder {text['encoder']}; keywords {text['keywords'] or 'none'}; "
                      f"tags: {text['tags'] or 'none (the release has no tags)'}."]
    return "\n".join(parts) + "\n"


def plot_ndcg(results: dict[str, Any], path: Path) -> None:
    """Bar chart of NDCG@10 (mean), with the seed range as error bars and each seed as a dot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcomes = list(results["models"].values())
    names = [o["name"] for o in outcomes]
    means = np.array([o["mean"]["ndcg@10"] for o in outcomes])
    low = means - np.array([o["min"]["ndcg@10"] for o in outcomes])
    high = np.array([o["max"]["ndcg@10"] for o in outcomes]) - means
    fig, ax = plt.subplots(figsize=(max(4.0, 1.1 * len(names) + 1.5), 3.6))
    x = np.arange(len(names))
    ax.bar(x, means, color="#4C72B0", yerr=[low, high], capsize=4)
    for i, outcome in enumerate(outcomes):
        values = [s["ndcg@10"] for s in outcome["seeds"].values()]
        ax.scatter(np.full(len(values), i), values, color="black", s=10, zorder=3)
    ax.set_xticks(x, names, rotation=20)
    ax.set_ylabel("NDCG@10 (test)")
    ax.set_title(f"{results['dataset']}: NDCG@10, seeds {results['seeds']}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_adaptation(results: dict[str, Any], path: Path) -> None:
    """adaptation@k against k (0 = before the shift), one line per model; retention in the legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for outcome in results["models"].values():
        steps = sorted(int(k.split("@")[1]) for k in outcome["mean"] if k.startswith("adaptation@"))
        values = [outcome["mean"][f"adaptation@{k}"] for k in steps]
        retention = outcome["mean"].get("retention", float("nan"))
        ax.plot(steps, values, marker="o", label=f"{outcome['name']} (retention {retention:.2f})")
    ax.set_xlabel("interactions appended in a never-watched genre (k)")
    ax.set_ylabel("share of top 10 in that genre")
    ax.set_title(f"{results['dataset']}: injected shift, {results['shift_users']} users")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(results: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write ``results.json``, ``results.md``, ``ndcg10.png`` and ``adaptation.png`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "results.json", out_dir / "results.md", out_dir / "ndcg10.png", out_dir / "adaptation.png"]
    written[0].write_text(json.dumps(results, indent=1, allow_nan=True) + "\n")
    written[1].write_text(markdown_report(results))
    if results["models"]:
        plot_ndcg(results, written[2])
        plot_adaptation(results, written[3])
    else:
        written = written[:2]
    return written

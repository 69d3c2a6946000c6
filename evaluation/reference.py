"""The reference figures of ``shared/PROTOCOL.md``, for cross-checking a run (not used to tune anything).

Measured by the protocol's authors on the same data copies. MostPop must match to the fourth decimal;
the other rows depend on tuning and may move a little.
"""

from __future__ import annotations

from typing import Any

METRICS = ("hr@10", "ndcg@10", "hr@20", "ndcg@20", "coverage@10", "novelty@10", "drift_ndcg@10")

_ROWS = {
    "ml-100k": {
        "mostpop": (0.0870, 0.0423, 0.1294, 0.0529, 0.0541, 1.1911, 0.0411),
        "itemknn": (0.1739, 0.0977, 0.2757, 0.1231, 0.4703, 2.4096, 0.1072),
        "ease": (0.1622, 0.0850, 0.2407, 0.1047, 0.3312, 2.0475, 0.0870),
        "als": (0.1467, 0.0791, 0.2305, 0.1002, 0.4495, 2.3798, 0.0916),
        "bpr": (0.1446, 0.0770, 0.2096, 0.0934, 0.5585, 2.9465, 0.0825),
        "sasrec": (0.1757, 0.0903, 0.2704, 0.1141, 0.3633, 3.1611, 0.1032),
    },
    "ml-latest-small": {
        "mostpop": (0.0377, 0.0181, 0.0656, 0.0251, 0.0125, 1.4199, 0.0141),
        "itemknn": (0.0836, 0.0480, 0.1262, 0.0587, 0.2316, 4.4431, 0.0580),
        "ease": (0.0852, 0.0444, 0.1557, 0.0620, 0.0766, 2.3825, 0.0493),
        "als": (0.0689, 0.0340, 0.1361, 0.0508, 0.0968, 2.6352, 0.0310),
        "bpr": (0.0639, 0.0333, 0.1098, 0.0450, 0.1382, 3.3800, 0.0352),
        "sasrec": (0.0628, 0.0309, 0.1027, 0.0409, 0.0607, 4.3342, 0.0265),
    },
}

REFERENCE: dict[str, dict[str, dict[str, float]]] = {
    dataset: {model: dict(zip(METRICS, values)) for model, values in rows.items()}
    for dataset, rows in _ROWS.items()
}
DRIFT_SUBSET_USERS = {"ml-100k": 220, "ml-latest-small": 116}


def comparison_table(results: dict[str, Any]) -> str:
    """Markdown: each model's figure next to the reference (``ours / reference``)."""
    reference = REFERENCE.get(results["dataset"])
    if not reference:
        return f"No reference figures for {results['dataset']}."
    header = "| model | " + " | ".join(METRICS) + " |"
    lines = [header, "|" + "---|" * (len(METRICS) + 1)]
    for key, outcome in results["models"].items():
        if key not in reference:
            continue
        cells = [f"{outcome['mean'][m]:.4f} / {reference[key][m]:.4f}" for m in METRICS]
        lines.append(f"| {outcome['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)

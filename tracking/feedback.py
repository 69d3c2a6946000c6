"""The Bayesian part: what feedback says about a user's taste, as posteriors that multiply the prior.

Each facet of feedback ("genre:Horror", "years:1990-1999", "movie:1214") has a Gaussian belief
θ_f ~ N(mean, var) over a log-multiplier of the softmax prior:

    P(i | u, feedback) ∝ P(i | u) · exp(Σ_f θ_f · x_f(i))

where x_f(i) is 1 when movie i has the genre or falls in the year range, and, for a movie facet,
the cosine similarity (clipped at 0) between i's and that movie's item vectors. A piece of feedback
is one noisy observation of θ_f (conjugate update). As newer interactions arrive, every belief
follows an AR(1) drift back to the prior (θ ← γθ + noise): its mean shrinks and its variance
grows, so feedback fades unless repeated. Hard rules ("never horror") are not beliefs: they exclude
movies outright and never fade.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

PRIOR_SD = 4.0
"""Prior spread of a facet's log-multiplier, in logits of the softmax."""
OBSERVATION_SD = 2.0
"""Noise of one piece of feedback: two agreeing pieces count for more than one."""
FEEDBACK_STRENGTH = 8.0
"""Logits that one "more"/"less" observes, before shrinkage by the prior."""
DECAY_PER_INTERACTION = 0.97
"""Fraction of a belief's mean kept per new interaction (half-life ≈ 23 interactions)."""
NOT_INTERESTED_WEIGHT = 0.5
"""A "not interested" says less about similar movies than a dislike."""


@dataclass
class Belief:
    """Gaussian belief about one facet's log-multiplier."""

    mean: float = 0.0
    var: float = PRIOR_SD**2
    observations: int = 0

    @property
    def sd(self) -> float:
        return math.sqrt(self.var)

    def observe(self, value: float) -> None:
        """Conjugate Gaussian update with one observation ``value`` (logits) of noise OBSERVATION_SD."""
        precision = 1.0 / self.var + 1.0 / OBSERVATION_SD**2
        self.mean = (self.mean / self.var + value / OBSERVATION_SD**2) / precision
        self.var = 1.0 / precision
        self.observations += 1

    def age(self, steps: int = 1) -> None:
        """AR(1) drift toward the prior over ``steps`` interactions."""
        keep = DECAY_PER_INTERACTION**steps
        self.mean *= keep
        self.var = keep**2 * self.var + (1.0 - keep**2) * PRIOR_SD**2


@dataclass
class FeedbackState:
    """All of one user's feedback: soft beliefs per facet and hard rules.

    Attributes:
        beliefs: Facet key (``"genre:Horror"``, ``"years:1990-1999"``, ``"movie:1214"``) → belief.
        rules: Hard rules, facet key → +1 (only these) or -1 (never these).
        excluded: Movie ids that must never be recommended again → why (``dislike``, ``not_interested``).
    """

    beliefs: dict[str, Belief] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    excluded: dict[int, str] = field(default_factory=dict)

    def prefer(self, facet: str, direction: float, hard: bool = False) -> None:
        """More (``direction`` > 0) or less (< 0) of ``facet``; a hard rule keeps or drops it outright."""
        if hard:
            self.rules[facet] = 1 if direction > 0 else -1
            return
        self.rules.pop(facet, None)  # a soft wish replaces an earlier hard rule on the same facet
        self.beliefs.setdefault(facet, Belief()).observe(direction * FEEDBACK_STRENGTH)

    def react_to_movie(self, movie_id: int, direction: float, exclude_reason: str | None) -> None:
        """Like (+1) or dislike (-1) a movie: a belief about movies like it; excluded if disliked."""
        self.beliefs.setdefault(f"movie:{movie_id}", Belief()).observe(direction * FEEDBACK_STRENGTH)
        if exclude_reason:
            self.excluded[movie_id] = exclude_reason
        else:
            self.excluded.pop(movie_id, None)

    def age(self, steps: int = 1) -> None:
        for belief in self.beliefs.values():
            belief.age(steps)

    def active_beliefs(self, threshold: float = 0.05) -> dict[str, Belief]:
        """Beliefs whose mean still moves scores by more than ``threshold`` logits."""
        return {facet: b for facet, b in self.beliefs.items() if abs(b.mean) >= threshold}

    def to_dict(self) -> dict[str, object]:
        return {
            "beliefs": {f: {"mean": b.mean, "sd": b.sd, "observations": b.observations} for f, b in self.beliefs.items()},
            "rules": dict(self.rules),
            "excluded": {str(m): why for m, why in self.excluded.items()},
        }

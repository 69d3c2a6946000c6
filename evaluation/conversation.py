"""The place for the protocol's conversation benchmark (it arrives with the agent issue).

``shared/PROTOCOL.md``, "Conversation": for 200 sampled users (fixed seed) the hidden target is the
test item; a simulated user, written from templates and never naming the target, answers each list
with one piece of feedback drawn from the target's attributes (a genre it has, its decade, a genre it
lacks, or "not that one" about a listed movie). Report Recall@10 after t = 0, 1, 2, 3 turns.

What is fixed here, independent of any agent: the user sample, the feedback vocabulary, and the
Recall@t aggregation, so that the agent issue only has to supply a :class:`ConversationalRecommender`
and a :class:`SimulatedUser`. :func:`run_conversation_benchmark` is the hook the runner will call; its
results go under ``results["conversation"]`` (``None`` until then).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, Sequence

import numpy as np

from evaluation.protocol import Histories, Split

CONVERSATION_USERS = 200
CONVERSATION_SEED = 0
TURNS = (0, 1, 2, 3)

FeedbackKind = Literal["has_genre", "decade", "lacks_genre", "reject"]


@dataclass(frozen=True)
class Feedback:
    """One simulated-user turn. ``value``: a genre, a decade such as ``"1990s"``, or a rejected movie id."""

    kind: FeedbackKind
    value: str | int
    text: str


class ConversationalRecommender(Protocol):
    """What the agent must offer: a first list from the history, then lists after each feedback."""

    def start(self, user_id: int, history: Histories) -> Sequence[int]:
        """Top-10 movie ids from the history alone (turn 0)."""

    def respond(self, feedback: Feedback) -> Sequence[int]:
        """Top-10 movie ids after one more piece of feedback."""


class SimulatedUser(Protocol):
    """Answers a list with feedback drawn from the hidden target's attributes, never naming it."""

    def react(self, shown: Sequence[int]) -> Feedback: ...


def conversation_users(split: Split, n_users: int = CONVERSATION_USERS, seed: int = CONVERSATION_SEED) -> np.ndarray:
    """The fixed user sample (ascending ids); the target of each is its test item."""
    users = split.test["user_id"].to_numpy()
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(users, size=min(n_users, len(users)), replace=False))


def recall_at_turns(hits: np.ndarray) -> dict[str, float]:
    """Recall@10 per turn from a (users, turns) boolean array: target in the list shown at turn t."""
    return {f"recall@10_t{t}": float(np.mean(hits[:, i])) for i, t in enumerate(TURNS[: hits.shape[1]])}


def run_conversation_benchmark(split: Split, recommender: ConversationalRecommender, user: SimulatedUser) -> dict[str, float]:
    """Hook for the agent issue: drive ``TURNS`` turns per sampled user and aggregate with
    :func:`recall_at_turns`. Not implemented until the agent and the template user exist."""
    raise NotImplementedError(
        "the conversation benchmark comes with the agent issue; see evaluation/conversation.py"
    )

"""The agent's tools, bound to one session: none takes a user id, so no tool reaches another user.

Each tool is a closure over a :class:`ToolContext` (the session's tracker, user and turn record).
Tools return short text for the model and record their raw results as agent steps, which the
researcher panel shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field

from agent.explain import explanation_text, reason
from retrieval.errors import DriftrecError
from tracking.service import Constraints, Tracker

MAX_LIST = 10


@dataclass
class ToolContext:
    """What the tools of one session share: the tracker, the user, and this turn's record."""

    tracker: Tracker
    user_id: str
    recommend: Callable[..., list[dict[str, Any]]]
    give_feedback: Callable[[dict[str, Any]], str]
    steps: list[dict[str, Any]] = field(default_factory=list)
    explained: list[dict[str, Any]] = field(default_factory=list)
    searched: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    mentioned: list[int] = field(default_factory=list)  # movies the user named this turn
    allowed_explain: set[int] = field(default_factory=set)  # cards on screen and titles named this turn
    facts: Any = None  # the grounding facts, cached until the next tool step (see ChatSession)
    facts_at: int = -1

    def step(self, tool: str, args: dict[str, Any], result: Any) -> None:
        self.steps.append({"tool": tool, "args": args, "result": result})


class RecommendArgs(BaseModel):
    k: int = Field(5, ge=1, le=MAX_LIST, description="How many movies.")
    genres: list[str] = Field(default_factory=list, description="Only movies with all of these genres (this list only).")
    exclude_genres: list[str] = Field(default_factory=list, description="No movies with these genres (this list only).")
    years: str | None = Field(None, description="Only these years, e.g. 1990-1999 (this list only).")


class FeedbackArgs(BaseModel):
    more_genres: list[str] = Field(default_factory=list, description="Genres the user wants more of.")
    less_genres: list[str] = Field(default_factory=list, description="Genres the user wants less of.")
    never_genres: list[str] = Field(default_factory=list, description="Genres the user never wants.")
    years: str | None = Field(None, description="Years the user prefers, e.g. 1990-1999.")
    liked: list[str] = Field(default_factory=list, description='Titles the user liked, as typed, or "#2" for the second shown.')
    disliked: list[str] = Field(default_factory=list, description="Titles the user disliked.")
    not_interested: list[str] = Field(default_factory=list, description="Titles the user does not want to see.")


class ExplainArgs(BaseModel):
    movie: str = Field(description="Title or id of the movie to explain.")


class SearchArgs(BaseModel):
    text: str = Field(description="What the user describes, e.g. 'animated toys that come to life'.")
    genres: list[str] = Field(default_factory=list)
    years: str | None = None
    k: int = Field(5, ge=1, le=MAX_LIST)


def card_lines(cards: list[dict[str, Any]]) -> str:
    """The list as the model sees it: numbered titles with years, genres and the reason."""
    return "\n".join(
        f"{n}. {c['title']} ({c.get('year') or '?'}) [{', '.join(c['genres'])}] — {c.get('reason') or reason(c)}"
        for n, c in enumerate(cards, 1)
    ) or "No movie matches."


def build_tools(context: ToolContext) -> list[StructuredTool]:
    """recommend, give_feedback, explain, search_movies and show_profile for ``context``'s user only."""
    tracker, user_id = context.tracker, context.user_id

    def recommend(k: int = 5, genres: list[str] | None = None, exclude_genres: list[str] | None = None, years: str | None = None) -> str:
        args = {"k": k, "genres": genres or [], "exclude_genres": exclude_genres or [], "years": years}
        try:
            constraints = Constraints(tuple(tracker.check_genre(g) for g in genres or []),
                                      tuple(tracker.check_genre(g) for g in exclude_genres or []),
                                      tracker.check_years(years) if years else None)
        except DriftrecError as error:
            context.step("recommend", args, {"error": str(error)})
            return f"Error: {error}"
        cards = context.recommend(min(max(k, 1), MAX_LIST), constraints)
        context.step("recommend", args, [{"movie_id": c["movie_id"], "title": c["title"], "score": c["score"]} for c in cards])
        return card_lines(cards)

    def give_feedback(**fields: Any) -> str:
        noted = context.give_feedback(fields)
        context.step("give_feedback", fields, noted)
        return noted

    def explain(movie: str) -> str:
        try:
            movie_id = tracker.movie_id(movie)
            if context.allowed_explain and movie_id not in context.allowed_explain:
                raise DriftrecError(f"{movie!r} is neither on screen nor named by the user: explain one of those")
            card = tracker.explain(user_id, movie_id)
        except DriftrecError as error:
            context.step("explain", {"movie": movie}, {"error": str(error)})
            return f"Error: {error}"
        context.explained.append(card)
        context.step("explain", {"movie": movie}, card)
        return explanation_text(card)

    def search_movies(text: str, genres: list[str] | None = None, years: str | None = None, k: int = 5) -> str:
        from retrieval.store import MovieIndex

        args = {"text": text, "genres": genres or [], "years": years, "k": k}
        try:
            found = MovieIndex(tracker.settings).search(text, k=min(max(k, 1), MAX_LIST), genres=genres or None, years=years)
        except DriftrecError as error:
            context.step("search_movies", args, {"error": str(error)})
            return f"Error: {error}"
        rows = found.to_dict("records")
        context.searched.extend(rows)
        context.step("search_movies", args, rows)
        return "\n".join(f"- {r['title']} ({r['year'] or '?'}) [{', '.join(r['genres'])}]" for r in rows) or "Nothing found."

    def show_profile() -> str:
        facts = tracker.describe(user_id)
        latest = facts["versions"][-1]["summary"] if facts["versions"] else None
        shown = {k: facts[k] for k in ("interactions", "top_genres_long", "top_genres_short", "recent", "feedback")}
        context.step("show_profile", {}, shown | {"summary": latest})
        return (latest + "\n" if latest else "") + json.dumps(shown, ensure_ascii=False)

    return [
        StructuredTool.from_function(recommend, name="recommend", args_schema=RecommendArgs,
                                     description="Recommend movies for the user from their tracked interests."),
        StructuredTool.from_function(give_feedback, name="give_feedback", args_schema=FeedbackArgs,
                                     description="Record what the user said they want more or less of, or liked/disliked."),
        StructuredTool.from_function(explain, name="explain", args_schema=ExplainArgs,
                                     description="Explain why a movie is (or is not) recommended to the user."),
        StructuredTool.from_function(search_movies, name="search_movies", args_schema=SearchArgs,
                                     description="Find movies matching a description (not personalised)."),
        StructuredTool.from_function(show_profile, name="show_profile",
                                     description="Show the user's tracked interests and their summary."),
    ]

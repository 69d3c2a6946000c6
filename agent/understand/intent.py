"""What one message says about taste: :class:`FeedbackIntent` and the names of its fields."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_MESSAGE_CHARS = 4_000
"""Longer messages are read up to here: a chat message is short, and the parser stays fast."""

GenreField = Literal["more_genres", "less_genres", "never_genres"]
MOVIE_FIELDS = ("liked", "disliked", "not_interested", "seen", "watchlist", "similar_to")
GENRE_FIELDS: tuple[GenreField, ...] = ("more_genres", "less_genres", "never_genres")
YEAR_FIELDS = ("years", "avoid_years")
POSITIVE_MOVIE_FIELDS = ("liked", "watchlist", "similar_to")
NEGATIVE_MOVIE_FIELDS = ("disliked", "not_interested")
"""``seen`` is neither: a watch without an opinion."""


class FeedbackIntent(BaseModel):
    """What one message says about the user's taste, checked against the catalog.

    Attributes:
        more_genres, less_genres, never_genres: Genre labels of the loaded data set; "never" is a
            hard rule (the user said "never" or "I hate"), the others are soft.
        years: The years the user wants more of, ``"1990-1999"``.
        avoid_years: The years the user wants fewer of ("nothing from the 80s").
        liked, disliked, not_interested, seen, watchlist, similar_to: Movie ids ("I loved Alien",
            "I hated it", "not that one", "seen it", "adding that to my watchlist", "something like
            Amélie"). One field per movie.
        tone: "lighter" or "darker"; already expanded into the genre fields (kept to say so).
        wants_list: The message asks for recommendations.
        rejects_list: The user rejects the whole list shown ("none of these"); its movies are in
            ``not_interested``.
        not_found: Titles the user named that match no catalog movie (said back, never guessed).
        out_of_range: Year ranges the user asked for that hold no catalog movie.
        corrects_last: The message corrects the reading of the user's previous message ("wait no, I
            meant the third"): the chat takes that reading back before recording this one.
        sure: The fields the deterministic parser matched explicitly (the LLM cannot change them).
    """

    model_config = ConfigDict(extra="forbid")

    more_genres: list[str] = Field(default_factory=list)
    less_genres: list[str] = Field(default_factory=list)
    never_genres: list[str] = Field(default_factory=list)
    years: str | None = None
    avoid_years: str | None = None
    liked: list[int] = Field(default_factory=list)
    disliked: list[int] = Field(default_factory=list)
    not_interested: list[int] = Field(default_factory=list)
    seen: list[int] = Field(default_factory=list)
    watchlist: list[int] = Field(default_factory=list)
    similar_to: list[int] = Field(default_factory=list)
    tone: Literal["lighter", "darker"] | None = None
    wants_list: bool = False
    rejects_list: bool = False
    not_found: list[str] = Field(default_factory=list)
    out_of_range: list[str] = Field(default_factory=list)
    corrects_last: bool = False
    sure: set[str] = Field(default_factory=set)

    @property
    def has_feedback(self) -> bool:
        """Whether anything here changes the profile (a plain request does not)."""
        return any(getattr(self, name) for name in (*GENRE_FIELDS, *YEAR_FIELDS, *MOVIE_FIELDS))



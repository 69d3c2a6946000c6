"""The deterministic parser: one message's reading state and :func:`parse_message`."""

from __future__ import annotations

from typing import Sequence

from agent.understand.genres_years import read_genres_and_years
from agent.understand.intent import GENRE_FIELDS, MAX_MESSAGE_CHARS, MOVIE_FIELDS, FeedbackIntent
from agent.understand.reactions import REJECT_LIST_RE, asks_for_list, read_shown
from agent.understand.titles import read_quoted, read_titles, read_verdicts
from agent.understand.vocabulary import CatalogVocabulary, fold

class Reader:
    """One message's reading state: folded text, the spans already consumed, and the intent built."""

    def __init__(self, message: str, vocab: CatalogVocabulary, shown: Sequence[int]) -> None:
        self.original = message[:MAX_MESSAGE_CHARS]
        self.text = fold(self.original)
        self.vocab = vocab
        self.shown = [int(m) for m in shown if vocab.has_movie(int(m))]
        self.masked = list(self.text)
        self.movies: dict[str, list[int]] = {name: [] for name in MOVIE_FIELDS}
        self.genres: dict[str, list[str]] = {name: [] for name in GENRE_FIELDS}
        self.not_found: list[str] = []
        self.sure: set[str] = set()

    def mask(self, start: int, end: int) -> None:
        """Blank out text already read (a title's words are not genres or decades)."""
        self.masked[start:end] = " " * (end - start)

    @property
    def rest(self) -> str:
        return "".join(self.masked)

    def add_movie(self, field_name: str, movie_id: int) -> None:
        for name in MOVIE_FIELDS:  # one reading per movie: the latest sentiment wins
            if movie_id in self.movies[name]:
                self.movies[name].remove(movie_id)
        self.movies[field_name].append(int(movie_id))
        self.sure.add(field_name)


def parse_message(message: str, vocab: CatalogVocabulary, shown: Sequence[int] = ()) -> FeedbackIntent:
    """Read feedback from a message deterministically (runs on every message, no model).

    Args:
        message: What the user typed (read up to :data:`MAX_MESSAGE_CHARS`).
        vocab: The loaded data set's genres, titles and years.
        shown: The movie ids shown last, in display order ("the second one" is ``shown[1]``;
            "that one" / "it" is the first).

    Returns:
        The intent; ``sure`` names every field this parser matched explicitly.
    """
    reader = Reader(message, vocab, shown)
    read_quoted(reader)
    read_titles(reader)
    read_verdicts(reader)
    read_shown(reader)
    intent = FeedbackIntent()
    if reader.shown and REJECT_LIST_RE.search(reader.rest):
        intent.rejects_list = True
        reader.sure.update({"rejects_list", "not_interested"})
        for movie_id in reader.shown:
            if not any(movie_id in reader.movies[name] for name in MOVIE_FIELDS):
                reader.movies["not_interested"].append(movie_id)
    read_genres_and_years(reader, intent)
    for name in MOVIE_FIELDS:
        setattr(intent, name, list(dict.fromkeys(reader.movies[name])))
    for name in GENRE_FIELDS:
        setattr(intent, name, list(dict.fromkeys(reader.genres[name])))
    intent.not_found = list(dict.fromkeys(reader.not_found))
    intent.wants_list = asks_for_list(reader.text)
    if intent.wants_list:
        reader.sure.add("wants_list")
    intent.sure = reader.sure
    return intent


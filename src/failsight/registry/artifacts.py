"""Model artifacts on disk: skops files, written atomically and checked by sha256.

Paths are built only from registry rows (a validated model name and a job id);
no request value ever becomes a path.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import skops.io as sio

from failsight.domain.errors import ArtifactError

logger = logging.getLogger(__name__)

SUFFIX = ".skops"
TEMP_PREFIX = ".partial-"

TRUSTED_TYPE_PREFIXES = ("sklearn.", "numpy.", "builtins.", "collections.", "scipy.")
"""Modules whose types an artifact may contain. Artifacts are written by
Failsight from its estimator catalogue, so anything else means the file was
not written by it and is refused rather than loaded."""


@dataclass(frozen=True)
class StoredArtifact:
    path: str
    """Path relative to the artifact directory, as stored in the registry."""
    sha256: str
    size: int


def serialize(estimator: Any) -> bytes:
    return bytes(sio.dumps(estimator))


class ArtifactStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def relative_path(self, model: str, job_id: str) -> str:
        return f"{model}/{job_id}{SUFFIX}"

    def write(self, relative: str, content: bytes) -> StoredArtifact:
        """Write ``content`` so that the final path contains either nothing or the
        complete file, even if the process dies mid-write."""
        target = self._resolve(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = _partial_path(target)
        try:
            with partial.open("wb") as temp:
                temp.write(content)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(partial, target)
            _fsync_directory(target.parent)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return StoredArtifact(
            relative, hashlib.sha256(content).hexdigest(), len(content)
        )

    def load(self, relative: str, expected_sha256: str) -> Any:
        """Read, verify and deserialize an artifact without ever using pickle."""
        path = self._resolve(relative)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise ArtifactError(
                f"artifact {relative} cannot be read: {error.strerror}"
            ) from error
        actual = hashlib.sha256(content).hexdigest()
        if actual != expected_sha256:
            raise ArtifactError(
                f"artifact {relative} is corrupted: its sha256 is {actual[:12]}..., "
                f"the registry recorded {expected_sha256[:12]}...; retrain or delete this version"
            )
        try:
            untrusted = sio.get_untrusted_types(data=content)
            refused = [
                name for name in untrusted if not name.startswith(TRUSTED_TYPE_PREFIXES)
            ]
            if refused:
                raise ArtifactError(
                    f"artifact {relative} contains types Failsight does not load: "
                    f"{', '.join(refused)}"
                )
            return sio.loads(content, trusted=untrusted)
        except ArtifactError:
            raise
        except Exception as error:
            # skops raises many kinds of errors for files from other library versions.
            raise ArtifactError(
                f"artifact {relative} cannot be loaded ({type(error).__name__}: {error}); "
                "it may have been written by another scikit-learn version, so retrain it"
            ) from error

    def delete(self, relative: str) -> None:
        """Delete an artifact and any partial copy a dead writer left beside it."""
        path = self._resolve(relative)
        path.unlink(missing_ok=True)
        _partial_path(path).unlink(missing_ok=True)

    def stored_paths(self) -> list[str]:
        """List every artifact file and partial copy, relative to the root."""
        if not self.root.exists():
            return []
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in self.root.glob(f"*/*{SUFFIX}")
            if path.is_file()
        )

    def _resolve(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root):
            raise ArtifactError(
                f"artifact path {relative!r} is outside the artifact directory"
            )
        return path


def _partial_path(target: Path) -> Path:
    return target.with_name(TEMP_PREFIX + target.name)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

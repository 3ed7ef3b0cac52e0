"""Artifacts are written whole, checked by sha256 and never unpickled."""

from pathlib import Path

import pytest
import skops.io as sio
from sklearn.linear_model import LinearRegression

from failsight.domain.errors import ArtifactError
from failsight.registry.artifacts import ArtifactStore, serialize


def fitted() -> LinearRegression:
    return LinearRegression().fit([[0.0], [1.0], [2.0]], [3.0, 2.0, 1.0])


def test_round_trip(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write("pump/job.skops", serialize(fitted()))
    loaded = store.load(stored.path, stored.sha256)
    assert loaded.predict([[3.0]])[0] == pytest.approx(0.0)
    assert [p.name for p in (tmp_path / "pump").iterdir()] == ["job.skops"]


def test_changed_bytes_rejected(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write("pump/job.skops", serialize(fitted()))
    path = tmp_path / stored.path
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(ArtifactError, match="corrupted"):
        store.load(stored.path, stored.sha256)


def test_unreadable_file_rejected(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write("pump/job.skops", b"not a skops file")
    with pytest.raises(ArtifactError, match="cannot be loaded"):
        store.load(stored.path, stored.sha256)


def test_foreign_type_refused(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    content = bytes(sio.dumps({"callback": Path("x")}))
    stored = store.write("pump/job.skops", content)
    with pytest.raises(ArtifactError, match="does not load"):
        store.load(stored.path, stored.sha256)


def test_path_outside_root_refused(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "artifacts")
    with pytest.raises(ArtifactError, match="outside"):
        store.write("../escape.skops", b"data")
    assert not (tmp_path / "escape.skops").exists()


def test_delete_removes_partial_copy(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    (tmp_path / "pump").mkdir()
    (tmp_path / "pump" / ".partial-job.skops").write_bytes(b"half")
    store.delete("pump/job.skops")
    assert list((tmp_path / "pump").iterdir()) == []

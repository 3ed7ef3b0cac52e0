"""Damaged artifacts make one version unusable, never the server; model names
never become paths."""

from __future__ import annotations

import fractions
import hashlib
from collections.abc import Callable
from pathlib import Path

import skops.io as sio
from sqlalchemy import update
from sqlalchemy.orm import Session

from failsight.registry.tables import VersionRow
from tests.system.conftest import ServerFactory
from tests.system.helpers import predict, train
from tests.system.server import RegistryRows, Server


def _artifact(server: Server, rows: RegistryRows, model: str, number: int) -> Path:
    (version,) = [row for row in rows.versions(model) if row.number == number]
    return server.artifact_dir / version.artifact_path


def _replace_with_disallowed_type(
    server: Server, rows: RegistryRows, model: str, number: int
) -> None:
    """Write a valid skops file of a type outside scikit-learn, NumPy and SciPy,
    and record its sha256, so that only the type check can reject it."""
    content = bytes(sio.dumps(fractions.Fraction(1, 3)))
    _artifact(server, rows, model, number).write_bytes(content)
    with Session(rows.engine) as session, session.begin():
        session.execute(
            update(VersionRow)
            .where(VersionRow.model_name == model, VersionRow.number == number)
            .values(artifact_sha256=hashlib.sha256(content).hexdigest())
        )


def test_damaged_artifacts_are_unusable(
    start_server: ServerFactory, rows_of: Callable[[Server], RegistryRows]
) -> None:
    server = start_server()
    rows = rows_of(server)
    with server.client() as client:
        train(client, "pump")
        active = train(client, "pump")
        train(client, "fan")
        _artifact(server, rows, "pump", 1).write_bytes(b"not a skops file")

        version = client.get("/models/pump/versions/1").json()
        assert version["usable"] is False
        assert "sha256" in version["unusableReason"]
        refused = predict(client, "pump", version=1)
        assert refused.status_code == 503
        assert "corrupted" in refused.json()["detail"]
        activation = client.post("/models/pump/versions/1/activate")
        assert activation.status_code in (409, 503)
        assert client.get("/models/pump").json()["activeVersion"] == active

        assert predict(client, "pump").status_code == 200
        assert predict(client, "fan").status_code == 200
        listed = {v["number"]: v for v in client.get("/models/pump/versions").json()}
        assert listed[1]["usable"] is False
        assert listed[active]["usable"] is True
        # An unusable version that is not active leaves the server ready.
        assert client.get("/health/ready").status_code == 200

    # Damage both active artifacts while the server is down, in two ways.
    server.stop()
    _replace_with_disallowed_type(server, rows, "pump", active)
    fan = _artifact(server, rows, "fan", 1)
    fan.write_bytes(fan.read_bytes()[: fan.stat().st_size // 2])
    server.start()

    with server.client() as client:
        assert client.get("/health").status_code == 200
        pump = predict(client, "pump")
        assert pump.status_code == 503
        assert "fractions.Fraction" in pump.json()["detail"]
        fan_prediction = predict(client, "fan")
        assert fan_prediction.status_code == 503
        assert "corrupted" in fan_prediction.json()["detail"]
        version = client.get(f"/models/pump/versions/{active}").json()
        assert version["usable"] is False
        assert "fractions.Fraction" in version["unusableReason"]

        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "degraded"
        failing = {m["model"] for m in ready.json()["models"] if not m["loaded"]}
        assert failing == {"pump", "fan"}

        # Other models still train and serve.
        train(client, "gear")
        assert predict(client, "gear").status_code == 200


def _files_outside(root: Path, data_dir: Path) -> set[Path]:
    return {
        path
        for path in root.rglob("*")
        if not path.is_relative_to(data_dir) and path.suffix != ".log"
    }


# Names that stay one path segment reach the name check (422). Names with an
# encoded slash are decoded into several segments that match no route (404).
SEGMENT_NAMES = ["%2E%2E", "..x", "..%5Cx", ".hidden", "x%00y", "Upper", "a" * 300]
SPLIT_NAMES = ["..%2Fx", "%2E%2E%2F%2E%2E%2Fx"]


def test_path_like_model_names_rejected(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    server = start_server()
    before = _files_outside(tmp_path, server.data_dir)
    with server.client() as client:
        for name in SEGMENT_NAMES + SPLIT_NAMES:
            expected = 422 if name in SEGMENT_NAMES else 404
            for method, path in [
                ("POST", f"/models/{name}/train"),
                ("POST", f"/models/{name}/predict"),
                ("GET", f"/models/{name}/versions"),
            ]:
                response = client.request(method, path, json={"rows": [[1.0]]})
                assert response.status_code == expected, (path, response.text)
        assert client.get("/models").json() == []
    assert _files_outside(tmp_path, server.data_dir) == before
    artifacts = (
        list(server.artifact_dir.rglob("*")) if server.artifact_dir.exists() else []
    )
    assert artifacts == []

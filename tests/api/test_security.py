"""API keys: 401 without a valid key, 403 without the role, open mode without keys."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from failsight.api.app import create_app
from failsight.api.security import MissingApiKeysError
from failsight.config import Settings
from tests.api.keys import READ, READ_KEY, WRITE, WRITE_KEY, with_keys
from tests.helpers import training_body

READ_ROUTES = [
    ("GET", "/models"),
    ("GET", "/models/pump"),
    ("GET", "/jobs"),
    ("GET", "/estimators"),
    ("POST", "/models/pump/predict"),
    ("POST", "/prediction/predict"),
]
WRITE_ROUTES = [
    ("POST", "/models/pump/train"),
    ("POST", "/prediction/train"),
    ("POST", "/models/pump/versions/1/activate"),
    ("DELETE", "/models/pump/versions/1"),
]
OPEN_ROUTES = ["/", "/health", "/health/live", "/health/ready", "/metrics"]


@pytest.fixture
def keyed(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(with_keys(settings))) as client:
        yield client


@pytest.mark.parametrize(("method", "path"), READ_ROUTES + WRITE_ROUTES)
def test_missing_key_is_401(keyed: TestClient, method: str, path: str) -> None:
    response = keyed.request(method, path, json={})
    assert response.status_code == 401
    assert "X-API-Key" in response.json()["detail"]
    assert response.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'


@pytest.mark.parametrize(("method", "path"), READ_ROUTES + WRITE_ROUTES)
def test_wrong_key_is_401(keyed: TestClient, method: str, path: str) -> None:
    response = keyed.request(
        method, path, json={}, headers={"X-API-Key": WRITE_KEY[:-1] + "X"}
    )
    assert response.status_code == 401
    assert "invalid API key" in response.json()["detail"]
    assert "www-authenticate" in response.headers


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
def test_read_key_cannot_write(keyed: TestClient, method: str, path: str) -> None:
    response = keyed.request(method, path, json={}, headers=READ)
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "'viewer'" in detail
    assert "write key" in detail


@pytest.mark.parametrize(("method", "path"), READ_ROUTES)
def test_read_key_passes_reads(keyed: TestClient, method: str, path: str) -> None:
    response = keyed.request(method, path, json={}, headers=READ)
    assert response.status_code not in (401, 403)


@pytest.mark.parametrize("path", OPEN_ROUTES)
def test_probes_need_no_key(keyed: TestClient, path: str) -> None:
    assert keyed.get(path).status_code == 200


def test_write_key_trains_and_reads(keyed: TestClient) -> None:
    response = keyed.post(
        "/models/pump/train?wait=true", json=training_body(), headers=WRITE
    )
    assert response.status_code == 201, response.text
    assert keyed.get("/models/pump", headers=WRITE).status_code == 200
    predicted = keyed.post(
        "/models/pump/predict",
        json={"rows": [[10.0, 520.0, 1.5]]},
        headers=READ,
    )
    assert predicted.status_code == 200, predicted.text


def test_public_reads(settings: Settings) -> None:
    app = create_app(with_keys(settings, public_reads=True))
    with TestClient(app) as client:
        assert client.get("/models").status_code == 200
        assert client.post("/models/pump/train", json={}).status_code == 401
        assert client.get("/models", headers={"X-API-Key": "x" * 20}).status_code == 401


def test_open_mode_warns(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        assert client.post("/models/pump/train", json={}).status_code == 422
    assert "open local mode" in caplog.text


def test_required_keys_missing_fails_start(settings: Settings) -> None:
    with pytest.raises(MissingApiKeysError, match="FAILSIGHT_API_KEYS"):
        create_app(settings.model_copy(update={"require_api_keys": True}))


def test_keys_never_logged(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        app = create_app(with_keys(settings))
        with TestClient(app) as client:
            client.get("/models", headers=READ)
            client.post("/models/pump/train", json={}, headers=READ)
            client.get("/models", headers={"X-API-Key": "not-a-key-at-all-000"})
    assert READ_KEY not in caplog.text
    assert WRITE_KEY not in caplog.text
    assert "not-a-key-at-all-000" not in caplog.text
    assert "by key viewer" in caplog.text


def test_keys_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "FAILSIGHT_API_KEYS",
        f'[{{"name": "ops", "key": "{WRITE_KEY}", "role": "write"}}]',
    )
    loaded = Settings(_env_file=None)  # type: ignore[call-arg]
    assert loaded.api_keys[0].name == "ops"
    assert loaded.api_keys[0].key.get_secret_value() == WRITE_KEY
    assert WRITE_KEY not in repr(loaded)


@pytest.mark.parametrize(
    ("keys", "fragment"),
    [
        ('[{"name": "a", "key": "short", "role": "write"}]', "at least 16"),
        ('[{"name": "a", "key": "0123456789abcdef", "role": "admin"}]', "read"),
        (
            '[{"name": "a", "key": "0123456789abcdef", "role": "read"},'
            ' {"name": "a", "key": "fedcba9876543210", "role": "read"}]',
            "repeats a name",
        ),
        (
            '[{"name": "a", "key": "0123456789abcdef", "role": "read"},'
            ' {"name": "b", "key": "0123456789abcdef", "role": "write"}]',
            "repeats a key",
        ),
    ],
)
def test_invalid_key_settings(
    monkeypatch: pytest.MonkeyPatch, keys: str, fragment: str
) -> None:
    monkeypatch.setenv("FAILSIGHT_API_KEYS", keys)
    with pytest.raises(ValueError, match=fragment):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_openapi_documents_key(keyed: TestClient) -> None:
    schema = keyed.get("/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["APIKeyHeader"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": scheme["description"],
    }
    train = schema["paths"]["/models/{name}/train"]["post"]
    assert train["security"] == [{"APIKeyHeader": []}]
    assert "security" not in schema["paths"]["/health"]["get"]


def test_cors_allows_ui_origin(settings: Settings) -> None:
    ui = "http://localhost:8501"
    app = create_app(with_keys(settings, cors_origins=[ui]))
    with TestClient(app) as client:
        allowed = client.options(
            "/models",
            headers={
                "Origin": ui,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "X-API-Key",
            },
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ui
        other = client.get("/models", headers={"Origin": "http://evil.example", **READ})
        assert "access-control-allow-origin" not in other.headers


def test_version_names_its_key(keyed: TestClient) -> None:
    trained = keyed.post(
        "/models/pump/train?wait=true", json=training_body(), headers=WRITE
    )
    assert trained.status_code == 201, trained.text
    version = keyed.get("/models/pump/versions/1", headers=READ).json()
    assert version["createdBy"] == "api key ops"

    compat = keyed.post(
        "/prediction/train",
        json={"age": [[1.0], [2.0], [3.0]], "timeForFailure": [3.0, 2.0, 1.0]},
        headers=WRITE,
    )
    assert compat.status_code == 200
    default = keyed.get("/models/default/versions/1", headers=READ).json()
    assert default["createdBy"] == "api key ops /prediction/train"


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "not-a-configured-key-000"}])
def test_body_not_read_without_key(keyed: TestClient, headers: dict[str, str]) -> None:
    # A malformed body would be a 422 if it were parsed; the key check comes first.
    response = keyed.post(
        "/models/pump/train",
        content=b'{"columns": ["unit"',
        headers={"content-type": "application/json", **headers},
    )
    assert response.status_code == 401
    assert "X-API-Key" in response.json()["detail"]
    assert response.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'


def test_public_routes_need_no_key_at_gate(keyed: TestClient) -> None:
    for path in ("/", "/health", "/health/live", "/docs", "/openapi.json"):
        assert keyed.get(path).status_code == 200, path

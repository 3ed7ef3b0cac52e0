"""The interactive docs work without internet access."""

from fastapi.testclient import TestClient


def test_docs_use_local_assets(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text
    assert "/static-offline-docs/swagger-ui-bundle.js" in page.text

    script = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000


def test_redoc_uses_local_assets(client: TestClient) -> None:
    page = client.get("/redoc")
    assert page.status_code == 200
    assert "cdn." not in page.text

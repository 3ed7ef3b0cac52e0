from fastapi.testclient import TestClient

from failsight import __version__


def test_info_reports_version_and_database(client: TestClient) -> None:
    response = client.get("/info")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == __version__
    assert body["databaseKind"] in ("sqlite", "postgresql")
    assert set(body) == {"version", "databaseKind"}

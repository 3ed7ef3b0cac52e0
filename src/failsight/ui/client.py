"""Typed HTTP client of the Failsight backend, used by the web UI.

The UI talks to the backend only through this module, so it can run on a host
that has nothing but the backend's URL. Every failure, from a refused
connection to a 4xx detail, is raised as ``BackendError`` with a sentence that
can be shown on a page as it is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import IO, Any, Literal, TypedDict, cast

import httpx

JobStatus = Literal["queued", "running", "succeeded", "failed"]
FileFormat = Literal["auto", "csv", "whitespace"]

API_KEY_HEADER = "X-API-Key"
READ_TIMEOUT_SECONDS = 10.0
"""Timeout of requests that only read or change registry rows."""
UPLOAD_TIMEOUT_SECONDS = 120.0
"""Timeout of requests that send a file or rows, which the backend parses first."""


class Health(TypedDict):
    status: str
    message: str


class Info(TypedDict):
    version: str
    databaseKind: str


class Estimator(TypedDict):
    name: str
    title: str
    default: bool
    params: dict[str, Any]


class Model(TypedDict):
    name: str
    activeVersion: int | None
    versionCount: int
    latestVersion: int | None
    updatedAt: str


class Target(TypedDict):
    column: str | None
    derived: bool
    cap: float | None


class Counts(TypedDict):
    trainRows: int
    trainUnits: int
    testRows: int
    testUnits: int


class Metrics(TypedDict):
    rmse: float
    mae: float
    r2: float | None
    phm08: float
    phm08Mean: float


class Version(TypedDict):
    model: str
    number: int
    active: bool
    estimator: str
    params: dict[str, Any]
    featureNames: list[str]
    droppedFeatures: list[str]
    unitColumn: str | None
    ageColumn: str | None
    target: Target
    counts: Counts
    metrics: Metrics
    refitted: bool
    seed: int
    testFraction: float
    dataSha256: str
    artifactSha256: str
    artifactBytes: int
    libraryVersions: dict[str, str]
    createdAt: str
    createdBy: str
    jobId: str | None


class Evaluation(TypedDict):
    model: str
    number: int
    true: list[float]
    predicted: list[float]
    featureImportance: dict[str, float]


class Job(TypedDict):
    id: str
    model: str
    status: JobStatus
    stage: str
    estimator: str
    rows: int
    units: int
    activate: bool
    version: int | None
    error: str | None
    createdAt: str
    startedAt: str | None
    finishedAt: str | None


class RowPrediction(TypedDict):
    model: str
    version: int
    timeToFailure: list[float]


class UnitPrediction(TypedDict):
    unit: int | float | str | None
    age: float | None
    timeToFailure: float


class FilePrediction(TypedDict):
    model: str
    version: int
    predictions: list[UnitPrediction]


class TrainingOptions(TypedDict, total=False):
    """Training settings shared by JSON rows and file uploads; omitted keys take
    the backend's defaults."""

    unitColumn: str
    ageColumn: str
    targetColumn: str
    cap: float
    features: list[str]
    estimator: str
    params: dict[str, Any]
    seed: int
    testFraction: float
    refit: bool
    activate: bool


class FileLayout(TypedDict, total=False):
    """Layout of an uploaded file: its format, and the names of a headerless
    file's columns, given one by one or by a preset such as cmapss."""

    format: FileFormat
    columns: list[str]
    preset: str


class BackendError(Exception):
    """A request to the backend failed; ``message`` is readable as it is."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class BackendClient:
    """Blocking client of one backend; each method sends exactly one request."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.read_timeout = read_timeout
        headers = {API_KEY_HEADER: api_key} if api_key else {}
        self._http = httpx.Client(base_url=self.base_url, headers=headers)

    def close(self) -> None:
        self._http.close()

    # Service

    def health(self) -> Health:
        return cast(Health, self._send("GET", "/health"))

    def info(self) -> Info:
        return cast(Info, self._send("GET", "/info"))

    def estimators(self) -> list[Estimator]:
        return cast(list[Estimator], self._send("GET", "/estimators"))

    # Models and versions

    def models(self) -> list[Model]:
        return cast(list[Model], self._send("GET", "/models"))

    def versions(self, model: str) -> list[Version]:
        return cast(list[Version], self._send("GET", f"/models/{model}/versions"))

    def version(self, model: str, number: int) -> Version:
        return cast(Version, self._send("GET", f"/models/{model}/versions/{number}"))

    def evaluation(self, model: str, number: int) -> Evaluation:
        path = f"/models/{model}/versions/{number}/evaluation"
        return cast(Evaluation, self._send("GET", path))

    def activate(self, model: str, number: int) -> Version:
        path = f"/models/{model}/versions/{number}/activate"
        return cast(Version, self._send("POST", path))

    def delete_version(self, model: str, number: int) -> None:
        self._send("DELETE", f"/models/{model}/versions/{number}")

    # Training

    def train_rows(
        self,
        model: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[float]],
        options: TrainingOptions,
    ) -> Job:
        body = {"columns": list(columns), "rows": rows, **options}
        response = self._send(
            "POST", f"/models/{model}/train", json=body, timeout=UPLOAD_TIMEOUT_SECONDS
        )
        return cast(Job, response)

    def train_file(
        self,
        model: str,
        file: IO[bytes],
        filename: str,
        layout: FileLayout,
        options: TrainingOptions,
    ) -> Job:
        """Queue a training job on a file; the file object is sent in chunks,
        from its current position, without being copied into one bytes value."""
        fields = _form_fields({**layout, **options})
        response = self._send(
            "POST",
            f"/models/{model}/train/file",
            data=fields,
            files={"file": (filename, file, "text/plain")},
            timeout=UPLOAD_TIMEOUT_SECONDS,
        )
        return cast(Job, response)

    def job(self, job_id: str) -> Job:
        return cast(Job, self._send("GET", f"/jobs/{job_id}"))

    def jobs(self, model: str | None = None) -> list[Job]:
        params = {"model": model} if model else None
        return cast(list[Job], self._send("GET", "/jobs", params=params))

    # Prediction

    def predict_rows(
        self,
        model: str,
        rows: Sequence[Sequence[float]],
        *,
        columns: Sequence[str] | None = None,
        version: int | None = None,
    ) -> RowPrediction:
        body: dict[str, Any] = {"rows": rows}
        if columns is not None:
            body["columns"] = list(columns)
        if version is not None:
            body["version"] = version
        response = self._send("POST", f"/models/{model}/predict", json=body)
        return cast(RowPrediction, response)

    def predict_file(
        self,
        model: str,
        file: IO[bytes],
        filename: str,
        layout: FileLayout,
        *,
        version: int | None = None,
        last_row_per_unit: bool = False,
    ) -> FilePrediction:
        fields = _form_fields(
            {**layout, "version": version, "lastRowPerUnit": last_row_per_unit}
        )
        response = self._send(
            "POST",
            f"/models/{model}/predict/file",
            data=fields,
            files={"file": (filename, file, "text/plain")},
            timeout=UPLOAD_TIMEOUT_SECONDS,
        )
        return cast(FilePrediction, response)

    def _send(
        self,
        method: str,
        path: str,
        *,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        url = f"{self.base_url}{path}"
        timeout = timeout or self.read_timeout
        try:
            response = self._http.request(method, path, timeout=timeout, **kwargs)
        except httpx.TimeoutException:
            raise BackendError(
                f"The backend at {url} did not respond within {timeout:g} seconds. "
                "It may be busy or stuck; check its log, then try again."
            ) from None
        except httpx.ConnectError:
            raise BackendError(
                f"Cannot connect to the backend at {self.base_url}. Check that it "
                "is running (failsight api or failsight serve) and that "
                "FAILSIGHT_API_URL points to it."
            ) from None
        except httpx.HTTPError as error:
            raise BackendError(
                f"The request to {url} failed: {error or type(error).__name__}."
            ) from None
        if response.status_code >= 400:
            raise BackendError(
                _error_message(response), status_code=response.status_code
            )
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except json.JSONDecodeError:
            raise BackendError(
                f"The backend at {url} returned a body that is not JSON "
                f"(status {response.status_code}); is {self.base_url} really "
                "a Failsight backend?"
            ) from None


def _form_fields(values: Mapping[str, Any]) -> dict[str, str]:
    """Encode multipart form fields as the backend reads them: lists as
    comma-separated names, objects as JSON, booleans as true or false."""
    fields: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            fields[name] = "true" if value else "false"
        elif isinstance(value, list):
            fields[name] = ",".join(str(item) for item in value)
        elif isinstance(value, dict):
            fields[name] = json.dumps(value)
        else:
            fields[name] = str(value)
    return fields


def _error_message(response: httpx.Response) -> str:
    """Turn an error response into one readable sentence: the backend's detail,
    or each invalid field of a request validation error."""
    try:
        detail = response.json().get("detail")
    except (json.JSONDecodeError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return _sentence(detail)
    if isinstance(detail, list) and detail:
        problems = [_validation_problem(item) for item in detail]
        return "The backend rejected the request: " + "; ".join(problems) + "."
    reason = response.reason_phrase or "error"
    return (
        f"The backend answered {response.status_code} {reason} to "
        f"{response.request.method} {response.request.url.path}."
    )


def _validation_problem(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    location = [str(part) for part in item.get("loc", []) if part not in ("body",)]
    field = ".".join(location) or "request"
    return f"{field}: {item.get('msg', 'invalid value')}"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."

"""Domain exceptions; the API maps each class to one HTTP status."""


class FailsightError(Exception):
    """Base class; the message is shown to the caller as the error detail."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(FailsightError):
    """The caller sent data or options that cannot be used (HTTP 422)."""


class BadRequestError(FailsightError):
    """The request is malformed as a whole, for example lengths differ (HTTP 400)."""


class NotFoundError(FailsightError):
    """A model, version or job does not exist (HTTP 404)."""


class ConflictError(FailsightError):
    """The request contradicts the registry's state, such as deleting the active
    version (HTTP 409)."""


class NoModelError(ConflictError):
    """A prediction was asked of a model that has no active version yet."""


class ArtifactError(FailsightError):
    """A stored artifact is missing, altered or cannot be loaded (HTTP 503)."""


class BusyError(FailsightError):
    """Too much work is queued; the caller should retry later (HTTP 429)."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds

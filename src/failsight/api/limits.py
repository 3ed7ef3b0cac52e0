"""Per-request limits on rows and features, and on queued training jobs."""

from __future__ import annotations

from failsight.config import Settings
from failsight.domain.errors import InvalidInputError


def check_table_size(settings: Settings, rows: int, features: int) -> None:
    """Reject a request whose table has more rows or columns than the settings allow."""
    if rows > settings.max_rows:
        raise InvalidInputError(
            f"the request has {rows} rows but the limit is {settings.max_rows}; "
            "send the rows in smaller requests or raise FAILSIGHT_MAX_ROWS"
        )
    if features > settings.max_features:
        raise InvalidInputError(
            f"the request has {features} columns per row but the limit is "
            f"{settings.max_features}; send fewer columns or raise FAILSIGHT_MAX_FEATURES"
        )

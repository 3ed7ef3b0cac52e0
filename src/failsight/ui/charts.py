"""Altair charts of a version's held-out evaluation and of file predictions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

TIME_UNIT = "age units, e.g. cycles"
"""Axis unit of times to failure: the same unit as the training data's ages."""
LAYER_PADDING = {"top": 12, "left": 5, "right": 5, "bottom": 5}
"""Padding, in pixels, around a layered chart. With Streamlit's chart theme
(checked on Streamlit 1.67), a layered chart gets no room above its title, so
the top of the title is cut off. An explicit top padding keeps it whole."""


def predicted_vs_true(
    true: Sequence[float], predicted: Sequence[float]
) -> alt.LayerChart:
    """Scatter of predicted against true time to failure, with the line of perfect
    predictions."""
    frame = pd.DataFrame({"true": true, "predicted": predicted})
    top = float(max(frame["true"].max(), frame["predicted"].max(), 1.0))
    points = (
        alt.Chart(frame)
        .mark_circle(size=30, opacity=0.5)
        .encode(
            x=alt.X("true:Q", title=f"True time to failure ({TIME_UNIT})"),
            y=alt.Y("predicted:Q", title=f"Predicted time to failure ({TIME_UNIT})"),
            tooltip=["true", "predicted"],
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"true": [0.0, top], "predicted": [0.0, top]}))
        .mark_line(color="gray", strokeDash=[4, 4])
        .encode(x="true:Q", y="predicted:Q")
    )
    chart: alt.LayerChart = (points + diagonal).properties(
        title="Predicted against true time to failure (held-out units)",
        padding=LAYER_PADDING,
    )
    return chart


def error_vs_true(true: Sequence[float], predicted: Sequence[float]) -> alt.LayerChart:
    """Scatter of the prediction error (predicted minus true) against the true
    time to failure; points above zero are late warnings."""
    frame = pd.DataFrame({"true": true, "predicted": predicted})
    frame["error"] = frame["predicted"] - frame["true"]
    points = (
        alt.Chart(frame)
        .mark_circle(size=30, opacity=0.5)
        .encode(
            x=alt.X("true:Q", title=f"True time to failure ({TIME_UNIT})"),
            y=alt.Y("error:Q", title=f"Error, predicted minus true ({TIME_UNIT})"),
            tooltip=["true", "predicted", "error"],
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"error": [0.0]}))
        .mark_rule(color="gray")
        .encode(y="error:Q")
    )
    chart: alt.LayerChart = (points + zero).properties(
        title="Error against true time to failure", padding=LAYER_PADDING
    )
    return chart


def feature_importance(importance: Mapping[str, float], limit: int = 20) -> alt.Chart:
    """Horizontal bars of the largest importances, largest on top."""
    frame = pd.DataFrame(
        {"feature": list(importance), "importance": list(importance.values())}
    )
    frame = frame.sort_values("importance", ascending=False).head(limit)
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "importance:Q", title="Importance (estimator's own or permutation)"
            ),
            y=alt.Y("feature:N", sort="-x", title="Feature"),
            tooltip=["feature", "importance"],
        )
        .properties(title="Feature importance")
    )
    return chart


def units_by_time_to_failure(
    predictions: pd.DataFrame, threshold: float
) -> alt.LayerChart:
    """Bars of each unit's predicted time to failure, shortest first, with a
    threshold line. Units under it are drawn in red as the ones to inspect first.

    ``predictions`` has the columns ``unit`` and ``timeToFailure``.
    """
    frame = predictions[["unit", "timeToFailure"]].copy()
    frame["unit"] = frame["unit"].astype(str)
    attention = f"needs attention (under {threshold:g})"
    frame["status"] = "ok"
    frame.loc[frame["timeToFailure"] < threshold, "status"] = attention
    order = frame.sort_values("timeToFailure", kind="stable")["unit"].tolist()
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("unit:N", sort=order, title="Unit, shortest time to failure first"),
            y=alt.Y(
                "timeToFailure:Q", title=f"Predicted time to failure ({TIME_UNIT})"
            ),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=[attention, "ok"], range=["#d62728", "#1f77b4"]),
                legend=alt.Legend(title="Status"),
            ),
            tooltip=["unit", "timeToFailure", "status"],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"threshold": [threshold]}))
        .mark_rule(color="#d62728", strokeDash=[6, 3])
        .encode(y="threshold:Q")
    )
    chart: alt.LayerChart = (bars + rule).properties(
        title="Predicted time to failure per unit", padding=LAYER_PADDING
    )
    return chart

"""Input widgets for an estimator's parameters, built from its JSON schema."""

from __future__ import annotations

from typing import Any

import streamlit as st


def parameter_inputs(estimator: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Draw one input per parameter and return the values that differ from the
    defaults; the backend fills in and validates the rest."""
    properties: dict[str, Any] = schema.get("properties", {})
    if not properties:
        st.caption("This estimator has no parameters.")
        return {}
    chosen: dict[str, Any] = {}
    columns = st.columns(min(3, len(properties)))
    for index, (name, spec) in enumerate(properties.items()):
        with columns[index % len(columns)]:
            value = _parameter_input(f"param_{estimator}_{name}", name, spec)
        if value != spec.get("default"):
            chosen[name] = value
    return chosen


def _parameter_input(key: str, name: str, spec: dict[str, Any]) -> Any:
    label = spec.get("title", name)
    help_text = spec.get("description")
    default = spec.get("default")
    if "enum" in spec:
        options = list(spec["enum"])
        index = options.index(default) if default in options else 0
        return st.selectbox(label, options, index=index, key=key, help=help_text)
    kinds = [spec] if "type" in spec else spec.get("anyOf", [])
    number = next(
        (kind for kind in kinds if kind.get("type") in ("integer", "number")), None
    )
    if number is None:
        text = st.text_input(
            label,
            value="" if default is None else str(default),
            key=key,
            help=help_text,
        )
        return text or None
    nullable = any(kind.get("type") == "null" for kind in kinds)
    if nullable:
        help_text = f"{help_text or ''} Leave empty for no limit.".strip()
    if number["type"] == "integer":
        return st.number_input(
            label,
            value=default,
            min_value=number.get("minimum"),
            max_value=number.get("maximum"),
            step=1,
            key=key,
            help=help_text,
        )
    return st.number_input(
        label,
        value=None if default is None else float(default),
        min_value=None if number.get("minimum") is None else float(number["minimum"]),
        max_value=None if number.get("maximum") is None else float(number["maximum"]),
        format="%g",
        key=key,
        help=help_text,
    )

"""Use cases: training jobs, prediction and model management."""

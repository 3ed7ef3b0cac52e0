"""Pure computation on tables and arrays: datasets, estimators, metrics, training."""

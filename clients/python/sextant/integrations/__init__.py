"""Bridges to other libraries (imported on demand: ``sextant.integrations.optuna`` needs Optuna)."""

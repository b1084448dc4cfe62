"""docs/python.md's quick start: python3 docs/examples/quickstart.py [STUDY-NAME] (SEXTANT_TOKEN set)."""
import sys

import sextant
study = sextant.Client().create_study({"name": sys.argv[1] if len(sys.argv) > 1 else "quickstart", "objectives": [{"metric": "loss"}],
    "space": {"parameters": [{"name": "x", "type": "float", "low": -5, "high": 5}]}, "algorithm": {"name": "gp-bo"}})
study.optimize(lambda trial: (trial.params["x"] - 1) ** 2, n_trials=25)
print(study.best_trial().params)

"""docs/python.md's quick start: python3 docs/examples/quickstart.py [STUDY-NAME] (with SEXTANT_TOKEN set)."""
import sys

import sextant

client = sextant.Client()  # $SEXTANT_URL (default http://localhost:8080), $SEXTANT_TOKEN
study = client.create_study({
    "name": sys.argv[1] if len(sys.argv) > 1 else "quickstart",
    "space": {"parameters": [{"name": "x", "type": "float", "low": -5, "high": 5},
                             {"name": "y", "type": "float", "low": -5, "high": 5}]},
    "objectives": [{"metric": "loss"}],
    "algorithm": {"name": "gp-bo"},
    "limits": {"maxTrials": 25}})
study.optimize(lambda trial: (trial.params["x"] - 1) ** 2 + (trial.params["y"] + 2) ** 2)
print(study.best_trial().value, study.best_trial().params)

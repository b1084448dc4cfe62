"""An existing Optuna script, moved to Sextant's server-side GP-BO by changing its sampler= argument only.

    python3 docs/examples/optuna_migration.py [STUDY-NAME]      (SEXTANT_URL, SEXTANT_TOKEN set; needs Optuna)
"""
import math
import sys

import optuna

import sextant
from sextant.integrations.optuna import SextantSampler


def objective(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    return ((x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2
            + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10)  # Branin, minimum 0.397887


name = sys.argv[1] if len(sys.argv) > 1 else "optuna-branin"
# before: study = optuna.create_study()
sampler = SextantSampler(sextant.Client(), algorithm="gp-bo", seed=1, study_name=name)  # seeds its first (random) trial too
study = optuna.create_study(sampler=sampler)
study.optimize(objective, n_trials=30)
print("best value %.4f at %s (Sextant study %d)" % (study.best_value, study.best_params, sampler.sextant_study.id))

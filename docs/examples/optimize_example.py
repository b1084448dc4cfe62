"""study.optimize with 4 workers, intermediate reports and early stopping, and a failing configuration.

    python3 docs/examples/optimize_example.py [STUDY-NAME]      (SEXTANT_URL, SEXTANT_TOKEN set)

The "training" is a simulated learning curve, so the example runs anywhere in seconds: replace train() with yours.
"""
import math
import sys
import time

import sextant

client = sextant.Client()
study = client.create_study({
    "name": sys.argv[1] if len(sys.argv) > 1 else "optimize-example",
    "space": {"parameters": [
        {"name": "lr", "type": "float", "low": 1e-4, "high": 1.0, "log": True},
        {"name": "layers", "type": "int", "low": 1, "high": 4},
        {"name": "opt", "type": "categorical", "choices": ["adam", "sgd"]}]},
    "objectives": [{"metric": "loss", "direction": "MINIMIZE"}],
    "algorithm": {"name": "gp-bo", "options": {"seed": 7}},
    "limits": {"maxTrials": 24, "maxParallel": 4},
    "earlyStopping": {"rule": "median", "startupTrials": 4, "warmupSteps": 2},
})


def train(lr, layers, opt, epoch):
    """A made-up learning curve: best near lr = 0.03 with adam and 2 layers."""
    if lr > 0.5 and opt == "sgd":
        raise FloatingPointError("diverged (lr %.3g with sgd)" % lr)
    floor = (math.log10(lr) + 1.5) ** 2 + 0.1 * (layers - 2) ** 2 + (0.3 if opt == "sgd" else 0.0)
    return floor + 2.0 / epoch


def objective(trial):
    p = trial.params
    loss = None
    for epoch in range(1, 11):
        loss = train(p["lr"], p["layers"], p["opt"], epoch)
        time.sleep(0.01)
        if trial.report(epoch, {"loss": loss}):  # the study's median rule says stop: give up on this one
            raise sextant.Pruned("stopped at epoch %d" % epoch)
    return loss  # a number for a single-objective study (or a dict of metrics)


study.optimize(objective, n_workers=4)  # FloatingPointError fails its trial; the loop goes on
best = study.best_trial()
counts = study.refresh().data["trialCounts"]
print("best loss %.4f with %s" % (best.value, best.params))
print("completed %d, pruned %d, failed %d" % (counts["COMPLETED"], counts["PRUNED"], counts["FAILED"]))

"""Python client for Sextant, the hyperparameter-search server.

    import sextant
    client = sextant.Client()                       # $SEXTANT_URL, $SEXTANT_TOKEN
    study = client.create_study({...})              # or client.study(id_or_name)
    study.optimize(lambda trial: f(**trial.params), n_trials=50)
    print(study.best_trial())

Guide: docs/python.md. Standard library only.
"""
from ._errors import ApiError, Pruned
from .client import Client, Study, Trial

__version__ = "0.1.0"
__all__ = ["ApiError", "Client", "Pruned", "Study", "Trial", "__version__"]

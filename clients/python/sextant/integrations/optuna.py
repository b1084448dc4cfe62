"""An Optuna sampler backed by a Sextant server: an Optuna script changes only its ``sampler=`` argument.

    import optuna, sextant
    from sextant.integrations.optuna import SextantSampler

    sampler = SextantSampler(sextant.Client(), algorithm="gp-bo", seed=1)
    study = optuna.create_study(sampler=sampler)
    study.optimize(objective, n_trials=40)

Optuna's relative search space (the parameters every finished trial has, with the same distribution) becomes a
Sextant study the first time it is known (the trials before that are sampled by ``independent_sampler``, Optuna's
RandomSampler by default, and are told to the new study as its first trials). From then on ``sample_relative`` asks
the Sextant study for each Optuna trial, and ``after_trial`` tells it the outcome: COMPLETE with its values, PRUNED
(the last intermediate value as a measurement, then pruned), FAIL with the reason. Parameters outside that space
(dynamic or conditional ones) are sampled by the independent sampler. Objective metrics are named ``value``
(``value0``, ``value1``, ... for several objectives) with the Optuna study's directions.

Tested with Optuna 3.1 (Debian's python3-optuna); needs Optuna >= 3.1.
"""
import logging
import math
import threading

from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers import BaseSampler, RandomSampler
from optuna.study import StudyDirection
from optuna.trial import TrialState

from .._errors import ApiError

try:  # Optuna >= 3.2
    from optuna.search_space import IntersectionSearchSpace
except ImportError:  # Optuna 3.1
    from optuna.samplers import IntersectionSearchSpace

log = logging.getLogger("sextant")

TRIAL_ATTR = "sextant:trial"
STUDY_ATTR = "sextant:study"


class SextantSampler(BaseSampler):
    """Samples Optuna trials with a Sextant designer (``algorithm``: ``gp-bo``, ``sobol``, ``random``, ``nsga2``,
    ``ehvi``, ... with its ``options``, e.g. ``{"seed": 1}``).

    ``study_name`` names the Sextant study (default ``optuna-<the Optuna study's name>``); a Sextant study of that
    name with the same space is continued, so a resumed Optuna study continues its Sextant study. ``limits`` are
    the Sextant study's limits (e.g. ``{"heartbeatSeconds": 60}``). Thread-safe (``n_jobs`` > 1).
    """

    def __init__(self, client, algorithm="gp-bo", options=None, study_name=None, *, independent_sampler=None,
                 limits=None, seed=None):
        self._client = client
        self._algorithm = algorithm
        self._options = dict(options or {})
        if seed is not None:
            self._options.setdefault("seed", seed)
        self._study_name = study_name
        self._limits = dict(limits or {})
        self._independent = independent_sampler or RandomSampler(seed=seed)
        self._intersection = IntersectionSearchSpace()
        self._lock = threading.RLock()
        self._study = None  # the Sextant study
        self._space = None  # name -> Optuna distribution of the Sextant study's parameters
        self._choices = {}  # categorical name -> the Sextant choices, in the Optuna choices' order
        self._trials = {}  # Optuna trial number -> Sextant Trial

    @property
    def sextant_study(self):
        """The Sextant study (None until the search space is known)."""
        return self._study

    def reseed_rng(self):
        self._independent.reseed_rng()

    def infer_relative_search_space(self, study, trial):
        return {name: d for name, d in self._intersection.calculate(study).items() if not d.single()}

    def sample_relative(self, study, trial, search_space):
        if not search_space:
            return {}
        with self._lock:
            if self._study is None:
                self._create(study, search_space)
            names = [n for n in self._space if search_space.get(n) == self._space[n]]
        if not names:
            return {}
        st = self._study.ask(worker_id="optuna-%s-%d" % (study.study_name, trial.number))
        if st is None:
            raise RuntimeError("Sextant study %d gave no trial (its maxTrials were issued, or maxParallel trials "
                               "run)" % self._study.id)
        with self._lock:
            self._trials[trial.number] = st
        study._storage.set_trial_system_attr(trial._trial_id, TRIAL_ATTR, st.number)
        study._storage.set_trial_system_attr(trial._trial_id, STUDY_ATTR, self._study.id)
        return {n: self._decode(n, st.params[n]) for n in names if n in st.params}

    def sample_independent(self, study, trial, param_name, param_distribution):
        return self._independent.sample_independent(study, trial, param_name, param_distribution)

    def after_trial(self, study, trial, state, values):
        with self._lock:
            st = self._trials.pop(trial.number, None)
        try:
            if st is not None:
                self._tell(st, trial, state, values)
        finally:
            self._independent.after_trial(study, trial, state, values)

    # -- the Sextant study ------------------------------------------------------------------------------------------

    @staticmethod
    def _metrics(study):
        return SextantSampler._metric_names(len(study.directions))

    def _create(self, study, search_space):
        space = dict(sorted(search_space.items()))
        params = [self._parameter(name, d) for name, d in space.items()]
        metrics = self._metrics(study)
        body = {
            "name": self._study_name or "optuna-%s" % study.study_name,
            "space": {"parameters": params},
            "objectives": [{"metric": m, "direction": "MAXIMIZE" if d == StudyDirection.MAXIMIZE else "MINIMIZE"}
                           for m, d in zip(metrics, study.directions)],
            "algorithm": {"name": self._algorithm, "options": self._options},
        }
        if self._limits:
            body["limits"] = self._limits
        try:
            s = self._client.create_study(body, paused=True)
        except ApiError as e:
            if e.status != 409 or e.field != "name":
                raise
            s = self._client.study(body["name"])
            if not _same_space(s, params):
                raise ApiError(409, "name", "Sextant study %r exists with another search space; pass "
                                            "SextantSampler(study_name=...) to use a new one" % body["name"]) from e
            log.info("continuing Sextant study %d %s", s.id, s.name)
            self._study, self._space = s, space
            return
        self._study, self._space = s, space
        try:
            self._import(study, s, space)
        finally:
            if s.state == "PAUSED":
                s.resume()
        log.info("Sextant study %d %s runs the %s designer for Optuna study %s", s.id, s.name, self._algorithm,
                 study.study_name)

    def _parameter(self, name, d):
        if isinstance(d, FloatDistribution):
            p = {"name": name, "type": "float", "low": d.low, "high": d.high}
            if d.log:
                p["log"] = True
            if d.step is not None:
                p["step"] = d.step
            return p
        if isinstance(d, IntDistribution):
            p = {"name": name, "type": "int", "low": d.low, "high": d.high}
            if d.log:
                p["log"] = True
            if d.step != 1:
                p["step"] = d.step
            return p
        if isinstance(d, CategoricalDistribution):
            choices = list(d.choices)
            if all(isinstance(c, str) for c in choices):
                sextant = choices
            else:
                sextant = [str(c) for c in choices]
                if len(set(sextant)) != len(sextant):
                    sextant = [repr(c) for c in choices]
            self._choices[name] = sextant
            return {"name": name, "type": "categorical", "choices": sextant}
        raise ValueError("SextantSampler cannot map parameter %r with %r" % (name, d))

    def _encode(self, name, value):
        d = self._space[name]
        if isinstance(d, CategoricalDistribution):
            return self._choices[name][d.choices.index(value)]
        return value

    def _decode(self, name, value):
        d = self._space[name]
        if isinstance(d, CategoricalDistribution):
            return d.choices[self._choices[name].index(value)]
        if isinstance(d, IntDistribution):
            v = int(round(value))
            if d.step != 1:
                v = d.low + int(round((v - d.low) / d.step)) * d.step
            return min(d.high, max(d.low, v))
        v = float(value)
        if d.step is not None:
            v = d.low + round((v - d.low) / d.step) * d.step
        return min(d.high, max(d.low, v))

    def _import(self, study, s, space):
        """Tells the new study the Optuna trials that finished before it existed (sampled independently)."""
        done = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                if all(n in t.params and t.distributions.get(n) == d for n, d in space.items())]
        if not done:
            return
        queued = {}
        for t in done:
            queued[s.enqueue({n: self._encode(n, t.params[n]) for n in space}).number] = t
        s.resume()
        claimed = s.ask_batch(len(queued), worker_id="optuna-import-%s" % study.study_name)
        for st in claimed:
            t = queued.get(st.number)
            if t is None:
                st.fail("not used: claimed while importing Optuna trials")
                continue
            st.study.tell(st, dict(zip(self._metrics(study), t.values)))

    def _tell(self, st, trial, state, values):
        if state == TrialState.COMPLETE and values is not None:
            st.study.tell(st, dict(zip(self._metric_names(len(values)), values)))
        elif state == TrialState.PRUNED:
            steps = sorted(trial.intermediate_values)
            reason = "pruned by Optuna"
            if steps:
                last = steps[-1]
                v = trial.intermediate_values[last]
                if isinstance(v, float) and math.isfinite(v):
                    try:
                        st.report(int(last), v)
                    except ApiError as e:
                        log.warning("trial %d: %s", st.number, e)
                reason += " at step %d" % last
            if st.state == "RUNNING":
                st.prune(reason)
        elif state == TrialState.FAIL:
            reason = trial.system_attrs.get("fail_reason") or trial.system_attrs.get(
                "study:tell:warning") or "failed in Optuna"
            st.fail(str(reason))
        else:
            st.fail("ended %s in Optuna" % state.name)

    @staticmethod
    def _metric_names(n):
        return ["value"] if n == 1 else ["value%d" % i for i in range(n)]


def _same_space(s, params):
    def canon(ps):
        return sorted(({k: (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and k in (
            "low", "high", "step") else v) for k, v in p.items() if k != "log" or v} for p in ps),
            key=lambda p: p["name"])
    return canon((s.data.get("space") or {}).get("parameters") or []) == canon(params)

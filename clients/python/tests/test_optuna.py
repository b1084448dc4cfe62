"""The Optuna sampler backed by Sextant, with Debian's python3-optuna (run-tests.sh installs it when missing)
against the real server."""
import math

import optuna

import sextant
from sextant.integrations.optuna import TRIAL_ATTR, SextantSampler
from tests.base import BRANIN_MIN, BRANIN_SPACE, ServerTest, branin, unique

optuna.logging.set_verbosity(optuna.logging.WARNING)


def optuna_branin(trial):
    return branin(trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15))


class OptunaSamplerTest(ServerTest):

    def test_branin_at_40_is_in_the_regret_band_of_the_same_gp_bo_study_driven_directly(self):
        seed = 1
        direct = self.client.create_study({"name": unique("branin-direct"), "space": BRANIN_SPACE,
                                           "objectives": [{"metric": "loss"}], "limits": {"maxTrials": 40},
                                           "algorithm": {"name": "gp-bo", "options": {"seed": seed}}})
        direct.optimize(lambda t: branin(t.params["x1"], t.params["x2"]))
        direct_regret = direct.best_trial().value - BRANIN_MIN

        sampler = SextantSampler(self.client, algorithm="gp-bo", options={"seed": seed}, seed=seed)
        study = optuna.create_study(sampler=sampler, study_name=unique("branin-optuna"))
        study.optimize(optuna_branin, n_trials=40)
        bridge_regret = study.best_value - BRANIN_MIN

        random = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
        random.optimize(optuna_branin, n_trials=40)
        random_regret = random.best_value - BRANIN_MIN

        # The band: gp-bo on Branin@40 reaches regret ~1e-3 (docs/benchmarks-gp-bo.md: median 3e-4 at 50 trials)
        # where random search stays near 0.4-1. Both drivings must be in it: below 0.05 (an order of magnitude under
        # random search), and the bridge no worse than 30x the direct run (or 0.01, whichever is larger: single
        # runs of a GP vary by about a decade near the optimum).
        msg = "direct %.3g, bridge %.3g, random %.3g" % (direct_regret, bridge_regret, random_regret)
        self.assertLess(direct_regret, 0.05, msg)
        self.assertLess(bridge_regret, 0.05, msg)
        self.assertLessEqual(bridge_regret, max(30 * direct_regret, 0.01), msg)
        self.assertLess(bridge_regret, random_regret, msg)

        s = sampler.sextant_study
        self.assertEqual("gp-bo", s.data["algorithm"]["name"])
        trials = s.trials()
        self.assertEqual(40, len(trials))  # the first, sampled by Optuna before the space was known, told too
        self.assertEqual({"COMPLETED"}, {t.state for t in trials})
        by_number = {t.number: t for t in study.trials}
        # each Optuna trial ran the parameters its Sextant trial holds, and told its value
        for ot in study.trials[1:]:
            st = s.trial(ot.system_attrs[TRIAL_ATTR])
            self.assertEqual(ot.params, st.params)
            self.assertEqual(ot.value, st.value)
        self.assertEqual(by_number[0].params, trials[0].params)

    def test_spaces_states_and_resume(self):
        name = unique("optuna-mixed")

        def objective(trial):
            lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
            layers = trial.suggest_int("layers", 1, 4)
            units = trial.suggest_int("units", 16, 128, step=16)
            opt = trial.suggest_categorical("opt", ["adam", "sgd"])
            flag = trial.suggest_categorical("flag", [True, False, None])
            loss = -math.log10(lr) + layers + units / 100 + (opt == "sgd") + (flag is None)
            if trial.number == 3:
                raise ValueError("diverged")
            if trial.number == 4:
                trial.report(loss, 2)
                raise optuna.TrialPruned()
            return loss

        sampler = SextantSampler(self.client, algorithm="sobol", options={"seed": 5}, study_name=name)
        study = optuna.create_study(sampler=sampler, study_name=unique("o"))
        study.optimize(objective, n_trials=8, catch=(ValueError,))
        s = sampler.sextant_study
        self.assertEqual(name, s.name)
        params = {p["name"]: p for p in s.data["space"]["parameters"]}
        self.assertEqual(("float", True), (params["lr"]["type"], params["lr"].get("log")))
        self.assertEqual(("int", 16), (params["units"]["type"], params["units"]["step"]))
        self.assertEqual(["adam", "sgd"], params["opt"]["choices"])
        self.assertEqual(["True", "False", "None"], params["flag"]["choices"])
        self.assertEqual([("value", "MINIMIZE")], list(zip(s.objectives, s.directions)))

        states = {}
        for ot in study.trials:
            if TRIAL_ATTR in ot.system_attrs:
                st = s.trial(ot.system_attrs[TRIAL_ATTR])
                states[ot.number] = st.state
                self.assertEqual(ot.params, {k: st.params[k] if k != "flag" else {"True": True, "False": False,
                                                                                  "None": None}[st.params[k]]
                                             for k in st.params})
        self.assertEqual("FAILED", states[3])
        self.assertEqual("PRUNED", states[4])
        pruned = s.trial(study.trials[4].system_attrs[TRIAL_ATTR])
        self.assertEqual([2], [m["step"] for m in pruned.measurements])
        self.assertIn("pruned by Optuna at step 2", pruned.data["failureReason"])
        self.assertEqual({"COMPLETED"}, {v for k, v in states.items() if k not in (3, 4)})

        # a second Optuna run naming the same Sextant study continues it
        again = SextantSampler(self.client, algorithm="sobol", options={"seed": 5}, study_name=name)
        resumed = optuna.create_study(sampler=again, study_name=unique("o2"))
        resumed.optimize(objective, n_trials=3, catch=(ValueError,))
        self.assertEqual(s.id, again.sextant_study.id)

    def test_maximize_and_parallel_jobs(self):
        sampler = SextantSampler(self.client, algorithm="random", options={"seed": 2})
        study = optuna.create_study(sampler=sampler, direction="maximize", study_name=unique("omax"))
        study.optimize(lambda t: -optuna_branin(t), n_trials=12, n_jobs=3)
        s = sampler.sextant_study
        self.assertEqual(["MAXIMIZE"], s.directions)
        completed = s.trials(state="COMPLETED")
        self.assertEqual(12, len(completed))
        self.assertAlmostEqual(study.best_value, s.best_trial().value)
        self.assertEqual(12, len({t.number for t in completed}))

    def test_a_sextant_refusal_is_an_api_error(self):
        sampler = SextantSampler(self.client, algorithm="no-such-designer")
        study = optuna.create_study(sampler=sampler)
        with self.assertRaises(sextant.ApiError) as e:
            study.optimize(optuna_branin, n_trials=3)
        self.assertEqual((400, "algorithm.name"), (e.exception.status, e.exception.field))

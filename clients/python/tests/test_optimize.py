"""study.optimize against the real server: workers, failures, pruning, Ctrl-C."""
import os
import signal
import subprocess
import tempfile
import textwrap
import threading
import time

import sextant
from tests.base import PYTHON, ServerTest, branin, child_env


class Concurrency:
    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


class OptimizeTest(ServerTest):

    def test_four_workers_run_the_study_to_its_limit(self):
        s = self.new_study("four", limits={"maxTrials": 24})
        running = Concurrency()
        threads = set()

        def objective(trial):
            with running:
                threads.add(threading.current_thread().name)
                time.sleep(0.1)
                return branin(trial.params["x1"], trial.params["x2"])

        done = s.optimize(objective, n_workers=4)
        self.assertEqual(24, len(done))
        trials = s.trials()
        self.assertEqual(list(range(1, 25)), [t.number for t in trials])
        self.assertEqual({"COMPLETED"}, {t.state for t in trials})
        for t in trials:
            self.assertAlmostEqual(branin(t.params["x1"], t.params["x2"]), t.value, places=9)
        self.assertEqual(4, len({t.data["workerId"] for t in trials}))  # one worker id per worker
        self.assertEqual(4, len(threads))
        self.assertGreaterEqual(running.most, 2)  # they ran side by side
        self.assertEqual("COMPLETED", s.refresh().state)

    def test_n_trials_and_max_parallel(self):
        s = self.new_study("par", limits={"maxParallel": 2})
        running = Concurrency()

        def objective(trial):
            with running:
                time.sleep(0.05)
                return {"loss": trial.params["x1"]}

        self.assertEqual(7, len(s.optimize(objective, n_trials=7, n_workers=4)))
        self.assertEqual(7, len(s.trials(state="COMPLETED")))
        self.assertLessEqual(running.most, 2)
        self.assertEqual("ACTIVE", s.refresh().state)

    def test_failures_pruning_and_bad_results_do_not_stop_the_loop(self):
        s = self.new_study("mixed", limits={"maxTrials": 6})

        def objective(trial):
            n = trial.number
            if n == 1:
                raise ValueError("boom at %d" % n)
            if n == 2:
                raise sextant.Pruned("not promising")
            if n == 3:
                return None
            if n == 4:
                return {"accuracy": 1.0}  # not the study's metric: the server refuses it, the trial fails
            return 1.0 * n

        done = s.optimize(objective)
        self.assertEqual(6, len(done))
        t = {x.number: x for x in s.trials()}
        self.assertEqual("FAILED", t[1].state)
        self.assertTrue(t[1].data["failureReason"].startswith("ValueError: boom at 1"))
        self.assertIn("Traceback", t[1].data["failureReason"])
        self.assertEqual(("PRUNED", "not promising"), (t[2].state, t[2].data["failureReason"]))
        self.assertEqual("FAILED", t[3].state)
        self.assertIn("returned None", t[3].data["failureReason"])
        self.assertEqual("FAILED", t[4].state)
        self.assertIn("values.accuracy", t[4].data["failureReason"])
        self.assertEqual(["COMPLETED", "COMPLETED"], [t[5].state, t[6].state])

    def test_report_stop_ends_the_trial_pruned_and_its_result_is_dropped(self):
        s = self.new_study("es", limits={"maxTrials": 3}, earlyStopping={"rule": "median", "startupTrials": 1})
        stops = []

        def objective(trial):
            level = 1.0 if trial.number == 1 else 100.0
            for step in range(1, 6):
                if trial.report(step, level + 1.0 / step):
                    stops.append((trial.number, step))
                    return level  # returning after stop: the trial stays PRUNED
            return level

        s.optimize(objective)
        states = [t.state for t in s.trials()]
        self.assertEqual(["COMPLETED", "PRUNED", "PRUNED"], states)
        self.assertEqual([(2, 1), (3, 1)], stops)

    def test_an_exception_outside_catch_fails_the_trial_and_propagates(self):
        s = self.new_study("raise")

        def objective(trial):
            raise KeyError("fatal")

        with self.assertRaises(KeyError):
            s.optimize(objective, n_trials=5, catch=(ValueError,))
        trials = s.trials()
        self.assertEqual(1, len(trials))
        self.assertEqual("FAILED", trials[0].state)

    def interrupt(self, n_workers):
        s = self.new_study("ctrlc-%d" % n_workers)
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "run.py")
            with open(script, "w") as f:
                f.write(textwrap.dedent("""
                    import os, sys, time, sextant
                    study = sextant.Client().study(int(sys.argv[1]))
                    def objective(trial):
                        open(os.path.join(sys.argv[2], "started-%d" % trial.number), "w").close()
                        time.sleep(120)
                        return 1.0
                    study.optimize(objective, n_trials=10, n_workers=int(sys.argv[3]))
                    """))
            p = subprocess.Popen([PYTHON, script, str(s.id), d, str(n_workers)], env=child_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                self.wait_for("%d trials to start" % n_workers,
                              lambda: len([x for x in os.listdir(d) if x.startswith("started")]) >= n_workers)
                p.send_signal(signal.SIGINT)
                _, err = p.communicate(timeout=60)
            finally:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        self.assertNotEqual(0, p.returncode)
        self.assertIn(b"KeyboardInterrupt", err)
        trials = s.trials()
        self.assertEqual(n_workers, len(trials))
        for t in trials:
            self.assertEqual("FAILED", t.state)
            self.assertIn("interrupted", t.data["failureReason"])

    def test_ctrl_c_fails_the_running_trial_and_stops(self):
        self.interrupt(1)

    def test_ctrl_c_fails_every_running_trial_of_several_workers(self):
        self.interrupt(3)

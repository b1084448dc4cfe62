"""The examples of docs/python.md (docs/examples) run as a user runs them, against the real server."""
import json
import os
import re
import subprocess
import tempfile

from tests.base import EXAMPLES, PYTHON, REPO, ServerTest, child_env, unique


class ExamplesTest(ServerTest):

    def run_example(self, *args):
        r = subprocess.run([PYTHON] + list(args), cwd=REPO, env=child_env(), capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(0, r.returncode, r.stdout + r.stderr)
        return r

    def test_quickstart(self):
        name = unique("quickstart")
        out = self.run_example(os.path.join(EXAMPLES, "quickstart.py"), name).stdout
        value = float(out.split()[0])
        self.assertLess(value, 1.0)  # (x-1)^2 + (y+2)^2 over [-5,5]^2: gp-bo gets close in 25 trials
        s = self.client.study(name)
        self.assertEqual(("COMPLETED", 25), (s.state, len(s.trials())))

    def test_optimize_example(self):
        name = unique("optimize-example")
        out = self.run_example(os.path.join(EXAMPLES, "optimize_example.py"), name).stdout
        self.assertRegex(out, r"best loss [0-9.]+ with \{")
        s = self.client.study(name)
        counts = s.data["trialCounts"]
        self.assertEqual(24, sum(counts.values()))
        self.assertGreater(counts["COMPLETED"], 0)
        self.assertGreater(counts["PRUNED"], 0)
        done = re.search(r"completed (\d+), pruned (\d+), failed (\d+)", out).groups()
        self.assertEqual([counts["COMPLETED"], counts["PRUNED"], counts["FAILED"]], [int(x) for x in done])
        self.assertEqual(4, len({t.data["workerId"] for t in s.trials()}))

    def test_optuna_migration(self):
        name = unique("optuna-branin")
        out = self.run_example(os.path.join(EXAMPLES, "optuna_migration.py"), name).stdout
        best = float(re.search(r"best value ([0-9.]+)", out).group(1))
        self.assertLess(best, 0.397887 + 0.05)
        self.assertEqual(30, len(self.client.study(name).trials(state="COMPLETED")))

    def test_agent_with_the_train_example(self):
        name = unique("train-example")
        with open(os.path.join(EXAMPLES, "agent-study.yaml")) as f:
            spec = f.read().replace("name: train-example", "name: " + name)
        self.assertIn(name, spec)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "agent-study.yaml")
            with open(path, "w") as f:
                f.write(spec)
            created = self.run_example("-m", "sextant", "study", "create", "-f", path, "--json").stdout
        study = json.loads(created)
        self.assertEqual(name, study["name"])
        r = self.run_example("-m", "sextant", "agent", name, "--",
                             PYTHON, os.path.join("docs", "examples", "train_example.py"))
        self.assertIn("COMPLETED", r.stdout)
        s = self.client.study(name)
        self.assertEqual("COMPLETED", s.state)
        trials = s.trials()
        self.assertEqual(10, len(trials))
        self.assertEqual(set(), {t.state for t in trials} - {"COMPLETED", "PRUNED"})
        self.assertTrue(all(t.measurements for t in trials))
        best = self.run_example("-m", "sextant", "study", "best", name, "--json").stdout
        self.assertLess(json.loads(best)["values"]["mse"], 0.1)

"""The examples of docs/python.md (docs/examples) run as a user runs them, against the real server."""
import ast
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

    def test_quickstart_of_the_docs_and_its_file(self):
        # the five lines of docs/python.md as written (with a fresh study name), and docs/examples/quickstart.py
        with open(os.path.join(REPO, "docs", "python.md")) as f:
            doc = f.read()
        block = re.search(r"## Quick start.*?```python\n(.*?)```", doc, re.S).group(1)
        self.assertEqual(5, len(block.strip().splitlines()))
        for name, args in ((unique("quickstart"), None), (unique("quickstart"), True)):
            if args:
                out = self.run_example(os.path.join(EXAMPLES, "quickstart.py"), name).stdout
            else:
                out = self.run_example("-c", block.replace('"name": "quickstart"', '"name": "%s"' % name)).stdout
            x = ast.literal_eval(out.strip())["x"]  # the printed params dict
            self.assertLess(abs(x - 1), 0.5)  # (x-1)^2 on [-5,5]: gp-bo gets close in 25 trials
            s = self.client.study(name)
            self.assertEqual(25, len(s.trials(state="COMPLETED")))

    def test_the_readmes_python_section(self):
        with open(os.path.join(REPO, "README.md")) as f:
            readme = f.read()
        block = re.search(r"## Python\n.*?```python\n(.*?)```", readme, re.S).group(1)
        name = unique("py-demo")
        out = self.run_example("-c", block.replace('"name": "py-demo"', '"name": "%s"' % name)).stdout
        self.assertIn("state=COMPLETED", out)
        s = self.client.study(name)
        self.assertEqual(20, len(s.trials(state="COMPLETED")))
        self.assertGreaterEqual(len({t.data["workerId"] for t in s.trials()}), 2)  # n_workers=4 (all 4 when not loaded)

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
        self.assertGreaterEqual(len({t.data["workerId"] for t in s.trials()}), 2)

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

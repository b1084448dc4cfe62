"""`python3 -m sextant study ...` against the real server: tables for people, --json for scripts."""
import csv
import io
import json
import os
import subprocess
import tempfile

from tests.base import PYTHON, ServerTest, child_env, unique


class CliTest(ServerTest):

    def cli(self, *args, status=0, **env):
        e = child_env(**env)
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
        r = subprocess.run([PYTHON, "-m", "sextant"] + [str(a) for a in args], env=e, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(status, r.returncode, r.stdout + r.stderr)
        return r

    def test_study_commands(self):
        name = unique("cli")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.yaml")
            with open(path, "w") as f:
                f.write("name: %s\nspace:\n  parameters: [{name: a, type: float, low: 0, high: 1},\n"
                        "               {name: b, type: categorical, choices: [p, q]}]\n"
                        "objectives: [{metric: f1}, {metric: f2}]\nlimits: {maxTrials: 6}\n" % name)
            out = self.cli("study", "create", "-f", path).stdout
            self.assertRegex(out, r"created study \d+ %s \(ACTIVE\)" % name)
            s = self.client.study(name)
            for i in range(5):
                s.tell(s.ask(), {"f1": float(i), "f2": float(4 - i)})
            s.ask().fail("broken")

            listed = self.cli("study", "list", "-q", name).stdout.splitlines()
            self.assertEqual(["id", "name", "state", "algorithm", "trials", "best"], listed[0].split())
            self.assertEqual([str(s.id), name, "COMPLETED", "random", "6/6"], listed[2].split()[:5])
            as_json = json.loads(self.cli("study", "list", "--json", "-q", name).stdout)
            self.assertEqual([s.id], [x["id"] for x in as_json])

            show = self.cli("study", "show", name).stdout
            self.assertIn("f1 (minimize), f2 (minimize)", show)
            self.assertIn("5 completed, 1 failed", show)
            self.assertEqual(s.id, json.loads(self.cli("--json", "study", "show", s.id).stdout)["id"])

            pareto = self.cli("study", "pareto", s.id).stdout
            self.assertEqual(5, len([line for line in pareto.splitlines() if "f1=" in line]))
            self.assertIn("hypervolume", pareto)
            self.assertEqual(5, len(json.loads(self.cli("study", "pareto", s.id, "--json").stdout)["trials"]))

            trials = self.cli("study", "trials", s.id, "--state", "failed").stdout
            self.assertIn("broken", trials)
            self.assertEqual(6, len(json.loads(self.cli("study", "trials", s.id, "--json").stdout)))

            rows = list(csv.DictReader(io.StringIO(self.cli("study", "export", s.id, "--format", "csv").stdout)))
            self.assertEqual(6, len(rows))
            target = os.path.join(d, "export.json")
            self.cli("study", "export", name, "--format", "json", "-o", target)
            with open(target) as f:
                self.assertEqual(6, len(json.load(f)["trials"]))

    def test_best_pause_and_resume(self):
        s = self.new_study("cli-life")
        self.assertIn("no completed trial yet", self.cli("study", "best", s.id).stdout)
        t = s.ask()
        s.tell(t, 0.5)
        best = self.cli("study", "best", s.id).stdout
        self.assertIn("loss=0.5", best)
        self.assertEqual(t.number, json.loads(self.cli("study", "best", s.id, "--json").stdout)["number"])
        self.assertIn("is PAUSED", self.cli("study", "pause", s.id).stdout)
        self.assertEqual("PAUSED", s.refresh().state)
        self.assertEqual("ACTIVE", json.loads(self.cli("study", "resume", s.name, "--json").stdout)["state"])

    def test_refusals_name_the_field_and_exit_1(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.json")
            with open(path, "w") as f:
                json.dump({"name": unique("bad"), "space": {"parameters": [
                    {"name": "x", "type": "float", "low": 2, "high": 1}]}, "objectives": [{"metric": "y"}]}, f)
            r = self.cli("study", "create", "-f", path, status=1)
        self.assertRegex(r.stderr, r"sextant: 400 at space\.parameters\[0\]")
        r = self.cli("study", "show", unique("nobody"), status=1)
        self.assertIn("404 at study", r.stderr)
        r = self.cli("study", "list", status=2, SEXTANT_TOKEN=None)
        self.assertIn("SEXTANT_TOKEN", r.stderr)
        r = self.cli("study", "list", "--token", "sxt_wrong", status=1)
        self.assertIn("401", r.stderr)
        self.cli("study", "export", "1", "--format", "xml", status=2)  # argparse: csv or json

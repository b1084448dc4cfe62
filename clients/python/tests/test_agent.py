"""`python3 -m sextant agent` runs real processes for trials of a study on the real server."""
import json
import os
import subprocess
import tempfile
import textwrap

from tests.base import PYTHON, ServerTest, child_env, unique

SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    with open(os.environ["SEXTANT_PARAMS_FILE"]) as f:
        p = json.load(f)
    out, number = sys.argv[1], int(os.environ["SEXTANT_TRIAL_NUMBER"])
    with open(os.path.join(out, "trial-%d.json" % number), "w") as f:
        json.dump({"pid": os.getpid(), "params": p, "cwd": os.getcwd(),
                   "env": {k: v for k, v in os.environ.items() if k.startswith("SEXTANT_")}}, f)
    behaviour = p.get("behaviour", "ok")
    print("a log line, not metrics", flush=True)
    print("something on stderr", file=sys.stderr, flush=True)
    if behaviour == "exit3":
        print("bad things happened", file=sys.stderr, flush=True)
        sys.exit(3)
    if behaviour == "nofinal":
        sys.exit(0)
    if behaviour == "badline":
        print(json.dumps({"step": 1.5, "values": {"loss": 1}}), flush=True)
        time.sleep(60)
    x = p["x"]
    for step in range(1, 6):
        print(json.dumps({"step": step, "values": {"loss": x + 1.0 / step}}), flush=True)
        time.sleep(0.05 if x < 1 else 60)  # a bad trial would run for minutes unless stopped
    open(os.path.join(out, "finished-%d" % number), "w").close()
    print(json.dumps({"values": {"loss": x}}), flush=True)
    """)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its parent) counts as dead
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


class AgentTest(ServerTest):

    def setUp(self):
        super().setUp()
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.script = os.path.join(self.dir.name, "train.py")
        with open(self.script, "w") as f:
            f.write(SCRIPT)

    def agent(self, study, *args):
        return subprocess.run([PYTHON, "-m", "sextant", "agent", str(study)] + list(args)
                              + ["--", PYTHON, self.script, self.dir.name],
                              env=child_env(), capture_output=True, text=True, timeout=240)

    def record(self, number):
        with open(os.path.join(self.dir.name, "trial-%d.json" % number)) as f:
            return json.load(f)

    def test_agent_streams_metrics_and_a_pruned_trials_process_is_killed(self):
        s = self.client.create_study({
            "name": unique("agent"),
            "space": {"parameters": [{"name": "x", "type": "float", "low": 0, "high": 10},
                                     {"name": "learning-rate", "type": "float", "low": 1e-6, "high": 1, "log": True}]},
            "objectives": [{"metric": "loss"}],
            "earlyStopping": {"rule": "median", "startupTrials": 2}}, paused=True)
        for x in (0.1, 0.2, 5.0):
            s.enqueue({"x": x, "learning-rate": 1e-5})
        s.resume()
        r = self.agent(s.name, "--count", "3", "--json")
        self.assertEqual(0, r.returncode, r.stderr)
        rows = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual([(1, "COMPLETED"), (2, "COMPLETED"), (3, "PRUNED")], [(x["number"], x["state"]) for x in rows])
        self.assertEqual({"loss": 0.1}, rows[0]["values"])
        self.assertIn("a log line, not metrics", r.stderr)  # the command's other output passes through
        self.assertIn("something on stderr", r.stderr)

        trials = {t.number: t for t in s.trials()}
        self.assertEqual([1, 2, 3, 4, 5], [m["step"] for m in trials[1].measurements])
        self.assertEqual(["COMPLETED", "COMPLETED", "PRUNED"], [trials[n].state for n in (1, 2, 3)])
        self.assertEqual([1], [m["step"] for m in trials[3].measurements])
        # the pruned trial's process was killed at step 1: it never finished and is gone
        pruned = self.record(3)
        self.assertFalse(os.path.exists(os.path.join(self.dir.name, "finished-3")))
        self.assertFalse(alive(pruned["pid"]))
        self.assertTrue(os.path.exists(os.path.join(self.dir.name, "finished-1")))

        # the command evaluator's conventions
        env = self.record(1)["env"]
        self.assertEqual({"x": 0.1, "learning-rate": 1e-5}, self.record(1)["params"])
        self.assertEqual("0.1", env["SEXTANT_PARAM_X"])
        self.assertEqual("1.0E-5", env["SEXTANT_PARAM_LEARNING_RATE"])  # as Java prints doubles
        self.assertEqual(("1", "loss", str(s.id)), (env["SEXTANT_TRIAL_NUMBER"], env["SEXTANT_OBJECTIVES"],
                                                    env["SEXTANT_STUDY_ID"]))
        self.assertTrue(os.path.isabs(env["SEXTANT_WORK_DIR"]))
        self.assertFalse(os.path.exists(env["SEXTANT_WORK_DIR"]))  # scratch removed after the trial
        self.assertNotIn("SEXTANT_TOKEN", env)  # the agent's token stays with the agent
        self.assertEqual(os.getcwd(), self.record(1)["cwd"])

    def test_agent_runs_until_the_study_has_no_more_trials_and_fails_bad_runs(self):
        s = self.client.create_study({
            "name": unique("agent-fail"),
            "space": {"parameters": [{"name": "x", "type": "float", "low": 0, "high": 0.5},
                                     {"name": "behaviour", "type": "categorical",
                                      "choices": ["ok", "exit3", "nofinal", "badline"]}]},
            "objectives": [{"metric": "loss"}], "limits": {"maxTrials": 4}}, paused=True)
        for b in ("ok", "exit3", "nofinal", "badline"):
            s.enqueue({"x": 0.25, "behaviour": b})
        s.resume()
        r = self.agent(s.id)
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertIn("COMPLETED", r.stdout)  # the table
        self.assertEqual(3, r.stdout.count("FAILED"))
        trials = {t.number: t for t in s.trials()}
        self.assertEqual("COMPLETED", trials[1].state)
        reasons = {n: trials[n].data.get("failureReason", "") for n in (2, 3, 4)}
        self.assertIn("command exited with status 3", reasons[2])
        self.assertIn("bad things happened", reasons[2])
        self.assertIn("printed no final", reasons[3])
        self.assertIn("step must be an integer", reasons[4])
        self.assertFalse(alive(self.record(4)["pid"]))
        self.assertEqual("COMPLETED", s.refresh().state)

    def test_a_command_that_cannot_start_fails_its_trial_and_stops_the_agent(self):
        s = self.new_study("agent-nostart", limits={"maxTrials": 5})
        r = subprocess.run([PYTHON, "-m", "sextant", "agent", str(s.id), "--", "/nonexistent/program"],
                           env=child_env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(1, r.returncode)
        self.assertIn("could not start /nonexistent/program", r.stderr)
        trials = s.trials()
        self.assertEqual(1, len(trials))
        self.assertIn("could not start", trials[0].data["failureReason"])

    def test_agent_without_a_command_is_a_usage_error(self):
        s = self.new_study("agent-usage")
        r = subprocess.run([PYTHON, "-m", "sextant", "agent", str(s.id)], env=child_env(), capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(2, r.returncode)
        self.assertIn("give the command after --", r.stderr)
        self.assertEqual([], s.trials())

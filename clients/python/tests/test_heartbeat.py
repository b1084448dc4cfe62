"""Heartbeats: sent in the background while a trial runs where the server offers them, never where it does not; a
killed worker's trial is reaped by a server that has them.

The server of this branch may not have the heartbeat endpoint yet (the trial life-cycle issue adds
POST /studies/{id}/trials/{n}/heartbeat and limits.heartbeatSeconds): the sending side is therefore tested against a
local stub that has it, and the real server is asked which it is: with heartbeats, a worker killed with SIGKILL has
its trial reaped and re-run; without, the client sees that after one try and sends no more.
"""
import os
import signal
import subprocess
import tempfile
import textwrap
import time

import sextant
from tests.base import BRANIN_SPACE, PYTHON, ServerTest, Stub, child_env, unique

TRIAL = {"id": 7, "studyId": 1, "number": 1, "state": "RUNNING", "params": {"x1": 1.0, "x2": 2.0}, "attempt": 1}
STUDY = {"id": 1, "name": "stub", "state": "ACTIVE", "space": BRANIN_SPACE,
         "objectives": [{"metric": "loss", "direction": "MINIMIZE"}],
         "limits": {"maxTrials": 1, "heartbeatSeconds": 1}, "trialsIssued": 0, "trialCounts": {}}


def study_stub(heartbeat):
    """A server with one study of one trial; ``heartbeat(n)`` answers the n-th heartbeat."""
    state = {"asked": False, "heartbeats": 0}

    def handle(method, path, body):
        if method == "GET" and path == "/api/v1/studies/1":
            done = dict(STUDY, state="COMPLETED", trialsIssued=1) if state["asked"] else STUDY
            return 200, None, done
        if method == "POST" and path == "/api/v1/studies/1/suggestions":
            if state["asked"]:
                return 409, None, {"status": 409, "field": "state", "detail": "study 1 is COMPLETED"}
            state["asked"] = True
            return 200, None, {"trials": [TRIAL]}
        if method == "POST" and path == "/api/v1/studies/1/trials/1/heartbeat":
            state["heartbeats"] += 1
            return heartbeat(state["heartbeats"])
        if method == "POST" and path == "/api/v1/studies/1/trials/1/complete":
            return 200, None, dict(TRIAL, state="COMPLETED", values=body["values"])
        return 404, None, {"status": 404, "detail": "no " + path}
    return Stub(handle)


class HeartbeatStubTest(ServerTest):
    HEARTBEAT = "/api/v1/studies/1/trials/1/heartbeat"

    def run_one(self, stub, seconds):
        self.addCleanup(stub.close)
        c = sextant.Client(stub.url, "t", retry_seconds=5)
        s = c.study(1)

        def objective(trial):
            time.sleep(seconds)
            return 1.0
        return c, s.optimize(objective)

    def test_heartbeats_are_sent_while_the_trial_runs_and_stop_when_it_is_told(self):
        stub = study_stub(lambda n: (200, None, {}))
        c, done = self.run_one(stub, 2.0)
        self.assertEqual(["COMPLETED"], [t.state for t in done])
        beats = [at for at, m, p, _ in stub.requests if p == self.HEARTBEAT]
        told = [at for at, m, p, _ in stub.requests if p.endswith("/complete")][0]
        # heartbeatSeconds 1: a beat at once, then about every 1/3 s while the 2 s objective runs
        self.assertGreaterEqual(len(beats), 3)
        self.assertTrue(c.heartbeats_supported)
        time.sleep(1.0)
        self.assertEqual(len(beats), len([p for p in stub.paths() if p == self.HEARTBEAT]))  # none after the tell
        # at most the one beat that was on its way while the trial was told arrives after it
        self.assertLessEqual(len([at for at in beats if at > told]), 1)

    def test_no_heartbeat_endpoint_means_one_try_and_then_none(self):
        stub = study_stub(lambda n: (404, None, {"status": 404, "detail": "No static resource"}))
        c, done = self.run_one(stub, 1.5)
        self.assertEqual(["COMPLETED"], [t.state for t in done])
        self.assertEqual(1, stub.paths().count(self.HEARTBEAT))
        self.assertIs(False, c.heartbeats_supported)

    def test_a_trial_reaped_meanwhile_is_not_told(self):
        stub = study_stub(lambda n: (200, None, {}) if n == 1 else (
            409, None, {"status": 409, "field": "state", "detail": "trial 1 is FAILED: no heartbeat for 1 s"}))
        c, done = self.run_one(stub, 1.5)
        self.assertTrue(done[0].lost)
        self.assertEqual([], [p for p in stub.paths() if p.endswith("/complete")])


WORKER = textwrap.dedent("""
    import os, sys, time, sextant
    client = sextant.Client()
    study = client.study(int(sys.argv[1]))
    def objective(trial):
        with open(sys.argv[2], "w") as f:
            f.write("%d %s" % (trial.number, client.heartbeats_supported))
        time.sleep(600)
    study.optimize(objective, n_trials=1)
    """)


class KilledWorkerTest(ServerTest):

    def test_a_killed_workers_trial_is_reaped_where_the_server_has_heartbeats(self):
        body = {"name": unique("reap"), "space": BRANIN_SPACE, "objectives": [{"metric": "loss"}],
                "limits": {"heartbeatSeconds": 2, "maxAttempts": 2}}
        try:
            s = self.client.create_study(body)
            has_heartbeats = True
        except sextant.ApiError as e:
            # a server without heartbeats refuses the unknown limit, naming it
            self.assertEqual((400, "limits.heartbeatSeconds"), (e.status, e.field))
            has_heartbeats = False
        if not has_heartbeats:
            s = self.client.create_study(dict(body, limits={"maxAttempts": 2}))
            t = s.ask()
            self.assertFalse(t.heartbeat())
            self.assertIs(False, self.client.heartbeats_supported)
            t.heartbeat()  # no second request: the client remembers
            self.assertIs(False, self.client.heartbeats_supported)
            s.tell(t, 1.0)
            return

        with tempfile.TemporaryDirectory() as d:
            script, marker = os.path.join(d, "worker.py"), os.path.join(d, "started")
            with open(script, "w") as f:
                f.write(WORKER)
            p = subprocess.Popen([PYTHON, script, str(s.id), marker], env=child_env())
            try:
                self.wait_for("the worker's trial", lambda: os.path.exists(marker) and os.path.getsize(marker))
                time.sleep(5)  # over twice heartbeatSeconds: the heartbeats keep it RUNNING
                self.assertEqual("RUNNING", s.trial(1).state)
                p.send_signal(signal.SIGKILL)
            finally:
                p.kill()
                p.wait()
        reaped = self.wait_for("the server to reap trial 1", lambda: (lambda t: t if t.state != "RUNNING" else None)(
            s.trial(1)), seconds=120)
        self.assertIn("no heartbeat", reaped.data.get("failureReason", ""))
        # maxAttempts 2: its parameters run again as the next attempt
        again = s.ask()
        self.assertEqual((reaped.params, 2), (again.params, again.data["attempt"]))
        s.tell(again, 1.0)

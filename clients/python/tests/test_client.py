"""Every call of Client, Study and Trial against the real server."""
import csv
import io
import json
import os
import tempfile

import sextant
from tests.base import BRANIN_SPACE, ServerTest, Stub, unique


class ClientCallsTest(ServerTest):

    def test_create_study_from_a_dict_a_yaml_file_and_a_json_file(self):
        s = self.new_study("dict")
        self.assertIsInstance(s, sextant.Study)
        self.assertEqual("ACTIVE", s.state)
        self.assertEqual(["loss"], s.objectives)

        with tempfile.TemporaryDirectory() as d:
            yaml_name, json_name = unique("yaml"), unique("json")
            yaml_path = os.path.join(d, "study.yaml")
            with open(yaml_path, "w") as f:
                f.write("name: %s\nspace:\n  parameters:\n    - {name: lr, type: float, low: 1.0e-5, high: 0.1, log: true}\n"
                        "objectives: [{metric: acc, direction: MAXIMIZE}]\nlimits: {maxTrials: 3}\n" % yaml_name)
            y = self.client.create_study(yaml_path)
            json_path = os.path.join(d, "study.json")
            with open(json_path, "w") as f:
                json.dump({"name": json_name, "space": BRANIN_SPACE, "objectives": [{"metric": "loss"}]}, f)
            j = self.client.create_study(json_path, paused=True)
        self.assertEqual((yaml_name, ["MAXIMIZE"], 3), (y.name, y.directions, y.limits["maxTrials"]))
        self.assertEqual(y.data["space"]["parameters"][0]["log"], True)
        self.assertEqual((json_name, "PAUSED"), (j.name, j.state))

    def test_study_by_id_by_digits_and_by_exact_name_and_studies(self):
        a = self.new_study("lookup")
        b = self.client.create_study({"name": a.name + "-longer", "space": BRANIN_SPACE,
                                      "objectives": [{"metric": "loss"}]})
        self.assertEqual(a, self.client.study(a.id))
        self.assertEqual(a, self.client.study(str(a.id)))
        self.assertEqual(a.id, self.client.study(a.name).id)  # the ?q= search also finds b: exact match wins
        self.assertEqual(b.id, self.client.study(b.name).id)
        found = self.client.studies(q=a.name)
        self.assertEqual([a.id, b.id], [s.id for s in found])
        self.assertIn(a.id, [s.id for s in self.client.studies()])
        with self.assertRaises(sextant.ApiError) as e:
            self.client.study(unique("nobody"))
        self.assertEqual((404, "study"), (e.exception.status, e.exception.field))

    def test_ask_report_tell_fail_and_read_outs(self):
        s = self.new_study("asktell", limits={"maxTrials": 4})
        self.assertIsNone(s.best_trial())
        t = s.ask(context={"machine": "a"})
        self.assertIsInstance(t, sextant.Trial)
        self.assertEqual(1, t.number)
        self.assertEqual({"x1", "x2"}, set(t.params))
        self.assertEqual("RUNNING", t.state)
        self.assertFalse(t.report(1, 12.5))
        self.assertFalse(t.report(2, {"loss": 11.0, "other": 3}))
        s.tell(t, 10.5)
        self.assertEqual(("COMPLETED", 10.5), (t.state, t.value))

        u = s.ask()
        self.assertNotEqual(t.number, u.number)  # separate asks get separate trials
        s.tell(u, {"loss": 3.25})
        v = s.ask()
        v.fail("diverged")
        self.assertEqual("FAILED", v.state)
        w = s.ask()
        s.tell(w.number, infeasible="out of memory")  # by number
        self.assertIsNone(s.ask())  # maxTrials issued

        best = s.best_trial()
        self.assertEqual((u.number, 3.25), (best.number, best.value))
        trials = s.trials()
        self.assertEqual([1, 2, 3, 4], [x.number for x in trials])
        self.assertEqual(["COMPLETED", "COMPLETED", "FAILED", "INFEASIBLE"], [x.state for x in trials])
        self.assertEqual([1, 2], [m["step"] for m in trials[0].measurements])
        self.assertEqual([v.number], [x.number for x in s.trials(state="FAILED")])
        self.assertEqual("diverged", s.trial(v.number).data["failureReason"])
        self.assertEqual("COMPLETED", s.refresh().state)
        self.assertEqual([u.number], [x.number for x in s.pareto_front()])

        rows = list(csv.DictReader(io.StringIO(s.export("csv"))))
        self.assertEqual(4, len(rows))
        doc = json.loads(s.export("json"))
        self.assertEqual(4, len(doc["trials"]))

    def test_pareto_front_of_two_objectives(self):
        s = self.client.create_study({"name": unique("pareto"), "space": BRANIN_SPACE,
                                      "objectives": [{"metric": "f1"}, {"metric": "f2"}]})
        values = [(1.0, 4.0), (2.0, 2.0), (4.0, 1.0), (3.0, 3.0)]
        for f1, f2 in values:
            s.tell(s.ask(), {"f1": f1, "f2": f2})
        with self.assertRaises(ValueError):
            s.tell(s.ask(), 1.0)  # a number needs a single objective
        front = s.pareto_front()
        self.assertEqual({(1.0, 4.0), (2.0, 2.0), (4.0, 1.0)}, {(t.values["f1"], t.values["f2"]) for t in front})
        self.assertIn("hypervolume", s.pareto())

    def test_pause_resume_enqueue_and_prune(self):
        s = self.new_study("life", limits={"maxTrials": 10})
        self.assertEqual("PAUSED", s.pause().state)
        with self.assertRaises(sextant.ApiError) as e:
            s.ask()
        self.assertEqual((409, "state"), (e.exception.status, e.exception.field))
        q = s.enqueue({"x1": 1.5, "x2": 2.5})
        self.assertEqual("WAITING", q.state)
        self.assertEqual("ACTIVE", s.resume().state)
        t = s.ask()
        self.assertEqual((q.number, {"x1": 1.5, "x2": 2.5}), (t.number, t.params))
        t.prune("plateau")
        self.assertEqual("PRUNED", s.trial(t.number).state)
        self.assertEqual("plateau", s.trial(t.number).data["failureReason"])

    def test_early_stopping_answer_and_pruned_report_after_stop(self):
        s = self.new_study("stop", earlyStopping={"rule": "median", "startupTrials": 1})
        first = s.ask()
        self.assertFalse(first.report(1, 1.0))
        s.tell(first, 1.0)
        bad = s.ask()
        self.assertTrue(bad.report(1, 50.0))
        self.assertTrue(bad.should_stop)
        self.assertEqual("PRUNED", s.trial(bad.number).state)
        self.assertTrue(bad.report(2, 49.0))  # still stop (409 from the server, read as "pruned")

    def test_non_finite_values_travel_as_the_servers_strings(self):
        s = self.new_study("inf")
        t = s.ask()
        t.report(1, float("inf"))
        s.tell(t, float("inf"))
        self.assertEqual(float("inf"), s.trial(t.number).value)
        n = s.ask()
        s.tell(n, float("nan"))  # a NaN objective: the server fails the trial, never stores NaN
        self.assertEqual("FAILED", n.state)

    def test_a_completion_retried_after_a_lost_answer_is_safe(self):
        # a proxy in front of the real server forwards the first complete and drops the connection before the
        # answer comes back: the client retries, and answers the completed trial (old servers answer 409 to the
        # retry, new ones 200)
        import urllib.request
        upstream = os.environ["SEXTANT_URL"]
        token = os.environ["SEXTANT_TOKEN"]
        dropped = []

        def handle(method, path, body):
            req = urllib.request.Request(upstream + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": "Bearer " + token,
                                                  "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req) as r:
                    status, payload = r.status, json.loads(r.read() or b"null")
            except urllib.error.HTTPError as e:
                status, payload = e.code, json.loads(e.read() or b"null")
            if path.endswith("/complete") and not dropped:
                dropped.append(status)
                return None, None, None
            return status, None, payload

        stub = Stub(handle)
        try:
            c = sextant.Client(stub.url, token, retry_seconds=20)
            s = c.study(self.new_study("retry").id)
            t = s.ask()
            s.tell(t, 2.5)
            self.assertEqual([200], dropped)
            self.assertEqual(2, stub.paths("POST").count("/api/v1/studies/%d/trials/%d/complete" % (s.id, t.number)))
            self.assertEqual(("COMPLETED", 2.5), (t.state, t.value))
            self.assertEqual(2.5, self.client.study(s.id).trial(t.number).value)
        finally:
            stub.close()

    def test_algorithms_and_request_reach_any_endpoint(self):
        names = [a["name"] for a in self.client.algorithms()]
        self.assertIn("gp-bo", names)
        s = self.new_study("raw")
        self.assertEqual(s.id, self.client.request("GET", "/api/v1/studies/%d" % s.id)["id"])

"""Bad input (ApiError carries the problem's status, field and detail) and the retry policy."""
import os
import socket

import sextant
from tests.base import BRANIN_SPACE, ServerTest, Stub, unique


class BadInputTest(ServerTest):

    def test_refusals_raise_api_error_with_the_problems_fields_and_change_nothing(self):
        with self.assertRaises(sextant.ApiError) as e:
            self.client.create_study({"name": unique("bad"), "objectives": [{"metric": "loss"}], "space": {
                "parameters": [{"name": "x", "type": "float", "low": 1, "high": 0}]}})
        err = e.exception
        self.assertEqual(400, err.status)
        self.assertTrue(err.field.startswith("space.parameters[0]"), err.field)
        self.assertTrue(err.detail)
        self.assertEqual(400, err.problem["status"])
        self.assertIn(err.field, str(err))

        with self.assertRaises(sextant.ApiError) as e:
            self.client.create_study({"name": unique("typo"), "space": BRANIN_SPACE, "objectives": [{"metric": "y"}],
                                      "limit": {"maxTrials": 3}})
        self.assertEqual((400, "limit"), (e.exception.status, e.exception.field))

        s = self.new_study("badtell")
        t = s.ask()
        for call, field in ((lambda: s.tell(t, {"los": 1.0}), "values.los"),
                            (lambda: t.report(-1, 1.0), "step"),
                            (lambda: t.fail(""), "reason")):
            with self.assertRaises(sextant.ApiError) as e:
                call()
            self.assertEqual((400, field), (e.exception.status, e.exception.field))
        self.assertEqual("RUNNING", s.trial(t.number).state)
        self.assertEqual([], s.trial(t.number).measurements)

        with self.assertRaises(sextant.ApiError) as e:
            s.ask_batch(0)
        self.assertEqual((400, "count"), (e.exception.status, e.exception.field))
        with self.assertRaises(sextant.ApiError) as e:
            s.export("xml")
        self.assertEqual((400, "format"), (e.exception.status, e.exception.field))
        with self.assertRaises(sextant.ApiError) as e:
            self.client.study(10 ** 9)
        self.assertEqual(404, e.exception.status)
        with self.assertRaises(TypeError):
            s.tell(t, "fast")

    def test_a_wrong_token_is_401_and_a_missing_token_is_refused_before_any_request(self):
        with self.assertRaises(sextant.ApiError) as e:
            sextant.Client(token="sxt_wrong").studies()
        self.assertEqual(401, e.exception.status)
        env = dict(os.environ)
        try:
            os.environ.pop("SEXTANT_TOKEN")
            with self.assertRaises(ValueError):
                sextant.Client()
        finally:
            os.environ.clear()
            os.environ.update(env)


class RetryTest(ServerTest):
    """What the real server cannot be made to do on demand is played by a local stub."""

    def stub(self, answers):
        calls = []

        def handle(method, path, body):
            calls.append(path)
            return answers[min(len(calls), len(answers)) - 1]
        s = Stub(handle)
        self.addCleanup(s.close)
        return s

    def test_503_and_429_are_retried_with_retry_after(self):
        ok = {"studies": [], "next": None}
        s = self.stub([(503, None, {"status": 503, "detail": "starting"}),
                       (429, {"Retry-After": "1"}, {"status": 429, "detail": "slow down"}),
                       (200, None, ok)])
        c = sextant.Client(s.url, "t", retry_seconds=30)
        self.assertEqual([], c.studies())
        times = [r[0] for r in s.requests]
        self.assertEqual(3, len(times))
        self.assertGreaterEqual(times[2] - times[1], 0.9)  # waited the Retry-After

    def test_4xx_is_never_retried(self):
        s = self.stub([(409, None, {"status": 409, "field": "state", "detail": "study 1 is PAUSED"})])
        c = sextant.Client(s.url, "t", retry_seconds=30)
        with self.assertRaises(sextant.ApiError) as e:
            c.studies()
        self.assertEqual((409, "state", "study 1 is PAUSED"), (e.exception.status, e.exception.field,
                                                                e.exception.detail))
        self.assertEqual(1, len(s.requests))

    def test_connection_errors_are_retried_then_raised_with_status_0(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()  # nothing listens there
        c = sextant.Client("http://127.0.0.1:%d" % port, "t", retry_seconds=1.5)
        with self.assertRaises(sextant.ApiError) as e:
            c.studies()
        self.assertEqual((0, None), (e.exception.status, e.exception.field))
        self.assertIn("cannot reach", e.exception.detail)

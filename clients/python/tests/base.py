"""Shared by the tests: the server run-tests.sh started ($SEXTANT_URL, $SEXTANT_TOKEN), names, and a tiny local
HTTP stub for what the real server cannot show on demand (503s, 429s, lost answers, heartbeats)."""
import http.server
import json
import math
import os
import sys
import threading
import time
import unittest
import uuid

import sextant

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)  # clients/python
REPO = os.path.dirname(os.path.dirname(PACKAGE_ROOT))
EXAMPLES = os.path.join(REPO, "docs", "examples")
PYTHON = sys.executable


def require_server():
    if not os.environ.get("SEXTANT_URL") or not os.environ.get("SEXTANT_TOKEN"):
        raise RuntimeError("these tests need a server: run them with bash clients/python/run-tests.sh")


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def branin(x1, x2):
    return ((x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2
            + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10)


BRANIN_MIN = 0.397887357729739

BRANIN_SPACE = {"parameters": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                               {"name": "x2", "type": "float", "low": 0, "high": 15}]}


def child_env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = PACKAGE_ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update({k: str(v) for k, v in extra.items()})
    return env


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_server()

    def setUp(self):
        self.client = sextant.Client()

    def new_study(self, prefix="py", **overrides):
        body = {"name": unique(prefix), "space": BRANIN_SPACE, "objectives": [{"metric": "loss"}],
                "algorithm": {"name": "sobol", "options": {"seed": 1}}}
        body.update(overrides)
        return self.client.create_study(body)

    def wait_for(self, what, condition, seconds=60.0):
        """Polls condition() until it answers something true (at most ``seconds``; a bound, not a speed target)."""
        end = time.monotonic() + seconds
        while True:
            v = condition()
            if v:
                return v
            if time.monotonic() > end:
                self.fail("timed out waiting for " + what)
            time.sleep(0.2)


class Stub:
    """A local HTTP server answering from a handler function ``handle(method, path, body) -> (status, headers,
    json_body)``; records every request as (time, method, path, body)."""

    def __init__(self, handle):
        self.handle = handle
        self.requests = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                body = json.loads(raw) if raw else None
                stub.requests.append((time.monotonic(), self.command, self.path, body))
                status, headers, payload = stub.handle(self.command, self.path, body)
                if status is None:  # drop the connection without an answer
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                ctype = "application/problem+json" if status >= 400 else "application/json"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def paths(self, method=None):
        return [p for _, m, p, _ in self.requests if method is None or m == method]

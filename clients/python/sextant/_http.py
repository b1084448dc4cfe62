"""HTTP transport: JSON in and out, bearer token, retries with backoff, problem+json errors as ApiError."""
import email.utils
import http.client
import json
import math
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from ._errors import ApiError

# statuses worth retrying: the server is overloaded, restarting or behind a proxy that is; never any other 4xx
RETRY_STATUSES = (429, 502, 503, 504)


def encode_values(obj):
    """A copy of obj in which non-finite floats are the strings the server reads ("NaN", "Infinity", "-Infinity")."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return "NaN" if math.isnan(obj) else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, dict):
        return {k: encode_values(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [encode_values(v) for v in obj]
    return obj


def decode_number(v):
    """A metric value as the server writes it (a number or "NaN"/"Infinity"/"-Infinity") as a float."""
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        return float(v.replace("Infinity", "inf"))
    return v


class Transport:
    """Sends requests to one server. Thread-safe (each request opens its own connection).

    Retries, with exponential backoff and jitter, connection errors (refused, reset, timed out) and answers 429
    (waiting at least its Retry-After), 502, 503 and 504, for up to ``retry_seconds`` in all; other errors raise
    ApiError at once. ``on_retry(attempt)``, when given to request(), is told of every retry, so callers of
    non-idempotent requests can tell a first answer from the answer to a retry.
    """

    def __init__(self, url, token, timeout=60.0, retry_seconds=120.0, backoff=0.25, max_backoff=8.0,
                 user_agent="sextant-python"):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retry_seconds = retry_seconds
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.user_agent = user_agent
        # urllib.request.urlopen would follow redirects and keep cookies per opener; a plain opener without cookie
        # handling is what an API client wants (the server's XSRF cookie is for browsers)
        self._opener = urllib.request.build_opener()

    def request(self, method, path, body=None, query=None, raw_body=None, content_type=None, accept=None,
                on_retry=None, retry=True, raw=False, timeout=None):
        """Sends a request; answers the decoded JSON (text for non-JSON answers or when ``raw``; None for 204)."""
        url = self.url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: _query_value(v) for k, v in query.items() if v is not None})
        data = None
        headers = {"Authorization": "Bearer " + self.token, "User-Agent": self.user_agent,
                   "Accept": accept or "application/json, application/problem+json, */*"}
        if raw_body is not None:
            data = raw_body if isinstance(raw_body, bytes) else raw_body.encode("utf-8")
            headers["Content-Type"] = content_type or "application/json"
        elif body is not None:
            data = json.dumps(encode_values(body), allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif method == "POST":
            data = b""
        deadline = time.monotonic() + self.retry_seconds
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method=method, headers=headers)
            wait = None
            try:
                with self._opener.open(req, timeout=timeout or self.timeout) as resp:
                    return _decode(resp.status, resp.headers, resp.read(), raw)
            except urllib.error.HTTPError as e:
                payload = e.read()
                if not retry or e.code not in RETRY_STATUSES:
                    raise _api_error(method, url, e.code, e.headers, payload) from None
                wait = _retry_after(e.headers)
                last = _api_error(method, url, e.code, e.headers, payload)
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError,
                    OSError) as e:
                if not retry:
                    raise ApiError(0, None, "cannot reach %s: %s" % (self.url, _reason(e)), method=method,
                                   url=url) from e
                last = ApiError(0, None, "cannot reach %s: %s" % (self.url, _reason(e)), method=method, url=url)
            attempt += 1
            pause = min(self.max_backoff, self.backoff * (2 ** (attempt - 1))) * (0.5 + random.random() / 2)
            if wait is not None:
                pause = max(pause, wait)
            if time.monotonic() + pause > deadline:
                raise last
            time.sleep(pause)
            if on_retry is not None:
                on_retry(attempt)


def _query_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _reason(e):
    r = getattr(e, "reason", None)
    return str(r if r is not None else e) or type(e).__name__


def _retry_after(headers):
    v = headers.get("Retry-After") if headers is not None else None
    if not v:
        return None
    try:
        return max(0.0, float(v))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(v)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _decode(status, headers, payload, raw=False):
    if status == 204 or (not payload and not raw):
        return None
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    text = payload.decode("utf-8")
    if ctype.endswith("json") and not raw:
        return json.loads(text)
    return text


def _api_error(method, url, status, headers, payload):
    problem = {}
    text = payload.decode("utf-8", "replace") if payload else ""
    try:
        parsed = json.loads(text) if text else {}
        if isinstance(parsed, dict):
            problem = parsed
    except ValueError:
        pass
    detail = problem.get("detail") or problem.get("title") or text.strip()[:500] or http.client.responses.get(
        status, "HTTP %d" % status)
    return ApiError(status, problem.get("field"), detail, title=problem.get("title"), problem=problem,
                    method=method, url=url, retry_after=_retry_after(headers))

"""Client, Study and Trial: the REST API of a Sextant server as Python objects."""
import itertools
import numbers
import os
import socket
import threading
import urllib.parse

from ._errors import ApiError
from ._heartbeat import Heartbeater
from ._http import Transport, decode_number

DEFAULT_URL = "http://localhost:8080"
_PAGE = 1000


class Client:
    """A connection to one Sextant server.

    ``url`` defaults to ``$SEXTANT_URL`` (else http://localhost:8080), ``token`` to ``$SEXTANT_TOKEN``. Requests are
    retried with backoff on connection errors, 429 (after its Retry-After), 502, 503 and 504 for up to
    ``retry_seconds``; every refusal raises :class:`sextant.ApiError`. ``heartbeats=False`` turns off the background
    heartbeats of asked trials. A Client may be shared by threads.
    """

    def __init__(self, url=None, token=None, *, timeout=60.0, retry_seconds=120.0, heartbeats=True, worker_id=None):
        url = url or os.environ.get("SEXTANT_URL") or DEFAULT_URL
        if "://" not in url:
            url = "http://" + url
        token = token or os.environ.get("SEXTANT_TOKEN")
        if not token:
            raise ValueError("no API token: pass Client(token=...) or set SEXTANT_TOKEN (the admin token the server "
                             "printed at its first start, or the SEXTANT_ADMIN_TOKEN it was started with)")
        self.url = url.rstrip("/")
        self.transport = Transport(self.url, token, timeout=timeout, retry_seconds=retry_seconds)
        self._worker_id = worker_id
        self._asks = itertools.count(1)
        self._heartbeats_enabled = heartbeats
        self._heartbeater = None
        self._prune_supported = None
        self._lock = threading.Lock()

    def __repr__(self):
        return "Client(%r)" % self.url

    # -- plumbing ---------------------------------------------------------------------------------------------------

    def request(self, method, path, body=None, **kwargs):
        """Any API call: ``client.request("GET", "/api/v1/algorithms")``. Answers the decoded JSON."""
        return self.transport.request(method, path, body, **kwargs)

    def worker_id(self):
        """A worker id unique to this call: ``host-pid-n``, or ``<worker_id>-n`` when the client was given one."""
        prefix = self._worker_id or "%s-%d" % (socket.gethostname(), os.getpid())
        return "%s-%d" % (prefix, next(self._asks))

    @property
    def heartbeats_supported(self):
        """True once the server accepted a heartbeat, False once it showed it has no heartbeat endpoint (404/405),
        None while unknown (no trial has run yet)."""
        return None if self._heartbeater is None else self._heartbeater.supported

    def _heartbeats(self):
        if not self._heartbeats_enabled:
            return None
        with self._lock:
            if self._heartbeater is None:
                self._heartbeater = Heartbeater(self.transport)
            return self._heartbeater

    # -- studies ----------------------------------------------------------------------------------------------------

    def create_study(self, spec, *, paused=False):
        """Creates a study. ``spec`` is a dict with the REST body's shape, or the path of a YAML or JSON file, sent
        as it is (``.yaml``/``.yml`` as YAML, anything else as JSON unless it does not start with ``{``).
        ``paused=True`` creates it PAUSED (enqueue your own trials, then ``resume()``)."""
        query = {"paused": True} if paused else None
        retried = []
        if isinstance(spec, dict):
            name = spec.get("name")
            call = lambda: self.transport.request("POST", "/api/v1/studies", spec, query=query,
                                                  on_retry=retried.append)
        else:
            path = os.fspath(spec)
            with open(path, "rb") as f:
                raw = f.read()
            ctype = _spec_type(path, raw)
            name = None
            call = lambda: self.transport.request("POST", "/api/v1/studies", raw_body=raw, content_type=ctype,
                                                  query=query, on_retry=retried.append)
        try:
            return Study(self, call())
        except ApiError as e:
            # a retried create whose first attempt was stored but whose answer was lost: the name is taken by it
            if retried and e.status == 409 and e.field == "name" and name:
                return self.study(name)
            raise

    def study(self, id_or_name):
        """The study with this id (an int, or a string of digits) or this exact name."""
        if isinstance(id_or_name, Study):
            return id_or_name.refresh()
        if isinstance(id_or_name, numbers.Integral) or (isinstance(id_or_name, str) and id_or_name.isdigit()):
            return Study(self, self.transport.request("GET", "/api/v1/studies/%d" % int(id_or_name)))
        name = str(id_or_name)
        for s in self.studies(q=name):
            if s.name == name:
                return s
        raise ApiError(404, "study", "no study is named %r" % name, method="GET",
                       url=self.url + "/api/v1/studies?q=" + urllib.parse.quote(name))

    def studies(self, q=None):
        """Every study (whose name contains ``q``, ignoring case, when given), oldest first."""
        out, after = [], 0
        while True:
            page = self.transport.request("GET", "/api/v1/studies", query={"after": after, "limit": _PAGE, "q": q})
            out.extend(Study(self, s) for s in page["studies"])
            if page.get("next") is None:
                return out
            after = page["next"]

    def algorithms(self):
        """The designers the server offers (a list of dicts: name, description, options)."""
        return self.transport.request("GET", "/api/v1/algorithms")["algorithms"]


def _spec_type(path, raw):
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return "application/yaml"
    if lower.endswith(".json") or raw.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    return "application/yaml"


class Study:
    """A study on the server. ``data`` is its last read JSON (``refresh()`` reads it again)."""

    def __init__(self, client, data):
        self.client = client
        self.data = data

    def __repr__(self):
        return "Study(id=%d, name=%r, state=%s)" % (self.id, self.name, self.state)

    def __eq__(self, other):
        return isinstance(other, Study) and other.id == self.id and other.client is self.client

    def __hash__(self):
        return hash(self.id)

    id = property(lambda self: self.data["id"])
    name = property(lambda self: self.data["name"])
    state = property(lambda self: self.data["state"])
    limits = property(lambda self: self.data.get("limits") or {})

    @property
    def objectives(self):
        """The objective metric names, in objective order."""
        return [o["metric"] for o in self.data.get("objectives") or []]

    @property
    def directions(self):
        return [o.get("direction", "MINIMIZE") for o in self.data.get("objectives") or []]

    def _path(self, rest=""):
        return "/api/v1/studies/%d%s" % (self.id, rest)

    def refresh(self):
        self.data = self.client.transport.request("GET", self._path())
        return self

    # -- ask / tell -------------------------------------------------------------------------------------------------

    def ask(self, context=None, *, worker_id=None):
        """A new RUNNING trial, or None when the study has none to give: it is finished (COMPLETED: its
        maxTrials were issued and told), or none now (maxTrials issued and some still running, or maxParallel trials
        running). ``context`` rides on the request (contextual bandits). Asking again with the same ``worker_id``
        returns the trial that worker still holds (the default is a fresh id per call, so a retried request is
        answered with the same trial and separate calls get separate trials).
        Raises ApiError 409 (field ``state``) when the study is PAUSED."""
        try:
            trials = self.ask_batch(1, context, worker_id=worker_id)
        except ApiError as e:
            if e.status == 409 and e.field == "state" and self.refresh().state in ("COMPLETED", "FAILED"):
                return None
            raise
        return trials[0] if trials else None

    def ask_batch(self, count, context=None, *, worker_id=None):
        """Up to ``count`` new RUNNING trials at once (a batch for the designer)."""
        body = {"count": count, "workerId": worker_id or self.client.worker_id()}
        if context:
            body["context"] = context
        answer = self.client.transport.request("POST", self._path("/suggestions"), body)
        trials = [Trial(self, t) for t in answer["trials"]]
        hb = self.client._heartbeats()
        if hb is not None:
            for t in trials:
                hb.register(t, self._heartbeat_interval())
        return trials

    def _exhausted(self):
        """Whether the study will give no more trials: not ACTIVE, or every trial was issued and none waits (ask()
        answering None otherwise means maxParallel trials run: wait and ask again)."""
        s = self.refresh()
        if s.state != "ACTIVE":
            return True
        max_trials = s.limits.get("maxTrials")
        waiting = (s.data.get("trialCounts") or {}).get("WAITING", 0)
        return max_trials is not None and s.data.get("trialsIssued", 0) >= max_trials and waiting == 0

    def _heartbeat_interval(self):
        seconds = self.limits.get("heartbeatSeconds")
        if isinstance(seconds, numbers.Number) and seconds > 0:
            return max(0.5, min(10.0, seconds / 3.0))
        return 10.0

    def tell(self, trial, values=None, *, infeasible=None):
        """Completes a trial: ``values`` is a number (single-objective study) or a dict of metric values (every
        objective and constraint metric); or ``infeasible="why"`` ends it INFEASIBLE. Answers the updated Trial.
        A completion retried after a lost answer is safe: it answers the completed trial."""
        t = trial if isinstance(trial, Trial) else Trial(self, {"number": int(trial)})
        if (values is None) == (infeasible is None):
            raise ValueError("give exactly one of values or infeasible")
        body = {"infeasible": infeasible} if infeasible is not None else {"values": self._metrics(values)}
        retried = []
        try:
            data = self.client.transport.request("POST", self._path("/trials/%d/complete" % t.number), body,
                                                 on_retry=retried.append)
        except ApiError as e:
            data = _already(self, t, e, retried, ("COMPLETED", "INFEASIBLE", "FAILED"))
            if data is None:
                if e.status in (404, 409):
                    t._done()  # not RUNNING (any more): no more heartbeats; a 400 leaves it running to retry
                raise
        t._update(data)
        return t

    def _metrics(self, values):
        if isinstance(values, dict):
            return {k: _number(v, "values." + k) for k, v in values.items()}
        if isinstance(values, bool) or not isinstance(values, numbers.Real):
            raise TypeError("values must be a number or a dict of metric values, not %s" % type(values).__name__)
        objectives = self.objectives
        if len(objectives) != 1:
            raise ValueError("study %d has %d objectives (%s): give a dict of values" % (
                self.id, len(objectives), ", ".join(objectives)))
        return {objectives[0]: float(values)}

    def enqueue(self, params, metadata=None):
        """Queues a trial with these parameters (asked before the designer proposes new ones)."""
        body = {"params": params}
        if metadata:
            body["metadata"] = metadata
        return Trial(self, self.client.transport.request("POST", self._path("/trials"), body))

    def optimize(self, objective, n_trials=None, n_workers=1, *, context=None, catch=(Exception,), callbacks=()):
        """Runs ``objective(trial)`` on asked trials until ``n_trials`` trials ran or the study has no more.

        ``objective`` returns a number (single objective) or a dict of metric values. An exception in ``catch``
        fails that trial with its message and the loop goes on; raising :class:`sextant.Pruned` (or returning
        after ``trial.report`` said stop) ends it PRUNED. ``n_workers`` threads run trials in parallel. Ctrl-C
        (KeyboardInterrupt) fails the running trials and stops (the interrupt is raised again). Heartbeats are
        sent in the background while a trial runs, where the server offers them. ``callbacks`` are called as
        ``cb(study, trial)`` after each trial. Answers the trials run, in the order they finished."""
        from ._optimize import optimize
        return optimize(self, objective, n_trials, n_workers, context=context, catch=catch, callbacks=callbacks)

    # -- read-outs --------------------------------------------------------------------------------------------------

    def trial(self, number):
        return Trial(self, self.client.transport.request("GET", self._path("/trials/%d" % number)))

    def trials(self, state=None, *, measurements=True):
        """Every trial (in ``state`` when given: WAITING, RUNNING, COMPLETED, PRUNED, FAILED, INFEASIBLE), by
        number."""
        out, after = [], 0
        while True:
            query = {"after": after, "limit": _PAGE, "state": state}
            if not measurements:
                query["measurements"] = False
            page = self.client.transport.request("GET", self._path("/trials"), query=query)
            out.extend(Trial(self, t) for t in page["trials"])
            if page.get("next") is None:
                return out
            after = page["next"]

    def best_trial(self):
        """The best feasible completed trial (single-objective studies), or None while there is none."""
        try:
            return Trial(self, self.client.transport.request("GET", self._path("/best")))
        except ApiError as e:
            if e.status != 404:
                raise
            self.refresh()  # raises when the study itself is gone
            return None

    def pareto(self, ranks=False):
        """The /pareto answer as a dict: ``trials`` (the front), and for several objectives the reference point,
        hypervolume and its history (and ``ranks`` when asked)."""
        return self.client.transport.request("GET", self._path("/pareto"), query={"ranks": True} if ranks else None)

    def pareto_front(self):
        """The non-dominated feasible completed trials."""
        return [Trial(self, t) for t in self.pareto()["trials"]]

    def export(self, format="json"):
        """The study as the server exports it: CSV text (``format="csv"``) or the JSON document's text."""
        return self.client.transport.request("GET", self._path("/export"), query={"format": format}, raw=True)

    def importance(self):
        return self.client.transport.request("GET", self._path("/importance"))

    # -- life cycle -------------------------------------------------------------------------------------------------

    def pause(self):
        self.data = self.client.transport.request("POST", self._path("/pause"))
        return self

    def resume(self):
        self.data = self.client.transport.request("POST", self._path("/resume"))
        return self

    def delete(self):
        self.client.transport.request("DELETE", self._path())


def _number(v, field):
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
            return v
        raise TypeError("%s must be a number, not %s" % (field, type(v).__name__))
    return float(v) if not isinstance(v, numbers.Integral) else int(v)


def _already(study, trial, error, retried, states):
    """The trial's data when ``error`` is the 409 a retried request gets because its first attempt already took
    effect (the trial is in one of ``states``); None otherwise."""
    if not retried or error.status != 409 or error.field != "state":
        return None
    try:
        data = study.client.transport.request("GET", study._path("/trials/%d" % trial.number))
    except ApiError:
        return None
    return data if data.get("state") in states else None


class Trial:
    """A trial of a study: ``number``, ``params``, ``state``, ``values`` and the rest of its JSON in ``data``."""

    def __init__(self, study, data):
        self.study = study
        self.data = data
        self.should_stop = False  # set when report() was answered stop (or a heartbeat found the trial gone)
        self.lost = False  # set when a heartbeat found the trial no longer RUNNING (e.g. reaped by the server)
        self._closed = False

    def __repr__(self):
        return "Trial(number=%d, state=%s, params=%r)" % (self.number, self.state, self.params)

    number = property(lambda self: self.data["number"])
    id = property(lambda self: self.data.get("id"))
    state = property(lambda self: self.data.get("state"))
    params = property(lambda self: self.data.get("params") or {})
    metadata = property(lambda self: self.data.get("metadata") or {})
    measurements = property(lambda self: self.data.get("measurements") or [])

    @property
    def values(self):
        """The objective values by metric (floats; non-finite values decoded), or {} when not completed."""
        return {k: decode_number(v) for k, v in (self.data.get("values") or {}).items()}

    @property
    def value(self):
        """The single objective value (None when not completed)."""
        v = self.values
        return next(iter(v.values())) if len(v) == 1 else None

    def _update(self, data):
        if data:
            self.data = data
        if self.state not in ("RUNNING", None):
            self._done()

    def _done(self):
        if not self._closed:
            self._closed = True
            hb = self.study.client._heartbeater
            if hb is not None:
                hb.unregister(self)

    def report(self, step, values):
        """An intermediate measurement at ``step`` (an int >= 0): a number (the first objective's metric) or a dict.
        Answers True when the trial should stop (the study's early-stopping rule pruned it): return or raise
        Pruned then."""
        if isinstance(values, dict):
            body_values = {k: _number(v, "values." + k) for k, v in values.items()}
        else:
            body_values = {self.study.objectives[0]: _number(values, "values")}
        retried = []
        try:
            stop = self.study.client.transport.request(
                "POST", self.study._path("/trials/%d/measurements" % self.number),
                {"step": step, "values": body_values}, on_retry=retried.append)["stop"]
        except ApiError as e:
            if e.status != 409 or e.field != "state":
                raise
            # the trial is not RUNNING: pruned by an earlier report (whose answer was lost) means stop
            data = self.study.client.transport.request("GET", self.study._path("/trials/%d" % self.number))
            if data.get("state") != "PRUNED":
                raise
            self.data = data
            stop = True
        if stop:
            self.should_stop = True
            self.data = dict(self.data, state="PRUNED")
            self._done()
        return stop

    def fail(self, reason):
        """Ends the trial FAILED with this reason."""
        retried = []
        reason = str(reason)[:10000]
        try:
            data = self.study.client.transport.request(
                "POST", self.study._path("/trials/%d/fail" % self.number), {"reason": reason},
                on_retry=retried.append)
        except ApiError as e:
            data = _already(self.study, self, e, retried, ("FAILED",))
            if data is None:
                if e.status in (404, 409):
                    self._done()
                raise
        self._update(data)

    def prune(self, reason=None):
        """Ends the trial PRUNED (the client's decision; the server's stopping rule prunes through report()).
        On a server without the prune endpoint the trial is failed with the reason instead."""
        client = self.study.client
        reason = str(reason or "pruned by the client")[:10000]
        if client._prune_supported is not False:
            retried = []
            try:
                self._update(client.transport.request(
                    "POST", self.study._path("/trials/%d/prune" % self.number), {"reason": reason},
                    on_retry=retried.append))
                client._prune_supported = True
                return
            except ApiError as e:
                if e.status in (404, 405) and client._prune_supported is None and _exists(self):
                    client._prune_supported = False  # an older server: no prune endpoint
                else:
                    data = _already(self.study, self, e, retried, ("PRUNED",))
                    if data is None:
                        if e.status in (404, 409):
                            self._done()
                        raise
                    self._update(data)
                    return
        self.fail("pruned: " + reason)

    def complete(self, values):
        """Same as ``study.tell(trial, values)``."""
        return self.study.tell(self, values)

    def heartbeat(self):
        """Sends one heartbeat now; answers False when the server has no heartbeat endpoint."""
        hb = self.study.client._heartbeats()
        return hb.beat(self) if hb is not None else False

    def refresh(self):
        self._update(self.study.client.transport.request("GET", self.study._path("/trials/%d" % self.number)))
        return self


def _exists(trial):
    try:
        trial.study.client.transport.request("GET", trial.study._path("/trials/%d" % trial.number))
        return True
    except ApiError:
        return False

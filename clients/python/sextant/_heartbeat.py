"""Background heartbeats for RUNNING trials (POST /api/v1/studies/{id}/trials/{number}/heartbeat).

A server that reaps ask/tell trials without heartbeats (``limits.heartbeatSeconds``) needs them while an objective
runs; a server without the endpoint answers 404 or 405 to the first one, and then no more are sent. Trials are held
weakly: a Trial object that is dropped without being told stops being heartbeated (and is reaped by the server).
"""
import logging
import threading
import time
import weakref

from ._errors import ApiError

log = logging.getLogger("sextant")


class Heartbeater:
    def __init__(self, transport):
        self.transport = transport
        self.supported = None  # None: unknown; True: a heartbeat was accepted; False: the server has no endpoint
        self.sent = 0
        self._due = weakref.WeakKeyDictionary()  # trial -> [interval, next due (monotonic)]
        self._cond = threading.Condition()
        self._thread = None
        self._warned = False

    def register(self, trial, interval):
        """Heartbeats ``trial`` every ``interval`` seconds until unregister(); the first one at once while it is not
        yet known whether the server offers heartbeats."""
        if self.supported is False:
            return
        with self._cond:
            first = 0.0 if self.supported is None else interval
            self._due[trial] = [interval, time.monotonic() + first]
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sextant-heartbeats", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def unregister(self, trial):
        with self._cond:
            self._due.pop(trial, None)

    def beat(self, trial):
        """Sends one heartbeat; answers whether the server took it."""
        if self.supported is False:
            return False
        study = trial.study
        try:
            answer = self.transport.request("POST", "/api/v1/studies/%d/trials/%d/heartbeat" % (study.id, trial.number),
                                            {}, retry=False, timeout=min(10.0, self.transport.timeout))
        except ApiError as e:
            if e.status in (404, 405) and self.supported is not True:
                log.info("the server offers no trial heartbeats (%s); sending none", e)
                self.supported = False
                with self._cond:
                    self._due.clear()
                    self._cond.notify_all()
                return False
            if e.status == 0 or e.status >= 500 or e.status == 429:
                return False  # try again at the next beat
            if trial._closed:
                return False  # told (or failed) while this beat was on its way
            if e.status in (404, 409, 410):
                # the trial is no longer RUNNING here: finished meanwhile, or reaped (no heartbeat in time)
                trial.should_stop = True
                trial.lost = True
            elif not self._warned:
                self._warned = True
                log.warning("heartbeat refused: %s", e)
            self.unregister(trial)
            return False
        self.supported = True
        self.sent += 1
        if isinstance(answer, dict) and answer.get("stop") is True:
            trial.should_stop = True
        return True

    def _run(self):
        while True:
            with self._cond:
                if self.supported is False:
                    self._thread = None
                    return
                now = time.monotonic()
                due = [t for t, (_, at) in list(self._due.items()) if at <= now]
                if not due:
                    nexts = [at for _, at in list(self._due.values())]
                    self._cond.wait(timeout=min(nexts) - now if nexts else 30.0)
                    continue
                for t in due:
                    entry = self._due.get(t)
                    if entry is not None:
                        entry[1] = now + entry[0]
            for t in due:
                if t in self._due:
                    self.beat(t)
            del due

"""study.optimize: the ask / run / tell loop, on one or several threads."""
import logging
import threading
import traceback

from ._errors import ApiError, Pruned

log = logging.getLogger("sextant")

MAX_REASON = 2000


def reason_of(e):
    """A failure reason: the exception and the tail of its traceback (the server keeps reasons up to 10,000
    characters; this keeps about 2,000)."""
    head = "%s: %s" % (type(e).__name__, e) if str(e) else type(e).__name__
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    text = head + "\n" + tb
    return text if len(text) <= MAX_REASON else head[:500] + "\n...\n" + tb[-(MAX_REASON - 510):]


class _Loop:
    def __init__(self, study, objective, n_trials, context, catch, callbacks):
        self.study = study
        self.objective = objective
        self.n_trials = n_trials
        self.context = context
        self.catch = tuple(catch) if catch else ()
        self.callbacks = callbacks
        self.lock = threading.Lock()
        self.started = 0
        self.stop = threading.Event()
        self.running = set()
        self.finished = []
        self.error = None

    def take(self):
        with self.lock:
            if self.stop.is_set() or (self.n_trials is not None and self.started >= self.n_trials):
                return False
            self.started += 1
            return True

    def give_back(self):
        with self.lock:
            self.started -= 1

    def worker(self, index):
        worker_id = self.study.client.worker_id()
        idle = 0.05
        while self.take():
            try:
                trial = self.study.ask(self.context, worker_id=worker_id)
            except ApiError as e:
                self.give_back()
                if e.status == 409 and e.field == "state":
                    log.info("study %d is no longer ACTIVE (%s); stopping", self.study.id, e.detail)
                    self.stop.set()
                    return
                raise
            if trial is None:
                self.give_back()
                if self.study._exhausted():
                    return
                # maxParallel trials are running (or the last ones may be re-queued): wait for a free place
                self.stop.wait(idle)
                idle = min(2.0, idle * 2)
                continue
            idle = 0.05
            self.run(trial)

    def run(self, trial):
        with self.lock:
            self.running.add(trial)
        try:
            try:
                result = self.objective(trial)
            except Pruned as e:
                if not trial.should_stop or trial.state != "PRUNED":
                    trial.prune(str(e) or None)
            except self.catch as e:
                log.warning("trial %d failed: %s: %s", trial.number, type(e).__name__, e)
                _quietly(trial.fail, reason_of(e))
            except KeyboardInterrupt:
                _quietly(trial.fail, "interrupted (KeyboardInterrupt)")
                raise
            except BaseException as e:
                _quietly(trial.fail, reason_of(e))
                raise
            else:
                self.tell(trial, result)
        finally:
            with self.lock:
                self.running.discard(trial)
        with self.lock:
            self.finished.append(trial)
        for cb in self.callbacks:
            cb(self.study, trial)

    def tell(self, trial, result):
        if trial.should_stop and trial.state == "PRUNED":
            return  # report() said stop: the server pruned it, the result is not wanted
        if trial.lost:
            log.warning("trial %d is no longer RUNNING on the server (no heartbeat in time?); its result is dropped",
                        trial.number)
            return
        if result is None:
            log.warning("trial %d: the objective returned None", trial.number)
            _quietly(trial.fail, "the objective returned None instead of a number or a dict of metrics")
            return
        try:
            self.study.tell(trial, result)
        except (TypeError, ValueError) as e:
            log.warning("trial %d: %s", trial.number, e)
            _quietly(trial.fail, "the objective returned %r: %s" % (result, e))
        except ApiError as e:
            if e.status == 400:
                log.warning("trial %d: the server refused its values: %s", trial.number, e)
                _quietly(trial.fail, "the server refused the objective's values: %s" % e)
            elif e.status == 409:
                log.warning("trial %d could not be completed: %s", trial.number, e)
            else:
                raise

    def interrupt(self, reason):
        self.stop.set()
        with self.lock:
            running = list(self.running)
        for t in running:
            if t.state == "RUNNING":
                _quietly(t.fail, reason)

    def thread_main(self, index):
        try:
            self.worker(index)
        except BaseException as e:  # noqa: B902 - handed to the calling thread
            with self.lock:
                if self.error is None:
                    self.error = e
            self.stop.set()


def _quietly(call, *args):
    try:
        call(*args)
    except ApiError as e:
        log.warning("%s", e)


def optimize(study, objective, n_trials, n_workers, context=None, catch=(Exception,), callbacks=()):
    if n_workers < 1:
        raise ValueError("n_workers must be >= 1")
    if n_trials is not None and n_trials < 0:
        raise ValueError("n_trials must be >= 0")
    loop = _Loop(study, objective, n_trials, context, catch, callbacks)
    try:
        if n_workers == 1:
            loop.worker(0)
        else:
            threads = [threading.Thread(target=loop.thread_main, args=(i,), name="sextant-worker-%d" % i,
                                        daemon=True) for i in range(n_workers)]
            for t in threads:
                t.start()
            for t in threads:
                while t.is_alive():
                    t.join(0.25)  # short joins: Ctrl-C reaches the main thread
    except KeyboardInterrupt:
        loop.interrupt("interrupted (KeyboardInterrupt)")
        raise
    if loop.error is not None:
        loop.interrupt("stopped: another worker failed with %s" % type(loop.error).__name__)
        raise loop.error
    return loop.finished

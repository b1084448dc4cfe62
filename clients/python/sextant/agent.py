"""The agent: asks trials of a study and runs a command for each, with the `command` evaluator's conventions
(docs/evaluators.md), from the client side.

For each trial: the parameters go to ``params.json`` in a fresh scratch directory (``SEXTANT_PARAMS_FILE``) and to
``SEXTANT_PARAM_<NAME>`` variables; the command runs in the current directory with the agent's environment (less
``SEXTANT_TOKEN`` and ``SEXTANT_ADMIN_TOKEN``); each stdout line ``{"step": n, "values": {...}}`` is reported as a
measurement (the process group is killed when the answer says stop) and the last ``{"values": {...}}`` line
completes the trial; other lines pass through to stderr.
"""
import collections
import datetime
import decimal
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from ._errors import ApiError
from ._http import decode_number

STDERR_TAIL = 2000
SECRET_VARIABLES = ("SEXTANT_TOKEN", "SEXTANT_ADMIN_TOKEN")


def java_double(x):
    """x as Java's Double.toString prints it (the command evaluator's convention for SEXTANT_PARAM_* values):
    ``0.001``, ``1.0E-5``, ``2.0``, ``1.0E7``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign, digits, exp = decimal.Decimal(repr(x)).as_tuple()
    ds = "".join(map(str, digits)).lstrip("0")
    while len(ds) > 1 and ds.endswith("0"):
        ds, exp = ds[:-1], exp + 1
    e = len(ds) - 1 + exp  # x = d.ddd * 10^e
    minus = "-" if sign else ""
    if 1e-3 <= abs(x) < 1e7:
        if e >= 0:
            whole = ds[:e + 1].ljust(e + 1, "0")
            frac = ds[e + 1:] or "0"
            return "%s%s.%s" % (minus, whole, frac)
        return "%s0.%s%s" % (minus, "0" * (-e - 1), ds)
    return "%s%s.%sE%d" % (minus, ds[0], ds[1:] or "0", e)


def param_variable(name):
    return "SEXTANT_PARAM_" + re.sub(r"[^A-Z0-9_]", "_", name.upper())


def param_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return java_double(v)
    if isinstance(v, str):
        return v
    return json.dumps(v)


def trial_environment(study, trial, work_dir, params_file, deadline=None, base=None):
    """The environment of a trial's process: ``base`` (default: this process's) without the token variables, plus
    the trial variables."""
    env = dict(os.environ if base is None else base)
    for k in SECRET_VARIABLES:
        env.pop(k, None)
    names = collections.Counter(param_variable(n) for n in trial.params)
    for name, value in trial.params.items():
        var = param_variable(name)
        if names[var] == 1 and value is not None:
            env[var] = param_value(value)
    env.update({
        "SEXTANT_PARAMS_FILE": params_file,
        "SEXTANT_TRIAL_NUMBER": str(trial.number),
        "SEXTANT_STUDY_ID": str(study.id),
        "SEXTANT_OBJECTIVES": ",".join(study.objectives),
        "SEXTANT_WORK_DIR": work_dir,
    })
    if deadline is not None:
        env["SEXTANT_DEADLINE"] = deadline
    return env


class MetricsLineError(ValueError):
    pass


def parse_line(line):
    """("measure", step, values) | ("final", values) | None (not a metrics line); raises MetricsLineError for a
    metrics line that breaks the rules."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if not isinstance(obj, dict) or "values" not in obj:
        return None
    extra = sorted(set(obj) - {"step", "values"})
    if extra:
        raise MetricsLineError("metrics line has unknown member %r: %s" % (extra[0], text[:200]))
    values = obj["values"]
    if not isinstance(values, dict):
        raise MetricsLineError("metrics line's values must be an object: %s" % text[:200])
    for k, v in values.items():
        v = decode_number(v)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise MetricsLineError("metrics line's value %r is not a number: %s" % (k, text[:200]))
    if "step" not in obj:
        return ("final", values)
    step = obj["step"]
    if isinstance(step, float) and step.is_integer():
        step = int(step)
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise MetricsLineError("metrics line's step must be an integer >= 0: %s" % text[:200])
    return ("measure", step, values)


class Run:
    """One trial's process."""

    def __init__(self, study, trial, command, timeout=None, keep_work_dir=False, echo=None):
        self.study = study
        self.trial = trial
        self.command = command
        self.timeout = timeout
        self.keep_work_dir = keep_work_dir
        self.echo = echo or (lambda line: None)
        self.stderr_tail = collections.deque()
        self.stderr_size = 0
        self.other_lines = collections.deque(maxlen=20)
        self.final = None
        self.stopped = False
        self.timed_out = False
        self.error = None
        self.last_step = None
        self.proc = None

    def kill(self):
        p = self.proc
        if p is None:
            return
        try:
            if os.name == "posix":
                os.killpg(p.pid, signal.SIGKILL)
            else:
                p.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def _watch(self, done, deadline):
        while not done.wait(0.25):
            if self.trial.should_stop and not self.stopped:
                self.stopped = True  # a heartbeat found the trial gone (reaped) or told it to stop
                self.kill()
            if deadline is not None and time.monotonic() > deadline and not self.timed_out:
                self.timed_out = True
                self.kill()
            if self.proc is not None and self.proc.poll() is not None:
                # the process is gone: kill what it left in its group (it may hold stdout open)
                self.kill()

    def _read_stderr(self, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            self.echo(line.rstrip("\n"))
            self.stderr_tail.append(line)
            self.stderr_size += len(line)
            while self.stderr_size > STDERR_TAIL and len(self.stderr_tail) > 1:
                self.stderr_size -= len(self.stderr_tail.popleft())
        stream.close()

    def tail(self):
        text = "".join(self.stderr_tail).strip()
        if not text:
            text = "\n".join(self.other_lines).strip()
        return text[-1900:]

    def execute(self):
        """Runs the process; answers (state, detail): state COMPLETED, PRUNED, FAILED or LOST; ``detail`` the values
        or the reason. Raises OSError when the command cannot be started (the trial is failed first)."""
        work_dir = tempfile.mkdtemp(prefix="sextant-%d-%d-" % (self.study.id, self.trial.number))
        try:
            return self._execute(work_dir)
        finally:
            if not self.keep_work_dir:
                shutil.rmtree(work_dir, ignore_errors=True)

    def _execute(self, work_dir):
        params_file = os.path.join(work_dir, "params.json")
        with open(params_file, "w") as f:
            json.dump(self.trial.params, f)
        deadline_at = None
        iso = None
        if self.timeout:
            deadline_at = time.monotonic() + self.timeout
            iso = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.timeout)).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ")
        env = trial_environment(self.study, self.trial, work_dir, params_file, iso)
        try:
            self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, env=env, start_new_session=(os.name == "posix"))
        except OSError as e:
            reason = "could not start %s: %s" % (self.command[0], e.strerror or e)
            self.trial.fail(reason)
            raise
        done = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(done, deadline_at), daemon=True)
        err = threading.Thread(target=self._read_stderr, args=(self.proc.stderr,), daemon=True)
        watcher.start()
        err.start()
        try:
            self._read_stdout()
            self.proc.wait()
        except BaseException:
            self.kill()
            self.proc.wait()
            raise
        finally:
            done.set()
            self.kill()  # leftovers of a finished command
            err.join(5)
        return self._outcome()

    def _read_stdout(self):
        for raw in iter(self.proc.stdout.readline, b""):
            if self.stopped or self.error:
                continue  # draining until the killed process closes its output
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                parsed = parse_line(line)
            except MetricsLineError as e:
                self.error = str(e)
                self.kill()
                continue
            if parsed is None:
                self.other_lines.append(line)
                self.echo(line)
            elif parsed[0] == "final":
                self.final = parsed[1]
            else:
                _, step, values = parsed
                self.last_step = (step, values)
                try:
                    stop = self.trial.report(step, values)
                except ApiError as e:
                    self.error = "measurement at step %d refused: %s" % (step, e)
                    self.kill()
                    continue
                if stop:
                    self.stopped = True
                    self.kill()
        self.proc.stdout.close()

    def _outcome(self):
        t = self.trial
        if self.stopped and t.state == "PRUNED":
            return "PRUNED", "stopped early at step %d" % self.last_step[0] if self.last_step else "stopped early"
        if self.stopped and t.lost:
            return "LOST", "the trial is no longer RUNNING on the server (no heartbeat in time?)"
        if self.stopped:  # a heartbeat's answer said stop
            t.prune("stopped on the server's heartbeat answer")
            return "PRUNED", "stopped on the server's heartbeat answer"
        if self.error:
            return "FAILED", self._fail(self.error)
        if self.timed_out:
            return "FAILED", self._fail("command timed out after %s s and was killed; stderr tail: %s" % (
                self.timeout, self.tail()))
        rc = self.proc.returncode
        if rc < 0:
            rc = 128 - rc  # killed by signal k: 128 + k, as a shell shows it
        if rc != 0:
            return "FAILED", self._fail("command exited with status %d; stderr tail:\n%s" % (rc, self.tail()))
        if self.final is None:
            return "FAILED", self._fail('command exited with status 0 but printed no final {"values": {...}} line; '
                                        "stderr tail: %s" % self.tail())
        try:
            self.study.tell(t, self.final)
        except ApiError as e:
            if e.status == 400:
                return "FAILED", self._fail("the server refused the final values: %s" % e)
            if e.status == 409:
                return "LOST", str(e)
            raise
        return t.state, t.values

    def _fail(self, reason):
        try:
            self.trial.fail(reason)
        except ApiError as e:
            if e.status != 409:
                raise
        return reason


class Progress:
    """The progress line on stderr: rewritten in place on a terminal, a line per finished trial otherwise."""

    def __init__(self, stream, study):
        self.stream = stream
        self.study = study
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.counts = collections.Counter()
        self.best = None
        self.shown = False
        self.lock = threading.Lock()

    def _clear(self):
        if self.tty and self.shown:
            self.stream.write("\r\x1b[K")
            self.shown = False

    def line(self, text):
        """A line of the command's output."""
        with self.lock:
            self._clear()
            self.stream.write(text + "\n")
            self.stream.flush()

    def running(self, trial):
        if self.tty:
            with self.lock:
                self._clear()
                self.stream.write("study %d: trial %d running  |  %s" % (self.study.id, trial.number, self._summary()))
                self.stream.flush()
                self.shown = True

    def finished(self, trial, state, detail):
        self.counts[state] += 1
        if state == "COMPLETED" and isinstance(detail, dict) and self.study.objectives:
            v = detail.get(self.study.objectives[0])
            better = (lambda a, b: a > b) if self.study.directions[0] == "MAXIMIZE" else (lambda a, b: a < b)
            if isinstance(v, (int, float)) and (self.best is None or better(v, self.best)):
                self.best = v
        with self.lock:
            self._clear()
            what = _values_text(detail) if isinstance(detail, dict) else str(detail).splitlines()[0][:120]
            self.stream.write("trial %d %s %s  |  %s\n" % (trial.number, state, what, self._summary()))
            self.stream.flush()

    def _summary(self):
        done = sum(self.counts.values())
        parts = ", ".join("%d %s" % (n, s.lower()) for s, n in sorted(self.counts.items()))
        best = "" if self.best is None else ", best %s %s" % (self.study.objectives[0], _fmt(self.best))
        return "%d done%s%s" % (done, " (%s)" % parts if parts else "", best)


def _fmt(v):
    return "%.6g" % v if isinstance(v, float) else str(v)


def _values_text(values):
    return " ".join("%s=%s" % (k, _fmt(decode_number(v))) for k, v in values.items())


def run_agent(study, command, count=None, timeout=None, keep_work_dirs=False, json_lines=False, out=None, err=None,
              worker_id=None):
    """Runs trials of ``study`` with ``command`` (a list: program and arguments) until the study has no more trials
    (or ``count`` ran). Writes a JSON line per trial to ``out`` when ``json_lines``, else a table at the end; the
    progress and the command's other output go to ``err``. Answers the exit status: 0, 1 (the command could not be
    started, or the server refused), 130 (interrupted)."""
    out = out or sys.stdout
    err = err or sys.stderr
    progress = Progress(err, study)
    worker = worker_id or study.client.worker_id()
    rows = []
    idle = 0.1
    status = 0
    while count is None or len(rows) < count:
        try:
            trial = study.ask(worker_id=worker)
        except ApiError as e:
            if e.status == 409 and e.field == "state":
                break  # the study is not ACTIVE any more (COMPLETED, PAUSED)
            progress.line("sextant: %s" % e)
            status = 1
            break
        if trial is None:
            if study._exhausted():
                break
            time.sleep(idle)
            idle = min(2.0, idle * 2)
            continue
        idle = 0.1
        progress.running(trial)
        run = Run(study, trial, command, timeout=timeout, keep_work_dir=keep_work_dirs, echo=progress.line)
        try:
            state, detail = run.execute()
        except OSError as e:
            progress.line("sextant: could not start %s: %s" % (command[0], e.strerror or e))
            status = 1
            rows.append(_row(study, trial, "FAILED", str(e)))
            break
        except KeyboardInterrupt:
            try:
                trial.fail("agent interrupted (KeyboardInterrupt)")
            except ApiError:
                pass
            progress.line("sextant: interrupted; trial %d failed" % trial.number)
            rows.append(_row(study, trial, "FAILED", "interrupted"))
            status = 130
            break
        except ApiError as e:
            progress.line("sextant: %s" % e)
            status = 1
            break
        progress.finished(trial, state, detail)
        row = _row(study, trial, state, detail)
        rows.append(row)
        if json_lines:
            out.write(json.dumps(row) + "\n")
            out.flush()
    if not json_lines and rows:
        from .cli import _outcome, table
        out.write(table(["trial", "state", "values / reason", "params"],
                        [[r["number"], r["state"], _outcome({"values": r.get("values"), "failureReason": r.get(
                            "reason")}), _params_text(r["params"])] for r in rows]))
    return status


def _row(study, trial, state, detail):
    row = {"study": study.id, "number": trial.number, "state": state, "params": trial.params}
    if isinstance(detail, dict):
        row["values"] = detail
    else:
        row["reason"] = detail
    return row


def _params_text(params):
    return " ".join("%s=%s" % (k, _fmt(v)) for k, v in params.items())

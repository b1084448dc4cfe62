"""Where gp-bo's time per suggestion goes in the issue-24 speed figure (Hartmann6, 300 trials, seed 0, the same
client-side ask/tell loop as side_by_side.py's `ours`), measured, not argued.

Run through benchmarks/gp-bo/speed_profile.sh (starts a server with a JFR recording). Prints:
- wall time per phase in the client: ask (POST /suggestions), tell (POST .../complete), the rest (objective, Python);
  per block of 100 trials;
- the server's own `sextant.suggest` timer (Micrometer, /actuator/prometheus): the time to answer an ask inside the
  server (designer, database reads/writes of the ask), so ask wall - suggest timer = HTTP, security, JSON, client;
- CPU seconds over the run of the processes involved: this Python client, the server JVM (and per JVM thread
  group: request threads, JIT compiler, GC), its PostgreSQL processes;
- with --jfr FILE: the server's JFR CPU samples (jdk.ExecutionSample) classified by the deepest matching frame
  category (GP hyperparameter refit, acquisition optimization, GP conditioning/factor, the rest of the designer,
  designer state codec, database client, JSON, web/security, other).

Usage: speed_profile.py --pid SERVER_PID --pgdata DIR [--n 300] [--seed 0] [--repeat 1]      (client part, needs SEXTANT_URL, SEXTANT_TOKEN)
       speed_profile.py --jfr FILE                                  (classify a recording)
       speed_profile.py --peer [--n 300] [--seed 0]                 (the peer: wall, CPU, fit vs acquisition)
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK  # utime + stime (fields 14, 15)


def postgres_cpu(data_dir):
    """CPU seconds of the server's PostgreSQL processes (their command lines name its data directory; the
    postmaster's cutime/cstime adds backends that exited)."""
    total = 0.0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            comm = open("/proc/%s/comm" % d).read().strip()
            cmd = open("/proc/%s/cmdline" % d, "rb").read().decode(errors="replace")
            if not comm.startswith("postgres") or (data_dir not in cmd and not postmaster_child(int(d), data_dir)):
                continue
            f = open("/proc/%s/stat" % d).read().rsplit(")", 1)[1].split()
            total += (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / TICK
        except OSError:
            pass
    return total


def postmaster_child(pid, data_dir):
    """A backend's command line is "postgres: user db ..." without the data directory: its parent's names it."""
    try:
        ppid = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
        return data_dir in open("/proc/%d/cmdline" % ppid, "rb").read().decode(errors="replace")
    except (OSError, ValueError):
        return False


def thread_cpu(pid):
    """CPU seconds per thread group of a JVM (thread names with digits folded: "C2 CompilerThreN", ...)."""
    out = collections.Counter()
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            raw = open("/proc/%d/task/%s/stat" % (pid, tid)).read()
            name = re.sub(r"\d+", "N", raw[raw.index("(") + 1:raw.rindex(")")])
            f = raw.rsplit(")", 1)[1].split()
            out[name] += (int(f[11]) + int(f[12])) / TICK
        except (OSError, ValueError):
            pass
    return out


def suggest_timer(url):
    req = urllib.request.Request(url + "/actuator/prometheus",
                                 headers={"Authorization": "Bearer " + os.environ["SEXTANT_TOKEN"]})
    text = urllib.request.urlopen(req).read().decode()
    got = {}
    for m in re.finditer(r"^sextant_suggest_seconds_(count|sum)\S*\s+(\S+)$", text, re.M):
        got[m.group(1)] = float(m.group(2))
    return got.get("count", 0.0), got.get("sum", 0.0)


def client_run(a):
    import sextant
    url = os.environ.get("SEXTANT_URL", "http://127.0.0.1:18098")
    client = sextant.Client(url, heartbeats=False)
    for r in range(a.repeat):
        if a.repeat > 1:
            print("-- run %d of %d on this server%s" % (r + 1, a.repeat, " (JIT warm)" if r else ""))
        one_run(a, client, url)


def one_run(a, client, url):
    import side_by_side as sbs
    fn, bounds, fmin, _ = sbs.FUNCTIONS["hartmann6"]
    spec = {"name": "speed-profile-%d" % time.time_ns(), "objectives": [{"metric": "value"}],
            "space": {"parameters": [{"name": "x%d" % i, "type": "float", "low": lo, "high": hi}
                                     for i, (lo, hi) in enumerate(bounds)]},
            "algorithm": {"name": "gp-bo", "options": {"seed": a.seed}},
            "limits": {"maxTrials": a.n, "maxParallel": 1}}
    study = client.create_study(spec)
    c0, s0 = suggest_timer(url)
    cpu0 = (time.process_time(), cpu_seconds(a.pid), postgres_cpu(a.pgdata))
    th0 = thread_cpu(a.pid)
    ask, tell, best = [], [], float("inf")
    t0 = time.perf_counter()
    for _ in range(a.n):
        t = time.perf_counter()
        trial = study.ask()
        ask.append(time.perf_counter() - t)
        v = fn([trial.params["x%d" % i] for i in range(len(bounds))])
        best = min(best, v)
        t = time.perf_counter()
        study.tell(trial, v)
        tell.append(time.perf_counter() - t)
    wall = time.perf_counter() - t0
    cpu1 = (time.process_time(), cpu_seconds(a.pid), postgres_cpu(a.pgdata))
    th1 = thread_cpu(a.pid)
    c1, s1 = suggest_timer(url)
    n = a.n
    print("hartmann6@%d seed %d: regret %.3g, wall %.1f s = %.4f s/suggestion (load %s)"
          % (n, a.seed, best - fmin, wall, wall / n, " ".join(open("/proc/loadavg").read().split()[:3])))
    print("client wall: ask %.1f s (%.1f%%), tell %.1f s (%.1f%%), rest %.1f s"
          % (sum(ask), 100 * sum(ask) / wall, sum(tell), 100 * sum(tell) / wall, wall - sum(ask) - sum(tell)))
    print("server sextant.suggest timer: %d asks, %.1f s (%.4f s/ask); ask wall outside it (HTTP, security, JSON,"
          " client) %.1f s" % (c1 - c0, s1 - s0, (s1 - s0) / max(1, c1 - c0), sum(ask) - (s1 - s0)))
    for b in range(0, n, 100):
        sa, st = ask[b:b + 100], tell[b:b + 100]
        print("  trials %d-%d: ask mean %.4f s (max %.3f), tell mean %.4f s"
              % (b + 1, b + len(sa), sum(sa) / len(sa), max(sa), sum(st) / len(st)))
    names = ("python client", "server JVM", "PostgreSQL")
    print("CPU seconds over the run: " + ", ".join("%s %.1f" % (nm, y - x) for nm, x, y in zip(names, cpu0, cpu1)))
    # calibration: the round trip of a cheap authenticated read (GET the study) on the same server, same load
    rt = []
    for _ in range(100):
        t = time.perf_counter()
        study.refresh()
        rt.append(time.perf_counter() - t)
    rt.sort()
    print("GET /studies/{id} round trip (100 calls after the run): median %.4f s, p90 %.4f s"
          % (rt[50], rt[90]))
    th = sorted(((th1[k] - th0.get(k, 0), k) for k in th1), reverse=True)
    print("server JVM CPU seconds by thread: " + ", ".join("%s %.1f" % (k, v) for v, k in th if v >= 0.05))
    print(json.dumps({"n": n, "wall": wall, "ask": sum(ask), "tell": sum(tell), "suggest_timer": s1 - s0,
                      "cpu": {nm: y - x for nm, x, y in zip(names, cpu0, cpu1)}}))


def peer_run(a):
    """The same figure for Optuna's GPSampler (in process, in-memory storage, as side_by_side.py's peer), with the
    wall and CPU seconds spent inside its kernel fit (gp.fit_kernel_params) and its acquisition optimization
    (optim_mixed.optimize_acqf_mixed), timed by wrapping those two module functions."""
    import side_by_side as sbs
    optuna = sbs.load_optuna()
    from optuna._gp import gp, optim_mixed
    spent = collections.defaultdict(lambda: [0.0, 0.0, 0])

    def timed(name, f):
        def g(*args, **kw):
            w, c = time.perf_counter(), time.process_time()
            try:
                return f(*args, **kw)
            finally:
                s = spent[name]
                s[0] += time.perf_counter() - w
                s[1] += time.process_time() - c
                s[2] += 1
        return g
    gp.fit_kernel_params = timed("kernel fit (fit_kernel_params)", gp.fit_kernel_params)
    optim_mixed.optimize_acqf_mixed = timed("acquisition optimization (optimize_acqf_mixed)",
                                            optim_mixed.optimize_acqf_mixed)
    import torch
    fn, bounds, fmin, _ = sbs.FUNCTIONS["hartmann6"]
    w, c = time.perf_counter(), time.process_time()
    best, _ = sbs.run_peer(optuna, "gpsampler", fn, bounds, a.n, a.seed)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    print("GPSampler hartmann6@%d seed %d: regret %.3g, wall %.1f s = %.4f s/suggestion, process CPU %.1f s"
          " (%.4f s/suggestion; torch threads %d; load %s)" % (
              a.n, a.seed, best - fmin, wall, wall / a.n, cpu, cpu / a.n, torch.get_num_threads(),
              " ".join(open("/proc/loadavg").read().split()[:3])))
    for name, (sw, sc, k) in spent.items():
        print("  %s: %d calls, wall %.1f s (%.0f%%), CPU %.1f s" % (name, k, sw, 100 * sw / wall, sc))
    print("  the rest (Optuna's study/trial bookkeeping, sampling of the start-up trials, objective): wall %.1f s"
          % (wall - sum(v[0] for v in spent.values())))


# deepest-first priority: a sample counts for the first category whose pattern any of its frames matches
CATEGORIES = [
    ("GP hyperparameter refit (GpFitter, marginal likelihood)", r"bo\.gp\.GpFitter|bo\.gp\.MarginalLikelihood|GpModels\.fit"),
    ("acquisition optimization (candidates, L-BFGS, LogEI)", r"bo\.AcquisitionOptimizer|bo\.BoxMinimizer|bo\.acq\."),
    ("GP conditioning (Cholesky, factor cache, posterior)", r"bo\.gp\.(Cholesky|FactorCache|GaussianProcess)|smile\."),
    ("designer state codec", r"bo\.GpState|StateCodec|designer\.state"),
    ("rest of the designer (observations, transform, sobol)", r"io\.sextant\.engine\."),
    ("database client (JDBC, pgjdbc, Hikari, jOOQ/Spring JDBC)", r"org\.postgresql|com\.zaxxer|org\.springframework\.jdbc|org\.jooq|java\.sql"),
    ("JSON (Jackson)", r"com\.fasterxml\.jackson|tools\.jackson"),
    ("web, security, Spring (Tomcat, filters)", r"org\.apache\.(tomcat|catalina|coyote)|org\.springframework"),
    ("sextant API (outside the engine)", r"io\.sextant\."),
]


def classify(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "200", path],
                         capture_output=True, text=True, check=True).stdout
    counts, threads = collections.Counter(), collections.Counter()
    for ev in out.split("jdk.ExecutionSample")[1:]:
        m = re.search(r'sampledThread = "([^"]*)"', ev)
        thread = m.group(1) if m else "?"
        frames = re.findall(r"^\s+([\w.$]+)\(", ev, re.M)
        cat = "other (JVM, GC-free threads, idle pollers)"
        for name, pat in CATEGORIES:
            if any(re.search(pat, f) for f in frames):
                cat = name
                break
        counts[cat] += 1
        threads[re.sub(r"\d+", "N", thread)] += 1
    total = sum(counts.values())
    print("JFR CPU samples (jdk.ExecutionSample) in %s: %d" % (path, total))
    for cat, c in counts.most_common():
        print("  %5.1f%%  %5d  %s" % (100 * c / total, c, cat))
    print("by thread: " + ", ".join("%s %d" % kv for kv in threads.most_common(6)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=1, help="run the same study this many times on the same server")
    ap.add_argument("--pgdata", default="/nonexistent", help="the server's data directory (its PostgreSQL's)")
    ap.add_argument("--jfr")
    ap.add_argument("--peer", action="store_true", help="time Optuna's GPSampler instead (OPTUNA_SRC)")
    a = ap.parse_args()
    if a.jfr:
        classify(a.jfr)
    elif a.peer:
        peer_run(a)
    else:
        client_run(a)


if __name__ == "__main__":
    main()

"""gp-bo against Optuna's GPSampler (and TPE), side by side, issue 24.

Our side: client-side ask/tell through the REST API (the Python client in clients/python against a running
search-api, one study per function and seed, algorithm gp-bo with default options except the seed option).
Peer side: optuna.samplers.GPSampler(seed=seed) with defaults, from an extracted snapshot of the optuna/optuna
repository (OPTUNA_SRC); Debian's torch 1.13 has no `torch.device` context manager, so the one
`with torch.device("cpu"):` line of optuna/samplers/_gp/sampler.py is patched at run time (in memory) to fall back
to contextlib.nullcontext(). Optuna's code is never copied into this repository.

Every (side, function, seed) result is appended as one JSON line to --out; lines already there are not rerun (so a
long run can be resumed or split: --sides peer first, ours later). `--table` prints the medians from --out,
`--pvalues` (several files, comma-separated) the medians, seeds won and Mann-Whitney p of ours against GPSampler.

Usage (see benchmarks/gp-bo/side_by_side.sh, which starts the server):
  OPTUNA_SRC=/tmp/optuna-src /usr/bin/python3 benchmarks/gp-bo/side_by_side.py --sides peer,ours \
      [--fns branin,hartmann6,...] [--seeds 10] [--speed 300] --out results.jsonl [--url URL]
"""
import argparse
import contextlib
import json
import math
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))


# ---- test functions (minimization; name, dims, bounds per dim, global minimum, budget) --------------------------

def branin(x):
    a, b, c, r, s, t = 1, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s


H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
H3_P = [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]
H_ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann(a, p):
    def f(x):
        return -sum(H_ALPHA[i] * math.exp(-sum(a[i][j] * (x[j] - p[i][j] * 1e-4) ** 2 for j in range(len(x))))
                    for i in range(4))
    return f


def styblinski_tang(x):
    return sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x) / 2


SHEKEL_C = [0.1, 0.2, 0.2, 0.4, 0.4]
SHEKEL_A = [[4, 4, 4, 4], [1, 1, 1, 1], [8, 8, 8, 8], [6, 6, 6, 6], [3, 7, 3, 7]]


def shekel5(x):
    return -sum(1 / (SHEKEL_C[i] + sum((x[j] - SHEKEL_A[i][j]) ** 2 for j in range(4))) for i in range(5))


def ackley(x):
    d = len(x)
    return (-20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / d))
            - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / d) + 20 + math.e)


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    s = math.sin(math.pi * w[0]) ** 2
    for i in range(len(w) - 1):
        s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    return s + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def michalewicz(x):
    return -sum(math.sin(v) * math.sin((i + 1) * v * v / math.pi) ** 20 for i, v in enumerate(x))


def griewank(x):
    return 1 + sum(v * v for v in x) / 4000 - math.prod(math.cos(v / math.sqrt(i + 1)) for i, v in enumerate(x))


FUNCTIONS = {
    # the seven
    "branin": (branin, [(-5, 10), (0, 15)], 0.397887357729739, 50),
    "hartmann6": (hartmann(H6_A, H6_P), [(0, 1)] * 6, -3.32236801141551, 100),
    "hartmann3": (hartmann(H3_A, H3_P), [(0, 1)] * 3, -3.86278214782076, 40),
    "styblinski4": (styblinski_tang, [(-5, 5)] * 4, -39.16616570377142 * 4, 80),
    "shekel5": (shekel5, [(0, 10)] * 4, -10.1531996790582, 80),
    "ackley5": (ackley, [(-32.768, 32.768)] * 5, 0.0, 100),
    "rosenbrock4": (rosenbrock, [(-5, 10)] * 4, 0.0, 100),
    # extras of our choice (not used for tuning)
    "levy10": (levy, [(-10, 10)] * 10, 0.0, 100),
    "michalewicz5": (michalewicz, [(0, math.pi)] * 5, -4.687658179, 100),
    "griewank8": (griewank, [(-600, 600)] * 8, 0.0, 100),
    "levy4": (levy, [(-10, 10)] * 4, 0.0, 80),
}
SEVEN = ["branin", "hartmann6", "hartmann3", "styblinski4", "shekel5", "ackley5", "rosenbrock4"]
EXTRA = ["levy10", "michalewicz5", "griewank8", "levy4"]


# ---- peer -----------------------------------------------------------------------------------------------------

def load_optuna():
    src = os.environ.get("OPTUNA_SRC", "/tmp/optuna-src")
    sys.path.insert(0, src)
    import torch
    if not hasattr(torch.device("cpu"), "__enter__"):
        # torch 1.13: torch.device is no context manager. Patch the sampler module's source in memory.
        import importlib.util
        path = os.path.join(src, "optuna", "samplers", "_gp", "sampler.py")
        code = open(path).read()
        old = 'with torch.device("cpu"):'
        assert code.count(old) == 1, "the torch.device line of GPSampler moved; update the patch"
        code = code.replace(old, 'with (torch.device("cpu") if hasattr(torch.device("cpu"), "__enter__") '
                                 'else __import__("contextlib").nullcontext()):')
        import optuna.samplers._gp  # noqa: F401  (the package, so the module below gets its parent)
        spec = importlib.util.spec_from_file_location("optuna.samplers._gp.sampler", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["optuna.samplers._gp.sampler"] = mod
        exec(compile(code, path, "exec"), mod.__dict__)
        import optuna.samplers
        optuna.samplers.GPSampler = mod.GPSampler
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


def run_peer(optuna, sampler_name, fn, bounds, n, seed):
    sampler = (optuna.samplers.GPSampler(seed=seed) if sampler_name == "gpsampler"
               else optuna.samplers.TPESampler(seed=seed))
    study = optuna.create_study(sampler=sampler)
    t0 = time.time()
    study.optimize(lambda t: fn([t.suggest_float("x%d" % i, lo, hi) for i, (lo, hi) in enumerate(bounds)]),
                   n_trials=n)
    return study.best_value, time.time() - t0


# ---- ours -----------------------------------------------------------------------------------------------------

def run_ours(client, name, fn, bounds, n, seed):
    spec = {"name": "sbs-%s-%d-%d" % (name, seed, time.time_ns()), "objectives": [{"metric": "value"}],
            "space": {"parameters": [{"name": "x%d" % i, "type": "float", "low": lo, "high": hi}
                                     for i, (lo, hi) in enumerate(bounds)]},
            "algorithm": {"name": "gp-bo", "options": {"seed": seed}},
            "limits": {"maxTrials": n, "maxParallel": 1}}
    study = client.create_study(spec)
    best = math.inf
    t0 = time.time()
    for _ in range(n):
        trial = study.ask()
        if trial is None:
            break
        v = fn([trial.params["x%d" % i] for i in range(len(bounds))])
        best = min(best, v)
        study.tell(trial, v)
    return best, time.time() - t0


# ---- driver ---------------------------------------------------------------------------------------------------

def done(out):
    seen = set()
    if os.path.exists(out):
        for line in open(out):
            r = json.loads(line)
            seen.add((r["side"], r["fn"], r["seed"], r.get("n")))
    return seen


def table(outs):
    rows = {}
    for line in (line for out in outs.split(",") for line in open(out)):
        r = json.loads(line)
        if r["fn"].startswith("speed:"):
            rows.setdefault(r["fn"], {}).setdefault(r["side"], []).append(r["seconds"] / r["n"])
        else:
            rows.setdefault(r["fn"], {}).setdefault(r["side"], []).append(r["regret"])
    for fn, sides in rows.items():
        cells = []
        for side, v in sorted(sides.items()):
            if fn.startswith("speed:"):
                cells.append("%s %.3f s/suggestion (%d runs)" % (side, statistics.median(v), len(v)))
            else:
                stuck = sum(1 for r in v if 0.05 < r < 0.2) if fn == "hartmann6" else None
                cells.append("%s median %.3g (n=%d, all %s%s)" % (
                    side, statistics.median(v), len(v), " ".join("%.2g" % r for r in v),
                    "" if stuck is None else ", in 0.119 minimum: %d" % stuck))
        print(fn + ": " + " | ".join(cells))


def markdown(outs):
    """The regret table of docs/benchmarks-gp-bo.md: median over the seeds every side has, per side (ours, Optuna
    GPSampler, Optuna TPE when run), the issue-24 target (ours <= GPSampler) and on how many seeds ours was <=."""
    res = {}
    for line in (line for out in outs.split(",") for line in open(out)):
        r = json.loads(line)
        if not r["fn"].startswith("speed:"):
            res.setdefault(r["fn"], {}).setdefault(r["side"], {})[r["seed"]] = r["regret"]
    tpe = any("tpe" in sides for sides in res.values())
    print("| function@budget (d) | gp-bo (ours) | Optuna GPSampler |%s seeds | target: ours <= GPSampler | seeds ours <= GPSampler |"
          % (" Optuna TPE |" if tpe else ""))
    print("|---|---|---|%s---|---|---|" % ("---|" if tpe else ""))
    for fn in SEVEN + EXTRA:
        if fn not in res:
            continue
        o, p, t = res[fn].get("ours", {}), res[fn].get("gpsampler", {}), res[fn].get("tpe", {})
        seeds = sorted(set(o) & set(p) & (set(t) if tpe else set(o)))
        if not seeds:
            continue
        mo = statistics.median(o[s] for s in seeds)
        mp = statistics.median(p[s] for s in seeds)
        mt = statistics.median(t[s] for s in seeds) if tpe else None
        best = min(mo, mp, mt if tpe else math.inf)
        extra = ""
        if fn == "hartmann6":
            stuck = lambda side: sum(1 for s in seeds if 0.05 < side[s] < 0.2)
            extra = " (in the 0.119 local minimum: ours %d of %d, GPSampler %d)" % (stuck(o), len(seeds), stuck(p))
        fmt = lambda v: ("**%.3g**" if v == best else "%.3g") % v
        print("| %s@%d (%d) | %s | %s |%s %s | %s%s | %d of %d |" % (
            fn, FUNCTIONS[fn][3], len(FUNCTIONS[fn][1]), fmt(mo), fmt(mp), " %s |" % fmt(mt) if tpe else "",
            "%d-%d" % (seeds[0], seeds[-1]) if len(seeds) == seeds[-1] - seeds[0] + 1 else ",".join(map(str, seeds)),
            "met" if mo <= mp else "**missed**", extra, sum(1 for s in seeds if o[s] <= p[s]), len(seeds)))


def pvalues(outs):
    """Per function, over the seeds both ours and GPSampler have in the given files: both medians, on how many
    seeds ours was <= GPSampler's, and the two-sided Mann-Whitney U test p (scipy) of the two regret samples."""
    from scipy.stats import mannwhitneyu
    res = {}
    for line in (line for out in outs.split(",") for line in open(out)):
        r = json.loads(line)
        if not r["fn"].startswith("speed:"):
            res.setdefault(r["fn"], {}).setdefault(r["side"], {})[r["seed"]] = r["regret"]
    for fn in SEVEN + EXTRA:
        o, p = res.get(fn, {}).get("ours", {}), res.get(fn, {}).get("gpsampler", {})
        seeds = sorted(set(o) & set(p))
        if not seeds:
            continue
        ov, pv = [o[s] for s in seeds], [p[s] for s in seeds]
        print("%s: %d seeds (%d-%d), median ours %.3g, GPSampler %.3g; ours <= GPSampler on %d; Mann-Whitney "
              "two-sided p = %.3f" % (fn, len(seeds), seeds[0], seeds[-1], statistics.median(ov),
                                       statistics.median(pv), sum(a <= b for a, b in zip(ov, pv)),
                                       mannwhitneyu(ov, pv, alternative="two-sided").pvalue))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sides", default="peer,ours")  # peer = gpsampler; tpe optional
    ap.add_argument("--fns", default=",".join(SEVEN + EXTRA))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--seed-from", type=int, default=0, help="run seeds seed-from..seeds-1 (split a long run)")
    ap.add_argument("--speed", type=int, default=0, help="also time one Hartmann6 run of this many trials per side")
    ap.add_argument("--speed-seeds", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--url", default=os.environ.get("SEXTANT_URL", "http://127.0.0.1:18098"))
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--pvalues", action="store_true", help="medians, seeds won, Mann-Whitney p from --out")
    a = ap.parse_args()
    if a.table:
        table(a.out)
        return
    if a.markdown:
        markdown(a.out)
        return
    if a.pvalues:
        pvalues(a.out)
        return
    sides = a.sides.split(",")
    optuna = load_optuna() if any(s in ("peer", "gpsampler", "tpe") for s in sides) else None
    client = None
    if "ours" in sides:
        import sextant
        client = sextant.Client(a.url, heartbeats=False)
    if optuna is not None:
        print("optuna", optuna.__version__, "from", os.environ.get("OPTUNA_SRC", "/tmp/optuna-src"), flush=True)
    seen = done(a.out)
    jobs = []
    if a.speed:
        for seed in range(a.speed_seeds):
            jobs += [("speed:hartmann6", seed, a.speed)]
    for seed in range(a.seed_from, a.seeds):
        for name in a.fns.split(","):
            jobs.append((name, seed, None))
    with open(a.out, "a") as out:
        for name, seed, n_override in jobs:
            base = name.split(":")[-1]
            fn, bounds, fmin, n = FUNCTIONS[base]
            n = n_override or n
            for side in sides:
                side_name = "gpsampler" if side == "peer" else side
                if (side_name, name, seed, n) in seen:
                    continue
                if side_name == "ours":
                    best, secs = run_ours(client, base, fn, bounds, n, seed)
                else:
                    best, secs = run_peer(optuna, side_name, fn, bounds, n, seed)
                r = {"side": side_name, "fn": name, "seed": seed, "n": n, "best": best, "regret": best - fmin,
                     "seconds": secs, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "load": os.getloadavg()[0]}
                out.write(json.dumps(r) + "\n")
                out.flush()
                print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()

"""Per-trial traces of gp-bo and Optuna's GPSampler on one function (issue 24: where a regret gap opens).

Runs the same studies as side_by_side.py (ours: gp-bo through the REST API with default options and the seed
option; peer: GPSampler(seed=seed) in process) but records every trial's point (scaled to the unit cube) and value,
one JSON line per (side, seed). `--analyze` then prints, per side and over the seeds in the file:
  - the median simple regret of the best so far after 10, 20, 30, 50, 75 and 100 trials;
  - per phase of the run (trials 11-20, 21-30, 31-50, 51-75, 76-100; gp-bo's initial design is 20 Sobol points,
    GPSampler's 10 random ones): how far each proposal lies from the incumbent (the best point before it;
    Euclidean in the unit cube, quartiles), how often a proposal improved the best, and the median factor by which
    the best regret fell over the phase; with both sides, a Mann-Whitney p for that factor.
The stored points are rounded to 5 decimals (the values are exact).

Usage (trace.sh starts the server):
  benchmarks/gp-bo/trace.sh --fn levy10 --seeds 0-19 --sides peer,ours --out traces.jsonl
  /usr/bin/python3 benchmarks/gp-bo/trace.py --analyze --out traces.jsonl
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import side_by_side as sbs  # noqa: E402  (functions, the patched Optuna loader, the client path)

INITIAL = {"ours": 20, "gpsampler": 10}


def unit(x, bounds):
    return [(v - lo) / (hi - lo) for v, (lo, hi) in zip(x, bounds)]


def trace_peer(optuna, fn, bounds, n, seed):
    study = optuna.create_study(sampler=optuna.samplers.GPSampler(seed=seed))
    study.optimize(lambda t: fn([t.suggest_float("x%d" % i, lo, hi) for i, (lo, hi) in enumerate(bounds)]),
                   n_trials=n)
    return [(unit([t.params["x%d" % i] for i in range(len(bounds))], bounds), t.value) for t in study.trials]


def trace_ours(client, name, fn, bounds, n, seed):
    spec = {"name": "trace-%s-%d-%d" % (name, seed, time.time_ns()), "objectives": [{"metric": "value"}],
            "space": {"parameters": [{"name": "x%d" % i, "type": "float", "low": lo, "high": hi}
                                     for i, (lo, hi) in enumerate(bounds)]},
            "algorithm": {"name": "gp-bo", "options": {"seed": seed}},
            "limits": {"maxTrials": n, "maxParallel": 1}}
    study = client.create_study(spec)
    out = []
    for _ in range(n):
        trial = study.ask()
        if trial is None:
            break
        x = [trial.params["x%d" % i] for i in range(len(bounds))]
        v = fn(x)
        study.tell(trial, v)
        out.append((unit(x, bounds), v))
    return out


def seeds_of(spec):
    lo, _, hi = spec.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def q(v, p):
    v = sorted(v)
    k = (len(v) - 1) * p
    f = math.floor(k)
    return v[f] + (v[min(f + 1, len(v) - 1)] - v[f]) * (k - f)


PHASES = [(11, 20), (21, 30), (31, 50), (51, 75), (76, 100)]


def analyze(out):
    from scipy.stats import mannwhitneyu
    runs = [json.loads(line) for line in open(out)]
    fmin = sbs.FUNCTIONS[runs[0]["fn"]][2]
    sides = [s for s in ("ours", "gpsampler") if any(r["side"] == s for r in runs)]
    factors = {}
    for side in sides:
        rs = [r for r in runs if r["side"] == side]
        print("== %s (%s, seeds %s)" % (side, rs[0]["fn"], ",".join(str(r["seed"]) for r in rs)))
        cells = []
        for k in (10, 20, 30, 50, 75, 100):
            cells.append("%d: %.3g" % (k, statistics.median(min(y for _, y in r["trace"][:k]) - fmin for r in rs)))
        print("  median regret of the best so far after n trials: " + ", ".join(cells))
        for a, b in PHASES:
            dists, improved, gain = [], 0, []
            for r in rs:
                xs, ys = [x for x, _ in r["trace"]], [y for _, y in r["trace"]]
                for i in range(a - 1, min(b, len(xs))):
                    j = min(range(i), key=lambda t: ys[t])
                    dists.append(math.dist(xs[i], xs[j]))
                    improved += ys[i] < ys[j]
                gain.append((min(ys[:a - 1]) - fmin) / (min(ys[:b]) - fmin))
            factors[side, a] = gain
            print("  trials %d-%d%s: distance to the incumbent (unit cube) quartiles %.2f %.2f %.2f; improved the "
                  "best %.2f times per run; best regret before / after, median over runs %.2f" % (
                      a, b, " (initial design)" if b <= INITIAL[side] else "", q(dists, 0.25), q(dists, 0.5),
                      q(dists, 0.75), improved / len(rs), statistics.median(gain)))
    if len(sides) == 2:
        for a, b in PHASES:
            print("trials %d-%d: Mann-Whitney p (two-sided) of the before / after factor, ours against gpsampler: "
                  "%.3f" % (a, b, mannwhitneyu(factors["ours", a], factors["gpsampler", a],
                                               alternative="two-sided").pvalue))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fn", default="levy10")
    ap.add_argument("--seeds", default="0-9")
    ap.add_argument("--sides", default="peer,ours")
    ap.add_argument("--out", required=True)
    ap.add_argument("--url", default=os.environ.get("SEXTANT_URL", "http://127.0.0.1:18098"))
    ap.add_argument("--analyze", action="store_true")
    a = ap.parse_args()
    if a.analyze:
        analyze(a.out)
        return
    fn, bounds, fmin, n = sbs.FUNCTIONS[a.fn]
    sides = a.sides.split(",")
    optuna = sbs.load_optuna() if "peer" in sides else None
    client = None
    if "ours" in sides:
        import sextant
        client = sextant.Client(a.url, heartbeats=False)
    with open(a.out, "a") as out:
        for seed in seeds_of(a.seeds):
            for side in sides:
                t0 = time.time()
                tr = (trace_ours(client, a.fn, fn, bounds, n, seed) if side == "ours"
                      else trace_peer(optuna, fn, bounds, n, seed))
                r = {"side": "gpsampler" if side == "peer" else side, "fn": a.fn, "seed": seed, "n": n,
                     "regret": min(y for _, y in tr) - fmin, "seconds": time.time() - t0,
                     "trace": [[[round(v, 5) for v in x], y] for x, y in tr]}
                out.write(json.dumps(r) + "\n")
                out.flush()
                print(r["side"], a.fn, seed, "regret %.4g" % r["regret"], "%.1f s" % r["seconds"], flush=True)


if __name__ == "__main__":
    main()

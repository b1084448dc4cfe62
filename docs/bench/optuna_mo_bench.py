"""Optuna 3.1 NSGAIISampler / MOTPESampler on ZDT1/2/3 (n=30) and DTLZ2 (M=3, n=12); hypervolume with ref 1.1.
Usage: /usr/bin/python3 docs/bench/optuna_mo_bench.py EVALS [EVALS...] [--samplers nsga2,motpe] [--seeds 1,2,3]
       [--problems ZDT1,...] [--pop 50] [--sbx-eta ETA]
--pop sets NSGAIISampler(population_size=...) (Optuna's default 50); --sbx-eta uses SBXCrossover(eta=ETA) instead of
Optuna 3.1's default UniformCrossover. Optuna's mutation is always a uniform re-draw of each parameter with
probability 1/n (Optuna 3.1 has no polynomial mutation). In-memory storage."""
import math, sys, time, statistics
import numpy as np
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)

def g30(x): return 1 + 9 * sum(x[1:]) / (len(x) - 1)
def zdt1(x): g = g30(x); return [x[0], g * (1 - math.sqrt(x[0] / g))]
def zdt2(x): g = g30(x); return [x[0], g * (1 - (x[0] / g) ** 2)]
def zdt3(x):
    g = g30(x); return [x[0], g * (1 - math.sqrt(x[0] / g) - (x[0] / g) * math.sin(10 * math.pi * x[0]))]
def dtlz2(x, m=3):
    g = sum((xi - 0.5) ** 2 for xi in x[m - 1:]); f = []
    for j in range(m):
        v = 1 + g
        for i in range(m - 1 - j): v *= math.cos(x[i] * math.pi / 2)
        if j > 0: v *= math.sin(x[m - 1 - j] * math.pi / 2)
        f.append(v)
    return f
PROBLEMS = [("ZDT1", zdt1, 30, 2, 1.21 - 1 / 3), ("ZDT2", zdt2, 30, 2, 1.21 - 2 / 3),
            ("ZDT3", zdt3, 30, 2, 1.331762), ("DTLZ2", dtlz2, 12, 3, 1.331 - math.pi / 6)]

def nondominated(p):
    p = p[np.lexsort(p.T[::-1])]; keep = []
    for q in p:
        if not any(np.all(k <= q) for k in keep[-2000:]): keep.append(q)
    return np.array(keep)

def hv2(p, r):
    p = p[np.all(p < r, axis=1)]
    if len(p) == 0: return 0.0
    p = p[np.lexsort((p[:, 1], p[:, 0]))]; hv, prev = 0.0, r[1]
    for x, y in p:
        if y < prev: hv += (r[0] - x) * (prev - y); prev = y
    return hv

def hv3(p, r):
    p = p[np.all(p < r, axis=1)]
    if len(p) == 0: return 0.0
    p = nondominated(p); p = p[np.argsort(p[:, 2])]; hv = 0.0
    for i in range(len(p)):
        z_next = p[i + 1, 2] if i + 1 < len(p) else r[2]
        if z_next > p[i, 2]: hv += hv2(p[: i + 1, :2], r[:2]) * (z_next - p[i, 2])
    return hv

def run(name, f, n, m, sampler, evals):
    st = optuna.create_study(directions=["minimize"] * m, sampler=sampler)
    st.optimize(lambda t: f([t.suggest_float(f"x{i}", 0, 1) for i in range(n)]), n_trials=evals)
    pts = np.array([t.values for t in st.trials if t.values is not None])
    r = np.full(m, 1.1)
    return hv2(pts, r) if m == 2 else hv3(pts, r)

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--"))
    samplers = opts.get("samplers", "nsga2,motpe").split(",")
    seeds = [int(s) for s in opts.get("seeds", "1,2,3").split(",")]
    problems = [p for p in PROBLEMS if p[0] in opts.get("problems", "ZDT1,ZDT2,ZDT3,DTLZ2").split(",")]
    print("optuna", optuna.__version__, "options", opts, flush=True)
    for evals in map(int, args):
        for name, f, n, m, mx in problems:
            for s in samplers:
                hvs, t0 = [], time.time()
                for seed in seeds:
                    if s == "nsga2":
                        kw = dict(population_size=int(opts.get("pop", "50")), seed=seed)
                        if "sbx-eta" in opts:
                            kw["crossover"] = optuna.samplers.nsgaii.SBXCrossover(eta=float(opts["sbx-eta"]))
                        smp = optuna.samplers.NSGAIISampler(**kw)
                    else:
                        smp = optuna.samplers.MOTPESampler(seed=seed)
                    hvs.append(run(name, f, n, m, smp, evals))
                med = statistics.median(hvs)
                print(f"optuna-{s} {name} M={m} evals={evals}: HV median {med:.6f} (seeds {[round(h, 6) for h in hvs]}) "
                      f"= {100 * med / mx:.2f}% of max {mx:.6f}; {(time.time() - t0) / len(seeds):.1f} s/run", flush=True)

"""Optuna peer for the two extra gp-bo benchmark functions (Levy-4 @ 80, Rosenbrock-4 @ 80), same protocol as
shared/peers/optuna_bench.py: median simple regret over seeds 0..9. Run with /usr/bin/python3 (Optuna 3.1)."""
import math, statistics, time
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)

def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    s = math.sin(math.pi * w[0]) ** 2
    for i in range(len(w) - 1):
        s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    return s + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)

def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))

FUNCS = [('levy4', levy, -10, 10, 4, 80), ('rosenbrock4', rosenbrock, -5, 10, 4, 80)]
for name, f, lo, hi, d, n in FUNCS:
    for sname, sf in [('random', lambda s: optuna.samplers.RandomSampler(seed=s)),
                      ('tpe', lambda s: optuna.samplers.TPESampler(seed=s))]:
        regs = []
        t0 = time.time()
        for s in range(10):
            st = optuna.create_study(sampler=sf(s))
            st.optimize(lambda tr: f([tr.suggest_float(f'x{i}', lo, hi) for i in range(d)]), n_trials=n)
            regs.append(st.best_value)
        print(f"{name} n={n} {sname}: median regret {statistics.median(regs):.4g} mean {statistics.mean(regs):.4g}  "
              f"{(time.time() - t0) / 10:.2f}s/run", flush=True)

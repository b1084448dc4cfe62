"""Optuna peer of the pruned-trial benchmark (io.sextant.engine.bo.PrunedBenchmark): the same learning-curve objective
(io.sextant.engine.bo.LearningCurves), TPE without pruning, with MedianPruner and with HyperbandPruner, sequential
trials reporting every step. Usage: /usr/bin/python3 pruned_optuna.py [seeds=0,1,2,3,4] [trials=40] [steps=20]
[budget=N] [pruners=none,median,hyperband]: with budget, each run goes on until it has spent N steps (the same step budget as ours), else it runs
`trials` trials. Prints per seed and the median final regret (best COMPLETED trial's final value - optimum)."""
import math, statistics, sys, time
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)

OPTIMUM = 0.397887357729738 / 10

def branin(x1, x2):
    a, b = 15 * x1 - 5, 15 * x2
    t = b - 5.1 / (4 * math.pi ** 2) * a * a + 5 / math.pi * a - 6
    return t * t + 10 * (1 - 1 / (8 * math.pi)) * math.cos(a) + 10

def at(x1, x2, lr, step):
    b = branin(x1, x2) / 10
    fin = b + 2 * (lr - 0.3) ** 2
    return fin + (3 + b / 2) * math.exp(-step * (0.05 + 0.6 * lr))

args = dict(a.split('=', 1) for a in sys.argv[1:])
seeds = [int(s) for s in args.get('seeds', '0,1,2,3,4').split(',')]
trials = int(args.get('trials', 40))
steps = int(args.get('steps', 20))
budget = int(args['budget']) if 'budget' in args else None

def run(pruner, seed):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed), pruner=pruner)
    spent = 0
    best = math.inf
    pruned = 0
    n = 0
    while (spent < budget) if budget else (n < trials):
        n += 1
        t = study.ask()
        x1, x2, lr = (t.suggest_float(k, 0, 1) for k in ('x1', 'x2', 'lr'))
        stopped = False
        for s in range(1, steps + 1):
            v = at(x1, x2, lr, s)
            spent += 1
            t.report(v, s)
            if t.should_prune():
                stopped = True
                break
        if stopped:
            pruned += 1
            study.tell(t, state=optuna.trial.TrialState.PRUNED)
        else:
            best = min(best, v)
            study.tell(t, v)
    return best - OPTIMUM, spent, pruned, n

pruners = [('none', lambda: optuna.pruners.NopPruner()),
           ('median', lambda: optuna.pruners.MedianPruner()),
           ('hyperband', lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=steps, reduction_factor=3))]
print(f"# optuna {optuna.__version__} TPE, {'budget %d steps' % budget if budget else '%d trials' % trials} of "
      f"{steps} steps, seeds {seeds}", flush=True)
wanted = args.get('pruners', 'none,median,hyperband').split(',')
for name, p in [x for x in pruners if x[0] in wanted]:
    res = []
    t0 = time.time()
    for seed in seeds:
        r = run(p(), seed)
        res.append(r)
        print(f"  tpe {name} seed={seed}: regret {r[0]:.4g}, steps {r[1]}, pruned {r[2]}, trials {r[3]}", flush=True)
    print(f"tpe {name}: median regret {statistics.median(r[0] for r in res):.4g} "
          f"[{', '.join('%.3g' % r[0] for r in res)}], median steps {statistics.median(r[1] for r in res):.0f}, "
          f"median trials {statistics.median(r[3] for r in res):.0f}, pruned {statistics.median(r[2] for r in res):.0f}, "
          f"{(time.time() - t0) / len(seeds):.1f} s/run", flush=True)

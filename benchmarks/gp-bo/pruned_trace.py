"""Reads `PRUNED_TRACE=1 ... PrunedBenchmark designers=gp-bo` output (one line per trial: state, params, true final,
last step, gp-bo's estimate) and prints per run: regret, the best true final among all proposed points (pruned
included), how many PRUNED trials would have ended better than the best COMPLETED one, and the estimate error
(estimate - true final) of the pruned trials. Usage: pruned_trace.py TRACE_FILE (docs/benchmarks-gp-bo.md)."""
import re, statistics as st, sys
OPT = None
runs = []; cur = []
for line in open(sys.argv[1]):
    m = re.match(r"\s+(\d+) (\w+) \{(.*)\} final ([\d.]+) last step (\d+) est (\S+)", line)
    if m:
        cur.append((int(m.group(1)), m.group(2), float(m.group(4)), int(m.group(5)), float(m.group(6)), m.group(3)))
        continue
    m = re.match(r"\s+gp-bo (\w+) seed=(\d+): regret ([\d.]+)", line)
    if m:
        runs.append((m.group(1), int(m.group(2)), float(m.group(3)), cur)); cur = []
for rule in ("none", "median", "asha"):
    rows = []
    for r, seed, regret, ts in runs:
        if r != rule: continue
        comp = [t for t in ts if t[1] == "COMPLETED"]; pr = [t for t in ts if t[1] == "PRUNED"]
        best_c = min(t[2] for t in comp)
        best_all = min(t[2] for t in ts)
        better = [t for t in pr if t[2] < best_c]
        opt = best_c - regret
        errs = [t[4] - t[2] for t in pr if t[4] == t[4]]
        rows.append((seed, regret, best_all - opt, len(comp), len(pr), len(better),
                     st.median(errs) if errs else float('nan'), st.median([abs(e) for e in errs]) if errs else float('nan'),
                     [ (t[3], round(t[2]-opt,4), round(t[4]-opt,4)) for t in better]))
    print("==", rule)
    for row in rows:
        print("seed %d regret %.4f best-proposed %.4f completed %d pruned %d pruned-better-than-best-completed %d est-final median %.4f |.| %.4f %s" % row)
    print("median regret %.4f, median best proposed (incl. pruned) %.4f, runs where a pruned trial beat the best completed: %d/%d, total such trials %d" % (
        st.median(r[1] for r in rows), st.median(r[2] for r in rows), sum(1 for r in rows if r[5]), len(rows), sum(r[5] for r in rows)))

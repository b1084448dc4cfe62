"""Reads `MO_TRACE=1 ... ExpensiveMoBenchmark ... seeds=S` output (one line per trial: objective values and the
suggestion's metadata, with `referencePoint` for ehvi) and prints how the run's front and reference point evolve:
front size and ranges, hypervolume at ref 1.1 (exact in 2-D, Monte Carlo in 3-D), the reference point in use
(recorded by ehvi; for parego recomputed with the rule of pareto.ReferencePoint: the current front's nadir + 10% of
its range, floored at ideal + 1.1 x 0.4 x the widest extent any earlier front had), the median distance from the
origin of recent trials (DTLZ2's front is the unit sphere), and where trials 101-200 went in f1.
Usage: mo_trace.py TRACE... (docs/benchmarks-mo-expensive.md, "Causes of the remaining misses, traced")."""
import math
import random
import re
import sys


def load(path):
    pts = []
    for line in open(path):
        m = re.match(r"\s+(\d+) \[([^\]]*)\] \{(.*)\}", line)
        if not m:
            continue
        rp = re.search(r"referencePoint=\[([^\]]*)\]", m.group(3))
        pts.append(([float(x) for x in m.group(2).split(",")], [float(x) for x in rp.group(1).split(",")] if rp else None))
    return pts


def front(ps):
    return sorted(p for p in ps if not any(q != p and all(a <= b for a, b in zip(q, p)) for q in ps))


def hypervolume(ps, ref):
    fr = [p for p in front(ps) if all(a < r for a, r in zip(p, ref))]
    if len(ref) == 2:
        v, prev = 0.0, ref[1]
        for x, y in fr:
            v += (ref[0] - x) * (prev - y)
            prev = y
        return v
    rnd, n, hit = random.Random(0), 100000, 0
    for _ in range(n):
        z = [rnd.random() * r for r in ref]
        hit += any(all(a <= b for a, b in zip(p, z)) for p in fr)
    return hit / n * math.prod(ref)


def inferred_ref(ps):
    m = len(ps[0])
    widest, ref = [0.0] * m, None
    for k in range(1, len(ps) + 1):
        fr = front(ps[:k])
        ideal = [min(p[j] for p in fr) for j in range(m)]
        nadir = [max(p[j] for p in fr) for j in range(m)]
        widest = [max(widest[j], nadir[j] - ideal[j]) for j in range(m)]
        ref = [max(nadir[j] + 0.1 * (nadir[j] - ideal[j]), ideal[j] + 1.1 * 0.4 * widest[j]) for j in range(m)]
    return ref


def main():
    for path in sys.argv[1:]:
        pts = load(path)
        values = [p[0] for p in pts]
        m = len(values[0])
        print("==", path)
        for at in (40, 60, 80, 100, 120, 140, 160, 180, 200):
            if at > len(values):
                break
            sub = values[:at]
            fr = front(sub)
            recorded = [p[1] for p in pts[:at] if p[1]]
            ref = recorded[-1] if recorded else inferred_ref(sub)
            radius = sorted(math.sqrt(sum(v * v for v in f)) for f in values[max(0, at - 40):at])
            print("at %3d: front %2d, ranges %s, hv(1.1) %.3f, ref %s (%s), radius of the last 40: median %.2f" % (
                at, len(fr), " ".join("[%.3f, %.3f]" % (min(p[j] for p in fr), max(p[j] for p in fr)) for j in range(m)),
                hypervolume(sub, [1.1] * m), "[" + ", ".join("%.3f" % v for v in ref) + "]",
                "recorded" if recorded else "recomputed; used only when none is given", radius[len(radius) // 2]))
        late = values[100:]
        bins = [sum(1 for f in late if i / 10 <= f[0] < (i + 1) / 10 or (i == 9 and f[0] >= 1)) for i in range(10)]
        print("f1 of trials 101-%d by tenths of [0, 1]: %s; exactly 0: %d" % (len(values), bins,
                                                                          sum(1 for f in late if f[0] == 0)))


if __name__ == "__main__":
    main()

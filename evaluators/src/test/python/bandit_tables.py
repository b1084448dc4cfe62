#!/usr/bin/env python3
"""The tables of docs/benchmarks-bandits.md from BanditBenchmark --per-seed output.

Usage: bandit_tables.py [--held-out-from 20] [--targets T] LOG...   (one LOG per family, seeds from 0)

Reads each log's "### F family: T = ..., repetitions = R (seeds a..b ...)" header and its "totals | policy | v_a ... v_b |"
lines, and prints, per family, the ratios of mean totals over all seeds and over the held-out seeds (ratio of the
summed totals, +- the sample standard deviation of the per-seed ratio, as BanditBenchmark prints them), and the
cumulative checkpoints (means over all seeds, as printed by the benchmark). --targets 600 or 5000 selects the issue 23
targets the held-out table is judged against.
"""
import re
import statistics
import sys

BEST = "best fixed arm"
STAR = "instance-optimal omega*"
GRID = "per-instance best grid arm"
ONE = "omega = 1 (Gauss-Seidel)"
TEXT = "textbook omega (the instance's plain Poisson optimum)"


def parse(path):
    family, t, first = None, None, None
    totals, cumulative = {}, {}
    in_cum = False
    for line in open(path):
        m = re.match(r"### (\S+) family: T = (\d+), repetitions = (\d+) \(seeds (\d+)\.\.(\d+)", line)
        if m:
            family, t, first = m.group(1), int(m.group(2)), int(m.group(4))
        m = re.match(r"totals \| (.+?) \| (.+) \|$", line.strip())
        if m:
            totals[m.group(1)] = [float(v) for v in m.group(2).split()]
        if line.startswith("Cumulative iterations"):
            in_cum = True
        elif in_cum and line.startswith("| ") and not line.startswith("| policy") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cumulative[cells[0]] = [float(c) for c in cells[1:]]
    if family is None:
        raise SystemExit(f"{path}: no family header (a run that did not finish?)")
    return family, t, first, totals, cumulative


def ratio(v, base, seeds):
    r = sum(v[s] for s in seeds) / sum(base[s] for s in seeds)
    per = [v[s] / base[s] for s in seeds]
    sd = statistics.stdev(per) if len(per) > 1 else 0.0
    return r, sd


def fmt(v, base, seeds):
    r, sd = ratio(v, base, seeds)
    return f"{r:.3f} +- {sd:.3f}"


def judged(v, base, seeds, target):
    r, sd = ratio(v, base, seeds)
    return f"{r:.3f} +- {sd:.3f} " + ("met" if r <= target else "**missed**")


def main(argv):
    held_from = 20
    targets = None
    paths = []
    i = 0
    while i < len(argv):
        if argv[i] == "--held-out-from":
            held_from = int(argv[i + 1])
            i += 2
        elif argv[i] == "--targets":
            targets = int(argv[i + 1])
            i += 2
        else:
            paths.append(argv[i])
            i += 1
    runs = [parse(p) for p in paths]
    print("All seeds:\n")
    print("| family | seeds | best fixed / omega* | per-instance best grid arm / omega* | textbook omega / best fixed "
          "| omega = 1 / best fixed | gp-ucb / best fixed | linucb / best fixed | linucb / omega* |")
    print("|---|---|---|---|---|---|---|---|---|")
    for family, t, first, tot, _ in runs:
        seeds = range(len(tot[BEST]))
        print(f"| {family} | {first}..{first + len(seeds) - 1} | {fmt(tot[BEST], tot[STAR], seeds)} "
              f"| {fmt(tot[GRID], tot[STAR], seeds)} | {fmt(tot[TEXT], tot[BEST], seeds)} "
              f"| {fmt(tot[ONE], tot[BEST], seeds)} | {fmt(tot['gp-ucb'], tot[BEST], seeds)} "
              f"| {fmt(tot['linucb'], tot[BEST], seeds)} | {fmt(tot['linucb'], tot[STAR], seeds)} |")
    print(f"\nHeld out (seeds {held_from}.. of each run):\n")
    if targets == 600:
        print("| family | seeds | gp-ucb / best fixed (<= 1.10) | linucb / best fixed (<= 1.08) | linucb / omega* (<= 1.15) |")
        print("|---|---|---|---|---|")
    else:
        print("| family | seeds | best fixed / omega* | gp-ucb / best fixed | linucb / best fixed | linucb / omega* (<= 1.06) |")
        print("|---|---|---|---|---|---|")
    for family, t, first, tot, _ in runs:
        seeds = [s for s in range(len(tot[BEST])) if first + s >= held_from]
        label = f"{first + seeds[0]}..{first + seeds[-1]}" if seeds else "none"
        if not seeds:
            print(f"| {family} | none |")
            continue
        if targets == 600:
            print(f"| {family} | {label} | {judged(tot['gp-ucb'], tot[BEST], seeds, 1.10)} "
                  f"| {judged(tot['linucb'], tot[BEST], seeds, 1.08)} "
                  f"| {judged(tot['linucb'], tot[STAR], seeds, 1.15)} |")
        else:
            print(f"| {family} | {label} | {fmt(tot[BEST], tot[STAR], seeds)} "
                  f"| {fmt(tot['gp-ucb'], tot[BEST], seeds)} | {fmt(tot['linucb'], tot[BEST], seeds)} "
                  f"| {judged(tot['linucb'], tot[STAR], seeds, 1.06)} |")
    print("\nCumulative iterations (mean over all seeds of the run) at the checkpoints, and the second half / omega*:\n")
    for family, t, first, tot, cum in runs:
        cols = " / ".join(f"{int(v):,}" for v in cum["linucb"])
        star = " / ".join(f"{int(v):,}" for v in cum[STAR])
        best = " / ".join(f"{int(v):,}" for v in cum[BEST])
        gp = " / ".join(f"{int(v):,}" for v in cum["gp-ucb"])
        half = (cum["linucb"][-1] - cum["linucb"][-2]) / (cum[STAR][-1] - cum[STAR][-2])
        print(f"- {family}: linucb {cols}; omega* {star}; best fixed {best}; gp-ucb {gp}; "
              f"linucb / omega* over the second half {half:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])

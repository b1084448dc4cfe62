"""What could a contextual learner reach on the BanditBenchmark families? (issue 23; not a test)

Reads the cached cost tables of BanditBenchmark (--cache DIR, T = 600, seeds 0..39) and prints, per family, totals
relative to the instance-optimal omega*:
  * best fixed arm (by mean cost, and by mean log cost);
  * the per-instance best grid arm;
  * a feature oracle: for each instance the arm with the lowest mean cost over its k nearest neighbours in feature
    space (standardized; log(contrast)) among the other 39 seeds' instances - what any learner that sees only these
    features could reach with perfect exploration - and the same choosing by mean log cost (the median target);
  * linucb's model class with full information: one ridge fit of log cost on Chebyshev T0..T6 of omega x
    (1, T1..T6 of each field) on all 20 arms of all 600 instances of a seed, then the greedy argmin (seeds 0..9);
    with pairwise field x field terms too.

Usage: python3 bandit_ceilings.py CACHE_DIR
"""
import itertools
import struct
import sys

import numpy as np
from numpy.polynomial import chebyshev as ch
from scipy.spatial import cKDTree

FAMILIES = ['high-variance', 'low-variance', 'rectangle', 'variable-coefficient', 'poisson-3d']


def load(cache, fam, seed, t=600):
    v1 = fam in ('high-variance', 'low-variance')
    b = open(f'{cache}/sor-{fam}-n10-seed{seed}-tol1e-8-cap10000-v{1 if v1 else 2}.bin', 'rb').read()
    n, _ = struct.unpack('>ii', b[:8])
    k, off = (1, 8) if v1 else (struct.unpack('>i', b[8:12])[0], 12)
    dt = np.dtype([('f', '>f8', (k,)), ('c', '>i4', (20,)), ('s', '>i4'), ('t', '>i4')])
    a = np.frombuffer(b[off:off + dt.itemsize * n], dtype=dt)
    return a['f'][:t].astype(float), a['c'][:t].astype(float), a['s'][:t].astype(float)


def cheb(x, d):
    return np.stack([ch.chebval(x, [0] * j + [1]) for j in range(d + 1)], -1)


def model_ceiling(cache, fam, seeds, inter):
    out = []
    arm = cheb(np.linspace(-1, 1, 20), 6)
    for s in seeds:
        f, c, star = load(cache, fam, s)
        x = 2 * (f - f.min(0)) / np.where(f.max(0) > f.min(0), f.max(0) - f.min(0), 1) - 1
        cols = [np.ones(len(x))] + [cheb(x[:, j], 6)[:, d] for j in range(x.shape[1]) for d in range(1, 7)]
        if inter:
            for j, k in itertools.combinations(range(x.shape[1]), 2):
                bj, bk = cheb(x[:, j], 2), cheb(x[:, k], 2)
                cols += [bj[:, 1] * bk[:, 1]]
        z = np.stack(cols, -1)
        phi = np.einsum('ic,ak->iack', z, arm).reshape(len(z), 20, -1)
        y = np.log(c)
        p = phi.reshape(-1, phi.shape[-1])
        m = y.mean()
        w = np.linalg.solve(p.T @ p + np.eye(p.shape[1]), p.T @ (y.reshape(-1) - m))
        a = (phi @ w).argmin(1)
        out.append(c[np.arange(len(c)), a].sum() / star.sum())
    return np.mean(out)


def main(cache):
    for fam in FAMILIES:
        fs, cs, ss, g = [], [], [], []
        for s in range(40):
            f, c, star = load(cache, fam, s)
            fs.append(f), cs.append(c), ss.append(star), g.append(np.full(len(star), s))
        f, c, star, g = np.vstack(fs), np.vstack(cs), np.concatenate(ss), np.concatenate(g)
        x = f.copy()
        if fam == 'variable-coefficient':
            x[:, 0] = np.log(x[:, 0])
        x = (x - x.mean(0)) / x.std(0) + 1e-6 * np.random.default_rng(0).standard_normal(x.shape)
        _, idx = cKDTree(x).query(x, k=140)
        lc = np.log(c)
        by_mean = by_log = 0.0
        for i in range(len(star)):
            nb = [j for j in idx[i] if g[j] != g[i]][:100]
            by_mean += c[i, np.argmin(c[nb].mean(0))]
            by_log += c[i, np.argmin(lc[nb].mean(0))]
        o = star.sum()
        print(f'| {fam} | {c.sum(0).min() / o:.3f} | {c[:, lc.mean(0).argmin()].sum() / o:.3f} | '
              f'{c.min(1).sum() / o:.3f} | {by_mean / o:.3f} | {by_log / o:.3f} | '
              f'{model_ceiling(cache, fam, range(10), False):.3f} | {model_ceiling(cache, fam, range(10), True):.3f} |',
              flush=True)


if __name__ == '__main__':
    print('| family | best fixed (mean cost) | best fixed (mean log cost) | per-instance best grid arm | '
          'feature oracle, mean cost | feature oracle, mean log cost | linucb model, full information | '
          'the same + field x field terms |')
    print('|---|---|---|---|---|---|---|---|')
    main(sys.argv[1])

"""numpy reference of the isoFLOP fit in src/core/fit/ (same algorithm, vectorised).

Grouping (explicit budgets or automatic mode-seeking in log C), a least-squares parabola
of loss in centred log N and in centred log D per budget (QR, not normal equations), the
vertices as per-budget optima, log-log regressions Nopt = Nc*Cmin^alpha and
Dopt = Dc*Cmin^beta, and a bootstrap that resamples runs within budgets.

Usage: python3 bench/fit_reference.py FILE [--tolerance 0.25] [--budgets 6e18,1e19,...]
       [--bootstrap 1000] [--seed 1] [--repeat 7] [--json]
It prints the point fit, the 90% intervals and the median time of the bootstrap.
The random stream differs from the TypeScript one (numpy's PCG64), so intervals agree
only to bootstrap noise; point estimates agree to rounding.
"""
import argparse
import json
import sys
import time

import numpy as np


def read_runs(path):
    data = np.genfromtxt(path, delimiter=",", names=True)
    names = data.dtype.names
    col = lambda *opts: next(data[o] for o in opts if o in names)
    n = col("params", "N")
    d = col("tokens", "D")
    loss = col("loss", "L")
    c = col("flops", "C") if ("flops" in names or "C" in names) else 6.0 * n * d
    return n.astype(float), d.astype(float), loss.astype(float), c.astype(float)


def group_explicit(log_c, budgets, tol):
    h = np.log1p(tol)
    lb = np.log(np.asarray(budgets, dtype=float))
    dist = np.abs(log_c[:, None] - lb[None, :])
    nearest = np.argmin(dist, axis=1)
    ok = dist[np.arange(len(log_c)), nearest] <= h
    groups = []
    for k in range(len(lb)):
        members = np.nonzero(ok & (nearest == k))[0]
        groups.append((float(budgets[k]), members))
    return groups


def group_auto(log_c, tol):
    h = np.log1p(tol)
    order = np.argsort(log_c, kind="stable")
    free = np.ones(len(log_c), dtype=bool)
    groups = []
    while free.any():
        idx = order[free[order]]
        u = log_c[idx]
        within = np.abs(u[:, None] - u[None, :]) <= h
        counts = within.sum(axis=1)
        best = int(np.argmax(counts))  # first (smallest log C) among the densest
        members = np.sort(idx[within[best]])
        free[members] = False
        groups.append((float(np.exp(np.mean(log_c[members]))), members))
    groups.sort(key=lambda g: g[0])
    return groups


def parabola_vertex(x, y):
    """Batched: x, y of shape (K, n). Returns (vertex, curvature) in the units of x."""
    mean = x.mean(axis=-1, keepdims=True)
    xc = x - mean
    A = np.stack([np.ones_like(xc), xc, xc * xc], axis=-1)
    q, r = np.linalg.qr(A)
    qty = np.einsum("...ji,...j->...i", q, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        # back substitution on the 3x3 triangle (a singular R gives inf/nan, masked later)
        c = qty[..., 2] / r[..., 2, 2]
        b = (qty[..., 1] - r[..., 1, 2] * c) / r[..., 1, 1]
        vertex = mean[..., 0] - b / (2 * c)
    return vertex, c


def power_law(log_c, log_y):
    """Batched over the first axis with NaN for missing budgets. Returns slope, intercept, r2."""
    w = ~np.isnan(log_y)
    cnt = w.sum(axis=-1)
    xm = np.where(w, log_c, 0).sum(-1) / cnt
    ym = np.where(w, log_y, 0).sum(-1) / cnt
    xc = np.where(w, log_c - xm[..., None], 0)
    yc = np.where(w, log_y - ym[..., None], 0)
    sxx = (xc * xc).sum(-1)
    slope = (xc * yc).sum(-1) / sxx
    intercept = ym - slope * xm
    ss_res = ((yc - slope[..., None] * xc) ** 2).sum(-1)
    ss_tot = (yc * yc).sum(-1)
    return slope, intercept, 1 - ss_res / ss_tot, cnt


def fit(n, d, loss, c, groups, k_boot, seed):
    ln_n, ln_d, ln_c = np.log(n), np.log(d), np.log(c)
    kept = []
    for budget, members in groups:
        if len(members) < 3 or len(np.unique(n[members])) < 3:
            continue
        vn, cn = parabola_vertex(ln_n[members][None], loss[members][None])
        vd, cd = parabola_vertex(ln_d[members][None], loss[members][None])
        if cn[0] <= 0 or cd[0] <= 0:
            continue
        kept.append((budget, members, vn[0], vd[0]))
    lcb = np.log([k[0] for k in kept])
    a, ia, r2a, _ = power_law(lcb, np.array([k[2] for k in kept]))
    b, ib, r2b, _ = power_law(lcb, np.array([k[3] for k in kept]))
    point = dict(alpha=a, Nc=np.exp(ia), r2N=r2a, beta=b, Dc=np.exp(ib), r2D=r2b, budgets=len(kept))

    def bootstrap():
        rng = np.random.default_rng(seed)
        vn_all = np.empty((k_boot, len(kept)))
        vd_all = np.empty((k_boot, len(kept)))
        for j, (_, members, _, _) in enumerate(kept):
            idx = members[rng.integers(0, len(members), size=(k_boot, len(members)))]
            vn, cn = parabola_vertex(ln_n[idx], loss[idx])
            vd, cd = parabola_vertex(ln_d[idx], loss[idx])
            distinct = np.sort(n[idx], axis=1)
            distinct = 1 + (np.diff(distinct, axis=1) != 0).sum(axis=1)
            bad = (distinct < 3) | ~(cn > 0) | ~(cd > 0)
            vn_all[:, j] = np.where(bad, np.nan, vn)
            vd_all[:, j] = np.where(bad, np.nan, vd)
        ba, bia, _, cnt = power_law(np.broadcast_to(lcb, vn_all.shape), vn_all)
        bb, bib, _, _ = power_law(np.broadcast_to(lcb, vd_all.shape), vd_all)
        ok = (cnt >= 2) & np.isfinite(ba) & np.isfinite(bb)
        return ba[ok], bia[ok], bb[ok], bib[ok]

    return point, bootstrap


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--tolerance", type=float, default=0.25)
    p.add_argument("--budgets")
    p.add_argument("--bootstrap", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    n, d, loss, c = read_runs(args.file)
    ln_c = np.log(c)
    groups = (group_explicit(ln_c, [float(x) for x in args.budgets.split(",")], args.tolerance)
              if args.budgets else group_auto(ln_c, args.tolerance))
    point, bootstrap = fit(n, d, loss, c, groups, args.bootstrap, args.seed)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ba, bia, bb, bib = bootstrap()
        times.append(time.perf_counter() - t0)
    q = lambda v: [float(np.quantile(v, 0.05)), float(np.quantile(v, 0.95))]
    out = dict(point={k: float(v) for k, v in point.items()},
               alphaCi=q(ba), betaCi=q(bb), resamples=int(len(ba)),
               bootstrapSecondsMedian=float(np.median(times)), repeats=args.repeat,
               numpy=np.__version__)
    if args.json:
        print(json.dumps(out))
    else:
        pt = out["point"]
        print(f"budgets kept {pt['budgets']}")
        print(f"params: Nc={pt['Nc']:.4g} alpha={pt['alpha']:.4f} 90% {out['alphaCi'][0]:.4f}-{out['alphaCi'][1]:.4f} R2={pt['r2N']:.4f}")
        print(f"tokens: Dc={pt['Dc']:.4g} beta={pt['beta']:.4f} 90% {out['betaCi'][0]:.4f}-{out['betaCi'][1]:.4f} R2={pt['r2D']:.4f}")
        print(f"bootstrap {args.bootstrap} resamples: median {out['bootstrapSecondsMedian']*1000:.1f} ms over {args.repeat} runs (numpy {np.__version__})")


if __name__ == "__main__":
    sys.exit(main())

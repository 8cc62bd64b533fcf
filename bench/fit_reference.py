"""numpy reference of the isoFLOP fit in src/core/fit/ (same algorithm, vectorised).

Grouping (explicit budgets or automatic mode-seeking in log C), a least-squares parabola
of loss in centred log N and in centred log D per budget (QR, not normal equations), the
vertices as per-budget optima, log-log regressions Nopt = Nc*Cmin^alpha and
Dopt = Dc*Cmin^beta, and a bootstrap that resamples runs within budgets.

Usage: python3 bench/fit_reference.py FILE [--tolerance 0.25] [--budgets 6e18,1e19,...]
       [--bootstrap 1000] [--seed 1] [--repeat 7] [--offset-term] [--json]
It prints the point fit, the 90% intervals and the median time of the bootstrap;
--bootstrap 0 prints the point fit only (no intervals, no timing).
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
    """Modes of a Gaussian kernel density of ln C (bandwidth ln(1+t)/2, grid step sigma/20);
    each run joins the nearest mode within ln(1+t); budget = geometric mean of its runs."""
    h = np.log1p(tol)
    sigma = h / 2
    low, high = log_c.min() - h, log_c.max() + h
    step = max(sigma / 20, (high - low) / 200000)
    grid = low + step * np.arange(int(np.floor((high - low) / step)) + 1)
    z = (log_c[None, :] - grid[:, None]) / sigma
    dens = np.where(np.abs(z) <= 4, np.exp(-0.5 * z * z), 0).sum(axis=1)
    left = np.concatenate([[0.0], dens[:-1]])
    right = np.concatenate([dens[1:], [0.0]])
    modes = grid[(dens > 0) & (dens > left) & (dens >= right)]
    dist = np.abs(log_c[:, None] - modes[None, :])
    nearest = np.argmin(dist, axis=1)
    ok = dist[np.arange(len(log_c)), nearest] <= h
    groups = []
    for k in range(len(modes)):
        members = np.nonzero(ok & (nearest == k))[0]
        if len(members):
            groups.append((float(np.exp(np.mean(log_c[members]))), members))
    return groups


def distinct_sizes(x):
    """Number of distinct values along the last axis (values within 1e-9 are one)."""
    s = np.sort(x, axis=-1)
    return 1 + (np.diff(s, axis=-1) > 1e-9).sum(axis=-1)


def parabola_vertex(x, y, z=None):
    """Batched: x, y (and offsets z) of shape (K, n). Loss ~ c0 + c1 t + c2 t^2 (+ c3 zs) with
    t the centred, scaled x. Returns (vertex, ok) with ok False for the same failures as
    parabola.ts: < 3 distinct sizes, curvature <= 1e-10 of the loss scale, vertex further
    outside than the range."""
    mean = x.mean(axis=-1, keepdims=True)
    sd = np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (x - mean) / sd
        cols = [np.ones_like(t), t, t * t]
        if z is not None:
            zm = z.mean(axis=-1, keepdims=True)
            zs = np.sqrt(((z - zm) ** 2).mean(axis=-1, keepdims=True))
            use = (zs[..., 0] > 1e-9) & (x.shape[-1] >= 5)
            cols.append(np.where(use[..., None], (z - zm) / zs, 0))
        A = np.stack(cols, axis=-1)
        p = A.shape[-1]
        if z is not None:
            # a batch without the offset column gets an identity row block instead (same fit)
            A = A.copy()
            A[~use, :, 3] = 0
        q, r = np.linalg.qr(A)
        qty = np.einsum("...ji,...j->...i", q, y)
        coef = np.empty(qty.shape)
        for k in range(p - 1, -1, -1):
            acc = qty[..., k].copy()
            for j in range(k + 1, p):
                acc -= r[..., k, j] * coef[..., j]
            coef[..., k] = acc / r[..., k, k]
        if z is not None:
            coef[~use, 3] = 0
            # recompute c0..c2 for batches without the offset column (3-column fit)
            if (~use).any():
                q3, r3 = np.linalg.qr(A[~use][..., :3])
                qty3 = np.einsum("...ji,...j->...i", q3, y[~use])
                c2 = qty3[..., 2] / r3[..., 2, 2]
                c1 = (qty3[..., 1] - r3[..., 1, 2] * c2) / r3[..., 1, 1]
                coef[~use, 1] = c1
                coef[~use, 2] = c2
        c1, c2 = coef[..., 1], coef[..., 2]
        vertex = mean[..., 0] + sd[..., 0] * (-c1 / (2 * c2))
    lo, hi = x.min(axis=-1), x.max(axis=-1)
    width = hi - lo
    ok = (distinct_sizes(x) >= 3) & (sd[..., 0] > 1e-9) & (c2 > 1e-10 * np.abs(y).max(axis=-1)) & (vertex >= lo - width) & (vertex <= hi + width)
    return vertex, ok


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


def fit(n, d, loss, c, groups, k_boot, seed, offset_term=False):
    ln_n, ln_d, ln_c = np.log(n), np.log(d), np.log(c)
    kept = []
    for budget, members in groups:
        if len(members) < 3:
            continue
        z = (ln_c[members] - np.log(budget))[None] if offset_term else None
        vn, okn = parabola_vertex(ln_n[members][None], loss[members][None], z)
        vd, okd = parabola_vertex(ln_d[members][None], loss[members][None], z)
        if not (okn[0] and okd[0]):
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
        for j, (budget, members, _, _) in enumerate(kept):
            idx = members[rng.integers(0, len(members), size=(k_boot, len(members)))]
            z = ln_c[idx] - np.log(budget) if offset_term else None
            vn, okn = parabola_vertex(ln_n[idx], loss[idx], z)
            vd, okd = parabola_vertex(ln_d[idx], loss[idx], z)
            vn_all[:, j] = np.where(okn, vn, np.nan)
            vd_all[:, j] = np.where(okd, vd, np.nan)
        ba, bia, _, cnt_a = power_law(np.broadcast_to(lcb, vn_all.shape), vn_all)
        bb, bib, _, cnt_b = power_law(np.broadcast_to(lcb, vd_all.shape), vd_all)
        ok = (cnt_a >= 2) & (cnt_b >= 2)
        return ba[ok], bia[ok], bb[ok], bib[ok]

    return point, bootstrap, kept


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--tolerance", type=float, default=0.25)
    p.add_argument("--budgets")
    p.add_argument("--bootstrap", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--json", action="store_true")
    p.add_argument("--offset-term", action="store_true")
    args = p.parse_args()
    n, d, loss, c = read_runs(args.file)
    ln_c = np.log(c)
    groups = (group_explicit(ln_c, [float(x) for x in args.budgets.split(",")], args.tolerance)
              if args.budgets else group_auto(ln_c, args.tolerance))
    point, bootstrap, kept = fit(n, d, loss, c, groups, args.bootstrap, args.seed, args.offset_term)
    out = dict(point={k: int(v) if k == "budgets" else float(v) for k, v in point.items()}, numpy=np.__version__)
    if args.bootstrap > 0:
        times = []
        totals = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ba, bia, bb, bib = bootstrap()
            times.append(time.perf_counter() - t0)
            # the whole fit: grouping, per-budget parabolas, power laws and the bootstrap
            t0 = time.perf_counter()
            groups_again = (group_explicit(ln_c, [float(x) for x in args.budgets.split(",")], args.tolerance)
                            if args.budgets else group_auto(ln_c, args.tolerance))
            fit(n, d, loss, c, groups_again, args.bootstrap, args.seed, args.offset_term)[1]()
            totals.append(time.perf_counter() - t0)
        q = lambda v: [float(np.quantile(v, 0.05)), float(np.quantile(v, 0.95))] if len(v) else None
        out.update(alphaCi=q(ba), betaCi=q(bb), NcCi=[float(np.exp(x)) for x in q(bia)] if len(bia) else None,
                   DcCi=[float(np.exp(x)) for x in q(bib)] if len(bib) else None, resamples=int(len(ba)),
                   bootstrapSecondsMedian=float(np.median(times)), fitSecondsMedian=float(np.median(totals)),
                   repeats=args.repeat)
    # the budgets kept, as the fit grouped them (automatic grouping: the geometric mean of each group's C)
    out["budgetFlops"] = [float(k[0]) for k in kept]
    if args.json:
        print(json.dumps(out))
    else:
        pt = out["point"]
        ci = lambda key: f" 90% {out[key][0]:.4f}-{out[key][1]:.4f}" if out.get(key) else ""
        print(f"budgets kept {pt['budgets']}")
        print(f"params: Nc={pt['Nc']:.4g} alpha={pt['alpha']:.4f}{ci('alphaCi')} R2={pt['r2N']:.4f}")
        print(f"tokens: Dc={pt['Dc']:.4g} beta={pt['beta']:.4f}{ci('betaCi')} R2={pt['r2D']:.4f}")
        if args.bootstrap > 0:
            print(f"bootstrap {args.bootstrap} resamples: median {out['bootstrapSecondsMedian']*1000:.1f} ms, whole fit "
                  f"{out['fitSecondsMedian']*1000:.1f} ms, over {args.repeat} runs (numpy {np.__version__})")


if __name__ == "__main__":
    sys.exit(main())

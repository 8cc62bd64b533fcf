"""numpy/scipy reference of the approach-3 fit in src/core/fit/parametric.ts.

L(N, D) = E + A/N^alpha + B/D^beta with A = e^a, B = e^b, E = e^e; the objective is the SUM
over runs of Huber_delta(LSE(a - alpha ln N, b - beta ln D, e) - ln L), delta = 1e-3
(Hoffmann et al. 2022 appendix D.2, corrected by Besiroglu et al. 2024). scipy's L-BFGS-B
(no bounds) with the analytic gradient from every point of Hoffmann's grid
(a, b in {0, 5, ..., 25}, e in {-1, -0.5, ..., 1}, alpha, beta in {0, 0.5, ..., 2}), with
SciPy's default tolerances (gtol 1e-5, ftol 2.2e-9) and at most 1000 iterations; the five
best distinct results (max |x - x'| > 1e-3) are polished by Newton steps with the analytic
Hessian (each kept only when it lowers the objective, or keeps it and lowers the
gradient), and the best polished optimum is the fit.

Bootstrap: each resample (runs drawn with replacement, as a count per run) is refitted
from the full fit's optimum by the same damped Newton steps; should they stall above the
gradient tolerance, L-BFGS-B from where they stopped and Newton again.
The random stream is numpy's PCG64, not moeplan's xoshiro128**, so intervals agree only
to bootstrap noise; the point fit agrees to rounding.

Usage: python3 bench/parametric_reference.py FILE [--bootstrap 100] [--seed 1]
       [--repeat 1] [--json]
"""
import argparse
import itertools
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize

DELTA = 1e-3
GRID = dict(
    a=np.arange(0, 30, 5.0),
    b=np.arange(0, 30, 5.0),
    e=np.arange(-1, 1.5, 0.5),
    alpha=np.arange(0, 2.5, 0.5),
    beta=np.arange(0, 2.5, 0.5),
)


def read_runs(path):
    data = np.genfromtxt(path, delimiter=",", names=True)
    names = data.dtype.names
    col = lambda *opts: next(data[o] for o in opts if o in names)
    return col("params", "N").astype(float), col("tokens", "D").astype(float), col("loss", "L").astype(float)


def terms(x, ln_n, ln_d):
    a, b, e, alpha, beta = x
    u = np.stack([a - alpha * ln_n, b - beta * ln_d, np.full_like(ln_n, e)])
    top = u.max(axis=0)
    p = np.exp(u - top)
    s = p.sum(axis=0)
    return u, top, p / s, top + np.log(s)


def objective(x, ln_n, ln_d, ln_l, w):
    _, _, p, lse = terms(x, ln_n, ln_d)
    r = lse - ln_l
    inside = np.abs(r) <= DELTA
    f = np.where(inside, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA))
    psi = np.clip(r, -DELTA, DELTA) * w
    g = np.array([psi @ p[0], psi @ p[1], psi @ p[2], -(psi * p[0]) @ ln_n, -(psi * p[1]) @ ln_d])
    return float(w @ f), g


def hessian(x, ln_n, ln_d, ln_l, w):
    _, _, p, lse = terms(x, ln_n, ln_d)
    r = lse - ln_l
    inside = np.abs(r) <= DELTA
    psi = np.clip(r, -DELTA, DELTA)
    n = len(ln_n)
    # J: d u / d x, shape (n, 3, 5)
    J = np.zeros((n, 3, 5))
    J[:, 0, 0] = 1
    J[:, 0, 3] = -ln_n
    J[:, 1, 1] = 1
    J[:, 1, 4] = -ln_d
    J[:, 2, 2] = 1
    pt = p.T  # (n, 3)
    pp = pt[:, :, None] * pt[:, None, :]
    M = inside[:, None, None] * pp + psi[:, None, None] * (np.einsum("ij,jk->ijk", pt, np.eye(3)) - pp)
    return np.einsum("n,nji,njk,nkl->il", w, J, M, J)


def polish(x, args):
    """Damped Newton: solve (H + lambda*h*I) s = g with lambda = 0, 1e-8, 1e-4, 1 (h the
    largest diagonal entry) until s is a descent direction, then take the first step of
    1, 1/2, 1/4, ... (20 tries) along -s that lowers f (or keeps it within 1e-14 and lowers
    the gradient); stop when max |g| <= 1e-12 or no step helps (at most 100 steps)."""
    f, g = objective(x, *args)
    gn = np.abs(g).max()
    for _ in range(100):
        if gn <= 1e-12:
            break
        H = hessian(x, *args)
        scale = H.diagonal().max()
        accepted = False
        for damping in range(4):
            lam = 0.0 if damping == 0 else scale * 10.0 ** (4 * damping - 12)
            try:
                s = np.linalg.solve(H + lam * np.eye(5), g)
            except np.linalg.LinAlgError:
                continue
            if not (np.all(np.isfinite(s)) and s @ g > 0):
                continue
            t = 1.0
            for _ in range(20):
                xt = x - t * s
                ft, gt = objective(xt, *args)
                gtn = np.abs(gt).max()
                if ft < f or (ft <= f + 1e-14 * abs(f) and gtn < gn):
                    x, f, g, gn = xt, ft, gt, gtn
                    accepted = True
                    break
                t /= 2
            if accepted:
                break
        if not accepted:
            break
    return x, f, gn


def descend(x0, args):
    r = minimize(objective, x0, args=args, jac=True, method="L-BFGS-B", options=dict(gtol=1e-5, ftol=2.2e-9, maxiter=1000))
    return r.x, r.fun


def fit(ln_n, ln_d, ln_l, w):
    args = (ln_n, ln_d, ln_l, w)
    starts = [np.array(s) for s in itertools.product(GRID["a"], GRID["b"], GRID["e"], GRID["alpha"], GRID["beta"])]
    results = []
    for i, s in enumerate(starts):
        x, f = descend(s, args)
        if np.isfinite(f):
            results.append((f, i, x))
    results.sort(key=lambda t: (t[0], t[1]))
    chosen = []
    for f, i, x in results:
        if len(chosen) >= 5:
            break
        if all(np.abs(c[2] - x).max() > 1e-3 for c in chosen):
            chosen.append((f, i, x))
    best = None
    for f, i, x in chosen:
        xp, fp, gn = polish(x, args)
        if best is None or fp < best[1]:
            best = (xp, fp, gn, i)
    return best, len(starts)


def bootstrap(best_x, ln_n, ln_d, ln_l, k, seed):
    rng = np.random.default_rng(seed)
    n = len(ln_n)
    out = []
    for _ in range(k):
        w = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)
        args = (ln_n, ln_d, ln_l, w)
        xp, fp, gn = polish(best_x, args)
        if gn > 1e-12:
            x2, f2, _ = polish(descend(xp, args)[0], args)
            if f2 < fp:
                xp, fp = x2, f2
        if np.all(np.isfinite(xp)) and np.isfinite(fp):
            out.append(xp)
    return np.array(out)


def describe(x):
    a, b, e, alpha, beta = x
    A, B, E = np.exp(a), np.exp(b), np.exp(e)
    s = alpha + beta
    return dict(E=E, A=A, B=B, alpha=alpha, beta=beta, a=beta / s, b=alpha / s, G=(alpha * A / (beta * B)) ** (1 / s))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--bootstrap", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--confidence", type=float, default=0.9)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    n, d, loss = read_runs(args.file)
    ln_n, ln_d, ln_l = np.log(n), np.log(d), np.log(loss)
    w = np.ones_like(ln_n)
    fit_times, boot_times, fit_cpu, boot_cpu = [], [], [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        (x, f, gn, start), starts = fit(ln_n, ln_d, ln_l, w)
        fit_times.append(time.perf_counter() - t0)
        fit_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        samples = bootstrap(x, ln_n, ln_d, ln_l, args.bootstrap, args.seed) if args.bootstrap > 0 else np.empty((0, 5))
        boot_times.append(time.perf_counter() - t0)
        boot_cpu.append(time.process_time() - c0)
    point = {k: float(v) for k, v in describe(x).items()}
    pred = point["E"] + point["A"] / n ** point["alpha"] + point["B"] / d ** point["beta"]
    r2 = 1 - ((loss - pred) ** 2).sum() / ((loss - loss.mean()) ** 2).sum()
    tail = (1 - args.confidence) / 2
    intervals = {}
    if len(samples):
        described = [describe(s) for s in samples]
        for key in ["E", "A", "B", "alpha", "beta", "a", "b"]:
            v = np.array([s[key] for s in described])
            intervals[key] = [float(np.quantile(v, tail)), float(np.quantile(v, 1 - tail))]
    out = dict(
        point=point, objective=f, gradientNorm=float(gn), r2=float(r2), runs=int(len(n)), starts=starts,
        bestStart=[float(v) for v in itertools.islice(itertools.product(GRID["a"], GRID["b"], GRID["e"], GRID["alpha"], GRID["beta"]), start, start + 1).__next__()],
        intervals=intervals, resamples=int(len(samples)), seed=args.seed, confidence=args.confidence,
        fitSecondsMedian=float(np.median(fit_times)), bootstrapSecondsMedian=float(np.median(boot_times)),
        fitCpuMedian=float(np.median(fit_cpu)), bootstrapCpuMedian=float(np.median(boot_cpu)),
        repeats=args.repeat, numpy=np.__version__, scipy=scipy.__version__,
    )
    if args.json:
        print(json.dumps(out))
    else:
        print(f"E={point['E']:.6g} A={point['A']:.6g} B={point['B']:.6g} alpha={point['alpha']:.6g} beta={point['beta']:.6g}")
        print(f"a={point['a']:.6g} b={point['b']:.6g} G={point['G']:.6g} objective={f:.8g} |g|={gn:.3g} R2={r2:.5f}")
        for key, (lo, hi) in intervals.items():
            print(f"  {key}: {lo:.6g} - {hi:.6g}")
        print(f"fit {np.median(fit_times):.2f} s ({starts} starts), bootstrap {np.median(boot_times):.2f} s ({args.bootstrap} resamples)")


if __name__ == "__main__":
    sys.exit(main())

"""History matching with Gaussian-process emulators: the engine-free part of scripts/calibrate.py.

Implausibility, emulators (scikit-learn's GaussianProcessRegressor on the residuals of a linear
fit), leave-one-out diagnostics, Latin hypercube designs and a maximin subset. Inputs are in the
unit cube; docs/calibration.md gives the method and its choices.
"""
import json
import os
import tempfile
import warnings

import numpy as np
from scipy.linalg import cho_solve
from scipy.stats import qmc
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel


def implausibility_obs(mean, var_em, z, var_obs, var_md, var_rep):
    """|z - E[f(x)]| over the sd of everything that separates the figure from the emulated mean:
    emulator, observation, model discrepancy and one run's stochastic spread (the world is one
    realisation)."""
    return np.abs(z - mean) / np.sqrt(var_em + var_obs + var_md + var_rep)


def implausibility_interval(mean, var, lo, hi):
    """Distance of the emulated mean outside [lo, hi] in sd units (0 inside): for the facts'
    criteria, which are on the model's mean."""
    d = np.maximum(0.0, np.maximum(lo - mean, mean - hi))
    # Inside the interval is 0 even when the output never varies (var 0); outside, infinite.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, d / np.sqrt(var), 0.0)


def lhs(n, d, seed):
    return qmc.LatinHypercube(d=d, seed=seed).random(n)


def maximin_subset(points, k, seed):
    """k of `points` spread out (greedy farthest point from a random start): a design that
    covers the non-implausible region instead of clustering where the sampler was dense."""
    points = np.asarray(points)
    if len(points) <= k:
        return np.arange(len(points))
    rng = np.random.default_rng(seed)
    chosen = [int(rng.integers(len(points)))]
    dist = np.sum((points - points[chosen[0]]) ** 2, axis=1)
    for _ in range(k - 1):
        j = int(np.argmax(dist))
        chosen.append(j)
        dist = np.minimum(dist, np.sum((points - points[j]) ** 2, axis=1))
    return np.array(chosen)


def _lbfgs(obj_func, initial_theta, bounds):
    """sklearn's optimiser with an iteration cap: beyond ~80 steps the marginal likelihood of
    these emulators barely moves, and a wave fits 28 of them."""
    from scipy.optimize import minimize
    r = minimize(obj_func, initial_theta, method="L-BFGS-B", jac=True, bounds=bounds,
                 options={"maxiter": 80})
    return r.x, r.fun


class Emulator:
    """E[f(x)] as a linear trend plus a zero-mean GP (squared exponential, one length scale per
    input, a fitted nugget), with each training point's own noise variance (the variance of a
    mean over replicates) as sklearn's per-point `alpha`."""

    def __init__(self, seed=0):
        self.seed = seed

    def fit(self, X, y, noise_var, theta=None):
        X, y = np.asarray(X, float), np.asarray(y, float)
        n, d = X.shape
        A = np.column_stack([np.ones(n), X])
        self.beta = np.linalg.lstsq(A, y, rcond=None)[0]
        r = y - A @ self.beta
        self.scale = float(np.std(r)) or 1.0
        rs = r / self.scale
        alpha = np.maximum(np.asarray(noise_var, float) / self.scale**2, 1e-8)
        kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(d, 0.5), (1e-2, 1e2))
                  + WhiteKernel(1e-3, (1e-8, 1.0)))
        if theta is not None:  # a wave's saved fit: the same emulator without re-optimising
            kernel = kernel.clone_with_theta(np.asarray(theta))
        self.gp = GaussianProcessRegressor(kernel, alpha=alpha, normalize_y=False,
                                           optimizer=None if theta is not None else _lbfgs,
                                           random_state=self.seed)
        with warnings.catch_warnings():
            # A length scale at its upper bound means an input with no effect: expected here.
            warnings.simplefilter("ignore")
            self.gp.fit(X, rs)
        self.X, self.y, self.noise_var = X, y, np.asarray(noise_var, float)
        return self

    @property
    def theta(self):
        return self.gp.kernel_.theta.tolist()

    def predict(self, X):
        X = np.asarray(X, float)
        m, s = self.gp.predict(X, return_std=True)
        trend = np.column_stack([np.ones(len(X)), X]) @ self.beta
        return trend + m * self.scale, (s * self.scale) ** 2

    def loo(self):
        """Leave-one-out predictions at fixed hyperparameters (closed form): standardised errors
        (y_i - mean_-i) / sd_-i, which should mostly lie within +-3, and the RMSE."""
        K_inv = cho_solve((self.gp.L_, True), np.eye(len(self.X)))
        a = self.gp.alpha_
        d = np.diag(K_inv)
        err = a / d * self.scale
        sd = np.sqrt(1.0 / d) * self.scale
        return err / sd, float(np.sqrt(np.mean(err**2)))

    def to_dict(self):
        return {"theta": self.theta, "seed": self.seed}

    @classmethod
    def from_dict(cls, d, X, y, noise_var):
        return cls(d["seed"]).fit(X, y, noise_var, theta=d["theta"])


def atomic_write_bytes(path, data):
    """Writes to a temporary file of the same folder, then renames: a killed run leaves either
    the old file or the new one, never half of one."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_json(path, obj):
    atomic_write_bytes(path, (json.dumps(obj, indent=1) + "\n").encode())


def atomic_write_npz(path, **arrays):
    import io
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())

"""Batch matching: as many people matched as possible, then the best total compatibility, within every capacity.

A min-cost max-flow on source → seeker (1) → supporter (score) → sink (capacity), solved with OR-Tools.
Scores are compared in thousandths (the scores are rounded to 3 places), so the optimum is exact.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

SCALE = 1000


def solve(
    n_seekers: int, capacities: np.ndarray, seekers: np.ndarray, supporters: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """Indices of the chosen candidate edges."""
    m = len(capacities)
    if len(seekers) == 0 or n_seekers == 0 or m == 0:
        return np.zeros(0, dtype=np.int64)
    source, sink = 0, 1 + n_seekers + m
    flow = min_cost_flow.SimpleMinCostFlow()
    seeker_nodes = np.arange(1, 1 + n_seekers, dtype=np.int32)
    supporter_nodes = np.arange(1 + n_seekers, 1 + n_seekers + m, dtype=np.int32)
    # Edge arcs first, so their arc ids are 0..E-1.
    unit = np.rint(np.asarray(scores, dtype=np.float64) * SCALE).astype(np.int64)
    edge_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        (1 + np.asarray(seekers)).astype(np.int32),
        (1 + n_seekers + np.asarray(supporters)).astype(np.int32),
        np.ones(len(seekers), dtype=np.int64),
        (SCALE - unit).astype(np.int64),  # non-negative: every matched person uses exactly one such arc
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_seekers, source, dtype=np.int32),
        seeker_nodes,
        np.ones(n_seekers, dtype=np.int64),
        np.zeros(n_seekers, dtype=np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        supporter_nodes,
        np.full(m, sink, dtype=np.int32),
        np.maximum(0, np.asarray(capacities)).astype(np.int64),
        np.zeros(m, dtype=np.int64),
    )
    # Offer one unit per seeker; the solver sends as much as fits (max flow) at the least cost.
    flow.set_node_supply(source, n_seekers)
    flow.set_node_supply(sink, -n_seekers)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The matching solver stopped early (status {status}).")
    flows = flow.flows(np.asarray(edge_arcs))
    return np.nonzero(flows > 0)[0]


def greedy(
    n_seekers: int, capacities: np.ndarray, seekers: np.ndarray, supporters: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """The obvious baseline: best pairs first. Used by the benchmark to show what the solver gains."""
    left = np.array(capacities, dtype=np.int64)
    taken = np.zeros(n_seekers, dtype=bool)
    chosen = []
    for e in np.argsort(-np.asarray(scores), kind="stable"):
        s, t = seekers[e], supporters[e]
        if not taken[s] and left[t] > 0:
            taken[s] = True
            left[t] -= 1
            chosen.append(e)
    return np.array(chosen, dtype=np.int64)


def lp_reference(
    n_seekers: int, capacities: np.ndarray, seekers: np.ndarray, supporters: np.ndarray, scores: np.ndarray
) -> tuple[int, float]:
    """An exact reference with SciPy's LP (HiGHS dual simplex). The constraint matrix of a bipartite b-matching is
    totally unimodular, so the LP optimum is integral: the exact optimum of the same problem.

    The same objective as the solver: each match is worth B plus its score in thousandths, with B larger than any
    possible total of scores (1000 per person), so one more person matched always beats any gain in score.
    Returns (number matched, total score).
    """
    from scipy import sparse
    from scipy.optimize import linprog

    e = len(seekers)
    if e == 0:
        return 0, 0.0
    cols = np.arange(e)
    a = sparse.vstack(
        [
            sparse.csr_matrix((np.ones(e), (np.asarray(seekers), cols)), shape=(n_seekers, e)),
            sparse.csr_matrix((np.ones(e), (np.asarray(supporters), cols)), shape=(len(capacities), e)),
        ]
    ).tocsc()
    b = np.concatenate([np.ones(n_seekers), np.asarray(capacities, dtype=np.float64)])
    unit = np.rint(np.asarray(scores, dtype=np.float64) * SCALE)
    big = float(SCALE * (n_seekers + 1))
    result = linprog(-(big + unit), A_ub=a, b_ub=b, bounds=(0, None), method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"The reference LP did not solve: {result.message}")
    x = np.clip(np.round(result.x), 0, 1)  # integral up to tolerance
    return int(x.sum()), float((unit * x).sum()) / SCALE

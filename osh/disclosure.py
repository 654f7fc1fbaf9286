"""Disclosure control of public tables: primary and secondary cell suppression of two-way tables with margins.

Rules (written down for the statistician):
- A cell is *empty* when no enterprise (and no worker) is in it: published as "no_data", never as zero.
- Primary suppression: a non-empty cell with fewer than 3 enterprises, or where one enterprise holds
  more than 85 % of the cell's workers (the register's employees), is "confidential".
- Secondary suppression: a table R x C with its row totals, column totals and grand total is a set of
  linear equations (each row and each column sums to its total). Writing the table as a bipartite graph
  (one node per row, including the totals row, one per column, including the totals column; every cell,
  margins included, an edge), the values of the suppressed cells are determined only up to cycles of
  suppressed cells, so a suppressed cell can be recomputed exactly iff it is a *bridge* of the suppressed
  subgraph. Secondary suppression therefore adds, for each such bridge, the cheapest path of further
  cells (cost = the cell's workers, margins much dearer, the grand total dearest) that closes a cycle
  through it, until no suppressed cell is a bridge. Empty cells are never used as complements (their
  zero is public knowledge).
- A table on another region basis (harmonised) whose cells are sums of current-basis cells is derived
  from the protected current table: a derived cell is confidential iff one of its parts is, so it adds no
  equation that the current table does not already give.
Known limitation: the criterion is exact recovery of a single cell; sums of several suppressed cells and
bounds from non-negativity may still be derivable (as with the usual "at least two per line" practice).
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np

MIN_ENTERPRISES = 3
DOMINANCE = 0.85

OK = "ok"
CONFIDENTIAL = "confidential"
NO_DATA = "no_data"


def primary(
    enterprises: np.ndarray, workers: np.ndarray, largest: np.ndarray, *, min_enterprises: int = MIN_ENTERPRISES, dominance: float = DOMINANCE
) -> np.ndarray:
    """Cells that must be hidden on their own: 1..min_enterprises-1 enterprises, or one enterprise with more
    than `dominance` of the workers. Cells with an unknown enterprise count (published aggregates) pass."""
    e = np.asarray(enterprises, dtype=float)
    w = np.asarray(workers, dtype=float)
    m = np.asarray(largest, dtype=float)
    few = (e > 0) & (e < min_enterprises)
    with np.errstate(invalid="ignore"):
        dominant = (e > 0) & (w > 0) & (m > dominance * w)
    return np.asarray(few | dominant, dtype=bool)


def _edges(shape: tuple[int, int]) -> list[tuple[int, int]]:
    return [(i, j) for i in range(shape[0]) for j in range(shape[1])]


def bridges(suppressed: np.ndarray) -> np.ndarray:
    """Suppressed cells of an extended table (last row = column totals, last column = row totals) whose value
    follows exactly from the published cells: bridges of the bipartite row/column graph of suppressed cells."""
    s = np.asarray(suppressed, dtype=bool)
    rows = s.shape[0]
    adj: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(s), strict=True)]
    for i, j in cells:
        adj[i].append((rows + j, (i, j)))
        adj[rows + j].append((i, (i, j)))
    out = np.zeros_like(s)
    # Tarjan's bridge-finding, iterative (graphs are small: at most ~(R+1)(C+1) edges)
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    timer = 0
    for root in list(adj):
        if root in disc:
            continue
        disc[root] = low[root] = timer
        timer += 1
        stack: list[tuple[int, tuple[int, int] | None, int]] = [(root, None, 0)]
        while stack:
            node, via, k = stack[-1]
            if k < len(adj[node]):
                stack[-1] = (node, via, k + 1)
                nxt, edge = adj[node][k]
                if edge == via:
                    continue
                if nxt in disc:
                    low[node] = min(low[node], disc[nxt])
                else:
                    disc[nxt] = low[nxt] = timer
                    timer += 1
                    stack.append((nxt, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent] and via is not None:
                        out[via] = True
    return out


def recoverable(suppressed: np.ndarray) -> np.ndarray:
    """Alias of bridges(): True for a suppressed cell that can be recomputed from the published cells."""
    return bridges(suppressed)


def _cheapest_path(
    start: int, goal: int, rows: int, cols: int, cost: np.ndarray, usable: np.ndarray, suppressed: np.ndarray, skip: tuple[int, int]
) -> list[tuple[int, int]] | None:
    """Dijkstra from row-node `start` to column-node `goal` over usable cells (suppressed ones cost 0)."""
    dist = {start: 0.0}
    prev: dict[int, tuple[int, tuple[int, int]]] = {}
    heap = [(0.0, start)]
    while heap:
        d, node = heapq.heappop(heap)
        if node == goal:
            break
        if d > dist.get(node, np.inf):
            continue
        if node < rows:
            steps = (((node, j), rows + j) for j in range(cols))
        else:
            j = node - rows
            steps = (((i, j), i) for i in range(rows))
        for cell, nxt in steps:
            if cell == skip or not usable[cell]:
                continue
            nd = d + (0.0 if suppressed[cell] else float(cost[cell]))
            if nd < dist.get(nxt, np.inf):
                dist[nxt] = nd
                prev[nxt] = (node, cell)
                heapq.heappush(heap, (nd, nxt))
    if goal not in dist:
        return None
    path: list[tuple[int, int]] = []
    node = goal
    while node != start:
        node, cell = prev[node]
        path.append(cell)
    return path


def secondary(primary_ext: np.ndarray, cost_ext: np.ndarray, empty_ext: np.ndarray, *,
              unpublished: np.ndarray | None = None) -> np.ndarray:
    """Secondary suppression of an extended table (last row/column = totals): returns the full suppressed
    mask such that no suppressed cell is recoverable from the published ones.

    `unpublished`: cells that are never published at all (e.g. the interior of a table of which only the
    margins are published). They are unknowns like suppressed cells (free complements), but one that passed
    the primary test need not be protected itself: its value may well follow from the published margins."""
    usable = ~np.asarray(empty_ext, dtype=bool)
    s = np.asarray(primary_ext, dtype=bool) & usable
    free = np.zeros_like(s) if unpublished is None else np.asarray(unpublished, dtype=bool) & usable & ~s
    s = s | free
    rows, cols = s.shape
    cost = np.asarray(cost_ext, dtype=float)
    for _ in range(rows * cols + 1):
        br = bridges(s) & ~free
        if not br.any():
            return s
        # close the cycle of the most valuable bridge first (its complements tend to protect others)
        cand = list(zip(*np.nonzero(br), strict=True))
        i, j = max(cand, key=lambda c: (cost[c], c))
        path = _cheapest_path(int(i), rows + int(j), rows, cols, cost, usable, s, (int(i), int(j)))
        if path is None:  # cannot happen while margins of a non-empty cell are non-empty; hide the line then
            s[i, :] |= usable[i, :]
            s[:, j] |= usable[:, j]
            continue
        for cell in path:
            s[cell] = True
    return s


def extended_cost(values: np.ndarray, *, margin_factor: float = 100.0) -> np.ndarray:
    """Complement cost: the cell's size (+1 so every cell costs something), margins dearer, the grand total
    dearest. `values` is the extended table (last row/column = totals)."""
    c = np.asarray(values, dtype=float).copy()
    c = np.nan_to_num(c, nan=0.0) + 1.0
    c[-1, :] *= margin_factor
    c[:, -1] *= margin_factor
    c[-1, -1] = 1e18
    return c


def protect_table(
    enterprises: np.ndarray, workers: np.ndarray, largest: np.ndarray, *, cost: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Primary + secondary suppression of an extended table given per-cell enterprises, workers and the
    largest enterprise's workers. Returns (suppressed, empty) masks of the extended shape."""
    e = np.nan_to_num(np.asarray(enterprises, dtype=float))
    w = np.nan_to_num(np.asarray(workers, dtype=float))
    empty = (e <= 0) & (w <= 0)
    p = primary(enterprises, workers, largest)
    s = secondary(p, extended_cost(w) if cost is None else cost, empty)
    return s, empty

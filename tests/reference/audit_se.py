#!/usr/bin/env python3
"""audit_se.py - an external reference for calib-audit's severity se.

Fits score ~ C(agent) + C(evaluator, Sum) by ordinary least squares with
statsmodels, cluster-robust by agent (cov_type='cluster', groups = agent,
statsmodels' default small-sample correction G/(G-1) (N-1)/(N-K)), per
criterion, on three sheets of tests/sheets: audit-small.csv,
auditse-confounded.csv (strong agents mostly to one evaluator) and
audit-split.csv (two components). A split graph's dummies with one
intercept are collinear, so the design here is full rank: every agent's
dummy (no intercept) and, per component, the sum-to-zero contrasts of its
evaluators (the last one omitted). The omitted evaluator's effect is
-(sum of the others) and its variance is 1'V1 over the others' block.

Prints one line per evaluator: sheet criterion evaluator effect se, in
%.17g. Its output is tests/reference/audit_se.txt, which test_audit_se.c
compares calib_audit_fit with (1e-9 relative). Not run by make check:
    python3 tests/reference/audit_se.py > tests/reference/audit_se.txt
(needs numpy, pandas and statsmodels; run from the top of the tree).
"""
import numpy as np
import pandas as pd
import statsmodels.api as sm

SHEETS = ["audit-small.csv", "auditse-confounded.csv", "audit-split.csv"]
AGENT = {"agent", "employee", "advisor", "rep"}
EVALUATOR = {"evaluator", "rater", "reviewer"}


def components(agents, evaluators):
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, e in zip(agents, evaluators):
        ra, re_ = find(("a", a)), find(("e", e))
        if ra != re_:
            parent[ra] = re_
    return find


def fit(sheet, crit, d, acol, ecol):
    d = d[[acol, ecol, crit]].dropna()
    agents = list(dict.fromkeys(d[acol]))
    evals = list(dict.fromkeys(d[ecol]))  # calib's order: first seen
    find = components(d[acol], d[ecol])
    comps = list(dict.fromkeys(find(("e", e)) for e in evals))
    cols, names, groups = [], [], []
    for a in agents:
        cols.append((d[acol] == a).astype(float).to_numpy())
        names.append("agent:" + a)
    for c in comps:
        members = [e for e in evals if find(("e", e)) == c]
        groups.append(members)
        last = (d[ecol] == members[-1]).astype(float).to_numpy()
        for e in members[:-1]:
            cols.append((d[ecol] == e).astype(float).to_numpy() - last)
            names.append("eval:" + e)
    X = np.column_stack(cols)
    y = d[crit].astype(float).to_numpy()
    g = pd.factorize(d[acol])[0]
    res = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g})
    V = res.cov_params()
    out = []
    for members in groups:
        if len(members) < 2:
            continue
        idx = [names.index("eval:" + e) for e in members[:-1]]
        for e, i in zip(members[:-1], idx):
            out.append((e, res.params[i], np.sqrt(V[i, i])))
        one = np.ones(len(idx))
        sub = V[np.ix_(idx, idx)]
        out.append((members[-1], -res.params[idx].sum(), np.sqrt(one @ sub @ one)))
    for e, b, se in sorted(out):
        print("%s %s %s %.17g %.17g" % (sheet, crit, e, b, se))


def main():
    for sheet in SHEETS:
        d = pd.read_csv("tests/sheets/" + sheet, dtype=str)
        low = {c.lower(): c for c in d.columns}
        acol = next(low[k] for k in low if k in AGENT)
        ecol = next(low[k] for k in low if k in EVALUATOR)
        crits = [c for c in d.columns if c not in (acol, ecol) and c.lower() != "call"]
        for crit in crits:
            fit(sheet, crit, d, acol, ecol)


if __name__ == "__main__":
    main()

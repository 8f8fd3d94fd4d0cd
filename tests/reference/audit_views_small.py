# Exact values of calib-audit's scale, criteria and agents views on
# tests/sheets/audit-small.csv (audit_views_small.txt): the least-squares
# fit of audit_small.py, its residual variance (residual sum of squares
# over n - 5 parameters: intercept, 2 agents, 2 evaluators), each agent's
# raw and adjusted mean, eta^2 and eta^2 adjusted for chance, and the
# evaluator x criterion effects (effect over the criterion's residual SD,
# less the evaluator's mean of those). Rationals where they are exact. Run from the top of the tree:
#   python3 tests/reference/audit_views_small.py > tests/reference/audit_views_small.txt
from fractions import Fraction as F
import csv, math
rows = list(csv.DictReader(open('tests/sheets/audit-small.csv')))
ag = sorted(set(r['agent'] for r in rows))
ev = sorted(set(r['evaluator'] for r in rows))

def fit(crit):
    X = []; y = []
    for r in rows:
        X.append([F(1)] + [F(int(r['agent'] == a)) for a in ag[1:]] +
                 [F(int(r['evaluator'] == e)) for e in ev[1:]])
        y.append(F(r[crit]))
    p = len(X[0])
    A = [[sum(X[i][j] * X[i][k] for i in range(len(X))) for k in range(p)] +
         [sum(X[i][j] * y[i] for i in range(len(X)))] for j in range(p)]
    for c in range(p):
        piv = next(r for r in range(c, p) if A[r][c] != 0); A[c], A[piv] = A[piv], A[c]
        for r in range(p):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]; A[r] = [a - f * b for a, b in zip(A[r], A[c])]
    beta = [A[i][p] / A[i][i] for i in range(p)]
    fitted = [sum(b * x for b, x in zip(beta, X[i])) for i in range(len(X))]
    ss = sum((y[i] - fitted[i]) ** 2 for i in range(len(X)))
    e = [F(0)] + beta[len(ag):]
    m = sum(e) / len(e)
    return {n: v - m for n, v in zip(ev, e)}, ss / (len(X) - p), y

sig = {}; eff = {}
for c in ('greeting', 'resolution'):
    effects, s2, y = fit(c)
    eff[c] = effects; sig[c] = math.sqrt(s2)
    print('sigma2', c, s2, float(s2))
    for a in ag:
        ys = [y[i] for i, r in enumerate(rows) if r['agent'] == a]
        es = [effects[r['evaluator']] for r in rows if r['agent'] == a]
        raw = sum(ys) / len(ys); adj = raw - sum(es) / len(es)
        tot = sum((v - raw) ** 2 for v in ys)
        btw = 0
        for e in ev:
            g = [y[i] for i, r in enumerate(rows) if r['agent'] == a and r['evaluator'] == e]
            if g: btw += len(g) * (sum(g) / len(g) - raw) ** 2
        k = len(set(r['evaluator'] for r in rows if r['agent'] == a)); m = len(ys)
        adj2 = 1 - (1 - btw / tot) * F(m - 1, m - k)
        print('agent', c, a, 'raw', raw, 'adjusted', adj, 'eta2', btw / tot, float(btw / tot),
              'eta2_adj', adj2)
for e in ev:
    z = {c: float(eff[c][e]) / sig[c] for c in sig}
    overall = sum(z.values()) / len(z)
    for c in sig:
        print('interaction', c, e, 'std', repr(z[c] - overall),
              'difference', repr(float(eff[c][e]) - overall * sig[c]))

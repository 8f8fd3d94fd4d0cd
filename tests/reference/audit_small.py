# Exact least-squares evaluator effects of tests/sheets/audit-small.csv:
# the normal equations of the dummy-coded design (intercept, agents and
# evaluators but the first) solved in rational arithmetic, the evaluator
# effects then centred to sum zero. Run from the top of the source tree:
#   python3 tests/reference/audit_small.py > tests/reference/audit_small.txt
from fractions import Fraction as F
import csv
rows=list(csv.DictReader(open('tests/sheets/audit-small.csv')))
def fit(crit):
    ag=sorted(set(r['agent'] for r in rows)); ev=sorted(set(r['evaluator'] for r in rows))
    # columns: intercept, agents[1:], evaluators[1:]
    X=[];y=[]
    for r in rows:
        x=[F(1)]+[F(int(r['agent']==a)) for a in ag[1:]]+[F(int(r['evaluator']==e)) for e in ev[1:]]
        X.append(x); y.append(F(r[crit]))
    p=len(X[0])
    A=[[sum(X[i][j]*X[i][k] for i in range(len(X))) for k in range(p)]+[sum(X[i][j]*y[i] for i in range(len(X)))] for j in range(p)]
    for c in range(p):
        piv=next(r for r in range(c,p) if A[r][c]!=0); A[c],A[piv]=A[piv],A[c]
        for r in range(p):
            if r!=c and A[r][c]!=0:
                f=A[r][c]/A[c][c]; A[r]=[a-f*b for a,b in zip(A[r],A[c])]
    beta=[A[i][p]/A[i][i] for i in range(p)]
    e=[F(0)]+beta[1+len(ag)-1:]
    m=sum(e)/len(e)
    return {n:(v-m) for n,v in zip(ev,e)}
for c in ('greeting','resolution'):
    for n,v in fit(c).items(): print(c,n,v,float(v))

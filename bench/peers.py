"""peers.py FILE - the peer of `make bench-peers`: what calib-agree's
headline statistics cost with pandas, statsmodels and numpy.

Reads a wide sheet (call, rater, criteria...) with pandas.read_csv and, per
criterion, on the calls scored by every rater, computes Fleiss' kappa with
statsmodels (statsmodels.stats.inter_rater.fleiss_kappa over
aggregate_raters' counts) and ICC(2,1) (two-way random effects, absolute
agreement, single rater: Shrout and Fleiss) with numpy. Prints
"criterion,fleiss_kappa,icc2_1" lines.
"""
import sys

import numpy as np
import pandas as pd
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa


def icc2_1(x):
    """ICC(2,1) of an n x k matrix without missing values."""
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_err = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_err / ((n - 1) * (k - 1))
    return (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)


def main():
    df = pd.read_csv(sys.argv[1])
    call = df.columns[0]
    rater = df.columns[1]
    print("criterion,fleiss_kappa,icc2_1")
    for crit in df.columns[2:]:
        wide = df.pivot(index=call, columns=rater, values=crit).dropna()
        x = wide.to_numpy(dtype=float)
        table, _ = aggregate_raters(x)
        print("%s,%.17g,%.17g" % (crit, fleiss_kappa(table), icc2_1(x)))


main()

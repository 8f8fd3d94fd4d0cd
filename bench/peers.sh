#!/bin/sh
# peers.sh BIN GEN - `make bench-peers`: calib-agree against pandas +
# statsmodels + numpy (bench/peers.py) on the benchmark's sheet of
# CALIB_BENCH_PEERS calls (default 100,000) x 5 raters x 10 criteria.
#
# Both sides compute Fleiss' kappa and ICC(2,1) of every criterion on the
# calls scored by every rater (calib-agree --complete); they run in turn,
# CALIB_BENCH_ROUNDS times (default 3), and the figures are medians. The
# peer's kappas must equal calib's to 1e-9. Skipped, with a message, when no
# python3 with pandas and statsmodels is installed (Debian packages
# python3-pandas, python3-statsmodels).
set -eu
bin=$1
gen=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
out=$here/out
mkdir -p "$data" "$out"
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
		"$p" -c 'import numpy, pandas, statsmodels' >/dev/null 2>&1; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "bench-peers: skipped: no python3 with pandas and statsmodels" \
		"(Debian packages python3-pandas, python3-statsmodels)"
	exit 0
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench-peers: /usr/bin/time is missing (Debian package: time)" >&2
	exit 1
fi
n=${CALIB_BENCH_PEERS:-100000}
rounds=${CALIB_BENCH_ROUNDS:-3}
f=$data/sheet-$n.csv
[ -s "$f" ] || "$gen" --bench "$n" 5 10 1 >"$f"

# the same statistics on both sides, checked before the race
"$bin/calib-agree" -f csv --complete --no-total --stat fleiss_kappa,icc2 "$f" >"$out/calib.csv"
"$py" "$here/peers.py" "$f" >"$out/peer.csv"
echo "-- Fleiss' kappa, $n calls x 5 raters x 10 criteria, calls scored by every rater"
printf '%-10s %22s %22s %10s\n' criterion calib-agree statsmodels difference
awk -F, 'NR == FNR { if ($2 == "fleiss_kappa") k[$1] = $3; next }
	FNR > 1 {
		d = k[$1] - $2; if (d < 0) d = -d
		if (!($1 in k) || d > 1e-9) bad = 1
		printf "%-10s %22.17g %22.17g %10.2g\n", $1, k[$1], $2, d
	}
	END { if (bad) { print "bench-peers: the kappas differ" > "/dev/stderr"; exit 1 } }' \
	"$out/calib.csv" "$out/peer.csv"

: >"$out/peers"
i=0
while [ $i -lt "$rounds" ]; do
	/usr/bin/time -f 'calib %e' -a -o "$out/peers" "$bin/calib-agree" -f csv --complete \
		--no-total --stat fleiss_kappa,icc2 "$f" >/dev/null
	/usr/bin/time -f 'full %e' -a -o "$out/peers" "$bin/calib-agree" -f csv "$f" >/dev/null
	/usr/bin/time -f 'peer %e' -a -o "$out/peers" "$py" "$here/peers.py" "$f" >/dev/null
	i=$((i + 1))
done
awk -v r="$rounds" '
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ t = $2 < 0.005 ? 0.005 : $2; v[$1, ++n[$1]] = t }
END {
	for (k in n) { for (i = 1; i <= n[k]; i++) a[i] = v[k, i]; m[k] = median(a, n[k]) }
	printf "-- medians of %d runs in turn\n", r
	printf "%-58s %8.2f s\n", "pandas + statsmodels + numpy (Fleiss, ICC(2,1))", m["peer"]
	printf "%-58s %8.2f s %7.1fx faster\n", "calib-agree --complete --stat fleiss_kappa,icc2", m["calib"], m["peer"] / m["calib"]
	printf "%-58s %8.2f s %7.1fx faster\n", "calib-agree (every statistic, intervals, TOTAL)", m["full"], m["peer"] / m["full"]
}' "$out/peers"

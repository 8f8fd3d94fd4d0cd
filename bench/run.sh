#!/bin/sh
# run.sh BIN GEN - the benchmark behind `make bench`.
#
# Generates (seeded, once, under bench/data/, which git ignores) wide sheets
# of 10,000, 100,000 and 1,000,000 calls x 5 raters x 10 criteria (the
# largest is 50 million ratings), runs each program on each, and prints wall
# time, throughput, peak memory and bytes per rating (from /usr/bin/time or
# the shell's time when that is missing), with the ratio to a bare libcsv
# parse of the same file run just before, CALIB_BENCH_ROUNDS times (default
# 3): medians. A second baseline, floor, is the least work that
# gives one coefficient per criterion on both cores (see floor.c): how close
# to the bare parse any program doing calib-agree's work could come. Then
# the bootstrap figures on 100,000 calls.
set -eu
bin=$1
gen=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
out=$here/out
mkdir -p "$data" "$out"
PATH="$bin:$PATH"

bare=$out/bare_parse
if [ ! -x "$bare" ] || [ "$here/bare_parse.c" -nt "$bare" ]; then
	${CC:-cc} -O2 -o "$bare" "$here/bare_parse.c" -lcsv
fi
floor=$out/floor
if [ ! -x "$floor" ] || [ "$here/floor.c" -nt "$floor" ]; then
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -pthread -o "$floor" "$here/floor.c" -lcsv
fi
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is missing (Debian package: time)" >&2
	exit 1
fi

sizes=${CALIB_BENCH_SIZES:-"10000 100000 1000000"}
for n in $sizes; do
	f=$data/sheet-$n.csv
	[ -s "$f" ] || "$gen" --bench "$n" 5 10 1 >"$f"
done

rounds=${CALIB_BENCH_ROUNDS:-3}

# time1 COMMAND...: one run, "wall user sys peak-KB" appended to $out/runs
time1() {
	/usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >/dev/null 2>"$out/err" || {
		echo "bench: $* failed:" >&2
		cat "$out/err" >&2
		exit 1
	}
	cat "$out/time" >>"$out/runs"
}

# measure LABEL FILE COMMAND...: one line of the table. The command and the
# bare parse of FILE run in turn, $rounds times; the figures are medians and
# "x bare" the median of the rounds' ratios, so that a busy machine slows
# both sides of each ratio alike.
measure() {
	label=$1
	file=$2
	shift 2
	: >"$out/runs"
	i=0
	while [ $i -lt "$rounds" ]; do
		time1 "$bare" "$file"
		time1 "$@"
		i=$((i + 1))
	done
	bytes=$(wc -c <"$file")
	ratings=$(($(wc -l <"$file") - 1))
	ratings=$((ratings * ${per_row:-10}))
	awk -v l="$label" -v b="$bytes" -v r="$ratings" '
	function median(a, n,    i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	NR % 2 == 1 { base = $1 < 0.005 ? 0.005 : $1; next }
	{
		n++
		s = $1 < 0.005 ? 0.005 : $1
		w[n] = s; u[n] = $2; y[n] = $3; m[n] = $4; x[n] = s / base
	}
	END {
		s = median(w, n); kb = median(m, n)
		printf "%-40s %10d %8.2f %6.2f %6.2f %9.1f %12.3g %9.0f %8.2f %7.2f\n",
			l, r, s, median(u, n), median(y, n), b / s / 1e6, r / s, kb / 1024,
			kb * 1024 / r, median(x, n)
	}' "$out/runs"
}

echo "medians of $rounds runs, each beside a bare parse of the same file (CALIB_BENCH_ROUNDS)"
printf '%-40s %10s %8s %6s %6s %9s %12s %9s %8s %7s\n' program ratings seconds user sys MB/s ratings/s "peak MB" "B/rating" "x bare"
for n in $sizes; do
	f=$data/sheet-$n.csv
	echo "-- $n calls x 5 raters x 10 criteria ($(($(wc -c <"$f") / 1000000)) MB)"
	measure "bare libcsv parse" "$f" "$bare" "$f"
	measure "floor (Fleiss only, 2 threads)" "$f" "$floor" "$f"
	measure "calib-sheet --check" "$f" calib-sheet --check "$f"
	measure "calib-agree" "$f" calib-agree -f csv "$f"
	measure "calib-agree --stat kripp_alpha_interval" "$f" calib-agree -f csv --stat kripp_alpha_interval "$f"
	measure "calib-icc" "$f" calib-icc -f csv "$f"
	measure "calib-kappa" "$f" calib-kappa -f csv "$f"
	measure "calib-alpha" "$f" calib-alpha -f csv "$f"
	[ -x "$bin/calib-raters" ] && measure "calib-raters" "$f" calib-raters -f csv "$f"
	[ -x "$bin/calib-disputes" ] && measure "calib-disputes" "$f" calib-disputes -f csv "$f"
done

f=$data/sheet-100000.csv
if [ -s "$f" ]; then
	echo "-- bootstrap, 1000 replicates over 100000 calls"
	# one criterion in long form, cut out before the clock starts
	for c in c1 c3; do
		calib-sheet "$f" | awk -F, -v c=$c 'NR == 1 || $4 == c' >"$out/$c.csv"
	done
	measure "calib-alpha --boot 1000 (c3, 4 levels)" "$f" calib-alpha -f csv --boot 1000 "$out/c3.csv"
	measure "calib-agree --ci bootstrap (c1)" "$f" calib-agree -f csv --ci bootstrap \
		--boot 1000 --no-total "$out/c1.csv"
	measure "calib-agree --ci bootstrap (alpha)" "$f" calib-agree -f csv --stat kripp_alpha_interval \
		--ci bootstrap --boot 1000 --no-total "$f"
fi

# calib-drift's bootstrap of the changes between sessions, from the
# families' per-call sufficient statistics: 4 sessions of 20,000 calls x 5
# raters x 10 criteria (Fleiss' kappa, ordinal alpha and ICC(2) by scale)
f=$data/drift-4x20000.csv
if [ ! -s "$f" ]; then
	for k in 1 2 3 4; do
		"$gen" --bench 20000 5 10 "$k" | awk -v s="2026-0$k-05" \
			'NR == 1 { if (s == "2026-01-05") print "session," $0; next } { print s "," $0 }'
	done >"$f"
fi
echo "-- drift, 4 sessions x 20000 calls x 5 raters x 10 criteria"
measure "calib-drift --boot 1000" "$f" calib-drift -f csv --boot 1000 "$f"

# calib-audit on a year of a 2,000-seat centre's routine evaluations:
# 1,000,000 evaluations (CALIB_BENCH_AUDIT) x 20 criteria, 2,000 agents and
# 100 evaluators, 80% of an agent's calls scored by the evaluator of their
# ability band, the harshest evaluators given the strongest agents (seeded)
na=${CALIB_BENCH_AUDIT:-1000000}
f=$data/audit-$na.csv
[ -s "$f" ] || awk -v n="$na" 'function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
BEGIN {
	srand(7)
	printf "call,agent,evaluator"
	for (k = 1; k <= 20; k++) printf ",c%d", k
	print ""
	for (i = 1; i <= n; i++) {
		a = int(rand() * 2000)
		j = rand() < 0.8 ? 99 - int(a / 20) : int(rand() * 100)
		m = 3 + a / 1000 - 1 + (j / 99 - 0.5)
		printf "k%d,a%d,e%d", i, a, j
		for (k = 1; k <= 20; k++) {
			s = int(m + 0.8 * gauss() + 0.5)
			printf ",%d", (s < 1 ? 1 : (s > 5 ? 5 : s))
		}
		print ""
	}
}' >"$f"
echo "-- audit, $na evaluations x 20 criteria"
per_row=20
measure "calib-audit" "$f" calib-audit -f csv "$f"

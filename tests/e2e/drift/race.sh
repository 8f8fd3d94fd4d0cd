#!/bin/sh
# race.sh - calib-drift writing the same series and chart from two runs at
# once, and runs killed with SIGKILL part-way: afterwards each output must
# be, byte for byte, either the old complete file or the new complete one.
# Run from tests/ by drift.cases with the programs on PATH; prints one line
# per check and exits non-zero on the first failure.
set -u
dir=${CALIB_TMP:?}/race
mkdir -p "$dir"
sheet=sheets/drift-iso.csv
rubric=sheets/drift-rubric.csv
run() { # run SEED: write series.csv and chart.svg in $dir
	calib-drift -r "$rubric" --boot 2000 -s "$1" --min 0.5 --alert-on estimate -o "$dir/series.csv" \
		--chart "$dir/chart.svg" "$sheet" 2>/dev/null
}
fail() { echo "FAIL: $*"; exit 1; }

# the two possible contents: "old" from seed 1, "new" from seed 2
run 1; [ $? -eq 3 ] || fail "first run"
cp "$dir/series.csv" "$dir/old.csv"; cp "$dir/chart.svg" "$dir/old.svg"
run 2
cp "$dir/series.csv" "$dir/new.csv"; cp "$dir/chart.svg" "$dir/new.svg"
cmp -s "$dir/old.csv" "$dir/new.csv" && fail "seeds 1 and 2 give the same series"
grep -q '</svg>' "$dir/new.svg" || fail "chart incomplete"

either() { # either FILE: FILE equals old or new of its kind
	case $1 in *.csv) k=csv ;; *) k=svg ;; esac
	cmp -s "$1" "$dir/old.$k" || cmp -s "$1" "$dir/new.$k"
}

# two runs at once, several times
i=0
while [ $i -lt 3 ]; do
	run 1 & a=$!
	run 2 & b=$!
	wait $a; wait $b
	either "$dir/series.csv" || fail "series after concurrent runs"
	either "$dir/chart.svg" || fail "chart after concurrent runs"
	i=$((i + 1))
done
echo "concurrent runs: each output old or new, complete"

# runs killed with SIGKILL at different moments
for t in 0.05 0.1 0.2 0.3 0.5 0.8; do
	run 1
	run 2 & pid=$!
	sleep "$t"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	either "$dir/series.csv" || fail "series after SIGKILL at $t s"
	either "$dir/chart.svg" || fail "chart after SIGKILL at $t s"
done
echo "killed runs: each output old or new, complete"
ls -a "$dir" | grep -q '^\.calib-drift\.lock$' || fail "no lock file beside the outputs"
echo "lock file beside the outputs"

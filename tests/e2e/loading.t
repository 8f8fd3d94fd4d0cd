#!/bin/sh
# loading.t - calib's CSV and JSON loaded by the tools calib(7) names
# ("Loading the output"): sqlite3 (the Debian package, installed by
# .ci/run), pandas and R when they are installed. An average over a column
# with not-available values must leave them out, and unscored and not
# applicable scores must stay apart. Prints TAP; a missing tool is a SKIP.
set -u
bin=${CALIB_BIN:?CALIB_BIN must name the folder of the built programs}
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$(dirname "$here")")/data
if [ -n "${CALIB_VALGRIND:-}" ]; then
	echo "1..0 # SKIP other programs' loading, not memory"
	exit 0
fi
. "$here/tap.sh"
# is GOT WANT NAME: ok when GOT is WANT, else both as comments
is() { [ "$1" = "$2" ]; ok $? "$3" "$(printf 'got:  %s\nwant: %s' "$1" "$2")"; }

calib-agree --na-token '' -r "$data/rubric.csv" "$data/session.csv" >"$t/agree.csv"
calib-agree -f json -r "$data/rubric.csv" "$data/session.csv" >"$t/agree.json"
calib-sheet "$data/session.csv" >"$t/long.csv"
# the mean of the se column over the records that have one, and how many
want=$(awk -F, 'NR > 1 && $4 != "" { s += $4; k++ } END { printf "%.12f %d\n", s / k, k }' \
	"$t/agree.csv")
# the sheet's unscored (empty) and not applicable scores
want_sheet=$(awk -F, 'NR > 1 && $5 == "" { e++ } NR > 1 && $5 == "N/A" { a++ }
	END { printf "%d %d\n", e, a }' "$t/long.csv")

if command -v sqlite3 >/dev/null; then
	got=$(sqlite3 :memory: ".import --csv $t/agree.csv agree" \
		"SELECT printf('%.12f %d', avg(NULLIF(se, '')), count(NULLIF(se, ''))) FROM agree")
	is "$got" "$want" "sqlite3 .import of --na-token '' CSV: avg(NULLIF(se, '')) leaves NA out"
	got=$(sqlite3 :memory: "SELECT printf('%.12f %d', avg(value->>'se'), count(value->>'se'))
		FROM json_each(readfile('$t/agree.json'))")
	is "$got" "$want" "sqlite3 json_each of the JSON: null is NULL, left out of avg(se)"
	got=$(sqlite3 :memory: ".import --csv $t/long.csv s" \
		"SELECT printf('%d %d', sum(score = ''), sum(score = 'N/A')) FROM s")
	is "$got" "$want_sheet" "sqlite3: unscored ('') and not applicable ('N/A') scores stay apart"
else
	for k in 1 2 3; do skip "sqlite3 loading $k" "sqlite3 is not installed"; done
fi

if python3 -c 'import pandas' 2>/dev/null; then
	got=$(python3 -c '
import sys, pandas as pd
a = pd.read_csv(sys.argv[1])
s = pd.read_csv(sys.argv[2], keep_default_na=False, na_values=[""])
print("%.12f %d" % (a["se"].mean(), a["se"].count()))
print("%d %d" % (s["score"].isna().sum(), (s["score"] == "N/A").sum()))' \
		"$t/agree.csv" "$t/long.csv")
	is "$got" "$(printf '%s\n%s' "$want" "$want_sheet")" \
		"pandas: se's mean without NA; unscored NaN and N/A a value"
else
	skip "pandas loading" "pandas is not installed"
fi

if command -v Rscript >/dev/null; then
	got=$(Rscript -e '
a <- read.csv(commandArgs(TRUE)[1]); s <- read.csv(commandArgs(TRUE)[2], na.strings = "")
cat(sprintf("%.12f %d\n%d %d\n", mean(a$se, na.rm = TRUE), sum(!is.na(a$se)),
	sum(is.na(s$score)), sum(s$score == "N/A", na.rm = TRUE)))' \
		"$t/agree.csv" "$t/long.csv")
	is "$got" "$(printf '%s\n%s' "$want" "$want_sheet")" \
		"R: se's mean without NA; unscored NA and N/A a value"
else
	skip "R loading" "R is not installed"
fi
echo "1..$n"
[ "$failed" -eq 0 ]

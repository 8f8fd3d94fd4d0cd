#!/bin/sh
# termfit-tty.t - tables and plots on a real terminal: a pseudo-terminal
# made by script(1) (util-linux), its width set with stty. The default
# format there is a table that fits the terminal's width (TIOCGWINSZ), or
# $COLUMNS when set, or everything on one line with --wide; a binary plot
# (png, pdf) is refused with exit status 2 instead of reaching the screen.
# Prints TAP. CALIB_BIN names the folder of the built programs.
set -u
bin=${CALIB_BIN:?CALIB_BIN must name the folder of the built programs}
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$(dirname "$here")")/data
if ! command -v script >/dev/null 2>&1 || ! script -qec true /dev/null >/dev/null 2>&1; then
	echo "1..0 # SKIP no script(1) to make a pseudo-terminal"
	exit 0
fi
if [ -n "${CALIB_VALGRIND:-}" ]; then
	echo "1..0 # SKIP terminal behaviour, not memory"
	exit 0
fi
unset COLUMNS
. "$here/tap.sh"
# ok_out STATUS NAME: ok, with the start of the output when it fails
ok_out() { ok "$1" "$2" "$(head -20 "$t/out")"; }

# tty COLS COMMAND: run COMMAND on a terminal COLS wide; its output (CR LF
# made LF) in $t/out, its stderr in $t/err; returns its exit status.
tty() {
	cols=$1
	shift
	script -qec "stty cols $cols rows 50 2>/dev/null; $* 2>$t/err" /dev/null >"$t/raw" </dev/null
	st=$?
	tr -d '\r' <"$t/raw" >"$t/out"
	return $st
}

# widest: the widest line of $t/out in display columns
widest() {
	perl -CSD -ne 'chomp; my $w = 0; $w += /[\p{Ea=W}\p{Ea=F}]/ ? 2 : 1 for split //; $m = $w if $w > ($m // 0); END { print $m // 0 }' "$t/out"
}

tty 100 calib-agree "$data/session.csv"
ok_out $? "agree on a terminal: exit 0"
head -1 "$t/out" | grep -q '^criterion  *statistic  *estimate  *95% CI  *band'
ok_out $? "agree on a terminal: a table by default, not CSV"
[ "$(widest)" -le 100 ] && [ "$(widest)" -gt 80 ]
ok_out $? "agree on a 100-column terminal: lines fit 100 columns (widest $(widest))"

tty 100 COLUMNS=90 calib-kappa "$data/session.csv"
[ "$(widest)" -le 90 ] && grep -q '^(90 columns: ' "$t/out"
ok_out $? "COLUMNS=90 on a 100-column terminal: lines fit 90 (widest $(widest))"

tty 100 calib-kappa --wide "$data/session.csv"
[ "$(widest)" -eq 305 ]
ok_out $? "--wide on a terminal: every row on one line (widest $(widest))"

tty 80 calib-raters "$data/session.csv"
[ "$(widest)" -le 80 ] && grep -q '^(80 columns: ' "$t/out"
ok_out $? "raters on an 80-column terminal: fits, and says which columns moved"

tty 0 calib-disputes "$data/session.csv"
[ "$(widest)" -le 80 ]
ok_out $? "a terminal that does not tell its width: 80 columns (widest $(widest))"

tty 80 calib-plot agreement -t png "$data/session.csv"
st=$?
[ "$st" -eq 2 ] && grep -q '^calib-plot: a png plot is binary: not written to a terminal (use -o FILE or redirect standard output)$' "$t/err" && ! grep -q PNG "$t/out"
ok_out $? "calib-plot -t png to a terminal: refused, exit 2 (got $st)"

tty 80 calib-plot agreement -t pdf -o /dev/tty "$data/session.csv"
st=$?
[ "$st" -eq 2 ] && grep -q 'a pdf plot is binary' "$t/err"
ok_out $? "calib-plot -t pdf -o /dev/tty: refused, exit 2 (got $st)"

tty 80 "calib-plot agreement -t png $data/session.csv >$t/p.png"
st=$?
[ "$st" -eq 0 ] && [ "$(od -An -c -N 4 "$t/p.png" | tr -d ' ')" = '211PNG' ]
ok_out $? "calib-plot -t png redirected from a terminal: written (got $st)"

tty 80 calib-plot agreement "$data/session.csv"
[ $? -eq 0 ] && grep -q 'no interruptions' "$t/out"
ok_out $? "calib-plot's text plot (dumb) on a terminal"

tty 80 calib-drift --chart - --terminal png "$data/history.csv"
st=$?
[ "$st" -eq 2 ] && grep -q '^calib-drift: --chart: a png chart is binary: not written to a terminal' "$t/err"
ok_out $? "calib-drift --chart - --terminal png to a terminal: refused, exit 2 (got $st)"

echo "1..$n"
[ "$failed" -eq 0 ]

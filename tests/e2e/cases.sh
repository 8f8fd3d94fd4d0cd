#!/bin/sh
# cases.sh SUITE - run the end-to-end cases of tests/e2e/SUITE.cases as TAP.
#
# A cases file has one case per line (blank lines and # comments skipped):
#   name | expected exit status | shell command
# The command runs with tests/ as working directory and the built programs
# first on PATH. Its stdout must equal tests/e2e/SUITE/name.out and its
# stderr tests/e2e/SUITE/name.err (a missing file means "empty").
# CALIB_VALGRIND, when set, is a command prefix every program runs under;
# each case then checks the exit status and that valgrind reported
# nothing (see below), and files the cases cmp are compared with numbers
# rounded to 10 significant digits (vgcmp.sh, round.awk).
# CALIB_REGEN=1 rewrites the expected files from the actual output (for a
# developer reviewing a deliberate change with git diff; never in CI).
set -u
# A table fits $COLUMNS when it is set: the cases set it themselves where
# they mean to, so that no result depends on the caller's terminal.
unset COLUMNS
suite=$1
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")
cases="$here/$suite.cases"
expdir="$here/$suite"
bin=${CALIB_BIN:?CALIB_BIN must name the folder of the built programs}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -n "${CALIB_VALGRIND:-}" ]; then
	mkdir "$tmp/wrap"
	for p in "$bin"/calib-*; do
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$CALIB_VALGRIND" "$p" \
			>"$tmp/wrap/$(basename "$p")"
		chmod +x "$tmp/wrap/$(basename "$p")"
	done
	# cases that cmp outputs compare numbers to 10 digits too (vgcmp.sh)
	cp "$here/vgcmp.sh" "$tmp/wrap/cmp"
	chmod +x "$tmp/wrap/cmp"
	export CALIB_ROUND="$here/round.awk"
	bin="$tmp/wrap"
fi

n=0
failed=0
while IFS= read -r line || [ -n "$line" ]; do
	case $line in '' | '#'*) continue ;; esac
	name=$(printf '%s' "$line" | cut -d'|' -f1 | sed 's/^ *//;s/ *$//')
	want=$(printf '%s' "$line" | cut -d'|' -f2 | tr -d ' ')
	cmd=$(printf '%s' "$line" | cut -d'|' -f3- | sed 's/^ *//')
	n=$((n + 1))
	(cd "$tests" && PATH="$bin:$PATH" TMPDIR="$tmp" CALIB_TMP="$tmp" \
		sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null)
	got=$?
	if [ "${CALIB_REGEN:-}" = 1 ]; then
		mkdir -p "$expdir"
		if [ -s "$tmp/out" ]; then cp "$tmp/out" "$expdir/$name.out"; else rm -f "$expdir/$name.out"; fi
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$expdir/$name.err"; else rm -f "$expdir/$name.err"; fi
	fi
	[ -f "$expdir/$name.out" ] && cp "$expdir/$name.out" "$tmp/want.out" || : >"$tmp/want.out"
	[ -f "$expdir/$name.err" ] && cp "$expdir/$name.err" "$tmp/want.err" || : >"$tmp/want.err"
	if [ -n "${CALIB_VALGRIND:-}" ]; then
		# Under valgrind a case is a memory check: the exit status (99
		# on a memory error or a definite leak) and no valgrind report.
		# The outputs are compared exactly by the plain and sanitizer
		# runs; valgrind computes long double at double precision, so
		# last digits (and a bootstrap's percentiles) may differ here.
		if [ "$got" = "$want" ] && ! grep -q '^==[0-9]*==' "$tmp/err"; then
			echo "ok $n - $suite: $name"
		else
			failed=$((failed + 1))
			echo "not ok $n - $suite: $name"
			echo "#   command: $cmd"
			echo "#   exit status $got, expected $want"
			grep '^==[0-9]*==' "$tmp/err" | sed 's/^/#   /' | head -40
		fi
		continue
	fi
	if [ "$got" = "$want" ] && cmp -s "$tmp/out" "$tmp/want.out" &&
		cmp -s "$tmp/err" "$tmp/want.err"; then
		echo "ok $n - $suite: $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $suite: $name"
		echo "#   command: $cmd"
		[ "$got" = "$want" ] || echo "#   exit status $got, expected $want"
		diff -u "$tmp/want.out" "$tmp/out" | sed 's/^/#   /' | head -40
		diff -u "$tmp/want.err" "$tmp/err" | sed 's/^/#   /' | head -20
	fi
done <"$cases"
echo "1..$n"
[ "$failed" -eq 0 ]

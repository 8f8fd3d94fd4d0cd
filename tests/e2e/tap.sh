# tap.sh - the common start of the hand-written .t scripts, sourced once
# $bin names the built programs: they come first on PATH, $t is a scratch
# folder removed on exit, and the TAP counters $n and $failed start at 0.
# Each script ends with: echo "1..$n"; [ "$failed" -eq 0 ]
#   ok STATUS NAME [DETAIL]  "ok" when STATUS is 0, else "not ok" and DETAIL
#                            as comment lines
#   skip NAME WHY            an "ok ... # SKIP" line

PATH=$bin:$PATH
export PATH
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

#!/bin/sh
# vgcmp.sh [OPTION...] FILE1 FILE2 - cmp for the end-to-end cases under
# valgrind (cases.sh puts it first on PATH as "cmp"): both files ("-" is
# standard input) with numbers of more than 10 significant digits rounded
# to 10 (round.awk), since valgrind computes long double at double
# precision. Options are cmp's.
t=$(mktemp -d) || exit 2
trap 'rm -rf "$t"' EXIT
opts=
n=0
for a; do
	case $a in
	-?*) opts="$opts $a" ;;
	*)
		n=$((n + 1))
		if [ "$a" = - ]; then awk -f "$CALIB_ROUND" >"$t/$n"; else awk -f "$CALIB_ROUND" "$a" >"$t/$n"; fi ||
			exit 2
		;;
	esac
done
[ "$n" = 2 ] || { echo "cmp: two files expected" >&2; exit 2; }
/usr/bin/cmp $opts "$t/1" "$t/2"

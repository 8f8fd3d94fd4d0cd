#!/bin/sh
# same.sh A B - do calib-agree's estimates on sheets A and B agree to 9
# significant digits (statistic by statistic)? Prints each difference and
# exits 1 when there is one. For scores that differ only by a scale factor.
est() {
	calib-agree --stat all -f tsv "$1" |
		awk -F'\t' 'NR > 1 && $2 != "n_calls" {
			e = $3; if (e != "NA") e = sprintf("%.9g", e); print $1, $2, e }'
}
est "$1" >"${CALIB_TMP:?}/same.a" || exit 1
est "$2" >"$CALIB_TMP/same.b" || exit 1
# Under valgrind (a memory check) the estimates are not compared: valgrind
# computes long double at double precision, which the scaling of far-out
# scores needs; the plain and sanitizer runs compare them.
[ -n "${CALIB_VALGRIND:-}" ] && exit 0
diff "$CALIB_TMP/same.a" "$CALIB_TMP/same.b" && echo "same estimates"

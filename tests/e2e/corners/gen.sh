#!/bin/sh
# gen.sh KIND N - the big inputs of the corners suite, made at test time
# (never committed), on stdout:
#   columns N   a sheet of N criteria columns c1..cN, three calls by two raters
#   dupcolumn N the same with column N+1 named C1 again (a duplicate, case aside)
#   levels N    a rubric with one ordinal criterion c1 of N labelled levels l1..lN
#   duplevel N  the same with level N+1 equal to l1 again
#   raters N    a long sheet of N raters r1..rN scoring three calls on a
#               0-10 points criterion, rater j off by (j % 7) - 3 points
set -eu
kind=$1
n=$2
case $kind in
columns | dupcolumn)
	awk -v n="$n" -v dup="$kind" 'BEGIN {
		extra = dup == "dupcolumn"
		printf "call,rater"
		for (j = 1; j <= n; j++) printf ",c%d", j
		if (extra) printf ",C1"
		printf "\n"
		for (i = 1; i <= 3; i++) for (r = 1; r <= 2; r++) {
			printf "CALL-%d,r%d", i, r
			for (j = 1; j <= n + extra; j++) printf ",%d", (i + r * (j % 3 == 0)) % 2
			printf "\n"
		}
	}'
	;;
levels | duplevel)
	awk -v n="$n" -v dup="$kind" 'BEGIN {
		printf "criterion,scale,levels\nc1,ordinal,"
		for (j = 1; j <= n; j++) printf "%sl%d", (j > 1 ? "|" : ""), j
		if (dup == "duplevel") printf "|l1"
		printf "\n"
	}'
	;;
raters)
	awk -v n="$n" 'BEGIN {
		print "call,rater,criterion,score"
		for (j = 1; j <= n; j++) for (i = 1; i <= 3; i++)
			printf "CALL-%d,r%d,handle_time,%d\n", i, j, 4 + i + (j % 7) - 3
	}'
	;;
*)
	echo "gen.sh: unknown kind $kind" >&2
	exit 2
	;;
esac

#!/bin/sh
# gen.sh KIND N - print a generated stress sheet on standard output:
#   identical N   N/2 calls, two raters, every score 3 (N ratings)
#   raters N      5 calls scored by N raters, scores 1..3
#   categories N  300 calls, 3 raters, scores 1..N close to each other
#   missing N     N calls, 5 raters, every call missing one rater
# Seeded and deterministic; N is scaled down under valgrind by the caller.
kind=$1
n=$2
case $kind in
identical)
	awk -v n="$n" 'BEGIN { print "call,rater,q"
		for (i = 1; i <= n / 2; i++) { print "c" i ",a,3"; print "c" i ",b,3" } }' ;;
raters)
	awk -v n="$n" 'BEGIN { print "call,rater,q"
		for (i = 1; i <= 5; i++) for (r = 1; r <= n; r++) print "c" i ",r" r "," (i + r) % 3 + 1 }' ;;
categories)
	awk -v n="$n" 'BEGIN { srand(7); print "call,rater,q"
		for (i = 1; i <= 300; i++) { x = int(rand() * n) + 1
			for (r = 1; r <= 3; r++) { y = x + int(rand() * 5) - 2
				if (y < 1) y = 1; if (y > n) y = n; print "c" i ",r" r "," y } } }' ;;
missing)
	awk -v n="$n" 'BEGIN { print "call,rater,q"
		for (i = 1; i <= n; i++) for (r = 1; r <= 5; r++)
			if (r != i % 5 + 1) print "c" i ",r" r "," (i * r) % 5 + 1 }' ;;
*) echo "gen.sh: unknown kind $kind" >&2; exit 2 ;;
esac

#!/bin/sh
# big.sh N [FAULT LINE]... - print a wide sheet of N calls x 5 raters x 4
# criteria (N = 20000 makes about 2.4 MB: more than one 1 MiB block, so it
# is parsed on the reader's second thread), with faults at given lines:
#   score LINE   the score of the row at LINE is "x" (a conversion error)
#   quote LINE   the row at LINE has a stray quote (a parse error)
#   dup LINE     the row at LINE repeats the row at line 2 (a duplicate)
# Deterministic; line 1 is the header.
n=$1
shift
awk -v n="$n" -v faults="$*" 'BEGIN {
	k = split(faults, f, " ")
	for (i = 1; i + 1 <= k; i += 2)
		fault[f[i + 1]] = f[i]
	print "call,rater,greeting,empathy,accuracy,closing"
	line = 1
	for (c = 1; c <= n; c++)
		for (r = 1; r <= 5; r++) {
			line++
			row = sprintf("CALL-%06d,r%d,%d,%d,%d,%d", c, r, (c + r) % 2,
				(c * 7 + r) % 5 + 1, (c * 3 + r * r) % 11, (c + 2 * r) % 3 == 0 ? 1 : 0)
			if (fault[line] == "score")
				row = sprintf("CALL-%06d,r%d,x,1,1,1", c, r)
			else if (fault[line] == "quote")
				row = sprintf("CALL-%06d,r%d,1\"2,1,1,1", c, r)
			else if (fault[line] == "dup")
				row = "CALL-000001,r1,1,1,1,1"
			print row
			if ((c * 7 + r) % 97 == 0) {
				print ""  # blank lines are skipped but counted
				line++
			}
		}
}'

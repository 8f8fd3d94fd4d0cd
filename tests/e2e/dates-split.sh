#!/bin/sh
# dates-split.sh FORM DIR [golden] - split data/history.csv (run from
# tests/) into one sheet per session in DIR, without a session column,
# each named after its session's date written in FORM: iso (2026-11-23),
# dots (23.11.2026), dmy (23/11/2026: the name's slashes as in a session
# column are not possible in a file name, so dmy and mdy write a session
# column instead, one file in all), mdy (11/23/2026), named (Nov 23, 2026,
# in a session column too). With "golden", every session's calls are
# renamed GOLD-1, GOLD-2, ...: the same calls re-scored each week.
set -eu
form=$1
dir=$2
golden=${3:-}
mkdir -p "$dir"
awk -F, -v form="$form" -v dir="$dir" -v golden="$golden" '
BEGIN {
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
}
NR == 1 {
	head = substr($0, index($0, ",") + 1)
	if (form == "dmy" || form == "mdy" || form == "named")
		print "session," head > (dir "/all.csv")
	next
}
{
	split($1, d, "-")
	if (form == "iso") name = $1
	else if (form == "dots") name = d[3] "." d[2] "." d[1]
	else if (form == "dmy") name = d[3] "/" d[2] "/" d[1]
	else if (form == "mdy") name = d[2] "/" d[3] "/" d[1]
	else name = "\"" mon[d[2] + 0] " " (d[3] + 0) ", " d[1] "\""
	if (golden != "") {
		if (!(($1, $2) in gold)) gold[$1, $2] = "GOLD-" (++n[$1])
		$2 = gold[$1, $2]
	}
	row = $2
	for (i = 3; i <= NF; i++) row = row "," $i
	if (form == "iso" || form == "dots") {
		f = dir "/" name ".csv"
		if (!(f in seen)) { seen[f] = 1; print head > f }
		print row > f
	} else
		print name "," row > (dir "/all.csv")
}' ../data/history.csv

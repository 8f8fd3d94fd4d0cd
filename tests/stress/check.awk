# check.awk - reads the TSV of "calib-agree --stat all -f tsv" and prints,
# per record, the statistic and whether its estimate is in its
# coefficient's range ("in range") or NA with a reason ("NA: reason", the
# reason's numbers replaced by N), so that the output does not depend on
# the size of the generated stress sheet. Ranges: percentages [0, 100],
# proportions [0, 1], everything else at most 1 (Cohen, Gwet, Brennan-
# Prediger, Light at least -1). Prints "OUT OF RANGE" or "NA WITHOUT A
# REASON" otherwise.
BEGIN { FS = "\t" }
NR == 1 || $2 == "n_calls" { next }
{
	stat = $2; e = $3; note = $14
	if (e == "NA") {
		if (note == "") { print $1, stat, "NA WITHOUT A REASON"; next }
		n = split(note, part, "; ")
		why = ""
		for (i = 1; i <= n; i++)
			if (part[i] ~ /undefined/) why = part[i]
		gsub(/[0-9]+/, "N", why)
		print $1, stat, "NA:", why
		next
	}
	if (e !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) { print $1, stat, "NOT A NUMBER:", e; next }
	x = e + 0
	lo = -1e308; hi = 1
	if (stat == "percent_agreement_unanimous") { lo = 0; hi = 100 }
	else if (stat ~ /^percent_agreement/) lo = 0
	else if (stat ~ /^(cohen_kappa|gwet_ac|brennan_prediger|light_kappa|pabak)/) lo = -1
	if (x < lo - 1e-9 || x > hi + 1e-9) print $1, stat, "OUT OF RANGE:", e
	else print $1, stat, "in range"
}

# round.awk - print the input with every decimal number of more than 10
# significant digits rounded to 10 (%.10g), for comparing outputs computed
# under valgrind, whose long double has double precision.
{
	out = ""
	line = $0
	while (match(line, /-?[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]+(e[-+]?[0-9]+)?/)) {
		out = out substr(line, 1, RSTART - 1) sprintf("%.10g", substr(line, RSTART, RLENGTH) + 0)
		line = substr(line, RSTART + RLENGTH)
	}
	print out line
}

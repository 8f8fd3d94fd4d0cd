#!/bin/sh
# helpman.t - every option that a program's --help names is in the OPTIONS
# section of its man page, and every option there is in --help, so that
# the two cannot drift apart. Prints TAP. CALIB_BIN names the folder of
# the built programs.
set -u
bin=${CALIB_BIN:?CALIB_BIN must name the folder of the built programs}
here=$(cd "$(dirname "$0")" && pwd)
man=$(dirname "$(dirname "$here")")/man
progs="agree alpha audit disputes drift icc kappa plan plot raters report sheet"
. "$here/tap.sh"
for p in $progs; do
	# long options in the help (--name), and the short ones of its option
	# lines ("  -d, --delimiter C")
	"$bin/calib-$p" --help | sed 's/calib-[a-z]* --*[a-z-]*//g' >"$t/h"
	{
		grep -oE -- '--[a-z][a-z0-9]*(-[a-z0-9]+)*' "$t/h"
		grep -oE -- '^ +-[a-zA-Z],' "$t/h" | tr -d ' ,'
	} | sort -u >"$t/help"
	# and in the man page's OPTIONS section, written \-\-name\-more and \-d
	# (an option named with another program, "calib\-sheet \-\-check" or
	# "less \-S", is that program's)
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$man/calib-$p.1" |
		sed 's/calib\\-[a-z]* \\-[-a-z\\]*//g; s/\([a-z]\) \\-[a-zA-Z]\([^-a-zA-Z]\)/\1 \2/g' >"$t/m"
	{
		grep -oE -- '\\-\\-[a-z][a-z0-9]*(\\-[a-z0-9]+)*' "$t/m"
		grep -oE -- '(^|[^-])\\-[a-zA-Z]([^a-zA-Z0-9\\]|$)' "$t/m" |
			grep -oE -- '\\-[a-zA-Z]'
	} | sed 's/\\//g' | sort -u >"$t/man"
	cmp -s "$t/help" "$t/man"
	ok $? "calib-$p: --help and calib-$p(1) OPTIONS name the same options" \
		"$(comm -23 "$t/help" "$t/man" | sed 's/^/only in --help: /'
		comm -13 "$t/help" "$t/man" | sed 's/^/only in the man page: /')"
done
echo "1..$n"
[ "$failed" -eq 0 ]

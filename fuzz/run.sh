#!/bin/sh
# run.sh BUILD SECONDS [TARGET...] - run each libFuzzer target of BUILD/fuzz
# for SECONDS, one after the other, from the kept corpus fuzz/corpus/TARGET
# (minimised with -merge=1) and seeds made of the test and sample sheets
# (an option byte, and for fuzz_rubric a rubric, a form feed and a sheet).
# The growing corpus is kept in BUILD/corpus/TARGET, crashers in
# BUILD/findings/TARGET. Exit status 1 when a target found something.
set -eu
build=$1
seconds=$2
shift 2
[ $# -gt 0 ] || set -- $(cd "$build/fuzz" && ls fuzz_* | grep -v '\.d$')
status=0
for t in "$@"; do
	corpus=$build/corpus/$t
	findings=$build/findings/$t
	mkdir -p "$corpus" "$findings"
	if [ -d "fuzz/corpus/$t" ]; then
		cp fuzz/corpus/"$t"/* "$corpus"/
	fi
	case $t in
	fuzz_rubric)
		for r in data/rubric.csv tests/sheets/rubric*.csv tests/sheets/*rubric*.csv \
			tests/bad/rubric*.csv; do
			[ -f "$r" ] || continue
			for s in data/session.csv tests/sheets/labels.csv tests/sheets/qa.csv; do
				{ printf '\000'; cat "$r"; printf '\f'; cat "$s"; } \
					>"$corpus/seed-$(basename "$r" .csv)-$(basename "$s" .csv)"
			done
		done
		;;
	*)
		for f in data/*.csv data/session-by-rater/*.csv tests/sheets/*.csv \
			tests/sheets/*.tsv tests/bad/*.csv; do
			[ -f "$f" ] || continue
			# the option byte: automatic form, and for the statistics all
			# calls; per-rater sheets as such
			case $f in
			*session-by-rater*) opt='\003' ;;
			*) opt='\000' ;;
			esac
			{ printf "$opt\\000"; head -c 20000 "$f"; } >"$corpus/seed-$(basename "$f")"
		done
		;;
	esac
	echo "fuzz: $t for ${seconds}s" >&2
	"$build/fuzz/$t" -max_total_time="$seconds" -max_len=8192 -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
		"$corpus" || status=1
done
exit $status

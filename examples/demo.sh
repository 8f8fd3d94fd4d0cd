#!/bin/sh
# demo.sh BIN OUT - what calib does, on the bundled sample calibration
# session: 5 managers scoring the same 12 calls on an 8-criterion rubric,
# 12 weekly sessions of history, and a year of routine evaluations. Plots
# go to the folder OUT.
set -eu
bin=${1:-build/bin}
out=${2:-demo-out}
PATH="$bin:$PATH"
mkdir -p "$out"
say() { printf '\n== %s\n$ %s\n' "$1" "$2"; }

say "Is the sheet well formed?" "calib-sheet --check -r data/rubric.csv data/session.csv"
calib-sheet --check -r data/rubric.csv data/session.csv

say "How far do the managers agree?" "calib-agree -f table -r data/rubric.csv data/session.csv"
calib-agree -f table -r data/rubric.csv data/session.csv

say "The scorecard: each manager's section subtotals and TOTAL (an interruption fails the call)" \
	"calib-sheet -r data/scorecard.csv --totals data/session.csv | head -7"
calib-sheet -r data/scorecard.csv --totals data/session.csv | head -7

say "Agreement per section and on the TOTAL" \
	"calib-agree -f table --stat icc2 -r data/scorecard.csv data/session.csv"
calib-agree -f table --stat icc2 -r data/scorecard.csv data/session.csv

if [ -x "$bin/calib-raters" ]; then
	say "Who scores differently?" "calib-raters -f table -r data/rubric.csv data/session.csv"
	calib-raters -f table -r data/rubric.csv data/session.csv
	say "Who passes calibration against the answer key? (exit 3: someone fails)" \
		"calib-raters -f table -r data/rubric.csv --key data/session-key.csv --pass 0.75 data/session.csv"
	calib-raters -f table -r data/rubric.csv --key data/session-key.csv --pass 0.75 \
		data/session.csv || [ $? -eq 3 ]
fi
if [ -x "$bin/calib-disputes" ]; then
	say "What should the meeting discuss first?" "calib-disputes -f table -n 10 -r data/rubric.csv data/session.csv"
	calib-disputes -f table -n 10 -r data/rubric.csv data/session.csv
fi
if [ -x "$bin/calib-plot" ]; then
	for kind in agreement spread heatmap bland-altman; do
		say "Plot: $kind" "calib-plot $kind -r data/rubric.csv -o $out/$kind.png data/session.csv"
		calib-plot "$kind" -r data/rubric.csv -o "$out/$kind.png" data/session.csv
	done
	say "Plot: heatmap against the answer key" \
		"calib-plot heatmap -r data/rubric.csv --key data/session-key.csv -o $out/heatmap-key.png data/session.csv"
	calib-plot heatmap -r data/rubric.csv --key data/session-key.csv -o "$out/heatmap-key.png" \
		data/session.csv
	say "Plot: agreement by section of the scorecard" \
		"calib-plot agreement -r data/scorecard.csv -o $out/agreement-sections.png data/session.csv"
	calib-plot agreement -r data/scorecard.csv -o "$out/agreement-sections.png" data/session.csv
fi
if [ -x "$bin/calib-drift" ]; then
	say "Is agreement getting better or worse? (exit 3: alerts)" \
		"calib-drift -f table -r data/rubric.csv --min 0.4 --max-drop 0.2 --chart $out/drift.png data/history.csv"
	calib-drift -f table -r data/rubric.csv --min 0.4 --max-drop 0.2 --chart "$out/drift.png" \
		data/history.csv || [ $? -eq 3 ]
fi
if [ -x "$bin/calib-drift" ]; then
	say "Who is slipping? Each manager against the answer key over time (exit 3: alerts)" \
		"calib-drift -f table --by rater --key data/calibration-history-key.csv --pass 0.8 --min 0.8 --max-drop 0.15 -r data/rubric.csv --chart $out/calibration.png data/calibration-history.csv"
	calib-drift -f table --by rater --key data/calibration-history-key.csv --pass 0.8 --min 0.8 \
		--max-drop 0.15 -r data/rubric.csv --chart "$out/calibration.png" \
		data/calibration-history.csv || [ $? -eq 3 ]
fi
if [ -x "$bin/calib-audit" ]; then
	say "A year of routine evaluations: which analysts are harsh or lenient, once the employees they evaluated are accounted for? (the TOTAL)" \
		"calib-audit -f table -r data/rubric.csv --chart $out/audit.png -o $out/audit.txt data/routine-2026.csv; grep -e '^criterion ' -e '^TOTAL ' $out/audit.txt"
	calib-audit -f table -r data/rubric.csv --chart "$out/audit.png" -o "$out/audit.txt" \
		data/routine-2026.csv
	grep -e '^criterion ' -e '^TOTAL ' "$out/audit.txt"
fi
if [ -x "$bin/calib-plan" ]; then
	say "How many calls should the next session score? (intervals 0.2 wide)" \
		"calib-plan -f table --width 0.2 -r data/rubric.csv data/session.csv"
	calib-plan -f table --width 0.2 -r data/rubric.csv data/session.csv
	say "Plot: interval width against the number of calls" \
		"calib-plot plan --width 0.2 -r data/rubric.csv -o $out/plan.png data/session.csv"
	calib-plot plan --width 0.2 -r data/rubric.csv -o "$out/plan.png" data/session.csv
fi
if [ -x "$bin/calib-report" ]; then
	say "The meeting pack: one HTML page to send to the managers" \
		"calib-report -r data/scorecard.csv --key data/session-key.csv --title 'Calibration, week 49' -o $out/report.html data/session.csv"
	calib-report -r data/scorecard.csv --key data/session-key.csv \
		--title 'Calibration, week 49' -o "$out/report.html" data/session.csv
	say "The meeting pack of the latest of 12 weekly sessions, with their drift and alerts" \
		"calib-report --history -r data/rubric.csv --min 0.7 --max-drop 0.15 --title 'Calibration, week 48' -o $out/report-history.html data/history.csv"
	calib-report --history -r data/rubric.csv --min 0.7 --max-drop 0.15 \
		--title 'Calibration, week 48' -o "$out/report-history.html" data/history.csv
fi
printf '\nPlots written to %s/\n' "$out"

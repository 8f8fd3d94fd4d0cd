#!/bin/sh
# calibration-meeting.sh RUBRIC SHEET... - everything a calibration meeting
# needs from this week's score sheets, in one go: a check of the sheets,
# agreement per criterion, who scores differently, the agenda of contested
# calls, and the plots for the projector (in ./meeting-plots/).
#
#   sh examples/calibration-meeting.sh data/rubric.csv data/session.csv
#   sh examples/calibration-meeting.sh rubric.csv exports/*.csv
#
# Copy it and change what you like; every command is an ordinary calib call.
set -eu
if [ $# -lt 2 ]; then
	echo "usage: calibration-meeting.sh RUBRIC SHEET..." >&2
	exit 2
fi
rubric=$1
shift
plots=${PLOTS:-meeting-plots}
mkdir -p "$plots"

echo "== The sheets"
calib-sheet --check -r "$rubric" "$@"

echo
echo "== Agreement per criterion (below 0.6 is flagged)"
calib-agree -f table --min 0.6 -r "$rubric" "$@" || [ $? -eq 3 ]

echo
echo "== Who scores differently"
calib-raters -f table -r "$rubric" "$@"

echo
echo "== What to discuss first"
calib-disputes -f table -n 10 -r "$rubric" "$@"

for kind in agreement spread heatmap; do
	calib-plot "$kind" --min 0.6 -r "$rubric" -o "$plots/$kind.png" "$@" 2>/dev/null ||
		calib-plot "$kind" -r "$rubric" -o "$plots/$kind.png" "$@"
done
echo
echo "Plots for the projector: $plots/agreement.png, $plots/spread.png, $plots/heatmap.png"

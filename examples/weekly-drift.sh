#!/bin/sh
# weekly-drift.sh DIR [ADDRESS] - the weekly agreement check of a folder of
# calibration sessions, for cron.
#
# DIR holds the session sheets as *.csv: one file per session named after
# its date (2026-11-23.csv, 23.11.2026.csv, 2026-W48.csv; the same calls
# may be re-scored every week), or sheets with a session column (dates in
# any form calib-drift(1) reads); DIR/rubric.csv, when
# present, is the rubric. The series (drift-series.csv) and the chart
# (drift-chart.png) are written next to them. When DIR/key.csv holds an
# answer key (the benchmark score of each call: with a session column, per
# session; without one, for golden calls scored again every week), each manager's calibration score against it is checked
# too (calib-drift --by rater): calibration-series.csv and
# calibration-chart.png, and an alert for a manager whose latest interval
# lies below the pass mark CALIB_PASS or who dropped by more than
# CALIB_MAX_DROP. Every file is written each all or nothing under a
# lock, so a run killed halfway or two runs at once never leave a broken
# file. Alerts (the latest session below CALIB_MIN, or below the mean of the
# sessions before by more than CALIB_MAX_DROP) are mailed to ADDRESS with
# mail(1), or printed on standard output when no address is given (cron
# mails what a job prints to the crontab's owner).
#
# Environment: CALIB_BIN (folder of the calib programs; default: on PATH),
# CALIB_MIN (default 0.4), CALIB_MAX_DROP (default 0.2), CALIB_WINDOW
# (sessions in the mean, default 4), CALIB_PASS (the managers' pass mark,
# default 0.8).
#
# Crontab line, every Monday at 07:00:
#   0 7 * * 1  /usr/local/share/calib/weekly-drift.sh /srv/qa/sessions qa-leads@example.com
#
# Exit status: 0 all is well, 3 alerts were sent or printed, 1 or 2 as
# calib-drift (its message on standard error).
set -u
dir=${1:?usage: weekly-drift.sh DIR [ADDRESS]}
to=${2:-}
[ -n "${CALIB_BIN:-}" ] && PATH="$CALIB_BIN:$PATH"
min=${CALIB_MIN:-0.4}
drop=${CALIB_MAX_DROP:-0.2}
window=${CALIB_WINDOW:-4}
pass=${CALIB_PASS:-0.8}
series=drift-series.csv
chart=drift-chart.png
rseries=calibration-series.csv
rchart=calibration-chart.png

if [ ! -d "$dir" ]; then
	echo "weekly-drift.sh: $dir: not a folder" >&2
	exit 1
fi
# The inputs: every sheet but the rubric and our own output. Names are
# passed as arguments (never through a shell string), so any name is safe.
set --
for f in "$dir"/*.csv; do
	[ -f "$f" ] || continue
	case ${f##*/} in rubric.csv | key.csv | "$series" | "$rseries") continue ;; esac
	set -- "$@" "$f"
done
if [ $# -eq 0 ]; then
	echo "weekly-drift.sh: $dir: no session sheets (*.csv)" >&2
	exit 1
fi
if [ -f "$dir/rubric.csv" ]; then
	set -- -r "$dir/rubric.csv" "$@"
fi

# Temporary files of runs killed long ago (calib's all-or-nothing writers
# name them .calib-*); a live run's are minutes old at most.
find "$dir" -maxdepth 1 -name '.calib-*' -mmin +60 -exec rm -f {} + 2>/dev/null

alerts=$(mktemp) || exit 1
trap 'rm -f "$alerts"' EXIT
trap 'exit 1' HUP INT TERM

calib-drift --min "$min" --max-drop "$drop" -k "$window" \
	-o "$dir/$series" --chart "$dir/$chart" "$@" 2>"$alerts"
status=$?
# each manager against the answer key: alerts on the same list
if [ -f "$dir/key.csv" ] && { [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; }; then
	calib-drift --by rater --key "$dir/key.csv" --pass "$pass" --min "$pass" \
		--max-drop "$drop" -k "$window" -o "$dir/$rseries" \
		--chart "$dir/$rchart" "$@" 2>>"$alerts"
	rstatus=$?
	case $rstatus in
	0) ;;
	3) status=3 ;;
	*) status=$rstatus ;;
	esac
fi
case $status in
0)
	# notes (sessions that are no dates) reach the cron mail too
	cat "$alerts" >&2
	;;
3)
	if [ -n "$to" ] && command -v mail >/dev/null 2>&1; then
		{
			echo "Agreement alerts for the sessions in $dir:"
			echo
			sed 's/^calib-drift: //' "$alerts"
			echo
			echo "Series: $dir/$series"
			echo "Chart:  $dir/$chart"
			if [ -f "$dir/key.csv" ]; then
				echo "Managers: $dir/$rseries"
				echo "Chart:    $dir/$rchart"
			fi
		} | mail -s "calib: agreement alerts ($(basename "$dir"))" "$to"
	else
		sed 's/^calib-drift: //' "$alerts"
	fi
	;;
*)
	cat "$alerts" >&2
	;;
esac
exit $status

#!/bin/sh
# report-browser.t - calib-report's page in a real browser: headless
# Chromium (Debian package chromium) renders the sample session's page; the
# screenshot must be at the window's size and not blank, the page must raise
# no console message or error, and printed to PDF on A4 each part starts a
# page; the page of calib-report --history renders without a console
# message too. Skipped, as TAP, only when chromium is not installed. Prints TAP.
# CALIB_BIN names the folder of the built programs.
set -u
bin=${CALIB_BIN:?CALIB_BIN must name the folder of the built programs}
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$(dirname "$here")")/data
. "$here/tap.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	skip "screenshot of the page" "chromium is not installed"
	skip "no console errors" "chromium is not installed"
	skip "print preview" "chromium is not installed"
	skip "--history: screenshot" "chromium is not installed"
	skip "--history: no console errors" "chromium is not installed"
	echo "1..$n"
	exit 0
fi
# a browser of its own: profile, cache and crash reports in the scratch folder
run() {
	HOME=$t timeout 180 "$browser" --headless --no-sandbox --disable-gpu \
		--no-first-run --user-data-dir="$t/profile" --hide-scrollbars "$@"
}

calib-report -r "$data/scorecard.csv" --key "$data/session-key.csv" \
	--title "Calibration, week 49" -o "$t/report.html" "$data/session.csv"
ok $? "calib-report writes the page"

run --enable-logging=stderr --v=0 --window-size=1280,2000 \
	--screenshot="$t/shot.png" "file://$t/report.html" >"$t/out" 2>"$t/err"
size=$(identify -format '%wx%h' "$t/shot.png" 2>/dev/null)
[ "$size" = 1280x2000 ]
ok $? "a screenshot at the window's size" "size: '$size'; $(tail -3 "$t/err")"
# a blank page is one colour: its standard deviation is 0
sd=$(convert "$t/shot.png" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null)
awk -v sd="${sd:-0}" 'BEGIN { exit !(sd > 0.05) }'
ok $? "the screenshot is not blank" "standard deviation of the grey levels: '$sd'"
# the page's text is dark on white: most pixels white, some dark
dark=$(convert "$t/shot.png" -colorspace Gray -threshold 50% -format '%[fx:1-mean]' info: 2>/dev/null)
awk -v d="${dark:-0}" 'BEGIN { exit !(d > 0.01 && d < 0.5) }'
ok $? "dark text on a light page" "share of dark pixels: '$dark'"
! grep -E 'CONSOLE|Uncaught|console' "$t/err" >"$t/console"
ok $? "no console message or error" "$(head -5 "$t/console")"

# calib-report --history: the "Over time" part with calib-drift's chart renders too
calib-report --history --min 0.7 -o "$t/history.html" "$data/history.csv"
run --enable-logging=stderr --v=0 --window-size=1280,7000 \
	--screenshot="$t/history.png" "file://$t/history.html" >"$t/out" 2>"$t/err"
# the lower part of the window, where the "Over time" part is
sd=$(convert "$t/history.png" -crop 1280x2500+0+4500 -colorspace Gray \
	-format '%[fx:standard_deviation]' info: 2>/dev/null)
awk -v sd="${sd:-0}" 'BEGIN { exit !(sd > 0.05) }'
ok $? "--history: the screenshot is not blank" "standard deviation of the grey levels: '$sd'"
! grep -E 'CONSOLE|Uncaught|console' "$t/err" >"$t/console"
ok $? "--history: no console message or error" "$(head -5 "$t/console")"

# the print preview: A4 pages, each part on a page of its own
run --print-to-pdf="$t/report.pdf" --no-pdf-header-footer "file://$t/report.html" \
	>/dev/null 2>&1
pages=$(grep -ao '/Count [0-9]*' "$t/report.pdf" 2>/dev/null | awk '$2 > m { m = $2 } END { print m + 0 }')
parts=$(grep -c 'class="part' "$t/report.html")
[ "${pages:-0}" -ge "$parts" ]
ok $? "printed: at least one A4 page a part" "pages: '$pages', parts: $parts"
# A4 is 595 x 842 points
grep -aq 'MediaBox *\[ *0 0 59[45][.0-9]* 84[12][.0-9]* *\]' "$t/report.pdf"
ok $? "printed on A4" "$(grep -ao 'MediaBox[^]]*]' "$t/report.pdf" | head -1)"
echo "1..$n"
[ "$failed" -eq 0 ]

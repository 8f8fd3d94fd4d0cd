#!/bin/sh
# calib-report --history: the "Over time" part, calib-drift's numbers and
# chart, alerts, the latest session's page (tests/e2e/report-history.cases).
exec sh "$(dirname "$0")/cases.sh" report-history

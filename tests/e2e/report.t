#!/bin/sh
# calib-report: the meeting page's structure, escaping and numbers
# (tests/e2e/report.cases).
exec sh "$(dirname "$0")/cases.sh" report

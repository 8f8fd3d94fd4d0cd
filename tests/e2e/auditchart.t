#!/bin/sh
# End-to-end cases of calib-audit's chart (tests/e2e/auditchart.cases).
exec sh "$(dirname "$0")/cases.sh" auditchart

#!/bin/sh
# Scorecards: rubric sections, critical (auto-fail) criteria, criteria that
# may not be N/A, the TOTAL and subtotals (tests/e2e/scorecard.cases).
exec sh "$(dirname "$0")/cases.sh" scorecard

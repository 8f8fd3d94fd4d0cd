#!/bin/sh
# End-to-end cases of calib-audit's views (tests/e2e/audit-views.cases).
exec sh "$(dirname "$0")/cases.sh" audit-views

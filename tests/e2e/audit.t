#!/bin/sh
# End-to-end cases of calib-audit (tests/e2e/audit.cases).
exec sh "$(dirname "$0")/cases.sh" audit

#!/bin/sh
# End-to-end cases of calib-audit -j (tests/e2e/audit-threads.cases).
exec sh "$(dirname "$0")/cases.sh" audit-threads

#!/bin/sh
# End-to-end cases of plot layout at real scorecard size (tests/e2e/plots2.cases).
exec sh "$(dirname "$0")/cases.sh" plots2

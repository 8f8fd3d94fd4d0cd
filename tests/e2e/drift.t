#!/bin/sh
# End-to-end cases of calib-drift (tests/e2e/drift.cases).
exec sh "$(dirname "$0")/cases.sh" drift

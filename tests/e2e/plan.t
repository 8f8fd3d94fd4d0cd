#!/bin/sh
# End-to-end cases of calib-plan (tests/e2e/plan.cases).
exec sh "$(dirname "$0")/cases.sh" plan

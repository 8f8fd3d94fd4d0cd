#!/bin/sh
# End-to-end cases of calib-disputes (tests/e2e/disputes.cases).
exec sh "$(dirname "$0")/cases.sh" disputes

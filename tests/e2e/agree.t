#!/bin/sh
# End-to-end cases of calib-agree (tests/e2e/agree.cases).
exec "$(dirname "$0")/cases.sh" agree

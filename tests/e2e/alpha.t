#!/bin/sh
# End-to-end cases of calib-alpha (tests/e2e/alpha.cases).
exec "$(dirname "$0")/cases.sh" alpha

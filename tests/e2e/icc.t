#!/bin/sh
# End-to-end cases of calib-icc (tests/e2e/icc.cases).
exec "$(dirname "$0")/cases.sh" icc

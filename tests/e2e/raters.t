#!/bin/sh
# End-to-end cases of calib-raters (tests/e2e/raters.cases).
exec sh "$(dirname "$0")/cases.sh" raters

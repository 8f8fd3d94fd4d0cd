#!/bin/sh
# End-to-end cases of calib-plot (tests/e2e/plot.cases).
exec sh "$(dirname "$0")/cases.sh" plot

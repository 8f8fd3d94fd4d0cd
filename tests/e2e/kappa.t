#!/bin/sh
# End-to-end cases of calib-kappa (tests/e2e/kappa.cases).
exec "$(dirname "$0")/cases.sh" kappa

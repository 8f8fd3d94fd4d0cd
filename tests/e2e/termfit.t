#!/bin/sh
# End-to-end cases of tables that fit the terminal (tests/e2e/termfit.cases).
exec "$(dirname "$0")/cases.sh" termfit

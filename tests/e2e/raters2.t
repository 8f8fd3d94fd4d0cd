#!/bin/sh
# End-to-end cases of the robust consensus, rater tests and disputes scale (tests/e2e/raters2.cases).
exec sh "$(dirname "$0")/cases.sh" raters2

#!/bin/sh
# End-to-end cases of session dates and order (tests/e2e/dates.cases).
exec sh "$(dirname "$0")/cases.sh" dates

#!/bin/sh
# The summaries a meeting reads (tests/e2e/summaries.cases): the TOTAL row
# of calib-drift, headline intervals, the calls a coefficient rests on.
exec sh "$(dirname "$0")/cases.sh" summaries

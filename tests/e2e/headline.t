#!/bin/sh
# End-to-end cases of the headline policy, honest ranges and alerts
# (tests/e2e/headline.cases).
exec "$(dirname "$0")/cases.sh" headline

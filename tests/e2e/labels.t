#!/bin/sh
# End-to-end cases of label orders (tests/e2e/labels.cases).
exec sh "$(dirname "$0")/cases.sh" labels

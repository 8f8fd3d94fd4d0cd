#!/bin/sh
# End-to-end cases of header names, aliases, extra and left-out columns and
# the errors about them (tests/e2e/columns.cases).
exec sh "$(dirname "$0")/cases.sh" columns

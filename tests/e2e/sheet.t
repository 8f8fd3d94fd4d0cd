#!/bin/sh
# End-to-end cases of calib-sheet (tests/e2e/sheet.cases).
exec sh "$(dirname "$0")/cases.sh" sheet

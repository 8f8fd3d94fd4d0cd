#!/bin/sh
# End-to-end cases of output through pipes (tests/e2e/pipes.cases).
exec "$(dirname "$0")/cases.sh" pipes

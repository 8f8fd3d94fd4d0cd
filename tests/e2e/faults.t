#!/bin/sh
# I/O faults of every program (tests/e2e/faults.cases).
exec sh "$(dirname "$0")/cases.sh" faults

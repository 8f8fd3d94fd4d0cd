#!/bin/sh
# Corner cases found by attacking calib: inputs at scale (made at test time
# by corners/gen.sh), messages, fuzzing finds (tests/e2e/corners.cases).
exec sh "$(dirname "$0")/cases.sh" corners

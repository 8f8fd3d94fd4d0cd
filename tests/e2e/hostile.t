#!/bin/sh
# Limits, numeric stress and the regression cases of fuzzing (hostile.cases).
exec "$(dirname "$0")/cases.sh" hostile

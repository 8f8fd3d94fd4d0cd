#!/bin/sh
# The answer key: calib-raters --key FILE|consensus, the calibration score
# and --pass; calib-plot --key; calib-drift --by rater (tests/e2e/key.cases).
exec sh "$(dirname "$0")/cases.sh" key

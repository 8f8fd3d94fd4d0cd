#!/bin/sh
# End-to-end cases of the library's layers at work (tests/e2e/layers.cases).
exec sh "$(dirname "$0")/cases.sh" layers

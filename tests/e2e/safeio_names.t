#!/bin/sh
# Names that start with an apostrophe in every plot, and names with
# control bytes escaped in tables and summaries (tests/e2e/safeio_names.cases).
exec sh "$(dirname "$0")/cases.sh" safeio_names

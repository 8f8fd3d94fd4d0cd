#!/bin/sh
# try.sh ARGS... - run calib-sheet -o OUT ARGS in an empty folder and list
# whatever is left there: after a failure nothing may be (no output, no
# temporary file). Exits with calib-sheet's status.
d=${CALIB_TMP:?}/try.$$
rm -rf "$d" && mkdir "$d" || exit 99
calib-sheet -o "$d/out.csv" "$@"
s=$?
ls -A "$d"
rm -rf "$d"
exit $s

#!/bin/sh
# quiet.sh CMD... - run CMD with standard output a pipe that its reader
# closes after one line (`| head -1`), and say how it ended: "ended
# quietly" when it finished (0) or was stopped by SIGPIPE (141 in sh), as
# cat and grep are; otherwise its status. Its standard error is kept.
st=$( { "$@"; echo $? >"${CALIB_TMP:?}/quiet.st"; } | head -1 >/dev/null; cat "$CALIB_TMP/quiet.st")
case $st in
0 | 141 | '') echo "ended quietly" ;;
*) echo "status $st" ;;
esac

#!/bin/sh
# exec.sh TEST - how prove runs one test: a unit test binary under
# $CALIB_VALGRIND when that is set (make valgrind), a .t script as it is
# (the scripts put the programs they run under $CALIB_VALGRIND themselves).
case $1 in
*.t) exec "$1" ;;
*) exec ${CALIB_VALGRIND:-} "$1" ;;
esac

#!/bin/sh
# out.sh MODE CMD... - run CMD, whose output file is the argument OUT,
# replaced here by a path in an empty folder, and list what the folder
# holds afterwards (messages show the folder as TMP). MODE:
#   full    an old OUT is there and the file size is limited to 1 KiB, a
#           full disk for this process (writes fail with EFBIG, SIGXFSZ
#           ignored): the old file must stay as it was, nothing else appear;
#   nodir   OUT is in a folder that does not exist;
#   isdir   OUT is an existing folder.
# Exits with CMD's status.
mode=$1
shift
d=${CALIB_TMP:?}/o
rm -rf "$d" && mkdir "$d" || exit 99
case $mode in
full) out=$d/out; echo "old output" >"$out" ;;
nodir) out=$d/none/out ;;
isdir) out=$d/dir; mkdir "$out" ;;
esac
for a; do
	shift
	[ "$a" = OUT ] && a=$out
	set -- "$@" "$a"
done
if [ "$mode" = full ]; then
	(trap '' XFSZ; ulimit -f 2; exec "$@") 2>"$CALIB_TMP/out.err"
else
	"$@" 2>"$CALIB_TMP/out.err"
fi
s=$?
sed "s|$CALIB_TMP|TMP|g" "$CALIB_TMP/out.err" >&2
ls -AR "$d" | sed "s|$CALIB_TMP|TMP|g"
[ "$mode" != full ] || cat "$d/out"
rm -rf "$d"
exit $s

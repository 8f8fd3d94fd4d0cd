#!/bin/sh
# safeio.t - outputs that keep what the path names, and nothing left
# behind: -o on a FIFO, a symbolic link, a hard link, a device node (as
# root); temporary files removed on SIGTERM; write errors on standard
# output (/dev/full) from gnuplot's output too; lock files only in the
# output's own folder; plot file names with control bytes refused.
# Prints TAP. CALIB_BIN names the folder of the built programs.
set -u
bin=${CALIB_BIN:?CALIB_BIN must name the folder of the built programs}
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")
hist=$(dirname "$tests")/data/history.csv
if [ -n "${CALIB_VALGRIND:-}" ]; then
	echo "1..0 # SKIP timing and special files, not memory"
	exit 0
fi
. "$here/tap.sh"
# kind PATH: l (symbolic link), p (FIFO), c (character device), - (file), d
kind() { ls -ld "$1" | cut -c1; }
# leftovers DIR: temporary and lock files in DIR
leftovers() { ls -A "$1" | grep -e '^\.calib-' || true; }

# --- a FIFO is written, not replaced -------------------------------------
d=$t/fifo
mkdir "$d"
mkfifo "$d/out"
timeout 30 cat "$d/out" >"$d/got" &
reader=$!
calib-sheet -o "$d/out" "$hist" 2>"$d/err"
s=$?
wait $reader
calib-sheet "$hist" >"$d/want"
ok $(( s != 0 )) "sheet -o FIFO exits 0" "$(cat "$d/err")"
ok $([ "$(kind "$d/out")" = p ]; echo $?) "sheet -o FIFO: still a FIFO"
ok $(cmp -s "$d/got" "$d/want"; echo $?) "sheet -o FIFO: the reader got the sheet"
ok $([ -z "$(leftovers "$d")" ]; echo $?) "sheet -o FIFO: no temporary file"
timeout 30 cat "$d/out" >"$d/got.png" &
reader=$!
calib-plot spread -t png -o "$d/out" "$hist" 2>"$d/err"
s=$?
wait $reader
ok $(( s != 0 )) "plot -o FIFO exits 0" "$(cat "$d/err")"
ok $([ "$(kind "$d/out")" = p ] && od -An -c -N4 "$d/got.png" | grep -q P; echo $?) \
	"plot -o FIFO: still a FIFO, the reader got a PNG"

# --- a symbolic link stays a link; its target is replaced atomically ------
d=$t/link
mkdir "$d" "$d/real"
echo old >"$d/real/t.csv"
chmod 640 "$d/real/t.csv"
ln -s real/t.csv "$d/ln"
calib-agree -f csv -o "$d/ln" "$hist" 2>"$d/err"
ok $? "agree -o symlink exits 0" "$(cat "$d/err")"
ok $([ "$(kind "$d/ln")" = l ]; echo $?) "agree -o symlink: still a link"
ok $(grep -q '^criterion,' "$d/real/t.csv"; echo $?) "agree -o symlink: the target has the table"
ok $([ "$(stat -c %a "$d/real/t.csv")" = 640 ]; echo $?) "agree -o symlink: the target keeps its mode 640"
ok $([ -z "$(leftovers "$d")$(leftovers "$d/real")" ]; echo $?) "agree -o symlink: no temporary file"
# a link to a file not there yet creates it; a link to a link is followed
ln -s real/new.png "$d/dangling"
ln -s ln "$d/ln2"
calib-plot agreement -t png -o "$d/dangling" "$hist" 2>"$d/err" &&
	calib-sheet -o "$d/ln2" "$hist" 2>>"$d/err"
ok $? "plot -o dangling link, sheet -o link to a link" "$(cat "$d/err")"
ok $([ "$(kind "$d/dangling")$(kind "$d/ln2")$(kind "$d/real/new.png")" = ll- ] &&
	grep -q '^session,call,' "$d/real/t.csv"; echo $?) "links stay links, their targets written"
# calib-drift's lock file goes beside the target, not beside the link
mkdir "$d/other"
ln -s ../real/t.csv "$d/other/ln"
calib-drift --boot 0 -f csv -o "$d/other/ln" "$hist" >/dev/null 2>"$d/err"
ok $([ -z "$(leftovers "$d/other")" ] && [ -e "$d/real/.calib-drift.lock" ]; echo $?) \
	"drift -o link: the lock file in the target's folder only" "$(ls -A "$d/other" "$d/real")"

# --- a hard link: the path written gets a new file, the other name keeps the old
d=$t/hard
mkdir "$d"
echo old >"$d/a"
ln "$d/a" "$d/b"
calib-sheet -o "$d/a" "$hist" 2>"$d/err"
ok $([ "$(cat "$d/b")" = old ] && grep -q '^session,call,' "$d/a"; echo $?) \
	"sheet -o hard link: new file at the path, the other link keeps the old contents"

# --- a link to standard output (as /dev/stdout) and a device node ----------
# (a link of its own: an old calib run as root would replace /dev/stdout)
d=$t/dev
mkdir "$d"
ln -s /proc/self/fd/1 "$d/stdout"
calib-sheet -o "$d/stdout" "$hist" >"$d/got" 2>"$d/err"
ok $(cmp -s "$d/got" "$t/fifo/want"; echo $?) "sheet -o a link to /proc/self/fd/1 writes to standard output" \
	"$(cat "$d/err")"
if [ "$(id -u)" = 0 ] && mknod "$d/null" c 1 3 2>/dev/null; then
	calib-sheet -o "$d/null" "$hist" &&
		calib-plot spread -t png -o "$d/null" "$hist" &&
		calib-drift --boot 0 -f csv -o "$d/null" --chart "$d/null" --terminal svg "$hist"
	ok $? "sheet, plot and drift -o a device node exit 0"
	ok $([ "$(kind "$d/null")" = c ] && [ ! -s "$d/null" ]; echo $?) \
		"-o a device node: still a character device"
	ok $([ -z "$(leftovers "$d")" ]; echo $?) "-o a device node: no temporary or lock file beside it" \
		"$(ls -A "$d")"
else
	skip "sheet, plot and drift -o a device node" "not root, or mknod not allowed here"
	skip "-o a device node: still a character device" "no device node"
	skip "-o a device node: no temporary or lock file beside it" "no device node"
fi

# --- write errors on standard output, gnuplot's output included -----------
full() { # full NAME CMD...: exit 1 with a write error message
	"$@" >/dev/full 2>"$t/full.err"
	s=$?
	ok $([ $s = 1 ] && grep -q 'write error: No space left on device' "$t/full.err"; echo $?) \
		"$1 > /dev/full: exit 1 with a message" "exit $s: $(cat "$t/full.err")"
}
if [ -w /dev/full ]; then
	full calib-plot spread "$hist"
	full calib-plot spread -t png "$hist"
	full calib-plot heatmap -t svg "$hist"
	full calib-drift --boot 0 --chart - "$hist"
	full calib-drift --boot 0 --chart - --terminal png "$hist"
	full calib-sheet "$hist"
else
	for c in 1 2 3 4 5 6; do skip "/dev/full case $c" "no /dev/full"; done
fi

# --- SIGTERM removes the temporary file, the old output stays ------------
d=$t/sig
mkdir "$d"
awk 'BEGIN { printf "call,rater"; for (c = 1; c <= 20; c++) printf ",q%d", c; print "";
	for (i = 1; i <= 60000; i++) for (r = 1; r <= 3; r++) { printf "c%d,r%d", i, r;
	for (c = 1; c <= 20; c++) printf ",%d", (i * r + c) % 5 + 1; print "" } }' >"$t/big.csv"
# a background job starts with SIGINT ignored: perl sets it back to default
for signum in TERM:15 HUP:1 INT:2; do
	sig=${signum%:*}
	echo old >"$d/out.csv"
	seen=no
	for try in 1 2 3; do
		perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
			calib-sheet -o "$d/out.csv" "$t/big.csv" &
		pid=$!
		i=0
		while [ $i -lt 2000 ] && kill -0 $pid 2>/dev/null; do
			if [ -n "$(leftovers "$d")" ]; then
				kill -$sig $pid
				seen=yes
				break
			fi
			sleep 0.01
			i=$((i + 1))
		done
		wait $pid 2>/dev/null
		s=$?
		# the write may have ended just before the signal came: try again
		if [ $seen = yes ] && [ $s = 0 ]; then
			seen=no
			echo old >"$d/out.csv"
			continue
		fi
		[ $seen = no ] || break
	done
	if [ $seen = yes ]; then
		want=$((128 + ${signum#*:}))
		ok $([ $s = $want ]; echo $?) "sheet -o, SIG$sig while writing: ended by the signal" \
			"exit $s, expected $want"
		ok $([ -z "$(leftovers "$d")" ]; echo $?) "sheet -o, SIG$sig: no .calib-* file left" \
			"$(ls -A "$d")"
		ok $([ "$(cat "$d/out.csv")" = old ]; echo $?) "sheet -o, SIG$sig: the old output intact"
	else
		for c in 1 2 3; do skip "sheet -o, SIG$sig case $c" "the write ended before the signal"; done
	fi
done
# SIGTERM while gnuplot runs: gnuplot is ended too, nothing left
cat >"$t/slowplot" <<'EOF'
#!/bin/sh
# calib registers gnuplot right after the spawn: give it time on a busy machine
sleep 0.5
echo $$ >"$SAFEIO_PIDFILE"
exec sleep 30
EOF
chmod +x "$t/slowplot"
rm -f "$t/gp.pid"
SAFEIO_PIDFILE=$t/gp.pid CALIB_GNUPLOT=$t/slowplot calib-plot spread -t png -o "$d/p.png" "$hist" &
pid=$!
i=0
while [ ! -s "$t/gp.pid" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
kill -TERM $pid
wait $pid 2>/dev/null
s=$?
sleep 0.2
gp=$(cat "$t/gp.pid" 2>/dev/null)
# dead: gone, or a zombie that an init which does not reap keeps listed
gone() { [ ! -e "/proc/$1/stat" ] || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]; }
ok $([ $s = 143 ] && [ -n "$gp" ] && gone "$gp"; echo $?) \
	"plot, SIGTERM while gnuplot runs: gnuplot ended too" "exit $s, gnuplot $gp"
ok $([ -z "$(leftovers "$d")" ] && [ ! -e "$d/p.png" ]; echo $?) "plot, SIGTERM: nothing left"

# --- control bytes and invalid UTF-8 in a plot's path: refused ------------
d=$t/path
mkdir "$d" "$d/a
b" "$d/a b"
calib-plot spread -t png -o "$d/a
b/p.png" "$hist" 2>"$d/err"
s=$?
ok $([ $s = 1 ] && grep -q 'x0ab/p.png": control bytes and invalid UTF-8 are not allowed' "$d/err" &&
	[ -z "$(ls -A "$d/a
b")$(ls -A "$d/a b")" ]; echo $?) "plot -o with a newline in the folder: refused, nothing written" \
	"exit $s: $(cat "$d/err")"
calib-drift --boot 0 --chart "$d/$(printf 'x\377.svg')" "$hist" >/dev/null 2>"$d/err"
s=$?
ok $([ $s = 1 ] && grep -q 'x\\xff.svg": control bytes' "$d/err"; echo $?) \
	"drift --chart with invalid UTF-8: refused" "exit $s: $(cat "$d/err")"
calib-plot spread --script -o "$d/$(printf 'x\033.png')" "$hist" >/dev/null 2>"$d/err"
ok $([ $? = 1 ] && grep -q 'x\\x1b.png": control bytes' "$d/err"; echo $?) \
	"plot --script -o with ESC: refused" "$(cat "$d/err")"

echo "1..$n"
[ "$failed" -eq 0 ]

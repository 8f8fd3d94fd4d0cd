#!/bin/sh
# plots2-png.sh FILE... - "FILE WIDTHxHEIGHT" of each PNG, read from its
# IHDR chunk (bytes 16-23, big-endian), or "FILE not a PNG".
for f; do
	sig=$(od -An -tx1 -N8 "$f" | tr -d ' \n')
	if [ "$sig" != 89504e470d0a1a0a ]; then
		echo "$(basename "$f") not a PNG"
		continue
	fi
	od -An -tu1 -j16 -N8 "$f" | tr -s ' \n' '  ' | awk -v f="$(basename "$f")" \
		'{ printf "%s %dx%d\n", f, (($1 * 256 + $2) * 256 + $3) * 256 + $4,
		    (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
done

#!/usr/bin/env bash
# Sharded runs against S3 on loopback: files/s and rows/s of tradeetl run
# with 1, 2 and 4 local shard processes (--workers 1 each, each its own
# --work-dir), on FILES small CSV trade tables in s3://BUCKET/in/ of an S3
# server started on 127.0.0.1 for the measurement (bench/shards does the
# work and prints the table; N=1, a plain run, is the baseline).
#
#   bench/shards.sh                SHARDS="1 2 4" FILES=400 BIN=bin/tradeetl
#   WEED=.cache/weed-VERSION bench/shards.sh
#
# The S3 server is SeaweedFS when the weed binary WEED exists (make test-s3
# builds it into .cache/), else an in-process gofakes3 server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/tradeetl}
FILES=${FILES:-400}
SHARDS=${SHARDS:-"1 2 4"}
WEED=${WEED:-}
[ -x "$BIN" ] || { echo "no binary $BIN: run make build" >&2; exit 1; }
weed=()
if [ -n "$WEED" ] && [ -x "$WEED" ]; then
	weed=(-weed "$WEED")
elif [ -n "$WEED" ]; then
	echo "# no weed binary $WEED (make test-s3 builds it): gofakes3 instead" >&2
fi
go run ./bench/shards -bin "$BIN" -files "$FILES" -shards "$SHARDS" "${weed[@]}"

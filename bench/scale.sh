#!/usr/bin/env bash
# Peak memory against rows: tradeetl run on one long CSV of each size in
# SIZES (bench/data/scale-SIZE.csv, written by bench/xlsxgen -headings 10
# -formats csv when missing: 990 product lines, so that 30M rows span the
# years 1990-2065, all of them years to a reader), once each, under /usr/bin/time: wall and CPU seconds,
# rows/s (data rows over wall time) and peak RSS; then the ratio of the
# largest size's peak RSS to the smallest's (the target is 1.5 at most).
#
#   bench/scale.sh                 SIZES="1m 10m 30m" BIN=bin/tradeetl
#   EXTRA="--rule-memory 64MiB" bench/scale.sh
#
# BIN is the binary measured (make bench-scale builds it); EXTRA are more
# flags for tradeetl run. Sizes are 1m, 10m, 30m or any NUMBER[k|m].
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1m 10m 30m"}
BIN=${BIN:-bin/tradeetl}
EXTRA=${EXTRA:-}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no binary $BIN: run make build" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

rows() {
	case "$1" in
	*k) echo $((${1%k} * 1000)) ;;
	*m) echo $((${1%m} * 1000000)) ;;
	*) echo "$1" ;;
	esac
}

echo "# $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $BIN $EXTRA"
printf "| %s | %s | %s | %s | %s | %s | %s |\n" "rows" "CSV MB" "wall s" "CPU s" "rows/s" "peak RSS MB" "findings"
printf "|---:|---:|---:|---:|---:|---:|---:|\n"
first="" last=""
for size in $SIZES; do
	n=$(rows "$size")
	in=bench/data/scale-$size.csv
	if [ ! -e "$in" ]; then
		go run ./bench/xlsxgen -rows "$n" -headings 10 -out bench/data -name "scale-$size" -formats csv >/dev/null
	fi
	rm -rf "$tmp/out"
	# The limits of a run are for deliveries, not for this table: 30M rows
	# are 240M cells and 2.7 GB of CSV.
	# shellcheck disable=SC2086
	/usr/bin/time -f "%e %M %U %S" -o "$tmp/t" "$BIN" run --quiet --no-progress \
		--max-cells 2000000000 --max-text-size 64GiB $EXTRA --out "$tmp/out" "$in" >"$tmp/log" 2>&1 || {
		rc=$?
		# exit 1: findings; the output is still published
		[ "$rc" -eq 1 ] || { cat "$tmp/log" >&2; exit 1; }
	}
	# (time writes "Command exited with non-zero status 1" first then)
	read -r s m u sy < <(tail -n 1 "$tmp/t")
	findings=$( (grep -o '"rule": *"[^"]*"' "$tmp/out/report.json" || true) | wc -l)
	awk -v n="$n" -v b="$(stat -c %s "$in")" -v s="$s" -v u="$u" -v sy="$sy" -v m="$m" -v f="$findings" \
		'BEGIN {printf "| %d | %.0f | %.1f | %.1f | %.0f | %.0f | %d |\n", n, b / 1e6, s, u + sy, n / s, m / 1024, f}'
	[ -n "$first" ] || first=$m
	last=$m
done
if [ "$first" != "$last" ]; then
	awk -v a="$first" -v b="$last" -v sz="$SIZES" \
		'BEGIN {k = split(sz, x, " "); printf "\npeak RSS(%s) / peak RSS(%s) = %.2f (target: at most 1.5)\n", x[k], x[1], b / a}'
fi

#!/usr/bin/env bash
# What the row-group size costs and gives: tradeetl run on one long table
# (default bench/data/long-1m.csv, make bench-data) with each
# --row-group-rows in SIZES, RUNS runs each (median): wall time, CPU time,
# peak RSS, the observations file's size and its row groups.
#
#   bench/rowgroups.sh [FILE]     SIZES="131072 1048576" RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"131072 262144 1048576"}
in=${1:-bench/data/long-1m.csv}
[ -e "$in" ] || { echo "no benchmark data: run make bench-data" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/tradeetl" ./cmd/tradeetl
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "# $(basename "$in"), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "| %s | %s | %s | %s | %s | %s |\n" "--row-group-rows" "row groups" "wall s" "CPU s" "peak RSS MB" "file MB"
printf "|---:|---:|---:|---:|---:|---:|\n"
for n in $SIZES; do
	: >"$tmp/wall"; : >"$tmp/cpu"; : >"$tmp/rss"
	for _ in $(seq "$RUNS"); do
		rm -rf "$tmp/out"
		/usr/bin/time -f "%e %M %U %S" -o "$tmp/t" "$tmp/tradeetl" run --quiet --no-progress \
			--row-group-rows "$n" --out "$tmp/out" "$in" >"$tmp/log" 2>&1 || {
			rc=$?
			# exit 1: findings; the output is still published
			[ "$rc" -eq 1 ] || { cat "$tmp/log" >&2; exit 1; }
		}
		read -r s m u sy <"$tmp/t"
		echo "$s" >>"$tmp/wall"; echo "$m" >>"$tmp/rss"; awk -v u="$u" -v s="$sy" 'BEGIN {print u + s}' >>"$tmp/cpu"
	done
	file=$(find "$tmp/out/observations" -name '*.parquet' | head -1)
	groups=$(( ($(grep -o '"observations": *[0-9]*' "$tmp/out/report.json" | head -1 | grep -o '[0-9]*$') + n - 1) / n ))
	awk -v n="$n" -v g="$groups" -v w="$(median <"$tmp/wall")" -v c="$(median <"$tmp/cpu")" \
		-v m="$(median <"$tmp/rss")" -v b="$(stat -c %s "$file")" \
		'BEGIN {printf "| %d | %d | %.1f | %.1f | %.0f | %.1f |\n", n, g, w, c, m / 1024, b / 1e6}'
done

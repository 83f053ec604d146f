#!/usr/bin/env bash
# Times the xlsx readers on the benchmark workbooks (make bench-data) and
# prints, per file and reader, the median of RUNS runs: wall time, rows/s,
# peak RSS, and the ratio to the unzip floor measured in the same run.
#
#   bench/xlsxscan.sh [FILE.xlsx...]     default: bench/data/long-*.xlsx
#
# Readers: unzip -p of the sheet XML (the floor), Go archive/zip inflate +
# byte count (zipscan), xlsxscan, and excelize's Rows iterator (only for
# files under EXCELIZE_MAX_MB compressed megabytes, default 10: it takes
# about a minute per run on the 1M-row files).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
EXCELIZE_MAX_MB=${EXCELIZE_MAX_MB:-10}
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
	files=(bench/data/long-*.xlsx)
fi
[ -e "${files[0]}" ] || { echo "no benchmark data: run make bench-data" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/xlsxread" ./bench/xlsxread

# run CMD... : prints "seconds maxrss_kb"
run() { /usr/bin/time -f "%e %M" -o "$bin/t" "$@" >"$bin/out" 2>&1 || { cat "$bin/out" >&2; exit 1; }; cat "$bin/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf "%-28s %-9s %9s %12s %9s %8s\n" file reader seconds rows/s "RSS MB" "×floor"
for f in "${files[@]}"; do
	rows=$("$bin/xlsxread" -mode xlsxscan "$f" | sed -E 's/^[^:]*: ([0-9]+) rows.*/\1/')
	mb=$(( $(stat -c %s "$f") / 1000000 ))
	readers=(unzip zipscan xlsxscan)
	[ "$mb" -lt "$EXCELIZE_MAX_MB" ] && readers+=(excelize)
	declare -A secs rss
	for r in "${readers[@]}"; do
		: >"$bin/times"; : >"$bin/rss"
		for _ in $(seq "$RUNS"); do
			case $r in
			unzip) out=$(run sh -c "unzip -p '$f' xl/worksheets/sheet1.xml >/dev/null") ;;
			*) out=$(run "$bin/xlsxread" -mode "$r" "$f") ;;
			esac
			echo "${out% *}" >>"$bin/times"; echo "${out#* }" >>"$bin/rss"
		done
		secs[$r]=$(median <"$bin/times"); rss[$r]=$(median <"$bin/rss")
	done
	for r in "${readers[@]}"; do
		awk -v f="$(basename "$f")" -v r="$r" -v s="${secs[$r]}" -v m="${rss[$r]}" -v n="$rows" -v fl="${secs[unzip]}" \
			'BEGIN {printf "%-28s %-9s %9.2f %12.0f %9.0f %8.2f\n", f, r, s, (s > 0 ? n / s : 0), m / 1024, (fl > 0 ? s / fl : 0)}'
	done
	unset secs rss
done

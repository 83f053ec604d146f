#!/usr/bin/env bash
# Times the xlsx readers on the benchmark workbooks (make bench-data) and
# prints, per file and reader, the median of RUNS runs: wall time, CPU time
# (user + system), rows/s, peak RSS, and the ratio of wall times to the
# unzip floor measured in the same run. On a busy machine the CPU times are
# the steadier measure.
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

# run CMD... : prints "seconds maxrss_kb cpu_seconds"
run() {
	/usr/bin/time -f "%e %M %U %S" -o "$bin/t" "$@" >"$bin/out" 2>&1 || { cat "$bin/out" >&2; exit 1; }
	awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$bin/t"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

conditions() {
	echo "# $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)$( [ -r /proc/pressure/cpu ] && echo ", CPU pressure (share of time runnable work waited) $(awk '/some/ {print $3}' /proc/pressure/cpu)")"
}
conditions
printf "%-24s %-9s %8s %8s %10s %7s %7s\n" file reader wall_s cpu_s rows/s RSS_MB ×floor
for f in "${files[@]}"; do
	rows=$("$bin/xlsxread" -mode xlsxscan "$f" | sed -E 's/^[^:]*: ([0-9]+) rows.*/\1/')
	mb=$(( $(stat -c %s "$f") / 1000000 ))
	readers=(unzip zipscan xlsxscan)
	[ "$mb" -lt "$EXCELIZE_MAX_MB" ] && readers+=(excelize)
	declare -A secs rss cpu
	for r in "${readers[@]}"; do
		: >"$bin/times"; : >"$bin/rss"; : >"$bin/cpu"
		for _ in $(seq "$RUNS"); do
			case $r in
			unzip) out=$(run sh -c "unzip -p '$f' xl/worksheets/sheet1.xml >/dev/null") ;;
			*) out=$(run "$bin/xlsxread" -mode "$r" "$f") ;;
			esac
			read -r s m c <<<"$out"
			echo "$s" >>"$bin/times"; echo "$m" >>"$bin/rss"; echo "$c" >>"$bin/cpu"
		done
		secs[$r]=$(median <"$bin/times"); rss[$r]=$(median <"$bin/rss"); cpu[$r]=$(median <"$bin/cpu")
	done
	for r in "${readers[@]}"; do
		awk -v f="$(basename "$f")" -v r="$r" -v s="${secs[$r]}" -v c="${cpu[$r]}" -v m="${rss[$r]}" -v n="$rows" -v fl="${secs[unzip]}" \
			'BEGIN {printf "%-24s %-9s %8.2f %8.2f %10.0f %7.0f %7.2f\n", f, r, s, c, (s > 0 ? n / s : 0), m / 1024, (fl > 0 ? s / fl : 0)}'
	done
	unset secs rss cpu
done
conditions

#!/usr/bin/env bash
# The .ods and .xls readers against LibreOffice, on the long table of
# bench/xlsxgen (make bench-data-quick: 100,000 rows of 9 columns):
#
#   bench/data/long-100k.ods   LibreOffice's conversion of long-100k-shared.xlsx
#   bench/data/long-100k.xls   LibreOffice's conversion of the same rows in two
#                              sheets of 50,000 (a BIFF8 sheet holds at most
#                              65,536 rows), written as .fods by this script
#
# and, in the same run, the time LibreOffice itself takes to read each file
# (soffice --headless --convert-to csv, which reads the whole workbook and
# writes its first sheet) next to tradeetl's readers
# (go test -bench 'ReadODS100k|ReadXLS100k' ./extract: open and read every
# cell of every sheet).
set -euo pipefail
cd "$(dirname "$0")/.."
data=bench/data
[ -e $data/long-100k.csv ] || { echo "no benchmark data: run make bench-data-quick" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
secs() { /usr/bin/time -f "%e" -o "$tmp/t" "$@" >/dev/null 2>&1; cat "$tmp/t"; }
if [ ! -e $data/long-100k.ods ]; then
	cp $data/long-100k-shared.xlsx "$tmp/long-100k.xlsx"
	echo "LibreOffice xlsx -> ods: $(secs soffice --headless --convert-to ods --outdir $data "$tmp/long-100k.xlsx") s"
fi
if [ ! -e $data/long-100k.xls ]; then
	python3 - "$data/long-100k.csv" "$tmp/long-100k.fods" <<'PY'
import csv, sys
from xml.sax.saxutils import escape, quoteattr
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
head, body = rows[0], rows[1:]
half = (len(body) + 1) // 2
def cell(v):
    try:
        float(v)
        return '<table:table-cell office:value-type="float" office:value=%s><text:p>%s</text:p></table:table-cell>' % (quoteattr(v), escape(v))
    except ValueError:
        return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % escape(v)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet>')
    for i, part in enumerate((body[:half], body[half:])):
        f.write('<table:table table:name="Part %d">' % (i + 1))
        for r in [head] + part:
            f.write('<table:table-row>' + ''.join('<table:table-cell/>' if v == '' else cell(v) for v in r) + '</table:table-row>')
        f.write('</table:table>')
    f.write('</office:spreadsheet></office:body></office:document>')
PY
	echo "LibreOffice fods -> xls: $(secs soffice --headless --convert-to xls --outdir $data "$tmp/long-100k.fods") s"
fi
echo "LibreOffice reads long-100k.ods (convert to csv): $(secs soffice --headless --convert-to csv --outdir "$tmp" $data/long-100k.ods) s"
echo "LibreOffice reads long-100k.xls (convert to csv): $(secs soffice --headless --convert-to csv --outdir "$tmp" $data/long-100k.xls) s"
go test -run '^$' -bench 'ReadODS100k|ReadXLS100k' -benchtime 3x ./extract | grep -E '^Benchmark'

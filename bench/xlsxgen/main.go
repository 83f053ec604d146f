// Command xlsxgen writes the benchmark inputs: a long table of
// trade figures (reporter, partner, flow, product code, product label,
// year, value, quantity) as
//
//   - NAME-inline.xlsx: inline strings, written by excelize's StreamWriter
//     the way libraries write large sheets;
//   - NAME-shared.xlsx: a shared-strings table, cells with explicit
//     references, spans and styles, the way Excel saves a workbook;
//   - NAME.csv: the same data as CSV.
//
// The data comes from package bench/longtable: figures that add up
// (Belgium is the sum of its three regions, each Total line the sum of the
// 99 chapters), so that a clean delivery gives no findings and the
// consistency rules still do all their work; -errors N plants N typing
// slips (a decimal point moved) for the audit to find. The data is
// deterministic: the same flags give the same bytes.
//
//	go run ./bench/xlsxgen -rows 1000000 -out bench/data -name long-1m
//
// -formats csv writes the CSV alone: make bench-scale's tables of 10M and
// 30M rows do not fit an xlsx sheet.
package main

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/bench/longtable"
)

var header = longtable.Header

// headings is the -headings flag: product lines per chapter.
var headings = 1

// rows calls fn for each generated row, as the texts written.
func rows(n, planted int, fn func(r longtable.Row, value string) error) error {
	var err error
	longtable.GenerateHeadings(n, planted, headings, func(r longtable.Row) bool {
		err = fn(r, strconv.FormatFloat(float64(r.Value)/100, 'f', 2, 64))
		return err == nil
	})
	return err
}

func main() {
	rows := flag.Int("rows", 100_000, "data rows (a header row comes on top)")
	out := flag.String("out", "bench/data", "output directory")
	name := flag.String("name", "", "file name stem (default long-<rows>)")
	planted := flag.Int("errors", 0, "plant this many errors (a decimal point moved in a region's chapter figure)")
	flag.IntVar(&headings, "headings", 1, "product lines per chapter (10: codes 0101..9910, so that tens of millions of rows stay within the years 1990-2100)")
	formats := flag.String("formats", "inline,shared,csv", "which files to write, comma-separated: inline, shared, csv (an xlsx sheet holds at most 1,048,576 rows)")
	flag.Parse()
	want := map[string]bool{}
	for _, f := range strings.Split(*formats, ",") {
		switch f = strings.TrimSpace(f); f {
		case "inline", "shared", "csv":
			want[f] = true
		default:
			log.Fatalf("-formats: unknown format %q (inline, shared, csv)", f)
		}
	}
	if *name == "" {
		*name = "long-" + strconv.Itoa(*rows)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	stem := filepath.Join(*out, *name)
	for _, w := range []struct {
		format, ext string
		fn          func(string, int, int) error
	}{{"inline", "-inline.xlsx", writeInline}, {"shared", "-shared.xlsx", writeShared}, {"csv", ".csv", writeCSV}} {
		if !want[w.format] {
			continue
		}
		if err := w.fn(stem+w.ext, *rows, *planted); err != nil {
			log.Fatalf("%s%s: %v", stem, w.ext, err)
		}
		fmt.Println(stem + w.ext)
	}
}

// writeInline writes the table through excelize's StreamWriter (inline
// strings), as programs built on excelize do.
func writeInline(path string, n, planted int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	vals := make([]any, 8)
	row := 2
	err = rows(n, planted, func(r longtable.Row, _ string) error {
		vals[0], vals[1], vals[2], vals[3], vals[4] = r.Reporter, r.Partner, r.Flow, r.Code, r.Label
		vals[5], vals[6], vals[7] = r.Year, excelize.Cell{StyleID: money, Value: float64(r.Value) / 100}, r.Quantity
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// writeShared writes the table the way Excel saves it: a shared-strings
// table, <row r spans>, cells with references and styles.
func writeShared(path string, n, planted int) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer file.Close()
	zw := zip.NewWriter(file)
	part := func(name, content string) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, content)
		}
		return err
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	if err := part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`); err != nil {
		return err
	}
	if err := part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`); err != nil {
		return err
	}
	if err := part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook `+ns+`><workbookPr defaultThemeVersion="166925"/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`); err != nil {
		return err
	}
	if err := part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`); err != nil {
		return err
	}
	if err := part("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet `+ns+`><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`); err != nil {
		return err
	}

	// the sheet, collecting the shared strings as Excel does (first use
	// order)
	index := map[string]int{}
	var table []string
	sst := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(table)
		table = append(table, s)
		return len(table) - 1
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet %s><dimension ref="A1:H%d"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`, ns, n+1)
	var line []byte
	cellS := func(col byte, row int, s string) {
		line = append(line, `<c r="`...)
		line = append(line, col)
		line = strconv.AppendInt(line, int64(row), 10)
		line = append(line, `" t="s"><v>`...)
		line = strconv.AppendInt(line, int64(sst(s)), 10)
		line = append(line, `</v></c>`...)
	}
	cellN := func(col byte, row int, style int, v string) {
		line = append(line, `<c r="`...)
		line = append(line, col)
		line = strconv.AppendInt(line, int64(row), 10)
		line = append(line, '"')
		if style != 0 {
			line = append(line, ` s="`...)
			line = strconv.AppendInt(line, int64(style), 10)
			line = append(line, '"')
		}
		line = append(line, `><v>`...)
		line = append(line, v...)
		line = append(line, `</v></c>`...)
	}
	rowStart := func(row int) {
		line = append(line[:0], `<row r="`...)
		line = strconv.AppendInt(line, int64(row), 10)
		line = append(line, `" spans="1:8">`...)
	}
	rowStart(1)
	for i, h := range header {
		cellS(byte('A'+i), 1, h)
	}
	line = append(line, `</row>`...)
	bw.Write(line)
	row := 2
	err = rows(n, planted, func(r longtable.Row, value string) error {
		rowStart(row)
		cellS('A', row, r.Reporter)
		cellS('B', row, r.Partner)
		cellS('C', row, r.Flow)
		cellS('D', row, r.Code)
		cellS('E', row, r.Label)
		cellN('F', row, 0, strconv.Itoa(r.Year))
		cellN('G', row, 1, value)
		cellN('H', row, 2, strconv.FormatInt(r.Quantity, 10))
		line = append(line, `</row>`...)
		row++
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	w, err = zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw = bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, 5*(n+1)+3, len(table))
	for _, s := range table {
		bw.WriteString("<si><t>")
		escape(bw, s)
		bw.WriteString("</t></si>")
	}
	bw.WriteString("</sst>")
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func escape(w *bufio.Writer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			w.WriteString("&amp;")
		case '<':
			w.WriteString("&lt;")
		case '>':
			w.WriteString("&gt;")
		default:
			w.WriteByte(c)
		}
	}
}

func writeCSV(path string, n, planted int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, 8)
	err = rows(n, planted, func(r longtable.Row, value string) error {
		rec[0], rec[1], rec[2], rec[3], rec[4] = r.Reporter, r.Partner, r.Flow, r.Code, r.Label
		rec[5], rec[6], rec[7] = strconv.Itoa(r.Year), value, strconv.FormatInt(r.Quantity, 10)
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

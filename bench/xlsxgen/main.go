// Command xlsxgen writes the benchmark inputs of issue 7: a long table of
// trade figures (reporter, partner, flow, product code, product label,
// year, value, quantity) as
//
//   - NAME-inline.xlsx: inline strings, written by excelize's StreamWriter
//     the way libraries write large sheets;
//   - NAME-shared.xlsx: a shared-strings table, cells with explicit
//     references, spans and styles, the way Excel saves a workbook;
//   - NAME.csv: the same data as CSV.
//
// The data is deterministic: the same -rows give the same bytes.
//
//	go run ./bench/xlsxgen -rows 1000000 -out bench/data -name long-1m
package main

import (
	"archive/zip"
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"
)

var header = []string{"reporter", "partner", "flow", "product code", "product label", "year", "value", "quantity"}

var (
	reporters = []string{"Belgium", "Flanders", "Wallonia", "Brussels", "Netherlands", "France", "Germany", "Luxembourg", "Italy", "Spain",
		"Portugal", "Austria", "Denmark", "Sweden", "Finland", "Ireland", "Poland", "Czechia", "Slovakia", "Hungary"}
	partners = []string{"China", "United States", "Japan", "India", "Brazil", "Canada", "Mexico", "South Korea", "Australia", "Russia",
		"Turkey", "Switzerland", "Norway", "United Kingdom", "South Africa", "Nigeria", "Egypt", "Saudi Arabia", "Indonesia", "Vietnam",
		"Thailand", "Malaysia", "Singapore", "Argentina", "Chile", "Colombia", "Peru", "Morocco", "Israel", "World"}
	flows    = []string{"exports", "imports"}
	products = [][2]string{
		{"01", "Live animals"}, {"02", "Meat and edible meat offal"}, {"03", "Fish and crustaceans"}, {"04", "Dairy produce; birds' eggs; honey"},
		{"08", "Edible fruit and nuts"}, {"09", "Coffee, tea, maté and spices"}, {"10", "Cereals"}, {"15", "Animal or vegetable fats and oils"},
		{"22", "Beverages, spirits and vinegar"}, {"27", "Mineral fuels, mineral oils"}, {"29", "Organic chemicals"}, {"30", "Pharmaceutical products"},
		{"39", "Plastics and articles thereof"}, {"40", "Rubber and articles thereof"}, {"48", "Paper and paperboard"}, {"61", "Apparel, knitted or crocheted"},
		{"62", "Apparel, not knitted or crocheted"}, {"71", "Pearls, precious stones, precious metals"}, {"72", "Iron and steel"}, {"73", "Articles of iron or steel"},
		{"84", "Machinery and mechanical appliances"}, {"85", "Electrical machinery and equipment"}, {"87", "Vehicles other than railway"}, {"88", "Aircraft, spacecraft"},
		{"90", "Optical, photographic, medical instruments"}, {"94", "Furniture; bedding, lamps"}, {"95", "Toys, games and sports requisites"}, {"TOTAL", "Total"},
	}
)

// record is one generated row.
type record struct {
	reporter, partner, flow, code, label string
	year                                 int
	value                                string // 2 decimals
	quantity                             int
}

type gen struct{ r *rand.Rand }

func newGen() *gen { return &gen{r: rand.New(rand.NewPCG(7, 7))} }

func (g *gen) next() record {
	p := products[g.r.IntN(len(products))]
	cents := g.r.Int64N(1_000_000_000)
	return record{
		reporter: reporters[g.r.IntN(len(reporters))],
		partner:  partners[g.r.IntN(len(partners))],
		flow:     flows[g.r.IntN(len(flows))],
		code:     p[0], label: p[1],
		year:     2000 + g.r.IntN(25),
		value:    strconv.FormatInt(cents/100, 10) + "." + fmt.Sprintf("%02d", cents%100),
		quantity: g.r.IntN(10_000_000),
	}
}

func main() {
	rows := flag.Int("rows", 100_000, "data rows (a header row comes on top)")
	out := flag.String("out", "bench/data", "output directory")
	name := flag.String("name", "", "file name stem (default long-<rows>)")
	flag.Parse()
	if *name == "" {
		*name = "long-" + strconv.Itoa(*rows)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	stem := filepath.Join(*out, *name)
	for _, w := range []struct {
		ext string
		fn  func(string, int) error
	}{{"-inline.xlsx", writeInline}, {"-shared.xlsx", writeShared}, {".csv", writeCSV}} {
		if err := w.fn(stem+w.ext, *rows); err != nil {
			log.Fatalf("%s%s: %v", stem, w.ext, err)
		}
		fmt.Println(stem + w.ext)
	}
}

// writeInline writes the table through excelize's StreamWriter (inline
// strings), as programs built on excelize do.
func writeInline(path string, rows int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
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
	g := newGen()
	vals := make([]any, 8)
	for i := range rows {
		r := g.next()
		v, _ := strconv.ParseFloat(r.value, 64)
		vals[0], vals[1], vals[2], vals[3], vals[4] = r.reporter, r.partner, r.flow, r.code, r.label
		vals[5], vals[6], vals[7] = r.year, v, r.quantity
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// writeShared writes the table the way Excel saves it: a shared-strings
// table, <row r spans>, cells with references and styles.
func writeShared(path string, rows int) error {
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
<worksheet %s><dimension ref="A1:H%d"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`, ns, rows+1)
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
	g := newGen()
	for i := range rows {
		r := g.next()
		n := i + 2
		rowStart(n)
		cellS('A', n, r.reporter)
		cellS('B', n, r.partner)
		cellS('C', n, r.flow)
		cellS('D', n, r.code)
		cellS('E', n, r.label)
		cellN('F', n, 0, strconv.Itoa(r.year))
		cellN('G', n, 1, r.value)
		cellN('H', n, 2, strconv.Itoa(r.quantity))
		line = append(line, `</row>`...)
		if _, err := bw.Write(line); err != nil {
			return err
		}
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
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, 5*(rows+1)+3, len(table))
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

func writeCSV(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	quote := func(s string) string {
		for i := 0; i < len(s); i++ {
			if s[i] == ',' || s[i] == '"' {
				return strconv.Quote(s) // no '"' in the data: Quote is CSV-safe here
			}
		}
		return s
	}
	for i, h := range header {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(h)
	}
	bw.WriteByte('\n')
	g := newGen()
	for range rows {
		r := g.next()
		fmt.Fprintf(bw, "%s,%s,%s,%s,%s,%d,%s,%d\n", quote(r.reporter), quote(r.partner), r.flow, r.code, quote(r.label), r.year, r.value, r.quantity)
	}
	return bw.Flush()
}

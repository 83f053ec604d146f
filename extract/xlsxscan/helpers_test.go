package xlsxscan

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships/`
)

// zipOf builds a zip archive from part names and contents, in the order
// given (name, content, name, content...).
func zipOf(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The styles of the test workbooks: cellXfs 0 General, 1 built-in "0.00",
// 2 custom 164 "0.0%", 3 built-in 14 (a date), 4 id 59 defined by the
// file, 5 custom 165 with an empty code.
const testStyles = `<?xml version="1.0" encoding="UTF-8"?>
<styleSheet ` + nsMain + `><numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="59" formatCode="#,##0.000"/><numFmt numFmtId="165" formatCode=""/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="2"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="2" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="59"/><xf numFmtId="165"/></cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="166" formatCode="0.0000"/></dxf></dxfs></styleSheet>`

// The shared strings of the test workbooks: 0 "zero", 1 "one", 2 rich
// text "Bold and plain" with a phonetic run, 3 "a_x000D_b" escaped, 4 "".
const testSST = `<?xml version="1.0" encoding="UTF-8"?>
<sst ` + nsMain + ` count="5" uniqueCount="5"><si><t>zero</t></si><si><t xml:space="preserve">one</t></si>` +
	`<si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r><rPh sb="0" eb="1"><t>ボ</t></rPh><phoneticPr fontId="1"/></si>` +
	`<si><t>a_x000D_b</t></si><si><t/></si></sst>`

// bookParts returns the parts of a workbook with one sheet per sheet XML
// (the content of <sheetData>), named Sheet1, Sheet2...
func bookParts(sheetData ...string) []string {
	sheets, rels := "", ""
	var parts []string
	for i, sd := range sheetData {
		n := string(rune('1' + i))
		sheets += `<sheet name="Sheet` + n + `" sheetId="` + n + `" r:id="rId` + n + `"/>`
		rels += `<Relationship Id="rId` + n + `" Type="` + relNS + `worksheet" Target="worksheets/sheet` + n + `.xml"/>`
		parts = append(parts, "xl/worksheets/sheet"+n+".xml",
			`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<worksheet `+nsMain+`><sheetData>`+sd+`</sheetData></worksheet>`)
	}
	rels += `<Relationship Id="rIdS" Type="` + relNS + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdT" Type="` + relNS + `sharedStrings" Target="sharedStrings.xml"/>`
	return append([]string{
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + nsMain + `><sheets>` + sheets + `</sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`,
		"xl/styles.xml", testStyles,
		"xl/sharedStrings.xml", testSST,
	}, parts...)
}

// openBytes opens a workbook held in memory.
func openBytes(t testing.TB, data []byte, lim Limits) (*Workbook, error) {
	t.Helper()
	return NewReader(bytes.NewReader(data), int64(len(data)), lim)
}

// readSheet reads all rows of the first sheet.
func readSheet(t testing.TB, data []byte, lim Limits, tun tuning) ([]Row, error) {
	t.Helper()
	w, err := newReader(bytes.NewReader(data), int64(len(data)), lim, tun)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	r, err := w.OpenSheetAt(context.Background(), 0)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row.Clone())
	}
}

// cells flattens rows.
func cells(rows []Row) []Cell {
	var cs []Cell
	for _, r := range rows {
		cs = append(cs, r.Cells...)
	}
	return cs
}

package auditxlsx

import (
	"bufio"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
)

// findingsPlan is the Findings sheet the copy adds.
type findingsPlan struct {
	names    []string        // the workbook's sheet names
	sheetIDs map[string]bool // and their ids
	name     string
	part     string
	rid      string
	sheetID  int
	rows     []*schemas.Finding // listed, verdicts first
	total    int                // findings of the file
}

// findingsColumns are the columns of the Findings sheet.
var findingsColumns = []struct {
	title string
	width float64
}{
	{"Severity", 10}, {"Rule", 20}, {"Cell", 24}, {"Suspect", 10}, {"Suggested", 11}, {"Slip", 20},
	{"Expected", 11}, {"Actual", 11}, {"Tolerance", 10}, {"Cells", 26}, {"Message", 110},
}

func (b *build) planFindings(findings []schemas.Finding) {
	fp := &b.findings
	var own []*schemas.Finding
	for i := range findings {
		if findings[i].File == b.src {
			own = append(own, &findings[i])
		}
	}
	slices.SortStableFunc(own, func(a, b *schemas.Finding) int { return verdictRank(a) - verdictRank(b) })
	fp.total = len(own)
	fp.rows = own[:min(len(own), b.opts.MaxFindings)]
	b.res.Findings, b.res.Listed = fp.total, len(fp.rows)

	fp.name = FindingsSheet
	for i := 2; slices.ContainsFunc(fp.names, func(n string) bool { return strings.EqualFold(n, fp.name) }); i++ {
		fp.name = fmt.Sprintf("%s (%d)", FindingsSheet, i)
	}
	fp.part = b.unusedName(partDir(b.workbook)+"worksheets/", "sheet", ".xml", map[string]bool{})
	fp.rid = unusedID(b.relsOf[b.workbook], "rIdTradeetl")
	for id := range fp.sheetIDs {
		if n, err := strconv.Atoi(id); err == nil && n >= fp.sheetID {
			fp.sheetID = n
		}
	}
	fp.sheetID++
}

// quoteSheet quotes a sheet name for a formula or link, doubling its quotes.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// writeFindings writes the Findings sheet: a header, a row per finding
// listed (severity, rule, its cell linked, suspect, suggested value, slip,
// expected, actual, tolerance, cells, message) and what it leaves out.
func (b *build) writeFindings(w *bufio.Writer) error {
	fp, st := &b.findings, b.styles
	w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	w.WriteString(`<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	w.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`)
	w.WriteString(`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for i, c := range findingsColumns {
		style := ""
		if i == len(findingsColumns)-1 {
			style = fmt.Sprintf(` style="%d"`, st.wrap)
		}
		fmt.Fprintf(w, `<col min="%d" max="%d" width="%g"%s customWidth="1"/>`, i+1, i+1, c.width, style)
	}
	w.WriteString(`</cols><sheetData>`)
	cw := cellWriter{w: w}
	cw.row(1)
	for i, c := range findingsColumns {
		cw.text(i+1, c.title, st.head)
	}
	cw.end()
	type link struct {
		ref, target, display string
	}
	var links []link
	sheetNames := make(map[string]bool, len(fp.names))
	for _, n := range fp.names {
		sheetNames[n] = true
	}
	for i, fd := range fp.rows {
		r := i + 2
		cw.row(r)
		cw.text(1, string(fd.Severity), 0)
		cw.text(2, fd.Rule, 0)
		if a := anchor(fd); a != "?" {
			_, sheet, c := fd.Locate(a)
			display := sheet + "!" + c
			if sheet == "" {
				display = c
			}
			style := 0
			if sheetNames[sheet] {
				style = st.link
				links = append(links, link{"C" + strconv.Itoa(r), quoteSheet(sheet) + "!" + c, display})
			}
			cw.text(3, display, style)
		}
		sus := fd.SuspectCell
		if sus == "" && len(fd.Candidates) > 0 {
			sus = strings.Join(fd.Candidates, " | ") + "?"
		}
		style := 0
		if fd.Verdict() {
			style = st.redCell
		}
		cw.text(4, sus, style)
		cw.num(5, fd.SuggestedValue)
		cw.text(6, fd.Slip, 0)
		cw.num(7, fd.Expected)
		cw.num(8, fd.Actual)
		cw.num(9, fd.Tolerance)
		cw.text(10, strings.Join(fd.Cells, ","), 0)
		cw.text(11, fd.Message, st.wrap)
		cw.end()
	}
	// What the copy leaves out, under the table.
	var notes []string
	if n := fp.total - len(fp.rows); n > 0 {
		notes = append(notes, fmt.Sprintf("… and %d more findings of this file, not listed here: the first %d are (verdicts first); every one is in the run's report.json and findings/*.parquet.", n, len(fp.rows)))
	}
	if b.res.Commented < b.res.Marked {
		notes = append(notes, fmt.Sprintf("%d cells are filled red or orange; the first %d of them (suspects first) have a comment saying why.", b.res.Marked, b.res.Commented))
	}
	if n := len(b.res.Omitted); n > 0 {
		notes = append(notes, fmt.Sprintf("%d entries of the source's zip archive are no part of the workbook and are left out of this copy.", n))
	}
	for i, n := range notes {
		cw.row(len(fp.rows) + 3 + i)
		cw.text(1, n, 0)
		cw.end()
	}
	if err := cw.err(); err != nil {
		return err
	}
	w.WriteString(`</sheetData>`)
	last := extractColumn(len(findingsColumns))
	if len(fp.rows) > 0 {
		fmt.Fprintf(w, `<autoFilter ref="A1:%s%d"/>`, last, len(fp.rows)+1)
	}
	if len(links) > 0 {
		w.WriteString(`<hyperlinks>`)
		for _, l := range links {
			fmt.Fprintf(w, `<hyperlink ref="%s" location="%s" display="%s" tooltip="%s"/>`,
				l.ref, attrEscape(l.target), attrEscape(l.display), attrEscape("Go to "+l.display))
		}
		w.WriteString(`</hyperlinks>`)
	}
	w.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
	_, err := w.WriteString(`</worksheet>`)
	return err
}

// cellWriter writes the rows of a new sheet, strings inline.
type cellWriter struct {
	w   *bufio.Writer
	r   int
	ref []byte
}

func (cw *cellWriter) row(r int) {
	cw.r = r
	fmt.Fprintf(cw.w, `<row r="%d">`, r)
}

func (cw *cellWriter) end() { cw.w.WriteString(`</row>`) }

func (cw *cellWriter) cell(col, style int) {
	cw.ref = append(cw.ref[:0], extractColumn(col)...)
	cw.ref = strconv.AppendInt(cw.ref, int64(cw.r), 10)
	cw.w.WriteString(`<c r="`)
	cw.w.Write(cw.ref)
	cw.w.WriteByte('"')
	if style != 0 {
		fmt.Fprintf(cw.w, ` s="%d"`, style)
	}
}

func (cw *cellWriter) text(col int, s string, style int) {
	if s == "" && style == 0 {
		return
	}
	cw.cell(col, style)
	if s == "" {
		cw.w.WriteString(`/>`)
		return
	}
	cw.w.WriteString(` t="inlineStr"><is><t xml:space="preserve">`)
	writeText(cw.w, truncate(s, maxCellText))
	cw.w.WriteString(`</t></is></c>`)
}

func (cw *cellWriter) num(col int, v *float64) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return
	}
	cw.cell(col, 0)
	cw.w.WriteString(`><v>`)
	cw.w.WriteString(strconv.FormatFloat(*v, 'g', -1, 64))
	cw.w.WriteString(`</v></c>`)
}

func (cw *cellWriter) err() error {
	_, err := cw.w.Write(nil)
	return err
}

// extractColumn is the letters of column col (1-based).
func extractColumn(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

// workbookAfterDefinedNames are the children of a workbook that come after
// definedNames in the schema's order.
var workbookAfterDefinedNames = map[string]bool{
	"calcPr": true, "oleSize": true, "customWorkbookViews": true, "pivotCaches": true, "smartTagPr": true,
	"smartTagTypes": true, "webPublishing": true, "fileRecoveryPr": true, "webPublishObjects": true, "extLst": true,
}

// writeWorkbook streams workbook.xml with the Findings sheet added to the
// sheet list, and its filter's defined name.
func (b *build) writeWorkbook(w *bufio.Writer) error {
	f, _ := b.p.find(b.workbook)
	rc, err := b.p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	fp := &b.findings
	rw := newRewriter(rc, w)
	depth := 0
	prefix := ""
	sheetEl := func(p string) string {
		return fmt.Sprintf(`<%ssheet xmlns:r="%s" name="%s" sheetId="%d" r:id="%s"/>`, p, nsRel, attrEscape(fp.name), fp.sheetID, fp.rid)
	}
	filter := len(fp.rows) > 0
	nameEl := func(p string) string {
		filter = false
		return fmt.Sprintf(`<%sdefinedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">%s!$A$1:$%s$%d</%sdefinedName>`,
			p, len(fp.names), attrEscape(quoteSheet(fp.name)), extractColumn(len(findingsColumns)), len(fp.rows)+1, p)
	}
	names := func() string {
		return "<" + prefix + "definedNames>" + nameEl(prefix) + "</" + prefix + "definedNames>"
	}
	return rw.run(func(t *tag) error {
		switch t.kind {
		case tagOther:
			return nil
		case tagEnd:
			depth--
			switch {
			case depth == 1 && t.is("sheets"):
				return rw.insert([]byte(sheetEl(t.prefix())))
			case depth == 1 && t.is("definedNames") && filter:
				return rw.insert([]byte(nameEl(t.prefix())))
			case depth == 0 && filter:
				return rw.insert([]byte(names()))
			}
			return nil
		}
		switch {
		case depth == 0:
			prefix = t.prefix()
		case depth == 1 && t.kind == tagEmpty && t.is("sheets"):
			p := t.prefix()
			return rw.replace([]byte("<" + p + "sheets>" + sheetEl(p) + "</" + p + "sheets>"))
		case depth == 1 && t.kind == tagEmpty && t.is("definedNames") && filter:
			p := t.prefix()
			return rw.replace([]byte("<" + p + "definedNames>" + nameEl(p) + "</" + p + "definedNames>"))
		case depth == 1 && filter && workbookAfterDefinedNames[string(t.local())]:
			if err := rw.insert([]byte(names())); err != nil {
				return err
			}
		}
		if t.kind == tagStart {
			depth++
		}
		return nil
	})
}

// Package auditxlsx writes the annotated copy of a source workbook. In: the
// path of an .xlsx or .xlsm input and the run's findings. Out:
// OUT/audit/<input>.audit.xlsx, a copy of the input (which is only read,
// never modified) where
//
//   - the cells the audit names as wrong (suspects, and candidates when the
//     rules cannot tell which is wrong) are filled red,
//   - the other cells of every failed rule are filled orange,
//   - each of those cells has a comment with the rules it takes part in,
//     expected vs actual, the suspect and its suggested value,
//   - a "Findings" sheet lists every finding of the file, each linked to its
//     cell.
//
// Cell styles keep their number format, font and borders: only the fill
// changes. The copy is written under a temporary name and renamed into
// place when complete.
package auditxlsx

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// Fill colours of marked cells.
const (
	SuspectFill = "FF8080" // red: the cell the audit names as wrong
	OperandFill = "FFC266" // orange: another cell of a failed rule
)

// Author is the author of the comments.
const Author = "tradeetl"

// FindingsSheet is the name of the sheet listing the findings (a suffix is
// added when the source already has a sheet of that name).
const FindingsSheet = "Findings"

// Supported reports whether path is a workbook this package annotates
// (.xlsx or .xlsm; CSV inputs have no cells to colour).
func Supported(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return true
	}
	return false
}

// FileName returns the name of the annotated copy of input:
// "report.audit.xlsx" for "in/report.xlsx". A macro workbook keeps its
// .xlsm extension, which its content type requires.
func FileName(input string) string {
	base := filepath.Base(input)
	ext := filepath.Ext(base)
	out := ".audit.xlsx"
	if strings.EqualFold(ext, ".xlsm") {
		out = ".audit.xlsm"
	}
	return strings.TrimSuffix(base, ext) + out
}

// cellRef is a cell of the source workbook.
type cellRef struct{ sheet, cell string }

// mark is what the audit says about one cell.
type mark struct {
	suspect bool     // red
	notes   []string // comment paragraphs
}

// Write writes dst, the annotated copy of the workbook src (an input path
// as the findings name it), marking every cell of src that findings name.
// It returns the number of cells marked.
func Write(dst, src string, findings []schemas.Finding) (n int, err error) {
	// excelize panics on some unusual workbooks (a styles part without
	// fonts, say); the audit copy is a courtesy, so a panic becomes an
	// error for that copy and never takes the run down.
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("audit copy of %s: excelize failed on this workbook: %v", src, r)
		}
	}()
	data, err := os.ReadFile(src)
	if err != nil {
		return 0, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	defer f.Close()

	sheets := map[string]bool{}
	for _, s := range f.GetSheetList() {
		sheets[s] = true
	}
	marks := map[cellRef]*mark{}
	var order []cellRef
	at := func(sheet, cell string) *mark {
		k := cellRef{sheet, cell}
		m := marks[k]
		if m == nil {
			m = &mark{}
			marks[k] = m
			order = append(order, k)
		}
		return m
	}
	var own []*schemas.Finding // findings anchored in src
	for i := range findings {
		fd := &findings[i]
		if fd.File == src {
			own = append(own, fd)
		}
		wrong := map[string]bool{}
		for _, ref := range append([]string{fd.SuspectCell}, fd.Candidates...) {
			if ref != "" {
				wrong[ref] = true
			}
		}
		for _, ref := range append(slices.Clone(fd.Cells), fd.Candidates...) {
			file, sheet, cell := fd.Locate(ref)
			if file != src || !sheets[sheet] {
				continue
			}
			if _, _, err := excelize.CellNameToCoordinates(cell); err != nil {
				continue
			}
			m := at(sheet, cell)
			m.suspect = m.suspect || wrong[ref]
			note := noteFor(fd, ref, wrong[ref])
			if !slices.Contains(m.notes, note) {
				m.notes = append(m.notes, note)
			}
		}
	}

	styles := map[[2]any]int{} // (original style, colour) → new style
	for _, k := range order {
		m := marks[k]
		color := OperandFill
		if m.suspect {
			color = SuspectFill
		}
		if err := fill(f, k, color, styles); err != nil {
			return 0, fmt.Errorf("audit copy of %s: %s!%s: %w", src, k.sheet, k.cell, err)
		}
		if err := comment(f, k, m); err != nil {
			return 0, fmt.Errorf("audit copy of %s: %s!%s: %w", src, k.sheet, k.cell, err)
		}
	}
	if err := findingsSheet(f, own); err != nil {
		return 0, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	err = load.WriteFileAtomic(dst, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
	return len(order), err
}

// fill gives a cell a solid fill, keeping the rest of its style.
func fill(f *excelize.File, k cellRef, color string, cache map[[2]any]int) error {
	id, err := f.GetCellStyle(k.sheet, k.cell)
	if err != nil {
		return err
	}
	key := [2]any{id, color}
	nid, ok := cache[key]
	if !ok {
		st, err := f.GetStyle(id)
		if err != nil {
			return err
		}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
		if nid, err = f.NewStyle(st); err != nil {
			return err
		}
		cache[key] = nid
	}
	return f.SetCellStyle(k.sheet, k.cell, k.cell, nid)
}

// comment adds the audit's comment to a cell, after any comment the cell
// already has.
func comment(f *excelize.File, k cellRef, m *mark) error {
	title := "tradeetl audit: part of a failed rule"
	if m.suspect {
		title = "tradeetl audit: this figure looks wrong"
	}
	runs := []excelize.RichTextRun{{Text: title + "\n", Font: &excelize.Font{Bold: true}}}
	existing, err := f.GetComments(k.sheet)
	if err != nil {
		return err
	}
	for _, c := range existing {
		if c.Cell != k.cell {
			continue
		}
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		if err := f.DeleteComment(k.sheet, k.cell); err != nil {
			return err
		}
		runs = append([]excelize.RichTextRun{{Text: text + "\n\n"}}, runs...)
	}
	runs = append(runs, excelize.RichTextRun{Text: strings.Join(m.notes, "\n\n")})
	n := 0
	for _, r := range runs {
		n += len(r.Text)
	}
	return f.AddComment(k.sheet, excelize.Comment{
		Cell: k.cell, Author: Author, Paragraph: runs,
		Width: 320, Height: uint(min(400, 60+n/2)),
	})
}

// noteFor is the comment paragraph a finding gives one of its cells.
func noteFor(fd *schemas.Finding, ref string, wrong bool) string {
	var sb strings.Builder
	switch {
	case fd.Rule == validate.RuleSuspect && fd.SuspectCell == "":
		sb.WriteString("One of " + strings.Join(fd.Candidates, ", ") + " is wrong; the rules cannot tell which.")
	case fd.Rule == validate.RuleSuspect || fd.Rule == validate.RuleScaleSlip:
		sb.WriteString(fd.Rule + ": ")
	default:
		sb.WriteString(fd.Severity + " " + fd.Rule + " at " + anchor(fd) + ": ")
		if fd.Expected != nil && fd.Actual != nil {
			sb.WriteString("expected " + schemas.FormatFigure(fd.Expected) + ", actual " + schemas.FormatFigure(fd.Actual))
			if fd.Tolerance != nil {
				sb.WriteString(" (±" + schemas.FormatFigure(fd.Tolerance) + ")")
			}
			sb.WriteString(". ")
		}
	}
	if fd.Rule != validate.RuleSuspect || fd.SuspectCell != "" {
		sb.WriteString(fd.Message)
	}
	if fd.Rule != validate.RuleSuspect && fd.Rule != validate.RuleScaleSlip && fd.SuspectCell != "" {
		sb.WriteString("\nSuspect: " + fd.SuspectCell)
		if fd.SuggestedValue != nil {
			sb.WriteString(", suggested value " + schemas.FormatFigure(fd.SuggestedValue))
		}
		if fd.Slip != "" {
			sb.WriteString(" (" + fd.Slip + ")")
		}
		if fd.SuspectCell == ref || wrong {
			sb.WriteString(" — this cell")
		}
	}
	return sb.String()
}

func anchor(fd *schemas.Finding) string {
	if len(fd.Cells) == 0 {
		return "?"
	}
	return fd.Cells[0]
}

// findingsColumns are the columns of the Findings sheet.
var findingsColumns = []struct {
	title string
	width float64
}{
	{"Severity", 10}, {"Rule", 20}, {"Cell", 24}, {"Suspect", 10}, {"Suggested", 11}, {"Slip", 20},
	{"Expected", 11}, {"Actual", 11}, {"Tolerance", 10}, {"Cells", 26}, {"Message", 110},
}

// findingsSheet adds the sheet listing the findings, each linked to its
// anchor cell, verdicts first.
func findingsSheet(f *excelize.File, fs []*schemas.Finding) error {
	name := FindingsSheet
	for i := 2; ; i++ {
		if idx, _ := f.GetSheetIndex(name); idx < 0 {
			break
		}
		name = fmt.Sprintf("%s (%d)", FindingsSheet, i)
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDDDDD"}}})
	if err != nil {
		return err
	}
	link, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	if err != nil {
		return err
	}
	red, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{SuspectFill}}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, c := range findingsColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellValue(name, col+"1", c.title); err != nil {
			return err
		}
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(findingsColumns))
	if err := f.SetCellStyle(name, "A1", last+"1", head); err != nil {
		return err
	}
	if err := f.SetColStyle(name, last, wrap); err != nil {
		return err
	}
	sorted := slices.Clone(fs)
	slices.SortStableFunc(sorted, func(a, b *schemas.Finding) int {
		return verdictRank(a) - verdictRank(b)
	})
	for i, fd := range sorted {
		row := i + 2
		cell := func(col string) string { return col + strconv.Itoa(row) }
		set := func(col string, v any) error { return f.SetCellValue(name, cell(col), v) }
		opt := func(col string, v *float64) error {
			if v == nil {
				return nil
			}
			return set(col, *v)
		}
		if err := set("A", fd.Severity); err != nil {
			return err
		}
		if err := set("B", fd.Rule); err != nil {
			return err
		}
		if a := anchor(fd); a != "?" {
			_, sheet, c := fd.Locate(a)
			display := sheet + "!" + c
			if sheet == "" {
				display = c
			}
			if err := set("C", display); err != nil {
				return err
			}
			if idx, _ := f.GetSheetIndex(sheet); idx >= 0 {
				target := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + c
				tip := "Go to " + display
				if err := f.SetCellHyperLink(name, cell("C"), target, "Location", excelize.HyperlinkOpts{Tooltip: &tip}); err != nil {
					return err
				}
				if err := f.SetCellStyle(name, cell("C"), cell("C"), link); err != nil {
					return err
				}
			}
		}
		sus := fd.SuspectCell
		if sus == "" && len(fd.Candidates) > 0 {
			sus = strings.Join(fd.Candidates, " | ") + "?"
		}
		if err := set("D", sus); err != nil {
			return err
		}
		if fd.Rule == validate.RuleSuspect || fd.Rule == validate.RuleScaleSlip {
			if err := f.SetCellStyle(name, cell("D"), cell("D"), red); err != nil {
				return err
			}
		}
		for _, kv := range []struct {
			col string
			v   *float64
		}{{"E", fd.SuggestedValue}, {"G", fd.Expected}, {"H", fd.Actual}, {"I", fd.Tolerance}} {
			if err := opt(kv.col, kv.v); err != nil {
				return err
			}
		}
		if err := set("F", fd.Slip); err != nil {
			return err
		}
		if err := set("J", strings.Join(fd.Cells, ",")); err != nil {
			return err
		}
		if err := set("K", fd.Message); err != nil {
			return err
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if len(sorted) > 0 {
		if err := f.AutoFilter(name, "A1:"+last+strconv.Itoa(len(sorted)+1), nil); err != nil {
			return err
		}
	}
	return nil
}

// verdictRank puts the audit's verdicts before the rules' findings.
func verdictRank(f *schemas.Finding) int {
	switch f.Rule {
	case validate.RuleSuspect, validate.RuleScaleSlip:
		return 0
	}
	return 1
}

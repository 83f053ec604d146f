// Package auditxlsx writes the annotated copy of a source workbook. In: the
// path of an .xlsx or .xlsm input and the run's findings. Out:
// OUT/audit/<input>.audit.xlsx, a copy of the input (which is only read,
// never modified) where
//
//   - the cells the audit names as wrong (suspects, and candidates when the
//     rules cannot tell which is wrong) are filled red,
//   - the other cells of every failed rule are filled orange,
//   - the first Options.MaxComments of those cells (suspects first) have a
//     comment with the rules they take part in, expected vs actual, the
//     suspect and its suggested value,
//   - a "Findings" sheet lists the file's findings (the first
//     Options.MaxFindings, verdicts first), each linked to its cell, and
//     says how many cells and findings it leaves out.
//
// Cell styles keep their number format, font and borders: only the fill
// changes.
//
// The copy is written by streaming the source's zip archive: the parts the
// annotations change (the marked worksheets, the styles, the workbook and
// their relationships, the content types) are rewritten in one pass over
// their bytes; every other part is copied as it is stored, after being
// inflated once to check it against the same limit as the reader
// (--max-unzip-size) and against its checksum. Only the parts the workbook
// reaches through its relationships are copied: entries it never
// references (stray files, zip-slip names, nested archives, huge padding)
// are left out, and no entry name is ever rewritten. Time and memory grow
// with the size of the workbook and the number of findings, linearly; the
// context stops the copy between parts and every few megabytes within one.
//
// The copy is written under a temporary name and renamed into place when
// complete.
package auditxlsx

import (
	"archive/zip"
	"bufio"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	kflate "github.com/klauspost/compress/flate"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
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

// Defaults of Options.
const (
	DefaultMaxComments = 1_000
	DefaultMaxFindings = 50_000
	maxNotes           = 8 // notes in one comment; the rest are counted
)

// Options bound what the annotated copy holds.
type Options struct {
	// Limits are the reader's: the parts copied decompress to at most
	// Limits.MaxUnzipSize bytes in all.
	Limits extract.Limits
	// MaxComments caps the cells given a comment, suspects first
	// (default DefaultMaxComments); every marked cell is filled all the
	// same.
	MaxComments int
	// MaxFindings caps the rows of the Findings sheet, verdicts first
	// (default DefaultMaxFindings).
	MaxFindings int
}

func (o Options) withDefaults() Options {
	if o.Limits.MaxUnzipSize <= 0 {
		o.Limits.MaxUnzipSize = extract.DefaultMaxUnzipSize
	}
	if o.MaxComments <= 0 {
		o.MaxComments = DefaultMaxComments
	}
	if o.MaxFindings <= 0 {
		o.MaxFindings = DefaultMaxFindings
	}
	return o
}

// Result says what the annotated copy holds.
type Result struct {
	Marked    int      // cells filled
	Commented int      // cells given a comment (at most Options.MaxComments)
	Listed    int      // findings on the Findings sheet
	Findings  int      // findings of the file
	Omitted   []string // entries of the source archive left out: no part of the workbook
}

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

// Write writes dst, the annotated copy of the workbook src (an input path
// as the findings name it), marking every cell of src that findings name.
func Write(ctx context.Context, dst, src string, findings []schemas.Finding, opts Options) (res Result, err error) {
	opts = opts.withDefaults()
	if st, err := os.Stat(src); err != nil {
		return res, fmt.Errorf("audit copy of %s: %w", src, err)
	} else if st.Size() > opts.Limits.MaxUnzipSize {
		return res, fmt.Errorf("audit copy of %s: the file is larger than the %s limit %s", src, byteSize(opts.Limits.MaxUnzipSize), errLimitSuffix)
	}
	p, err := openPkg(ctx, src, opts.Limits.MaxUnzipSize)
	if err != nil {
		return res, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	defer p.Close()
	b, err := plan(p, src, findings, opts)
	if err != nil {
		return res, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return res, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	if err := load.WriteFileAtomic(dst, b.write); err != nil {
		return res, fmt.Errorf("audit copy of %s: %w", src, err)
	}
	return b.res, nil
}

// The largest sheet Excel opens.
const (
	maxRows = 1 << 20
	maxCols = 1 << 14
)

// cellPos is a cell as row<<16 | column.
type cellPos uint64

func posOf(row, col int) cellPos { return cellPos(row)<<16 | cellPos(col) }
func (c cellPos) row() int       { return int(c >> 16) }
func (c cellPos) col() int       { return int(c & 0xffff) }
func (c cellPos) String() string { return extract.CellName(c.col(), c.row()) }

// parseCell reads "B7" (or "$B$7") as a position.
func parseCell[T ~string | ~[]byte](s T) (cellPos, bool) {
	col, row, i := 0, 0, 0
	if i < len(s) && s[i] == '$' {
		i++
	}
	for ; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxCols {
			return 0, false
		}
	}
	if i < len(s) && s[i] == '$' {
		i++
	}
	start := i
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		row = row*10 + int(s[i]-'0')
		if row > maxRows {
			return 0, false
		}
	}
	if col == 0 || i == start || i != len(s) || row == 0 {
		return 0, false
	}
	return posOf(row, col), true
}

// cellMark is what the audit says of one cell.
type cellMark struct {
	pos     cellPos
	suspect bool
}

// sheet is a worksheet of the source and what the copy changes in it.
type sheet struct {
	names   []string // the workbook's names for it (usually one)
	order   int      // its place in the workbook
	part    string
	marks   []cellMark        // sorted by position, each cell once
	notes   map[cellPos]*note // the cells given a comment
	comment *commentPlan      // nil: no comment added
}

// note is the comment the copy gives a cell.
type note struct {
	prefix  string // the cell's own comment, kept first
	suspect bool
	notes   []string
	more    int // findings naming the cell beyond the notes
}

func (n *note) add(s string) {
	if slices.Contains(n.notes, s) {
		return
	}
	if len(n.notes) == maxNotes {
		n.more++
		return
	}
	n.notes = append(n.notes, s)
}

// build is everything the copy writes.
type build struct {
	p        *pkg
	src      string
	opts     Options
	parts    []string         // the parts copied, in the archive's order
	relsOf   map[string][]rel // relationships of each part copied
	types    *types
	workbook string            // the workbook part
	sheets   map[string]*sheet // by part name
	byName   map[string]*sheet // by sheet name
	styles   *styles
	stylesAt string // the styles part (created when the source has none)
	newStyle bool   // the styles part is new
	findings findingsPlan
	replace  map[string]bool // parts written anew rather than copied
	// relsOwner maps the relationships part of a commented sheet to it
	relsOwner map[string]*sheet
	res       Result
}

// plan reads what the copy needs from the source and decides what to
// write.
func plan(p *pkg, src string, findings []schemas.Finding, opts Options) (*build, error) {
	b := &build{p: p, src: src, opts: opts, sheets: map[string]*sheet{}, byName: map[string]*sheet{}, replace: map[string]bool{}, relsOwner: map[string]*sheet{}}
	var err error
	if b.parts, b.relsOf, err = p.reachable(); err != nil {
		return nil, err
	}
	b.res.Omitted = p.omitted(b.parts)
	if b.types, err = p.contentTypes(); err != nil {
		return nil, err
	}
	for _, r := range b.relsOf[""] {
		if strings.HasSuffix(r.Type, "/officeDocument") && !r.external() {
			if f, name := p.find(resolve("", r.Target)); f != nil {
				b.workbook = name
			}
		}
	}
	if b.workbook == "" {
		return nil, errors.New("the package has no workbook part")
	}
	if err := b.readWorkbook(); err != nil {
		return nil, err
	}
	b.collect(findings)
	if err := b.planStyles(); err != nil {
		return nil, err
	}
	if err := b.planComments(findings); err != nil {
		return nil, err
	}
	b.planFindings(findings)
	return b, nil
}

// wbSheet is a sheet as workbook.xml lists it.
type wbSheet struct {
	Name    string     `xml:"name,attr"`
	SheetID string     `xml:"sheetId,attr"`
	Attrs   []xml.Attr `xml:",any,attr"`
}

// readWorkbook reads the sheet list and finds each worksheet's part.
func (b *build) readWorkbook() error {
	f, _ := b.p.find(b.workbook)
	data, err := b.p.read(f)
	if err != nil {
		return err
	}
	var wb struct {
		Sheets []wbSheet `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(data, &wb); err != nil {
		return fmt.Errorf("part %s: %w", b.workbook, err)
	}
	targets := map[string]string{}
	for _, r := range b.relsOf[b.workbook] {
		if strings.HasSuffix(r.Type, "/worksheet") && !r.external() {
			targets[r.ID] = resolve(b.workbook, r.Target)
		}
	}
	b.findings.sheetIDs = map[string]bool{}
	for i, s := range wb.Sheets {
		b.findings.names = append(b.findings.names, s.Name)
		b.findings.sheetIDs[s.SheetID] = true
		var rid string
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				rid = a.Value
			}
		}
		t, ok := targets[rid]
		if !ok {
			continue
		}
		pf, name := b.p.find(t)
		if pf == nil {
			continue
		}
		sh := b.sheets[name]
		if sh == nil {
			sh = &sheet{part: name, order: i}
			b.sheets[name] = sh
		}
		sh.names = append(sh.names, s.Name)
		b.byName[s.Name] = sh
	}
	return nil
}

// collect finds the cells the findings name in the source's worksheets.
func (b *build) collect(findings []schemas.Finding) {
	for i := range findings {
		fd := &findings[i]
		mark := func(ref string) {
			file, name, cell := fd.Locate(ref)
			if file != b.src {
				return
			}
			sh := b.byName[name]
			if sh == nil {
				return
			}
			pos, ok := parseCell(cell)
			if !ok {
				return
			}
			sh.marks = append(sh.marks, cellMark{pos: pos, suspect: wrong(fd, ref)})
		}
		for _, ref := range fd.Cells {
			mark(ref)
		}
		for _, ref := range fd.Candidates {
			mark(ref)
		}
	}
	for _, sh := range b.sheets {
		slices.SortFunc(sh.marks, func(a, b cellMark) int { return cmp.Compare(a.pos, b.pos) })
		out := sh.marks[:0]
		for _, m := range sh.marks {
			if n := len(out); n > 0 && out[n-1].pos == m.pos {
				out[n-1].suspect = out[n-1].suspect || m.suspect
				continue
			}
			out = append(out, m)
		}
		sh.marks = out
		b.res.Marked += len(out)
	}
}

// wrong reports whether a finding names ref as the wrong cell (its
// suspect, or one of its candidates).
func wrong(fd *schemas.Finding, ref string) bool {
	return ref != "" && (ref == fd.SuspectCell || slices.Contains(fd.Candidates, ref))
}

// sheetsInOrder returns the worksheets in the workbook's order.
func (b *build) sheetsInOrder() []*sheet {
	out := make([]*sheet, 0, len(b.sheets))
	for _, sh := range b.sheets {
		out = append(out, sh)
	}
	slices.SortFunc(out, func(a, b *sheet) int { return cmp.Compare(a.order, b.order) })
	return out
}

// planComments chooses the cells given a comment, suspects first, and
// writes their notes.
func (b *build) planComments(findings []schemas.Finding) error {
	type pick struct {
		sh *sheet
		m  cellMark
	}
	var picks []pick
	for _, suspects := range []bool{true, false} {
		for _, sh := range b.sheetsInOrder() {
			for _, m := range sh.marks {
				if m.suspect == suspects && len(picks) < b.opts.MaxComments {
					picks = append(picks, pick{sh, m})
				}
			}
		}
	}
	for _, pk := range picks {
		if pk.sh.notes == nil {
			pk.sh.notes = map[cellPos]*note{}
		}
		pk.sh.notes[pk.m.pos] = &note{suspect: pk.m.suspect}
	}
	b.res.Commented = len(picks)
	for i := range findings {
		fd := &findings[i]
		add := func(ref string) {
			file, name, cell := fd.Locate(ref)
			sh := b.byName[name]
			if file != b.src || sh == nil || sh.notes == nil {
				return
			}
			pos, ok := parseCell(cell)
			if !ok {
				return
			}
			if n := sh.notes[pos]; n != nil {
				n.add(noteFor(fd, ref, wrong(fd, ref)))
			}
		}
		for _, ref := range fd.Cells {
			add(ref)
		}
		for _, ref := range fd.Candidates {
			add(ref)
		}
	}
	block := 2048 // VML shape id blocks, past those of usual workbooks
	for _, sh := range b.sheetsInOrder() {
		if len(sh.notes) == 0 {
			continue
		}
		cp, err := b.planSheetComments(sh, block)
		if err != nil {
			return err
		}
		sh.comment = cp
		if !cp.newRels {
			if _, name := b.p.find(relsName(sh.part)); name != "" {
				b.relsOwner[name] = sh
			}
		}
		block += 1 + (len(cp.comments)+len(cp.kept))/1000
	}
	return nil
}

// title is the first line of a comment.
func (n *note) text() []run {
	title := "tradeetl audit: part of a failed rule"
	if n.suspect {
		title = "tradeetl audit: this figure looks wrong"
	}
	body := strings.Join(n.notes, "\n\n")
	if n.more > 0 {
		body += fmt.Sprintf("\n\n… and %d more findings name this cell (see the %s sheet).", n.more, FindingsSheet)
	}
	return []run{{text: title + "\n", bold: true}, {text: body}}
}

// noteFor is the comment paragraph a finding gives one of its cells.
func noteFor(fd *schemas.Finding, ref string, wrong bool) string {
	var sb strings.Builder
	switch {
	case fd.Rule == schemas.RuleSuspect && fd.SuspectCell == "":
		sb.WriteString("One of " + strings.Join(fd.Candidates, ", ") + " is wrong; the rules cannot tell which.")
	case fd.Verdict():
		sb.WriteString(fd.Rule + ": ")
	default:
		sb.WriteString(string(fd.Severity) + " " + fd.Rule + " at " + anchor(fd) + ": ")
		if fd.Expected != nil && fd.Actual != nil {
			sb.WriteString("expected " + schemas.FormatFigure(fd.Expected) + ", actual " + schemas.FormatFigure(fd.Actual))
			if fd.Tolerance != nil {
				sb.WriteString(" (±" + schemas.FormatFigure(fd.Tolerance) + ")")
			}
			sb.WriteString(". ")
		}
	}
	if fd.Rule != schemas.RuleSuspect || fd.SuspectCell != "" {
		sb.WriteString(fd.Message)
	}
	if !fd.Verdict() && fd.SuspectCell != "" {
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

// verdictRank puts the audit's verdicts before the rules' findings.
func verdictRank(f *schemas.Finding) int {
	if f.Verdict() {
		return 0
	}
	return 1
}

// unusedName returns dir+stem+N+ext for the smallest N ≥ 1 that no part
// of the source (copied or not) has.
func (b *build) unusedName(dir, stem, ext string, taken map[string]bool) string {
	for i := 1; ; i++ {
		name := dir + stem + strconv.Itoa(i) + ext
		if f, _ := b.p.find(name); f == nil && !taken[strings.ToLower(name)] {
			taken[strings.ToLower(name)] = true
			return name
		}
	}
}

// write writes the copy: the content types, then the parts in the
// source's order (rewritten or copied), the new parts, and the styles
// last (the worksheets decide which styles they need).
func (b *build) write(w io.Writer) error {
	zw := zip.NewWriter(w)
	// klauspost/compress's fastest level: a third less CPU than level 3
	// for 5% more bytes (the 100k-row benchmark).
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return kflate.NewWriter(out, kflate.BestSpeed)
	})
	if err := b.writeNew(zw, contentTypes, b.writeTypes); err != nil {
		return err
	}
	for _, name := range b.parts {
		if err := b.p.ctx.Err(); err != nil {
			return err
		}
		if err := b.writePart(zw, name); err != nil {
			return err
		}
	}
	for _, sh := range b.sheetsInOrder() {
		cp := sh.comment
		if cp == nil {
			continue
		}
		if err := b.writeNew(zw, cp.part, cp.writeComments); err != nil {
			return err
		}
		if err := b.writeNew(zw, cp.vml, cp.writeVML); err != nil {
			return err
		}
		if cp.newRels {
			if err := b.writeNew(zw, relsName(sh.part), func(w *bufio.Writer) error { return writeRels(w, cp.rels) }); err != nil {
				return err
			}
		}
	}
	if err := b.writeLarge(zw, b.findings.part, b.writeFindings); err != nil {
		return err
	}
	if err := b.writeNew(zw, b.stylesAt, b.writeStyles); err != nil {
		return err
	}
	return zw.Close()
}

// writePart writes one part of the source: rewritten when the copy
// changes it, else copied as stored.
func (b *build) writePart(zw *zip.Writer, name string) error {
	switch {
	case name == b.workbook:
		return b.writeNew(zw, name, b.writeWorkbook)
	case name == relsName(b.workbook):
		return b.writeNew(zw, name, func(w *bufio.Writer) error { return writeRels(w, b.workbookRels()) })
	case strings.EqualFold(name, b.stylesAt) || b.replace[strings.ToLower(name)]:
		return nil // written later
	}
	if sh := b.sheets[name]; sh != nil && (len(sh.marks) > 0 || sh.comment != nil) {
		return b.writeLarge(zw, name, func(w *bufio.Writer) error { return b.writeSheet(w, sh) })
	}
	if sh := b.relsOwner[name]; sh != nil {
		return b.writeNew(zw, name, func(w *bufio.Writer) error { return writeRels(w, sh.comment.rels) })
	}
	return b.copyPart(zw, name)
}

// writeNew writes a part through fn, deflated.
func (b *build) writeNew(zw *zip.Writer, name string, fn func(*bufio.Writer) error) error {
	hw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(hw, 64<<10)
	if err := fn(bw); err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	return bw.Flush()
}

// writeLarge writes a large part through fn, deflated on a goroutine of
// its own.
func (b *build) writeLarge(zw *zip.Writer, name string, fn func(*bufio.Writer) error) error {
	hw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	wb := newWriteBehind(hw)
	bw := bufio.NewWriterSize(wb, 64<<10)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := wb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	return nil
}

// copyPart copies a part as stored, once checked, under its part name and
// as a regular file.
func (b *build) copyPart(zw *zip.Writer, name string) error {
	f, _ := b.p.find(name)
	if err := b.p.verify(f); err != nil {
		return err
	}
	h := &zip.FileHeader{
		Name: name, Method: f.Method, Modified: f.Modified,
		CRC32: f.CRC32, CompressedSize64: f.CompressedSize64, UncompressedSize64: f.UncompressedSize64,
	}
	if h.Modified.IsZero() {
		h.Modified = zipTime
	}
	h.SetMode(0o644)
	rc, err := f.OpenRaw()
	if err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	hw, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(hw, rc); err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	return nil
}

// writeTypes writes [Content_Types].xml: the source's defaults, its
// overrides for the parts copied, and the new parts.
func (b *build) writeTypes(w *bufio.Writer) error {
	kept := map[string]bool{}
	for _, n := range b.parts {
		kept["/"+strings.ToLower(n)] = true
	}
	w.WriteString(xml.Header)
	w.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	hasExt := map[string]bool{}
	for _, d := range b.types.Default {
		hasExt[strings.ToLower(d.Extension)] = true
		fmt.Fprintf(w, `<Default Extension="%s" ContentType="%s"/>`, attrEscape(d.Extension), attrEscape(d.ContentType))
	}
	for ext, ct := range map[string]string{"rels": ctRels, "xml": "application/xml"} {
		if !hasExt[ext] {
			fmt.Fprintf(w, `<Default Extension="%s" ContentType="%s"/>`, ext, ct)
		}
	}
	overridden := map[string]bool{}
	for _, o := range b.types.Override {
		k := strings.ToLower(o.PartName)
		if !kept[k] || b.replace[strings.TrimPrefix(k, "/")] {
			continue
		}
		overridden[k] = true
		fmt.Fprintf(w, `<Override PartName="%s" ContentType="%s"/>`, attrEscape(o.PartName), attrEscape(o.ContentType))
	}
	add := func(part, ct string) {
		if k := "/" + strings.ToLower(part); !overridden[k] {
			overridden[k] = true
			fmt.Fprintf(w, `<Override PartName="/%s" ContentType="%s"/>`, attrEscape(part), ct)
		}
	}
	add(b.findings.part, ctWorksheet)
	add(b.stylesAt, ctStyles)
	for _, sh := range b.sheetsInOrder() {
		if cp := sh.comment; cp != nil {
			add(cp.part, ctComments)
			add(cp.vml, ctVML)
		}
	}
	w.WriteString(`</Types>`)
	return nil
}

// workbookRels are the workbook's relationships with the Findings sheet
// (and the styles, when new).
func (b *build) workbookRels() []rel {
	rs := slices.Clone(b.relsOf[b.workbook])
	rs = append(rs, rel{ID: b.findings.rid, Type: relWorksheet, Target: relTarget(b.workbook, b.findings.part)})
	if b.newStyle {
		rs = append(rs, rel{ID: b.findings.rid + "s", Type: relStyles, Target: relTarget(b.workbook, b.stylesAt)})
	}
	return rs
}

// writeRels writes a relationships part.
func writeRels(w *bufio.Writer, rs []rel) error {
	w.WriteString(xml.Header)
	w.WriteString(`<Relationships xmlns="` + nsPkgRel + `">`)
	for _, r := range rs {
		fmt.Fprintf(w, `<Relationship Id="%s" Type="%s" Target="%s"`, attrEscape(r.ID), attrEscape(r.Type), attrEscape(r.Target))
		if r.TargetMode != "" {
			fmt.Fprintf(w, ` TargetMode="%s"`, attrEscape(r.TargetMode))
		}
		w.WriteString(`/>`)
	}
	_, err := w.WriteString(`</Relationships>`)
	return err
}

// unusedID returns a relationship id none of rs has.
func unusedID(rs []rel, stem string) string {
	for i := 1; ; i++ {
		id := stem + strconv.Itoa(i)
		if !slices.ContainsFunc(rs, func(r rel) bool { return r.ID == id }) {
			return id
		}
	}
}

// zipTime is the time of the parts the copy writes: fixed, so that the same
// input and findings give the same bytes.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// partDir returns the folder of a part with its slash ("xl/"), or "".
func partDir(part string) string {
	if d := path.Dir(part); d != "." {
		return d + "/"
	}
	return ""
}

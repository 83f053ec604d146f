package xlsxscan

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	kflate "github.com/klauspost/compress/flate"
)

// Workbook is an opened xlsx/xlsm package. Its methods may be called from
// several goroutines; each SheetReader belongs to one.
type Workbook struct {
	file     *os.File // when opened by path
	pkg      *pkg
	part     string // the workbook part
	sheets   []Sheet
	date1904 bool
	formats  []string // number format code of each cell style (cellXfs)

	sheetErr map[int]error // sheets that cannot be read, by index

	sstPart   string
	sstOnce   sync.Once
	sst       []string
	sstErr    error
	stylePart string
}

// Open opens the workbook at path. Close releases it.
func Open(path string, lim Limits) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	w, err := NewReader(f, fi.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	w.file = f
	return w, nil
}

// NewReader reads a workbook from r, which holds size bytes. The zip
// archive is read through r as needed, never whole.
func NewReader(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	return newReader(r, size, lim, defaultTuning)
}

func newReader(r io.ReaderAt, size int64, lim Limits, tun tuning) (*Workbook, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: not a zip archive (%v)", ErrNotWorkbook, err)
	}
	// klauspost's inflate is about 1.5 times as fast as compress/flate;
	// archive/zip still checks sizes and checksums around it.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	w := &Workbook{pkg: newPkg(zr, lim, tun)}
	if err := w.load(); err != nil {
		return nil, err
	}
	return w, nil
}

// Sheets lists the worksheets in workbook order.
func (w *Workbook) Sheets() []Sheet { return w.sheets }

// Date1904 reports whether date serial numbers count from 1904-01-01 (old
// Mac workbooks) rather than 1899-12-30.
func (w *Workbook) Date1904() bool { return w.date1904 }

// Close releases the file if the workbook was opened by Open.
func (w *Workbook) Close() error {
	if w.file != nil {
		err := w.file.Close()
		w.file = nil
		return err
	}
	return nil
}

// Format returns the number format code of a cell style id: a custom
// format the workbook defines, a built-in one, or "General".
func (w *Workbook) Format(style int) string {
	if style < 0 || style >= len(w.formats) {
		return "General"
	}
	return w.formats[style]
}

type relationship struct {
	id, typ, target string
	external        bool
}

// relType returns the last segment of a relationship type URI
// ("worksheet"), which is the same in transitional and strict OOXML.
func (r relationship) kind() string {
	return r.typ[strings.LastIndexByte(r.typ, '/')+1:]
}

func (w *Workbook) load() error {
	rels, err := w.readRels("")
	if err != nil {
		return err
	}
	for _, r := range rels {
		if r.kind() == "officeDocument" && !r.external {
			w.part = r.target
			break
		}
	}
	if w.part == "" {
		// no package relationships: look where workbooks usually are
		for _, name := range []string{"xl/workbook.xml", "workbook.xml"} {
			if f, _ := w.pkg.find(name); f != nil {
				w.part = name
				break
			}
		}
	}
	if w.part == "" {
		return fmt.Errorf("%w: no workbook part (no officeDocument relationship in _rels/.rels, no xl/workbook.xml)", ErrNotWorkbook)
	}
	f, err := w.pkg.find(w.part)
	if err != nil {
		return err
	}
	if f == nil {
		return fmt.Errorf("%w: the workbook part %s is missing", ErrNotWorkbook, w.part)
	}
	w.part = normName(f.Name)
	sheets, err := w.readWorkbook()
	if err != nil {
		return err
	}
	wrels, err := w.readRels(w.part)
	if err != nil {
		return err
	}
	byID := map[string]relationship{}
	for _, r := range wrels {
		if _, ok := byID[r.id]; !ok {
			byID[r.id] = r
		}
		switch r.kind() {
		case "sharedStrings":
			if w.sstPart == "" {
				w.sstPart = r.target
			}
		case "styles":
			if w.stylePart == "" {
				w.stylePart = r.target
			}
		}
	}
	dir := w.part[:strings.LastIndexByte(w.part, '/')+1]
	if w.sstPart == "" {
		w.sstPart = dir + "sharedStrings.xml"
	}
	if w.stylePart == "" {
		w.stylePart = dir + "styles.xml"
	}
	for _, s := range sheets {
		if s.rid == "" {
			w.sheets = append(w.sheets, s.Sheet) // no part: an empty sheet
			continue
		}
		r, ok := byID[s.rid]
		if !ok {
			// keep the sheet listed; reading it fails
			if w.sheetErr == nil {
				w.sheetErr = map[int]error{}
			}
			w.sheetErr[len(w.sheets)] = fmt.Errorf("%w: the workbook lists sheet %q with relationship %q, which %s does not hold", ErrNotWorkbook, s.Name, s.rid, relsName(w.part))
			w.sheets = append(w.sheets, s.Sheet)
			continue
		}
		switch r.kind() {
		case "chartsheet", "dialogsheet", "xlMacrosheet", "xlIntlMacrosheet":
			continue
		}
		s.Part = r.target
		w.sheets = append(w.sheets, s.Sheet)
	}
	return w.readStyles()
}

// openPart starts reading a part; it returns nil, nil when the part does
// not exist.
func (w *Workbook) openPart(name string) (*stream, error) {
	f, err := w.pkg.find(name)
	if err != nil || f == nil {
		if f == nil && err == nil && strings.Contains(name, "%") {
			if u, uerr := url.PathUnescape(name); uerr == nil {
				return w.openPart(u)
			}
		}
		return nil, err
	}
	return w.pkg.open(normName(f.Name), f)
}

// readRels reads the relationships of a part ("" for the package).
func (w *Workbook) readRels(source string) ([]relationship, error) {
	name := "_rels/.rels"
	if source != "" {
		name = relsName(source)
	}
	st, err := w.openPart(name)
	if err != nil || st == nil {
		return nil, err
	}
	defer st.close()
	wk, err := newWalker(st)
	if err != nil {
		return nil, err
	}
	var rels []relationship
	for {
		ev, tag, _, depth, err := wk.next()
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return nil, err
		}
		if ev != evStart || depth != 1 || string(tag) != "Relationship" {
			continue
		}
		var r relationship
		for _, a := range wk.sc.attrs {
			v, err := wk.sc.attrValue(a, 0)
			if err != nil {
				return nil, st.wrap(err)
			}
			switch string(a.name) {
			case "Id":
				r.id = string(v)
			case "Type":
				r.typ = string(v)
			case "Target":
				r.target = string(v)
			case "TargetMode":
				r.external = strings.EqualFold(string(v), "External")
			}
		}
		if !r.external {
			r.target = resolveTarget(source, r.target)
		}
		rels = append(rels, r)
	}
}

type sheetEntry struct {
	Sheet
	rid string
}

// readWorkbook reads the sheet list and the date system.
func (w *Workbook) readWorkbook() ([]sheetEntry, error) {
	st, err := w.openPart(w.part)
	if err != nil {
		return nil, err
	}
	defer st.close()
	wk, err := newWalker(st)
	if err != nil {
		return nil, err
	}
	var sheets []sheetEntry
	var parent string // the depth-1 element we are in
	for {
		ev, tag, self, depth, err := wk.next()
		if err == io.EOF {
			return sheets, nil
		}
		if err != nil {
			return nil, err
		}
		if ev != evStart {
			continue
		}
		switch {
		case depth == 1:
			parent = ""
			if !self {
				parent = string(tag)
			}
			if string(tag) == "workbookPr" {
				for _, a := range wk.sc.attrs {
					if string(a.name) == "date1904" {
						v, err := wk.sc.attrValue(a, 0)
						if err != nil {
							return nil, st.wrap(err)
						}
						w.date1904, _ = strconv.ParseBool(string(bytes.TrimSpace(v)))
					}
				}
			}
		case depth == 2 && parent == "sheets" && string(tag) == "sheet":
			var s sheetEntry
			for _, a := range wk.sc.attrs {
				v, err := wk.sc.attrValue(a, 0)
				if err != nil {
					return nil, st.wrap(err)
				}
				switch string(a.name) {
				case "name":
					s.Name = string(v)
				case "state":
					switch string(v) {
					case "hidden":
						s.Visibility = Hidden
					case "veryHidden":
						s.Visibility = VeryHidden
					}
				case "id":
					s.rid = string(v)
				}
			}
			sheets = append(sheets, s)
		}
	}
}

// readStyles maps each cell style (cellXfs entry) to its number format
// code. A workbook without a styles part has only General.
func (w *Workbook) readStyles() error {
	st, err := w.openPart(w.stylePart)
	if err != nil || st == nil {
		return err
	}
	defer st.close()
	wk, err := newWalker(st)
	if err != nil {
		return err
	}
	custom := map[int]string{}
	var xfs []int // numFmtId of each cellXfs entry, -1 when absent
	var parent string
	for {
		ev, tag, self, depth, err := wk.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if ev != evStart {
			continue
		}
		switch {
		case depth == 1:
			parent = ""
			if !self {
				parent = string(tag)
			}
		case depth == 2 && parent == "numFmts" && string(tag) == "numFmt":
			id, code, ok := -1, "", false
			for _, a := range wk.sc.attrs {
				v, err := wk.sc.attrValue(a, 0)
				if err != nil {
					return st.wrap(err)
				}
				switch string(a.name) {
				case "numFmtId":
					if n, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil {
						id = n
					}
				case "formatCode":
					code, ok = string(v), true
				}
			}
			if id >= 0 && ok {
				custom[id] = code
			}
		case depth == 2 && parent == "cellXfs" && string(tag) == "xf":
			id := -1
			for _, a := range wk.sc.attrs {
				if string(a.name) == "numFmtId" {
					v, err := wk.sc.attrValue(a, 0)
					if err != nil {
						return st.wrap(err)
					}
					if n, err := strconv.Atoi(string(bytes.TrimSpace(v))); err == nil {
						id = n
					}
				}
			}
			if len(xfs) >= MaxCellStyles {
				return fmt.Errorf("part %s: %w: more than %d cell styles", w.stylePart, ErrInvalid, MaxCellStyles)
			}
			xfs = append(xfs, id)
		}
	}
	w.formats = make([]string, len(xfs))
	for i, id := range xfs {
		w.formats[i] = formatCode(id, custom)
	}
	return nil
}

// MaxCellStyles is the most cell styles a workbook may define.
const MaxCellStyles = 65430

// formatCode returns the code of number format id. The ids ECMA-376
// fixes (0-4, 9-22, 37-40, 45-49) always mean their built-in format; any
// other id means the workbook's own definition (locale-dependent formats
// such as 5-8, 27-36, 41-44, 50-81 are written out in the file by the
// programs that use them); an id without a definition, or defined with an
// empty code, is General.
func formatCode(id int, custom map[int]string) string {
	if code, ok := builtinFormats[id]; ok {
		return code
	}
	if code := custom[id]; code != "" {
		return code
	}
	return "General"
}

// BuiltinFormat returns the format code of one of the number formats that
// ECMA-376 predefines by id (styles refer to them without writing the
// code), or "General".
func BuiltinFormat(id int) string {
	if code, ok := builtinFormats[id]; ok {
		return code
	}
	return "General"
}

var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
	22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
	39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

// sharedStrings loads the shared-strings table once.
func (w *Workbook) sharedStrings() ([]string, error) {
	w.sstOnce.Do(func() {
		w.sst, w.sstErr = w.readSST()
	})
	return w.sst, w.sstErr
}

// readSST reads the shared-strings table: each <si> is its text (<t>)
// followed by the text of its rich-text runs (<r><t>), phonetic runs
// (<rPh>) left out, _xHHHH_ escapes decoded.
func (w *Workbook) readSST() ([]string, error) {
	st, err := w.openPart(w.sstPart)
	if err != nil || st == nil {
		return nil, err
	}
	defer st.close()
	wk, err := newWalker(st)
	if err != nil {
		return nil, err
	}
	var (
		strs  []string
		arena []byte // text of strings not yet made into Go strings
		ends  []int  // end offset in arena of each pending string
		text  []byte
	)
	const block = 1 << 20
	flush := func() {
		if len(ends) == 0 {
			return
		}
		s := string(arena)
		start := 0
		for _, e := range ends {
			strs = append(strs, s[start:e])
			start = e
		}
		arena, ends = arena[:0], ends[:0]
	}
	add := func(text []byte, ascii bool) error {
		if len(text) > st.lim.MaxStringLen {
			return fmt.Errorf("part %s: shared string %d: %w: longer than %d bytes", st.name, len(strs)+len(ends), ErrTooLarge, st.lim.MaxStringLen)
		}
		if !ascii && !utf8Valid(text) {
			return fmt.Errorf("part %s: shared string %d: %w: not valid UTF-8", st.name, len(strs)+len(ends), ErrInvalid)
		}
		if len(arena)+len(text) > block {
			flush()
		}
		arena = append(arena, text...)
		ends = append(ends, len(arena))
		return nil
	}
	for {
		if wk.depth == 1 && !w.pkg.tun.slow {
			// the fast path for plain items: <si><t>text</t></si>
			if text, j, ascii, ok := fastSI(st.buf, wk.pos); ok {
				if err := add(text, ascii); err != nil {
					return nil, err
				}
				wk.pos = j
				continue
			}
		}
		ev, tag, self, depth, err := wk.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if ev == evStart && depth == 0 {
			// room for the strings the table announces, within reason
			for _, a := range wk.sc.attrs {
				if string(a.name) == "uniqueCount" {
					if n, ok := parseUint(a.val); ok {
						strs = make([]string, 0, min(n, 1<<20))
					}
				}
			}
		}
		if ev != evStart || depth != 1 {
			continue
		}
		if string(tag) != "si" {
			if !self {
				if err := wk.skip(); err != nil {
					return nil, err
				}
			}
			continue
		}
		text = text[:0]
		if !self {
			// read the whole <si> from its content on; on a short window
			// re-read it after the window grew
			for {
				wk.sc.b = st.buf
				var j int
				text, j, err = wk.sc.richText(wk.pos, text[:0])
				if err == errMore {
					if err := wk.more(wk.pos); err != nil {
						return nil, err
					}
					continue
				}
				if err != nil {
					return nil, st.wrap(err)
				}
				wk.pos = j
				wk.depth--
				break
			}
		}
		if err := add(unescapeX(text), false); err != nil {
			return nil, err
		}
	}
	flush()
	return strs, nil
}

// OpenSheet starts reading the worksheet named name (an exact match, else
// the only case-insensitive match). The reader checks ctx between rows.
// Close the reader when done with it: a sheet read only in part keeps a
// goroutine inflating it until then.
func (w *Workbook) OpenSheet(ctx context.Context, name string) (*SheetReader, error) {
	idx := -1
	for i, s := range w.sheets {
		if s.Name == name {
			idx = i
			break
		}
	}
	if idx < 0 {
		for i, s := range w.sheets {
			if strings.EqualFold(s.Name, name) {
				if idx >= 0 {
					idx = -1
					break
				}
				idx = i
			}
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("%w: %q", ErrNoSheet, name)
	}
	return w.OpenSheetAt(ctx, idx)
}

// OpenSheetAt starts reading the i-th worksheet of Sheets.
func (w *Workbook) OpenSheetAt(ctx context.Context, i int) (*SheetReader, error) {
	if i < 0 || i >= len(w.sheets) {
		return nil, fmt.Errorf("%w: index %d of %d sheets", ErrNoSheet, i, len(w.sheets))
	}
	sheet := w.sheets[i]
	if err := w.sheetErr[i]; err != nil {
		return nil, err
	}
	sst, err := w.sharedStrings()
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet.Name, err)
	}
	r := &SheetReader{w: w, ctx: ctx, sheet: sheet, sst: sst}
	if sheet.Part == "" {
		r.state, r.complete = stateDone, true
		return r, nil
	}
	st, err := w.openPart(sheet.Part)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet.Name, err)
	}
	if st == nil {
		return nil, fmt.Errorf("sheet %q: %w: the workbook lists the sheet but holds no worksheet part for it (%s)", sheet.Name, ErrNotWorkbook, sheet.Part)
	}
	r.st = st
	return r, nil
}

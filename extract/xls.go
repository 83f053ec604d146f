package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
	"golang.org/x/text/encoding/charmap"
)

// xlsWorkbook reads an Excel 97–2003 workbook (.xls, BIFF8), or an Excel
// 5.0/95 one (BIFF5: the same records, with strings in the code page of
// its CODEPAGE record and no shared strings), from its OLE
// compound file (read with github.com/richardlehane/mscfb, which excelize
// already uses for encrypted workbooks). The Workbook stream is read into
// memory whole (it is never larger than the file, which is within
// Limits.MaxUnzipSize); its globals give the shared strings, number
// formats, cell formats (XF), the date system and the sheets; each sheet
// is then parsed from its own offset, record by record, its cells handed
// out a row block (DBCELL) at a time in row and column order.
//
// Only what tradeetl needs is read: BOF/EOF, BOUNDSHEET, SST with its
// CONTINUE records, LABELSST, LABEL, RSTRING, NUMBER, RK, MULRK, FORMULA
// cached results (with STRING for text results), BOOLERR, MERGEDCELLS,
// DATEMODE, XF and FORMAT. Formulas are not decompiled: a formula cell has
// its cached value and no Formula text. An encrypted workbook (FILEPASS)
// is refused with [ErrEncrypted]; Excel 2.x–4.0 files (BIFF2–4) with
// [ErrLegacyXLS].
type xlsWorkbook struct {
	path     string
	stream   []byte
	lim      Limits
	sheets   []string
	offsets  []int // each sheet's BOF in the stream
	date1904 bool
	sst      []string
	xfFormat []string // the format code of each XF
	cells    atomic.Int64
	// biff5: an Excel 5.0/95 workbook, whose strings are bytes in the
	// code page of its CODEPAGE record, decoded by codepage
	biff5    bool
	codepage *charmap.Charmap
}

// BIFF8 record types.
const (
	recBOF         = 0x0809
	recEOF         = 0x000A
	recBoundSheet  = 0x0085
	recSST         = 0x00FC
	recContinue    = 0x003C
	recLabelSST    = 0x00FD
	recLabel       = 0x0204
	recRString     = 0x00D6
	recNumber      = 0x0203
	recRK          = 0x027E
	recMulRK       = 0x00BD
	recFormula     = 0x0006
	recString      = 0x0207
	recBoolErr     = 0x0205
	recMergedCells = 0x00E5
	recDateMode    = 0x0022
	recXF          = 0x00E0
	recFormat      = 0x041E
	recFilePass    = 0x002F
	recDBCell      = 0x00D7
	recCodePage    = 0x0042
)

// xlsMaxCol is the last column a cell may have (Excel 97–2003 sheets have
// 256 columns; xlsx's 16,384 are allowed, as some writers go beyond).
const xlsMaxCol = 1 << 14

func openXLS(path string, r io.ReaderAt, size int64, lim Limits) (_ Workbook, err error) {
	defer recovered(path, &err)
	if size > lim.MaxUnzipSize {
		return nil, fmt.Errorf("open %s: %w: the file is %s, more than the %s limit (--max-unzip-size)", path, ErrTooLarge, byteSize(uint64(size)), byteSize(uint64(lim.MaxUnzipSize)))
	}
	stream, err := xlsStream(r, size)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w := &xlsWorkbook{path: path, stream: stream, lim: lim}
	if err := w.readGlobals(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if len(w.sheets) == 0 {
		return nil, fmt.Errorf("open %s: %w: the workbook has no worksheets", path, ErrNotWorkbook)
	}
	return w, nil
}

// xlsStream reads the Workbook stream of an OLE compound file, refusing
// what is not an Excel 97–2003 workbook, naming what it is.
func xlsStream(r io.ReaderAt, size int64) ([]byte, error) {
	doc, err := mscfb.New(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, fmt.Errorf("%w: its OLE compound file container (.xls) is truncated or corrupt (%v)", ErrDamaged, err)
	}
	var book, old *mscfb.File
	var names []string
	for {
		f, err := doc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: its OLE compound file container (.xls) is corrupt (%v)", ErrDamaged, err)
		}
		if len(names) < 8 {
			names = append(names, f.Name)
		}
		switch strings.ToLower(f.Name) {
		case "workbook":
			if len(f.Path) == 0 && book == nil {
				book = f
			}
		case "book":
			if len(f.Path) == 0 {
				old = f
			}
		case "encryptedpackage", "encryptioninfo":
			return nil, ErrEncrypted
		case "worddocument":
			return nil, fmt.Errorf("%w: this is a Word document (.doc), not a workbook", ErrNotWorkbook)
		case "powerpoint document":
			return nil, fmt.Errorf("%w: this is a PowerPoint presentation (.ppt), not a workbook", ErrNotWorkbook)
		}
	}
	if book == nil {
		book = old // Excel 5.0/95 names its stream Book
	}
	if book == nil {
		return nil, fmt.Errorf("%w: the OLE compound file holds no Workbook stream (it holds %s); it is not an Excel 97–2003 workbook", ErrNotWorkbook, strings.Join(names, ", "))
	}
	if book.Size > size {
		return nil, fmt.Errorf("%w: its Workbook stream claims %d bytes, more than the whole file (%d); the container is corrupt", ErrDamaged, book.Size, size)
	}
	if err := checkChain(r, size, book.Name, book.Size); err != nil {
		return nil, err
	}
	buf := make([]byte, 0, book.Size)
	chunk := make([]byte, 1<<16)
	for int64(len(buf)) < book.Size {
		n, err := book.Read(chunk[:min(int64(len(chunk)), book.Size-int64(len(buf)))])
		buf = append(buf, chunk[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: its Workbook stream cannot be read: the container is truncated or its sector chain is broken (%v)", ErrDamaged, err)
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: its Workbook stream cannot be read: the container is truncated", ErrDamaged)
		}
	}
	if int64(len(buf)) < book.Size {
		return nil, fmt.Errorf("%w: its Workbook stream is shorter than declared (%d of %d bytes): the file is truncated", ErrDamaged, len(buf), book.Size)
	}
	return buf, nil
}

// checkChain follows the sector chain of a stream in the compound file's
// FAT, as far as the stream's size needs, and fails on a chain that loops
// back or leaves the file: mscfb would read such a chain, sector after
// sector again, as if it were data. (Streams under 4,096 bytes live in
// the mini stream, whose size bounds them.)
func checkChain(r io.ReaderAt, size int64, name string, streamSize int64) error {
	if streamSize < 4096 {
		return nil
	}
	// the stream's first sector, from a second look at the directory
	doc, err := mscfb.New(io.NewSectionReader(r, 0, size))
	if err != nil {
		return fmt.Errorf("%w: its OLE compound file container (.xls) is corrupt (%v)", ErrDamaged, err)
	}
	info, ok := doc.Debug()[name+" start/size"]
	if !ok || len(info) < 1 {
		return nil
	}
	var head [512]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return fmt.Errorf("%w: its OLE compound file header cannot be read (%v)", ErrDamaged, err)
	}
	shift := binary.LittleEndian.Uint16(head[0x1E:])
	if shift != 9 && shift != 12 {
		return fmt.Errorf("%w: its OLE compound file header has a sector size of 2^%d", ErrDamaged, shift)
	}
	ss := int64(1) << shift
	perFAT := uint32(ss / 4)
	u32 := func(off int64) (uint32, error) {
		var b [4]byte
		if off < 0 || off+4 > size {
			return 0, errors.New("outside the file")
		}
		if _, err := r.ReadAt(b[:], off); err != nil {
			return 0, err
		}
		return binary.LittleEndian.Uint32(b[:]), nil
	}
	// the FAT sectors: 109 in the header, then the DIFAT chain
	var fat []uint32
	for k := range 109 {
		fat = append(fat, binary.LittleEndian.Uint32(head[0x4C+4*k:]))
	}
	difat := binary.LittleEndian.Uint32(head[0x44:])
	for n := 0; difat < 0xFFFFFFFA && n < int(size/ss)+1; n++ {
		for k := range int64(perFAT) - 1 {
			v, err := u32((int64(difat)+1)*ss + 4*k)
			if err != nil {
				return fmt.Errorf("%w: its OLE compound file's sector table is truncated", ErrDamaged)
			}
			fat = append(fat, v)
		}
		if difat, err = u32((int64(difat)+1)*ss + ss - 4); err != nil {
			return fmt.Errorf("%w: its OLE compound file's sector table is truncated", ErrDamaged)
		}
	}
	seen := map[uint32]bool{}
	sector := info[0]
	for need := (streamSize + ss - 1) / ss; need > 0; need-- {
		if sector >= 0xFFFFFFFA {
			return fmt.Errorf("%w: the sector chain of its %s stream ends before the stream does (the file is truncated or corrupt)", ErrDamaged, name)
		}
		if seen[sector] {
			return fmt.Errorf("%w: the sector chain of its %s stream loops back to sector %d (a cyclic FAT chain); the container is corrupt or crafted", ErrDamaged, name, sector)
		}
		seen[sector] = true
		if (int64(sector)+1)*ss >= size+ss {
			return fmt.Errorf("%w: the sector chain of its %s stream points past the end of the file (truncated)", ErrDamaged, name)
		}
		idx := sector / perFAT
		if int(idx) >= len(fat) || fat[idx] >= 0xFFFFFFFA {
			return fmt.Errorf("%w: the sector chain of its %s stream leaves the sector table", ErrDamaged, name)
		}
		next, err := u32((int64(fat[idx])+1)*ss + 4*int64(sector%perFAT))
		if err != nil {
			return fmt.Errorf("%w: its OLE compound file's sector table is truncated", ErrDamaged)
		}
		sector = next
	}
	return nil
}

// biffRecord is one record of the stream.
type biffRecord struct {
	id   uint16
	data []byte
	pos  int // offset of the record in the stream
}

// record reads the record at pos; next is the offset after it.
func (w *xlsWorkbook) record(pos int) (rec biffRecord, next int, err error) {
	if pos+4 > len(w.stream) {
		return rec, 0, fmt.Errorf("%w: the Workbook stream ends inside a record header at byte %d (truncated)", ErrDamaged, pos)
	}
	id := binary.LittleEndian.Uint16(w.stream[pos:])
	n := int(binary.LittleEndian.Uint16(w.stream[pos+2:]))
	if pos+4+n > len(w.stream) {
		return rec, 0, fmt.Errorf("%w: the record 0x%04X at byte %d runs past the end of the Workbook stream (truncated)", ErrDamaged, id, pos)
	}
	return biffRecord{id: id, data: w.stream[pos+4 : pos+4+n], pos: pos}, pos + 4 + n, nil
}

// continued returns the bodies of the CONTINUE records after pos, and the
// offset after them.
func (w *xlsWorkbook) continued(pos int) ([][]byte, int) {
	var segs [][]byte
	for {
		rec, next, err := w.record(pos)
		if err != nil || rec.id != recContinue {
			return segs, pos
		}
		segs = append(segs, rec.data)
		pos = next
	}
}

// readGlobals reads the workbook globals substream.
func (w *xlsWorkbook) readGlobals() error {
	rec, pos, err := w.record(0)
	if err != nil {
		return err
	}
	if rec.id != recBOF || len(rec.data) < 4 {
		return fmt.Errorf("%w: its Workbook stream does not start with a BOF record", ErrDamaged)
	}
	switch v := binary.LittleEndian.Uint16(rec.data); v {
	case 0x0600:
	case 0x0500:
		w.biff5 = true
		w.codepage = charmap.Windows1252
	default:
		return fmt.Errorf("this is %s: %w", biffVersion(v), ErrLegacyXLS)
	}
	seen := map[string]bool{}
	formats := map[int]string{}
	var xfFmt []int
	for {
		rec, next, err := w.record(pos)
		if err != nil {
			return err
		}
		d := rec.data
		switch rec.id {
		case recEOF:
			w.xfFormat = make([]string, len(xfFmt))
			for i, f := range xfFmt {
				code, ok := formats[f]
				if !ok {
					code = builtinFormat(f)
				}
				w.xfFormat[i] = code
			}
			return nil
		case recFilePass:
			return ErrEncrypted
		case recDateMode:
			w.date1904 = len(d) >= 2 && binary.LittleEndian.Uint16(d) == 1
		case recCodePage:
			if len(d) >= 2 && w.biff5 {
				w.codepage = codePage(binary.LittleEndian.Uint16(d))
			}
		case recFormat:
			if w.biff5 && len(d) >= 3 {
				if s, err := w.string5(d[2:], 1); err == nil && len(formats) < maxODSStyles {
					formats[int(binary.LittleEndian.Uint16(d))] = s
				}
			} else if len(d) >= 5 {
				s, _, err := xlsString(&contReader{segs: [][]byte{d[2:]}}, 2, w.lim.MaxFieldSize)
				if err == nil && len(formats) < maxODSStyles {
					formats[int(binary.LittleEndian.Uint16(d))] = s
				}
			}
		case recXF:
			if len(d) >= 4 && len(xfFmt) < maxODSStyles {
				xfFmt = append(xfFmt, int(binary.LittleEndian.Uint16(d[2:])))
			}
		case recBoundSheet:
			if len(d) < 8 {
				return fmt.Errorf("%w: a BOUNDSHEET record at byte %d is too short", ErrDamaged, rec.pos)
			}
			off := int(binary.LittleEndian.Uint32(d))
			kind := d[5]
			var name string
			var err error
			if w.biff5 {
				name, err = w.string5(d[6:], 1)
			} else {
				name, _, err = xlsString(&contReader{segs: [][]byte{d[6:]}}, 1, w.lim.MaxFieldSize)
			}
			if err != nil {
				return fmt.Errorf("%w: the sheet name at byte %d cannot be read (%v)", ErrDamaged, rec.pos, err)
			}
			if kind != 0 { // a chart, macro or VB module sheet: no cells
				break
			}
			if err := checkSheetName(name, seen); err != nil {
				return err
			}
			w.sheets = append(w.sheets, name)
			w.offsets = append(w.offsets, off)
		case recSST:
			segs, after := w.continued(next)
			next = after
			if err := w.readSST(append([][]byte{d}, segs...)); err != nil {
				return err
			}
		}
		pos = next
	}
}

func biffVersion(v uint16) string {
	switch v {
	case 0x0500:
		return "an Excel 5.0/95 workbook (BIFF5)"
	case 0x0400, 0x0300, 0x0200, 0x0002, 0x0007:
		return "an Excel 2.x–4.0 workbook (BIFF2–4)"
	}
	return fmt.Sprintf("a binary Excel file of an unknown version (BOF version 0x%04X)", v)
}

// readSST reads the shared strings table. Its declared count is not
// trusted: strings are read while the records hold some, and the table
// never gets more room than its bytes could fill.
func (w *xlsWorkbook) readSST(segs [][]byte) error {
	if len(segs[0]) < 8 {
		return fmt.Errorf("%w: the shared strings table (SST) is too short", ErrDamaged)
	}
	unique := int64(binary.LittleEndian.Uint32(segs[0][4:]))
	total := 0
	for _, s := range segs {
		total += len(s)
	}
	w.sst = make([]string, 0, min(unique, int64(total/3)+1))
	c := &contReader{segs: segs, off: 8}
	for int64(len(w.sst)) < unique && !c.done() {
		s, _, err := xlsString(c, 2, w.lim.MaxFieldSize)
		if err != nil {
			return fmt.Errorf("%w: shared string %d of the SST cannot be read (%v)", ErrDamaged, len(w.sst), err)
		}
		w.sst = append(w.sst, s)
	}
	return nil
}

// contReader reads across a record and its CONTINUE records.
type contReader struct {
	segs [][]byte
	i    int // current segment
	off  int // offset in it
}

var errShort = errors.New("the record ends inside a string")

func (c *contReader) done() bool {
	for c.i < len(c.segs) && c.off >= len(c.segs[c.i]) {
		c.i++
		c.off = 0
	}
	return c.i >= len(c.segs)
}

// bytes reads n bytes, across segments.
func (c *contReader) bytes(n int) ([]byte, error) {
	var out []byte
	for n > 0 {
		if c.done() {
			return nil, errShort
		}
		seg := c.segs[c.i][c.off:]
		k := min(n, len(seg))
		if out == nil && k == n {
			c.off += k
			return seg[:k], nil
		}
		out = append(out, seg[:k]...)
		c.off += k
		n -= k
	}
	return out, nil
}

func (c *contReader) skip(n int) error {
	for n > 0 {
		if c.done() {
			return errShort
		}
		k := min(n, len(c.segs[c.i])-c.off)
		c.off += k
		n -= k
	}
	return nil
}

// xlsString reads an XLUnicodeString (a count of lenBytes bytes, a flags
// byte, the characters, and the rich-text runs and phonetic data the flags
// announce). Characters continued in a CONTINUE record get a new flags
// byte there. The string is at most max bytes of UTF-8.
func xlsString(c *contReader, lenBytes, max int) (string, int, error) {
	b, err := c.bytes(lenBytes + 1)
	if err != nil {
		return "", 0, err
	}
	n := int(b[0])
	if lenBytes == 2 {
		n = int(binary.LittleEndian.Uint16(b))
	}
	flags := b[lenBytes]
	var runs, ext int
	if flags&0x08 != 0 {
		r, err := c.bytes(2)
		if err != nil {
			return "", 0, err
		}
		runs = int(binary.LittleEndian.Uint16(r))
	}
	if flags&0x04 != 0 {
		r, err := c.bytes(4)
		if err != nil {
			return "", 0, err
		}
		ext = int(binary.LittleEndian.Uint32(r))
	}
	high := flags&0x01 != 0
	units := make([]uint16, 0, min(n, 1<<12))
	first := true
	for n > 0 {
		if c.done() {
			return "", 0, errShort
		}
		if !first && c.off == 0 {
			// the characters go on in a CONTINUE record, with a
			// flags byte of their own
			high = c.segs[c.i][0]&0x01 != 0
			c.off = 1
			if c.done() {
				return "", 0, errShort
			}
		}
		first = false
		seg := c.segs[c.i][c.off:]
		if high {
			k := min(n, len(seg)/2)
			if k == 0 {
				return "", 0, errShort
			}
			for j := range k {
				units = append(units, binary.LittleEndian.Uint16(seg[2*j:]))
			}
			c.off += 2 * k
			n -= k
		} else {
			k := min(n, len(seg))
			for _, ch := range seg[:k] {
				units = append(units, uint16(ch))
			}
			c.off += k
			n -= k
		}
	}
	if err := c.skip(4*runs + ext); err != nil {
		return "", 0, err
	}
	s := string(utf16.Decode(units))
	if len(s) > max {
		return "", 0, fmt.Errorf("%w: a string longer than %d bytes (--max-field-size)", ErrTooLarge, max)
	}
	return s, len(units), nil
}

// string5 reads a BIFF5 string: a count of lenBytes bytes and as many
// bytes in the workbook's code page.
func (w *xlsWorkbook) string5(d []byte, lenBytes int) (string, error) {
	if len(d) < lenBytes {
		return "", errShort
	}
	n := int(d[0])
	if lenBytes == 2 {
		n = int(binary.LittleEndian.Uint16(d))
	}
	d = d[lenBytes:]
	if n > len(d) {
		return "", errShort
	}
	s, err := w.codepage.NewDecoder().Bytes(d[:n])
	if err != nil {
		return "", err
	}
	if len(s) > w.lim.MaxFieldSize {
		return "", fmt.Errorf("%w: a string longer than %d bytes (--max-field-size)", ErrTooLarge, w.lim.MaxFieldSize)
	}
	return string(s), nil
}

// cellString reads the text of a LABEL, RSTRING or STRING record (and its
// CONTINUE records): UTF-16 or compressed in BIFF8, code-page bytes in
// BIFF5.
func (w *xlsWorkbook) cellString(segs [][]byte) (string, error) {
	if w.biff5 {
		return w.string5(bytes.Join(segs, nil), 2)
	}
	s, _, err := xlsString(&contReader{segs: segs}, 2, w.lim.MaxFieldSize)
	return s, err
}

// codePage returns the character map of a Windows code page number
// (Windows-1252 for those it does not know).
func codePage(cp uint16) *charmap.Charmap {
	switch cp {
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 852:
		return charmap.CodePage852
	case 866:
		return charmap.CodePage866
	case 874:
		return charmap.Windows874
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 10000, 32768:
		return charmap.Macintosh
	}
	return charmap.Windows1252
}

func (w *xlsWorkbook) Sheets() []string { return w.sheets }
func (w *xlsWorkbook) Date1904() bool   { return w.date1904 }
func (w *xlsWorkbook) Close() error     { return nil }

func (w *xlsWorkbook) Open(ctx context.Context, sheet string) (SheetReader, error) {
	i := slices.Index(w.sheets, sheet)
	if i < 0 {
		return nil, fmt.Errorf("read %s: no sheet named %q", w.path, sheet)
	}
	s := &xlsSheet{w: w, ctx: ctx, sheet: sheet, pos: w.offsets[i]}
	rec, next, err := w.record(s.pos)
	if err != nil || rec.id != recBOF {
		return nil, fmt.Errorf("read %s sheet %q: %w: the sheet's offset (byte %d) does not point at its BOF record", w.path, sheet, ErrDamaged, s.pos)
	}
	s.pos = next
	return s, nil
}

// xlsSheet reads the cell records of one sheet. Cells are gathered up to
// the DBCELL record that ends each block of at most 32 rows (or, in files
// without them, the end of the sheet), then handed out in row and column
// order.
type xlsSheet struct {
	w      *xlsWorkbook
	ctx    context.Context
	sheet  string
	pos    int
	done   bool
	depth  int    // nested BOF…EOF substreams (embedded charts)
	buf    []Cell // the cells of the current block, sorted
	next   int    // the next cell of buf to hand out
	merges []Range
	calls  int
}

func (s *xlsSheet) Close() error { return nil }

// MergedCells returns the sheet's merged ranges, known once Next returned
// io.EOF.
func (s *xlsSheet) MergedCells() ([]Range, error) { return s.merges, nil }

func (s *xlsSheet) errorf(err error) error {
	return fmt.Errorf("read %s sheet %q: %w", s.w.path, s.sheet, err)
}

func (s *xlsSheet) Next() (_ Row, err error) {
	defer recovered(s.w.path, &err)
	for s.next >= len(s.buf) {
		if s.done {
			return Row{}, io.EOF
		}
		if err := s.fill(); err != nil {
			return Row{}, err
		}
	}
	start := s.next
	num := s.buf[start].Row
	for s.next < len(s.buf) && s.buf[s.next].Row == num {
		s.next++
	}
	cells := s.buf[start:s.next:s.next]
	if total := s.w.cells.Add(int64(len(cells))); total > s.w.lim.MaxCells {
		return Row{}, fmt.Errorf("read %s sheet %q row %d: %w (%d cells)", s.w.path, s.sheet, num, ErrTooManyCells, s.w.lim.MaxCells)
	}
	return Row{Num: num, Cells: cells}, nil
}

// fill reads cell records up to the next DBCELL or the end of the sheet.
func (s *xlsSheet) fill() error {
	s.buf, s.next = nil, 0
	var lastRow, lastCol int
	sorted := true
	add := func(c Cell) error {
		if c.Col > xlsMaxCol {
			return s.errorf(fmt.Errorf("%w: a cell in column %d, past the last column of a sheet", ErrDamaged, c.Col))
		}
		if int64(len(s.buf)) >= s.w.lim.MaxCells {
			return fmt.Errorf("read %s sheet %q row %d: %w (%d cells)", s.w.path, s.sheet, c.Row, ErrTooManyCells, s.w.lim.MaxCells)
		}
		if c.Row < lastRow || c.Row == lastRow && c.Col <= lastCol {
			sorted = false
		}
		lastRow, lastCol = c.Row, c.Col
		s.buf = append(s.buf, c)
		return nil
	}
	for {
		s.calls++
		if s.calls%4096 == 0 {
			if err := s.ctx.Err(); err != nil {
				return s.errorf(err)
			}
		}
		rec, next, err := s.w.record(s.pos)
		if err != nil {
			return s.errorf(err)
		}
		s.pos = next
		d := rec.data
		if s.depth > 0 { // inside an embedded chart
			switch rec.id {
			case recBOF:
				s.depth++
			case recEOF:
				s.depth--
			}
			continue
		}
		switch rec.id {
		case recBOF:
			s.depth++
		case recEOF:
			s.done = true
		case recDBCell:
			if len(s.buf) > 0 {
				s.finish(sorted)
				return nil
			}
		case recNumber:
			if len(d) < 14 {
				return s.short(rec)
			}
			c := s.cell(d, math.Float64frombits(binary.LittleEndian.Uint64(d[6:])))
			if err := add(c); err != nil {
				return err
			}
		case recRK:
			if len(d) < 10 {
				return s.short(rec)
			}
			if err := add(s.cell(d, rkValue(binary.LittleEndian.Uint32(d[6:])))); err != nil {
				return err
			}
		case recMulRK:
			if len(d) < 6 {
				return s.short(rec)
			}
			row := int(binary.LittleEndian.Uint16(d)) + 1
			col := int(binary.LittleEndian.Uint16(d[2:])) + 1
			for k := 4; k+6 <= len(d)-2; k += 6 {
				xf := int(binary.LittleEndian.Uint16(d[k:]))
				v := rkValue(binary.LittleEndian.Uint32(d[k+2:]))
				if err := add(s.number(row, col, xf, v)); err != nil {
					return err
				}
				col++
			}
		case recLabelSST:
			if len(d) < 10 {
				return s.short(rec)
			}
			k := int(binary.LittleEndian.Uint32(d[6:]))
			c := s.base(d)
			if k >= len(s.w.sst) {
				return s.errorf(fmt.Errorf("%w: cell %s refers to shared string %d, but the table holds %d", ErrDamaged, c.Ref(), k, len(s.w.sst)))
			}
			c.Kind, c.Text = String, s.w.sst[k]
			if c.Text != "" {
				if err := add(c); err != nil {
					return err
				}
			}
		case recLabel, recRString:
			if len(d) < 8 {
				return s.short(rec)
			}
			c := s.base(d)
			text, err := s.w.cellString([][]byte{d[6:]})
			if err != nil {
				return s.errorf(fmt.Errorf("%w: cell %s: its text cannot be read (%v)", ErrDamaged, c.Ref(), err))
			}
			c.Kind, c.Text = String, text
			if text != "" {
				if err := add(c); err != nil {
					return err
				}
			}
		case recBoolErr:
			if len(d) < 8 {
				return s.short(rec)
			}
			c := s.base(d)
			if d[7] == 0 {
				c.Kind, c.Text = Bool, "0"
				if d[6] != 0 {
					c.Text, c.Number = "1", 1
				}
			} else {
				c.Kind, c.Text = Error, xlsError(d[6])
			}
			if err := add(c); err != nil {
				return err
			}
		case recFormula:
			if len(d) < 20 {
				return s.short(rec)
			}
			c, ok, err := s.formula(d)
			if err != nil {
				return err
			}
			if ok {
				if err := add(c); err != nil {
					return err
				}
			}
		case recMergedCells:
			if len(d) < 2 {
				return s.short(rec)
			}
			n := int(binary.LittleEndian.Uint16(d))
			for k := 0; k < n && 2+8*k+8 <= len(d) && len(s.merges) < maxODSMerges; k++ {
				m := d[2+8*k:]
				r1, r2 := int(binary.LittleEndian.Uint16(m))+1, int(binary.LittleEndian.Uint16(m[2:]))+1
				c1, c2 := int(binary.LittleEndian.Uint16(m[4:]))+1, int(binary.LittleEndian.Uint16(m[6:]))+1
				s.merges = append(s.merges, Range{FromCol: min(c1, c2), FromRow: min(r1, r2), ToCol: max(c1, c2), ToRow: max(r1, r2)})
			}
		}
		if s.done {
			s.finish(sorted)
			return nil
		}
	}
}

// finish orders the cells of a block by row and column; of two records
// for one cell, the last one stands, as in Excel.
func (s *xlsSheet) finish(sorted bool) {
	if sorted {
		return
	}
	slices.SortStableFunc(s.buf, func(a, b Cell) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	})
	out := s.buf[:0]
	for i, c := range s.buf {
		if i+1 < len(s.buf) && s.buf[i+1].Row == c.Row && s.buf[i+1].Col == c.Col {
			continue
		}
		out = append(out, c)
	}
	s.buf = out
}

func (s *xlsSheet) short(rec biffRecord) error {
	return s.errorf(fmt.Errorf("%w: the cell record 0x%04X at byte %d is too short (%d bytes)", ErrDamaged, rec.id, rec.pos, len(rec.data)))
}

// base is a cell's position and format from the first six bytes of its
// record (row, column, XF index).
func (s *xlsSheet) base(d []byte) Cell {
	c := Cell{Row: int(binary.LittleEndian.Uint16(d)) + 1, Col: int(binary.LittleEndian.Uint16(d[2:])) + 1}
	c.Format = s.format(int(binary.LittleEndian.Uint16(d[4:])))
	return c
}

func (s *xlsSheet) format(xf int) string {
	if xf < len(s.w.xfFormat) {
		return s.w.xfFormat[xf]
	}
	return "General"
}

func (s *xlsSheet) cell(d []byte, v float64) Cell {
	c := s.base(d)
	c.Kind, c.Number, c.Text = Number, v, numberText(v)
	return c
}

func (s *xlsSheet) number(row, col, xf int, v float64) Cell {
	return Cell{Row: row, Col: col, Kind: Number, Number: v, Text: numberText(v), Format: s.format(xf)}
}

// formula reads the cached result of a FORMULA record: a number, or (the
// last two bytes of the value 0xFFFF) a string in the STRING record that
// follows, a boolean, an error or an empty string.
func (s *xlsSheet) formula(d []byte) (Cell, bool, error) {
	c := s.base(d)
	v := d[6:14]
	if binary.LittleEndian.Uint16(v[6:]) != 0xFFFF {
		f := math.Float64frombits(binary.LittleEndian.Uint64(v))
		c.Kind, c.Number, c.Text = Number, f, numberText(f)
		return c, true, nil
	}
	switch v[0] {
	case 0: // a string, in the STRING record that follows
		for {
			rec, next, err := s.w.record(s.pos)
			if err != nil {
				return c, false, s.errorf(err)
			}
			if rec.id == recString {
				segs, after := s.w.continued(next)
				s.pos = after
				text, err := s.w.cellString(append([][]byte{rec.data}, segs...))
				if err != nil {
					return c, false, s.errorf(fmt.Errorf("%w: cell %s: its formula's text result cannot be read (%v)", ErrDamaged, c.Ref(), err))
				}
				c.Kind, c.Text = String, text
				return c, text != "", nil
			}
			// SHRFMLA, ARRAY or TABLE may come between
			if rec.id != 0x04BC && rec.id != 0x0221 && rec.id != 0x0236 {
				return c, false, nil
			}
			s.pos = next
		}
	case 1:
		c.Kind, c.Text = Bool, "0"
		if v[2] != 0 {
			c.Text, c.Number = "1", 1
		}
	case 2:
		c.Kind, c.Text = Error, xlsError(v[2])
	default: // 3: an empty string
		return c, false, nil
	}
	return c, true, nil
}

// rkValue decodes an RK number: a 30-bit integer or the high 30 bits of
// a float64, optionally divided by 100.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&0x02 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&0x01 != 0 {
		v /= 100
	}
	return v
}

// numberText is a number's text as a workbook stores it: the shortest
// that reads back as the same float64.
func numberText(v float64) string {
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strings.ToUpper(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func xlsError(code byte) string {
	switch code {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	case 0x2B:
		return "#GETTING_DATA"
	}
	return "#ERROR!"
}

// builtinFormat is the format code of a built-in number format index
// (those a workbook uses without a FORMAT record), in Excel's en-US form.
func builtinFormat(i int) string {
	switch i {
	case 1:
		return "0"
	case 2:
		return "0.00"
	case 3:
		return "#,##0"
	case 4:
		return "#,##0.00"
	case 5:
		return `"$"#,##0_);("$"#,##0)`
	case 6:
		return `"$"#,##0_);[Red]("$"#,##0)`
	case 7:
		return `"$"#,##0.00_);("$"#,##0.00)`
	case 8:
		return `"$"#,##0.00_);[Red]("$"#,##0.00)`
	case 9:
		return "0%"
	case 10:
		return "0.00%"
	case 11:
		return "0.00E+00"
	case 12:
		return "# ?/?"
	case 13:
		return "# ??/??"
	case 14:
		return "m/d/yyyy"
	case 15:
		return "d-mmm-yy"
	case 16:
		return "d-mmm"
	case 17:
		return "mmm-yy"
	case 18:
		return "h:mm AM/PM"
	case 19:
		return "h:mm:ss AM/PM"
	case 20:
		return "h:mm"
	case 21:
		return "h:mm:ss"
	case 22:
		return "m/d/yyyy h:mm"
	case 37:
		return "#,##0 ;(#,##0)"
	case 38:
		return "#,##0 ;[Red](#,##0)"
	case 39:
		return "#,##0.00;(#,##0.00)"
	case 40:
		return "#,##0.00;[Red](#,##0.00)"
	case 41:
		return `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`
	case 42:
		return `_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)`
	case 43:
		return `_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`
	case 44:
		return `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`
	case 45:
		return "mm:ss"
	case 46:
		return "[h]:mm:ss"
	case 47:
		return "mm:ss.0"
	case 48:
		return "##0.0E+0"
	case 49:
		return "@"
	}
	return "General"
}

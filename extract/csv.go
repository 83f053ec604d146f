package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvWorkbook reads a delimited text file as a workbook with one sheet named
// "". The encoding (UTF-8 with or without BOM, UTF-16 with or without BOM,
// or Windows-1252) is detected from the start of the file, and so is the
// delimiter (comma, semicolon, tab or pipe) unless the file's name or an
// Excel "sep=" first line gives it. Every field is a String cell holding
// the field as written; numbers are parsed by transform, which knows about
// decimal commas.
//
// Cells are addressed by physical line: the column is the field's
// position in its record (A = first field), the row is the line of the
// file the record starts on, counting every line (title, blank and "sep="
// lines included), which is the row a spreadsheet shows. A record that
// runs over several lines through a quoted line break is one row,
// numbered by the line of its first field; a spreadsheet numbers the rows
// after it one less per extra line, the line count does not.
type csvWorkbook struct {
	path    string
	src     io.ReaderAt // the file's bytes, size of them
	size    int64
	lim     Limits
	comma   rune // the delimiter the file's name sets (tab for .tsv and .tab), or 0
	repairs []TextRepair
}

// TextRepairs says, once the file is read, whether bytes that are not
// UTF-8 were replaced in its fields.
func (w *csvWorkbook) TextRepairs() []TextRepair { return w.repairs }

func openCSV(path string, src io.ReaderAt, size int64, lim Limits, ext string) (*csvWorkbook, error) {
	if size > lim.MaxTextSize {
		return nil, fmt.Errorf("open %s: %w: the file is %s, more than the %s limit of delimited text (--max-text-size)", path, ErrTooLarge, byteSize(uint64(size)), byteSize(uint64(lim.MaxTextSize)))
	}
	w := &csvWorkbook{path: path, src: src, size: size, lim: lim}
	if ext == ".tsv" || ext == ".tab" {
		w.comma = '\t' // tab-separated by name, always (Eurostat's TSV has commas in its first column)
	}
	return w, nil
}

func (w *csvWorkbook) Sheets() []string { return []string{""} }
func (w *csvWorkbook) Date1904() bool   { return false }
func (w *csvWorkbook) Close() error     { return nil }

// ErrInconsistent is wrapped by errors for delimited files whose rows
// cannot be split into fields reliably.
var ErrInconsistent = errors.New("the rows of the file are inconsistent")

func (w *csvWorkbook) Open(ctx context.Context, sheet string) (SheetReader, error) {
	if sheet != "" {
		return nil, fmt.Errorf("read %s: a CSV file has no sheet %q", w.path, sheet)
	}
	// The size as read (a file that grew since it was opened is read
	// as it was), within the limit.
	size := &sizeLimit{r: io.NewSectionReader(w.src, 0, w.size), left: w.lim.MaxTextSize}
	text, err := decodeText(size)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", w.path, err)
	}
	prefix, perr := text.Peek(sniffSize)
	atEOF := errors.Is(perr, io.EOF)
	comma := w.comma
	hint, hinted := sepLine(prefix)
	skipped := 0
	if hinted {
		// Excel's "sep=;" first line names the delimiter (unless the
		// file's name does) and is no row of the table.
		if comma == 0 {
			comma = hint
		}
		_, _ = text.ReadString('\n') // EOF: the file holds nothing else
		skipped = 1
	} else if comma == 0 {
		comma = sniffDelimiter(prefix, atEOF)
	}
	r, err := newTextReader(text, comma, w.lim.MaxFieldSize, w.lim.MaxLineSize)
	if err != nil {
		return nil, fmt.Errorf("read %s line 1: %w", w.path, err)
	}
	return &csvSheet{ctx: ctx, w: w, r: r, skipped: skipped}, nil
}

// sizeLimit reads from r until left bytes are read, then fails with
// ErrTooLarge: a file that grows while it is read stays within the limit.
type sizeLimit struct {
	r    io.Reader
	left int64
}

func (l *sizeLimit) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.err()
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1] // one more byte tells a file of exactly the limit from a longer one
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, l.err()
	}
	return n, err
}

func (l *sizeLimit) err() error {
	return fmt.Errorf("%w: the file grew past the limit of delimited text while it was read (--max-text-size)", ErrTooLarge)
}

// Delimited reports that the file is delimited text: a value holding an
// unquoted delimiter shifts the fields of its row, so a row wider than its
// table is an error, not a note beside it.
func (w *csvWorkbook) Delimited() bool { return true }

// sepLine reads Excel's "sep=X" first line.
func sepLine(prefix []byte) (rune, bool) {
	line, _, _ := bytes.Cut(prefix, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	if len(line) == 5 && bytes.EqualFold(line[:4], []byte("sep=")) {
		return rune(line[4]), true
	}
	if len(line) == 4 && bytes.EqualFold(line, []byte("sep=")) {
		return ',', false
	}
	if bytes.HasPrefix(bytes.ToLower(line), []byte("sep=\\t")) {
		return '\t', true
	}
	return 0, false
}

type csvSheet struct {
	ctx     context.Context
	w       *csvWorkbook
	r       *textReader
	skipped int // lines read before r: the "sep=" line
	line    int // the physical line of the last record read
	records int
	cells   int64
	slab    []Cell // room for the cells of the next rows (see xlsxSheet)
	slabN   int    // the size of the last slab
}

func (s *csvSheet) Next() (Row, error) {
	for {
		rec, err := s.r.Read()
		if errors.Is(err, io.EOF) {
			if n := s.r.replaced; n > 0 && s.w.repairs == nil {
				line := s.r.firstLine + s.skipped
				s.w.repairs = []TextRepair{{Cell: CellName(s.r.firstField, line),
					Message: fmt.Sprintf("%d record(s), the first on line %d, held bytes that are not valid UTF-8 (the file was read as UTF-8, which its first %d KiB are); each such byte is replaced by U+FFFD", n, line, sniffSize>>10)}}
			}
			return Row{}, io.EOF
		}
		if err != nil {
			var le *lineError
			if errors.As(err, &le) {
				return Row{}, fmt.Errorf("read %s line %d: %w", s.w.path, le.Line+s.skipped, le.Err)
			}
			return Row{}, fmt.Errorf("read %s after line %d: %w", s.w.path, s.r.line+s.skipped, err)
		}
		// blank lines are skipped but counted: the line of the first
		// field is the row a spreadsheet shows the record on
		s.line = s.r.recLine + s.skipped
		s.records++
		if s.records%1024 == 0 {
			if err := s.ctx.Err(); err != nil {
				return Row{}, err
			}
		}
		if len(rec) > len(s.slab) {
			s.slabN = min(max(2*s.slabN, firstSlabCells), slabCells)
			s.slab = make([]Cell, max(len(rec), s.slabN))
		}
		cells := s.slab[:0:len(rec)]
		for i, field := range rec {
			if field == "" {
				continue
			}
			// (IndexByte twice: ContainsAny has no fast path for a set)
			if (strings.IndexByte(field, '\n') >= 0 || strings.IndexByte(field, '\r') >= 0) && strings.ContainsRune(field, s.r.comma) {
				return Row{}, fmt.Errorf("read %s line %d: %w: field %d runs over several lines and holds the delimiter %q: a quote is not closed", s.w.path, s.line, ErrInconsistent, i+1, s.r.comma)
			}
			cells = append(cells, Cell{Row: s.line, Col: i + 1, Kind: String, Text: field})
		}
		if len(cells) == 0 {
			continue
		}
		// the row's cells are its own: no room to append into the next
		row := Row{Num: s.line, Cells: cells[:len(cells):len(cells)]}
		s.slab = s.slab[len(cells):]
		s.cells += int64(len(row.Cells))
		if s.cells > s.w.lim.MaxCells {
			return Row{}, fmt.Errorf("read %s line %d: %w (%d cells)", s.w.path, s.line, ErrTooManyCells, s.w.lim.MaxCells)
		}
		return row, nil
	}
}

func (s *csvSheet) Close() error { return nil }

// sniffSize is how much of the start of a delimited file is read to detect
// its encoding and delimiter (the size of the reading buffer).
const sniffSize = 64 << 10

// decodeText wraps r so that it yields UTF-8 without BOM, whatever Excel
// saved: UTF-8 with BOM, UTF-16 LE/BE with BOM (or without, see
// utf16NoBOM), or Windows-1252. A byte order mark yields no character, so
// it shifts no line.
func decodeText(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
		return br, nil
	}
	if _, ok := utf16BOM(head); ok {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), sniffSize), nil
	}
	if bytes.IndexByte(head[:min(len(head), textHeadSize)], 0) >= 0 {
		if bigEndian, ok := utf16NoBOM(head[:min(len(head), textHeadSize)]); ok {
			order := unicode.LittleEndian
			if bigEndian {
				order = unicode.BigEndian
			}
			dec := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()
			return bufio.NewReaderSize(transform.NewReader(br, dec), sniffSize), nil
		}
	}
	if !validUTF8Prefix(head) {
		dec := charmap.Windows1252.NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), sniffSize), nil
	}
	return br, nil
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off
// at the end of the buffer.
func validUTF8Prefix(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		b = b[size:]
	}
	return true
}

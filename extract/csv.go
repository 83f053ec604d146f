package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvWorkbook reads a delimited text file as a workbook with one sheet named
// "". The delimiter (comma, semicolon, tab or pipe) and the encoding (UTF-8
// with or without BOM, UTF-16 with BOM, or Windows-1252) are detected from
// the start of the file. Every field is a String cell; numbers are parsed by
// transform, which knows about decimal commas.
type csvWorkbook struct {
	path string
	lim  Limits
}

func openCSV(path string, lim Limits) (*csvWorkbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	return &csvWorkbook{path: path, lim: lim}, nil
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
	f, err := os.Open(w.path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", w.path, err)
	}
	text, err := decodeText(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read %s: %w", w.path, err)
	}
	prefix, _ := text.Peek(64 << 10)
	comma, hinted := sepLine(prefix)
	skipped := 0
	if hinted {
		// Excel's "sep=;" first line names the delimiter.
		_, _ = text.ReadString('\n') // EOF: the file holds nothing else
		skipped = 1
	} else {
		comma = SniffDelimiter(prefix)
	}
	r := csv.NewReader(text)
	r.Comma = comma
	r.FieldsPerRecord = -1 // ragged rows are normal in report exports
	r.LazyQuotes = true
	r.ReuseRecord = true
	return &csvSheet{ctx: ctx, w: w, f: f, r: r, num: skipped}, nil
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
	ctx   context.Context
	w     *csvWorkbook
	f     *os.File
	r     *csv.Reader
	num   int
	cells int64
	slab  []Cell // room for the cells of the next rows (see xlsxSheet)
	slabN int    // the size of the last slab
}

func (s *csvSheet) Next() (Row, error) {
	for {
		rec, err := s.r.Read()
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		s.num++
		if err != nil {
			return Row{}, fmt.Errorf("read %s row %d: %w", s.w.path, s.num, err)
		}
		if s.num%1024 == 0 {
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
			if (strings.IndexByte(field, '\n') >= 0 || strings.IndexByte(field, '\r') >= 0) && strings.ContainsRune(field, s.r.Comma) {
				return Row{}, fmt.Errorf("read %s row %d: %w: field %d runs over several lines and holds the delimiter %q: a quote is not closed", s.w.path, s.num, ErrInconsistent, i+1, s.r.Comma)
			}
			cells = append(cells, Cell{Row: s.num, Col: i + 1, Kind: String, Text: field})
		}
		if len(cells) == 0 {
			continue
		}
		// the row's cells are its own: no room to append into the next
		row := Row{Num: s.num, Cells: cells[:len(cells):len(cells)]}
		s.slab = s.slab[len(cells):]
		s.cells += int64(len(row.Cells))
		if s.cells > s.w.lim.MaxCells {
			return Row{}, fmt.Errorf("read %s row %d: %w (%d cells)", s.w.path, s.num, ErrTooManyCells, s.w.lim.MaxCells)
		}
		return row, nil
	}
}

func (s *csvSheet) Close() error { return s.f.Close() }

// decodeText wraps r so that it yields UTF-8 without BOM, whatever Excel
// saved: UTF-8 with BOM, UTF-16 LE/BE with BOM, or Windows-1252.
func decodeText(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10), nil
	case !validUTF8Prefix(head):
		dec := charmap.Windows1252.NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10), nil
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

// SniffDelimiter picks the field delimiter of a CSV file from its first
// lines: the candidate (comma, semicolon, tab, pipe) found outside quotes on
// the most lines, then splitting the most lines into the same number of
// fields. It defaults to a comma.
func SniffDelimiter(prefix []byte) rune {
	lines := bytes.Split(prefix, []byte("\n"))
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last line may be cut off
	}
	if len(lines) > 50 {
		lines = lines[:50]
	}
	best, bestScore := ',', 0
	for _, d := range []byte{',', ';', '\t', '|'} {
		counts := map[int]int{}
		present := 0
		for _, line := range lines {
			if n := countOutsideQuotes(line, d); n > 0 {
				counts[n]++
				present++
			}
		}
		// Score: lines that hold the delimiter, then lines sharing the
		// most common field count, then that count.
		modal := 0
		for n, lines := range counts {
			modal = max(modal, lines*1000+n)
		}
		if score := present*1_000_000 + modal; score > bestScore {
			best, bestScore = rune(d), score
		}
	}
	return best
}

func countOutsideQuotes(line []byte, d byte) int {
	n, quoted := 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			n++
		}
	}
	return n
}

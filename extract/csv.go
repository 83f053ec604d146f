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

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// csvWorkbook reads a delimited text file as a workbook with one sheet named
// "". The encoding is that of Limits.Encoding (--encoding), or else detected
// from the start of the file (see [DetectEncoding]: a byte order mark,
// UTF-16 by its NUL bytes, UTF-8, or the legacy encoding whose reading is
// the most plausible text, windows-1252 when that is not clear); the text
// is decoded to UTF-8 before it is split, so that limits, delimiters and
// cell addresses apply to the decoded text. The delimiter (comma,
// semicolon, tab or pipe) is detected too, unless the file's name or an
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
	enc     TextEncoding
	dec     encoding.Encoding // the decoder of enc; nil for UTF-8
	notes   []TextRepair      // what to say of the encoding (not sure, or --encoding against a BOM)
	repairs []TextRepair      // bytes replaced, once the file is read
}

// TextRepairs says what to check about the file's encoding (detection not
// sure, --encoding against a byte order mark) and, once the file is read,
// whether bytes that are not of its encoding were replaced in its fields.
func (w *csvWorkbook) TextRepairs() []TextRepair {
	return append(w.notes[:len(w.notes):len(w.notes)], w.repairs...)
}

// TextEncoding says how the file is decoded: the encoding and how it was
// chosen.
func (w *csvWorkbook) TextEncoding() TextEncoding { return w.enc }

func openCSV(path string, src io.ReaderAt, size int64, lim Limits, ext string) (*csvWorkbook, error) {
	if size > lim.MaxTextSize {
		return nil, fmt.Errorf("open %s: %w: the file is %s, more than the %s limit of delimited text (--max-text-size)", path, ErrTooLarge, byteSize(uint64(size)), byteSize(uint64(lim.MaxTextSize)))
	}
	w := &csvWorkbook{path: path, src: src, size: size, lim: lim}
	if ext == ".tsv" || ext == ".tab" {
		w.comma = '\t' // tab-separated by name, always (Eurostat's TSV has commas in its first column)
	}
	head, err := readHead(src, size, sniffSize)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := w.chooseEncoding(head, int64(len(head)) == size); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return w, nil
}

// chooseEncoding sets the encoding of the file from --encoding, or from
// its start (head; atEOF: the whole file), and what to say about it.
func (w *csvWorkbook) chooseEncoding(head []byte, atEOF bool) error {
	if w.lim.Encoding != "" {
		name, dec, err := LookupEncoding(w.lim.Encoding)
		if err != nil {
			return err
		}
		w.enc, w.dec = TextEncoding{Name: name, How: EncodingForced, Confident: true}, dec
		// (UTF-16 in either byte order follows its byte order mark)
		utf16 := func(n string) bool { return n == EncodingUTF16LE || n == EncodingUTF16BE }
		bom := DetectEncoding(head[:min(len(head), 3)], false)
		if bom.How == EncodingByBOM && bom.Name != name && !(utf16(bom.Name) && utf16(name)) {
			w.notes = append(w.notes, TextRepair{Rule: RuleTextEncoding, Message: fmt.Sprintf("the file starts with the byte order mark of %s, but was read as %s as --encoding says", bom.Name, name)})
		}
		return nil
	}
	w.enc = DetectEncoding(head, atEOF)
	if w.enc.Legacy() {
		_, w.dec, _ = LookupEncoding(w.enc.Name)
	} else if w.enc.Name != EncodingUTF8 {
		w.dec, _ = utf16Decoder(w.enc.Name)
	}
	if !w.enc.Confident {
		w.notes = append(w.notes, TextRepair{Rule: RuleTextEncoding, Message: fmt.Sprintf("read as %s: %s; if its labels look garbled, name its encoding with --encoding", w.enc, w.enc.Note)})
	}
	return nil
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
	text, err := decodeText(size, w.dec)
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
	// a decoder writes U+FFFD for bytes that are not of its encoding
	r.countReplacement = w.dec != nil
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
				rep := TextRepair{Cell: CellName(s.r.firstField, line)}
				switch {
				case s.w.dec != nil:
					rep.Rule = RuleTextEncoding
					rep.Message = fmt.Sprintf("%d record(s), the first on line %d, held bytes that are not valid %s (the file was read as %s); each such byte or sequence is replaced by U+FFFD; if the file is in another encoding, name it with --encoding", n, line, s.w.enc.Name, s.w.enc)
				case s.w.enc.How == EncodingValidUTF8:
					rep.Message = fmt.Sprintf("%d record(s), the first on line %d, held bytes that are not valid UTF-8 (the file was read as UTF-8, which its first %d KiB are); each such byte is replaced by U+FFFD; if the file is in another encoding, name it with --encoding", n, line, sniffSize>>10)
				default:
					rep.Message = fmt.Sprintf("%d record(s), the first on line %d, held bytes that are not valid UTF-8 (the file was read as %s); each such byte is replaced by U+FFFD", n, line, s.w.enc)
				}
				s.w.repairs = []TextRepair{rep}
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

// decodeText wraps r so that it yields UTF-8 without BOM: UTF-8 as it is
// (its byte order mark dropped), UTF-16 (its byte order mark, if any,
// telling the byte order) and legacy encodings through their decoder
// (dec). A byte order mark yields no character, so it shifts no line.
func decodeText(r io.Reader, dec encoding.Encoding) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if dec == nil {
		if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
		return br, nil
	}
	return bufio.NewReaderSize(transform.NewReader(br, dec.NewDecoder()), sniffSize), nil
}

// utf16Decoder is the decoder of UTF-16 in the byte order named; a byte
// order mark, if the file has one, decides.
func utf16Decoder(name string) (encoding.Encoding, bool) {
	switch name {
	case EncodingUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), true
	case EncodingUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), true
	}
	return nil, false
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

package extract

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/schemas"
)

// textReader splits delimited text into records the way encoding/csv
// does with LazyQuotes and any number of fields per record (a quote inside
// an unquoted field is a character; a quote inside a quoted field that is
// not doubled and not followed by the delimiter or a line end is a
// character too), with what encoding/csv lacks for hostile input:
//
//   - limits, checked as the bytes arrive, before they are held: a field
//     longer than maxField, a record (its lines together) longer than
//     maxRecord or with more than maxFields fields is an error naming its
//     line, so that memory stays bounded whatever the file holds;
//   - a quoted field that the end of the file closes is an error naming
//     the line its quote opened on (encoding/csv ends the field there, so
//     that one stray quote silently swallows the rest of the file);
//   - fields that are not valid UTF-8 have each invalid byte replaced by
//     U+FFFD (counted in replaced), so that every cell is valid text;
//     with countReplacement (text from a decoder, which writes U+FFFD for
//     bytes not of its encoding), fields holding U+FFFD are counted too.
//
// Line ends are those of encoding/csv: "\r\n" reads as "\n" (also inside
// quoted fields), a "\r" just before the end of the file is dropped, blank
// lines between records are skipped and counted.
type textReader struct {
	br        *bufio.Reader
	comma     rune
	commaLen  int
	maxField  int
	maxRecord int
	maxFields int

	line    int    // lines read so far: the number of the last line read
	recLine int    // the line the last record started on
	raw     []byte // a line longer than the reading buffer
	rec     []byte // the fields of the record, one after the other
	ends    []int  // the end of each field in rec
	fields  []string
	// records in which bytes that are not UTF-8 were replaced, and the
	// line and field of the first such field
	replaced              int
	firstLine, firstField int
	countReplacement      bool
}

// maxRecordFields caps the fields of one record of delimited text: 64
// times a worksheet's columns (the table reader refuses a row wider than
// its table long before).
const maxRecordFields = 1 << 20

// lineError is an error of the record starting on, or the field of the
// quote opened on, line Line.
type lineError struct {
	Line int
	Err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *lineError) Unwrap() error { return e.Err }

// validDelim is encoding/csv's rule for a delimiter.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

func newTextReader(br *bufio.Reader, comma rune, maxField, maxRecord int) (*textReader, error) {
	if !validDelim(comma) {
		return nil, fmt.Errorf("%w: %q cannot be a delimiter", ErrInconsistent, comma)
	}
	return &textReader{br: br, comma: comma, commaLen: utf8.RuneLen(comma),
		maxField: maxField, maxRecord: maxRecord, maxFields: maxRecordFields}, nil
}

// readLine returns the next line with its "\n" ("\r\n" read as "\n"), or
// io.EOF at the end of the file. The line is valid until the next call.
func (t *textReader) readLine() ([]byte, error) {
	line, err := t.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		t.raw = append(t.raw[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(t.raw) > t.maxRecord {
				return nil, &lineError{Line: t.line + 1, Err: fmt.Errorf("%w: a line longer than %s (--max-line-size)", ErrTooLarge, byteSize(uint64(t.maxRecord)))}
			}
			line, err = t.br.ReadSlice('\n')
			t.raw = appendDoubling(t.raw, line, t.maxRecord+1)
		}
		line = t.raw
	}
	if len(line) > 0 && errors.Is(err, io.EOF) {
		err = nil
		if line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
	}
	if err != nil {
		return nil, err
	}
	t.line++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	if len(line) > t.maxRecord {
		return nil, &lineError{Line: t.line, Err: fmt.Errorf("%w: a line longer than %s (--max-line-size)", ErrTooLarge, byteSize(uint64(t.maxRecord)))}
	}
	return line, nil
}

// appendDoubling is append(b, more...) growing b to twice its size (not
// the 1.25 times of append for large slices) but not past limit unless
// it must, so that a line refused at the limit costs about twice the
// limit in allocations.
func appendDoubling(b, more []byte, limit int) []byte {
	if n := len(b) + len(more); n > cap(b) {
		grown := make([]byte, len(b), max(min(2*cap(b), limit), n))
		copy(grown, b)
		b = grown
	}
	return append(b, more...)
}

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

func nextRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// Read returns the fields of the next record, or io.EOF after the last.
// The fields are valid until the next call; the line the record starts on
// is t.recLine.
func (t *textReader) Read() ([]string, error) {
	var line []byte
	for {
		l, err := t.readLine()
		if err != nil {
			return nil, err // io.EOF: no record left
		}
		if len(l) != lengthNL(l) {
			line = l
			break
		}
	}
	t.recLine = t.line
	t.rec, t.ends = t.rec[:0], t.ends[:0]
	if err := t.parse(line); err != nil {
		return nil, err
	}
	t.fields = t.fields[:0]
	str := string(t.rec) // one allocation per record; fields are slices of it
	pre, replaced := 0, false
	for i, end := range t.ends {
		f := str[pre:end]
		switch {
		case !utf8.ValidString(f): // (each field: two may make a rune)
			if t.replaced == 0 && !replaced {
				t.firstLine, t.firstField = t.recLine, i+1
			}
			f, replaced = schemas.ValidUTF8(f), true
		case t.countReplacement && strings.ContainsRune(f, utf8.RuneError):
			if t.replaced == 0 && !replaced {
				t.firstLine, t.firstField = t.recLine, i+1
			}
			replaced = true
		}
		t.fields = append(t.fields, f)
		pre = end
	}
	if replaced {
		t.replaced++
	}
	return t.fields, nil
}

// parse reads the fields of the record whose first line is line into rec
// and ends, reading more lines for quoted line breaks.
func (t *textReader) parse(line []byte) error {
	for {
		if len(t.ends) >= t.maxFields {
			return &lineError{Line: t.recLine, Err: fmt.Errorf("%w: a record of more than %d fields", ErrTooLarge, t.maxFields)}
		}
		if len(line) == 0 || line[0] != '"' {
			// an unquoted field: up to the delimiter or the line end
			i := bytes.IndexRune(line, t.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if len(field) > t.maxField {
				return t.fieldTooLong(t.line, false)
			}
			t.rec = append(t.rec, field...)
			t.ends = append(t.ends, len(t.rec))
			if i < 0 {
				return nil
			}
			line = line[i+t.commaLen:]
			continue
		}
		// a quoted field: up to a quote followed by the delimiter or the
		// line end, over as many lines as it takes
		opened, start := t.line, len(t.rec)
		line = line[1:]
	quoted:
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				t.rec = append(t.rec, line[:i]...)
				line = line[i+1:]
				switch rn := nextRune(line); {
				case rn == '"': // "" is a quote
					t.rec = append(t.rec, '"')
					line = line[1:]
				case rn == t.comma:
					line = line[t.commaLen:]
					if len(t.rec)-start > t.maxField {
						return t.fieldTooLong(opened, t.line > opened)
					}
					t.ends = append(t.ends, len(t.rec))
					break quoted
				case lengthNL(line) == len(line):
					if len(t.rec)-start > t.maxField {
						return t.fieldTooLong(opened, t.line > opened)
					}
					t.ends = append(t.ends, len(t.rec))
					return nil
				default: // a lone quote is a character
					t.rec = append(t.rec, '"')
				}
			case len(line) > 0:
				// the line ends inside the field: it goes on on the next
				t.rec = append(t.rec, line...)
				if len(t.rec)-start > t.maxField {
					return t.fieldTooLong(opened, true)
				}
				if len(t.rec) > t.maxRecord {
					return &lineError{Line: t.recLine, Err: fmt.Errorf("%w: a record longer than %s over %d lines (--max-line-size)", ErrTooLarge, byteSize(uint64(t.maxRecord)), t.line-t.recLine+1)}
				}
				var err error
				if line, err = t.readLine(); errors.Is(err, io.EOF) {
					line = nil
				} else if err != nil {
					return err
				}
			default:
				// the file ends inside the field
				return &lineError{Line: opened, Err: fmt.Errorf("%w: a quote is not closed: the quote opened on line %d runs to the end of the file, swallowing the %d line(s) after it into one field", ErrInconsistent, opened, t.line-opened)}
			}
		}
	}
}

// fieldTooLong is the error of a field longer than maxField that starts on
// line; multiline says whether it runs over several lines (through an
// opening quote, likely one that is never closed).
func (t *textReader) fieldTooLong(line int, multiline bool) error {
	err := fmt.Errorf("%w: a field longer than %s (--max-field-size)", ErrTooLarge, byteSize(uint64(t.maxField)))
	if multiline {
		err = fmt.Errorf("%w: a quoted field longer than %s (--max-field-size) opens on line %d and runs over %d lines: a quote is not closed", ErrTooLarge, byteSize(uint64(t.maxField)), line, t.line-line+1)
	}
	return &lineError{Line: line, Err: err}
}

package extract

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrNotText is wrapped by errors for a file named as delimited text
// (.csv, .tsv, .tab, .txt) whose bytes are not text: compressed data
// (gzip, bzip2, xz, zstd, 7-Zip), a zip archive (an .xlsx workbook or a
// zipped download), a PDF document, UTF-32 text, or binary data holding
// NUL bytes that is not UTF-16. Reading such a file as text would yield
// garbage cells, so it is refused before it is read.
var ErrNotText = errors.New("not text")

// textHeadSize is how much of a text file's start is inspected for NUL
// bytes (git looks at the first 8000 bytes for the same question).
const textHeadSize = 8 << 10

// binaryKinds are the signatures of data that is not text, with what to
// tell the user. The first bytes of the file are compared with magic.
var binaryKinds = []struct {
	magic []byte
	more  func(head []byte) bool // if set, confirms the kind beyond the magic
	what  string                 // what the file is
	hint  string                 // what to do about it
}{
	{[]byte{0x1F, 0x8B, 0x08}, nil, "gzip-compressed data", "decompress it first (gunzip)"},
	{[]byte("BZh"), bzip2Stream, "bzip2-compressed data", "decompress it first (bunzip2)"},
	{[]byte{0xFD, '7', 'z', 'X', 'Z', 0x00}, nil, "xz-compressed data", "decompress it first (unxz)"},
	{[]byte{0x28, 0xB5, 0x2F, 0xFD}, nil, "zstd-compressed data", "decompress it first (unzstd)"},
	{[]byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}, nil, "a 7-Zip archive", "extract it first (7z x)"},
	{zipMagic, nil, "a zip archive (an .xlsx workbook or a zipped download)", "unzip it, or name it .xlsx if it is a workbook"},
	{emptyZipMagic, nil, "an empty zip archive", "download the file again"},
	{[]byte("PK\x07\x08"), nil, "a zip archive (a split or spanned one)", "unzip it first"},
	{[]byte("%PDF-"), nil, "a PDF document", "export the table as .xlsx or .csv from the program that made it"},
	{[]byte{0xFF, 0xFE, 0x00, 0x00}, nil, "UTF-32 text", "save it as UTF-8 (or UTF-16) text"},
	{[]byte{0x00, 0x00, 0xFE, 0xFF}, nil, "UTF-32 text", "save it as UTF-8 (or UTF-16) text"},
}

// checkText reports why a file named as delimited text cannot be read as
// text, from the first bytes of the file (head, up to textHeadSize), or
// nil. The error wraps [ErrNotText] and says what the file is and what to
// do; the caller adds the file name.
func checkText(head []byte) error {
	for _, k := range binaryKinds {
		if !bytes.HasPrefix(head, k.magic) {
			continue
		}
		if k.more != nil && !k.more(head) {
			continue
		}
		return fmt.Errorf("%s, %w: %s", k.what, ErrNotText, k.hint)
	}
	if err := checkMarkup(head); err != nil {
		return err
	}
	if _, ok := utf16BOM(head); ok {
		return nil
	}
	i := bytes.IndexByte(head, 0)
	if i < 0 {
		return nil
	}
	if _, ok := utf16NoBOM(head); ok {
		return nil
	}
	return fmt.Errorf("binary data (a NUL byte at offset %d), %w: tradeetl reads text in UTF-8, UTF-16 and legacy encodings, none of which has NUL bytes; check that this is the file you meant", i, ErrNotText)
}

// checkMarkup refuses text that is a document, not a table: JSON (an API
// response saved as .csv: JSON-stat, SDMX-JSON), an HTML page (a portal's
// error or login page) or XML (SDMX-ML).
func checkMarkup(head []byte) error {
	t := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	t = bytes.TrimLeft(t, " \t\r\n")
	if len(t) < 2 {
		return nil
	}
	rest := bytes.TrimLeft(t[1:], " \t\r\n")
	switch {
	case t[0] == '{' && len(rest) > 0 && (rest[0] == '"' || rest[0] == '}'),
		t[0] == '[' && len(rest) > 0 && (rest[0] == '{' || rest[0] == '['):
		return fmt.Errorf("JSON data, %w: an API response, not a table; download the CSV format the service offers (JSON-stat and SDMX-JSON services have one)", ErrNotText)
	case t[0] == '<':
		low := bytes.ToLower(t[:min(len(t), 512)])
		switch {
		case bytes.HasPrefix(low, []byte("<!doctype html")) || bytes.Contains(low, []byte("<html")):
			return fmt.Errorf("an HTML page, %w: a web page saved under a table's name (an error or login page?); download the file again, or save the table as .csv or .xlsx", ErrNotText)
		case bytes.HasPrefix(low, []byte("<?xml")):
			return fmt.Errorf("XML data, %w: not a delimited table; download the CSV format of the data (SDMX services offer one)", ErrNotText)
		}
	}
	return nil
}

// bzip2Stream confirms a bzip2 stream ("BZh" could begin a line of text):
// its block size digit, then the magic of a block or of the end of an
// empty stream.
func bzip2Stream(head []byte) bool {
	if len(head) < 10 || head[3] < '1' || head[3] > '9' {
		return false
	}
	rest := head[4:10]
	return bytes.Equal(rest, []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) || // block (pi)
		bytes.Equal(rest, []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90}) // end of stream (sqrt pi)
}

// utf16BOM reports whether b starts with a UTF-16 byte order mark, and
// whether it is big-endian.
func utf16BOM(b []byte) (bigEndian, ok bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return false, true
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return true, true
	}
	return false, false
}

// utf16NoBOM reports whether b looks like UTF-16 text written without a
// byte order mark, and whether it is big-endian: text in Latin script
// (and the digits, delimiters and line ends of any CSV file) has a zero
// high byte in many of its code units, which puts NUL bytes at the odd
// offsets of little-endian text and at the even offsets of big-endian
// text, and almost never at the others; and none of those code units is
// a control character other than tab and line ends. Binary data has NUL
// bytes at both offsets, or small numbers that read as control
// characters.
func utf16NoBOM(b []byte) (bigEndian, ok bool) {
	n := len(b) &^ 1
	if n < 4 {
		return false, false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	units := n / 2
	switch {
	case odd*8 >= units && even*16 <= odd:
		return false, latin1Units(b[:n], 1)
	case even*8 >= units && odd*16 <= even:
		return true, latin1Units(b[:n], 0)
	}
	return false, false
}

// latin1Units reports whether the UTF-16 code units of b whose high byte
// (at offset high of each pair) is zero are text: no NUL and no control
// character other than tab, line feed and carriage return.
func latin1Units(b []byte, high int) bool {
	for i := 0; i+1 < len(b); i += 2 {
		if b[i+high] != 0 {
			continue
		}
		switch lo := b[i+1-high]; {
		case lo >= 0x20 && (lo < 0x7F || lo > 0x9F), lo == '\t', lo == '\n', lo == '\r':
		default:
			return false
		}
	}
	return true
}

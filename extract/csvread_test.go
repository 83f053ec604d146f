package extract

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/schemas"
)

// TestCSVLimitsAndQuotes: delimited text over a limit, or whose last
// quoted field the end of the file closes, fails with an error that names
// the file, the line (for a quote, the line it opened on), the class and
// the flag that sets the limit; just under a limit it is read.
func TestCSVLimitsAndQuotes(t *testing.T) {
	lim := Limits{MaxTextSize: 4096, MaxFieldSize: 64, MaxLineSize: 256}
	long := strings.Repeat("x", 65)
	tests := []struct {
		name, content string
		lim           Limits
		class         error  // nil: read without error
		want          string // in the error
	}{
		{"field at the limit", "a,b\n1," + strings.Repeat("x", 64) + "\n", lim, nil, ""},
		{"field over the limit", "a,b\n1,2\n3," + long + "\n", lim, ErrTooLarge, "line 3: file exceeds the configured size limit: a field longer than 64 bytes (--max-field-size)"},
		{"quoted field over the limit", "a,b\n\n1,\"" + long + "\"\n", lim, ErrTooLarge, "line 3:"},
		{"line over the limit", "a,b\n" + strings.Repeat("y,", 200) + "\n", lim, ErrTooLarge, "line 2: file exceeds the configured size limit: a line longer than 256 bytes (--max-line-size)"},
		{"unclosed quote swallowing short lines", "a,b\n1,\"2\n" + strings.Repeat("no delimiter\n", 20), lim, ErrTooLarge, "a quoted field longer than 64 bytes (--max-field-size) opens on line 2 and runs over 6 lines: a quote is not closed"},
		{"unclosed quote at the end", "a,b\n1,2\n3,\"4\nfive\nsix\n", lim, ErrInconsistent, "line 3: the rows of the file are inconsistent: a quote is not closed: the quote opened on line 3 runs to the end of the file, swallowing the 2 line(s) after it"},
		{"unclosed quote on the last line", "a,b\n1,\"2", lim, ErrInconsistent, "line 2:"},
		{"lazy quote reopening the field", "a,b\n\"1\"x,2\n3,4\n", lim, ErrInconsistent, "the quote opened on line 2"},
		{"quoted line break closed", "a,b\n\"1\n2\",3\n4,5\n", lim, nil, ""},
		{"bare quotes inside fields", "a,b\n1\"2,3\"\"4\n", lim, nil, ""},
		{"file over the limit", strings.Repeat("a,b\n", 2048), lim, ErrTooLarge, "the file is 8 KiB, more than the 4 KiB limit of delimited text (--max-text-size)"},
		{"many fields", strings.Repeat(",", 300), Limits{MaxLineSize: 1 << 20}, nil, ""},
		{"sep line with a quote", "sep=\"\na\"b\n", lim, ErrInconsistent, "line 1:"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".csv")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readAllLimits(t, path, tt.lim)
			if tt.class == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.class) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant %v naming the file and %q", err, tt.class, tt.want)
			}
		})
	}
}

// TestCSVInvalidUTF8: bytes that are not UTF-8 after the start the
// encoding is told from (the file's first 64 KiB are valid UTF-8) reach
// no cell: each is replaced by U+FFFD, and the reader counts the records.
func TestCSVInvalidUTF8(t *testing.T) {
	head := strings.Repeat("Belgium,1\n", sniffSize/10+1)
	path := filepath.Join(t.TempDir(), "late.csv")
	if err := os.WriteFile(path, []byte(head+"R\xe9gion \xff\xfe,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := readSheets(wb)
	if err != nil {
		t.Fatal(err)
	}
	reps := wb.(TextRepairer).TextRepairs()
	if line := itoa(len(rows)); len(reps) != 1 || reps[0].Cell != "A"+line || !strings.Contains(reps[0].Message, "1 record(s), the first on line "+line+", held bytes that are not valid UTF-8") {
		t.Errorf("repairs %+v", reps)
	}
	last := rows[len(rows)-1]
	if got := last.Cells[0].Text; got != "R\uFFFDgion \uFFFD\uFFFD" {
		t.Errorf("last label %q", got)
	}
	for _, r := range rows {
		for _, c := range r.Cells {
			if !utf8.ValidString(c.Text) {
				t.Fatalf("%s: %q", c.Ref(), c.Text)
			}
		}
	}
}

// TestCSVSingleLineMemory: a file of one long line is refused at the line
// limit, holding about that much, not the file.
func TestCSVSingleLineMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MiB")
	}
	path := filepath.Join(t.TempDir(), "one-line.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("abcdefg;"), 1<<17) // 1 MiB
	for range 64 {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = readAllLimits(t, path, Limits{MaxLineSize: 8 << 20})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "line 1:") {
		t.Fatalf("got %v, want ErrTooLarge on line 1", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
		t.Errorf("allocated %d MiB to refuse a 64 MiB line at 8 MiB", grew>>20)
	}
}

// FuzzTextReader checks the record reader against encoding/csv with
// LazyQuotes: the same records with the same fields on the same lines,
// except that the reader fails where the end of the file closes a quoted
// field (encoding/csv ends the field there) and replaces bytes that are
// not UTF-8. Limits are checked on small values: a field, line or record
// over them is an error, never a longer field.
func FuzzTextReader(f *testing.F) {
	seeds := []string{
		"a,b,c\n1,2,3\n",
		"a,\"b\nc\",d\r\ne\n",
		"\"x,y\";b\n\"1,2\";3\n",
		"a;b\n\n\n\"two\r\nlines\";1,5\n\nc;2,5\r",
		"\"a\"b,c\n\"\"\"\",d",
		"1,\"2\nno end\n",
		"a\tb\n\"q\"\t\"r\"\"s\"\n",
		"\r\n\r\nx\r",
		"é|ü\n\"|\"|x\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), byte(','))
		f.Add([]byte(s), byte(';'))
		f.Add([]byte(s), byte('\t'))
	}
	f.Fuzz(func(t *testing.T, b []byte, delim byte) {
		comma := rune(delim)
		if !validDelim(comma) {
			return
		}
		cr := csv.NewReader(bytes.NewReader(b))
		cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = comma, true, -1
		const maxField, maxLine = 40, 100
		tr, err := newTextReader(bufio.NewReaderSize(bytes.NewReader(b), 16), comma, maxField, maxLine)
		if err != nil {
			t.Fatal(err)
		}
		for {
			want, werr := cr.Read()
			got, gerr := tr.Read()
			if gerr != nil {
				var le *lineError
				switch {
				case errors.Is(gerr, io.EOF):
					if !errors.Is(werr, io.EOF) {
						t.Fatalf("EOF; encoding/csv reads %q (%v)", want, werr)
					}
				case errors.As(gerr, &le) && errors.Is(gerr, ErrInconsistent):
					// encoding/csv ends the field at the end of the file
					if werr != nil {
						t.Fatalf("unclosed quote on line %d; encoding/csv: %v", le.Line, werr)
					}
					if more, err := cr.Read(); !errors.Is(err, io.EOF) {
						t.Fatalf("unclosed quote on line %d, but encoding/csv reads %q after it", le.Line, more)
					}
				case errors.As(gerr, &le) && errors.Is(gerr, ErrTooLarge):
					if werr == nil && !tooLarge(want, b, maxField, maxLine) {
						t.Fatalf("line %d: %v, but encoding/csv reads %q", le.Line, gerr, want)
					}
				default:
					t.Fatalf("error %v", gerr)
				}
				return
			}
			if werr != nil {
				t.Fatalf("read %q; encoding/csv: %v", got, werr)
			}
			if len(got) != len(want) {
				t.Fatalf("fields %q, want %q", got, want)
			}
			for i := range got {
				if got[i] != schemas.ValidUTF8(want[i]) {
					t.Fatalf("field %d %q, want %q", i, got[i], want[i])
				}
				if len(want[i]) > maxField {
					t.Fatalf("field %d of %d bytes read with the limit at %d", i, len(want[i]), maxField)
				}
			}
			if line, _ := cr.FieldPos(0); line != tr.recLine {
				t.Fatalf("record %q on line %d, encoding/csv says %d", got, tr.recLine, line)
			}
		}
	})
}

// tooLarge reports whether a record encoding/csv read is over the limits
// the reader was given: a field over maxField, fields together over
// maxLine, or a line of the input over maxLine.
func tooLarge(fields []string, input []byte, maxField, maxLine int) bool {
	n := 0
	for _, f := range fields {
		if len(f) > maxField {
			return true
		}
		n += len(f)
	}
	if n > maxLine {
		return true
	}
	for _, line := range bytes.SplitAfter(input, []byte("\n")) {
		if len(line) > maxLine {
			return true
		}
	}
	return false
}

// BenchmarkCSVRead reads a long table of 100,000 rows as delimited text.
func BenchmarkCSVRead(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("reporter,partner,flow,product_code,product,year,value,quantity\n")
	for i := range 100_000 {
		sb.WriteString("Belgium,China,exports,")
		sb.WriteString(strings.Repeat("8", 1+i%6))
		sb.WriteString(",\"Machinery, mechanical appliances\",2013,1234.56,789\n")
	}
	path := filepath.Join(b.TempDir(), "long.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		wb, err := Open(path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := readSheets(wb); err != nil {
			b.Fatal(err)
		}
		wb.Close()
	}
}

package xlsxscan

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// Benchmarks on a long table of 100,000 rows × 8 columns built in memory
// (the shape of make bench's long table; bench/xlsxscan.sh times the 1M-row
// files of make bench-data). Each reports MB/s of sheet XML; compare
// xlsxscan with the inflate floor measured in the same run:
//
//	go test ./extract/xlsxscan/ -run '^$' -bench . -count 3

var benchBooks struct {
	once           sync.Once
	inline, shared []byte
	sheetBytes     int64
}

func benchBook(b *testing.B, shared bool) []byte {
	benchBooks.once.Do(func() {
		benchBooks.inline, benchBooks.sheetBytes = makeLongTable(b, 100_000, false)
		benchBooks.shared, _ = makeLongTable(b, 100_000, true)
	})
	b.SetBytes(benchBooks.sheetBytes)
	if shared {
		return benchBooks.shared
	}
	return benchBooks.inline
}

func makeLongTable(b *testing.B, rows int, shared bool) ([]byte, int64) {
	reporters := []string{"Belgium", "Flanders", "Wallonia", "Netherlands", "France", "Germany"}
	partners := []string{"China", "United States", "Japan", "India", "World"}
	products := [][2]string{{"84", "Machinery and mechanical appliances"}, {"30", "Pharmaceutical products"}, {"TOTAL", "Total"}}
	var sb strings.Builder
	var table []string
	index := map[string]int{}
	str := func(ref string, s string) string {
		if !shared {
			return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
		}
		i, ok := index[s]
		if !ok {
			i = len(table)
			index[s] = i
			table = append(table, s)
		}
		return fmt.Sprintf(`<c r="%s" t="s"><v>%d</v></c>`, ref, i)
	}
	for i := 1; i <= rows; i++ {
		p := products[i%len(products)]
		fmt.Fprintf(&sb, `<row r="%d">%s%s%s%s%s<c r="F%d"><v>%d</v></c><c r="G%d" s="1"><v>%d.%02d</v></c><c r="H%d"><v>%d</v></c></row>`,
			i, str(fmt.Sprint("A", i), reporters[i%len(reporters)]), str(fmt.Sprint("B", i), partners[i%len(partners)]),
			str(fmt.Sprint("C", i), []string{"exports", "imports"}[i%2]), str(fmt.Sprint("D", i), p[0]), str(fmt.Sprint("E", i), p[1]),
			i, 2000+i%25, i, i*7919%1000000, i%100, i, i*31%10000000)
	}
	parts := bookParts(sb.String())
	if shared {
		var sst strings.Builder
		sst.WriteString(`<sst ` + nsMain + `>`)
		for _, s := range table {
			sst.WriteString("<si><t>" + s + "</t></si>")
		}
		sst.WriteString("</sst>")
		parts[9] = sst.String()
	}
	return zipOf(b, parts...), int64(len(parts[len(parts)-1]))
}

func BenchmarkXlsxscanInline(b *testing.B) { benchScan(b, false) }
func BenchmarkXlsxscanShared(b *testing.B) { benchScan(b, true) }

func benchScan(b *testing.B, shared bool) {
	data := benchBook(b, shared)
	b.ResetTimer()
	for range b.N {
		w, err := NewReader(bytes.NewReader(data), int64(len(data)), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		r, err := w.OpenSheetAt(context.Background(), 0)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(row.Cells)
		}
		r.Close()
		if n != 800_000 {
			b.Fatalf("%d cells", n)
		}
	}
}

// BenchmarkInflateFloor inflates the sheet part and counts its '<': the
// least any reader of the sheet must do.
func BenchmarkInflateFloor(b *testing.B) {
	data := benchBook(b, false)
	b.ResetTimer()
	buf := make([]byte, 512<<10)
	for range b.N {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
		for _, f := range zr.File {
			if f.Name != "xl/worksheets/sheet1.xml" {
				continue
			}
			rc, _ := f.Open()
			for {
				n, err := rc.Read(buf)
				bytes.Count(buf[:n], []byte("<"))
				if err != nil {
					break
				}
			}
			rc.Close()
		}
	}
}

// BenchmarkExcelizeRows reads the same sheet with excelize's Rows
// iterator (raw values, no per-cell type or style lookups).
func BenchmarkExcelizeRows(b *testing.B) {
	data := benchBook(b, false)
	b.ResetTimer()
	for range b.N {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
		f.Close()
	}
}

// BenchmarkParseOnly parses an inflated sheet held in memory: the parser's
// own cost, without inflation.
func BenchmarkParseOnly(b *testing.B) {
	data := benchBook(b, false)
	w, err := NewReader(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		b.Fatal(err)
	}
	zf, _ := w.pkg.find("xl/worksheets/sheet1.xml")
	rc, _ := zf.Open()
	sheet, _ := io.ReadAll(rc)
	rc.Close()
	b.ResetTimer()
	for range b.N {
		r := &SheetReader{w: w, ctx: context.Background(), sheet: w.sheets[0], st: &stream{name: "sheet", lim: w.pkg.lim, buf: sheet, eof: true}}
		n := 0
		for {
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(row.Cells)
		}
		if n != 800_000 {
			b.Fatalf("%d cells", n)
		}
	}
}

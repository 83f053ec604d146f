package transform

import (
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/tradeetl/tradeetl/bench/longtable"
	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// memSheet serves rows from memory.
type memSheet struct {
	rows []extract.Row
	i    int
}

func (m *memSheet) Next() (extract.Row, error) {
	if m.i >= len(m.rows) {
		return extract.Row{}, io.EOF
	}
	m.i++
	return m.rows[m.i-1], nil
}

func (m *memSheet) Close() error { return nil }

// longRows returns the header and n rows of the benchmark long table as a
// sheet reader would give them: all text (CSV), or typed with number
// formats (xlsx).
func longRows(n int, typed bool) []extract.Row {
	row := func(num int, texts []string) extract.Row {
		r := extract.Row{Num: num}
		for i, s := range texts {
			c := extract.Cell{Row: num, Col: i + 1, Kind: extract.String, Text: s, Format: "General"}
			if typed && num > 1 && (i == 5 || i == 6 || i == 7) {
				c.Kind = extract.Number
				c.Number, _ = strconv.ParseFloat(s, 64)
				if i == 6 {
					c.Format = "#,##0.00"
				}
			}
			r.Cells = append(r.Cells, c)
		}
		return r
	}
	rows := []extract.Row{row(1, longtable.Header)}
	longtable.Rows(n, func(r longtable.Row) bool {
		rows = append(rows, row(len(rows)+1, r.Strings()))
		return true
	})
	return rows
}

// BenchmarkLongTable measures transform alone on the rows of the benchmark
// long table (make bench runs the whole pipeline).
func BenchmarkLongTable(b *testing.B) {
	dict, err := schemas.DefaultDictionary()
	if err != nil {
		b.Fatal(err)
	}
	for _, typed := range []bool{false, true} {
		name := "csv"
		if typed {
			name = "xlsx"
		}
		rows := longRows(50_000, typed)
		b.Run(name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				src := &memSheet{rows: rows}
				_, err := Sheet(context.Background(), "Trade", src, Options{Dict: dict, File: "long.csv", Delimited: !typed},
					func(obs []schemas.Observation, _ []schemas.Finding) error { n += len(obs); return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/row")
		})
	}
}

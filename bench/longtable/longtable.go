// Package longtable generates long tables of trade figures for benchmarks
// and tests: one figure per row, with the 8 columns reporter, partner,
// flow, product code, product label, year, value (EUR million) and
// quantity (tonnes), as an xlsx workbook (excelize's StreamWriter, so a
// million rows never sit in memory) or as CSV.
//
// The figures add up, so that the consistency rules have real work and no
// findings: Belgium is the sum of Flanders, Wallonia and Brussels, and the
// Total product line of each reporter is the sum of its 99 chapters. Rows
// come in blocks of 400 (4 reporters × 100 product lines) per year,
// partner and flow; the output is the same for the same n.
package longtable

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Header is the header row.
var Header = []string{"Reporter", "Partner", "Flow", "Product code", "Product label", "Year", "Value (EUR million)", "Quantity (tonnes)"}

var (
	regions  = []string{"Flanders", "Wallonia", "Brussels"}
	partners = []string{
		"China", "United States", "Germany", "France", "Netherlands", "United Kingdom", "Italy", "Spain", "Poland", "India",
		"Japan", "Sweden", "Switzerland", "Turkey", "Brazil", "Canada", "Mexico", "South Korea", "Russia", "Austria",
		"Denmark", "Norway", "Finland", "Ireland", "Portugal", "Greece", "Czechia", "Hungary", "Romania", "Bulgaria",
		"Slovakia", "Slovenia", "Croatia", "Luxembourg", "Israel", "Egypt", "Morocco", "South Africa", "Nigeria", "Kenya",
		"Australia", "New Zealand", "Singapore", "Vietnam", "Thailand", "Indonesia", "Malaysia", "Chile", "Argentina", "Peru",
	}
	flows = []string{"exports", "imports"}
)

// Products is the number of product lines per reporter (99 chapters and
// the Total), BlockRows the rows of one year, partner and flow.
const (
	chapters  = 99
	Products  = chapters + 1
	BlockRows = 4 * Products
	firstYear = 1990
)

// Row is one generated row.
type Row struct {
	Reporter, Partner, Flow, Code, Label string
	Year                                 int
	Value                                int64 // cents of a million euro
	Quantity                             int64
}

// Strings returns the row's cells as text.
func (r Row) Strings() []string {
	return []string{r.Reporter, r.Partner, r.Flow, r.Code, r.Label, strconv.Itoa(r.Year),
		strconv.FormatFloat(float64(r.Value)/100, 'f', 2, 64), strconv.FormatInt(r.Quantity, 10)}
}

// Rows calls yield for the first n rows.
func Rows(n int, yield func(Row) bool) {
	i := 0
	for block := 0; ; block++ {
		flow := flows[block%len(flows)]
		partner := partners[(block/len(flows))%len(partners)]
		year := firstYear + block/(len(flows)*len(partners))
		// chapter values of each region, then Belgium as their sum.
		var vals [3][chapters]int64
		var qty [3][chapters]int64
		for r := range regions {
			for c := range chapters {
				h := hash(year, partner, flow, regions[r], c)
				vals[r][c] = int64(h % 5_000_000) // up to 50,000.00 million
				qty[r][c] = int64(h>>32) % 1_000_000
			}
		}
		emit := func(reporter string, value func(c int) int64, quantity func(c int) int64) bool {
			var total, totalQty int64
			for c := range chapters {
				v, q := value(c), quantity(c)
				total += v
				totalQty += q
				code := fmt.Sprintf("%02d", c+1)
				if i >= n || !yield(Row{reporter, partner, flow, code, "Chapter " + code, year, v, q}) {
					return false
				}
				i++
			}
			if i >= n || !yield(Row{reporter, partner, flow, "TOTAL", "Total", year, total, totalQty}) {
				return false
			}
			i++
			return true
		}
		if !emit("Belgium",
			func(c int) int64 { return vals[0][c] + vals[1][c] + vals[2][c] },
			func(c int) int64 { return qty[0][c] + qty[1][c] + qty[2][c] }) {
			return
		}
		for r := range regions {
			if !emit(regions[r], func(c int) int64 { return vals[r][c] }, func(c int) int64 { return qty[r][c] }) {
				return
			}
		}
	}
}

func hash(year int, partner, flow, reporter string, chapter int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%s|%s|%s|%d", year, partner, flow, reporter, chapter)
	x := h.Sum64()
	// fnv's low bits vary little for similar keys: mix them.
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

// WriteCSV writes the header and n rows as CSV.
func WriteCSV(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Header); err != nil {
		return err
	}
	var err error
	Rows(n, func(r Row) bool {
		err = cw.Write(r.Strings())
		return err == nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteXLSX writes the header and n rows as a one-sheet workbook, with
// numbers as numbers (values with a 0.00 format) and the rest as text.
func WriteXLSX(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Trade"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if err != nil {
		return err
	}
	head := make([]any, len(Header))
	for i, h := range Header {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 2
	Rows(n, func(r Row) bool {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		err = sw.SetRow(cell, []any{r.Reporter, r.Partner, r.Flow, r.Code, r.Label, r.Year,
			excelize.Cell{StyleID: style, Value: float64(r.Value) / 100}, r.Quantity})
		row++
		return err == nil
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

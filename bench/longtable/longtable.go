// Package longtable generates long tables of trade figures for benchmarks
// and tests: one figure per row, with the 8 columns reporter, partner,
// flow, product code, product label, year, value (EUR million) and
// quantity (tonnes), as an xlsx workbook (excelize's StreamWriter, so a
// million rows never sit in memory) or as CSV.
//
// The figures add up, so that the consistency rules have real work and no
// findings: Belgium is the sum of Flanders, Wallonia and Brussels, and the
// Total product line of each reporter is the sum of its 99 chapters (the
// chapters of the Harmonized System, with their usual short names). Rows
// come in blocks of 400 (4 reporters × 100 product lines) per year,
// partner and flow; the output is the same for the same n. Generate can
// plant a few errors, typing slips that the audit must find.
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
	// Chapters holds the short names of the 99 chapters of the Harmonized
	// System (77 is reserved, 98 and 99 are for national use).
	Chapters = [chapters]string{
		"Live animals", "Meat and edible meat offal", "Fish and crustaceans", "Dairy produce; birds' eggs; natural honey",
		"Products of animal origin, n.e.s.", "Live trees and other plants", "Edible vegetables", "Edible fruit and nuts",
		"Coffee, tea, maté and spices", "Cereals", "Products of the milling industry", "Oil seeds and oleaginous fruits",
		"Lac; gums, resins", "Vegetable plaiting materials", "Animal or vegetable fats and oils", "Preparations of meat or fish",
		"Sugars and sugar confectionery", "Cocoa and cocoa preparations", "Preparations of cereals, flour, starch or milk", "Preparations of vegetables, fruit or nuts",
		"Miscellaneous edible preparations", "Beverages, spirits and vinegar", "Residues from the food industries; animal fodder", "Tobacco",
		"Salt; sulphur; earths and stone; cement", "Ores, slag and ash", "Mineral fuels, mineral oils", "Inorganic chemicals",
		"Organic chemicals", "Pharmaceutical products", "Fertilisers", "Tanning or dyeing extracts; paints",
		"Essential oils; perfumery, cosmetics", "Soap, waxes, candles", "Albuminoidal substances; glues; enzymes", "Explosives; matches",
		"Photographic or cinematographic goods", "Miscellaneous chemical products", "Plastics and articles thereof", "Rubber and articles thereof",
		"Raw hides and skins, leather", "Articles of leather; handbags", "Furskins and artificial fur", "Wood and articles of wood",
		"Cork and articles of cork", "Manufactures of straw; basketware", "Pulp of wood", "Paper and paperboard",
		"Printed books, newspapers", "Silk", "Wool, fine or coarse animal hair", "Cotton",
		"Other vegetable textile fibres", "Man-made filaments", "Man-made staple fibres", "Wadding, felt; twine, ropes",
		"Carpets and other textile floor coverings", "Special woven fabrics; lace", "Impregnated or coated textile fabrics", "Knitted or crocheted fabrics",
		"Apparel, knitted or crocheted", "Apparel, not knitted or crocheted", "Other made-up textile articles", "Footwear",
		"Headgear", "Umbrellas, walking sticks", "Prepared feathers; artificial flowers", "Articles of stone, plaster, cement",
		"Ceramic products", "Glass and glassware", "Pearls, precious stones, precious metals", "Iron and steel",
		"Articles of iron or steel", "Copper and articles thereof", "Nickel and articles thereof", "Aluminium and articles thereof",
		"(reserved)", "Lead and articles thereof", "Zinc and articles thereof", "Tin and articles thereof",
		"Other base metals; cermets", "Tools, cutlery of base metal", "Miscellaneous articles of base metal", "Machinery and mechanical appliances",
		"Electrical machinery and equipment", "Railway or tramway locomotives", "Vehicles other than railway", "Aircraft, spacecraft",
		"Ships, boats", "Optical, photographic, medical instruments", "Clocks and watches", "Musical instruments",
		"Arms and ammunition", "Furniture; bedding, lamps", "Toys, games and sports requisites", "Miscellaneous manufactured articles",
		"Works of art, antiques", "Complete industrial plant", "Special codes",
	}
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
func Rows(n int, yield func(Row) bool) { Generate(n, 0, yield) }

// Generate calls yield for the first n rows, with planted errors spread
// evenly over them: each moves the decimal point of one region's chapter
// figure one place to the right (12.34 for 1.23), so that the region's
// Total no longer adds up (sum_of_parts) and, often, Belgium's figure
// falls below the region's (part_le_whole).
func Generate(n, planted int, yield func(Row) bool) { GenerateHeadings(n, planted, 1, yield) }

// GenerateHeadings is Generate with headings product lines per chapter
// instead of one: codes 0101, 0102, ... ("Live animals, heading 1"), the
// Total the sum of them all. A year then takes headings times more rows,
// so that a table of tens of millions of rows stays within the years a
// reader takes for years (1990 to 2100: 10 headings give 396,400 rows a
// year, 30M rows end in 2065). With 1 heading it is Generate.
func GenerateHeadings(n, planted, headings int, yield func(Row) bool) {
	headings = max(1, headings)
	parts := chapters * headings
	products := parts + 1
	blockRows := 4 * products
	// the rows that get an error: evenly spaced, moved onto a region's
	// chapter line
	plant := map[int]bool{}
	for k := range planted {
		i := (k + 1) * n / (planted + 1)
		if pos := i % blockRows; pos < products {
			i += products - pos // Belgium's lines: the first region's instead
		}
		if i%products == products-1 {
			i-- // a Total line: the chapter before it instead
		}
		if i < n {
			plant[i] = true
		}
	}
	if len(plant) > 0 {
		inner := yield
		i := 0
		yield = func(r Row) bool {
			if plant[i] {
				r.Value *= 10
			}
			i++
			return inner(r)
		}
	}
	codes := make([]string, parts)
	labels := make([]string, parts)
	for c := range parts {
		if headings == 1 {
			codes[c], labels[c] = fmt.Sprintf("%02d", c+1), Chapters[c]
			continue
		}
		ch, hd := c/headings, c%headings
		codes[c] = fmt.Sprintf("%02d%02d", ch+1, hd+1)
		labels[c] = Chapters[ch] + ", heading " + strconv.Itoa(hd+1)
	}
	vals := [3][]int64{make([]int64, parts), make([]int64, parts), make([]int64, parts)}
	qty := [3][]int64{make([]int64, parts), make([]int64, parts), make([]int64, parts)}
	i := 0
	for block := 0; ; block++ {
		flow := flows[block%len(flows)]
		partner := partners[(block/len(flows))%len(partners)]
		year := firstYear + block/(len(flows)*len(partners))
		// chapter values of each region, then Belgium as their sum.
		for r := range regions {
			for c := range parts {
				// a level for the series (1 to 1,000 million, by
				// magnitude), a trend of 2% a year and ±10% noise,
				// so that neighbouring years stay close, as in
				// real series (the scale-slip check compares them)
				b := hash(0, partner, flow, regions[r], c)
				m := int64(100)
				for range b % 3 {
					m *= 10
				}
				level := m + int64(b>>8)%(9*m)
				h := hash(year, partner, flow, regions[r], c)
				factor := 100 + 2*int64(year-firstYear) + int64(h%21) - 10
				vals[r][c] = level * factor / 100
				qty[r][c] = (level*factor/100)*int64(5+(b>>40)%20) + int64(h>>32)%100
			}
		}
		emit := func(reporter string, value func(c int) int64, quantity func(c int) int64) bool {
			var total, totalQty int64
			for c := range parts {
				v, q := value(c), quantity(c)
				total += v
				totalQty += q
				if i >= n || !yield(Row{reporter, partner, flow, codes[c], labels[c], year, v, q}) {
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

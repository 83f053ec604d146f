package transform

import (
	"context"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// fakeSheet serves literal rows.
type fakeSheet struct{ rows []extract.Row }

func (s *fakeSheet) Next() (extract.Row, error) {
	if len(s.rows) == 0 {
		return extract.Row{}, io.EOF
	}
	r := s.rows[0]
	s.rows = s.rows[1:]
	return r, nil
}
func (s *fakeSheet) Close() error { return nil }

// num is a number cell with a format.
type num struct {
	v      float64
	format string
}

// errCell and formula are cells of those kinds.
type errCell string
type formula string

// sheet builds a fakeSheet; rows[i] is row i+1, values[j] column j+1.
// nil is an empty cell.
func sheet(rows ...[]any) *fakeSheet {
	s := &fakeSheet{}
	for i, values := range rows {
		row := extract.Row{Num: i + 1}
		for j, v := range values {
			c := extract.Cell{Row: i + 1, Col: j + 1, Format: "General"}
			switch v := v.(type) {
			case nil:
				continue
			case string:
				c.Kind, c.Text = extract.String, v
			case int:
				c.Kind, c.Number, c.Text = extract.Number, float64(v), ""
			case float64:
				c.Kind, c.Number = extract.Number, v
			case num:
				c.Kind, c.Number, c.Format = extract.Number, v.v, v.format
			case errCell:
				c.Kind, c.Text = extract.Error, string(v)
			case formula:
				c.Kind, c.Formula = extract.NoValue, string(v)
			}
			row.Cells = append(row.Cells, c)
		}
		if len(row.Cells) > 0 {
			s.rows = append(s.rows, row)
		}
	}
	return s
}

func read(t *testing.T, s extract.SheetReader) ([]schemas.Observation, []schemas.Finding, SheetInfo) {
	t.Helper()
	d, err := schemas.DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	var obs []schemas.Observation
	var findings []schemas.Finding
	info, err := Sheet(context.Background(), "S", s, Options{Dict: d, File: "f.xlsx", BatchSize: 3}, func(o []schemas.Observation, f []schemas.Finding) error {
		obs = append(obs, o...)
		findings = append(findings, f...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return obs, findings, info
}

// byCell indexes observations by cell.
func byCell(obs []schemas.Observation) map[string]schemas.Observation {
	m := map[string]schemas.Observation{}
	for _, o := range obs {
		m[o.Cell] = o
	}
	return m
}

// want is the part of an observation a test checks.
type want struct {
	reporter, partner, flow, measure, period, base string
	value                                          float64
	decimals                                       int
	unit                                           string
	scale                                          float64
	missing                                        string
}

func check(t *testing.T, obs map[string]schemas.Observation, cell string, w want) {
	t.Helper()
	o, ok := obs[cell]
	if !ok {
		t.Errorf("no observation at %s", cell)
		return
	}
	got := want{o.Reporter, o.Partner, o.Flow, o.Measure, o.Period, o.BasePeriod, o.Value, o.Decimals, o.Unit, o.Scale, o.Missing}
	if math.Abs(got.value-w.value) < 1e-9 {
		got.value = w.value
	}
	if got != w {
		t.Errorf("%s: got %+v\nwant %+v", cell, got, w)
	}
}

func TestReportTableLayouts(t *testing.T) {
	tests := []struct {
		name     string
		sheet    *fakeSheet
		count    int
		checks   map[string]want
		findings []string // rule@cell
	}{
		{
			name: "newsletter layout",
			sheet: sheet(
				[]any{"Trade with China"},
				nil,
				[]any{nil, 2011, 2012, "Growth rate", 2013, "Growth rate"},
				[]any{"Belgium exports", num{6.75, "0.00"}, num{7.62, "0.00"}, num{12.9, "0.0"}, num{7.41, "0.00"}, num{-2.8, "0.0"}},
				[]any{"Flanders exports", num{6.21, "0.00"}, num{6.95, "0.00"}, num{11.9, "0.0"}, num{6.8, "0.00"}, num{-2.2, "0.0"}},
				[]any{"% Flanders", num{92, "0.0"}, num{91.2, "0.0"}, nil, num{91.8, "0.0"}},
				nil,
				[]any{"(in billion euro)"},
			),
			count: 13,
			checks: map[string]want{
				"C5": {"Flanders", "China", "exports", "level", "2012", "", 6.95, 2, "EUR", 1e9, ""},
				"D5": {"Flanders", "China", "exports", "growth", "2012", "2011", 11.9, 1, "%", 1, ""},
				"B6": {"Flanders", "China", "exports", "share", "2011", "", 92, 1, "%", 1, ""},
				"E4": {"Belgium", "China", "exports", "level", "2013", "", 7.41, 2, "EUR", 1e9, ""},
			},
		},
		{
			name: "Dutch labels, text figures with decimal commas, unit above, table not at A1",
			sheet: sheet(
				nil,
				[]any{nil, nil, "Handel met China (miljard euro)"},
				[]any{nil, nil, nil, "2012*", "2013*"},
				[]any{nil, nil, "Belgische uitvoer", "7,62", "7,41"},
				[]any{nil, nil, "Vlaamse uitvoer", "6,95", "6,80"},
				[]any{nil, nil, "Aandeel Vlaanderen", "91,2", "91,8"},
			),
			count: 6,
			checks: map[string]want{
				"E5": {"Flanders", "China", "exports", "level", "2013", "", 6.8, 2, "EUR", 1e9, ""},
				"D6": {"Flanders", "China", "exports", "share", "2012", "", 91.2, 1, "%", 1, ""},
			},
		},
		{
			name: "French labels, EUR million in the header corner, percent format, missing marks",
			sheet: sheet(
				[]any{"Commerce avec la Chine"},
				[]any{"EUR million", "2012", "2013"},
				[]any{"Exportations belges", "7 620,0", "n.a."},
				[]any{"Exportations flamandes", num{6950, "#,##0.0"}, ":"},
				[]any{"Part de la Flandre", num{0.912, "0.0%"}, "-"},
				[]any{"Déficit flamand", errCell("#DIV/0!"), formula("B9-B8")},
			),
			count: 8,
			checks: map[string]want{
				"B3": {"Belgium", "China", "exports", "level", "2012", "", 7620, 1, "EUR", 1e6, ""},
				"B4": {"Flanders", "China", "exports", "level", "2012", "", 6950, 1, "EUR", 1e6, ""},
				"B5": {"Flanders", "China", "exports", "share", "2012", "", 91.2, 1, "%", 1, ""},
				"C3": {"Belgium", "China", "exports", "level", "2013", "", 0, 0, "EUR", 1e6, "n.a."},
				"C4": {"Flanders", "China", "exports", "level", "2013", "", 0, 0, "EUR", 1e6, ":"},
				"B6": {"Flanders", "China", "deficit", "level", "2012", "", 0, 0, "EUR", 1e6, "#DIV/0!"},
			},
			findings: []string{"excel_error@B6", "formula_no_value@C6"},
		},
		{
			name: "no unit note: no currency, with a warning; no title: World, with a warning",
			sheet: sheet(
				[]any{nil, "2012", "2013"},
				[]any{"Belgium imports", 10, 11},
			),
			count: 2,
			checks: map[string]want{
				"C2": {"Belgium", "World", "imports", "level", "2013", "", 11, 0, "", 1, ""},
			},
			findings: []string{"no_partner@B2", "no_unit@B2"},
		},
		{
			name: "quarters and an unreadable cell",
			sheet: sheet(
				[]any{"Trade with China (EUR mn)"},
				[]any{nil, "2013Q1", "Q2 2013"},
				[]any{"Flanders exports", "1,5", "abc"},
			),
			count: 2,
			checks: map[string]want{
				"B3": {"Flanders", "China", "exports", "level", "2013Q1", "", 1.5, 1, "EUR", 1e6, ""},
			},
			findings: []string{"unreadable_value@C3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, findings, info := read(t, tt.sheet)
			if len(obs) != tt.count {
				for _, o := range obs {
					t.Logf("%s %s %s %s %s %v", o.Cell, o.Reporter, o.Flow, o.Measure, o.Period, o.Value)
				}
				t.Fatalf("got %d observations, want %d (notes %v)", len(obs), tt.count, info.Notes)
			}
			m := byCell(obs)
			for cell, w := range tt.checks {
				check(t, m, cell, w)
			}
			var got []string
			for _, f := range findings {
				got = append(got, f.Rule+"@"+f.Cells[0])
			}
			if strings.Join(got, " ") != strings.Join(tt.findings, " ") {
				t.Errorf("findings %v, want %v", got, tt.findings)
			}
		})
	}
}

func TestSheetWithoutTable(t *testing.T) {
	obs, findings, info := read(t, sheet([]any{"Notes"}, []any{"nothing here", 1, 2}))
	if len(obs) != 0 || len(findings) != 0 || len(info.Notes) == 0 || !strings.Contains(info.Notes[len(info.Notes)-1], "no table found") {
		t.Fatalf("got %d obs, %d findings, notes %v", len(obs), len(findings), info.Notes)
	}
}

func TestLongTable(t *testing.T) {
	obs, findings, info := read(t, sheet(
		[]any{"Exports by product"},
		[]any{"Reporter", "Partner", "Trade flow", "Product", "Year", "Value (EUR million)"},
		[]any{"BE", "CN", "X", "Metals", 2013, num{897.3, "0.0"}},
		[]any{"Vlaanderen", "China", "uitvoer", "Totaal", "2013", "6.800,0"},
		[]any{"Flanders", "China", "exports", "Textiles", 2013, "n.a."},
		[]any{"Source: NBB"},
	))
	if len(findings) != 0 || len(obs) != 3 {
		t.Fatalf("got %d obs, findings %v, notes %v", len(obs), findings, info.Notes)
	}
	m := byCell(obs)
	check(t, m, "F3", want{"Belgium", "China", "exports", "level", "2013", "", 897.3, 1, "EUR", 1e6, ""})
	check(t, m, "F4", want{"Flanders", "China", "exports", "level", "2013", "", 6800, 1, "EUR", 1e6, ""})
	check(t, m, "F5", want{"Flanders", "China", "exports", "level", "2013", "", 0, 0, "EUR", 1e6, "n.a."})
	if m["F4"].Product != schemas.ProductTotal || m["F3"].Product != "Metals" {
		t.Errorf("products %q %q", m["F4"].Product, m["F3"].Product)
	}
	if len(info.Tables) != 1 || info.Tables[0].Kind != "long" || info.Tables[0].UnitFrom != "header F2" {
		t.Errorf("tables %+v", info.Tables)
	}
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		file  string
		count int
		cells map[string]want
	}{
		{"newsletter-2013.xlsx", 36, map[string]want{
			"C5":  {"Flanders", "China", "exports", "level", "2012", "", 6.95, 2, "EUR", 1e9, ""},
			"E13": {"Flanders", "China", "deficit", "level", "2013", "", 4.48, 2, "EUR", 1e9, ""},
			"F9":  {"Flanders", "China", "imports", "growth", "2013", "2012", -6.6, 1, "%", 1, ""},
			"E10": {"Flanders", "China", "imports", "share", "2013", "", 89.4, 1, "%", 1, ""},
		}},
		{"products-2013.xlsx", 28, map[string]want{
			"F4":  {"Flanders", "China", "exports", "level", "2012", "", 2395.1, 1, "EUR", 1e6, ""},
			"F31": {"Flanders", "China", "imports", "level", "2013", "", 11280, 1, "EUR", 1e6, ""},
		}},
	}
	d, err := schemas.DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "fixtures", tt.file)
			wb, err := extract.Open(path, extract.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			var obs []schemas.Observation
			var findings []schemas.Finding
			_, err = Workbook(context.Background(), wb, Options{Dict: d, File: path}, func(o []schemas.Observation, f []schemas.Finding) error {
				obs = append(obs, o...)
				findings = append(findings, f...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(obs) != tt.count || len(findings) != 0 {
				t.Fatalf("got %d observations and findings %v, want %d and none", len(obs), findings, tt.count)
			}
			m := byCell(obs)
			for cell, w := range tt.cells {
				check(t, m, cell, w)
			}
		})
	}
}

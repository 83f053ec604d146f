package transform

import (
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// Long tables whose column names the labels do not know are read by what
// their columns hold.
func TestLongTableByContent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rows  [][]any
		cells map[string]want
		// findings: rules expected, in any order
		findings []string
		notes    string // a note that must be among the sheet's notes
	}{
		{
			name: "statistics office API, Danish: reporter from the currency and the language",
			rows: [][]any{
				{"RETNING", "VARE", "OMRÅDE", "ENHED", "TID", "INDHOLD"},
				{"Eksport", "I alt", "Alle lande", "Mio. kr.", "2023M01", "101,5"},
				{"Eksport", "I alt", "Tyskland", "Mio. kr.", "2023M01", "20"},
				{"Eksport", "I alt", "Alle lande", "Ton", "2023M01", "5000"},
				{"Import", "I alt", "Alle lande", "Mio. kr.", "2023M01", "95"},
				{"Import", "I alt", "Tyskland", "Mio. kr.", "2023M01", "22"},
				{"Import", "I alt", "Sverige", "Mio. kr.", "2023M02", "12"},
			},
			cells: map[string]want{
				"F2": {"Denmark", "World", "exports", "level", "2023-01", "", 101.5, 1, "DKK", 1e6, ""},
				"F6": {"Denmark", "Germany", "imports", "level", "2023-01", "", 22, 0, "DKK", 1e6, ""},
			},
			findings: []string{schemas.RuleReporterAssumed},
			notes:    "1 rows in units of quantity",
		},
		{
			name: "indicator text names the flow and unit; a year and a period without year",
			rows: [][]any{
				{"Indicator", "Reporting economy", "Partner economy", "Year", "Period", "Value Flag", "Value"},
				{"Merchandise exports, million US dollar", "Kenya", "World", 2023, "Annual", "", 7200},
				{"Merchandise exports, million US dollar", "Kenya", "World", 2023, "First quarter", "", 1800},
				{"Merchandise imports, million US dollar", "Kenya", "World", 2023, "Second quarter", "E", 4100},
				{"Merchandise imports, million US dollar", "Uganda", "World", 2023, "Annual", "", 9000},
			},
			cells: map[string]want{
				"G2": {"Kenya", "World", "exports", "level", "2023", "", 7200, 0, "USD", 1e6, ""},
				"G3": {"Kenya", "World", "exports", "level", "2023Q1", "", 1800, 0, "USD", 1e6, ""},
				"G4": {"Kenya", "World", "imports", "level", "2023Q2", "", 4100, 0, "USD", 1e6, ""},
			},
		},
		{
			name: "a code column beside the name column is the same reporter; a power-of-ten column",
			rows: [][]any{
				{"LOC", "Country", "Series", "TIME", "Unit", "Power", "Value"},
				{"KOR", "Korea", "Exports of goods", "2024-01", "US Dollar", "Billions", "57.0"},
				{"KOR", "Korea", "Imports of goods", "2024-01", "US Dollar", "Billions", "54.1"},
				{"JPN", "Japan", "Exports of goods", "2024-01", "US Dollar", "Billions", "55.2"},
				{"JPN", "Japan", "Imports of goods", "2024-02", "US Dollar", "Billions", "60.3"},
			},
			cells: map[string]want{
				"G2": {"South Korea", "World", "exports", "level", "2024-01", "", 57, 1, "USD", 1e9, ""},
				"G5": {"Japan", "World", "imports", "level", "2024-02", "", 60.3, 1, "USD", 1e9, ""},
			},
			findings: []string{schemas.RuleNoPartner},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obs, findings, info := read(t, sheet(tc.rows...))
			m := byCell(obs)
			for cell, w := range tc.cells {
				check(t, m, cell, w)
			}
			var rules []string
			for _, f := range findings {
				if !slices.Contains(rules, f.Rule) {
					rules = append(rules, f.Rule)
				}
			}
			slices.Sort(rules)
			want := slices.Clone(tc.findings)
			slices.Sort(want)
			if !slices.Equal(rules, want) {
				t.Errorf("finding rules %v, want %v (%v)", rules, want, findings)
			}
			if tc.notes != "" && !strings.Contains(strings.Join(info.Notes, "\n"), tc.notes) {
				t.Errorf("notes %q, want one with %q", info.Notes, tc.notes)
			}
			if len(info.Tables) != 1 || info.Tables[0].Kind != "long" {
				t.Errorf("tables %+v", info.Tables)
			}
		})
	}
}

// A table of figures across ("Month | Exports | Imports | Trade balance")
// is no long table, though one of its headings is named like a flow column.
func TestFiguresAcrossAreNoLongTable(t *testing.T) {
	obs, _, info := read(t, sheet(
		[]any{"Trade summary, KSh million"},
		[]any{"Month", "Exports", "Imports", "Trade balance"},
		[]any{"Jan 2023", 80000.5, 229000.5, -149000},
		[]any{"Feb 2023", 78000.5, 185400.5, -107400},
		[]any{"Mar 2023", 81350.5, 224245.5, -142895},
		[]any{"Apr 2023", 82400.5, 211284.5, -128884},
	))
	for _, tb := range info.Tables {
		if tb.Kind == "long" {
			t.Fatalf("read as a long table: %+v", info.Tables)
		}
	}
	m := byCell(obs)
	if o, ok := m["D3"]; !ok || o.Flow != schemas.FlowBalance {
		t.Errorf("D3: %+v", o)
	}
}

// The exact column name beats a name that only starts so.
func TestExactColumnNameWins(t *testing.T) {
	obs, _, info := read(t, sheet(
		[]any{"Reporter", "Partner", "Flow", "Time frequency", "TIME_PERIOD", "Value flag", "Value"},
		[]any{"Greece", "World", "Exports", "Annual", "2022", "p", "21627.6"},
		[]any{"Greece", "World", "Imports", "Annual", "2022", "", "30000"},
	))
	if len(obs) != 2 || obs[0].Period != "2022" || obs[0].Value != 21627.6 {
		t.Fatalf("obs %+v, notes %v", obs, info.Notes)
	}
}

// An index column ("Index 2024/2023": the level as a percentage of the
// year before's) is read as an index on its base period.
func TestIndexColumn(t *testing.T) {
	obs, findings, _ := read(t, sheet(
		[]any{"Zahraniční obchod podle krajů, v mil. Kč"},
		[]any{"Území", "Vývoz", nil, nil},
		[]any{nil, "2023", "2024", "Index 2024/2023"},
		[]any{"Česká republika", 4592318.4, 4661203.2, num{101.5, "0.0"}},
		[]any{"Hlavní město Praha", 861204.6, 890485.6, num{103.4, "0.0"}},
	))
	m := byCell(obs)
	o, ok := m["D4"]
	if !ok || o.Measure != schemas.MeasureIndex || o.Period != "2024" || o.BasePeriod != "2023" || o.Value != 101.5 {
		t.Fatalf("D4: %+v (findings %v)", o, findings)
	}
	if m["B4"].Currency != "CZK" || m["B4"].Reporter != "Czechia" {
		t.Errorf("B4: %+v", m["B4"])
	}
}

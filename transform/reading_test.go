package transform

import (
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// Two tables side by side, a blank column between, each with its own title,
// flow and column of partners, under one sheet title naming the reporter.
func TestTablesSideBySide(t *testing.T) {
	obs, _, info := read(t, sheet(
		[]any{"Foreign trade of Norway by country, 2024"},
		[]any{},
		[]any{"Exports by country", nil, nil, nil, "Imports by country"},
		[]any{"NOK million", nil, nil, nil, "NOK million"},
		[]any{"Country", "2023", "2024", nil, "Country", "2023", "2024"},
		[]any{"Germany", 100.5, 110.5, nil, "China", 90.5, 95.5},
		[]any{"Sweden", 80.5, 85.5, nil, "Germany", 70.5, 72.5},
		[]any{"Denmark", 60.5, 65.5, nil, "Sweden", 50.5, 55.5},
	))
	if len(info.Tables) != 2 {
		t.Fatalf("%d tables: %+v", len(info.Tables), info.Tables)
	}
	m := byCell(obs)
	check(t, m, "C6", want{"Norway", "Germany", "exports", "level", "2024", "", 110.5, 1, "NOK", 1e6, ""})
	check(t, m, "G6", want{"Norway", "China", "imports", "level", "2024", "", 95.5, 1, "NOK", 1e6, ""})
	check(t, m, "F8", want{"Norway", "Sweden", "imports", "level", "2023", "", 50.5, 1, "NOK", 1e6, ""})
}

// A column of absolute changes ("Variation en valeur") is set aside, and
// the percent change beside it is a growth rate; "Fin juin" is cumulated
// from January.
func TestAbsoluteChangeColumn(t *testing.T) {
	obs, _, info := read(t, sheet(
		[]any{"Principaux clients du Maroc"},
		[]any{"En millions de dirhams"},
		[]any{"Pays", "Fin juin 2023", "Fin juin 2024", "Variation en valeur", "Variation en %"},
		[]any{"France", 48097.3, 50811.6, 2714.3, 5.6},
		[]any{"Espagne", 42279.0, 47823.8, 5544.8, 13.1},
	))
	m := byCell(obs)
	if _, ok := m["D4"]; ok {
		t.Errorf("D4 read: %+v", m["D4"])
	}
	check(t, m, "E4", want{"Morocco", "France", "exports", "growth", "2024-01/2024-06", "2023-01/2023-06", 5.6, 1, "%", 1, ""})
	found := false
	for _, n := range info.Notes {
		found = found || strings.Contains(n, "absolute change")
	}
	if !found {
		t.Errorf("notes %q", info.Notes)
	}
}

// A unit column ("$m", "%"), growth rows under fiscal-year columns, a
// "surplus (+) / deficit (−)" section that is the balance, and "np" and an
// unlisted mark among the figures.
func TestUnitColumnAndGrowthRows(t *testing.T) {
	obs, findings, _ := read(t, sheet(
		[]any{"Merchandise trade with Japan, Queensland and Australia"},
		[]any{"Item", "Unit", "FY2022-23", "FY2023-24"},
		[]any{"Merchandise exports"},
		[]any{"  Australia", "$m", 110276, 87532},
		[]any{"  Queensland", "$m", 33912, 23645},
		[]any{"  Queensland, change on previous year", "%", num{39.5, "0.0"}, num{-30.3, "0.0"}},
		[]any{"Trade surplus (+) / deficit (−)"},
		[]any{"  Australia", "$m", 80469, "np"},
		[]any{"  Queensland", "$m", 28409, "n.y."},
	))
	m := byCell(obs)
	check(t, m, "D5", want{"Queensland", "Japan", "exports", "level", "2023-07/2024-06", "", 23645, 0, "AUD", 1e6, ""})
	check(t, m, "D6", want{"Queensland", "Japan", "exports", "growth", "2023-07/2024-06", "2022-07/2023-06", -30.3, 1, "%", 1, ""})
	check(t, m, "C8", want{"Australia", "Japan", "balance", "level", "2022-07/2023-06", "", 80469, 0, "AUD", 1e6, ""})
	check(t, m, "D8", want{"Australia", "Japan", "balance", "level", "2023-07/2024-06", "", 0, 0, "AUD", 1e6, "np"})
	rules := map[string]schemas.Severity{}
	for _, f := range findings {
		rules[f.Rule] = f.Severity
	}
	if rules[schemas.RuleUnknownMark] != schemas.SeverityWarning || rules[schemas.RuleUnreadable] != "" {
		t.Errorf("findings %v", findings)
	}
}

// "1. Halbjahr" over years is the first half of each; a growth heading over
// "2023 : 2022" compares those years.
func TestHalfYearsOverYearsAndGrowthPeriods(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"Außenhandel mit Italien: Tirol"},
		[]any{"Werte in 1.000 €"},
		[]any{"Bundesland", "Kalenderjahr", nil, "1. Halbjahr", nil, "Veränderung in %", nil},
		[]any{nil, 2022, 2023, 2023, 2024, "2023 : 2022", "1. Hj. 2024 : 1. Hj. 2023"},
		[]any{"Ausfuhr"},
		[]any{"Tirol", 2318442, 2247105, 1160234, 1128846, num{-0.031, "0.0%"}, num{-0.027, "0.0%"}},
	))
	m := byCell(obs)
	check(t, m, "E6", want{"Tyrol", "Italy", "exports", "level", "2024S1", "", 1128846, 0, "EUR", 1000, ""})
	check(t, m, "F6", want{"Tyrol", "Italy", "exports", "growth", "2023", "2022", -3.1, 1, "%", 1, ""})
	check(t, m, "G6", want{"Tyrol", "Italy", "exports", "growth", "2024S1", "2023S1", -2.7, 1, "%", 1, ""})
}

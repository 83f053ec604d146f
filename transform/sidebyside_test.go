package transform

import "testing"

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

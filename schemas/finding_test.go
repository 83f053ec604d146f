package schemas

import "testing"

func TestFindingLocate(t *testing.T) {
	f := &Finding{File: "in/a.xlsx", Sheet: "Trade with China"}
	for _, tt := range []struct{ ref, file, sheet, cell string }{
		{"C9", "in/a.xlsx", "Trade with China", "C9"},
		{"Sheet2!C9", "in/a.xlsx", "Sheet2", "C9"},
		{"Data!Sub!B4", "in/a.xlsx", "Data!Sub", "B4"}, // the last ! separates the cell
		{"[in/b.xlsx]Sheet2!C9", "in/b.xlsx", "Sheet2", "C9"},
		{"[in/b.csv]R1048577C7", "in/b.csv", "Trade with China", "R1048577C7"},
		{"[unclosed!C9", "in/a.xlsx", "[unclosed", "C9"},
	} {
		file, sheet, cell := f.Locate(tt.ref)
		if file != tt.file || sheet != tt.sheet || cell != tt.cell {
			t.Errorf("Locate(%q) = %q, %q, %q; want %q, %q, %q", tt.ref, file, sheet, cell, tt.file, tt.sheet, tt.cell)
		}
	}
}

func TestFormatFigure(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for i, tt := range []struct {
		v    *float64
		want string
	}{
		{nil, ""},
		{f(92), "92"},
		{f(92.00014), "92.0001"},
		{f(-0.00001), "0"},
		{f(5.130), "5.13"},
		{f(-17.1), "-17.1"},
		{f(1e6), "1000000"},
	} {
		if got := FormatFigure(tt.v); got != tt.want {
			t.Errorf("case %d: FormatFigure = %q, want %q", i, got, tt.want)
		}
	}
}

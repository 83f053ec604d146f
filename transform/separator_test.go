package transform

import (
	"testing"

	"github.com/tradeetl/tradeetl/extract"
)

// How a sheet writes its figures decides "721.182": a separator written
// twice in one figure groups thousands, so the other one is the decimal.
func TestSniffSeparator(t *testing.T) {
	rows := func(texts ...string) []extract.Row {
		var out []extract.Row
		for i, s := range texts {
			out = append(out, extract.Row{Num: i + 1, Cells: []extract.Cell{{Row: i + 1, Col: 2, Kind: extract.String, Text: s}}})
		}
		return out
	}
	for _, c := range []struct {
		texts []string
		want  Separator
	}{
		{[]string{"25.312.418", "721.182", "-3,2"}, SepDecimalComma},
		{[]string{"25.312.418", "721.182"}, SepDecimalComma},
		{[]string{"1,234,567", "721,182"}, SepDecimalPoint},
		{[]string{"6,80", "7,10"}, SepDecimalComma},
		{[]string{"-6.8", "7.1"}, SepDecimalPoint},
		{[]string{"721.182"}, SepUnknown},
	} {
		if got := sniffSeparator(rows(c.texts...)); got != c.want {
			t.Errorf("%q: %v, want %v", c.texts, got, c.want)
		}
	}
}

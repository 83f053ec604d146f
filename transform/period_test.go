package transform

import (
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// The spellings of periods that tables use, in the languages of the
// labels.
func TestPeriodParse(t *testing.T) {
	d, err := schemas.DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	pp := &periodParser{dict: d, month: vocab.MonthWord}
	for _, c := range []struct {
		text, want string // want: the period, "" for none; "~" prefix: without its year
	}{
		{"2023", "2023"},
		{"Année 2023", "2023"},
		{"2023Q1", "2023Q1"},
		{"Q1 2023", "2023Q1"},
		{"T1 2023", "2023Q1"},
		{"1. Quartal 2023", "2023Q1"},
		{"1e kw. 2023", "2023Q1"},
		{"I kw. 2023", "2023Q1"},
		{"H1 2023", "2023S1"},
		{"1H 2023", "2023S1"},
		{"1er semestre 2024", "2024S1"},
		{"Jan. 2023", "2023-01"},
		{"janvier 2024", "2024-01"},
		{"Jänner 2024", "2024-01"},
		{"2023M07", "2023-07"},
		{"07/2023", "2023-07"},
		{"2023-07", "2023-07"},
		{"2023.01", "2023-01"}, // Korean, Japanese tables
		{"2023.12", "2023-12"},
		{"2023.1234", ""},           // a number, no month
		{"2023. január", "2023-01"}, // Hungarian order
		{"Jan–Jun 2024", "2024-01/2024-06"},
		{"July-June 2023-24", "2023-07/2024-06"}, // a fiscal year, its months named
		{"Jul–Jun 2023/24", "2023-07/2024-06"},
		{"YTD Sep 2024", "2024-01/2024-09"},
		{"Fin juin 2024", "2024-01/2024-06"}, // French: cumulated to the end of June
		{"à fin septembre 2023", "2023-01/2023-09"},
		{"Dec qtr 2023", "2023Q4"}, // a quarter named by its last month
		{"Mar qtr 2024", "2024Q1"},
		{"Jun quarter 2024", "2024Q2"},
		{"1.–3. čtvrtletí 2024", "2024-01/2024-09"}, // quarters 1 to 3
		{"Q1–Q3 2024", "2024-01/2024-09"},
		{"I-III kw. 2024", "2024-01/2024-09"},
		{"Q1-Q4 2023", "2023"},
		{"Q3–Q1 2024", ""},
		{"I–VI 2024", "2024-01/2024-06"},
		{"2023 m. I pusm.", "2023S1"}, // Lithuanian: the year first, then the half
		{"2024 m. sausio–birželio mėn.", "2024-01/2024-06"},
		{"январю-июню 2023г.", "2023-01/2023-06"}, // Russian months in the dative
		{"в июне 2024 года", "2024-06"},
		{"Ιουνίου 2024", "2024-06"},
		{"令和6年上半期", "2024S1"}, // Japanese era: Reiwa 6
		{"令和元年", "2019"},
		{"平成30年", "2018"},
		{"民國113年6月", "2024-06"}, // Minguo 113
		{"112年1-6月", "2023-01/2023-06"},
		{"2024年6月", "2024-06"},
	} {
		m, ok := pp.Parse(c.text)
		got := ""
		if ok {
			got = m.P.String()
			if m.NoYear {
				got = "~" + got
			}
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

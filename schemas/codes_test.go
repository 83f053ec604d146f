package schemas_test

import (
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

func TestFlowCode(t *testing.T) {
	want := map[string]string{
		schemas.FlowExports: "X", schemas.FlowImports: "M", schemas.FlowBalance: "B", schemas.FlowSurplus: "B",
		schemas.FlowDeficit: "D", schemas.FlowTotal: "T", schemas.FlowReexports: "RX", schemas.FlowReimports: "RM",
		schemas.FlowDomesticExports: "DX",
	}
	// Every flow an observation can hold has a code.
	for _, f := range schemas.Flows {
		if got := schemas.FlowCode(f); got != want[f] || got == "" {
			t.Errorf("FlowCode(%q) = %q, want %q", f, got, want[f])
		}
	}
	if len(schemas.FlowCodes) != len(schemas.Flows) {
		t.Errorf("FlowCodes has %d entries for %d flows", len(schemas.FlowCodes), len(schemas.Flows))
	}
	if got := schemas.FlowCode("smuggling"); got != "" {
		t.Errorf("unknown flow: %q", got)
	}
}

func TestTimePeriod(t *testing.T) {
	tests := []struct {
		p     schemas.Period
		label string
		sdmx  string
	}{
		{schemas.Period{Type: schemas.PeriodYear, Year: 2013}, "2013", "2013"},
		{schemas.Period{Type: schemas.PeriodHalf, Year: 2013, Sub: 1}, "2013S1", "2013-S1"},
		{schemas.Period{Type: schemas.PeriodHalf, Year: 2013, Sub: 2}, "2013S2", "2013-S2"},
		{schemas.Period{Type: schemas.PeriodQuarter, Year: 2013, Sub: 1}, "2013Q1", "2013-Q1"},
		{schemas.Period{Type: schemas.PeriodQuarter, Year: 1999, Sub: 4}, "1999Q4", "1999-Q4"},
		{schemas.Period{Type: schemas.PeriodMonth, Year: 2013, Sub: 3}, "2013-03", "2013-03"},
		{schemas.Period{Type: schemas.PeriodMonth, Year: 2013, Sub: 12}, "2013-12", "2013-12"},
		{schemas.Cumulative(2024, 1, 2024, 6), "2024-01/2024-06", "2024-01-01/P6M"},
		{schemas.Cumulative(2024, 1, 2024, 1), "2024-01/2024-01", "2024-01-01/P1M"},
		// a fiscal year, July to June
		{schemas.Cumulative(2023, 7, 2024, 6), "2023-07/2024-06", "2023-07-01/P12M"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.label {
			t.Errorf("%+v: label %q, want %q", tt.p, got, tt.label)
		}
		if got := tt.p.SDMX(); got != tt.sdmx {
			t.Errorf("%+v: SDMX %q, want %q", tt.p, got, tt.sdmx)
		}
		if got := schemas.TimePeriod(tt.label); got != tt.sdmx {
			t.Errorf("TimePeriod(%q) = %q, want %q", tt.label, got, tt.sdmx)
		}
	}
	// What is not a canonical label comes back as it is.
	for _, s := range []string{"", "2013Q5", "2013-13", "13", "2013-1", "2013Q", "abcd", "2024-06/2024-01", "2013S3"} {
		if got := schemas.TimePeriod(s); got != s {
			t.Errorf("TimePeriod(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestHeadingClassification(t *testing.T) {
	tests := map[string]string{
		"HS code":               schemas.ClassHS,
		"HS6":                   schemas.ClassHS,
		"cmdCode":               schemas.ClassHS,
		"Harmonized System":     schemas.ClassHS,
		"CN8":                   schemas.ClassCN,
		"PRODUCT_NC":            schemas.ClassCN,
		"Combined Nomenclature": schemas.ClassCN,
		"SITC Rev. 4":           schemas.ClassSITC,
		"PRODUCT_SITC":          schemas.ClassSITC,
		"CTCI":                  schemas.ClassSITC,
		"BEC":                   schemas.ClassBEC,
		"NST 2007":              schemas.ClassNST,
		"CPA 2.1":               schemas.ClassCPA,
		"HTS number":            schemas.ClassNational,
		"Product code":          "",
		"Product":               "",
		"":                      "",
	}
	for heading, want := range tests {
		if got := schemas.HeadingClassification(heading); got != want {
			t.Errorf("HeadingClassification(%q) = %q, want %q", heading, got, want)
		}
	}
}

func TestProductClassification(t *testing.T) {
	tests := []struct {
		class, code string
		eu          bool
		want        string
	}{
		{schemas.ClassSITC, "01", false, schemas.ClassSITC}, // the heading decides
		{schemas.ClassHS, "TOTAL", false, schemas.ClassHS},
		{"", "847130", false, schemas.ClassHS},
		{"", "8471.30", true, schemas.ClassHS},
		{"", "84713000", true, schemas.ClassCN},
		{"", "84713000", false, schemas.ClassNational},
		{"", "8471300000", true, schemas.ClassNational},
		{"", "84", false, ""}, // HS chapter or SITC division: cannot tell
		{"", "0101", true, ""},
		{"", "TOTAL", true, ""},
		{"", "", true, ""},
		{"", "1234567890123", false, ""},
	}
	for _, tt := range tests {
		if got := schemas.ProductClassification(tt.class, tt.code, tt.eu); got != tt.want {
			t.Errorf("ProductClassification(%q, %q, %v) = %q, want %q", tt.class, tt.code, tt.eu, got, tt.want)
		}
	}
}

func TestQuantityUnit(t *testing.T) {
	tests := map[string]string{
		"(tonnes)":       "t",
		"in kg":          "kg",
		"KG":             "kg",
		"Net mass":       "kg",
		"metric tons":    "t",
		"Litres":         "l",
		"pcs":            "pieces",
		"(barrels)":      "barrels",
		"":               "",
		"  ":             "",
		"supplementary":  "supplementary",
		"(1000 litres)":  "1000 litres",
		"Quantity in kg": "kg",
	}
	for text, want := range tests {
		if got := schemas.QuantityUnit(text); got != want {
			t.Errorf("QuantityUnit(%q) = %q, want %q", text, got, want)
		}
	}
}

package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// FuzzLabels reads a report table whose title, header and row label are
// fuzzed: whatever the words, reading never panics, and every figure read
// has a reporter, a flow, a known measure and a valid period.
func FuzzLabels(f *testing.F) {
	for _, s := range [][3]string{
		{"Trade with China (in billion euro)", "2013*", "Flanders exports"},
		{"Handel met China (miljard euro)", "Q1 2013", "Vlaamse uitvoer"},
		{"Commerce avec la Chine (en millions d'euros)", "janvier 2013", "Déficit flamand"},
		{"€ mn", "2013-01", "% Flanders"},
		{"", "2013Q4", "Aandeel Vlaanderen"},
		{"Growth rate", "Growth rate", "Growth rate"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	d, err := schemas.DefaultDictionary()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, period, label string) {
		s := sheet(
			[]any{title},
			[]any{nil, "2012", period, "Growth rate"},
			[]any{"Belgium exports", "7,62", "7,41", "-2,8"},
			[]any{label, "6,95", num{6.8, "0.00"}, "-2,2"},
			[]any{"% " + label, "91,2", "91,8"},
		)
		_, err := Sheet(context.Background(), "S", s, Options{Dict: d, File: "f.xlsx"}, func(obs []schemas.Observation, _ []schemas.Finding) error {
			for _, o := range obs {
				if o.Reporter == "" || o.Flow == "" || o.Partner == "" {
					t.Fatalf("%s: incomplete observation %+v", o.Cell, o)
				}
				switch o.Measure {
				case schemas.MeasureLevel, schemas.MeasureShare, schemas.MeasureGrowth:
				default:
					t.Fatalf("%s: measure %q", o.Cell, o.Measure)
				}
				if p, ok := schemas.ParsePeriod(o.Period); !ok || p.String() != o.Period {
					t.Fatalf("%s: period %q", o.Cell, o.Period)
				}
				if o.Measure == schemas.MeasureGrowth && o.BasePeriod == "" {
					t.Fatalf("%s: growth without base period", o.Cell)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range schemas.Fold(label) {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("Fold(%q) gives word %q", label, w)
			}
		}
	})
}

// FuzzWorkbook runs the workbook path, extract.Open and Workbook, on
// fuzzed bytes named .xlsx (seeded with the test workbooks): a broken
// file gives an error, never a panic or a runaway.
func FuzzWorkbook(f *testing.F) {
	for _, pattern := range []string{"testdata/office/*/*.xlsx", "testdata/written/*.xlsx", "../fixtures/*.xlsx"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	d, err := schemas.DefaultDictionary()
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "fuzz.xlsx")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		wb, err := extract.Open(path, extract.Limits{MaxUnzipSize: 64 << 20, MaxCells: 1 << 20})
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		defer wb.Close()
		_, err = Workbook(context.Background(), wb, Options{Dict: d, File: path}, func([]schemas.Observation, []schemas.Finding) error { return nil })
		if err != nil && !strings.Contains(err.Error(), path) {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

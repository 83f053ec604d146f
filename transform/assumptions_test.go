package transform

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// TestEveryAssumptionIsExplained walks every table of the trade corpora
// (the shared one beside the repository, testdata/world, the fixtures):
// each label of a figure that was assumed rather than read from its table
// (a reporter from the file name, a partner defaulted to the World, no
// currency, a currency word read as the reporter's currency, a name the
// area list does not know) must be said by a warning finding of its rule
// naming the figure's cell (or its table's header, for a long table), or,
// for unknown names, the name. A silent default fails the test.
func TestEveryAssumptionIsExplained(t *testing.T) {
	var files []string
	for _, pattern := range []string{
		"../fixtures/*.xlsx", "../testdata/world/cases/*", "../../shared/corpus/trade/cases/*",
		"../testdata/heldout/cases/*", "testdata/office/*/*.xlsx", "testdata/written/*",
	} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) < 30 {
		t.Fatalf("only %d files found", len(files))
	}
	checked, traced := 0, 0
	for _, path := range files {
		wb, err := extract.Open(path, extract.Limits{})
		if err != nil {
			continue // the files that must fail
		}
		type assumption struct {
			o            schemas.Observation
			rule, detail string
		}
		var seen []assumption
		var findings []schemas.Finding
		opts := Options{File: path}
		opts.trace = func(o *schemas.Observation, rule, detail string) {
			seen = append(seen, assumption{*o, rule, detail})
		}
		_, err = Workbook(context.Background(), wb, opts, func(obs []schemas.Observation, fs []schemas.Finding) error {
			checked += len(obs)
			findings = append(findings, fs...)
			return nil
		})
		wb.Close()
		if err != nil && !errors.Is(err, ErrNoFigures) && !errors.Is(err, ErrEmptyFile) && !errors.Is(err, extract.ErrInconsistent) {
			t.Errorf("%s: %v", path, err)
			continue
		}
		traced += len(seen)
		for _, a := range seen {
			if !explained(a.o, a.rule, a.detail, findings) {
				t.Errorf("%s %s!%s: %s (%s) assumed without a warning finding saying so", path, a.o.Sheet, a.o.Cell, a.rule, a.detail)
			}
		}
	}
	t.Logf("%d figures read, %d assumed labels, each with its finding", checked, traced)
}

// explained reports whether a warning finding of the rule covers an
// observation: it names the figure's cell, or the header row of its table,
// or (unknown names) the name.
func explained(o schemas.Observation, rule, detail string, findings []schemas.Finding) bool {
	headRow := 0
	if first, _, ok := strings.Cut(o.Table, ":"); ok {
		headRow = rowOf(first)
	}
	for _, f := range findings {
		if f.Rule != rule || f.Severity != schemas.SeverityWarning || f.File != o.File || f.Sheet != o.Sheet {
			continue
		}
		if rule == schemas.RuleUnknownArea {
			if strings.Contains(f.Message, strconv.Quote(detail)) {
				return true
			}
			continue
		}
		for _, c := range f.Cells {
			if c == o.Cell || headRow > 0 && rowOf(c) == headRow {
				return true
			}
		}
	}
	return false
}

func rowOf(cell string) int {
	i := strings.IndexFunc(cell, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(cell[i:])
	if err != nil {
		return 0
	}
	return n
}

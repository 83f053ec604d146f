package transform

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Layouts are the entries of a layout file: for a stubborn source, they
// say where its table is and what its labels mean, overriding detection.
//
//	version: 1
//	layouts:
//	  - files: "china-*.xlsx"     # glob on the file name (or the path's last elements, if it has a /)
//	    sheet: "Tabel 3"          # sheet name or glob; empty: every sheet
//	    range: B5:H16             # the table, header row included
//	    header_row: 6             # default: the first row of range
//	    label_column: B
//	    partner: China
//	    unit: billion euro
//	    labels:
//	      "Export VL": {reporter: Flanders, flow: exports}
//	      "Aandeel":   {reporter: Flanders, measure: share}
//
// The first entry whose files and sheet match a sheet applies to it.
type Layouts struct {
	Path    string // the file they were read from, for messages
	Version string // first hex digits of the file's SHA-256
	entries []Layout
}

// Layout is one entry of a layout file. Empty fields mean "detect".
type Layout struct {
	// Files is a glob matched against the input's file name, or, when it
	// holds a "/", against as many trailing elements of its path
	// ("incoming/*.xlsx" matches /data/incoming/a.xlsx). Empty matches
	// every file.
	Files string `yaml:"files"`
	// Sheet is a sheet name or glob; empty matches every sheet. CSV files
	// have one sheet named "".
	Sheet string `yaml:"sheet"`
	// Skip ignores the matching sheets: they hold no table to read.
	Skip bool `yaml:"skip"`
	// Kind is "report" (periods across, labels down) or "long" (one
	// figure per row).
	Kind string `yaml:"kind"`
	// Range is the table's A1 range, header row included; cells outside
	// it are ignored.
	Range string `yaml:"range"`
	// HeaderRow is the row number of the header; default the first row
	// of Range, else detected.
	HeaderRow int `yaml:"header_row"`
	// LabelColumn is the column of a report table's row labels ("A").
	LabelColumn string `yaml:"label_column"`
	// Reporter, Partner and Flow apply to figures whose label or columns
	// name none.
	Reporter string `yaml:"reporter"`
	Partner  string `yaml:"partner"`
	Flow     string `yaml:"flow"`
	// Unit is a unit note as a sheet would write it: "billion euro",
	// "EUR million", "€ mn", "thousand euro", "euro".
	Unit string `yaml:"unit"`
	// Labels maps a report table's row labels, as written, to their
	// meaning; they take precedence over the label dictionary.
	Labels map[string]LabelMeaning `yaml:"labels"`
	// Columns maps columns to their meaning. For a report table, a
	// column letter to a period ("2013", "2013Q1"), a growth rate
	// ("growth 2013" or "growth 2013 vs 2012") or "skip". For a long
	// table, a column letter or header text to a role: reporter,
	// partner, flow, product, product_code, period, year, value, unit,
	// or skip.
	Columns map[string]string `yaml:"columns"`

	// resolved
	index     int
	rng       *extract.Range
	labelCol  int
	unit      string
	scale     float64
	labels    map[string]LabelMeaning // by folded label
	reportCol map[int]periodColumn
	longCol   map[string]string // by column letter ("A") or folded header
}

// LabelMeaning is what a row label means.
type LabelMeaning struct {
	Reporter string `yaml:"reporter"`
	Flow     string `yaml:"flow"`
	// Measure is "level" (default) or "share".
	Measure string `yaml:"measure"`
	// Skip ignores the row.
	Skip bool `yaml:"skip"`
}

type layoutFile struct {
	Version int      `yaml:"version"`
	Layouts []Layout `yaml:"layouts"`
}

// LoadLayoutsFile reads a layout file.
func LoadLayoutsFile(file string, dict *schemas.Dictionary) (*Layouts, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("layout file: %w", err)
	}
	l, err := LoadLayouts(data, dict)
	if err != nil {
		return nil, fmt.Errorf("layout file %s: %w", file, err)
	}
	l.Path = file
	sum := sha256.Sum256(data)
	l.Version = hex.EncodeToString(sum[:])[:12]
	return l, nil
}

var (
	reColumn = regexp.MustCompile(`^[A-Za-z]{1,3}$`)
	reGrowth = regexp.MustCompile(`^(?i)growth\s+(\S+)(?:\s+vs\.?\s+(\S+))?$`)
)

// LoadLayouts parses a layout file's content and checks every entry, so
// that a mistake stops the run before any input is read.
func LoadLayouts(data []byte, dict *schemas.Dictionary) (*Layouts, error) {
	var f layoutFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("%s", yaml.FormatError(err, false, true))
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("version %d: want version: 1", f.Version)
	}
	if len(f.Layouts) == 0 {
		return nil, fmt.Errorf("no layouts: the file needs a list of entries under \"layouts\"")
	}
	l := &Layouts{}
	for i, e := range f.Layouts {
		e.index = i + 1
		if err := e.resolve(dict); err != nil {
			return nil, fmt.Errorf("layout %d%s: %w", i+1, e.describe(), err)
		}
		l.entries = append(l.entries, e)
	}
	return l, nil
}

func (e *Layout) describe() string {
	var parts []string
	if e.Files != "" {
		parts = append(parts, fmt.Sprintf("files %q", e.Files))
	}
	if e.Sheet != "" {
		parts = append(parts, fmt.Sprintf("sheet %q", e.Sheet))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func (e *Layout) resolve(dict *schemas.Dictionary) error {
	if _, err := path.Match(e.Files, ""); err != nil {
		return fmt.Errorf("files: bad glob %q", e.Files)
	}
	if _, err := path.Match(e.Sheet, ""); err != nil {
		return fmt.Errorf("sheet: bad glob %q", e.Sheet)
	}
	switch e.Kind {
	case "", "report", "long":
	default:
		return fmt.Errorf("kind %q: want report or long", e.Kind)
	}
	if e.Range != "" {
		r, err := extract.ParseRange(e.Range)
		if err != nil {
			return fmt.Errorf("range: %w", err)
		}
		e.rng = &r
		if e.HeaderRow == 0 {
			e.HeaderRow = r.FromRow
		}
		if e.HeaderRow < r.FromRow || e.HeaderRow > r.ToRow {
			return fmt.Errorf("header_row %d is outside the range %s", e.HeaderRow, e.Range)
		}
	}
	if e.HeaderRow < 0 {
		return fmt.Errorf("header_row %d: want a row number", e.HeaderRow)
	}
	if e.LabelColumn != "" {
		col, err := extract.ColumnNumber(e.LabelColumn)
		if err != nil || !reColumn.MatchString(e.LabelColumn) {
			return fmt.Errorf("label_column %q: want a column letter such as A", e.LabelColumn)
		}
		e.labelCol = col
	}
	if e.Flow != "" {
		flow, err := layoutFlow(dict, e.Flow)
		if err != nil {
			return err
		}
		e.Flow = flow
	}
	if e.Unit != "" {
		unit, scale, ok := layoutUnit(dict, e.Unit)
		if !ok {
			return fmt.Errorf("unit %q not understood (write it as a sheet would: \"billion euro\", \"EUR million\", \"€ mn\", \"CHF thousand\", \"%%\")", e.Unit)
		}
		e.unit, e.scale = unit, scale
	}
	e.labels = map[string]LabelMeaning{}
	for label, m := range e.Labels {
		if m.Skip {
			e.labels[foldKey(label)] = m
			continue
		}
		if m.Flow != "" {
			flow, err := layoutFlow(dict, m.Flow)
			if err != nil {
				return fmt.Errorf("label %q: %w", label, err)
			}
			m.Flow = flow
		}
		switch m.Measure {
		case "", schemas.MeasureLevel, schemas.MeasureShare:
		default:
			return fmt.Errorf("label %q: measure %q: want level or share", label, m.Measure)
		}
		if m.Measure == "" {
			m.Measure = schemas.MeasureLevel
		}
		if m.Reporter == "" && e.Reporter == "" {
			return fmt.Errorf("label %q names no reporter (give reporter: in the label or the layout)", label)
		}
		if m.Flow == "" && m.Measure != schemas.MeasureShare && e.Flow == "" {
			return fmt.Errorf("label %q names no flow (give flow: exports, imports, deficit, surplus, balance or total)", label)
		}
		e.labels[foldKey(label)] = m
	}
	if len(e.Columns) > 0 {
		if err := e.resolveColumns(); err != nil {
			return err
		}
	}
	return nil
}

// layoutUnit reads a layout's unit as a unit note: a currency (code,
// symbol or name) and a scale word, or a percent sign.
func layoutUnit(dict *schemas.Dictionary, note string) (string, float64, bool) {
	t := strings.TrimSpace(note)
	if strings.Contains(t, "%") || strings.EqualFold(t, "percent") {
		return schemas.UnitPercent, 1, true
	}
	currency := ""
	for _, m := range vocab.DefaultCurrencies().Find(t, vocab.Context{}) {
		if m.Currency != nil && !m.Ambiguous {
			currency = m.Currency.Code
			break
		}
	}
	if currency == "" {
		return "", 0, false
	}
	scale, ok := dict.Scale(t)
	if !ok {
		scale = 1
	}
	return currency, scale, true
}

func layoutFlow(dict *schemas.Dictionary, s string) (string, error) {
	if flow, ok := dict.Flow(s); ok {
		return flow, nil
	}
	for _, f := range schemas.Flows {
		if s == f {
			return s, nil
		}
	}
	return "", fmt.Errorf("flow %q: want one of %s", s, strings.Join(schemas.Flows, ", "))
}

func (e *Layout) resolveColumns() error {
	kind := e.Kind
	if kind == "" {
		// periods say report, roles say long
		for _, v := range e.Columns {
			if _, ok := schemas.ParsePeriod(v); ok || reGrowth.MatchString(v) {
				kind = "report"
			} else if kind == "" {
				kind = "long"
			}
		}
		e.Kind = kind
	}
	if kind == "report" {
		e.reportCol = map[int]periodColumn{}
		for key, v := range e.Columns {
			col, err := extract.ColumnNumber(key)
			if err != nil || !reColumn.MatchString(key) {
				return fmt.Errorf("columns: %q: a report table's columns are given by letter (B: \"2013\")", key)
			}
			if strings.EqualFold(v, "skip") {
				continue
			}
			if p, ok := schemas.ParsePeriod(v); ok {
				e.reportCol[col] = periodColumn{col: col, period: p}
				continue
			}
			m := reGrowth.FindStringSubmatch(v)
			if m == nil {
				return fmt.Errorf("columns: %s: %q is not a period (2013, 2013Q1, 2013-01) or a growth rate (growth 2013 vs 2012)", key, v)
			}
			p, ok := schemas.ParsePeriod(m[1])
			if !ok {
				return fmt.Errorf("columns: %s: %q is not a period", key, m[1])
			}
			base := p.Prev()
			if m[2] != "" {
				if base, ok = schemas.ParsePeriod(m[2]); !ok {
					return fmt.Errorf("columns: %s: %q is not a period", key, m[2])
				}
			}
			e.reportCol[col] = periodColumn{col: col, period: p, growth: true, base: base}
		}
		return nil
	}
	e.longCol = map[string]string{}
	for key, role := range e.Columns {
		switch role {
		case schemas.ColReporter, schemas.ColPartner, schemas.ColFlow, schemas.ColProduct, schemas.ColProductCode,
			schemas.ColPeriod, schemas.ColYear, schemas.ColValue, schemas.ColUnit, schemas.ColScale, schemas.ColStatus,
			schemas.ColQuantity, "skip":
		default:
			return fmt.Errorf("columns: %q: role %q: want reporter, partner, flow, product, product_code, period, year, value, unit or skip", key, role)
		}
		if reColumn.MatchString(key) {
			e.longCol[strings.ToUpper(key)] = role
		} else {
			e.longCol[foldKey(key)] = role
		}
	}
	return nil
}

// foldKey is how labels and headers are compared with a layout's keys:
// case, accents, punctuation and spacing ignored.
func foldKey(s string) string { return strings.Join(schemas.Fold(s), " ") }

// For returns the layout entry for a sheet of a file, or nil.
func (l *Layouts) For(file, sheet string) *Layout {
	if l == nil {
		return nil
	}
	slashed := filepath.ToSlash(file)
	for i := range l.entries {
		e := &l.entries[i]
		if e.Files != "" {
			// "incoming/*.xlsx" matches the last two elements of the path
			n := strings.Count(strings.Trim(e.Files, "/"), "/") + 1
			parts := strings.Split(strings.Trim(slashed, "/"), "/")
			target := strings.Join(parts[max(0, len(parts)-n):], "/")
			if ok, _ := path.Match(strings.Trim(e.Files, "/"), target); !ok {
				continue
			}
		}
		if e.Sheet != "" && e.Sheet != sheet {
			if ok, _ := path.Match(e.Sheet, sheet); !ok {
				continue
			}
		}
		return e
	}
	return nil
}

// Name describes the entry in notes: "layout 2 of layouts.yaml".
func (e *Layout) Name() string { return fmt.Sprintf("layout %d", e.index) }

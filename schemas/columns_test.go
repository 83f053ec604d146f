package schemas_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// TestObservationColumnsFollowFields fails when a field is added to
// schemas.Observation (or Finding) without a column. The order is pinned by
// TestArrowSchemasMatchColumns (value_text and decimals come before missing,
// next to value).
func TestObservationColumnsFollowFields(t *testing.T) {
	tests := []struct {
		name   string
		typ    reflect.Type
		tag    string
		rename map[string]string // tag → column; "" drops the field
		before []string          // columns not from fields, first
		after  []string          // columns not from fields, last
		cols   []schemas.Column
	}{
		{
			name: "observations", typ: reflect.TypeFor[schemas.Observation](), tag: "expr",
			rename: map[string]string{"table": "table_range", "text": "value_text", "has_value": "", "has_value_eur": "", "has_value_base": "", "has_quantity": ""},
			after:  []string{"loaded_at", "flow_code", "time_period"},
			cols:   schemas.ObservationColumns,
		},
		{
			name: "findings", typ: reflect.TypeFor[schemas.Finding](), tag: "json",
			before: []string{"run_id"},
			after:  []string{"created_at", "cell_list"},
			cols:   schemas.FindingColumns,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := append([]string(nil), tt.before...)
			for f := range tt.typ.Fields() {
				name, _, _ := strings.Cut(f.Tag.Get(tt.tag), ",")
				if to, ok := tt.rename[name]; ok {
					name = to
				}
				if name != "" {
					want = append(want, name)
				}
			}
			want = append(want, tt.after...)
			var got []string
			for _, c := range tt.cols {
				got = append(got, c.Name)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("columns\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestMarkdownTable(t *testing.T) {
	cols := []schemas.Column{
		{Name: "a", Type: "INT32", Doc: "first"},
		{Name: "b", Type: "STRING", Nullable: true, Doc: "x | y"},
	}
	want := "| Column | Type | Nullable | Meaning |\n" +
		"|---|---|---|---|\n" +
		"| `a` | INT32 | no | first |\n" +
		"| `b` | STRING | yes | x \\| y |\n"
	if got := schemas.MarkdownTable(cols); got != want {
		t.Errorf("MarkdownTable:\n%s\nwant:\n%s", got, want)
	}
	full := schemas.MarkdownTable(schemas.ObservationColumns)
	if n := strings.Count(full, "\n"); n != len(schemas.ObservationColumns)+2 {
		t.Errorf("observation table has %d lines, want %d", n, len(schemas.ObservationColumns)+2)
	}
	if !strings.Contains(full, "| `value` | DECIMAL(38,9) | yes |") {
		t.Errorf("observation table lacks the value row:\n%s", full)
	}
}

// Only the dimension text columns are dictionary-encoded; every other
// column (plain text, numbers, dates, timestamps) is written PLAIN.
func TestDictionary(t *testing.T) {
	dims := 0
	for _, cols := range [][]schemas.Column{schemas.ObservationColumns, schemas.FindingColumns, schemas.RunColumns} {
		for _, c := range cols {
			if got, want := c.Dictionary(), c.Type == "STRING (dictionary)"; got != want {
				t.Errorf("%s (%s): Dictionary() = %v, want %v", c.Name, c.Type, got, want)
			}
			if c.Dictionary() {
				dims++
			}
		}
	}
	for _, name := range []string{"reporter", "partner", "flow", "period", "product"} {
		for _, c := range schemas.ObservationColumns {
			if c.Name == name && !c.Dictionary() {
				t.Errorf("dimension %s is not dictionary-encoded", name)
			}
		}
	}
	if dims == 0 {
		t.Error("no dictionary-encoded column")
	}
}

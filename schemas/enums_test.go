package schemas

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseEnums(t *testing.T) {
	for _, tt := range []struct {
		name  string
		parse func(string) (string, error)
		good  []string
		bad   []string
	}{
		{"severity", func(s string) (string, error) { v, err := ParseSeverity(s); return string(v), err },
			[]string{"error", "warning"}, []string{"", "Error", "fatal"}},
		{"status", func(s string) (string, error) { v, err := ParseStatus(s); return string(v), err },
			[]string{"loaded", "failed", "skipped", "quarantined"}, []string{"", "ok"}},
		{"flow", func(s string) (string, error) { v, err := ParseFlow(s); return string(v), err },
			Flows, []string{"", "Exports", "export"}},
		{"measure", func(s string) (string, error) { v, err := ParseMeasure(s); return string(v), err },
			Measures, []string{"", "difference"}},
		{"period type", func(s string) (string, error) { v, err := ParsePeriodType(s); return string(v), err },
			PeriodTypes, []string{"", "week"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.good {
				if v, err := tt.parse(s); err != nil || v != s {
					t.Errorf("parse %q = %q, %v", s, v, err)
				}
			}
			for _, s := range tt.bad {
				if _, err := tt.parse(s); err == nil || !strings.Contains(err.Error(), "unknown") {
					t.Errorf("parse %q: error %v, want unknown", s, err)
				}
			}
		})
	}
}

// The record rules (the validate tags of Observation) accept exactly the
// values of the enumerations.
func TestObservationTagsMatchEnums(t *testing.T) {
	typ := reflect.TypeFor[Observation]()
	for _, tt := range []struct {
		field string
		want  []string
	}{
		{"Flow", Flows},
		{"Measure", Measures},
		{"PeriodType", PeriodTypes},
	} {
		f, ok := typ.FieldByName(tt.field)
		if !ok {
			t.Fatalf("no field %s", tt.field)
		}
		var oneof []string
		for _, part := range strings.Split(f.Tag.Get("validate"), ",") {
			if v, ok := strings.CutPrefix(part, "oneof="); ok {
				oneof = strings.Fields(v)
			}
		}
		if !slices.Equal(slices.Sorted(slices.Values(oneof)), slices.Sorted(slices.Values(tt.want))) {
			t.Errorf("%s: validate oneof %v, enumeration %v", tt.field, oneof, tt.want)
		}
	}
	for _, st := range Statuses {
		if !st.Valid() {
			t.Errorf("status %s not valid", st)
		}
	}
	for _, s := range Severities {
		if !s.Valid() {
			t.Errorf("severity %s not valid", s)
		}
	}
}

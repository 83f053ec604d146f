package load_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// want is the expected Arrow field of a column, written out independently of
// the column lists so that a change to either shows up here.
type want struct {
	name     string
	typ      arrow.DataType
	nullable bool
}

var (
	str   = arrow.BinaryTypes.String
	i32   = arrow.PrimitiveTypes.Int32
	i64   = arrow.PrimitiveTypes.Int64
	f64   = arrow.PrimitiveTypes.Float64
	date  = arrow.FixedWidthTypes.Date32
	tsUTC = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

func TestArrowSchemasMatchColumns(t *testing.T) {
	tests := []struct {
		name   string
		cols   []schemas.Column
		schema *arrow.Schema
		want   []want
	}{
		{"observations", schemas.ObservationColumns, load.ArrowSchema(schemas.ObservationColumns), []want{
			{"file", str, false},
			{"file_sha256", str, false},
			{"sheet", str, false},
			{"cell", str, false},
			{"table_range", str, false},
			{"label", str, false},
			{"reporter", str, false},
			{"reporter_code", str, false},
			{"reporter_parent", str, false},
			{"partner", str, false},
			{"partner_code", str, false},
			{"flow", str, false},
			{"product", str, false},
			{"product_code", str, false},
			{"measure", str, false},
			{"period", str, false},
			{"period_type", str, false},
			{"year", i32, false},
			{"period_start", date, false},
			{"base_period", str, false},
			{"value", &arrow.Decimal128Type{Precision: 38, Scale: 9}, true},
			{"missing", str, true},
			{"obs_status", str, false},
			{"value_text", str, false},
			{"decimals", i32, false},
			{"unit", str, false},
			{"currency", str, false},
			{"scale", i64, false},
			{"value_base", &arrow.Decimal128Type{Precision: 38, Scale: 2}, true},
			{"value_eur", &arrow.Decimal128Type{Precision: 38, Scale: 2}, true},
			{"loaded_at", tsUTC, false},
			{"run_id", str, false},
			{"flow_code", str, false},
			{"product_classification", str, false},
			{"time_period", str, false},
			{"quantity", &arrow.Decimal128Type{Precision: 38, Scale: 6}, true},
			{"quantity_unit", str, false},
		}},
		{"findings", schemas.FindingColumns, load.ArrowSchema(schemas.FindingColumns), []want{
			{"run_id", str, false},
			{"rule", str, false},
			{"severity", str, false},
			{"file", str, false},
			{"sheet", str, false},
			{"cells", str, false},
			{"message", str, false},
			{"expected", f64, true},
			{"actual", f64, true},
			{"tolerance", f64, true},
			{"suspect_cell", str, true},
			{"suggested_value", f64, true},
			{"slip", str, true},
			{"candidates", str, true},
			{"created_at", tsUTC, false},
			{"cell_list", arrow.ListOfNonNullable(str), false},
		}},
		{"runs", schemas.RunColumns, load.ArrowSchema(schemas.RunColumns), []want{
			{"run_id", str, false},
			{"started", tsUTC, false},
			{"finished", tsUTC, false},
			{"duration_seconds", f64, false},
			{"version", str, false},
			{"rules_version", str, false},
			{"mode", str, false},
			{"exit_code", i32, false},
			{"inputs", i32, false},
			{"loaded", i32, false},
			{"skipped", i32, false},
			{"failed", i32, false},
			{"quarantined", i32, false},
			{"removed", i32, false},
			{"observations", i64, false},
			{"observations_loaded", i64, false},
			{"findings_error", i64, false},
			{"findings_warning", i64, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := tt.schema.Fields()
			if len(fields) != len(tt.want) || len(tt.cols) != len(tt.want) {
				t.Fatalf("schema has %d fields and list %d columns, want %d", len(fields), len(tt.cols), len(tt.want))
			}
			for i, w := range tt.want {
				f, c := fields[i], tt.cols[i]
				if f.Name != w.name || c.Name != w.name {
					t.Errorf("column %d: schema %q, list %q, want %q", i, f.Name, c.Name, w.name)
				}
				if !arrow.TypeEqual(f.Type, w.typ) {
					t.Errorf("%s: type %s, want %s", w.name, f.Type, w.typ)
				}
				if f.Nullable != w.nullable || c.Nullable != w.nullable {
					t.Errorf("%s: nullable schema=%v list=%v, want %v", w.name, f.Nullable, c.Nullable, w.nullable)
				}
				if c.Doc == "" {
					t.Errorf("%s: no Doc", w.name)
				}
			}
		})
	}
}

// TestColumnsAreBIFriendly checks the rules of FEATURE_ANCHORS §4 on every
// column: flat snake_case names, no unsigned, nested, large or nanosecond
// types, and DOUBLE only with a reason. The one exception is findings'
// cell_list, a LIST of non-null strings beside the flat cells.
func TestColumnsAreBIFriendly(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	for _, set := range []struct {
		name string
		cols []schemas.Column
	}{{"observations", schemas.ObservationColumns}, {"findings", schemas.FindingColumns}, {"runs", schemas.RunColumns}} {
		seen := map[string]bool{}
		for _, c := range set.cols {
			if !snake.MatchString(c.Name) {
				t.Errorf("%s.%s: not snake_case", set.name, c.Name)
			}
			if seen[c.Name] {
				t.Errorf("%s.%s: duplicate", set.name, c.Name)
			}
			seen[c.Name] = true
			typ, err := load.ArrowType(c.Type)
			if err != nil {
				t.Errorf("%s.%s: %v", set.name, c.Name, err)
				continue
			}
			if set.name == "findings" && c.Name == "cell_list" {
				if !arrow.TypeEqual(typ, arrow.ListOfNonNullable(arrow.BinaryTypes.String)) {
					t.Errorf("%s.%s: type %s, want a list of non-null strings", set.name, c.Name, typ)
				}
				continue
			}
			switch typ.ID() {
			case arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
				arrow.LARGE_STRING, arrow.LARGE_BINARY, arrow.LIST, arrow.LARGE_LIST,
				arrow.STRUCT, arrow.MAP, arrow.DICTIONARY:
				t.Errorf("%s.%s: type %s is not BI-friendly", set.name, c.Name, typ)
			case arrow.TIMESTAMP:
				if ts := typ.(*arrow.TimestampType); ts.Unit != arrow.Microsecond || ts.TimeZone != "UTC" {
					t.Errorf("%s.%s: timestamp %s, want us UTC", set.name, c.Name, ts)
				}
			case arrow.FLOAT64:
				if !strings.Contains(c.Doc, "DOUBLE because") {
					t.Errorf("%s.%s: DOUBLE column does not say why", set.name, c.Name)
				}
			}
		}
	}
}

func TestArrowType(t *testing.T) {
	tests := []struct {
		typ  string
		want arrow.DataType // nil: error
	}{
		{"STRING (dictionary)", str},
		{"STRING", str},
		{"INT32", i32},
		{"INT64", i64},
		{"DOUBLE", f64},
		{"DATE", date},
		{"TIMESTAMP(us, UTC)", tsUTC},
		{"LIST<STRING>", arrow.ListOfNonNullable(str)},
		{"DECIMAL(38,9)", &arrow.Decimal128Type{Precision: 38, Scale: 9}},
		{"DECIMAL(18,3)", &arrow.Decimal128Type{Precision: 18, Scale: 3}},
		{"DECIMAL(39,2)", nil},
		{"DECIMAL(5,6)", nil},
		{"DECIMAL(38)", nil},
		{"UINT64", nil},
		{"string", nil},
	}
	for _, tt := range tests {
		got, err := load.ArrowType(tt.typ)
		switch {
		case tt.want == nil && err == nil:
			t.Errorf("ArrowType(%q) = %s, want error", tt.typ, got)
		case tt.want != nil && err != nil:
			t.Errorf("ArrowType(%q): %v", tt.typ, err)
		case tt.want != nil && !arrow.TypeEqual(got, tt.want):
			t.Errorf("ArrowType(%q) = %s, want %s", tt.typ, got, tt.want)
		}
	}
}

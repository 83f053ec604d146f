package validate

import (
	"reflect"
	"slices"
	"strconv"

	"github.com/tradeetl/tradeetl/schemas"
)

// field is a field of schemas.Observation as rules name it: by its expr tag.
type field struct {
	name  string
	index int
	kind  reflect.Kind
	slot  int // position in a lookup key, or -1 for fields that are not key fields
	// interned is the position of the field among the interned strings of
	// an observation (scope and key slots), or -1.
	interned int
	// The field's value, read without reflection (set for kinds String,
	// Int and Bool): match entries, where conditions and $references read
	// every observation.
	str     func(*schemas.Observation) string
	integer func(*schemas.Observation) int64
	boolean func(*schemas.Observation) bool
}

// getters read the fields of an observation that rules may name. A field
// missing here is read by reflection (TestFieldGetters checks that both
// agree).
var getters = map[string]any{
	"file":            func(o *schemas.Observation) string { return o.File },
	"file_sha256":     func(o *schemas.Observation) string { return o.FileSHA256 },
	"sheet":           func(o *schemas.Observation) string { return o.Sheet },
	"cell":            func(o *schemas.Observation) string { return o.Cell },
	"table":           func(o *schemas.Observation) string { return o.Table },
	"label":           func(o *schemas.Observation) string { return o.Label },
	"reporter":        func(o *schemas.Observation) string { return o.Reporter },
	"reporter_parent": func(o *schemas.Observation) string { return o.ReporterParent },
	"partner":         func(o *schemas.Observation) string { return o.Partner },
	"flow":            func(o *schemas.Observation) string { return o.Flow },
	"product":         func(o *schemas.Observation) string { return o.Product },
	"product_code":    func(o *schemas.Observation) string { return o.ProductCode },
	"measure":         func(o *schemas.Observation) string { return o.Measure },
	"period":          func(o *schemas.Observation) string { return o.Period },
	"period_type":     func(o *schemas.Observation) string { return o.PeriodType },
	"base_period":     func(o *schemas.Observation) string { return o.BasePeriod },
	"missing":         func(o *schemas.Observation) string { return o.Missing },
	"text":            func(o *schemas.Observation) string { return o.Text },
	"unit":            func(o *schemas.Observation) string { return o.Unit },
	"currency":        func(o *schemas.Observation) string { return o.Currency },
	"year":            func(o *schemas.Observation) int64 { return int64(o.Year) },
	"decimals":        func(o *schemas.Observation) int64 { return int64(o.Decimals) },
	"has_value":       func(o *schemas.Observation) bool { return o.HasValue },
	"has_value_eur":   func(o *schemas.Observation) bool { return o.HasValueEUR },
}

// attachGetter sets the reader of f's value.
func (f *field) attachGetter() {
	idx := f.index
	switch f.kind {
	case reflect.String:
		if g, ok := getters[f.name].(func(*schemas.Observation) string); ok {
			f.str = g
		} else {
			f.str = func(o *schemas.Observation) string { return reflect.ValueOf(o).Elem().Field(idx).String() }
		}
	case reflect.Int:
		if g, ok := getters[f.name].(func(*schemas.Observation) int64); ok {
			f.integer = g
		} else {
			f.integer = func(o *schemas.Observation) int64 { return reflect.ValueOf(o).Elem().Field(idx).Int() }
		}
	case reflect.Bool:
		if g, ok := getters[f.name].(func(*schemas.Observation) bool); ok {
			f.boolean = g
		} else {
			f.boolean = func(o *schemas.Observation) bool { return reflect.ValueOf(o).Elem().Field(idx).Bool() }
		}
	}
}

// keyFields are the fields a `with` entry may change; with the scope they
// make the lookup key of an observation. The currency is a key field so
// that figures of different currencies are never operands of one another
// unless a rule asks for it ({currency: EUR}); its slot holds the
// currency a figure is compared in (checker.currencyOf), not always the
// observation's Currency field as written.
var keyFields = []string{"reporter", "partner", "flow", "product", "measure", "period", "currency"}

// Lookup key slots: scope (file, sheet, table) then the key fields, the
// currency last (a record keeps it in its context, not in rec.key).
const (
	slotFile = iota
	slotSheet
	slotTable
	slotFirstKey
	slotCurrency = slotFirstKey + 6
	nSlots       = slotFirstKey + 7
)

var (
	obsFields   []*field
	fieldByName = map[string]*field{}
	// matchable lists the fields match and $references may use: strings,
	// integers and booleans, compared by their text.
	matchable []string
)

func init() {
	t := reflect.TypeFor[schemas.Observation]()
	for i := range t.NumField() {
		sf := t.Field(i)
		name := sf.Tag.Get("expr")
		if name == "" || !sf.IsExported() {
			continue
		}
		f := &field{name: name, index: i, kind: sf.Type.Kind(), slot: -1, interned: -1}
		f.attachGetter()
		if k := slices.Index(keyFields, name); k >= 0 {
			f.slot = slotFirstKey + k
			f.interned = f.slot
		}
		switch name {
		case "file":
			f.interned = slotFile
		case "sheet":
			f.interned = slotSheet
		case "table":
			f.interned = slotTable
		}
		obsFields = append(obsFields, f)
		fieldByName[name] = f
		if f.textual() {
			matchable = append(matchable, name)
		}
	}
	if len(keyFields) != nSlots-slotFirstKey || keyFields[slotCurrency-slotFirstKey] != "currency" {
		panic("validate: keyFields and the key slots disagree")
	}
	for _, k := range keyFields {
		if f := fieldByName[k]; f == nil || f.kind != reflect.String {
			panic("validate: schemas.Observation has no string field with expr tag " + k)
		}
	}
}

func (f *field) textual() bool {
	switch f.kind {
	case reflect.String, reflect.Int, reflect.Bool:
		return true
	}
	return false
}

// text returns the field's value as rules compare it: strings as they are,
// integers by their decimal text, booleans as true or false.
func (f *field) text(o *schemas.Observation) string {
	switch f.kind {
	case reflect.String:
		return f.str(o)
	case reflect.Int:
		return strconv.FormatInt(f.integer(o), 10)
	case reflect.Bool:
		return strconv.FormatBool(f.boolean(o))
	}
	return ""
}

package batchref

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
}

// keyFields are the fields a `with` entry may change; with the scope they
// make the lookup key of an observation.
var keyFields = []string{"reporter", "partner", "flow", "product", "measure", "period"}

// Lookup key slots: scope (file, sheet, table) then the key fields.
const (
	slotFile = iota
	slotSheet
	slotTable
	slotFirstKey
	nSlots = slotFirstKey + 6
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
	v := reflect.ValueOf(o).Elem().Field(f.index)
	switch f.kind {
	case reflect.String:
		return v.String()
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return ""
}

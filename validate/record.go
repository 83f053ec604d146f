package validate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/tradeetl/tradeetl/schemas"
)

// RecordChecker checks one observation against the validate tags of
// schemas.Observation (validator/v10, one instance built with
// validator.WithRequiredStructEnabled(), field names reported by their
// `expr` tag names). It is safe for concurrent use.
type RecordChecker struct {
	v      *validator.Validate
	fields []recordField // the fields with validate tags, in struct order
}

// NewRecordChecker builds the validator. Build one and share it: the
// validator caches what it learns about the struct.
func NewRecordChecker() *RecordChecker {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name := f.Tag.Get("expr"); name != "" {
			return name
		}
		return f.Name
	})
	return &RecordChecker{v: v, fields: recordFields()}
}

// Check returns one finding per violated tag: Rule "record", Severity
// error, File and Sheet from the observation, Cells the observation's cell,
// and a message naming the cell, the field and the value, such as
// `cell B7: year 1700 is out of range (gte=1800)`.
func (rc *RecordChecker) Check(o *schemas.Observation) []schemas.Finding {
	err := rc.v.Struct(o)
	if err == nil {
		return nil
	}
	var cells []string
	where := "observation without a cell"
	if o.Cell != "" {
		cells = []string{o.Cell}
		where = "cell " + o.Cell
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		// Only a nil or non-struct argument gets here.
		return []schemas.Finding{{
			Rule: schemas.RuleRecord, Severity: schemas.SeverityError, File: o.File, Sheet: o.Sheet,
			Cells: cells, Message: where + ": " + err.Error(),
		}}
	}
	out := make([]schemas.Finding, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, schemas.Finding{
			Rule:     schemas.RuleRecord,
			Severity: schemas.SeverityError,
			File:     o.File,
			Sheet:    o.Sheet,
			Cells:    cells,
			Message:  where + ": " + describeFieldError(fe.Field(), fe),
		})
	}
	return out
}

// describeFieldError turns one violated tag of field name into words.
func describeFieldError(name string, fe validator.FieldError) string {
	tag := fe.Tag()
	if fe.Param() != "" && !strings.Contains(tag, "=") {
		tag += "=" + fe.Param()
	}
	val := fe.Value()
	shown := fmt.Sprint(val)
	if s, ok := val.(string); ok {
		shown = fmt.Sprintf("%q", s)
	}
	if strings.HasPrefix(fe.Tag(), "iso4217") {
		return fmt.Sprintf("%s %s is not an ISO 4217 currency code (%s)", name, shown, tag)
	}
	switch fe.Tag() {
	case "required":
		return fmt.Sprintf("%s is missing (%s)", name, tag)
	case "required_if":
		cond := strings.Fields(fe.Param())
		if len(cond) == 2 {
			return fmt.Sprintf("%s is missing; it is required when %s is %s (%s)", name, fieldTagName(cond[0]), cond[1], tag)
		}
		return fmt.Sprintf("%s is missing (%s)", name, tag)
	case "oneof":
		return fmt.Sprintf("%s %s is not one of %s (%s)", name, shown, strings.Join(strings.Fields(fe.Param()), ", "), tag)
	case "gte", "lte", "gt", "lt", "min", "max":
		return fmt.Sprintf("%s %s is out of range (%s)", name, shown, tag)
	case "len":
		return fmt.Sprintf("%s %s has the wrong length (%s)", name, shown, tag)
	}
	return fmt.Sprintf("%s %s is not valid (%s)", name, shown, tag)
}

// fieldTagName maps a Go field name of schemas.Observation, as used in the
// params of tags such as required_if, to its expr name.
func fieldTagName(goName string) string {
	if sf, ok := reflect.TypeFor[schemas.Observation]().FieldByName(goName); ok {
		if n := sf.Tag.Get("expr"); n != "" {
			return n
		}
	}
	return goName
}

// recordField is a field of schemas.Observation with validate tags.
type recordField struct {
	index int    // in the struct
	name  string // Go name, for StructPartial
	expr  string // name in messages
	tag   string
	// cross: the tags read other fields (required_if=Measure growth): the
	// field is checked with StructPartial and its verdict depends on the
	// values of deps too
	cross bool
	deps  []int
	// requiredOnly: the tag is "required" alone, which every non-zero
	// value passes, so that a set field (a cell, which differs from one
	// observation to the next) needs no call to validator
	requiredOnly bool
}

func recordFields() []recordField {
	t := reflect.TypeFor[schemas.Observation]()
	var out []recordField
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("validate")
		if tag == "" || tag == "-" {
			continue
		}
		f := recordField{index: i, name: sf.Name, expr: sf.Name, tag: tag, requiredOnly: tag == "required"}
		if e := sf.Tag.Get("expr"); e != "" {
			f.expr = e
		}
		for _, part := range strings.Split(tag, ",") {
			name, param, _ := strings.Cut(part, "=")
			words := strings.Fields(param)
			switch {
			case strings.HasSuffix(name, "field"): // eqfield=Other...
			case strings.HasSuffix(name, "_if"), strings.HasSuffix(name, "_unless"): // Field value pairs
				for k := 0; k < len(words); k += 2 {
					words[k/2] = words[k]
				}
				words = words[:(len(words)+1)/2]
			case strings.Contains(name, "_with"): // required_with(out)(_all)=A B
			default:
				continue
			}
			f.cross = true
			for _, w := range words {
				if d, ok := t.FieldByName(w); ok && len(d.Index) == 1 {
					f.deps = append(f.deps, d.Index[0])
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// memoKey is the value of a field (and of the fields its tags read) for
// which its verdict was recorded.
type memoKey struct {
	s   string
	n   int64
	f   float64
	dep string
}

func keyOf(v reflect.Value) (memoKey, bool) {
	switch v.Kind() {
	case reflect.String:
		return memoKey{s: v.String()}, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return memoKey{n: v.Int()}, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return memoKey{n: int64(v.Uint()), s: "u"}, true
	case reflect.Float32, reflect.Float64:
		return memoKey{f: v.Float()}, true
	case reflect.Bool:
		if v.Bool() {
			return memoKey{n: 1}, true
		}
		return memoKey{}, true
	}
	return memoKey{}, false
}

// memoLimit bounds the verdicts remembered per field and batch.
const memoLimit = 4096

// CheckBatch checks every observation of obs, as Check does each — the
// same findings, in the same order — but several times faster on the
// observations of a table, whose fields repeat the same few values:
// validator checks each field on its own (Var with the field's tags, or
// StructPartial for tags that read other fields, such as required_if),
// once per distinct value in the batch, and the verdict is reused for the
// other observations with that value. The validate tags of
// schemas.Observation are all functions of the field's value (and of the
// fields they name), so the verdict of a value is the verdict of every
// observation holding it. A field whose values mostly differ (the cell) is
// checked observation by observation.
func (rc *RecordChecker) CheckBatch(obs []schemas.Observation) []schemas.Finding {
	var out []schemas.Finding
	type fieldMemo struct {
		verdicts map[memoKey][]string
		last     memoKey // the previous observation's value, and its verdict
		lastOK   bool
		lastV    []string
		misses   int
		off      bool // most values differ: no memo
	}
	memo := make([]fieldMemo, len(rc.fields))
	for i := range memo {
		memo[i].verdicts = map[memoKey][]string{}
	}
	var msgs []string
	for i := range obs {
		o := &obs[i]
		rv := reflect.ValueOf(o).Elem()
		msgs = msgs[:0]
		for k := range rc.fields {
			f, m := &rc.fields[k], &memo[k]
			fv := rv.Field(f.index)
			if f.requiredOnly && !fv.IsZero() {
				continue
			}
			key, ok := keyOf(fv)
			if ok && f.cross {
				key.dep = depKey(rv, f.deps)
			}
			var verdict []string
			switch hit := false; {
			case ok && m.lastOK && key == m.last: // mostly a run of one value
				verdict = m.lastV
			case ok && !m.off:
				if verdict, hit = m.verdicts[key]; !hit {
					verdict = rc.checkField(o, f, fv)
					if len(m.verdicts) < memoLimit {
						m.verdicts[key] = verdict
					}
					m.misses++
					m.off = m.misses > 64 && 2*m.misses > i
				}
				m.last, m.lastOK, m.lastV = key, true, verdict
			default:
				verdict = rc.checkField(o, f, fv)
			}
			msgs = append(msgs, verdict...)
		}
		if len(msgs) == 0 {
			continue
		}
		var cells []string
		where := "observation without a cell"
		if o.Cell != "" {
			cells = []string{o.Cell}
			where = "cell " + o.Cell
		}
		for _, m := range msgs {
			out = append(out, schemas.Finding{Rule: schemas.RuleRecord, Severity: schemas.SeverityError, File: o.File, Sheet: o.Sheet, Cells: cells, Message: where + ": " + m})
		}
	}
	return out
}

// depKey is the values of the fields a cross-field tag reads.
func depKey(rv reflect.Value, deps []int) string {
	if len(deps) == 1 && rv.Field(deps[0]).Kind() == reflect.String {
		return rv.Field(deps[0]).String()
	}
	parts := make([]string, len(deps))
	for j, d := range deps {
		parts[j] = fmt.Sprint(rv.Field(d).Interface())
	}
	return strings.Join(parts, "\x00")
}

// checkField runs validator over one field of o and describes each
// violated tag.
func (rc *RecordChecker) checkField(o *schemas.Observation, f *recordField, fv reflect.Value) []string {
	var err error
	if f.cross {
		err = rc.v.StructPartial(o, f.name)
	} else {
		err = rc.v.Var(fv.Interface(), f.tag)
	}
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return []string{err.Error()}
	}
	out := make([]string, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, describeFieldError(f.expr, fe))
	}
	return out
}

package validate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/tradeetl/tradeetl/schemas"
)

// RuleRecord is the rule id of findings from the record rules.
const RuleRecord = "record"

// RecordChecker checks one observation against the validate tags of
// schemas.Observation (validator/v10, one instance built with
// validator.WithRequiredStructEnabled(), field names reported by their
// `expr` tag names). It is safe for concurrent use.
type RecordChecker struct {
	v *validator.Validate
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
	return &RecordChecker{v: v}
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
			Rule: RuleRecord, Severity: schemas.SeverityError, File: o.File, Sheet: o.Sheet,
			Cells: cells, Message: where + ": " + err.Error(),
		}}
	}
	out := make([]schemas.Finding, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, schemas.Finding{
			Rule:     RuleRecord,
			Severity: schemas.SeverityError,
			File:     o.File,
			Sheet:    o.Sheet,
			Cells:    cells,
			Message:  where + ": " + describeFieldError(fe),
		})
	}
	return out
}

// describeFieldError turns one violated tag into words.
func describeFieldError(fe validator.FieldError) string {
	name := fe.Field()
	tag := fe.Tag()
	if fe.Param() != "" {
		tag += "=" + fe.Param()
	}
	val := fe.Value()
	shown := fmt.Sprint(val)
	if s, ok := val.(string); ok {
		shown = fmt.Sprintf("%q", s)
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

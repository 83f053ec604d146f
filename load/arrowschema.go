package load

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tradeetl/tradeetl/schemas"
)

// ArrowSchema returns the Arrow schema of a column list of package schemas
// (schemas.ObservationColumns, FindingColumns, RunColumns,
// RevisionColumns): one field per column, in order. It panics on a column
// type it does not know: the column lists are fixed and their test covers
// every type.
func ArrowSchema(cols []schemas.Column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		t, err := ArrowType(c.Type)
		if err != nil {
			panic(fmt.Sprintf("load: column %s: %v", c.Name, err))
		}
		fields[i] = arrow.Field{Name: c.Name, Type: t, Nullable: c.Nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// ArrowType returns the Arrow type of a column type of package schemas.
// Strings are plain arrow.BinaryTypes.String: dictionary encoding is a
// Parquet writer property, not an Arrow dictionary type.
func ArrowType(typ string) (arrow.DataType, error) {
	switch typ {
	case schemas.TypeDictString, schemas.TypePlainString:
		return arrow.BinaryTypes.String, nil
	case schemas.TypeInt32:
		return arrow.PrimitiveTypes.Int32, nil
	case schemas.TypeInt64:
		return arrow.PrimitiveTypes.Int64, nil
	case schemas.TypeDouble:
		return arrow.PrimitiveTypes.Float64, nil
	case schemas.TypeDate:
		return arrow.FixedWidthTypes.Date32, nil
	case schemas.TypeTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	case schemas.TypeStringList:
		return arrow.ListOfNonNullable(arrow.BinaryTypes.String), nil
	}
	if args, ok := strings.CutPrefix(typ, "DECIMAL("); ok {
		if args, ok = strings.CutSuffix(args, ")"); ok {
			ps, ss, _ := strings.Cut(args, ",")
			p, err1 := strconv.Atoi(ps)
			s, err2 := strconv.Atoi(ss)
			if err1 == nil && err2 == nil && p >= 1 && p <= 38 && s >= 0 && s <= p {
				return &arrow.Decimal128Type{Precision: int32(p), Scale: int32(s)}, nil
			}
		}
	}
	return nil, fmt.Errorf("unknown column type %q", typ)
}

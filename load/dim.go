package load

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/tradeetl/tradeetl/schemas"
)

// DimDir is the directory of the dimension tables, written with the
// current dataset for BI star schemas: dim/areas.parquet
// ([schemas.DimAreaColumns]) and dim/products.parquet
// ([schemas.DimProductColumns]).
const DimDir = "dim"

// DimAreasPath and DimProductsPath are the paths in OUT of the dimension
// tables.
func DimAreasPath() string    { return path.Join(DimDir, "areas.parquet") }
func DimProductsPath() string { return path.Join(DimDir, "products.parquet") }

// IsDimPath reports whether rel (in OUT) is a dimension table.
func IsDimPath(rel string) bool { return rel == DimAreasPath() || rel == DimProductsPath() }

// DimArea is a row of dim/areas.parquet. Names holds the name in each of
// [schemas.DimLangs], "" (null) when there is none.
type DimArea struct {
	Code, Name, Kind, Parent, Within, Country string
	M49, Alpha3                               string // "" is null
	Names                                     []string
}

// DimProduct is a row of dim/products.parquet.
type DimProduct struct {
	Class, Code, Label string
	Observations       int64
}

// DimData is what the dimension tables take from the data.
type DimData struct {
	// UnknownAreas are the reporter and partner names that have no code,
	// sorted.
	UnknownAreas []string
	// Products are the distinct classification, code and label, sorted.
	Products []DimProduct
}

// ScanDims reads the figures of the current dataset's files and returns
// their products and the areas they name without a code.
func ScanDims(files []string) (DimData, error) {
	type pk struct{ class, code, label string }
	prods := map[pk]int64{}
	unknown := map[string]bool{}
	for _, name := range files {
		err := readFigures(name, func(obs []schemas.Observation) error {
			for i := range obs {
				o := &obs[i]
				prods[pk{o.ProductClass, o.ProductCode, o.Product}]++
				if o.ReporterCode == "" && o.Reporter != "" {
					unknown[o.Reporter] = true
				}
				if o.PartnerCode == "" && o.Partner != "" {
					unknown[o.Partner] = true
				}
			}
			return nil
		})
		if err != nil {
			return DimData{}, err
		}
	}
	var d DimData
	for k, n := range prods {
		d.Products = append(d.Products, DimProduct{Class: k.class, Code: k.code, Label: k.label, Observations: n})
	}
	slices.SortFunc(d.Products, func(a, b DimProduct) int {
		return cmp.Or(strings.Compare(a.Class, b.Class), strings.Compare(a.Code, b.Code), strings.Compare(a.Label, b.Label))
	})
	for a := range unknown {
		d.UnknownAreas = append(d.UnknownAreas, a)
	}
	slices.Sort(d.UnknownAreas)
	return d, nil
}

// WriteDimAreas writes rows into path with the columns of
// [schemas.DimAreaColumns], verified and renamed into place when
// complete.
func WriteDimAreas(path string, rows []DimArea, meta Metadata, opts Options) (FileInfo, error) {
	type app = func(array.Builder, *DimArea)
	str := func(get func(*DimArea) string) app {
		return func(b array.Builder, r *DimArea) { b.(*array.StringBuilder).Append(schemas.ValidUTF8(get(r))) }
	}
	null := func(get func(*DimArea) string) app {
		return func(b array.Builder, r *DimArea) {
			if v := get(r); v != "" {
				b.(*array.StringBuilder).Append(schemas.ValidUTF8(v))
			} else {
				b.AppendNull()
			}
		}
	}
	byName := map[string]app{
		"code":         str(func(r *DimArea) string { return r.Code }),
		"name":         str(func(r *DimArea) string { return r.Name }),
		"kind":         str(func(r *DimArea) string { return r.Kind }),
		"parent_code":  str(func(r *DimArea) string { return r.Parent }),
		"within_code":  str(func(r *DimArea) string { return r.Within }),
		"country_code": str(func(r *DimArea) string { return r.Country }),
		"m49":          null(func(r *DimArea) string { return r.M49 }),
		"alpha3":       null(func(r *DimArea) string { return r.Alpha3 }),
	}
	for i, l := range schemas.DimLangs {
		byName["name_"+l] = null(func(r *DimArea) string {
			if i < len(r.Names) {
				return r.Names[i]
			}
			return ""
		})
	}
	return writeDim(path, schemas.DimAreaColumns, byName, rows, meta, opts)
}

// WriteDimProducts writes rows into path with the columns of
// [schemas.DimProductColumns].
func WriteDimProducts(path string, rows []DimProduct, meta Metadata, opts Options) (FileInfo, error) {
	type app = func(array.Builder, *DimProduct)
	str := func(get func(*DimProduct) string) app {
		return func(b array.Builder, r *DimProduct) { b.(*array.StringBuilder).Append(schemas.ValidUTF8(get(r))) }
	}
	byName := map[string]app{
		"product_classification": str(func(r *DimProduct) string { return r.Class }),
		"product_code":           str(func(r *DimProduct) string { return r.Code }),
		"product":                str(func(r *DimProduct) string { return r.Label }),
		"observations": func(b array.Builder, r *DimProduct) {
			b.(*array.Int64Builder).Append(r.Observations)
		},
	}
	return writeDim(path, schemas.DimProductColumns, byName, rows, meta, opts)
}

func writeDim[R any](path string, cols []schemas.Column, byName map[string]func(array.Builder, *R), rows []R, meta Metadata, opts Options) (FileInfo, error) {
	appends, err := appenders(cols, byName)
	if err != nil {
		return FileInfo{}, err
	}
	w, err := newTableWriter(path, cols, meta, opts)
	if err != nil {
		return FileInfo{}, err
	}
	defer w.abort()
	for i := range rows {
		for j, app := range appends {
			app(w.rb.Field(j), &rows[i])
		}
		if err := w.added(1); err != nil {
			return FileInfo{}, err
		}
	}
	n, err := w.commit()
	if err != nil {
		return FileInfo{}, err
	}
	size, sum := w.written()
	return FileInfo{Rows: n, Bytes: size, SHA256: sum}, nil
}

// ReadDimAreas reads back a file written by [WriteDimAreas].
func ReadDimAreas(path string) ([]DimArea, error) {
	var out []DimArea
	err := readFile(path, schemas.DimAreaColumns, func(rec arrow.RecordBatch) error {
		cols := map[string]arrow.Array{}
		for i, c := range schemas.DimAreaColumns {
			cols[c.Name] = rec.Column(i)
		}
		opt := func(name string, i int) string {
			if a := cols[name]; !a.IsNull(i) {
				return str(a, i)
			}
			return ""
		}
		for i := range int(rec.NumRows()) {
			r := DimArea{Code: str(cols["code"], i), Name: str(cols["name"], i), Kind: str(cols["kind"], i),
				Parent: str(cols["parent_code"], i), Within: str(cols["within_code"], i), Country: str(cols["country_code"], i),
				M49: opt("m49", i), Alpha3: opt("alpha3", i)}
			for _, l := range schemas.DimLangs {
				r.Names = append(r.Names, opt("name_"+l, i))
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// ReadDimProducts reads back a file written by [WriteDimProducts].
func ReadDimProducts(path string) ([]DimProduct, error) {
	var out []DimProduct
	err := readFile(path, schemas.DimProductColumns, func(rec arrow.RecordBatch) error {
		for i := range int(rec.NumRows()) {
			out = append(out, DimProduct{Class: str(rec.Column(0), i), Code: str(rec.Column(1), i), Label: str(rec.Column(2), i),
				Observations: rec.Column(3).(*array.Int64).Value(i)})
		}
		return nil
	})
	return out, err
}

package load_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// The dimension tables read back as written; empty codes and names are
// nulls in m49, alpha3 and name_LANG.
func TestDimTablesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	names := make([]string, len(schemas.DimLangs))
	names[0] = "Belgique"
	areas := []load.DimArea{
		{Code: "BE", Name: "Belgium", Kind: "country", Country: "BE", M49: "056", Alpha3: "BEL", Names: names},
		{Code: "BE-VLG", Name: "Flanders", Kind: "subdivision", Parent: "BE", Country: "BE", Names: make([]string, len(schemas.DimLangs))},
		{Name: "Atlantis", Kind: "unknown", Names: make([]string, len(schemas.DimLangs))},
	}
	name := filepath.Join(dir, "areas.parquet")
	info, err := load.WriteDimAreas(name, areas, load.Metadata{RunID: "r1"}, load.Options{})
	if err != nil || info.Rows != 3 || info.SHA256 == "" {
		t.Fatalf("WriteDimAreas: %+v, %v", info, err)
	}
	got, err := load.ReadDimAreas(name)
	if err != nil || !reflect.DeepEqual(got, areas) {
		t.Errorf("ReadDimAreas: %+v, %v\nwant %+v", got, err, areas)
	}
	prods := []load.DimProduct{{Class: "HS", Code: "85", Label: "Electrical machinery", Observations: 4}, {Label: "Total", Observations: 30}}
	name = filepath.Join(dir, "products.parquet")
	if info, err := load.WriteDimProducts(name, prods, load.Metadata{RunID: "r1"}, load.Options{}); err != nil || info.Rows != 2 {
		t.Fatalf("WriteDimProducts: %+v, %v", info, err)
	}
	gotP, err := load.ReadDimProducts(name)
	if err != nil || !reflect.DeepEqual(gotP, prods) {
		t.Errorf("ReadDimProducts: %+v, %v", gotP, err)
	}
}

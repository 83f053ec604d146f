package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tradeetl/tradeetl/load"
	"github.com/tradeetl/tradeetl/schemas"
)

// Every run publishes dim/areas.parquet and dim/products.parquet, listed
// in manifest.json: every area of the list with its names, the areas of
// the data without a code, and the products of current/. A rerun that
// changes nothing keeps them.
func TestDimensionTables(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, fixture("newsletter-2013.xlsx"), filepath.Join(in, "newsletter-2013.xlsx"))
	copyFile(t, fixture("products-2013.xlsx"), filepath.Join(in, "products-2013.xlsx"))
	out := filepath.Join(t.TempDir(), "out")
	cfg := Config{Inputs: []string{in}, OutDir: out}
	run(t, cfg)
	checkManifest(t, out)

	man, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]load.FileInfo{}
	for _, f := range man.Files {
		listed[f.Path] = f
	}
	for _, p := range []string{load.DimAreasPath(), load.DimProductsPath()} {
		if f, ok := listed[p]; !ok || f.Rows == 0 {
			t.Errorf("manifest.json lists %s: %v, %d rows", p, ok, f.Rows)
		}
	}

	areas, err := load.ReadDimAreas(filepath.Join(out, filepath.FromSlash(load.DimAreasPath())))
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]load.DimArea{}
	for _, a := range areas {
		if a.Code != "" {
			if _, dup := byCode[a.Code]; dup {
				t.Errorf("dim/areas: %s twice", a.Code)
			}
			byCode[a.Code] = a
		} else if a.Kind != "unknown" {
			t.Errorf("dim/areas: %q has no code and kind %s", a.Name, a.Kind)
		}
	}
	lang := func(l string) int {
		for i, x := range schemas.DimLangs {
			if x == l {
				return i
			}
		}
		t.Fatalf("no language %s", l)
		return -1
	}
	be := byCode["BE"]
	if be.Name != "Belgium" || be.Kind != "country" || be.M49 != "056" || be.Alpha3 != "BEL" || be.Names[lang("fr")] != "Belgique" || be.Names[lang("nl")] != "België" {
		t.Errorf("dim/areas BE = %+v", be)
	}
	if vlg := byCode["BE-VLG"]; vlg.Kind != "subdivision" || vlg.Parent != "BE" || vlg.Country != "BE" {
		t.Errorf("dim/areas BE-VLG = %+v", vlg)
	}
	if w := byCode["EU27_2020"]; w.Kind != "aggregate" {
		t.Errorf("dim/areas EU27_2020 = %+v", w)
	}
	// Every code of current/ is in dim/areas.
	cur := readCurrent(t, out)
	type pk struct{ class, code, label string }
	want := map[pk]int64{}
	for _, o := range cur {
		for _, c := range []string{o.ReporterCode, o.PartnerCode} {
			if _, ok := byCode[c]; c != "" && !ok {
				t.Errorf("dim/areas lacks %s of %s", c, o.Ref())
			}
		}
		want[pk{o.ProductClass, o.ProductCode, o.Product}]++
	}
	prods, err := load.ReadDimProducts(filepath.Join(out, filepath.FromSlash(load.DimProductsPath())))
	if err != nil {
		t.Fatal(err)
	}
	if len(prods) != len(want) || len(prods) < 2 {
		t.Errorf("dim/products: %d rows, current/ has %d products", len(prods), len(want))
	}
	for _, p := range prods {
		if n := want[pk{p.Class, p.Code, p.Label}]; n != p.Observations {
			t.Errorf("dim/products %+v: current/ has %d rows", p, n)
		}
	}

	// A rerun that changes nothing keeps the files as they are.
	run(t, cfg)
	checkManifest(t, out)
	man2, err := load.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range man2.Files {
		if load.IsDimPath(f.Path) && f.SHA256 != listed[f.Path].SHA256 {
			t.Errorf("rerun rewrote %s", f.Path)
		}
	}
}

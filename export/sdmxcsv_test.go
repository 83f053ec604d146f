package export

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// sample holds one observation of each kind the writer tells apart: a
// level in billions, a growth rate against a base period, a share, a
// quarter, a half year, a month, a cumulative period, an area without a
// code, a product with a code, a missing figure with and without a status
// mark, a figure of more digits than a float holds, a label that needs
// quoting, and a scale that is no power of ten.
func sample() []schemas.Observation {
	lvl := func(o schemas.Observation) schemas.Observation {
		if o.Measure == "" {
			o.Measure = "level"
		}
		if o.Unit == "" {
			o.Unit = "EUR"
		}
		if o.Currency == "" {
			o.Currency = "EUR"
		}
		if o.Scale == 0 {
			o.Scale = 1e9
		}
		if o.Product == "" {
			o.Product = schemas.ProductTotal
		}
		return o
	}
	return []schemas.Observation{
		lvl(schemas.Observation{Reporter: "Flanders", ReporterCode: "BE-VLG", Partner: "China", PartnerCode: "CN", Flow: "exports",
			Period: "2013", PeriodType: "year", HasValue: true, Value: 6.8, Decimals: 2}),
		lvl(schemas.Observation{Reporter: "Flanders", ReporterCode: "BE-VLG", Partner: "China", PartnerCode: "CN", Flow: "exports",
			Period: "2013", PeriodType: "year", Measure: "growth", BasePeriod: "2012", Unit: schemas.UnitPercent, Scale: 1,
			HasValue: true, Value: -4.2, Decimals: 1, Status: "p"}),
		lvl(schemas.Observation{Reporter: "Flanders", ReporterCode: "BE-VLG", Partner: "China", PartnerCode: "CN", Flow: "imports",
			Period: "2013Q1", PeriodType: "quarter", Measure: "share", Unit: schemas.UnitPercent, Scale: 1, HasValue: true, Value: 12.5, Decimals: 1}),
		lvl(schemas.Observation{Reporter: "Belgium", ReporterCode: "BE", Partner: "World", PartnerCode: "W00", Flow: "deficit",
			Period: "2013S1", PeriodType: "half", HasValue: true, Value: 1.25, Decimals: 2}),
		lvl(schemas.Observation{Reporter: "Japan", ReporterCode: "JP", Partner: "Korea", PartnerCode: "KR", Flow: "exports",
			Period: "2024-03", PeriodType: "month", Unit: "JPY", Currency: "JPY", Scale: 1e8, HasValue: true, Value: 4321, Decimals: 0}),
		lvl(schemas.Observation{Reporter: "Belgium", ReporterCode: "BE", Partner: "EU", PartnerCode: "EU27_2020", Flow: "re_exports",
			Period: "2024-01/2024-06", PeriodType: "cumulative", Scale: 1e6, HasValue: true, Value: 512.3, Decimals: 1}),
		lvl(schemas.Observation{Reporter: "Atlantis, North", Partner: "China", PartnerCode: "CN", Flow: "imports",
			Period: "2013", PeriodType: "year", Product: `Machines "heavy"`, HasValue: true, Value: 0.5, Decimals: 1}),
		lvl(schemas.Observation{Reporter: "Belgium", ReporterCode: "BE", Partner: "China", PartnerCode: "CN", Flow: "exports",
			Period: "2013", PeriodType: "year", Product: "Live animals", ProductCode: "01", ProductClass: "HS", Scale: 1e3,
			HasValue: true, Value: 9007199254740993, Digits: "9007199254740993", Decimals: 0}),
		lvl(schemas.Observation{Reporter: "Belgium", ReporterCode: "BE", Partner: "China", PartnerCode: "CN", Flow: "exports",
			Period: "2012", PeriodType: "year", Missing: "n.a.", Decimals: 2}),
		lvl(schemas.Observation{Reporter: "Belgium", ReporterCode: "BE", Partner: "China", PartnerCode: "CN", Flow: "imports",
			Period: "2012", PeriodType: "year", Missing: ":", Status: "c", Decimals: 2}),
		lvl(schemas.Observation{Reporter: "Belgium", ReporterCode: "BE", Partner: "China", PartnerCode: "CN", Flow: "total",
			Period: "2012", PeriodType: "year", Scale: 2500, HasValue: true, Value: 4, Decimals: 0}),
	}
}

// TestSDMXCSVGolden writes the sample and compares it with
// testdata/sdmxcsv.golden (go test ./export -update rewrites it).
func TestSDMXCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	w := NewSDMXCSVWriter(&buf, "")
	if err := w.WriteHeader(); err != nil {
		t.Fatal(err)
	}
	obs := sample()
	if err := w.Write(obs[:4]); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(obs[4:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := w.Rows(), int64(len(obs)); got != want {
		t.Errorf("Rows() = %d, want %d", got, want)
	}
	golden := filepath.Join("testdata", "sdmxcsv.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("SDMX-CSV differs from %s (go test ./export -update rewrites it):\n got:\n%s\nwant:\n%s", golden, buf.Bytes(), want)
	}
}

// TestSDMXCSVStructureID: the dataflow given is on every row.
func TestSDMXCSVStructureID(t *testing.T) {
	var buf bytes.Buffer
	w := NewSDMXCSVWriter(&buf, "ESTAT:DS_TRADE(2.1)")
	if err := w.Write(sample()[:1]); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); !bytes.HasPrefix([]byte(got), []byte("dataflow,ESTAT:DS_TRADE(2.1),I,A,BE-VLG,")) {
		t.Errorf("row = %q", got)
	}
}

// TestExportNoCurrent: an output directory without current/ (or with an
// empty one) is ErrNoCurrent, and the destination is not created.
func TestExportNoCurrent(t *testing.T) {
	tmp := t.TempDir()
	dest := filepath.Join(tmp, "trade.csv")
	for _, out := range []string{filepath.Join(tmp, "missing"), tmp} {
		if _, err := ExportSDMXCSV(context.Background(), dest, out, ""); !errors.Is(err, ErrNoCurrent) {
			t.Errorf("%s: err = %v, want ErrNoCurrent", out, err)
		}
	}
	if err := os.Mkdir(filepath.Join(tmp, "current"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ExportSDMXCSV(context.Background(), dest, tmp, ""); !errors.Is(err, ErrNoCurrent) {
		t.Errorf("empty current/: err = %v, want ErrNoCurrent", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s: %v, want it absent", dest, err)
	}
}

// TestExportCancelled: a cancelled export leaves the file it would
// replace as it was, and no temporary file beside it.
func TestExportCancelled(t *testing.T) {
	tmp := t.TempDir()
	if err := os.MkdirAll(filepath.Join(tmp, "out", "current", "year=2013"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "out", "current", "year=2013", "observations.parquet"), []byte("not read"), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(tmp, "trade.csv")
	if err := os.WriteFile(dest, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ExportSDMXCSV(ctx, dest, filepath.Join(tmp, "out"), ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if b, err := os.ReadFile(dest); err != nil || string(b) != "old\n" {
		t.Errorf("%s = %q, %v; want it untouched", dest, b, err)
	}
	ents, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		t.Errorf("%s holds %d entries, want out and trade.csv only", tmp, len(ents))
	}
}

// TestUnitMult: powers of ten become UNIT_MULT; other scales are folded
// into the value.
func TestUnitMult(t *testing.T) {
	for _, c := range []struct {
		scale float64
		mult  int
		fold  float64
	}{{1, 0, 1}, {1e3, 3, 1}, {1e8, 8, 1}, {1e9, 9, 1}, {1e12, 12, 1}, {2500, 0, 2500}, {0, 0, 1}} {
		if m, f := unitMult(c.scale); m != c.mult || f != c.fold {
			t.Errorf("unitMult(%g) = %d, %g; want %d, %g", c.scale, m, f, c.mult, c.fold)
		}
	}
}

package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// odsXLSCorpus is calamine's test data (../shared/corpus/ods-xls from the
// repository's root): .ods and .xls files of every kind, some broken or
// hostile on purpose.
var odsXLSCorpus = filepath.Join("..", "..", "shared", "corpus", "ods-xls")

// TestODSXLSCorpus reads every .ods and .xls file of the corpus: each
// reads whole, or fails with an error of a known class naming the file,
// in bounded time and without panicking (a panic would be turned into
// ErrDamaged "the reader failed on it", which is refused here).
func TestODSXLSCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(odsXLSCorpus, "*.*"))
	var n int
	for _, f := range files {
		if ext := filepath.Ext(f); ext != ".ods" && ext != ".xls" {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			start := time.Now()
			rows, err := readAllLimits(t, f, Limits{MaxUnzipSize: 64 << 20, MaxCells: 5_000_000})
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			cells := 0
			for _, r := range rows {
				cells += len(r.Cells)
			}
			if err == nil {
				t.Logf("%d rows, %d cells", len(rows), cells)
				return
			}
			t.Logf("refused: %v", err)
			if !strings.Contains(err.Error(), f) {
				t.Errorf("error %q does not name the file", err)
			}
			if strings.Contains(err.Error(), "reader failed on it") {
				t.Errorf("the reader panicked: %v", err)
			}
			known := false
			for _, class := range []error{ErrDamaged, ErrNotWorkbook, ErrEncrypted, ErrLegacyXLS, ErrHostile, ErrTooLarge, ErrTooManyCells} {
				known = known || errors.Is(err, class)
			}
			if !known {
				t.Errorf("error of no known class: %v", err)
			}
		})
	}
	if n == 0 {
		if _, err := os.Stat(odsXLSCorpus); err != nil {
			t.Skipf("no corpus at %s: %v", odsXLSCorpus, err)
		}
		t.Fatal("no .ods or .xls file in the corpus")
	}
}

package xlsxscan

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestChunkBoundaries reads every workbook of the differential test again
// with tiny chunks inflated asynchronously, so that rows, cells, tags,
// entities and shared strings straddle chunk boundaries and the carried
// tail often exceeds the chunk's free prefix; the result must not change.
func TestChunkBoundaries(t *testing.T) {
	files, _ := diffFiles(t)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			want, werr := scanRead(path)
			tunings := []tuning{{chunk: 1021, prefix: 100, sync: 0}}
			if fi, err := os.Stat(path); err == nil && fi.Size() < 100<<10 {
				tunings = append(tunings, tuning{chunk: 13, prefix: 8, sync: 0, slow: true})
			}
			for _, tun := range tunings {
				got, gerr := scanReadTuned(path, tun)
				if (werr == nil) != (gerr == nil) {
					t.Fatalf("chunk %d: error %v, with default chunks %v", tun.chunk, gerr, werr)
				}
				if werr != nil {
					continue
				}
				if len(got.sheets) != len(want.sheets) {
					t.Fatalf("chunk %d: %d sheets, want %d", tun.chunk, len(got.sheets), len(want.sheets))
				}
				for i, ws := range want.sheets {
					gs := got.sheets[i]
					if fmt.Sprint(gs.err) != fmt.Sprint(ws.err) {
						t.Errorf("chunk %d, sheet %q: error %v, want %v", tun.chunk, ws.Name, gs.err, ws.err)
					}
					for _, m := range diffRows(gs.rows, ws.rows, 5) {
						t.Errorf("chunk %d, sheet %q: %s", tun.chunk, ws.Name, m.line)
					}
				}
			}
		})
	}
}

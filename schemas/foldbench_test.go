package schemas

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// BenchmarkFoldNames folds the names of vocab/areas.tsv, as the first
// DefaultAreas call does.
func BenchmarkFoldNames(b *testing.B) {
	f, err := os.Open("../vocab/areas.tsv")
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "\t") {
			if p := strings.Split(l, "\t"); len(p) == 4 {
				names = append(names, p[3])
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, n := range names {
			Fold(n)
		}
	}
}

package schemas

import (
	"slices"
	"strings"
	"testing"
)

// Fold's shortcut for ASCII labels gives what the general way gives, and
// foldKey joins Fold's words.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Vlaamse uitvoer (in %)", "d'euros", "qu'il", "People's Republic", "EUR  million", "Région flamande", "a'b'c", "x'", "'", "%%", "2013Q1", "\t\x00A-B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := foldUnicode(s)
		if got := Fold(s); !slices.Equal(got, want) {
			t.Fatalf("Fold(%q) = %q, want %q", s, got, want)
		}
		if got := string(foldKey(nil, s)); got != strings.Join(want, " ") {
			t.Fatalf("foldKey(%q) = %q, want %q", s, got, strings.Join(want, " "))
		}
	})
}

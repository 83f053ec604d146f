package schemas

import (
	"strings"
	"testing"
)

// FuzzValidUTF8Writer: whatever the bytes and however they are cut into
// writes, the writer's output is ValidUTF8 of them all.
func FuzzValidUTF8Writer(f *testing.F) {
	f.Add([]byte("Trade \xc3( China — €"), uint8(3))
	f.Add([]byte("\xe2\x82"), uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, step uint8) {
		var out strings.Builder
		w := &ValidUTF8Writer{W: &out}
		n := int(step%7) + 1
		for i := 0; i < len(b); i += n {
			if _, err := w.Write(b[i:min(i+n, len(b))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := ValidUTF8(string(b)); out.String() != want {
			t.Fatalf("%q in writes of %d: %q, want %q", b, n, out.String(), want)
		}
	})
}

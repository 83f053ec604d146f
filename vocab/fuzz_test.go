package vocab

import (
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// Find and Exact never panic, and their spans lie inside the words of
// schemas.Fold(text), in order and without overlap.
func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Exports of the U.S. to Land Oberösterreich", "Korea, Rep.", "FR:France", "Limburg (BE)", "U.S.A.",
		"l'Italia", "people's", "Flanders' exports", "A.B", "€m", "NZ$(million)", "Ǆ'a ß ﬁ", "\u0301x", "İstanbul",
		"M,EXP,EXT_EU27_2020,MIO_EUR,SE", "województwa śląskiego", "¥100", "$ US", "''", "a'", "Σ.Τ.",
		"対中国輸出", "中国'", "ｶﾞｽ", "ส่งออกไปจีน", "Çin'e", "ABD'ye", "للـصين", "２０２３年", "％",
	} {
		f.Add(s)
	}
	a := DefaultAreas()
	c := DefaultCurrencies()
	f.Fuzz(func(t *testing.T, text string) {
		n := len(schemas.Fold(text))
		prev := 0
		for _, m := range a.Find(text, Context{}) {
			if m.Start < prev || m.Start >= m.End || m.End > n {
				t.Fatalf("%q: span %d-%d (previous end %d) outside %d words", text, m.Start, m.End, prev, n)
			}
			if m.Area == nil || len(m.Candidates) == 0 || m.Candidates[0] != m.Area {
				t.Fatalf("%q: bad match %+v", text, m)
			}
			prev = m.End
		}
		for _, ctx := range []Context{{}, {Country: "BE", Langs: []string{"nl"}}} {
			if m, ok := a.Exact(text, ctx); ok {
				if m.Start < 0 || m.Start > m.End || m.End > n || m.Area == nil {
					t.Fatalf("%q: exact %+v outside %d words", text, m, n)
				}
			}
		}
		for _, m := range c.Find(text, Context{Country: "CH"}) {
			if m.Currency == nil || len(m.Candidates) == 0 {
				t.Fatalf("%q: bad currency match %+v", text, m)
			}
		}
		MonthWord(text)
		QuarterWord(text)
	})
}

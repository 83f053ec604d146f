package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/tradeetl/tradeetl/schemas"
)

type calWord struct {
	kind   string // M or Q
	n      int
	key    string
	text   string
	locs   []string
	others map[int]bool // other numbers the same word means
	later  []string     // later locales (localLangs) where it means another number
}

// calendar collects month and quarter names (wide and abbreviated, format
// and stand-alone) of the Gregorian calendar. A word that names two
// different months (or quarters) in two locales is dropped and logged.
func (g *gen) calendar() ([]byte, error) {
	g.srcs = &sources{}
	words := map[string]*calWord{} // kind + key
	var order []*calWord
	for _, loc := range allLocales() {
		l, err := g.readLDML(filepath.Join(g.cldrDir, "main", cldrLocale(loc)+".xml"), false)
		if err != nil {
			return nil, err
		}
		for _, cal := range l.Calendars {
			if cal.Type != "gregorian" {
				continue
			}
			for _, kc := range []struct {
				kind     string
				contexts []ldmlContext
			}{{"M", cal.Months}, {"Q", cal.Quarters}} {
				kind, contexts := kc.kind, kc.contexts
				for _, ctx := range contexts {
					for _, w := range ctx.Widths {
						if w.Type != "wide" && w.Type != "abbreviated" {
							continue
						}
						for _, it := range w.Items {
							if !it.ok() {
								continue
							}
							n, err := strconv.Atoi(it.Type)
							if err != nil {
								continue
							}
							folded := schemas.Fold(it.Text)
							if len(folded) == 0 {
								continue
							}
							if kind == "M" && len(folded) != 1 && !splitScript(folded) {
								g.logf("calendar: %s month %d %q is not one word; left out", loc, n, it.Text)
								continue
							}
							if _, err := strconv.Atoi(strings.Join(folded, "")); err == nil {
								continue // a bare number ("1") says nothing
							}
							key := kind + " " + strings.Join(folded, " ")
							cw, ok := words[key]
							if !ok {
								cw = &calWord{kind: kind, n: n, key: key, text: strings.TrimSpace(it.Text), others: map[int]bool{}}
								words[key] = cw
								order = append(order, cw)
							}
							if cw.n != n {
								if firstWins(cw.locs, loc) {
									if !contains(cw.later, loc) {
										cw.later = append(cw.later, loc)
									}
									continue
								}
								cw.others[n] = true
							}
							if !contains(cw.locs, loc) {
								cw.locs = append(cw.locs, loc)
							}
						}
					}
				}
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].kind != order[j].kind {
			return order[i].kind < order[j].kind
		}
		return order[i].n < order[j].n
	})
	var b bytes.Buffer
	g.header(&b, "tradeetl vocab: calendar words (CLDR Gregorian month and quarter names)", g.srcs, []string{
		"format: kind (M month, Q quarter), number, locales (comma-separated), text as CLDR writes it.",
		"Wide and abbreviated names, format and stand-alone forms; narrow names are left out (one letter).",
		"A month is one word, or several in a script written without spaces (\"1月\", \"1월\").",
		"A word that names different months (or quarters) in two locales is left out; the generator logs it. Where it is",
		"a word of the first thirteen languages, their meaning is kept (Polish and Czech \"listopad\" is November, not",
		"Croatian October).",
	})
	kept := 0
	for _, w := range order {
		if len(w.others) > 0 {
			var o []string
			for n := range w.others {
				o = append(o, strconv.Itoa(n))
			}
			sort.Strings(o)
			g.logf("calendar: %q means %s %d and %s in different locales (%s); left out", w.text, w.kind, w.n, strings.Join(o, ", "), langList(w.locs))
			continue
		}
		if len(w.later) > 0 {
			g.logf("calendar: %q is %s %d in %s; its other meaning in %s is left out", w.text, w.kind, w.n, langList(w.locs), strings.Join(w.later, ","))
		}
		if err := writeLine(&b, w.kind, strconv.Itoa(w.n), langList(w.locs), w.text); err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		kept++
	}
	g.logf("calendar: %d words", kept)
	return b.Bytes(), nil
}

// splitScript reports whether folded words hold a character of a script
// written without spaces ("1月", "1월", "ม.ค."): there a month name is
// several words by nature.
func splitScript(words []string) bool {
	for _, w := range words {
		for _, r := range w {
			if schemas.SplitRune(r) {
				return true
			}
		}
	}
	return false
}

// firstWins reports whether a word already read in locs keeps its meaning
// against a locale of a language added later (localLangs): the tables of
// the first languages were read that way before those were added.
func firstWins(locs []string, later string) bool {
	base, _, _ := strings.Cut(later, "_")
	if !contains(localLangs, later) && !contains(localLangs, base) {
		return false
	}
	for _, l := range locs {
		b, _, _ := strings.Cut(l, "_")
		if contains(wideLangs, b) {
			return true
		}
	}
	return false
}

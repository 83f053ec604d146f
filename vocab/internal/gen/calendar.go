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
							if kind == "M" && len(folded) != 1 {
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
		"A word that names different months (or quarters) in two locales is left out; the generator logs it.",
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
		if err := writeLine(&b, w.kind, strconv.Itoa(w.n), langList(w.locs), w.text); err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		kept++
	}
	g.logf("calendar: %d words", kept)
	return b.Bytes(), nil
}

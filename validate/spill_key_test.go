package validate

import (
	"errors"
	"slices"
	"testing"
)

// The partition key is what every figure a check connects shares: the
// key fields no with entry sets and no "*" sums, without the period under
// the audit, and the scope's fields.
func TestPartKeyOf(t *testing.T) {
	rs := mustDefault(t)
	slot := func(name string) int { return fieldByName[name].slot }
	byID := func(ids ...string) []bool {
		use := make([]bool, len(rs.Rules))
		for ri, r := range rs.Rules {
			use[ri] = slices.Contains(ids, r.ID)
		}
		return use
	}
	tests := []struct {
		name  string
		use   []bool
		audit bool
		scope int
		slots []string
	}{
		{"every rule, audit", nil, true, scopeFile, []string{"partner", "currency"}},
		{"every rule", nil, false, scopeFile, []string{"partner", "currency"}},
		{"sums and regions of a long table, audit", byID("sum_of_parts", "part_le_whole", "non_negative"), true, scopeFile,
			[]string{"partner", "flow", "measure", "currency"}},
		{"sums alone", byID("sum_of_parts"), false, scopeTable,
			[]string{"reporter", "partner", "flow", "measure", "period", "currency"}},
		{"no rule with operands, audit", byID("non_negative", "share_range"), true, scopeTable,
			[]string{"reporter", "partner", "flow", "product", "measure", "currency"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pk := partKeyOf(rs, tt.use, tt.audit)
			var want []int
			for _, n := range tt.slots {
				want = append(want, slot(n))
			}
			if pk.scope != tt.scope || !slices.Equal(pk.slots, want) {
				t.Errorf("key %+v, want scope %d slots %v", pk, tt.scope, want)
			}
		})
	}
	run := mustLoad(t, `
version: 1
rules:
  - id: anything
    scope: run
    match: {measure: level}
    with:
      other: {reporter: $partner, partner: $reporter, flow: total, product: "*", measure: share, period: $base_period}
    check: value <= other
`)
	if pk := partKeyOf(run, nil, true); !pk.empty() {
		// The currency is kept: a with entry that changes no currency
		// looks up figures of the anchor's.
		if !slices.Equal(pk.slots, []int{slotCurrency}) {
			t.Errorf("a rule changing every key field but the currency: key %+v", pk)
		}
	}
}

// A record comes back from the spill file as it went in, odd cell and
// referenced fields included; a damaged one is an error, not a panic.
func TestSpillEncoding(t *testing.T) {
	rs := mustDefault(t)
	c := newChecker(rs, true, false)
	s := newSpiller(c, 1<<20, t.TempDir())
	ri := slices.IndexFunc(rs.Rules, func(r *Rule) bool { return len(c.plan.rules[slices.Index(rs.Rules, r)].refFields) > 0 })
	if ri < 0 {
		t.Fatal("no rule references a field")
	}
	for j := range c.refScratch[ri] {
		c.refScratch[ri][j] = uint32(7 + j)
	}
	tests := []staged{
		{r: rec{value: 12.5, key: [nRecKeys]uint32{1, 2, 3, 4, 5, 6}, ctx: 0, row: 7, col: 2, dec: 1, flags: recHas}, target: true},
		{r: rec{value: -1e300, row: 1 << 31, col: 1<<16 - 1, dec: -3, flags: recHas | recOdd},
			od: odd{oddCell: true, cell: "sheet cell ÿ", row: -1, col: 3, oddDec: true, decimals: 1 << 40}},
	}
	for k, st := range tests {
		raw := s.encode(nil, int64(1000+k), &st, []int{ri})
		e := s.newEntry()
		if err := decode(raw, e); err != nil {
			t.Fatalf("decode: %v", err)
		}
		st.hashed = false
		if e.seq != int64(1000+k) || e.st != st || !slices.Equal(e.anchors, []int{ri}) || !slices.Equal(e.refs[ri], c.refScratch[ri]) {
			t.Errorf("record %d: got %+v %v %v, want %+v", k, e.st, e.anchors, e.refs[ri], st)
		}
		for cut := range raw {
			if err := decode(raw[:cut], e); !errors.Is(err, errCorrupt) {
				t.Errorf("record %d cut at %d: %v", k, cut, err)
			}
		}
	}
}

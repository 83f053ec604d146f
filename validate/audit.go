package validate

import (
	"cmp"
	"math"
	"slices"

	"github.com/tradeetl/tradeetl/schemas"
)

// Audit checks obs like [RuleSet.Check] and then audits the result:
//
//   - error localization: for each cluster of failed rules (failures that
//     share cells), the fewest cells whose change makes every rule hold
//     again within rounding (Fellegi–Holt). A cell that alone explains its
//     cluster gets a finding of rule [schemas.RuleSuspect] with the value the rules
//     imply for it (SuggestedValue) and the typing slip that value looks
//     like (Slip); the findings it explains carry the same SuspectCell,
//     SuggestedValue and Slip. Cells that explain a cluster equally well
//     are listed as Candidates instead, in one suspect finding without a
//     SuspectCell.
//   - scale slips: a money figure about 1000 times (or 1/1000 of) its
//     neighbours in the same series gets a finding of rule [schemas.RuleScaleSlip].
//
// A nil or empty rule set still looks for scale slips. Findings come in the
// order of Check, the audit's before the rules' at the same cell. Safe for
// concurrent use.
//
// It is an Evaluator with Audit fed obs in one batch.
func (rs *RuleSet) Audit(obs []schemas.Observation) []schemas.Finding {
	if len(obs) == 0 {
		return nil
	}
	ev := rs.NewEvaluator(EvalOptions{Audit: true})
	ev.Add(obs)
	return ev.Finish()
}

// scaleNeighbours is how many figures on each side of a figure, in period
// order, make its neighbourhood.
const scaleNeighbours = 2

// scaleSlips looks, in every series (the exports, imports, total trade,
// re-exports or re-imports of one table in one currency with the same
// reporter, partner and product, over their periods), for a figure whose
// size is about 1000 times — or 1/1000 of — that of its neighbours, which
// agree among themselves.
func (c *checker) scaleSlips() {
	// A series is a table (file, sheet, table), period type and currency
	// — one number per context, numbered here, since contexts are few —
	// and the key without its period.
	type tableKey struct {
		scope [3]uint32
		per   string // period type
		cur   uint32 // currency
	}
	type seriesKey struct {
		table uint32
		key   [nRecKeys]uint32
	}
	tables := map[tableKey]uint32{}
	tableOf := make([]uint32, len(c.ctxs))
	for i := range c.ctxs {
		tk := tableKey{scope: c.ctxs[i].scope, per: c.ctxs[i].periodType, cur: c.ctxs[i].cur}
		t, ok := tables[tk]
		if !ok {
			t = uint32(len(tables))
			tables[tk] = t
		}
		tableOf[i] = t
	}
	period := fieldByName["period"].slot - slotFirstKey
	// Each figure's series, numbered in order of first appearance; then
	// the figures bucketed by series (a counting sort, which keeps them in
	// the order they came within a series): two int32 a figure, not a
	// slice per series.
	ids := map[seriesKey]int32{}
	var members, of, count []int32
	for i := range int32(c.recs.len()) {
		// Balances and deficits pass through zero, so their size says
		// nothing; exports, imports and total trade do not.
		if !c.seriesFigure(i) {
			continue
		}
		r := c.recs.at(i)
		sk := seriesKey{table: tableOf[r.ctx], key: r.key}
		sk.key[period] = 0
		id, ok := ids[sk]
		if !ok {
			id = int32(len(count))
			ids[sk] = id
			count = append(count, 0)
		}
		count[id]++
		members = append(members, i)
		of = append(of, id)
	}
	ids = nil // the indexes below replace it
	start := make([]int32, len(count)+1)
	for id, n := range count {
		start[id+1] = start[id] + n
	}
	next := slices.Clone(start[:len(count)]) // where each series' next figure goes
	bySeries := make([]int32, len(members))
	for k, m := range members {
		bySeries[next[of[k]]] = m
		next[of[k]]++
	}
	members, of, next = nil, nil, nil // bySeries replaces them
	var nbBuf [2 * scaleNeighbours]int32
	for id := range count {
		ms := bySeries[start[id]:start[id+1]]
		if len(ms) < 3 {
			continue
		}
		first := ms[0] // the series' first figure, before the sort
		slices.SortStableFunc(ms, func(a, b int32) int {
			ca, cb := c.ctxOfRec(a), c.ctxOfRec(b)
			return cmp.Or(cmp.Compare(ca.startSec, cb.startSec), cmp.Compare(ca.startNsec, cb.startNsec),
				cmp.Compare(c.keyStr(a, slotFirstKey+period), c.keyStr(b, slotFirstKey+period)))
		})
		for j, m := range ms {
			nb := nbBuf[:0]
			for d := 1; d <= scaleNeighbours; d++ {
				if j-d >= 0 {
					nb = append(nb, ms[j-d])
				}
				if j+d < len(ms) {
					nb = append(nb, ms[j+d])
				}
			}
			n := len(c.found)
			c.scaleSlip(m, nb)
			if c.part != nil && len(c.found) > n {
				c.found[n].order = auditOrder{phase: 2, anchor: c.part.seqs[first], k: j}
			}
		}
	}
}

// scaleSlip reports figure m when it is about 1000 times off its
// neighbours nb.
func (c *checker) scaleSlip(m int32, nb []int32) {
	if len(nb) < 2 {
		return
	}
	value := c.value(m)
	v := math.Abs(value * c.ctxOfRec(m).rawScale)
	var logBuf [2 * scaleNeighbours]float64
	logs := logBuf[:0]
	for _, n := range nb {
		x := c.value(n) * c.ctxOfRec(n).rawScale
		if x == 0 || (x < 0) != (value < 0) {
			return
		}
		logs = append(logs, math.Log10(math.Abs(x)))
	}
	lo, hi := slices.Min(logs), slices.Max(logs)
	if hi-lo > 1 { // the neighbours disagree by more than 10×
		return
	}
	d := math.Log10(v) - (lo+hi)/2
	var factor float64
	switch {
	case math.Abs(d-3) <= 0.5:
		factor = 1.0 / 1000
	case math.Abs(d+3) <= 0.5:
		factor = 1000
	default:
		return
	}
	suggested := round12(value * factor)
	cell := c.cell(m)
	cells := []string{cell}
	var vals []string
	for _, n := range nb {
		cells = append(cells, c.cellRef(m, n))
		vals = append(vals, formatValue(c.value(n), c.decimals(n))+" in "+c.keyStr(n, fieldByName["period"].slot))
	}
	how := "1000 times"
	if factor > 1 {
		how = "1/1000 of"
	}
	f := schemas.Finding{
		Rule: schemas.RuleScaleSlip, Severity: schemas.SeverityError, File: c.file(m), Sheet: c.sheet(m), Cells: cells,
		Expected: schemas.Float(suggested), Actual: schemas.Float(value),
		SuspectCell: cell, SuggestedValue: schemas.Float(suggested), Slip: schemas.SlipUnit,
		Message: c.describe(m) + " (" + cell + ") reads " + formatValue(value, c.decimals(m)) + ", about " + how +
			" its neighbours in the series (" + listAnd(vals) + "): likely a unit slip (million for billion); it would read " +
			formatValue(suggested, -1),
	}
	row, col := c.rowCol(m)
	c.found = append(c.found, found{row: row, col: col, rule: len(c.rs.Rules), seq: c.auditSeq(), f: f})
}

// auditSeq numbers the audit's findings after every rule finding, in the
// order they are made.
func (c *checker) auditSeq() int { return c.recs.len() + len(c.found) }

package transform

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// area is a resolved reporter or partner.
type area struct {
	name, code         string
	parentName, parent string
	known              bool
	kind               vocab.Kind
}

func (w *wide) fromMention(m mention) area {
	if m.Area == nil {
		return area{name: m.Name}
	}
	a := area{name: m.Area.Name, code: m.Area.Code, known: true, kind: m.Area.Kind}
	if m.Area.Parent != "" {
		a.parent = m.Area.Parent
		if p, ok := w.r.z.areas.ByCode(m.Area.Parent); ok {
			a.parentName = p.Name
		}
	}
	return a
}

// regionsCountry returns the country whose regions two rows or more of
// the table name, when they are the regions of one country; else nil.
func (w *wide) regionsCountry() *vocab.Area {
	parent, n := "", 0
	for _, ri := range w.rows {
		for _, m := range ri.areas {
			if m.Area == nil || m.Area.Kind != vocab.KindSubdivision {
				continue
			}
			if parent != "" && m.Area.Parent != parent {
				return nil
			}
			parent, n = m.Area.Parent, n+1
			break
		}
	}
	if n < 2 {
		return nil
	}
	return w.areaOfCode(parent)
}

// areaOfCode returns the listed area of a code, or nil.
func (w *wide) areaOfCode(code string) *vocab.Area {
	if a, ok := w.r.z.areas.ByCode(code); ok {
		return a
	}
	return nil
}

func countryOf(a *vocab.Area) string {
	if a.Kind == vocab.KindSubdivision {
		return a.Parent
	}
	return a.Code
}

// roles decides what the areas of the rows and of the columns are, when
// no preposition says it: reporters (report tables: "Belgium exports",
// "Canada | British Columbia") or partners (partner tables: countries down
// under Exports | Imports).
func (w *wide) roles() (rowRole, colRole role) {
	ctxPartner := w.ctx.partnerOf()
	ctxReporter := w.ctx.reporterOf()
	headPartner, headReporter, headProduct := false, false, false
	for _, h := range w.labelHead {
		an := w.r.z.analyze(h, w.vctx)
		headPartner = headPartner || an.partnerWord
		headReporter = headReporter || an.reporterWrd
		headProduct = headProduct || an.productWord
	}
	pairs, hier := 0, false
	countries := map[string]bool{}
	subs := map[string]bool{}
	distinct := map[string]bool{}
	aggregates := 0
	partnerOnly := false
	for _, ri := range w.rows {
		if ri.section {
			continue
		}
		areas := 0
		mentions := ri.areas
		if len(mentions) == 0 && ri.sect != nil {
			mentions = ri.sect.areas
		}
		for _, m := range mentions {
			if m.Role != roleNone {
				continue
			}
			areas++
			distinct[m.Name] = true
			if m.Area != nil {
				switch m.Area.Code {
				case "W00", "ROW", "EXT_EU27_2020":
					// the world, the rest of it, extra-EU: partners only
					partnerOnly = true
				}
				switch m.Area.Kind {
				case vocab.KindCountry:
					countries[m.Area.Code] = true
				case vocab.KindSubdivision:
					subs[m.Area.Parent] = true
				case vocab.KindAggregate:
					aggregates++
				}
			}
		}
		flow := ri.flow != "" || ri.sect != nil && len(ri.sect.flows) == 1 || ri.share
		if (areas > 0 || ri.ctryTot || looksLikeName(ri.residual)) && flow {
			pairs++
		}
		if ri.ctryTot {
			hier = true
		}
	}
	for c := range subs {
		if countries[c] {
			hier = true
		}
	}
	switch {
	case headPartner && !headReporter:
		rowRole = rolePartner
	case headReporter && !headPartner:
		rowRole = roleReporter
	case partnerOnly && ctxReporter != nil && len(countries) >= 2:
		// "Total of all countries", "Other countries" among the rows:
		// the rows are partners of the context's reporter, even beside
		// flow words ("United States" over "Exports | Imports")
		rowRole = rolePartner
	case pairs > 0:
		rowRole = roleReporter
	case ctxPartner != nil:
		rowRole = roleReporter
	case hier:
		rowRole = roleReporter
	case ownRegions(subs, countries, ctxReporter):
		// the regions of the reporter's country ("exports by province of
		// origin" under an Indonesian table) are reporters, not partners
		rowRole = roleReporter
	case ctxReporter != nil:
		rowRole = rolePartner
	case len(distinct) >= 3 || aggregates > 0:
		rowRole = rolePartner
	default:
		rowRole = roleReporter
	}
	_ = headProduct
	// columns: areas in headings beside flows are reporters ("Exports" over
	// "Australia | Victoria"), else as for rows
	colRole = roleReporter
	if len(distinct) > 0 && rowRole == roleReporter {
		colRole = rolePartner // reporters down, partners across ("EU exports | Non-EU exports")
	}
	colAreas := map[string]bool{}
	colFlows := false
	for _, c := range w.cols {
		for _, m := range c.areas {
			if m.Role == roleNone {
				colAreas[m.Name] = true
			}
		}
		if c.flow != "" {
			colFlows = true
		}
	}
	if len(colAreas) >= 3 && !colFlows && ctxReporter != nil && ctxPartner == nil {
		colRole = rolePartner
	}
	if len(distinct) > 0 && rowRole == rolePartner {
		colRole = roleReporter
	}
	return rowRole, colRole
}

// ownRegions reports whether the rows name regions of one country, that
// country being the context's reporter or no country at all, and no
// country of their own.
func ownRegions(subs, countries map[string]bool, ctxReporter *contextArea) bool {
	if len(subs) != 1 || len(countries) > 0 {
		return false
	}
	if ctxReporter == nil || ctxReporter.m.Area == nil {
		return ctxReporter == nil
	}
	return subs[countryOf(ctxReporter.m.Area)]
}

// build turns every figure of the table into an observation.
func (w *wide) build() error {
	r := w.r
	rowRole, colRole := w.roles()
	w.colRole = colRole
	w.growthOf = map[int]growthRef{}
	ctxReporter := w.ctx.reporterOf()
	ctxPartner := w.ctx.partnerOf()
	lay := r.lay
	if lay != nil && lay.Reporter != "" {
		if m, ok := r.z.areas.Exact(lay.Reporter, w.vctx); ok && m.Area != nil {
			ctxReporter = &contextArea{m: mention{Area: m.Area, Name: m.Area.Name}, ref: lay.Name(), tier: fromTitle}
		} else {
			ctxReporter = &contextArea{m: mention{Name: lay.Reporter}, ref: lay.Name(), tier: fromTitle}
		}
	}
	if lay != nil && lay.Partner != "" {
		if m, ok := r.z.areas.Exact(lay.Partner, w.vctx); ok && m.Area != nil {
			ctxPartner = &contextArea{m: mention{Area: m.Area, Name: m.Area.Name, Role: rolePartner}, ref: lay.Name(), tier: fromTitle}
		} else {
			ctxPartner = &contextArea{m: mention{Name: lay.Partner, Role: rolePartner}, ref: lay.Name(), tier: fromTitle}
		}
	}
	// are the rows products? No row names an area, a flow or a period,
	// and they are not growth or share rows.
	plain, named := 0, 0
	for _, ri := range w.rows {
		if ri.section {
			continue
		}
		if len(ri.areas) == 0 && ri.flow == "" && ri.period == nil && ri.partial == nil && !ri.growth && !ri.share && !ri.ctryTot && ri.roleVals == nil && !ri.total {
			plain++
		} else if len(ri.areas) > 0 {
			named++
		}
	}
	productRows := plain >= 2 && named == 0 && (w.ctx.flow != "" || w.colFlows() || ctxPartner != nil)
	if lay != nil && len(lay.labels) > 0 {
		productRows = false
	}
	unitRef := w.ctx.currRef
	var noFlowRows []string // rows noted as not understood
	var blockSub *area      // the region of the block being read, for share rows naming none
	regions := w.regionsCountry()
	blockFlow := "" // the flow of the block being read, for share rows naming none
	for _, ri := range w.rows {
		if ri.section {
			blockSub, blockFlow = nil, ""
			// a section row naming a region heads its rows ("Texas 1/")
			if len(ri.labels) > 0 {
				an := r.z.analyze(ri.labels[len(ri.labels)-1].text, w.vctx)
				for _, m := range an.areas {
					if m.Area != nil && m.Area.Kind == vocab.KindSubdivision {
						a := w.fromMention(m)
						blockSub = &a
						break
					}
				}
			}
			continue
		}
		var rowRep, rowPar *area
		var rowFlow, rowMeasure, product string
		rowFlow = ri.flow
		if rowFlow == "" && ri.sect != nil {
			if f, ok := ri.sect.flow(); ok {
				rowFlow = f
			}
		}
		full := w.fullLabel(ri)
		// layout labels come first
		if lay != nil {
			if m, ok := lay.labels[foldKey(full)]; ok {
				if m.Skip {
					continue
				}
				if m.Reporter != "" {
					a := w.areaByName(m.Reporter)
					rowRep = &a
				}
				if m.Flow != "" {
					rowFlow = m.Flow
				}
				rowMeasure = m.Measure
			}
		}
		// areas in the row labels; a share row's region is the one
		// with a parent ("B.C. share of Canada")
		unknown := ""
		areas := ri.areas
		if len(areas) == 0 && ri.sect != nil {
			areas = ri.sect.areas
		}
		if ri.share && len(areas) > 1 {
			areas = append([]mention(nil), areas...)
			sort.SliceStable(areas, func(i, j int) bool {
				sub := func(m mention) bool { return m.Area == nil || m.Area.Kind == vocab.KindSubdivision }
				return sub(areas[i]) && !sub(areas[j])
			})
		}
		for _, m := range areas {
			a := w.fromMention(m)
			if m.Ambiguous {
				w.assume(schemas.RuleAmbiguousArea, fmt.Sprintf("%q may name %s (also %s); read as %s — name it in a labels file if that is wrong", m.Written, m.Name, strings.Join(m.Others, ", "), m.Name), ri.labels[0].cell.Ref())
			}
			rl := m.Role
			if rl == roleNone || ri.share {
				// a share row names regions and their country, never a
				// partner ("Peso da AML", "Quota Lombardia su Italia")
				rl = rowRole
				if ri.share {
					rl = roleReporter
				}
			}
			if rl == rolePartner && rowPar == nil {
				rowPar = &a
			} else if rl == roleReporter && rowRep == nil {
				rowRep = &a
			}
		}
		// one area named twice ("Total of all countries / Ensemble des
		// pays"): it is what the rows are, never both reporter and partner
		if rowRep != nil && rowPar != nil && rowRep.code != "" && rowRep.code == rowPar.code {
			if rowRole == rolePartner {
				rowRep = nil
			} else {
				rowPar = nil
			}
		}
		// "Others" under a country's regions are its other regions, not
		// the rest of the world
		if rowRole == roleReporter && rowRep != nil && rowRep.code == "ROW" && blockSub != nil && blockSub.parent != "" && len(ri.labels) > 0 {
			written := strings.TrimSpace(ri.labels[len(ri.labels)-1].text)
			rowRep = &area{name: written, parent: blockSub.parent, parentName: blockSub.parentName}
			unknown = written
		}
		// dimension columns (IMF, WITS, Eurostat TSV)
		if ri.roleVals != nil {
			rep, par, flow, prod, ok := w.dimensionValues(ri)
			if !ok {
				continue
			}
			if rep != nil {
				rowRep = rep
			}
			if par != nil {
				rowPar = par
			}
			if flow != "" {
				rowFlow = flow
			}
			if prod != "" {
				product = prod
			}
		}
		// a name the list does not know, beside a flow or share word
		isShare := ri.share || rowMeasure == schemas.MeasureShare
		// among a country's regions, words nothing explains beside a flow
		// name one more region, capital or not ("Maakond teadmata Eksport")
		regionRow := rowRole == roleReporter && blockSub != nil && blockSub.parent != "" && rowFlow != "" && strings.IndexFunc(ri.residual, unicode.IsLetter) >= 0
		if rowRep == nil && rowPar == nil && (looksLikeName(ri.residual) || regionRow) && !productRows && !ri.total {
			name := ri.residual
			if full, ok := w.ctx.abbrev[strings.ToLower(strings.ReplaceAll(name, ".", ""))]; ok {
				name = full
				if m, ok := r.z.areas.Exact(full, w.vctx); ok && m.Area != nil {
					a := w.fromMention(mention{Area: m.Area})
					if rowRole == rolePartner {
						rowPar = &a
					} else {
						rowRep = &a
					}
				}
			}
			if rowRep == nil && rowPar == nil && !isShare {
				a := area{name: name}
				// a row among a country's regions ("Unspecified" under
				// the states) is one more of them, not the country
				if rowRole == roleReporter && blockSub != nil && blockSub.parent != "" {
					a.parent, a.parentName = blockSub.parent, blockSub.parentName
				} else if rowRole == roleReporter && regions != nil {
					// above the regions: a group of them ("管内計")
					a.parent, a.parentName = regions.Code, regions.Name
				}
				if (rowFlow != "" || ri.roleVals != nil || a.parent != "") && rowRole == roleReporter || rowRole == rolePartner && rowFlow == "" {
					unknown = name
					if rowRole == rolePartner {
						rowPar = &a
					} else {
						rowRep = &a
					}
				}
			} else if rowRep == nil && rowPar == nil && isShare && name != "" && len(strings.Fields(name)) <= 4 {
				a := area{name: name}
				rowRep = &a
				unknown = name
			}
		}
		if unknown != "" {
			w.assume(schemas.RuleUnknownArea, fmt.Sprintf("%q is not in the area list: kept as written, without a code (add it to a labels file to give it a code and parent)", unknown), ri.labels[len(ri.labels)-1].cell.Ref())
		}
		if productRows && rowRep == nil && rowPar == nil {
			product = w.fullLabel(ri)
			if ri.total {
				product = schemas.ProductTotal
			}
		}
		if isShare && rowFlow == "" {
			rowFlow = blockFlow
		} else if !isShare && !ri.growth && rowFlow != "" {
			blockFlow = rowFlow
		}
		// a share row names its region, or means the block's region
		if isShare && rowRep != nil && rowRep.known && rowRep.kind == vocab.KindCountry && blockSub != nil {
			// "B.C. share of Canada": the region is the one named first
		}
		if isShare && rowRep != nil && rowRep.known && rowRep.kind == vocab.KindCountry && blockSub != nil && blockSub.parent == rowRep.code {
			// "Share of U.S. exports" under Texas: Texas's share of the
			// United States
			a := *blockSub
			rowRep = &a
		}
		if isShare && rowRep == nil && blockSub != nil {
			a := *blockSub
			rowRep = &a
		}
		if rowRep != nil && !isShare && (rowRep.parent != "" || !rowRep.known) && !ri.ctryTot {
			a := *rowRep
			blockSub = &a
		}
		// totals: a partner table's total row is the World
		if ri.total && rowPar == nil && rowRole == rolePartner && !productRows {
			a := w.areaByName("World")
			rowPar = &a
		}
		w.info.Labels = append(w.info.Labels, w.describeRow(ri, full, rowRep, rowPar, rowFlow, product))
		for _, ci := range w.cols {
			c, ok := cellAt(ri.row, ci.col)
			if !ok || c.Kind == extract.String && strings.TrimSpace(c.Text) == "" || c.Merged {
				continue
			}
			o := r.observation(c, "")
			o.Label = full
			// measure
			measure := schemas.MeasureLevel
			switch {
			case ci.growth || ri.growth:
				measure = schemas.MeasureGrowth
			case ci.share || isShare:
				measure = schemas.MeasureShare
			case rowMeasure != "":
				measure = rowMeasure
			}
			rowBase := ""
			if v, ok := ri.roleVals[schemas.ColUnit]; ok {
				if u, ok := r.dict.UnitCode(v); ok && u.Unit == schemas.UnitPercent {
					measure, rowBase = schemas.MeasureGrowth, u.Base
				}
			}
			o.Measure = measure
			// flow: the row's, the column's, the section's, the title's
			flow := rowFlow
			if flow == "" {
				flow = ci.flow
			}
			if flow == "" && (ci.growth || ci.share) {
				flow = w.neighbourFlow(ci)
			}
			if flow == "" {
				flow = w.ctx.flow
			}
			if flow == "" && lay != nil {
				flow = lay.Flow
			}
			if flow == "" {
				if len(ri.labels) > 0 && !contains(noFlowRows, full) {
					noFlowRows = append(noFlowRows, full)
					w.note("%s: label %q not understood: no flow in it, in its column headings or in the title; row not read", ri.labels[len(ri.labels)-1].cell.Ref(), full)
				} else if len(ri.labels) == 0 {
					w.note("%s: no flow in its row label, column heading or title; not read", c.Ref())
				}
				continue
			}
			o.Flow = flow
			// reporter and partner
			rep, par := rowRep, rowPar
			for _, m := range ci.areas {
				a := w.fromMention(m)
				rl := m.Role
				if rl == roleNone {
					rl = colRole
				}
				if rl == rolePartner && par == nil {
					par = &a
				}
				if rl == roleReporter && (rep == nil || measure == schemas.MeasureShare) {
					rep = &a
				}
			}
			if par == nil && ci.total && colRole == rolePartner && !ci.growth && !ci.share {
				a := w.areaByName("World") // "Total exports" beside "EU exports"
				par = &a
			}
			var traced [][2]string // rule, detail of what this figure assumes
			if rep == nil && ctxReporter != nil {
				a := w.fromMention(ctxReporter.m)
				rep = &a
				if ctxReporter.tier >= fromSheetName {
					traced = append(traced, [2]string{schemas.RuleReporterAssumed, a.name})
					w.assume(schemas.RuleReporterAssumed, fmt.Sprintf("the table names no reporter: %s read from %s", a.name, ctxReporter.from()), c.Ref())
				}
			}
			if rep == nil && ri.ctryTot {
				a := area{name: "", code: ""}
				rep = &a
			}
			if rep == nil && ri.total && rowRole == roleReporter && blockSub != nil && blockSub.parent != "" {
				// the total of a country's regions is that country
				a := w.fromMention(mention{Area: w.areaOfCode(blockSub.parent)})
				if a.known {
					rep = &a
					traced = append(traced, [2]string{schemas.RuleReporterAssumed, a.name})
					w.assume(schemas.RuleReporterAssumed, fmt.Sprintf("the table names no reporter: %s, the country of the regions above the total", a.name), c.Ref())
				}
			}
			if rep == nil {
				w.assume(schemas.RuleNoReporter, "no reporter (country or region) named in the table, its title, sheet or file name: figures not read; name it in a layout file", c.Ref())
				continue
			}
			if par == nil && ctxPartner != nil {
				a := w.fromMention(ctxPartner.m)
				par = &a
			}
			if par == nil {
				a := w.areaByName("World")
				par = &a
				if w.ctx.world == nil {
					w.assume(schemas.RuleNoPartner, "the table names no partner: figures read as trade with the World (all partners)", c.Ref())
					traced = append(traced, [2]string{schemas.RuleNoPartner, "World"})
				}
			}
			o.Reporter, o.ReporterCode, o.ReporterParent = rep.name, rep.code, rep.parentName
			o.Partner, o.PartnerCode = par.name, par.code
			if ri.ctryTot {
				o.Reporter = "" // the table's country, settled below
			}
			// product
			o.Product = schemas.ProductTotal
			switch {
			case product != "":
				o.Product = product
			case ci.product != "":
				o.Product = ci.product
			}
			// period
			var period *schemas.Period
			switch {
			case ci.period != nil:
				period = ci.period
			case ri.period != nil:
				period = ri.period
			case w.ctx.period != nil:
				pp := w.ctx.period.P
				period = &pp
			}
			if period == nil && !(measure == schemas.MeasureGrowth && w.info.Kind == "transposed") {
				w.assume(schemas.RuleNoPeriod, "no period in the column heading, row label or title: figures not read", c.Ref())
				continue
			}
			if period != nil && ri.partial != nil && period.Type == schemas.PeriodYear {
				// "January" down, "2023 | 2024" across
				p := withYear(ri.partial.P, period.Year)
				period = &p
			}
			if period != nil {
				setPeriod(&o, *period)
			}
			// unit
			currency, scale, assumedCur := w.unitOf(ci, ri, rep, c.Ref())
			if assumedCur {
				traced = append(traced, [2]string{schemas.RuleCurrencyAssumed, currency})
			}
			unit := currency
			if measure != schemas.MeasureLevel {
				unit, scale = schemas.UnitPercent, 1
			}
			f := r.readFigure(c)
			setFigure(&o, f, unit, scale)
			o.Currency = currency
			if f.problem != "" {
				w.findings = append(w.findings, r.problemFinding(c, f))
			}
			o.Status = firstNonEmpty(f.status, ci.status, ri.status)
			// growth: the base
			if measure == schemas.MeasureGrowth && rowBase != "" && period != nil {
				if rowBase == "previous" {
					o.BasePeriod = period.Prev().String()
				} else {
					o.BasePeriod = period.YearAgo().String()
				}
			} else if measure == schemas.MeasureGrowth {
				if !w.setGrowthBase(&o, ci, ri) {
					continue
				}
			}
			if unit == "" && o.HasValue {
				w.assume(schemas.RuleNoUnit, "the table states no currency or unit (no note such as \"in million euro\"): figures kept without currency; give it in a layout file", c.Ref())
				traced = append(traced, [2]string{schemas.RuleNoUnit, ""})
			}
			if !rep.known && o.Reporter != "" && !w.layoutNamed(rep.name) {
				traced = append(traced, [2]string{schemas.RuleUnknownArea, o.Reporter})
			}
			if !par.known && !w.layoutNamed(par.name) {
				traced = append(traced, [2]string{schemas.RuleUnknownArea, o.Partner})
			}
			if ci.cands != nil && w.info.Kind == "report" && measure == schemas.MeasureGrowth {
				ref := growthRef{key: ci.col, cands: ci.cands, def: 0}
				if ri.partial != nil {
					p := ri.partial.P
					ref.partial = &p
				}
				w.growthOf[len(w.obs)] = ref
			}
			if w.pendingRowGrowth {
				w.pendingRowGrowth = false
				// one reading for the whole row
				w.growthOf[len(w.obs)] = growthRef{key: rowGrowthCol * ri.row.Num, cands: [][2]schemas.Period{candYearAgo, candPrev}, def: 0}
			}
			if w.info.Kind == "transposed" && ci.growth && ci.baseWord == "" && !ri.growth {
				w.growthOf[len(w.obs)] = growthRef{key: ci.col, cands: [][2]schemas.Period{candPrev, candYearAgo}, def: w.defaultRowCand(ri)}
			}
			if o.Measure == schemas.MeasureGrowth && (ci.index || ri.index) {
				if w.indexObs == nil {
					w.indexObs = map[int]bool{}
				}
				w.indexObs[len(w.obs)] = true
			}
			w.obs = append(w.obs, o)
			for _, t := range traced {
				w.r.assumed(&w.obs[len(w.obs)-1], t[0], t[1])
			}
		}
	}
	_ = unitRef
	w.settleByArithmetic()
	w.settleParents()
	return nil
}

// looksLikeName reports whether words nothing explains may be a name: one
// of them starts with a capital letter ("South Moravian Region", "AML"),
// not "fob" or "r".
func looksLikeName(s string) bool {
	for _, w := range strings.Fields(s) {
		r := []rune(w)
		if len(r) > 0 && (unicode.IsUpper(r[0]) || uncased(r[0])) {
			return true
		}
	}
	return false
}

// uncased reports whether r is a letter of a script without capitals
// (Arabic, Hebrew, Thai, Han, Kana, Hangul, Devanagari…), whose names
// cannot be told by a capital.
func uncased(r rune) bool {
	return unicode.IsLetter(r) && unicode.ToUpper(r) == r && unicode.ToLower(r) == r
}

// defaultRowCand is the reading of a growth column with periods down when
// the figures do not decide: the row above when it is the period before,
// else a year earlier.
func (w *wide) defaultRowCand(ri *rowInfo) int {
	for i, x := range w.rows {
		if x != ri {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			if w.rows[j].period != nil {
				if ri.period != nil && *w.rows[j].period == ri.period.Prev() {
					return 0
				}
				return 1
			}
		}
		break
	}
	return 1
}

// setGrowthBase sets the base period of a growth observation, and its
// period for growth rows. It reports false when the growth rate cannot be
// placed.
func (w *wide) setGrowthBase(o *schemas.Observation, ci *colInfo, ri *rowInfo) bool {
	switch {
	case ri.growth && ri.baseP != nil:
		setPeriod(o, *ri.period)
		o.BasePeriod = ri.baseP.String()
	case ci.growth && ci.baseP != nil && w.info.Kind == "report":
		cur, base := *ci.period, *ci.baseP
		if ri.partial != nil && cur.Type == schemas.PeriodYear && base.Type == schemas.PeriodYear {
			cur, base = withYear(ri.partial.P, cur.Year), withYear(ri.partial.P, base.Year)
		}
		setPeriod(o, cur)
		o.BasePeriod = base.String()
	case ci.growth && w.info.Kind == "transposed" && ri.period != nil:
		switch ci.baseWord {
		case "previous":
			o.BasePeriod = ri.period.Prev().String()
		default:
			o.BasePeriod = ri.period.YearAgo().String()
		}
	case ri.growth && ri.period != nil && ri.baseP == nil:
		o.BasePeriod = ri.period.Prev().String()
	case ri.growth && ri.period == nil && ci.period != nil:
		// a row of growth rates under columns of periods ("Queensland,
		// change on previous year" under FY2022-23): each on its column's
		// period, against the period before it, or a year before
		setPeriod(o, *ci.period)
		base := firstNonEmpty(ri.base, ci.base)
		switch {
		case base == "previous":
			o.BasePeriod = ci.period.Prev().String()
		default:
			o.BasePeriod = ci.period.YearAgo().String()
			if base == "" && ci.period.Type != schemas.PeriodYear && ci.period.Type != schemas.PeriodCumulative {
				// the figures decide between the period before and a
				// year before
				w.pendingRowGrowth = true
			}
		}
	default:
		w.note("%s: a growth rate whose period or base could not be placed; not read", o.Cell)
		return false
	}
	return o.Period != "" && o.BasePeriod != ""
}

// unitOf returns the currency and scale of a money figure: from its
// column heading, else the table's unit note, else a generic currency word
// read as the reporter's currency.
func (w *wide) unitOf(ci *colInfo, ri *rowInfo, rep *area, cell string) (string, float64, bool) {
	assumed := false
	currency, scale := ci.currency, ci.scale
	// dimension columns: a unit code, a scale column, an indicator
	// naming its unit ("Export (US$ Thousand)", "..., US Dollars")
	for _, role := range []string{schemas.ColUnit, schemas.ColFlow, schemas.ColIndicator} {
		v, ok := ri.roleVals[role]
		if !ok {
			continue
		}
		if u, ok := w.r.dict.UnitCode(v); ok {
			if currency == "" {
				currency = u.Unit
			}
			if scale == 0 {
				scale = u.Scale
			}
			continue
		}
		if c, ok := w.r.z.curr.ByCode(strings.ToUpper(codePart(v))); ok && currency == "" {
			currency = c.Code
			continue
		}
		an := w.r.z.analyze(v, w.vctx)
		if an.currency != "" && currency == "" {
			currency = an.currency
		}
		if an.scale > 0 && scale == 0 {
			scale = an.scale
		}
	}
	if v, ok := ri.roleVals[schemas.ColScale]; ok && scale == 0 {
		if f, ok := w.r.dict.Code(schemas.ColScale, codePart(v)); ok {
			fmt.Sscan(f, &scale)
		} else if f, ok := w.r.dict.Scale(v); ok {
			scale = f
		}
	}
	if scale == 0 {
		scale = w.ctx.scale
	}
	if currency == "" {
		currency = w.ctx.currency
	}
	if currency == "" && ci.currency == "" {
		// a balance or total beside exports and imports in one unit is
		// in that unit ("Сальдо" under no heading of its own): it is
		// their difference or sum
		if c, sc, ok := w.flowsUnit(ci); ok {
			currency = c
			if ci.scale == 0 {
				scale = sc
			}
		}
	}
	if currency == "" && len(w.ctx.currAmb) > 0 && rep != nil {
		country := rep.code
		if rep.parent != "" {
			country = rep.parent
		}
		if country == "" {
			country = w.ctx.country
		}
		if c, ok := w.ctx.currencyFor(w.r.z, country); ok {
			currency, assumed = c, true
			w.assume(schemas.RuleCurrencyAssumed, fmt.Sprintf("the unit note (%s) names the currency only by a word several currencies share: read as %s, the currency of the reporter's country", w.ctx.currRef, c), cell)
		}
	}
	if currency == schemas.UnitPercent {
		currency = ""
	}
	if scale == 0 {
		scale = 1
	}
	return currency, scale, assumed
}

// flowsUnit returns the currency and scale of the exports and imports
// columns of the table when ci is a balance, surplus, deficit or total
// column and they all state the same one.
func (w *wide) flowsUnit(ci *colInfo) (string, float64, bool) {
	switch ci.flow {
	case schemas.FlowBalance, schemas.FlowSurplus, schemas.FlowDeficit, schemas.FlowTotal:
	default:
		return "", 0, false
	}
	cur, sc, n := "", 0.0, 0
	for _, c := range w.cols {
		if c == ci || !c.level || c.flow != schemas.FlowExports && c.flow != schemas.FlowImports {
			continue
		}
		if c.currency == "" || c.currency == schemas.UnitPercent || n > 0 && (c.currency != cur || c.scale != sc) {
			return "", 0, false
		}
		cur, sc, n = c.currency, c.scale, n+1
	}
	return cur, sc, n >= 2
}

// layoutNamed reports whether a layout file gave a name: it was told, not
// assumed.
func (w *wide) layoutNamed(name string) bool {
	lay := w.r.lay
	if lay == nil {
		return false
	}
	if lay.Reporter == name || lay.Partner == name {
		return true
	}
	for _, m := range lay.labels {
		if m.Reporter == name {
			return true
		}
	}
	return false
}

// neighbourFlow returns the flow of the nearest level column left of a
// growth or share column ("Ausfuhr | Veränderung in %").
func (w *wide) neighbourFlow(ci *colInfo) string {
	for i := len(w.cols) - 1; i >= 0; i-- {
		c := w.cols[i]
		if c.col < ci.col && c.level && c.flow != "" && sameGroup(c, ci) {
			return c.flow
		}
	}
	return ""
}

func (w *wide) colFlows() bool {
	for _, c := range w.cols {
		if c.flow != "" {
			return true
		}
	}
	return false
}

// fullLabel joins a row's label cells ("Lombardia Esportazioni").
func (w *wide) fullLabel(ri *rowInfo) string {
	var parts []string
	for _, l := range ri.labels {
		if w.labelRole[l.col] != "" {
			continue
		}
		parts = append(parts, l.text)
	}
	if len(parts) == 0 {
		for _, l := range ri.labels {
			parts = append(parts, l.text)
		}
	}
	return strings.Join(parts, " ")
}

// areaByName resolves a name through the area list, or keeps it.
func (w *wide) areaByName(name string) area {
	if m, ok := w.r.z.areas.Exact(name, w.vctx); ok && m.Area != nil {
		return w.fromMention(mention{Area: m.Area})
	}
	if a, ok := w.r.z.areas.ByCode(name); ok {
		return w.fromMention(mention{Area: a})
	}
	return area{name: name}
}

// dimensionValues reads a row of a table with dimension columns (IMF,
// WITS, Eurostat TSV): reporter, partner, flow and product from the
// columns their headings name.
func (w *wide) dimensionValues(ri *rowInfo) (rep, par *area, flow, product string, ok bool) {
	d := w.r.dict
	for role, v := range ri.roleVals {
		switch role {
		case schemas.ColReporter:
			if _, ok := d.ExactKind(v, schemas.KindCountryTotal); ok {
				ri.ctryTot = true
				continue
			}
			a := w.areaValue(v)
			rep = &a
		case schemas.ColPartner:
			if d.IsTotal(v) {
				a := w.areaByName("World")
				par = &a
				continue
			}
			a := w.areaValue(v)
			par = &a
		case schemas.ColFlow, schemas.ColIndicator:
			if f, ok := d.Flow(v); ok {
				flow = f
			} else if f, ok := d.FindFlow(v); ok && flow == "" {
				flow = f
			}
		case schemas.ColProduct, schemas.ColProductCode:
			if role == schemas.ColProductCode && product != "" {
				continue // the product's name is there
			}
			product = v
			if d.IsTotal(v) {
				product = schemas.ProductTotal
			}
		}
	}
	return rep, par, flow, product, true
}

// areaValue reads a cell of a reporter or partner column: a name or code
// ("CN_X_HK", "Korea, Rep.", "CH: Switzerland"), or a name as written.
func (w *wide) areaValue(v string) area {
	for _, x := range []string{v, withoutParen(v)} {
		if m, ok := w.r.z.areas.Exact(x, w.vctx); ok && m.Area != nil {
			return w.fromMention(mention{Area: m.Area})
		}
	}
	if a, ok := w.r.z.areas.ByCode(v); ok {
		return w.fromMention(mention{Area: a})
	}
	w.assume(schemas.RuleUnknownArea, fmt.Sprintf("%q is not in the area list: kept as written, without a code", v), "")
	return area{name: v}
}

// settleParents gives regions the table does not know a parent (the
// country beside them in the table), and "Whole country" rows their
// country.
func (w *wide) settleParents() {
	country := ""
	countryCode := ""
	subs := map[string]int{}
	for i := range w.obs {
		o := &w.obs[i]
		if o.ReporterCode != "" && o.ReporterParent == "" && !strings.Contains(o.ReporterCode, "-") && len(o.ReporterCode) == 2 {
			if country == "" {
				country, countryCode = o.Reporter, o.ReporterCode
			}
		}
		if o.ReporterParent != "" {
			subs[o.ReporterParent]++
		}
	}
	if country == "" {
		best := 0
		for p, n := range subs {
			if n > best {
				country, best = p, n
			}
		}
		if a, ok := w.r.z.areas.Exact(country, w.vctx); ok && a.Area != nil {
			countryCode = a.Area.Code
		}
	}
	if country == "" && w.ctx.country != "" {
		if a, ok := w.r.z.areas.ByCode(w.ctx.country); ok {
			country, countryCode = a.Name, a.Code
		}
	}
	for i := range w.obs {
		o := &w.obs[i]
		switch {
		case o.Reporter == "" && country != "":
			o.Reporter, o.ReporterCode = country, countryCode
		case o.Reporter == "":
			o.Reporter = "Whole country"
		case o.ReporterCode == "" && o.ReporterParent == "" && country != "" && o.Reporter != country:
			o.ReporterParent = country
		}
	}
}

// assume records an assumption or an unread figure, for one warning
// finding per rule and message listing the cells.
func (w *wide) assume(rule, msg, cell string) {
	m := w.assumed[rule]
	if m == nil {
		m = map[string][]string{}
		w.assumed[rule] = m
	}
	if cell != "" && !contains(m[msg], cell) {
		m[msg] = append(m[msg], cell)
	} else if _, ok := m[msg]; !ok {
		m[msg] = nil
	}
}

func (w *wide) note(format string, args ...any) {
	w.notes = append(w.notes, fmt.Sprintf(format, args...))
}

// emit sends the table's observations and findings.
func (w *wide) emit() error {
	r := w.r
	for i := range w.indexObs {
		w.obs[i].Measure = schemas.MeasureIndex
	}
	first, last, lastRow := 1<<30, 0, 0
	for _, c := range w.labelCols {
		first = min(first, c)
	}
	for _, c := range w.cols {
		first, last = min(first, c.col), max(last, c.col)
	}
	for _, row := range w.t.body {
		lastRow = max(lastRow, row.Num)
	}
	top := firstRowNum(w.t)
	if len(w.t.title) > 0 {
		top = w.t.title[0].Num
	}
	head := w.info.HeaderRow
	if head == 0 {
		head = top
	}
	w.info.Range = rangeRef(first, top, last, lastRow)
	var lc []string
	for _, c := range w.labelCols {
		lc = append(lc, extract.ColumnName(c))
	}
	w.info.LabelCol = strings.Join(lc, "+")
	id := rangeRef(first, head, last, head)
	for i := range w.obs {
		w.obs[i].Table = id
	}
	for _, ct := range w.ctx.texts {
		if ct.tier == fromTitle && w.info.Title == "" {
			w.info.Title = ct.text
		}
	}
	if rep := w.ctx.reporterOf(); rep != nil {
		w.info.Reporter = rep.m.Name + " (" + rep.from() + ")"
	}
	if p := w.ctx.partnerOf(); p != nil {
		w.info.Partner = p.m.Name
	} else if w.ctx.world != nil {
		w.info.Partner = "World (" + w.ctx.world.ref + ")"
	}
	w.info.Unit, w.info.Scale, w.info.UnitFrom = w.ctx.currency, w.ctx.scale, w.ctx.currRef
	for col, role := range w.labelRole {
		if role == schemas.ColUnit {
			w.info.UnitFrom = "unit column " + extract.ColumnName(col)
		}
	}
	w.info.Rows = len(w.obs)
	rules := make([]string, 0, len(w.assumed))
	for rule := range w.assumed {
		rules = append(rules, rule)
	}
	sort.Strings(rules)
	for _, rule := range rules {
		msgs := make([]string, 0, len(w.assumed[rule]))
		for m := range w.assumed[rule] {
			msgs = append(msgs, m)
		}
		sort.Strings(msgs)
		for _, m := range msgs {
			cells := w.assumed[rule][m]
			w.findings = append(w.findings, schemas.Finding{
				Rule: rule, Severity: schemas.SeverityWarning, File: r.opts.File, Sheet: r.sheet,
				Cells: cells, Message: fmt.Sprintf("table %s: %s", w.info.Range, m),
			})
		}
	}
	for _, n := range w.notes {
		r.note("%s", n)
	}
	r.info.Tables = append(r.info.Tables, w.info)
	if len(w.obs) == 0 && len(w.findings) == 0 {
		r.note("table %s: no figures read", w.info.Range)
		return nil
	}
	return r.emit(w.obs, w.findings)
}

func (w *wide) describeRow(ri *rowInfo, full string, rep, par *area, flow, product string) string {
	var parts []string
	if rep != nil {
		parts = append(parts, rep.name)
	}
	if par != nil {
		parts = append(parts, "with "+par.name)
	}
	if flow != "" {
		parts = append(parts, flow)
	}
	switch {
	case ri.growth:
		parts = append(parts, "growth")
	case ri.share:
		parts = append(parts, "share")
	case flow != "":
		parts = append(parts, "level")
	}
	if product != "" {
		parts = append(parts, "product "+product)
	}
	if ri.period != nil {
		parts = append(parts, ri.period.String())
	}
	ref := ""
	if len(ri.labels) > 0 {
		ref = ri.labels[len(ri.labels)-1].cell.Ref()
	}
	return fmt.Sprintf("%s %q → %s", ref, full, strings.Join(parts, " "))
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

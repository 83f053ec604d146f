package schemas

import "time"

// Flows an observation can describe. Deficit is imports minus exports,
// surplus and balance are exports minus imports ("net exports" is a
// balance), total is exports plus imports. Re-exports and re-imports are
// flows of their own: goods imported and exported again unchanged (or
// exported and imported again).
const (
	FlowExports   = "exports"
	FlowImports   = "imports"
	FlowDeficit   = "deficit"
	FlowSurplus   = "surplus"
	FlowBalance   = "balance"
	FlowTotal     = "total"
	FlowReexports = "re_exports"
	FlowReimports = "re_imports"
	// FlowDomesticExports are exports of goods produced in the reporter
	// (Hong Kong, Singapore, Kenya, Australia publish them beside
	// re-exports): exports = domestic_exports + re_exports.
	FlowDomesticExports = "domestic_exports"
)

// Flows lists every flow, in the order documentation shows them.
var Flows = []string{FlowExports, FlowImports, FlowBalance, FlowSurplus, FlowDeficit, FlowTotal, FlowReexports, FlowReimports, FlowDomesticExports}

// Measures an observation can hold: a level (an amount of money), a share of
// the parent reporter's level in percent, a growth rate in percent against
// BasePeriod, or an index: the level as a percentage of BasePeriod's
// (BasePeriod = 100; 101.5 is a growth of 1.5%).
const (
	MeasureLevel  = "level"
	MeasureShare  = "share"
	MeasureGrowth = "growth"
	MeasureIndex  = "index"
)

// Units. Money is recorded in its currency (ISO 4217 code, UnitEUR for
// euro) with a Scale (1e9 for "billion euro"); shares and growth rates are
// in percent (UnitPercent). A money figure whose table states no currency
// has Unit "" (and a warning finding no_unit).
const (
	UnitEUR     = "EUR"
	UnitPercent = "%"
)

// IsMoney reports whether unit is a currency: not a percentage, not
// unknown.
func IsMoney(unit string) bool { return unit != "" && unit != UnitPercent }

// ProductTotal is the product of an observation that covers all products.
const ProductTotal = "Total"

// Observation is one published figure in tidy form: who (Reporter) traded
// what (Flow, Product) with whom (Partner) in which Period, as which Measure,
// and the cell it was read from. Wide report tables and long tables both end
// as Observations.
//
// The expr tags name the fields in rule expressions (see package validate);
// the validate tags are the record rules checked by go-playground/validator.
type Observation struct {
	// File is the input path as given on the command line (or found in a
	// directory given there); FileSHA256 is the hex digest of its bytes.
	File       string `expr:"file" validate:"required"`
	FileSHA256 string `expr:"file_sha256" validate:"omitempty,len=64,hexadecimal"`
	// Sheet is the worksheet name ("" for CSV), Cell the A1 address of the
	// figure and Table the A1 range of the header row of its table, which
	// identifies the table within the sheet.
	Sheet string `expr:"sheet"`
	Cell  string `expr:"cell" validate:"required"`
	Table string `expr:"table"`
	// Label is the row label or product text the figure was read under.
	Label string `expr:"label"`

	// Reporter is the country or region whose trade this is: its
	// canonical name from the area list, or the name as written when the
	// list does not know it (ReporterCode is then empty, and a warning
	// finding unknown_area says so). ReporterCode is its ISO 3166-1
	// alpha-2 code (countries), ISO 3166-2 code (subdivisions) or the
	// Eurostat/SDMX code of an aggregate. ReporterParent is the country a
	// region belongs to ("Belgium" for "Flanders"), empty for countries.
	Reporter       string `expr:"reporter" validate:"required"`
	ReporterCode   string `expr:"reporter_code"`
	ReporterParent string `expr:"reporter_parent"`
	// Partner is the trading partner ("China"); "World" for all partners.
	// PartnerCode is its code, as for ReporterCode.
	Partner     string `expr:"partner" validate:"required"`
	PartnerCode string `expr:"partner_code"`
	Flow        string `expr:"flow" validate:"required,oneof=exports imports deficit surplus balance total re_exports re_imports domestic_exports"`
	// Product is a product group label, or ProductTotal.
	Product     string `expr:"product" validate:"required"`
	ProductCode string `expr:"product_code"`
	// ProductClass is the classification ProductCode belongs to (HS, CN,
	// SITC, BEC, NST, CPA or national; see [ProductClassification]),
	// empty when neither the heading nor the code's shape says.
	ProductClass string `expr:"product_classification"`
	Measure      string `expr:"measure" validate:"required,oneof=level share growth index"`

	// Period is the canonical period label ("2013", "2013S1", "2013Q1",
	// "2013-01", "2024-01/2024-06").
	Period      string    `expr:"period" validate:"required"`
	PeriodType  string    `expr:"period_type" validate:"required,oneof=year half quarter month cumulative"`
	Year        int       `expr:"year" validate:"gte=1800,lte=2200"`
	PeriodStart time.Time `expr:"period_start"`
	// BasePeriod is the period a growth rate compares with; empty for
	// other measures.
	BasePeriod string `expr:"base_period" validate:"required_if=Measure growth"`

	// HasValue is false for a missing figure; Missing then holds the mark
	// the source used ("n.a.", "-", ":").
	HasValue bool    `expr:"has_value"`
	Value    float64 `expr:"value"`
	// Digits is Value as the exact decimal text it was published as
	// ("9007199254740993"; the syntax of ParseDecimal), set when that
	// text has more significant digits than a float64 holds (more than
	// FloatExact): load writes value, value_base and value_eur from it,
	// digit for digit. Empty otherwise: Value is then exact (its
	// shortest decimal text is the published figure).
	Digits  string
	Missing string `expr:"missing"`
	// Status is the status or footnote mark of the figure, its row or its
	// column heading: the Eurostat and SDMX flags (p provisional, e
	// estimated, b break in series, c confidential, u unreliable, and
	// SDMX OBS_STATUS codes), or a footnote mark ("*", "1)").
	Status string `expr:"obs_status"`
	// Text is the figure as written in the source (cell text or CSV
	// field), Decimals the number of decimals it was published with.
	Text     string `expr:"text"`
	Decimals int    `expr:"decimals" validate:"gte=0,lte=15"`
	// Unit is the currency of a money figure (ISO 4217: EUR, USD, CHF,
	// ...), "" when the table states none, or UnitPercent for shares and
	// growth rates. Currency is the currency of the table the figure
	// belongs to, for every measure (a growth rate computed in pounds is
	// not one computed in euro). Scale multiplies Value into Unit (1e9 for
	// "billion euro", 1 for percentages).
	Unit     string  `expr:"unit" validate:"omitempty,iso4217|eq=%"`
	Currency string  `expr:"currency" validate:"omitempty,iso4217"`
	Scale    float64 `expr:"scale" validate:"gt=0"`
	// ValueBase is Value × Scale for money figures, in Unit; HasValueBase
	// is false for percentages and missing figures.
	HasValueBase bool    `expr:"has_value_base"`
	ValueBase    float64 `expr:"value_base"`
	// ValueEUR is Value × Scale for euro figures; HasValueEUR is false for
	// other currencies, percentages and missing figures.
	HasValueEUR bool    `expr:"has_value_eur"`
	ValueEUR    float64 `expr:"value_eur"`

	// Quantity is the quantity the source gives beside the figure (a long
	// table's quantity column: net mass, supplementary units), in
	// QuantityUnit (kg, t, pieces...: see [QuantityUnit]; "" when the
	// source names no unit); HasQuantity is false when the source gives
	// none for this figure.
	HasQuantity  bool    `expr:"has_quantity"`
	Quantity     float64 `expr:"quantity"`
	QuantityUnit string  `expr:"quantity_unit"`

	// RunID is the run that read the figure from its input and published
	// it; empty until load writes it (a writer fills in its own run).
	RunID string `expr:"run_id"`
}

// Ref returns the observation's cell as "Sheet!B7" (or just "B7" for CSV).
func (o *Observation) Ref() string {
	if o.Sheet == "" {
		return o.Cell
	}
	return o.Sheet + "!" + o.Cell
}

// Describe returns a short human description such as
// "Flanders exports 2012" or "Flanders share of exports 2013".
func (o *Observation) Describe() string {
	s := o.Reporter + " "
	switch o.Measure {
	case MeasureShare:
		s += "share of " + o.Flow
	case MeasureGrowth:
		s += o.Flow + " growth"
	case MeasureIndex:
		s += o.Flow + " index"
	default:
		s += o.Flow
	}
	if o.Product != "" && o.Product != ProductTotal {
		s += " (" + o.Product + ")"
	}
	return s + " " + o.Period
}

// HalfUnit is the rounding half-width of the published figure: 0.005 for a
// figure published with two decimals. A published 6.80 stands for any true
// value in [6.795, 6.805].
func (o *Observation) HalfUnit() float64 {
	return 0.5 * pow10(-o.Decimals)
}

func pow10(n int) float64 {
	p := 1.0
	if n >= 0 {
		for range n {
			p *= 10
		}
		return p
	}
	for range -n {
		p /= 10
	}
	return p
}

package validate_test

import (
	"fmt"
	"log"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/validate"
)

// A rules file is loaded once and checks any number of observations. Here
// a deficit published as 7.10 next to exports of 6.75 and imports of
// 11.85 breaks the rule. The audit (Check and the search for the cells
// most likely wrong) lists the candidates: one rule alone cannot tell
// which of its three figures is wrong.
func ExampleLoadRules() {
	rs, err := validate.LoadRules("my-rules.yaml", []byte(`
version: 1
rules:
  - id: balance
    description: The trade deficit equals imports minus exports.
    match: {flow: deficit, measure: level}
    as: deficit
    with:
      exports: {flow: exports}
      imports: {flow: imports}
    check: deficit == imports - exports
`))
	if err != nil {
		log.Fatal(err) // names the file, line and field at fault
	}
	figure := func(cell string, flow string, v float64) schemas.Observation {
		return schemas.Observation{
			File: "news.xlsx", Sheet: "Trade", Table: "A3:B6", Cell: cell,
			Reporter: "Belgium", Partner: "China", Flow: flow, Product: schemas.ProductTotal,
			Measure: schemas.MeasureLevel, Period: "2011", PeriodType: schemas.PeriodYear, Year: 2011,
			HasValue: true, Value: v, Decimals: 2, Unit: schemas.UnitEUR, Currency: schemas.UnitEUR, Scale: 1e9,
		}
	}
	obs := []schemas.Observation{
		figure("B4", schemas.FlowExports, 6.75),
		figure("B5", schemas.FlowImports, 11.85),
		figure("B6", schemas.FlowDeficit, 7.10),
	}
	for _, f := range rs.Check(obs) {
		fmt.Println(f.Severity, f.Rule, f.Cells, f.Message)
	}
	for _, f := range rs.Audit(obs) {
		if f.Verdict() {
			fmt.Println(f.Rule, f.SuspectCell, f.Candidates, f.Message)
		}
	}
	// Output:
	// error balance [B6 B4 B5] Belgium deficit 2011 (B6) is 7.10, but imports − exports = 11.85 − 6.75 = 5.10 (B5, B4); rounding allows ±0.015
	// suspect  [B6 B4 B5] The rules cannot tell which of these figures is wrong: B6 (Belgium deficit 2011, reads 7.10; 5.10 would fit), B4 (Belgium exports 2011, reads 6.75; 4.75 would fit) or B5 (Belgium imports 2011, reads 11.85; 13.85 would fit). Each alone explains balance (B6).
}

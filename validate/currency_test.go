package validate

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// Money in any currency, figures without a unit, the flow rules
// (trade_balance, total_trade, non_negative on re-exports), half-year and
// cumulative periods: synthetic observations through the default rules,
// by Check and Audit, and the same findings however they are streamed.

// allWays checks obs with rs by Check and Audit and makes sure an
// evaluator fed one observation at a time, three at a time, and a
// collector per file find the same. It returns Check's and Audit's
// findings.
func allWays(t *testing.T, rs *RuleSet, obs []schemas.Observation) (check, audit []schemas.Finding) {
	t.Helper()
	check, audit = rs.Check(obs), rs.Audit(obs)
	show := func(fs []schemas.Finding) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = fmt.Sprintf("%s %q %q %q suspect=%s sugg=%s slip=%q cand=%q", f.Rule, f.Sheet, f.Cells, f.Message,
				f.SuspectCell, ptrString(f.SuggestedValue), f.Slip, f.Candidates)
		}
		return out
	}
	same := func(what string, got, want []schemas.Finding) {
		t.Helper()
		if g, w := show(got), show(want); !slices.Equal(g, w) {
			t.Errorf("%s differs from the batch:\n got  %q\n want %q", what, g, w)
		}
	}
	for _, n := range []int{1, 3} {
		for _, a := range []bool{false, true} {
			ev := rs.NewEvaluator(EvalOptions{Audit: a})
			for i := 0; i < len(obs); i += n {
				batch := slices.Clone(obs[i:min(i+n, len(obs))])
				ev.Add(batch)
				for j := range batch {
					batch[j] = schemas.Observation{File: "clobbered", Reporter: "x", Cell: "Z1"}
				}
			}
			if a {
				same(fmt.Sprintf("audit streamed in batches of %d", n), ev.Finish(), audit)
			} else {
				same(fmt.Sprintf("check streamed in batches of %d", n), ev.Finish(), check)
			}
		}
	}
	ev := rs.NewEvaluator(EvalOptions{})
	for rest := obs; len(rest) > 0; {
		n := 1
		for n < len(rest) && rest[n].File == rest[0].File {
			n++
		}
		col := rs.NewCollector()
		col.Add(rest[:n])
		ev.AddCollected(col)
		rest = rest[n:]
	}
	same("check collected by file", ev.Finish(), check)
	return check, audit
}

// ruleCells lists findings as "rule@Sheet!cell" of their anchors.
func ruleCells(fs []schemas.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + "@" + f.Sheet + "!" + f.Cells[0]
	}
	return out
}

func logAll(t *testing.T, fs []schemas.Finding) {
	t.Helper()
	for _, f := range fs {
		t.Logf("%s %s %v suspect=%s sugg=%s slip=%q cand=%v: %s", f.Rule, f.Sheet, f.Cells, f.SuspectCell,
			ptrString(f.SuggestedValue), f.Slip, f.Candidates, f.Message)
	}
}

// suspectOf returns the audit's suspect finding naming cell, if any.
func suspectOf(fs []schemas.Finding, sheet, cell string) (schemas.Finding, bool) {
	for _, f := range fs {
		if f.Rule == schemas.RuleSuspect && f.Sheet == sheet && f.SuspectCell == cell {
			return f, true
		}
	}
	return schemas.Finding{}, false
}

const million = "scale=1000000"

func TestMoneyInAnyCurrencyOnOneScale(t *testing.T) {
	rs := mustDefault(t)
	chf := func(cell string, v float64, d int, fields ...string) schemas.Observation {
		return fig(cell, v, d, append(fields, "currency=CHF")...)
	}
	// Exports and imports in CHF million, the deficit and total trade in
	// CHF billion: "6.8 billion" and "6800 million" agree.
	table := func(deficit float64) []schemas.Observation {
		return figs(
			chf("C5", 6800, 0, million), chf("C9", 11280, 0, "flow=imports", million),
			chf("C13", deficit, 2, "flow=deficit"), chf("C17", 18.08, 2, "flow=total"),
		)
	}
	if check, _ := allWays(t, rs, table(4.48)); len(check) != 0 {
		logAll(t, check)
		t.Fatal("CHF million and CHF billion figures that agree raise findings")
	}
	check, _ := allWays(t, rs, table(4.84))
	checkFindings(t, check, []want{{
		rule: "balance", cells: []string{"C13", "C5", "C9"}, expected: 4.48, actual: 4.84, tol: 0.006,
		message: "Flanders deficit 2013 (C13) is 4.84, but imports − exports = 11.280 − 6.800 = 4.480 (C9, C5)",
	}})

	// A region's level in CHF million against its country's in CHF
	// billion (part_le_whole, scope file), both ways round.
	region := func(v float64) []schemas.Observation {
		return figs(chf("C5", v, 0, million), chf("F5", 6.8, 1, "reporter=Belgium", "sheet=Belgium"))
	}
	if check, _ := allWays(t, rs, region(6800)); len(check) != 0 {
		logAll(t, check)
		t.Fatal("6800 million against 6.8 billion: findings")
	}
	check, _ = allWays(t, rs, region(6900))
	checkFindings(t, check, []want{{
		rule: "part_le_whole", cells: []string{"C5", "Belgium!F5"}, expected: 6800, actual: 6900, tol: 50.5,
		message: "Flanders exports 2013 (C5) is 6900, but must not exceed whole = 6800",
	}})
}

// The same table published in pounds and in euro on two sheets of one
// file: each sheet is checked on its own figures, never against the
// other's, and each sheet's own error is found there.
func TestCurrencySheetsOfOneFileNotCrossChecked(t *testing.T) {
	rs := mustDefault(t)
	sheet := func(name, cur string, pctCurrency bool, belgium, flanders, share, flanders2012, growth float64) []schemas.Observation {
		at := func(cell string, v float64, d int, fields ...string) schemas.Observation {
			fields = append(fields, "sheet="+name, "file=bulletin.xlsx", "currency="+cur)
			o := fig(cell, v, d, fields...)
			if !pctCurrency && o.Unit == schemas.UnitPercent {
				o.Currency = "" // as producers before schema v2 wrote them
			}
			return o
		}
		return figs(
			at("B4", belgium, 2, "reporter=Belgium"),
			at("B5", flanders2012, 2, "period=2012"), at("C5", flanders, 2),
			at("D5", growth, 1, "measure=growth", "base=2012"),
			at("C6", share, 1, "measure=share"),
		)
	}
	for _, pctCurrency := range []bool{true, false} {
		name := "shares and growth rates with their currency"
		if !pctCurrency {
			name = "shares and growth rates without currency: their table's"
		}
		t.Run(name, func(t *testing.T) {
			// The euro sheet comes first: its Belgium is the first figure of
			// that key in the file.
			clean := slices.Concat(
				sheet("EUR", "EUR", pctCurrency, 14.37, 6.80, 47.3, 6.95, -2.2),
				sheet("GBP", "GBP", pctCurrency, 12.62, 5.97, 47.3, 6.10, -2.1),
			)
			if check, _ := allWays(t, rs, clean); len(check) != 0 {
				logAll(t, check)
				t.Fatal("the pound and euro sheets are compared with each other")
			}
			// A share typed 43.7 for 47.3 on the pound sheet, a growth rate
			// of -2.5 for -2.2 on the euro sheet.
			broken := slices.Concat(
				sheet("EUR", "EUR", pctCurrency, 14.37, 6.80, 47.3, 6.95, -2.5),
				sheet("GBP", "GBP", pctCurrency, 12.62, 5.97, 43.7, 6.10, -2.1),
			)
			check, audit := allWays(t, rs, broken)
			if got, want := ruleCells(check), []string{"growth_consistency@EUR!D5", "share_consistency@GBP!C6"}; !slices.Equal(got, want) {
				logAll(t, check)
				t.Fatalf("findings %q, want %q", got, want)
			}
			if !slices.Equal(check[1].Cells, []string{"C6", "C5", "B4"}) {
				t.Errorf("the pound share read %q, want its own sheet's C5 and B4", check[1].Cells)
			}
			if s, ok := suspectOf(audit, "GBP", "C6"); !ok || s.Slip != schemas.SlipSwapped || !near(s.SuggestedValue, 47.3) {
				logAll(t, audit)
				t.Errorf("the pound share C6 is not named (47.3, digits swapped)")
			}
			// The audit's findings stay on their sheets too.
			for _, f := range audit {
				for _, c := range slices.Concat(f.Cells, f.Candidates) {
					if strings.Contains(c, "!") {
						t.Errorf("%s on sheet %s reads %s", f.Rule, f.Sheet, c)
					}
				}
			}
		})
	}
}

func TestTradeBalanceAndTotalTrade(t *testing.T) {
	rs := mustDefault(t)
	tests := []struct {
		name string
		rule string
		obs  []schemas.Observation
		want []want
	}{
		{"balance = exports − imports", "trade_balance", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C13", -4.48, 2, "flow=balance"),
		), nil},
		{"surplus = exports − imports", "trade_balance", figs(
			fig("C5", 11.28, 2), fig("C9", 6.80, 2, "flow=imports"), fig("C13", 4.48, 2, "flow=surplus"),
		), nil},
		{"balance within rounding", "trade_balance", figs(
			fig("C5", 4.66, 2), fig("C9", 1.81, 2, "flow=imports"), fig("C13", 2.9, 1, "flow=balance"),
		), nil},
		{"balance broken", "trade_balance", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C13", -4.84, 2, "flow=balance"),
		), []want{{
			rule: "trade_balance", cells: []string{"C13", "C5", "C9"}, expected: -4.48, actual: -4.84, tol: 0.015,
			message: "Flanders balance 2013 (C13) is -4.84, but exports − imports = 6.80 − 11.28 = -4.48 (C5, C9); rounding allows ±0.015",
		}}},
		{"a deficit is not a balance", "trade_balance", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C13", 4.48, 2, "flow=deficit"),
		), nil},
		{"total = exports + imports", "total_trade", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C17", 18.08, 2, "flow=total"),
		), nil},
		{"total within rounding", "total_trade", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C17", 18.1, 1, "flow=total"),
		), nil},
		{"total broken", "total_trade", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C17", 18.80, 2, "flow=total"),
		), []want{{
			rule: "total_trade", cells: []string{"C17", "C5", "C9"}, expected: 18.08, actual: 18.80, tol: 0.015,
			message: "Flanders total 2013 (C17) is 18.80, but exports + imports = 6.80 + 11.28 = 18.08 (C5, C9)",
		}}},
		{"re-exports are in no balance", "trade_balance", figs(
			fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C13", -4.48, 2, "flow=balance"),
			fig("C21", 1.10, 2, "flow=re_exports"), fig("C22", 0.40, 2, "flow=re_imports"),
		), nil},
		{"re-exports never negative", "non_negative", figs(
			fig("C21", -1.10, 2, "flow=re_exports"), fig("C22", 0.40, 2, "flow=re_imports"),
		), []want{{
			rule: "non_negative", cells: []string{"C21"}, expected: 0, actual: -1.10, tol: 0.005,
			message: "Flanders re-exports 2013 (C21) is -1.10, but must be at least 0",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, _ := allWays(t, only(rs, tt.rule), tt.obs)
			checkFindings(t, check, tt.want)
			// The full default set finds the same.
			full, _ := allWays(t, rs, tt.obs)
			checkFindings(t, full, tt.want)
		})
	}
}

// The audit names the wrong cell of the flow rules as it does for balance.
func TestTradeBalanceSuspects(t *testing.T) {
	rs := mustDefault(t)
	type named struct {
		cell, slip string
		value      float64
	}
	tests := []struct {
		name     string
		obs      []schemas.Observation
		findings []string
		suspects []named
	}{
		{
			// 833.1 where -833.1 belongs: exports and imports would each
			// explain the balance too, but only the balance is a typing slip
			// away from what the rule wants.
			name: "a sign flipped in a balance cell",
			obs: figs(
				fig("C5", 4512.6, 1, million), fig("C9", 5345.7, 1, "flow=imports", million),
				fig("C13", 833.1, 1, "flow=balance", million),
			),
			findings: []string{"suspect@Table 1!C13", "trade_balance@Table 1!C13"},
			suspects: []named{{"C13", schemas.SlipSign, -833.1}},
		},
		{
			// Imports 2023 read 5213.9 for 5123.9: the balance, total trade
			// and the imports growth rate fail, and only the imports cell
			// reads in all three.
			name: "digits swapped in an imports cell",
			obs: figs(
				fig("C5", 5210.4, 1, "period=2022", million), fig("C9", 4875.2, 1, "flow=imports", "period=2022", million),
				fig("C13", 335.2, 1, "flow=balance", "period=2022", million),
				fig("D5", 5402.7, 1, "period=2023", million), fig("D9", 5213.9, 1, "flow=imports", "period=2023", million),
				fig("D13", 278.8, 1, "flow=balance", "period=2023", million),
				fig("D17", 10526.6, 1, "flow=total", "period=2023", million),
				fig("E5", 3.7, 1, "measure=growth", "period=2023", "base=2022"),
				fig("E9", 5.1, 1, "flow=imports", "measure=growth", "period=2023", "base=2022"),
			),
			findings: []string{"suspect@Table 1!D9", "growth_consistency@Table 1!E9", "trade_balance@Table 1!D13", "total_trade@Table 1!D17"},
			suspects: []named{{"D9", schemas.SlipSwapped, 5123.9}},
		},
		{
			name: "total trade with two digits swapped",
			obs: figs(
				fig("C5", 6.80, 2), fig("C9", 11.28, 2, "flow=imports"), fig("C17", 18.80, 2, "flow=total"),
			),
			findings: []string{"suspect@Table 1!C17", "total_trade@Table 1!C17"},
			suspects: []named{{"C17", schemas.SlipSwapped, 18.08}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, audit := allWays(t, rs, tt.obs)
			got := ruleCells(audit)
			if !sameSet(got, tt.findings) {
				logAll(t, audit)
				t.Fatalf("findings %q, want %q", got, tt.findings)
			}
			for _, s := range tt.suspects {
				f, ok := suspectOf(audit, "Table 1", s.cell)
				switch {
				case !ok:
					logAll(t, audit)
					t.Errorf("%s is not named", s.cell)
				case f.Slip != s.slip || !near(f.SuggestedValue, s.value):
					t.Errorf("%s: slip %q, suggested %s; want %q, %v", s.cell, f.Slip, ptrString(f.SuggestedValue), s.slip, s.value)
				}
			}
			for _, f := range audit {
				if f.Rule != schemas.RuleSuspect && f.SuspectCell != tt.suspects[0].cell {
					t.Errorf("%s at %v points at %q, want %s", f.Rule, f.Cells, f.SuspectCell, tt.suspects[0].cell)
				}
			}
		})
	}
}

// A figure of a table in NZD million typed in units (6287300 for 6287.3):
// the series and the balance both give it away, and it is named.
func TestUnitSlipInAnotherCurrency(t *testing.T) {
	rs := mustDefault(t)
	exports := []float64{5980.1, 6120.4, 6287.3, 6402.8, 6550.0}
	imports := []float64{5800.0, 5900.5, 6000.2, 6100.9, 6200.3}
	for _, decimals := range []int{1, 0} {
		// Shown with the column's one decimal (6287300.0), or as typed.
		t.Run(fmt.Sprintf("published with %d decimals", decimals), func(t *testing.T) {
			var obs []schemas.Observation
			for y := range exports {
				col := string(rune('B' + y))
				period := fmt.Sprint(2019 + y)
				e := fig(col+"5", exports[y], 1, "period="+period, million, "currency=NZD")
				if y == 2 {
					e.Value, e.Decimals = 6287300, decimals
				}
				obs = append(obs, e,
					fig(col+"9", imports[y], 1, "flow=imports", "period="+period, million, "currency=NZD"),
					fig(col+"13", roundTo(exports[y]-imports[y], 1), 1, "flow=balance", "period="+period, million, "currency=NZD"))
			}
			_, audit := allWays(t, rs, obs)
			var slip, balance bool
			for _, f := range audit {
				switch {
				case f.Rule == schemas.RuleScaleSlip && f.SuspectCell == "D5":
					slip = near(f.SuggestedValue, 6287.3) && strings.HasPrefix(f.Message, "Flanders exports 2021 (D5) reads 6287300")
				case f.Rule == "trade_balance" && f.Cells[0] == "D13":
					balance = f.SuspectCell == "D5" || (decimals == 0 && slices.Contains(f.Candidates, "D5"))
				case f.Rule == schemas.RuleScaleSlip || f.Rule == "trade_balance":
					t.Errorf("unexpected %s at %v", f.Rule, f.Cells)
				}
			}
			if !slip || !balance {
				logAll(t, audit)
				t.Fatalf("scale slip names D5 as 6287.3: %v; trade_balance at D13 points at D5: %v", slip, balance)
			}
			s, ok := suspectOf(audit, "Table 1", "D5")
			switch {
			case decimals == 0 && ok:
				// 6287.3 is no slip of a figure published without decimals
				// (slipCandidates keeps the published decimals): the
				// balance alone cannot tell its three cells apart.
				t.Errorf("D5 named by the rules: %s", s.Message)
			case decimals == 1 && (!ok || s.Slip != schemas.SlipUnit || !near(s.SuggestedValue, 6287.3)):
				logAll(t, audit)
				t.Errorf("D5 not named by the rules as 6287.3, unit off by 1000")
			}
		})
	}
}

func TestGrowthOverHalfYearsAndCumulativePeriods(t *testing.T) {
	rs := mustDefault(t)
	tests := []struct {
		name string
		obs  []schemas.Observation
		want []string
	}{
		{"half year on the same half a year before", figs(
			fig("C5", 31.20, 2, "period=2023S1"), fig("D5", 33.05, 2, "period=2024S1"),
			fig("E5", 5.9, 1, "measure=growth", "period=2024S1", "base=2023S1"),
		), nil},
		{"half year growth broken", figs(
			fig("C5", 31.20, 2, "period=2023S1"), fig("D5", 33.05, 2, "period=2024S1"),
			fig("E5", 9.5, 1, "measure=growth", "period=2024S1", "base=2023S1"),
		), []string{"growth_consistency@Table 1!E5"}},
		{"half year on the half before, beside one on the year before", figs(
			fig("B5", 31.20, 2, "period=2023S1"), fig("C5", 32.40, 2, "period=2023S2"), fig("D5", 33.05, 2, "period=2024S1"),
			fig("E5", 2.0, 1, "measure=growth", "period=2024S1", "base=2023S2"),
			fig("F5", 5.9, 1, "measure=growth", "period=2024S1", "base=2023S1"),
		), nil},
		{"cumulative on the same months a year before", figs(
			fig("C5", 30.10, 2, "period=2023-01/2023-06"), fig("D5", 31.75, 2, "period=2024-01/2024-06"),
			fig("E5", 5.5, 1, "measure=growth", "period=2024-01/2024-06", "base=2023-01/2023-06"),
		), nil},
		{"cumulative growth broken", figs(
			fig("C5", 30.10, 2, "period=2023-01/2023-06"), fig("D5", 31.75, 2, "period=2024-01/2024-06"),
			fig("E5", 4.5, 1, "measure=growth", "period=2024-01/2024-06", "base=2023-01/2023-06"),
		), []string{"growth_consistency@Table 1!E5"}},
		{"base period not in the data: nothing", figs(
			fig("C5", 32.40, 2, "period=2023S2"), fig("D5", 33.05, 2, "period=2024S1"),
			fig("E5", 99.9, 1, "measure=growth", "period=2024S1", "base=2023S1"),
			fig("F5", 99.9, 1, "measure=growth", "period=2024-01/2024-06", "base=2023-01/2023-06"),
		), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, audit := allWays(t, rs, tt.obs)
			if got := ruleCells(check); !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				logAll(t, check)
				t.Fatalf("findings %q, want %q", got, tt.want)
			}
			if len(tt.want) == 0 && len(audit) != 0 {
				logAll(t, audit)
				t.Fatal("the audit finds something")
			}
			for _, f := range check {
				if !strings.Contains(f.Message, "Flanders exports growth 2024") {
					t.Errorf("message %q", f.Message)
				}
			}
		})
	}
}

// Figures whose table states no unit are compared with each other, as
// written, within their table; never with figures that have a currency,
// nor with figures without a unit of another table.
func TestFiguresWithoutUnit(t *testing.T) {
	rs := mustDefault(t)
	none := func(cell string, v float64, d int, fields ...string) schemas.Observation {
		o := fig(cell, v, d, fields...)
		o.Unit, o.Currency, o.Scale = "", "", 1
		return o
	}
	tests := []struct {
		name string
		obs  []schemas.Observation
		want []string
	}{
		{"balance within the table", figs(
			none("C5", 680, 0), none("C9", 1128, 0, "flow=imports"), none("C13", 448, 0, "flow=deficit"),
		), nil},
		{"balance broken within the table", figs(
			none("C5", 680, 0), none("C9", 1128, 0, "flow=imports"), none("C13", 484, 0, "flow=deficit"),
		), []string{"balance@Table 1!C13"}},
		{"a share of figures without unit", figs(
			none("C5", 680, 0), none("F5", 1437, 0, "reporter=Belgium"),
			fig("D5", 47.3, 1, "measure=share", "currency="),
		), nil},
		{"a share of figures without unit, broken", figs(
			none("C5", 680, 0), none("F5", 1437, 0, "reporter=Belgium"),
			fig("D5", 43.7, 1, "measure=share", "currency="),
		), []string{"share_consistency@Table 1!D5"}},
		{"not against euro figures", figs(
			none("C5", 15.2, 1), fig("F5", 14.9, 1, "reporter=Belgium", "sheet=Belgium"),
			fig("C9", 15.2, 1, "flow=imports"), none("F9", 14.9, 1, "flow=imports", "reporter=Belgium", "sheet=Belgium"),
			none("C13", 99, 0, "flow=deficit"),
		), nil},
		{"not against another table's", figs(
			none("C5", 15.2, 1), none("F5", 14.9, 1, "reporter=Belgium", "table=H4:K20"),
		), nil},
		{"against its own table's", figs(
			none("C5", 15.2, 1), none("F5", 14.9, 1, "reporter=Belgium"),
		), []string{"part_le_whole@Table 1!C5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, _ := allWays(t, rs, tt.obs)
			if got := ruleCells(check); !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				logAll(t, check)
				t.Fatalf("findings %q, want %q", got, tt.want)
			}
		})
	}
}

// A rules file may ask for a figure of another currency.
func TestCrossCurrencyOperandOnRequest(t *testing.T) {
	rs := mustLoad(t, `
version: 1
rules:
  - id: pounds_below_euro
    scope: file
    match: {measure: level, currency: GBP}
    as: gbp
    with:
      eur: {currency: EUR}
    check: gbp <= eur
`)
	obs := func(gbp float64) []schemas.Observation {
		return figs(
			fig("B4", 14370, 0, "reporter=Belgium", "sheet=EUR", million),
			fig("B4", gbp, 2, "reporter=Belgium", "sheet=GBP", "currency=GBP"),
		)
	}
	if check, _ := allWays(t, rs, obs(12.21)); len(check) != 0 {
		logAll(t, check)
		t.Fatal("findings")
	}
	check, _ := allWays(t, rs, obs(15.00))
	checkFindings(t, check, []want{{
		rule: "pounds_below_euro", cells: []string{"B4", "EUR!B4"}, expected: 14.37, actual: 15, tol: 0.0055,
		message: "Belgium exports 2013 (B4) is 15.00, but must not exceed eur = 14.370 (Belgium exports 2013, EUR!B4)",
	}})
	// The default rules never compare the two.
	if check, _ := allWays(t, mustDefault(t), obs(15.00)); len(check) != 0 {
		logAll(t, check)
		t.Fatal("the default rules compare pounds with euro")
	}
}

package transform

import (
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// A long table's quantity column is carried onto the value's observation,
// with the unit its heading names, and the product classification comes
// from the code column's heading or, without one, from the code's shape.
func TestLongTableQuantityAndClassification(t *testing.T) {
	for _, tc := range []struct {
		name    string
		rows    [][]any
		class   map[string]string  // cell -> product_classification
		qty     map[string]float64 // cell -> quantity; absent: none
		qtyUnit string
	}{
		{
			name: "bench table: Quantity (tonnes), Product code without classification words",
			rows: [][]any{
				{"Reporter", "Partner", "Flow", "Product code", "Product label", "Year", "Value (EUR million)", "Quantity (tonnes)"},
				{"Belgium", "China", "Exports", "847130", "Laptops", 2023, "12.5", 340},
				{"Belgium", "China", "Exports", "84713000", "Laptops", 2023, "10.5", 300},
				{"Belgium", "China", "Imports", "84", "Machinery", 2023, "8", ""},
			},
			class:   map[string]string{"G2": schemas.ClassHS, "G3": schemas.ClassCN, "G4": ""},
			qty:     map[string]float64{"G2": 340, "G3": 300},
			qtyUnit: "t",
		},
		{
			name: "Comext-like: PRODUCT_NC and QUANTITY_IN_KG",
			rows: [][]any{
				{"DECLARANT_ISO", "PARTNER_ISO", "FLOW", "PRODUCT_NC", "PERIOD", "VALUE_IN_EUROS", "QUANTITY_IN_KG"},
				{"BE", "CN", "Exports", "01012100", "2023", 1000, 25.5},
				{"BE", "CN", "Exports", "TOTAL", "2023", 5000, ":"},
			},
			class:   map[string]string{"F2": schemas.ClassCN, "F3": schemas.ClassCN},
			qty:     map[string]float64{"F2": 25.5},
			qtyUnit: "kg",
		},
		{
			name: "SITC heading, a US reporter's 8-digit codes are no CN; no quantity column",
			rows: [][]any{
				{"Reporter", "Partner", "Flow", "SITC code", "Year", "Value (USD million)"},
				{"United States", "China", "Exports", "01", 2023, 5},
			},
			class: map[string]string{"F2": schemas.ClassSITC},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obs, _, info := read(t, sheet(tc.rows...))
			if len(obs) == 0 {
				t.Fatalf("no observations; notes %v", info.Notes)
			}
			seen := 0
			for _, o := range obs {
				want, ok := tc.class[o.Cell]
				if !ok {
					continue
				}
				seen++
				if o.ProductClass != want {
					t.Errorf("%s (code %q): classification %q, want %q", o.Cell, o.ProductCode, o.ProductClass, want)
				}
				q, hasQ := tc.qty[o.Cell]
				if o.HasQuantity != hasQ || o.Quantity != q {
					t.Errorf("%s: quantity %v %v, want %v %v", o.Cell, o.HasQuantity, o.Quantity, hasQ, q)
				}
				wantUnit := ""
				if hasQ {
					wantUnit = tc.qtyUnit
				}
				if o.QuantityUnit != wantUnit {
					t.Errorf("%s: quantity unit %q, want %q", o.Cell, o.QuantityUnit, wantUnit)
				}
			}
			if seen != len(tc.class) {
				t.Errorf("saw %d of the %d cells; observations %+v", seen, len(tc.class), obs)
			}
		})
	}
}

package schemas

import (
	"testing"
)

func TestDefaultDictionaryLoads(t *testing.T) {
	d, err := DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	flows := []struct{ label, want string }{
		{"Belgium exports", FlowExports}, {"Vlaamse uitvoer", FlowExports}, {"Ausfuhren", FlowExports},
		{"Warenausfuhren", FlowExports}, {"Handelsbilanz", FlowBalance}, {"Handelsnetto, Sverige", FlowBalance},
		{"Saldo commerciale – Ticino", FlowBalance}, {"Interscambio", FlowTotal}, {"Obroty", FlowTotal},
		{"Net exports", FlowBalance}, {"Re-exports", FlowReexports}, {"Solde commercial", FlowBalance},
		{"Flanders deficit", FlowDeficit}, {"Trade surplus — Czechia", FlowSurplus}, {"Exportações – AML", FlowExports},
		{"Eksport – województwo śląskie", FlowExports}, {"Importazioni", FlowImports}, {"Invoer Polen", FlowImports},
	}
	for _, tt := range flows {
		if got, ok := d.FindFlow(tt.label); !ok || got != tt.want {
			t.Errorf("FindFlow(%q) = %q, %v; want %q", tt.label, got, ok, tt.want)
		}
	}
	for _, s := range []string{"Trade with China", "Partner", "2013"} {
		if got, ok := d.FindFlow(s); ok {
			t.Errorf("FindFlow(%q) = %q, want none", s, got)
		}
	}
	measures := []struct{ label, want string }{
		{"% Flanders", MeasureShare}, {"Anteil Oberösterreich in %", MeasureShare}, {"Veränd. in %", MeasureGrowth},
		{"Growth rate", MeasureGrowth}, {"Var. homóloga (%)", MeasureGrowth}, {"zmiana r/r w %", MeasureGrowth},
		{"Förändring mot föregående kvartal, %", MeasureGrowth}, {"Quota Lombardia su Italia (%)", MeasureShare},
		{"y/y", MeasureGrowth}, {"Udział województwa śląskiego w %", MeasureShare},
	}
	for _, tt := range measures {
		if got, ok := d.FindMeasure(tt.label); !ok || got != tt.want {
			t.Errorf("FindMeasure(%q) = %q, %v; want %q", tt.label, got, ok, tt.want)
		}
	}
	scales := []struct {
		note string
		want float64
	}{
		{"Werte in Mio. EUR", 1e6}, {"in Mrd. Euro", 1e9}, {"(in billion euro)", 1e9}, {"Tsd. EUR", 1e3},
		{"¥100 million", 1e8}, {"milioni di franchi", 1e6}, {"mnkr", 1e6}, {"€m", 1e6}, {"CZK bn (mld. Kč)", 1e9},
		{"w mln zł", 1e6}, {"US$ Thousand", 1e3}, {"1000 EUR", 1e3}, {"USD 1000", 1e3}, {"in 1000 €", 1e3},
		{"tis. EUR", 1e3}, {"u tisućama eura", 1e3},
	}
	for _, tt := range scales {
		if got, ok := d.Scale(tt.note); !ok || got != tt.want {
			t.Errorf("Scale(%q) = %v, %v; want %v", tt.note, got, ok, tt.want)
		}
	}
	// no scale: a letter after a year ("2024 m." is Lithuanian for the
	// year), a thousand that is not beside a currency
	for _, note := range []string{"Lietuvos užsienio prekyba, 2024 m. sausio–birželio mėn.", "Top 1000 firms", "Rok 2023 r."} {
		if got, ok := d.Scale(note); ok {
			t.Errorf("Scale(%q) = %v, want none", note, got)
		}
	}
	if f, ok := d.Flow("X"); !ok || f != FlowExports {
		t.Errorf("Flow(X) = %q %v", f, ok)
	}
	if f, ok := d.Flow("MIO_BAL_VAL"); !ok || f != FlowBalance {
		t.Errorf("Flow(MIO_BAL_VAL) = %q %v", f, ok)
	}
	if role, _, ok := d.Column("FLOW: Flow"); !ok || role != ColFlow {
		t.Errorf("Column(FLOW: Flow) = %q %v", role, ok)
	}
	if role, _, ok := d.Column("VALUE_IN_EUROS"); !ok || role != ColValue {
		t.Errorf("Column(VALUE_IN_EUROS) = %q %v", role, ok)
	}
}

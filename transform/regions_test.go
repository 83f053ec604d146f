package transform

import (
	"strings"
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
)

// Regions of the reporter's country in rows, under a row that numbers the
// columns: "Outros" and "Não especificado" among them are more regions of
// Brazil (not the rest of the world, not Brazil), and only "Total" is the
// country.
func TestRegionRowsOfTheReporter(t *testing.T) {
	obs, findings, _ := read(t, sheet(
		[]any{"Exportações brasileiras por UF de origem, 2023 e 2024"},
		[]any{"US$ milhões"},
		[]any{"UF", "2023", "2024", "Var. %"},
		[]any{"(1)", "(2)", "(3)", "(4)"},
		[]any{"São Paulo", 70510.5, 72940.2, 3.4},
		[]any{"Minas Gerais", 40120.3, 41980.4, 4.6},
		[]any{"Outros", 150230.1, 155001.2, 3.2},
		[]any{"Não especificado", 1200.5, 980.1, -18.4},
		[]any{"Total", 262061.4, 270901.9, 3.4},
	))
	m := byCell(obs)
	for _, ref := range []string{"A4", "B4", "C4", "D4"} {
		if o, ok := m[ref]; ok {
			t.Errorf("column numbers read as a figure: %+v", o)
		}
	}
	check(t, m, "C5", want{"São Paulo", "World", "exports", "level", "2024", "", 72940.2, 1, "USD", 1e6, ""})
	check(t, m, "D5", want{"São Paulo", "World", "exports", "growth", "2024", "2023", 3.4, 1, "%", 1, ""})
	for _, ref := range []string{"C7", "C8"} {
		o := m[ref]
		if o.Reporter == "Brazil" || o.Reporter == "Rest of the world" || o.ReporterParent != "Brazil" {
			t.Errorf("%s: reporter %q in %q, want a region of Brazil as written", ref, o.Reporter, o.ReporterParent)
		}
	}
	check(t, m, "C9", want{"Brazil", "World", "exports", "level", "2024", "", 270901.9, 1, "USD", 1e6, ""})
	assumed := false
	for _, f := range findings {
		assumed = assumed || f.Rule == schemas.RuleReporterAssumed && strings.Contains(f.Message, "regions above")
	}
	if !assumed {
		t.Errorf("the total read as Brazil without a word: %+v", findings)
	}
}

// A Thai table: years of the Buddhist era in bare headings ("2566"), a
// "%Δ" growth column and "อื่นๆ" (others) for the rest of the world.
func TestThaiBuddhistEraHeadings(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"มูลค่าการส่งออกของไทย จำแนกตามประเทศ ปี 2565-2566"},
		[]any{"หน่วย : ล้านบาท"},
		[]any{"ประเทศ", "2565", "2566", "%Δ"},
		[]any{"จีน", 1100000.5, 1172367.7, 6.6},
		[]any{"ญี่ปุ่น", 800000.5, 840000.5, 5.0},
		[]any{"อื่นๆ", 7000000.5, 7912950.2, 13.0},
		[]any{"รวม", 8900001.5, 9925318.4, 11.5},
	))
	m := byCell(obs)
	check(t, m, "C4", want{"Thailand", "China", "exports", "level", "2023", "", 1172367.7, 1, "THB", 1e6, ""})
	check(t, m, "D4", want{"Thailand", "China", "exports", "growth", "2023", "2022", 6.6, 1, "%", 1, ""})
	check(t, m, "C6", want{"Thailand", "Rest of the world", "exports", "level", "2023", "", 7912950.2, 1, "THB", 1e6, ""})
	check(t, m, "C7", want{"Thailand", "World", "exports", "level", "2023", "", 9925318.4, 1, "THB", 1e6, ""})
}

// A Chinese customs table: the title names the month ("2024年6月"), the
// headings the month and the months to date without their year ("6月",
// "1至6月"), and a growth column "累计比去年同期±%" compares the months
// to date with the same months a year earlier.
func TestMonthTitleAndHeadingsWithoutYear(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"2024年6月中国进出口商品国别总值表（人民币值）"},
		[]any{"单位：亿元"},
		[]any{"国别", "出口", nil, "累计比去年同期±%"},
		[]any{nil, "6月", "1至6月", "出口"},
		[]any{"总值", 22803.4, 125050.3, 6.9},
		[]any{"美国", 3500.1, 18000.2, 3.8},
		[]any{"日本", 1000.3, 5600.4, -2.1},
	))
	m := byCell(obs)
	check(t, m, "B6", want{"China", "United States", "exports", "level", "2024-06", "", 3500.1, 1, "CNY", 1e8, ""})
	check(t, m, "C6", want{"China", "United States", "exports", "level", "2024-01/2024-06", "", 18000.2, 1, "CNY", 1e8, ""})
	check(t, m, "D6", want{"China", "United States", "exports", "growth", "2024-01/2024-06", "2023-01/2023-06", 3.8, 1, "%", 1, ""})
}

// A Rosstat-style column "в % к январю-июню 2023г." (in % of January–June
// 2023, a month name in the dative case) under a title "январь-июнь
// 2024г.": an index on the same months a year earlier.
func TestRussianIndexOnBasePeriod(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"Внешняя торговля Республики Казахстан по основным странам"},
		[]any{"январь-июнь 2024г."},
		[]any{"тыс. долларов США"},
		[]any{nil, "Экспорт", "в % к январю-июню 2023г."},
		[]any{"Всего", 38912417.3, 96.8},
		[]any{"Китай", 7001234.5, 105.2},
		[]any{"Италия", 6100234.5, 91.3},
	))
	m := byCell(obs)
	check(t, m, "B6", want{"Kazakhstan", "China", "exports", "level", "2024-01/2024-06", "", 7001234.5, 1, "USD", 1e3, ""})
	check(t, m, "C6", want{"Kazakhstan", "China", "exports", "index", "2024-01/2024-06", "2023-01/2023-06", 105.2, 1, "%", 1, ""})
}

// A footnote that lists the members of a group ("The European Union
// includes Austria, Belgium, …") names no reporter.
func TestNoteListingCountriesNamesNoReporter(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"Merchandise exports by partner, millions"},
		[]any{"Partner", "2023", "2024"},
		[]any{"United States", 600123.4, 610456.7},
		[]any{"European Union¹", 30123.4, 31456.7},
		[]any{},
		[]any{"1. The European Union includes Austria, Belgium, Bulgaria, Croatia, Cyprus and Czechia."},
	))
	for _, o := range obs {
		if o.Reporter == "Austria" {
			t.Fatalf("%s: reporter Austria read from the footnote", o.Cell)
		}
	}
}

// Partners in section rows over flow rows, bilingual ("Exports /
// Exportations"), with a section for all countries: the sections are
// partners of the title's reporter, and "Total of all countries /
// Ensemble des pays" is the World once, as partner.
func TestBilingualPartnerSections(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"Canada: merchandise trade with principal partners / Canada : commerce de marchandises avec les principaux partenaires"},
		[]any{nil, "2023", "2024"},
		[]any{nil, "$ millions / millions de dollars"},
		[]any{"Total of all countries / Ensemble des pays"},
		[]any{"  Exports / Exportations", 760123.4, 770456.7},
		[]any{"  Imports / Importations", 750123.4, 765456.7},
		[]any{"United States / États-Unis"},
		[]any{"  Exports / Exportations", 590123.4, 594456.7},
		[]any{"  Imports / Importations", 480123.4, 485456.7},
		[]any{"China / Chine"},
		[]any{"  Exports / Exportations", 30123.4, 29456.7},
		[]any{"  Imports / Importations", 86123.4, 85456.7},
	))
	m := byCell(obs)
	for ref, w := range map[string][2]string{"C5": {"Canada", "World"}, "C8": {"Canada", "United States"}, "B12": {"Canada", "China"}} {
		if o := m[ref]; o.Reporter != w[0] || o.Partner != w[1] {
			t.Errorf("%s: %s with %s, want %s with %s", ref, o.Reporter, o.Partner, w[0], w[1])
		}
	}
}

// A row whose figures are all withheld ("к", confidential) between rows
// of figures belongs to the table: the rows below it are read too. The
// balance column, without a unit of its own, is in the unit of the
// exports and imports beside it.
func TestRowOfMarksInsideTable(t *testing.T) {
	obs, _, info := read(t, sheet(
		[]any{"Зовнішня торгівля товарами за регіонами, 2024"},
		[]any{nil, "Експорт", "Імпорт", "Сальдо"},
		[]any{nil, "тис.дол. США", "тис.дол. США"},
		[]any{"Вінницька", 975138.8, 436368.0, 538770.8},
		[]any{"Луганська", "к", "к", "к"},
		[]any{"Львівська", 1059724.7, 2004571.8, -944847.1},
	))
	if len(info.Tables) != 1 {
		t.Fatalf("%d tables, want 1: %+v", len(info.Tables), info.Tables)
	}
	m := byCell(obs)
	check(t, m, "B6", want{"Lviv Oblast", "World", "exports", "level", "2024", "", 1059724.7, 1, "USD", 1e3, ""})
	// the balance column states no unit: it is that of exports and imports
	check(t, m, "D6", want{"Lviv Oblast", "World", "balance", "level", "2024", "", -944847.1, 1, "USD", 1e3, ""})
	if o, ok := m["B5"]; !ok || o.Missing != "к" {
		t.Errorf("B5: %+v, want a withheld figure", o)
	}
}

// Changes "from one month to another" under a change heading: "May to
// June 2024" beside May and June columns compares June with May, and
// "June 2023 to June 2024" (more than a year: no cumulative period)
// compares June with June a year earlier.
func TestChangeBetweenTwoMonths(t *testing.T) {
	obs, _, _ := read(t, sheet(
		[]any{"Canada: merchandise exports by partner, $ millions"},
		[]any{nil, "May 2024", "June 2024", "May to June 2024", "June 2023 to June 2024"},
		[]any{nil, nil, nil, "% change", "% change"},
		[]any{"United States", 48723.9, 47486.7, -2.5, -2.4},
		[]any{"China", 2900.1, 2950.2, 1.7, 3.1},
	))
	m := byCell(obs)
	check(t, m, "D4", want{"Canada", "United States", "exports", "growth", "2024-06", "2024-05", -2.5, 1, "%", 1, ""})
	check(t, m, "E4", want{"Canada", "United States", "exports", "growth", "2024-06", "2023-06", -2.4, 1, "%", 1, ""})
}

package transform

import (
	"testing"

	"github.com/tradeetl/tradeetl/schemas"
	"github.com/tradeetl/tradeetl/vocab"
)

// Periods as tables in Chinese, Japanese, Korean, Vietnamese, Russian,
// Turkish, Indonesian and Greek write them.
func TestPeriodsOtherScripts(t *testing.T) {
	d, err := schemas.DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	pp := &periodParser{dict: d, month: vocab.MonthWord}
	month := func(y, m int) schemas.Period { return schemas.Period{Type: schemas.PeriodMonth, Year: y, Sub: m} }
	quarter := func(y, q int) schemas.Period { return schemas.Period{Type: schemas.PeriodQuarter, Year: y, Sub: q} }
	half := func(y, h int) schemas.Period { return schemas.Period{Type: schemas.PeriodHalf, Year: y, Sub: h} }
	year := func(y int) schemas.Period { return schemas.Period{Type: schemas.PeriodYear, Year: y} }
	for text, want := range map[string]schemas.Period{
		"2023年":            year(2023),
		"2023年1月":          month(2023, 1),
		"2023年12月":         month(2023, 12),
		"２０２３年３月":          month(2023, 3),
		"2023年1-6月":        schemas.Cumulative(2023, 1, 2023, 6),
		"2023年1～6月":        schemas.Cumulative(2023, 1, 2023, 6),
		"2023年1至9月":        schemas.Cumulative(2023, 1, 2023, 9),
		"2023年1-12月":       year(2023),
		"2023年第一季度":        quarter(2023, 1),
		"2023年第3季度":        quarter(2023, 3),
		"2023年上半年":         half(2023, 1),
		"2023年下半年":         half(2023, 2),
		"2023年第1四半期":       quarter(2023, 1),
		"2023年1～3月":        schemas.Cumulative(2023, 1, 2023, 3),
		"2023년 1월":         month(2023, 1),
		"2023.01":          month(2023, 1),
		"2023.12":          month(2023, 12),
		"2023년 3분기":        quarter(2023, 3),
		"2023년 상반기":        half(2023, 1),
		"2023년 하반기":        half(2023, 2),
		"Tháng 1/2023":     month(2023, 1),
		"Quý I/2023":       quarter(2023, 1),
		"Quý 2 năm 2023":   quarter(2023, 2),
		"январь 2023":      month(2023, 1),
		"I квартал 2023":   quarter(2023, 1),
		"2023 г.":          year(2023),
		"Ocak 2023":        month(2023, 1),
		"2023 Ocak":        month(2023, 1),
		"1. Çeyrek 2023":   quarter(2023, 1),
		"Januari 2023":     month(2023, 1),
		"Triwulan I 2023":  quarter(2023, 1),
		"Semester II 2023": half(2023, 2),
		"Ιανουάριος 2023":  month(2023, 1),
		"1ο τρίμηνο 2023":  quarter(2023, 1),
		"ปี 2566":          year(2023), // the Buddhist era
		"ม.ค. 2566":        month(2023, 1),
		"มกราคม 2566":      month(2023, 1),
	} {
		m, ok := pp.Parse(text)
		if !ok {
			t.Errorf("%q: not read as a period (found %+v)", text, pp.Find(text))
			continue
		}
		if m.P != want || m.NoYear {
			t.Errorf("%q: %+v, want %+v", text, m.P, want)
		}
	}
	// 上季度 is the previous quarter, not the first; 2023年度 is a fiscal year
	if ms := pp.Find("上季度"); len(ms) != 0 {
		t.Errorf("上季度: %+v", ms)
	}
	if ms := pp.Find("2023年度"); len(ms) != 1 || !ms[0].Fiscal || ms[0].P.Year != 2023 {
		t.Errorf("2023年度: %+v, want a fiscal year", ms)
	}
}

// Small tables as Chinese customs and Rosstat publish them: the title
// names the reporter, partners run down the rows, periods across.
func TestTablesOtherLanguages(t *testing.T) {
	t.Run("Chinese: exports by country, 10,000 US dollars", func(t *testing.T) {
		obs, findings, _ := read(t, sheet(
			[]any{"2023年中国对主要国家和地区出口（单位：万美元）"},
			[]any{"国家和地区", "2023年1-6月", "2023年", "同比增长(%)"},
			[]any{"美国", 24030.5, 50021.7, -13.1},
			[]any{"日本", 7420.2, 15740.9, -8.4},
			[]any{"韩国", 7450.9, 14899.8, -7.2},
			[]any{"总值", 166365.2, 338000.6, -4.6},
		))
		m := byCell(obs)
		check(t, m, "B3", want{"China", "United States", "exports", "level", "2023-01/2023-06", "", 24030.5, 1, "USD", 1e4, ""})
		check(t, m, "C4", want{"China", "Japan", "exports", "level", "2023", "", 15740.9, 1, "USD", 1e4, ""})
		check(t, m, "D5", want{"China", "South Korea", "exports", "growth", "2023", "2022", -7.2, 1, "%", 1, ""})
		check(t, m, "C6", want{"China", "World", "exports", "level", "2023", "", 338000.6, 1, "USD", 1e4, ""})
		if len(obs) != 12 {
			t.Errorf("%d observations, want 12; findings %v", len(obs), findings)
		}
	})
	t.Run("Japanese: exports to China by product, a partner named before its postposition", func(t *testing.T) {
		obs, _, _ := read(t, sheet(
			[]any{"日本の中国向け輸出（単位：百万円）"},
			[]any{"品目", "2022年", "2023年", "伸率"},
			[]any{"食料品", 125.5, 126.4, 0.7},
			[]any{"化学製品", 1904.0, 1776.0, -6.7},
		))
		m := byCell(obs)
		check(t, m, "C4", want{"Japan", "China", "exports", "level", "2023", "", 1776, 0, "JPY", 1e6, ""})
		check(t, m, "D3", want{"Japan", "China", "exports", "growth", "2023", "2022", 0.7, 1, "%", 1, ""})
		if o := m["B3"]; o.Product != "食料品" {
			t.Errorf("B3 product %q, want 食料品", o.Product)
		}
	})
	t.Run("Thai: exports to China by product, million US dollars", func(t *testing.T) {
		obs, _, _ := read(t, sheet(
			[]any{"การส่งออกของไทยไปจีน (ล้านดอลลาร์สหรัฐ)"},
			[]any{"สินค้า", "2022", "2023"},
			[]any{"ยางพารา", 1255.0, 1264.9},
			[]any{"ข้าว", 1904.0, 1776.0},
		))
		m := byCell(obs)
		check(t, m, "C3", want{"Thailand", "China", "exports", "level", "2023", "", 1264.9, 1, "USD", 1e6, ""})
		if o := m["B4"]; o.Product != "ข้าว" {
			t.Errorf("B4 product %q, want ข้าว", o.Product)
		}
	})
	t.Run("Russian: exports and imports by partner, million US dollars", func(t *testing.T) {
		obs, findings, _ := read(t, sheet(
			[]any{"Внешняя торговля Российской Федерации со странами дальнего зарубежья, млн долл. США"},
			[]any{nil, "Экспорт", nil, "Импорт"},
			[]any{nil, "2022", "2023", "2022", "2023"},
			[]any{"Китай", 114150.0, 129140.0, 76120.0, 110970.0},
			[]any{"Индия", 34980.0, 65700.0, 3620.0, 4330.0},
			[]any{"Турция", 44400.0, 52300.0, 11790.0, 12740.0},
		))
		m := byCell(obs)
		check(t, m, "B4", want{"Russia", "China", "exports", "level", "2022", "", 114150, 0, "USD", 1e6, ""})
		check(t, m, "E5", want{"Russia", "India", "imports", "level", "2023", "", 4330, 0, "USD", 1e6, ""})
		check(t, m, "C6", want{"Russia", "Türkiye", "exports", "level", "2023", "", 52300, 0, "USD", 1e6, ""})
		if len(obs) != 12 {
			t.Errorf("%d observations, want 12; findings %v", len(obs), findings)
		}
	})
}

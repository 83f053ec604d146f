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

package schemas

import (
	"slices"
	"testing"
)

// Fold splits scripts written without spaces into characters and folds
// the letters other languages vary in.
func TestFoldOtherScripts(t *testing.T) {
	for text, want := range map[string][]string{
		"対中国輸出":             {"対", "中", "国", "輸", "出"},
		"对美国出口":             {"对", "美", "国", "出", "口"},
		"수출액 (백만 달러)":       {"수", "출", "액", "백", "만", "달", "러"},
		"2023年1月":           {"2023", "年", "1", "月"},
		"ส่งออก":            {"ส่", "ง", "อ", "อ", "ก"}, // Thai marks stay with their letters
		"ガス":                {"ガ", "ス"},                 // the voicing mark stays: not カス
		"ｶﾞｽ":               {"ガ", "ス"},                 // halfwidth Kana
		"ＵＳＡ　２０２３":          {"usa", "2023"},
		"ΕΞΑΓΩΓΕΣ":          {"εξαγωγεσ"}, // final sigma
		"εξαγωγές":          {"εξαγωγεσ"},
		"DIŞ TİCARET":       {"dis", "ticaret"}, // Turkish dotted and dotless i
		"dış ticaret":       {"dis", "ticaret"},
		"Экспорт в Китай":   {"экспорт", "в", "китаи"},
		"निर्यात":           {"निर्यात"},  // Devanagari vowel signs stay inside the word
		"الصـادرات":         {"الصادرات"}, // the tatweel is dropped
		"Xuất khẩu":         {"xuat", "khau"},
		"Région flamande":   {"region", "flamande"},
		"Vlaamse uitvoer %": {"vlaamse", "uitvoer", "%"},
	} {
		if got := Fold(text); !slices.Equal(got, want) {
			t.Errorf("Fold(%q) = %q, want %q", text, got, want)
		}
	}
}

// The new languages' words: flows, measures, bases, scales.
func TestDictionaryOtherLanguages(t *testing.T) {
	d, err := DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	flows := map[string]string{
		"対中国輸出": FlowExports, "輸出額": FlowExports, "輸入": FlowImports, "貿易収支": FlowBalance, "輸出入": FlowTotal,
		"对美国出口": FlowExports, "进口总额": FlowImports, "进出口总额": FlowTotal, "贸易顺差": FlowSurplus, "逆差": FlowDeficit,
		"進口": FlowImports, "復出口": FlowReexports, "수출": FlowExports, "수입액": FlowImports, "무역수지": FlowBalance,
		"수출입": FlowTotal, "ส่งออก": FlowExports, "การนำเข้า": FlowImports, "ดุลการค้า": FlowBalance,
		"Xuất khẩu": FlowExports, "Nhập khẩu": FlowImports, "Cán cân thương mại": FlowBalance, "Xuất siêu": FlowSurplus,
		"Ekspor ke Tiongkok": FlowExports, "Neraca perdagangan": FlowBalance, "Eksport semula": FlowReexports,
		"الصادرات": FlowExports, "الواردات": FlowImports, "الميزان التجاري": FlowBalance, "إعادة التصدير": FlowReexports,
		"Экспорт в Китай": FlowExports, "Импорт": FlowImports, "Сальдо": FlowBalance, "Внешнеторговый оборот": FlowTotal,
		"Реэкспорт": FlowReexports, "Експорт": FlowExports, "Імпорт": FlowImports, "Εξαγωγές": FlowExports,
		"ΕΙΣΑΓΩΓΕΣ": FlowImports, "Εμπορικό ισοζύγιο": FlowBalance, "Dışa satım": FlowExports, "İhracat": FlowExports,
		"İTHALAT": FlowImports, "Dış ticaret dengesi": FlowBalance, "Dış ticaret açığı": FlowDeficit,
		"Väljavedu": FlowExports, "Eksportas": FlowExports, "Eksports": FlowExports, "Izvoz": FlowExports, "Uvoz": FlowImports,
		"Vývoz": FlowExports, "Kivitel": FlowExports, "Behozatal": FlowImports, "Exporturi": FlowExports,
		"Importuri": FlowImports, "Износ": FlowExports, "Внос": FlowImports, "יצוא": FlowExports, "יבוא": FlowImports,
		"निर्यात": FlowExports, "आयात": FlowImports,
	}
	for text, want := range flows {
		if got, ok := d.FindFlow(text); !ok || got != want {
			t.Errorf("FindFlow(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	measures := map[string]string{
		"構成比": MeasureShare, "伸率": MeasureGrowth, "比重(%)": MeasureShare, "同比增长(%)": MeasureGrowth,
		"증감률": MeasureGrowth, "비중": MeasureShare, "Доля, %": MeasureShare, "Изменение, %": MeasureGrowth,
		"Tỷ trọng (%)": MeasureShare, "Tăng trưởng (%)": MeasureGrowth, "Pangsa (%)": MeasureShare,
		"Pertumbuhan (%)": MeasureGrowth, "Pay (%)": MeasureShare, "Değişim (%)": MeasureGrowth,
		"Μεταβολή %": MeasureGrowth, "Μερίδιο": MeasureShare, "نسبة التغير": MeasureGrowth,
	}
	for text, want := range measures {
		if got, ok := d.FindMeasure(text); !ok || got != want {
			t.Errorf("FindMeasure(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	bases := map[string]Kind{
		"前年同期比": KindYearAgo, "同比": KindYearAgo, "环比": KindPrevious, "전년동기대비": KindYearAgo, "전월대비": KindPrevious,
		"y-on-y": KindYearAgo, "So với cùng kỳ năm trước": KindYearAgo, "к соответствующему периоду предыдущего года": KindYearAgo,
		"bir önceki yılın aynı dönemine göre": KindYearAgo, "على أساس سنوي": KindYearAgo,
	}
	for text, want := range bases {
		if _, ok := d.Find(text, want); !ok {
			t.Errorf("%q: no %s", text, want)
		}
	}
	scales := map[string]float64{
		"(単位：千円)": 1e3, "万美元": 1e4, "单位：亿元": 1e8, "(단위: 백만 달러)": 1e6, "억원": 1e8, "100万円": 1e6,
		"млн долл. США": 1e6, "тыс. руб.": 1e3, "млрд": 1e9, "Juta US$": 1e6, "ribu": 1e3, "miliar rupiah": 1e9,
		"triệu USD": 1e6, "tỷ đồng": 1e9, "Bin ABD Doları": 1e3, "Rs. crore": 1e7, "Rs. lakh": 1e5, "مليون دولار": 1e6,
		"εκατ. ευρώ": 1e6, "ล้านบาท": 1e6, "mil. EUR": 1e6,
	}
	for text, want := range scales {
		if got, ok := d.Scale(text); !ok || got != want {
			t.Errorf("Scale(%q) = %v, %v; want %v", text, got, ok, want)
		}
	}
	// a scale character inside a word is none: 千葉 (Chiba), 천연 (natural)
	for text, want := range map[string]float64{"千葉県の輸出 (単位：百万円)": 1e6, "천연가스 수입 (백만 달러)": 1e6} {
		if got, ok := d.Scale(text); !ok || got != want {
			t.Errorf("Scale(%q) = %v, %v; want %v", text, got, ok, want)
		}
	}
	if _, ok := d.Scale("千葉県"); ok {
		t.Error("千葉県 has a scale")
	}
	for _, text := range []string{"合計", "总计", "합계", "Итого", "Toplam", "Jumlah", "Σύνολο"} {
		if !d.IsTotal(text) {
			t.Errorf("IsTotal(%q) = false", text)
		}
	}
}

// Words of the added languages that other languages write with another
// meaning are left out of them: a word means the same in every table.
func TestAddedLanguagesKeepOtherMeanings(t *testing.T) {
	d, err := DefaultDictionary()
	if err != nil {
		t.Fatal(err)
	}
	for phrase, want := range map[string][]Kind{
		"i":     {KindReporterPrep, KindConjunction}, // Swedish i, not Lithuanian į
		"s":     {KindHalf},                          // French S1, not Croatian s
		"ar":    {KindYearWord},                      // Swedish år, not Latvian ar
		"den":   nil,                                 // German den, not Vietnamese đến
		"total": {KindTotal},
		"real":  nil,
		"von":   {KindReporterPrep}, // German
	} {
		var got []Kind
		for _, t := range d.Exact(phrase) {
			if !slices.Contains(got, t.Kind) {
				got = append(got, t.Kind)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: kinds %v, want %v", phrase, got, want)
		}
	}
}

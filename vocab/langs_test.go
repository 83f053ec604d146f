package vocab

import (
	"testing"
)

// Areas named in the languages added after the first thirteen, inside
// labels of scripts without spaces too.
func TestFindOtherLanguages(t *testing.T) {
	a := DefaultAreas()
	for _, tc := range []struct{ text, country, want string }{
		{"対中国輸出", "", "CN"},
		{"对美国出口", "", "US"},
		{"中国への輸出", "", "CN"},
		{"米国", "", "US"},
		{"대중국 수출", "", "CN"},
		{"미국", "", "US"},
		{"ส่งออกไปจีน", "", "CN"},
		{"Xuất khẩu sang Trung Quốc", "", "CN"},
		{"Ekspor ke Tiongkok", "", "CN"},
		{"Экспорт в Китай", "", "CN"},
		{"Импорт из Германии", "", "DE"},
		{"Экспорт в США", "", "US"},
		{"Експорт до Польщі", "", "PL"},
		{"Εξαγωγές προς την Κίνα", "", "CN"},
		{"İhracat Çin'e", "", "CN"},
		{"Almanya", "", "DE"},
		{"الصادرات إلى الصين", "", "CN"},
		{"Eksportas į Kiniją", "", "CN"},
		{"Izvoz u Njemačku", "", "DE"},
		{"Kivitel Kínába", "", "CN"},
		{"Exporturi în Germania", "", "DE"},
		{"יצוא לארצות הברית", "", "US"},
		{"चीन को निर्यात", "", "CN"},
		{"中国香港", "", "HK"},
		{"中國臺灣", "", "TW"},
		{"广东省", "", "CN-GD"},
		{"广东", "CN", "CN-GD"},
		{"東京都", "", "JP-13"},
		{"서울특별시", "", "KR-11"},
		// genitives that official names hold ("Kinijos Liaudies Respublika")
		{"Eksportas į Kinijos rinką", "", "CN"},
		{"Vācijas", "", "DE"},
		{"Εξαγωγές της Κίνας", "", "CN"},
		{"Импорт из Франции", "", "FR"},
		{"Экспорт из Украины", "", "UA"},
		{"Uvoz iz Kine", "", "CN"},
		{"Kinijos Liaudies Respublika", "", "CN"},
		{"한국의 수출", "", "KR"},
	} {
		ms := a.Find(tc.text, Context{Country: tc.country})
		if len(ms) == 0 {
			t.Errorf("Find(%q): nothing, want %s", tc.text, tc.want)
			continue
		}
		if ms[0].Area.Code != tc.want || ms[0].Ambiguous {
			t.Errorf("Find(%q) = %s (ambiguous %v, via %s), want %s", tc.text, ms[0].Area.Code, ms[0].Ambiguous, ms[0].Via, tc.want)
		}
	}
	// one character is no name; words that hold a name's characters are
	// not that name when a longer name covers them
	for text, want := range map[string]string{"インドネシア": "ID", "印度尼西亚": "ID", "인도네시아": "ID"} {
		if ms := a.Find(text, Context{}); len(ms) != 1 || ms[0].Area.Code != want {
			t.Errorf("Find(%q) = %v, want %s alone", text, ms, want)
		}
	}
	for _, text := range []string{"国", "輸出", "出口", "수출", "원산지", "金額"} {
		if ms := a.Find(text, Context{}); len(ms) > 0 {
			t.Errorf("Find(%q) = %s via %s, want nothing", text, ms[0].Area.Code, ms[0].Via)
		}
	}
}

func TestCurrencyOtherLanguages(t *testing.T) {
	c := DefaultCurrencies()
	for _, tc := range []struct{ text, country, want string }{
		{"(単位：千円)", "", "JPY"},
		{"(单位：万美元)", "", "USD"},
		{"单位：亿元", "", "CNY"},
		{"单位：亿元", "TW", "TWD"},
		{"單位：新臺幣千元", "", "TWD"},
		{"(단위: 억원)", "", "KRW"},
		{"(단위: 백만 달러)", "KR", "USD"},
		{"млн долл. США", "", "USD"},
		{"тыс. руб.", "", "RUB"},
		{"млн грн", "", "UAH"},
		{"Juta US$", "", "USD"},
		{"Bin ABD Doları", "", "USD"},
		{"ล้านบาท", "", "THB"},
		{"tỷ đồng", "VN", "VND"},
		{"مليون دولار", "", "USD"},
	} {
		ms := c.Find(tc.text, Context{Country: tc.country})
		if len(ms) == 0 || ms[0].Currency.Code != tc.want {
			t.Errorf("Find(%q, %q) = %v, want %s", tc.text, tc.country, curCodesOf(ms), tc.want)
		}
	}
	// a currency character inside a word, and names that are words in
	// other languages, name no currency
	for _, text := range []string{"원산지별 수입", "資金", "基金", "Ausfuhr von Waren", "real terms", "miền Bắc", "Perak"} {
		if ms := c.Find(text, Context{}); len(ms) > 0 {
			t.Errorf("%q: %s via %s", text, ms[0].Currency.Code, ms[0].Via)
		}
	}
}

func curCodesOf(ms []CurrencyMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Currency.Code)
	}
	return out
}

func TestMonthWordOtherLanguages(t *testing.T) {
	for word, want := range map[string]int{"1月": 1, "十二月": 12, "3월": 3, "มกราคม": 1, "январь": 1, "января": 1,
		"Ocak": 1, "Januari": 1, "Ιανουάριος": 1, "sausis": 1, "janvāris": 1, "siječanj": 1, "január": 1, "ianuarie": 1,
		"януари": 1, "ינואר": 1, "जनवरी": 1, "listopad": 11} {
		if got, ok := MonthWord(word); !ok || got != want {
			t.Errorf("MonthWord(%q) = %d, %v; want %d", word, got, ok, want)
		}
	}
}

// Display names in a language: CLDR's, else the curated ones.
func TestNameIn(t *testing.T) {
	a := DefaultAreas()
	for _, tc := range []struct{ code, lang, want string }{
		{"BE", "en", "Belgium"},
		{"BE", "fr", "Belgique"},
		{"BE", "nl", "België"},
		{"BE", "de", "Belgien"},
		{"US", "en", "United States"},
		{"CN", "ja", "中国"},
	} {
		ar, ok := a.ByCode(tc.code)
		if !ok {
			t.Fatalf("no area %s", tc.code)
		}
		if got := a.NameIn(ar, tc.lang); got != tc.want {
			t.Errorf("NameIn(%s, %s) = %q, want %q", tc.code, tc.lang, got, tc.want)
		}
	}
	ar, _ := a.ByCode("US")
	if got := a.NameIn(ar, "fr"); got == "" {
		t.Errorf("NameIn(US, fr) is empty")
	}
}

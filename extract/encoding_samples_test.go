package extract

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// sampleLang is the vocabulary of a trade table in one language, for the
// generated samples of the detection tests: a title, a header and the
// names of countries and products. delim is the delimiter its offices
// use (a semicolon where the decimal separator is a comma).
type sampleLang struct {
	code      string
	delim     string
	decComma  bool
	title     string
	header    []string
	countries []string
	products  []string
	encs      []string // the legacy encodings it is published in
}

var sampleLangs = []sampleLang{
	{code: "ja", delim: ",", title: "令和6年 地域別・品別輸出入（確々報）",
		header:    []string{"国・地域", "品目", "2024年 輸出額（千円）", "2024年 輸入額（千円）", "前年比（％）"},
		countries: []string{"中華人民共和国", "アメリカ合衆国", "大韓民国", "台湾", "香港", "タイ", "シンガポール", "ドイツ", "ベトナム", "オーストラリア", "インドネシア", "メキシコ", "英国", "オランダ", "フィリピン"},
		products:  []string{"自動車", "半導体等電子部品", "鉄鋼", "科学光学機器", "原動機", "プラスチック", "有機化合物", "電気回路等の機器", "自動車の部分品", "船舶", "食料品", "金属加工機械", "映像記録・再生機器"},
		encs:      []string{"Shift_JIS", "EUC-JP"}},
	{code: "ko", delim: ",", title: "2024년 국가별 수출입 실적",
		header:    []string{"국가명", "품목명", "수출금액(천달러)", "수입금액(천달러)", "증감률(%)"},
		countries: []string{"중국", "미국", "베트남", "일본", "홍콩", "대만", "싱가포르", "인도", "호주", "멕시코", "독일", "말레이시아", "필리핀", "인도네시아", "폴란드"},
		products:  []string{"반도체", "자동차", "석유제품", "합성수지", "철강판", "선박해양구조물및부품", "자동차부품", "무선통신기기", "평판디스플레이및센서", "컴퓨터", "정밀화학원료", "섬유류"},
		encs:      []string{"EUC-KR"}},
	{code: "zh-Hans", delim: ",", title: "2024年12月进出口商品国别（地区）总值表",
		header:    []string{"国家（地区）", "商品名称", "出口金额（万美元）", "进口金额（万美元）", "同比（%）"},
		countries: []string{"美国", "日本", "韩国", "越南", "德国", "香港", "台湾", "印度", "俄罗斯联邦", "马来西亚", "荷兰", "澳大利亚", "巴西", "泰国", "墨西哥"},
		products:  []string{"机电产品", "高新技术产品", "服装及衣着附件", "纺织纱线、织物及其制品", "钢材", "集成电路", "汽车零配件", "手机", "家具及其零件", "塑料制品", "原油", "铁矿砂及其精矿", "大豆", "天然气"},
		encs:      []string{"GB18030"}},
	{code: "zh-Hant", delim: ",", title: "中華民國113年 進出口貿易統計",
		header:    []string{"國家", "貨品名稱", "出口值（千美元）", "進口值（千美元）", "年增率（%）"},
		countries: []string{"中國大陸", "美國", "日本", "香港", "新加坡", "韓國", "越南", "馬來西亞", "德國", "荷蘭", "澳大利亞", "泰國", "菲律賓", "印度", "加拿大"},
		products:  []string{"電子零組件", "資通與視聽產品", "基本金屬及其製品", "機械", "塑橡膠及其製品", "化學品", "光學器材", "礦產品", "運輸工具", "紡織品", "積體電路"},
		encs:      []string{"Big5"}},
	{code: "el", delim: ";", decComma: true, title: "Εμπορικό ισοζύγιο Δεκεμβρίου 2024 (προσωρινά στοιχεία)",
		header:    []string{"Χώρα", "Προϊόν", "Εξαγωγές (χιλ. ευρώ)", "Εισαγωγές (χιλ. ευρώ)", "Μεταβολή %"},
		countries: []string{"Ιταλία", "Γερμανία", "Κύπρος", "Βουλγαρία", "Τουρκία", "Ηνωμένες Πολιτείες", "Γαλλία", "Ισπανία", "Ρουμανία", "Ολλανδία", "Βόρεια Μακεδονία", "Αίγυπτος", "Κίνα", "Λίβανος", "Σαουδική Αραβία"},
		products:  []string{"Πετρελαιοειδή", "Φάρμακα", "Αλουμίνιο", "Ελαιόλαδο", "Φρούτα και λαχανικά", "Πλαστικά", "Τρόφιμα και ζώα ζωντανά", "Μηχανήματα", "Χημικά προϊόντα", "Ενδύματα"},
		encs:      []string{"windows-1253", "ISO-8859-7"}},
	{code: "ru", delim: ";", decComma: true, title: "Внешняя торговля Российской Федерации за январь–декабрь 2024 г.",
		header:    []string{"Страна", "Товар", "Экспорт (тыс. долл. США)", "Импорт (тыс. долл. США)", "Изменение в %"},
		countries: []string{"Китай", "Индия", "Турция", "Казахстан", "Беларусь", "Германия", "Нидерланды", "Италия", "Южная Корея", "Япония", "Узбекистан", "Египет", "Бразилия", "Объединённые Арабские Эмираты", "Польша"},
		products:  []string{"Минеральные продукты", "Нефть сырая", "Пшеница и меслин", "Уголь каменный", "Машины и оборудование", "Металлы и изделия из них", "Продукция химической промышленности", "Древесина и целлюлозно-бумажные изделия", "Продовольственные товары", "Удобрения"},
		encs:      []string{"windows-1251", "KOI8-R"}},
	{code: "uk", delim: ";", decComma: true, title: "Географічна структура зовнішньої торгівлі товарами за 2024 рік",
		header:    []string{"Країна", "Товар", "Експорт (тис. дол. США)", "Імпорт (тис. дол. США)", "Зміна у %"},
		countries: []string{"Польща", "Китай", "Німеччина", "Туреччина", "Румунія", "Угорщина", "Італія", "Іспанія", "Нідерланди", "Єгипет", "Словаччина", "Чехія", "Молдова", "Франція", "Індія"},
		products:  []string{"Зернові культури", "Жири та олії тваринного або рослинного походження", "Руди шлак і зола", "Чорні метали", "Насіння і плоди олійних рослин", "Електричні машини", "Палива мінеральні", "Деревина і вироби з деревини", "Продукти переробки овочів", "Фармацевтична продукція"},
		encs:      []string{"windows-1251", "KOI8-U"}},
	{code: "tr", delim: ";", decComma: true, title: "Dış ticaret istatistikleri Aralık 2024",
		header:    []string{"Ülke", "Ürün", "İhracat (bin ABD doları)", "İthalat (bin ABD doları)", "Değişim (%)"},
		countries: []string{"Almanya", "Birleşik Krallık", "Irak", "İtalya", "Amerika Birleşik Devletleri", "Fransa", "İspanya", "Hollanda", "Rusya Federasyonu", "Çin", "İsrail", "Romanya", "Polonya", "Mısır", "Birleşik Arap Emirlikleri"},
		products:  []string{"Motorlu kara taşıtları", "Makineler ve mekanik cihazlar", "Demir ve çelik", "Örme giyim eşyası", "Elektrikli makine ve cihazlar", "Plastikler ve mamulleri", "Mineral yakıtlar", "Kıymetli taşlar ve metaller", "Meyveler ve sert kabuklu yemişler", "Halılar"},
		encs:      []string{"windows-1254"}},
	{code: "cs", delim: ";", decComma: true, title: "Zahraniční obchod České republiky podle zemí, leden až prosinec 2024",
		header:    []string{"Země", "Zboží", "Vývoz (mil. Kč)", "Dovoz (mil. Kč)", "Meziroční změna (%)"},
		countries: []string{"Německo", "Slovensko", "Polsko", "Francie", "Rakousko", "Itálie", "Spojené království", "Nizozemsko", "Maďarsko", "Španělsko", "Čína", "Spojené státy", "Belgie", "Švédsko", "Rusko"},
		products:  []string{"Stroje a dopravní prostředky", "Silniční vozidla", "Elektrická zařízení", "Průmyslové spotřební zboží", "Chemikálie a příbuzné výrobky", "Potraviny a živá zvířata", "Minerální paliva", "Nápoje a tabák", "Železo a ocel", "Kancelářské stroje a počítače"},
		encs:      []string{"windows-1250", "ISO-8859-2"}},
	{code: "pl", delim: ";", decComma: true, title: "Obroty handlu zagranicznego według krajów, styczeń–grudzień 2024",
		header:    []string{"Kraj", "Towar", "Eksport (mln zł)", "Import (mln zł)", "Dynamika (%)"},
		countries: []string{"Niemcy", "Czechy", "Francja", "Wielka Brytania", "Holandia", "Włochy", "Rosja", "Chiny", "Stany Zjednoczone", "Hiszpania", "Węgry", "Szwecja", "Słowacja", "Ukraina", "Belgia"},
		products:  []string{"Maszyny i urządzenia mechaniczne", "Pojazdy samochodowe", "Meble i pościel", "Wyroby z żeliwa lub stali", "Tworzywa sztuczne", "Produkty pochodzenia zwierzęcego", "Paliwa mineralne", "Papier i tektura", "Żywność i zwierzęta żywe", "Łodzie i statki"},
		encs:      []string{"windows-1250", "ISO-8859-2"}},
	{code: "vi", delim: ",", title: "Trị giá xuất khẩu nhập khẩu hàng hóa theo nước năm 2024",
		header:    []string{"Nước/Vùng lãnh thổ", "Mặt hàng", "Xuất khẩu (nghìn USD)", "Nhập khẩu (nghìn USD)", "Tăng/giảm (%)"},
		countries: []string{"Hoa Kỳ", "Trung Quốc", "Hàn Quốc", "Nhật Bản", "Hồng Kông", "Ấn Độ", "Hà Lan", "Đức", "Thái Lan", "Đài Loan", "Ma-lai-xi-a", "In-đô-nê-xi-a", "Ô-xtrây-li-a", "Cam-pu-chia", "Anh"},
		products:  []string{"Điện thoại các loại và linh kiện", "Máy vi tính sản phẩm điện tử và linh kiện", "Hàng dệt may", "Giày dép các loại", "Gỗ và sản phẩm gỗ", "Thủy sản", "Gạo", "Cà phê", "Sắt thép các loại", "Phương tiện vận tải và phụ tùng"},
		encs:      []string{"windows-1258"}},
	{code: "th", delim: ",", title: "สถิติการค้าระหว่างประเทศ ปี 2567",
		header:    []string{"ประเทศ", "สินค้า", "มูลค่าส่งออก (ล้านบาท)", "มูลค่านำเข้า (ล้านบาท)", "อัตราการขยายตัว (%)"},
		countries: []string{"สหรัฐอเมริกา", "จีน", "ญี่ปุ่น", "เวียดนาม", "มาเลเซีย", "ออสเตรเลีย", "อินเดีย", "อินโดนีเซีย", "สิงคโปร์", "ฮ่องกง", "เกาหลีใต้", "ไต้หวัน", "ฟิลิปปินส์", "เยอรมนี", "เนเธอร์แลนด์"},
		products:  []string{"รถยนต์ อุปกรณ์และส่วนประกอบ", "เครื่องคอมพิวเตอร์ อุปกรณ์และส่วนประกอบ", "อัญมณีและเครื่องประดับ", "ผลิตภัณฑ์ยาง", "เม็ดพลาสติก", "น้ำมันสำเร็จรูป", "ข้าว", "ทุเรียนสด", "น้ำตาลทราย", "เหล็ก เหล็กกล้าและผลิตภัณฑ์"},
		encs:      []string{"windows-874"}},
	{code: "lt", delim: ";", decComma: true, title: "Lietuvos užsienio prekyba pagal šalis, 2024 m. sausio–gruodžio mėn.",
		header:    []string{"Šalis", "Prekė", "Eksportas (tūkst. eurų)", "Importas (tūkst. eurų)", "Pokytis (%)"},
		countries: []string{"Latvija", "Lenkija", "Vokietija", "Estija", "Jungtinės Amerikos Valstijos", "Švedija", "Nyderlandai", "Norvegija", "Suomija", "Danija", "Prancūzija", "Jungtinė Karalystė", "Kinija", "Italija", "Čekija"},
		products:  []string{"Mineraliniai produktai", "Mašinos ir mechaniniai įrenginiai", "Baldai", "Plastikai ir jų dirbiniai", "Chemijos pramonės produktai", "Javai", "Tabakas", "Transporto priemonės", "Mediena ir medienos dirbiniai", "Pieno produktai"},
		encs:      []string{"windows-1257"}},
	{code: "fr", delim: ";", decComma: true, title: "Commerce extérieur de la France – décembre 2024",
		header:    []string{"Pays", "Produit", "Exportations (millions d'euros)", "Importations (millions d'euros)", "Évolution (%)"},
		countries: []string{"Allemagne", "Belgique", "Italie", "Espagne", "États-Unis", "Royaume-Uni", "Pays-Bas", "Chine", "Suisse", "Pologne", "Japon", "Turquie", "Émirats arabes unis", "Corée du Sud", "Algérie"},
		products:  []string{"Produits pharmaceutiques", "Matériels de transport", "Produits agricoles", "Équipements électriques", "Produits chimiques, parfums et cosmétiques", "Boissons", "Textiles, habillement, cuir et chaussures", "Métallurgie", "Hydrocarbures naturels", "Aéronautique et spatial"},
		encs:      []string{"windows-1252"}},
	{code: "de", delim: ";", decComma: true, title: "Außenhandel nach Ländern, Dezember 2024 (vorläufige Ergebnisse)",
		header:    []string{"Land", "Ware", "Ausfuhr (1 000 EUR)", "Einfuhr (1 000 EUR)", "Veränderung (%)"},
		countries: []string{"Vereinigte Staaten", "Frankreich", "Niederlande", "China", "Österreich", "Polen", "Italien", "Schweiz", "Vereinigtes Königreich", "Tschechien", "Belgien", "Spanien", "Ungarn", "Schweden", "Dänemark"},
		products:  []string{"Kraftwagen und Kraftwagenteile", "Maschinen", "Chemische Erzeugnisse", "Datenverarbeitungsgeräte", "Elektrische Ausrüstungen", "Pharmazeutische Erzeugnisse", "Nahrungs- und Futtermittel", "Metalle", "Gummi- und Kunststoffwaren", "Erdöl und Erdgas"},
		encs:      []string{"windows-1252"}},
	{code: "es", delim: ";", decComma: true, title: "Comercio exterior de España, enero–diciembre de 2024",
		header:    []string{"País", "Producto", "Exportaciones (miles de euros)", "Importaciones (miles de euros)", "Variación (%)"},
		countries: []string{"Francia", "Alemania", "Portugal", "Italia", "Reino Unido", "Estados Unidos", "Países Bajos", "Bélgica", "Marruecos", "China", "México", "Turquía", "Polonia", "Japón", "Suiza"},
		products:  []string{"Bienes de equipo", "Alimentación, bebidas y tabaco", "Sector automóvil", "Productos químicos", "Manufacturas de consumo", "Productos energéticos", "Semimanufacturas no químicas", "Materias primas", "Bienes de consumo duradero", "Frutas, hortalizas y legumbres"},
		encs:      []string{"windows-1252"}},
}

// sampleText writes a trade table of rows rows in the language (0 rows:
// the title and header only).
func sampleText(l sampleLang, rows int, rng *rand.Rand) string {
	var b strings.Builder
	field := func(s string) string {
		if strings.Contains(s, l.delim) {
			return `"` + s + `"`
		}
		return s
	}
	num := func(decimals int) string {
		v := rng.Float64() * 1e6
		s := fmt.Sprintf("%.*f", decimals, v)
		if l.decComma {
			s = strings.Replace(s, ".", ",", 1)
		}
		return field(s)
	}
	b.WriteString(field(l.title) + "\r\n")
	for i, h := range l.header {
		if i > 0 {
			b.WriteString(l.delim)
		}
		b.WriteString(field(h))
	}
	b.WriteString("\r\n")
	for range rows {
		c := l.countries[rng.IntN(len(l.countries))]
		p := l.products[rng.IntN(len(l.products))]
		b.WriteString(strings.Join([]string{field(c), field(p), num(0), num(0), num(1)}, l.delim) + "\r\n")
	}
	return b.String()
}

// encodeSample encodes text in the named legacy encoding; Vietnamese in
// windows-1258 is written as its writers do: base letters precomposed
// where the code page has them, tone marks combining.
func encodeSample(text, enc string) ([]byte, error) {
	var e encoding.Encoding
	for _, c := range legacyEncodings {
		if c.name == enc {
			e = c.enc
		}
	}
	if e == nil {
		return nil, fmt.Errorf("no encoding %s", enc)
	}
	if enc == "windows-1258" {
		text = compose1258(text)
	}
	// punctuation the code page lacks is written as its writers do
	text = strings.Map(func(r rune) rune {
		if _, err := e.NewEncoder().String(string(r)); err == nil {
			return r
		}
		switch r {
		case '–', '—', '−':
			return '-'
		case '“', '”', '„':
			return '"'
		}
		return r
	}, text)
	return e.NewEncoder().Bytes([]byte(text))
}

func compose1258(s string) string {
	var out []rune
	for _, c := range norm.NFC.String(s) {
		if _, ok := charmap.Windows1258.EncodeRune(c); ok {
			out = append(out, c)
			continue
		}
		// a base letter and marks: the base takes the mark it has a
		// precomposed letter for (â, ă, ê, ô, ơ, ư), the tone stays
		// combining
		d := []rune(norm.NFD.String(string(c)))
		base, marks := d[0], d[1:]
		for i, m := range marks {
			p := []rune(norm.NFC.String(string([]rune{base, m})))
			if _, ok := charmap.Windows1258.EncodeRune(p[0]); len(p) == 1 && ok {
				base = p[0]
				marks = append(append([]rune{}, marks[:i]...), marks[i+1:]...)
				break
			}
		}
		out = append(append(out, base), marks...)
	}
	return string(out)
}

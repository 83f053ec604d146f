package extract

import (
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// language is an alphabet of a language written in a single-byte
// encoding: its letters that are not ASCII (all of them for Greek,
// Cyrillic and Thai), lower case, most frequent first.
type language struct {
	code    string
	letters string
	rank    map[rune]int
	n       int
}

func newLanguage(code, letters string) *language {
	l := &language{code: code, letters: letters, rank: map[rune]int{}}
	for _, r := range letters {
		if _, ok := l.rank[r]; !ok {
			l.rank[r] = l.n
			l.n++
		}
	}
	return l
}

// weight is the plausibility of letter r in the language: from 1 for its
// most frequent letter down to 0.6 for its rarest; foreignLetter for a
// letter outside its alphabet.
func (l *language) weight(r rune) float64 {
	k, ok := l.rank[r]
	lo := infoOf(r).lower
	if !ok {
		k, ok = l.rank[lo]
	}
	if !ok {
		if lo < utf8.RuneSelf && lo != r {
			return 1 // "İ": the capital of an ASCII letter in this language
		}
		return foreignLetter
	}
	return 1 - 0.4*float64(k)/float64(l.n)
}

// hasAll reports whether every letter of w that is not ASCII is of the
// language's alphabet.
func (l *language) hasAll(w string) bool {
	for _, r := range w {
		if r < utf8.RuneSelf {
			continue
		}
		if _, ok := l.rank[infoOf(r).lower]; !ok {
			if _, ok := l.rank[r]; !ok {
				return false
			}
		}
	}
	return true
}

// pickLanguage is the language of e that has the most of the text's
// letters that are not ASCII in its alphabet (the first on a tie).
func (e *legacyEncoding) pickLanguage(text string) *language {
	if len(e.langs) == 0 {
		return nil
	}
	if len(e.langs) == 1 {
		return e.langs[0]
	}
	counts := map[rune]int{}
	for _, r := range text {
		if r >= utf8.RuneSelf && isWordRune(r) {
			counts[infoOf(r).lower]++
		}
	}
	best, bestN := e.langs[0], -1
	for _, l := range e.langs {
		n := 0
		for r, k := range counts {
			if _, ok := l.rank[r]; ok {
				n += k
			}
		}
		if n > bestN {
			best, bestN = l, n
		}
	}
	return best
}

// The languages of the single-byte encodings, with their letters that are
// not ASCII in order of frequency (Greek, Cyrillic: all letters).
var (
	langFR = newLanguage("fr", "éèàêçùâîôûëïüœæÿ")
	langDE = newLanguage("de", "äüöß")
	langES = newLanguage("es", "óíáéñúü")
	langPT = newLanguage("pt", "ãçéáóíêâõúôà")
	langIT = newLanguage("it", "àèéìòùíóú")
	langNL = newLanguage("nl", "ëéïèöüá")
	langSV = newLanguage("sv", "äåöé")
	langDA = newLanguage("da", "øåæéö")
	langFI = newLanguage("fi", "äöåšž") // (š, ž: loanwords)
	langIS = newLanguage("is", "áðíéóæúýþö")
	langCA = newLanguage("ca", "àéèòíóçúïü")
	langCS = newLanguage("cs", "áíéýřěčšžůúňťďó")
	langSK = newLanguage("sk", "áíéýčšžôňťďľúäóĺŕ")
	langPL = newLanguage("pl", "óąęłżśćńź")
	langHU = newLanguage("hu", "éáőöóüíúű")
	langRO = newLanguage("ro", "ăîâşţșț")
	langHR = newLanguage("hr", "čšžćđ")
	langTR = newLanguage("tr", "ıüşöçğâîi̇")
	langLT = newLanguage("lt", "ėšųąįūčžę")
	langLV = newLanguage("lv", "āēīšūņļķčģž")
	langET = newLanguage("et", "äõüöšž")
	langVI = newLanguage("vi", "\u0301\u0300\u0323\u0309\u0303ưêôơâăđáàéóíúòèùìý")
	langRU = newLanguage("ru", "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")
	langUK = newLanguage("uk", "оаніивртеклсудмпзяьгбчхжцйшюєїщфґ")
	langBG = newLanguage("bg", "аоеинтрсвлкдмпзяъгбчйхжшцюфщ")
	langBE = newLanguage("be", "аоенівтрсклдмпуязыьгбчйхжшюцўэфё")
	langSR = newLanguage("sr", "аиоенрсјтдкувлмпзгбчшцћњжхљђџф")
	langEL = newLanguage("el", "αοιετσνηυρπκμλωγδςάέίόχθφύήβξώζψϊΐΰϋ")
	// Thai: its letters, vowel and tone marks, most frequent first
	langTH = newLanguage("th", "านรอกเงมย่ลวดทสตะิีับค้หแไพขปูุจใชึ็ืโ์ผถซำฟศฉษญฝๆธฐภณฮฒฬฑฎฏฆฯฌ๊๋ฤฦฃฅํฺๅ๎")
)

// commonHan holds the most common Han characters of Chinese (simplified
// and traditional) and Japanese, with those of the words of trade tables.
const commonHan = "" +
	// simplified: the most frequent characters of modern Chinese
	"的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵" +
	// traditional forms of the above that differ
	"這個們來為國說時會對過發後裡麼學現當沒動還進樣開從實軍無與長機點業將兩間問應戰頭體見產話於內給門兒東聲員義幾認條氣題爾別變總電數報結務場計區保隊決書則聽卻達強難權設記類據邊張該規萬覺術領確傳師觀讓識帶導爭運飛風轉證準單遠愛擊備連調團價黨華級離況亞請際復線斷滿視須寫稱農裝廣顯標談圖歷醫費號盡較語僅隨選紅響雖勢參眾構節維劃敵陳態護興驗責營夠嚴續講終緊黃絕圍織鬥雙紀採舉殺蘇訴細願錢網熱屬臉職樂剛狀獨彈創錯蘭試腦預誰陽繼驚傷藥適衛險陸習勞財環歡獲負雲遊龍樹層衝範異漢簡擔靜餘檢靈協徵揮勝階審堅媽劉讀壓銀買養懷執亂幫歲優鐵稅藝陣腳惡塊頓島戶評寶釋顧貨歐換聞壞討麗監臨誤灣減編測敗夢溫劍漸貴槍樓縣遺謝魯慮銷鐘詩趕劇損舊錄葉鄉禮婦歸飯額順輸搖脫補謂療澤滅筆鮮詞聖擇尋廠煙諾倫奧賣載陰謀榮孫鎮練爺館遍礎莊絲戲隱訪軟薩盤擴蓋穩億擁楊齊賽虛購揚綠貿畢輪庫跡競棄偉緩潛閃燈針絡純頁傑築鄭貝吳殘誠寬擺毀悲趙臺" +
	// Japanese forms and kanji of common use
	"円県図駅関発転売広経済対増減総計気数単価払処続実検証値号様営労働際満変込歳乗当税額比較統輸入出貿易品目別国地域前年同月率合百万千億米国際収支概況鉄鋼機械電気機器自動車部品半導体電子化学製品原料食料燃料鉱物輸送用医薬衣類繊維雑貨石油天然液化炭素" +
	// trade tables in Chinese
	"进出口贸易总值额累计同比增长美元人民币单位万亿国别地区亚洲欧洲非洲拉丁美洲北美洲大洋洲东盟欧盟日本韩国香港台湾越南泰国新加坡马来西亚印度尼西亚菲律宾澳大利亚巴西俄罗斯德国法国英国意大利荷兰加拿大美国机电产品高新技术农产品服装纺织钢材汽车集成电路手机原油铁矿砂粮食塑料医药吨" +
	"進出口貿易總值額累計年增率新臺幣單位千元百萬國別地區亞洲歐洲東協歐盟韓國臺灣越南泰國馬來西亞印尼菲律賓澳大利亞紐西蘭巴西俄羅斯德國法國英國義大利荷蘭加拿大美國電子零組件資通視聽產品基本金屬製品機械塑橡膠化學光學器材礦產運輸工具紡織積體電路噸"

// commonHangul holds the most common Hangul syllables of Korean, with
// those of the words of trade tables.
const commonHangul = "이다는의에가고하을지기서로리사대한자수일도를어나정인시주아전보부제국만해위여상장개동구성적들화있것게무비원거소우모스그내방문생조연경관공요중마라분야면신과오계말물실유당학세없미현결산출입금액품목총년월억달러천톤합증감률율미본베트남태홍콩독영프랑러네말레싱가포르필핀호캐나브질멕코칠프카럽동북오니타체반도차석유선박무선통신디플레이컴퓨터철강판합성수지화학섬의류전농식료원가스탄광물계밀플라틱고무타어액패널되었습니다것으로할때및또는등을위한대해서지역별기준단위전년동기대비증감률수출입무역수지합계총액백만천억원달러톤개월분기누계"

var (
	cjkOnce      sync.Once
	commonHanSet map[rune]bool
	level1Han    map[rune]bool // first level of GB 2312, Big5 and JIS X 0208
	ksHangul     []bool        // the Hangul syllables of KS X 1001, by r-0xAC00
)

// cjkTables builds the tables of Han and Hangul characters from the
// national standards, by decoding their ranges with golang.org/x/text.
func cjkTables() {
	cjkOnce.Do(func() {
		commonHanSet = map[rune]bool{}
		for _, r := range commonHan {
			commonHanSet[r] = true
		}
		level1Han = map[rune]bool{}
		add := func(m map[rune]bool, enc encoding.Encoding, leads, trails [][2]byte) {
			for _, r := range decodePairs(enc, leads, trails) {
				m[r] = true
			}
		}
		euc := [][2]byte{{0xA1, 0xFE}}
		add(level1Han, simplifiedchinese.GBK, [][2]byte{{0xB0, 0xD7}}, euc)
		add(level1Han, traditionalchinese.Big5, [][2]byte{{0xA4, 0xC6}}, [][2]byte{{0x40, 0x7E}, {0xA1, 0xFE}})
		add(level1Han, japanese.EUCJP, [][2]byte{{0xB0, 0xCF}}, euc)
		ksHangul = make([]bool, 0xD7A4-0xAC00)
		for _, r := range decodePairs(korean.EUCKR, [][2]byte{{0xB0, 0xC8}}, euc) {
			if r >= 0xAC00 && r <= 0xD7A3 {
				ksHangul[r-0xAC00] = true
			}
		}
	})
}

// decodePairs decodes every pair of a lead byte and a trail byte in the
// ranges, and returns the characters they read as.
func decodePairs(enc encoding.Encoding, leads, trails [][2]byte) []rune {
	var b []byte
	for _, l := range leads {
		for lead := int(l[0]); lead <= int(l[1]); lead++ {
			for _, t := range trails {
				for trail := int(t[0]); trail <= int(t[1]); trail++ {
					b = append(b, byte(lead), byte(trail), '\n')
				}
			}
		}
	}
	out, _ := enc.NewDecoder().Bytes(b)
	var rs []rune
	for _, r := range string(out) {
		if r != '\n' && r != utf8.RuneError && r >= 0x80 {
			rs = append(rs, r)
		}
	}
	return rs
}

// commonWordList holds, per language, words of trade tables that are
// written with letters that are not ASCII (in lower case): headings, units,
// months, partner countries. A word of a reading found here is strong
// evidence that the reading is right: a misreading turns its letters into
// others ("uþsienio" for "užsienio"), which no list holds.
var commonWordList = []string{
	// fr
	"année années février août décembre évolution extérieur échanges données région régions république économique période métropole pétrole matériels équipements réexportations électriques émirats algérie corée zélande grèce suède norvège pérou sénégal côte états été marchés balance dépenses préc. variation entrées sorties libellé zone pays-bas",
	// de
	"außenhandel österreich dänemark veränderung länder ländern märz königreich türkei südkorea südafrika schätzung vorläufige vorläufig gegenüber überschuss währung ausfuhrüberschuss einfuhrpreise größte größten anteil für januar",
	// es, pt, it, ca, nl
	"españa exportación importación variación país países año años millón bélgica méxico perú japón turquía canadá región período índice está exportação importação exportações importações balança região milhões março japão frança índia variação participação bélgica líquido città attività unità quantità paesi più variazione è società belgië",
	// sv, da, nb, fi, is
	"år länder förändring värde förenade kungariket ändring ændring værdi mængde udførsel indførsel østrig storbritannien måned kvartal sverige norge tyskland verdi endring mnd. määrä yhteensä kesäkuu heinäkuu venäjä yhdistynyt kuningaskunta tammikuu helmikuu maaliskuu huhtikuu toukokuu syyskuu lokakuu marraskuu joulukuu vientiä tuontia milj. maakohtainen",
	// cs, sk
	"země vývoz změna německo čína maďarsko španělsko spojené státy království zahraniční zboží měsíc únor březen květen červen červenec září říjen tisíc kč podíl meziroční čtvrtletí česká česko česka republika celkový hodnota rakúsko poľsko štáty kráľovstvo január február apríl máj jún júl október zahraničný obchodu spolu",
	// pl
	"ogółem włochy węgry słowacja kraj kraje krajów towarów według styczeń kwiecień sierpień wrzesień październik grudzień zł złotych udział wartość wartości dynamika obroty zagraniczny łącznie",
	// hu
	"ország országok kivitel összesen változás németország olaszország franciaország románia szlovákia lengyelország egyesült államok kína március április május június július millió áru külkereskedelem érték értéke forgalom",
	// ro
	"țara ţara țări ţări franța franţa mărfuri față faţă perioadă românia româniei luna lunii ianuarie-decembrie",
	// hr, sl, sr (Latin)
	"njemačka mađarska siječanj veljača ožujak tisuća država države zemlje nemčija hrvaška kitajska švica madžarska izvoz uvoz ukupno razmjena milijuna",
	// lt
	"šalis šalys prekyba užsienio prekės prekių tūkst eurų mėn sausio vasario balandžio gegužės birželio rugpjūčio rugsėjo lapkričio gruodžio švedija jungtinės jungtinė karalystė iš eksportas importas pokytis",
	// lv
	"kopā izmaiņas vācija ķīna tūkst janvāris februāris aprīlis jūnijs jūlijs preču ārējā tirdzniecība gadā mēnesis mēnesī eksporta importa",
	// et
	"läti rootsi ühendkuningriik märts väliskaubandus välja kaubad kaupade kokku",
	// tr
	"ülke ülkeler ülkelere değişim birleşik krallık çin şubat mayıs ağustos eylül kasım aralık doları dış istatistikleri yıl yılı göre değer ürün fasıl ihracat ithalat toplam türkiye",
	// el
	"χώρα χώρες εξαγωγές εισαγωγές σύνολο μεταβολή ιταλία γερμανία κύπρος βουλγαρία τουρκία ηνωμένες πολιτείες γαλλία ισπανία ρουμανία ολλανδία κίνα ιανουάριος φεβρουάριος μάρτιος απρίλιος μάιος ιούνιος ιούλιος αύγουστος σεπτέμβριος οκτώβριος νοέμβριος δεκέμβριος ευρώ εμπόριο εμπορίου έτος μήνας τρίμηνο προϊόντα αξία ποσότητα εξωτερικό ελλάδα ελλάδας ισοζύγιο χιλ εκατ",
	// ru, be
	"страна страны экспорт импорт всего изменение китай индия турция казахстан беларусь германия нидерланды италия япония январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь января декабря тыс млн млрд долл сша руб год года товар товары торговля внешняя стоимость итого россия российской федерации в и с по",
	// uk
	"країна країни експорт імпорт усього всього зміна польща німеччина туреччина румунія угорщина італія іспанія січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень тис дол грн рік року товари товарів торгівля зовнішня україна україни",
	// bg, sr, mk (Cyrillic)
	"държава износ внос общо румъния гърция януари февруари хил лв евро стоки търговия извоз увоз укупно земља",
}

// commonWords is commonWordList as a set.
var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range commonWordList {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}()

// commonWord reports whether w, in lower case, is one of commonWords
// (Turkish "İ" lowered to "i").
func commonWord(w string) bool {
	if len(w) > maxCommonWord {
		return false
	}
	var buf [2 * maxCommonWord]byte
	lw := buf[:0]
	for _, r := range w {
		if r == '\u0130' {
			lw = append(lw, 'i')
			continue
		}
		lw = utf8.AppendRune(lw, infoOf(r).lower)
	}
	return commonWords[string(lw)]
}

// maxCommonWord bounds the length of a word of commonWords, in bytes.
const maxCommonWord = 64

package extract

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
)

// decodeAs decodes b in the named encoding (LookupEncoding's names).
func decodeAs(t testing.TB, name string, b []byte) string {
	t.Helper()
	_, enc, err := LookupEncoding(name)
	if err != nil {
		t.Fatal(err)
	}
	if enc == nil {
		return string(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}))
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestDetectEncodingSamples: trade tables in the languages of
// sampleLangs, each written by golang.org/x/text's encoder in each legacy
// encoding its offices publish in, from the title and header alone to a
// hundred rows, ten tables each. The detection is right when the encoding
// it picks reads the file as the true one does (KOI8-R and KOI8-U read
// Russian alike). It must never pick a wrong encoding it is sure of; it
// may be unsure (a warning) only on little text; the counts are logged
// (go test -v -run TestDetectEncodingSamples).
func TestDetectEncodingSamples(t *testing.T) {
	type tally struct{ sure, unsure, fallback, wrong int }
	var all tally
	for _, l := range sampleLangs {
		for _, enc := range l.encs {
			t.Run(l.code+"/"+enc, func(t *testing.T) {
				var tl tally
				for _, rows := range []int{0, 1, 3, 10, 100} {
					for seed := range 10 {
						text := sampleText(l, rows, rand.New(rand.NewPCG(uint64(seed), uint64(rows))))
						b, err := encodeSample(text, enc)
						if err != nil {
							t.Fatal(err)
						}
						got := DetectEncoding(b, true)
						want := decodeAs(t, enc, b)
						right := got.Name == enc || decodeAs(t, got.Name, b) == want
						switch {
						case right && got.Confident:
							tl.sure++
						case right:
							tl.unsure++
							if got.Note == "" {
								t.Errorf("%d rows, seed %d: not sure, without a note", rows, seed)
							}
							if rows >= 10 && enc != "ISO-8859-2" && enc != "windows-1252" {
								t.Errorf("%d rows, seed %d: %s not sure: %s", rows, seed, got, got.Note)
							}
						case !got.Confident && got.Name == EncodingCP1252:
							tl.fallback++
							if rows >= 10 {
								t.Errorf("%d rows, seed %d: read as %s: %s", rows, seed, got, got.Note)
							}
						default:
							tl.wrong++
							t.Errorf("%d rows, seed %d: %s (sure: %v), want %s: %s", rows, seed, got, got.Confident, enc, got.Note)
						}
					}
				}
				t.Logf("%s: %d sure, %d right but not sure, %d read as windows-1252 (not sure), %d wrong", enc, tl.sure, tl.unsure, tl.fallback, tl.wrong)
				all.sure += tl.sure
				all.unsure += tl.unsure
				all.fallback += tl.fallback
				all.wrong += tl.wrong
			})
		}
	}
	n := all.sure + all.unsure + all.fallback + all.wrong
	t.Logf("all %d samples: %d sure and right, %d right but not sure, %d read as windows-1252 (not sure), %d wrong", n, all.sure, all.unsure, all.fallback, all.wrong)
	if all.sure < n*9/10 {
		t.Errorf("only %d of %d samples detected surely", all.sure, n)
	}
}

// TestDetectEncodingUnicode: a byte order mark decides, UTF-16 without
// one is told by its NUL bytes, valid UTF-8 (ASCII too) is UTF-8.
func TestDetectEncodingUnicode(t *testing.T) {
	ja := sampleText(sampleLangs[0], 5, rand.New(rand.NewPCG(1, 1)))
	el := sampleText(sampleLangs[4], 5, rand.New(rand.NewPCG(1, 1)))
	enc16 := func(order xunicode.Endianness, bom xunicode.BOMPolicy, s string) []byte {
		b, err := xunicode.UTF16(order, bom).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		b        []byte
		want     string
		how      string
		wantText string
	}{
		{"UTF-8", []byte(ja), EncodingUTF8, EncodingValidUTF8, ja},
		{"UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, el...), EncodingUTF8, EncodingByBOM, el},
		{"ASCII", []byte("Country,Value\nBelgium,1\n"), EncodingUTF8, EncodingValidUTF8, "Country,Value\nBelgium,1\n"},
		{"UTF-16LE BOM", enc16(xunicode.LittleEndian, xunicode.UseBOM, ja), EncodingUTF16LE, EncodingByBOM, ja},
		{"UTF-16BE BOM", enc16(xunicode.BigEndian, xunicode.UseBOM, el), EncodingUTF16BE, EncodingByBOM, el},
		{"UTF-16LE", enc16(xunicode.LittleEndian, xunicode.IgnoreBOM, el), EncodingUTF16LE, EncodingDetected, el},
		{"UTF-16BE", enc16(xunicode.BigEndian, xunicode.IgnoreBOM, ja), EncodingUTF16BE, EncodingDetected, ja},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DetectEncoding(tt.b, true)
			if got.Name != tt.want || got.How != tt.how || !got.Confident {
				t.Fatalf("got %+v, want %s (%s)", got, tt.want, tt.how)
			}
			if tt.want != EncodingUTF8 {
				dec, _ := utf16Decoder(got.Name)
				out, err := dec.NewDecoder().Bytes(tt.b)
				if err != nil || string(out) != tt.wantText {
					t.Errorf("decoded %q, %v", out, err)
				}
			}
		})
	}
}

// TestDetectEncodingNotSure: too little text, or text no encoding reads
// well, is read as windows-1252 as before, with a note.
func TestDetectEncodingNotSure(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(0x80 + rng.IntN(0x80))
		if i%7 == 6 {
			noise[i] = ','
		}
	}
	tests := []struct {
		name string
		b    []byte
	}{
		{"one Cyrillic word", []byte("Country,Value\n\xcc\xee\xf1\xea\xe2\xe0,1\n")}, // "Москва" in windows-1251: 6 bytes, could be many
		{"random high bytes", noise},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DetectEncoding(tt.b, true)
			if got.Confident || got.Note == "" {
				t.Fatalf("got %+v, want not sure with a note", got)
			}
			if got.Name != EncodingCP1252 && got.How != EncodingUnsure {
				t.Errorf("got %s, want windows-1252 or the best reading, not sure", got)
			}
		})
	}
}

func TestLookupEncoding(t *testing.T) {
	tests := []struct{ name, want string }{
		{"utf-8", EncodingUTF8}, {"UTF8", EncodingUTF8}, {"utf-16", EncodingUTF16LE}, {"UTF-16BE", EncodingUTF16BE},
		{"cp932", "Shift_JIS"}, {"Shift_JIS", "Shift_JIS"}, {"sjis", "Shift_JIS"}, {"euc-jp", "EUC-JP"},
		{"cp949", "EUC-KR"}, {"euc-kr", "EUC-KR"}, {"gbk", "GB18030"}, {"gb2312", "GB18030"}, {"GB18030", "GB18030"},
		{"big5", "Big5"}, {"cp1250", "windows-1250"}, {"windows-1251", "windows-1251"}, {"cp1253", "windows-1253"},
		{"windows-1254", "windows-1254"}, {"cp1257", "windows-1257"}, {"latin1", "windows-1252"},
		{"iso-8859-1", "windows-1252"}, {"ISO-8859-2", "ISO-8859-2"}, {"iso-8859-7", "ISO-8859-7"},
		{"iso-8859-5", "iso-8859-5"}, {"koi8-r", "KOI8-R"}, {"tis-620", "windows-874"}, {"macintosh", "macintosh"},
	}
	for _, tt := range tests {
		name, enc, err := LookupEncoding(tt.name)
		if err != nil || name != tt.want {
			t.Errorf("LookupEncoding(%q) = %q, %v; want %q", tt.name, name, err, tt.want)
		}
		if (enc == nil) != (name == EncodingUTF8) {
			t.Errorf("LookupEncoding(%q): decoder %v", tt.name, enc)
		}
	}
	for _, bad := range []string{"", "klingon", "utf-7x", "cp99999"} {
		if _, _, err := LookupEncoding(bad); err == nil || !strings.Contains(err.Error(), "unknown encoding") {
			t.Errorf("LookupEncoding(%q): %v, want unknown encoding", bad, err)
		}
	}
}

// TestCSVLegacyEncodings reads legacy-encoded tables end to end: the
// labels are those written, the cells addressed by line, a file whose
// detection is not sure says so, --encoding (Limits.Encoding) overrides
// the detection, and bytes that are not of the encoding are replaced and
// reported on their line.
func TestCSVLegacyEncodings(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct{ lang, enc string }{
		{"ja", "Shift_JIS"}, {"ko", "EUC-KR"}, {"zh-Hans", "GB18030"}, {"zh-Hant", "Big5"},
		{"el", "windows-1253"}, {"ru", "windows-1251"}, {"tr", "windows-1254"}, {"lt", "windows-1257"}, {"cs", "windows-1250"},
	} {
		t.Run(tc.enc, func(t *testing.T) {
			var l sampleLang
			for _, s := range sampleLangs {
				if s.code == tc.lang {
					l = s
				}
			}
			text := sampleText(l, 20, rand.New(rand.NewPCG(9, 9)))
			b, err := encodeSample(text, tc.enc)
			if err != nil {
				t.Fatal(err)
			}
			path := write(tc.lang+".csv", b)
			wb, err := Open(path, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			if got := wb.(TextEncoder).TextEncoding(); got.Name != tc.enc || got.How != EncodingDetected || !got.Confident {
				t.Errorf("encoding %+v", got)
			}
			rows, err := readSheets(wb)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Split(strings.TrimSpace(decodeAs(t, tc.enc, b)), "\r\n")
			if len(rows) != len(want) {
				t.Fatalf("%d rows, want %d", len(rows), len(want))
			}
			for i, r := range rows {
				if r.Num != i+1 || r.Cells[0].Ref() != fmt.Sprintf("A%d", i+1) {
					t.Errorf("row %d: %+v", i+1, r)
				}
				if first, _, _ := strings.Cut(want[i], l.delim); strings.Trim(first, `"`) != r.Cells[0].Text {
					t.Errorf("line %d: %q, want %q", i+1, r.Cells[0].Text, first)
				}
			}
			if reps := wb.(TextRepairer).TextRepairs(); len(reps) != 0 {
				t.Errorf("repairs %+v", reps)
			}
		})
	}

	t.Run("forced", func(t *testing.T) {
		// Shift_JIS bytes read as EUC-JP when told so, and as Shift_JIS
		b, err := encodeSample("国,値\n日本,1\n", "Shift_JIS")
		if err != nil {
			t.Fatal(err)
		}
		path := write("forced.csv", b)
		for _, name := range []string{"cp932", "shift_jis", "windows-31j"} {
			wb, err := Open(path, Limits{Encoding: name})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := readSheets(wb)
			if err != nil {
				t.Fatal(err)
			}
			if enc := wb.(TextEncoder).TextEncoding(); enc.String() != "Shift_JIS (--encoding)" {
				t.Errorf("%s: encoding %s", name, enc)
			}
			if rows[1].Cells[0].Text != "日本" {
				t.Errorf("%s: %q", name, rows[1].Cells[0].Text)
			}
			wb.Close()
		}
		if _, err := Open(path, Limits{Encoding: "nonesuch"}); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "unknown encoding") {
			t.Errorf("unknown encoding: %v", err)
		}
	})

	t.Run("forced against a BOM", func(t *testing.T) {
		path := write("bom-forced.csv", []byte("\xEF\xBB\xBFa,b\n1,2\n"))
		wb, err := Open(path, Limits{Encoding: "cp1251"})
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		if _, err := readSheets(wb); err != nil {
			t.Fatal(err)
		}
		reps := wb.(TextRepairer).TextRepairs()
		if len(reps) != 1 || reps[0].Rule != RuleTextEncoding || !strings.Contains(reps[0].Message, "byte order mark of UTF-8") {
			t.Errorf("repairs %+v", reps)
		}
	})

	t.Run("replaced bytes", func(t *testing.T) {
		// a Shift_JIS table with a broken pair on line 4: 0x81 0x20
		b, err := encodeSample("国,値\n日本,1\n中国,2\n", "Shift_JIS")
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, []byte("\x93\xfa\x81 ,3\n")...)
		path := write("broken.csv", b)
		wb, err := Open(path, Limits{Encoding: "shift_jis"})
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		rows, err := readSheets(wb)
		if err != nil {
			t.Fatal(err)
		}
		if got := rows[3].Cells[0].Text; got != "日\uFFFD " {
			t.Errorf("line 4: %q", got)
		}
		reps := wb.(TextRepairer).TextRepairs()
		if len(reps) != 1 || reps[0].Rule != RuleTextEncoding || reps[0].Cell != "A4" || !strings.Contains(reps[0].Message, "the first on line 4, held bytes that are not valid Shift_JIS") {
			t.Errorf("repairs %+v", reps)
		}
	})

	t.Run("not sure", func(t *testing.T) {
		path := write("short.csv", []byte("Country,Value\n\xcc\xee\xf1\xea\xe2\xe0,1\n"))
		wb, err := Open(path, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		if _, err := readSheets(wb); err != nil {
			t.Fatal(err)
		}
		reps := wb.(TextRepairer).TextRepairs()
		if len(reps) != 1 || reps[0].Rule != RuleTextEncoding || !strings.Contains(reps[0].Message, "not clearly enough to be sure") || !strings.Contains(reps[0].Message, "--encoding") {
			t.Errorf("repairs %+v", reps)
		}
	})
}

// TestCSVEncodingLimits: --max-text-size counts the file's bytes, the
// field and line limits the decoded text's; errors name the line.
func TestCSVEncodingLimits(t *testing.T) {
	dir := t.TempDir()
	// 30 kanji: 60 bytes of Shift_JIS, 90 bytes of UTF-8
	field := strings.Repeat("貿", 30)
	b, err := encodeSample("国,値\n"+field+",1\n", "Shift_JIS")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "limits.csv")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readAllLimits(t, path, Limits{Encoding: "sjis", MaxFieldSize: 89}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path+" line 2") {
		t.Errorf("field of 90 decoded bytes, limit 89: %v", err)
	}
	if _, err := readAllLimits(t, path, Limits{Encoding: "sjis", MaxFieldSize: 90}); err != nil {
		t.Errorf("field of 90 decoded bytes, limit 90: %v", err)
	}
	size := int64(len(b))
	if _, err := readAllLimits(t, path, Limits{MaxTextSize: size - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("file of %d bytes, limit one less: %v", size, err)
	}
	if _, err := readAllLimits(t, path, Limits{MaxTextSize: size}); err != nil {
		t.Errorf("file of %d bytes, limit as much: %v", size, err)
	}
}

// FuzzDetectEncoding: whatever the bytes, detection picks an encoding
// LookupEncoding knows, says why when not sure, and the text decoded in
// it is valid UTF-8 (a reading the CSV reader can split).
func FuzzDetectEncoding(f *testing.F) {
	for i, l := range sampleLangs {
		text := sampleText(l, 2, rand.New(rand.NewPCG(uint64(i), 1)))
		f.Add([]byte(text), true)
		for _, enc := range l.encs {
			if b, err := encodeSample(text, enc); err == nil {
				f.Add(b, i%2 == 0)
			}
		}
	}
	f.Add([]byte{0xFF, 0xFE, 'a', 0}, true)
	f.Add([]byte{0xEF, 0xBB, 0xBF}, true)
	f.Add([]byte{}, true)
	f.Fuzz(func(t *testing.T, b []byte, atEOF bool) {
		got := DetectEncoding(b, atEOF)
		if got != DetectEncoding(b, atEOF) {
			t.Fatal("not deterministic")
		}
		if got.Name == "" || got.How == "" {
			t.Fatalf("no encoding: %+v", got)
		}
		if !got.Confident && got.Note == "" {
			t.Fatalf("not sure without a note: %+v", got)
		}
		name, enc, err := LookupEncoding(got.Name)
		if err != nil || name != got.Name {
			t.Fatalf("LookupEncoding(%q) = %q, %v", got.Name, name, err)
		}
		if enc == nil {
			if got.How == EncodingValidUTF8 && !validUTF8Prefix(b) {
				t.Fatalf("UTF-8 but not valid: %q", b)
			}
			return
		}
		out, err := enc.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out) {
			t.Fatalf("%s decoded to invalid UTF-8: %q", got.Name, out)
		}
	})
}

// TestCSVIconvFixtures reads tables that iconv wrote (testdata/encoding):
// the encoding is detected surely and the labels are those of the UTF-8
// tables they were converted from.
func TestCSVIconvFixtures(t *testing.T) {
	tests := []struct {
		file, enc string
		labels    []string // column A, line by line
	}{
		{"ja-sjis-iconv.csv", "Shift_JIS", []string{"日本の貿易 国別輸出入額（単位：百万円）", "国名", "中華人民共和国", "アメリカ合衆国", "韓国", "台湾", "ドイツ"}},
		{"lt-cp1257-iconv.csv", "windows-1257", []string{"Lietuvos užsienio prekyba pagal šalis, tūkst. eurų", "Šalis", "Latvija", "Lenkija", "Vokietija", "Estija", "Švedija"}},
		{"ko-cp949-iconv.csv", "EUC-KR", []string{"대한민국 국가별 수출입 실적 (단위: 백만 달러)", "국가", "중국", "미국", "베트남", "일본", "독일"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			wb, err := Open(filepath.Join("testdata", "encoding", tt.file), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			if enc := wb.(TextEncoder).TextEncoding(); enc.Name != tt.enc || !enc.Confident {
				t.Errorf("encoding %+v, want %s", enc, tt.enc)
			}
			rows, err := readSheets(wb)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Cells[0].Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.labels, "|") {
				t.Errorf("labels %q\nwant %q", got, tt.labels)
			}
		})
	}
}

// TestDetectEncodingPlaceNames measures detection on text the scorer was
// not written from: tables of random place names (countries and regions)
// in 24 languages, from the CLDR and iso-codes names of
// ../vocab/areas.tsv, written in each language's legacy encoding, 2, 5
// and 20 rows, ten tables each. No detection may be sure and wrong; the
// counts are logged (go test -v -run TestDetectEncodingPlaceNames).
func TestDetectEncodingPlaceNames(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "vocab", "areas.tsv"))
	if err != nil {
		t.Skipf("the area names are not there: %v", err)
	}
	names := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 4 || f[0] != "" {
			continue // a name line is "\tSOURCE\tLANGS\tNAME"
		}
		for _, l := range strings.Split(f[2], ",") {
			names[l] = append(names[l], f[3])
		}
	}
	pairs := [][2]string{{"cs", "windows-1250"}, {"cs", "ISO-8859-2"}, {"pl", "windows-1250"}, {"sk", "windows-1250"},
		{"hu", "windows-1250"}, {"hr", "windows-1250"}, {"sl", "windows-1250"}, {"ro", "windows-1250"},
		{"ru", "windows-1251"}, {"ru", "KOI8-R"}, {"uk", "windows-1251"}, {"bg", "windows-1251"}, {"el", "windows-1253"},
		{"tr", "windows-1254"}, {"lt", "windows-1257"}, {"lv", "windows-1257"}, {"et", "windows-1257"},
		{"fr", "windows-1252"}, {"de", "windows-1252"}, {"es", "windows-1252"}, {"pt", "windows-1252"}, {"sv", "windows-1252"},
		{"da", "windows-1252"}, {"fi", "windows-1252"}, {"ja", "Shift_JIS"}, {"ja", "EUC-JP"}, {"ko", "EUC-KR"},
		{"zh", "GB18030"}, {"zh_TW", "Big5"}, {"th", "windows-874"}}
	var n, sure, unsure, fallback, wrong int
	for _, p := range pairs {
		lang, enc := p[0], p[1]
		ns := names[lang]
		if len(ns) < 100 {
			t.Fatalf("%s: %d names", lang, len(ns))
		}
		for _, rows := range []int{2, 5, 20} {
			for seed := range 10 {
				rng := rand.New(rand.NewPCG(uint64(seed), uint64(rows)))
				var b strings.Builder
				b.WriteString("Code;Value\n")
				for range rows {
					fmt.Fprintf(&b, "%s;%d\n", ns[rng.IntN(len(ns))], rng.IntN(100000))
				}
				raw, err := encodeSample(b.String(), enc)
				if err != nil {
					continue // a name the code page cannot write
				}
				n++
				got := DetectEncoding(raw, true)
				right := got.Name == enc || decodeAs(t, got.Name, raw) == decodeAs(t, enc, raw)
				switch {
				case right && got.Confident:
					sure++
				case right:
					unsure++
				case !got.Confident && got.Name == EncodingCP1252:
					fallback++
				case !got.Confident:
					wrong++
					t.Logf("%s in %s, %d rows: %s, not sure: %s", lang, enc, rows, got, got.Note)
				default:
					wrong++
					t.Errorf("%s in %s, %d rows: sure of %s:\n%s", lang, enc, rows, got, decodeAs(t, enc, raw))
				}
			}
		}
	}
	t.Logf("%d tables of place names: %d sure and right, %d right but not sure, %d read as windows-1252 (not sure), %d wrong (not sure)", n, sure, unsure, fallback, wrong)
}

// Command gen writes the generated data files of package vocab from the
// Debian iso-codes JSON and gettext catalogs, the Debian unicode-cldr-core
// XML (CLDR 41) and golang.org/x/text/language/display:
//
//	areas.tsv       countries, subdivisions, historic countries, CLDR regions
//	currencies.tsv  ISO 4217 currencies, their names and symbols
//	calendar.tsv    month and quarter names
//
// Run it from the vocab directory (go generate does):
//
//	go run ./internal/gen                    # keeps the date of the existing files
//	go run ./internal/gen -date 2027-01-15   # stamps a new date
//
// Every source is required: a missing file stops the run rather than
// producing smaller data. Output is deterministic: the same sources and date
// give the same bytes.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"

	"golang.org/x/text/language/display"
)

// langs are the languages whose names are collected, in this order; nb is
// read from CLDR's "no" files (CLDR 41 keeps Norwegian Bokmål data there).
// The first thirteen (wideLangs) carry subdivision names of every country;
// the others carry those of the countries where CLDR says the language is
// official (localLangs): a Japanese table names Japanese prefectures, not
// Polish voivodeships, and each language's names of every subdivision on
// earth would triple areas.tsv.
var langs = append(append([]string{}, wideLangs...), localLangs...)

var wideLangs = []string{"en", "nl", "fr", "de", "it", "es", "pt", "sv", "pl", "da", "nb", "fi", "cs"}

var localLangs = []string{
	"ja", "zh", "zh_Hant", "ko", "th", "vi", "id", "ms", "ar", "ru", "uk", "el", "et", "lt", "lv", "hr", "sl", "sk",
	"hu", "ro", "bg", "tr", "he", "hi",
}

// regional are the CLDR regional locales whose differences matter to tables
// (de_AT "Jänner", en_GB "Sept", en_AU "$" for AUD, ...).
var regional = []string{
	"en_001", "en_150", "en_GB", "en_IE", "en_AU", "en_NZ", "en_CA", "en_IN", "en_SG", "en_HK", "en_ZA",
	"de_AT", "de_CH", "de_LU", "de_BE", "de_LI", "de_IT",
	"fr_BE", "fr_CH", "fr_CA", "fr_LU",
	"it_CH", "nl_BE",
	"es_419", "es_MX", "es_AR", "es_CL", "es_CO", "es_US",
	"pt_PT", "sv_FI",
	"zh_Hant_HK",
}

// gettextLangs are the iso-codes translation catalogs read. Each must exist,
// except those listed in gettextAbsent (iso-codes 4.15 ships none).
var gettextLangs = []string{"nl", "fr", "de", "it", "es", "pt", "pt_BR", "sv", "pl", "da", "nb", "fi", "cs",
	"ja", "zh_CN", "zh_TW", "zh_HK", "ko", "th", "vi", "id", "ms", "ar", "ru", "uk", "el", "et", "lt", "lv", "hr", "sl",
	"sk", "hu", "ro", "bg", "tr", "he", "hi"}

var gettextAbsent = map[string]bool{
	"iso_3166-2/pt": true, "iso_3166-2/nb": true, "iso_3166-2/zh_HK": true, "iso_3166-2/ms": true,
	"iso_3166-2/ar": true, "iso_3166-2/hi": true,
	"iso_4217/ms": true, "iso_4217/bg": true, "iso_4217/he": true, "iso_4217/hi": true,
}

// gettextLocale maps a gettext catalog to the CLDR language it is written
// in, for the official-language rule of subdivisions (zh_TW is zh_Hant).
func gettextLocale(catalog string) string {
	switch catalog {
	case "zh_CN":
		return "zh"
	case "zh_TW", "zh_HK":
		return "zh_Hant"
	case "pt_BR":
		return "pt"
	}
	return catalog
}

// subdivisionsAbsent are languages of langs with no CLDR subdivisions file.
var subdivisionsAbsent = map[string]bool{"zh_Hant": true}

// namesSubdivisions reports whether names in a language are collected for
// the subdivisions of a country: every country for wideLangs, the
// countries where the language is official for the others.
func namesSubdivisions(lang, country string, official map[string]map[string]bool) bool {
	base := lang
	if contains(wideLangs, lang) {
		return true
	}
	if !contains(localLangs, lang) {
		base, _, _ = strings.Cut(lang, "_")
		if contains(wideLangs, base) {
			return true
		}
	}
	return official[country][lang]
}

type gen struct {
	isoDir, localeDir, cldrDir, outDir string
	date                               string
	isoVersion, cldrVersion            string
	xtextVersion, xtextCLDR            string
	srcs                               *sources
	logf                               func(format string, args ...any)
}

func main() {
	g := &gen{xtextCLDR: display.CLDRVersion}
	flag.StringVar(&g.isoDir, "iso-codes", "/usr/share/iso-codes/json", "iso-codes JSON directory")
	flag.StringVar(&g.localeDir, "locale", "/usr/share/locale", "gettext locale directory (iso-codes translations)")
	flag.StringVar(&g.cldrDir, "cldr", "/usr/share/unicode/cldr/common", "CLDR common directory (Debian unicode-cldr-core)")
	flag.StringVar(&g.outDir, "out", ".", "directory to write areas.tsv, currencies.tsv and calendar.tsv to")
	flag.StringVar(&g.date, "date", "", "generation date written in the headers (default: the date in the existing "+
		"areas.tsv, so that reruns give the same bytes)")
	flag.StringVar(&g.isoVersion, "iso-codes-version", "", "iso-codes package version (default: ask dpkg-query)")
	flag.StringVar(&g.cldrVersion, "unicode-cldr-core-version", "", "unicode-cldr-core package version (default: ask dpkg-query)")
	quiet := flag.Bool("q", false, "do not log what was dropped")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("vocab/gen: ")
	g.logf = log.Printf
	if *quiet {
		g.logf = func(string, ...any) {}
	}
	if err := g.run(); err != nil {
		log.Fatal(err)
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (g *gen) run() error {
	if g.date == "" {
		d, err := existingDate(filepath.Join(g.outDir, "areas.tsv"))
		if err != nil {
			return fmt.Errorf("no -date given and %w", err)
		}
		g.date = d
	}
	if !dateRE.MatchString(g.date) {
		return fmt.Errorf("-date %q: want YYYY-MM-DD", g.date)
	}
	var err error
	if g.isoVersion == "" {
		if g.isoVersion, err = dpkgVersion("iso-codes"); err != nil {
			return err
		}
	}
	if g.cldrVersion == "" {
		if g.cldrVersion, err = dpkgVersion("unicode-cldr-core"); err != nil {
			return err
		}
	}
	g.xtextVersion = "(unknown)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "golang.org/x/text" {
				g.xtextVersion = d.Version
			}
		}
	}

	supp, suppSrcs, err := g.readSupplemental()
	if err != nil {
		return err
	}
	areas, err := g.areas(supp, suppSrcs)
	if err != nil {
		return fmt.Errorf("areas: %w", err)
	}
	currencies, err := g.currencies(supp, suppSrcs)
	if err != nil {
		return fmt.Errorf("currencies: %w", err)
	}
	calendar, err := g.calendar()
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	for name, data := range map[string][]byte{"areas.tsv": areas, "currencies.tsv": currencies, "calendar.tsv": calendar} {
		if err := os.WriteFile(filepath.Join(g.outDir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// existingDate reads the date from the header of a generated file.
func existingDate(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the previous date: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		if rest, ok := strings.CutPrefix(line, "# generated: "); ok {
			d, _, _ := strings.Cut(rest, " ")
			return d, nil
		}
	}
	return "", fmt.Errorf("%s has no '# generated:' line", path)
}

// readSupplemental parses supplementalData.xml and likelySubtags.xml.
func (g *gen) readSupplemental() (*supplemental, *sources, error) {
	s := &sources{}
	a, err := s.read(filepath.Join(g.cldrDir, "supplemental", "supplementalData.xml"), "currencyData, territoryContainment, territoryInfo")
	if err != nil {
		return nil, nil, err
	}
	b, err := s.read(filepath.Join(g.cldrDir, "supplemental", "likelySubtags.xml"), "a language's likely country")
	if err != nil {
		return nil, nil, err
	}
	supp, err := parseSupplemental(a, b)
	if err != nil {
		return nil, nil, fmt.Errorf("supplemental: %w", err)
	}
	return supp, s, nil
}

// currentCurrencies maps a region to the tender currencies it uses now.
func (s *supplemental) currentCurrencies() map[string][]string {
	m := map[string][]string{}
	for _, r := range s.Regions {
		for _, c := range r.Currencies {
			if c.To != "" || c.Tender == "false" {
				continue
			}
			m[r.ISO] = append(m[r.ISO], c.Code)
		}
	}
	return m
}

// officialLanguages maps a country to the languages CLDR's territoryInfo
// says are official there (nationally, de facto or regionally): "CN" ->
// zh, "TW" -> zh_Hant.
func (s *supplemental) officialLanguages() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, t := range s.Territories {
		for _, l := range t.Langs {
			switch l.Status {
			case "official", "de_facto_official", "official_regional":
				if m[t.Type] == nil {
					m[t.Type] = map[string]bool{}
				}
				m[t.Type][l.Type] = true
			}
		}
	}
	return m
}

// likelyRegion maps a language ("da") to its likely region ("DK").
func (s *supplemental) likelyRegion() map[string]string {
	m := map[string]string{}
	for _, l := range s.Likely {
		if strings.Contains(l.From, "_") {
			continue
		}
		parts := strings.Split(l.To, "_")
		if r := parts[len(parts)-1]; len(r) == 2 {
			m[l.From] = r
		}
	}
	return m
}

// cldrLocale returns the CLDR file name for a language tag (nb -> no).
func cldrLocale(tag string) string {
	if tag == "nb" {
		return "no"
	}
	return tag
}

// allLocales is langs then regional.
func allLocales() []string { return append(append([]string{}, langs...), regional...) }

// tsvField refuses text that would break the format.
func tsvField(s string) (string, error) {
	if strings.ContainsAny(s, "\t\n\r") {
		return "", fmt.Errorf("text %q holds a tab or newline", s)
	}
	return s, nil
}

// langList joins locale ids, leaving out a regional locale ("de_AT") when
// its language ("de") is listed: the language stands for all its regions.
func langList(locs []string) string {
	var out []string
	for _, l := range locs {
		if base, _, ok := strings.Cut(l, "_"); ok && contains(locs, base) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, ",")
}

func writeLine(b *bytes.Buffer, fields ...string) error {
	for i, f := range fields {
		if _, err := tsvField(f); err != nil {
			return err
		}
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(f)
	}
	b.WriteByte('\n')
	return nil
}

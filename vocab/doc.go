// Package vocab knows the names of the world's areas and currencies, and
// the calendar words, in the languages trade tables are written in.
//
// # In
//
//   - Generated data, committed and embedded: areas.tsv (every ISO 3166-1
//     country with alpha-2, alpha-3 and numeric code and the currencies it
//     uses; every ISO 3166-2 subdivision with its type, country and
//     containing subdivision; the ISO 3166-3 former countries; CLDR's world,
//     European Union, euro area and UN M49 regions), currencies.tsv (ISO
//     4217 with CLDR display names in every plural form, symbols and the
//     countries using each) and calendar.tsv (CLDR month and quarter
//     names). The generator, internal/gen, reads Debian's iso-codes JSON and
//     its gettext translations, Debian's unicode-cldr-core (CLDR 41: main,
//     subdivisions, supplementalData) and golang.org/x/text/language/display;
//     each file's header names the sources, their checksums and the package
//     versions. Names are collected for en, nl, fr, de, it, es, pt, sv, pl,
//     da, nb, fi and cs, with regional locales (de_AT "Jänner", en_GB
//     "Sept", en_AU "$"...), and for ja, zh, zh_Hant, ko, th, vi, id, ms,
//     ar, ru, uk, el, et, lt, lv, hr, sl, sk, hu, ro, bg, tr, he and hi,
//     whose subdivision names are kept only for the countries where the
//     language is official (CLDR territoryInfo). See "Regenerating" below.
//   - curated.yaml, embedded: what the sources do not say. Names analysts
//     expect ("United States", "South Korea", "Türkiye", Belgium's
//     "Flanders", "Wallonia", "Brussels"), agency variants ("Korea, Rep.",
//     "Hong Kong, China", "Chinese Taipei", "China, P.R.: Mainland", "VS"),
//     demonyms ("Swiss", "Vlaamse", "österreichische"), the aggregates with
//     their Eurostat/SDMX codes (W00, EU27_2020, EU28, EA20, EA21, EA19,
//     EXT_EU27_2020, INT_EU27_2020, ASEAN, OECD, ROW), names that must not
//     decide alone (Georgia, Congo, Guinea), currency aliases and symbols,
//     and the word lists matching uses (inflections, type words, weak words).
//   - User overlays in the same format (tradeetl --labels FILE), merged over
//     the built-in data with [Areas.With], [Areas.WithOverlay] and
//     [Currencies.WithOverlay].
//
// # Out
//
//   - [DefaultAreas] and [Areas]: [Areas.ByCode] for any code, [Areas.Exact]
//     for a cell that is one area's name or code ("Korea, Rep.", "FR:France",
//     "056"), [Areas.Find] for the areas named inside a label or title
//     ("Außenhandel Österreichs", "Ireland with Northern Ireland and Great
//     Britain"), [Areas.Explain] for people. One list serves reporters and
//     partners; the caller decides the role.
//   - [DefaultCurrencies] and [Currencies]: [Currencies.ByCode] and
//     [Currencies.Find] for unit notes ("Mio. EUR", "NZ$(million)",
//     "Million kr.", "$ millions (Canadian dollars)").
//   - [MonthWord] and [QuarterWord].
//
// The defaults are parsed once (sync.Once) and never change; every value is
// immutable after it is built and safe for concurrent use. Building the
// area index takes about 0.3 to 0.5 s (BenchmarkDefaultAreasCold); Find on a label takes a few microseconds
// (map lookups, no regular expressions).
//
// # Regenerating
//
// The generated files change only when the generator or its sources do:
//
//	go generate ./vocab                      # same date in the headers: same bytes
//	cd vocab && go run ./internal/gen -date 2027-01-15
//
// A missing source stops the generator; TestGeneratedFilesAreCurrent checks
// that the committed files are what it writes on a machine with the Debian
// packages (it skips elsewhere).
//
// # How names match
//
// Text is split by [schemas.Fold] (lower case, accents and punctuation
// dropped), except that single capitals joined by dots are one word ("U.S."
// is "us", "B.C." is "bc"), and each word keeps how it was written. Spans in
// a [Match] count the words of schemas.Fold(text). In scripts written
// without spaces each character is a word ("中国" is "中 国"), so names are
// found inside runs ("対中国輸出"); one such character alone is no name.
// Scripts without case (Hebrew, Arabic, Devanagari) have no capitals to
// require of short names.
//
//   - Names of 1-3 letters ("US", "UK", "VS", "EU", "AML") match inside a
//     label only when written in capitals there, and in a text all in
//     capitals only if curated.yaml lists them. Codes (alpha-2, alpha-3)
//     match only a whole cell, a "code:label" cell, a dotted abbreviation
//     ("B.C.", with its country as context) or a code of several parts
//     ("EXT_EU27_2020", "CN_X_HK"). A one-word subdivision name matches
//     inside a label only if capitalized.
//   - Find takes the longest phrases first and never overlaps them.
//   - A word that no name holds is rewritten by the inflection table
//     ("Österreichs" -> "Österreich", "śląskiego" -> "śląskie",
//     "China's" -> "China"); the rewrite counts only if the result is a
//     known name. Without Context.Langs every language's rules are tried.
//   - Subdivision type words ("län", "województwo", "Land", "Prefecture",
//     "canton du") are optional: names are also indexed without them, Exact
//     strips them, and Find widens a subdivision's span over them. Leading
//     articles ("la Germania") are skipped in Exact.
//
// When a phrase names several areas, the first rule that applies decides:
//
//  1. Names marked context-only (weak words such as "North", "Central",
//     "Unity"; subdivision codes; one word left after stripping type words)
//     count only for their context country, or a country named elsewhere in
//     the same text.
//  2. The context country: its own areas win ("Limburg" in BE is BE-VLI,
//     "Georgia" in US is US-GA). Its subdivisions beat a foreign country of
//     the same name, so pass the country for reporter labels and titles,
//     not for a partner column ("Luxembourg" in a Belgian table would be the
//     Belgian province).
//  3. In Find, a country named in the same text decides between
//     subdivisions ("Victoria share of Australian exports").
//  4. The table's languages (Context.Langs), when the name belongs to
//     only some of the candidates in those languages.
//  5. A country (or aggregate) beats subdivisions and former countries of
//     the same name ("Luxembourg" is LU) and the nesting subdivision beats
//     the nested one. Otherwise the match is Ambiguous: two countries,
//     subdivisions of different countries ("Limburg": NL-LI, BE-VLI), or a
//     name curated as ambiguous ("Georgia": GE first, US-GA a candidate).
//
// An ambiguous match still names its best guess in Area, with every
// candidate in Candidates and the reason in Why; the caller reports it
// rather than using it silently.
//
// Currencies: an ISO code in capitals, a name in any plural form, or a
// symbol decides alone when it belongs to one currency ("€", "US$", "NZ$",
// "zł", "Kč"). A generic symbol or word ("$", "¥", "kr", "kronor",
// "francs") is decided by a specific currency in the same text ("$
// millions (Canadian dollars)"), then by the context country's currency,
// then by a curated preference ("£" is GBP); otherwise it is Ambiguous, its
// likeliest currency first. Symbols glued to other text are found ("€m",
// "NZ$(million)"). ASCII letter symbols ("kr", "Ft") count only when
// curated, because CLDR's ("Le", "Br") are also words.
//
// # Overlays
//
// A user overlay is a YAML document with the keys of curated.yaml, every
// one optional; unknown keys are errors with their line. An area entry
// whose code exists changes that area (Name renames it, lists add to it,
// Members replaces them, Remove takes names away); a new code creates an
// area, which needs a name and a kind:
//
//	areas:
//	  - code: BE-VLG            # an existing area: more names
//	    names:
//	      nl: [Vlaams Gewest]
//	      fr: [Région flamande]
//	    aliases: [Flemish Region]
//	  - code: NUTS-BE21         # a new area
//	    name: Province of Antwerp (NUTS 2)
//	    kind: subdivision
//	    parent: BE
//	    within: BE-VLG
//	    aliases: [Prov. Antwerpen]
//	  - code: US-GA
//	    ambiguous: [Georgia]    # never decides alone
//	  - code: XK
//	    name: Kosovo
//	    kind: country
//	    currencies: [EUR]
//	currencies:
//	  - code: SEK
//	    aliases: [miljoner kronor]
//	    symbols: [kr]
//	    prefer: []              # generic words this currency wins without context
//	inflections:
//	  de: [{suffix: s, replace: ""}]
//	type_words: [arrondissement]
//	weak_words: [midi]
//
// Load one with [ParseOverlay], then a.WithOverlay(o) and c.WithOverlay(o);
// the built-in lists are not changed. Names are compared folded, so case,
// accents and punctuation in an overlay do not matter.
package vocab

package schemas

import (
	"fmt"
	"strings"
)

// SchemaVersion is the version of the Parquet column layout below. It is
// written to every file's footer as tradeetl.schema_version and changes
// with any column change: a renamed, retyped or removed column breaks
// readers, and an added one (always at the end) breaks a glob over files
// of both layouts unless the reader unions by name. A new version makes
// the next run rewrite every file. Version 2 added the area codes,
// currency, value_base and obs_status, and unit holds any ISO 4217
// currency, not only EUR. Version 3 added, after loaded_at, run_id,
// flow_code, product_classification, time_period, quantity and
// quantity_unit. Version 4 added findings' cell_list, the one nested
// (LIST) column.
const SchemaVersion = "4"

// Column is one Parquet column: its name, its type as a person reads it, and
// whether it may hold nulls. The Arrow schema of a dataset is built from its
// Column list ([ObservationArrowSchema], [FindingArrowSchema]), so the README
// table ([MarkdownTable]) and the files cannot drift apart.
//
// Type is one of:
//
//	STRING (dictionary)  UTF-8 text, dictionary-encoded (for dimensions)
//	STRING               UTF-8 text, PLAIN-encoded (for high-cardinality text)
//	INT32, INT64         signed integers (tradeetl writes no unsigned types)
//	DOUBLE               64-bit float
//	DATE                 days since 1970-01-01
//	DECIMAL(p,s)         exact decimal, precision p, scale s
//	TIMESTAMP(us, UTC)   microseconds since the epoch, adjusted to UTC
//	LIST<STRING>         a list of UTF-8 texts, none null (findings' cell_list)
type Column struct {
	Name     string
	Type     string
	Nullable bool
	Doc      string
}

// Column types: the human type names of the column lists, which package
// load maps to Arrow and Parquet types. A decimal column's type is
// DECIMAL(precision,scale).
const (
	TypeDictString  = "STRING (dictionary)"
	TypePlainString = "STRING"
	TypeInt32       = "INT32"
	TypeInt64       = "INT64"
	TypeDouble      = "DOUBLE"
	TypeDate        = "DATE"
	TypeTimestamp   = "TIMESTAMP(us, UTC)"
	TypeStringList  = "LIST<STRING>"
)

// Decimal precision and scales of the observation value columns. Precision
// 38 is the largest a 16-byte decimal holds; scale 9 keeps every figure a
// spreadsheet publishes exactly, scale 2 is euro cents.
const (
	DecimalPrecision = 38
	ValueScale       = 9
	ValueEURScale    = 2
	ValueBaseScale   = 2
	QuantityScale    = 6
)

// ObservationColumns are the columns of observations.parquet: one per
// [Observation] field and in the same order, then loaded_at, then the
// columns added since (run_id, the codes, quantity), at the end so that
// readers that address columns by position keep working.
var ObservationColumns = []Column{
	{"file", TypeDictString, false, "Input path as given on the command line or found in a directory given there."},
	{"file_sha256", TypeDictString, false, "Hex SHA-256 of the input file's bytes."},
	{"sheet", TypeDictString, false, "Worksheet name; empty for CSV."},
	{"cell", TypePlainString, false, "A1 address of the figure in its sheet (e.g. C9); for CSV and TSV files the column letter of the field and the physical line number."},
	{"table_range", TypeDictString, false, "A1 range of the header row of the table the figure belongs to (e.g. A3:F3); it identifies the table within its sheet."},
	{"label", TypeDictString, false, "Row label or product text the figure was read under, as written."},
	{"reporter", TypeDictString, false, "Country or region whose trade this is: canonical English name from the area list (e.g. Flanders), or the name as written when the list does not know it (then reporter_code is empty and a warning finding unknown_area says so)."},
	{"reporter_code", TypeDictString, false, "Code of the reporter: ISO 3166-1 alpha-2 for countries (BE), ISO 3166-2 for subdivisions (BE-VLG), Eurostat/SDMX codes for aggregates (EU27_2020, EA20, EXT_EU27_2020, W00); empty when the area list does not know the reporter."},
	{"reporter_parent", TypeDictString, false, "Country the reporter belongs to (Belgium for Flanders), from the area list or the table's own structure; empty for countries."},
	{"partner", TypeDictString, false, "Trading partner (e.g. China): canonical name, or as written when unknown; World for all partners."},
	{"partner_code", TypeDictString, false, "Code of the partner, as reporter_code (W00 for World); empty when unknown."},
	{"flow", TypeDictString, false, "exports, imports, balance (exports − imports), surplus (exports − imports, labelled a surplus), deficit (imports − exports), total (exports + imports), re_exports, re_imports or domestic_exports (exports of goods produced in the reporter; exports = domestic_exports + re_exports)."},
	{"product", TypeDictString, false, "Product group label, or Total."},
	{"product_code", TypeDictString, false, "Product classification code when the source gives one; else empty."},
	{"measure", TypeDictString, false, "level (an amount), share (percent of the parent's level), growth (percent against base_period) or index (the level as a percentage of base_period's: 101.5 is a growth of 1.5%)."},
	{"period", TypeDictString, false, "Canonical period label: 2013, 2013S1 (half year), 2013Q1, 2013-01, or 2024-01/2024-06 for a cumulative period (Jan–Jun 2024, year to date)."},
	{"period_type", TypeDictString, false, "year, half, quarter, month or cumulative."},
	{"year", TypeInt32, false, "Calendar year of the period (of its first month)."},
	{"period_start", TypeDate, false, "First day of the period."},
	{"base_period", TypeDictString, false, "Period a growth rate compares with (the period before it, or the same period a year earlier); empty for other measures."},
	{"value", fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, ValueScale), true, "The figure as published, in unit × scale (6.80 for \"6,80 billion euro\"); exact decimal so that sums and equality in BI tools match the source: read from the published text digit for digit (9007199254740993 stays …993; up to 29 integer digits and 9 decimals), never through a binary float. Null when the source marks the figure missing."},
	{"missing", TypeDictString, true, "Mark the source used for a missing figure (n.a., -, :, n.s.); null when the figure is present."},
	{"obs_status", TypeDictString, false, "Status or footnote mark of the figure, its row or column heading: Eurostat/SDMX flags (p provisional, e estimated, b break in series, c confidential, u low reliability; OBS_STATUS codes) or a footnote mark (*, 1)); empty when none."},
	{"value_text", TypePlainString, false, "The figure exactly as written in the source cell or CSV field."},
	{"decimals", TypeInt32, false, "Number of decimals the figure was published with (its rounding: 2 means ±0.005)."},
	{"unit", TypeDictString, false, "ISO 4217 currency code of a money figure (EUR, USD, CHF, ...), % for shares and growth rates, empty when the table states no unit (a warning finding no_unit says so)."},
	{"currency", TypeDictString, false, "ISO 4217 currency of the table the figure belongs to, also for its shares and growth rates; empty when the table states none."},
	{"scale", TypeInt64, false, "Multiplier from value to unit: 1000000000 for \"billion euro\", 100000000 for ¥100 million, 1 for percentages."},
	{"value_base", fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, ValueBaseScale), true, "value × scale in unit (the currency), rounded to hundredths, for money figures; null for percentages, missing figures and figures without a currency."},
	{"value_eur", fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, ValueEURScale), true, "value × scale in euro, rounded to cents, for euro figures only (value_base where unit is EUR); null otherwise. tradeetl converts no currency."},
	{"loaded_at", TypeTimestamp, false, "When the run that wrote this file started (UTC)."},
	{"run_id", TypeDictString, false, "Id of the run that wrote this file (runs.run_id, findings.run_id, report.json's run_id and output_run_id)."},
	{"flow_code", TypeDictString, false, "SDMX-style code of flow: X exports, M imports, B balance and surplus (exports − imports), D deficit (imports − exports; not an SDMX code), T total (exports + imports), RX re_exports, RM re_imports, DX domestic_exports."},
	{"product_classification", TypeDictString, false, "Classification of product_code: HS, CN, SITC, BEC, NST, CPA or national (a national tariff line), from the words of the code's or product's column heading (HS code, CN8, PRODUCT_NC, SITC Rev. 4) or else the code's shape (6 digits HS; 8 digits CN for EU reporters, national otherwise; 9–12 digits national); empty when unknown."},
	{"time_period", TypeDictString, false, "The period in SDMX TIME_PERIOD format: 2013, 2013-S1, 2013-Q1, 2013-03; a cumulative period as an SDMX time range, first day and length in months (2024-01-01/P6M for Jan–Jun 2024)."},
	{"quantity", fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, QuantityScale), true, "Quantity the source gives beside the figure (a long table's quantity column: net mass, supplementary units), in quantity_unit; null when the source gives none. Divide value_base by it for unit values (EUR/kg)."},
	{"quantity_unit", TypeDictString, false, "Unit of quantity: kg, t, g, l, hl, m3, kWh, MWh, pieces, or the unit as the source writes it; empty when there is no quantity or the source names no unit."},
}

// computedDoc explains why the computed columns of findings are DOUBLE.
const computedDoc = " DOUBLE because it is computed (interval arithmetic over rounded figures), not published: it has no fixed number of decimals."

// FindingColumns are the columns of findings.parquet, one per [Finding]
// field and in the same order, with run_id first and created_at, then
// the columns added since (cell_list), last.
var FindingColumns = []Column{
	{"run_id", TypeDictString, false, "Id of the run that produced the finding (also in report.json)."},
	{"rule", TypeDictString, false, "Rule id: balance, trade_balance, total_trade, share_range, share_consistency, part_le_whole, growth_consistency, index_consistency, non_negative, sum_of_parts or a custom rule; suspect for the audit's verdict on a table (the cell most likely wrong); scale_slip for a figure about 1000 times off its series; audit_limit when the audit stopped at its budget; record for record rules. (large_revision, the warning on a revision beyond --revision-warn, is in report.json and report.html only: revisions/ holds its figures.)"},
	{"severity", TypeDictString, false, "error or warning."},
	{"file", TypeDictString, false, "Input path the cells belong to."},
	{"sheet", TypeDictString, false, "Worksheet name; empty for CSV."},
	{"cells", TypePlainString, false, "Every cell the rule involved, anchor first, as a comma-separated A1 list (e.g. C13,C9,C5); flat text because BI tools handle lists poorly."},
	{"message", TypePlainString, false, "What is wrong, in words."},
	{"expected", TypeDouble, true, "What the other figures imply for the anchor cell; null when the finding is not a comparison." + computedDoc},
	{"actual", TypeDouble, true, "The published figure compared; null when the finding is not a comparison." + computedDoc},
	{"tolerance", TypeDouble, true, "How far expected and actual may differ through rounding alone; null when the finding is not a comparison." + computedDoc},
	{"suspect_cell", TypeDictString, true, "The cell that best explains the failures (error localization: the fewest cells whose change makes every rule hold); null when none stands out."},
	{"suggested_value", TypeDouble, true, "Value suspect_cell should hold for the rules to agree; null when there is no suspect or the rules do not pin its value down." + computedDoc},
	{"slip", TypeDictString, true, "Typing slip that turns suggested_value into the published figure: digits swapped, digit mistyped, digit dropped, digit repeated, sign flipped, decimal point shifted or unit off by 1000; null when none fits."},
	{"candidates", TypePlainString, true, "Cells that could each explain the failure equally well when the rules cannot tell which one is wrong, as a comma-separated A1 list; null when one cell stands out or none does."},
	{"created_at", TypeTimestamp, false, "When the run that found it started (UTC)."},
	{"cell_list", TypeStringList, false, "The cells of cells as a list, anchor first (['C13', 'C9', 'C5']): join observations on file, sheet and UNNEST(cell_list) = cell without splitting text. A cell of another sheet or file is written as in cells (Sheet2!C9, [other.xlsx]Sheet2!C9) and joins no observation of the finding's sheet. The one nested column of the output."},
}

// RunColumns are the columns of runs/RUN_ID.parquet: one row per run that
// published its output, so that a dashboard reading runs/*.parquet charts
// data quality over time.
var RunColumns = []Column{
	{"run_id", TypeDictString, false, "Id of the run (also in report.json and manifest.json)."},
	{"started", TypeTimestamp, false, "When the run started (UTC)."},
	{"finished", TypeTimestamp, false, "When the run published its output (UTC)."},
	{"duration_seconds", TypeDouble, false, "finished − started, in seconds. DOUBLE because it is a measured duration, not a published figure."},
	{"version", TypeDictString, false, "tradeetl version that ran."},
	{"rules_version", TypeDictString, false, "Version of the consistency rules (first 12 hex digits of the rules file's SHA-256)."},
	{"mode", TypeDictString, false, "incremental, or full when every input was reprocessed (--full, or a new version, rule set or option)."},
	{"exit_code", TypeInt32, false, "Exit code of the run: 0 clean, 1 error findings or a quarantined input, 3 an input could not be read."},
	{"inputs", TypeInt32, false, "Input files found."},
	{"loaded", TypeInt32, false, "Inputs read and (re)published by this run."},
	{"skipped", TypeInt32, false, "Inputs unchanged since an earlier run, not read again."},
	{"failed", TypeInt32, false, "Inputs that could not be read."},
	{"quarantined", TypeInt32, false, "Inputs read but not published because of their findings (--fail-on)."},
	{"removed", TypeInt32, false, "Inputs gone since the previous run, whose outputs were removed."},
	{"observations", TypeInt64, false, "Rows in observations/ after the run (every published input)."},
	{"observations_loaded", TypeInt64, false, "Rows read from the inputs loaded by this run."},
	{"findings_error", TypeInt64, false, "Error-severity findings of the current inputs, as in report.json."},
	{"findings_warning", TypeInt64, false, "Warning-severity findings of the current inputs, as in report.json."},
}

// RevisionColumns are the columns of revisions/revisions.parquet: one row
// per figure whose value changed from one delivery to the next that
// publishes it, beyond the rounding of both (see package load, current/).
var RevisionColumns = []Column{
	{"run_id", TypeDictString, false, "Id of the run that wrote the file (the run that last rewrote current/)."},
	{"figure_key", TypePlainString, false, "The figure's key, as current/ identifies figures: reporter|partner|flow_code|product|time_period|measure|base_period|unit, areas by code."},
	{"reporter", TypeDictString, false, "Reporter, as in observations."},
	{"reporter_code", TypeDictString, false, "Reporter code, as in observations."},
	{"partner", TypeDictString, false, "Partner, as in observations."},
	{"partner_code", TypeDictString, false, "Partner code, as in observations."},
	{"flow", TypeDictString, false, "Flow, as in observations."},
	{"flow_code", TypeDictString, false, "Flow code, as in observations."},
	{"product", TypeDictString, false, "Product, as in observations."},
	{"product_code", TypeDictString, false, "Product code, as in observations."},
	{"time_period", TypeDictString, false, "SDMX period, as in observations."},
	{"measure", TypeDictString, false, "Measure, as in observations."},
	{"unit", TypeDictString, false, "Unit, as in observations (ISO 4217 currency or %)."},
	{"old_value", fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, ValueScale), true, "The figure as the earlier delivery published it, in unit × old_scale; null when it marked the figure missing."},
	{"old_scale", TypeInt64, false, "Scale of old_value (1000000000 for billions)."},
	{"new_value", fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, ValueScale), true, "The figure as the later delivery publishes it, in unit × new_scale; null when it marks the figure missing."},
	{"new_scale", TypeInt64, false, "Scale of new_value."},
	{"change_pct", TypeDouble, true, "(new − old) / |old| in percent, both in unit; null when either is missing or old is 0." + computedDoc},
	{"old_file", TypeDictString, false, "Input of the earlier delivery."},
	{"old_cell", TypePlainString, false, "Cell of the earlier figure (Sheet!B7, or B7 for CSV)."},
	{"old_run_id", TypeDictString, false, "Run that published the earlier delivery."},
	{"new_file", TypeDictString, false, "Input of the later delivery."},
	{"new_cell", TypePlainString, false, "Cell of the later figure."},
	{"new_run_id", TypeDictString, false, "Run that published the later delivery."},
}

// DimLangs are the languages of the name_LANG columns of dim/areas.parquet
// after name (English): locale ids of the area list.
var DimLangs = []string{"fr", "de", "nl", "es", "it", "pt", "pl", "sv", "da", "fi", "cs", "ja", "zh", "ko", "ru"}

// DimAreaColumns are the columns of dim/areas.parquet: one row per area of
// the area list the run reads labels with (the built-in one and the
// --labels file), then one per area name written in the data that names
// no area of the list (kind "unknown", code ""). Observations join it on
// reporter_code or partner_code = code.
var DimAreaColumns = dimAreaColumns()

func dimAreaColumns() []Column {
	cols := []Column{
		{"code", TypePlainString, false, "Area code, as in observations' reporter_code and partner_code: ISO 3166-1 alpha-2, ISO 3166-2, ISO 3166-3 for former countries, Eurostat/SDMX codes for aggregates; \"\" for an unknown area."},
		{"name", TypePlainString, false, "English name, as in observations' reporter and partner; for an unknown area the name as written in the data."},
		{"kind", TypeDictString, false, "country, subdivision, historic (former country), aggregate, or unknown (named in the data, not in the area list)."},
		{"parent_code", TypeDictString, false, "Code of the country a subdivision belongs to; \"\" otherwise."},
		{"within_code", TypeDictString, false, "Code of the subdivision a nested subdivision lies in (BE-VLG for BE-VLI); \"\" otherwise."},
		{"country_code", TypeDictString, false, "The country the area is in: its own code for a country, parent_code for a subdivision, \"\" otherwise."},
		{"m49", TypeDictString, true, "ISO 3166-1 numeric / UN M49 code, three digits (\"056\"); null when the list has none."},
		{"alpha3", TypeDictString, true, "ISO 3166-1 alpha-3 code (ISO 3166-3's for a former country); null when the list has none."},
	}
	for _, l := range DimLangs {
		cols = append(cols, Column{"name_" + l, TypePlainString, true, "Name in language " + l + " (CLDR, else the curated list, else iso-codes' translations); null when the list has none."})
	}
	return cols
}

// DimProductColumns are the columns of dim/products.parquet: one row per
// product classification, code and label found in current/.
var DimProductColumns = []Column{
	{"product_classification", TypeDictString, false, "Classification of product_code, as in observations (HS, CN, SITC, BEC, NST, CPA, national, or \"\")."},
	{"product_code", TypePlainString, false, "Product code, as in observations; \"\" when the table gives none."},
	{"product", TypePlainString, false, "Product label as found in the data (as in observations' product)."},
	{"observations", TypeInt64, false, "Rows of current/ with this classification, code and label."},
}

// Dictionary reports whether the column is written with dictionary
// encoding: the text columns typed "STRING (dictionary)", the dimensions
// whose few values repeat on every row. The others are written PLAIN:
// plain "STRING" text is mostly distinct (a dictionary would only add a
// page), and numbers, dates and timestamps compress as well without one
// (rows are sorted, so equal values sit together).
func (c Column) Dictionary() bool { return c.Type == TypeDictString }

// MarkdownTable renders cols as the Markdown table the README shows:
// column, type, nullable, meaning.
func MarkdownTable(cols []Column) string {
	var b strings.Builder
	b.WriteString("| Column | Type | Nullable | Meaning |\n")
	b.WriteString("|---|---|---|---|\n")
	for _, c := range cols {
		null := "no"
		if c.Nullable {
			null = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, c.Type, null, strings.ReplaceAll(c.Doc, "|", `\|`))
	}
	return b.String()
}

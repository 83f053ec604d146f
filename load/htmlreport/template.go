package htmlreport

import "html/template"

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tradeetl audit · {{.Report.RunID}}</title>
<style>
:root { --red: #ff8080; --orange: #ffc266; --ink: #1f2328; --muted: #656d76; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f8fa; }
header, main { max-width: 1180px; margin: 0 auto; padding: 16px 24px; }
header { background: #fff; border-bottom: 1px solid var(--line); max-width: none; }
header h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: var(--muted); font-size: 13px; }
.counts { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 10px; }
.count { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
.count b { font-size: 18px; display: block; }
.count.bad b { color: #cf222e; }
section.input { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 18px 0; padding: 8px 20px 18px; }
section.input h2 { font-size: 17px; margin: 10px 0; word-break: break-all; }
h3 { font-size: 14px; margin: 18px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.status { font-size: 12px; border-radius: 10px; padding: 1px 8px; margin-left: 6px; vertical-align: middle; background: #dafbe1; }
.status.failed { background: #ffebe9; }
.status.skipped { background: #eaeef2; }
table { border-collapse: collapse; }
table.sheet td, table.sheet th { border: 1px solid #e1e4e8; padding: 2px 8px; min-width: 52px; height: 22px; white-space: nowrap; }
table.sheet th { background: #f0f3f6; color: var(--muted); font-weight: normal; font-size: 12px; text-align: center; }
table.sheet td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sheet td.suspect { background: var(--red); font-weight: 600; outline: 2px solid #cf222e; outline-offset: -2px; }
table.sheet td.operand { background: var(--orange); }
table.sheet tr.gap td { text-align: center; color: var(--muted); background: #fafbfc; }
.sheetname { font-size: 12px; color: var(--muted); margin: 4px 0; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 8px; border-radius: 3px; font-size: 12px; }
table.findings { width: 100%; font-size: 13px; }
table.findings th { text-align: left; font-weight: 600; border-bottom: 2px solid var(--line); padding: 4px 6px; }
table.findings td { border-bottom: 1px solid #eaeef2; padding: 4px 6px; vertical-align: top; }
table.findings td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.sev { font-weight: 600; font-size: 12px; }
.error td.sev { color: #cf222e; } .warning td.sev { color: #9a6700; }
.verdict { border-left: 4px solid #cf222e; background: #fff5f5; padding: 8px 12px; margin: 8px 0; border-radius: 0 6px 6px 0; }
.verdict .cell { font-weight: 700; font-size: 16px; }
.verdict .fix { font-size: 15px; margin-left: 8px; }
.verdict .fix del { color: #cf222e; } .verdict .fix ins { color: #1a7f37; text-decoration: none; font-weight: 600; }
.verdict .slip { background: #fff8c5; border-radius: 10px; padding: 1px 8px; font-size: 12px; margin-left: 8px; }
.verdict p { margin: 4px 0 0; }
.charts { display: flex; flex-wrap: wrap; gap: 10px; }
figure.chart { margin: 0; border: 1px solid #eaeef2; border-radius: 6px; padding: 6px; background: #fff; }
figure.chart.flagged { border-color: #cf222e; }
figure.chart figcaption { font-size: 12px; color: var(--muted); max-width: 260px; }
svg.chart .axis { stroke: #8c959f; } svg.chart .zero { stroke: #d0d7de; stroke-dasharray: 2 2; }
svg.chart .line { fill: none; stroke: #0969da; stroke-width: 1.5; }
svg.chart .dot { fill: #0969da; } svg.chart .dot.suspect { fill: #cf222e; }
svg.chart .suggested { fill: none; stroke: #1a7f37; stroke-width: 2; }
svg.chart .fixline { stroke: #1a7f37; stroke-dasharray: 3 2; }
svg.chart .tick { font-size: 10px; fill: var(--muted); }
.ok { color: #1a7f37; }
.more { color: var(--muted); font-style: italic; }
.scroll { overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 20px; }
</style>
</head>
<body>
<header>
<h1>tradeetl audit</h1>
<div class="meta">run <code id="run-id">{{.Report.RunID}}</code>{{with .Report.Version}} · tradeetl {{.}}{{end}} · started {{.Report.Started}}{{with .Report.Finished}} · finished {{.}}{{end}}</div>
<div class="counts" id="summary">
<div class="count"><b>{{len .Report.Inputs}}</b>inputs</div>
<div class="count"><b>{{.Loaded}}</b>loaded</div>
<div class="count{{if .Failed}} bad{{end}}"><b>{{.Failed}}</b>failed</div>
<div class="count"><b>{{.Obs}}</b>observations</div>
<div class="count{{if .Errors}} bad{{end}}"><b id="count-errors">{{.Errors}}</b>errors</div>
<div class="count"><b>{{.Warnings}}</b>warnings</div>
<div class="count{{if .Suspects}} bad{{end}}"><b id="count-suspects">{{.Suspects}}</b>suspect cells</div>
</div>
</header>
<main>
{{range .Inputs}}
<section class="input" id="{{.ID}}">
<h2>{{.Path}} <span class="status {{.Status}}">{{.Status}}</span></h2>
{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
{{if ne .Status "failed"}}
<div class="meta">{{.Obs}} observations · {{.AllVerdicts}} verdicts · {{.AllFindings}} findings</div>
{{if .Verdicts}}<h3>Cells that look wrong</h3>
{{range .Verdicts}}<div class="verdict finding {{.Class}}" id="{{.ID}}" data-rule="{{.Rule}}" data-suspect="{{.Suspect}}" data-suggested="{{.Suggested}}" data-slip="{{.Slip}}">
<span class="cell">{{.Suspect}}</span>{{if .Sheet}} <span class="meta">{{.Sheet}}</span>{{end}}
{{if .Suggested}}<span class="fix">reads <del>{{.Actual}}</del> → should read <ins>{{.Suggested}}</ins></span>{{end}}
{{if .Slip}}<span class="slip">{{.Slip}}</span>{{end}}
<p>{{.Message}}</p>
</div>{{end}}{{end}}
{{if .MoreVerdicts}}<p class="more">{{if .Verdicts}}… and {{.MoreVerdicts}} more verdicts{{else}}{{.MoreVerdicts}} verdicts{{end}}, not drawn here: every one is in report.json and in this input's findings/*.parquet.</p>{{end}}
{{range .Tables}}<h3>Table{{with .Title}}: {{.}}{{end}}</h3>
<div class="sheetname">sheet “{{.Sheet}}”{{with .Range}}, header {{.}}{{end}} · <span class="legend"><span style="background:var(--red)">looks wrong</span><span style="background:var(--orange)">part of a failed rule</span></span> (hover a cell for why)</div>
<div class="scroll"><table class="sheet">
<tr><th></th>{{range .Cols}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}{{if .Gap}}<tr class="gap"><th>…</th><td colspan="99">rows without flagged cells not shown</td></tr>{{else}}<tr><th>{{.Num}}</th>{{range .Cells}}<td{{with .Class}} class="{{.}}"{{end}}{{with .Title}} title="{{.}}"{{end}}>{{.Text}}</td>{{end}}</tr>{{end}}
{{end}}</table></div>
{{end}}{{with .Note}}<p class="meta">{{.}}</p>{{end}}
{{if .Findings}}<h3>Findings</h3>
<div class="scroll"><table class="findings">
<tr><th>Severity</th><th>Rule</th><th>Cells</th><th>Expected</th><th>Actual</th><th>±</th><th>Suspect</th><th>Explanation</th></tr>
{{range .Findings}}<tr class="finding {{.Class}}" id="{{.ID}}" data-rule="{{.Rule}}" data-anchor="{{.Anchor}}" data-suspect="{{.Suspect}}"><td class="sev">{{.Severity}}</td><td>{{.Rule}}</td><td>{{.Cells}}</td><td class="n">{{.Expected}}</td><td class="n">{{.Actual}}</td><td class="n">{{.Tolerance}}</td><td>{{.Suspect}}{{with .Suggested}} → {{.}}{{end}}</td><td>{{.Message}}</td></tr>
{{end}}</table></div>{{else}}{{if not (or .Verdicts .MoreVerdicts .MoreFindings)}}<p class="ok">No findings: every rule holds within the rounding of the published figures.</p>{{end}}{{end}}
{{if .MoreFindings}}<p class="more">{{if .Findings}}… and {{.MoreFindings}} more findings{{else}}{{.MoreFindings}} findings{{end}}, not drawn here: every one is in report.json and in this input's findings/*.parquet.</p>{{end}}
{{if .Charts}}<h3>Series</h3>
<div class="charts">{{range .Charts}}<figure class="chart{{if .Flagged}} flagged{{end}}">{{.SVG}}<figcaption>{{.Title}}{{with .Unit}} ({{.}}){{end}}</figcaption></figure>{{end}}</div>{{end}}
{{end}}
</section>
{{end}}
{{if or .Revisions .MoreRevisions}}<section class="input" id="revisions"><h2>Revisions</h2>
<p class="meta">Figures a later delivery changed: not errors; current/ holds the new value. Largest change first.</p>
<div class="scroll"><table class="findings">
<tr><th>Revision</th><th>Reporter</th><th>Partner</th><th>Product</th><th>Unit</th><th>Old</th><th>New</th><th>Change</th></tr>
{{range .Revisions}}<tr class="revision" data-key="{{.Key}}"><td>{{.Text}}</td><td>{{.Reporter}}</td><td>{{.Partner}}</td><td>{{.Product}}</td><td>{{.Unit}}</td><td>{{.OldFile}} {{.OldCell}}</td><td>{{.NewFile}} {{.NewCell}}</td><td class="n">{{.Change}}</td></tr>
{{end}}</table></div>
{{if .MoreRevisions}}<p class="more">… and {{.MoreRevisions}} more revisions, not listed here: every one is in revisions/revisions.parquet.</p>{{end}}
</section>{{end}}
{{if .Report.Outputs}}<section class="input" id="outputs"><h3>Outputs</h3><table class="findings"><tr><th>File</th><th>Rows</th></tr>
{{range .Report.Outputs}}<tr><td>{{.Path}}</td><td class="n">{{.Rows}}</td></tr>{{end}}</table></section>{{end}}
</main>
<footer>Written by tradeetl. Figures are compared within the rounding of their published decimals; a suspect is the fewest cells whose correction makes every rule hold.</footer>
</body>
</html>
`))

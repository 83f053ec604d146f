package pipeline

import (
	"cmp"
	"fmt"
	"unicode/utf8"

	"github.com/tradeetl/tradeetl/extract"
	"github.com/tradeetl/tradeetl/schemas"
)

// RuleInvalidUTF8 is the warning finding of a file name, sheet name or
// CSV field that is not valid UTF-8: every text tradeetl writes is (Parquet
// STRING columns must be, or engines refuse the whole dataset), so each
// byte that is not UTF-8 is replaced by U+FFFD, and this finding says so.
const RuleInvalidUTF8 = schemas.RuleInvalidUTF8

// utf8Warnings returns the findings of an input whose name, or whose
// workbook's sheet names or fields, were not valid UTF-8, and those of
// delimited text whose encoding is in doubt (extract.RuleTextEncoding:
// its detection was not sure, bytes not of the encoding were replaced).
func utf8Warnings(path string, wb extract.Workbook) []schemas.Finding {
	var out []schemas.Finding
	if !utf8.ValidString(path) {
		out = append(out, schemas.Finding{Rule: RuleInvalidUTF8, Severity: schemas.SeverityWarning, File: path,
			Message: fmt.Sprintf("the file name %q is not valid UTF-8; the outputs name it %q, each byte that is not UTF-8 replaced by U+FFFD (path_hex in report.json and state.json keeps its bytes: %x)", path, schemas.ValidUTF8(path), path)})
	}
	if tr, ok := wb.(extract.TextRepairer); ok {
		for _, rep := range tr.TextRepairs() {
			f := schemas.Finding{Rule: cmp.Or(rep.Rule, RuleInvalidUTF8), Severity: schemas.SeverityWarning, File: path, Sheet: rep.Sheet, Message: rep.Message}
			if rep.Cell != "" {
				f.Cells = []string{rep.Cell}
			}
			out = append(out, f)
		}
	}
	return out
}

// textEncoding says how a delimited text file was decoded ("Shift_JIS
// (detected)"), for the log line of the input; "" for a workbook and for
// text that is plainly UTF-8.
func textEncoding(wb extract.Workbook) string {
	te, ok := wb.(extract.TextEncoder)
	if !ok {
		return ""
	}
	enc := te.TextEncoding()
	if enc.Name == extract.EncodingUTF8 && enc.How != extract.EncodingForced {
		return ""
	}
	return enc.String()
}

package xlsxscan

import (
	"strconv"
	"strings"

	"github.com/xuri/efp"
	"github.com/xuri/excelize/v2"
)

// A shared formula is written once, in its master cell (<f t="shared"
// ref="C2:C9" si="0">A2+B2</f>); the other cells of the range carry only
// <f t="shared" si="0"/>. A cell's formula is the master's with its
// relative references moved by the cell's offset from the master — what
// excelize's GetCellFormula returns, which this file reproduces exactly
// (same tokenizer, same reference arithmetic), so that both readers agree.

// sharedFormula is a master formula, tokenized once.
type sharedFormula struct {
	col, row int
	parts    []formulaPart
}

// formulaPart is a piece of the rendered formula: literal text, or a range
// operand to move.
type formulaPart struct {
	text    string
	isRange bool
}

// maxFormulaLen bounds the formulas tokenized: Excel's limit is 8,192
// characters; a longer master formula is given to its cells unchanged.
const maxFormulaLen = 32 << 10

func newSharedFormula(content string, col, row int) (sf *sharedFormula) {
	sf = &sharedFormula{col: col, row: row}
	if len(content) > maxFormulaLen {
		sf.parts = []formulaPart{{text: content}}
		return sf
	}
	defer func() {
		// The tokenizer is not ours; never let it bring the reader down.
		if recover() != nil {
			sf.parts = []formulaPart{{text: content}}
		}
	}()
	ps := efp.ExcelParser()
	ps.Parse(content)
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			sf.parts = append(sf.parts, formulaPart{text: lit.String()})
			lit.Reset()
		}
	}
	// Render as efp's Parser.Render does, keeping range operands apart.
	for _, t := range ps.Tokens.Items {
		switch {
		case t.TType == efp.TokenTypeOperand && t.TSubType == efp.TokenSubTypeRange:
			flush()
			sf.parts = append(sf.parts, formulaPart{text: t.TValue, isRange: true})
		case t.TType == efp.TokenTypeFunction && t.TSubType == efp.TokenSubTypeStart:
			lit.WriteString(t.TValue)
			lit.WriteByte('(')
		case t.TType == efp.TokenTypeFunction && t.TSubType == efp.TokenSubTypeStop,
			t.TType == efp.TokenTypeSubexpression && t.TSubType == efp.TokenSubTypeStop:
			lit.WriteByte(')')
		case t.TType == efp.TokenTypeSubexpression && t.TSubType == efp.TokenSubTypeStart:
			lit.WriteByte('(')
		case t.TType == efp.TokenTypeOperand && t.TSubType == efp.TokenSubTypeText:
			lit.WriteByte('"')
			lit.WriteString(strings.ReplaceAll(t.TValue, `"`, `""`))
			lit.WriteByte('"')
		case t.TType == efp.TokenTypeOperatorInfix && t.TSubType == efp.TokenSubTypeIntersection:
			lit.WriteByte(' ')
		default:
			lit.WriteString(t.TValue)
		}
	}
	flush()
	return sf
}

// at returns the formula of the cell at col, row.
func (sf *sharedFormula) at(col, row int) string {
	dCol, dRow := col-sf.col, row-sf.row
	if len(sf.parts) == 1 && !sf.parts[0].isRange {
		return sf.parts[0].text
	}
	var b []byte
	for _, p := range sf.parts {
		if !p.isRange {
			b = append(b, p.text...)
			continue
		}
		if out, ok := shiftSimple(b, p.text, dCol, dRow); ok {
			b = out
			continue
		}
		b = append(b, shiftCell(p.text, dCol, dRow)...)
	}
	return string(b)
}

// shiftSimple moves a plain relative reference such as "B2" (the common
// case) without allocating; it reports false for anything else.
func shiftSimple(dst []byte, ref string, dCol, dRow int) ([]byte, bool) {
	i, col := 0, 0
	for i < len(ref) && i < 3 {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		i++
	}
	if i == 0 || i == len(ref) || ref[i] < '1' || ref[i] > '9' || len(ref)-i > 7 {
		return dst, false
	}
	row := 0
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return dst, false
		}
		row = row*10 + int(c-'0')
	}
	if col > MaxColumns || row > MaxRows {
		return dst, false
	}
	col, row = col+dCol, row+dRow
	if col < 1 || col > MaxColumns || row < 1 || row > MaxRows {
		return dst, true // excelize renders an impossible reference as ""
	}
	dst = appendColumnName(dst, col)
	return strconv.AppendInt(dst, int64(row), 10), true
}

// shiftCell moves the relative parts of a range operand; a copy of
// excelize's (unexported) shiftCell, so that both readers agree.
func shiftCell(val string, dCol, dRow int) string {
	parts := strings.Split(val, ":")
	for j := 0; j < len(parts); j++ {
		cell := parts[j]
		trimmedCellName := strings.ReplaceAll(cell, "$", "")
		c, r, err := excelize.CellNameToCoordinates(trimmedCellName)
		if err == nil {
			absCol := strings.Index(cell, "$") == 0
			absRow := strings.LastIndex(cell, "$") > 0
			if !absCol && !absRow {
				parts[j], _ = excelize.CoordinatesToCellName(c+dCol, r+dRow)
			}
			if !absCol && absRow {
				colName, _ := excelize.ColumnNumberToName(c + dCol)
				parts[j] = colName + "$" + strconv.Itoa(r)
			}
			if absCol && !absRow {
				colName, _ := excelize.ColumnNumberToName(c)
				parts[j] = "$" + colName + strconv.Itoa(r+dRow)
			}
			continue
		}
		c, err = excelize.ColumnNameToNumber(trimmedCellName)
		if err == nil && !strings.HasPrefix(cell, "$") {
			parts[j], _ = excelize.ColumnNumberToName(c + dCol)
			continue
		}
		r, err = strconv.Atoi(trimmedCellName)
		if err == nil && !strings.HasPrefix(cell, "$") {
			parts[j] = strconv.Itoa(r + dRow)
		}
	}
	return strings.Join(parts, ":")
}

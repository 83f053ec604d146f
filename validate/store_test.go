package validate

import (
	"testing"
	"unsafe"
)

// A record is 48 bytes: the docs say so, and the memory of a long table
// depends on it. The currency, a key field, is in its context.
func TestRecordSize(t *testing.T) {
	if n := unsafe.Sizeof(rec{}); n != 48 {
		t.Errorf("rec is %d bytes, want 48", n)
	}
}

// A record keeps its cell as row and column when formatting them gives the
// cell back: A1 names, and the R<row>C<col> names extract gives cells past
// Excel's grid; anything else is kept as text (an odd cell).
func TestSetCell(t *testing.T) {
	tests := []struct {
		cell     string
		odd, rc  bool
		row, col int
	}{
		{cell: "B7", row: 7, col: 2},
		{cell: "XFD1048576", row: 1048576, col: 16384},
		{cell: "R1048577C7", rc: true, row: 1048577, col: 7},
		{cell: "R4294967295C65535", rc: true, row: 4294967295, col: 65535},
		{cell: "R012C3", odd: true},
		{cell: "R12C0", odd: true},
		{cell: "R12C65536", odd: true},
		{cell: "R-1C3", odd: true},
		{cell: "R12", row: 12, col: 18}, // column R
		{cell: "R12C", odd: true},
		{cell: "b7", odd: true},
		{cell: "", odd: true},
	}
	for _, tt := range tests {
		var c checker
		var r rec
		odd := c.setCell(&r, tt.cell)
		if odd != tt.odd || (r.flags&recRC != 0) != tt.rc {
			t.Errorf("setCell(%q): odd %v, R1C1 %v; want %v, %v", tt.cell, odd, r.flags&recRC != 0, tt.odd, tt.rc)
			continue
		}
		if odd {
			continue
		}
		if int(r.row) != tt.row || int(r.col) != tt.col {
			t.Errorf("setCell(%q): row %d col %d, want %d %d", tt.cell, r.row, r.col, tt.row, tt.col)
		}
		got := formatA1(int(r.row), int(r.col))
		if tt.rc {
			got = formatRC(int(r.row), int(r.col))
		}
		if got != tt.cell {
			t.Errorf("setCell(%q) gives back %q", tt.cell, got)
		}
	}
}

#!/usr/bin/env python3
"""Build the office-written test workbooks of package transform.

The workbooks are described below as Python data. This script writes each
as a flat OpenDocument spreadsheet (src/NAME.fods, the committed source),
then has two other programs write it as .xlsx:

  lo/NAME.xlsx        LibreOffice Calc:  soffice --headless --convert-to xlsx
                      (and lo/trade-china.xls, the old binary format)
  gnumeric/NAME.xlsx  Gnumeric:          soffice --convert-to ods, then ssconvert

Both programs compute the formulas and store their results, write the
merged ranges, number formats and the 1904 date system their own way. The
produced files are committed, so tests need no office suite; run this
script again (Debian: libreoffice-calc-nogui, gnumeric) after changing a
workbook.

Cell notation: a str is text; an int or float is a number in the General
format; (value, style) is a number with a style from STYLES; a dict can
hold "f" (a formula, "of:=..." syntax, whose result the program computes),
"date" (an ISO date), "span" (columns, rows) for a merged range, "v" and
"style".
"""
import os
import shutil
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

# style name -> (number style XML)
STYLES = {
    "N0": '<number:number-style style:name="fN0"><number:number number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="1"/></number:number-style>',
    "N1": '<number:number-style style:name="fN1"><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/></number:number-style>',
    "N2": '<number:number-style style:name="fN2"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>',
    "T0": '<number:number-style style:name="fT0"><number:number number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/></number:number-style>',
    "T1": '<number:number-style style:name="fT1"><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1" number:grouping="true"/></number:number-style>',
    "P1": '<number:percentage-style style:name="fP1"><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>',
    # 0.0;(0.0): negatives in parentheses
    "NEG": '<number:number-style style:name="fNEGn"><number:text>(</number:text><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/><number:text>)</number:text></number:number-style>'
           '<number:number-style style:name="fNEG"><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/><style:map style:condition="value()&lt;0" style:apply-style-name="fNEGn"/></number:number-style>',
    "MY": '<number:date-style style:name="fMY"><number:month number:textual="true"/><number:text> </number:text><number:year number:style="long"/></number:date-style>',
}


def fig(values, style):
    return [None if v is None else (v if isinstance(v, str) else (v, style)) for v in values]


WORKBOOKS = {}

# A Dutch sheet and a French sheet of the newsletter table, a sheet of
# notes without a table, quarters with a unit column, months as dates and
# as text in two tables of one sheet, and a long table of products.
WORKBOOKS["trade-china"] = {
    "date1904": False,
    "sheets": [
        ("Toelichting", [
            ["Deze map bevat de handel van Vlaanderen met China."],
            ["Bron: Nationale Bank van België; bewerking Flanders Investment & Trade."],
        ]),
        ("China NL", [
            [],
            [None, {"v": "Handel van Vlaanderen met China", "span": (7, 1)}],
            [None, "(in miljard euro)"],
            [],
            [None, None, {"v": "Waarde", "span": (3, 1)}, None, None, {"v": "Groei (%)", "span": (2, 1)}],
            [None, None, "2011", "2012", "2013*", "2012", "2013*"],
            [None, "Belgische uitvoer", "6,75", "7,62", "7,41", "12,9", "-2,8"],
            [None, "Vlaamse uitvoer", "6,21", "6,95", "6,80", "11,9", "-2,2"],
            [None, "Aandeel Vlaanderen", "92,0", "91,2", "91,8"],
            [],
            [None, "Belgische invoer", "13,85", "13,40", "12,62", "-3,2", "-5,8"],
            [None, "Vlaamse invoer", "12,40", "12,08", "11,28", "-2,6", "-6,6"],
            [None, "Aandeel Vlaanderen", "89,5", "90,1", "89,4"],
            [],
            [None, "Handelstekort Vlaanderen", "6,19", "5,13", "4,48", "-17,1", "-12,7"],
            [None, "Belgisch handelstekort", "7,10", "5,78", ":", "-18,6", ":"],
            [],
            [None, "* voorlopige cijfers"],
        ]),
        ("Chine FR", [
            ["Commerce de la Flandre avec la Chine"],
            ["€ mn", 2011, 2012, "Croissance", 2013, "Croissance"],
            ["Exportations belges"] + fig([6750, 7620], "T1") + [(12.9, "NEG"), (7410, "T1"), (-2.8, "NEG")],
            ["Exportations flamandes"] + fig([6210, 6950], "T1") + [(11.9, "NEG"), (6800, "T1"), (-2.2, "NEG")],
            ["Part de la Flandre", (0.92, "P1"), (0.912, "P1"), None, (0.918, "P1")],
            ["Importations belges"] + fig([13850, 13400], "T1") + [(-3.2, "NEG"), (12620, "T1"), (-5.8, "NEG")],
            ["Importations flamandes"] + fig([12400, 12080], "T1") + [(-2.6, "NEG"), (11280, "T1"), (-6.6, "NEG")],
            ["Part de la Flandre", (0.895, "P1"), (0.901, "P1"), None, (0.894, "P1")],
            ["Déficit flamand", {"f": "of:=[.B7]-[.B4]", "style": "T1"}, {"f": "of:=[.C7]-[.C4]", "style": "T1"},
             (-17.1, "NEG"), {"f": "of:=[.E7]-[.E4]", "style": "T1"}, (-12.7, "NEG")],
            ["Déficit belge", {"f": "of:=[.B6]-[.B3]", "style": "T1"}, {"f": "of:=[.C6]-[.C3]", "style": "T1"},
             (-18.6, "NEG"), {"f": "of:=1/0", "style": "T1"}, {"f": "of:=NA()", "style": "NEG"}],
        ]),
        ("Quarters", [
            ["Flanders trade with China, quarterly"],
            [],
            [None, "Unit", "Q1 2013", "2013Q2", "Q3 2013", "2013 Q4"],
            ["Flanders exports", "EUR mn"] + fig([1690.5, 1702.3, 1688.0, 1719.2], "N1"),
            ["Flanders imports", "EUR mn"] + fig([2800.1, 2830.4, 2790.0, 2859.5], "N1"),
            ["Flanders trade deficit", "EUR mn"] + [{"f": "of:=[.%s5]-[.%s4]" % (c, c), "style": "N1"} for c in "CDEF"],
        ]),
        ("Months", [
            ["Flanders exports to China, monthly (EUR million)"],
            [None, {"date": "2013-01-01", "style": "MY"}, {"date": "2013-02-01", "style": "MY"}, {"date": "2013-03-01", "style": "MY"}],
            ["Flanders exports"] + fig([560.2, 548.9, 581.4], "N1"),
            [],
            ["Flanders imports from China, monthly (EUR million)"],
            [None, "Jan 2014", "Feb 2014", "2014-03"],
            ["Flanders imports"] + fig([901.0, 880.5, 940.2], "N1"),
        ]),
        ("Products", [
            ["Flanders exports to China by product"],
            ["Provisional figures for 2013."],
            [],
            ["Reporter", "Partner", "Flow", "Product code", "Product", "Year", "Value (EUR)"],
            ["Flanders", "China", "Export", "TOTAL", "Total", 2013, (6800000000, "T0")],
            ["Flanders", "China", "Export", "06", "Chemicals", 2013, (2100000000, "T0")],
            ["Flanders", "China", "Export", "15", "Metals", 2013, (1500000000, "T0")],
            ["Flanders", "China", "Export", "17", "Transport equipment", 2013, (1400000000, "T0")],
            ["Flanders", "China", "Export", "99", "Other", 2013, (1800000000, "T0")],
            ["Source: NBB."],
        ]),
    ],
}

# Months as date cells in a workbook that counts dates from 1904.
WORKBOOKS["dates-1904"] = {
    "date1904": True,
    "sheets": [
        ("Monthly", [
            ["Flanders exports to China (EUR million)"],
            [None, {"date": "2013-01-01", "style": "MY"}, {"date": "2013-02-01", "style": "MY"}, {"date": "2013-12-01", "style": "MY"}],
            ["Flanders exports"] + fig([560.2, 548.9, 590.0], "N1"),
        ]),
    ],
}

# Labels over two columns, the reporter merged down its block, and a
# growth heading merged over two columns with its years in the row below.
WORKBOOKS["merged"] = {
    "date1904": False,
    "sheets": [
        ("Blocks", [
            [{"v": "Trade with China (in billion euro)", "span": (6, 1)}],
            [None, None, 2012, 2013, {"v": "Growth rate", "span": (2, 1)}],
            [None, None, None, None, 2012, 2013],
            [{"v": "Belgium", "span": (1, 2)}, "exports"] + fig([7.62, 7.41], "N2") + fig([12.9, -2.8], "N1"),
            [None, "imports"] + fig([13.40, 12.62], "N2") + fig([-3.2, -5.8], "N1"),
            [{"v": "Flanders", "span": (1, 3)}, "exports"] + fig([6.95, 6.80], "N2") + fig([11.9, -2.2], "N1"),
            [None, "imports"] + fig([12.08, 11.28], "N2") + fig([-2.6, -6.6], "N1"),
            [None, "deficit"] + fig([5.13, 4.48], "N2") + fig([-17.1, -12.7], "N1"),
        ]),
    ],
}

# A workbook whose only sheet is empty.
WORKBOOKS["empty"] = {"date1904": False, "sheets": [("Sheet1", [])]}


def cell_xml(c):
    if c is None:
        return "<table:table-cell/>"
    if isinstance(c, str):
        return '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % escape(c)
    if isinstance(c, (int, float)):
        return '<table:table-cell office:value-type="float" office:value="%r"/>' % c
    if isinstance(c, tuple):
        c = {"v": c[0], "style": c[1]}
    attrs = ""
    if "style" in c:
        attrs += ' table:style-name="c%s"' % c["style"]
    if "span" in c:
        attrs += ' table:number-columns-spanned="%d" table:number-rows-spanned="%d"' % c["span"]
    if "f" in c:
        return '<table:table-cell table:formula="%s" office:value-type="float"%s/>' % (escape(c["f"]), attrs)
    if "date" in c:
        return '<table:table-cell office:value-type="date" office:date-value="%s"%s/>' % (c["date"], attrs)
    v = c["v"]
    if isinstance(v, str):
        return '<table:table-cell office:value-type="string"%s><text:p>%s</text:p></table:table-cell>' % (attrs, escape(v))
    vt = "percentage" if c.get("style") == "P1" else "float"
    return '<table:table-cell office:value-type="%s" office:value="%r"%s/>' % (vt, v, attrs)


def fods(book):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
           ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
           ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
           ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
           ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"'
           ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
           ' xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
           ' office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">',
           "<office:automatic-styles>"]
    for name, xml in STYLES.items():
        out.append(xml)
        out.append('<style:style style:name="c%s" style:family="table-cell" style:data-style-name="f%s"/>' % (name, name))
    out.append("</office:automatic-styles>")
    out.append("<office:body><office:spreadsheet>")
    if book["date1904"]:
        out.append('<table:calculation-settings><table:null-date table:date-value="1904-01-01"/></table:calculation-settings>')
    for name, rows in book["sheets"]:
        out.append('<table:table table:name="%s">' % escape(name))
        covered = set()
        for r, row in enumerate(rows):
            cells = []
            for c, cell in enumerate(row):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                if isinstance(cell, dict) and "span" in cell:
                    cols, nrows = cell["span"]
                    for dr in range(nrows):
                        for dc in range(cols):
                            if dr or dc:
                                covered.add((r + dr, c + dc))
                cells.append(cell_xml(cell))
            # trailing covered cells of a span
            c = len(row)
            while (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
                c += 1
            out.append("<table:table-row>%s</table:table-row>" % "".join(cells) if cells else
                       "<table:table-row><table:table-cell/></table:table-row>")
        out.append("</table:table>")
    out.append("</office:spreadsheet></office:body></office:document>")
    return "\n".join(out) + "\n"


def main():
    for d in ("src", "lo", "gnumeric"):
        os.makedirs(os.path.join(HERE, d), exist_ok=True)
    tmp = tempfile.mkdtemp()
    try:
        for name, book in WORKBOOKS.items():
            src = os.path.join(HERE, "src", name + ".fods")
            with open(src, "w", encoding="utf-8") as f:
                f.write(fods(book))
            subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", os.path.join(HERE, "lo"), src],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if name == "trade-china":
                # the same workbook in the old binary format, for the test
                # of a .xls renamed .xlsx
                subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", os.path.join(HERE, "lo"), src],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", tmp, src],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run(["ssconvert", "--export-type=Gnumeric_Excel:xlsx2", os.path.join(tmp, name + ".ods"),
                            os.path.join(HERE, "gnumeric", name + ".xlsx")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print("built", name)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())

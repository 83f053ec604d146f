#!/usr/bin/python3
"""Writes tradeetl's held-out trade-table corpus: cases/ and answers.json.

Usage: /usr/bin/python3 testdata/heldout/gen.py   (from any folder; writes next to this file)

Needs the Debian packages python3-openpyxl, python3-xlsxwriter,
libreoffice-calc-nogui (soffice) and gnumeric (ssconvert); nothing from PyPI
and no network. Intermediate files go to a temporary folder under /tmp.

A third set of tables, beside the shared corpus (../shared/corpus/trade) and
testdata/world, for measuring how the reader generalises to publications it
has not seen: other countries and languages (Austrian German, Finnish,
Czech, Romanian, Danish, Norwegian, Spanish of Argentina and Colombia, French
of Morocco, English of Australia, Hungary, Türkiye, Korea, Kenya, Hong Kong
and Singapore, Swiss trilingual headings), other layouts (tables that start
at row 8 or column C, tables side by side and stacked, headings over three
rows, partners across the columns, time-series spreadsheets with metadata
rows), other cell habits (years stored as 2023.0, months and quarters as date
cells, growth rates and shares stored as fractions under a percent format,
trailing minus signs, footnote letters glued to figures) and other download
formats (WTO time-series bulk CSV, OECD.Stat CSV export, Eurostat SDMX-CSV
2.0 with labels, Statistics Denmark API CSV, a JSON-stat dataset flattened to
CSV, SingStat Table Builder CSV, ITC Trade Map text export).

The key has the format of the shared corpus's key (see its README.md and
CONVENTIONS below) with the additions of testdata/world: the flows
re_exports and re_imports, and the top-level "aliases" object.

Every table is synthetic: its layout follows the kind of publication named in
the case's "models" field; titles, notes and figures are this file's own.
Base figures are chosen by hand or drawn from seeded random generators; every
derived figure (balance, deficit, total trade, share, growth, aggregate,
product total, rest of the world) is computed from the unrounded base figures
and rounded as the table publishes it. Before the key is written, the
generator

  1. checks every case with its own interval arithmetic (balance, surplus,
     deficit, total trade, re-exports within exports, shares and their
     range, growth rates, region within country, product lines and declared
     partner aggregates adding up): in a clean case every check passes with
     room to spare (the intervals overlap by more than a hundredth of the
     narrower one); a planted case fails, only through its planted cell, and
     passes again with the true value put back;
  2. opens every written file again (openpyxl for workbooks, a plain reader
     for CSV/TSV) and checks that each key cell holds the key's value (a
     numeric cell's number format showing the key's text, percent formats
     included), and that each missing mark is where the key says.

Zip timestamps and document dates are fixed: two runs give the same bytes.
"""
import csv
import datetime
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import warnings
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

import openpyxl
import xlsxwriter
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, 'cases')
FIXED_TIME = datetime.datetime(2024, 11, 4, 9, 30, 0)
FIXED_ZIP_TIME = (2024, 11, 4, 9, 30, 0)
FIXED_ISO = '2024-11-04T09:30:00Z'
MINUS = '\u2212'
NBSP = '\u00a0'

# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------


def rnd(x, d):
    """x rounded half away from zero to d decimals."""
    q = Decimal(1).scaleb(-d)
    v = float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))
    return 0.0 if v == 0 else v


def growth(cur, base):
    return (cur / base - 1.0) * 100.0


def numtext(v, d, thou=',', dec='.', neg='-'):
    """The text of v with d decimals: thousands separator thou ('' for none),
    decimal mark dec, negative style neg ('-', U+2212 or '()')."""
    s = f'{abs(v):,.{d}f}'.replace(',', '\0').replace('.', dec).replace('\0', thou)
    if v < 0:
        s = f'({s})' if neg == '()' else neg + s
    return s


def excel_text(v, fmt):
    """How a spreadsheet shows v under the number formats used here, in an
    English locale: General, 0, 0.0, #,##0, #,##0.0, percent formats (0.0%),
    with an optional negative section: brackets (#,##0.0), a leading minus
    -#,##0.0 or a trailing minus #,##0.0-."""
    if fmt is None or fmt == 'General':
        if float(v).is_integer():
            return str(int(v))
        return '%.10g' % v
    secs = fmt.split(';')
    pos = secs[0]
    pct = '%' in pos
    if pct:
        v = v * 100
    core = pos.replace('%', '')
    d = len(re.sub(r'[^0#]', '', core.split('.', 1)[1])) if '.' in core else 0
    grp = ',' in core
    body = f'{abs(v):,.{d}f}' if grp else f'{abs(v):.{d}f}'
    suf = '%' if pct else ''
    if v < 0:
        if len(secs) > 1 and '(' in secs[1]:
            return f'({body}{suf})'
        if len(secs) > 1 and secs[1].rstrip().endswith('-'):
            return f'{body}{suf}-'
        return '-' + body + suf
    return body + suf


def parse_ref(ref):
    m = re.fullmatch(r'([A-Z]+)(\d+)', ref)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def ref_of(r, c):
    return f'{get_column_letter(c)}{r}'


# ---------------------------------------------------------------------------
# labels, figures, cases
# ---------------------------------------------------------------------------


class Lab(dict):
    """The labels of a figure. Calling it returns a copy with some labels
    replaced (parent = reporter_parent, base = base_period)."""

    DEFAULT = dict(reporter='', reporter_parent='', partner='World', flow='exports', measure='level',
                   period='', base_period='', unit='', scale=1, product='Total', flag='', cur='')
    SHORT = {'parent': 'reporter_parent', 'base': 'base_period'}

    def __init__(self, **kw):
        super().__init__(Lab.DEFAULT)
        for k, v in kw.items():
            self[Lab.SHORT.get(k, k)] = v

    def __call__(self, **kw):
        n = Lab()
        n.update(self)
        for k, v in kw.items():
            n[Lab.SHORT.get(k, k)] = v
        return n

    def growth(self, period, base, **kw):
        return self(measure='growth', period=period, base_period=base, unit='%', scale=1, **kw)

    def share(self, **kw):
        return self(measure='share', unit='%', scale=1, **kw)


class Fig:
    """A figure of a text file (or a text cell): value as published, its
    text, labels."""

    def __init__(self, value, dec, text, lab):
        self.value = value
        self.dec = dec
        self.text = text
        self.lab = lab


def fig(true, dec, lab, thou='', dec_mark='.', neg='-', suffix='', prefix=''):
    value = rnd(true, dec)
    return Fig(value, dec, prefix + numtext(value, dec, thou, dec_mark, neg) + suffix, lab)


CASES = []


class Case:
    def __init__(self, cid, group, models, writer, tests):
        self.cid = cid
        self.group = group
        self.models = models
        self.writer = writer
        self.tests = tests
        self.outputs = []
        self.figs = []
        self.missing = []
        self.partner_sums = []
        self.products_complete = False
        self.planted = None
        self.expected_exit = 0

    def book(self, name, writer):
        b = Book(self, name, writer)
        self.outputs.append(b)
        return b

    def text(self, name, **kw):
        t = TextFile(self, name, **kw)
        self.outputs.append(t)
        return t

    def raw(self, name, data):
        self.outputs.append(RawFile(self, name, data))

    def plant(self, fname, sheet, cell, rule, true_value, dec, slip):
        f = next(f for f in self.figs if (f['file'], f['sheet'], f['cell']) == (fname, sheet, cell))
        self.planted = dict(file=fname, sheet=sheet, cell=cell, rule=rule, true_value=rnd(true_value, dec),
                            true_text=numtext(rnd(true_value, dec), dec, thou=''), published=f['text'],
                            slip=slip)
        self.expected_exit = 1


def new_case(*a, **kw):
    c = Case(*a, **kw)
    CASES.append(c)
    return c


class Cell:
    __slots__ = ('value', 'fmt', 'bold', 'wrap', 'align', 'italic')

    def __init__(self, value, fmt=None, bold=False, wrap=False, align=None, italic=False):
        self.value = value
        self.fmt = fmt
        self.bold = bold
        self.wrap = wrap
        self.align = align
        self.italic = italic


class Sheet:
    def __init__(self, book, name):
        self.book = book
        self.name = name
        self.cells = {}
        self.merges = []
        self.widths = {}

    @staticmethod
    def rc(ref):
        return parse_ref(ref) if isinstance(ref, str) else ref

    def t(self, ref, text, bold=False, wrap=False, align=None, merge=None, italic=False):
        """A text cell; merge='D4' merges from ref to D4."""
        r, c = self.rc(ref)
        self.cells[(r, c)] = Cell(text, None, bold, wrap, align, italic)
        if merge:
            r2, c2 = self.rc(merge)
            self.merges.append((r, c, r2, c2))

    def n(self, ref, value, fmt=None, bold=False, align=None):
        """A number cell that is not a figure (a year heading, a serial
        number, a ratio the key does not describe)."""
        r, c = self.rc(ref)
        self.cells[(r, c)] = Cell(value, fmt, bold, False, align)

    def f(self, ref, true, dec, fmt, lab, store='num', style=None, suffix=''):
        """A figure: true rounded to dec decimals. store='num' writes a number
        shown with fmt; store='pct' writes the value / 100 shown with a
        percent format fmt (0.052 shown 5.2%); store='text' writes
        numtext(**style) + suffix."""
        r, c = self.rc(ref)
        value = rnd(true, dec)
        if store == 'num':
            self.cells[(r, c)] = Cell(int(value) if dec == 0 else value, fmt)
            text = excel_text(value, fmt)
        elif store == 'pct':
            cv = round(value / 100, dec + 2)
            self.cells[(r, c)] = Cell(cv, fmt)
            text = excel_text(cv, fmt)
        else:
            text = numtext(value, dec, **(style or {})) + suffix
            self.cells[(r, c)] = Cell(text, None, align='right')
        self.book.case.figs.append(dict(file=self.book.name, sheet=self.name, cell=ref_of(r, c), value=value,
                                        decimals=dec, text=text, store=store, **lab))
        return value

    def miss(self, ref, text):
        r, c = self.rc(ref)
        self.cells[(r, c)] = Cell(text, None, align='right')
        self.book.case.missing.append(dict(file=self.book.name, sheet=self.name, cell=ref_of(r, c), text=text))

    def width(self, col, w):
        self.widths[parse_ref(col + '1')[1]] = w

    def publish(self, ref, value, text=None, raw=None):
        """Overwrites the figure at ref with a published (wrong) value: the
        slip of a planted case. raw: a number stored in the cell that its
        format shows rounded (the key's value is what is shown)."""
        r, c = self.rc(ref)
        f = next(f for f in self.book.case.figs
                 if (f['file'], f['sheet'], f['cell']) == (self.book.name, self.name, ref_of(r, c)))
        cell = self.cells[(r, c)]
        if raw is not None:
            f['raw'] = cell.value = raw
            f['value'] = rnd(raw, f['decimals'])
            f['text'] = excel_text(raw, cell.fmt)
            return
        f['value'] = value
        if f['store'] == 'num':
            cell.value = int(value) if f['decimals'] == 0 else value
            f['text'] = excel_text(value, cell.fmt)
        elif f['store'] == 'pct':
            cell.value = round(value / 100, f['decimals'] + 2)
            f['text'] = excel_text(cell.value, cell.fmt)
        else:
            f['text'] = cell.value = text


class Book:
    def __init__(self, case, name, writer):
        self.case = case
        self.name = name
        self.writer = writer    # openpyxl | xlsxwriter | soffice | soffice-csv | ssconvert
        self.sheets = []
        self.csv_source = None  # soffice-csv: the TextFile LibreOffice converts

    def sheet(self, name):
        s = Sheet(self, name)
        self.sheets.append(s)
        return s


class TextFile:
    """A CSV or TSV file. Rows are lists of fields; a field is a str or a
    Fig (placed at the field's column letter and the row's physical line)."""

    def __init__(self, case, name, delim=',', eol='\n', bom=False, quote='minimal', encoding='utf-8',
                 register=True):
        self.case = case
        self.name = name
        self.delim = delim
        self.eol = eol
        self.bom = bom
        self.quote = quote
        self.encoding = encoding
        self.register = register
        self.lines = []

    def _fmt(self, fields):
        out = []
        for f in fields:
            s = f.text if isinstance(f, Fig) else str(f)
            need = self.quote == 'all' or (self.quote == 'minimal' and (
                self.delim in s or '"' in s or '\n' in s))
            if self.quote == 'nonnumeric' and not isinstance(f, Fig):
                need = True
            if need:
                s = '"' + s.replace('"', '""') + '"'
            out.append(s)
        return self.delim.join(out)

    def line_no(self):
        return len(self.lines) + 1

    def row(self, *fields):
        if len(fields) == 1 and isinstance(fields[0], (list, tuple)):
            fields = fields[0]
        line = self.line_no()
        if self.register:
            for i, f in enumerate(fields):
                if isinstance(f, Fig):
                    self.case.figs.append(dict(file=self.name, sheet='', cell=ref_of(line, i + 1), value=f.value,
                                               decimals=f.dec, text=f.text, store='text', **f.lab))
        self.lines.append(self._fmt(fields))
        return line

    def miss_at(self, line, col, text):
        self.case.missing.append(dict(file=self.name, sheet='', cell=ref_of(line, col), text=text))

    def blank(self):
        self.lines.append('')

    def data(self):
        b = (self.eol.join(self.lines) + self.eol).encode(self.encoding)
        return b'\xef\xbb\xbf' + b if self.bom else b


class RawFile:
    def __init__(self, case, name, data):
        self.case = case
        self.name = name
        self.payload = data


# ---------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------


def write_openpyxl(book, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in book.sheets:
        ws = wb.create_sheet(sh.name)
        for (r, c), cell in sorted(sh.cells.items()):
            x = ws.cell(row=r, column=c, value=cell.value)
            if cell.fmt:
                x.number_format = cell.fmt
            if cell.bold or cell.italic:
                x.font = Font(bold=cell.bold, italic=cell.italic)
            if cell.wrap or cell.align:
                x.alignment = Alignment(wrap_text=cell.wrap, horizontal=cell.align)
        for (r1, c1, r2, c2) in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for col, w in sorted(sh.widths.items()):
            ws.column_dimensions[get_column_letter(col)].width = w
    wb.properties.creator = 'tradeetl held-out corpus'
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)


def write_xlsxwriter(book, path):
    wb = xlsxwriter.Workbook(path, {'strings_to_numbers': False, 'strings_to_formulas': False,
                                    'strings_to_urls': False})
    wb.set_properties({'author': 'tradeetl held-out corpus', 'created': FIXED_TIME})
    cache = {}

    def style(cell):
        if cell is None:
            return None
        key = (cell.fmt, cell.bold, cell.wrap, cell.align, cell.italic)
        if key == (None, False, False, None, False):
            return None
        if key not in cache:
            props = {}
            if cell.fmt:
                props['num_format'] = cell.fmt
            if cell.bold:
                props['bold'] = True
            if cell.italic:
                props['italic'] = True
            if cell.wrap:
                props['text_wrap'] = True
            if cell.align:
                props['align'] = cell.align
            cache[key] = wb.add_format(props)
        return cache[key]

    for sh in book.sheets:
        ws = wb.add_worksheet(sh.name)
        covered = set()
        for (r1, c1, r2, c2) in sh.merges:
            cell = sh.cells.get((r1, c1))
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, cell.value if cell else '',
                           style(cell) or wb.add_format({}))
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    covered.add((r, c))
        for (r, c), cell in sorted(sh.cells.items()):
            if (r, c) in covered:
                continue
            f = style(cell)
            if isinstance(cell.value, str):
                ws.write_string(r - 1, c - 1, cell.value, f)
            elif isinstance(cell.value, datetime.datetime):
                ws.write_datetime(r - 1, c - 1, cell.value, f)
            else:
                ws.write_number(r - 1, c - 1, cell.value, f)
        for col, w in sorted(sh.widths.items()):
            ws.set_column(col - 1, col - 1, w)
    wb.close()


def _fods_number_style(fmt, styles):
    if not fmt:
        return None
    pos = fmt.split(';')[0]
    d = len(re.sub(r'[^0#]', '', pos.split('.', 1)[1])) if '.' in pos else 0
    grp = ',' in pos
    name = f'N{d}{"G" if grp else ""}'
    styles[name] = (d, grp)
    return name


def write_fods(book, path):
    """A flat OpenDocument spreadsheet, which soffice converts to xlsx."""
    data_styles, cell_styles, body = {}, {}, []
    for sh in book.sheets:
        body.append(f'<table:table table:name="{escape(sh.name)}">')
        ncols = max([c for (_, c) in sh.cells] + [c2 for (_, _, _, c2) in sh.merges] + [1])
        for c in range(1, ncols + 1):
            w = sh.widths.get(c)
            if w:
                cs = f'co{c}_{len(cell_styles)}'
                cell_styles[cs] = ('col', w)
                body.append(f'<table:table-column table:style-name="{cs}"/>')
            else:
                body.append('<table:table-column/>')
        nrows = max([r for (r, _) in sh.cells] + [r2 for (_, _, r2, _) in sh.merges] + [1])
        merge_at = {(r1, c1): (r2, c2) for (r1, c1, r2, c2) in sh.merges}
        covered = set()
        for (r1, c1, r2, c2) in sh.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered.add((r, c))
        for r in range(1, nrows + 1):
            body.append('<table:table-row>')
            for c in range(1, ncols + 1):
                if (r, c) in covered:
                    body.append('<table:covered-table-cell/>')
                    continue
                cell = sh.cells.get((r, c))
                attrs = []
                if (r, c) in merge_at:
                    r2, c2 = merge_at[(r, c)]
                    attrs.append(f'table:number-columns-spanned="{c2 - c + 1}" '
                                 f'table:number-rows-spanned="{r2 - r + 1}"')
                if cell is None or cell.value is None:
                    body.append(f'<table:table-cell {" ".join(attrs)}/>')
                    continue
                if isinstance(cell.value, datetime.datetime):
                    raise ValueError('write_fods: date cells are not supported')
                ds = _fods_number_style(cell.fmt, data_styles) if not isinstance(cell.value, str) else None
                sname = f'ce_{ds or "x"}_{int(cell.bold)}_{int(cell.wrap)}_{cell.align or ""}'
                cell_styles[sname] = ('cell', ds, cell.bold, cell.wrap, cell.align)
                attrs.append(f'table:style-name="{sname}"')
                if isinstance(cell.value, str):
                    attrs.append('office:value-type="string"')
                    text = escape(cell.value)
                else:
                    attrs.append(f'office:value-type="float" office:value="{cell.value!r}"')
                    text = escape(excel_text(cell.value, cell.fmt))
                body.append(f'<table:table-cell {" ".join(attrs)}><text:p>{text}</text:p></table:table-cell>')
            body.append('</table:table-row>')
        body.append('</table:table>')
    auto = []
    for name, (d, grp) in sorted(data_styles.items()):
        g = ' number:grouping="true"' if grp else ''
        auto.append(f'<number:number-style style:name="{name}"><number:number number:decimal-places="{d}" '
                    f'number:min-decimal-places="{d}" number:min-integer-digits="1"{g}/>'
                    f'</number:number-style>')
    for name, spec in sorted(cell_styles.items()):
        if spec[0] == 'col':
            auto.append(f'<style:style style:name="{name}" style:family="table-column">'
                        f'<style:table-column-properties style:column-width="{spec[1] * 0.19:.2f}cm"/>'
                        f'</style:style>')
            continue
        _, ds, bold, wrap, align = spec
        a = f' style:data-style-name="{ds}"' if ds else ''
        inner = ''
        if wrap:
            inner += '<style:table-cell-properties fo:wrap-option="wrap"/>'
        if align:
            inner += ('<style:paragraph-properties fo:text-align="'
                      f'{ {"right": "end", "left": "start", "center": "center"}[align]}"/>')
        if bold:
            inner += '<style:text-properties fo:font-weight="bold"/>'
        auto.append(f'<style:style style:name="{name}" style:family="table-cell" '
                    f'style:parent-style-name="Default"{a}>{inner}</style:style>')
    doc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
           'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">\n'
           '<office:automatic-styles>' + ''.join(auto) + '</office:automatic-styles>\n'
           '<office:body><office:spreadsheet>\n' + '\n'.join(body) +
           '\n</office:spreadsheet></office:body></office:document>\n')
    with open(path, 'w', encoding='utf-8') as fh:
        fh.write(doc)


def fixed_zip(entries):
    """A zip archive of (name, bytes) with fixed timestamps and modes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return out.getvalue()


def normalize_xlsx(path):
    """Fixed zip timestamps and document dates, so that runs give the same bytes."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    fixed = []
    for name, data in entries:
        if name == 'docProps/core.xml':
            s = data.decode('utf-8')
            s = re.sub(r'(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)', r'\g<1>' + FIXED_ISO + r'\3', s)
            data = s.encode('utf-8')
        fixed.append((name, data))
    with open(path, 'wb') as fh:
        fh.write(fixed_zip(fixed))


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f'gen.py: {" ".join(cmd)} failed ({p.returncode}): {p.stderr.strip()[:400]}')
    return p


def write_all(tmp):
    if os.path.isdir(CASES_DIR):
        shutil.rmtree(CASES_DIR)
    os.makedirs(CASES_DIR)
    fods, lo_csv = [], []
    for cs in CASES:
        for out in cs.outputs:
            dest = os.path.join(CASES_DIR, out.name)
            if isinstance(out, TextFile):
                with open(dest, 'wb') as fh:
                    fh.write(out.data())
            elif isinstance(out, RawFile):
                with open(dest, 'wb') as fh:
                    fh.write(out.payload)
            elif out.writer == 'openpyxl':
                write_openpyxl(out, dest)
            elif out.writer == 'xlsxwriter':
                write_xlsxwriter(out, dest)
            elif out.writer == 'ssconvert':
                src = os.path.join(tmp, 'gn-' + out.name)
                write_openpyxl(out, src)
                run(['ssconvert', '-T', 'Gnumeric_Excel:xlsx2', src, dest], env=dict(os.environ, HOME=tmp))
            elif out.writer == 'soffice':
                src = os.path.join(tmp, 'lo', os.path.splitext(out.name)[0] + '.fods')
                os.makedirs(os.path.dirname(src), exist_ok=True)
                write_fods(out, src)
                fods.append((src, dest))
            elif out.writer == 'soffice-csv':
                src = os.path.join(tmp, 'locsv', os.path.splitext(out.name)[0] + '.csv')
                os.makedirs(os.path.dirname(src), exist_ok=True)
                with open(src, 'wb') as fh:
                    fh.write(out.csv_source.data())
                lo_csv.append((src, dest))
            else:
                raise ValueError(out.writer)
    profile = 'file://' + os.path.join(tmp, 'lo-profile')
    # one soffice call per kind of source: LibreOffice starts slowly
    for batch, extra in ((fods, []), (lo_csv, ['--infilter=CSV:44,34,76,1'])):
        if not batch:
            continue
        outdir = os.path.join(tmp, 'lo-out')
        os.makedirs(outdir, exist_ok=True)
        run(['soffice', f'-env:UserInstallation={profile}', '--headless', '--norestore'] + extra +
            ['--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', outdir] + [s for s, _ in batch],
            env=dict(os.environ, HOME=tmp), timeout=600)
        for src, dest in batch:
            got = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + '.xlsx')
            if not os.path.exists(got):
                sys.exit(f'gen.py: soffice did not write {got}')
            shutil.move(got, dest)
    for cs in CASES:
        for out in cs.outputs:
            if isinstance(out, Book):
                normalize_xlsx(os.path.join(CASES_DIR, out.name))


# ---------------------------------------------------------------------------
# consistency checks (interval arithmetic over the published figures)
# ---------------------------------------------------------------------------

EPS = 1e-9
ROOM = 0.01   # a clean case's intervals must overlap by this fraction of the narrower one


def interval(f, value=None):
    v = f['value'] if value is None else value
    h = 0.5 * 10.0 ** -f['decimals']
    lo, hi = (v - h) * f['scale'], (v + h) * f['scale']
    return (lo, hi)


def overlap(a, b, room):
    """The intervals overlap by more than room times the narrower one (and
    by more than floating-point noise)."""
    tol = 1e-12 * max(1.0, abs(a[0]), abs(a[1]), abs(b[0]), abs(b[1]))
    need = max(tol, room * min(a[1] - a[0], b[1] - b[0]))
    return min(a[1], b[1]) - max(a[0], b[0]) > need


def fid(f):
    return (f['file'], f['sheet'], f['cell'])


def consistency(case, override=None, room=0.0):
    """Failed checks as (rule, [cells]); override maps a cell id to a value."""
    override = override or {}

    def iv(f):
        return interval(f, override.get(fid(f)))

    def val(f):
        return override.get(fid(f), f['value'])

    def ok(a, b):
        return overlap(a, b, room)

    levels, shares, growths = {}, [], []
    for f in case.figs:
        if f['measure'] == 'level':
            k = (f['reporter'], f['partner'], f['flow'], f['period'], f['product'], f['unit'])
            levels.setdefault(k, []).append(f)
        elif f['measure'] == 'share':
            shares.append(f)
        else:
            growths.append(f)
    bad = []
    for k, fs in levels.items():
        # the same figure published twice must agree
        for a in fs[1:]:
            if not ok(iv(fs[0]), iv(a)):
                bad.append(('duplicate', [fid(fs[0]), fid(a)]))
        if k[2] in ('exports', 'imports', 'total', 're_exports', 're_imports'):
            for f in fs:
                if iv(f)[1] < 0:
                    bad.append(('non_negative', [fid(f)]))
    for k, fs in levels.items():
        rep, par, flow, per, prod, unit = k
        if flow in ('balance', 'surplus', 'deficit', 'total'):
            xs = levels.get((rep, par, 'exports', per, prod, unit), [])
            ms = levels.get((rep, par, 'imports', per, prod, unit), [])
            for f in fs:
                for x in xs:
                    for m in ms:
                        X, M = iv(x), iv(m)
                        if flow in ('balance', 'surplus'):
                            want = (X[0] - M[1], X[1] - M[0])
                        elif flow == 'deficit':
                            want = (M[0] - X[1], M[1] - X[0])
                        else:
                            want = (X[0] + M[0], X[1] + M[1])
                        if not ok(iv(f), want):
                            bad.append(('balance', [fid(f), fid(x), fid(m)]))
        if flow in ('re_exports', 're_imports'):
            whole = 'exports' if flow == 're_exports' else 'imports'
            for f in fs:
                for w in levels.get((rep, par, whole, per, prod, unit), []):
                    if iv(f)[0] > iv(w)[1]:
                        bad.append(('part_le_whole', [fid(f), fid(w)]))
        if flow in ('exports', 'imports', 'total', 're_exports', 're_imports'):
            for f in fs:
                parent = f['reporter_parent']
                if not parent:
                    continue
                for w in levels.get((parent, par, flow, per, prod, unit), []):
                    if iv(f)[0] > iv(w)[1] + EPS * abs(iv(w)[1]):
                        bad.append(('part_le_whole', [fid(f), fid(w)]))
    units = sorted({k[5] for k in levels})
    for s in shares:
        if val(s) > 100 or val(s) < 0:
            bad.append(('share_range', [fid(s)]))
        for unit in units:
            if s['cur'] and unit != s['cur']:
                continue
            parts = levels.get((s['reporter'], s['partner'], s['flow'], s['period'], s['product'], unit), [])
            wholes = levels.get((s['reporter_parent'], s['partner'], s['flow'], s['period'], s['product'], unit),
                                [])
            for p in parts:
                for w in wholes:
                    P, W = iv(p), iv(w)
                    if W[0] <= 0:
                        continue
                    if not ok(iv(s), (P[0] / W[1] * 100, P[1] / W[0] * 100)):
                        bad.append(('share_consistency', [fid(s), fid(p), fid(w)]))
    for g in growths:
        for unit in units:
            if g['cur'] and unit != g['cur']:
                continue
            cur = levels.get((g['reporter'], g['partner'], g['flow'], g['period'], g['product'], unit), [])
            old = levels.get((g['reporter'], g['partner'], g['flow'], g['base_period'], g['product'], unit), [])
            for c in cur:
                for o in old:
                    C, O = iv(c), iv(o)
                    if O[0] <= 0 or C[0] < 0:
                        continue
                    if not ok(iv(g), ((C[0] / O[1] - 1) * 100, (C[1] / O[0] - 1) * 100)):
                        bad.append(('growth_consistency', [fid(g), fid(c), fid(o)]))
    if case.products_complete:
        groups = {}
        for k, fs in levels.items():
            rep, par, flow, per, prod, unit = k
            groups.setdefault((rep, par, flow, per, unit), {})[prod] = fs[0]
        for k, prods in sorted(groups.items()):
            if 'Total' not in prods or len(prods) < 2:
                continue
            parts = [f for p, f in sorted(prods.items()) if p != 'Total']
            lo, hi = sum(iv(f)[0] for f in parts), sum(iv(f)[1] for f in parts)
            if not ok(iv(prods['Total']), (lo, hi)):
                bad.append(('sum_of_parts', [fid(prods['Total'])] + [fid(f) for f in parts]))
    for tot, parts in case.partner_sums:
        for rep, flow, per, prod, unit in sorted({(k[0], k[2], k[3], k[4], k[5]) for k in levels}):
            t = levels.get((rep, tot, flow, per, prod, unit))
            ps = [levels.get((rep, p, flow, per, prod, unit)) for p in parts]
            if not t or not all(ps):
                continue
            lo, hi = sum(iv(p[0])[0] for p in ps), sum(iv(p[0])[1] for p in ps)
            if not ok(iv(t[0]), (lo, hi)):
                bad.append(('sum_of_parts', [fid(t[0])] + [fid(p[0]) for p in ps]))
    return bad


KNOWN = dict(flow={'exports', 'imports', 'balance', 'surplus', 'deficit', 'total', 're_exports', 're_imports'},
             measure={'level', 'growth', 'share'})
PERIOD_RE = re.compile(r'\d{4}|\d{4}Q[1-4]|\d{4}S[12]|\d{4}-\d\d|\d{4}-\d\d/\d{4}-\d\d')


def check_case(cs):
    """Clean cases pass every check with room to spare; a planted case fails
    only through its planted cell and passes with the true value back."""
    seen = set()
    for f in cs.figs:
        if fid(f) in seen:
            sys.exit(f'{cs.cid}: two figures at {fid(f)}')
        seen.add(fid(f))
        for k in ('reporter', 'partner', 'flow', 'measure', 'period', 'unit'):
            if not f[k]:
                sys.exit(f'{cs.cid}: figure {fid(f)} has no {k}')
        for k, allowed in KNOWN.items():
            if f[k] not in allowed:
                sys.exit(f'{cs.cid}: figure {fid(f)} has {k} {f[k]!r}')
        for k in ('period', 'base_period'):
            if f[k] and not PERIOD_RE.fullmatch(f[k]):
                sys.exit(f'{cs.cid}: figure {fid(f)} has {k} {f[k]!r}')
        if (f['measure'] == 'growth') != bool(f['base_period']):
            sys.exit(f'{cs.cid}: {fid(f)} {f["measure"]} with base period {f["base_period"]!r}')
        if (f['measure'] != 'level') != (f['unit'] == '%'):
            sys.exit(f'{cs.cid}: {fid(f)} {f["measure"]} in {f["unit"]}')
        if f['measure'] == 'share' and not f['reporter_parent']:
            sys.exit(f'{cs.cid}: share {fid(f)} of a reporter without a parent')
    missing = {(m['file'], m['sheet'], m['cell']) for m in cs.missing}
    if missing & seen:
        sys.exit(f'{cs.cid}: cells both figure and missing: {sorted(missing & seen)[:3]}')
    bad = consistency(cs, room=ROOM if cs.planted is None else 0.0)
    if cs.planted is None:
        if bad:
            sys.exit(f'{cs.cid}: clean case fails checks: {bad[:6]}')
        return []
    p = cs.planted
    key = (p['file'], p['sheet'], p['cell'])
    if not bad:
        sys.exit(f'{cs.cid}: the planted error breaks no check')
    for rule, cells in bad:
        if key not in cells:
            sys.exit(f'{cs.cid}: a failure without the planted cell: {rule} {cells}')
    rules = sorted({r for r, _ in bad})
    if p['rule'] not in rules:
        sys.exit(f'{cs.cid}: planted rule {p["rule"]} not among failures {rules}')
    again = consistency(cs, {key: p['true_value']}, room=ROOM)
    if again:
        sys.exit(f'{cs.cid}: still inconsistent with the true value back: {again[:4]}')
    return rules


# ---------------------------------------------------------------------------
# read every written file back
# ---------------------------------------------------------------------------


def verify_files(cs):
    warnings.filterwarnings('ignore', message='Workbook contains no default style')
    books, texts = {}, {}
    for out in cs.outputs:
        path = os.path.join(CASES_DIR, out.name)
        if isinstance(out, Book):
            books[out.name] = openpyxl.load_workbook(path, data_only=True)
        elif isinstance(out, TextFile):
            with open(path, 'rb') as fh:
                raw = fh.read()
            if raw.startswith(b'\xef\xbb\xbf'):
                raw = raw[3:]
            lines = raw.decode(out.encoding).split('\n')
            texts[out.name] = (out, [ln[:-1] if ln.endswith('\r') else ln for ln in lines])

    def text_field(name, r, c):
        out, lines = texts[name]
        row = next(csv.reader([lines[r - 1]], delimiter=out.delim))
        return row[c - 1] if c <= len(row) else None

    for f in cs.figs:
        r, c = parse_ref(f['cell'])
        if f['file'] in books:
            wb = books[f['file']]
            if f['sheet'] not in wb.sheetnames:
                sys.exit(f'{cs.cid}: sheet {f["sheet"]!r} missing in {f["file"]}')
            x = wb[f['sheet']].cell(row=r, column=c)
            if f['store'] in ('num', 'pct'):
                k = 100 if f['store'] == 'pct' else 1
                want = f.get('raw', f['value'])
                if not isinstance(x.value, (int, float)) or isinstance(x.value, bool) \
                        or abs(x.value * k - want) > 1e-9 * max(1.0, abs(want)):
                    sys.exit(f'{cs.cid}: {f["file"]}!{f["sheet"]}!{f["cell"]} holds {x.value!r}, key {f["value"]}')
                shown = excel_text(x.value, x.number_format)
                if shown != f['text']:
                    sys.exit(f'{cs.cid}: {f["cell"]} format {x.number_format!r} shows {shown!r}, key {f["text"]!r}')
            elif x.value != f['text']:
                sys.exit(f'{cs.cid}: {f["file"]}!{f["sheet"]}!{f["cell"]} holds {x.value!r}, key {f["text"]!r}')
        elif f['file'] in texts:
            got = text_field(f['file'], r, c)
            if got != f['text']:
                sys.exit(f'{cs.cid}: {f["file"]} line {r} field {c}: {got!r}, key {f["text"]!r}')
        else:
            sys.exit(f'{cs.cid}: figure in unknown file {f["file"]}')
    for m in cs.missing:
        r, c = parse_ref(m['cell'])
        if m['file'] in books:
            got = books[m['file']][m['sheet']].cell(row=r, column=c).value
        else:
            got = text_field(m['file'], r, c)
        if (got or '') != m['text']:
            sys.exit(f'{cs.cid}: missing mark {m["cell"]} holds {got!r}, key {m["text"]!r}')
    if cs.planted:
        p = cs.planted
        f = next(f for f in cs.figs if fid(f) == (p['file'], p['sheet'], p['cell']))
        if f['text'] != p['published']:
            sys.exit(f'{cs.cid}: planted cell shows {f["text"]!r}, key says {p["published"]!r}')


# ---------------------------------------------------------------------------
# helpers for the cases
# ---------------------------------------------------------------------------


def lv(s, r, cols, ser, dec, fmt, lab, flags=None, **kw):
    """One row of level figures: cols maps period -> column."""
    for p, col in cols.items():
        s.f((r, col), ser[p], dec, fmt, lab(period=p, flag=(flags or {}).get(p, lab['flag'])), **kw)


def gr(s, r, gcols, ser, dec, fmt, lab, **kw):
    """One row of growth rates: gcols maps period -> (column, base period)."""
    for p, (col, base) in gcols.items():
        s.f((r, col), growth(ser[p], ser[base]), dec, fmt, lab.growth(p, base, flag=''), **kw)


def shr(s, r, cols, part, whole, dec, fmt, lab, **kw):
    """One row of a region's shares of its country (lab: the region)."""
    for p, col in cols.items():
        s.f((r, col), part[p] / whole[p] * 100, dec, fmt, lab.share(period=p, flag=''), **kw)


def sub(a, b):
    return {k: a[k] - b[k] for k in a if k in b}


def add(a, b):
    return {k: a[k] + b[k] for k in a if k in b}


def months(y1, m1, n):
    out, y, m = [], y1, m1
    for _ in range(n):
        out.append(f'{y}-{m:02d}')
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def monthly(rng, keys, base, season=0.05, noise=0.03, trend=0.0):
    out = {}
    for i, k in enumerate(keys):
        mth = int(k[5:7])
        f = 1 + season * ((mth % 6) - 2.5) / 2.5 + rng.uniform(-noise, noise) + trend * i
        out[k] = round(base * f, 4)
    return out


def cum(series, keys):
    return sum(series[k] for k in keys)


def quarters_of(series, year):
    return {f'{year}Q{q}': cum(series, [f'{year}-{m:02d}' for m in range(3 * q - 2, 3 * q + 1)]) for q in range(1, 5)}


def rng_series(rng, keys, base, spread=0.06):
    return {k: base * rng.uniform(1 - spread, 1 + spread) for k in keys}


MONTHS = {
    'en': ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
           'November', 'December'],
    'es': ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
           'noviembre', 'diciembre'],
    'es3': ['Ene', 'Feb', 'Mar', 'Abr', 'May', 'Jun', 'Jul', 'Ago', 'Sep', 'Oct', 'Nov', 'Dic'],
    'pt': ['Janeiro', 'Fevereiro', 'Março', 'Abril', 'Maio', 'Junho', 'Julho', 'Agosto', 'Setembro', 'Outubro',
           'Novembro', 'Dezembro'],
    'pt3': ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
    'de': ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober',
           'November', 'Dezember'],
    'nl3': ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
    'it3': ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
    'en3u': ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
}



# ---------------------------------------------------------------------------
# group report: a country and its regions in rows, periods across
# ---------------------------------------------------------------------------


def r01():
    c = new_case('r01_tirol_italien_c8', 'report',
                 'Tyrolean state statistics table on national foreign-trade data (Austria, Tyrol and Vorarlberg, '
                 'trade with Italy): the table starts at C8 below the office\'s letterhead, calendar years and '
                 'first half-years under merged group headings whose years are numeric cells, changes and shares '
                 'stored as fractions under percent formats, negative numbers with a trailing minus',
                 'openpyxl',
                 ['reporter Austria and regions Tyrol (Tirol) and Vorarlberg', 'table at C8 (columns A-B empty '
                  'beside it, letterhead in A1:A2, merged title C4:I4)', 'years as numeric cells 2022.0 shown '
                  '"2022" (format 0), under merged group headings "Kalenderjahr" and "1. Halbjahr" (half-years '
                  'from two header rows)', 'growth rates stored as fractions with the format 0.0%;0.0%- (0.052 '
                  'shown 5.2%, -0.043 shown 4.3%-)', 'shares of Tyrol in Austria stored as fractions, format 0.0%',
                  'negative balances with a trailing minus by number format (451,909-)', 'unit "Werte in 1.000 €" '
                  '(scale 1000)', 'missing mark "x" (change of a balance not meaningful)', 'German labels '
                  '(Ausfuhr, Einfuhr, Handelsbilanz, Anteil, Veränderung)'])
    b = c.book('r01_tirol_italien_c8.xlsx', 'openpyxl')
    s = b.sheet('Italien')
    Y22, Y23, H23, H24 = '2022', '2023', '2023S1', '2024S1'
    AT_X = {Y22: 14652318.4, Y23: 14018772.9, H23: 7236114.6, H24: 6902447.3}
    TI_X = {Y22: 2318441.7, Y23: 2247105.2, H23: 1160233.8, H24: 1128846.1}
    VO_X = {Y22: 861205.3, Y23: 842317.6, H23: 431905.2, H24: 447216.9}
    AT_M = {Y22: 15104227.6, Y23: 13806445.1, H23: 7102318.5, H24: 6981104.4}
    TI_M = {Y22: 1804312.5, Y23: 1716845.9, H23: 884217.3, H24: 861402.6}
    VO_M = {Y22: 594118.2, Y23: 561733.4, H23: 290518.7, H24: 281306.5}
    s.t('A1', 'Amt der Tiroler Landesregierung', bold=True)
    s.t('A2', 'Sachgebiet Landesentwicklung - Landesstatistik Tirol')
    s.t('C4', 'Außenhandel mit Italien: Österreich, Tirol und Vorarlberg', bold=True, merge='I4')
    s.t('C5', 'Kalenderjahre 2022 und 2023, 1. Halbjahr 2023 und 2024')
    s.t('C6', 'Werte in 1.000 €', italic=True)
    s.t('C8', 'Bundesland', bold=True, merge='C9')
    s.t('D8', 'Kalenderjahr', bold=True, merge='E8', align='center')
    s.t('F8', '1. Halbjahr', bold=True, merge='G8', align='center')
    s.t('H8', 'Veränderung in %', bold=True, merge='I8', align='center')
    for col, y in ((4, 2022.0), (5, 2023.0), (6, 2023.0), (7, 2024.0)):
        s.n((9, col), y, '0', bold=True, align='right')
    s.t('H9', '2023 : 2022', bold=True, align='right')
    s.t('I9', '1. Hj. 2024 : 1. Hj. 2023', bold=True, align='right', wrap=True)
    cols = {Y22: 4, Y23: 5, H23: 6, H24: 7}
    gcols = {Y23: (8, Y22), H24: (9, H23)}
    L = Lab(partner='Italy', unit='EUR', scale=1e3)
    at = L(reporter='Austria')
    ti = L(reporter='Tyrol', parent='Austria')
    vo = L(reporter='Vorarlberg', parent='Austria')
    F0, FG, FS = '#,##0;#,##0-', '0.0%;0.0%-', '0.0%'
    r = 10
    for title, flow, A, T, V in (('Ausfuhr', 'exports', AT_X, TI_X, VO_X), ('Einfuhr', 'imports', AT_M, TI_M, VO_M)):
        s.t((r, 3), title, bold=True)
        for i, (name, lab, ser) in enumerate((('Österreich', at, A), ('Tirol', ti, T), ('Vorarlberg', vo, V))):
            s.t((r + 1 + i, 3), name)
            lv(s, r + 1 + i, cols, ser, 0, F0, lab(flow=flow))
            gr(s, r + 1 + i, gcols, ser, 1, FG, lab(flow=flow), store='pct')
        s.t((r + 4, 3), 'Anteil Tirols an Österreich')
        shr(s, r + 4, cols, T, A, 1, FS, ti(flow=flow), store='pct')
        r += 5
    s.t((r, 3), 'Handelsbilanz', bold=True)
    for i, (name, lab, X, M) in enumerate((('Österreich', at, AT_X, AT_M), ('Tirol', ti, TI_X, TI_M),
                                           ('Vorarlberg', vo, VO_X, VO_M))):
        s.t((r + 1 + i, 3), name)
        lv(s, r + 1 + i, cols, sub(X, M), 0, F0, lab(flow='balance'))
        s.miss((r + 1 + i, 8), 'x')
        s.miss((r + 1 + i, 9), 'x')
    s.t((r + 5, 3), 'Q: Statistik Austria, Außenhandelsstatistik; 2023 und 2024 vorläufige Ergebnisse. '
                    'Rundungsdifferenzen nicht ausgeglichen.')
    s.t((r + 6, 3), 'x = Veränderungsrate nicht sinnvoll.')
    s.width('A', 4)
    s.width('B', 4)
    s.width('C', 28)
    for col in 'DEFGHI':
        s.width(col, 13)


def r02():
    c = new_case('r02_queensland_japan_fy', 'report',
                 'Queensland Government Statistician\'s Office trade summary (Australia, Queensland and Western '
                 'Australia, trade with Japan): financial years and quarters across, a unit column giving each '
                 'row\'s unit ($m or %), shares and annual changes as rows of their own',
                 'xlsxwriter',
                 ['reporter Australia and regions Queensland and Western Australia', 'financial years written '
                  '"FY2022-23" = July 2022 to June 2023 (2022-07/2023-06)', 'quarters written "Mar qtr 2024" '
                  '(2024Q1)', 'a unit column: "$m" (AUD million) or "%" on every row', 'growth rows "change on '
                  'previous year" (the first against a year not in the table, the quarters without one)',
                  'share of Queensland in Australia', 'balances in a section "Trade surplus (+) / deficit (−)" (signed '
                  'exports minus imports)', 'missing mark "np" (not available for publication) for '
                  'Western Australia in one quarter, in its imports and its balance', 'footnote letters (a), (b) '
                  'after section labels'])
    b = c.book('r02_queensland_japan_fy.xlsx', 'xlsxwriter')
    s = b.sheet('Japan')
    F22, F23, F24 = '2021-07/2022-06', '2022-07/2023-06', '2023-07/2024-06'
    Q4, Q1, Q2 = '2023Q4', '2024Q1', '2024Q2'
    P = [F22, F23, F24, Q4, Q1, Q2]
    AU_X = dict(zip(P, [88934.2, 110276.4, 87532.1, 21874.3, 20618.5, 20955.2]))
    QL_X = dict(zip(P, [24318.4, 33912.2, 23645.3, 5812.1, 5407.4, 5238.3]))
    WA_X = dict(zip(P, [37806.3, 45118.1, 38220.4, 9475.2, 9047.1, 9382.4]))
    AU_M = dict(zip(P, [25604.1, 29807.3, 30112.2, 7604.4, 7312.3, 7498.1]))
    QL_M = dict(zip(P, [4812.2, 5503.4, 5617.1, 1402.3, 1366.2, 1421.4]))
    WA_M = dict(zip(P, [3906.3, 4418.2, 4602.4, 1188.1, 1102.3, 1161.2]))
    prev = {F22: 0.0, F23: F22, F24: F23}
    old = {'AU_X': 57312.4, 'QL_X': 15806.2, 'AU_M': 21905.3, 'QL_M': 4106.4}
    s.t('A1', 'Overseas merchandise trade with Japan, Queensland, Western Australia and Australia', bold=True,
        merge='H1')
    s.t('A2', 'Source: ABS, International Trade in Goods; Queensland Government Statistician\'s Office')
    heads = ['Item', 'Unit', 'FY2021-22', 'FY2022-23', 'FY2023-24', 'Dec qtr 2023', 'Mar qtr 2024', 'Jun qtr 2024']
    for i, h in enumerate(heads):
        s.t((4, 1 + i), h, bold=True, align=None if i < 2 else 'right')
    cols = {p: 3 + i for i, p in enumerate(P)}
    L = Lab(partner='Japan', unit='AUD', scale=1e6)
    au = L(reporter='Australia')
    ql = L(reporter='Queensland', parent='Australia')
    wa = L(reporter='Western Australia', parent='Australia')
    F0, F1 = '#,##0', '0.0'
    r = 5
    for title, flow, A, Qd, W, ka, kq in (('Merchandise exports (a)', 'exports', AU_X, QL_X, WA_X, 'AU_X', 'QL_X'),
                                          ('Merchandise imports (b)', 'imports', AU_M, QL_M, WA_M, 'AU_M', 'QL_M')):
        s.t((r, 1), title, bold=True)
        rows = [('Australia', au, A), ('Queensland', ql, Qd), ('Western Australia', wa, W)]
        for i, (name, lab, ser) in enumerate(rows):
            s.t((r + 1 + i, 1), '  ' + name)
            s.t((r + 1 + i, 2), '$m')
            for p, col in cols.items():
                if name == 'Western Australia' and flow == 'imports' and p == Q2:
                    s.miss((r + 1 + i, col), 'np')
                    continue
                s.f((r + 1 + i, col), ser[p], 0, F0, lab(flow=flow, period=p))
        s.t((r + 4, 1), '  Queensland share of Australia')
        s.t((r + 4, 2), '%')
        shr(s, r + 4, cols, Qd, A, 1, F1, ql(flow=flow))
        for j, (name, lab, ser, k) in enumerate((('Australia', au, A, ka), ('Queensland', ql, Qd, kq))):
            rr = r + 5 + j
            s.t((rr, 1), f'  {name}, change on previous year')
            s.t((rr, 2), '%')
            ext = dict(ser)
            ext['2020-07/2021-06'] = old[k]
            gr(s, rr, {F22: (3, '2020-07/2021-06'), F23: (4, F22), F24: (5, F23)}, ext, 1, F1, lab(flow=flow))
        r += 8
    s.t((r, 1), 'Trade surplus (+) / deficit (−)', bold=True)
    for i, (name, lab, X, M) in enumerate((('Australia', au, AU_X, AU_M), ('Queensland', ql, QL_X, QL_M),
                                           ('Western Australia', wa, WA_X, WA_M))):
        s.t((r + 1 + i, 1), '  ' + name)
        s.t((r + 1 + i, 2), '$m')
        for p, col in cols.items():
            if name == 'Western Australia' and p == Q2:
                s.miss((r + 1 + i, col), 'np')
                continue
            s.f((r + 1 + i, col), X[p] - M[p], 0, F0, lab(flow='balance', period=p))
    s.t((r + 5, 1), '(a) Free on board. (b) Customs value. Financial years run from July to June.')
    s.t((r + 6, 1), 'np not available for publication but included in totals where applicable.')
    s.width('A', 40)
    s.width('B', 6)
    for col in 'CDEFGH':
        s.width(col, 12)


def r03():
    c = new_case('r03_argentina_provincias_opex', 'report',
                 'INDEC "Origen provincial de las exportaciones" table (Argentina and its main exporting '
                 'provinces): two years with their change, the first half-years of 2023 and 2024 with their '
                 'change and the provinces\' share of the national total, confidential cells marked "s"',
                 'soffice',
                 ['reporter Argentina and provinces Buenos Aires, Santa Fe, Córdoba, Chubut, Neuquén, Mendoza, '
                  'Santa Cruz, Ciudad Autónoma de Buenos Aires and Tierra del Fuego as regions', 'exports only '
                  '(origen provincial)', 'half-years written "1er semestre 2024*" (2024S1)', 'growth "Var. %" vs '
                  'the year and the half-year before, shares "Part. %" of the total of the country',
                  'confidential mark "s" (secreto estadístico) and "///" (not applicable)',
                  'provisional mark * on a heading', 'unit "millones de dólares" (USD)', 'a "Total del país" row '
                  'with a share of 100 that is not a regional share (not in the key)'])
    b = c.book('r03_argentina_provincias_opex.xlsx', 'soffice')
    s = b.sheet('Cuadro 2')
    Y22, Y23, H23, H24 = '2022', '2023', '2023S1', '2024S1'
    rows = [('Total del país', 'Argentina', [88446.2, 66788.7, 34120.4, 38950.8]),
            ('Buenos Aires', 'Buenos Aires Province', [31245.3, 25012.6, 12402.1, 13718.4]),
            ('Santa Fe', 'Santa Fe', [19812.4, 13245.1, 6705.3, 8301.2]),
            ('Córdoba', 'Córdoba', [15408.2, 10321.4, 5318.2, 6607.1]),
            ('Chubut', 'Chubut', [3312.1, 3118.3, 1505.4, 1622.3]),
            ('Neuquén', 'Neuquén', [2912.4, 3508.2, 1688.1, 2254.4]),
            ('Mendoza', 'Mendoza', [1905.3, 1802.2, 858.4, 902.1]),
            ('Santa Cruz', 'Santa Cruz', [2104.2, 2089.4, 1011.3, 1060.2]),
            ('Ciudad Autónoma de Buenos Aires', 'Autonomous City of Buenos Aires', [1518.3, 1421.1, 700.2, 688.4]),
            ('Tierra del Fuego', 'Tierra del Fuego', [312.4, 298.2, None, None])]
    s.t('A1', 'Cuadro 2. Exportaciones por provincia de origen. Años 2022-2023 y primer semestre 2023-2024',
        bold=True)
    s.t('A2', 'En millones de dólares')
    heads = ['Provincia', '2022', '2023', 'Var. %', '1er semestre 2023', '1er semestre 2024*', 'Var. %',
             'Part. % 1er semestre 2024*']
    for i, h in enumerate(heads):
        s.t((4, 1 + i), h, bold=True, wrap=True, align=None if i == 0 else 'right')
    cols = {Y22: 2, Y23: 3, H23: 5, H24: 6}
    L = Lab(partner='World', flow='exports', unit='USD', scale=1e6)
    nat = dict(zip([Y22, Y23, H23, H24], rows[0][2]))
    for i, (label, canon, vals) in enumerate(rows):
        r = 5 + i
        ser = dict(zip([Y22, Y23, H23, H24], vals))
        lab = L(reporter=canon, parent='' if canon == 'Argentina' else 'Argentina',
                flag='')
        s.t((r, 1), label, bold=canon == 'Argentina')
        for p, col in cols.items():
            if ser[p] is None:
                s.miss((r, col), 's')
            else:
                s.f((r, col), ser[p], 1, '#,##0.0', lab(period=p, flag='*' if p == H24 else ''))
        gr(s, r, {Y23: (4, Y22)}, ser, 1, '0.0', lab)
        if ser[H24] is None:
            s.miss((r, 7), '///')
            s.miss((r, 8), 's')
        else:
            gr(s, r, {H24: (7, H23)}, ser, 1, '0.0', lab)
            if canon == 'Argentina':
                s.n((r, 8), 100.0, '0.0')
            else:
                shr(s, r, {H24: 8}, ser, nat, 1, '0.0', lab)
    s.t('A16', '* Datos provisorios. s: dato confidencial por aplicación de las reglas del secreto estadístico. '
               '///: dato que no corresponde presentar.')
    s.t('A17', 'Nota: el total del país incluye plataforma continental, extranjero e indeterminado; se presentan '
               'las principales provincias.')
    s.t('A18', 'Fuente: INDEC, Origen provincial de las exportaciones (OPEX).')
    s.width('A', 34)


def r04():
    c = new_case('r04_suomi_maakunnat_vienti_tuonti', 'report',
                 'Finnish Customs regional foreign-trade table in Finnish (whole country and six regions): an '
                 'export table and an import table stacked on one sheet, each with its own title row and the '
                 'same headings, years and the January-June periods of two years',
                 'ssconvert',
                 ['reporter Finland (Koko maa) and regions Uusimaa, Southwest Finland (Varsinais-Suomi), Satakunta, '
                  'Pirkanmaa, Ostrobothnia (Pohjanmaa), Lapland (Lappi)', 'two tables stacked on one sheet: '
                  '"Vienti" (exports) and "Tuonti" (imports), the flow only in each table\'s title row',
                  'cumulative periods written "tammi–kesäkuu 2024" (January-June, en dash)', 'growth "Muutos, %" '
                  'vs the column before it', 'share "Osuus koko maasta, %" of 2023', 'missing mark ".." '
                  '(confidential) in one region\'s half-year and its change', 'unit "milj. euroa" (EUR million, '
                  'integers)', 'provisional mark * on a heading'])
    b = c.book('r04_suomi_maakunnat_vienti_tuonti.xlsx', 'ssconvert')
    s = b.sheet('Maakunnat')
    Y22, Y23, H23, H24 = '2022', '2023', '2023-01/2023-06', '2024-01/2024-06'
    P = [Y22, Y23, H23, H24]
    X = [('Koko maa', 'Finland', [82046.3, 79311.2, 41205.4, 37918.1]),
         ('Uusimaa', 'Uusimaa', [26118.2, 25402.4, 13107.3, 12266.2]),
         ('Varsinais-Suomi', 'Southwest Finland', [7312.4, 7918.1, 3902.3, 3811.4]),
         ('Satakunta', 'Satakunta', [5408.1, 5012.3, 2601.2, 2318.4]),
         ('Pirkanmaa', 'Pirkanmaa', [6205.3, 6312.2, 3204.1, 3027.3]),
         ('Pohjanmaa', 'Ostrobothnia', [3812.2, 3904.4, 2011.2, 1868.1]),
         ('Lappi', 'Lapland', [4915.4, 4208.1, 2201.3, None])]
    M = [('Koko maa', 'Finland', [95412.1, 82618.3, 42812.2, 38903.4]),
         ('Uusimaa', 'Uusimaa', [41206.4, 36104.2, 18702.1, 17218.3]),
         ('Varsinais-Suomi', 'Southwest Finland', [6418.3, 6112.1, 3108.4, 2944.2]),
         ('Satakunta', 'Satakunta', [7905.2, 6408.4, 3305.1, 2906.3]),
         ('Pirkanmaa', 'Pirkanmaa', [5712.1, 5318.3, 2714.4, 2512.1]),
         ('Pohjanmaa', 'Ostrobothnia', [3208.4, 2905.2, 1502.3, 1401.2]),
         ('Lappi', 'Lapland', [3118.2, 2714.3, 1388.1, 1205.4])]
    s.t('A1', 'Ulkomaankauppa maakunnittain', bold=True)
    s.t('A2', 'Tavaroiden vienti ja tuonti, milj. euroa')
    s.t('A3', 'Lähde: Tulli, alueellinen ulkomaankauppatilasto')
    heads = ['Maakunta', '2022', '2023', 'Muutos, %', 'Osuus koko maasta, % (2023)', 'tammi–kesäkuu 2023',
             'tammi–kesäkuu 2024*', 'Muutos, %']
    cols = {Y22: 2, Y23: 3, H23: 6, H24: 7}
    L = Lab(partner='World', unit='EUR', scale=1e6)
    r = 5
    for title, flow, rows in (('Vienti', 'exports', X), ('Tuonti', 'imports', M)):
        s.t((r, 1), title, bold=True)
        for i, h in enumerate(heads):
            s.t((r + 1, 1 + i), h, bold=True, wrap=True, align=None if i == 0 else 'right')
        nat = dict(zip(P, rows[0][2]))
        for i, (label, canon, vals) in enumerate(rows):
            rr = r + 2 + i
            ser = dict(zip(P, vals))
            lab = L(reporter=canon, parent='' if canon == 'Finland' else 'Finland', flow=flow)
            s.t((rr, 1), label, bold=canon == 'Finland')
            for p, col in cols.items():
                if ser[p] is None:
                    s.miss((rr, col), '..')
                else:
                    s.f((rr, col), ser[p], 0, '#,##0', lab(period=p, flag='*' if p == H24 else ''))
            gr(s, rr, {Y23: (4, Y22)}, ser, 1, '0.0', lab)
            if canon != 'Finland':
                shr(s, rr, {Y23: 5}, ser, nat, 1, '0.0', lab)
            if ser[H24] is None:
                s.miss((rr, 8), '..')
            else:
                gr(s, rr, {H24: (8, H23)}, ser, 1, '0.0', lab)
        r += 2 + len(rows) + 2
    s.t((r, 1), '* ennakkotieto   .. tieto on salassapidettävä')
    s.width('A', 20)
    for col in 'BCDEFGH':
        s.width(col, 13)


def r05():
    c = new_case('r05_ceske_kraje_vyvoz_dovoz', 'report',
                 'Czech Statistical Office regional table in Czech (Czechia and five regions by the trader\'s seat): '
                 'exports, imports and balance groups over two header rows, the year 2023 and the first three '
                 'quarters of 2023 and 2024, an index column (previous year = 100) that is not a growth rate, '
                 'preliminary 2024 figures typed as text with a "p" glued to them',
                 'openpyxl',
                 ['reporter Czechia and regions Prague (Hlavní město Praha), Central Bohemian Region (Středočeský '
                  'kraj), South Moravian Region (Jihomoravský kraj), Moravian-Silesian Region (Moravskoslezský '
                  'kraj), Zlín Region (Zlínský kraj)', 'Czech labels (Vývoz, Dovoz, Bilance, Podíl na ČR v %, '
                  'Území)', 'cumulative periods written "1.–3. čtvrtletí 2024" (first to third quarter = '
                  '2024-01/2024-09)', 'figures of 2024 stored as text in Czech typography with a flag glued on: '
                  '"3 521 447,9p" (no-break space thousands separator, decimal comma, p = preliminary), negative '
                  'balances "-267 233,0p"', 'an "Index 2024/2023" column (previous year = 100, e.g. 101.5): not a '
                  'percent change, not in the key', 'share of the region in Czechia for 2024', 'unit "v mil. Kč" '
                  '(CZK million)'])
    b = c.book('r05_ceske_kraje_vyvoz_dovoz.xlsx', 'openpyxl')
    s = b.sheet('Tab7')
    Y, C23, C24 = '2023', '2023-01/2023-09', '2024-01/2024-09'
    rows = [('Česká republika', 'Czechia', [4592318.4, 3468902.5, 3521447.9], [4395612.8, 3344218.4, 3319806.2]),
            ('Hlavní město Praha', 'Prague', [1102405.2, 832918.3, 861204.6], [1506312.4, 1146905.1, 1128437.6]),
            ('Středočeský kraj', 'Central Bohemian Region', [612304.8, 462117.9, 471905.2],
             [598114.2, 452318.6, 449105.3]),
            ('Jihomoravský kraj', 'South Moravian Region', [402118.5, 303612.4, 312845.1],
             [345906.3, 262104.8, 266918.4]),
            ('Moravskoslezský kraj', 'Moravian-Silesian Region', [388216.7, 294105.8, 285318.9],
             [312405.7, 238117.2, 229806.5]),
            ('Zlínský kraj', 'Zlín Region', [212405.3, 160318.2, 158902.7], [148316.9, 112205.4, 110318.7])]
    s.t('A1', 'Tab. 7 Zahraniční obchod se zbožím podle krajů sídla obchodníka', bold=True)
    s.t('A2', 'v mil. Kč, běžné ceny, národní pojetí')
    s.t('A4', 'Území', bold=True, merge='A5')
    s.t('B4', 'Vývoz', bold=True, merge='F4', align='center')
    s.t('G4', 'Dovoz', bold=True, merge='J4', align='center')
    s.t('K4', 'Bilance', bold=True, merge='L4', align='center')
    h5 = ['2023', '1.–3. čtvrtletí 2023', '1.–3. čtvrtletí 2024', 'Index 2024/2023', 'Podíl na ČR v %',
          '2023', '1.–3. čtvrtletí 2023', '1.–3. čtvrtletí 2024', 'Index 2024/2023',
          '1.–3. čtvrtletí 2023', '1.–3. čtvrtletí 2024']
    for i, h in enumerate(h5):
        s.t((5, 2 + i), h, bold=True, wrap=True, align='right')
    st = dict(thou=NBSP, dec=',', neg='-')
    L = Lab(partner='World', unit='CZK', scale=1e6)
    natx = dict(zip([Y, C23, C24], rows[0][2]))
    for i, (label, canon, xs, ms) in enumerate(rows):
        r = 6 + i
        X, Mm = dict(zip([Y, C23, C24], xs)), dict(zip([Y, C23, C24], ms))
        lab = L(reporter=canon, parent='' if canon == 'Czechia' else 'Czechia')
        s.t((r, 1), label, bold=canon == 'Czechia')
        for flow, ser, c0 in (('exports', X, 2), ('imports', Mm, 7)):
            s.f((r, c0), ser[Y], 1, '#,##0.0', lab(flow=flow, period=Y))
            s.f((r, c0 + 1), ser[C23], 1, '#,##0.0', lab(flow=flow, period=C23))
            s.f((r, c0 + 2), ser[C24], 1, None, lab(flow=flow, period=C24, flag='p'), store='text', style=st,
                suffix='p')
            s.n((r, c0 + 3), rnd(ser[C24] / ser[C23] * 100, 1), '0.0')
        if canon != 'Czechia':
            shr(s, r, {C24: 6}, X, natx, 1, '0.0', lab(flow='exports'))
        B = sub(X, Mm)
        s.f((r, 11), B[C23], 1, '#,##0.0', lab(flow='balance', period=C23))
        s.f((r, 12), B[C24], 1, None, lab(flow='balance', period=C24, flag='p'), store='text', style=st,
            suffix='p')
    s.t('A13', 'p = předběžné údaje. Index: stejné období předchozího roku = 100.')
    s.t('A14', 'Pramen: ČSÚ, statistika zahraničního obchodu se zbožím (národní pojetí, podle sídla obchodníka)')
    s.width('A', 24)


def r06():
    c = new_case('r06_colombia_departamentos_flujo', 'report',
                 'DANE foreign-trade bulletin annex (Colombia and six departments): the department in column A '
                 'merged over two rows, the flow in column B (Exportaciones / Importaciones), a month and the '
                 'January-June period of two years with their changes, a provisional "p" glued to the year',
                 'xlsxwriter',
                 ['reporter Colombia (Total nacional) and departments Antioquia, Bogotá, Valle del Cauca, '
                  'Cundinamarca, Atlántico and Bolívar as regions', 'labels in two columns: the department in A '
                  '(merged down over its two rows), the flow in B', 'months "Junio 2023" and cumulative "Enero-junio '
                  '2024p" (p = provisional, glued to the year)', 'growth "Variación %" vs the same period a year '
                  'earlier, two columns back', 'unit "Millones de dólares" (USD; exports FOB, imports CIF)',
                  'Spanish labels'])
    b = c.book('r06_colombia_departamentos_flujo.xlsx', 'xlsxwriter')
    s = b.sheet('Cuadro 4')
    J23, J24, H23, H24 = '2023-06', '2024-06', '2023-01/2023-06', '2024-01/2024-06'
    P = [J23, J24, H23, H24]
    rows = [('Total nacional', 'Colombia', [4166.23, 4063.51, 24412.34, 23914.82], [5302.41, 4913.72, 29812.63, 28519.14]),
            ('Antioquia', 'Antioquia', [612.42, 640.13, 3612.51, 3806.24], [812.53, 790.31, 4805.12, 4712.63]),
            ('Bogotá, D.C.', 'Bogotá', [402.31, 388.94, 2312.72, 2298.41], [1905.62, 1812.43, 11204.31, 10806.92]),
            ('Valle del Cauca', 'Valle del Cauca', [205.83, 218.42, 1218.34, 1290.61], [512.74, 488.23, 3004.52, 2891.34]),
            ('Cundinamarca', 'Cundinamarca', [318.24, 335.61, 1805.93, 1912.42], [612.31, 598.72, 3512.84, 3405.23]),
            ('Atlántico', 'Atlántico', [148.62, 139.24, 905.41, 871.83], [305.22, 289.61, 1812.73, 1755.42]),
            ('Bolívar', 'Bolívar', [190.31, 176.52, 1102.84, 1048.13], [402.14, 376.83, 2405.91, 2298.32])]
    s.t('A1', 'Cuadro 4. Colombia. Exportaciones e importaciones según departamento', bold=True)
    s.t('A2', 'Junio y enero-junio 2023-2024p')
    s.t('A3', 'Millones de dólares (exportaciones FOB, importaciones CIF)')
    heads = ['Departamento', 'Flujo', 'Junio 2023', 'Junio 2024p', 'Variación %', 'Enero-junio 2023',
             'Enero-junio 2024p', 'Variación %']
    for i, h in enumerate(heads):
        s.t((5, 1 + i), h, bold=True, wrap=True, align=None if i < 2 else 'right')
    cols = {J23: 3, J24: 4, H23: 6, H24: 7}
    flags = {J24: 'p', H24: 'p'}
    L = Lab(partner='World', unit='USD', scale=1e6)
    r = 6
    for label, canon, xs, ms in rows:
        s.t((r, 1), label, bold=canon == 'Colombia', merge=(r + 1, 1))
        lab = L(reporter=canon, parent='' if canon == 'Colombia' else 'Colombia')
        for k, (word, flow, vals) in enumerate((('Exportaciones', 'exports', xs), ('Importaciones', 'imports', ms))):
            ser = dict(zip(P, vals))
            s.t((r + k, 2), word)
            lv(s, r + k, cols, ser, 1, '#,##0.0', lab(flow=flow), flags)
            gr(s, r + k, {J24: (5, J23), H24: (8, H23)}, ser, 1, '0.0', lab(flow=flow))
        r += 2
    s.t((r + 1, 1), 'p: cifras provisionales. Departamento de origen (exportaciones) y de destino (importaciones). '
                    'Variación % frente al mismo periodo de 2023.')
    s.t((r + 2, 1), 'Fuente: DANE - DIAN. Cálculos DANE.')
    s.width('A', 20)
    s.width('B', 15)


# ---------------------------------------------------------------------------
# group partner: partners in rows (or across)
# ---------------------------------------------------------------------------


def p01():
    c = new_case('p01_hungary_partners_huf_eur', 'partner',
                 'Hungarian Central Statistical Office STADAT table in English: exports, imports and balance by '
                 'country group and main country for one year, each flow in forints and in euros side by side, '
                 'the units only in the second heading row above the value columns, changes in euro terms',
                 'xlsxwriter',
                 ['period only in the title ("..., 2023")', 'two currencies side by side in every row: "HUF '
                  'billion" and "EUR million" (units only in the headings of the value columns)', 'country groups '
                  '"EU-27 countries" and "Non-EU countries" that add up to the total, members indented under "of '
                  'which:"', 'growth "Change in EUR compared to 2022, %" vs a year not in the table',
                  'partner names "Türkiye", "Korea, Republic of", "Russia"', 'reporter Hungary named only by the '
                  'source line (Hungarian Central Statistical Office) and the forint'])
    b = c.book('p01_hungary_partners_huf_eur.xlsx', 'xlsxwriter')
    s = b.sheet('4.3.1.5')
    rng = random.Random(1101)
    R23, R22 = 381.95, 391.33
    members_eu = [('Germany', 35812.2, 29908.4), ('Austria', 5818.4, 6305.2), ('Italy', 7204.6, 5702.3),
                  ('Slovakia', 8506.2, 6918.7), ('Romania', 8112.5, 4806.1), ('Poland', 6418.3, 6905.4),
                  ('Czechia', 5206.7, 5812.3), ('France', 6105.4, 3704.2), ('Netherlands', 4302.1, 5408.6)]
    members_x = [('China', 'China', 2905.3, 11812.4), ('United States', 'United States', 5106.2, 2418.7),
                 ('United Kingdom', 'United Kingdom', 4018.3, 1905.2), ('Türkiye', 'Türkiye', 2206.4, 1804.3),
                 ('Korea, Republic of', 'South Korea', 712.4, 6218.5), ('Russia', 'Russia', 1105.2, 4512.8),
                 ('Ukraine', 'Ukraine', 2318.6, 1305.7), ('Serbia', 'Serbia', 2812.4, 1204.5)]
    TX, TM = 142412.63, 131205.28
    EX, EM = 111018.41, 92613.47
    rows = [('Total', 'World', TX, TM, 0), ('EU-27 countries', 'EU27', EX, EM, 0)]
    rows += [(('of which: ' if i == 0 else '') + n, n, x, m, 1) for i, (n, x, m) in enumerate(members_eu)]
    rows += [('Non-EU countries', 'Extra-EU', TX - EX, TM - EM, 0)]
    rows += [(('of which: ' if i == 0 else '') + n, canon, x, m, 1) for i, (n, canon, x, m) in enumerate(members_x)]
    s.t('A1', '4.3.1.5. External trade in goods by main country groups and countries, 2023', bold=True)
    s.t('A2', 'Preliminary data')
    s.t('A4', 'Country group, country', bold=True, merge='A5')
    s.t('B4', 'Exports', bold=True, merge='C4', align='center')
    s.t('D4', 'Imports', bold=True, merge='E4', align='center')
    s.t('F4', 'Balance', bold=True, merge='G4', align='center')
    s.t('H4', 'Change in EUR compared to 2022, %', bold=True, merge='I4', align='center', wrap=True)
    for i, h in enumerate(['HUF billion', 'EUR million'] * 3 + ['exports', 'imports']):
        s.t((5, 2 + i), h, bold=True, align='right')
    L = Lab(reporter='Hungary', period='2023')
    F1 = '#,##0.0'
    for i, (label, canon, x, m, indent) in enumerate(rows):
        r = 6 + i
        x = x + rng.uniform(0, 0.0099)
        m = m + rng.uniform(0, 0.0099)
        s.t((r, 1), ('    ' if indent else '') + label, bold=not indent)
        lab = L(partner=canon)
        huf = lab(unit='HUF', scale=1e9)
        eur = lab(unit='EUR', scale=1e6)
        s.f((r, 2), x * R23 / 1000, 1, F1, huf(flow='exports'))
        s.f((r, 3), x, 1, F1, eur(flow='exports'))
        s.f((r, 4), m * R23 / 1000, 1, F1, huf(flow='imports'))
        s.f((r, 5), m, 1, F1, eur(flow='imports'))
        s.f((r, 6), (x - m) * R23 / 1000, 1, F1, huf(flow='balance'))
        s.f((r, 7), x - m, 1, F1, eur(flow='balance'))
        gx, gm = rng.uniform(-12, 9), rng.uniform(-15, 6)
        s.f((r, 8), gx, 1, '0.0', lab.growth('2023', '2022', flow='exports', cur='EUR'))
        s.f((r, 9), gm, 1, '0.0', lab.growth('2023', '2022', flow='imports', cur='EUR'))
    r = 7 + len(rows)
    s.t((r, 1), 'Exports and imports by country of destination and of origin (imports from EU member states by '
                'country of consignment). Balance = exports minus imports.')
    s.t((r + 1, 1), 'Source: Hungarian Central Statistical Office.')
    s.width('A', 30)
    for col in 'BCDEFGHI':
        s.width(col, 12)
    c.partner_sums = [('World', ['EU27', 'Extra-EU'])]


def p02():
    c = new_case('p02_turkstat_exports_imports_side_by_side', 'partner',
                 'TurkStat foreign-trade bulletin annex in English: the top-ten export markets and the top-ten '
                 'import suppliers as two tables side by side on one sheet, each with its own title, unit line, '
                 'rank column, "Others" and "Total" rows, one month and the first half of two years',
                 'openpyxl',
                 ['two tables side by side (A:H exports, J:Q imports), each with its own country column, in a '
                  'different order', 'unit "Value: Thousand US $" (scale 1000, USD)', 'months "June 2023" and '
                  'cumulative "January-June 2024" as headings', 'growth "Change (%)" vs the same period a year '
                  'earlier, two columns back', 'rank numbers that are not figures', '"Others" = total minus the '
                  'top ten (Rest of the world), "Total" = World', 'partner names "Russian Federation", "South '
                  'Korea", "Switzerland"', 'reporter Türkiye in the sheet title'])
    b = c.book('p02_turkstat_exports_imports_side_by_side.xlsx', 'openpyxl')
    s = b.sheet('Country')
    rng = random.Random(1202)
    J23, J24, H23, H24 = '2023-06', '2024-06', '2023-01/2023-06', '2024-01/2024-06'
    P = [J23, J24, H23, H24]
    tot_x = dict(zip(P, [20905123.0, 18567890.0, 125123456.0, 128765432.0]))
    tot_m = dict(zip(P, [26312345.0, 24412876.0, 179032154.0, 170254321.0]))
    xs = [('Germany', 'Germany', 0.079), ('United Kingdom', 'United Kingdom', 0.060),
          ('United States', 'United States', 0.056), ('Iraq', 'Iraq', 0.049), ('Italy', 'Italy', 0.048),
          ('France', 'France', 0.043), ('Spain', 'Spain', 0.038), ('Russian Federation', 'Russia', 0.032),
          ('Romania', 'Romania', 0.028), ('Netherlands', 'Netherlands', 0.027)]
    ms = [('Russian Federation', 'Russia', 0.148), ('China', 'China', 0.125), ('Germany', 'Germany', 0.078),
          ('United States', 'United States', 0.047), ('Italy', 'Italy', 0.043), ('Switzerland', 'Switzerland', 0.039),
          ('India', 'India', 0.027), ('France', 'France', 0.026), ('South Korea', 'South Korea', 0.025),
          ('Spain', 'Spain', 0.023)]
    s.t('A1', 'Foreign trade of Türkiye by country, June 2024', bold=True, merge='Q1')
    L = Lab(reporter='Türkiye', unit='USD', scale=1e3)
    for c0, title, flow, top, tot in ((1, 'Table 6. Exports by country (top 10)', 'exports', xs, tot_x),
                                      (10, 'Table 7. Imports by country (top 10)', 'imports', ms, tot_m)):
        s.t((3, c0), title, bold=True, merge=(3, c0 + 7))
        s.t((4, c0), 'Value: Thousand US $', italic=True)
        heads = ['Rank', 'Country', 'June 2023', 'June 2024', 'Change (%)', 'January-June 2023',
                 'January-June 2024', 'Change (%)']
        for i, h in enumerate(heads):
            s.t((6, c0 + i), h, bold=True, wrap=True, align=None if i < 2 else 'right')
        series = []
        for name, canon, share in top:
            ser = {p: tot[p] * share * rng.uniform(0.9, 1.1) for p in P}
            series.append((name, canon, ser))
        series.sort(key=lambda t: -t[2][H24])
        others = {p: tot[p] - sum(t[2][p] for t in series) for p in P}
        allrows = series + [('Others', 'Rest of the world', others), ('Total', 'World', tot)]
        cols = {J23: c0 + 2, J24: c0 + 3, H23: c0 + 5, H24: c0 + 6}
        for i, (name, canon, ser) in enumerate(allrows):
            r = 7 + i
            if i < 10:
                s.n((r, c0), i + 1)
            s.t((r, c0 + 1), name, bold=canon == 'World')
            lab = L(partner=canon, flow=flow)
            lv(s, r, cols, ser, 0, '#,##0', lab)
            gr(s, r, {J24: (c0 + 4, J23), H24: (c0 + 7, H23)}, ser, 1, '0.0', lab)
    s.t('A21', 'Source: TurkStat, Foreign Trade Statistics (General Trade System). Countries ranked by '
               'January-June 2024. 2024 data are provisional.')
    s.width('B', 20)
    s.width('K', 20)
    c.partner_sums = [('World', ['Germany', 'United Kingdom', 'United States', 'Iraq', 'Italy', 'France', 'Spain',
                                 'Russia', 'Romania', 'Netherlands', 'Rest of the world']),
                      ('World', ['Russia', 'China', 'Germany', 'United States', 'Italy', 'Switzerland', 'India',
                                 'France', 'South Korea', 'Spain', 'Rest of the world'])]


def p03():
    c = new_case('p03_maroc_clients_fournisseurs', 'partner',
                 'Moroccan foreign-exchange office (Office des Changes) monthly indicators in French: the main '
                 'customers and the main suppliers of Morocco stacked on one sheet, cumulative to the end of June '
                 'of two years, with the change in value (a difference in dirhams, not in the key) and in percent, '
                 '"Autres pays" computed as the rest',
                 'xlsxwriter',
                 ['cumulative periods written "Fin juin 2023" / "Fin juin 2024*" (January to the end of June)',
                  'two tables stacked: "Principaux clients" (exports) and "Principaux fournisseurs" (imports), the '
                  'flow only in each table\'s title', 'unit "En millions de dirhams" (MAD)', '"Variation en '
                  'valeur" (a difference in MDH, not in the key) beside "Variation en %"', 'French partner names '
                  '(Espagne, Royaume-Uni, Pays-Bas, États-Unis, Arabie saoudite, Turquie, Inde, Brésil)',
                  '"Autres pays" (Rest of the world) computed as total minus the listed partners'])
    b = c.book('p03_maroc_clients_fournisseurs.xlsx', 'xlsxwriter')
    s = b.sheet('Pays')
    rng = random.Random(1303)
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    tot_x = {H23: 219412.34, H24: 224708.61}
    tot_m = {H23: 360108.42, H24: 374912.73}
    cl = [('Espagne', 'Spain', 0.198), ('France', 'France', 0.215), ('Italie', 'Italy', 0.044),
          ('Inde', 'India', 0.041), ('Brésil', 'Brazil', 0.033), ('Pays-Bas', 'Netherlands', 0.031),
          ('Royaume-Uni', 'United Kingdom', 0.030), ('États-Unis', 'United States', 0.034),
          ('Allemagne', 'Germany', 0.036), ('Turquie', 'Türkiye', 0.023)]
    fo = [('Espagne', 'Spain', 0.159), ('Chine', 'China', 0.113), ('France', 'France', 0.109),
          ('États-Unis', 'United States', 0.078), ('Turquie', 'Türkiye', 0.062),
          ('Arabie saoudite', 'Saudi Arabia', 0.041), ('Allemagne', 'Germany', 0.045), ('Italie', 'Italy', 0.036),
          ('Russie', 'Russia', 0.043), ('Inde', 'India', 0.021)]
    s.t('A1', 'Principaux clients et fournisseurs du Maroc', bold=True, merge='E1')
    s.t('A2', 'En millions de dirhams - données cumulées depuis le début de l\'année')
    L = Lab(reporter='Morocco', unit='MAD', scale=1e6)
    r = 4
    sums = []
    for title, flow, top, tot in (('Principaux clients', 'exports', cl, tot_x),
                                  ('Principaux fournisseurs', 'imports', fo, tot_m)):
        s.t((r, 1), title, bold=True)
        for i, h in enumerate(['Pays', 'Fin juin 2023', 'Fin juin 2024*', 'Variation en valeur', 'Variation en %']):
            s.t((r + 1, 1 + i), h, bold=True, align=None if i == 0 else 'right')
        series = [(n, canon, {p: tot[p] * sh * rng.uniform(0.9, 1.1) for p in (H23, H24)}) for n, canon, sh in top]
        series.sort(key=lambda t: -t[2][H24])
        others = {p: tot[p] - sum(t[2][p] for t in series) for p in (H23, H24)}
        allrows = series + [('Autres pays', 'Rest of the world', others), ('Total', 'World', tot)]
        for i, (n, canon, ser) in enumerate(allrows):
            rr = r + 2 + i
            s.t((rr, 1), n, bold=canon == 'World')
            lab = L(partner=canon, flow=flow)
            s.f((rr, 2), ser[H23], 1, '#,##0.0', lab(period=H23))
            s.f((rr, 3), ser[H24], 1, '#,##0.0', lab(period=H24, flag='*'))
            s.n((rr, 4), rnd(ser[H24], 1) - rnd(ser[H23], 1), '#,##0.0')
            gr(s, rr, {H24: (5, H23)}, ser, 1, '0.0', lab)
        sums.append(('World', [t[1] for t in series] + ['Rest of the world']))
        r += 2 + len(allrows) + 2
    s.t((r, 1), '* Données provisoires. Variation en valeur : fin juin 2024 moins fin juin 2023.')
    s.t((r + 1, 1), 'Source : Office des Changes.')
    s.width('A', 22)
    for col in 'BCDE':
        s.width(col, 15)
    c.partner_sums = sums


def p04():
    c = new_case('p04_kenya_knbs_destinations', 'partner',
                 'Kenya National Bureau of Statistics Economic Survey tables: exports by destination and imports '
                 'by source over five years, countries under continent headings with "Total Africa"-style '
                 'subtotals, a provisional year marked with an asterisk, one table per sheet',
                 'ssconvert',
                 ['two sheets: "Table 8.7" exports to selected destinations, "Table 8.8" imports from selected '
                  'sources', 'years as column headings, the last one written "2023*" (provisional)', 'continent '
                  'heading rows (AFRICA, EUROPE, AMERICA, ASIA) without figures, members indented, "Other ..." '
                  'rows (not in the key), continent subtotal rows "Total Africa" ... and "TOTAL" (continents add '
                  'up to it)', 'unit "KSh Million" (KES)', 'missing mark "-" (nil)', 'partner names "Tanzania", '
                  '"DR Congo", "USA", "UAE", "Australia and Oceania"'])
    b = c.book('p04_kenya_knbs_destinations.xlsx', 'ssconvert')
    rng = random.Random(1404)
    years = ['2019', '2020', '2021', '2022', '2023']
    specs = [
        ('Table 8.7', 'Table 8.7: Value of Exports to Selected Destinations, 2019 - 2023', 'exports',
         [596012.4, 643218.7, 743105.2, 873402.6, 1005118.3],
         [('AFRICA', 'Africa', [('Uganda', 'Uganda', 0.121), ('Tanzania', 'Tanzania', 0.058),
                                ('Rwanda', 'Rwanda', 0.031), ('South Sudan', 'South Sudan', 0.026),
                                ('DR Congo', 'DR Congo', 0.029), ('Somalia', 'Somalia', 0.021),
                                ('Egypt', 'Egypt', 0.032)], 0.052),
          ('EUROPE', 'Europe', [('Netherlands', 'Netherlands', 0.078), ('United Kingdom', 'United Kingdom', 0.061),
                                ('Germany', 'Germany', 0.021), ('France', 'France', 0.015)], 0.043),
          ('AMERICA', 'Americas', [('USA', 'United States', 0.082)], 0.009),
          ('ASIA', 'Asia', [('Pakistan', 'Pakistan', 0.091), ('UAE', 'United Arab Emirates', 0.052),
                            ('China', 'China', 0.021), ('India', 'India', 0.019)], 0.113)],
         0.018, ('Somalia', '2020')),
        ('Table 8.8', 'Table 8.8: Value of Imports from Selected Sources, 2019 - 2023', 'imports',
         [1786205.4, 1627318.2, 2067412.9, 2453105.6, 2476218.4],
         [('AFRICA', 'Africa', [('South Africa', 'South Africa', 0.028), ('Egypt', 'Egypt', 0.019),
                                ('Uganda', 'Uganda', 0.021), ('Tanzania', 'Tanzania', 0.012)], 0.021),
          ('EUROPE', 'Europe', [('United Kingdom', 'United Kingdom', 0.021), ('Germany', 'Germany', 0.023),
                                ('Netherlands', 'Netherlands', 0.017), ('Italy', 'Italy', 0.011)], 0.052),
          ('AMERICA', 'Americas', [('USA', 'United States', 0.041)], 0.015),
          ('ASIA', 'Asia', [('China', 'China', 0.206), ('India', 'India', 0.098),
                            ('UAE', 'United Arab Emirates', 0.091), ('Saudi Arabia', 'Saudi Arabia', 0.062),
                            ('Japan', 'Japan', 0.041), ('Indonesia', 'Indonesia', 0.036),
                            ('Malaysia', 'Malaysia', 0.038)], 0.139)],
         0.008, None)]
    for sheet, title, flow, totals, conts, oce, nil in specs:
        s = b.sheet(sheet)
        s.t('A1', title, bold=True)
        s.t('A2', 'KSh Million')
        s.t('A4', 'Country', bold=True)
        for i, y in enumerate(years):
            if y == '2023':
                s.t((4, 2 + i), '2023*', bold=True, align='right')
            else:
                s.n((4, 2 + i), int(y), bold=True, align='right')
        L = Lab(reporter='Kenya', flow=flow, unit='KES', scale=1e6)
        cols = {y: 2 + i for i, y in enumerate(years)}
        flags = {'2023': '*'}
        r = 5
        cont_tot = {}
        for head, canon, members, other in conts:
            s.t((r, 1), head, bold=True)
            r += 1
            msum = {y: 0.0 for y in years}
            for name, pcanon, sh in members:
                ser = {y: totals[i] * sh * rng.uniform(0.85, 1.15) for i, y in enumerate(years)}
                s.t((r, 1), '  ' + name)
                for y, col in cols.items():
                    if nil and nil == (name, y):
                        s.miss((r, col), '-')
                        ser[y] = 0.0
                        continue
                    s.f((r, col), ser[y], 0, '#,##0', L(partner=pcanon, period=y, flag=flags.get(y, '')))
                for y in years:
                    msum[y] += ser[y]
                r += 1
            oth = {y: totals[i] * other * rng.uniform(0.85, 1.15) for i, y in enumerate(years)}
            s.t((r, 1), '  Other ' + canon.replace('Americas', 'America'))
            for y, col in cols.items():
                s.n((r, col), rnd(oth[y], 0), '#,##0')
            r += 1
            ct = {y: msum[y] + oth[y] for y in years}
            cont_tot[canon] = ct
            s.t((r, 1), 'Total ' + canon.replace('Americas', 'America'), bold=True)
            lv(s, r, cols, ct, 0, '#,##0', L(partner=canon), flags)
            r += 1
        oc = {y: totals[i] * oce * rng.uniform(0.85, 1.15) for i, y in enumerate(years)}
        s.t((r, 1), 'AUSTRALIA AND OCEANIA', bold=True)
        lv(s, r, cols, oc, 0, '#,##0', L(partner='Oceania'), flags)
        r += 1
        tot = {y: sum(ct[y] for ct in cont_tot.values()) + oc[y] for y in years}
        s.t((r, 1), 'TOTAL', bold=True)
        lv(s, r, cols, tot, 0, '#,##0', L(partner='World'), flags)
        s.t((r + 2, 1), '* Provisional.   - Nil.')
        s.t((r + 3, 1), 'Source: Kenya National Bureau of Statistics')
        s.width('A', 28)
    c.partner_sums = [('World', ['Africa', 'Europe', 'Americas', 'Asia', 'Oceania'])]


def p05():
    c = new_case('p05_hong_kong_reexports_jan_sep', 'partner',
                 'Hong Kong Census and Statistics Department table: total exports, re-exports and imports by main '
                 'country/territory for January-September 2024, each with its change over the same period of '
                 '2023, total trade and the trade balance, units in the second heading row',
                 'soffice',
                 ['re-exports as a flow of their own ("of which: Re-exports"), never above total exports',
                  'total trade (total exports + imports) and trade balance (total exports - imports), mostly '
                  'negative', 'cumulative period "January-September 2024" only in the title', 'growth "% change" '
                  'vs January-September 2023 (not in the table)', 'unit "HK$ million" in the heading of each '
                  'value column (HKD)', 'partner names "Chinese mainland", "Korea", "Taiwan", "Vietnam", "United '
                  'Arab Emirates"; "All countries/territories" = World', 'reporter Hong Kong'])
    b = c.book('p05_hong_kong_reexports_jan_sep.xlsx', 'soffice')
    s = b.sheet('Table 3')
    rng = random.Random(1505)
    P = '2024-01/2024-09'
    TX, TRX, TM = 3440218.4, 3405312.7, 3680412.9
    parts = [('Chinese mainland', 'China', 0.550, 0.552, 0.430), ('United States', 'United States', 0.062, 0.062, 0.038),
             ('India', 'India', 0.035, 0.035, 0.009), ('Taiwan', 'Taiwan', 0.022, 0.022, 0.089),
             ('Vietnam', 'Vietnam', 0.033, 0.033, 0.021), ('Japan', 'Japan', 0.023, 0.023, 0.046),
             ('Singapore', 'Singapore', 0.013, 0.013, 0.075), ('Korea', 'South Korea', 0.010, 0.010, 0.048),
             ('Netherlands', 'Netherlands', 0.015, 0.015, 0.004),
             ('United Arab Emirates', 'United Arab Emirates', 0.017, 0.017, 0.006),
             ('Thailand', 'Thailand', 0.012, 0.012, 0.018), ('Malaysia', 'Malaysia', 0.009, 0.009, 0.035)]
    rows = [('All countries/territories', 'World', TX, TRX, TM)]
    for n, canon, a, bb, m in parts:
        x = TX * a * rng.uniform(0.95, 1.05)
        rows.append((n, canon, x, x * rng.uniform(0.985, 0.998), TM * m * rng.uniform(0.95, 1.05)))
    s.t('A1', "Hong Kong's total exports, re-exports and imports by main country/territory, January-September 2024",
        bold=True)
    s.t('A2', '% change over the same period of 2023. Trade balance = total exports less imports.')
    s.t('A4', 'Main country/territory', bold=True, merge='A5')
    s.t('B4', 'Total exports', bold=True, merge='C4', align='center')
    s.t('D4', 'of which: Re-exports', bold=True, merge='E4', align='center')
    s.t('F4', 'Imports', bold=True, merge='G4', align='center')
    s.t('H4', 'Total trade', bold=True, align='center')
    s.t('I4', 'Trade balance', bold=True, align='center')
    for i, h in enumerate(['HK$ million', '% change'] * 3 + ['HK$ million', 'HK$ million']):
        s.t((5, 2 + i), h, bold=True, align='right')
    L = Lab(reporter='Hong Kong', period=P, unit='HKD', scale=1e6)
    for i, (n, canon, x, rx, m) in enumerate(rows):
        r = 6 + i
        s.t((r, 1), n, bold=canon == 'World')
        lab = L(partner=canon)
        s.f((r, 2), x, 0, '#,##0', lab(flow='exports'))
        s.f((r, 3), rng.uniform(-6, 22), 1, '0.0', lab.growth(P, '2023-01/2023-09', flow='exports'))
        s.f((r, 4), rx, 0, '#,##0', lab(flow='re_exports'))
        s.f((r, 5), rng.uniform(-6, 22), 1, '0.0', lab.growth(P, '2023-01/2023-09', flow='re_exports'))
        s.f((r, 6), m, 0, '#,##0', lab(flow='imports'))
        s.f((r, 7), rng.uniform(-8, 18), 1, '0.0', lab.growth(P, '2023-01/2023-09', flow='imports'))
        s.f((r, 8), x + m, 0, '#,##0', lab(flow='total'))
        s.f((r, 9), x - m, 0, '#,##0', lab(flow='balance'))
    s.t('A20', 'Source: Census and Statistics Department, Hong Kong Merchandise Trade Statistics.')
    s.width('A', 28)


def singstat_csv(c, name, title, tid, flow, series, months_desc, missing):
    t = c.text(name, quote='all')
    for line in ('Theme: Trade & Investment', 'Subject: Merchandise Trade',
                 'Topic: Merchandise Trade by Region/Market', f'Table Title: {title}', f'Table ID: {tid}',
                 'Data last updated: 17/07/2024', 'Source: ENTERPRISE SINGAPORE', 'Unit: Thousand Dollars'):
        t.row(line)
    t.row('')
    labels = {m: f'{m[:4]} {MONTHS["en"][int(m[5:7]) - 1][:3]}' for m in months_desc}
    t.row(['Data Series'] + [labels[m] for m in months_desc])
    L = Lab(reporter='Singapore', flow=flow, unit='SGD', scale=1e3)
    for label, canon, ser in series:
        fields = [label]
        line = t.line_no()
        for j, m in enumerate(months_desc):
            if (canon, m) in missing:
                fields.append('na')
                t.miss_at(line, j + 2, 'na')
            else:
                fields.append(fig(ser[m], 0, L(partner=canon, period=m)))
        t.row(fields)
    t.row('')
    t.row('Footnotes:')
    t.row('Data are compiled on a general trade basis and are not seasonally adjusted.')
    t.row('Notes:')
    t.row('Numbers may not add up to the totals due to rounding.')
    t.row('"na" denotes not available.')


def p06():
    c = new_case('p06_singstat_markets_monthly', 'partner',
                 'SingStat Table Builder CSV downloads (merchandise exports and imports by region/market, monthly): '
                 'metadata lines above the table, months across with the newest first, regions with their markets '
                 'below them, footnotes after the table; two files',
                 'csv',
                 ['two CSV files (exports, imports), every field quoted', 'metadata lines "Theme:", "Table Title:", '
                  '"Table ID:", "Source: ENTERPRISE SINGAPORE", "Unit: Thousand Dollars" (SGD thousand: the '
                  'currency follows from the reporter)', 'months written "2024 Jun", newest first (reverse order)',
                  'first column "Data Series": "Total All Markets", regions America, Asia, Europe, Oceania, Africa '
                  '(adding up to the total) and markets "Mainland China", "Republic Of Korea", "Hong Kong"',
                  'missing mark "na"', 'reporter Singapore named only by the source'])
    rng = random.Random(1606)
    mlist = list(reversed(months(2023, 12, 7)))
    months_desc = mlist
    for flow, name, title, tid, tot0, spec in (
            ('exports', 'p06_singstat_exports_by_market.csv', 'Merchandise Exports By Region/Market, Monthly',
             'M451001', 58742381.0,
             [('America', 'Americas', 0.098, [('United States', 'United States', 0.082)]),
              ('Asia', 'Asia', 0.742, [('Mainland China', 'China', 0.132), ('Hong Kong', 'Hong Kong', 0.118),
                                       ('Malaysia', 'Malaysia', 0.098), ('Indonesia', 'Indonesia', 0.085),
                                       ('Taiwan', 'Taiwan', 0.047), ('Japan', 'Japan', 0.043),
                                       ('Republic Of Korea', 'South Korea', 0.041), ('Thailand', 'Thailand', 0.038)]),
              ('Europe', 'Europe', 0.082, [('Netherlands', 'Netherlands', 0.021)]),
              ('Oceania', 'Oceania', 0.064, [('Australia', 'Australia', 0.045)]),
              ('Africa', 'Africa', 0.014, [])]),
            ('imports', 'p06_singstat_imports_by_market.csv', 'Merchandise Imports By Region/Market, Monthly',
             'M451002', 52318472.0,
             [('America', 'Americas', 0.142, [('United States', 'United States', 0.118)]),
              ('Asia', 'Asia', 0.672, [('Mainland China', 'China', 0.138), ('Hong Kong', 'Hong Kong', 0.008),
                                       ('Malaysia', 'Malaysia', 0.128), ('Indonesia', 'Indonesia', 0.042),
                                       ('Taiwan', 'Taiwan', 0.118), ('Japan', 'Japan', 0.052),
                                       ('Republic Of Korea', 'South Korea', 0.056), ('Thailand', 'Thailand', 0.024)]),
              ('Europe', 'Europe', 0.142, [('Netherlands', 'Netherlands', 0.011)]),
              ('Oceania', 'Oceania', 0.024, [('Australia', 'Australia', 0.018)]),
              ('Africa', 'Africa', 0.020, [])])):
        regions = []
        for rlabel, rcanon, rsh, mem in spec:
            rser = {m: tot0 * rsh * rng.uniform(0.9, 1.1) for m in mlist}
            regions.append((rlabel, rcanon, rser, [(ml, mc, {m: tot0 * msh * rng.uniform(0.9, 1.1) for m in mlist})
                                                  for ml, mc, msh in mem]))
        tot = {m: sum(rs[2][m] for rs in regions) for m in mlist}
        series = [('Total All Markets', 'World', tot)]
        for rlabel, rcanon, rser, mem in regions:
            series.append((rlabel, rcanon, rser))
            series += mem
        missing = {('Africa', '2024-06')} if flow == 'imports' else set()
        singstat_csv(c, name, title, tid, flow, series, months_desc, missing)
    c.partner_sums = [('World', ['Americas', 'Asia', 'Europe', 'Oceania', 'Africa'])]


def p07():
    c = new_case('p07_itc_trade_map_viet_nam', 'partner',
                 'ITC Trade Map text exports (tab-separated) as trade-promotion agencies circulate them: the '
                 'importing markets of Viet Nam\'s exports and the supplying markets of its imports, five years '
                 'across, the flow and the year in every heading, the unit in a line above',
                 'tsv',
                 ['two TSV files, title lines above the header: "List of importing markets for a product exported '
                  'by Viet Nam", "Product : TOTAL All products", "Unit : US Dollar thousand"', 'headings "Exported '
                  'value in 2019" ... "Imported value in 2023": flow and year in one heading', 'first column '
                  '"Importers" / "Exporters"; first row World', 'partner names as ITC writes them: "United States '
                  'of America", "Korea, Republic of", "Hong Kong, China", "Taipei, Chinese", "Viet Nam"',
                  'plain integers (USD thousand)', 'a sources line below the table'])
    rng = random.Random(1707)
    years = ['2019', '2020', '2021', '2022', '2023']
    for flow, name, head, col0, what, tots, parts in (
            ('exports', 'p07_itc_viet_nam_exports_by_market.tsv', 'List of importing markets for a product exported '
             'by Viet Nam', 'Importers', 'Exported', [264267187, 282628968, 335928589, 371303609, 354721615],
             [('United States of America', 'United States', 0.272), ('China', 'China', 0.171),
              ('Korea, Republic of', 'South Korea', 0.067), ('Japan', 'Japan', 0.066),
              ('Hong Kong, China', 'Hong Kong', 0.030), ('Netherlands', 'Netherlands', 0.031),
              ('India', 'India', 0.025), ('Germany', 'Germany', 0.020), ('Thailand', 'Thailand', 0.019),
              ('Malaysia', 'Malaysia', 0.017), ('Cambodia', 'Cambodia', 0.014), ('Canada', 'Canada', 0.015),
              ('Australia', 'Australia', 0.015), ('Taipei, Chinese', 'Taiwan', 0.014)]),
            ('imports', 'p07_itc_viet_nam_imports_by_market.tsv', 'List of supplying markets for a product imported '
             'by Viet Nam', 'Exporters', 'Imported', [253696185, 262700625, 332842535, 358905124, 326375218],
             [('China', 'China', 0.335), ('Korea, Republic of', 'South Korea', 0.163), ('Japan', 'Japan', 0.066),
              ('Taipei, Chinese', 'Taiwan', 0.067), ('United States of America', 'United States', 0.042),
              ('Thailand', 'Thailand', 0.036), ('Australia', 'Australia', 0.029), ('Malaysia', 'Malaysia', 0.026),
              ('Indonesia', 'Indonesia', 0.033), ('India', 'India', 0.018), ('Kuwait', 'Kuwait', 0.014),
              ('Saudi Arabia', 'Saudi Arabia', 0.012), ('Singapore', 'Singapore', 0.011),
              ('Germany', 'Germany', 0.013)])):
        t = c.text(name, delim='\t', eol='\r\n')
        t.row(head)
        t.row('Product : TOTAL All products')
        t.row('Unit : US Dollar thousand')
        t.blank()
        t.row([col0] + [f'{what} value in {y}' for y in years])
        L = Lab(reporter='Vietnam', flow=flow, unit='USD', scale=1e3)
        t.row(['World'] + [fig(v, 0, L(partner='World', period=y)) for y, v in zip(years, tots)])
        for label, canon, sh in parts:
            t.row([label] + [fig(v * sh * rng.uniform(0.85, 1.15), 0, L(partner=canon, period=y))
                             for y, v in zip(years, tots)])
        t.blank()
        t.row('Sources: ITC calculations based on General Statistics Office of Viet Nam statistics.')


# ---------------------------------------------------------------------------
# group transposed: periods down the rows
# ---------------------------------------------------------------------------


def t01():
    c = new_case('t01_abs_timeseries_qld_wa_china', 'transposed',
                 'Australian Bureau of Statistics time-series spreadsheet: an Index sheet and a Data1 sheet whose '
                 'first ten rows describe each series (description, unit, series type, data type, frequency, '
                 'collection month, start, end, number of observations, series ID), quarters down column A as date '
                 'cells',
                 'openpyxl',
                 ['ABS time-series layout: series descriptions "Merchandise exports ;  Queensland ;  China ;" in '
                  'row 1, metadata rows Unit / Series Type / Data Type / Frequency / Collection Month / Series '
                  'Start / Series End / No. Obs / Series ID above the data', 'quarters as date cells of the '
                  'quarter\'s last month with the format mmm-yyyy ("Mar-2022" = 2022Q1, since Frequency says '
                  'Quarter)', 'reporter Australia and regions Queensland and Western Australia in the series '
                  'descriptions', 'unit "$ Millions" (AUD)', 'an Index sheet of text before the data sheet'])
    b = c.book('t01_abs_timeseries_qld_wa_china.xlsx', 'openpyxl')
    rng = random.Random(2101)
    ix = b.sheet('Index')
    ix.t('A1', 'Time Series Workbook', bold=True)
    ix.t('A2', 'International Trade in Goods: merchandise trade with China, states and Australia, original, '
               '$ millions')
    ix.t('A4', 'Contents', bold=True)
    ix.t('A5', 'Data1')
    ix.t('B5', 'Merchandise exports and imports, China, by state')
    ix.t('A7', 'Australian Bureau of Statistics', italic=True)
    s = b.sheet('Data1')
    qs = [f'{y}Q{q}' for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)][:10]
    base = {('exports', 'Australia'): 45012.0, ('exports', 'Queensland'): 6512.0,
            ('exports', 'Western Australia'): 31408.0, ('imports', 'Australia'): 24912.0,
            ('imports', 'Queensland'): 3208.0, ('imports', 'Western Australia'): 2104.0}
    series = []
    for (flow, terr), v in base.items():
        series.append((flow, terr, {q: v * rng.uniform(0.88, 1.12) for q in qs}))
    rows = ['Unit', 'Series Type', 'Data Type', 'Frequency', 'Collection Month', 'Series Start', 'Series End',
            'No. Obs', 'Series ID']
    for i, h in enumerate(rows):
        s.t((2 + i, 1), h)
    first = datetime.datetime(2022, 3, 1)
    last = datetime.datetime(2024, 6, 1)
    for j, (flow, terr, ser) in enumerate(series):
        col = 2 + j
        word = 'Merchandise exports' if flow == 'exports' else 'Merchandise imports'
        s.t((1, col), f'{word} ;  {terr} ;  China ;', wrap=True)
        s.t((2, col), '$ Millions')
        s.t((3, col), 'Original')
        s.t((4, col), 'FLOW')
        s.t((5, col), 'Quarter')
        s.t((6, col), '3')
        s.n((7, col), first, 'mmm-yyyy')
        s.n((8, col), last, 'mmm-yyyy')
        s.n((9, col), len(qs))
        sid = 'A' + ''.join(str(rng.randint(0, 9)) for _ in range(7)) + rng.choice('ACFJKLRTVWXY')
        s.t((10, col), sid)
        lab = Lab(reporter=terr, parent='' if terr == 'Australia' else 'Australia', partner='China', flow=flow,
                  unit='AUD', scale=1e6)
        for i, q in enumerate(qs):
            s.f((11 + i, col), ser[q], 0, 'General', lab(period=q))
    for i, q in enumerate(qs):
        y, n = int(q[:4]), int(q[5])
        s.n((11 + i, 1), datetime.datetime(y, 3 * n, 1), 'mmm-yyyy')
    s.width('A', 14)
    for col in 'BCDEFG':
        s.width(col, 18)


def t02():
    c = new_case('t02_korea_customs_monthly', 'transposed',
                 'Korea Customs Service trade statistics table in English: years, half-years and months down the '
                 'rows written as text ("2023", "1H 2024", "2024.01"), exports and imports each with its growth '
                 'rate, and the trade balance; one unit note for money and percentages',
                 'xlsxwriter',
                 ['months written "2023.01" (text that looks like a decimal number)', 'half-years written "1H '
                  '2024" (2024S1)', 'unit note "(Unit: US$ thousand, %)" (USD thousand; the rates in %)',
                  'two-row header: "Exports" and "Imports" merged over "Value" and "Growth rate", "Period" and '
                  '"Trade balance" merged down', 'growth vs the same period a year earlier: shown (12 rows up) or '
                  'not in the table (2022 and 2023 months)', 'negative trade balances', 'reporter Korea '
                  '(South Korea) in the title'])
    b = c.book('t02_korea_customs_monthly.xlsx', 'xlsxwriter')
    s = b.sheet('Trade by period')
    rng = random.Random(2202)
    x22 = [55300, 53910, 63480, 57690, 61520, 57730, 60240, 56670, 57460, 52480, 51910, 54990]
    m22 = [60210, 53260, 63340, 60350, 63210, 60200, 65030, 66610, 61230, 59190, 56930, 59680]
    x23 = [46274, 50045, 55115, 49562, 52150, 54220, 50330, 51870, 54650, 55080, 55810, 57580]
    m23 = [58970, 55350, 59720, 52170, 54260, 53030, 48760, 50930, 50940, 53430, 52020, 53100]
    x24 = [54690, 52400, 56550, 56260, 58050, 57120]
    m24 = [51390, 48090, 52280, 54780, 53070, 49170]
    X, M = {}, {}
    for y, xs, ms in ((2022, x22, m22), (2023, x23, m23), (2024, x24, m24)):
        for i, (x, m) in enumerate(zip(xs, ms)):
            k = f'{y}-{i + 1:02d}'
            X[k] = x * 1000 + rng.uniform(0, 999)
            M[k] = m * 1000 + rng.uniform(0, 999)
    for y in (2022, 2023):
        X[str(y)] = sum(X[f'{y}-{i:02d}'] for i in range(1, 13))
        M[str(y)] = sum(M[f'{y}-{i:02d}'] for i in range(1, 13))
    for y in (2022, 2023, 2024):
        X[f'{y}S1'] = sum(X[f'{y}-{i:02d}'] for i in range(1, 7))
        M[f'{y}S1'] = sum(M[f'{y}-{i:02d}'] for i in range(1, 7))
    X['2021'], M['2021'] = 644400123.0, 615093456.0
    s.t('A1', 'Exports and imports of Korea by period', bold=True, merge='F1')
    s.t('F2', '(Unit: US$ thousand, %)', align='right')
    s.t('A3', 'Period', bold=True, merge='A4')
    s.t('B3', 'Exports', bold=True, merge='C3', align='center')
    s.t('D3', 'Imports', bold=True, merge='E3', align='center')
    s.t('F3', 'Trade balance', bold=True, merge='F4', align='center')
    for col, h in ((2, 'Value'), (3, 'Growth rate'), (4, 'Value'), (5, 'Growth rate')):
        s.t((4, col), h, bold=True, align='right')
    order = [('2022', '2022', '2021'), ('2023', '2023', '2022'), ('1H 2023', '2023S1', '2022S1'),
             ('1H 2024', '2024S1', '2023S1')]
    order += [(f'{k[:4]}.{k[5:]}', k, f'{int(k[:4]) - 1}{k[4:]}') for k in months(2023, 1, 18)]
    L = Lab(reporter='South Korea', partner='World', unit='USD', scale=1e3)
    for i, (label, p, base) in enumerate(order):
        r = 5 + i
        s.t((r, 1), label, align='left')
        s.f((r, 2), X[p], 0, '#,##0', L(flow='exports', period=p))
        s.f((r, 3), growth(X[p], X[base]), 1, '0.0', L.growth(p, base, flow='exports'))
        s.f((r, 4), M[p], 0, '#,##0', L(flow='imports', period=p))
        s.f((r, 5), growth(M[p], M[base]), 1, '0.0', L.growth(p, base, flow='imports'))
        s.f((r, 6), X[p] - M[p], 0, '#,##0', L(flow='balance', period=p))
    s.t((6 + len(order), 1), 'Note: exports FOB, imports CIF; growth rate over the same period of the previous year. '
                             'Source: Korea Customs Service, trade statistics.')
    s.width('A', 12)
    for col in 'BCDEF':
        s.width(col, 15)


def t03():
    c = new_case('t03_romania_luni_ani', 'transposed',
                 'Romanian National Institute of Statistics table: months down the rows in Romanian, years across '
                 'as numeric cells under three merged flow headings (FOB exports, CIF imports, FOB/CIF balance), '
                 'with a January-August row and a year total row; months of 2024 not yet published marked ":"',
                 'openpyxl',
                 ['months down the rows in Romanian ("Ianuarie" ... "Decembrie"), the year from the column '
                  'heading: the period from a row and a column together', 'years as numeric cells 2022.0 shown '
                  '"2022" (format 0)', 'flows in merged group headings over the year columns: "Exporturi FOB", '
                  '"Importuri CIF", "Sold FOB/CIF" (balance)', 'a cumulative row "Ianuarie-August" '
                  '(2024-01/2024-08) and a year row "Total an"', 'missing mark ":" (not yet available)',
                  'negative balances', 'unit "milioane euro" (EUR million)', 'reporter Romania in the title'])
    b = c.book('t03_romania_luni_ani.xlsx', 'openpyxl')
    s = b.sheet('Lunar')
    rng = random.Random(2303)
    years = [2022, 2023, 2024]
    X, M = {}, {}
    for y, bx, bm in ((2022, 7412.0, 10018.0), (2023, 7248.0, 9612.0), (2024, 7105.0, 9704.0)):
        n = 8 if y == 2024 else 12
        for k in months(y, 1, n):
            X[k] = bx * rng.uniform(0.85, 1.12)
            M[k] = bm * rng.uniform(0.85, 1.12)
    for y in years:
        X[f'{y}-01/{y}-08'] = sum(X[k] for k in months(y, 1, 8))
        M[f'{y}-01/{y}-08'] = sum(M[k] for k in months(y, 1, 8))
        if y < 2024:
            X[str(y)] = sum(X[k] for k in months(y, 1, 12))
            M[str(y)] = sum(M[k] for k in months(y, 1, 12))
    B = sub(X, M)
    s.t('A1', 'România - exporturi FOB, importuri CIF și soldul balanței comerciale, pe luni', bold=True, merge='J1')
    s.t('A2', 'milioane euro')
    s.t('A4', 'Luna', bold=True, merge='A5')
    for c0, h in ((2, 'Exporturi FOB'), (5, 'Importuri CIF'), (8, 'Sold FOB/CIF')):
        s.t((4, c0), h, bold=True, merge=(4, c0 + 2), align='center')
        for j, y in enumerate(years):
            s.n((5, c0 + j), float(y), '0', bold=True, align='right')
    L = Lab(reporter='Romania', partner='World', unit='EUR', scale=1e6)
    ro = ['Ianuarie', 'Februarie', 'Martie', 'Aprilie', 'Mai', 'Iunie', 'Iulie', 'August', 'Septembrie',
          'Octombrie', 'Noiembrie', 'Decembrie']
    rows = [(ro[i], lambda y, i=i: f'{y}-{i + 1:02d}') for i in range(12)]
    rows += [('Ianuarie-August', lambda y: f'{y}-01/{y}-08'), ('Total an', lambda y: str(y))]
    for i, (label, per) in enumerate(rows):
        r = 6 + i
        s.t((r, 1), label, bold=i >= 12)
        for c0, flow, ser in ((2, 'exports', X), (5, 'imports', M), (8, 'balance', B)):
            for j, y in enumerate(years):
                p = per(y)
                if p in ser:
                    s.f((r, c0 + j), ser[p], 1, '#,##0.0', L(flow=flow, period=p))
                else:
                    s.miss((r, c0 + j), ':')
    s.t('A21', 'Date provizorii pentru 2024. ":" date indisponibile. Sold FOB/CIF = exporturi FOB - importuri CIF.')
    s.t('A22', 'Sursa: Institutul Național de Statistică, comerțul internațional cu bunuri.')
    s.width('A', 18)


# ---------------------------------------------------------------------------
# group long: downloads with their own column names
# ---------------------------------------------------------------------------

WTO_COLUMNS = ['Indicator Category', 'Indicator Code', 'Indicator', 'Reporting Economy Code',
               'Reporting Economy ISO3A Code', 'Reporting Economy', 'Partner Economy Code',
               'Partner Economy ISO3A Code', 'Partner Economy', 'Product/Sector Classification Code',
               'Product/Sector Classification', 'Product/Sector Code', 'Product/Sector', 'Frequency Code',
               'Frequency', 'Unit Code', 'Unit', 'Year', 'Period Code', 'Period', 'Value Flag Code', 'Value Flag',
               'Text Value', 'Value']


def l01():
    c = new_case('l01_wto_timeseries_merchandise', 'long',
                 'WTO Stats (timeseries API / data portal) bulk CSV: merchandise exports and imports of seven '
                 'economies, annual and quarterly, with the portal\'s column names, economy codes (M49 numeric '
                 'and ISO3A), the unit in a Unit column',
                 'csv',
                 ['WTO column names (Indicator Category, Indicator Code, Indicator, Reporting Economy Code, '
                  'Reporting Economy ISO3A Code, Reporting Economy, Partner Economy ..., Product/Sector ..., '
                  'Frequency Code, Unit Code, Unit, Year, Period Code, Period, Value Flag Code, Value Flag, Text '
                  'Value, Value)', 'indicator codes ITS_MTV_AX / ITS_MTV_AM (annual) and ITS_MTV_QX / ITS_MTV_QM '
                  '(quarterly) for exports and imports', 'Unit "Million US dollar" (USD million)', 'Period Code '
                  '"A" with Period "Annual", "Q1" ... with Year 2023', 'reporter names as WTO writes them: "Hong '
                  'Kong, China", "Korea, Republic of", "Viet Nam", "Türkiye"', 'Partner Economy "World" (code '
                  '000)', 'Value Flag Code "E" (estimate) on some lines', 'every field quoted'])
    t = c.text('l01_wto_timeseries_merchandise.csv', quote='all')
    rng = random.Random(4101)
    econ = [('504', 'MAR', 'Morocco', 'Morocco', 43.1, 63.2), ('404', 'KEN', 'Kenya', 'Kenya', 7.2, 21.5),
            ('344', 'HKG', 'Hong Kong, China', 'Hong Kong', 573.6, 653.4),
            ('410', 'KOR', 'Korea, Republic of', 'South Korea', 632.2, 642.6),
            ('792', 'TUR', 'Türkiye', 'Türkiye', 255.8, 361.8), ('032', 'ARG', 'Argentina', 'Argentina', 66.8, 73.7),
            ('704', 'VNM', 'Viet Nam', 'Vietnam', 354.7, 326.4)]
    t.row(WTO_COLUMNS)
    ind = {('A', 'X'): ('ITS_MTV_AX', 'Merchandise exports by reporting economy (annual)'),
           ('A', 'M'): ('ITS_MTV_AM', 'Merchandise imports by reporting economy (annual)'),
           ('Q', 'X'): ('ITS_MTV_QX', 'Merchandise exports - quarterly'),
           ('Q', 'M'): ('ITS_MTV_QM', 'Merchandise imports - quarterly')}
    qnames = {1: 'First quarter', 2: 'Second quarter', 3: 'Third quarter', 4: 'Fourth quarter'}
    for code, iso, name, canon, bx, bm in econ:
        for flow, bv in (('X', bx), ('M', bm)):
            yearly = {'2021': bv * 1000 * rng.uniform(0.86, 0.95), '2022': bv * 1000 * rng.uniform(0.97, 1.08),
                      '2023': bv * 1000}
            qs = [rng.uniform(0.22, 0.28) for _ in range(4)]
            qs = [q / sum(qs) for q in qs]
            lab = Lab(reporter=canon, partner='World', flow='exports' if flow == 'X' else 'imports', unit='USD',
                      scale=1e6)
            for freq in ('A', 'Q'):
                icode, iname = ind[(freq, flow)]
                periods = [(y, 'A', 'Annual', y, yearly[y]) for y in ('2021', '2022', '2023')] if freq == 'A' else \
                    [('2023', f'Q{q}', qnames[q], f'2023Q{q}', yearly['2023'] * qs[q - 1]) for q in (1, 2, 3, 4)]
                for year, pcode, pname, per, v in periods:
                    est = canon == 'Kenya' and per in ('2023', '2023Q4')
                    f = fig(v, 1 if freq == 'Q' else 0, lab(period=per, flag='E' if est else ''))
                    t.row(['Merchandise trade values', icode, iname, code, iso, name, '000', '', 'World', 'SITC3',
                           'Standard International Trade Classification, Revision 3', 'TO', 'Total merchandise',
                           freq, 'Annual' if freq == 'A' else 'Quarterly', 'USM', 'Million US dollar', year, pcode,
                           pname, 'E' if est else '', 'Estimated' if est else '', '', f])


OECD_COLUMNS = ['LOCATION', 'Country', 'SUBJECT', 'Subject', 'MEASURE', 'Measure', 'FREQUENCY', 'Frequency',
                'TIME', 'Time', 'Unit Code', 'Unit', 'PowerCode Code', 'PowerCode', 'Reference Period Code',
                'Reference Period', 'Value', 'Flag Codes', 'Flags']


def l02():
    c = new_case('l02_oecd_stat_mei_trade', 'long',
                 'OECD.Stat (legacy) "Export data as text file (CSV)": monthly international merchandise trade of '
                 'six countries with a code column before every label column, exports, imports and net trade, US '
                 'dollars and (for Hungary) national currency, the scale in PowerCode',
                 'csv',
                 ['OECD.Stat column names (LOCATION, Country, SUBJECT, Subject, MEASURE, Measure, FREQUENCY, '
                  'Frequency, TIME, Time, Unit Code, Unit, PowerCode Code, PowerCode, Reference Period Code, '
                  'Reference Period, Value, Flag Codes, Flags)', 'SUBJECT codes XTEXVA01 (exports), XTIMVA01 '
                  '(imports), XTNTVA01 (net trade = balance) with long labels "International Trade > Exports > '
                  'Value (goods) > Total for all commodities"', 'TIME written 2024-01 with Time "Jan-2024"',
                  'PowerCode Code 9 "Billions": values in billion US dollars (MEASURE CXML) and billion forint '
                  '(NCML, Hungary)', 'countries "Korea", "Türkiye", "Hungary", "Greece", "Colombia", "Czechia"',
                  'Flag Codes "P" (provisional) on the last month', 'values with three decimals'])
    t = c.text('l02_oecd_stat_mei_trade.csv', quote='all')
    rng = random.Random(4202)
    ctry = [('KOR', 'Korea', 'South Korea', 55.2, 51.8), ('TUR', 'Türkiye', 'Türkiye', 21.4, 28.9),
            ('HUN', 'Hungary', 'Hungary', 12.1, 11.2), ('GRC', 'Greece', 'Greece', 4.3, 7.4),
            ('COL', 'Colombia', 'Colombia', 4.1, 5.2), ('CZE', 'Czechia', 'Czechia', 20.3, 19.1)]
    subj = {'X': ('XTEXVA01', 'International Trade > Exports > Value (goods) > Total for all commodities'),
            'M': ('XTIMVA01', 'International Trade > Imports > Value (goods) > Total for all commodities'),
            'B': ('XTNTVA01', 'International Trade > Net trade > Value (goods) > Total for all commodities')}
    ms = months(2024, 1, 6)
    t.row(OECD_COLUMNS)
    for loc, name, canon, bx, bm in ctry:
        X = {m: bx * rng.uniform(0.9, 1.1) for m in ms}
        M = {m: bm * rng.uniform(0.9, 1.1) for m in ms}
        B = sub(X, M)
        fx = {m: rng.uniform(0.985, 1.015) for m in ms}
        meas = [('CXML', 'US dollars, monthly level', 'USD', 'US Dollar', 1.0)]
        if loc == 'HUN':
            meas.append(('NCML', 'National currency, monthly level', 'HUF', 'Hungarian Forint', 390.2))
        else:
            fx = {m: 1.0 for m in ms}
        for mcode, mname, ucode, uname, rate in meas:
            for sk, ser, flow in (('X', X, 'exports'), ('M', M, 'imports'), ('B', B, 'balance')):
                scode, sname = subj[sk]
                for m in ms:
                    flag = 'P' if m == ms[-1] else ''
                    lab = Lab(reporter=canon, partner='World', flow=flow, period=m, unit=ucode, scale=1e9, flag=flag)
                    f = fig(ser[m] * rate * fx[m], 3, lab)
                    t.row([loc, name, scode, sname, mcode, mname, 'M', 'Monthly', m,
                           f'{MONTHS["en"][int(m[5:]) - 1][:3]}-{m[:4]}', ucode, uname, '9', 'Billions', '', '', f,
                           flag, 'Provisional value' if flag else ''])


def l03():
    c = new_case('l03_eurostat_sdmx_csv20_sitc', 'long',
                 'Eurostat data browser download in SDMX-CSV 2.0 with labels (dataset ext_st_eu27_2020sitc): extra-EU '
                 'trade of Romania, Greece and Hungary by SITC group for two years, a label column after every '
                 'code column, flows as indicator codes, confidentiality and flag columns',
                 'csv',
                 ['SDMX-CSV 2.0 columns STRUCTURE, STRUCTURE_ID, STRUCTURE_NAME, then code and label columns '
                  '(freq, Time frequency, indic_et, Foreign trade indicator, sitc06, ..., partner, ..., geo, ...), '
                  'TIME_PERIOD, Time, OBS_VALUE, Observation value, OBS_FLAG, Observation status (Flag) V2 '
                  'structure, CONF_STATUS, Confidentiality status (flag)', 'indic_et MIO_EXP_VAL, MIO_IMP_VAL, '
                  'MIO_BAL_VAL with labels "Exports in million of ECU/EURO" ... (EUR million)', 'partner '
                  'EXT_EU27_2020 "Extra-EU27 (from 2020)"', 'sitc06 TOTAL and the SITC groups SITC0_1, SITC2_4, '
                  'SITC3, SITC5, SITC6_8, SITC7, SITC9 that add up to it', 'geo EL (Greece), RO, HU', 'OBS_FLAG '
                  '"p" (provisional) in 2023', 'labels containing commas, quoted'])
    t = c.text('l03_eurostat_sdmx_csv20_sitc.csv')
    rng = random.Random(4303)
    cols = ['STRUCTURE', 'STRUCTURE_ID', 'STRUCTURE_NAME', 'freq', 'Time frequency', 'indic_et',
            'Foreign trade indicator', 'sitc06', 'Standard International Trade Classification (SITC Rev. 4)',
            'partner', 'Geopolitical entity (partner)', 'geo', 'Geopolitical entity (reporting)', 'TIME_PERIOD',
            'Time', 'OBS_VALUE', 'Observation value', 'OBS_FLAG', 'Observation status (Flag) V2 structure',
            'CONF_STATUS', 'Confidentiality status (flag)']
    t.row(cols)
    sitc = [('SITC0_1', 'Food, drinks and tobacco', 0.12, 0.10), ('SITC2_4', 'Raw materials', 0.06, 0.05),
            ('SITC3', 'Mineral fuels, lubricants and related materials', 0.14, 0.30),
            ('SITC5', 'Chemicals and related products, n.e.s.', 0.10, 0.12),
            ('SITC6_8', 'Other manufactured goods', 0.27, 0.20), ('SITC7', 'Machinery and transport equipment', 0.30,
                                                                 0.22),
            ('SITC9', 'Commodities and transactions not classified elsewhere in the SITC', 0.01, 0.01)]
    geos = [('EL', 'Greece', 'Greece', 21405.3, 33412.8), ('HU', 'Hungary', 'Hungary', 26318.4, 36905.2),
            ('RO', 'Romania', 'Romania', 25412.9, 36118.4)]
    ind = [('MIO_EXP_VAL', 'Exports in million of ECU/EURO', 'exports'),
           ('MIO_IMP_VAL', 'Imports in million of ECU/EURO', 'imports'),
           ('MIO_BAL_VAL', 'Trade balance in million ECU/EURO', 'balance')]
    data = {}
    for geo, gname, canon, bx, bm in geos:
        for y, f in (('2022', 1.05), ('2023', 1.0)):
            X = {code: bx * f * sx * rng.uniform(0.85, 1.15) for code, _, sx, _ in sitc}
            M = {code: bm * f * sm * rng.uniform(0.85, 1.15) for code, _, _, sm in sitc}
            X['TOTAL'], M['TOTAL'] = sum(X.values()), sum(M.values())
            data[(geo, y)] = (X, M, sub(X, M))
    for icode, iname, flow in ind:
        for scode, sname in [('TOTAL', 'Total - all SITC')] + [(a, b) for a, b, _, _ in sitc]:
            for geo, gname, canon, _, _ in geos:
                for y in ('2022', '2023'):
                    X, M, B = data[(geo, y)]
                    v = {'exports': X, 'imports': M, 'balance': B}[flow][scode]
                    flag = 'p' if y == '2023' else ''
                    lab = Lab(reporter=canon, partner='Extra-EU', flow=flow, period=y, unit='EUR', scale=1e6,
                              flag=flag, product='Total' if scode == 'TOTAL' else scode)
                    t.row(['dataflow', 'ESTAT:EXT_ST_EU27_2020SITC(1.0)', 'EU trade since 2020 by SITC', 'A', 'Annual',
                           icode, iname, scode, sname, 'EXT_EU27_2020', 'Extra-EU27 (from 2020)', geo, gname, y, '',
                           fig(v, 1, lab), '', flag, 'provisional' if flag else '', 'F', 'Free (free for publication)'])
    c.products_complete = True


def l04():
    c = new_case('l04_statbank_dk_sitc_monthly', 'long',
                 'Statistics Denmark StatBank API CSV (semicolon, Danish labels): imports and exports by SITC '
                 'section, country and unit, three months, with the variable codes as headings and the value in '
                 'INDHOLD; weights in tonnes on some lines',
                 'csv',
                 ['API CSV headings are the variable codes: INDUD;SITC;LAND;ENHED;TID;INDHOLD', 'Danish labels: '
                  '"Eksport", "Import", "Alle lande" (World), "Tyskland", "Sverige", "Norge", "Storbritannien", '
                  '"USA", "Kina"; SITC sections "0 Næringsmidler og levende dyr" ... "9 Varer og transaktioner, '
                  'ikke klassificeret efter art" adding up to "I alt"', 'unit column ENHED: "Mio. kr." (DKK '
                  'million) and "Ton" (a weight: not in the key)', 'TID written 2024M01', 'missing mark ".." in '
                  'INDHOLD (confidential weights)', 'UTF-8 byte-order mark, CRLF', 'reporter Denmark only from the '
                  'source (statbank.dk in the file name)'])
    t = c.text('l04_statbank_dk_sitc_monthly.csv', delim=';', eol='\r\n', bom=True)
    rng = random.Random(4404)
    sitc = [('0 Næringsmidler og levende dyr', 'SITC 0', 0.15, 0.11),
            ('1 Drikkevarer og tobak', 'SITC 1', 0.015, 0.012),
            ('2 Ikke spiselige råvarer undtagen brændselsstoffer', 'SITC 2', 0.035, 0.040),
            ('3 Mineralske brændselsstoffer, smøremidler og elektrisk strøm', 'SITC 3', 0.05, 0.08),
            ('4 Animalske og vegetabilske olier, fedtstoffer og voks', 'SITC 4', 0.006, 0.007),
            ('5 Kemikalier og kemiske produkter', 'SITC 5', 0.33, 0.13),
            ('6 Forarbejdede varer, hovedsagelig klassificeret efter materiale', 'SITC 6', 0.07, 0.12),
            ('7 Maskiner og transportmidler', 'SITC 7', 0.24, 0.34),
            ('8 Forskellige færdigvarer', 'SITC 8', 0.10, 0.16),
            ('9 Varer og transaktioner, ikke klassificeret efter art', 'SITC 9', 0.004, 0.001)]
    lands = [('Tyskland', 'Germany', 0.13, 0.21), ('Sverige', 'Sweden', 0.10, 0.12), ('Norge', 'Norway', 0.06, 0.05),
             ('Storbritannien', 'United Kingdom', 0.05, 0.04), ('USA', 'United States', 0.17, 0.05),
             ('Kina', 'China', 0.05, 0.08)]
    ms = months(2024, 1, 3)
    tot = {('Eksport', m): 118000.0 * rng.uniform(0.93, 1.07) for m in ms}
    tot.update({('Import', m): 101000.0 * rng.uniform(0.93, 1.07) for m in ms})
    t.row(['INDUD', 'SITC', 'LAND', 'ENHED', 'TID', 'INDHOLD'])
    flow_of = {'Eksport': 'exports', 'Import': 'imports'}
    for indud in ('Import', 'Eksport'):
        xi = 2 if indud == 'Eksport' else 3
        parts = {}
        for m in ms:
            parts[m] = {lab: tot[(indud, m)] * (sx if indud == 'Eksport' else sm) * rng.uniform(0.9, 1.1)
                        for lab, code, sx, sm in sitc}
        for m in ms:
            total = sum(parts[m].values())
            L = Lab(reporter='Denmark', partner='World', flow=flow_of[indud], period=m, unit='DKK', scale=1e6)
            t.row([indud, 'I alt', 'Alle lande', 'Mio. kr.', m.replace('-', 'M'), fig(total, 0, L)])
            for lab, code, _, _ in sitc:
                t.row([indud, lab, 'Alle lande', 'Mio. kr.', m.replace('-', 'M'),
                       fig(parts[m][lab], 0, L(product=code))])
            line = t.row([indud, 'I alt', 'Alle lande', 'Ton', m.replace('-', 'M'),
                          str(int(total * rng.uniform(180, 260)))])
            for land, canon, sx, sm in lands:
                v = total * (sx if indud == 'Eksport' else sm) * rng.uniform(0.9, 1.1)
                t.row([indud, 'I alt', land, 'Mio. kr.', m.replace('-', 'M'), fig(v, 0, L(partner=canon))])
                if canon in ('Norway', 'China'):
                    line = t.row([indud, 'I alt', land, 'Ton', m.replace('-', 'M'), '..'])
                    t.miss_at(line, 6, '..')
    c.products_complete = True


def l05():
    c = new_case('l05_ssb_jsonstat_csv_norway', 'long',
                 'Statistics Norway (SSB) table 08799 fetched from the API as JSON-stat 2.0 and flattened to CSV '
                 'with the JSON-stat toolkit: one column per dimension with Norwegian labels, then value and '
                 'status; months as 2024M01; the unit inside the statistics-variable label',
                 'csv',
                 ['JSON-stat flattened to CSV: columns "land", "import/eksport", "statistikkvariabel", "måned", '
                  '"value", "status"', 'Norwegian labels: "Eksport", "Import", "Handelsbalanse" (balance), "Alle '
                  'land" (World), "Tyskland", "Sverige", "Storbritannia", "Nederland", "Danmark", "Polen", "USA", '
                  '"Kina"', 'unit inside the variable label "Verdi (mill. kr)" (NOK million)', 'months written '
                  '"2024M01"', 'suppressed value: empty value with status ":" (confidential; listed as missing '
                  'with text "")', 'reporter Norway only from the source (ssb and 08799 in the file name)'])
    t = c.text('l05_ssb_08799_jsonstat.csv')
    rng = random.Random(4505)
    lands = [('Alle land', 'World', 1.0, 1.0), ('Tyskland', 'Germany', 0.18, 0.11), ('Sverige', 'Sweden', 0.07, 0.11),
             ('Storbritannia', 'United Kingdom', 0.21, 0.06), ('Nederland', 'Netherlands', 0.10, 0.04),
             ('Danmark', 'Denmark', 0.06, 0.06), ('Polen', 'Poland', 0.04, 0.06), ('USA', 'United States', 0.04, 0.08),
             ('Kina', 'China', 0.02, 0.13)]
    ms = months(2024, 1, 6)
    TX = {m: 115000.0 * rng.uniform(0.85, 1.1) for m in ms}
    TM = {m: 73000.0 * rng.uniform(0.9, 1.1) for m in ms}
    t.row(['land', 'import/eksport', 'statistikkvariabel', 'måned', 'value', 'status'])
    for land, canon, sx, sm in lands:
        X = {m: TX[m] * sx * (1 if canon == 'World' else rng.uniform(0.85, 1.15)) for m in ms}
        M = {m: TM[m] * sm * (1 if canon == 'World' else rng.uniform(0.85, 1.15)) for m in ms}
        for flowlab, flow, ser in (('Import', 'imports', M), ('Eksport', 'exports', X),
                                   ('Handelsbalanse', 'balance', sub(X, M))):
            for m in ms:
                code = m.replace('-', 'M')
                if canon == 'Poland' and m == '2024-03' and flow != 'exports':
                    line = t.row([land, flowlab, 'Verdi (mill. kr)', code, '', ':'])
                    t.miss_at(line, 5, '')
                    continue
                lab = Lab(reporter='Norway', partner=canon, flow=flow, period=m, unit='NOK', scale=1e6)
                t.row([land, flowlab, 'Verdi (mill. kr)', code, fig(ser[m], 0, lab), ''])


# ---------------------------------------------------------------------------
# group mixed: several sheets, several tables, several units
# ---------------------------------------------------------------------------


def x01():
    c = new_case('x01_schweiz_kantone_dreisprachig', 'mixed',
                 'Swiss federal customs (BAZG) foreign trade by canton, with trilingual German / French / Italian '
                 'headings: a first sheet of cantons with exports, imports and balance over a three-row header, '
                 'a second sheet of cantons down and partner countries across',
                 'openpyxl',
                 ['headings over three rows: "Ausfuhren / Exportations / Esportazioni" merged over "Mio. CHF" '
                  'merged over "2023 | 2024 | ± %"', 'trilingual labels in one cell ("Total / Total / Totale", '
                  '"Übrige Kantone / Autres cantons / Altri cantoni")', 'reporter Switzerland and cantons Zurich, '
                  'Bern, Basel-Stadt, Basel-Landschaft, Aargau, Zug, Geneva (Genève), Vaud, Neuchâtel, Ticino as '
                  'regions', 'second sheet: cantons down, partners across ("Deutschland / Allemagne / Germania", '
                  '"EU / UE / UE", "Total"), the period in the sheet title; its totals repeat the first sheet\'s '
                  '2024 exports', 'growth "± %" vs the column before', 'an "other cantons" row that is not in the '
                  'key'])
    b = c.book('x01_schweiz_kantone_dreisprachig.xlsx', 'openpyxl')
    rng = random.Random(3101)
    cantons = [('Zürich', 'Zurich', 28312.4, 29104.2, 41905.3, 42318.6),
               ('Bern / Berne', 'Bern', 17905.2, 18312.7, 14812.4, 15105.1),
               ('Basel-Stadt', 'Basel-Stadt', 62418.3, 66905.8, 21318.2, 22905.4),
               ('Basel-Landschaft', 'Basel-Landschaft', 9812.6, 10105.3, 10318.7, 10612.2),
               ('Aargau', 'Aargau', 14318.1, 14912.4, 16905.6, 17312.8),
               ('Zug', 'Zug', 8905.7, 9318.2, 7312.3, 7618.9),
               ('Genève', 'Geneva', 24812.9, 25906.1, 18905.2, 19312.4),
               ('Vaud', 'Vaud', 13905.4, 14418.6, 13112.8, 13418.3),
               ('Neuchâtel', 'Neuchâtel', 12318.2, 12105.7, 4905.1, 5012.6),
               ('Ticino', 'Ticino', 7905.8, 8112.3, 6318.4, 6512.7)]
    other = (43705.3, 44802.1, 77612.4, 79905.8)
    tot = [sum(cc[2 + k] for cc in cantons) + other[k] for k in range(4)]
    s = b.sheet('Kantone')
    s.t('A1', 'Aussenhandel nach Kantonen / Commerce extérieur par canton / Commercio estero per cantone',
        bold=True, merge='I1')
    s.t('A2', 'Total «konjunkturell» (ohne Gold in Barren und andere Edelmetalle, Münzen, Edel- und '
              'Schmucksteine sowie Kunst- und Antiquitätengegenstände)')
    s.t('A4', 'Kanton / Canton / Cantone', bold=True, merge='A6', wrap=True)
    s.t('B4', 'Ausfuhren / Exportations / Esportazioni', bold=True, merge='D4', align='center', wrap=True)
    s.t('E4', 'Einfuhren / Importations / Importazioni', bold=True, merge='G4', align='center', wrap=True)
    s.t('H4', 'Handelsbilanz / Balance commerciale / Bilancia commerciale', bold=True, merge='I4', align='center',
        wrap=True)
    s.t('B5', 'Mio. CHF', merge='D5', align='center')
    s.t('E5', 'Mio. CHF', merge='G5', align='center')
    s.t('H5', 'Mio. CHF', merge='I5', align='center')
    for col, h in ((2, '2023'), (3, '2024'), (4, '± %'), (5, '2023'), (6, '2024'), (7, '± %'), (8, '2023'),
                   (9, '2024')):
        s.t((6, col), h, bold=True, align='right')
    L = Lab(partner='World', unit='CHF', scale=1e6)
    rows = [(n, canon, x1, x2, m1, m2) for n, canon, x1, x2, m1, m2 in cantons]
    rows.append(('Übrige Kantone / Autres cantons / Altri cantoni', None) + other)
    rows.append(('Total / Total / Totale', 'Switzerland') + tuple(tot))
    exports24 = {}
    for i, (n, canon, x1, x2, m1, m2) in enumerate(rows):
        r = 7 + i
        s.t((r, 1), n, bold=canon == 'Switzerland')
        X = {'2023': x1 + rng.uniform(0, 0.049), '2024': x2 + rng.uniform(0, 0.049)}
        Mm = {'2023': m1 + rng.uniform(0, 0.049), '2024': m2 + rng.uniform(0, 0.049)}
        if canon is None:
            for col, v in ((2, X['2023']), (3, X['2024']), (4, growth(X['2024'], X['2023'])), (5, Mm['2023']),
                           (6, Mm['2024']), (7, growth(Mm['2024'], Mm['2023'])), (8, X['2023'] - Mm['2023']),
                           (9, X['2024'] - Mm['2024'])):
                s.n((r, col), rnd(v, 1), '#,##0.0')
            continue
        lab = L(reporter=canon, parent='' if canon == 'Switzerland' else 'Switzerland')
        lv(s, r, {'2023': 2, '2024': 3}, X, 1, '#,##0.0', lab(flow='exports'))
        gr(s, r, {'2024': (4, '2023')}, X, 1, '0.0', lab(flow='exports'))
        lv(s, r, {'2023': 5, '2024': 6}, Mm, 1, '#,##0.0', lab(flow='imports'))
        gr(s, r, {'2024': (7, '2023')}, Mm, 1, '0.0', lab(flow='imports'))
        lv(s, r, {'2023': 8, '2024': 9}, sub(X, Mm), 1, '#,##0.0', lab(flow='balance'))
        exports24[canon] = (n, X['2024'])
    s.t('A20', 'Kanton: Sitz des Exporteurs bzw. Importeurs. Quelle: BAZG, Aussenhandelsstatistik.')
    s.width('A', 34)
    for col in 'BCDEFGHI':
        s.width(col, 12)
    s2 = b.sheet('Partner')
    s2.t('A1', 'Ausfuhren 2024 nach Kantonen und Partnerländern / Exportations 2024 par canton et pays partenaire / '
               'Esportazioni 2024 per cantone e paese partner', bold=True)
    s2.t('A2', 'Mio. CHF')
    partners = [('Total / Total / Totale', 'World', None), ('EU / UE / UE', 'EU27', 0.51),
                ('Deutschland / Allemagne / Germania', 'Germany', 0.16),
                ('Vereinigte Staaten / États-Unis / Stati Uniti', 'United States', 0.17),
                ('China / Chine / Cina', 'China', 0.08), ('Italien / Italie / Italia', 'Italy', 0.06),
                ('Frankreich / France / Francia', 'France', 0.06),
                ('Vereinigtes Königreich / Royaume-Uni / Regno Unito', 'United Kingdom', 0.04)]
    s2.t('A4', 'Kanton / Canton / Cantone', bold=True)
    for j, (h, _, _) in enumerate(partners):
        s2.t((4, 2 + j), h, bold=True, wrap=True, align='right')
    order = [cc[1] for cc in cantons] + ['Switzerland']
    for i, canon in enumerate(order):
        r = 5 + i
        n, x24 = exports24[canon]
        s2.t((r, 1), n, bold=canon == 'Switzerland')
        lab = L(reporter=canon, parent='' if canon == 'Switzerland' else 'Switzerland', flow='exports', period='2024')
        for j, (_, pc, sh) in enumerate(partners):
            v = x24 if pc == 'World' else x24 * sh * rng.uniform(0.7, 1.3)
            s2.f((r, 2 + j), v, 1, '#,##0.0', lab(partner=pc))
    s2.width('A', 24)
    for col in 'BCDEFGHI':
        s2.width(col, 14)


def x02():
    c = new_case('x02_kenya_cbk_trade_summary', 'mixed',
                 'Central Bank of Kenya foreign trade summary: a monthly sheet with months as date cells down the '
                 'rows and an annual sheet with years as numeric cells, domestic exports, re-exports, total '
                 'exports, imports and the trade balance in brackets when negative',
                 'openpyxl',
                 ['months as date cells with the format "mmm yyyy" ("Jan 2023")', 'years as numeric cells 2019.0 '
                  'shown "2019" (format 0) on the second sheet', 'flows as column headings: "Domestic Exports '
                  '(FOB)" (not in the key: exports less re-exports), "Re-exports", "Total Exports", "Imports '
                  '(CIF)", "Trade Balance"', 're-exports as a flow of their own', 'negative balances in brackets '
                  'by number format ((125,318.4))', 'unit "Ksh Million" in the sheet title (KES)', 'missing mark '
                  '"n.a." in one re-exports cell', 'reporter Kenya named only by the central bank'])
    b = c.book('x02_kenya_cbk_trade_summary.xlsx', 'openpyxl')
    rng = random.Random(3202)
    ms = months(2023, 1, 18)
    X = {m: 84000.0 * rng.uniform(0.88, 1.14) for m in ms}
    RX = {m: X[m] * rng.uniform(0.05, 0.08) for m in ms}
    M = {m: 205000.0 * rng.uniform(0.88, 1.12) for m in ms}
    years = ['2019', '2020', '2021', '2022', '2023']
    AX = dict(zip(years, [596012.4, 643218.7, 743105.2, 873402.6, None]))
    AM = dict(zip(years, [1786205.4, 1627318.2, 2067412.9, 2453105.6, None]))
    AX['2023'] = sum(X[m] for m in months(2023, 1, 12))
    AM['2023'] = sum(M[m] for m in months(2023, 1, 12))
    ARX = {y: AX[y] * rng.uniform(0.05, 0.08) for y in years[:4]}
    ARX['2023'] = sum(RX[m] for m in months(2023, 1, 12))
    heads = ['Domestic Exports (FOB)', 'Re-exports', 'Total Exports', 'Imports (CIF)', 'Trade Balance']
    FB = '#,##0.0;(#,##0.0)'
    L = Lab(reporter='Kenya', partner='World', unit='KES', scale=1e6)
    for sheet, first, keys, lab_of, XX, RR, MM in (
            ('Monthly', 'Month', ms, None, X, RX, M), ('Annual', 'Year', years, None, AX, ARX, AM)):
        s = b.sheet(sheet)
        s.t('A1', f'Central Bank of Kenya - Foreign Trade Summary ({sheet}, Ksh Million)', bold=True, merge='F1')
        s.t('A3', first, bold=True)
        for j, h in enumerate(heads):
            s.t((3, 2 + j), h, bold=True, wrap=True, align='right')
        for i, k in enumerate(keys):
            r = 4 + i
            if sheet == 'Monthly':
                s.n((r, 1), datetime.datetime(int(k[:4]), int(k[5:]), 1), 'mmm yyyy', align='left')
            else:
                s.n((r, 1), float(k), '0', align='left')
            lab = L(period=k)
            s.n((r, 2), rnd(XX[k] - RR[k], 1), '#,##0.0')
            if sheet == 'Monthly' and k == '2023-08':
                s.miss((r, 3), 'n.a.')
            else:
                s.f((r, 3), RR[k], 1, '#,##0.0', lab(flow='re_exports'))
            s.f((r, 4), XX[k], 1, '#,##0.0', lab(flow='exports'))
            s.f((r, 5), MM[k], 1, '#,##0.0', lab(flow='imports'))
            s.f((r, 6), XX[k] - MM[k], 1, FB, lab(flow='balance'))
        s.t((5 + len(keys), 1), 'Source: Kenya Revenue Authority and Kenya National Bureau of Statistics. '
                                'Total exports = domestic exports + re-exports.')
        s.width('A', 12)
        for col in 'BCDEF':
            s.width(col, 15)


# ---------------------------------------------------------------------------
# group planted: one realistic slip each
# ---------------------------------------------------------------------------


def e01():
    c = new_case('e01_maroc_groupements_digit_slip', 'planted',
                 'Moroccan foreign-exchange office table of exports and imports by end-use group (groupements '
                 'd\'utilisation), cumulative to the end of June, stacked export and import blocks whose groups add '
                 'up to the total, with the trade balance and the coverage ratio below',
                 'xlsxwriter',
                 ['planted: one digit mistyped in the exports of "Produits finis d\'équipement industriel" at the end '
                  'of June 2024 (48,905.3 published as 45,905.3): the groups no longer add up to the total and the '
                  'group\'s change disagrees with it', 'French labels (Exportations FAB, Importations CAF, '
                  'Solde commercial, Taux de couverture)', 'end-use groups that add up to the total', 'cumulative '
                  'periods "Fin juin 2023" / "Fin juin 2024*"', 'unit "En millions de dirhams" (MAD)',
                  '"Variation en valeur" and "Taux de couverture (%)": numbers that are not in the key'])
    b = c.book('e01_maroc_groupements_digit_slip.xlsx', 'xlsxwriter')
    s = b.sheet('Groupements')
    rng = random.Random(5101)
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    groups = ['Alimentation, boissons et tabacs', 'Énergie et lubrifiants',
              "Produits bruts d'origine animale et végétale", "Produits bruts d'origine minérale", 'Demi-produits',
              "Produits finis d'équipement agricole", "Produits finis d'équipement industriel",
              'Produits finis de consommation', 'Or industriel']
    xv = [45812.4, 3210.2, 3905.8, 9812.6, 50418.3, 312.4, 48905.3, 62318.7, 205.1]
    mv = [42105.2, 58312.6, 10905.4, 12418.3, 82905.7, 1512.8, 88312.4, 76905.1, 1205.6]
    s.t('A1', 'Échanges extérieurs du Maroc par groupements d\'utilisation', bold=True, merge='E1')
    s.t('A2', 'En millions de dirhams - données cumulées depuis le début de l\'année')
    L = Lab(reporter='Morocco', partner='World', unit='MAD', scale=1e6)
    r = 4
    tots = {}
    culprit = None
    for title, flow, vals in (('Exportations FAB', 'exports', xv), ('Importations CAF', 'imports', mv)):
        s.t((r, 1), title, bold=True)
        for i, h in enumerate(["Groupements d'utilisation", 'Fin juin 2023', 'Fin juin 2024*', 'Variation en valeur',
                               'Variation en %']):
            s.t((r + 1, 1 + i), h, bold=True, wrap=True, align=None if i == 0 else 'right')
        sers = []
        for g, v in zip(groups, vals):
            v24 = v + rng.uniform(0, 0.049)
            sers.append((g, {H24: v24, H23: v24 / rng.uniform(0.9, 1.12)}))
        tot = {p: sum(ser[p] for _, ser in sers) for p in (H23, H24)}
        tots[flow] = tot
        for i, (g, ser) in enumerate(sers + [('Total', tot)]):
            rr = r + 2 + i
            s.t((rr, 1), g, bold=g == 'Total')
            lab = L(flow=flow, product=g if g != 'Total' else 'Total')
            s.f((rr, 2), ser[H23], 1, '#,##0.0', lab(period=H23))
            s.f((rr, 3), ser[H24], 1, '#,##0.0', lab(period=H24, flag='*'))
            s.n((rr, 4), rnd(ser[H24], 1) - rnd(ser[H23], 1), '#,##0.0;-#,##0.0')
            gr(s, rr, {H24: (5, H23)}, ser, 1, '0.0', lab)
            if flow == 'exports' and g == "Produits finis d'équipement industriel":
                culprit = (rr, rnd(ser[H24], 1))
        r += 2 + len(sers) + 2
    s.t((r, 1), 'Solde commercial', bold=True)
    bal = sub(tots['exports'], tots['imports'])
    s.f((r, 2), bal[H23], 1, '#,##0.0;-#,##0.0', L(flow='balance', period=H23))
    s.f((r, 3), bal[H24], 1, '#,##0.0;-#,##0.0', L(flow='balance', period=H24, flag='*'))
    s.t((r + 1, 1), 'Taux de couverture (%)', bold=True)
    for col, p in ((2, H23), (3, H24)):
        s.n((r + 1, col), rnd(tots['exports'][p] / tots['imports'][p] * 100, 1), '0.0')
    s.t((r + 3, 1), '* Données provisoires. Source : Office des Changes.')
    s.width('A', 44)
    for col in 'BCDE':
        s.width(col, 14)
    c.products_complete = True
    rr, true = culprit
    s.publish((rr, 3), rnd(true - 3000.0, 1))
    c.plant(b.name, s.name, ref_of(rr, 3), 'growth_consistency', true, 1,
            'one digit mistyped (48,905.3 typed as 45,905.3)')


def e02():
    c = new_case('e02_hungary_growth_pasted_as_number', 'planted',
                 'Hungarian Central Statistical Office monthly table in English: months written "2024. March" '
                 'down the rows, exports and imports in euro with their change on the same month of the previous '
                 'year stored as fractions under a percent format, and the balance',
                 'openpyxl',
                 ['planted: one change rate pasted as a plain number into a percent-formatted cell (-0.068 stored '
                  'as -6.8, shown "-680.0%"): it disagrees with the imports it is computed from',
                  'months written "2023. January" (Hungarian order: year, dot, month)', 'growth stored as fractions '
                  'with the format 0.0% (0.052 shown 5.2%), vs the same month of the previous year: shown for 2024, '
                  'not in the table for 2023', 'unit "EUR million" in the title', 'reporter Hungary in the title'])
    b = c.book('e02_hungary_growth_pasted_as_number.xlsx', 'openpyxl')
    s = b.sheet('Monthly')
    rng = random.Random(5202)
    ms = months(2023, 1, 18)
    X = {m: 12100.0 * rng.uniform(0.9, 1.1) for m in ms}
    M = {m: 11000.0 * rng.uniform(0.9, 1.1) for m in ms}
    s.t('A1', 'Hungary: external trade in goods by month, EUR million', bold=True, merge='F1')
    s.t('A2', 'Change: compared with the same month of the previous year')
    for i, h in enumerate(['Period', 'Exports', 'Change', 'Imports', 'Change', 'Balance']):
        s.t((4, 1 + i), h, bold=True, align=None if i == 0 else 'right')
    en = MONTHS['en']
    L = Lab(reporter='Hungary', partner='World', unit='EUR', scale=1e6)
    culprit = None
    for i, m in enumerate(ms):
        r = 5 + i
        y, mo = int(m[:4]), int(m[5:])
        s.t((r, 1), f'{y}. {en[mo - 1]}')
        base = f'{y - 1}-{mo:02d}'
        bx = X.get(base, X[m] / rng.uniform(0.92, 1.1))
        bm = M.get(base, M[m] / rng.uniform(0.92, 1.1))
        s.f((r, 2), X[m], 1, '#,##0.0', L(flow='exports', period=m))
        s.f((r, 3), growth(X[m], bx), 1, '0.0%', L.growth(m, base, flow='exports'), store='pct')
        s.f((r, 4), M[m], 1, '#,##0.0', L(flow='imports', period=m))
        g = s.f((r, 5), growth(M[m], bm), 1, '0.0%', L.growth(m, base, flow='imports'), store='pct')
        s.f((r, 6), X[m] - M[m], 1, '#,##0.0', L(flow='balance', period=m))
        if m == '2024-03':
            culprit = (r, g)
    s.t((6 + len(ms), 1), 'Source: Hungarian Central Statistical Office. Data for 2024 are preliminary.')
    s.width('A', 18)
    for col in 'BCDEF':
        s.width(col, 12)
    r, g = culprit
    s.publish((r, 5), g * 100)
    c.plant(b.name, s.name, ref_of(r, 5), 'growth_consistency', g, 1,
            f'a change pasted as a plain number into a percent-formatted cell ({g / 100:.3f} stored as {g}, shown '
            f'as {g * 100:.1f}%)')


def e03():
    c = new_case('e03_romania_lei_locale_slip', 'planted',
                 'Romanian National Institute of Statistics press-release table: exports, imports and the FOB/CIF '
                 'balance for a month, the month before, the same month a year earlier and the first half of two '
                 'years, in million euro and, in a second table below, in million lei',
                 'ssconvert',
                 ['planted: one figure in lei pasted from text in Romanian number format ("291.415", dot as '
                  'thousands separator) into an English-locale sheet, where it became 291.415 and shows "291.4": '
                  'the balance disagrees with it',
                  'Romanian period labels "Iunie 2024", "Mai 2024" and cumulative "1.I-30.VI.2024" (1 January to '
                  '30 June, Roman month numerals)', 'two tables stacked, one per currency: "mil. euro" (EUR) and '
                  '"mil. lei" (RON)', 'Romanian labels (Exporturi FOB, Importuri CIF, Sold FOB/CIF)', 'negative '
                  'balances'])
    b = c.book('e03_romania_lei_locale_slip.xlsx', 'ssconvert')
    s = b.sheet('Tabel 1')
    P = ['2023-06', '2024-05', '2024-06', '2023-01/2023-06', '2024-01/2024-06']
    X = dict(zip(P, [7512.43, 7405.81, 7118.92, 45812.34, 44905.61]))
    M = dict(zip(P, [9618.22, 9705.34, 9512.41, 57918.63, 58605.27]))
    rate = dict(zip(P, [4.9621, 4.9765, 4.9771, 4.9416, 4.9725]))
    heads = ['Indicator', 'Iunie 2023', 'Mai 2024', 'Iunie 2024', '1.I-30.VI.2023', '1.I-30.VI.2024']
    s.t('A1', 'Comerțul internațional cu bunuri al României - iunie 2024', bold=True, merge='F1')
    r = 3
    culprit = None
    for title, unit, scale_fx in (('mil. euro', 'EUR', None), ('mil. lei', 'RON', rate)):
        s.t((r, 1), title, italic=True)
        for i, h in enumerate(heads):
            s.t((r + 1, 1 + i), h, bold=True, align=None if i == 0 else 'right')
        L = Lab(reporter='Romania', partner='World', unit=unit, scale=1e6)
        XX = {p: X[p] * (scale_fx[p] if scale_fx else 1) for p in P}
        MM = {p: M[p] * (scale_fx[p] if scale_fx else 1) for p in P}
        for i, (label, flow, ser) in enumerate((('Exporturi FOB', 'exports', XX), ('Importuri CIF', 'imports', MM),
                                                ('Sold FOB/CIF', 'balance', sub(XX, MM)))):
            rr = r + 2 + i
            s.t((rr, 1), label)
            for j, p in enumerate(P):
                s.f((rr, 2 + j), ser[p], 1, '#,##0.0', L(flow=flow, period=p))
            if unit == 'RON' and flow == 'imports':
                culprit = (rr, 6, rnd(ser[P[4]], 1))
        r += 7
    s.t((r, 1), 'Date provizorii. Sold FOB/CIF = exporturi FOB - importuri CIF. Sursa: INS.')
    s.width('A', 18)
    for col in 'BCDEF':
        s.width(col, 14)
    rr, cc, true = culprit
    s.publish((rr, cc), None, raw=round(true) / 1000)
    dotted = f'{int(round(true)):,}'.replace(',', '.')
    c.plant(b.name, s.name, ref_of(rr, cc), 'balance', true, 1,
            f'a figure pasted from text in Romanian number format ("{dotted}", the amount rounded to a whole '
            f'million lei with a dot as thousands separator) into an English-locale sheet: read as {dotted} and '
            f'shown as {round(true) / 1000:.1f}')


# ---------------------------------------------------------------------------
# group unreadable: files that must fail
# ---------------------------------------------------------------------------


def cfb_file(streams, seed):
    """An OLE compound file (version 3, 512-byte sectors) holding streams
    [(name, bytes)] under the root storage; streams under 4096 bytes go to
    the mini stream, as the format requires. Deterministic."""
    import struct
    FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    SS, MSS = 512, 64
    mini, big = [], []
    for name, data in streams:
        (mini if len(data) < 4096 else big).append((name, data))
    # mini stream: the small streams back to back, each padded to 64 bytes
    ministream = b''
    minifat = []
    mstart = {}
    for name, data in mini:
        n = (len(data) + MSS - 1) // MSS
        mstart[name] = len(ministream) // MSS
        minifat += [mstart[name] + k + 1 for k in range(n - 1)] + [END]
        ministream += data + b'\0' * (n * MSS - len(data))
    # sectors: FAT, directory, mini FAT, mini stream, big streams
    ndir = (1 + len(streams) + 3) // 4
    nminifat = (len(minifat) * 4 + SS - 1) // SS if minifat else 0
    nms = (len(ministream) + SS - 1) // SS
    nbig = [(len(d) + SS - 1) // SS for _, d in big]
    total = ndir + nminifat + nms + sum(nbig)
    nfat = 1
    while nfat * (SS // 4) < total + nfat:
        nfat += 1
    fat = [FATSECT] * nfat
    chains = {}

    def chain(n):
        start = len(fat)
        for k in range(n):
            fat.append(start + k + 1 if k < n - 1 else END)
        return start if n else END

    dir_start = chain(ndir)
    minifat_start = chain(nminifat)
    ms_start = chain(nms)
    for (name, _), n in zip(big, nbig):
        chains[name] = chain(n)
    fat += [FREE] * (nfat * (SS // 4) - len(fat))

    def entry(name, typ, left, right, child, start, size):
        nm = name.encode('utf-16-le') + b'\0\0'
        return (nm + b'\0' * (64 - len(nm)) + struct.pack('<HBB', len(nm), typ, 1) +
                struct.pack('<III', left, right, child) + b'\0' * 16 + struct.pack('<I', 0) + b'\0' * 16 +
                struct.pack('<IQ', start, size))

    # names sort by length, then upper case: a small binary tree under the root
    names = sorted(range(len(streams)), key=lambda i: (len(streams[i][0]), streams[i][0].upper()))
    ids = {i: k + 1 for k, i in enumerate(names)}
    left, right = {}, {}

    def build(lo, hi):
        if lo > hi:
            return FREE
        mid = (lo + hi) // 2
        i = names[mid]
        left[i], right[i] = build(lo, mid - 1), build(mid + 1, hi)
        return ids[i]

    root_child = build(0, len(names) - 1)
    dirs = entry('Root Entry', 5, FREE, FREE, root_child, ms_start if nms else END, len(ministream))
    ordered = [None] * len(streams)
    for i, (name, data) in enumerate(streams):
        start = mstart[name] if len(data) < 4096 else chains[name]
        ordered[ids[i] - 1] = entry(name, 2, left[i], right[i], FREE, start, len(data))
    dirs += b''.join(ordered)
    dirs += (b'\0' * 64 + struct.pack('<HBB', 0, 0, 0) + struct.pack('<III', FREE, FREE, FREE) + b'\0' * 48) * (
        ndir * 4 - 1 - len(streams))
    header = (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 16 + struct.pack('<HHHHH', 0x3E, 3, 0xFFFE, 9, 6) +
              b'\0' * 6 + struct.pack('<IIIIIIIII', 0, nfat, dir_start, 0, 4096, minifat_start if nminifat else END,
                                      nminifat, END, 0))
    difat = list(range(nfat)) + [FREE] * (109 - nfat)
    header += struct.pack('<109I', *difat)
    body = struct.pack(f'<{len(fat)}I', *fat)
    body += dirs
    if nminifat:
        mf = minifat + [FREE] * (nminifat * SS // 4 - len(minifat))
        body += struct.pack(f'<{len(mf)}I', *mf)
    body += ministream + b'\0' * (nms * SS - len(ministream))
    for (name, data), n in zip(big, nbig):
        body += data + b'\0' * (n * SS - len(data))
    return header + body


def b01():
    c = new_case('b01_password_protected_workbook', 'unreadable',
                 'a workbook saved with "Encrypt with password" before it was e-mailed: an OLE compound file '
                 'holding EncryptionInfo and EncryptedPackage streams, not a zip package',
                 'raw',
                 ['an .xlsx that is a password-protected (encrypted) workbook must fail with a clear error '
                  '(encrypted / password-protected, or at least not a zip / not a workbook), not be read as '
                  'a legacy .xls'])
    rng = random.Random(6101)
    salt = bytes(rng.randrange(256) for _ in range(16))
    import base64
    b64 = base64.b64encode
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
           '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
           'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password" '
           'xmlns:c="http://schemas.microsoft.com/office/2006/keyEncryptor/certificate">'
           f'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
           f'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="{b64(salt).decode()}"/>'
           f'<dataIntegrity encryptedHmacKey="{b64(bytes(rng.randrange(256) for _ in range(64))).decode()}" '
           f'encryptedHmacValue="{b64(bytes(rng.randrange(256) for _ in range(64))).decode()}"/>'
           '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
           f'<p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
           f'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
           f'saltValue="{b64(bytes(rng.randrange(256) for _ in range(16))).decode()}" '
           f'encryptedVerifierHashInput="{b64(bytes(rng.randrange(256) for _ in range(16))).decode()}" '
           f'encryptedVerifierHashValue="{b64(bytes(rng.randrange(256) for _ in range(64))).decode()}" '
           f'encryptedKeyValue="{b64(bytes(rng.randrange(256) for _ in range(32))).decode()}"/>'
           '</keyEncryptor></keyEncryptors></encryption>')
    import struct
    info = struct.pack('<HHI', 4, 4, 0x40) + xml.encode('utf-8')
    size = 9418
    package = struct.pack('<Q', size) + bytes(rng.randrange(256) for _ in range((size + 15) // 16 * 16))
    c.raw('b01_password_protected_workbook.xlsx', cfb_file([('EncryptionInfo', info),
                                                          ('EncryptedPackage', package)], 6101))
    c.expected_exit = 3


def b02():
    c = new_case('b02_jsonstat_response_named_csv', 'unreadable',
                 'a JSON-stat 2.0 API response saved under a .csv name by a download script: numbers sit in a '
                 '"value" array, the labels in nested objects; it is JSON, not a delimited table',
                 'raw',
                 ['a .csv that holds a JSON document (a JSON-stat dataset) must fail with a clear error (not CSV / '
                  'no table found), not yield figures from its lines'])
    rng = random.Random(6202)
    vals = [round(rng.uniform(8000, 12000)) for _ in range(12)]
    doc = {
        'version': '2.0', 'class': 'dataset',
        'label': '08799: Utenrikshandel med varer, etter land, import/eksport, statistikkvariabel og måned',
        'source': 'Statistisk sentralbyrå', 'updated': '2024-08-15T06:00:00Z',
        'id': ['Land', 'ImpEks', 'ContentsCode', 'Tid'], 'size': [2, 2, 1, 3],
        'dimension': {
            'Land': {'label': 'land', 'category': {'index': {'DE': 0, 'SE': 1},
                                                   'label': {'DE': 'Tyskland', 'SE': 'Sverige'}}},
            'ImpEks': {'label': 'import/eksport', 'category': {'index': {'1': 0, '2': 1},
                                                               'label': {'1': 'Import', '2': 'Eksport'}}},
            'ContentsCode': {'label': 'statistikkvariabel', 'category': {
                'index': {'Verdi': 0}, 'label': {'Verdi': 'Verdi (mill. kr)'},
                'unit': {'Verdi': {'base': 'kroner', 'decimals': 0}}}},
            'Tid': {'label': 'måned', 'category': {'index': {'2024M01': 0, '2024M02': 1, '2024M03': 2},
                                                   'label': {'2024M01': '2024M01', '2024M02': '2024M02',
                                                             '2024M03': '2024M03'}}}},
        'value': vals}
    text = json.dumps(doc, ensure_ascii=False, indent=2) + '\n'
    c.raw('b02_jsonstat_response_named_csv.csv', text.encode('utf-8'))
    c.expected_exit = 3


# ---------------------------------------------------------------------------
# the key
# ---------------------------------------------------------------------------

CONVENTIONS = {
    'format': 'the format of ../shared/corpus/trade/answers.json (see its README.md), with the flows re_exports '
              'and re_imports and the top-level "aliases" object of testdata/world.',
    'files': 'case.files are paths relative to this folder (cases/NAME); a figure\'s file is the base name.',
    'cell': 'xlsx: the A1 address in the named sheet. CSV/TSV: the column letter of the field (A = first field) '
            'followed by the physical line number, counting every line of the file, title, metadata and blank '
            'lines included; sheet is "".',
    'value': 'the figure as displayed, in the table\'s own unit and scale: 5.2 for a growth rate stored as 0.052 '
             'under the format 0.0% (shown "5.2%"); -451909 for "451,909-" (a trailing minus); 3521447.9 for the '
             'text "3 521 447,9p"; 291.3 for a cell holding 291.268 under the format #,##0.0. A planted culprit is '
             'listed with the value it shows.',
    'text': 'the figure as written: for text cells and CSV/TSV fields the characters as stored (flags and '
            'footnote marks included); for numeric xlsx cells what its number format shows in an English locale '
            '(percent formats multiply by 100 and add "%").',
    'decimals': 'decimals published; a figure stands for any value within half a unit of its last decimal.',
    'scale': 'multiplier from value to the unit: 1 (percentages), 1000 (Werte in 1.000 €, Thousand US $, US$ '
             'thousand, US Dollar thousand, Thousand Dollars), 1e6 (million, milj. euroa, mil. Kč, millones, '
             'millions de dirhams, KSh Million, HK$ million, $m, $ Millions, Mio. CHF, mill. kr, Mio. kr., '
             'milioane euro / lei, UNIT Million US dollar), 1e9 (HUF billion, PowerCode Billions).',
    'unit': 'ISO 4217 code of the currency (EUR, USD, AUD, CZK, HUF, MAD, KES, HKD, SGD, CHF, DKK, NOK, RON), '
            'or "%" for growth rates and shares. "$" in an Australian table is AUD, "Thousand Dollars" from '
            'Singapore SGD, "kr." from Statistics Denmark DKK and from Statistics Norway NOK.',
    'reporter': 'canonical English name of the reporting country or region; reporter_parent is the country of a '
                'region (Austrian Länder, Australian states, Argentine provinces, Colombian departments, Finnish '
                'regions, Czech regions, Swiss cantons), "" for a country.',
    'partner': 'canonical English name of the partner: a country, or World (Total, Alle lande, Alle land, All '
               'countries/territories, Total All Markets, TOTAL, Koko maa as a partner total), EU27 (EU-27 '
               'countries, EU / UE), Extra-EU (Non-EU countries, EXT_EU27_2020), Rest of the world (Others, Autres '
               'pays), and the continents Africa, Americas (America), Asia, Europe, Oceania (Australia and '
               'Oceania).',
    'aliases': 'top level: canonical name -> names and codes a tool may give for it instead (ISO 3166 names and '
               'codes, official local names of regions, agency spellings). A scorer compares names without case, '
               'accents and punctuation, and treats an alias as its canonical name.',
    'flow': 'exports | imports | balance (exports - imports, however labelled: Handelsbilanz, Balance of '
            'merchandise trade, Bilance, Sold FOB/CIF, Handelsbalanse, Trade balance, net trade XTNTVA01, '
            'MIO_BAL_VAL, Solde commercial) | surplus | deficit | total (exports + imports: Total trade) | '
            're_exports (Re-exports) | re_imports.',
    'measure': 'level (an amount of money) | growth (percent change against base_period) | share (a region\'s '
               'level as a percent of its country\'s level for the same flow, partner and period). A partner\'s '
               'share of a country\'s trade, a coverage ratio, an index (previous year = 100) and a change in '
               'value are none of these and are not in the key.',
    'period': 'YYYY, YYYYQn, YYYYSn (half year), YYYY-MM, or YYYY-MM/YYYY-MM for a cumulative range or a '
              'financial year (tammi–kesäkuu 2024 = 2024-01/2024-06; 1.–3. čtvrtletí 2024 = 2024-01/2024-09; '
              'Fin juin 2024 = 2024-01/2024-06; 1.I-30.VI.2024 = 2024-01/2024-06; FY2022-23 in Australia = '
              '2022-07/2023-06). A quarterly date cell "Mar-2022" in an ABS time series is 2022Q1.',
    'base_period': 'for a growth rate, the period it compares with (the column or row before it, the same period '
                   'a year earlier, shown or not); "" for other measures.',
    'flag': 'status or footnote mark attached to the figure or to its row or column heading (*, p, E, P); "" when '
            'none. Not scored.',
    'product': 'Total, or the product group of the figure (SITC groups, end-use groups); where a case sets '
               'products_complete the product lines add up to Total. Not scored.',
    'missing': 'cells holding a missing, suppressed or not-meaningful mark ("x", "np", "s", "///", "..", "-", '
               '"na", "n.a.", ":"), or an empty value whose status column says ":" (text ""): a tool must not read '
               'a number there.',
    'partner_sums': 'partner aggregates that the table makes add up (the first equals the sum of the others), '
                    'for information.',
    'planted': 'null for a clean case; else the one wrong figure: file, sheet, cell, the rule that exposes it '
               '(balance, growth_consistency, sum_of_parts, ...), rules (every rule it breaks), true_value (what '
               'the cell should read, in the table\'s unit), true_text, published (what it shows) and slip.',
    'expected_exit': '0 clean, 1 planted error (error-severity findings), 3 unreadable input.',
}

# the kind of publication each case imitates (layout only: titles, notes and figures are this file's own)
MODELLED_ON = {
    'r01': 'Land Tirol (Landesstatistik Tirol) tables on Statistik Austria foreign-trade data',
    'r02': "Queensland Government Statistician's Office overseas trade summaries (ABS data)",
    'r03': 'INDEC (Argentina) "Origen provincial de las exportaciones" tables',
    'r04': 'Finnish Customs (Tulli) regional foreign-trade statistics, Finnish',
    'r05': 'Czech Statistical Office (CZSO) regional foreign-trade tables, Czech',
    'r06': 'DANE (Colombia) foreign-trade bulletin annex tables by department',
    'p01': 'Hungarian Central Statistical Office (KSH) STADAT tables, English',
    'p02': 'TurkStat foreign-trade statistics bulletin annex tables, English',
    'p03': 'Office des Changes (Morocco) monthly foreign-trade indicators, French',
    'p04': 'Kenya National Bureau of Statistics (KNBS) Economic Survey trade tables',
    'p05': 'Hong Kong Census and Statistics Department (C&SD) merchandise trade tables',
    'p06': 'SingStat Table Builder CSV downloads (Department of Statistics Singapore / Enterprise Singapore)',
    'p07': 'ITC Trade Map text exports as circulated by trade-promotion agencies',
    't01': 'Australian Bureau of Statistics (ABS) time-series spreadsheets',
    't02': 'Korea Customs Service trade statistics tables, English',
    't03': 'Romanian National Institute of Statistics (INS) foreign-trade tables, Romanian',
    'l01': 'WTO Stats timeseries bulk CSV downloads',
    'l02': 'OECD.Stat (legacy) CSV exports, Monthly International Merchandise Trade',
    'l03': 'Eurostat data browser SDMX-CSV 2.0 downloads with labels',
    'l04': 'Statistics Denmark StatBank API CSV',
    'l05': 'Statistics Norway (SSB) API JSON-stat 2.0 datasets flattened to CSV',
    'x01': 'Swiss Federal Office for Customs and Border Security (BAZG) cantonal foreign-trade tables, trilingual',
    'x02': 'Central Bank of Kenya foreign trade summary downloads',
    'e01': 'Office des Changes (Morocco) trade by end-use group, French',
    'e02': 'Hungarian Central Statistical Office (KSH) monthly tables, English',
    'e03': 'Romanian National Institute of Statistics (INS) press-release tables',
    'b01': 'none (a password-protected workbook)',
    'b02': 'none (an API response saved under the wrong name)',
}

# canonical name -> variants a tool may give for it (ISO 3166-1 names and alpha-2/alpha-3 codes, ISO 3166-2
# codes and official local names of regions, agency spellings); names are compared without case, accents and
# punctuation, so "Neuquen" and "Neuquén" need no entry
ALIASES = {
    'World': ['W00', 'W0', 'W1', 'WLD', '000', 'World total', 'All countries', 'Total all countries', 'All partners',
              'Total', 'All countries/territories', 'Total All Markets', 'Alle lande', 'Alle land',
              'Total / Total / Totale', 'All markets', 'All sources'],
    'EU27': ['EU', 'EU27_2020', 'EU 27', 'EU-27', 'European Union', 'European Union (27)', 'EU-27 countries',
             'EU countries', 'EU / UE / UE', 'UE'],
    'Extra-EU': ['EXT_EU27_2020', 'Extra-EU27', 'Extra-EU27 (from 2020)', 'Extra EU 27', 'Non-EU',
                 'Non-EU countries', 'Outside the EU', 'Third countries'],
    'Rest of the world': ['Rest of world', 'Other countries', 'Others', 'Autres pays'],
    'Africa': ['AFR', 'Total Africa', 'Afrique'],
    'Americas': ['America', 'Total America', 'Amérique'],
    'Asia': ['Total Asia', 'Asie'],
    'Europe': ['Total Europe'],
    'Oceania': ['Australia and Oceania', 'Océanie'],
    'Australia': ['AU', 'AUS', 'Commonwealth of Australia'],
    'Austria': ['AT', 'AUT', 'Österreich'],
    'Argentina': ['AR', 'ARG', 'Total del país', 'República Argentina'],
    'Brazil': ['BR', 'BRA', 'Brésil'],
    'Cambodia': ['KH', 'KHM'],
    'Canada': ['CA', 'CAN'],
    'China': ["China (People's Republic of)", "People's Republic of China", 'CN', 'CHN', 'Chinese mainland',
              'Mainland China', 'Chine', 'Kina', 'China, P.R.: Mainland'],
    'Colombia': ['CO', 'COL'],
    'Czechia': ['Czech Republic', 'CZ', 'CZE', 'Česká republika'],
    'Denmark': ['DK', 'DNK', 'Danmark'],
    'DR Congo': ['Democratic Republic of the Congo', 'Congo, Democratic Republic of the', 'Congo, Dem. Rep.',
                 'Congo, The Democratic Republic of the', 'Democratic Republic of Congo', 'Congo - Kinshasa',
                 'Congo (Kinshasa)', 'CD', 'COD'],
    'Egypt': ['EG', 'EGY', 'Egypt, Arab Rep.'],
    'Finland': ['FI', 'FIN', 'Suomi', 'Koko maa', 'Whole country'],
    'France': ['FR', 'FRA'],
    'Germany': ['DE', 'DEU', 'Deutschland', 'Allemagne', 'Tyskland', 'Germania', 'Deutschland / Allemagne / Germania'],
    'Greece': ['EL', 'GR', 'GRC', 'Hellas'],
    'Hong Kong': ['Hong Kong, China', 'Hong Kong SAR', 'China, Hong Kong SAR', 'HK', 'HKG'],
    'Hungary': ['HU', 'HUN', 'Magyarország'],
    'India': ['IN', 'IND', 'Inde'],
    'Indonesia': ['ID', 'IDN'],
    'Iraq': ['IQ', 'IRQ'],
    'Italy': ['IT', 'ITA', 'Italie', 'Italia', 'Italien', 'Italien / Italie / Italia'],
    'Japan': ['JP', 'JPN'],
    'Kenya': ['KE', 'KEN'],
    'Kuwait': ['KW', 'KWT'],
    'Malaysia': ['MY', 'MYS'],
    'Morocco': ['MA', 'MAR', 'Maroc'],
    'Netherlands': ['Netherlands, Kingdom of the', 'The Netherlands', 'NL', 'NLD', 'Pays-Bas', 'Nederland'],
    'Norway': ['NO', 'NOR', 'Norge'],
    'Pakistan': ['PK', 'PAK'],
    'Poland': ['PL', 'POL', 'Polen'],
    'Romania': ['RO', 'ROU', 'România'],
    'Russia': ['Russian Federation', 'RU', 'RUS', 'Russie'],
    'Rwanda': ['RW', 'RWA'],
    'Saudi Arabia': ['SA', 'SAU', 'Arabie saoudite'],
    'Serbia': ['RS', 'SRB'],
    'Singapore': ['SG', 'SGP'],
    'Slovakia': ['Slovak Republic', 'SK', 'SVK'],
    'Somalia': ['SO', 'SOM'],
    'South Africa': ['ZA', 'ZAF'],
    'South Korea': ['Korea, Republic of', 'Republic of Korea', 'Republic Of Korea', 'Korea', 'Korea, Rep.', 'KR',
                    'KOR'],
    'South Sudan': ['SS', 'SSD'],
    'Spain': ['ES', 'ESP', 'Espagne'],
    'Sweden': ['SE', 'SWE', 'Sverige'],
    'Switzerland': ['CH', 'CHE', 'Schweiz', 'Suisse', 'Svizzera'],
    'Taiwan': ['Taipei, Chinese', 'Chinese Taipei', 'Taiwan, China', 'Separate Customs Territory of Taiwan, '
               'Penghu, Kinmen and Matsu', 'TW', 'TWN'],
    'Tanzania': ['Tanzania, United Republic of', 'United Republic of Tanzania', 'TZ', 'TZA'],
    'Thailand': ['TH', 'THA'],
    'Türkiye': ['Turkey', 'Republic of Türkiye', 'TR', 'TUR', 'Turquie'],
    'Uganda': ['UG', 'UGA'],
    'Ukraine': ['UA', 'UKR'],
    'United Arab Emirates': ['UAE', 'AE', 'ARE'],
    'United Kingdom': ['United Kingdom of Great Britain and Northern Ireland', 'UK', 'GB', 'GBR', 'Royaume-Uni',
                       'Storbritannien', 'Storbritannia', 'Vereinigtes Königreich',
                       'Vereinigtes Königreich / Royaume-Uni / Regno Unito'],
    'United States': ['United States of America', 'US', 'USA', 'U.S.', 'U.S.A.', 'États-Unis',
                      'Vereinigte Staaten', 'Vereinigte Staaten / États-Unis / Stati Uniti'],
    'Vietnam': ['Viet Nam', 'VN', 'VNM'],
    # regions
    'Tyrol': ['Tirol', 'Land Tirol', 'AT-7'],
    'Vorarlberg': ['AT-8'],
    'Queensland': ['QLD', 'Qld', 'AU-QLD'],
    'Western Australia': ['WA', 'AU-WA'],
    'Buenos Aires Province': ['Buenos Aires', 'Provincia de Buenos Aires', 'AR-B'],
    'Autonomous City of Buenos Aires': ['Ciudad Autónoma de Buenos Aires', 'CABA', 'Buenos Aires City', 'AR-C'],
    'Santa Fe': ['AR-S'],
    'Córdoba': ['AR-X'],
    'Chubut': ['AR-U'],
    'Neuquén': ['AR-Q'],
    'Mendoza': ['AR-M'],
    'Santa Cruz': ['AR-Z'],
    'Tierra del Fuego': ['Tierra del Fuego, Antártida e Islas del Atlántico Sur', 'AR-V'],
    'Uusimaa': ['Nyland', 'FI-18'],
    'Southwest Finland': ['Varsinais-Suomi', 'Egentliga Finland', 'Finland Proper', 'FI-19'],
    'Satakunta': ['FI-17'],
    'Pirkanmaa': ['Birkaland', 'FI-11'],
    'Ostrobothnia': ['Pohjanmaa', 'Österbotten', 'FI-12'],
    'Lapland': ['Lappi', 'Lappland', 'FI-10'],
    'Prague': ['Hlavní město Praha', 'Praha', 'Capital City of Prague', 'CZ-10'],
    'Central Bohemian Region': ['Středočeský kraj', 'Central Bohemia', 'CZ-20'],
    'South Moravian Region': ['Jihomoravský kraj', 'South Moravia', 'CZ-64'],
    'Moravian-Silesian Region': ['Moravskoslezský kraj', 'Moravia-Silesia', 'CZ-80'],
    'Zlín Region': ['Zlínský kraj', 'CZ-72'],
    'Zurich': ['Zürich', 'Kanton Zürich', 'Zurigo', 'CH-ZH'],
    'Bern': ['Berne', 'Bern / Berne', 'Berna', 'CH-BE'],
    'Basel-Stadt': ['Basel-City', 'Bâle-Ville', 'Basilea Città', 'CH-BS'],
    'Basel-Landschaft': ['Basel-Country', 'Bâle-Campagne', 'Basilea Campagna', 'CH-BL'],
    'Aargau': ['Argovie', 'Argovia', 'CH-AG'],
    'Zug': ['Zoug', 'Zugo', 'CH-ZG'],
    'Geneva': ['Genève', 'Genf', 'Ginevra', 'CH-GE'],
    'Vaud': ['Waadt', 'CH-VD'],
    'Neuchâtel': ['Neuenburg', 'CH-NE'],
    'Ticino': ['Tessin', 'CH-TI'],
    'Antioquia': ['CO-ANT'],
    'Bogotá': ['Bogotá, D.C.', 'Bogotá D.C.', 'Bogotá Capital District', 'Distrito Capital de Bogotá', 'CO-DC'],
    'Valle del Cauca': ['CO-VAC'],
    'Cundinamarca': ['CO-CUN'],
    'Atlántico': ['CO-ATL'],
    'Bolívar': ['CO-BOL'],
}


def fold(s):
    """A name without case, accents and punctuation (as scorers compare)."""
    s = unicodedata.normalize('NFKD', str(s)).encode('ascii', 'ignore').decode().lower()
    return ' '.join(re.sub(r'[^a-z0-9]+', ' ', s).split())


def used_aliases():
    """The aliases of the names the key uses; every such name has an entry,
    and no variant stands for two names."""
    used = set()
    for cs in CASES:
        for f in cs.figs:
            used.update(x for x in (f['reporter'], f['reporter_parent'], f['partner']) if x)
    missing = sorted(used - set(ALIASES))
    if missing:
        sys.exit(f'gen.py: names without an ALIASES entry: {missing}')
    seen = {}
    for canon in sorted(used):
        for v in [canon] + ALIASES[canon]:
            k = fold(v)
            if seen.get(k, canon) != canon:
                sys.exit(f'gen.py: alias {v!r} stands for {seen[k]!r} and {canon!r}')
            seen[k] = canon
    return {canon: ALIASES[canon] for canon in sorted(used)}


def key_json():
    cases = []
    for cs in CASES:
        figs = []
        for f in cs.figs:
            g = {k: f[k] for k in ('file', 'sheet', 'cell', 'reporter', 'reporter_parent', 'partner', 'flow',
                                   'measure', 'period', 'base_period')}
            g['value'] = int(f['value']) if f['decimals'] == 0 else f['value']
            g['text'] = f['text']
            g['decimals'] = f['decimals']
            sc = f['scale']
            g['scale'] = int(sc) if float(sc).is_integer() else sc
            g['unit'] = f['unit']
            g['flag'] = f['flag']
            g['product'] = f['product']
            figs.append(g)
        planted = None
        if cs.planted:
            p = cs.planted
            planted = {k: p[k] for k in ('file', 'sheet', 'cell', 'rule', 'rules', 'true_value', 'true_text',
                                         'published', 'slip')}
        cases.append(dict(case=cs.cid, group=cs.group, models=MODELLED_ON[cs.cid[:3]] + ' - ' + cs.models,
                          writer=cs.writer, tests=cs.tests, files=['cases/' + o.name for o in cs.outputs],
                          expected_exit=cs.expected_exit, planted=planted, products_complete=cs.products_complete,
                          partner_sums=[[t, p] for t, p in cs.partner_sums],
                          missing=[{k: m[k] for k in ('file', 'sheet', 'cell', 'text')} for m in cs.missing],
                          n_figures=len(figs), figures=figs))
    return {
        'version': 1,
        'description': 'Held-out synthetic trade-statistics tables in the styles of statistics offices, customs '
                       'administrations, central banks, trade-promotion agencies and data portals that neither '
                       'the shared corpus nor testdata/world imitates, for measuring how tradeetl generalises. '
                       'Each case imitates the layout of a kind of publication (see "models"); the figures are '
                       'invented but consistent within their published rounding, except for one planted error in '
                       'each case of group "planted". Written by testdata/heldout/gen.py.',
        'conventions': CONVENTIONS,
        'aliases': used_aliases(),
        'cases': cases,
    }


def dump_key(key):
    """answers.json with one figure per line, so that it reads and diffs well."""
    def one(x):
        return json.dumps(x, ensure_ascii=False, separators=(', ', ': '))
    out = ['{']
    for k in ('version', 'description', 'conventions'):
        out.append(f'"{k}": ' + json.dumps(key[k], ensure_ascii=False, indent=1) + ',')
    out.append('"aliases": {')
    items = list(key['aliases'].items())
    out.append(',\n'.join(f' {one(k)}: {one(v)}' for k, v in items))
    out.append('},')
    out.append('"cases": [')
    for i, cs in enumerate(key['cases']):
        head = {k: v for k, v in cs.items() if k not in ('figures', 'missing')}
        out.append('{' + one(head)[1:-1] + ',')
        out.append(' "missing": [' + ', '.join(one(m) for m in cs['missing']) + '],')
        out.append(' "figures": [')
        out.append(',\n'.join('  ' + one(f) for f in cs['figures']))
        out.append(' ]}' + (',' if i < len(key['cases']) - 1 else ''))
    out.append(']}')
    text = '\n'.join(out) + '\n'
    if json.loads(text) != key:
        sys.exit('answers.json does not read back as written')
    return text


WRITER_NAMES = {
    'openpyxl': 'openpyxl (python3-openpyxl)',
    'xlsxwriter': 'XlsxWriter (python3-xlsxwriter)',
    'soffice': 'LibreOffice Calc, headless conversion of a flat ODF spreadsheet (.fods) to xlsx',
    'ssconvert': 'Gnumeric ssconvert (xlsx2 exporter) from a workbook written by openpyxl',
    'csv': 'plain CSV',
    'tsv': 'plain TSV',
    'raw': 'raw bytes',
}


def main():
    for name, fn in sorted(globals().items()):
        if re.fullmatch(r'[rptlxeb]\d\d', name) and callable(fn):
            fn()
    order = {g: i for i, g in enumerate(['report', 'partner', 'transposed', 'long', 'mixed', 'planted',
                                         'unreadable'])}
    CASES.sort(key=lambda c: (order[c.group], c.cid))
    ids = [c.cid for c in CASES]
    if len(set(ids)) != len(ids):
        sys.exit('duplicate case ids')
    names = [o.name for c in CASES for o in c.outputs]
    if len(set(names)) != len(names):
        sys.exit('duplicate file names')
    for cs in CASES:
        if cs.planted:
            cs.planted['rules'] = check_case(cs)
        else:
            check_case(cs)
        cs.writer = WRITER_NAMES.get(cs.writer, cs.writer)
    tmp = tempfile.mkdtemp(prefix='tradeetl-heldout-gen-')
    try:
        write_all(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for cs in CASES:
        if cs.expected_exit != 3:
            verify_files(cs)
    with open(os.path.join(HERE, 'answers.json'), 'w', encoding='utf-8') as fh:
        fh.write(dump_key(key_json()))
    size = sum(os.path.getsize(os.path.join(CASES_DIR, f)) for f in os.listdir(CASES_DIR))
    print(f'{len(CASES)} cases, {sum(len(c.figs) for c in CASES)} figures, {len(os.listdir(CASES_DIR))} files, '
          f'{size / 1024:.0f} KiB in cases/')


if __name__ == '__main__':
    main()

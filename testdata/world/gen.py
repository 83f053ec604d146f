#!/usr/bin/python3
"""Writes the world trade-table fixtures of tradeetl: cases/ and answers.json.

Usage: /usr/bin/python3 testdata/world/gen.py   (from any folder; writes next to this file)

Needs the Debian packages python3-openpyxl, python3-xlsxwriter,
libreoffice-calc-nogui (soffice) and gnumeric (ssconvert); nothing from PyPI
and no network. Intermediate files go to a temporary folder under /tmp.

These fixtures complement the shared corpus (../shared/corpus/trade): other
countries, other publications' layouts, other wordings. The key has the shared
corpus's format (see README.md there and CONVENTIONS below) with two
additions: the flows re_exports and re_imports, and a top-level "aliases"
object (canonical name -> accepted variants) that a scorer uses when it
compares a tool's names with the key's.

Every table is synthetic: its layout follows the kind of publication named in
the case's "models" field; titles, notes and figures are this file's own.
Base figures (exports, imports, re-exports) are chosen by hand or drawn from
seeded random generators; every derived figure (balance, total trade, share,
growth, aggregate, product total) is computed from the unrounded base figures
and rounded as the table publishes it. Before the key is written, the
generator

  1. checks every case with its own interval arithmetic (balance, deficit,
     total trade, re-exports within exports, shares and their range, growth
     rates, region within country, product lines and declared partner
     aggregates adding up): in a clean case every check passes with room to
     spare (the intervals overlap by more than a hundredth of the narrower
     one); a planted case fails, only through its planted cell, and passes
     again with the true value put back;
  2. opens every written file again (openpyxl for workbooks, a plain reader
     for CSV/TSV) and checks that each key cell holds the key's value (and
     that a numeric cell's number format shows the key's text), and that
     each missing mark is where the key says.

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
    English locale: General, 0, 0.0, #,##0, #,##0.0 with an optional
    negative section (#,##0.0) or -#,##0.0."""
    if fmt is None or fmt == 'General':
        if float(v).is_integer():
            return str(int(v))
        return '%.10g' % v
    secs = fmt.split(';')
    pos = secs[0]
    d = len(re.sub(r'[^0#]', '', pos.split('.', 1)[1])) if '.' in pos else 0
    grp = ',' in pos
    body = f'{abs(v):,.{d}f}' if grp else f'{abs(v):.{d}f}'
    if v < 0:
        if len(secs) > 1 and '(' in secs[1]:
            return f'({body})'
        return '-' + body
    return body


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
                   period='', base_period='', unit='', scale=1, product='Total', flag='')
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
        shown with fmt; store='text' writes numtext(**style) + suffix."""
        r, c = self.rc(ref)
        value = rnd(true, dec)
        if store == 'num':
            self.cells[(r, c)] = Cell(int(value) if dec == 0 else value, fmt)
            text = excel_text(value, fmt)
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

    def publish(self, ref, value, text=None):
        """Overwrites the figure at ref with a published (wrong) value: the
        slip of a planted case."""
        r, c = self.rc(ref)
        f = next(f for f in self.book.case.figs
                 if (f['file'], f['sheet'], f['cell']) == (self.book.name, self.name, ref_of(r, c)))
        cell = self.cells[(r, c)]
        f['value'] = value
        if f['store'] == 'num':
            cell.value = int(value) if f['decimals'] == 0 else value
            f['text'] = excel_text(value, cell.fmt)
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
    wb.properties.creator = 'tradeetl world fixtures'
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)


def write_xlsxwriter(book, path):
    wb = xlsxwriter.Workbook(path, {'strings_to_numbers': False, 'strings_to_formulas': False,
                                    'strings_to_urls': False})
    wb.set_properties({'author': 'tradeetl world fixtures', 'created': FIXED_TIME})
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
            if f['store'] == 'num':
                if not isinstance(x.value, (int, float)) or isinstance(x.value, bool) \
                        or abs(x.value - f['value']) > 1e-9 * max(1.0, abs(f['value'])):
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
    c = new_case('r01_cataluna_francia_miles', 'report',
                 'Spanish regional foreign-trade table (Catalonia beside Spain, trade with France) in thousands of '
                 'euro: a whole year, then the first half-years of two years with the year-on-year change; section '
                 'rows name the flow, row labels the territory; a coverage-ratio block that is none of the key\'s '
                 'measures',
                 'openpyxl',
                 ['reporter Spain and region Catalonia (Cataluña)', 'Spanish labels (Exportaciones, Importaciones, '
                  'Saldo, Cuota)', 'unit "Miles de euros" (scale 1000, integers)', 'cumulative periods "ene-jun '
                  '2023" / "ene-jun 2024" after an annual column', 'growth vs the same period a year earlier',
                  'provisional mark (p) on a column heading', 'missing mark "-" in the growth of balances',
                  'a "Tasa de cobertura (%)" block (exports / imports x 100): numbers that are not in the key'])
    b = c.book('r01_cataluna_francia_miles.xlsx', 'openpyxl')
    s = b.sheet('Francia')
    Y, H23, H24 = '2023', '2023-01/2023-06', '2024-01/2024-06'
    ES_X = {Y: 53412118.4, H23: 27518406.2, H24: 28104771.9}
    CT_X = {Y: 14203917.3, H23: 7312408.4, H24: 7090112.7}
    ES_M = {Y: 41806224.1, H23: 21702115.3, H24: 20918336.6}
    CT_M = {Y: 13517006.2, H23: 6894221.4, H24: 6712849.8}
    s.t('A1', 'Comercio exterior de Cataluña con Francia', bold=True)
    s.t('A2', 'España y Cataluña. Año 2023 y primer semestre de 2023 y 2024')
    s.t('A3', 'Miles de euros')
    s.n('B5', 2023, bold=True)
    s.t('C5', 'ene-jun 2023', bold=True, align='right')
    s.t('D5', 'ene-jun 2024 (p)', bold=True, align='right')
    s.t('E5', 'Var. % 24/23', bold=True, align='right')
    cols = {Y: 2, H23: 3, H24: 4}
    gcol = {H24: (5, H23)}
    flags = {H24: '(p)'}
    L = Lab(partner='France', unit='EUR', scale=1e3)
    es, ct = L(reporter='Spain'), L(reporter='Catalonia', parent='Spain')
    F0, P1 = '#,##0', '0.0'
    r = 6
    for title, flow, A, B in (('Exportaciones', 'exports', ES_X, CT_X), ('Importaciones', 'imports', ES_M, CT_M)):
        s.t((r, 1), title, bold=True)
        s.t((r + 1, 1), 'España')
        lv(s, r + 1, cols, A, 0, F0, es(flow=flow), flags)
        gr(s, r + 1, gcol, A, 1, P1, es(flow=flow))
        s.t((r + 2, 1), 'Cataluña')
        lv(s, r + 2, cols, B, 0, F0, ct(flow=flow), flags)
        gr(s, r + 2, gcol, B, 1, P1, ct(flow=flow))
        s.t((r + 3, 1), 'Cuota de Cataluña (%)')
        shr(s, r + 3, cols, B, A, 1, P1, ct(flow=flow))
        r += 4
    s.t((r, 1), 'Saldo', bold=True)
    for i, (name, lab, X, M) in enumerate((('España', es, ES_X, ES_M), ('Cataluña', ct, CT_X, CT_M))):
        s.t((r + 1 + i, 1), name)
        lv(s, r + 1 + i, cols, sub(X, M), 0, F0, lab(flow='balance'), flags)
        s.miss((r + 1 + i, 5), '-')
    r += 4
    s.t((r, 1), 'Tasa de cobertura (%)', bold=True)
    for i, (name, X, M) in enumerate((('España', ES_X, ES_M), ('Cataluña', CT_X, CT_M))):
        s.t((r + 1 + i, 1), name)
        for p, col in cols.items():
            s.n((r + 1 + i, col), rnd(X[p] / M[p] * 100, 1), P1)
    s.t((r + 4, 1), '(p) Datos provisionales. Tasa de cobertura: exportaciones / importaciones x 100.')
    s.t((r + 5, 1), 'Fuente: elaboración propia sobre datos de comercio exterior.')
    s.width('A', 26)
    for col in 'BCDE':
        s.width(col, 14)


def r02():
    c = new_case('r02_auvergne_rhone_alpes_allemagne', 'report',
                 'French regional customs table (Auvergne-Rhône-Alpes beside France, trade with Germany) by '
                 'quarter: territory in section rows, flows in the row labels, figures typed as text in French '
                 'typography',
                 'soffice',
                 ['reporter France and region Auvergne-Rhône-Alpes', 'French labels (Exportations, Importations, '
                  'Solde, Part dans les ... (%))', 'quarters written "T1 2023"', 'growth of T1 2024 vs T1 2023 (the '
                  'same quarter a year earlier, four columns back)', 'numbers stored as text with a no-break space '
                  '(U+00A0) thousands separator, decimal comma and a Unicode minus (−1 234,5)',
                  'reporter from a section row, flow from the row label', 'footnote mark (a) on a heading',
                  'unit "en millions d\'euros"'])
    b = c.book('r02_auvergne_rhone_alpes_allemagne.xlsx', 'soffice')
    s = b.sheet('Allemagne')
    qs = ['2023Q1', '2023Q2', '2023Q3', '2023Q4', '2024Q1']
    FR_X = dict(zip(qs, [18412.63, 18006.28, 16803.94, 17511.17, 18109.72]))
    FR_M = dict(zip(qs, [22806.41, 22512.83, 20907.26, 21904.58, 21318.19]))
    RA_X = dict(zip(qs, [2718.37, 2650.91, 2411.74, 2588.26, 2604.12]))
    RA_M = dict(zip(qs, [2914.62, 2873.18, 2601.83, 2790.44, 2718.87]))
    s.t('A1', "Échanges de la région Auvergne-Rhône-Alpes avec l'Allemagne", bold=True)
    s.t('A2', 'France et Auvergne-Rhône-Alpes, données trimestrielles brutes')
    s.t('A3', "en millions d'euros")
    heads = ['T1 2023', 'T2 2023', 'T3 2023', 'T4 2023', 'T1 2024 (a)', 'Évolution T1 2024 / T1 2023 (%)']
    for i, h in enumerate(heads):
        s.t((5, 2 + i), h, bold=True, wrap=True, align='right')
    cols = {q: 2 + i for i, q in enumerate(qs)}
    gcol = {'2024Q1': (7, '2023Q1')}
    flags = {'2024Q1': '(a)'}
    st = dict(thou=NBSP, dec=',', neg=MINUS)
    L = Lab(partner='Germany', unit='EUR', scale=1e6)
    fr, ra = L(reporter='France'), L(reporter='Auvergne-Rhône-Alpes', parent='France')
    s.t('A6', 'France', bold=True)
    for i, (label, flow, ser) in enumerate((('Exportations', 'exports', FR_X), ('Importations', 'imports', FR_M),
                                            ('Solde', 'balance', sub(FR_X, FR_M)))):
        s.t((7 + i, 1), label)
        lv(s, 7 + i, cols, ser, 1, None, fr(flow=flow), flags, store='text', style=st)
        if flow != 'balance':
            gr(s, 7 + i, gcol, ser, 1, None, fr(flow=flow), store='text', style=st)
    s.t('A10', 'Auvergne-Rhône-Alpes', bold=True)
    for i, (label, flow, ser) in enumerate((('Exportations', 'exports', RA_X), ('Importations', 'imports', RA_M),
                                            ('Solde', 'balance', sub(RA_X, RA_M)))):
        s.t((11 + i, 1), label)
        lv(s, 11 + i, cols, ser, 1, None, ra(flow=flow), flags, store='text', style=st)
        if flow != 'balance':
            gr(s, 11 + i, gcol, ser, 1, None, ra(flow=flow), store='text', style=st)
    s.t('A14', 'Part dans les exportations de la France (%)')
    shr(s, 14, cols, RA_X, FR_X, 1, None, ra(flow='exports'), store='text', style=st)
    s.t('A15', 'Part dans les importations de la France (%)')
    shr(s, 15, cols, RA_M, FR_M, 1, None, ra(flow='imports'), store='text', style=st)
    s.t('A17', '(a) Données provisoires.')
    s.t('A18', 'Champ : commerce de marchandises, données brutes, valeurs CAF-FAB.')
    s.width('A', 42)


def r03():
    c = new_case('r03_bayern_usa_monate', 'report',
                 'German state statistics office table (Bavaria beside Germany, trade with the United States): '
                 'months of 2024 in thousand euro with the half-year total and its change on the same period of '
                 'the year before (not shown), and a second sheet of years in billion euro',
                 'xlsxwriter',
                 ['reporter Germany and region Bavaria (Bayern)', 'German labels (Ausfuhr, Einfuhr, '
                  'Außenhandelssaldo, Anteil)', 'months written "Januar 2024"', 'cumulative "Januar–Juni 2024" '
                  '(en dash)', 'growth vs the same period a year earlier, whose level is not in the table',
                  'unit "in 1 000 Euro" (scale 1000) on the first sheet, "Mrd. EUR" (scale 1e9) on the second',
                  'footnote mark 1) after a row label ("Bayern 1)")', 'missing mark "x" (no meaningful figure)',
                  'two sheets; growth vs the column before it on the second'])
    b = c.book('r03_bayern_usa_monate.xlsx', 'xlsxwriter')
    s = b.sheet('Monate 2024')
    rng = random.Random(103)
    keys = months(2023, 1, 18)
    DE_X = monthly(rng, keys, 13100000, noise=0.04)
    BY_X = monthly(rng, keys, 2350000, noise=0.05)
    DE_M = monthly(rng, keys, 7600000, noise=0.04)
    BY_M = monthly(rng, keys, 1420000, noise=0.05)
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    for ser in (DE_X, BY_X, DE_M, BY_M):
        ser[H23], ser[H24] = cum(ser, keys[:6]), cum(ser, keys[12:])
    s.t('A1', 'Außenhandel Bayerns mit den Vereinigten Staaten', bold=True)
    s.t('A2', 'Deutschland und Bayern, Januar bis Juni 2024')
    s.t('A3', 'in 1 000 Euro')
    s.t('A5', 'Merkmal', bold=True)
    shown = keys[12:]
    for i, k in enumerate(shown):
        s.t((5, 2 + i), f'{MONTHS["de"][i]} 2024', bold=True, align='right')
    s.t('H5', 'Januar–Juni 2024', bold=True, align='right', wrap=True)
    s.t('I5', 'Veränderung gegenüber dem Vorjahreszeitraum in %', bold=True, wrap=True)
    cols = {k: 2 + i for i, k in enumerate(shown)}
    cols[H24] = 8
    gcol = {H24: (9, H23)}
    L = Lab(partner='United States', unit='EUR', scale=1e3)
    de, by = L(reporter='Germany'), L(reporter='Bavaria', parent='Germany', flag='1)')
    F0, P1 = '#,##0', '0.0'
    r = 6
    for title, flow, A, B in (('Ausfuhr', 'exports', DE_X, BY_X), ('Einfuhr', 'imports', DE_M, BY_M)):
        s.t((r, 1), title, bold=True)
        s.t((r + 1, 1), 'Deutschland')
        lv(s, r + 1, cols, A, 0, F0, de(flow=flow))
        gr(s, r + 1, gcol, A, 1, P1, de(flow=flow))
        s.t((r + 2, 1), 'Bayern 1)')
        lv(s, r + 2, cols, B, 0, F0, by(flow=flow))
        gr(s, r + 2, gcol, B, 1, P1, by(flow=flow))
        s.t((r + 3, 1), 'Anteil Bayerns in %')
        shr(s, r + 3, cols, B, A, 1, P1, by(flow=flow))
        s.miss((r + 3, 9), 'x')
        r += 4
    s.t((r, 1), 'Außenhandelssaldo', bold=True)
    for i, (name, lab, X, M) in enumerate((('Deutschland', de, DE_X, DE_M), ('Bayern 1)', by, BY_X, BY_M))):
        s.t((r + 1 + i, 1), name)
        lv(s, r + 1 + i, cols, sub(X, M), 0, F0, lab(flow='balance'))
        s.miss((r + 1 + i, 9), 'x')
    s.t((r + 4, 1), '1) Ausfuhr nach dem Bundesland des Herstellers, Einfuhr nach dem Bundesland des Empfängers; '
                    'vorläufige Ergebnisse.')
    s.t((r + 5, 1), 'x = Nachweis nicht sinnvoll.')
    s.width('A', 24)
    # second sheet: years in billion euro, growth vs the column before
    s = b.sheet('Jahre')
    ys = ['2021', '2022', '2023']
    DE_Xy = dict(zip(ys, [122.0841, 156.2267, 157.8913]))
    BY_Xy = dict(zip(ys, [22.6218, 27.8164, 28.3092]))
    DE_My = dict(zip(ys, [72.0362, 91.5718, 94.6934]))
    BY_My = dict(zip(ys, [14.1127, 18.2246, 17.5819]))
    s.t('A1', 'Außenhandel Deutschlands und Bayerns mit den Vereinigten Staaten 2021 bis 2023', bold=True)
    s.t('A2', 'Mrd. EUR')
    for i, y in enumerate(ys):
        s.n((4, 2 + i), int(y), bold=True)
    s.t('E4', 'Veränderung gegenüber Vorjahr in %', bold=True, wrap=True)
    cols = {y: 2 + i for i, y in enumerate(ys)}
    L = Lab(partner='United States', unit='EUR', scale=1e9)
    de, by = L(reporter='Germany'), L(reporter='Bavaria', parent='Germany')
    rows = [('Ausfuhr Deutschland', de(flow='exports'), DE_Xy), ('Ausfuhr Bayern', by(flow='exports'), BY_Xy),
            ('Einfuhr Deutschland', de(flow='imports'), DE_My), ('Einfuhr Bayern', by(flow='imports'), BY_My),
            ('Saldo Deutschland', de(flow='balance'), sub(DE_Xy, DE_My)),
            ('Saldo Bayern', by(flow='balance'), sub(BY_Xy, BY_My))]
    for i, (label, lab, ser) in enumerate(rows):
        s.t((5 + i, 1), label)
        lv(s, 5 + i, cols, ser, 2, '0.00', lab)
        if lab['flow'] != 'balance':
            gr(s, 5 + i, {'2023': (5, '2022')}, ser, 1, '0.0', lab)
    s.width('A', 22)


def r04():
    c = new_case('r04_noord_brabant_kwartalen', 'report',
                 'Dutch provincial trade monitor (Noord-Brabant beside the Netherlands) on national statistics: '
                 'quarters in CBS wording, imports before exports, re-exports as an "of which" row, and a second '
                 'sheet of months and a cumulative quarter with Germany in thousand euro',
                 'ssconvert',
                 ['reporter Netherlands and region North Brabant (Noord-Brabant)', 'Dutch labels (Invoer, Uitvoer, '
                  'waarvan wederuitvoer, Handelsbalans, Aandeel)', 'quarters written "2023 1e kwartaal"',
                  're-exports (wederuitvoer) as a flow of their own, indented under exports',
                  'growth vs the same quarter a year earlier (four columns back)', 'provisional mark * on a heading',
                  'missing mark "." (figure not yet known)', 'unit "Waarde in mln euro" (sheet 1) and "x 1 000 euro" '
                  '(sheet 2)', 'second sheet: months "jan 2024" and cumulative "jan-mrt 2023" / "jan-mrt 2024" with '
                  'growth between them'])
    b = c.book('r04_noord_brabant_kwartalen.xlsx', 'ssconvert')
    s = b.sheet('Kwartalen')
    qs = ['2023Q1', '2023Q2', '2023Q3', '2023Q4', '2024Q1']
    NL_M = dict(zip(qs, [155318.4, 151906.2, 147211.7, 153608.3, 149712.9]))
    NL_X = dict(zip(qs, [172406.8, 168811.3, 163417.5, 170209.6, 167518.2]))
    NL_R = dict(zip(qs, [84112.6, 82408.9, 80216.3, 83517.2, 82714.8]))
    NB_M = dict(zip(qs, [26512.3, 25918.7, 25106.4, 26308.9, 25712.1]))
    NB_X = dict(zip(qs, [30816.2, 30104.5, 29218.8, 30512.6, 29906.3]))
    NB_R = dict(zip(qs, [11608.4, 11317.2, 10912.6, 11514.8, 11306.9]))
    s.t('A1', 'Internationale handel in goederen; Noord-Brabant en Nederland', bold=True)
    s.t('A2', 'Waarde in mln euro')
    heads = ['2023 1e kwartaal', '2023 2e kwartaal', '2023 3e kwartaal', '2023 4e kwartaal', '2024 1e kwartaal*',
             '% mutatie t.o.v. zelfde kwartaal vorig jaar']
    for i, h in enumerate(heads):
        s.t((4, 2 + i), h, bold=True, wrap=True, align='right')
    cols = {q: 2 + i for i, q in enumerate(qs)}
    gcol = {'2024Q1': (7, '2023Q1')}
    flags = {'2024Q1': '*'}
    L = Lab(partner='World', unit='EUR', scale=1e6)
    nl, nb = L(reporter='Netherlands'), L(reporter='North Brabant', parent='Netherlands')
    F0, P1 = '#,##0', '0.0'
    r = 5
    for name, lab, M, X, R in (('Nederland', nl, NL_M, NL_X, NL_R), ('Noord-Brabant', nb, NB_M, NB_X, NB_R)):
        s.t((r, 1), name, bold=True)
        for i, (label, flow, ser) in enumerate((('Invoer', 'imports', M), ('Uitvoer', 'exports', X),
                                                ('  waarvan wederuitvoer', 're_exports', R),
                                                ('Handelsbalans', 'balance', sub(X, M)))):
            rr = r + 1 + i
            s.t((rr, 1), label)
            if lab is nb and flow == 're_exports':
                lv(s, rr, {q: col for q, col in cols.items() if q != '2024Q1'}, ser, 0, F0, lab(flow=flow))
                s.miss((rr, cols['2024Q1']), '.')
                s.miss((rr, 7), '.')
                continue
            lv(s, rr, cols, ser, 0, F0, lab(flow=flow), flags)
            if flow != 'balance':
                gr(s, rr, gcol, ser, 1, P1, lab(flow=flow))
        r += 5
    s.t((r, 1), 'Aandeel in de uitvoer van Nederland (%)')
    shr(s, r, cols, NB_X, NL_X, 1, P1, nb(flow='exports'))
    s.t((r + 2, 1), '* voorlopige cijfers')
    s.t((r + 3, 1), '. = cijfer onbekend')
    s.width('A', 38)
    # second sheet: Noord-Brabant with Germany, months and a cumulative quarter, thousand euro
    s = b.sheet('Maanden')
    rng = random.Random(104)
    keys = months(2023, 1, 15)
    X = monthly(rng, keys, 2450000, noise=0.05)
    M = monthly(rng, keys, 1980000, noise=0.05)
    C23, C24 = '2023-01/2023-03', '2024-01/2024-03'
    for ser in (X, M):
        ser[C23], ser[C24] = cum(ser, keys[:3]), cum(ser, keys[12:15])
    s.t('A1', 'Handel van Noord-Brabant met Duitsland', bold=True)
    s.t('A2', 'januari tot en met maart 2024')
    s.t('A3', 'x 1 000 euro')
    heads = ['jan 2024', 'feb 2024', 'mrt 2024', 'jan-mrt 2023', 'jan-mrt 2024', 'mutatie (%)']
    for i, h in enumerate(heads):
        s.t((5, 2 + i), h, bold=True, align='right')
    cols = {k: 2 + i for i, k in enumerate(keys[12:15])}
    cols[C23], cols[C24] = 5, 6
    L = Lab(reporter='North Brabant', parent='Netherlands', partner='Germany', unit='EUR', scale=1e3)
    for i, (label, flow, ser) in enumerate((('Uitvoer', 'exports', X), ('Invoer', 'imports', M),
                                            ('Handelsbalans', 'balance', sub(X, M)))):
        s.t((6 + i, 1), label)
        lv(s, 6 + i, cols, ser, 0, F0, L(flow=flow))
        if flow != 'balance':
            gr(s, 6 + i, {C24: (7, C23)}, ser, 1, P1, L(flow=flow))
    s.width('A', 18)


def r05():
    c = new_case('r05_sao_paulo_china_mensal', 'report',
                 'Brazilian state trade summary (São Paulo beside Brazil, trade with China) on federal foreign-trade '
                 'data: months of 2024, the first half of two years and the change; flow in a merged first column, '
                 'territory in the second',
                 'openpyxl',
                 ['reporter Brazil and region São Paulo', 'Portuguese labels (Exportação, Importação, Saldo, '
                  'Corrente de comércio = total trade, Part. %)', 'months written "jan/2024"', 'cumulative '
                  '"jan-jun/2023", "jan-jun/2024", growth vs the same period a year earlier', 'flow in column A '
                  'merged down over its rows, territory in column B', 'unit "US$ milhões FOB" (USD)',
                  'negative balances of the region'])
    b = c.book('r05_sao_paulo_china_mensal.xlsx', 'openpyxl')
    s = b.sheet('SP x China')
    rng = random.Random(105)
    keys = months(2023, 1, 18)
    BR_X = monthly(rng, keys, 8100, season=0.12, noise=0.06)
    SP_X = monthly(rng, keys, 620, noise=0.07)
    BR_M = monthly(rng, keys, 4400, noise=0.05)
    SP_M = monthly(rng, keys, 2050, noise=0.05)
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    for ser in (BR_X, SP_X, BR_M, SP_M):
        ser[H23], ser[H24] = cum(ser, keys[:6]), cum(ser, keys[12:])
    s.t('A1', 'Balança comercial de São Paulo com a China', bold=True)
    s.t('A2', 'Brasil e estado de São Paulo')
    s.t('A3', 'Valores em US$ milhões FOB')
    s.t('A5', 'Fluxo', bold=True)
    s.t('B5', 'Território', bold=True)
    shown = keys[12:]
    for i, k in enumerate(shown):
        s.t((5, 3 + i), f'{MONTHS["pt3"][i]}/2024', bold=True, align='right')
    s.t('I5', 'jan-jun/2023', bold=True, align='right')
    s.t('J5', 'jan-jun/2024', bold=True, align='right')
    s.t('K5', 'Var. % 2024/2023', bold=True, align='right', wrap=True)
    cols = {k: 3 + i for i, k in enumerate(shown)}
    cols[H23], cols[H24] = 9, 10
    gcol = {H24: (11, H23)}
    L = Lab(partner='China', unit='USD', scale=1e6)
    br, sp = L(reporter='Brazil'), L(reporter='São Paulo', parent='Brazil')
    F1, P1 = '#,##0.0', '0.0'
    r = 6
    for flow, title, A, B in (('exports', 'Exportação', BR_X, SP_X), ('imports', 'Importação', BR_M, SP_M)):
        s.t((r, 1), title, bold=True, merge=(r + 2, 1))
        s.t((r, 2), 'Brasil')
        lv(s, r, cols, A, 1, F1, br(flow=flow))
        gr(s, r, gcol, A, 1, P1, br(flow=flow))
        s.t((r + 1, 2), 'São Paulo')
        lv(s, r + 1, cols, B, 1, F1, sp(flow=flow))
        gr(s, r + 1, gcol, B, 1, P1, sp(flow=flow))
        s.t((r + 2, 2), 'Part. % SP')
        shr(s, r + 2, cols, B, A, 1, P1, sp(flow=flow))
        r += 3
    for flow, title, fn in (('balance', 'Saldo', sub), ('total', 'Corrente de comércio', add)):
        s.t((r, 1), title, bold=True, merge=(r + 1, 1))
        for i, (name, lab, X, M) in enumerate((('Brasil', br, BR_X, BR_M), ('São Paulo', sp, SP_X, SP_M))):
            s.t((r + i, 2), name)
            ser = fn(X, M)
            lv(s, r + i, cols, ser, 1, F1, lab(flow=flow))
            if flow == 'total':
                gr(s, r + i, gcol, ser, 1, P1, lab(flow=flow))
        r += 2
    s.t((r + 1, 1), 'Corrente de comércio = exportação + importação. Dados de 2024 sujeitos a revisão.')
    s.width('A', 22)
    s.width('B', 12)


def r06():
    c = new_case('r06_texas_mexico_census', 'report',
                 'U.S. state trade tables on federal statistics (Texas beside the United States, trade with '
                 'Mexico): an annual table and a year-to-date table on one sheet, negative balances in parentheses, '
                 'footnotes in the U.S. style',
                 'xlsxwriter',
                 ['reporter United States and state Texas', 'two tables on one sheet, each with its own title and '
                  'unit line', 'unit "millions of dollars" (USD)', 'negative numbers shown as (12,345.6) by the '
                  'number format', 'revised mark r on a year heading ("2023 r"), footnote 1/ after a section label',
                  '"General imports" as imports', 'cumulative "Jan.-Jun. 2023" / "Jan.-Jun. 2024"',
                  'growth vs the column before (annual) and vs the same period a year earlier (YTD)',
                  'missing marks "(X)" (not applicable) and "n/a"', 'shares of a state in the country'])
    b = c.book('r06_texas_mexico_census.xlsx', 'xlsxwriter')
    s = b.sheet('Texas-Mexico')
    ys = ['2021', '2022', '2023']
    US_X = dict(zip(ys, [276491.63, 324377.84, 323226.41]))
    US_M = dict(zip(ys, [384666.82, 454930.17, 475607.26]))
    TX_X = dict(zip(ys, [111982.31, 130406.12, 128971.24]))
    TX_M = dict(zip(ys, [112705.47, 134216.73, 137103.82]))
    F1, P1 = '#,##0.0;(#,##0.0)', '0.0;(0.0)'
    s.t('A1', 'Table 1. U.S. and Texas Trade in Goods with Mexico', bold=True)
    s.t('A2', 'Annual totals, millions of dollars')
    s.t('A4', 'Item', bold=True)
    s.n('B4', 2021, bold=True)
    s.n('C4', 2022, bold=True)
    s.t('D4', '2023 r', bold=True, align='right')
    s.t('E4', 'Percent change, 2023/2022', bold=True, wrap=True)
    cols = {y: 2 + i for i, y in enumerate(ys)}
    flags = {'2023': 'r'}
    L = Lab(partner='Mexico', unit='USD', scale=1e6)
    us, tx = L(reporter='United States'), L(reporter='Texas', parent='United States', flag='1/')
    r = 5
    for name, lab, X, M in (('United States', us, US_X, US_M), ('Texas 1/', tx, TX_X, TX_M)):
        s.t((r, 1), name, bold=True)
        for i, (label, flow, ser) in enumerate((('  Exports', 'exports', X), ('  General imports', 'imports', M),
                                                ('  Trade balance', 'balance', sub(X, M)))):
            s.t((r + 1 + i, 1), label)
            lv(s, r + 1 + i, cols, ser, 1, F1, lab(flow=flow), flags)
            if flow == 'balance':
                s.miss((r + 1 + i, 5), '(X)')
            else:
                gr(s, r + 1 + i, {'2023': (5, '2022')}, ser, 1, P1, lab(flow=flow))
        r += 4
    s.t((r, 1), '  Share of U.S. exports (percent)')
    shr(s, r, cols, TX_X, US_X, 1, P1, tx(flow='exports'))
    s.t((r + 1, 1), '  Share of U.S. general imports (percent)')
    shr(s, r + 1, cols, TX_M, US_M, 1, P1, tx(flow='imports'))
    # second table: year to date
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    US_Xh = {H23: 162108.42, H24: 165833.91}
    US_Mh = {H23: 234877.23, H24: 247512.64}
    TX_Xh = {H23: 64716.83, H24: 66207.29}
    TX_Mh = {H23: 67009.41, H24: 70118.52}
    s.t('A17', 'Table 2. Year-to-date Trade in Goods with Mexico', bold=True)
    s.t('A18', 'Millions of dollars. Not seasonally adjusted.')
    s.t('A20', 'Item', bold=True)
    s.t('B20', 'Jan.-Jun. 2023', bold=True, align='right')
    s.t('C20', 'Jan.-Jun. 2024', bold=True, align='right')
    s.t('D20', 'Percent change', bold=True, align='right')
    cols = {H23: 2, H24: 3}
    rows = [('U.S. exports', us(flow='exports'), US_Xh), ('U.S. general imports', us(flow='imports'), US_Mh),
            ('Texas exports', tx(flow='exports', flag=''), TX_Xh),
            ('Texas general imports', tx(flow='imports', flag=''), TX_Mh),
            ('Texas trade balance', tx(flow='balance', flag=''), sub(TX_Xh, TX_Mh))]
    for i, (label, lab, ser) in enumerate(rows):
        s.t((21 + i, 1), label)
        lv(s, 21 + i, cols, ser, 1, F1, lab)
        if lab['flow'] == 'balance':
            s.miss((21 + i, 4), 'n/a')
        else:
            gr(s, 21 + i, {H24: (4, H23)}, ser, 1, P1, lab)
    s.t('A27', '1/ Exports by state of origin of movement; imports by state of destination.')
    s.t('A28', 'r Revised. (X) Not applicable. n/a Not available.')
    s.width('A', 40)
    for col in 'BCDE':
        s.width(col, 13)


def r07():
    c = new_case('r07_uk_nations_year_ending', 'report',
                 'UK regional trade statistics release table in the accessible-spreadsheet style: UK nations in '
                 'rows, EU / non-EU / total under each flow in the column headings, a rolling year given only in '
                 'the title, notes and suppression marks in square brackets, and a notes sheet without figures',
                 'soffice',
                 ['reporter United Kingdom and its nations England, Wales, Scotland, Northern Ireland as regions',
                  'partner and flow both in the column headings ("EU exports", "Non-EU imports", "Total exports")',
                  'rolling period "year ending June 2024" = 2023-07/2024-06, only in the title', 'growth of total '
                  'exports on the year before (base period not in the table)', 'unit line "Units: £ million" (GBP)',
                  'notes marks "[note 1]" in the title and after a row label', 'suppressed cells "[c]"',
                  'a second sheet "Notes" with a table of text only', 'partners EU27 + Extra-EU = World'])
    b = c.book('r07_uk_nations_year_ending.xlsx', 'soffice')
    s = b.sheet('Table_1')
    P, BASE = '2023-07/2024-06', '2022-07/2023-06'
    data = {  # (EU exports, non-EU exports, EU imports, non-EU imports, total exports a year earlier)
        'United Kingdom': (165300.42, 219876.13, 268912.51, 298110.24, 379412.66),
        'England': (128450.71, 171230.52, 235020.93, 262305.61, 295818.07),
        'Wales': (10305.24, 9112.83, 7480.42, 9815.31, 20514.92),
        'Scotland': (14208.66, 22411.57, 9650.13, 11730.84, 35206.41),
        'Northern Ireland': (6510.33, 3020.54, 5612.71, None, 9873.18),
    }
    s.t('A1', 'Table 1: Goods trade by UK nation with the EU and non-EU countries, year ending June 2024 [note 1]',
        bold=True)
    s.t('A2', 'Units: £ million')
    s.t('A3', 'This worksheet contains one table. Some cells refer to notes which can be found in the Notes '
              'worksheet.')
    heads = ['UK nation', 'EU exports', 'Non-EU exports', 'Total exports', 'EU imports', 'Non-EU imports',
             'Total imports', 'Trade balance', 'Total exports: change on previous year (%)']
    for i, h in enumerate(heads):
        s.t((5, 1 + i), h, bold=True, wrap=True)
    F1, P1 = '#,##0.0', '0.0'
    labels = {'Northern Ireland': 'Northern Ireland [note 2]'}
    for i, (name, (xe, xn, me, mn, xprev)) in enumerate(data.items()):
        r = 6 + i
        s.t((r, 1), labels.get(name, name))
        lab = Lab(reporter=name, parent='' if name == 'United Kingdom' else 'United Kingdom', unit='GBP',
                  scale=1e6, period=P)
        xt = xe + xn
        s.f((r, 2), xe, 1, F1, lab(partner='EU27', flow='exports'))
        s.f((r, 3), xn, 1, F1, lab(partner='Extra-EU', flow='exports'))
        s.f((r, 4), xt, 1, F1, lab(partner='World', flow='exports'))
        s.f((r, 5), me, 1, F1, lab(partner='EU27', flow='imports'))
        if mn is None:
            for col in (6, 7, 8):
                s.miss((r, col), '[c]')
        else:
            s.f((r, 6), mn, 1, F1, lab(partner='Extra-EU', flow='imports'))
            s.f((r, 7), me + mn, 1, F1, lab(partner='World', flow='imports'))
            s.f((r, 8), xt - me - mn, 1, F1, lab(partner='World', flow='balance'))
        s.f((r, 9), growth(xt, xprev), 1, P1, lab(partner='World', flow='exports').growth(P, BASE))
    s.t('A12', 'Source: regional trade in goods statistics; figures for the UK include trade not allocated to a '
               'nation.')
    s.width('A', 28)
    n = b.sheet('Notes')
    n.t('A1', 'Notes', bold=True)
    n.t('A3', 'Note number', bold=True)
    n.t('B3', 'Note text', bold=True)
    n.t('A4', '[note 1]')
    n.t('B4', 'The year ending June 2024 covers July 2023 to June 2024.')
    n.t('A5', '[note 2]')
    n.t('B5', 'Northern Ireland trade with the EU is recorded under the Windsor Framework arrangements.')
    n.t('A6', '[c]')
    n.t('B6', 'Confidential: suppressed to protect the identity of traders.')
    n.width('B', 80)
    c.partner_sums = [('World', ['EU27', 'Extra-EU'])]


def r08():
    c = new_case('r08_mexico_entidades_trimestral', 'report',
                 'Mexican statistics institute table of exports by federal entity: quarters as Roman numerals '
                 'under merged year headings, the national total above six states, the annual change and each '
                 'state\'s share for the last quarter',
                 'xlsxwriter',
                 ['reporter Mexico and six states (Chihuahua, Coahuila, Nuevo León, Baja California, Tamaulipas, '
                  'Jalisco) as regions', 'exports only', 'quarters as "I", "II", ... under merged year headings '
                  '"2023" / "2024 p/" (period from two header rows)', 'growth of II 2024 vs II 2023 (the same '
                  'quarter a year earlier)', 'share column for the last quarter', 'preliminary mark "p/" on a '
                  'year heading', 'unit "Millones de dólares" (USD)', 'Spanish labels'])
    b = c.book('r08_mexico_entidades_trimestral.xlsx', 'xlsxwriter')
    s = b.sheet('Entidades')
    qs = ['2023Q1', '2023Q2', '2023Q3', '2023Q4', '2024Q1', '2024Q2']
    rows = [('Total nacional', 'Mexico', [130511.24, 136718.42, 134802.71, 139115.93, 137902.34, 145218.61]),
            ('Chihuahua', 'Chihuahua', [24812.31, 26105.92, 25710.18, 26908.74, 26214.52, 28006.13]),
            ('Coahuila de Zaragoza', 'Coahuila', [18903.62, 19514.21, 19102.83, 19876.54, 19410.71, 20812.94]),
            ('Nuevo León', 'Nuevo León', [15612.84, 16408.31, 16205.42, 16998.13, 16511.62, 17703.41]),
            ('Baja California', 'Baja California', [12908.42, 13515.73, 13302.64, 13904.82, 13611.24, 14318.52]),
            ('Tamaulipas', 'Tamaulipas', [9104.53, 9508.24, 9312.71, 9611.33, 9418.62, 9902.41]),
            ('Jalisco', 'Jalisco', [7812.34, 8216.12, 8103.91, 8512.43, 8306.72, 8914.23])]
    s.t('A1', 'Exportaciones de México por entidad federativa', bold=True)
    s.t('A2', 'Millones de dólares')
    s.t('A3', 'p/ Cifras preliminares.')
    s.t('A5', 'Entidad federativa', bold=True, merge='A6')
    s.t('B5', '2023', bold=True, merge='E5', align='center')
    s.t('F5', '2024 p/', bold=True, merge='G5', align='center')
    s.t('H5', 'Variación % anual II trim.', bold=True, merge='H6', wrap=True)
    s.t('I5', 'Participación % II trim. 2024', bold=True, merge='I6', wrap=True)
    for i, roman in enumerate(['I', 'II', 'III', 'IV', 'I', 'II']):
        s.t((6, 2 + i), roman, bold=True, align='right')
    cols = {q: 2 + i for i, q in enumerate(qs)}
    flags = {'2024Q1': 'p/', '2024Q2': 'p/'}
    L = Lab(partner='World', flow='exports', unit='USD', scale=1e6)
    nat = dict(zip(qs, rows[0][2]))
    for i, (label, canon, vals) in enumerate(rows):
        r = 7 + i
        ser = dict(zip(qs, vals))
        lab = L(reporter=canon, parent='' if canon == 'Mexico' else 'Mexico')
        s.t((r, 1), label, bold=canon == 'Mexico')
        lv(s, r, cols, ser, 1, '#,##0.0', lab, flags)
        gr(s, r, {'2024Q2': (8, '2023Q2')}, ser, 1, '0.0', lab)
        if canon != 'Mexico':
            shr(s, r, {'2024Q2': 9}, ser, nat, 1, '0.0', lab)
    s.t('A15', 'No incluye exportaciones petroleras. La suma de las entidades no coincide con el total nacional '
               'porque solo se presentan las principales.')
    s.width('A', 24)


# ---------------------------------------------------------------------------
# group partner: national tables by partner, partners in rows
# ---------------------------------------------------------------------------


def p01():
    c = new_case('p01_south_africa_regions_june', 'partner',
                 'South African revenue service monthly trade statistics release: exports, imports and balance by '
                 'continent and selected country for one month, the month given only in the title, figures typed '
                 'as text with South African number formatting',
                 'openpyxl',
                 ['period only in the title ("June 2024")', 'continents (Africa, Europe, Asia, Americas, Oceania) '
                  'adding up to the total, with "of which" groups (SADC, EU) and indented members',
                  'numbers stored as text with a space thousands separator, decimal comma and negative numbers in '
                  'brackets ("(5 802,1)")', 'unit "R million" (ZAR)', 'flows as column headings'])
    b = c.book('p01_south_africa_regions_june.xlsx', 'openpyxl')
    s = b.sheet('Regions')
    rows = [('Africa', 'Africa', 26412.34, 9804.71), ('  of which SADC', 'SADC', 21905.62, 7118.23),
            ('    Botswana', 'Botswana', 5112.43, 1204.62), ('    Namibia', 'Namibia', 4308.14, 1506.93),
            ('    Mozambique', 'Mozambique', 4915.72, 812.34), ('    Zimbabwe', 'Zimbabwe', 3206.81, 815.42),
            ('Europe', 'Europe', 32108.53, 37912.44), ('  of which EU', 'EU27', 24816.72, 30418.93),
            ('    Germany', 'Germany', 8904.24, 11306.51), ('    Netherlands', 'Netherlands', 4812.93, 2107.34),
            ('  United Kingdom', 'United Kingdom', 4012.61, 2816.42), ('Asia', 'Asia', 41508.31, 58312.63),
            ('  China', 'China', 13707.24, 25914.82), ('  India', 'India', 6712.53, 9408.14),
            ('  Japan', 'Japan', 4906.82, 3312.71), ('Americas', 'Americas', 13215.42, 10608.23),
            ('  United States', 'United States', 10412.71, 7118.52), ('Oceania', 'Oceania', 1408.62, 1506.31)]
    conts = [r for r in rows if r[1] in ('Africa', 'Europe', 'Asia', 'Americas', 'Oceania')]
    rows.append(('Total', 'World', sum(r[2] for r in conts), sum(r[3] for r in conts)))
    s.t('A1', 'Merchandise trade statistics by region and selected country', bold=True)
    s.t('A2', 'June 2024')
    s.t('A3', 'R million')
    for col, h in ((1, 'Region / country'), (2, 'Exports'), (3, 'Imports'), (4, 'Trade balance')):
        s.t((5, col), h, bold=True, align=None if col == 1 else 'right')
    st = dict(thou=' ', dec=',', neg='()')
    L = Lab(reporter='South Africa', period='2024-06', unit='ZAR', scale=1e6)
    for i, (label, canon, x, m) in enumerate(rows):
        r = 6 + i
        s.t((r, 1), label, bold=canon in ('Africa', 'Europe', 'Asia', 'Americas', 'Oceania', 'World'))
        lab = L(partner=canon)
        s.f((r, 2), x, 1, None, lab(flow='exports'), store='text', style=st)
        s.f((r, 3), m, 1, None, lab(flow='imports'), store='text', style=st)
        s.f((r, 4), x - m, 1, None, lab(flow='balance'), store='text', style=st)
    s.t('A26', 'Exports f.o.b., imports c.i.f.; continents add up to the total. Preliminary figures.')
    s.width('A', 26)
    c.partner_sums = [('World', ['Africa', 'Europe', 'Asia', 'Americas', 'Oceania'])]


def p02():
    c = new_case('p02_india_partners_fiscal_years', 'partner',
                 'Indian commerce ministry export-import data bank, country-wise report: two fiscal years '
                 '(April-March), export, import and trade-balance groups, partner names in the data bank\'s '
                 'upper-case abbreviations, a serial-number column',
                 'xlsxwriter',
                 ['fiscal years written "2022-2023" = April 2022 to March 2023 (2022-04/2023-03)', 'partner names '
                  'as abbreviated by the data bank ("U S A", "CHINA P RP", "U ARAB EMTS", "KOREA RP", "NETHERLAND", '
                  '"SAUDI ARAB")', 'merged group headings over two-row headers', 'a serial-number column (S.No.) '
                  'whose numbers are not figures', 'provisional mark (P) on a heading', 'growth "%Growth" with two '
                  'decimals vs the previous fiscal year', 'unit "Values in US$ Million" (USD)'])
    b = c.book('p02_india_partners_fiscal_years.xlsx', 'xlsxwriter')
    s = b.sheet('Countrywise')
    rng = random.Random(202)
    rows = [('U S A', 'United States', 78198.3, 77516.7, 50863.5, 40782.6),
            ('CHINA P RP', 'China', 15306.2, 16665.4, 98505.4, 101748.3),
            ('U ARAB EMTS', 'United Arab Emirates', 31608.9, 35625.2, 53231.6, 48017.7),
            ('RUSSIA', 'Russia', 3143.8, 4260.1, 46212.4, 61436.8),
            ('SAUDI ARAB', 'Saudi Arabia', 10720.6, 11557.4, 42037.7, 31806.5),
            ('SINGAPORE', 'Singapore', 11950.4, 14409.7, 23603.8, 21204.6),
            ('NETHERLAND', 'Netherlands', 18524.2, 22361.9, 4839.9, 4301.8),
            ('U K', 'United Kingdom', 11405.6, 12929.8, 8967.4, 8402.3),
            ('HONG KONG', 'Hong Kong', 10866.2, 11528.1, 16708.4, 15193.5),
            ('KOREA RP', 'South Korea', 6650.3, 6378.4, 21215.2, 21150.9),
            ('GERMANY', 'Germany', 10230.1, 9974.8, 15508.6, 16310.2),
            ('INDONESIA', 'Indonesia', 10006.4, 5960.2, 28819.5, 23422.3),
            ("INDIA'S TOTAL", 'World', 451070.0, 437072.0, 714040.1, 677239.5)]
    F1, F2 = '2022-04/2023-03', '2023-04/2024-03'
    s.t('A1', "India's merchandise trade with major partner countries", bold=True)
    s.t('A2', 'Values in US$ Million')
    s.t('A3', '(P): provisional')
    s.t('A5', 'S.No.', bold=True, merge='A6')
    s.t('B5', 'Country', bold=True, merge='B6')
    s.t('C5', 'Export', bold=True, merge='E5', align='center')
    s.t('F5', 'Import', bold=True, merge='H5', align='center')
    s.t('I5', 'Trade Balance', bold=True, merge='J5', align='center')
    for col in (3, 6, 9):
        s.t((6, col), '2022-2023', bold=True, align='right')
        s.t((6, col + 1), '2023-2024 (P)', bold=True, align='right')
    s.t('E6', '%Growth', bold=True, align='right')
    s.t('H6', '%Growth', bold=True, align='right')
    L = Lab(reporter='India', unit='USD', scale=1e6)
    flags = {F2: '(P)'}
    for i, (label, canon, x1, x2, m1, m2) in enumerate(rows):
        r = 7 + i
        if canon != 'World':
            s.n((r, 1), i + 1)
        s.t((r, 2), label, bold=canon == 'World')
        X = {F1: x1 + rng.uniform(0.0, 0.099), F2: x2 + rng.uniform(0.0, 0.099)}
        M = {F1: m1 + rng.uniform(0.0, 0.099), F2: m2 + rng.uniform(0.0, 0.099)}
        lab = L(partner=canon)
        lv(s, r, {F1: 3, F2: 4}, X, 2, '#,##0.00', lab(flow='exports'), flags)
        gr(s, r, {F2: (5, F1)}, X, 2, '0.00', lab(flow='exports'))
        lv(s, r, {F1: 6, F2: 7}, M, 2, '#,##0.00', lab(flow='imports'), flags)
        gr(s, r, {F2: (8, F1)}, M, 2, '0.00', lab(flow='imports'))
        lv(s, r, {F1: 9, F2: 10}, sub(X, M), 2, '#,##0.00', lab(flow='balance'), flags)
    s.t('A21', 'Fiscal year April-March. Trade balance = export - import.')
    s.width('B', 16)


def lo_csv_finish(c, b, t):
    """The figures of a CSV that LibreOffice turns into a workbook: their
    cells stay, the sheet is named after the file, numbers become numeric
    cells in the General format (decimals as shown)."""
    sheet = os.path.splitext(b.name)[0]
    for f in c.figs:
        if f['file'] == t.name:
            f['file'], f['sheet'], f['store'] = b.name, sheet, 'num'
            f['text'] = excel_text(f['value'], None)
            f['decimals'] = len(f['text'].split('.')[1]) if '.' in f['text'] else 0
    for m in c.missing:
        if m['file'] == t.name:
            m['file'], m['sheet'] = b.name, sheet
    b.sheets.append(Sheet(b, sheet))


def p03():
    c = new_case('p03_chile_partners_h1', 'partner',
                 'Chilean trade-by-country table downloaded as CSV from a central bank / customs portal and opened '
                 'in a spreadsheet: FOB exports and CIF imports for the first half of two years, the change and '
                 'the half-year balance, main partners and the rest of the world',
                 'soffice-csv',
                 ['cumulative periods "ene-jun 2023" / "ene-jun 2024" inside the column headings',
                  'flow and period in one heading ("Exportaciones FOB ene-jun 2024")', 'growth "Var. %" vs the '
                  'same period a year earlier', 'Spanish partner names (Estados Unidos, Japón, Corea del Sur, '
                  'Unión Europea, Resto del mundo)', 'plain numbers in the General format (a figure ending in .0 '
                  'shows no decimals)', 'unit "millones de US$" in a title line', 'partners add up to the total'])
    b = c.book('p03_chile_partners_h1.xlsx', 'soffice-csv')
    t = TextFile(c, b.name)
    b.csv_source = t
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    rows = [('China', 'China', 19812.43, 21306.71, 9418.22, 9906.54),
            ('Estados Unidos', 'United States', 8104.62, 8512.33, 7012.84, 6805.41),
            ('Japón', 'Japan', 3906.24, 3708.92, 1105.33, 1012.72),
            ('Corea del Sur', 'South Korea', 2812.71, 2904.13, 905.62, 968.24),
            ('Brasil', 'Brazil', 2403.84, 2218.52, 3312.43, 3105.81),
            ('Unión Europea', 'EU27', 4708.33, 4912.64, 5504.71, 5318.92),
            ('Argentina', 'Argentina', 602.42, 571.83, 2806.14, 2512.33),
            ('Resto del mundo', 'Rest of the world', 6910.52, 7205.24, 6318.73, 6603.12)]
    rows.append(('Total', 'World', sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows),
                 sum(r[5] for r in rows)))
    t.row('Comercio exterior de Chile según país de destino y origen')
    t.row('Enero-junio de 2023 y 2024, millones de US$')
    t.blank()
    t.row('País', 'Exportaciones FOB ene-jun 2023', 'Exportaciones FOB ene-jun 2024', 'Var. %',
          'Importaciones CIF ene-jun 2023', 'Importaciones CIF ene-jun 2024', 'Var. %', 'Saldo comercial ene-jun 2024')
    L = Lab(reporter='Chile', unit='USD', scale=1e6)
    for label, canon, x1, x2, m1, m2 in rows:
        lab = L(partner=canon)
        t.row(label, fig(x1, 1, lab(flow='exports', period=H23)), fig(x2, 1, lab(flow='exports', period=H24)),
              fig(growth(x2, x1), 1, lab(flow='exports').growth(H24, H23)),
              fig(m1, 1, lab(flow='imports', period=H23)), fig(m2, 1, lab(flow='imports', period=H24)),
              fig(growth(m2, m1), 1, lab(flow='imports').growth(H24, H23)),
              fig(x2 - m2, 1, lab(flow='balance', period=H24)))
    t.blank()
    t.row('Exportaciones valoradas FOB, importaciones CIF. Cifras provisorias.')
    lo_csv_finish(c, b, t)
    c.partner_sums = [('World', [r[1] for r in rows[:-1]])]


def p04():
    c = new_case('p04_italia_extra_ue_giugno', 'partner',
                 'Italian statistics institute monthly release on trade with non-EU countries: the month and the '
                 'year to date for exports and imports, each with its change on the same period of the year '
                 'before (not shown), and the balances; partner aggregates OPEC, Mercosur, ASEAN',
                 'soffice',
                 ['growth vs the same month and the same cumulative period a year earlier, neither in the table',
                  'Italian month abbreviations "giu 2024" and cumulative "gen-giu 2024"', 'group headings '
                  'Esportazioni | Importazioni | Saldi merged over their columns', 'Italian partner names (Regno '
                  'Unito, Svizzera, Turchia, Cina, Giappone, Stati Uniti)', 'aggregates Paesi extra Ue (Extra-EU), '
                  'Paesi OPEC, Mercosur, Paesi ASEAN', 'unit "milioni di euro"', 'integers for levels'])
    b = c.book('p04_italia_extra_ue_giugno.xlsx', 'soffice')
    s = b.sheet('Tavola 2')
    M_, H_ = '2024-06', '2024-01/2024-06'
    M0, H0 = '2023-06', '2023-01/2023-06'
    rows = [('Paesi extra Ue', 'Extra-EU', 27406, 158213, 21918, 135402, -3.1, -1.8, -8.4, -11.2),
            ('Regno Unito', 'United Kingdom', 2418, 13912, 1012, 5904, 4.2, 2.9, -6.1, -3.3),
            ('Svizzera', 'Switzerland', 2912, 16318, 1614, 9507, 6.8, 3.4, 2.1, -4.7),
            ('Turchia', 'Türkiye', 1108, 6517, 912, 5418, -2.4, 5.1, 9.6, 3.8),
            ('Russia', 'Russia', 412, 2306, 318, 2107, -12.4, -15.3, -34.7, -28.9),
            ('Cina', 'China', 1418, 8012, 4106, 24318, -9.8, -4.6, -5.2, -1.9),
            ('Giappone', 'Japan', 713, 4109, 502, 2908, 8.1, 3.2, -12.3, -7.5),
            ('India', 'India', 418, 2412, 618, 3806, 11.4, 6.9, 4.8, 2.3),
            ('Stati Uniti', 'United States', 5906, 34518, 2118, 13412, -1.2, 2.4, -3.6, 1.1),
            ('Paesi OPEC', 'OPEC', 1716, 10108, 2906, 18712, 3.3, 4.1, -18.4, -16.2),
            ('Mercosur', 'Mercosur', 612, 3418, 507, 3106, 5.9, 1.7, -3.1, -6.4),
            ('Paesi ASEAN', 'ASEAN', 812, 4708, 1106, 6512, 2.2, 4.6, 7.9, 3.4)]
    rng = random.Random(204)
    s.t('A1', 'Commercio estero extra Ue per principali paesi e aree', bold=True)
    s.t('A2', 'Giugno 2024, milioni di euro e variazioni percentuali tendenziali')
    s.t('A3', 'Dati provvisori')
    s.t('A5', 'Paesi e aree', bold=True, merge='A6')
    s.t('B5', 'Esportazioni', bold=True, merge='E5', align='center')
    s.t('F5', 'Importazioni', bold=True, merge='I5', align='center')
    s.t('J5', 'Saldi', bold=True, merge='K5', align='center')
    for col in (2, 6):
        s.t((6, col), 'giu 2024', bold=True, align='right')
        s.t((6, col + 1), 'var. %', bold=True, align='right')
        s.t((6, col + 2), 'gen-giu 2024', bold=True, align='right')
        s.t((6, col + 3), 'var. %', bold=True, align='right')
    s.t('J6', 'giu 2024', bold=True, align='right')
    s.t('K6', 'gen-giu 2024', bold=True, align='right')
    L = Lab(reporter='Italy', unit='EUR', scale=1e6)
    for i, (label, canon, xm, xh, mm, mh, gxm, gxh, gmm, gmh) in enumerate(rows):
        r = 7 + i
        s.t((r, 1), label, bold=canon == 'Extra-EU')
        lab = L(partner=canon)
        X = {M_: xm + rng.uniform(-0.4, 0.4), H_: xh + rng.uniform(-0.4, 0.4)}
        M = {M_: mm + rng.uniform(-0.4, 0.4), H_: mh + rng.uniform(-0.4, 0.4)}
        X[M0], X[H0] = X[M_] / (1 + gxm / 100), X[H_] / (1 + gxh / 100)
        M[M0], M[H0] = M[M_] / (1 + gmm / 100), M[H_] / (1 + gmh / 100)
        lv(s, r, {M_: 2, H_: 4}, X, 0, '#,##0', lab(flow='exports'))
        gr(s, r, {M_: (3, M0), H_: (5, H0)}, X, 1, '0.0', lab(flow='exports'))
        lv(s, r, {M_: 6, H_: 8}, M, 0, '#,##0', lab(flow='imports'))
        gr(s, r, {M_: (7, M0), H_: (9, H0)}, M, 1, '0.0', lab(flow='imports'))
        lv(s, r, {M_: 10, H_: 11}, sub(X, M), 0, '#,##0', lab(flow='balance'))
    s.t('A20', 'Variazioni percentuali rispetto allo stesso periodo dell\'anno precedente.')
    s.width('A', 18)


def p05():
    c = new_case('p05_sverige_handelspartner_h1', 'partner',
                 'Swedish trade-in-goods overview by main partner for the first half-year, in billion kronor: '
                 'export, import, balance and the changes on the same period of the year before (not shown), '
                 'numbers typed as text in Swedish typography',
                 'ssconvert',
                 ['period only in the title ("Januari–juni 2024")', 'growth vs the same period a year earlier, '
                  'not in the table', 'Swedish labels (Export, Import, Handelsbalans, förändring) and partner '
                  'names (Norge, Tyskland, Storbritannien, Nederländerna, Kina, Övriga länder, Totalt)',
                  'an "of which" aggregate below the total (därav EU-länder)', 'numbers stored as text with '
                  'decimal comma and a Unicode minus (−36,4)', 'unit "miljarder kronor (mdkr)" (scale 1e9, SEK)',
                  'countries and the rest of the world add up to the total'])
    b = c.book('p05_sverige_handelspartner_h1.xlsx', 'ssconvert')
    s = b.sheet('Handelspartner')
    H, H0 = '2024-01/2024-06', '2023-01/2023-06'
    rows = [('Norge', 'Norway', 110.412, 64.718, -4.3, 2.1), ('Tyskland', 'Germany', 91.326, 126.847, -2.8, -5.6),
            ('USA', 'United States', 87.614, 42.109, 6.2, 1.4), ('Danmark', 'Denmark', 68.217, 63.508, -1.1, -3.9),
            ('Finland', 'Finland', 63.906, 44.812, -7.4, -8.2),
            ('Storbritannien', 'United Kingdom', 44.718, 35.206, 3.1, -2.4),
            ('Nederländerna', 'Netherlands', 40.213, 77.318, -0.6, -4.1), ('Kina', 'China', 30.812, 52.614, -9.2, 4.7),
            ('Polen', 'Poland', 33.508, 35.917, 5.3, 2.8), ('Belgien', 'Belgium', 32.107, 41.409, -3.7, -6.3),
            ('Övriga länder', 'Rest of the world', 364.618, 333.912, 1.9, -1.2)]
    tot_x, tot_m = sum(r[2] for r in rows), sum(r[3] for r in rows)
    eu_x = sum(r[2] for r in rows if r[1] in ('Germany', 'Denmark', 'Finland', 'Netherlands', 'Poland',
                                               'Belgium')) + 171.406
    eu_m = sum(r[3] for r in rows if r[1] in ('Germany', 'Denmark', 'Finland', 'Netherlands', 'Poland',
                                               'Belgium')) + 160.618
    rows.append(('Totalt', 'World', tot_x, tot_m, -0.8, -2.6))
    rows.append(('därav EU-länder', 'EU27', eu_x, eu_m, -1.6, -3.4))
    s.t('A1', 'Sveriges varuhandel med de största handelspartnerna', bold=True)
    s.t('A2', 'Januari–juni 2024, miljarder kronor (mdkr)')
    heads = ['Land', 'Export', 'Import', 'Handelsbalans', 'Export, förändring i %', 'Import, förändring i %']
    for i, h in enumerate(heads):
        s.t((4, 1 + i), h, bold=True, wrap=True)
    st = dict(thou=NBSP, dec=',', neg=MINUS)
    L = Lab(reporter='Sweden', unit='SEK', scale=1e9)
    for i, (label, canon, x, m, gx, gm) in enumerate(rows):
        r = 5 + i
        s.t((r, 1), label, bold=canon == 'World')
        lab = L(partner=canon)
        X = {H: x, H0: x / (1 + gx / 100)}
        M = {H: m, H0: m / (1 + gm / 100)}
        s.f((r, 2), X[H], 1, None, lab(flow='exports', period=H), store='text', style=st)
        s.f((r, 3), M[H], 1, None, lab(flow='imports', period=H), store='text', style=st)
        s.f((r, 4), X[H] - M[H], 1, None, lab(flow='balance', period=H), store='text', style=st)
        s.f((r, 5), growth(X[H], X[H0]), 1, None, lab(flow='exports').growth(H, H0), store='text', style=st)
        s.f((r, 6), growth(M[H], M[H0]), 1, None, lab(flow='imports').growth(H, H0), store='text', style=st)
    s.t('A19', 'Förändring jämfört med motsvarande period föregående år. Uppgifterna för 2024 är preliminära.')
    s.width('A', 22)
    c.partner_sums = [('World', [r[1] for r in rows[:11]])]


def p06():
    c = new_case('p06_polska_kraje_tys_eur', 'partner',
                 'Polish foreign-trade table by selected countries in thousand euro for the first half of two '
                 'years written with Roman month numerals, grouped Eksport | Import | Saldo headings',
                 'xlsxwriter',
                 ['cumulative periods written with Roman months "I–VI 2023" / "I–VI 2024"', 'unit "w tys. EUR" '
                  '(scale 1000, integers)', 'Polish labels (Eksport, Import, Saldo, zmiana %, Ogółem, Unia '
                  'Europejska, w tym:) and partner names (Niemcy, Czechy, Francja, Włochy, Wielka Brytania, Stany '
                  'Zjednoczone, Chiny, Ukraina)', 'a "w tym:" row without figures above the members',
                  'growth vs the column before (the same period a year earlier)', 'two-row header with merged '
                  'group headings and a merged row heading'])
    b = c.book('p06_polska_kraje_tys_eur.xlsx', 'xlsxwriter')
    s = b.sheet('Kraje')
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    rows = [('Ogółem', 'World', 174512306, 177906411, 171205918, 172118740),
            ('Unia Europejska', 'EU27', 129612504, 131208317, 93918205, 94512608),
            (None, None, 0, 0, 0, 0),
            ('  Niemcy', 'Germany', 47512804, 48106927, 35917205, 35612480),
            ('  Czechy', 'Czechia', 11016310, 11214650, 6205918, 6118204),
            ('  Francja', 'France', 10204118, 10512806, 5812300, 5906721),
            ('  Włochy', 'Italy', 7805213, 8012645, 8104519, 8315902),
            ('Wielka Brytania', 'United Kingdom', 9712406, 9905318, 3908712, 4012506),
            ('Stany Zjednoczone', 'United States', 5612309, 5806115, 8406218, 7912405),
            ('Chiny', 'China', 2105617, 2212803, 26108412, 27014536),
            ('Ukraina', 'Ukraine', 6204518, 6812307, 2612405, 3108719)]
    rng = random.Random(206)
    s.t('A1', 'Obroty towarowe handlu zagranicznego według wybranych krajów', bold=True)
    s.t('A2', 'Okres: I–VI 2023 i I–VI 2024')
    s.t('A3', 'w tys. EUR')
    s.t('A5', 'Wyszczególnienie', bold=True, merge='A6')
    s.t('B5', 'Eksport', bold=True, merge='D5', align='center')
    s.t('E5', 'Import', bold=True, merge='G5', align='center')
    s.t('H5', 'Saldo', bold=True, merge='I5', align='center')
    for col in (2, 5, 8):
        s.t((6, col), 'I–VI 2023', bold=True, align='right')
        s.t((6, col + 1), 'I–VI 2024', bold=True, align='right')
    s.t('D6', 'zmiana %', bold=True, align='right')
    s.t('G6', 'zmiana %', bold=True, align='right')
    L = Lab(reporter='Poland', unit='EUR', scale=1e3)
    for i, (label, canon, x1, x2, m1, m2) in enumerate(rows):
        r = 7 + i
        if label is None:
            s.t((r, 1), 'w tym:', italic=True)
            continue
        s.t((r, 1), label, bold=canon == 'World')
        X = {H23: x1 + rng.uniform(-0.45, 0.45), H24: x2 + rng.uniform(-0.45, 0.45)}
        M = {H23: m1 + rng.uniform(-0.45, 0.45), H24: m2 + rng.uniform(-0.45, 0.45)}
        lab = L(partner=canon)
        lv(s, r, {H23: 2, H24: 3}, X, 0, '#,##0', lab(flow='exports'))
        gr(s, r, {H24: (4, H23)}, X, 1, '0.0', lab(flow='exports'))
        lv(s, r, {H23: 5, H24: 6}, M, 0, '#,##0', lab(flow='imports'))
        gr(s, r, {H24: (7, H23)}, M, 1, '0.0', lab(flow='imports'))
        lv(s, r, {H23: 8, H24: 9}, sub(X, M), 0, '#,##0', lab(flow='balance'))
    s.t('A19', 'Dane za 2024 r. mają charakter wstępny.')
    s.width('A', 22)


# ---------------------------------------------------------------------------
# group transposed: periods down the rows
# ---------------------------------------------------------------------------


def t01():
    c = new_case('t01_mexico_balanza_mensual', 'transposed',
                 'Mexican monthly merchandise trade balance table: months down the rows grouped under year rows, '
                 'exports and imports each split into oil and non-oil products under merged headings, the '
                 'balance, the half-year totals and a row of annual changes',
                 'openpyxl',
                 ['transposed: months down the rows', 'period from a year section row ("2023", "2024 p/") and a '
                  'month abbreviation ("Ene", "Feb", ...)', 'product lines (Petroleras = oil, No petroleras = '
                  'non-oil) that add up to the totals', 'two-row header with merged group headings Exportaciones | '
                  'Importaciones and a merged "Saldo comercial"', 'cumulative rows "Enero-junio 2023" / '
                  '"Enero-junio 2024 p/" and a row of changes between them', 'preliminary mark "p/"',
                  'unit "Millones de dólares" (USD)'])
    b = c.book('t01_mexico_balanza_mensual.xlsx', 'openpyxl')
    s = b.sheet('Cuadro 1')
    rng = random.Random(301)
    keys = months(2023, 1, 18)
    ser = {('exports', 'Oil'): monthly(rng, keys, 2600, noise=0.08),
           ('exports', 'Non-oil'): monthly(rng, keys, 46000, noise=0.04, trend=0.002),
           ('imports', 'Oil'): monthly(rng, keys, 4700, noise=0.08),
           ('imports', 'Non-oil'): monthly(rng, keys, 45300, noise=0.04, trend=0.002)}
    for flow in ('exports', 'imports'):
        ser[(flow, 'Total')] = add(ser[(flow, 'Oil')], ser[(flow, 'Non-oil')])
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    for v in ser.values():
        v[H23], v[H24] = cum(v, keys[:6]), cum(v, keys[12:])
    bal = sub(ser[('exports', 'Total')], ser[('imports', 'Total')])
    s.t('A1', 'Balanza comercial de mercancías de México', bold=True)
    s.t('A2', 'Millones de dólares')
    s.t('A3', 'p/ Cifras preliminares.')
    s.t('A5', 'Periodo', bold=True, merge='A6')
    s.t('B5', 'Exportaciones', bold=True, merge='D5', align='center')
    s.t('E5', 'Importaciones', bold=True, merge='G5', align='center')
    s.t('H5', 'Saldo comercial', bold=True, merge='H6', wrap=True)
    for col in (2, 5):
        s.t((6, col), 'Totales', bold=True, align='right')
        s.t((6, col + 1), 'Petroleras', bold=True, align='right')
        s.t((6, col + 2), 'No petroleras', bold=True, align='right')
    L = Lab(reporter='Mexico', partner='World', unit='USD', scale=1e6)
    series_cols = [(2, 'exports', 'Total'), (3, 'exports', 'Oil'), (4, 'exports', 'Non-oil'),
                   (5, 'imports', 'Total'), (6, 'imports', 'Oil'), (7, 'imports', 'Non-oil')]
    F1 = '#,##0.0'

    def period_row(r, label, p, flag, bold=False):
        s.t((r, 1), label, bold=bold)
        for col, flow, prod in series_cols:
            s.f((r, col), ser[(flow, prod)][p], 1, F1, L(flow=flow, product=prod, period=p, flag=flag))
        s.f((r, 8), bal[p], 1, F1, L(flow='balance', period=p, flag=flag))

    r = 7
    for year, flag, ks in (('2023', '', keys[:12]), ('2024 p/', 'p/', keys[12:])):
        s.t((r, 1), year, bold=True)
        r += 1
        for k in ks:
            period_row(r, MONTHS['es3'][int(k[5:]) - 1], k, flag)
            r += 1
    r += 1
    period_row(r, 'Enero-junio 2023', H23, '', bold=True)
    period_row(r + 1, 'Enero-junio 2024 p/', H24, 'p/', bold=True)
    s.t((r + 2, 1), 'Variación % anual')
    for col, flow, prod in series_cols:
        s.f((r + 2, col), growth(ser[(flow, prod)][H24], ser[(flow, prod)][H23]), 1, '0.0',
            L(flow=flow, product=prod).growth(H24, H23))
    s.miss((r + 2, 8), 'n.s.')
    s.t((r + 4, 1), 'n.s.: no significativo.')
    s.width('A', 22)
    c.products_complete = True


def t02():
    c = new_case('t02_uk_ons_timeseries_csv', 'transposed',
                 'UK national statistics office time-series CSV download with several series as columns: '
                 'metadata rows (Title, CDID, PreUnit, Unit, Release date, ...) above the data, then years, '
                 'quarters and months of the same series stacked in one column of periods',
                 'csv',
                 ['transposed CSV: periods down the rows, one column per series', 'eight metadata rows above the '
                  'data; the unit split over "PreUnit" (£) and "Unit" (m)', 'years "2023", quarters "2023 Q1" and '
                  'months "2023 JAN" in one column', 'flow and partner only in the series titles ("UK trade in '
                  'goods: exports to the world: CP: SA: £m")', 'every field quoted', 'negative balances',
                  'integers in GBP million'])
    t = c.text('t02_uk_ons_timeseries_csv.csv', quote='all')
    rng = random.Random(302)
    keys = months(2022, 1, 30)
    X = monthly(rng, keys, 31200, season=0.01, noise=0.04)
    M = monthly(rng, keys, 49100, season=0.01, noise=0.03)
    for ser in (X, M):
        for y in (2022, 2023):
            ser[str(y)] = cum(ser, [k for k in keys if k.startswith(str(y))])
            ser.update(quarters_of(ser, y))
        ser['2024Q1'] = cum(ser, ['2024-01', '2024-02', '2024-03'])
        ser['2024Q2'] = cum(ser, ['2024-04', '2024-05', '2024-06'])
    B = sub(X, M)
    titles = ['UK trade in goods: exports to the world: CP: SA: £m', 'UK trade in goods: imports from the world: '
              'CP: SA: £m', 'UK trade in goods: balance with the world: CP: SA: £m']
    t.row('Title', *titles)
    t.row('CDID', 'TXW1', 'TMW1', 'TBW1')
    t.row('Source dataset ID', 'TRDG', 'TRDG', 'TRDG')
    t.row('PreUnit', '£', '£', '£')
    t.row('Unit', 'm', 'm', 'm')
    t.row('Release date', '12-08-2024', '12-08-2024', '12-08-2024')
    t.row('Next release', '11 September 2024', '11 September 2024', '11 September 2024')
    t.row('Important notes', '', '', '')
    L = Lab(reporter='United Kingdom', partner='World', unit='GBP', scale=1e6)
    periods = [('2022', '2022'), ('2023', '2023')]
    periods += [(f'{y} Q{q}', f'{y}Q{q}') for y in (2022, 2023) for q in range(1, 5)]
    periods += [('2024 Q1', '2024Q1'), ('2024 Q2', '2024Q2')]
    periods += [(f'{k[:4]} {MONTHS["en3u"][int(k[5:]) - 1]}', k) for k in keys[12:]]
    for label, p in periods:
        t.row(label, fig(X[p], 0, L(flow='exports', period=p)), fig(M[p], 0, L(flow='imports', period=p)),
              fig(B[p], 0, L(flow='balance', period=p)))


def t03():
    c = new_case('t03_greece_months_thousand_eur', 'transposed',
                 'Greek statistical authority monthly press-release table in English: months down the rows, the '
                 'same month of two years side by side for exports, imports and net exports, with changes, and '
                 'the cumulative half-year',
                 'soffice',
                 ['transposed: months down the rows ("January" ... "June", "January–June")', 'period from the row '
                  '(month) and the column (year) together', 'growth vs the same month a year earlier, two '
                  'columns to the left', '"Net exports" (exports − imports, negative) as a balance',
                  'provisional mark * on the 2024 headings', 'unit "thousand euro" (scale 1000, integers)',
                  'group headings merged over two-row headers'])
    b = c.book('t03_greece_months_thousand_eur.xlsx', 'soffice')
    s = b.sheet('Table 1')
    rng = random.Random(303)
    keys = months(2023, 1, 18)
    X = monthly(rng, keys, 4100000, noise=0.05)
    M = monthly(rng, keys, 7200000, noise=0.05)
    H23, H24 = '2023-01/2023-06', '2024-01/2024-06'
    for ser in (X, M):
        ser[H23], ser[H24] = cum(ser, keys[:6]), cum(ser, keys[12:])
    B = sub(X, M)
    s.t('A1', 'Commercial transactions of Greece', bold=True)
    s.t('A2', 'Arrivals (imports) and dispatches (exports) of goods, values in thousand euro')
    s.t('A3', '* Provisional data')
    s.t('A5', 'Month', bold=True, merge='A6')
    s.t('B5', 'Exports', bold=True, merge='D5', align='center')
    s.t('E5', 'Imports', bold=True, merge='G5', align='center')
    s.t('H5', 'Net exports', bold=True, merge='I5', align='center')
    for col in (2, 5, 8):
        s.n((6, col), 2023, bold=True)
        s.t((6, col + 1), '2024*', bold=True, align='right')
    s.t('D6', 'Change (%)', bold=True, align='right')
    s.t('G6', 'Change (%)', bold=True, align='right')
    L = Lab(reporter='Greece', partner='World', unit='EUR', scale=1e3)
    rows = [(MONTHS['en'][i], keys[i], keys[12 + i]) for i in range(6)] + [('January–June', H23, H24)]
    for i, (label, p0, p1) in enumerate(rows):
        r = 7 + i
        s.t((r, 1), label, bold=p0 == H23)
        for col, flow, ser in ((2, 'exports', X), (5, 'imports', M), (8, 'balance', B)):
            s.f((r, col), ser[p0], 0, '#,##0', L(flow=flow, period=p0))
            s.f((r, col + 1), ser[p1], 0, '#,##0', L(flow=flow, period=p1, flag='*'))
            if flow != 'balance':
                s.f((r, col + 2), growth(ser[p1], ser[p0]), 1, '0.0', L(flow=flow).growth(p1, p0))
    s.t('A15', 'Net exports = exports − imports.')
    s.width('A', 16)


# ---------------------------------------------------------------------------
# group long: database downloads with their own column names
# ---------------------------------------------------------------------------

COMTRADE_COLUMNS = [
    'typeCode', 'freqCode', 'refPeriodId', 'refYear', 'refMonth', 'period', 'reporterCode', 'reporterISO',
    'reporterDesc', 'flowCode', 'flowDesc', 'partnerCode', 'partnerISO', 'partnerDesc', 'partner2Code',
    'partner2ISO', 'partner2Desc', 'classificationCode', 'classificationSearchCode', 'isOriginalClassification',
    'cmdCode', 'cmdDesc', 'aggrLevel', 'isLeaf', 'customsCode', 'customsDesc', 'mosCode', 'motCode', 'motDesc',
    'qtyUnitCode', 'qtyUnitAbbr', 'qty', 'isQtyEstimated', 'altQtyUnitCode', 'altQtyUnitAbbr', 'altQty',
    'isAltQtyEstimated', 'netWgt', 'isNetWgtEstimated', 'grossWgt', 'isGrossWgtEstimated', 'cifvalue', 'fobvalue',
    'primaryValue', 'legacyEstimationFlag', 'isReported', 'isAggregate']


def l01():
    c = new_case('l01_comtrade_singapore_reexports', 'long',
                 'UN Comtrade data-portal CSV download (final annual data, HS classification): one line per '
                 'reporter, year, flow, partner and commodity with the portal\'s column names, re-exports and '
                 're-imports as flows of their own, M49 numeric codes beside ISO codes',
                 'csv',
                 ['Comtrade column names (typeCode, freqCode, refPeriodId, refYear, refMonth, period, reporterCode, '
                  'reporterISO, reporterDesc, flowCode, flowDesc, partnerCode, partnerISO, partnerDesc, cmdCode, '
                  'cmdDesc, netWgt, cifvalue, fobvalue, primaryValue, ...)', 'flowCode X, M, RX (re-export), RM '
                  '(re-import)', 'reporter and partner codes in M49 (702 Singapore, 842 USA, 699 India, 344 '
                  '"China, Hong Kong SAR"; 0 / W00 World)', 'annual data: refMonth 52, period 2023', 'values in US '
                  'dollars (scale 1), integers', 'the key lists primaryValue; fobvalue (X, RX) and cifvalue (M, RM) '
                  'repeat it and netWgt is a weight: neither is in the key', 'commodity TOTAL and HS chapter 85 '
                  '(a description with commas and a semicolon, quoted)'])
    t = c.text('l01_comtrade_singapore_reexports.csv')
    rng = random.Random(401)
    partners = [('0', 'W00', 'World', 'World', 1.0, 1.0), ('156', 'CHN', 'China', 'China', 0.135, 0.142),
                ('458', 'MYS', 'Malaysia', 'Malaysia', 0.102, 0.118),
                ('842', 'USA', 'USA', 'United States', 0.088, 0.107),
                ('344', 'HKG', 'China, Hong Kong SAR', 'Hong Kong', 0.121, 0.012),
                ('699', 'IND', 'India', 'India', 0.041, 0.023)]
    cmds = [('TOTAL', 'All Commodities', '0', 'False', 1.0),
            ('85', 'Electrical machinery and equipment and parts thereof; sound recorders and reproducers, '
                   'television image and sound recorders and reproducers, parts and accessories of such articles',
             '2', 'False', 0.34)]
    world = {'2022': (515837214563, 475218906117), '2023': (476301558902, 423407129334)}
    flows = [('M', 'Import'), ('RM', 'Re-import'), ('RX', 'Re-export'), ('X', 'Export')]
    flow_of = {'X': 'exports', 'M': 'imports', 'RX': 're_exports', 'RM': 're_imports'}
    t.row(COMTRADE_COLUMNS)
    col = {n: i for i, n in enumerate(COMTRADE_COLUMNS)}
    for year in ('2022', '2023'):
        wx, wm = world[year]
        for pcode, piso, pdesc, canon, xs, ms in partners:
            for ccode, cdesc, aggr, leaf, cs in cmds:
                x = wx * xs * cs * (1 if canon == 'World' else rng.uniform(0.93, 1.07))
                m = wm * ms * cs * (1 if canon == 'World' else rng.uniform(0.93, 1.07))
                vals = {'X': x, 'M': m, 'RX': x * rng.uniform(0.50, 0.58), 'RM': m * rng.uniform(0.004, 0.009)}
                for fcode, fdesc in flows:
                    row = [''] * len(COMTRADE_COLUMNS)
                    for k, v in (('typeCode', 'C'), ('freqCode', 'A'), ('refPeriodId', f'{year}0101'),
                                 ('refYear', year), ('refMonth', '52'), ('period', year), ('reporterCode', '702'),
                                 ('reporterISO', 'SGP'), ('reporterDesc', 'Singapore'), ('flowCode', fcode),
                                 ('flowDesc', fdesc), ('partnerCode', pcode), ('partnerISO', piso),
                                 ('partnerDesc', pdesc), ('partner2Code', '0'), ('partner2ISO', 'W00'),
                                 ('partner2Desc', 'World'), ('classificationCode', 'H6'),
                                 ('classificationSearchCode', 'HS'), ('isOriginalClassification', 'True'),
                                 ('cmdCode', ccode), ('cmdDesc', cdesc), ('aggrLevel', aggr), ('isLeaf', leaf),
                                 ('customsCode', 'C00'), ('customsDesc', 'TOTAL CPC'), ('mosCode', '0'),
                                 ('motCode', '0'), ('motDesc', 'TOTAL MOT'), ('qtyUnitCode', '-1'),
                                 ('qtyUnitAbbr', 'N/A'), ('qty', '0'), ('isQtyEstimated', 'False'),
                                 ('altQtyUnitCode', '-1'), ('altQtyUnitAbbr', 'N/A'), ('altQty', '0'),
                                 ('isAltQtyEstimated', 'False'), ('isNetWgtEstimated', 'False'), ('grossWgt', '0'),
                                 ('isGrossWgtEstimated', 'False'), ('legacyEstimationFlag', '0'),
                                 ('isReported', 'True'), ('isAggregate', 'False')):
                        row[col[k]] = v
                    if ccode != 'TOTAL':
                        row[col['netWgt']] = str(int(vals[fcode] / rng.uniform(38, 46)))
                    lab = Lab(reporter='Singapore', partner=canon, flow=flow_of[fcode], period=year, unit='USD',
                              scale=1, product='Total' if ccode == 'TOTAL' else 'HS 85')
                    f = fig(vals[fcode], 0, lab)
                    row[col['primaryValue']] = f
                    row[col['fobvalue' if fcode in ('X', 'RX') else 'cifvalue']] = f.text
                    t.row(row)


def l02():
    c = new_case('l02_statcan_provinces_monthly', 'long',
                 'Statistics Canada data-table CSV download (international merchandise trade by province and '
                 'principal trading partner, monthly): the agency\'s column names, provinces in GEO, the scale in '
                 'SCALAR_FACTOR, status codes in STATUS',
                 'csv',
                 ['StatCan column names (REF_DATE, GEO, DGUID, Trade, Basis, Seasonal adjustment, Principal '
                  'trading partners, UOM, UOM_ID, SCALAR_FACTOR, SCALAR_ID, VECTOR, COORDINATE, VALUE, STATUS, '
                  'SYMBOL, TERMINATED, DECIMALS)', 'reporters Canada and provinces Quebec and Ontario in GEO',
                  'Trade members "Import", "Total exports", "Re-export", "Trade Balance"', 'REF_DATE written '
                  '2024-04', 'UOM "Dollars" with SCALAR_FACTOR "millions" (CAD million)', 'STATUS ".." (not '
                  'available) with an empty VALUE (listed as missing with text ""), "E" (use with caution) as a '
                  'flag', 'partners "All countries", "European Union"', 'UTF-8 byte-order mark, CRLF line ends, '
                  'every field quoted'])
    t = c.text('l02_statcan_provinces_monthly.csv', quote='all', bom=True, eol='\r\n')
    rng = random.Random(402)
    t.row('REF_DATE', 'GEO', 'DGUID', 'Trade', 'Basis', 'Seasonal adjustment', 'Principal trading partners', 'UOM',
          'UOM_ID', 'SCALAR_FACTOR', 'SCALAR_ID', 'VECTOR', 'COORDINATE', 'VALUE', 'STATUS', 'SYMBOL',
          'TERMINATED', 'DECIMALS')
    geos = [('Canada', '2016A000011124', ''), ('Quebec', '2016A000224', 'Canada'),
            ('Ontario', '2016A000235', 'Canada')]
    partners = [('All countries', 'World'), ('United States', 'United States'), ('China', 'China'),
                ('Mexico', 'Mexico'), ('European Union', 'EU27')]
    pshare = {'World': (1.0, 1.0), 'United States': (0.76, 0.49), 'China': (0.04, 0.11),
              'Mexico': (0.012, 0.055), 'EU27': (0.052, 0.112)}
    gshare = {'Canada': (1.0, 1.0), 'Quebec': (0.16, 0.19), 'Ontario': (0.36, 0.56)}
    ms = ['2024-04', '2024-05', '2024-06']
    data = {}
    for p in ms:
        cx, cm = 63800 * rng.uniform(0.95, 1.05), 64600 * rng.uniform(0.95, 1.05)
        for _, pc in partners:
            px = cx * pshare[pc][0] * (1 if pc == 'World' else rng.uniform(0.94, 1.06))
            pm = cm * pshare[pc][1] * (1 if pc == 'World' else rng.uniform(0.94, 1.06))
            for g, _, _ in geos:
                x = px * gshare[g][0] * (1 if g == 'Canada' else rng.uniform(0.95, 1.05))
                m = pm * gshare[g][1] * (1 if g == 'Canada' else rng.uniform(0.95, 1.05))
                data[(g, pc, p)] = {'Import': m, 'Total exports': x, 'Re-export': x * rng.uniform(0.05, 0.09),
                                    'Trade Balance': x - m}
    flow_of = {'Import': 'imports', 'Total exports': 'exports', 'Re-export': 're_exports',
               'Trade Balance': 'balance'}
    vec = 1074210
    for gi, (g, dguid, parent) in enumerate(geos):
        for ti, trade in enumerate(('Import', 'Total exports', 'Re-export', 'Trade Balance')):
            for pi, (plabel, pc) in enumerate(partners):
                vec += 7
                for p in ms:
                    status = ''
                    if (g, trade, pc, p) in (('Quebec', 'Re-export', 'Mexico', '2024-05'),
                                             ('Ontario', 'Re-export', 'China', '2024-06')):
                        status = '..'
                    elif (g, pc, p) == ('Quebec', 'China', '2024-06') and trade != 'Re-export':
                        status = 'E'
                    head = [p, g, dguid, trade, 'Customs', 'Unadjusted', plabel, 'Dollars', '81', 'millions', '6',
                            f'v{vec}', f'{gi + 1}.{ti + 1}.1.1.{pi + 1}']
                    if status == '..':
                        line = t.row(head + ['', '..', '', '', '1'])
                        t.miss_at(line, 14, '')
                        continue
                    lab = Lab(reporter=g, parent=parent, partner=pc, flow=flow_of[trade], period=p, unit='CAD',
                              scale=1e6, flag=status)
                    t.row(head + [fig(data[(g, pc, p)][trade], 1, lab), status, '', '', '1'])


def l03():
    c = new_case('l03_cbs_statline_landen', 'long',
                 'Statistics Netherlands (CBS) StatLine / open-data CSV: semicolon-separated, Dutch column names, '
                 'a running ID column, period codes for years, quarters and months in one column, decimal comma',
                 'csv',
                 ['semicolon separator, every field quoted, decimal comma ("12345,6")', 'Dutch column names with '
                  'the unit in them ("Invoer (mln euro)", "Uitvoer (mln euro)", "Wederuitvoer (mln euro)", '
                  '"Handelsbalans (mln euro)")', 'period codes "2023JJ00" (year), "2023KW01" (quarter), '
                  '"2024MM01" (month) in one column', 're-exports (wederuitvoer) as a flow of their own',
                  'Dutch partner names (Totaal landen, Duitsland, België, Verenigd Koninkrijk, Verenigde Staten)',
                  'a running ID column whose numbers are not figures', 'missing mark "." (figure not yet known)',
                  'a title line above the header and a note line below the data'])
    t = c.text('l03_cbs_statline_landen.csv', delim=';', quote='all')
    rng = random.Random(403)
    keys = months(2023, 1, 15)
    partners = [('Totaal landen', 'World', 1.0, 1.0, 0.50), ('Duitsland', 'Germany', 0.23, 0.16, 0.44),
                ('België', 'Belgium', 0.10, 0.10, 0.47), ('Verenigd Koninkrijk', 'United Kingdom', 0.075, 0.045, 0.52),
                ('Verenigde Staten', 'United States', 0.045, 0.085, 0.41), ('China', 'China', 0.025, 0.105, 0.38)]
    t.row('Internationale handel van Nederland; in- en uitvoer naar land en periode')
    t.row('ID', 'Landen', 'Perioden', 'Invoer (mln euro)', 'Uitvoer (mln euro)', 'Wederuitvoer (mln euro)',
          'Handelsbalans (mln euro)')
    wx = monthly(rng, keys, 57200, noise=0.04)
    wm = monthly(rng, keys, 51800, noise=0.04)
    periods = [('2023JJ00', '2023')] + [(f'2023KW0{q}', f'2023Q{q}') for q in range(1, 5)] + \
              [('2024KW01', '2024Q1')] + [(f'2024MM0{m}', f'2024-0{m}') for m in range(1, 4)]
    i = 0
    for plabel, canon, xs, msh, rs in partners:
        X = {k: wx[k] * xs * (1 if canon == 'World' else rng.uniform(0.93, 1.07)) for k in keys}
        M = {k: wm[k] * msh * (1 if canon == 'World' else rng.uniform(0.93, 1.07)) for k in keys}
        R = {k: X[k] * rs * rng.uniform(0.97, 1.03) for k in keys}
        for ser in (X, M, R):
            ser['2023'] = cum(ser, keys[:12])
            ser.update(quarters_of(ser, 2023))
            ser['2024Q1'] = cum(ser, keys[12:15])
        B = sub(X, M)
        L = Lab(reporter='Netherlands', partner=canon, unit='EUR', scale=1e6)
        for code, p in periods:
            lab = L(period=p)
            fields = [str(i), plabel, code, fig(M[p], 1, lab(flow='imports'), dec_mark=','),
                      fig(X[p], 1, lab(flow='exports'), dec_mark=',')]
            missing = (canon, p) == ('China', '2024-03')
            fields.append('.' if missing else fig(R[p], 1, lab(flow='re_exports'), dec_mark=','))
            fields.append(fig(B[p], 1, lab(flow='balance'), dec_mark=','))
            line = t.row(fields)
            if missing:
                t.miss_at(line, 6, '.')
            i += 1
    t.row('Cijfers over 2024 zijn voorlopig. . = cijfer onbekend.')


def l04():
    c = new_case('l04_oecd_sdmx_labels_both', 'long',
                 'SDMX-CSV download from an international organisation\'s data explorer with "labels: both": '
                 'each dimension as a code column followed by a label column, quarterly trade by partner in US '
                 'dollars with a unit multiplier',
                 'csv',
                 ['SDMX-CSV 1.0 with a label column after every code column (REF_AREA, Reference area, '
                  'COUNTERPART_AREA, Counterpart area, TRADE_FLOW, Trade flow, ...)', 'ISO alpha-3 reporter codes '
                  '(MEX, CHL, KOR, TUR) and names "Korea", "Türkiye"', 'partner labels "China (People\'s Republic '
                  'of)", "European Union (27 countries from 01/02/2020)", code W = World', 'TRADE_FLOW X, M and B '
                  '(trade balance)', 'TIME_PERIOD written 2023-Q3; empty label columns for time and value',
                  'UNIT_MEASURE USD_EXC, UNIT_MULT 6 (million)', 'OBS_STATUS A and P (provisional)'])
    t = c.text('l04_oecd_sdmx_labels_both.csv')
    rng = random.Random(404)
    t.row('STRUCTURE', 'STRUCTURE_ID', 'STRUCTURE_NAME', 'ACTION', 'REF_AREA', 'Reference area', 'COUNTERPART_AREA',
          'Counterpart area', 'FREQ', 'Frequency of observation', 'TRADE_FLOW', 'Trade flow', 'UNIT_MEASURE',
          'Unit of measure', 'TIME_PERIOD', 'Time period', 'OBS_VALUE', 'Observation value', 'OBS_STATUS',
          'Observation status', 'UNIT_MULT', 'Unit multiplier', 'DECIMALS', 'Decimals')
    reps = [('CHL', 'Chile', 'Chile', 24800, 20900), ('KOR', 'Korea', 'South Korea', 158000, 153000),
            ('MEX', 'Mexico', 'Mexico', 148000, 152000), ('TUR', 'Türkiye', 'Türkiye', 63500, 86100)]
    parts = [('CHN', "China (People's Republic of)", 'China'),
             ('EU27_2020', 'European Union (27 countries from 01/02/2020)', 'EU27'),
             ('USA', 'United States', 'United States'), ('W', 'World', 'World')]
    share = {'CHL': {'CHN': (0.39, 0.26), 'EU27_2020': (0.08, 0.13), 'USA': (0.16, 0.2)},
             'KOR': {'CHN': (0.19, 0.22), 'EU27_2020': (0.1, 0.1), 'USA': (0.18, 0.11)},
             'MEX': {'CHN': (0.017, 0.19), 'EU27_2020': (0.045, 0.095), 'USA': (0.83, 0.43)},
             'TUR': {'CHN': (0.012, 0.13), 'EU27_2020': (0.41, 0.29), 'USA': (0.065, 0.05)}}
    qs = ['2023-Q3', '2023-Q4', '2024-Q1']
    for rc, rname, canon, xw, mw in reps:
        for pc, pname, pcanon in parts:
            X = {q: xw * (1.0 if pc == 'W' else share[rc][pc][0]) * rng.uniform(0.94, 1.06) for q in qs}
            M = {q: mw * (1.0 if pc == 'W' else share[rc][pc][1]) * rng.uniform(0.94, 1.06) for q in qs}
            ser = {'X': X, 'M': M, 'B': sub(X, M)}
            for fc, fname, flow in (('B', 'Trade balance', 'balance'), ('M', 'Imports', 'imports'),
                                    ('X', 'Exports', 'exports')):
                for q in qs:
                    st, stn = ('P', 'Provisional value') if q == '2024-Q1' else ('A', 'Normal value')
                    lab = Lab(reporter=canon, partner=pcanon, flow=flow, period=q.replace('-', ''), unit='USD',
                              scale=1e6, flag=st if st != 'A' else '')
                    t.row('DATAFLOW', 'XMPL.TRD:DSD_ITG@DF_ITG_PARTNER_Q(1.0)', 'International trade in goods by '
                          'partner, quarterly', 'I', rc, rname, pc, pname, 'Q', 'Quarterly', fc, fname, 'USD_EXC',
                          'US dollars, exchange rate converted', q, '', fig(ser[fc][q], 1, lab), '', st, stn, '6',
                          'Millions', '1', 'One')


def l05():
    c = new_case('l05_eurostat_sitc_quarterly_tsv', 'long',
                 'Eurostat bulk download (.tsv) of quarterly extra-EU trade by SITC section: the dimension order '
                 'freq,indic_et,sitc06,partner,geo, quarters across, flags after the values, Eurostat\'s own codes '
                 'for Greece (EL) and the United Kingdom (UK)',
                 'tsv',
                 ['Eurostat TSV with another dimension order: freq,indic_et,sitc06,partner,geo\\TIME_PERIOD',
                  'quarters written "2023-Q2 " (trailing space in the headings)', 'product dimension sitc06: TOTAL '
                  'and the SITC sections that add up to it (for the extra-EU partner)', 'geo codes EL (Greece) and '
                  'NL; partner codes EXT_EU27_2020, US, CN_X_HK, UK (United Kingdom)', 'indicators MIO_EXP_VAL, '
                  'MIO_IMP_VAL, MIO_BAL_VAL (million euro)', 'flags p and e after the value; missing ": " and '
                  'confidential ": c"'])
    t = c.text('l05_eurostat_sitc_quarterly_tsv.tsv', delim='\t', quote='none')
    rng = random.Random(405)
    qs = ['2023-Q2', '2023-Q3', '2023-Q4', '2024-Q1']
    geos = [('EL', 'Greece', 5900, 9800), ('NL', 'Netherlands', 61000, 98000)]
    sitc = [('SITC0_1', 0.12, 0.08), ('SITC2_4', 0.05, 0.07), ('SITC3', 0.22, 0.38), ('SITC5', 0.14, 0.1),
            ('SITC6_8', 0.15, 0.14), ('SITC7', 0.3, 0.22), ('SITC9', 0.02, 0.01)]
    parts = [('CN_X_HK', 'China', 0.06, 0.24), ('EXT_EU27_2020', 'Extra-EU', 1.0, 1.0),
             ('UK', 'United Kingdom', 0.13, 0.07), ('US', 'United States', 0.21, 0.12)]
    data = {}
    for gc, _, xw, mw in geos:
        for pc, _, xs, ms in parts:
            if pc == 'EXT_EU27_2020':
                for sc, sx, sm in sitc:
                    data[(gc, pc, sc)] = ({q: xw * sx * rng.uniform(0.9, 1.1) for q in qs},
                                          {q: mw * sm * rng.uniform(0.9, 1.1) for q in qs})
                data[(gc, pc, 'TOTAL')] = tuple({q: sum(data[(gc, pc, sc)][i][q] for sc, _, _ in sitc) for q in qs}
                                                for i in (0, 1))
            else:
                data[(gc, pc, 'TOTAL')] = ({q: xw * xs * rng.uniform(0.9, 1.1) for q in qs},
                                           {q: mw * ms * rng.uniform(0.9, 1.1) for q in qs})
    gname = {g[0]: g[1] for g in geos}
    pname = {p[0]: p[1] for p in parts}
    suppressed = {('NL', 'UK', '2023-Q3'): ': c', ('EL', 'CN_X_HK', '2024-Q1'): ': '}
    t.row('freq,indic_et,sitc06,partner,geo\\TIME_PERIOD', *[q + ' ' for q in qs])
    for ind, flow in (('MIO_BAL_VAL', 'balance'), ('MIO_EXP_VAL', 'exports'), ('MIO_IMP_VAL', 'imports')):
        for sc in ['SITC0_1', 'SITC2_4', 'SITC3', 'SITC5', 'SITC6_8', 'SITC7', 'SITC9', 'TOTAL']:
            for pc, _, _, _ in parts:
                for gc, _, _, _ in geos:
                    if (gc, pc, sc) not in data or (ind == 'MIO_BAL_VAL' and sc != 'TOTAL'):
                        continue
                    X, M = data[(gc, pc, sc)]
                    ser = {'exports': X, 'imports': M, 'balance': sub(X, M)}[flow]
                    line = t.line_no()
                    fields = [f'Q,{ind},{sc},{pc},{gc}']
                    for i, q in enumerate(qs):
                        mark = suppressed.get((gc, pc, q))
                        if mark and sc == 'TOTAL' and (flow != 'exports' or mark == ': '):
                            fields.append(mark)
                            t.miss_at(line, 2 + i, mark)
                            continue
                        flag = 'p' if q == '2024-Q1' else ('e' if (gc, sc, q) == ('EL', 'SITC9', '2023-Q4') else '')
                        lab = Lab(reporter=gname[gc], partner=pname[pc], flow=flow, period=q.replace('-', ''),
                                  unit='EUR', scale=1e6, product='Total' if sc == 'TOTAL' else sc, flag=flag)
                        fields.append(fig(ser[q], 1, lab, suffix=' ' + flag))
                    t.row(fields)
    c.products_complete = True


def l06():
    c = new_case('l06_comexstat_uf_latin1', 'long',
                 'Brazilian federal foreign-trade statistics portal export ("dados gerais" with labels): one line '
                 'per flow, year, month, partner country and state of the product, FOB value in dollars and net '
                 'weight, semicolon-separated, in ISO-8859-1',
                 'csv',
                 ['encoding ISO-8859-1 (Latin-1), not UTF-8: "Exportação", "Mês", "São Paulo", "Paraná"',
                  'semicolon separator, every field quoted', 'months written "01. Janeiro"', 'reporter from the '
                  'column "UF do Produto": states São Paulo, Minas Gerais, Paraná (regions of Brazil, which is named '
                  'nowhere)', 'Portuguese partner names (Estados Unidos, Países Baixos (Holanda))', 'values in US$ '
                  '(scale 1) in "Valor US$ FOB"; "Quilograma Líquido" is a weight, not in the key',
                  'flows "Exportação" / "Importação"'])
    t = c.text('l06_comexstat_uf_latin1.csv', delim=';', quote='all', encoding='latin-1')
    rng = random.Random(406)
    t.row('Fluxo', 'Ano', 'Mês', 'País', 'UF do Produto', 'Valor US$ FOB', 'Quilograma Líquido')
    partners = [('China', 'China', 2.2, 0.9), ('Estados Unidos', 'United States', 1.0, 1.0),
                ('Argentina', 'Argentina', 0.55, 0.45), ('Países Baixos (Holanda)', 'Netherlands', 0.45, 0.12),
                ('Chile', 'Chile', 0.22, 0.16)]
    ufs = [('São Paulo', 1.0, 1.0), ('Minas Gerais', 0.62, 0.21), ('Paraná', 0.48, 0.33)]
    for fl, flow, base in (('Exportação', 'exports', 640e6), ('Importação', 'imports', 710e6)):
        for m in (1, 2, 3):
            for plabel, canon, px, pm in partners:
                for uf, ux, um in ufs:
                    v = base * (px if flow == 'exports' else pm) * (ux if flow == 'exports' else um) * \
                        rng.uniform(0.85, 1.15)
                    lab = Lab(reporter=uf, parent='Brazil', partner=canon, flow=flow, period=f'2024-{m:02d}',
                              unit='USD', scale=1)
                    t.row(fl, '2024', f'{m:02d}. {MONTHS["pt"][m - 1]}', plabel, uf, fig(v, 0, lab),
                          str(int(v / rng.uniform(0.6, 3.5))))


# ---------------------------------------------------------------------------
# group mixed: several tables, sheets and languages in one workbook
# ---------------------------------------------------------------------------


def x01():
    c = new_case('x01_belgium_bilingual_semesters', 'mixed',
                 'Belgian central bank foreign-trade tables in both national languages: a sheet of the three '
                 'regions beside Belgium by half-year, and a sheet of Belgium\'s main partners for the last '
                 'half-year given only in the sheet title',
                 'openpyxl',
                 ['bilingual French / Dutch labels in one cell ("Exportations / Uitvoer", "Région flamande / '
                  'Vlaams Gewest")', 'reporter Belgium and regions Flanders, Wallonia, Brussels-Capital Region',
                  'half-years written "S1 2023"', 'growth of S1 2024 vs S1 2023 (two columns back)', 'two sheets: '
                  'regions by period, then partners for one period named only in the title', 'partners EU27 + '
                  'Extra-EU = World, with members under each', 'the World figures of the second sheet repeat '
                  'Belgium\'s S1 2024 figures of the first', 'unit "millions d\'euros / miljoen euro"'])
    b = c.book('x01_belgium_bilingual_semesters.xlsx', 'openpyxl')
    hs = ['2023S1', '2023S2', '2024S1']
    REG_X = {'Flanders': [172305.64, 165412.83, 168918.27], 'Wallonia': [29416.22, 27805.91, 28612.43],
             'Brussels-Capital Region': [9812.54, 9406.12, 9518.71]}
    REG_M = {'Flanders': [166218.43, 158907.24, 161314.62], 'Wallonia': [31508.71, 30112.53, 30205.94],
             'Brussels-Capital Region': [12406.32, 11918.44, 12102.83]}
    X = {k: dict(zip(hs, v)) for k, v in REG_X.items()}
    M = {k: dict(zip(hs, v)) for k, v in REG_M.items()}
    X['Belgium'] = {h: sum(X[k][h] for k in REG_X) for h in hs}
    M['Belgium'] = {h: sum(M[k][h] for k in REG_M) for h in hs}
    names = [('Belgique / België', 'Belgium'), ('Région flamande / Vlaams Gewest', 'Flanders'),
             ('Région wallonne / Waals Gewest', 'Wallonia'),
             ('Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest', 'Brussels-Capital Region')]
    s = b.sheet('Régions - Gewesten')
    s.t('A1', 'Commerce extérieur par région / Buitenlandse handel per gewest', bold=True)
    s.t('A2', "millions d'euros / miljoen euro")
    for i, h in enumerate(['S1 2023', 'S2 2023', 'S1 2024', 'Var. % S1 2024 / S1 2023 - % wijz.']):
        s.t((4, 2 + i), h, bold=True, wrap=True, align='right')
    cols = {h: 2 + i for i, h in enumerate(hs)}
    F1, P1 = '#,##0.0', '0.0'
    r = 5
    for title, flow in (('Exportations / Uitvoer', 'exports'), ('Importations / Invoer', 'imports'),
                        ('Solde / Saldo', 'balance')):
        s.t((r, 1), title, bold=True)
        for i, (label, canon) in enumerate(names):
            rr = r + 1 + i
            s.t((rr, 1), label)
            lab = Lab(reporter=canon, parent='' if canon == 'Belgium' else 'Belgium', partner='World', flow=flow,
                      unit='EUR', scale=1e6)
            ser = {'exports': X[canon], 'imports': M[canon], 'balance': sub(X[canon], M[canon])}[flow]
            lv(s, rr, cols, ser, 1, F1, lab)
            if flow != 'balance':
                gr(s, rr, {'2024S1': (5, '2023S1')}, ser, 1, P1, lab)
        r += 6
    s.t((r, 1), 'Concept national. Les régions additionnées donnent la Belgique. / Nationaal concept.')
    s.width('A', 58)
    s = b.sheet('Partenaires - Partners')
    P = '2024S1'
    wx, wm = X['Belgium'][P], M['Belgium'][P]
    eu = [('  Pays-Bas / Nederland', 'Netherlands', 0.192, 0.213), ('  Allemagne / Duitsland', 'Germany', 0.168,
                                                                    0.142),
          ('  France / Frankrijk', 'France', 0.139, 0.098)]
    ex = [('  États-Unis / Verenigde Staten', 'United States', 0.071, 0.078),
          ('  Royaume-Uni / Verenigd Koninkrijk', 'United Kingdom', 0.052, 0.041), ('  Chine / China', 'China', 0.021,
                                                                                     0.056)]
    eux, eum = wx * 0.6712, wm * 0.5934
    rows = [('Union européenne / Europese Unie', 'EU27', eux, eum)]
    rows += [(lb, cn, wx * a, wm * m) for lb, cn, a, m in eu]
    rows += [('Hors Union européenne / Buiten de Europese Unie', 'Extra-EU', wx - eux, wm - eum)]
    rows += [(lb, cn, wx * a, wm * m) for lb, cn, a, m in ex]
    rows += [('Monde / Wereld', 'World', wx, wm)]
    s.t('A1', 'Commerce extérieur de la Belgique par partenaire, S1 2024 / Buitenlandse handel van België per '
              'partner, S1 2024', bold=True)
    s.t('A2', "millions d'euros / miljoen euro")
    for i, h in enumerate(['Exportations / Uitvoer', 'Importations / Invoer', 'Solde / Saldo']):
        s.t((4, 2 + i), h, bold=True, wrap=True, align='right')
    L = Lab(reporter='Belgium', period=P, unit='EUR', scale=1e6)
    for i, (label, canon, x, m) in enumerate(rows):
        rr = 5 + i
        s.t((rr, 1), label, bold=canon in ('EU27', 'Extra-EU', 'World'))
        s.f((rr, 2), x, 1, F1, L(partner=canon, flow='exports'))
        s.f((rr, 3), m, 1, F1, L(partner=canon, flow='imports'))
        s.f((rr, 4), x - m, 1, F1, L(partner=canon, flow='balance'))
    s.width('A', 50)
    c.partner_sums = [('World', ['EU27', 'Extra-EU'])]


# ---------------------------------------------------------------------------
# group planted: one realistic slip in an otherwise consistent table
# ---------------------------------------------------------------------------


def e01():
    c = new_case('e01_andalucia_prior_year_pasted', 'planted',
                 'Spanish regional statistics institute table (Andalusia beside Spain): two years with the rate '
                 'of change, the region\'s quota and the balance, in million euro',
                 'xlsxwriter',
                 ['planted: Andalusia\'s 2023 imports pasted from the 2022 column (38,105.9 published as 43,618.4); '
                  'the balance, the rate of change and the quota disagree with it', 'reporter Spain and region '
                  'Andalusia (Andalucía)', 'Spanish labels (Exportaciones, Importaciones, Saldo, Tasa de variación, '
                  'Cuota)', 'unit "Millones de euros"', 'growth vs the column before'])
    b = c.book('e01_andalucia_prior_year_pasted.xlsx', 'xlsxwriter')
    s = b.sheet('Andalucía')
    ys = ['2022', '2023']
    ES_X = dict(zip(ys, [389208.47, 383688.42]))
    AN_X = dict(zip(ys, [41902.34, 37318.61]))
    ES_M = dict(zip(ys, [457321.24, 424216.73]))
    AN_M = dict(zip(ys, [43618.43, 38105.92]))
    s.t('A1', 'Comercio exterior de Andalucía', bold=True)
    s.t('A2', 'Andalucía y España, años 2022 y 2023')
    s.t('A3', 'Millones de euros')
    s.n('B5', 2022, bold=True)
    s.n('C5', 2023, bold=True)
    s.t('D5', 'Tasa de variación (%)', bold=True, wrap=True)
    cols = {'2022': 2, '2023': 3}
    gcol = {'2023': (4, '2022')}
    L = Lab(partner='World', unit='EUR', scale=1e6)
    es, an = L(reporter='Spain'), L(reporter='Andalusia', parent='Spain')
    F1, P1 = '#,##0.0', '0.0'
    r = 6
    for title, flow, A, B in (('Exportaciones', 'exports', ES_X, AN_X), ('Importaciones', 'imports', ES_M, AN_M)):
        s.t((r, 1), title, bold=True)
        s.t((r + 1, 1), 'España')
        lv(s, r + 1, cols, A, 1, F1, es(flow=flow))
        gr(s, r + 1, gcol, A, 1, P1, es(flow=flow))
        s.t((r + 2, 1), 'Andalucía')
        lv(s, r + 2, cols, B, 1, F1, an(flow=flow))
        gr(s, r + 2, gcol, B, 1, P1, an(flow=flow))
        s.t((r + 3, 1), 'Cuota de Andalucía (%)')
        shr(s, r + 3, cols, B, A, 1, P1, an(flow=flow))
        r += 4
    s.t((r, 1), 'Saldo', bold=True)
    s.t((r + 1, 1), 'España')
    lv(s, r + 1, cols, sub(ES_X, ES_M), 1, F1, es(flow='balance'))
    s.t((r + 2, 1), 'Andalucía')
    lv(s, r + 2, cols, sub(AN_X, AN_M), 1, F1, an(flow='balance'))
    s.t((r + 4, 1), 'Datos de 2023 provisionales.')
    s.width('A', 24)
    s.publish('C12', rnd(AN_M['2022'], 1))
    c.plant(b.name, 'Andalucía', 'C12', 'balance', AN_M['2023'], 1, 'value pasted from the previous year\'s column')


def e02():
    c = new_case('e02_hamburg_growth_copied', 'planted',
                 'German state statistics table (Hamburg beside Germany, trade with China): three years and two '
                 'columns of changes, written by a spreadsheet program other than Excel',
                 'ssconvert',
                 ['planted: the 2023 change of Hamburg\'s imports copied from the 2022 change beside it (-19.7 '
                  'published as 31.0): only the growth rate disagrees', 'reporter Germany and region Hamburg',
                  'German labels (Ausfuhr, Einfuhr, Saldo, Veränderung ... gegenüber ... in %)', 'two growth '
                  'columns after the levels, each against its own pair of years', 'unit "Mio. EUR"'])
    b = c.book('e02_hamburg_growth_copied.xlsx', 'ssconvert')
    s = b.sheet('China')
    ys = ['2021', '2022', '2023']
    DE_X = dict(zip(ys, [103612.42, 106758.91, 97318.24]))
    HH_X = dict(zip(ys, [4512.63, 4318.92, 3906.41]))
    DE_M = dict(zip(ys, [143515.74, 192847.33, 157216.82]))
    HH_M = dict(zip(ys, [21306.84, 27915.43, 22418.71]))
    s.t('A1', 'Außenhandel Hamburgs mit China', bold=True)
    s.t('A2', 'Deutschland und Hamburg, 2021 bis 2023')
    s.t('A3', 'Mio. EUR')
    for i, y in enumerate(ys):
        s.n((5, 2 + i), int(y), bold=True)
    s.t('E5', 'Veränderung 2022 gegenüber 2021 in %', bold=True, wrap=True)
    s.t('F5', 'Veränderung 2023 gegenüber 2022 in %', bold=True, wrap=True)
    cols = {y: 2 + i for i, y in enumerate(ys)}
    gcol = {'2022': (5, '2021'), '2023': (6, '2022')}
    L = Lab(partner='China', unit='EUR', scale=1e6)
    de, hh = L(reporter='Germany'), L(reporter='Hamburg', parent='Germany')
    rows = [('Ausfuhr Deutschland', de(flow='exports'), DE_X), ('Ausfuhr Hamburg', hh(flow='exports'), HH_X),
            ('Einfuhr Deutschland', de(flow='imports'), DE_M), ('Einfuhr Hamburg', hh(flow='imports'), HH_M),
            ('Saldo Deutschland', de(flow='balance'), sub(DE_X, DE_M)),
            ('Saldo Hamburg', hh(flow='balance'), sub(HH_X, HH_M))]
    for i, (label, lab, ser) in enumerate(rows):
        s.t((6 + i, 1), label)
        lv(s, 6 + i, cols, ser, 1, '#,##0.0', lab)
        if lab['flow'] != 'balance':
            gr(s, 6 + i, gcol, ser, 1, '0.0', lab)
    s.t('A13', 'Vorläufige Ergebnisse für 2023.')
    s.width('A', 22)
    s.publish('F9', rnd(growth(HH_M['2022'], HH_M['2021']), 1))
    c.plant(b.name, 'China', 'F9', 'growth_consistency', growth(HH_M['2023'], HH_M['2022']), 1,
            'value copied from the neighbouring column')


def e03():
    c = new_case('e03_quebec_share_wrong_base', 'planted',
                 'Tab-separated download from a Quebec statistics portal (Quebec beside Canada), French labels: '
                 'territory and flow in two label columns, years across, the province\'s shares',
                 'tsv',
                 ['planted: Quebec\'s share of Canadian imports in 2023 computed against Canada\'s exports (19.1 '
                  'published as 17.9): share and levels disagree', 'French labels (Exportations, Importations, '
                  'Solde, Part du Québec dans ...)', 'territory in column A, flow in column B', 'decimal comma '
                  'without thousands separators ("117205,8")', 'unit "En millions de dollars canadiens" (CAD)',
                  'reporter Canada and province Quebec (Québec)'])
    t = c.text('e03_quebec_share_wrong_base.tsv', delim='\t')
    ys = ['2021', '2022', '2023']
    CA_X = dict(zip(ys, [636808.42, 779219.63, 768502.34]))
    CA_M = dict(zip(ys, [631004.21, 758416.84, 722914.62]))
    QC_X = dict(zip(ys, [100512.63, 119408.32, 117205.84]))
    QC_M = dict(zip(ys, [117306.42, 143812.71, 137908.23]))
    t.row('Commerce international de marchandises, Québec et Canada, 2021-2023')
    t.row('En millions de dollars canadiens')
    t.blank()
    t.row('Territoire', 'Flux', *ys)
    L = Lab(partner='World', unit='CAD', scale=1e6)
    ca, qc = L(reporter='Canada'), L(reporter='Quebec', parent='Canada')
    for name, lab, X, M in (('Canada', ca, CA_X, CA_M), ('Québec', qc, QC_X, QC_M)):
        for label, flow, ser in (('Exportations', 'exports', X), ('Importations', 'imports', M),
                                 ('Solde', 'balance', sub(X, M))):
            t.row(name, label, *[fig(ser[y], 1, lab(flow=flow, period=y), dec_mark=',') for y in ys])
    t.row('Québec', 'Part du Québec dans les exportations canadiennes (%)',
          *[fig(QC_X[y] / CA_X[y] * 100, 1, qc.share(flow='exports', period=y), dec_mark=',') for y in ys])
    share_m = {y: QC_M[y] / CA_M[y] * 100 for y in ys}
    share_m['2023'] = QC_M['2023'] / CA_X['2023'] * 100
    line = t.row('Québec', 'Part du Québec dans les importations canadiennes (%)',
                 *[fig(share_m[y], 1, qc.share(flow='imports', period=y), dec_mark=',') for y in ys])
    t.blank()
    t.row('Données de 2023 provisoires.')
    c.plant(t.name, '', f'E{line}', 'share_consistency', QC_M['2023'] / CA_M['2023'] * 100, 1,
            'share computed against the wrong total (exports instead of imports)')


# ---------------------------------------------------------------------------
# group unreadable: files that must fail with a clear error
# ---------------------------------------------------------------------------


def b01():
    c = new_case('b01_word_document_renamed', 'unreadable',
                 'A word-processor document (.docx) with a trade commentary, saved with an .xlsx name',
                 'raw',
                 ['a valid zip archive that is a Word document, not a workbook, must fail with a clear error (no '
                  'workbook part)'])
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/>'
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-'
          'properties+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')
    paras = ['Foreign trade in the first half of 2024: commentary',
             'Exports rose by 2.4% on the same period of 2023 to 165,834 million, imports by 5.4% to 247,513 '
             'million.',
             'The deficit widened to 81,679 million. Trade with the largest partner grew faster than the total.',
             'Tables follow in the statistical annex (a separate workbook).']
    body = ''.join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paras)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body +
           '<w:sectPr/></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>tradeetl world fixtures</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_ISO}</dcterms:created></cp:coreProperties>')
    c.raw('b01_word_document_renamed.xlsx', fixed_zip([('[Content_Types].xml', ct.encode()),
                                                       ('_rels/.rels', rels.encode()),
                                                       ('word/document.xml', doc.encode()),
                                                       ('docProps/core.xml', core.encode())]))
    c.expected_exit = 3


def b02():
    c = new_case('b02_empty_download', 'unreadable',
                 'A CSV download that came back empty (zero bytes)',
                 'raw',
                 ['an empty .csv must fail with a clear error (the file is empty)'])
    c.raw('b02_empty_download.csv', b'')
    c.expected_exit = 3


def b03():
    c = new_case('b03_press_release_prose_csv', 'unreadable',
                 'A press release pasted into a text file with a .csv name: prose with commas and numbers, no table',
                 'raw',
                 ['a .csv of prose, whose lines split on commas into uneven fields and whose numbers sit in '
                  'sentences, must fail with a clear error (no table found), not yield figures'])
    text = ('Press release: foreign trade in goods, June 2024\n'
            '\n'
            'In June 2024, exports of goods amounted to 41,508 million, up 3.1% on June 2023, while imports fell '
            '2.4% to 38,312 million.\n'
            'The trade surplus therefore widened to 3,196 million, the largest since March.\n'
            'Exports to the European Union, the main partner, rose by 1.8%; exports to Asia grew by 6.2%.\n'
            'Revised figures for May, published today, show a surplus of 2,904 million.\n'
            '\n'
            'Next release: 15 August 2024, 11:00.\n')
    c.raw('b03_press_release_prose_csv.csv', text.encode('utf-8'))
    c.expected_exit = 3


# ---------------------------------------------------------------------------
# the key
# ---------------------------------------------------------------------------

CONVENTIONS = {
    'format': 'the format of ../shared/corpus/trade/answers.json (see its README.md), with the flows re_exports '
              'and re_imports and the top-level "aliases" object added.',
    'files': 'case.files are paths relative to this folder (cases/NAME); a figure\'s file is the base name.',
    'cell': 'xlsx: the A1 address in the named sheet. CSV/TSV: the column letter of the field (A = first field) '
            'followed by the physical line number, counting every line of the file, title and blank lines '
            'included; sheet is "". A CSV that LibreOffice converted to xlsx keeps its cells, in the sheet named '
            'after the file.',
    'value': 'the figure as displayed, in the table\'s own unit and scale (6.8 for "6,8" in a table in billion '
             'euro; -1.2 for "(1.2)" or "\u22121.2"). A planted culprit is listed with the value it shows.',
    'text': 'the figure as written: for text cells and CSV/TSV fields the characters as stored (flags and '
            'footnote marks included); for numeric xlsx cells what its number format shows in an English locale.',
    'decimals': 'decimals published (for General-format cells: decimals shown); a figure stands for any value '
                'within half a unit of its last decimal.',
    'scale': 'multiplier from value to the unit: 1 (US$, VALUE in dollars, percentages), 1000 (miles de euros, '
             '1 000 Euro, x 1 000 euro, tys. EUR, thousand euro), 1e6 (million, millones, millions, mln, Mio., '
             'milioni, milhões, R million, £ million, SCALAR_FACTOR millions, UNIT_MULT 6), 1e9 (Mrd., miljarder '
             'kronor / mdkr).',
    'unit': 'ISO 4217 code of the currency (EUR, USD, GBP, CAD, ZAR, SEK), or "%" for growth rates and shares.',
    'reporter': 'canonical English name of the reporting country or region; reporter_parent is the country of a '
                'region (Catalonia, Auvergne-Rhône-Alpes, Bavaria, North Brabant, São Paulo, Texas, England, '
                'Wales, Scotland, Northern Ireland, Mexican states, Flanders, Wallonia, Brussels-Capital Region, '
                'Quebec, Ontario, Minas Gerais, Paraná, Andalusia, Hamburg), "" for a country.',
    'partner': 'canonical English name of the partner: a country, or World (all partners, total, Totaal landen, '
               'All countries, Ogółem, Totalt, Monde / Wereld), EU27 (EU, Unión Europea, European Union, Unia '
               'Europejska), Extra-EU (Paesi extra Ue, non-EU, Hors UE, EXT_EU27_2020), Rest of the world, and '
               'the groups Africa, Europe, Asia, Americas, Oceania, SADC, OPEC, Mercosur, ASEAN.',
    'aliases': 'top level: canonical name -> names and codes a tool may give for it instead (ISO 3166 names and '
               'codes, official local names of regions, agency codes). A scorer compares names without case, '
               'accents and punctuation, and treats an alias as its canonical name. A case may carry its own '
               '"aliases", merged over these.',
    'flow': 'exports | imports | balance (exports - imports, however labelled: saldo, solde, Außenhandelssaldo, '
            'handelsbalans, Trade Balance, net exports) | surplus (exports - imports, labelled surplus) | deficit '
            '(imports - exports) | total (exports + imports: corrente de comércio) | re_exports (wederuitvoer, '
            'Re-export, flowCode RX) | re_imports (flowCode RM).',
    'measure': 'level (an amount of money) | growth (percent change against base_period) | share (a region\'s '
               'level as a percent of its country\'s level for the same flow, partner and period).',
    'period': 'YYYY, YYYYQn, YYYYSn (half year), YYYY-MM, or YYYY-MM/YYYY-MM for a cumulative or rolling range '
              '(ene-jun 2024 = 2024-01/2024-06; fiscal year 2023-2024 in India = 2023-04/2024-03; year ending '
              'June 2024 = 2023-07/2024-06).',
    'base_period': 'for a growth rate, the period it compares with (the column or row before it, the same period '
                   'a year earlier, shown or not); "" for other measures.',
    'flag': 'status or footnote mark attached to the figure or to its row or column heading ((p), (a), *, 1), '
            'r, 1/, p/, (P), E, P, p, e); "" when none. Not scored.',
    'product': 'Total, or the product group of the figure (Oil, Non-oil, SITC codes, HS 85); where a case sets '
               'products_complete the product lines add up to Total. Not scored.',
    'missing': 'cells holding a missing, suppressed or not-meaningful mark ("-", "x", ".", "(X)", "n/a", "n.s.", '
               '"[c]", ":", ": c"), or an empty VALUE whose STATUS says ".." (text ""): a tool must not read a '
               'number there.',
    'partner_sums': 'partner aggregates that the table makes add up (the first equals the sum of the others), '
                    'for information.',
    'planted': 'null for a clean case; else the one wrong figure: file, sheet, cell, the rule that exposes it '
               '(balance, share_range, share_consistency, part_le_whole, growth_consistency, sum_of_parts), rules '
               '(every rule it breaks), true_value (what the cell should read, in the table\'s unit), true_text, '
               'published (what it reads) and slip.',
    'expected_exit': '0 clean, 1 planted error (error-severity findings), 3 unreadable input.',
}

# the kind of publication each case imitates (layout only: titles, notes and figures are this file's own)
MODELLED_ON = {
    'r01': 'Idescat / Spanish trade secretariat (DataComex) regional foreign-trade tables',
    'r02': 'French customs (DGDDI) regional foreign-trade tables',
    'r03': 'Bavarian State Office for Statistics / Destatis foreign-trade tables',
    'r04': 'CBS regional trade figures in a Noord-Brabant provincial monitor',
    'r05': 'Comex Stat / Secex state trade summaries (Brazil)',
    'r06': 'U.S. Census Bureau state trade tables (USA Trade Online)',
    'r07': 'HMRC Regional Trade Statistics release tables',
    'r08': 'INEGI exports by federal entity (Mexico)',
    'p01': 'South African Revenue Service (SARS) trade statistics releases',
    'p02': 'India Ministry of Commerce (DGCI&S) Export Import Data Bank, country-wise reports',
    'p03': 'Banco Central de Chile / Servicio Nacional de Aduanas trade by country',
    'p04': 'ISTAT "Commercio estero extra Ue" monthly release tables',
    'p05': 'Statistics Sweden (SCB) trade in goods by main partner',
    'p06': 'Statistics Poland (GUS) / Polish ministry foreign-trade tables in EUR',
    't01': 'INEGI "Balanza comercial de mercancías de México" monthly tables',
    't02': 'ONS time-series CSV downloads (several series)',
    't03': 'ELSTAT monthly press release on commercial transactions (English)',
    'l01': 'UN Comtrade data portal CSV downloads',
    'l02': 'Statistics Canada data-table CSV downloads (international merchandise trade)',
    'l03': 'CBS StatLine / open-data CSV downloads',
    'l04': 'OECD Data Explorer SDMX-CSV downloads ("labels: both")',
    'l05': 'Eurostat bulk download TSV (dissemination API), SITC dataset',
    'l06': 'Comex Stat (MDIC) "dados gerais" CSV exports',
    'x01': 'National Bank of Belgium (NBB.Stat) bilingual foreign-trade tables',
    'e01': 'Instituto de Estadística y Cartografía de Andalucía regional trade tables',
    'e02': 'Statistikamt Nord foreign-trade tables (Hamburg)',
    'e03': 'Institut de la statistique du Québec downloads',
    'b01': 'none (a document put in the input folder by mistake)',
    'b02': 'none (a failed download)',
    'b03': 'none (text saved under a .csv name)',
}

# canonical name -> variants a tool may give for it (ISO 3166-1 names and alpha-2/alpha-3 codes, ISO 3166-2
# codes and official local names of regions, agency codes); names are compared without case, accents and
# punctuation, so "Sao Paulo" and "São Paulo" need no entry
ALIASES = {
    'World': ['W00', 'W0', 'W1', 'W', 'WLD', '0', 'World total', 'All countries', 'Total all countries',
              'All partners'],
    'EU27': ['EU', 'EU27_2020', 'EU 27', 'European Union', 'European Union (27)',
             'European Union (27 countries from 01/02/2020)'],
    'Extra-EU': ['EXT_EU27_2020', 'Extra-EU27', 'Extra EU 27', 'Non-EU', 'Non-EU countries', 'Outside the EU',
                 'Third countries'],
    'Rest of the world': ['Rest of world', 'Other countries', 'Others'],
    'Africa': ['AFR'],
    'Europe': ['EUR_CONT'],
    'Asia': [],
    'Americas': ['America'],
    'Oceania': [],
    'SADC': ['Southern African Development Community'],
    'OPEC': ['Organization of the Petroleum Exporting Countries', 'OPEC countries'],
    'Mercosur': ['Mercosul', 'Southern Common Market'],
    'ASEAN': ['Association of Southeast Asian Nations', 'ASEAN countries'],
    'United States': ['United States of America', 'US', 'USA', 'U.S.', 'U.S.A.'],
    'United Kingdom': ['United Kingdom of Great Britain and Northern Ireland', 'UK', 'GB', 'GBR', 'U.K.'],
    'South Korea': ['Korea, Republic of', 'Republic of Korea', 'Korea', 'Korea, Rep.', 'KR', 'KOR'],
    'Hong Kong': ['Hong Kong, China', 'Hong Kong SAR', 'China, Hong Kong SAR', 'HK', 'HKG'],
    'Russia': ['Russian Federation', 'RU', 'RUS'],
    'Türkiye': ['Turkey', 'Republic of Türkiye', 'TR', 'TUR'],
    'China': ["China (People's Republic of)", "People's Republic of China", 'CN', 'CHN', 'CN_X_HK'],
    'Netherlands': ['Netherlands, Kingdom of the', 'The Netherlands', 'NL', 'NLD'],
    'Czechia': ['Czech Republic', 'CZ', 'CZE'],
    'United Arab Emirates': ['UAE', 'AE', 'ARE'],
    'Saudi Arabia': ['SA', 'SAU'],
    'Spain': ['ES', 'ESP'],
    'France': ['FR', 'FRA'],
    'Germany': ['DE', 'DEU'],
    'Brazil': ['BR', 'BRA'],
    'Mexico': ['MX', 'MEX'],
    'South Africa': ['ZA', 'ZAF'],
    'India': ['IN', 'IND'],
    'Chile': ['CL', 'CHL'],
    'Italy': ['IT', 'ITA'],
    'Sweden': ['SE', 'SWE'],
    'Poland': ['PL', 'POL'],
    'Greece': ['EL', 'GR', 'GRC', 'Hellas'],
    'Singapore': ['SG', 'SGP'],
    'Canada': ['CA', 'CAN'],
    'Belgium': ['BE', 'BEL'],
    'Japan': ['JP', 'JPN'],
    'Switzerland': ['CH', 'CHE'],
    'Norway': ['NO', 'NOR'],
    'Denmark': ['DK', 'DNK'],
    'Finland': ['FI', 'FIN'],
    'Ukraine': ['UA', 'UKR'],
    'Malaysia': ['MY', 'MYS'],
    'Indonesia': ['ID', 'IDN'],
    'Argentina': ['AR', 'ARG'],
    'Botswana': ['BW', 'BWA'],
    'Namibia': ['NA', 'NAM'],
    'Mozambique': ['MZ', 'MOZ'],
    'Zimbabwe': ['ZW', 'ZWE'],
    'Catalonia': ['Catalunya', 'Cataluña', 'Catalogne', 'ES-CT'],
    'Andalusia': ['Andalucía', 'ES-AN'],
    'Auvergne-Rhône-Alpes': ['FR-ARA'],
    'Bavaria': ['Bayern', 'Freistaat Bayern', 'DE-BY'],
    'Hamburg': ['Freie und Hansestadt Hamburg', 'DE-HH'],
    'North Brabant': ['Noord-Brabant', 'NL-NB'],
    'São Paulo': ['BR-SP', 'SP'],
    'Minas Gerais': ['BR-MG', 'MG'],
    'Paraná': ['BR-PR', 'PR'],
    'Texas': ['US-TX', 'TX'],
    'England': ['GB-ENG'],
    'Wales': ['Cymru', 'GB-WLS'],
    'Scotland': ['GB-SCT'],
    'Northern Ireland': ['GB-NIR'],
    'Chihuahua': ['MX-CHH'],
    'Coahuila': ['Coahuila de Zaragoza', 'MX-COA'],
    'Nuevo León': ['MX-NLE'],
    'Baja California': ['MX-BCN'],
    'Tamaulipas': ['MX-TAM'],
    'Jalisco': ['MX-JAL'],
    'Flanders': ['Flemish Region', 'Vlaams Gewest', 'Vlaanderen', 'Région flamande', 'BE-VLG'],
    'Wallonia': ['Walloon Region', 'Région wallonne', 'Waals Gewest', 'Wallonie', 'BE-WAL'],
    'Brussels-Capital Region': ['Brussels Hoofdstedelijk Gewest', 'Région de Bruxelles-Capitale', 'Brussels',
                                'BE-BRU'],
    'Quebec': ['Québec', 'CA-QC'],
    'Ontario': ['CA-ON'],
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
        'description': 'Synthetic trade-statistics tables in the styles of statistics offices, customs '
                       'administrations and data portals of many countries, for measuring how well tradeetl '
                       'reads tables it was not tuned on. Each case imitates the layout of a kind of publication '
                       '(see "models"); the figures are invented but consistent within their published rounding, '
                       'except for one planted error in each case of group "planted". Written by '
                       'testdata/world/gen.py.',
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
    'soffice-csv': 'LibreOffice Calc, headless conversion of a CSV file to xlsx',
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
    tmp = tempfile.mkdtemp(prefix='tradeetl-world-gen-')
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

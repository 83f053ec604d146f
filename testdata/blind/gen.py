#!/usr/bin/python3
"""Writes tradeetl's blind trade-table corpus: cases/ and answers.json.

Usage: /usr/bin/python3 testdata/blind/gen.py   (from any folder; writes next to this file)

Needs the Debian packages python3-openpyxl, python3-xlsxwriter,
libreoffice-calc-nogui (soffice) and gnumeric (ssconvert); nothing from PyPI
and no network. Intermediate files go to a temporary folder under /tmp.

A fourth set of tables, beside the shared corpus (../shared/corpus/trade),
testdata/world and testdata/heldout, kept blind: nobody who works on the
reader reads these files. The publications imitated are ones none of the
three earlier corpora imitates: other countries and languages (Japanese,
simplified and traditional Chinese, Thai, Vietnamese, Indonesian, Malay,
Korean, Arabic, Ukrainian, Russian, Greek, Estonian, Lithuanian, Croatian,
Slovenian, Turkish, Canadian bilingual English/French, English of India,
the Philippines, Nigeria and Pakistan), other calendars (Japanese era
years, Thai Buddhist years, Republic of China years, Indian and Pakistani
fiscal years), other number habits (the Japanese triangle minus, Indian
lakh grouping, Greek dot grouping in a Windows-1253 CSV, brackets), other
units (hundred million yuan, crore, thousand yen) and other download
formats (e-Stat CSV in Shift_JIS, KOSIS CSV in CP949, UNCTADstat bulk CSV,
the BPS export-import portal, TÜİK MEDAS spreadsheets).

The key has the format of the shared corpus's key (see its README.md and
CONVENTIONS below) with the additions of testdata/world: the flows
re_exports and re_imports, and the top-level "aliases" object.

Every table is synthetic: its layout follows the kind of publication named in
the case's "models" field; titles, notes and figures are this file's own.
Base figures are chosen by hand or drawn from seeded random generators; every
derived figure (balance, total trade, share, growth, aggregate, product
total, rest of the world) is computed from the unrounded base figures and
rounded as the table publishes it. Before the key is written, the generator

  1. checks every case with its own interval arithmetic (balance, total
     trade, re-exports within exports, shares and their range, growth rates,
     region within country, product lines and declared partner aggregates
     adding up): in a clean case every check passes with room to spare (the
     intervals overlap by more than a hundredth of the narrower one); a
     planted case fails, only through its planted cell, and passes again
     with the true value put back;
  2. opens every written file again (openpyxl for workbooks, a plain reader
     for CSV/TSV in the file's encoding) and checks that each key cell holds
     the key's value (a numeric cell's number format showing the key's text),
     and that each missing mark is where the key says.

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
FIXED_TIME = datetime.datetime(2024, 12, 2, 10, 15, 0)
FIXED_ZIP_TIME = (2024, 12, 2, 10, 15, 0)
FIXED_ISO = "2024-12-02T10:15:00Z"
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


def _split_sections(fmt):
    """The sections of a number format, split at semicolons outside quotes."""
    secs, cur, q = [], '', False
    for ch in fmt:
        if ch == '"':
            q = not q
        if ch == ';' and not q:
            secs.append(cur)
            cur = ''
        else:
            cur += ch
    return secs + [cur]


def _tokens(sec):
    """A format section as tokens: ('lit', text) for quoted text, escaped and
    other literal characters; ('num', spec) for the run of digit
    placeholders; ('pct', '%'). Colour codes [Red], padding _x and fill *x
    are dropped."""
    out, i = [], 0
    while i < len(sec):
        ch = sec[i]
        if ch == '"':
            j = sec.index('"', i + 1)
            out.append(('lit', sec[i + 1:j]))
            i = j + 1
        elif ch == '\\':
            out.append(('lit', sec[i + 1]))
            i += 2
        elif ch == '[':
            i = sec.index(']', i) + 1
        elif ch in '_*':
            i += 2
        elif ch in '0#?,.':
            j = i
            while j < len(sec) and sec[j] in '0#?,.':
                j += 1
            out.append(('num', sec[i:j]))
            i = j
        elif ch == '%':
            out.append(('pct', '%'))
            i += 1
        else:
            out.append(('lit', ch))
            i += 1
    return out


def excel_text(v, fmt):
    """How a spreadsheet shows the number v under the number format fmt, in an
    English locale: General, digit placeholders with or without grouping,
    percent formats, and a negative section with brackets, a trailing minus
    or quoted text such as the Japanese "▲" (the negative section shows the
    absolute value; without one a minus goes first)."""
    if fmt is None or fmt == 'General':
        if float(v).is_integer():
            return str(int(v))
        return '%.10g' % v
    secs = _split_sections(fmt)
    sign = ''
    if v < 0 and len(secs) > 1:
        sec = secs[1]
    elif v == 0 and len(secs) > 2:
        sec = secs[2]
    else:
        sec = secs[0]
        sign = '-' if v < 0 else ''
    toks = _tokens(sec)
    a = abs(v) * 100 ** sum(1 for k, _ in toks if k == 'pct')
    out = []
    for k, s in toks:
        if k == 'num':
            d = len(re.sub(r'[^0#?]', '', s.split('.', 1)[1])) if '.' in s else 0
            body = f'{a:,.{d}f}' if ',' in s.split('.', 1)[0].strip(',') else f'{a:.{d}f}'
            out.append(body)
        else:
            out.append(s)
    text = ''.join(out)
    return sign + text if sign else text


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
        self.rtl = False

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
        if sh.rtl:
            ws.sheet_view.rightToLeft = True
    wb.properties.creator = 'tradeetl blind corpus'
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)


def write_xlsxwriter(book, path):
    wb = xlsxwriter.Workbook(path, {'strings_to_numbers': False, 'strings_to_formulas': False,
                                    'strings_to_urls': False})
    wb.set_properties({'author': 'tradeetl blind corpus', 'created': FIXED_TIME})
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
        if sh.rtl:
            ws.right_to_left()
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
    # a cumulative period, a half-year or a year equals the sum of its months or quarters where all are shown
    for k, fs in levels.items():
        rep, par, flow, per, prod, unit = k
        lo_m, hi_m = period_months(per)
        if lo_m == hi_m:
            continue
        for parts in (month_keys(lo_m, hi_m), quarter_keys(lo_m, hi_m)):
            ps = [levels.get((rep, par, flow, p, prod, unit)) for p in parts] if parts else None
            if not ps or not all(ps) or len(parts) < 2:
                continue
            lo, hi = sum(iv(p[0])[0] for p in ps), sum(iv(p[0])[1] for p in ps)
            if not ok(iv(fs[0]), (lo, hi)):
                bad.append(('period_sum', [fid(fs[0])] + [fid(p[0]) for p in ps]))
    for tot, parts in getattr(case, 'region_sums', []):
        for par, flow, per, prod, unit in sorted({(k[1], k[2], k[3], k[4], k[5]) for k in levels}):
            t = levels.get((tot, par, flow, per, prod, unit))
            ps = [levels.get((p, par, flow, per, prod, unit)) for p in parts]
            if not t or not all(ps):
                continue
            lo, hi = sum(iv(p[0])[0] for p in ps), sum(iv(p[0])[1] for p in ps)
            if not ok(iv(t[0]), (lo, hi)):
                bad.append(('sum_of_parts', [fid(t[0])] + [fid(p[0]) for p in ps]))
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


def period_months(p):
    """First and last month (as year*12 + month - 1) of a key period."""
    m = re.fullmatch(r'(\d{4})', p)
    if m:
        y = int(m[1])
        return y * 12, y * 12 + 11
    m = re.fullmatch(r'(\d{4})Q([1-4])', p)
    if m:
        y, q = int(m[1]), int(m[2])
        return y * 12 + 3 * q - 3, y * 12 + 3 * q - 1
    m = re.fullmatch(r'(\d{4})S([12])', p)
    if m:
        y, h = int(m[1]), int(m[2])
        return y * 12 + 6 * h - 6, y * 12 + 6 * h - 1
    m = re.fullmatch(r'(\d{4})-(\d\d)', p)
    if m:
        v = int(m[1]) * 12 + int(m[2]) - 1
        return v, v
    m = re.fullmatch(r'(\d{4})-(\d\d)/(\d{4})-(\d\d)', p)
    return int(m[1]) * 12 + int(m[2]) - 1, int(m[3]) * 12 + int(m[4]) - 1


def month_keys(lo, hi):
    return [f'{v // 12}-{v % 12 + 1:02d}' for v in range(lo, hi + 1)]


def quarter_keys(lo, hi):
    if lo % 3 or (hi + 1) % 3:
        return None
    return [f'{v // 12}Q{v % 12 // 3 + 1}' for v in range(lo, hi + 1, 3)]


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
    'id': ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober',
           'November', 'Desember'],
    'hr': ['siječanj', 'veljača', 'ožujak', 'travanj', 'svibanj', 'lipanj', 'srpanj', 'kolovoz', 'rujan',
           'listopad', 'studeni', 'prosinac'],
    'sl': ['januar', 'februar', 'marec', 'april', 'maj', 'junij', 'julij', 'avgust', 'september', 'oktober',
           'november', 'december'],
    'tr': ['Ocak', 'Şubat', 'Mart', 'Nisan', 'Mayıs', 'Haziran', 'Temmuz', 'Ağustos', 'Eylül', 'Ekim', 'Kasım',
           'Aralık'],
}


def lakh(v, d):
    """v with d decimals in Indian digit grouping: 36,15,432.10 (the last
    three digits of the integer part, then groups of two)."""
    s = f'{abs(v):.{d}f}'
    ip, _, fp = s.partition('.')
    head, tail = ip[:-3], ip[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    out = ','.join(groups + [tail]) + ('.' + fp if fp else '')
    return '-' + out if v < 0 else out


def jitter(rng, base, lo=0.9, hi=1.1):
    return base * rng.uniform(lo, hi)


# ---------------------------------------------------------------------------
# group report: a country and its regions in rows, periods across
# ---------------------------------------------------------------------------


def r01():
    c = new_case('r01_nagoya_kenbetsu_reiwa', 'report',
                 'Japanese customs district summary by prefecture (Japan, the Nagoya Customs district and five '
                 'prefectures): Japanese headings, Japanese era years (令和5年 = 2023) and half-years (上半期), '
                 'growth rates (伸率) and shares of the national total (全国比), negative numbers shown with a '
                 'triangle by number format',
                 'openpyxl',
                 ['reporter Japan (全国) and regions: the customs district (管内計) and the prefectures 愛知県, 三重県, '
                  '静岡県, 岐阜県, 長野県', 'Japanese era years: 令和5年 = 2023, 令和5年上半期 = 2023S1, 令和6年上半期 = '
                  '2024S1', 'headings over three rows: flow (輸出, 輸入, 差引額) merged over periods merged over '
                  '金額 / 伸率 / 全国比', 'negative numbers as numeric cells under the format #,##0;"▲"#,##0 (shown '
                  '"▲1,234")', 'growth "伸率" vs the same half-year a year earlier (in the table)', 'share "全国比" '
                  'of the prefecture in Japan; the national row shows 100.0 there (not in the key)', 'unit only in '
                  'a note above the table: "（単位：百万円、％）" (JPY million)', 'notes below the table; '
                  'full-width spaces inside labels (輸　　出, 全　国)'])
    b = c.book('r01_nagoya_kenbetsu_reiwa.xlsx', 'openpyxl')
    s = b.sheet('県別')
    Y23, H23, H24 = '2023', '2023S1', '2024S1'
    P = [Y23, H23, H24]
    pref = [('愛知県', 'Aichi', [20714532.3, 10135210.4, 10704118.2], [8912443.1, 4511207.3, 4389540.4]),
            ('三重県', 'Mie', [1620318.2, 812440.3, 768205.1], [2310552.4, 1190331.2, 1054218.3]),
            ('静岡県', 'Shizuoka', [1318205.4, 654118.1, 701332.2], [905442.3, 462108.4, 471930.1]),
            ('岐阜県', 'Gifu', [95310.3, 46215.2, 50118.4], [68442.1, 35108.3, 33920.2]),
            ('長野県', 'Nagano', [41208.1, 20316.4, 19415.3], [52118.2, 26407.1, 28115.4])]
    JX = dict(zip(P, [100881237.2, 48011526.4, 51607390.3]))
    JM = dict(zip(P, [110197632.1, 55246118.3, 55618204.2]))
    rows = [('全　国', 'Japan', '', JX, JM)]
    DX = {p: sum(x[i] for _, _, x, _ in pref) for i, p in enumerate(P)}
    DM = {p: sum(m[i] for _, _, _, m in pref) for i, p in enumerate(P)}
    rows.append(('管内計', 'Nagoya Customs district', 'Japan', DX, DM))
    c.region_sums = [('Nagoya Customs district', [canon for _, canon, _, _ in pref])]
    for name, canon, x, m in pref:
        rows.append(('　' + name, canon, 'Japan', dict(zip(P, x)), dict(zip(P, m))))
    s.t('A1', '令和6年上半期分　名古屋税関管内　県別貿易概況（速報）', bold=True)
    s.t('A2', '名古屋税関　調査統計課')
    s.t('N3', '（単位：百万円、％）', align='right')
    s.t('A4', '区　　分', bold=True, merge='A6', align='center')
    s.t('B4', '輸　　出', bold=True, merge='F4', align='center')
    s.t('G4', '輸　　入', bold=True, merge='K4', align='center')
    s.t('L4', '差引額（輸出－輸入）', bold=True, merge='N4', align='center')
    for c0 in (2, 7):
        s.t((5, c0), '令和5年', bold=True, merge=(6, c0), align='center')
        s.t((5, c0 + 1), '令和5年上半期', bold=True, merge=(6, c0 + 1), align='center', wrap=True)
        s.t((5, c0 + 2), '令和6年上半期', bold=True, merge=(5, c0 + 4), align='center')
        for j, h in enumerate(('金　額', '伸率', '全国比')):
            s.t((6, c0 + 2 + j), h, bold=True, align='center')
    for j, h in enumerate(('令和5年', '令和5年上半期', '令和6年上半期')):
        s.t((5, 12 + j), h, bold=True, merge=(6, 12 + j), align='center', wrap=True)
    FA, FG, FS = '#,##0;"▲"#,##0', '0.0;"▲"0.0', '0.0'
    for i, (label, canon, parent, X, M) in enumerate(rows):
        r = 7 + i
        s.t((r, 1), label, bold=not parent)
        lab = Lab(reporter=canon, parent=parent, unit='JPY', scale=1e6)
        for c0, flow, ser, whole in ((2, 'exports', X, JX), (7, 'imports', M, JM)):
            lv(s, r, {Y23: c0, H23: c0 + 1, H24: c0 + 2}, ser, 0, FA, lab(flow=flow), flags={H24: 'p'})
            gr(s, r, {H24: (c0 + 3, H23)}, ser, 1, FG, lab(flow=flow))
            if parent:
                shr(s, r, {H24: c0 + 4}, ser, whole, 1, FS, lab(flow=flow))
            else:
                s.n((r, c0 + 4), 100.0, FS)
        lv(s, r, {Y23: 12, H23: 13, H24: 14}, sub(X, M), 0, FA, lab(flow='balance'), flags={H24: 'p'})
    r = 8 + len(rows)
    s.t((r, 1), '（注）1. 令和6年の数値は速報値、令和5年の数値は確報値である。')
    s.t((r + 1, 1), '　　　2. 「▲」はマイナスを示す。伸率は前年同期比、全国比は全国の値に対する割合である。')
    s.t((r + 2, 1), '　　　3. 県別の計上は、輸出入申告を受理した税関官署の所在地による。')
    s.width('A', 16)
    for col in 'BCDEFGHIJKLMN':
        s.width(col, 12)


def r02():
    c = new_case('r02_bps_provinsi_ekspor', 'report',
                 'Indonesian statistics office (BPS) release annex: exports by province of origin of the goods, '
                 'one month, the month before, the same month a year earlier and the first half of two years, with '
                 'month-on-month, year-on-year and cumulative changes and each province\'s share, Indonesian labels',
                 'xlsxwriter',
                 ['reporter Indonesia (Total) and ten provinces as regions (Jawa Barat, Kalimantan Timur, Jawa Timur, '
                  'Riau, Kepulauan Riau, ...)', 'exports only', 'periods "Jun 2023", "Mei 2024", "Jun 2024", "Jan–Jun '
                  '2023", "Jan–Jun 2024" (en dash) under a merged heading "Nilai FOB (Juta US$)" (USD million: the '
                  'unit only in that heading)', 'three change columns "Jun 2024 thd Mei 2024" (vs the month '
                  'before), "Jun 2024 thd Jun 2023" (vs the same month a year earlier), "Jan–Jun 2024 thd Jan–Jun '
                  '2023" under "Perubahan (%)"', 'share "Peran thd Total Jan–Jun 2024 (%)"', 'a row of column numbers '
                  '"(1)" ... "(10)" under the headings', 'provinces sorted by value, a "Lainnya" (other provinces) '
                  'row that is not in the key, the total last', 'notes below the table'])
    b = c.book('r02_bps_provinsi_ekspor.xlsx', 'xlsxwriter')
    s = b.sheet('Tabel 6')
    rng = random.Random(2202)
    P = ['2023-06', '2024-05', '2024-06', '2023-01/2023-06', '2024-01/2024-06']
    prov = [('Jawa Barat', 'West Java', 17512.3), ('Kalimantan Timur', 'East Kalimantan', 13905.4),
            ('Jawa Timur', 'East Java', 11204.8), ('Riau', 'Riau', 8406.1), ('Kepulauan Riau', 'Riau Islands', 7604.3),
            ('Sulawesi Tengah', 'Central Sulawesi', 7012.4), ('Banten', 'Banten', 6102.6),
            ('Jawa Tengah', 'Central Java', 5415.1), ('Sumatera Utara', 'North Sumatra', 5011.9),
            ('Maluku Utara', 'North Maluku', 4210.7)]
    series = []
    for name, canon, h24 in prov:
        h24 = h24 + rng.uniform(0, 0.0099)
        h23 = h24 / rng.uniform(0.88, 1.12)
        ser = {P[4]: h24, P[3]: h23, P[2]: h24 / 6 * rng.uniform(0.9, 1.1), P[1]: h24 / 6 * rng.uniform(0.9, 1.1),
               P[0]: h23 / 6 * rng.uniform(0.9, 1.1)}
        series.append((name, canon, ser))
    series.sort(key=lambda x: -x[2][P[4]])
    other = {p: sum(x[2][p] for x in series) * 0.38 * rng.uniform(0.97, 1.03) for p in P}
    total = {p: sum(x[2][p] for x in series) + other[p] for p in P}
    s.t('A1', 'Tabel 6. Nilai Ekspor Menurut Provinsi Asal Barang, Juni 2023, Mei 2024, Juni 2024, dan Januari–Juni '
              '2023–2024', bold=True)
    s.t('A3', 'Provinsi Asal Barang', bold=True, merge='A4', align='center', wrap=True)
    s.t('B3', 'Nilai FOB (Juta US$)', bold=True, merge='F3', align='center')
    s.t('G3', 'Perubahan (%)', bold=True, merge='I3', align='center')
    s.t('J3', 'Peran thd Total Jan–Jun 2024 (%)', bold=True, merge='J4', align='center', wrap=True)
    for j, h in enumerate(['Jun 2023', 'Mei 2024', 'Jun 2024', 'Jan–Jun 2023', 'Jan–Jun 2024',
                           'Jun 2024 thd Mei 2024', 'Jun 2024 thd Jun 2023', 'Jan–Jun 2024 thd Jan–Jun 2023']):
        s.t((4, 2 + j), h, bold=True, align='center', wrap=True)
    for j in range(10):
        s.t((5, 1 + j), f'({j + 1})', align='center', italic=True)
    cols = {p: 2 + i for i, p in enumerate(P)}
    F2 = '#,##0.00'
    L = Lab(flow='exports', unit='USD', scale=1e6)
    r = 6
    for name, canon, ser in series:
        lab = L(reporter=canon, parent='Indonesia')
        s.t((r, 1), name)
        lv(s, r, cols, ser, 2, F2, lab)
        gr(s, r, {P[2]: (7, P[1])}, ser, 2, '0.00', lab)
        gr(s, r, {P[2]: (8, P[0])}, ser, 2, '0.00', lab)
        gr(s, r, {P[4]: (9, P[3])}, ser, 2, '0.00', lab)
        shr(s, r, {P[4]: 10}, ser, total, 2, '0.00', lab)
        r += 1
    s.t((r, 1), 'Lainnya')
    for p, col in cols.items():
        s.n((r, col), rnd(other[p], 2), F2)
    for col, (p, q) in ((7, (P[2], P[1])), (8, (P[2], P[0])), (9, (P[4], P[3]))):
        s.n((r, col), rnd(growth(other[p], other[q]), 2), '0.00')
    s.n((r, 10), rnd(other[P[4]] / total[P[4]] * 100, 2), '0.00')
    r += 1
    lab = L(reporter='Indonesia')
    s.t((r, 1), 'Total', bold=True)
    lv(s, r, cols, total, 2, F2, lab)
    gr(s, r, {P[2]: (7, P[1])}, total, 2, '0.00', lab)
    gr(s, r, {P[2]: (8, P[0])}, total, 2, '0.00', lab)
    gr(s, r, {P[4]: (9, P[3])}, total, 2, '0.00', lab)
    s.n((r, 10), 100.0, '0.00')
    s.t((r + 2, 1), 'Catatan: Angka Mei dan Juni 2024 bersifat sementara. Peran dihitung terhadap total ekspor '
                    'Indonesia Januari–Juni 2024.')
    s.t((r + 3, 1), 'Sumber: Badan Pusat Statistik')
    s.width('A', 24)
    for col in 'BCDEFGHIJ':
        s.width(col, 12)


UA_OBLASTS = [('Вінницька', 'Vinnytsia Oblast'), ('Волинська', 'Volyn Oblast'),
              ('Дніпропетровська', 'Dnipropetrovsk Oblast'), ('Донецька', 'Donetsk Oblast'),
              ('Житомирська', 'Zhytomyr Oblast'), ('Закарпатська', 'Zakarpattia Oblast'),
              ('Запорізька', 'Zaporizhzhia Oblast'), ('Івано-Франківська', 'Ivano-Frankivsk Oblast'),
              ('Київська', 'Kyiv Oblast'), ('Кіровоградська', 'Kirovohrad Oblast'), ('Луганська', 'Luhansk Oblast'),
              ('Львівська', 'Lviv Oblast'), ('Миколаївська', 'Mykolaiv Oblast'), ('Одеська', 'Odesa Oblast'),
              ('Полтавська', 'Poltava Oblast'), ('Рівненська', 'Rivne Oblast'), ('Сумська', 'Sumy Oblast'),
              ('Тернопільська', 'Ternopil Oblast'), ('Харківська', 'Kharkiv Oblast'), ('Херсонська', 'Kherson Oblast'),
              ('Хмельницька', 'Khmelnytskyi Oblast'), ('Черкаська', 'Cherkasy Oblast'),
              ('Чернівецька', 'Chernivtsi Oblast'), ('Чернігівська', 'Chernihiv Oblast'), ('м.Київ', 'Kyiv')]


def r03():
    c = new_case('r03_ukrstat_regiony_saldo', 'report',
                 'State Statistics Service of Ukraine table of foreign trade in goods by region for a cumulative '
                 'period: Ukraine, its 24 oblasts and the city of Kyiv in rows, exports, imports and the balance '
                 'across, each flow followed by an index against the same period a year earlier, Ukrainian labels',
                 'ssconvert',
                 ['reporter Ukraine (Україна) and 25 regions (oblasts in their adjective form "Дніпропетровська", '
                  '"Київська" and the city "м.Київ")', 'the period only in the title: "у січні–червні 2024 року" '
                  '(2024-01/2024-06)', 'the unit only in the second heading row above the value columns: "тис.дол. '
                  'США" (USD thousand); the balance column "Сальдо" has no unit of its own', 'indices "у % до '
                  'січня–червня 2023" (previous period = 100): not percent changes, not in the key', 'one oblast '
                  'with every figure confidential: mark "к"', 'figures with one decimal and no grouping, '
                  'negative balances', 'notes below the table'])
    b = c.book('r03_ukrstat_regiony_saldo.xlsx', 'ssconvert')
    s = b.sheet('Лист1')
    rng = random.Random(2303)
    P = '2024-01/2024-06'
    big = {'Дніпропетровська': (2.9e6, 1.6e6), 'м.Київ': (3.4e6, 9.8e6), 'Київська': (1.3e6, 2.6e6),
           'Львівська': (1.2e6, 1.9e6), 'Одеська': (0.9e6, 1.4e6), 'Полтавська': (0.95e6, 0.5e6),
           'Вінницька': (1.1e6, 0.45e6), 'Запорізька': (0.55e6, 0.35e6), 'Харківська': (0.6e6, 0.55e6),
           'Закарпатська': (0.6e6, 0.65e6), 'Волинська': (0.55e6, 0.7e6), 'Луганська': (0.004e6, 0.003e6)}
    rows = []
    for ua, canon in UA_OBLASTS:
        x0, m0 = big.get(ua, (0.3e6, 0.35e6))
        x = x0 * rng.uniform(0.85, 1.15) + rng.uniform(0, 0.099)
        m = m0 * rng.uniform(0.85, 1.15) + rng.uniform(0, 0.099)
        rows.append((ua, canon, x, m, rng.uniform(88, 118), rng.uniform(92, 125)))
    TX = sum(r[2] for r in rows) * 1.062
    TM = sum(r[3] for r in rows) * 1.041
    s.t('A1', 'Зовнішня торгівля товарами за регіонами', bold=True)
    s.t('A2', 'у січні–червні 2024 року')
    s.t('A4', '', merge='A5')
    s.t('B4', 'Експорт', bold=True, merge='C4', align='center')
    s.t('D4', 'Імпорт', bold=True, merge='E4', align='center')
    s.t('F4', 'Сальдо', bold=True, merge='F5', align='center')
    for col in (2, 4):
        s.t((5, col), 'тис.дол. США', align='center')
        s.t((5, col + 1), 'у % до січня–червня 2023', align='center', wrap=True)
    F1 = '0.0'
    r = 6
    for ua, canon, x, m, ix, im in [('Україна', 'Ukraine', TX, TM, 96.8, 108.4)] + rows:
        s.t((r, 1), ua, bold=canon == 'Ukraine')
        if ua == 'Луганська':
            for col in range(2, 7):
                s.miss((r, col), 'к')
            r += 1
            continue
        lab = Lab(reporter=canon, parent='' if canon == 'Ukraine' else 'Ukraine', period=P, unit='USD', scale=1e3)
        s.f((r, 2), x, 1, F1, lab(flow='exports'))
        s.n((r, 3), rnd(ix, 1), F1)
        s.f((r, 4), m, 1, F1, lab(flow='imports'))
        s.n((r, 5), rnd(im, 1), F1)
        s.f((r, 6), x - m, 1, F1, lab(flow='balance'))
        r += 1
    s.t((r + 1, 1), 'Примітка. Дані наведено без урахування тимчасово окупованих територій та частини територій, на '
                    'яких ведуться (велися) бойові дії. Сума даних за регіонами не дорівнює загальному підсумку, '
                    'оскільки частина операцій не розподілена за регіонами.')
    s.t((r + 2, 1), 'к – дані не оприлюднюються з метою забезпечення виконання вимог Закону України «Про офіційну '
                    'статистику» щодо конфіденційності статистичної інформації.')
    s.width('A', 22)
    for col in 'BCDEF':
        s.width(col, 14)


def r04():
    c = new_case('r04_haiguan_jingying_danwei_suozaidi', 'report',
                 'China Customs monthly table of imports and exports by location of the trading enterprise '
                 '(经营单位所在地总值表, RMB values): the national total and twelve provinces and municipalities in '
                 'rows, total trade, exports and imports for the month and the year to date, and year-to-date '
                 'changes against the same period a year earlier, simplified Chinese',
                 'openpyxl',
                 ['reporter China (总值) and regions 北京市, 天津市, 河北省, 上海市, 江苏省, 浙江省, 福建省, 山东省, '
                  '河南省, 广东省, 重庆市, 四川省', 'periods "6月" (2024-06) and "1至6月" (2024-01/2024-06): the year '
                  'only in the title "2024年6月..."', 'total trade "进出口" (exports + imports), "出口", "进口"',
                  'growth "累计比去年同期±%" of the year to date against 2023-01/2023-06 (not in the table), one '
                  'column per flow under a merged heading', 'unit "单位：亿元" (hundred million yuan: scale 1e8, CNY) '
                  'in a line above the table', 'figures with one decimal and no grouping'])
    b = c.book('r04_haiguan_jingying_danwei_suozaidi.xlsx', 'openpyxl')
    s = b.sheet('Sheet1')
    rng = random.Random(2404)
    M6, YTD, YTD0 = '2024-06', '2024-01/2024-06', '2023-01/2023-06'
    prov = [('北京市', 'Beijing', 17900, 0.19), ('天津市', 'Tianjin', 3900, 0.45), ('河北省', 'Hebei', 2800, 0.6),
            ('上海市', 'Shanghai', 20700, 0.41), ('江苏省', 'Jiangsu', 26900, 0.63), ('浙江省', 'Zhejiang', 26000, 0.74),
            ('福建省', 'Fujian', 9700, 0.6), ('山东省', 'Shandong', 16000, 0.59), ('河南省', 'Henan', 3800, 0.62),
            ('广东省', 'Guangdong', 44000, 0.64), ('重庆市', 'Chongqing', 3500, 0.65), ('四川省', 'Sichuan', 4900, 0.57)]
    rows = []
    for zh, canon, tot, xs in prov:
        x = tot * xs * rng.uniform(0.95, 1.05)
        m = tot * (1 - xs) * rng.uniform(0.95, 1.05)
        X = {YTD: x, M6: x / 6 * rng.uniform(0.95, 1.12), YTD0: x / rng.uniform(0.92, 1.14)}
        M = {YTD: m, M6: m / 6 * rng.uniform(0.9, 1.1), YTD0: m / rng.uniform(0.9, 1.12)}
        rows.append((zh, canon, X, M))
    CX = {YTD: 125050.31, M6: 22803.42, YTD0: 118301.25}
    CM = {YTD: 86716.48, M6: 15298.64, YTD0: 84907.13}
    rows.insert(0, ('总值', 'China', CX, CM))
    s.t('A1', '（13）2024年6月进出口商品经营单位所在地总值表（人民币值）', bold=True, merge='J1', align='center')
    s.t('J2', '单位：亿元', align='right')
    s.t('A3', '经营单位所在地', bold=True, merge='A4', align='center')
    for col, h in ((2, '进出口'), (4, '出口'), (6, '进口')):
        s.t((3, col), h, bold=True, merge=(3, col + 1), align='center')
        s.t((4, col), '6月', bold=True, align='center')
        s.t((4, col + 1), '1至6月', bold=True, align='center')
    s.t('H3', '累计比去年同期±%', bold=True, merge='J3', align='center')
    for col, h in ((8, '进出口'), (9, '出口'), (10, '进口')):
        s.t((4, col), h, bold=True, align='center')
    F1 = '0.0'
    for i, (zh, canon, X, M) in enumerate(rows):
        r = 5 + i
        s.t((r, 1), zh, bold=canon == 'China')
        lab = Lab(reporter=canon, parent='' if canon == 'China' else 'China', unit='CNY', scale=1e8)
        T = add(X, M)
        for col, flow, ser in ((2, 'total', T), (4, 'exports', X), (6, 'imports', M)):
            lv(s, r, {M6: col, YTD: col + 1}, ser, 1, F1, lab(flow=flow))
        for col, flow, ser in ((8, 'total', T), (9, 'exports', X), (10, 'imports', M)):
            gr(s, r, {YTD: (col, YTD0)}, ser, 1, F1, lab(flow=flow))
    r = 6 + len(rows)
    s.t((r, 1), '注：1. 本表按经营单位所在地统计。2. 本表数据为初步统计数，累计比以去年同期人民币值计算。')
    s.width('A', 16)
    for col in 'BCDEFGHIJ':
        s.width(col, 11)


EE_COUNTIES = [('Harju maakond', 'Harju County', 0.55, 0.61), ('Tartu maakond', 'Tartu County', 0.062, 0.055),
               ('Ida-Viru maakond', 'Ida-Viru County', 0.081, 0.052), ('Pärnu maakond', 'Pärnu County', 0.051, 0.038),
               ('Lääne-Viru maakond', 'Lääne-Viru County', 0.034, 0.024),
               ('Viljandi maakond', 'Viljandi County', 0.021, 0.012)]


def r05():
    c = new_case('r05_eesti_maakonnad_pxweb', 'report',
                 'Statistics Estonia (Statistikaamet) database table saved from PxWeb as a spreadsheet: counties '
                 'and the trade flow as two stub columns (the county named only on the first row of its block), '
                 'quarters across, Estonian labels',
                 'ssconvert',
                 ['reporter Estonia ("Kogu Eesti") and six counties ("Harju maakond", "Ida-Viru maakond", ...) as '
                  'regions', 'two stub columns: county in A only on the first of its three rows, flow in B '
                  '("Eksport", "Import", "Kaubavahetuse saldo" = balance)', 'quarters written "2023 I kvartal" ... '
                  '"2024 II kvartal" (Roman numerals)', 'unit in the title line only: "(tuhat eurot)" (EUR thousand)',
                  'missing mark ".." (confidential) in one county\'s imports and balance', 'a row block "Maakond '
                  'teadmata" (county unknown) that is not in the key', 'source and symbol notes below'])
    b = c.book('r05_eesti_maakonnad_pxweb.xlsx', 'ssconvert')
    s = b.sheet('VKM12')
    rng = random.Random(2505)
    Q = [f'{y}Q{q}' for y in (2023, 2024) for q in (1, 2, 3, 4)][:6]
    roman = {1: 'I', 2: 'II', 3: 'III', 4: 'IV'}
    TX = {q: 4100000 * rng.uniform(0.92, 1.06) for q in Q}
    TM = {q: 4650000 * rng.uniform(0.9, 1.05) for q in Q}
    s.t('A1', 'VKM12: KAUPADE EKSPORT JA IMPORT MAAKONNA JÄRGI (tuhat eurot)', bold=True)
    s.t('A3', 'Maakond', bold=True)
    s.t('B3', 'Kaubavoog', bold=True)
    for j, q in enumerate(Q):
        s.t((3, 3 + j), f'{q[:4]} {roman[int(q[5])]} kvartal', bold=True, align='right')
    cols = {q: 3 + j for j, q in enumerate(Q)}
    blocks = [('Kogu Eesti', 'Estonia', TX, TM)]
    share_x = share_m = 0
    for et, canon, sx, sm in EE_COUNTIES:
        X = {q: TX[q] * sx * rng.uniform(0.93, 1.07) for q in Q}
        M = {q: TM[q] * sm * rng.uniform(0.93, 1.07) for q in Q}
        blocks.append((et, canon, X, M))
        share_x += sx
        share_m += sm
    unk = (None, None, {q: TX[q] * 0.012 * rng.uniform(0.8, 1.2) for q in Q},
           {q: TM[q] * 0.03 * rng.uniform(0.8, 1.2) for q in Q})
    r = 4
    for et, canon, X, M in blocks + [('Maakond teadmata',) + unk[1:]]:
        s.t((r, 1), et)
        for k, (word, flow, ser) in enumerate((('Eksport', 'exports', X), ('Import', 'imports', M),
                                                ('Kaubavahetuse saldo', 'balance', sub(X, M)))):
            s.t((r + k, 2), word)
            if canon is None:
                for q, col in cols.items():
                    s.n((r + k, col), rnd(ser[q], 0), '0')
                continue
            lab = Lab(reporter=canon, parent='' if canon == 'Estonia' else 'Estonia', flow=flow, unit='EUR',
                      scale=1e3)
            for q, col in cols.items():
                if canon == 'Viljandi County' and q == '2024Q2' and flow != 'exports':
                    s.miss((r + k, col), '..')
                    continue
                s.f((r + k, col), ser[q], 0, '0', lab(period=q))
        r += 3
    s.t((r + 1, 1), 'Allikas: Statistikaamet. 2024. aasta andmed on esialgsed.')
    s.t((r + 2, 1), '.. andmed ei ole avaldatavad (konfidentsiaalsed)')
    s.width('A', 22)
    s.width('B', 22)
    for col in 'CDEFGH':
        s.width(col, 15)


IN_STATES = [('Gujarat', 0.331), ('Maharashtra', 0.155), ('Tamil Nadu', 0.093), ('Karnataka', 0.052),
             ('Uttar Pradesh', 0.049), ('Andhra Pradesh', 0.044), ('Telangana', 0.031), ('Haryana', 0.03),
             ('West Bengal', 0.029), ('Odisha', 0.026)]


def r06():
    c = new_case('r06_india_statewise_exports_crore', 'report',
                 'Indian commerce ministry (DGCI&S data) table of state-wise merchandise exports: states in rows with '
                 'a serial number column, two financial years and the first quarter of two financial years across, '
                 'growth and share columns, values in rupees crore written with Indian digit grouping as text',
                 'xlsxwriter',
                 ['reporter India ("Total") and ten states as regions', 'financial years "2022-23" and "2023-24" '
                  '(April to March: 2022-04/2023-03) and "Apr-Jun 2023-24" / "Apr-Jun 2024-25 (P)" (2023-04/2023-06, '
                  '2024-04/2024-06)', 'unit line "(Values in ₹ Crore)" (crore = 1e7, INR)', 'figures stored as text '
                  'with Indian grouping "3,62,315.42" (lakh, crore)', '"% Growth" vs the previous financial year and '
                  'the same quarter of the previous financial year; "% Share" of India', 'a serial-number column '
                  '"S.No." 1-10 (numbers that are not figures)', 'rows "Others" and "Unspecified" that are not in the '
                  'key', 'provisional mark (P) in a heading; notes below'])
    b = c.book('r06_india_statewise_exports_crore.xlsx', 'xlsxwriter')
    s = b.sheet('State-wise')
    rng = random.Random(2606)
    P = ['2022-04/2023-03', '2023-04/2024-03', '2023-04/2023-06', '2024-04/2024-06']
    TOT = dict(zip(P, [3620314.57, 3615905.62, 861204.33, 925117.81]))
    rows = []
    for name, sh in IN_STATES:
        ser = {P[0]: TOT[P[0]] * sh * rng.uniform(0.92, 1.08)}
        ser[P[1]] = ser[P[0]] * TOT[P[1]] / TOT[P[0]] * rng.uniform(0.93, 1.07)
        ser[P[2]] = ser[P[1]] * TOT[P[2]] / TOT[P[1]] * rng.uniform(0.93, 1.07)
        ser[P[3]] = ser[P[2]] * TOT[P[3]] / TOT[P[2]] * rng.uniform(0.94, 1.08)
        rows.append((name, ser))
    other = {p: (TOT[p] - sum(r[1][p] for r in rows)) * 0.93 for p in P}
    unsp = {p: TOT[p] - sum(r[1][p] for r in rows) - other[p] for p in P}
    s.t('A1', 'State-wise Merchandise Exports: 2022-23, 2023-24 and April-June 2024-25', bold=True)
    s.t('A2', '(Values in ₹ Crore)', italic=True)
    heads = ['S.No.', 'State/UT', '2022-23', '2023-24', '% Growth', '% Share', 'Apr-Jun 2023-24',
             'Apr-Jun 2024-25 (P)', '% Growth', '% Share']
    for j, h in enumerate(heads):
        s.t((4, 1 + j), h, bold=True, align='center', wrap=True)
    L = Lab(flow='exports', unit='INR', scale=1e7)

    def txt(ref, v, dec, lab):
        s.f(ref, v, dec, None, lab, store='text', style=dict(thou=',', dec='.'))
        # the text is written with Indian grouping
        f = c.figs[-1]
        f['text'] = lakh(f['value'], dec)
        s.cells[s.rc(ref)].value = f['text']

    def line(r, label, ser, lab, share=True):
        s.t((r, 2), label)
        txt((r, 3), ser[P[0]], 2, lab(period=P[0]))
        txt((r, 4), ser[P[1]], 2, lab(period=P[1]))
        txt((r, 5), growth(ser[P[1]], ser[P[0]]), 2, lab.growth(P[1], P[0]))
        txt((r, 7), ser[P[2]], 2, lab(period=P[2]))
        txt((r, 8), ser[P[3]], 2, lab(period=P[3], flag='P'))
        txt((r, 9), growth(ser[P[3]], ser[P[2]]), 2, lab.growth(P[3], P[2]))
        if share:
            txt((r, 6), ser[P[1]] / TOT[P[1]] * 100, 2, lab.share(period=P[1]))
            txt((r, 10), ser[P[3]] / TOT[P[3]] * 100, 2, lab.share(period=P[3]))

    r = 5
    for i, (name, ser) in enumerate(rows):
        s.n((r, 1), i + 1, '0', align='center')
        line(r, name, ser, L(reporter=name, parent='India'))
        r += 1
    for label, ser in (('Others', other), ('Unspecified', unsp)):
        s.t((r, 2), label)
        for col, p in ((3, P[0]), (4, P[1]), (7, P[2]), (8, P[3])):
            s.t((r, col), lakh(rnd(ser[p], 2), 2), align='right')
        r += 1
    s.t((r, 2), 'Total', bold=True)
    line(r, 'Total', TOT, L(reporter='India'), share=False)
    s.t((r, 6), '100.00', align='right')
    s.t((r, 10), '100.00', align='right')
    s.t((r + 2, 1), 'Source: DGCI&S, Kolkata. (P): Provisional. Financial year: April to March.')
    s.t((r + 3, 1), 'Note: State-wise exports are based on the state of origin of goods declared in shipping bills.')
    s.width('A', 6)
    s.width('B', 18)
    for col in 'CDEFGHIJ':
        s.width(col, 14)


# ---------------------------------------------------------------------------
# group partner: partners in rows
# ---------------------------------------------------------------------------


def split_partners(rng, total, shares, lo=0.9, hi=1.1):
    """Partner values from their rough shares of total; the rest of the world
    takes what is left."""
    parts = {k: total * sh * rng.uniform(lo, hi) for k, sh in shares}
    rest = total - sum(parts.values())
    if rest <= 0:
        raise ValueError('shares exceed the total')
    return parts, rest


def p01():
    c = new_case('p01_thai_moc_partners_buddhist_era', 'partner',
                 'Thai commerce ministry (Office of the Permanent Secretary, customs data) table of trade with main '
                 'partner countries in Thai: exports, imports and the trade balance for a Buddhist-era year and '
                 'the first half of two years, with growth rates, in million baht',
                 'openpyxl',
                 ['Buddhist-era years: "2566" = 2023, "ม.ค.-มิ.ย. 2567" (January-June 2567) = 2024-01/2024-06',
                  'Thai labels: ส่งออก (exports), นำเข้า (imports), ดุลการค้า (trade balance), รวมทั้งสิ้น (grand '
                  'total = World), อื่นๆ (others = Rest of the world)', 'partner names in Thai (จีน, '
                  'สหรัฐอเมริกา, ญี่ปุ่น, ...)', 'growth "%Δ" of January-June vs January-June a year earlier (in the '
                  'table)', 'unit line "หน่วย : ล้านบาท" (THB million)', 'negative balances', 'source and '
                  'provisional notes below the table'])
    b = c.book('p01_thai_moc_partners_buddhist_era.xlsx', 'openpyxl')
    s = b.sheet('คู่ค้า')
    rng = random.Random(3101)
    Y, H0, H1 = '2023', '2023-01/2023-06', '2024-01/2024-06'
    P = [Y, H0, H1]
    names = {'China': 'จีน', 'United States': 'สหรัฐอเมริกา', 'Japan': 'ญี่ปุ่น', 'Malaysia': 'มาเลเซีย',
             'Vietnam': 'เวียดนาม', 'Australia': 'ออสเตรเลีย', 'Hong Kong': 'ฮ่องกง', 'India': 'อินเดีย',
             'Singapore': 'สิงคโปร์', 'Indonesia': 'อินโดนีเซีย', 'Taiwan': 'ไต้หวัน', 'South Korea': 'เกาหลีใต้'}
    xs = [('United States', 0.17), ('China', 0.12), ('Japan', 0.086), ('Vietnam', 0.045), ('Malaysia', 0.043),
          ('Australia', 0.043), ('Hong Kong', 0.04), ('Indonesia', 0.035), ('India', 0.032), ('Singapore', 0.03),
          ('South Korea', 0.02), ('Taiwan', 0.015)]
    ms = dict([('China', 0.24), ('Japan', 0.11), ('United States', 0.06), ('Malaysia', 0.05), ('Taiwan', 0.04),
               ('South Korea', 0.035), ('Indonesia', 0.03), ('Vietnam', 0.027), ('Australia', 0.025),
               ('Singapore', 0.025), ('India', 0.02), ('Hong Kong', 0.008)])
    WX = dict(zip(P, [9925318.42, 4881206.17, 5152408.63]))
    WM = dict(zip(P, [10312540.28, 5150117.39, 5401225.74]))
    X, M = {}, {}
    for p in P:
        X[p], X[('rest', p)] = split_partners(rng, WX[p], xs)
        M[p], M[('rest', p)] = split_partners(rng, WM[p], list(ms.items()))
    s.t('A1', 'มูลค่าการค้าระหว่างประเทศของไทยกับประเทศคู่ค้าสำคัญ ปี 2566 และ ม.ค.-มิ.ย. 2566-2567', bold=True)
    s.t('L2', 'หน่วย : ล้านบาท', align='right')
    s.t('A3', 'ประเทศ', bold=True, merge='A4', align='center')
    s.t('B3', 'ส่งออก', bold=True, merge='E3', align='center')
    s.t('F3', 'นำเข้า', bold=True, merge='I3', align='center')
    s.t('J3', 'ดุลการค้า', bold=True, merge='L3', align='center')
    for c0 in (2, 6):
        for j, h in enumerate(('2566', 'ม.ค.-มิ.ย. 2566', 'ม.ค.-มิ.ย. 2567', '%Δ')):
            s.t((4, c0 + j), h, bold=True, align='center')
    for j, h in enumerate(('2566', 'ม.ค.-มิ.ย. 2566', 'ม.ค.-มิ.ย. 2567')):
        s.t((4, 10 + j), h, bold=True, align='center')
    F1, FG = '#,##0.0', '0.00'
    rows = [('รวมทั้งสิ้น', 'World', WX, WM)]
    for canon, _ in xs:
        rows.append((names[canon], canon, {p: X[p][canon] for p in P}, {p: M[p][canon] for p in P}))
    rows.append(('อื่นๆ', 'Rest of the world', {p: X[('rest', p)] for p in P}, {p: M[('rest', p)] for p in P}))
    L = Lab(reporter='Thailand', unit='THB', scale=1e6)
    for i, (th, canon, sx, sm) in enumerate(rows):
        r = 5 + i
        s.t((r, 1), th, bold=canon == 'World')
        lab = L(partner=canon)
        for c0, flow, ser in ((2, 'exports', sx), (6, 'imports', sm)):
            lv(s, r, {Y: c0, H0: c0 + 1, H1: c0 + 2}, ser, 1, F1, lab(flow=flow), flags={H1: 'p'})
            gr(s, r, {H1: (c0 + 3, H0)}, ser, 2, FG, lab(flow=flow))
        lv(s, r, {Y: 10, H0: 11, H1: 12}, sub(sx, sm), 1, F1, lab(flow='balance'), flags={H1: 'p'})
    r = 6 + len(rows)
    s.t((r, 1), 'ที่มา : สำนักงานปลัดกระทรวงพาณิชย์ โดยความร่วมมือจากกรมศุลกากร')
    s.t((r + 1, 1), 'หมายเหตุ : ข้อมูลปี 2567 เป็นตัวเลขเบื้องต้น')
    s.width('A', 18)
    for col in 'BCDEFGHIJKL':
        s.width(col, 14)
    c.partner_sums = [('World', [canon for canon, _ in xs] + ['Rest of the world'])]


def p02():
    c = new_case('p02_psa_top_ten_partners_flags', 'partner',
                 'Philippine Statistics Authority monthly highlights of export and import statistics: a summary '
                 'table (total external trade, exports, imports, balance of trade in goods) and two top-ten partner '
                 'tables stacked on one sheet, each with rank, value, percent share, the value a year earlier and '
                 'the annual growth rate',
                 'xlsxwriter',
                 ['three tables stacked on one sheet, each with its own title', 'headings with status flags glued on: '
                  '"June 2024p" (preliminary) and "June 2023r" (revised)', 'unit line "FOB value in million US '
                  'dollars" / "in million US dollars" (USD million)', '"Total External Trade" = exports + imports, '
                  '"Balance of Trade in Goods (BoTG)" negative', 'rank column and "% Share" of each partner in the '
                  'total: not in the key', '"Others" = the total minus the top ten (Rest of the world)', 'partner '
                  'names "United States of America", "People\'s Republic of China", "Korea, Republic of", "Viet Nam", '
                  '"Hong Kong"', 'growth "Annual Growth Rate (%)" vs the same month a year earlier (in the table)'])
    b = c.book('p02_psa_top_ten_partners_flags.xlsx', 'xlsxwriter')
    s = b.sheet('Highlights')
    rng = random.Random(3202)
    J4, J3 = '2024-06', '2023-06'
    WX = {J4: 6196.43, J3: 6481.27}
    WM = {J4: 10842.18, J3: 10519.64}
    xs = [('United States of America', 'United States', 0.16), ('Japan', 'Japan', 0.145),
          ('Hong Kong', 'Hong Kong', 0.135), ("People's Republic of China", 'China', 0.13),
          ('Singapore', 'Singapore', 0.06), ('Thailand', 'Thailand', 0.045), ('Netherlands', 'Netherlands', 0.044),
          ('Korea, Republic of', 'South Korea', 0.04), ('Germany', 'Germany', 0.035), ('Taiwan', 'Taiwan', 0.033)]
    ms = [("People's Republic of China", 'China', 0.25), ('Indonesia', 'Indonesia', 0.095),
          ('Japan', 'Japan', 0.085), ('Korea, Republic of', 'South Korea', 0.075),
          ('United States of America', 'United States', 0.065), ('Thailand', 'Thailand', 0.052),
          ('Singapore', 'Singapore', 0.05), ('Malaysia', 'Malaysia', 0.045), ('Viet Nam', 'Vietnam', 0.043),
          ('Taiwan', 'Taiwan', 0.035)]
    L = Lab(reporter='Philippines', unit='USD', scale=1e6)
    F2, FG = '#,##0.00', '0.0'
    s.t('A1', 'Table 1. Total External Trade in Goods, Exports, Imports and Balance of Trade in Goods of the '
              'Philippines: June 2024 and June 2023', bold=True)
    s.t('A2', '(FOB value in million US dollars)', italic=True)
    for j, h in enumerate(('Particulars', 'June 2024p', 'June 2023r', 'Annual Growth Rate (%)')):
        s.t((3, 1 + j), h, bold=True, align='center', wrap=True)
    for i, (label, flow, ser) in enumerate((('Total External Trade', 'total', add(WX, WM)),
                                            ('Exports', 'exports', WX), ('Imports', 'imports', WM),
                                            ('Balance of Trade in Goods (BoTG)', 'balance', sub(WX, WM)))):
        r = 4 + i
        s.t((r, 1), label)
        lv(s, r, {J4: 2, J3: 3}, ser, 2, F2, L(flow=flow), flags={J4: 'p', J3: 'r'})
        if flow != 'balance':
            gr(s, r, {J4: (4, J3)}, ser, 1, FG, L(flow=flow))
    r = 10
    for title, flow, world, lst in (('Table 5. Top Ten Export Destinations of the Philippines: June 2024', 'exports',
                                     WX, xs),
                                    ('Table 9. Top Ten Import Suppliers of the Philippines: June 2024', 'imports',
                                     WM, ms)):
        vals = {k: {J4: world[J4] * sh * rng.uniform(0.93, 1.07)} for _, k, sh in lst}
        for k in vals:
            vals[k][J3] = vals[k][J4] / world[J4] * world[J3] / rng.uniform(0.9, 1.1)
        vals = dict(sorted(vals.items(), key=lambda kv: -kv[1][J4]))
        rest = {p: world[p] - sum(v[p] for v in vals.values()) for p in (J4, J3)}
        label_of = {k: lab for lab, k, _ in lst}
        s.t((r, 1), title, bold=True)
        s.t((r + 1, 1), '(in million US dollars)', italic=True)
        heads = ['Rank', 'Country', 'June 2024p', '% Share', 'June 2023r', 'Annual Growth Rate (%)']
        for j, h in enumerate(heads):
            s.t((r + 2, 1 + j), h, bold=True, align='center', wrap=True)
        rr = r + 3
        entries = [(i + 1, label_of[k], k, v) for i, (k, v) in enumerate(vals.items())]
        entries += [(None, 'Others', 'Rest of the world', rest), (None, 'Total', 'World', world)]
        for rank, label, canon, v in entries:
            if rank:
                s.n((rr, 1), rank, '0', align='center')
            s.t((rr, 2), label, bold=canon == 'World')
            lab = L(partner=canon, flow=flow)
            s.f((rr, 3), v[J4], 2, F2, lab(period=J4, flag='p'))
            s.n((rr, 4), rnd(v[J4] / world[J4] * 100, 1), '0.0')
            s.f((rr, 5), v[J3], 2, F2, lab(period=J3, flag='r'))
            gr(s, rr, {J4: (6, J3)}, v, 1, FG, lab)
            rr += 1
        r = rr + 2
        c.partner_sums.append(('World', [k for _, k, _ in lst] + ['Rest of the world']))
    s.t((r, 1), 'p - preliminary; r - revised. Details may not add up to totals due to rounding.')
    s.t((r + 1, 1), 'Source: Philippine Statistics Authority')
    s.width('A', 34)
    for col in 'BCDEF':
        s.width(col, 16)


def greek_int(v):
    return numtext(v, 0, thou='.')


def p03():
    c = new_case('p03_elstat_chores_cp1253', 'partner',
                 'Greek statistical authority (ELSTAT) tables in Greek saved from a Greek-locale spreadsheet as CSV: '
                 'exports by country of destination and imports by country of origin, two tables one below the '
                 'other in one file, Windows-1253 encoding, semicolons, dot as thousands separator and comma as '
                 'decimal mark',
                 'csv',
                 ['encoding Windows-1253 (Greek), semicolon-separated, CRLF line ends', 'figures "1.234.567" (dot '
                  'thousands separator, no decimals: "12.345" is twelve thousand) and changes "-4,5" (decimal comma)',
                  'two tables stacked in one file, the flow only in each table\'s title ("ΕΞΑΓΩΓΕΣ ...", "ΕΙΣΑΓΩΓΕΣ '
                  '...")', 'periods "Ιαν-Ιουν 2023" and "Ιαν-Ιουν 2024*" (2023-01/2023-06, 2024-01/2024-06; * '
                  'provisional)', 'unit line "Αξία σε χιλ. ευρώ" (EUR thousand) in the file header', 'aggregates '
                  '"ΣΥΝΟΛΟ" (World) = "Ενδοενωσιακό εμπόριο (ΕΕ-27)" (EU27) + "Εξωενωσιακό εμπόριο" (Extra-EU), and '
                  '"Λοιπές χώρες" (Rest of the world)', 'Greek partner names (Ιταλία, Γερμανία, Κύπρος, '
                  'Ηνωμένες Πολιτείες Αμερικής, ...)', 'growth "Μεταβολή %" vs the same half-year a year earlier'])
    t = c.text('p03_elstat_chores_cp1253.csv', delim=';', eol='\r\n', encoding='cp1253', quote='minimal')
    rng = random.Random(3303)
    H0, H1 = '2023-01/2023-06', '2024-01/2024-06'
    gr_names = {'Italy': 'Ιταλία', 'Germany': 'Γερμανία', 'Cyprus': 'Κύπρος', 'Bulgaria': 'Βουλγαρία',
                'Türkiye': 'Τουρκία', 'United States': 'Ηνωμένες Πολιτείες Αμερικής', 'Romania': 'Ρουμανία',
                'France': 'Γαλλία', 'Spain': 'Ισπανία', 'United Kingdom': 'Ηνωμένο Βασίλειο', 'Egypt': 'Αίγυπτος',
                'North Macedonia': 'Βόρεια Μακεδονία', 'China': 'Κίνα', 'Iraq': 'Ιράκ', 'Netherlands': 'Ολλανδία',
                'Belgium': 'Βέλγιο', 'Kazakhstan': 'Καζακστάν', 'Libya': 'Λιβύη', 'Saudi Arabia': 'Σαουδική Αραβία',
                'Lebanon': 'Λίβανος'}
    eu = {'Italy', 'Germany', 'Cyprus', 'Bulgaria', 'Romania', 'France', 'Spain', 'Netherlands', 'Belgium'}
    tables = [('Πίνακας 1. ΕΞΑΓΩΓΕΣ ανά χώρα προορισμού', 'exports', {H0: 25312418.3, H1: 24508112.6}, 0.58,
               [('Italy', 0.105), ('Germany', 0.068), ('Cyprus', 0.066), ('Bulgaria', 0.062), ('Türkiye', 0.058),
                ('United States', 0.047), ('Romania', 0.035), ('France', 0.031), ('Spain', 0.028),
                ('United Kingdom', 0.027), ('Egypt', 0.025), ('North Macedonia', 0.021), ('Lebanon', 0.019)]),
              ('Πίνακας 2. ΕΙΣΑΓΩΓΕΣ ανά χώρα προέλευσης', 'imports', {H0: 39018254.7, H1: 38211507.2}, 0.52,
               [('Germany', 0.101), ('Italy', 0.082), ('China', 0.079), ('Iraq', 0.071), ('Netherlands', 0.052),
                ('Türkiye', 0.041), ('France', 0.038), ('Saudi Arabia', 0.036), ('Belgium', 0.031),
                ('Spain', 0.029), ('Kazakhstan', 0.027), ('Libya', 0.024)])]
    t.row('ΕΛΛΗΝΙΚΗ ΣΤΑΤΙΣΤΙΚΗ ΑΡΧΗ')
    t.row('Εμπορικές συναλλαγές της Ελλάδας με το εξωτερικό: Ιανουάριος - Ιούνιος 2024')
    t.row('Αξία σε χιλ. ευρώ')
    L = Lab(reporter='Greece', unit='EUR', scale=1e3)
    for title, flow, world, eu_share, lst in tables:
        t.blank()
        t.row(title)
        t.row(['Χώρα', 'Ιαν-Ιουν 2023', 'Ιαν-Ιουν 2024*', 'Μεταβολή %'])
        vals = {}
        for k, sh in lst:
            v1 = world[H1] * sh * rng.uniform(0.92, 1.08)
            vals[k] = {H1: v1, H0: v1 / rng.uniform(0.85, 1.15)}
        EU = {p: world[p] * eu_share * rng.uniform(0.98, 1.02) for p in (H0, H1)}
        for p in (H0, H1):
            assert sum(v[p] for k, v in vals.items() if k in eu) < EU[p]
        EX = sub(world, EU)
        rest = {p: world[p] - sum(v[p] for v in vals.values()) for p in (H0, H1)}
        entries = [('ΣΥΝΟΛΟ', 'World', world), ('Ενδοενωσιακό εμπόριο (ΕΕ-27)', 'EU27', EU),
                   ('Εξωενωσιακό εμπόριο', 'Extra-EU', EX)]
        entries += [(gr_names[k], k, v) for k, v in sorted(vals.items(), key=lambda kv: -kv[1][H1])]
        entries += [('Λοιπές χώρες', 'Rest of the world', rest)]
        for label, canon, v in entries:
            lab = L(partner=canon, flow=flow)
            t.row([label, fig(v[H0], 0, lab(period=H0), thou='.'), fig(v[H1], 0, lab(period=H1, flag='*'), thou='.'),
                   fig(growth(v[H1], v[H0]), 1, lab.growth(H1, H0), dec_mark=',')])
        c.partner_sums.append(('World', ['EU27', 'Extra-EU']))
        c.partner_sums.append(('World', [k for k, _ in lst] + ['Rest of the world']))
    t.blank()
    t.row('* Προσωρινά στοιχεία.')
    t.row('Πηγή: ΕΛΣΤΑΤ, Στατιστική Εμπορικών Συναλλαγών με το Εξωτερικό')


def p04():
    c = new_case('p04_statcan_daily_bilingual_partners', 'partner',
                 'Statistics Canada "The Daily" table of merchandise trade with principal trading partners, '
                 'seasonally adjusted, in English and French: headings in both languages on two rows, partner rows '
                 'with exports, imports and balance beneath each, footnote numbers glued to partner names',
                 'openpyxl',
                 ['bilingual headings: English row "May 2024r", "June 2024", "May to June 2024", "June 2023 to June '
                  '2024" over a French row "mai 2024r", "juin 2024", ...', 'bilingual labels in one cell "Exports / '
                  'Exportations", "United States / États-Unis"', 'footnote numbers glued to names: "European Union¹ / '
                  'Union européenne¹", "Other countries² / Autres pays²"', 'partner heading rows without figures, '
                  'the flows below them', 'unit "$ millions / millions de dollars" merged over the value columns '
                  '(CAD million, Canada from the source line)', 'growth "% change / variation en %": May to June '
                  '(vs the month before) and June 2023 to June 2024 (vs the same month a year earlier, not in the '
                  'table)', 'not-applicable mark "..." for the change of a balance', 'revised flag "r" on a heading'])
    b = c.book('p04_statcan_daily_bilingual_partners.xlsx', 'openpyxl')
    s = b.sheet('Table 2')
    rng = random.Random(3404)
    M5, M6, M6p = '2024-05', '2024-06', '2023-06'
    parts = [('United States / États-Unis', 'United States', 0.755, 0.625),
             ('European Union¹ / Union européenne¹', 'EU27', 0.052, 0.108),
             ('China / Chine', 'China', 0.041, 0.112), ('Mexico / Mexique', 'Mexico', 0.012, 0.058),
             ('United Kingdom / Royaume-Uni', 'United Kingdom', 0.031, 0.021), ('Japan / Japon', 'Japan', 0.022,
                                                                                  0.019)]
    W = {'exports': {M5: 63917.4, M6: 63412.8, M6p: 64108.3}, 'imports': {M5: 65861.5, M6: 64765.1, M6p: 63402.7}}
    vals = {}
    for flow in ('exports', 'imports'):
        for label, canon, sx, sm in parts:
            sh = sx if flow == 'exports' else sm
            vals[(canon, flow)] = {p: W[flow][p] * sh * rng.uniform(0.99, 1.01) for p in (M5, M6, M6p)}
        vals[('Rest of the world', flow)] = {p: W[flow][p] - sum(vals[(k, flow)][p] for _, k, _, _ in parts)
                                             for p in (M5, M6, M6p)}
        vals[('World', flow)] = W[flow]
    s.t('A1', 'Table 2  Merchandise trade: principal trading partners, seasonally adjusted, balance of payments '
              'basis', bold=True)
    s.t('A2', 'Tableau 2  Commerce de marchandises : principaux partenaires commerciaux, désaisonnalisé, base de la '
              'balance des paiements', bold=True)
    for j, (en, fr) in enumerate((('May 2024r', 'mai 2024r'), ('June 2024', 'juin 2024'),
                                  ('May to June 2024', 'mai à juin 2024'),
                                  ('June 2023 to June 2024', 'juin 2023 à juin 2024'))):
        s.t((4, 2 + j), en, bold=True, align='right', wrap=True)
        s.t((5, 2 + j), fr, bold=True, align='right', wrap=True)
    s.t('B6', '$ millions / millions de dollars', merge='C6', align='center', italic=True)
    s.t('D6', '% change / variation en %', merge='E6', align='center', italic=True)
    L = Lab(reporter='Canada', unit='CAD', scale=1e6)
    r = 7
    for label, canon in [('Total of all countries / Ensemble des pays', 'World')] + [(a, b) for a, b, _, _ in parts] + \
            [('Other countries² / Autres pays²', 'Rest of the world')]:
        s.t((r, 1), label, bold=True)
        r += 1
        X, M = vals[(canon, 'exports')], vals[(canon, 'imports')]
        for word, flow, ser in (('Exports / Exportations', 'exports', X), ('Imports / Importations', 'imports', M),
                                ('Balance / Solde', 'balance', sub(X, M))):
            s.t((r, 1), '  ' + word)
            lab = L(partner=canon, flow=flow)
            s.f((r, 2), ser[M5], 1, '#,##0.0', lab(period=M5, flag='r'))
            s.f((r, 3), ser[M6], 1, '#,##0.0', lab(period=M6))
            if flow == 'balance':
                s.miss((r, 4), '...')
                s.miss((r, 5), '...')
            else:
                gr(s, r, {M6: (4, M5)}, ser, 1, '0.0', lab)
                gr(s, r, {M6: (5, M6p)}, ser, 1, '0.0', lab)
            r += 1
    notes = ['r revised / révisé', '... not applicable / n\'ayant pas lieu de figurer',
             '1. The European Union includes Austria, Belgium, Bulgaria, Croatia, Cyprus, Czechia, Denmark, '
             'Estonia, Finland, France, Germany, Greece, Hungary, Ireland, Italy, Latvia, Lithuania, Luxembourg, '
             'Malta, the Netherlands, Poland, Portugal, Romania, Slovakia, Slovenia, Spain and Sweden. / L\'Union '
             'européenne comprend ...',
             '2. Other countries include all countries other than the United States, the European Union, China, '
             'Mexico, the United Kingdom and Japan. / Les autres pays comprennent ...',
             'Note(s): Figures may not add up to totals as a result of rounding. / Les chiffres ayant été arrondis, '
             'leur somme peut ne pas correspondre aux totaux.',
             'Source(s): Table 12-10-0011-01. Statistics Canada / Statistique Canada.']
    for i, n in enumerate(notes):
        s.t((r + 1 + i, 1), n)
    s.width('A', 44)
    for col in 'BCDE':
        s.width(col, 14)
    c.partner_sums = [('World', [b for _, b, _, _ in parts] + ['Rest of the world'])]


def p05():
    c = new_case('p05_kazakhstan_eaeu_russian', 'partner',
                 'Bureau of National Statistics of Kazakhstan table of foreign trade by main countries in Russian: '
                 'turnover, exports and imports for a cumulative period, each followed by an index against the same '
                 'period a year earlier, the Eurasian Economic Union and the other countries as groups with their '
                 'members below',
                 'xlsxwriter',
                 ['Russian labels: "Внешнеторговый оборот" (total trade), "Экспорт", "Импорт", "Сальдо" (balance)',
                  'the period only in the title: "январь-июнь 2024г." (2024-01/2024-06)', 'unit line "тыс. долларов '
                  'США" (USD thousand)', 'indices "в % к январю-июню 2023г." (previous period = 100): not percent '
                  'changes, not in the key', 'groups "страны ЕАЭС" (EAEU: Armenia, Belarus, Kyrgyzstan, Russia, '
                  'all listed) and "другие страны" (the countries outside the EAEU) adding up to "Всего" (World)',
                  'partner names in Russian ("Российская Федерация", "Китай", "Республика Корея", "США", ...)',
                  'figures with one decimal and grouping by number format'])
    b = c.book('p05_kazakhstan_eaeu_russian.xlsx', 'xlsxwriter')
    s = b.sheet('1.2')
    rng = random.Random(3505)
    P = '2024-01/2024-06'
    eaeu = [('Армения', 'Armenia', 0.002, 0.002), ('Беларусь', 'Belarus', 0.006, 0.018),
            ('Кыргызстан', 'Kyrgyzstan', 0.021, 0.004), ('Российская Федерация', 'Russia', 0.095, 0.29)]
    others = [('Италия', 'Italy', 0.19, 0.021), ('Китай', 'China', 0.165, 0.245),
              ('Нидерланды', 'Netherlands', 0.062, 0.006), ('Турция', 'Türkiye', 0.043, 0.031),
              ('Узбекистан', 'Uzbekistan', 0.036, 0.025), ('Республика Корея', 'South Korea', 0.021, 0.052),
              ('Германия', 'Germany', 0.009, 0.047), ('Франция', 'France', 0.041, 0.012),
              ('США', 'United States', 0.018, 0.034), ('Швейцария', 'Switzerland', 0.033, 0.004)]
    TX, TM = 38912417.3, 28104311.8
    V = {}
    for ru, canon, sx, sm in eaeu + others:
        x, m = TX * sx * rng.uniform(0.93, 1.07), TM * sm * rng.uniform(0.93, 1.07)
        V[canon] = (x, m, x / rng.uniform(0.8, 1.3), m / rng.uniform(0.85, 1.25))
    EA = tuple(sum(V[k][i] for _, k, _, _ in eaeu) for i in range(4))
    TX0, TM0 = TX / 0.968, TM / 1.052
    OT = (TX - EA[0], TM - EA[1], TX0 - EA[2], TM0 - EA[3])
    s.t('A1', 'Внешняя торговля Республики Казахстан по основным странам', bold=True)
    s.t('A2', 'январь-июнь 2024г.')
    s.t('H3', 'тыс. долларов США', align='right')
    heads = ['', 'Внешнеторговый оборот', 'в % к январю-июню 2023г.', 'Экспорт', 'в % к январю-июню 2023г.',
             'Импорт', 'в % к январю-июню 2023г.', 'Сальдо']
    for j, h in enumerate(heads):
        s.t((4, 1 + j), h, bold=True, align='center', wrap=True)
    entries = [('Всего', 'World', (TX, TM, TX0, TM0), 0), ('страны ЕАЭС', 'EAEU', EA, 0)]
    entries += [(ru, k, V[k], 1) for ru, k, _, _ in eaeu]
    entries += [('другие страны', 'Non-EAEU countries', OT, 0)]
    entries += [(ru, k, V[k], 1) for ru, k, _, _ in sorted(others, key=lambda e: -(V[e[1]][0] + V[e[1]][1]))]
    F1 = '#,##0.0'
    L = Lab(reporter='Kazakhstan', period=P, unit='USD', scale=1e3)
    for i, (ru, canon, (x, m, x0, m0), ind) in enumerate(entries):
        r = 5 + i
        s.t((r, 1), ('  ' if ind else '') + ru, bold=not ind)
        lab = L(partner=canon)
        s.f((r, 2), x + m, 1, F1, lab(flow='total'))
        s.n((r, 3), rnd((x + m) / (x0 + m0) * 100, 1), '0.0')
        s.f((r, 4), x, 1, F1, lab(flow='exports'))
        s.n((r, 5), rnd(x / x0 * 100, 1), '0.0')
        s.f((r, 6), m, 1, F1, lab(flow='imports'))
        s.n((r, 7), rnd(m / m0 * 100, 1), '0.0')
        s.f((r, 8), x - m, 1, F1, lab(flow='balance'))
    r = 6 + len(entries)
    s.t((r, 1), 'ЕАЭС – Евразийский экономический союз. Данные предварительные.')
    s.t((r + 1, 1), 'Источник: Бюро национальной статистики Агентства по стратегическому планированию и реформам '
                    'Республики Казахстан')
    s.width('A', 26)
    for col in 'BCDEFGH':
        s.width(col, 15)
    c.partner_sums = [('World', ['EAEU', 'Non-EAEU countries']),
                      ('EAEU', ['Armenia', 'Belarus', 'Kyrgyzstan', 'Russia'])]


# ---------------------------------------------------------------------------
# group transposed: periods down the rows
# ---------------------------------------------------------------------------


def t01():
    c = new_case('t01_gso_vietnam_thang', 'transposed',
                 'General Statistics Office of Viet Nam monthly table of merchandise trade in Vietnamese: the '
                 'previous year, the months of the current year and the first six months down the rows, total '
                 'trade, exports, imports, the balance and growth on the same period a year earlier across',
                 'soffice',
                 ['Vietnamese labels: "Tổng kim ngạch xuất nhập khẩu" (total trade), "Xuất khẩu", "Nhập khẩu", "Cán '
                  'cân thương mại" (balance)', 'rows "Năm 2023" (2023), "Tháng 1" ... "Tháng 6*" (months of 2024: the '
                  'year only in the title "... NĂM 2024"), "6 tháng đầu năm 2024" (first six months: '
                  '2024-01/2024-06)', 'growth "Tốc độ tăng ... so với cùng kỳ năm trước (%)" vs the same period a '
                  'year earlier (not in the table)', 'unit line "Đơn vị tính: Triệu USD" (USD million)',
                  'estimate mark * on the last month; notes below'])
    b = c.book('t01_gso_vietnam_thang.xlsx', 'soffice')
    s = b.sheet('Bieu 1')
    rng = random.Random(4101)
    mo = months(2024, 1, 6)
    mo0 = months(2023, 1, 6)
    X = {m: 32400 * rng.uniform(0.86, 1.1) for m in mo}
    M = {m: 29800 * rng.uniform(0.88, 1.1) for m in mo}
    X.update({m: 28300 * rng.uniform(0.88, 1.08) for m in mo0})
    M.update({m: 26900 * rng.uniform(0.88, 1.08) for m in mo0})
    H, H0 = '2024-01/2024-06', '2023-01/2023-06'
    for S in (X, M):
        S[H] = cum(S, mo)
        S[H0] = cum(S, mo0)
    X.update({'2023': 355517.34, '2022': 371304.62})
    M.update({'2023': 327512.18, '2022': 358912.47})
    s.t('A1', 'TRỊ GIÁ XUẤT KHẨU, NHẬP KHẨU HÀNG HÓA THEO THÁNG NĂM 2024', bold=True)
    s.t('A2', 'Đơn vị tính: Triệu USD', italic=True)
    heads = ['', 'Tổng kim ngạch xuất nhập khẩu', 'Xuất khẩu', 'Nhập khẩu', 'Cán cân thương mại',
             'Tốc độ tăng xuất khẩu so với cùng kỳ năm trước (%)', 'Tốc độ tăng nhập khẩu so với cùng kỳ năm trước (%)']
    for j, h in enumerate(heads):
        s.t((4, 1 + j), h, bold=True, wrap=True, align='center')
    rows = [('Năm 2023', '2023', '2022')] + [(f'Tháng {i + 1}' + ('*' if i == 5 else ''), m, mo0[i])
                                             for i, m in enumerate(mo)] + [('6 tháng đầu năm 2024', H, H0)]
    L = Lab(reporter='Vietnam', unit='USD', scale=1e6)
    F1 = '#,##0.0'
    for i, (label, p, base) in enumerate(rows):
        r = 5 + i
        s.t((r, 1), label, bold=p in ('2023', H))
        flag = 'E' if label.endswith('*') else ''
        s.f((r, 2), X[p] + M[p], 1, F1, L(flow='total', period=p, flag=flag))
        s.f((r, 3), X[p], 1, F1, L(flow='exports', period=p, flag=flag))
        s.f((r, 4), M[p], 1, F1, L(flow='imports', period=p, flag=flag))
        s.f((r, 5), X[p] - M[p], 1, F1, L(flow='balance', period=p, flag=flag))
        s.f((r, 6), growth(X[p], X[base]), 1, '0.0', L.growth(p, base, flow='exports'))
        s.f((r, 7), growth(M[p], M[base]), 1, '0.0', L.growth(p, base, flow='imports'))
    r = 6 + len(rows)
    s.t((r, 1), '* Số liệu ước tính.')
    s.t((r + 1, 1), 'Nguồn: Tổng cục Thống kê; số liệu của Tổng cục Hải quan.')
    s.width('A', 24)
    for col in 'BCDEFG':
        s.width(col, 16)


def t02():
    c = new_case('t02_taiwan_mof_minguo_years', 'transposed',
                 'Taiwan Ministry of Finance trade statistics table "進出口貿易總值" in traditional Chinese: years, '
                 'half-years and months of the Republic of China calendar down the rows, total trade, exports, '
                 'imports (each with its annual growth rate) and the trade surplus across, US dollars',
                 'xlsxwriter',
                 ['Republic of China (Minguo) years: "112年" = 2023, "113年1-6月" = 2024-01/2024-06', 'months '
                  'written "1月" ... "6月" under a heading row "113年" that carries no figures', 'two-row headings: '
                  '"貿易總值", "出口", "進口" merged over "金額" and "年增率(%)"; "出(入)超" (surplus, negative = '
                  'deficit) merged down', 'growth "年增率(%)" vs the same period a year earlier (in the table for '
                  'the half-year, not for the year and the months)', 'unit line "單位：百萬美元" (USD million)',
                  'provisional note below'])
    b = c.book('t02_taiwan_mof_minguo_years.xlsx', 'xlsxwriter')
    s = b.sheet('表1')
    rng = random.Random(4202)
    mo, mo0 = months(2024, 1, 6), months(2023, 1, 6)
    X = {m: 37200 * rng.uniform(0.8, 1.15) for m in mo}
    M = {m: 29600 * rng.uniform(0.8, 1.15) for m in mo}
    X.update({m: 34500 * rng.uniform(0.82, 1.1) for m in mo0})
    M.update({m: 28700 * rng.uniform(0.82, 1.1) for m in mo0})
    H, H0, HM = '2024-01/2024-06', '2023-01/2023-06', '2022-01/2022-06'
    for S in (X, M):
        S[H] = cum(S, mo)
        S[H0] = cum(S, mo0)
    X.update({'2023': 432430.61, '2022': 479516.42, HM: 248312.55})
    M.update({'2023': 351817.24, '2022': 435908.73, HM: 222180.64})
    s.t('A1', '表1　進出口貿易總值', bold=True)
    s.t('H2', '單位：百萬美元；%', align='right')
    s.t('A3', '期間', bold=True, merge='A4', align='center')
    for col, h in ((2, '貿易總值'), (4, '出口'), (6, '進口')):
        s.t((3, col), h, bold=True, merge=(3, col + 1), align='center')
        s.t((4, col), '金額', bold=True, align='center')
        s.t((4, col + 1), '年增率(%)', bold=True, align='center')
    s.t('H3', '出(入)超', bold=True, merge='H4', align='center')
    L = Lab(reporter='Taiwan', unit='USD', scale=1e6)
    F1 = '#,##0.0'

    def line(r, label, p, base):
        s.t((r, 1), label)
        T = add(X, M)
        for col, flow, S in ((2, 'total', T), (4, 'exports', X), (6, 'imports', M)):
            s.f((r, col), S[p], 1, F1, L(flow=flow, period=p))
            s.f((r, col + 1), growth(S[p], S[base]), 1, '0.0', L.growth(p, base, flow=flow))
        s.f((r, 8), X[p] - M[p], 1, F1, L(flow='balance', period=p))

    line(5, '112年', '2023', '2022')
    line(6, '112年1-6月', H0, HM)
    line(7, '113年1-6月', H, H0)
    s.t((8, 1), '113年', bold=True)
    for i, m in enumerate(mo):
        line(9 + i, f'　{i + 1}月', m, mo0[i])
    s.t((16, 1), '資料來源：財政部關務署。')
    s.t((17, 1), '註：113年資料為初步統計數字；年增率係與上年同期比較。')
    s.width('A', 14)
    for col in 'BCDEFGH':
        s.width(col, 12)


def t03():
    c = new_case('t03_dzs_hrvatska_mjeseci', 'transposed',
                 'Croatian Bureau of Statistics (DZS) first-release table of exports and imports by month in '
                 'Croatian: months down the rows, exports, imports and the balance of two years across with indices '
                 'and the coverage of imports by exports',
                 'soffice',
                 ['Croatian month names "siječanj", "veljača", "ožujak", "travanj", "svibanj", "lipanj" (the year '
                  'from the column headings) and the cumulative row "siječanj – lipanj"', 'years as headings with a '
                  'trailing dot and a footnote mark: "2023.", "2024.¹⁾" (provisional)', 'flows "Izvoz", "Uvoz", '
                  '"Saldo" (balance, negative) merged over the year columns', 'indices "Indeksi 2024./2023." '
                  '(previous year = 100) and the coverage "Pokrivenost uvoza izvozom, %": not in the key', 'unit '
                  'line "tis. EUR" (EUR thousand)', 'notes below'])
    b = c.book('t03_dzs_hrvatska_mjeseci.xlsx', 'soffice')
    s = b.sheet('Tablica 1')
    rng = random.Random(4303)
    mo, mo0 = months(2024, 1, 6), months(2023, 1, 6)
    X = {m: 1950000 * rng.uniform(0.85, 1.12) for m in mo + mo0}
    M = {m: 3480000 * rng.uniform(0.85, 1.12) for m in mo + mo0}
    H, H0 = '2024-01/2024-06', '2023-01/2023-06'
    for S in (X, M):
        S[H] = cum(S, mo)
        S[H0] = cum(S, mo0)
    s.t('A1', 'IZVOZ I UVOZ ROBE REPUBLIKE HRVATSKE PO MJESECIMA', bold=True)
    s.t('J2', 'tis. EUR', align='right')
    s.t('A3', 'Mjesec', bold=True, merge='A4', align='center')
    s.t('B3', 'Izvoz', bold=True, merge='D3', align='center')
    s.t('E3', 'Uvoz', bold=True, merge='G3', align='center')
    s.t('H3', 'Saldo', bold=True, merge='I3', align='center')
    s.t('J3', 'Pokrivenost uvoza izvozom, % 2024.¹⁾', bold=True, merge='J4', align='center', wrap=True)
    for c0 in (2, 5):
        s.t((4, c0), '2023.', bold=True, align='center')
        s.t((4, c0 + 1), '2024.¹⁾', bold=True, align='center')
        s.t((4, c0 + 2), 'Indeksi 2024./2023.', bold=True, align='center', wrap=True)
    s.t('H4', '2023.', bold=True, align='center')
    s.t('I4', '2024.¹⁾', bold=True, align='center')
    L = Lab(reporter='Croatia', unit='EUR', scale=1e3)
    F0 = '#,##0'
    rows = [(MONTHS['hr'][i], mo0[i], mo[i]) for i in range(6)] + [('siječanj – lipanj', H0, H)]
    for i, (label, p0, p1) in enumerate(rows):
        r = 5 + i
        s.t((r, 1), label, bold=p1 == H)
        for c0, flow, S in ((2, 'exports', X), (5, 'imports', M)):
            s.f((r, c0), S[p0], 0, F0, L(flow=flow, period=p0))
            s.f((r, c0 + 1), S[p1], 0, F0, L(flow=flow, period=p1, flag='1)'))
            s.n((r, c0 + 2), rnd(S[p1] / S[p0] * 100, 1), '0.0')
        s.f((r, 8), X[p0] - M[p0], 0, F0, L(flow='balance', period=p0))
        s.f((r, 9), X[p1] - M[p1], 0, F0, L(flow='balance', period=p1, flag='1)'))
        s.n((r, 10), rnd(X[p1] / M[p1] * 100, 1), '0.0')
    r = 6 + len(rows)
    s.t((r, 1), '¹⁾ Privremeni podaci.')
    s.t((r + 1, 1), 'Izvor: Državni zavod za statistiku, Robna razmjena Republike Hrvatske s inozemstvom.')
    s.width('A', 20)
    for col in 'BCDEFGHIJ':
        s.width(col, 13)


def t04():
    c = new_case('t04_nbs_nigeria_quarters_brackets', 'transposed',
                 'National Bureau of Statistics (Nigeria) foreign trade in goods report table: quarters down the '
                 'rows, total trade, exports and imports each with quarter-on-quarter and year-on-year changes, and '
                 'the trade balance, negative numbers in brackets by number format, naira billions',
                 'openpyxl',
                 ['quarters written "Q1 2022" ... "Q2 2024" down column A', 'growth "Q-o-Q (%)" vs the quarter before '
                  'and "Y-o-Y (%)" vs the same quarter a year earlier (for 2022 not in the table)', 'negative changes '
                  'and balances in brackets by number format ((1,234.56))', 'unit in the title "(₦ Billion)" (NGN, '
                  'scale 1e9)', 'total trade = exports + imports', 'source line below'])
    b = c.book('t04_nbs_nigeria_quarters_brackets.xlsx', 'openpyxl')
    s = b.sheet('Table 1')
    rng = random.Random(4404)
    qs = [f'{y}Q{q}' for y in (2021, 2022, 2023, 2024) for q in (1, 2, 3, 4)][:14]
    X, M = {}, {}
    x, m = 4300.0, 5100.0
    for q in qs:
        boost = 1.32 if q == '2023Q3' else (1.25 if q == '2024Q1' else 1.0)
        x *= rng.uniform(0.9, 1.14) * boost
        m *= rng.uniform(0.92, 1.1) * boost
        X[q], M[q] = x, m
    T = add(X, M)
    s.t('A1', 'Table 1: Nigeria\'s Total Merchandise Trade, Exports, Imports and Trade Balance, Q1 2022 - Q2 2024 '
              '(₦ Billion)', bold=True)
    heads = ['Quarter', 'Total Trade', 'Q-o-Q (%)', 'Y-o-Y (%)', 'Total Exports', 'Q-o-Q (%)', 'Y-o-Y (%)',
             'Total Imports', 'Q-o-Q (%)', 'Y-o-Y (%)', 'Trade Balance']
    for j, h in enumerate(heads):
        s.t((3, 1 + j), h, bold=True, align='center', wrap=True)
    FL, FG = '#,##0.00;(#,##0.00)', '0.00;(0.00)'
    L = Lab(reporter='Nigeria', unit='NGN', scale=1e9)
    for i, q in enumerate(qs[4:]):
        r = 4 + i
        k = qs.index(q)
        s.t((r, 1), f'Q{q[5]} {q[:4]}')
        for c0, flow, S in ((2, 'total', T), (5, 'exports', X), (8, 'imports', M)):
            s.f((r, c0), S[q], 2, FL, L(flow=flow, period=q))
            s.f((r, c0 + 1), growth(S[q], S[qs[k - 1]]), 2, FG, L.growth(q, qs[k - 1], flow=flow))
            s.f((r, c0 + 2), growth(S[q], S[qs[k - 4]]), 2, FG, L.growth(q, qs[k - 4], flow=flow))
        s.f((r, 11), X[q] - M[q], 2, FL, L(flow='balance', period=q))
    r = 5 + len(qs) - 4
    s.t((r, 1), 'Source: National Bureau of Statistics (NBS), Foreign Trade in Goods Statistics. Figures in '
                'brackets are negative.')
    s.width('A', 12)
    for col in 'BCDEFGHIJK':
        s.width(col, 13)


# ---------------------------------------------------------------------------
# group long: database downloads
# ---------------------------------------------------------------------------


def l01():
    c = new_case('l01_estat_japan_boeki_sjis', 'long',
                 'e-Stat (portal site of official statistics of Japan) database download of the trade statistics, '
                 'column-oriented CSV in Shift_JIS: a few header lines naming the table, then one line per item, '
                 'flow, country and month with code and label columns, the unit in a column',
                 'csv',
                 ['encoding Shift_JIS (CP932), every field quoted, CRLF', 'header lines "統計表ID：", "統計名：", '
                  '"表題：" above the column names', 'column pairs of code and label: "表章項目 コード" / "表章項目", '
                  '"輸出入 コード" / "輸出入" (輸出 = exports, 輸入 = imports), "国 コード" / "国", "時間軸（月次） '
                  'コード" / "時間軸（月次）"', 'time codes "2024000101" with labels "2024年1月"', 'unit column '
                  '"千円" (JPY thousand), values as plain integers', 'partner "総額" (World) and countries in '
                  'Japanese (中華人民共和国, アメリカ合衆国, 大韓民国, 台湾, ...); reporter Japan only from the '
                  'statistics name and the file name'])
    t = c.text('l01_estat_japan_boeki_sjis.csv', quote='all', eol='\r\n', encoding='cp932')
    rng = random.Random(5101)
    mo = months(2024, 1, 6)
    ctry = [('000', '総額', 'World', 1.0, 1.0), ('105', '中華人民共和国', 'China', 0.175, 0.22),
            ('304', 'アメリカ合衆国', 'United States', 0.2, 0.105), ('103', '大韓民国', 'South Korea', 0.065, 0.04),
            ('106', '台湾', 'Taiwan', 0.06, 0.044), ('108', '香港', 'Hong Kong', 0.045, 0.002),
            ('111', 'タイ', 'Thailand', 0.04, 0.035), ('112', 'シンガポール', 'Singapore', 0.03, 0.012),
            ('213', 'ドイツ', 'Germany', 0.027, 0.029)]
    WX = {m: 8.0e9 * rng.uniform(0.85, 1.1) for m in mo}
    WM = {m: 8.6e9 * rng.uniform(0.85, 1.1) for m in mo}
    t.row('統計表ID：', '0003425296')
    t.row('統計名：', '普通貿易統計')
    t.row('表題：', '国別輸出入総額（月次）')
    t.row('')
    t.row(['表章項目 コード', '表章項目', '輸出入 コード', '輸出入', '国 コード', '国', '時間軸（月次） コード',
           '時間軸（月次）', 'unit', 'value'])
    for fcode, fname, flow, W in (('1', '輸出', 'exports', WX), ('2', '輸入', 'imports', WM)):
        for code, name, canon, sx, sm in ctry:
            sh = sx if flow == 'exports' else sm
            lab = Lab(reporter='Japan', partner=canon, flow=flow, unit='JPY', scale=1e3)
            for m in mo:
                v = W[m] * (1 if canon == 'World' else sh * rng.uniform(0.9, 1.1))
                y, mm = int(m[:4]), int(m[5:])
                t.row(['100', '金額', fcode, fname, code, name, f'{y}00{mm:02d}{mm:02d}', f'{y}年{mm}月', '千円',
                       fig(v, 0, lab(period=m))])


UNCTAD_SITC = [('0', 'Food and live animals'), ('1', 'Beverages and tobacco'),
               ('2', 'Crude materials, inedible, except fuels'), ('3', 'Mineral fuels, lubricants and related '
                                                                       'materials'),
               ('4', 'Animal and vegetable oils, fats and waxes'), ('5', 'Chemicals and related products, n.e.s.'),
               ('6', 'Manufactured goods classified chiefly by material'), ('7', 'Machinery and transport equipment'),
               ('8', 'Miscellaneous manufactured articles'),
               ('9', 'Commodities and transactions not classified elsewhere in the SITC')]


def l02():
    c = new_case('l02_unctadstat_sitc_bulk', 'long',
                 'UNCTADstat bulk download (merchandise trade by product, SITC Rev.3 sections) as CSV: one line per '
                 'year, economy, partner, flow and product with code and label columns, the value column named by '
                 'its unit, footnote and missing-value columns after it',
                 'csv',
                 ['UNCTADstat column names: Year, Economy, Economy Label, Partner, Partner Label, Flow, Flow Label, '
                  'SitcRev3Product, SitcRev3Product Label, "US$ at current prices in thousands", ... Footnote, ... '
                  'Missing value', 'the unit only in the value column\'s name (USD thousand), values with three '
                  'decimals', 'economies by M49 code and name: Nigeria (566), Pakistan (586), Peru (604); partner '
                  '0000 "World"', 'flows "01" Imports and "02" Exports', 'product "TOTAL" and the ten SITC sections '
                  '0-9 that add up to it', 'footnote "Estimated" on some lines (flag)'])
    t = c.text('l02_unctadstat_sitc_bulk.csv')
    rng = random.Random(5202)
    t.row(['Year', 'Economy', 'Economy Label', 'Partner', 'Partner Label', 'Flow', 'Flow Label', 'SitcRev3Product',
           'SitcRev3Product Label', 'US$ at current prices in thousands',
           'US$ at current prices in thousands Footnote', 'US$ at current prices in thousands Missing value'])
    econ = [('566', 'Nigeria', 52e6, 48e6, [0.01, 0.005, 0.04, 0.86, 0.003, 0.02, 0.02, 0.01, 0.004]),
            ('586', 'Pakistan', 31e6, 55e6, [0.18, 0.002, 0.05, 0.01, 0.002, 0.06, 0.32, 0.01, 0.35]),
            ('604', 'Peru', 66e6, 50e6, [0.19, 0.003, 0.44, 0.08, 0.01, 0.04, 0.19, 0.005, 0.02])]
    for year in ('2022', '2023'):
        for code, name, bx, bm, xsh in econ:
            for fcode, flabel, flow, base in (('01', 'Imports', 'imports', bm), ('02', 'Exports', 'exports', bx)):
                if flow == 'imports':
                    sh = [0.12, 0.01, 0.04, 0.22, 0.05, 0.16, 0.13, 0.21, 0.05]
                else:
                    sh = xsh
                parts = [base * w * rng.uniform(0.8, 1.2) * (1.0 if year == '2023' else 1.07) for w in sh]
                rest = base * (1.0 if year == '2023' else 1.07) - sum(parts)
                parts.append(max(rest, base * 0.003))
                total = sum(parts)
                est = code == '566' and year == '2023'
                lab = Lab(reporter=name, flow=flow, unit='USD', scale=1e3, period=year, flag='E' if est else '')
                t.row([year, code, name, '0000', 'World', fcode, flabel, 'TOTAL', 'Total all products',
                       fig(total, 3, lab), 'Estimated' if est else '', ''])
                for (sc, sl), v in zip(UNCTAD_SITC, parts):
                    t.row([year, code, name, '0000', 'World', fcode, flabel, sc, sl,
                           fig(v, 3, lab(product='SITC ' + sc)), 'Estimated' if est else '', ''])
    c.products_complete = True


BPS_NEGARA = [('TIONGKOK', 'China', 0.24, 0.29), ('AMERIKA SERIKAT', 'United States', 0.1, 0.055),
              ('JEPANG', 'Japan', 0.08, 0.075), ('INDIA', 'India', 0.085, 0.04),
              ('SINGAPURA', 'Singapore', 0.042, 0.09), ('MALAYSIA', 'Malaysia', 0.045, 0.045),
              ('FILIPINA', 'Philippines', 0.045, 0.004), ('KOREA SELATAN', 'South Korea', 0.035, 0.048)]


def l03():
    c = new_case('l03_bps_exim_negara_bulanan', 'long',
                 'BPS (Statistics Indonesia) export-import data portal downloads: two semicolon-separated CSV files, '
                 'exports by country of destination and imports by country of origin, one line per country and '
                 'month with the net weight and the value in US dollars, Indonesian column names and country names',
                 'csv',
                 ['two files (ekspor, impor) with Indonesian column names "Negara Tujuan" / "Negara Asal", "Tahun", '
                  '"Bulan", "Berat Bersih (Kg)", "Nilai FOB (US$)" / "Nilai CIF (US$)"', 'the unit in the value '
                  'column\'s name: US$ (USD, scale 1), plain integers', 'weights in kg beside the values: not in the '
                  'key', 'months as Indonesian names "Januari" ... "Juni" with the year in its own column',
                  'countries in Indonesian capitals: TIONGKOK (China), AMERIKA SERIKAT, JEPANG, SINGAPURA, FILIPINA, '
                  'KOREA SELATAN', 'semicolons; reporter Indonesia only from the source (bps in the file names)'])
    rng = random.Random(5303)
    mo = months(2024, 1, 6)
    for fname, col, vcol, flow, total in (('l03_bps_ekspor_menurut_negara_2024.csv', 'Negara Tujuan',
                                           'Nilai FOB (US$)', 'exports', 21.0e9),
                                          ('l03_bps_impor_menurut_negara_2024.csv', 'Negara Asal',
                                           'Nilai CIF (US$)', 'imports', 18.2e9)):
        t = c.text(fname, delim=';')
        t.row([col, 'Tahun', 'Bulan', 'Berat Bersih (Kg)', vcol])
        for name, canon, sx, sm in BPS_NEGARA:
            sh = sx if flow == 'exports' else sm
            lab = Lab(reporter='Indonesia', partner=canon, flow=flow, unit='USD', scale=1)
            for m in mo:
                v = total * sh * rng.uniform(0.8, 1.2)
                kg = v * rng.uniform(0.6, 4.0)
                t.row([name, m[:4], MONTHS['id'][int(m[5:]) - 1], f'{round(kg)}', fig(v, 0, lab(period=m))])


def l04():
    c = new_case('l04_tuik_medas_ulke_ay', 'long',
                 'TurkStat (TÜİK) central dissemination system (MEDAS) query result saved as a spreadsheet, in '
                 'Turkish: year, month and country as stub columns merged down over their repeats, exports and '
                 'imports as value columns, the unit in a line above',
                 'openpyxl',
                 ['Turkish column names "Yıl", "Ay", "Ülke", "İhracat", "İthalat"', 'stub cells merged down over '
                  'their repeats (the year over the whole table, each month over its countries)', 'months as '
                  'Turkish names "Ocak" ... "Haziran"', 'unit line "Birim: Bin ABD Doları" (USD thousand)',
                  'countries in Turkish: Almanya, Irak, Birleşik Krallık, İtalya, Amerika Birleşik Devletleri, Rusya '
                  'Federasyonu, Çin, İspanya, Fransa, Birleşik Arap Emirlikleri', 'reporter Türkiye from the title '
                  'and source line'])
    b = c.book('l04_tuik_medas_ulke_ay.xlsx', 'openpyxl')
    s = b.sheet('Sonuç')
    rng = random.Random(5404)
    mo = months(2024, 1, 6)
    ctry = [('Almanya', 'Germany', 0.082, 0.078), ('Irak', 'Iraq', 0.049, 0.008),
            ('Birleşik Krallık', 'United Kingdom', 0.058, 0.024), ('İtalya', 'Italy', 0.048, 0.044),
            ('Amerika Birleşik Devletleri', 'United States', 0.062, 0.05),
            ('Rusya Federasyonu', 'Russia', 0.03, 0.16), ('Çin', 'China', 0.014, 0.13),
            ('İspanya', 'Spain', 0.038, 0.026), ('Fransa', 'France', 0.04, 0.03),
            ('Birleşik Arap Emirlikleri', 'United Arab Emirates', 0.033, 0.021)]
    s.t('A1', 'Ülkelere göre aylık ihracat ve ithalat, 2024 (Genel Ticaret Sistemi)', bold=True)
    s.t('A2', 'Birim: Bin ABD Doları', italic=True)
    for j, h in enumerate(('Yıl', 'Ay', 'Ülke', 'İhracat', 'İthalat')):
        s.t((4, 1 + j), h, bold=True)
    r = 5
    s.t((r, 1), '2024', merge=(r + len(mo) * len(ctry) - 1, 1))
    for m in mo:
        s.t((r, 2), MONTHS['tr'][int(m[5:]) - 1], merge=(r + len(ctry) - 1, 2))
        for tr, canon, sx, sm in ctry:
            s.t((r, 3), tr)
            lab = Lab(reporter='Türkiye', partner=canon, period=m, unit='USD', scale=1e3)
            s.f((r, 4), 21.5e6 * sx * rng.uniform(0.85, 1.15), 0, '#,##0', lab(flow='exports'))
            s.f((r, 5), 28.0e6 * sm * rng.uniform(0.85, 1.15), 0, '#,##0', lab(flow='imports'))
            r += 1
    s.t((r + 1, 1), 'Kaynak: TÜİK, Dış Ticaret İstatistikleri. 2024 verileri geçicidir.')
    s.width('A', 8)
    s.width('B', 10)
    s.width('C', 30)
    s.width('D', 14)
    s.width('E', 14)


def l05():
    c = new_case('l05_kosis_gukgabyeol_cp949', 'long',
                 'KOSIS (Korean Statistical Information Service) download of trade by country and month in Korean, '
                 'CSV in CP949: one line per country and month, numbers of declarations and values for exports and '
                 'imports and the trade balance, the units in brackets in the column names',
                 'csv',
                 ['encoding CP949 (Korean), every field quoted', 'Korean column names with the unit in brackets: '
                  '"수출금액 (천달러)" (exports, USD thousand), "수입금액 (천달러)", "무역수지 (천달러)" (balance)',
                  'counts "수출건수 (건)" / "수입건수 (건)" (numbers of declarations) beside the values: not in the '
                  'key', 'periods "2024.01" ... "2024.06" (year dot month)', 'country "총계" (World) and countries '
                  'in Korean: 중국, 미국, 베트남, 일본, 홍콩, 대만, 호주, 사우디아라비아', 'reporter South Korea only from '
                  'the source (kosis in the file name)'])
    t = c.text('l05_kosis_gukgabyeol_cp949.csv', quote='all', encoding='cp949')
    rng = random.Random(5505)
    mo = months(2024, 1, 6)
    ctry = [('총계', 'World', 1.0, 1.0), ('중국', 'China', 0.19, 0.225), ('미국', 'United States', 0.185, 0.11),
            ('베트남', 'Vietnam', 0.085, 0.044), ('일본', 'Japan', 0.043, 0.087), ('홍콩', 'Hong Kong', 0.047, 0.003),
            ('대만', 'Taiwan', 0.045, 0.045), ('호주', 'Australia', 0.028, 0.055),
            ('사우디아라비아', 'Saudi Arabia', 0.008, 0.053)]
    WX = {m: 56.0e6 * rng.uniform(0.9, 1.1) for m in mo}
    WM = {m: 52.0e6 * rng.uniform(0.9, 1.1) for m in mo}
    t.row(['국가별(1)', '시점', '수출건수 (건)', '수출금액 (천달러)', '수입건수 (건)', '수입금액 (천달러)',
           '무역수지 (천달러)'])
    for ko, canon, sx, sm in ctry:
        lab = Lab(reporter='South Korea', partner=canon, unit='USD', scale=1e3)
        for m in mo:
            x = WX[m] * (1 if canon == 'World' else sx * rng.uniform(0.9, 1.1))
            mm = WM[m] * (1 if canon == 'World' else sm * rng.uniform(0.9, 1.1))
            t.row([ko, f'{m[:4]}.{m[5:]}', str(round(x / 48)), fig(x, 0, lab(flow='exports', period=m)),
                   str(round(mm / 31)), fig(mm, 0, lab(flow='imports', period=m)),
                   fig(rnd(x, 0) - rnd(mm, 0), 0, lab(flow='balance', period=m))])


# ---------------------------------------------------------------------------
# group mixed: several sheets, several tables
# ---------------------------------------------------------------------------

AR_QUARTERS = {1: 'الربع الأول', 2: 'الربع الثاني', 3: 'الربع الثالث', 4: 'الربع الرابع'}


def x01():
    c = new_case('x01_gastat_bilingual_rtl', 'mixed',
                 'Saudi General Authority for Statistics (GASTAT) international trade bulletin workbook, Arabic and '
                 'English: right-to-left sheets, a quarterly summary with periods down the rows and labels in both '
                 'languages on both sides, and a sheet with two partner tables one below the other',
                 'xlsxwriter',
                 ['right-to-left sheets (column A shows on the right)', 'bilingual headings in one cell: '
                  '"الصادرات السلعية Merchandise exports", "الواردات Imports", "الميزان التجاري Trade balance"',
                  'quarter labels in both languages: Arabic "الربع الأول 2023" in column A, English "Q1 2023" in the '
                  'last column', '"Non-oil exports (incl. re-exports)" (exports of non-oil products, in the key as '
                  'exports with product Non-oil) and "Re-exports" (flow re_exports, within exports)', 'unit line '
                  '"مليون ريال Million SAR" (SAR million)', 'second sheet: exports by main destination and imports by '
                  'main origin, Q2 2023 and Q2 2024 with "التغير % Change %", partner names in Arabic and English '
                  'columns ("Korea, Rep.", "United Arab Emirates"), "باقي الدول Rest of the world" and "الإجمالي '
                  'Total"', 'the partner tables\' totals repeat the summary\'s Q2 figures'])
    b = c.book('x01_gastat_bilingual_rtl.xlsx', 'xlsxwriter')
    rng = random.Random(6101)
    qs = [f'{y}Q{q}' for y in (2023, 2024) for q in (1, 2, 3, 4)][:6]
    X = {q: 285000 * rng.uniform(0.9, 1.08) for q in qs}
    NO = {q: 74000 * rng.uniform(0.92, 1.08) for q in qs}
    RE = {q: NO[q] * rng.uniform(0.24, 0.3) for q in qs}
    M = {q: 186000 * rng.uniform(0.92, 1.08) for q in qs}
    s = b.sheet('جدول 1 Table 1')
    s.rtl = True
    s.t('A1', 'التجارة الدولية للمملكة العربية السعودية - ملخص ربعي   International trade of Saudi Arabia - '
              'quarterly summary', bold=True)
    s.t('A2', 'مليون ريال Million SAR', italic=True)
    heads = ['الفترة', 'الصادرات السلعية Merchandise exports',
             'الصادرات غير البترولية (شاملة إعادة التصدير) Non-oil exports (incl. re-exports)',
             'إعادة التصدير Re-exports', 'الواردات Imports', 'الميزان التجاري Trade balance', 'Period']
    for j, h in enumerate(heads):
        s.t((4, 1 + j), h, bold=True, wrap=True, align='center')
    L = Lab(reporter='Saudi Arabia', unit='SAR', scale=1e6)
    F0 = '#,##0'
    for i, q in enumerate(qs):
        r = 5 + i
        y, n = q[:4], int(q[5])
        s.t((r, 1), f'{AR_QUARTERS[n]} {y}')
        s.t((r, 7), f'Q{n} {y}')
        flag = 'p' if q == '2024Q2' else ''
        s.f((r, 2), X[q], 0, F0, L(flow='exports', period=q, flag=flag))
        s.f((r, 3), NO[q], 0, F0, L(flow='exports', period=q, product='Non-oil', flag=flag))
        s.f((r, 4), RE[q], 0, F0, L(flow='re_exports', period=q, flag=flag))
        s.f((r, 5), M[q], 0, F0, L(flow='imports', period=q, flag=flag))
        s.f((r, 6), X[q] - M[q], 0, F0, L(flow='balance', period=q, flag=flag))
    s.t((12, 1), 'بيانات الربع الثاني 2024 أولية.   Q2 2024 data are preliminary.')
    s.t((13, 1), 'المصدر: الهيئة العامة للإحصاء   Source: General Authority for Statistics')
    s.width('A', 20)
    for col in 'BCDEF':
        s.width(col, 18)
    s.width('G', 12)
    s2 = b.sheet('جدول 5 Table 5')
    s2.rtl = True
    Q2, Q2p = '2024Q2', '2023Q2'
    xs = [('الصين', 'China', 'China', 0.145), ('الهند', 'India', 'India', 0.098), ('اليابان', 'Japan', 'Japan', 0.09),
          ('كوريا الجنوبية', 'Korea, Rep.', 'South Korea', 0.082),
          ('الإمارات العربية المتحدة', 'United Arab Emirates', 'United Arab Emirates', 0.066),
          ('الولايات المتحدة الأمريكية', 'United States', 'United States', 0.037),
          ('مصر', 'Egypt', 'Egypt', 0.033), ('سنغافورة', 'Singapore', 'Singapore', 0.029),
          ('بولندا', 'Poland', 'Poland', 0.026), ('البحرين', 'Bahrain', 'Bahrain', 0.024)]
    ms = [('الصين', 'China', 'China', 0.26), ('الولايات المتحدة الأمريكية', 'United States', 'United States', 0.088),
          ('الإمارات العربية المتحدة', 'United Arab Emirates', 'United Arab Emirates', 0.066),
          ('الهند', 'India', 'India', 0.058), ('ألمانيا', 'Germany', 'Germany', 0.043),
          ('اليابان', 'Japan', 'Japan', 0.04), ('إيطاليا', 'Italy', 'Italy', 0.028),
          ('كوريا الجنوبية', 'Korea, Rep.', 'South Korea', 0.026), ('مصر', 'Egypt', 'Egypt', 0.024),
          ('سويسرا', 'Switzerland', 'Switzerland', 0.023)]
    r = 1
    for ar_title, en_title, flow, W, lst in (
            ('الصادرات حسب أهم دول المقصد', 'Exports by main destination', 'exports', X, xs),
            ('الواردات حسب أهم دول المنشأ', 'Imports by main origin', 'imports', M, ms)):
        s2.t((r, 1), f'{ar_title}   {en_title}', bold=True)
        s2.t((r + 1, 1), 'مليون ريال Million SAR', italic=True)
        for j, h in enumerate(('الدولة', 'Q2 2023', 'Q2 2024', 'التغير % Change %', 'Country')):
            s2.t((r + 2, 1 + j), h, bold=True, align='center')
        vals = {}
        for ar, en, canon, sh in lst:
            v1 = W[Q2] * sh * rng.uniform(0.92, 1.08)
            vals[canon] = {Q2: v1, Q2p: W[Q2p] * sh * rng.uniform(0.85, 1.15)}
        rest = {p: W[p] - sum(v[p] for v in vals.values()) for p in (Q2, Q2p)}
        rr = r + 3
        entries = [(ar, en, canon, vals[canon]) for ar, en, canon, _ in lst]
        entries.sort(key=lambda e: -e[3][Q2])
        entries += [('باقي الدول', 'Rest of the world', 'Rest of the world', rest),
                    ('الإجمالي', 'Total', 'World', {Q2: W[Q2], Q2p: W[Q2p]})]
        for ar, en, canon, v in entries:
            s2.t((rr, 1), ar, bold=canon == 'World')
            s2.t((rr, 5), en, bold=canon == 'World')
            lab = Lab(reporter='Saudi Arabia', partner=canon, flow=flow, unit='SAR', scale=1e6)
            s2.f((rr, 2), v[Q2p], 0, F0, lab(period=Q2p))
            s2.f((rr, 3), v[Q2], 0, F0, lab(period=Q2, flag='p'))
            s2.f((rr, 4), growth(v[Q2], v[Q2p]), 1, '0.0', lab.growth(Q2, Q2p))
            rr += 1
        c.partner_sums.append(('World', [e[2] for e in entries[:-1]]))
        r = rr + 2
    s2.width('A', 26)
    for col in 'BCD':
        s2.width(col, 14)
    s2.width('E', 22)


def x02():
    c = new_case('x02_dosm_malaysia_dwibahasa', 'mixed',
                 'Department of Statistics Malaysia (DOSM) Malaysia External Trade Statistics tables in Malay and '
                 'English: a summary sheet with the year, the first half of two years and the months of the year as '
                 'date cells down the rows, and a sheet with exports and imports by main partner in two tables',
                 'openpyxl',
                 ['bilingual headings with a line break in the cell: "Eksport\\nExports", "Imbangan Dagangan\\nTrade '
                  'Balance", "Jumlah Dagangan\\nTotal Trade"', 'months as date cells with the format "mmm yyyy" '
                  '("Jan 2024"), below rows "2023", "Jan - Jun 2023", "Jan - Jun 2024" written as text', 'unit line '
                  '"RM juta / RM million" (MYR million)', 'growth "Perubahan tahun ke tahun (%) / Year-on-year '
                  'change (%)" vs the same period a year earlier (in the table only for the half-year)', 'second '
                  'sheet: main partners with bilingual names "Singapura / Singapore", "Amerika Syarikat / United '
                  'States", "Jepun / Japan", "Lain-lain / Others", "Jumlah / Total"; June 2023 and June 2024 with '
                  '"Perubahan / Change (%)"; two tables one below the other', 'the partner tables\' June 2024 totals '
                  'repeat the summary\'s'])
    b = c.book('x02_dosm_malaysia_dwibahasa.xlsx', 'openpyxl')
    rng = random.Random(6202)
    mo, mo0 = months(2024, 1, 6), months(2023, 1, 6)
    X = {m: 122000 * rng.uniform(0.88, 1.1) for m in mo + mo0}
    M = {m: 108000 * rng.uniform(0.88, 1.1) for m in mo + mo0}
    H, H0 = '2024-01/2024-06', '2023-01/2023-06'
    for S in (X, M):
        S[H] = cum(S, mo)
        S[H0] = cum(S, mo0)
    X.update({'2023': 1426218.43, '2022': 1550991.27})
    M.update({'2023': 1200470.62, '2022': 1294759.85})
    s = b.sheet('Jadual 1')
    s.t('A1', 'Jadual 1: Ringkasan perdagangan luar Malaysia / Table 1: Summary of Malaysia\'s external trade',
        bold=True)
    s.t('A2', 'RM juta / RM million', italic=True)
    heads = ['Tempoh\nPeriod', 'Eksport\nExports', 'Perubahan tahun ke tahun (%)\nYear-on-year change (%)',
             'Import\nImports', 'Perubahan tahun ke tahun (%)\nYear-on-year change (%)', 'Jumlah Dagangan\nTotal Trade',
             'Imbangan Dagangan\nTrade Balance']
    for j, h in enumerate(heads):
        s.t((4, 1 + j), h, bold=True, wrap=True, align='center')
    L = Lab(reporter='Malaysia', unit='MYR', scale=1e6)
    F1 = '#,##0.0'
    rows = [('2023', '2023', '2022'), ('Jan - Jun 2023', H0, None), ('Jan - Jun 2024', H, H0)]
    rows += [(datetime.datetime(2024, i + 1, 1), m, mo0[i]) for i, m in enumerate(mo)]
    for i, (label, p, base) in enumerate(rows):
        r = 5 + i
        if isinstance(label, str):
            s.t((r, 1), label, bold=True)
        else:
            s.n((r, 1), label, 'mmm yyyy', align='left')
        s.f((r, 2), X[p], 1, F1, L(flow='exports', period=p))
        s.f((r, 4), M[p], 1, F1, L(flow='imports', period=p))
        if base is None:
            s.miss((r, 3), '-')
            s.miss((r, 5), '-')
        else:
            s.f((r, 3), growth(X[p], X[base]), 1, '0.0', L.growth(p, base, flow='exports'))
            s.f((r, 5), growth(M[p], M[base]), 1, '0.0', L.growth(p, base, flow='imports'))
        s.f((r, 6), X[p] + M[p], 1, F1, L(flow='total', period=p))
        s.f((r, 7), X[p] - M[p], 1, F1, L(flow='balance', period=p))
    s.t((15, 1), 'Nota / Note: Data bagi 2024 adalah sementara / Data for 2024 are provisional.')
    s.t((16, 1), 'Sumber / Source: Jabatan Perangkaan Malaysia / Department of Statistics Malaysia')
    s.width('A', 18)
    for col in 'BCDEFG':
        s.width(col, 16)
    s2 = b.sheet('Jadual 3')
    J4, J3 = '2024-06', '2023-06'
    xs = [('Singapura / Singapore', 'Singapore', 0.148), ('China', 'China', 0.128),
          ('Amerika Syarikat / United States', 'United States', 0.118), ('Hong Kong', 'Hong Kong', 0.065),
          ('Jepun / Japan', 'Japan', 0.062), ('Thailand', 'Thailand', 0.044), ('India', 'India', 0.038),
          ('Korea Selatan / South Korea', 'South Korea', 0.031)]
    ms = [('China', 'China', 0.215), ('Singapura / Singapore', 'Singapore', 0.104),
          ('Amerika Syarikat / United States', 'United States', 0.082), ('Taiwan', 'Taiwan', 0.081),
          ('Jepun / Japan', 'Japan', 0.061), ('Indonesia', 'Indonesia', 0.045), ('Korea Selatan / South Korea',
                                                                                 'South Korea', 0.044),
          ('Thailand', 'Thailand', 0.043)]
    r = 1
    for title, flow, W, lst in (('Eksport mengikut rakan dagang utama / Exports by main trading partners',
                                 'exports', X, xs),
                                ('Import mengikut rakan dagang utama / Imports by main trading partners', 'imports',
                                 M, ms)):
        s2.t((r, 1), title, bold=True)
        s2.t((r + 1, 1), 'RM juta / RM million', italic=True)
        for j, h in enumerate(('Rakan Dagang\nTrading Partner', 'Jun 2023', 'Jun 2024', 'Perubahan\nChange (%)')):
            s2.t((r + 2, 1 + j), h, bold=True, wrap=True, align='center')
        vals = {canon: {J4: W[J4] * sh * rng.uniform(0.93, 1.07), J3: W[J3] * sh * rng.uniform(0.88, 1.12)}
                for _, canon, sh in lst}
        rest = {p: W[p] - sum(v[p] for v in vals.values()) for p in (J4, J3)}
        entries = [(lab_, canon, vals[canon]) for lab_, canon, _ in lst]
        entries += [('Lain-lain / Others', 'Rest of the world', rest), ('Jumlah / Total', 'World', W)]
        rr = r + 3
        for label, canon, v in entries:
            s2.t((rr, 1), label, bold=canon == 'World')
            lab = Lab(reporter='Malaysia', partner=canon, flow=flow, unit='MYR', scale=1e6)
            s2.f((rr, 2), v[J3], 1, F1, lab(period=J3))
            s2.f((rr, 3), v[J4], 1, F1, lab(period=J4))
            s2.f((rr, 4), growth(v[J4], v[J3]), 1, '0.0', lab.growth(J4, J3))
            rr += 1
        c.partner_sums.append(('World', [e[1] for e in entries[:-1]]))
        r = rr + 2
    s2.width('A', 34)
    for col in 'BCD':
        s2.width(col, 14)


# ---------------------------------------------------------------------------
# group planted: one realistic slip each
# ---------------------------------------------------------------------------


def e01():
    c = new_case('e01_lietuva_salys_digit_slip', 'planted',
                 'Statistics Lithuania (State Data Agency) table of foreign trade by country in Lithuanian: exports '
                 'and imports for the first half of two years with changes, and the balance, the EU and non-EU '
                 'groups and the main countries below them',
                 'xlsxwriter',
                 ['planted: one digit mistyped in a country\'s exports for the first half of 2024 (the listed '
                  'countries and "Kitos šalys" no longer add up to "Iš viso", and the country\'s change and balance '
                  'disagree with it)', 'Lithuanian labels: "Eksportas", "Importas", "Prekybos balansas", "Pokytis, '
                  '%"', 'half-years written "2023 m. I pusm." and "2024 m. I pusm.*" (2023S1, 2024S1)', 'groups "ES '
                  'šalys" (EU27) and "Ne ES šalys" (Extra-EU) adding up to "Iš viso" (World); "iš jų:" before the '
                  'countries; "Kitos šalys" (Rest of the world)', 'Lithuanian country names (Latvija, Lenkija, '
                  'Vokietija, Jungtinės Amerikos Valstijos, ...)', 'unit line "tūkst. EUR" (EUR thousand)'])
    b = c.book('e01_lietuva_salys_digit_slip.xlsx', 'xlsxwriter')
    s = b.sheet('Lentelė 2')
    rng = random.Random(7101)
    S0, S1 = '2023S1', '2024S1'
    lst = [('Latvija', 'Latvia', 0.123, 0.071), ('Lenkija', 'Poland', 0.082, 0.125),
           ('Vokietija', 'Germany', 0.079, 0.118), ('Estija', 'Estonia', 0.058, 0.026),
           ('Nyderlandai', 'Netherlands', 0.05, 0.054), ('Švedija', 'Sweden', 0.041, 0.033),
           ('Jungtinės Amerikos Valstijos', 'United States', 0.061, 0.042),
           ('Jungtinė Karalystė', 'United Kingdom', 0.034, 0.011), ('Norvegija', 'Norway', 0.031, 0.024),
           ('Kinija', 'China', 0.006, 0.041), ('Turkija', 'Türkiye', 0.011, 0.023)]
    WX = {S0: 19412518.4, S1: 18806244.7}
    WM = {S0: 21904312.6, S1: 20911458.3}
    EUX = {S0: WX[S0] * 0.604, S1: WX[S1] * 0.611}
    EUM = {S0: WM[S0] * 0.622, S1: WM[S1] * 0.617}
    vals = {}
    for lt, canon, sx, sm in lst:
        x1 = WX[S1] * sx * rng.uniform(0.93, 1.07)
        m1 = WM[S1] * sm * rng.uniform(0.93, 1.07)
        vals[canon] = ({S1: x1, S0: x1 / rng.uniform(0.86, 1.12)}, {S1: m1, S0: m1 / rng.uniform(0.86, 1.12)})
    vals['Germany'][0][S1] = 1476532.2
    restX = {p: WX[p] - sum(v[0][p] for v in vals.values()) for p in (S0, S1)}
    restM = {p: WM[p] - sum(v[1][p] for v in vals.values()) for p in (S0, S1)}
    s.t('A1', '2 lentelė. Lietuvos užsienio prekyba pagal šalis, 2024 m. sausio–birželio mėn.', bold=True)
    s.t('H2', 'tūkst. EUR', align='right')
    s.t('A3', 'Šalis', bold=True, merge='A4', align='center')
    s.t('B3', 'Eksportas', bold=True, merge='D3', align='center')
    s.t('E3', 'Importas', bold=True, merge='G3', align='center')
    s.t('H3', 'Prekybos balansas', bold=True, align='center')
    for c0 in (2, 5):
        s.t((4, c0), '2023 m. I pusm.', bold=True, align='center')
        s.t((4, c0 + 1), '2024 m. I pusm.*', bold=True, align='center')
        s.t((4, c0 + 2), 'Pokytis, %', bold=True, align='center')
    s.t('H4', '2024 m. I pusm.*', bold=True, align='center')
    entries = [('Iš viso', 'World', WX, WM), ('ES šalys', 'EU27', EUX, EUM),
               ('Ne ES šalys', 'Extra-EU', sub(WX, EUX), sub(WM, EUM))]
    entries += [(('iš jų: ' if i == 0 else '') + lt, canon, vals[canon][0], vals[canon][1])
                for i, (lt, canon, _, _) in enumerate(lst)]
    entries += [('Kitos šalys', 'Rest of the world', restX, restM)]
    F0 = '#,##0'
    L = Lab(reporter='Lithuania', unit='EUR', scale=1e3)
    culprit = None
    for i, (label, canon, X, M) in enumerate(entries):
        r = 5 + i
        s.t((r, 1), label, bold=canon in ('World', 'EU27', 'Extra-EU'))
        lab = L(partner=canon)
        for c0, flow, S in ((2, 'exports', X), (5, 'imports', M)):
            s.f((r, c0), S[S0], 0, F0, lab(flow=flow, period=S0))
            s.f((r, c0 + 1), S[S1], 0, F0, lab(flow=flow, period=S1, flag='*'))
            s.f((r, c0 + 2), growth(S[S1], S[S0]), 1, '0.0', lab.growth(S1, S0, flow=flow))
        s.f((r, 8), X[S1] - M[S1], 0, F0, lab(flow='balance', period=S1, flag='*'))
        if canon == 'Germany':
            culprit = (r, 3)
    r = 6 + len(entries)
    s.t((r, 1), '* Preliminarieji duomenys. Eksportas – pagal paskirties šalį, importas – pagal kilmės šalį (ES '
                'šalims – pagal siuntimo šalį).')
    s.t((r + 1, 1), 'Šaltinis: Valstybės duomenų agentūra')
    s.width('A', 32)
    for col in 'BCDEFGH':
        s.width(col, 14)
    c.partner_sums = [('World', ['EU27', 'Extra-EU']), ('World', [x[1] for x in lst] + ['Rest of the world'])]
    true = rnd(vals['Germany'][0][S1], 0)
    s.publish(culprit, 1426532)
    c.plant(b.name, s.name, ref_of(*culprit), 'sum_of_parts', true, 0,
            'one digit mistyped: 1,476,532 published as 1,426,532 (the third digit 7 typed as 2)')


def e02():
    c = new_case('e02_slovenija_meseci_scale_slip', 'planted',
                 'Statistical Office of Slovenia (SURS) first-release table of exports and imports of goods by month '
                 'in Slovenian: months down the rows, exports, imports and the balance of two years across, in '
                 'thousand euro, with the coverage of imports by exports',
                 'ssconvert',
                 ['planted: one month\'s imports of 2024 entered in million euro instead of thousand euro (3,413 '
                  'for 3,412,618): the balance of that month disagrees with it', 'Slovenian month names "januar" ... '
                  '"junij" and the cumulative row "januar–junij"', 'flows "Izvoz", "Uvoz", "Saldo" (balance) merged '
                  'over the year columns "2023" and "2024"', 'coverage "Pokritost uvoza z izvozom (%)": not in the '
                  'key', 'unit line "1000 EUR" (EUR thousand)'])
    b = c.book('e02_slovenija_meseci_scale_slip.xlsx', 'ssconvert')
    s = b.sheet('Tabela 1')
    rng = random.Random(7202)
    mo, mo0 = months(2024, 1, 6), months(2023, 1, 6)
    X = {m: 3520000 * rng.uniform(0.88, 1.1) for m in mo + mo0}
    M = {m: 3610000 * rng.uniform(0.88, 1.1) for m in mo + mo0}
    M['2024-04'] = 3412618.3
    H, H0 = '2024-01/2024-06', '2023-01/2023-06'
    for S in (X, M):
        S[H] = cum(S, mo)
        S[H0] = cum(S, mo0)
    s.t('A1', 'Izvoz in uvoz blaga, Slovenija, mesečno', bold=True)
    s.t('H2', '1000 EUR', align='right')
    s.t('A3', 'Mesec', bold=True, merge='A4', align='center')
    s.t('B3', 'Izvoz', bold=True, merge='C3', align='center')
    s.t('D3', 'Uvoz', bold=True, merge='E3', align='center')
    s.t('F3', 'Saldo', bold=True, merge='G3', align='center')
    s.t('H3', 'Pokritost uvoza z izvozom (%)', bold=True, merge='H4', align='center', wrap=True)
    for c0 in (2, 4, 6):
        s.t((4, c0), '2023', bold=True, align='center')
        s.t((4, c0 + 1), '2024', bold=True, align='center')
    L = Lab(reporter='Slovenia', unit='EUR', scale=1e3)
    F0 = '#,##0'
    rows = [(MONTHS['sl'][i], mo0[i], mo[i]) for i in range(6)] + [('januar–junij', H0, H)]
    culprit = None
    for i, (label, p0, p1) in enumerate(rows):
        r = 5 + i
        s.t((r, 1), label, bold=p1 == H)
        for c0, flow, S in ((2, 'exports', X), (4, 'imports', M), (6, 'balance', sub(X, M))):
            s.f((r, c0), S[p0], 0, F0, L(flow=flow, period=p0))
            s.f((r, c0 + 1), S[p1], 0, F0, L(flow=flow, period=p1))
        s.n((r, 8), rnd(X[p1] / M[p1] * 100, 1), '0.0')
        if p1 == '2024-04':
            culprit = (r, 5)
    r = 6 + len(rows)
    s.t((r, 1), 'Podatki za leto 2024 so začasni. Saldo = izvoz – uvoz.')
    s.t((r + 1, 1), 'Vir: SURS')
    s.width('A', 16)
    for col in 'BCDEFGH':
        s.width(col, 13)
    s.publish(culprit, 3413)
    c.plant(b.name, s.name, ref_of(*culprit), 'balance', 3412618, 0,
            'imports of April 2024 entered in million euro (3,413) in a table in thousand euro (3,412,618)')


def e03():
    c = new_case('e03_pakistan_pbs_balance_sign', 'planted',
                 'Pakistan Bureau of Statistics monthly external trade table: the months of a fiscal year (July to '
                 'June) and the totals of two fiscal years down the rows, exports, imports and the balance of trade '
                 'across in rupees million, negative balances in brackets by number format',
                 'xlsxwriter',
                 ['planted: one month\'s balance of trade published without its brackets (a deficit shown as a '
                  'surplus): it disagrees with exports minus imports', 'months written "Jul-2023" ... "Jun-2024"',
                  'fiscal years "July-June 2023-24" and "July-June 2022-23" (2023-07/2024-06, 2022-07/2023-06)',
                  'a row "% Change" (FY 2023-24 over FY 2022-23) below the totals', 'negative balances in brackets '
                  'by number format ((1,234,567))', 'unit in the title "(Rs. Million)" (PKR million)'])
    b = c.book('e03_pakistan_pbs_balance_sign.xlsx', 'xlsxwriter')
    s = b.sheet('Table 1')
    rng = random.Random(7303)
    mo = months(2023, 7, 12)
    X = {m: 715000 * rng.uniform(0.85, 1.15) for m in mo}
    M = {m: 1255000 * rng.uniform(0.85, 1.12) for m in mo}
    FY, FY0 = '2023-07/2024-06', '2022-07/2023-06'
    X[FY], M[FY] = cum(X, mo), cum(M, mo)
    X[FY0], M[FY0] = X[FY] / 1.215, M[FY] / 1.072
    s.t('A1', 'Table 1: Pakistan\'s External Trade in Goods, July-June 2023-24 (Rs. Million)', bold=True)
    for j, h in enumerate(('Month', 'Exports', 'Imports', 'Balance of Trade')):
        s.t((3, 1 + j), h, bold=True, align='center')
    L = Lab(reporter='Pakistan', unit='PKR', scale=1e6)
    F0 = '#,##0;(#,##0)'
    rows = [(f'{MONTHS["en"][int(m[5:]) - 1][:3]}-{m[:4]}', m) for m in mo]
    rows += [('July-June 2023-24', FY), ('July-June 2022-23', FY0)]
    culprit = None
    for i, (label, p) in enumerate(rows):
        r = 4 + i
        s.t((r, 1), label, bold=p in (FY, FY0))
        s.f((r, 2), X[p], 0, F0, L(flow='exports', period=p))
        s.f((r, 3), M[p], 0, F0, L(flow='imports', period=p))
        s.f((r, 4), X[p] - M[p], 0, F0, L(flow='balance', period=p))
        if p == '2024-03':
            culprit = (r, 4)
    r = 4 + len(rows)
    s.t((r, 1), '% Change', bold=True)
    s.f((r, 2), growth(X[FY], X[FY0]), 2, '0.00', L.growth(FY, FY0, flow='exports'))
    s.f((r, 3), growth(M[FY], M[FY0]), 2, '0.00', L.growth(FY, FY0, flow='imports'))
    s.t((r + 2, 1), 'Source: Pakistan Bureau of Statistics. Figures in brackets are negative. Fiscal year: July-June.')
    s.width('A', 20)
    for col in 'BCD':
        s.width(col, 16)
    true = rnd(X['2024-03'] - M['2024-03'], 0)
    s.publish(culprit, -true)
    c.plant(b.name, s.name, ref_of(*culprit), 'balance', true, 0,
            f'the balance of March 2024 published without its brackets: a deficit of {-true:,.0f} shown as a '
            f'surplus')


# ---------------------------------------------------------------------------
# group unreadable: files that must fail
# ---------------------------------------------------------------------------


def pdf_bytes(lines):
    """A small valid PDF with the given lines of text on one page."""
    content = 'BT /F1 11 Tf 56 780 Td 14 TL ' + ' '.join(
        '(' + ln.replace('\\', '\\\\').replace('(', '\\(').replace(')', '\\)') + ") '" for ln in lines) + ' ET'
    objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> '
            '/Contents 5 0 R >>', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
            f'<< /Length {len(content)} >>\nstream\n{content}\nendstream',
            '<< /Producer (Report writer 4.2) /CreationDate (D:20240815090000Z) >>']
    out = b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += f'{i + 1} 0 obj\n{o}\nendobj\n'.encode('latin-1')
    xref = len(out)
    out += f'xref\n0 {len(objs) + 1}\n0000000000 65535 f \n'.encode()
    for o in offs:
        out += f'{o:010d} 00000 n \n'.encode()
    out += f'trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n'.encode()
    return out


def b01():
    c = new_case('b01_pdf_bulletin_named_xlsx', 'unreadable',
                 'a foreign-trade bulletin downloaded as PDF and saved with an .xlsx name: a PDF document with the '
                 'figures in running text, not a workbook',
                 'raw',
                 ['an .xlsx that is a PDF document must fail with a clear error (not a zip / not a workbook, or '
                  'PDF), not yield figures'])
    lines = ['Foreign Trade Bulletin - June 2024', '',
             'Exports in June 2024 amounted to 6,196.4 million US dollars, 4.4 per cent less than a year earlier.',
             'Imports reached 10,842.2 million US dollars; the balance of trade in goods was -4,645.8 million.',
             'Top destinations: United States 1,012.3; Japan 905.1; Hong Kong 842.6; China 811.9.']
    c.raw('b01_pdf_bulletin_named_xlsx.xlsx', pdf_bytes(lines))
    c.expected_exit = 3


def b02():
    c = new_case('b02_workbook_sheet_xml_cut', 'unreadable',
                 'a workbook written by an exporter that stopped half-way through the worksheet: a well-formed zip '
                 'package whose sheet XML ends in the middle of a cell element, with no closing tags',
                 'raw',
                 ['an .xlsx whose zip is intact but whose worksheet XML is cut off must fail with a clear error '
                  '(malformed XML / corrupt workbook), not yield the figures before the cut'])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'Trade'
    ws['A1'] = 'Exports and imports by month, USD million'
    ws.append([])
    ws.append(['Month', 'Exports', 'Imports', 'Balance'])
    rng = random.Random(8202)
    for i, m in enumerate(months(2024, 1, 6)):
        x, mm = round(rng.uniform(5000, 7000), 1), round(rng.uniform(8000, 11000), 1)
        ws.append([m, x, mm, round(x - mm, 1)])
    wb.properties.creator = 'tradeetl blind corpus'
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    fixed = []
    for name, data in entries:
        if name == 'docProps/core.xml':
            data = re.sub(rb'(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)',
                          rb'\g<1>' + FIXED_ISO.encode() + rb'\3', data)
        if name == 'xl/worksheets/sheet1.xml':
            cut = data.index(b'<c r="C6"')
            data = data[:cut + 14]
        fixed.append((name, data))
    c.raw('b02_workbook_sheet_xml_cut.xlsx', fixed_zip(fixed))
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
    'value': 'the figure as displayed, in the table\'s own unit and scale: -1234 for a numeric cell shown "▲1,234" '
             'under the format #,##0;"▲"#,##0; -12.5 for "(12.50)"; 362315.42 for the text "3,62,315.42" (Indian '
             'grouping); 1234567 for the Greek text "1.234.567"; -4.5 for "-4,5". A planted culprit is listed with '
             'the value it shows.',
    'text': 'the figure as written: for text cells and CSV/TSV fields the characters as stored; for numeric xlsx '
            'cells what its number format shows in an English locale.',
    'decimals': 'decimals published; a figure stands for any value within half a unit of its last decimal.',
    'scale': 'multiplier from value to the unit: 1 (percentages; US$ in a column name), 1000 (千円, тис.дол. США, '
             'tuhat eurot, χιλ. ευρώ, тыс. долларов США, tis. EUR, 1000 EUR, tūkst. EUR, 천달러, Bin ABD Doları, '
             'US$ ... in thousands), 1e6 (百万円, Juta US$, ล้านบาท, million US dollars, $ millions, Triệu USD, '
             '百萬美元, مليون ريال, RM juta, Rs. Million), 1e7 (₹ crore), 1e8 (亿元, hundred million yuan), 1e9 (₦ '
             'Billion).',
    'unit': 'ISO 4217 code of the currency (JPY, USD, CNY, EUR, INR, THB, CAD, SAR, MYR, NGN, PKR), or "%" for '
            'growth rates and shares. "$" in a Statistics Canada table is CAD; "US$" and "美元" are USD.',
    'reporter': 'canonical English name of the reporting country or region; reporter_parent is the country of a '
                'region (Japanese prefectures and the Nagoya Customs district, Indonesian provinces, Ukrainian '
                'oblasts and Kyiv, Chinese provinces and municipalities, Estonian counties, Indian states), "" for a '
                'country.',
    'partner': 'canonical English name of the partner: a country, or World (总值 in a regional table is the country '
               'itself; as a partner: รวมทั้งสิ้น, Total, ΣΥΝΟΛΟ, Total of all countries, Всего, 総額, 총계, '
               'الإجمالي, Jumlah, Iš viso), EU27 (Ενδοενωσιακό εμπόριο (ΕΕ-27), European Union, ES šalys), '
               'Extra-EU (Εξωενωσιακό εμπόριο, Ne ES šalys), EAEU (страны ЕАЭС) and Non-EAEU countries (другие '
               'страны), Rest of the world (อื่นๆ, Others, Λοιπές χώρες, Other countries, باقي الدول, Lain-lain, '
               'Kitos šalys).',
    'aliases': 'top level: canonical name -> names and codes a tool may give for it instead (ISO 3166 names and '
               'codes, official names of regions in Latin script, agency spellings). Names in other scripts are not '
               'listed: a scorer that compares names without accents and punctuation reduces them to nothing. A '
               'scorer treats an alias as its canonical name.',
    'flow': 'exports | imports | balance (exports - imports, however labelled: 差引額, ดุลการค้า, Balance of Trade '
            'in Goods, Balance / Solde, Сальдо, Cán cân thương mại, 出(入)超, Saldo, Trade Balance, 무역수지, الميزان '
            'التجاري, Imbangan Dagangan, Prekybos balansas, Kaubavahetuse saldo) | total (exports + imports: 进出口, '
            'Total External Trade, Внешнеторговый оборот, Tổng kim ngạch xuất nhập khẩu, 貿易總值, Total Trade, '
            'Jumlah Dagangan) | re_exports (إعادة التصدير Re-exports) | re_imports.',
    'measure': 'level (an amount of money) | growth (percent change against base_period: 伸率, Perubahan, %Δ, '
               'Annual Growth Rate, % change, Tốc độ tăng, 年增率, 累计比去年同期±%, Q-o-Q, Y-o-Y, Μεταβολή %, '
               'Pokytis) | share (a region\'s level as a percent of its country\'s level for the same flow, partner '
               'and period: 全国比, Peran thd Total, % Share in a table of states). A partner\'s share of a '
               'country\'s trade, a coverage ratio, an index with the previous period = 100 (у % до, в % к, '
               'Indeksi) and a count of declarations are none of these and are not in the key.',
    'period': 'YYYY, YYYYQn, YYYYSn (half year), YYYY-MM, or YYYY-MM/YYYY-MM for a cumulative range or a '
              'financial year. Japanese era years: 令和5年 = 2023, 令和6年上半期 = 2024S1. Thai Buddhist years: '
              '2566 = 2023, ม.ค.-มิ.ย. 2567 = 2024-01/2024-06. Republic of China years: 112年 = 2023, 113年1-6月 = '
              '2024-01/2024-06. Indian financial years: 2023-24 = 2023-04/2024-03, Apr-Jun 2024-25 = '
              '2024-04/2024-06. Pakistani fiscal years: July-June 2023-24 = 2023-07/2024-06. 1至6月, Jan–Jun, '
              'Ιαν-Ιουν, січень–червень, январь-июнь, 6 tháng đầu năm, siječanj – lipanj, januar–junij = the range '
              'from January.',
    'base_period': 'for a growth rate, the period it compares with (the column or row before it, the same period '
                   'a year earlier, shown or not); "" for other measures.',
    'flag': 'status or footnote mark attached to the figure or to its row or column heading (p, r, *, E, P, 1)); '
            '"" when none. Not scored.',
    'product': 'Total, or the product group of the figure (SITC sections, Non-oil); where a case sets '
               'products_complete the product lines add up to Total. Not scored.',
    'missing': 'cells holding a missing, suppressed or not-applicable mark ("к", "..", "...", "-"): a tool must '
               'not read a number there.',
    'partner_sums': 'partner aggregates that the table makes add up (the first equals the sum of the others), '
                    'for information.',
    'planted': 'null for a clean case; else the one wrong figure: file, sheet, cell, the rule that exposes it '
               '(balance, growth_consistency, sum_of_parts, ...), rules (every rule it breaks), true_value (what '
               'the cell should read, in the table\'s unit), true_text, published (what it shows) and slip.',
    'expected_exit': '0 clean, 1 planted error (error-severity findings), 3 unreadable input.',
}

# the kind of publication each case imitates (layout only: titles, notes and figures are this file's own)
MODELLED_ON = {
    'r01': 'Nagoya Customs (Japan) trade summaries by prefecture, Japanese',
    'r02': 'BPS-Statistics Indonesia release tables of exports by province of origin, Indonesian',
    'r03': 'State Statistics Service of Ukraine tables of foreign trade by region, Ukrainian',
    'r04': 'General Administration of Customs of China monthly tables by location of the trading enterprise, Chinese',
    'r05': 'Statistics Estonia (Statistikaamet) database tables saved from PxWeb, Estonian',
    'r06': 'Indian commerce ministry (DGCI&S) state-wise export tables',
    'p01': 'Thai Ministry of Commerce trade statistics by partner country, Thai',
    'p02': 'Philippine Statistics Authority highlights of export and import statistics',
    'p03': 'ELSTAT (Greece) external trade tables in Greek, saved as CSV from a Greek-locale spreadsheet',
    'p04': 'Statistics Canada "The Daily" merchandise trade tables, English and French',
    'p05': 'Bureau of National Statistics of Kazakhstan foreign-trade tables, Russian',
    't01': 'General Statistics Office of Viet Nam monthly trade tables, Vietnamese',
    't02': 'Taiwan Ministry of Finance trade statistics tables, traditional Chinese',
    't03': 'Croatian Bureau of Statistics (DZS) first releases on trade in goods, Croatian',
    't04': 'National Bureau of Statistics (Nigeria) foreign trade in goods reports',
    'l01': 'e-Stat (Japan) database CSV downloads of the trade statistics',
    'l02': 'UNCTADstat bulk CSV downloads (merchandise trade by product)',
    'l03': 'BPS-Statistics Indonesia export-import data portal downloads',
    'l04': 'TurkStat (TÜİK) MEDAS query results, Turkish',
    'l05': 'KOSIS (Statistics Korea) CSV downloads, Korean',
    'x01': 'GASTAT (Saudi Arabia) international trade bulletin workbooks, Arabic and English',
    'x02': 'Department of Statistics Malaysia external trade tables, Malay and English',
    'e01': 'Statistics Lithuania (State Data Agency) foreign-trade tables, Lithuanian',
    'e02': 'Statistical Office of Slovenia (SURS) first releases on trade in goods, Slovenian',
    'e03': 'Pakistan Bureau of Statistics external trade tables',
    'b01': 'none (a PDF bulletin saved under a workbook name)',
    'b02': 'none (a workbook whose sheet XML is cut off)',
}

# canonical name -> variants a tool may give for it (ISO 3166-1 names and alpha-2/alpha-3 codes, ISO 3166-2
# codes and official names of regions in Latin script, agency spellings); names are compared without case,
# accents and punctuation, so names in other scripts cannot be listed
ALIASES = {
    'World': ['W00', 'WLD', '000', '0000', 'World total', 'All countries', 'Total all countries', 'All partners',
              'Total', 'Total of all countries', 'Total of all countries / Ensemble des pays', 'Ensemble des pays',
              'Jumlah', 'Jumlah / Total', 'Grand total', 'Iš viso'],
    'Rest of the world': ['Rest of world', 'Other countries', 'Others', 'Autres pays',
                          'Other countries / Autres pays', 'Lain-lain', 'Lain-lain / Others', 'Kitos šalys'],
    'EU27': ['EU', 'EU27_2020', 'EU 27', 'EU-27', 'European Union', 'European Union (27)', 'EU countries',
             'European Union / Union européenne', 'Union européenne', 'ES šalys'],
    'Extra-EU': ['EXT_EU27_2020', 'Extra-EU27', 'Extra EU 27', 'Non-EU', 'Non-EU countries', 'Outside the EU',
                 'Third countries', 'Ne ES šalys'],
    'EAEU': ['Eurasian Economic Union', 'EAEU countries', 'EEU', 'EAEU member states'],
    'Non-EAEU countries': ['Non-EAEU', 'Countries outside the EAEU', 'Other countries (non-EAEU)',
                           'Third countries (EAEU)'],
    'Armenia': ['AM', 'ARM'],
    'Australia': ['AU', 'AUS'],
    'Bahrain': ['BH', 'BHR'],
    'Belarus': ['BY', 'BLR'],
    'Belgium': ['BE', 'BEL'],
    'Bulgaria': ['BG', 'BGR'],
    'Canada': ['CA', 'CAN'],
    'China': ["China (People's Republic of)", "People's Republic of China", 'CN', 'CHN', 'Chinese mainland',
              'Mainland China', 'Chine', 'China / Chine', 'Tiongkok', 'Kinija', 'PRC'],
    'Croatia': ['HR', 'HRV', 'Hrvatska', 'Republika Hrvatska', 'Republic of Croatia'],
    'Cyprus': ['CY', 'CYP'],
    'Egypt': ['EG', 'EGY', 'Egypt, Arab Rep.'],
    'Estonia': ['EE', 'EST', 'Eesti', 'Kogu Eesti', 'Estija'],
    'France': ['FR', 'FRA'],
    'Germany': ['DE', 'DEU', 'Deutschland', 'Almanya', 'Vokietija'],
    'Greece': ['EL', 'GR', 'GRC', 'Hellas', 'Hellenic Republic'],
    'Hong Kong': ['Hong Kong, China', 'Hong Kong SAR', 'China, Hong Kong SAR', 'Hong Kong SAR, China', 'HK', 'HKG'],
    'India': ['IN', 'IND', 'All India', 'Bharat'],
    'Indonesia': ['ID', 'IDN'],
    'Iraq': ['IQ', 'IRQ', 'Irak'],
    'Italy': ['IT', 'ITA', 'Italia', 'İtalya'],
    'Japan': ['JP', 'JPN', 'Nippon', 'Jepun', 'Japan / Japon', 'Japon', 'Jepang'],
    'Kazakhstan': ['KZ', 'KAZ', 'Republic of Kazakhstan', 'Qazaqstan'],
    'Kyrgyzstan': ['KG', 'KGZ', 'Kyrgyz Republic'],
    'Latvia': ['LV', 'LVA', 'Latvija'],
    'Lebanon': ['LB', 'LBN'],
    'Libya': ['LY', 'LBY'],
    'Lithuania': ['LT', 'LTU', 'Lietuva'],
    'Malaysia': ['MY', 'MYS'],
    'Mexico': ['MX', 'MEX', 'Mexico / Mexique', 'Mexique'],
    'Netherlands': ['Netherlands, Kingdom of the', 'The Netherlands', 'NL', 'NLD', 'Nederland', 'Nyderlandai',
                    'Belanda'],
    'Nigeria': ['NG', 'NGA'],
    'North Macedonia': ['MK', 'MKD', 'Republic of North Macedonia'],
    'Norway': ['NO', 'NOR', 'Norvegija'],
    'Pakistan': ['PK', 'PAK'],
    'Peru': ['PE', 'PER'],
    'Philippines': ['PH', 'PHL', 'Filipina'],
    'Poland': ['PL', 'POL', 'Lenkija'],
    'Romania': ['RO', 'ROU'],
    'Russia': ['Russian Federation', 'RU', 'RUS', 'Rusya Federasyonu'],
    'Saudi Arabia': ['SA', 'SAU', 'Kingdom of Saudi Arabia'],
    'Singapore': ['SG', 'SGP', 'Singapura', 'Singapura / Singapore'],
    'Slovenia': ['SI', 'SVN', 'Slovenija'],
    'South Korea': ['Korea, Republic of', 'Republic of Korea', 'Korea, Rep.', 'Korea', 'KR', 'KOR',
                    'Korea Selatan', 'Korea Selatan / South Korea'],
    'Spain': ['ES', 'ESP', 'İspanya'],
    'Sweden': ['SE', 'SWE', 'Švedija'],
    'Switzerland': ['CH', 'CHE'],
    'Taiwan': ['Taipei, Chinese', 'Chinese Taipei', 'Taiwan, China', 'Taiwan Province of China',
               'Separate Customs Territory of Taiwan, Penghu, Kinmen and Matsu', 'TW', 'TWN', 'Republic of China'],
    'Thailand': ['TH', 'THA'],
    'Türkiye': ['Turkey', 'Republic of Türkiye', 'TR', 'TUR', 'Turkija'],
    'Ukraine': ['UA', 'UKR', 'Ukraina'],
    'United Arab Emirates': ['UAE', 'AE', 'ARE', 'Birleşik Arap Emirlikleri'],
    'United Kingdom': ['United Kingdom of Great Britain and Northern Ireland', 'UK', 'GB', 'GBR',
                       'United Kingdom / Royaume-Uni', 'Royaume-Uni', 'Birleşik Krallık', 'Jungtinė Karalystė'],
    'United States': ['United States of America', 'US', 'USA', 'U.S.', 'U.S.A.', 'United States / États-Unis',
                      'États-Unis', 'Amerika Serikat', 'Amerika Syarikat', 'Amerika Syarikat / United States',
                      'Amerika Birleşik Devletleri', 'ABD', 'Jungtinės Amerikos Valstijos'],
    'Uzbekistan': ['UZ', 'UZB'],
    'Vietnam': ['Viet Nam', 'VN', 'VNM', 'Socialist Republic of Viet Nam'],
    # regions of Japan
    'Nagoya Customs district': ['Nagoya Customs', 'Nagoya Customs area', 'Nagoya Customs jurisdiction',
                                'Nagoya customs region'],
    'Aichi': ['Aichi Prefecture', 'Aichi-ken', 'JP-23'],
    'Mie': ['Mie Prefecture', 'Mie-ken', 'JP-24'],
    'Shizuoka': ['Shizuoka Prefecture', 'Shizuoka-ken', 'JP-22'],
    'Gifu': ['Gifu Prefecture', 'Gifu-ken', 'JP-21'],
    'Nagano': ['Nagano Prefecture', 'Nagano-ken', 'JP-20'],
    # Indonesia
    'West Java': ['Jawa Barat', 'ID-JB'],
    'East Kalimantan': ['Kalimantan Timur', 'ID-KI'],
    'East Java': ['Jawa Timur', 'ID-JI'],
    'Riau': ['ID-RI'],
    'Riau Islands': ['Kepulauan Riau', 'Kep. Riau', 'ID-KR'],
    'Central Sulawesi': ['Sulawesi Tengah', 'ID-ST'],
    'Banten': ['ID-BT'],
    'Central Java': ['Jawa Tengah', 'ID-JT'],
    'North Sumatra': ['Sumatera Utara', 'ID-SU'],
    'North Maluku': ['Maluku Utara', 'ID-MU'],
    # Ukraine
    'Vinnytsia Oblast': ['Vinnytsia', 'Vinnytska', 'Vinnytsia Region', 'UA-05'],
    'Volyn Oblast': ['Volyn', 'Volynska', 'Volyn Region', 'UA-07'],
    'Dnipropetrovsk Oblast': ['Dnipropetrovsk', 'Dnipropetrovska', 'Dnipropetrovsk Region', 'UA-12'],
    'Donetsk Oblast': ['Donetsk', 'Donetska', 'Donetsk Region', 'UA-14'],
    'Zhytomyr Oblast': ['Zhytomyr', 'Zhytomyrska', 'Zhytomyr Region', 'UA-18'],
    'Zakarpattia Oblast': ['Zakarpattia', 'Zakarpatska', 'Transcarpathia', 'UA-21'],
    'Zaporizhzhia Oblast': ['Zaporizhzhia', 'Zaporizka', 'Zaporizhzhia Region', 'UA-23'],
    'Ivano-Frankivsk Oblast': ['Ivano-Frankivsk', 'Ivano-Frankivska', 'Ivano-Frankivsk Region', 'UA-26'],
    'Kyiv Oblast': ['Kyivska', 'Kyiv Region', 'Kyivska oblast', 'UA-32'],
    'Kirovohrad Oblast': ['Kirovohrad', 'Kirovohradska', 'Kropyvnytskyi', 'UA-35'],
    'Luhansk Oblast': ['Luhansk', 'Luhanska', 'Luhansk Region', 'UA-09'],
    'Lviv Oblast': ['Lviv', 'Lvivska', 'Lviv Region', 'UA-46'],
    'Mykolaiv Oblast': ['Mykolaiv', 'Mykolaivska', 'Mykolaiv Region', 'UA-48'],
    'Odesa Oblast': ['Odesa', 'Odeska', 'Odessa', 'Odesa Region', 'UA-51'],
    'Poltava Oblast': ['Poltava', 'Poltavska', 'Poltava Region', 'UA-53'],
    'Rivne Oblast': ['Rivne', 'Rivnenska', 'Rivne Region', 'UA-56'],
    'Sumy Oblast': ['Sumy', 'Sumska', 'Sumy Region', 'UA-59'],
    'Ternopil Oblast': ['Ternopil', 'Ternopilska', 'Ternopil Region', 'UA-61'],
    'Kharkiv Oblast': ['Kharkiv', 'Kharkivska', 'Kharkiv Region', 'UA-63'],
    'Kherson Oblast': ['Kherson', 'Khersonska', 'Kherson Region', 'UA-65'],
    'Khmelnytskyi Oblast': ['Khmelnytskyi', 'Khmelnytska', 'Khmelnytskyi Region', 'UA-68'],
    'Cherkasy Oblast': ['Cherkasy', 'Cherkaska', 'Cherkasy Region', 'UA-71'],
    'Chernivtsi Oblast': ['Chernivtsi', 'Chernivetska', 'Chernivtsi Region', 'UA-77'],
    'Chernihiv Oblast': ['Chernihiv', 'Chernihivska', 'Chernihiv Region', 'UA-74'],
    'Kyiv': ['Kyiv City', 'City of Kyiv', 'Kiev', 'm. Kyiv', 'UA-30'],
    # China
    'Beijing': ['Beijing Municipality', 'CN-BJ'],
    'Tianjin': ['Tianjin Municipality', 'CN-TJ'],
    'Hebei': ['Hebei Province', 'CN-HE'],
    'Shanghai': ['Shanghai Municipality', 'CN-SH'],
    'Jiangsu': ['Jiangsu Province', 'CN-JS'],
    'Zhejiang': ['Zhejiang Province', 'CN-ZJ'],
    'Fujian': ['Fujian Province', 'CN-FJ'],
    'Shandong': ['Shandong Province', 'CN-SD'],
    'Henan': ['Henan Province', 'CN-HA'],
    'Guangdong': ['Guangdong Province', 'CN-GD'],
    'Chongqing': ['Chongqing Municipality', 'CN-CQ'],
    'Sichuan': ['Sichuan Province', 'CN-SC'],
    # Estonia
    'Harju County': ['Harju maakond', 'Harjumaa', 'Harju'],
    'Tartu County': ['Tartu maakond', 'Tartumaa', 'Tartu'],
    'Ida-Viru County': ['Ida-Viru maakond', 'Ida-Virumaa', 'Ida-Viru'],
    'Pärnu County': ['Pärnu maakond', 'Pärnumaa', 'Pärnu'],
    'Lääne-Viru County': ['Lääne-Viru maakond', 'Lääne-Virumaa', 'Lääne-Viru'],
    'Viljandi County': ['Viljandi maakond', 'Viljandimaa', 'Viljandi'],
    # India
    'Gujarat': ['IN-GJ'],
    'Maharashtra': ['IN-MH'],
    'Tamil Nadu': ['IN-TN'],
    'Karnataka': ['IN-KA'],
    'Uttar Pradesh': ['IN-UP'],
    'Andhra Pradesh': ['IN-AP'],
    'Telangana': ['IN-TG', 'IN-TS'],
    'Haryana': ['IN-HR'],
    'West Bengal': ['IN-WB'],
    'Odisha': ['Orissa', 'IN-OD', 'IN-OR'],
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
        'description': 'Blind synthetic trade-statistics tables in the styles of statistics offices, customs '
                       'administrations, ministries and data portals that none of the shared corpus, '
                       'testdata/world and testdata/heldout imitates, for measuring how tradeetl generalises; '
                       'nobody who works on the reader reads them. Each case imitates the layout of a kind of '
                       'publication (see "models"); the figures are invented but consistent within their published '
                       'rounding, except for one planted error in each case of group "planted". Written by '
                       'testdata/blind/gen.py.',
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
    tmp = tempfile.mkdtemp(prefix='tradeetl-blind-gen-')
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

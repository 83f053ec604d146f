#!/bin/sh
# Writes the office-converted workbooks the .ods/.fods/.xls readers are
# tested on (extract/ods_test.go, extract/xls_test.go, and the observation
# test of package transform). The results are committed, so tests need no
# office suite; run this again (Debian: libreoffice-calc-nogui, gnumeric)
# after changing the sources.
#
#   src/NAME.xlsx       the sources: the fixtures of fixtures/ and tables of
#                       the trade corpus (../shared/corpus/trade/cases)
#   lo/NAME.ods         LibreOffice Calc: soffice --headless --convert-to ods
#   lo/NAME.xls         LibreOffice Calc: --convert-to xls (BIFF8)
#   lo/NAME.fods        LibreOffice Calc: --convert-to fods (a few)
#   gnumeric/NAME.ods   Gnumeric: ssconvert
#   gnumeric/NAME.xls   Gnumeric: ssconvert (Gnumeric_Excel:excel_biff8)
#   gnumeric-biff5/NAME.xls  Gnumeric: Excel 95 (Gnumeric_Excel:excel_biff7), a few
#   lo/dates-1904.*     the 1904-date workbook of transform/testdata/office
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
corpus=$root/../shared/corpus/trade/cases
mkdir -p "$here/src" "$here/lo" "$here/gnumeric"
cp "$root"/fixtures/newsletter-2013.xlsx "$root"/fixtures/newsletter-2013-errors.xlsx "$root"/fixtures/products-2013.xlsx "$here/src/"
for f in r03_silesia_world r04_vastra_gotaland_quarters r07_lisbon_spain_months p01_ireland_partners \
	p04_new_zealand_partners_june t02_japan_monthly x02_switzerland_fr_quarters_halves e02_portugal_partners_digits_swapped; do
	cp "$corpus/$f.xlsx" "$here/src/"
done
cp "$root/transform/testdata/office/lo/dates-1904.xlsx" "$here/src/"
cd "$here/src"
soffice --headless --convert-to ods --outdir ../lo ./*.xlsx >/dev/null
soffice --headless --convert-to xls --outdir ../lo ./*.xlsx >/dev/null
soffice --headless --convert-to fods --outdir ../lo newsletter-2013.xlsx p01_ireland_partners.xlsx x02_switzerland_fr_quarters_halves.xlsx dates-1904.xlsx >/dev/null
mkdir -p ../gnumeric-biff5
for b in newsletter-2013 r03_silesia_world x02_switzerland_fr_quarters_halves dates-1904; do
	ssconvert --export-type=Gnumeric_Excel:excel_biff7 "$b.xlsx" "../gnumeric-biff5/$b.xls" >/dev/null 2>&1
done
for f in ./*.xlsx; do
	b=$(basename "$f" .xlsx)
	ssconvert "$f" "../gnumeric/$b.ods" >/dev/null 2>&1
	ssconvert --export-type=Gnumeric_Excel:excel_biff8 "$f" "../gnumeric/$b.xls" >/dev/null 2>&1
done

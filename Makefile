# tradeetl — see README.md. `make run` runs the pipeline on the bundled
# fixtures; `make test` runs every test CI runs.

GO          ?= go
BIN         ?= bin/tradeetl
OUT         ?= out
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 30s

.PHONY: all build test test-s3 run fixtures lint fuzz docs clean bench-data bench-data-quick bench bench-quick bench-xlsxscan bench-rowgroups bench-odsxls bench-scale bench-scale-shards

all: build

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/tradeetl

# The pipeline on the bundled fixtures. tradeetl exits 1 because
# newsletter-2013-errors.xlsx holds planted errors; that is the point, so
# make accepts 1 and fails on anything worse.
run: build
	@./$(BIN) run --out $(OUT) fixtures/; code=$$?; \
	echo "tradeetl exited with $$code (1: error findings, from the planted errors of fixtures/newsletter-2013-errors.xlsx)"; \
	test $$code -le 1

test:
	$(GO) vet ./...
	$(GO) test -shuffle=on -count=1 -timeout 25m ./...
	$(GO) test -race -count=1 -run 'TestAsyncReuse|TestStreaming' ./extract/xlsxscan/
	cd interop && $(GO) vet ./... && $(GO) test -count=1 ./...
	cd deploy && $(GO) vet ./... && $(GO) test -count=1 ./...

# The object-storage tests (objstore, tradeetl run --out s3://) against a
# real SeaweedFS S3 server started by the tests on loopback, instead of the
# in-process gofakes3 server of make test. The weed binary is built once
# from the module proxy (about 6 minutes on 2 cores; `go install` refuses
# the module for its replace directives) and cached in .cache/.
SEAWEEDFS ?= v0.0.0-20261109003541-7506e5f91cd6
WEED      ?= .cache/weed-$(SEAWEEDFS)
S3TESTS   ?= TestRunMatchesLocal|TestIncrementalRun|TestInputsFromS3|TestInterruptedRunKeepsPreviousManifest|TestSecondRunRefused|TestLockLease|TestLockRenewal|TestSweep|TestTrees|TestShardSteps|TestRunStoreCLI
$(WEED):
	GO=$(GO) internal/s3test/build-weed.sh $(SEAWEEDFS) $@
test-s3: $(WEED)
	TRADEETL_TEST_WEED=$(abspath $(WEED)) $(GO) test -count=1 -v -run '$(S3TESTS)' ./objstore/ ./cmd/tradeetl/

fixtures:
	$(GO) run ./fixtures/gen -out fixtures -planted validate/testdata/planted

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	cd interop && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...
	cd deploy && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...

# Each fuzz target for FUZZTIME; seed corpora live in testdata/fuzz (and,
# for FuzzWorkbook, the workbooks of transform/testdata; for FuzzODS and
# FuzzXLS, the office conversions of extract/testdata/office). Minimising a new
# input is capped (-fuzzminimizetime) so that large workbook inputs, and
# the many new paths of the encoding detector (17 readings of each input),
# do not stall the run.
fuzz:
	$(GO) test ./transform/ -run '^$$' -fuzz '^FuzzParseNumber$$' -fuzztime $(FUZZTIME)
	$(GO) test ./transform/ -run '^$$' -fuzz '^FuzzLabels$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/ -run '^$$' -fuzz '^FuzzCSV$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/ -run '^$$' -fuzz '^FuzzTextReader$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/ -run '^$$' -fuzz '^FuzzODS$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x
	$(GO) test ./extract/ -run '^$$' -fuzz '^FuzzXLS$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x
	$(GO) test ./extract/ -run '^$$' -fuzz '^FuzzDetectEncoding$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x
	$(GO) test ./transform/ -run '^$$' -fuzz '^FuzzWorkbook$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x
	$(GO) test ./validate/ -run '^$$' -fuzz '^FuzzLoadRules$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/xlsxscan/ -run '^$$' -fuzz '^FuzzSheetXML$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/xlsxscan/ -run '^$$' -fuzz '^FuzzParts$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/xlsxscan/ -run '^$$' -fuzz '^FuzzCell$$' -fuzztime $(FUZZTIME)
	$(GO) test ./schemas/ -run '^$$' -fuzz '^FuzzFold$$' -fuzztime $(FUZZTIME)
	$(GO) test ./load/ -run '^$$' -fuzz '^FuzzDecimalFast$$' -fuzztime $(FUZZTIME)
	$(GO) test ./load/ -run '^$$' -fuzz '^FuzzDecimalText$$' -fuzztime $(FUZZTIME)
	$(GO) test ./load/ -run '^$$' -fuzz '^FuzzStatePaths$$' -fuzztime $(FUZZTIME)
	$(GO) test ./load/ -run '^$$' -fuzz '^FuzzJournal$$' -fuzztime $(FUZZTIME)
	$(GO) test ./schemas/ -run '^$$' -fuzz '^FuzzDecimal$$' -fuzztime $(FUZZTIME)
	$(GO) test ./schemas/ -run '^$$' -fuzz '^FuzzValidUTF8Writer$$' -fuzztime $(FUZZTIME)

# Benchmark inputs (not committed): a long table (reporter, partner,
# flow, product code and label, year, value, quantity; figures that add
# up), as inline-string xlsx (as libraries write it), shared-string xlsx
# (as Excel writes it) and CSV: 100k rows for make bench-quick, and 1M
# rows (about a minute to write) for make bench. The bad deliveries
# (long-SIZE-bad.*) are the same tables with 10% of their rows wrong (a
# decimal point moved).
bench-data: bench/data/long-100k.csv bench/data/long-1m.csv bench/data/long-100k-bad.csv bench/data/long-1m-bad.csv
bench-data-quick: bench/data/long-100k.csv bench/data/long-100k-bad.csv
BENCHGEN := bench/xlsxgen/main.go bench/longtable/longtable.go
bench/data/long-100k.csv: $(BENCHGEN)
	$(GO) run ./bench/xlsxgen -rows 100000 -out bench/data -name long-100k
bench/data/long-1m.csv: $(BENCHGEN)
	$(GO) run ./bench/xlsxgen -rows 1000000 -out bench/data -name long-1m
bench/data/long-100k-bad.csv: $(BENCHGEN)
	$(GO) run ./bench/xlsxgen -rows 100000 -errors 10000 -out bench/data -name long-100k-bad
bench/data/long-1m-bad.csv: $(BENCHGEN)
	$(GO) run ./bench/xlsxgen -rows 1000000 -errors 100000 -out bench/data -name long-1m-bad

# The xlsx readers against the unzip floor (median of 3 runs each).
bench-xlsxscan: bench-data
	bench/xlsxscan.sh

# The .ods and .xls readers on the 100k-row long table as LibreOffice
# writes it, against LibreOffice's own time to read the same files, in the
# same run (bench/odsxls.sh; needs soffice).
bench-odsxls: bench-data-quick
	bench/odsxls.sh

# The row-group size against time, memory and file size
# (docs/outputs.md).
bench-rowgroups: bench-data
	bench/rowgroups.sh

# End to end (bench/e2e): tradeetl run on each input, clean and bad, the
# unzip floor, DuckDB's CSV -> Parquet and a folder of 1,000 newsletter
# tables, 3 runs each, in one session; prints the table and the targets
# (docs/performance.md). bench takes 100k and 1M rows (15 minutes or so),
# bench-quick 100k.
bench: build bench-data
	$(GO) run ./bench/e2e -sizes 100k,1m
bench-quick: build bench-data-quick
	$(GO) run ./bench/e2e -sizes 100k

# The generated parts of README.md and docs/: the command reference
# (docs/usage.md, from the cobra commands), the Parquet column tables of
# docs/outputs.md (from schemas/columns.go) and the results of the DuckDB
# queries of docs/bi.md and README.md (interop, which needs cgo). The
# go generate line runs the generators of package schemas (the findings
# reference, docs/findings.md, when that package provides one).
docs:
	$(GO) test ./cmd/tradeetl -run '^TestUsageDoc$$' -count=1 -update
	$(GO) test ./schemas -run '^TestDocsColumnTables$$' -count=1 -update
	$(GO) generate ./schemas/...
	cd interop && $(GO) test -run '^TestDocsQueries$$' -count=1 -update
	$(GO) test ./cmd/tradeetl -run '^TestDocsLinks$$' -count=1

# At scale (docs/performance-scale.md): peak RSS and rows/s of tradeetl
# run on one long CSV of 1M, 10M and 30M rows (bench/data/scale-*.csv,
# written when missing: 88 MB, 883 MB and 2.7 GB), and RSS(30M)/RSS(1M),
# whose target is 1.5 at most. SCALE_SIZES="1m 10m" skips the longest
# (about 40 minutes on 2 busy cores); SCALE_FLAGS adds run flags, e.g.
# --rule-memory off for the rule state all in memory.
SCALE_SIZES ?= 1m 10m 30m
SCALE_FLAGS ?=
bench-scale: build
	BIN=$(BIN) SIZES="$(SCALE_SIZES)" EXTRA="$(SCALE_FLAGS)" bench/scale.sh
	BIN=$(BIN) WEED=$(WEED) FILES=$(SHARD_FILES) SHARDS="$(SHARD_COUNTS)" bench/shards.sh

# Sharded runs against S3 on loopback (docs/performance-scale.md): files/s
# and rows/s of 1, 2 and 4 shard processes on SHARD_FILES small CSVs, with
# SeaweedFS when $(WEED) is built (make test-s3), else gofakes3.
SHARD_FILES  ?= 400
SHARD_COUNTS ?= 1 2 4
bench-scale-shards: build
	BIN=$(BIN) WEED=$(WEED) FILES=$(SHARD_FILES) SHARDS="$(SHARD_COUNTS)" bench/shards.sh

clean:
	rm -rf bin $(OUT)

# tradeetl — see README.md. `make run` runs the pipeline on the bundled
# fixtures; `make test` runs every test CI runs.

GO          ?= go
BIN         ?= bin/tradeetl
OUT         ?= out
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -X main.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 30s
BENCH_ROWS  ?= 100000,1000000

.PHONY: all build test run fixtures lint fuzz clean bench-data bench

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
	$(GO) test -shuffle=on -count=1 ./...
	cd interop && $(GO) vet ./... && $(GO) test -count=1 ./...

fixtures:
	$(GO) run ./fixtures/gen -out fixtures -planted validate/testdata/planted

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	cd interop && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./...

# Each fuzz target for FUZZTIME; seed corpora live in testdata/fuzz (and,
# for FuzzWorkbook, the workbooks of transform/testdata). Minimising a new
# input is capped (-fuzzminimizetime) so that large workbook inputs do not
# stall the run.
fuzz:
	$(GO) test ./transform/ -run '^$$' -fuzz '^FuzzParseNumber$$' -fuzztime $(FUZZTIME)
	$(GO) test ./transform/ -run '^$$' -fuzz '^FuzzLabels$$' -fuzztime $(FUZZTIME)
	$(GO) test ./extract/ -run '^$$' -fuzz '^FuzzCSV$$' -fuzztime $(FUZZTIME)
	$(GO) test ./transform/ -run '^$$' -fuzz '^FuzzWorkbook$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x
	$(GO) test ./validate/ -run '^$$' -fuzz '^FuzzLoadRules$$' -fuzztime $(FUZZTIME)

# Benchmark inputs: long tables of BENCH_ROWS rows as xlsx and CSV in
# bench/data (not committed; about a minute).
bench-data:
	$(GO) run ./bench/gen -out bench/data -rows $(BENCH_ROWS)

# The pipeline on each input of bench-data, in a child process each:
# rows/s, peak RSS and peak Go heap (see pipeline/bench_test.go).
bench:
	$(GO) test ./pipeline -run '^$$' -bench LongTable -benchtime 1x -timeout 60m

clean:
	rm -rf bin $(OUT)

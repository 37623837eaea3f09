# `make help` lists the targets. Everything runs inside .venv (Python 3.10, exact versions from
# constraints.txt); `make run` and `make test` install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/current.tar.gz
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore
# The model depends on the data, the concept lexicon and the code of the graph components and policies
# (and what they import).
MODEL_CODE := $(wildcard bot/components/*.py bot/policies/*.py) bot/text.py bot/languages.py \
	bot/language_detection.py bot/language_cues.py bot/conversation_language.py bot/places.py bot/danger_signs.py \
	bot/concepts.py bot/phrases.py
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find data -name '*.yml' 2>/dev/null) $(MODEL_CODE) \
	$(wildcard content/concepts/*.yml)

.PHONY: help install web run train test test-unit validate test-conversations test-server eval eval-language \
	content-check lint domain clean scripts test-scripts

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv and install the pinned dependencies

$(VENV)/.installed: pyproject.toml constraints.txt
	scripts/install-system-packages
	@test -x $(PY) || "$$(scripts/find-python310)" -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

web: web/node_modules/.package-lock.json ## install the chat widget (rasa-webchat) from web/package-lock.json

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@command -v npm >/dev/null || scripts/install-system-packages
	cd web && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline
	@touch $@

domain: install ## write domain/responses.yml from content/
	$(PY) -m bot domain

train: $(MODEL) ## train the model when data, domain, config or components changed

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	$(PY) -m bot domain
	@mkdir -p reports models; start=$$(date +%s); \
	flock models/.training.lock $(RASA) train --domain domain --fixed-model-name current --out models && \
	echo $$(( $$(date +%s) - start )) > reports/training_seconds.txt
	@touch $@

run: install train web ## install, train if needed, start the action server (5055), Rasa (5005) and the chat page (8080)
	$(PY) -m bot serve --model $(MODEL)

validate: install ## rasa data validate, warnings count as errors
	$(RASA) data validate --domain domain --fail-on-warnings

test-unit: install web ## unit tests (no server, no trained model)
	$(PY) -m pytest -m "not server" -q

test-conversations: train ## conversation test stories in every language (NLU + dialogue)
	$(RASA) test core --model $(MODEL) --stories tests/conversations --e2e --fail-on-prediction-errors --out reports/conversations

test-server: train web ## tests against real servers (REST, socket.io) and the chat page in headless Chromium
	$(PY) -m pytest -m server -q

content-check: install ## check every language's answers: present, sourced, dated, consistent, short
	$(PY) -m bot.content.check

scripts: train ## staff conversation scripts (tests/scripts/<lang>/): matrix, reports/scripts/index.html
	$(PY) -m bot.staff_scripts

test-scripts: train ## the same, always on its own servers (free ports), as in CI
	$(PY) -m bot.staff_scripts --start

test: test-unit content-check validate test-conversations test-server test-scripts ## every test: unit, content, validate, conversations, servers, staff scripts

eval: train ## NLU report per language (cross-validation + held-out sets) into reports/
	$(PY) -m bot.evaluation

eval-language: install ## language detection only, per language with its confusions (seconds, no model)
	$(PY) -m bot.evaluation --detection-only

.PHONY: bench scale-up scale-down
bench: train ## benchmarks into BENCHMARKS.md (hours: the stock pipeline's CV; BENCH_ARGS="--folds 2 --reuse-cv")
	$(PY) -m bot.bench all $(BENCH_ARGS)

scale-up: train ## PostgreSQL, Redis, 2 action servers, 2 Rasa instances behind nginx (state in var/scale/)
	$(PY) -m bot.scale up

scale-down: ## stop what `make scale-up` started
	$(PY) -m bot.scale down

lint: install ## ruff
	$(VENV)/bin/ruff check bot actions tests

clean: ## remove models, reports and runtime state
	rm -rf models reports results var/*.db

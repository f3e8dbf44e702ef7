# The README's commands. Every target sets the machine up first (idempotent).
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done

.PHONY: setup run world test test-fast lint benchmark clean handbook translations
PORT ?= 8888

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

## The main job on embedded defaults: the practice course (lessons and labs) in JupyterLab.
run: setup
	$(BIN)/osintlab course open --dir course --port $(PORT)

## Generate the default Mongolian case world and describe what it holds.
world: setup
	$(BIN)/osintlab world generate --country MN --scenario scam-compound-recruitment --seed 1 --out build/demo-world --force
	$(BIN)/osintlab world describe build/demo-world

## Every test, slow end-to-end ones included (what CI runs), and the linter.
test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "slow or not slow"

## Fast tests only, for the edit-test loop.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow" -x -q

lint: setup
	$(BIN)/ruff check .

benchmark: setup
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## Trainee handbook and trainer guide: HTML and PDF, offline, warnings as errors, links checked;
## in English and every language with catalogues (handbook/_build/<lang>/, untranslated text in English).
handbook: setup
	$(BIN)/python -m handbook.build --all-langs

## Translation catalogues: update from the English, say how complete each language is, check them all.
translations: setup
	$(BIN)/osintlab i18n update
	$(BIN)/osintlab i18n status
	$(BIN)/osintlab i18n check
	$(BIN)/osintlab i18n check --all --partial

clean:
	rm -rf build .pytest_cache

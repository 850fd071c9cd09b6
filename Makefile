# One command serves the dashboard, one runs every test. Both create .venv on first use.
PY      ?= python3
VENV    := .venv
VPY     := $(VENV)/bin/python
UV      := $(VENV)/bin/uv
HOST    ?= 127.0.0.1
PORT    ?= 8866

.PHONY: env test dashboard bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(VPY) || $(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade uv
	$(UV) pip install --quiet --python $(VPY) -e ".[test]"
	touch $@

env: $(VENV)/.installed

test: env
	$(VPY) -m pytest

dashboard: env
	@echo "Serving the dashboard on http://$(HOST):$(PORT)/"
	$(VENV)/bin/voila notebooks/dashboard.ipynb --no-browser --Voila.ip=$(HOST) --port=$(PORT) --Voila.config_file_paths="$(CURDIR)"

bench: env
	$(VPY) benchmarks/bench_physics.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# One command serves the dashboard, one runs every test. Both create .venv on first use.
PY      ?= python3
VENV    := .venv
VPY     := $(VENV)/bin/python
UV      := $(VENV)/bin/uv
HOST    ?= 127.0.0.1
PORT    ?= 8866

.PHONY: env test lint dashboard lab bench bench-rates bench-browser browser mutation clean

$(VENV)/.installed: pyproject.toml
	test -x $(VPY) || $(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade uv
	$(UV) pip install --quiet --python $(VPY) -e ".[test]"
	touch $@

env: $(VENV)/.installed

# The browser tests drive Debian's Chromium (never a browser that Playwright downloads); a missing
# browser that apt cannot install fails the run.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

LINTED  := explorer tests benchmarks notebooks tools

lint: env
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

test: env browser lint
	$(VPY) -m pytest

dashboard: env
	@echo "Serving the dashboard on http://$(HOST):$(PORT)/"
	$(VPY) -m explorer.serving notebooks/dashboard.ipynb --no-browser --Voila.ip=$(HOST) --port=$(PORT) --Voila.port_retries=0 --Voila.config_file_paths="$(CURDIR)"

# The teaching notebooks in JupyterLab: the `lab` extra goes into the same .venv. Jupyter's token
# stays on (a notebook server runs any code); the URL with it is printed below. PORT=… overrides 8888;
# as root (a container) Jupyter needs --allow-root.
LAB_PORT := $(if $(filter file,$(origin PORT)),8888,$(PORT))

lab: env
	$(UV) pip install --quiet --python $(VPY) -e ".[lab]"
	$(VPY) -m jupyterlab --no-browser --ServerApp.ip=$(HOST) --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb --config="$(CURDIR)/jupyter_server_config.py" $(if $(filter 0,$(shell id -u)),--allow-root)

bench: env
	$(VPY) benchmarks/bench_physics.py

bench-rates: env
	$(VPY) benchmarks/bench_rates.py

bench-browser: env browser
	$(VPY) benchmarks/bench_browser.py
	$(VPY) benchmarks/bench_load.py

# Mutation run over explorer.physics (not part of `make test`; a few minutes): every mutant must
# make tests/physics fail. Prints a kill table and the count.
mutation: env
	$(VPY) tools/mutation.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

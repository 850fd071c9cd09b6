# One command serves the dashboard, one runs every test. Both create .venv on first use.
PY      ?= python3
VENV    := .venv
VPY     := $(VENV)/bin/python
UV      := $(VENV)/bin/uv
HOST    ?= 127.0.0.1
PORT    ?= 8866
POOL    ?= 1
TABS    ?= 20
STUDENTS ?= 30
SPREAD  ?= 30
SOAK    ?= 0

.PHONY: env runtime test lint dashboard lab bench bench-rates bench-map bench-browser bench-class bench-class-browsers bench-page browser mutation screenshots clean

# Bytecode caches for every installed package, plain and -OO (the dashboard's kernels run with
# -OO): uv writes none, and where PYTHONDONTWRITEBYTECODE is set Python never writes them either,
# so every server and kernel start would compile numpy, matplotlib and ipykernel from source.
# Files that do not compile (some packages ship templates named .py) are left as they are.
COMPILE = $(VPY) -m compileall -q -q -j 0 -o 0 -o 2 $$($(VPY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') || true

# Runtime dependencies only (what `make dashboard` needs); the test extras come on top for `make test`.
$(VENV)/.runtime: pyproject.toml
	test -x $(VPY) || $(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade uv
	$(UV) pip install --quiet --python $(VPY) -e .
	$(COMPILE)
	touch $@

$(VENV)/.installed: $(VENV)/.runtime
	$(UV) pip install --quiet --python $(VPY) -e ".[test]"
	$(COMPILE)
	touch $@

runtime: $(VENV)/.runtime
env: $(VENV)/.installed

# The browser tests drive Debian's Chromium (never a browser that Playwright downloads); a missing
# browser that apt cannot install fails the run.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# JupyterHub's proxy, configurable-http-proxy, from the npm registry on Debian's nodejs and npm,
# into .venv (next to the hub from the `hub` extra, which `make env` installs with the tests):
# tests/browser/test_hub.py and `make bench-hub` start a real hub with it.
CHP     := $(VENV)/bin/configurable-http-proxy

.PHONY: hub bench-hub
hub: env
	(command -v node && command -v npm) >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	test -x $(CHP) || (npm install --silent --no-fund --no-audit --prefix $(VENV)/node configurable-http-proxy@5 \
		&& ln -sf ../node/node_modules/.bin/configurable-http-proxy $(CHP))
	$(CHP) --version

# What a student costs on a JupyterHub: HUB_STUDENTS headless students (default 10) through a
# real hub on 127.0.0.1 (docs/deploy.md, "What a student costs on a hub").
HUB_STUDENTS ?= 10
bench-hub: env hub
	$(VPY) benchmarks/bench_hub.py --students $(HUB_STUDENTS)

LINTED  := explorer tests benchmarks notebooks tools deploy

lint: env
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

test: env browser hub lint
	$(VPY) -m pytest

# POOL=N pre-heated kernels (docs/deploy.md: about one per student expected in the same minute).
dashboard: runtime
	@echo "Serving the dashboard on http://$(HOST):$(PORT)/ with $(POOL) pre-heated kernel(s)"
	$(VPY) -m explorer.serving notebooks/dashboard.ipynb --no-browser --Voila.ip=$(HOST) --port=$(PORT) --Voila.port_retries=0 --Voila.config_file_paths="$(CURDIR)" --VoilaConfiguration.default_pool_size=$(POOL)

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

bench-map: env
	$(VPY) benchmarks/bench_map.py

bench-browser: env browser
	$(VPY) benchmarks/bench_browser.py
	$(VPY) benchmarks/bench_load.py

# What one tab costs the browser (Chromium's counters and a trace), the page's models and messages.
bench-page: env browser
	$(VPY) benchmarks/bench_page.py

# The page in Chromium at 1366×768, 1400 and 390 px for every set-up (to /tmp/explorer-shots;
# look at them).
screenshots: env browser
	$(VPY) tools/screenshots.py $(OUT)

# Mutation run over explorer.physics (not part of `make test`; a few minutes): every mutant must
# make tests/physics fail. Prints a kill table and the count.
mutation: env
	$(VPY) tools/mutation.py

# A class opening the link together: STUDENTS headless students (the page's protocol; their
# browsers would run on their own laptops), all at once and then spread over SPREAD seconds,
# with one real Chromium tab amid them; POOL pre-heated kernels (default: one per visitor, the
# students and the tab).
# SOAK=600: the students stay ten minutes, moving a slider every 2-10 s.
bench-class: env browser
	$(VPY) benchmarks/bench_students.py --students $(STUDENTS) --spread $(SPREAD) --soak $(SOAK) $(if $(filter command line,$(origin POOL)),--pool $(POOL))

# What TABS Chromium tabs opened in the same second cost the browsers and the server (a browser
# benchmark: the browsers share the server's cores here, unlike a class).
bench-class-browsers: env browser
	$(VPY) benchmarks/bench_class.py --tabs $(TABS) --pool $(if $(filter command line,$(origin POOL)),$(POOL),$(TABS))

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

"""Voila's notebook executor keeps no copy of the widgets' state (``voila.json``,
``VoilaExecutor.store_widget_state``; see :mod:`explorer.serving.memory`).

nbclient records every widget's state and binary buffers (base64) for a notebook's metadata, which
Voila never writes: ≈ 0.7 MB held in the server for every pre-heated kernel of the dashboard.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
WIDGET_CELL = "import ipywidgets\nipywidgets.IntSlider(value=3)"


def _run(config: Config) -> dict:
    """The widget state the executor kept after running a cell that shows one slider."""
    from voila.execute import VoilaExecutor

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WIDGET_CELL)])
    nb.metadata.kernelspec = {"name": "python3", "language": "python", "display_name": "Python 3"}
    executor = VoilaExecutor(nb, config=config, kernel_name="python3")

    failures: list = []

    async def run():
        async with executor.async_setup_kernel():
            await executor.execute_cell(nb.cells[0], {}, 0)

    def in_thread():  # an event loop of its own (in the whole suite Playwright runs one here)
        try:
            asyncio.run(run())
        except BaseException as e:  # raised again below, in the test
            failures.append(e)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the cell did not finish within 120 s"
    if failures:
        raise failures[0]
    return executor.widget_state


@pytest.mark.slow
def test_the_repositorys_config_keeps_no_widget_state_and_the_default_does():
    repository = Config(json.loads((ROOT / "voila.json").read_text(encoding="utf-8")))
    assert _run(repository) == {}
    kept = _run(Config())
    sliders = [s["value"] for s in kept.values() if s.get("_model_name") == "IntSliderModel"]
    assert sliders == [3]


def test_the_jupyter_route_reads_the_executor_section():
    """jupyter_server_config.py copies voila.json's sections for Voila inside Jupyter Server."""
    read = (
        "from traitlets.config.loader import PyFileConfigLoader\n"
        "c = PyFileConfigLoader('jupyter_server_config.py', path=sys.argv[1]).load_config()\n"
        "print(c.VoilaExecutor.store_widget_state)"
    )
    out = subprocess.run(  # a process of its own: the file installs Voila hooks
        [sys.executable, "-c", "import sys\n" + read, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip() == "False"

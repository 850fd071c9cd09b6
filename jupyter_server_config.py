"""Jupyter Server settings for the Binder / JupyterHub route (``/voila/render/notebooks/…``).

Jupyter Server does not read configuration from the working directory: pass this file with
``jupyter server --config=jupyter_server_config.py`` or copy it into a Jupyter config
directory (``$(python -c 'import sys; print(sys.prefix)')/etc/jupyter/``). See docs/deploy.md.

The Voila extension itself reads ``voila.json`` from the working directory, so the
``VoilaConfiguration`` there applies on this route too; the kernel culling below is taken from
the same file, so both routes cull alike.
"""

import json
from pathlib import Path

from explorer.serving import set_xsrf_cookie

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

# Tab close / reload shuts the page's kernel down (see explorer/serving.py).
c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie

_voila = json.loads(Path(__file__).resolve().with_name("voila.json").read_text(encoding="utf-8"))
for _name, _value in _voila["MappingKernelManager"].items():
    setattr(c.MappingKernelManager, _name, _value)

"""Regenerate fixture_dashboard.ipynb (a stand-in dashboard used to develop the harness)."""

import nbformat

SRC = r'''
import base64, io, os, urllib.parse
import ipywidgets as w
import matplotlib
matplotlib.use("Agg")
from matplotlib.figure import Figure
import numpy as np

q = urllib.parse.parse_qs(os.environ.get("QUERY_STRING", ""))
mu = w.FloatLogSlider(value=float(q.get("mu", ["3e-11"])[0]), min=-13, max=-9, step=0.1, description="μν")
E = w.FloatLogSlider(value=1.0, min=-2, max=2, step=0.1, description="Eν (MeV)")
target = w.Dropdown(options=["Ge", "Xe", "Si"], value=q.get("target", ["Ge"])[0], description="target")
readout = w.HTML()
readout.add_class("explorer-crossover")
links = w.HTML()
figs, imgs, lines = [], [], []
x = np.geomspace(1e-3, 1e2, 200)
for i in range(2):
    f = Figure(figsize=(5, 3.5), dpi=80)
    ax = f.subplots()
    ln, = ax.loglog(x, x, label="EM")
    ax.set_ylim(1e-6, 1e6)
    figs.append(f); lines.append(ln)
    imgs.append(w.Image(format="png"))

def redraw(*_):
    z = {"Ge": 32, "Xe": 54, "Si": 14}[target.value]
    for i, (f, ln, im) in enumerate(zip(figs, lines, imgs)):
        ln.set_ydata((mu.value * 1e11) ** 2 * z / x / E.value / (i + 1))
        buf = io.BytesIO(); f.savefig(buf, format="png"); im.value = buf.getvalue()
    t = (mu.value * 1e11) ** 2 * z / E.value
    readout.value = f"crossover T = {t:.4g} keV"
    csv = "T_keV,em\n" + "\n".join(f"{a:.6g},{b:.6g}" for a, b in zip(x, lines[0].get_ydata()))
    b64 = base64.b64encode(csv.encode()).decode()
    png = base64.b64encode(imgs[0].value).decode()
    links.value = (f'<a download="curves.csv" href="data:text/csv;base64,{b64}">CSV</a> '
                   f'<a download="figure.png" href="data:image/png;base64,{png}">PNG</a>')

for c in (mu, E, target):
    c.observe(redraw, "value")
redraw()
w.VBox([w.HBox([mu, E, target], layout=w.Layout(flex_flow="row wrap")), readout, links,
        w.HBox(imgs, layout=w.Layout(flex_flow="row wrap"))])
'''

def main():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SRC.strip())]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, "fixture_dashboard.ipynb")


if __name__ == "__main__":
    main()

"""Mutation run over explorer.physics: every mutant must make the physics tests fail.

Usage: ``python tools/mutation.py`` (or ``make mutation``); ``--list`` prints the mutants,
``--only NAME`` runs the mutants whose name contains NAME, ``--moments`` only those of issue 22
(tools/mutation_moments.py).

Each mutant is a real change of the source: the package is copied to a temporary directory, one
file (a module, or a data table under ``data/``) is edited there, and ``pytest tests/physics -x``
runs in a subprocess that imports the copy (``PYTHONPATH``; no bytecode is written, so no stale
``.pyc`` can hide an edit). Three kinds:

* ``scale``: the public function (docs/design.md, "Physics API") is rebound at the end of its
  module to a wrapper that multiplies what it returns by 2 or by 1.01 (for a CrossSection, one
  of .sm/.em/.total). The rebinding is a module global, so callers inside the package that look the name up at call
  time (``eta`` → ``weak_charge``, ``from .kinematics import t_max_lite``) see the mutant too.
* ``const``: the definition line of a constant (G_F, α, m_e) is multiplied by the factor, so
  every derived constant and every kernel uses the mutated value.
* ``flip``: a text edit that must match exactly once: a sign convention reversed (eq. 13's
  sign, g_A for ν̄, the qν and ⟨r²⟩ signs of the g_V shift, at each place they occur), or a
  number of the inputs scaled by 1.01 (a point of a spectrum table, a flux, an energy per
  fission, a limit, the efficiency); the same text edits change every PMNS parameter and
  matrix element by 1 %, the Λ → λ map and the conventions of the effective moment (issue 22).

Sources and rates (issue 21): every flux a constructor returns, the spectra and the kernels
behind them, the capture rate, the tabulated ⁸B points, the limits, the efficiency and the
public rate functions are scaled by 1.01, and each must fail a test.

A mutant is *killed* when pytest fails (exit status 1). Any other status (a mutant that cannot be
applied, an import error, a collection error) is reported as an error, not as a kill.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The physics tests in two stages: the golden values alone first (most mutants die there within
# a few seconds, without collecting the rest), then the rest of tests/physics.
_FIRST = ["tests/physics/test_golden.py"]
_SOURCES = ["tests/physics/test_sources.py", "tests/physics/test_limits.py"]
STAGES = [
    _FIRST,
    _SOURCES,  # the sources' and limits' mutants die here
    ["tests/physics", *(x for f in _FIRST + _SOURCES for x in ("--ignore", f))],
]

_SCALE_HELPER = """

def _mutant_scale(value, factor, part):
    import dataclasses

    if part is not None:
        return dataclasses.replace(value, **{part: getattr(value, part) * factor})
    return value * factor


def _mutant_wrap(fn, factor, part=None):
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return _mutant_scale(fn(*args, **kwargs), factor, part)

    return wrapper
"""


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # file under explorer/physics
    kind: str  # "scale" | "const" | "flip"
    target: str  # function / Class.property / constant name / text to replace
    factor: float = 1.0
    part: str | None = None
    new: str = ""  # replacement text for "flip"

    def apply(self, source: str) -> str:
        if self.kind == "scale":
            if "." in self.target:  # Class.property
                cls, prop = self.target.split(".")
                return source + (
                    f"\n\n{cls}.{prop} = property("
                    f"lambda self, _f={cls}.{prop}.fget: _f(self) * {self.factor!r})\n"
                )
            part = repr(self.part)
            return (
                source
                + _SCALE_HELPER
                + f"\n{self.target} = _mutant_wrap({self.target}, {self.factor!r}, {part})\n"
            )
        if self.kind == "const":
            pat = re.compile(rf"^({re.escape(self.target)}: float = )(.+)$", re.M)
            if len(pat.findall(source)) != 1:
                raise LookupError(f"constant {self.target} not defined on one line")
            return pat.sub(lambda m: f"{m[1]}({m[2]}) * {self.factor!r}", source)
        if source.count(self.target) != 1:
            raise LookupError(f"{self.target!r} occurs {source.count(self.target)} times")
        return source.replace(self.target, self.new)


def mutants() -> list[Mutant]:
    out = []
    scaled = [
        ("electron.py", "dsigma_dT", ("sm", "em", "total")),
        ("electron.py", "crossover", (None,)),
        ("electron.py", "crossover_estimate", (None,)),
        ("nucleus.py", "dsigma_dT", ("sm", "em", "total")),
        ("nucleus.py", "crossover", (None,)),
        ("nucleus.py", "crossover_estimate", (None,)),
        ("nucleus.py", "weak_charge", (None,)),
        ("nucleus.py", "eta", (None,)),
        ("kinematics.py", "t_max", (None,)),
        ("kinematics.py", "t_max_lite", (None,)),  # the kernel every module imports
        ("kinematics.py", "cos_recoil_angle", (None,)),
        ("atomic.py", "step_factor", (None,)),
        ("atomic.py", "step_factor_lite", (None,)),  # the kernel electron.dsigma_dT uses
        ("atomic.py", "recoil_scale", (None,)),
        ("constants.py", "dirac_magnetic_moment", (None,)),
        ("targets.py", "Target.mass", (None,)),
        ("targets.py", "_nuclear_mass", (None,)),  # the isotope masses behind every M_N
    ]
    for path, fn, parts in scaled:
        for part in parts:
            for k in (2.0, 1.01):
                label = f"{path[:-3]}.{fn}" + (f".{part}" if part else "") + f" ×{k:g}"
                out.append(Mutant(label, path, "scale", fn, k, part))
    for const in ("G_FERMI", "ALPHA", "ME"):
        for k in (2.0, 1.01):
            out.append(Mutant(f"constants.{const} ×{k:g}", "constants.py", "const", const, k))
    flips = [
        # eq. 13 / docs/design.md, "Sign of eq. 13": the overall sign of the EM correction to C_V,
        # in the kernel and in η
        (
            "eq.13 sign (CEvNS kernel)",
            "nucleus.py",
            "dcv = -(_K_SHIFT * Z)",
            "dcv = +(_K_SHIFT * Z)",
        ),
        ("eq.13 sign (eta)", "nucleus.py", "out = 1.0 - (_K_SHIFT", "out = 1.0 + (_K_SHIFT"),
        # docs/design.md, "Couplings of ν–e scattering": g_A → −g_A for antineutrinos
        ("g_A sign for ν̄", "electron.py", "(-ga if nu.anti else ga)", "(ga if nu.anti else -ga)"),
        ("g_A not flipped for ν̄ only", "electron.py", "(-ga if nu.anti else ga)", "ga"),
        # docs/design.md, "Millicharge and charge radius": g_V → g_V + K[⟨r²⟩/3 − qν/(m_e T)]
        (
            "qν sign in g_V shift (ν–e)",
            "electron.py",
            "- q / (ME * np.maximum(Ts",
            "+ q / (ME * np.maximum(Ts",
        ),
        (
            "⟨r²⟩ sign in g_V shift (ν–e)",
            "electron.py",
            "d = _K_SHIFT * (r2 / HBARC2",
            "d = _K_SHIFT * (-r2 / HBARC2",
        ),
        # docs/design.md, "Sign of eq. 13" in CEvNS: the same bracket with the nucleus's charge
        ("qν sign (CEvNS kernel)", "nucleus.py", "- q / (M * Ts))", "+ q / (M * Ts))"),
        (
            "⟨r²⟩ sign (CEvNS kernel)",
            "nucleus.py",
            "* (r2 / HBARC2 / 3.0 - q",
            "* (-r2 / HBARC2 / 3.0 - q",
        ),
        ("qν sign (eta)", "nucleus.py", "- nu.q / (tgt.mass * T))", "+ nu.q / (tgt.mass * T))"),
        (
            "⟨r²⟩ sign (eta)",
            "nucleus.py",
            "(nu.r2 / HBARC2 / 3.0 - nu.q / (tgt.mass",
            "(-nu.r2 / HBARC2 / 3.0 - nu.q / (tgt.mass",
        ),
    ]
    for label, path, old, new in flips:
        out.append(Mutant(label, path, "flip", old, new=new))
    out += _moment_mutants()
    return out + _source_and_rate_mutants()


def _source_and_rate_mutants() -> list[Mutant]:
    """Issue 21: a 1 % change of any input of sources, rates and limits must fail a test."""
    out = []
    scaled = [
        ("sources.py", "pion_dar", None),
        ("sources.py", "line", None),
        ("sources.py", "tabulated", None),
        ("sources.py", "from_function", None),
        ("solar_spectra.py", "solar", None),
        ("solar_spectra.py", "lma_survival", None),
        ("solar_spectra.py", "b8_spectrum", None),
        ("reactor_spectra.py", "reactor", None),
        ("reactor_spectra.py", "fission_spectrum", None),
        ("reactor_spectra.py", "_fission_mix", None),  # the kernel reactor() uses
        ("reactor_spectra.py", "capture_spectrum", None),
        ("reactor_spectra.py", "_capture", None),  # the kernel reactor() uses
        ("reactor_spectra.py", "mean_energy_per_fission", None),
        ("rates/spectra.py", "dR_dT", "sm"),
        ("rates/spectra.py", "dR_dT", "em"),
        ("rates/counting.py", "counts", "sm"),
        ("rates/counting.py", "counts", "em"),
        ("rates/exclusion.py", "sensitivity", "value"),
        ("rates/exclusion.py", "poisson_upper_limit", None),
        ("rates/response.py", "lindhard_quenching", None),
        ("rates/quadrature.py", "e_min", None),
    ]
    for path, fn, part in scaled:
        label = f"{path[:-3].replace('/', '.')}.{fn}" + (f".{part}" if part else "") + " ×1.01"
        out.append(Mutant(label, path, "scale", fn, 1.01, part))
    out.append(Mutant("sources.Source.total_flux ×1.01", "flux.py", "scale",
                      "Source.total_flux", 1.01))  # fmt: skip
    out.append(Mutant("reactor_spectra.U238_CAPTURES_PER_FISSION ×1.01", "reactor_spectra.py",
                      "const", "U238_CAPTURES_PER_FISSION", 1.01))  # fmt: skip
    out.append(Mutant("reactor_spectra.LOW_ENERGY_REL_UNCERTAINTY ×1.01", "reactor_spectra.py",
                      "const", "LOW_ENERGY_REL_UNCERTAINTY", 1.01))  # fmt: skip
    texts = [
        ("⁸B table point 6.5 MeV ×1.01", "data/b8_winter2006.csv",
         "\n6.500,131.134,", "\n6.500,132.445,"),
        ("⁸B table point 14.0 MeV ×1.01", "data/b8_winter2006.csv",
         "\n14.000,2.058,", "\n14.000,2.079,"),
        ("B16 ⁸B flux ×1.01", "data/solar_b16_gs98.csv", "8B,5.46e6", "8B,5.5146e6"),
        ("B16 pp flux ×1.01", "data/solar_b16_gs98.csv", "pp,5.98e10", "pp,6.0398e10"),
        ("energy per ²³⁵U fission ×1.01", "data/reactor_fits.csv", ",201.92", ",203.94"),
        ("limit XENONnT ×1.01", "limits.py", "6.4e-12,", "6.464e-12,"),
        ("limit TEXONO ×1.01", "limits.py", "7.4e-11,", "7.474e-11,"),
        ("limit red giants 2020 ×1.01", "limits.py", "1.2e-12,", "1.212e-12,"),
        ("efficiency ×1.01", "rates/response.py",
         "            raise ValueError(\"efficiency values must lie in [0, 1]\")\n        return v",
         "            raise ValueError(\"efficiency values must lie in [0, 1]\")\n"
         "        return v * 1.01"),
        ("ν per proton of π-DAR ×1.01", "sources.py", "flux = r * rate /", "flux = 1.01 * r * rate /"),
    ]  # fmt: skip
    for label, path, old, new in texts:
        out.append(Mutant(label, path, "flip", old, new=new))
    return out


def _moment_mutants() -> list[Mutant]:
    """Issue 22 (tools/mutation_moments.py): PMNS parameters and elements, λ, conventions."""
    from mutation_moments import moment_edits

    return [Mutant(name, path, "flip", old, new=new) for name, path, old, new in moment_edits()]


def run_one(m: Mutant, work: Path, timeout: float) -> tuple[str, float, str]:
    src = work / "explorer" / "physics" / m.path
    original = src.read_text()
    try:
        src.write_text(m.apply(original))
    except LookupError as exc:
        return "ERROR", 0.0, f"cannot apply: {exc}"
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONDONTWRITEBYTECODE="1")
    base = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    base += ["--rootdir", str(work), "-c", str(work / "pyproject.toml")]
    t0 = time.perf_counter()
    try:
        for stage in STAGES:
            proc = subprocess.run(
                base + stage, cwd=work, env=env, capture_output=True, text=True, timeout=timeout
            )
            if proc.returncode != 0:
                break
    except subprocess.TimeoutExpired:
        return "ERROR", time.perf_counter() - t0, "timeout"
    finally:
        src.write_text(original)
    dt = time.perf_counter() - t0
    failed = [ln for ln in proc.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
    first = failed[0].split(" ", 1)[1].split(" - ")[0] if failed else ""
    if proc.returncode == 1:
        return "killed", dt, first
    if proc.returncode == 0:
        return "SURVIVED", dt, ""
    return "ERROR", dt, f"pytest exit {proc.returncode}: {proc.stdout[-300:]}"


def prepare() -> Path:
    work = Path(tempfile.mkdtemp(prefix="explorer-mutation-"))
    shutil.copytree(
        ROOT / "explorer", work / "explorer", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(
        ROOT / "tests" / "physics",
        work / "tests" / "physics",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
    # the copy, not the editable install, must be what the tests import
    probe = subprocess.run(
        [sys.executable, "-c", "import explorer; print(explorer.__file__)"],
        env=dict(os.environ, PYTHONPATH=str(work)),
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    if not probe.stdout.strip().startswith(str(work)):
        raise SystemExit(f"the tests would import {probe.stdout.strip()}, not the mutated copy")
    return work


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--moments", action="store_true", help="only tools/mutation_moments.py's")
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()
    todo = [m for m in (_moment_mutants() if args.moments else mutants()) if args.only in m.name]
    if args.list:
        for m in todo:
            print(m.name)
        return 0
    work = prepare()
    try:
        # the unmutated copy must pass, or every "kill" would mean nothing
        base = Mutant("unmutated", "constants.py", "scale", "dirac_magnetic_moment", 1.0)
        status, dt, first = run_one(base, work, args.timeout)
        print(
            f"baseline (no mutation): {'passed' if status == 'SURVIVED' else status} in {dt:.1f} s"
        )
        if status != "SURVIVED":
            print(first)
            return 2
        rows = []
        t_all = time.perf_counter()
        for m in todo:
            status, dt, first = run_one(m, work, args.timeout)
            rows.append((m.name, status, dt, first))
            print(f"{status:8s} {dt:6.1f} s  {m.name:42s} {first}", flush=True)
        killed = sum(r[1] == "killed" for r in rows)
        print(f"\nkilled {killed}/{len(rows)} mutants in {time.perf_counter() - t_all:.0f} s")
        for name, status, _, first in rows:
            if status != "killed":
                print(f"  {status}: {name} {first}")
        return 0 if killed == len(rows) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

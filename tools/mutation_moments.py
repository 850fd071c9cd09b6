"""Mutants of issue 22 for tools/mutation.py: a 1 % change of every PMNS parameter and matrix
element, of the Λ → λ map and of λ = μ − iε, the conventions of the effective moment, and the
rates, counts and Dirac regions with a moment matrix (the dashboard's matrix mode uses them).

One text edit per line: ``file | name | old text | new text``; the old text must occur exactly once
in ``explorer/physics/<file>`` (mixing() takes θ12, θ13 and Δm²21 from sources.LMA, the other
parameters from mixing.PDG2022).
"""

EDITS = """
mixing.py | PMNS sin2_theta12 ×1.01 | "sin2_theta12": LMA["sin2_theta12"], | "sin2_theta12": LMA["sin2_theta12"] * 1.01,
mixing.py | PMNS sin2_theta13 ×1.01 | "sin2_theta13": LMA["sin2_theta13"], | "sin2_theta13": LMA["sin2_theta13"] * 1.01,
mixing.py | PMNS dm2_21 ×1.01 | "dm2_21": LMA["dm2_21"], | "dm2_21": LMA["dm2_21"] * 1.01,
mixing.py | PMNS sin²θ23 (normal) ×1.01 | "sin2_theta23": 0.546, | "sin2_theta23": 0.546 * 1.01,
mixing.py | PMNS sin²θ23 (inverted) ×1.01 | "sin2_theta23": 0.539, | "sin2_theta23": 0.539 * 1.01,
mixing.py | PMNS Δm²32 (normal) ×1.01 | "dm2_32": 2.453e-3 * eV | "dm2_32": 1.01 * 2.453e-3 * eV
mixing.py | PMNS Δm²32 (inverted) ×1.01 | "dm2_32": -2.536e-3 * eV | "dm2_32": -1.01 * 2.536e-3 * eV
mixing.py | PMNS δ_CP ×1.01 | "delta_cp": 1.36 * math.pi | "delta_cp": 1.01 * 1.36 * math.pi
mixing.py | PMNS Majorana phases ×1.01 | np.exp(0.5j * np.array( | np.exp(0.505j * np.array(
mixing.py | U_e1 ×1.01 | [c12 * c13, | [1.01 * c12 * c13,
mixing.py | U_e2 ×1.01 | , s12 * c13, | , 1.01 * s12 * c13,
mixing.py | U_e3 ×1.01 | s13 / ed] | 1.01 * s13 / ed]
mixing.py | U_μ1 ×1.01 | [-s12 * c23 - c12 * s23 * s13 * ed, | [1.01 * (-s12 * c23 - c12 * s23 * s13 * ed),
mixing.py | U_μ2 ×1.01 |  c12 * c23 - s12 * s23 * s13 * ed, |  1.01 * (c12 * c23 - s12 * s23 * s13 * ed),
mixing.py | U_μ3 ×1.01 | s23 * c13] | 1.01 * s23 * c13]
mixing.py | U_τ1 ×1.01 | [s12 * s23 - c12 * c23 * s13 * ed, | [1.01 * (s12 * s23 - c12 * c23 * s13 * ed),
mixing.py | U_τ2 ×1.01 | -c12 * s23 - s12 * c23 * s13 * ed, | 1.01 * (-c12 * s23 - s12 * c23 * s13 * ed),
mixing.py | U_τ3 ×1.01 | c23 * c13] | 1.01 * c23 * c13]
mixing.py | solar β: Δm²21 ×1.01 | (1.0 - s13) / LMA["dm2_21"] | (1.0 - s13) / (LMA["dm2_21"] * 1.01)
mixing.py | solar P₃ ×1.01 | np.full_like(c2m, s13) | np.full_like(c2m, 1.01 * s13)
moments.py | λ: ε ×1.01 | self.mu - 1j * self.eps | self.mu - 1.01j * self.eps
moments.py | λ: μ ×1.01 | self.mu - 1j * self.eps | 1.01 * self.mu - 1j * self.eps
moments.py | λ: sign of iε | self.mu - 1j * self.eps | self.mu + 1j * self.eps
moments.py | λ(Λ) entry 'L3, -L2)' ×1.01 | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero)) | rows = ((zero, 1.01 * L3, -L2), (-L3, zero, L1), (L2, -L1, zero))
moments.py | λ(Λ) entry '-L2), (-L3' ×1.01 | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero)) | rows = ((zero, L3, -1.01 * L2), (-L3, zero, L1), (L2, -L1, zero))
moments.py | λ(Λ) entry '(-L3, zero' ×1.01 | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero)) | rows = ((zero, L3, -L2), (-1.01 * L3, zero, L1), (L2, -L1, zero))
moments.py | λ(Λ) entry 'zero, L1)' ×1.01 | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero)) | rows = ((zero, L3, -L2), (-L3, zero, 1.01 * L1), (L2, -L1, zero))
moments.py | λ(Λ) entry '(L2, -L1' ×1.01 | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero)) | rows = ((zero, L3, -L2), (-L3, zero, L1), (1.01 * L2, -L1, zero))
moments.py | λ(Λ) entry '-L1, zero))' ×1.01 | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -L1, zero)) | rows = ((zero, L3, -L2), (-L3, zero, L1), (L2, -1.01 * L1, zero))
moments.py | beam: phase sign | np.exp(-1j * m2 * x) | np.exp(1j * m2 * x)
moments.py | beam: U* for ν̄, U for ν | (U_row if anti else U_row.conj()) | (U_row.conj() if anti else U_row)
moments.py | beam: λ̄ = λ for ν̄ | lam_used = -lam.conj() if anti else lam | lam_used = lam
moments.py | beam: λ̄ = −λᵀ for ν̄ (ε sign) | lam_used = -lam.conj() if anti else lam | lam_used = -np.swapaxes(lam, -1, -2) if anti else lam
moments.py | beam: phase L/E ×1.01 | x = np.asarray(L / (2.0 * E * HBARC)) | x = np.asarray(1.01 * L / (2.0 * E * HBARC))
moments.py | astrophysical: Majorana pairs counted twice | 0.5 * total if kind | total if kind
probes.py | counts with moments: magnetic counts ×1.01 | rates.Counts(base.sm, base.em + mag.em, | rates.Counts(base.sm, base.em + 1.01 * mag.em,
probes.py | counts with moments: the ordering ignored | magnetic_source(src, moments, baseline, mix), material, exposure | magnetic_source(src, moments, baseline), material, exposure
probes.py | rate with moments: the ordering ignored | T, magnetic_source(src, moments, baseline, mix), material | T, magnetic_source(src, moments, baseline), material
probes.py | Dirac region: the fixed moment ×1.01 | diag[..., third - 1] = fixed | diag[..., third - 1] = 1.01 * fixed
probes.py | Dirac region: stars count pairs once | probe, mix, "dirac") | probe, mix, "majorana")
"""


def moment_edits() -> list[tuple[str, str, str, str]]:
    """(name, file, old, new) of every line of :data:`EDITS`."""
    out = []
    for line in EDITS.strip().splitlines():
        path, name, old, new = line.split(" | ")
        out.append((name, path, old, new))
    return out

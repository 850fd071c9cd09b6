"""One spelling of the target argument (issue 20): ``target=`` everywhere; the old ``tgt=`` still
works for one deprecation cycle and says so with a DeprecationWarning."""

import inspect

import numpy as np
import pytest
from hepunits import MeV, keV

import explorer.physics as phys
from explorer.physics import Neutrino, atomic, form_factor, nucleus

NU = Neutrino("e", mu=1e-10, q=1e-14)

#: (function, positional arguments before the target, keywords after it)
CALLS = [
    (nucleus.dsigma_dT, (1 * keV, 10 * MeV, NU), {}),
    (nucleus.crossover, (10 * MeV, NU), {}),
    (nucleus.crossings, (10 * MeV, NU), {}),
    (nucleus.crossover_estimate, (NU,), {}),
    (nucleus.weak_charge, (), {"sin2w": 0.24}),
    (nucleus.eta, (1 * keV, 10 * MeV, NU), {}),
    (nucleus.check_target, (), {}),
    (nucleus.helm_form_factor, (10 * keV,), {}),
    (form_factor.helm_form_factor, (10 * keV,), {}),
    (atomic.step_factor, (10 * keV,), {}),
    (atomic.recoil_scale, (), {}),
]


def _value(out):
    if hasattr(out, "total"):
        return (out.sm, out.em, out.total)
    if hasattr(out, "label"):
        return out.label
    return out


@pytest.mark.parametrize(("fn", "args", "kw"), CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_target_keyword_equals_the_positional_call(fn, args, kw):
    assert "target" in inspect.signature(fn).parameters
    by_position = _value(fn(*args, "Ge", **kw))
    by_keyword = _value(fn(*args, target="Ge", **kw))
    np.testing.assert_equal(by_keyword, by_position)


@pytest.mark.parametrize(("fn", "args", "kw"), CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_old_tgt_keyword_warns_and_gives_the_same_answer(fn, args, kw):
    with pytest.warns(DeprecationWarning, match=r"tgt=\.\.\.\) is deprecated: use target="):
        old = _value(fn(*args, tgt="Ge", **kw))
    np.testing.assert_equal(old, _value(fn(*args, target="Ge", **kw)))


@pytest.mark.parametrize(("fn", "args", "kw"), CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_both_spellings_at_once_is_an_error(fn, args, kw):
    with pytest.raises(TypeError, match="both target= and its old name tgt="):
        fn(*args, target="Ge", tgt="Ge", **kw)


def test_no_public_function_spells_the_target_tgt():
    bad = []
    for mod_name in phys.__all__:
        mod = getattr(phys, mod_name)
        if not inspect.ismodule(mod):
            continue
        for name in getattr(mod, "__all__", ()):
            fn = getattr(mod, name)
            if callable(fn) and not inspect.isclass(fn):
                if "tgt" in inspect.signature(fn).parameters:
                    bad.append(f"{mod_name}.{name}")
    assert bad == []

"""Who gets a kernel (explorer.serving.admission, issue 18): bots, probes and HEAD get a static
page and take none; past the server's kernel budget a new page gets HTTP 503 and the pool does
not refill beyond it; a kernel set free lets the next visitor in."""

from __future__ import annotations

import time

import harness
import pytest
import requests
from harness import student

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHAT_PREVIEW = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture(scope="module")
def small(notebook):
    """A standalone server with a pool of one and a budget of two kernels (command line)."""
    srv = harness.Server("standalone", notebook, extra_args=["--Admission.max_kernels=2"]).start()
    srv.wait_kernels(lambda ks: len(ks) == 1, timeout=60)
    deadline = time.monotonic() + 90
    while "is filled with 1 kernel" not in srv.log():
        assert time.monotonic() < deadline, srv.log()[-2000:]
        time.sleep(0.2)
    yield srv
    srv.stop()


def _handed(srv) -> int:
    return srv.log().count("Using pre-heated kernel")


def test_bots_probes_and_head_get_a_static_page_and_take_no_kernel(small):
    before = _handed(small)
    url = small.url("target=Xe&mu=5e-11")
    bot = requests.get(url, headers={"User-Agent": CHAT_PREVIEW}, timeout=10)
    probe = requests.get(small.url(), headers={"User-Agent": "Python/3.11 aiohttp/3.9"}, timeout=10)
    head = requests.head(url, headers={"User-Agent": BROWSER}, timeout=10)
    for r in (bot, probe, head):
        assert r.status_code == 200, (r.status_code, r.text[:300])
    assert "<script" not in bot.text and "Neutrino–atom collisions explorer" in bot.text
    assert 'property="og:image"' in bot.text and "target=Xe&amp;mu=5e-11" in bot.text
    assert head.text == ""
    time.sleep(1.0)
    assert _handed(small) == before, "a bot, a probe or a HEAD request took a kernel"
    assert len(small.kernels()) == 1


def test_past_the_budget_a_page_gets_503_until_a_kernel_is_free(small):
    first = student.open_page(small.url("target=Ge"))  # takes the pooled kernel; refill: 2
    small.wait_kernels(lambda ks: len(ks) == 2, timeout=30)
    deadline = time.monotonic() + 90
    while small.log().count("is filled with 1 kernel") < 2:
        assert time.monotonic() < deadline, small.log()[-2000:]
        time.sleep(0.2)
    second = student.open_page(small.url("target=Xe"))  # the refilled pooled kernel
    time.sleep(6.0)  # past the refill's quiet time: a third kernel would start now
    assert len(small.kernels()) == 2, "the pool refilled beyond the budget"
    full = requests.get(small.url("target=Si"), headers={"User-Agent": BROWSER}, timeout=10)
    assert full.status_code == 503, full.status_code
    assert full.headers["Retry-After"] == "60" and "server is full" in full.text
    assert student.shutdown(first) == 204
    assert small.wait_kernel_gone(first.kernel_id)
    # the freed place: the pool refills (at most the budget), and the next visitor is served
    third = student.open_page(small.url("target=Si"), timeout=120)
    ks = student.KernelSocket(third)
    try:
        assert ks.kernel_info()["implementation"] == "ipython"
    finally:
        ks.close()
    for page in (second, third):
        student.shutdown(page)

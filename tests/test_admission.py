"""The kernel budget (explorer.serving.admission) from the memory a server may use."""

from __future__ import annotations

from explorer.serving.admission import Admission, memory_bytes


def test_a_hub_users_limit_or_a_cgroups_limit_bounds_the_budget(tmp_path, monkeypatch):
    limit = tmp_path / "memory.max"
    limit.write_text("2000000000\n")
    unlimited = tmp_path / "v1.limit"
    unlimited.write_text("max\n")
    machine = memory_bytes({}, cgroup_files=())
    assert memory_bytes({"MEM_LIMIT": "1100000000"}, cgroup_files=()) == min(machine, 1_100_000_000)
    assert memory_bytes({}, cgroup_files=(str(unlimited), str(limit))) == min(
        machine, 2_000_000_000
    )
    assert memory_bytes({"MEM_LIMIT": "0"}, cgroup_files=(str(unlimited),)) == machine
    # a 1.1 GB hub user: 0.75 × 1.1 GB / 110 MB = 7 kernels, at least the pool plus one
    monkeypatch.setenv("MEM_LIMIT", "1100000000")
    assert Admission().budget(pool=1) == 7  # int(0.75 × 1.1e9 / 110e6)
    assert Admission(kernel_mb=500.0).budget(pool=2) == 3

"""Hardware fit (artifacts.assignment.hardware): a table of profiles × needs, no database."""

from types import SimpleNamespace

import pytest

from artifacts.assignment import hardware


def need(**kw):
    base = {
        "gpu_model": "",
        "gpu_count": 0,
        "cpu_cores": None,
        "ram_gb": None,
        "disk_gb": None,
        "special_hardware": [],
    }
    return SimpleNamespace(**{**base, **kw})


def profile(**kw):
    base = {
        "gpus": [],
        "cpu_cores": None,
        "ram_gb": None,
        "disk_gb": None,
        "cloud_gpus": False,
        "testbeds": [],
    }
    return SimpleNamespace(**{**base, **kw})


A100x4 = [{"model": "NVIDIA A100 80GB", "count": 4}]

CASES = [
    # (profile, artifact needs, fits)
    ("no needs, no profile", None, need(), True),
    ("no profile, needs a GPU", None, need(gpu_count=1), False),
    ("no profile, needs RAM", None, need(ram_gb=8), False),
    ("no profile, needs a testbed", None, need(special_hardware=["CloudLab"]), False),
    (
        "A100 need matches A100 80GB",
        profile(gpus=A100x4),
        need(gpu_model="A100", gpu_count=4),
        True,
    ),
    (
        "case and spaces",
        profile(gpus=[{"model": "rtx4090", "count": 2}]),
        need(gpu_model="RTX 4090", gpu_count=2),
        True,
    ),
    (
        "hyphens",
        profile(gpus=[{"model": "A100-80GB", "count": 1}]),
        need(gpu_model="a100 80gb", gpu_count=1),
        True,
    ),
    ("too few GPUs", profile(gpus=A100x4), need(gpu_model="A100", gpu_count=8), False),
    (
        "counts of matching models add up",
        profile(gpus=[{"model": "A100 40GB", "count": 2}, {"model": "A100 80GB", "count": 2}]),
        need(gpu_model="A100", gpu_count=4),
        True,
    ),
    (
        "other models do not count",
        profile(gpus=[{"model": "V100", "count": 8}, {"model": "A100", "count": 1}]),
        need(gpu_model="A100", gpu_count=2),
        False,
    ),
    ("A10 is not A100", profile(gpus=A100x4), need(gpu_model="A10", gpu_count=1), False),
    (
        "a more specific need is not met by a vaguer GPU",
        profile(gpus=[{"model": "A100", "count": 4}]),
        need(gpu_model="A100 80GB", gpu_count=1),
        False,
    ),
    (
        "empty model means any GPU",
        profile(gpus=[{"model": "V100", "count": 2}]),
        need(gpu_count=2),
        True,
    ),
    ("any GPU, but none", profile(), need(gpu_count=1), False),
    (
        "cloud GPUs fit any GPU need",
        profile(cloud_gpus=True),
        need(gpu_model="H100", gpu_count=8),
        True,
    ),
    (
        "malformed GPU entries are ignored",
        profile(gpus=[{"model": "A100"}, "junk", {"count": "x"}]),
        need(gpu_model="A100", gpu_count=2),
        False,
    ),
    ("CPU enough", profile(cpu_cores=32), need(cpu_cores=32), True),
    ("CPU short", profile(cpu_cores=8), need(cpu_cores=16), False),
    ("CPU unknown", profile(), need(cpu_cores=4), False),
    ("RAM and disk enough", profile(ram_gb=128, disk_gb=2000), need(ram_gb=64, disk_gb=500), True),
    ("disk short", profile(ram_gb=128, disk_gb=100), need(ram_gb=64, disk_gb=500), False),
    ("RAM unknown", profile(disk_gb=100), need(ram_gb=1), False),
    ("no stated need, unknown values", profile(), need(), True),
    (
        "testbed present (normalised)",
        profile(testbeds=["TPU-v4", "CloudLab"]),
        need(special_hardware=["tpu v4"]),
        True,
    ),
    (
        "testbed missing",
        profile(testbeds=["CloudLab"]),
        need(special_hardware=["CloudLab", "InfiniBand"]),
        False,
    ),
]


@pytest.mark.parametrize(("case", "p", "a", "fits"), CASES, ids=[c[0] for c in CASES])
def test_fit_table(case, p, a, fits):
    ok, reasons = hardware.fit(p, a)
    assert ok is fits
    assert bool(reasons) is (not fits)


def test_reasons_say_what_is_missing():
    ok, reasons = hardware.fit(
        profile(gpus=[{"model": "A100", "count": 2}], cpu_cores=8, testbeds=[]),
        need(gpu_model="A100", gpu_count=4, cpu_cores=16, ram_gb=64, special_hardware=["FPGA"]),
    )
    assert not ok
    assert reasons == [
        "Needs 4 × A100 GPUs; the profile has 2 matching and no cloud GPUs.",
        "Needs 16 CPU cores; the profile has 8.",
        "Needs 64 GB of RAM; the profile does not say how many.",
        "Needs FPGA, which is not among the profile's testbeds.",
    ]


def test_no_profile_reason_lists_the_needs():
    ok, reasons = hardware.fit(None, need(gpu_count=2, ram_gb=32))
    assert not ok
    assert reasons == ["No hardware profile, and the artifact needs 2 GPUs (any model), 32 GB RAM."]


def test_needs_in_words():
    assert hardware.needs(need()) == []
    assert hardware.needs(
        need(
            gpu_model="A100", gpu_count=1, cpu_cores=8, disk_gb=50, special_hardware=["TPU v4", " "]
        )
    ) == ["1 × A100 GPU", "8 CPU cores", "50 GB disk", "TPU v4"]


@pytest.mark.parametrize(
    ("needed", "offered", "match"),
    [
        ("A100", "NVIDIA A100 80GB", True),
        ("nvidia a100", "A100", True),
        ("", "anything", True),
        ("H100", "A100", False),
        ("A100 80", "A100 80GB", False),
        ("RTX 3090", "GeForce RTX 3090 Ti", True),
    ],
)
def test_gpu_model_matches(needed, offered, match):
    assert hardware.gpu_model_matches(needed, offered) is match

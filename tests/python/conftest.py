import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture
def qemu_virt():
    import pyjailconf

    return pyjailconf.load(REPO / "examples" / "qemu-virt.yaml")

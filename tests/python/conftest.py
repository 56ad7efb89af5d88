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


def confgen_binary():
    """The confgen CLI to compare against: $CONFGEN, or a build tree of this repository (the
    CMake tree of the Python build, build-python/cmake, has it after `cmake --build
    build-python/cmake --target confgen`)."""
    import os

    candidates = [os.environ.get("CONFGEN", ""), REPO / "build-python/cmake/confgen/confgen",
                  REPO / "build/confgen/confgen", REPO / "build-asan/confgen/confgen"]
    for c in candidates:
        if c and pathlib.Path(c).is_file() and os.access(c, os.X_OK):
            return pathlib.Path(c)
    return None


@pytest.fixture(scope="session")
def confgen():
    """Runs the confgen CLI: confgen(*args, cwd=None) -> CompletedProcess (text)."""
    import subprocess

    path = confgen_binary()
    if path is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("no confgen binary built (scripts/test-python.sh builds one)")
        pytest.skip("no confgen binary built (set CONFGEN)")

    def run(*args, cwd=None):
        return subprocess.run([str(path), *map(str, args)], capture_output=True, text=True,
                              cwd=cwd, timeout=120)

    return run

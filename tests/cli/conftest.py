import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def confgen():
    path = os.environ.get("CONFGEN", str(REPO / "build" / "confgen" / "confgen"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"confgen binary not found at {path}; set CONFGEN")

    def run(*args, cwd=None):
        return subprocess.run([path, *map(str, args)], capture_output=True, text=True,
                              cwd=cwd, timeout=60)

    return run


@pytest.fixture(scope="session")
def repo():
    return REPO

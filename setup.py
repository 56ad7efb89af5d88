"""Build glue for pyjailconf: the extension module is built by CMake (the top-level project
with -DJAILCONF_PYTHON=ON), then copied where setuptools expects it. Metadata is in
pyproject.toml. Offline install:

    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/python -m pip install --no-build-isolation .
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent
# Build trees stay under build-python/ (ignored by git; /build is the C++ build tree).
BUILD_BASE = "build-python"


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        build_dir = ROOT / BUILD_BASE / "cmake"
        build_type = os.environ.get("PYJAILCONF_BUILD_TYPE", "Release")
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            f"-DCMAKE_BUILD_TYPE={build_type}",
            "-DJAILCONF_PYTHON=ON",
            "-DJAILCONF_TESTS=OFF",
            "-DJAILCONF_BENCH=OFF",
            "-DJAILCONF_BUILD_HV=OFF",
            "-DPYBIND11_FINDPYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        subprocess.check_call(configure)
        jobs = str(os.cpu_count() or 2)
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_core",
                               "-j", jobs])
        built = sorted((build_dir / "pyjailconf").glob("_core*.so"))
        if not built:
            raise RuntimeError(f"CMake did not produce _core*.so under {build_dir}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    ext_modules=[CMakeExtension("pyjailconf._core")],
    cmdclass={"build_ext": CMakeBuild},
    options={
        "build": {"build_base": BUILD_BASE},
        "egg_info": {"egg_base": BUILD_BASE},
    },
)

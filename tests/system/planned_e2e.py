#!/usr/bin/env python3
"""The whole chain, from a device tree to the hypervisor running the planned cells:

    planned_e2e.py --confgen C --hv-build BUILD/hv --dtb virt.dtb --request request.yaml
                   --work DIR -- RUN_QEMU_ARGS...

confgen scan --dtb -> generate --request -> lint (no errors allowed) -> compile, then
scripts/boot-planned.py boots the result through run_qemu.py, which checks the console against
RUN_QEMU_ARGS. Any step failing fails the test (exit 1) with its output.
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def step(title, cmd, check=None):
    print(f"==> {title}: {' '.join(cmd)}", flush=True)
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(run.stdout, end="")
    if run.returncode != 0:
        sys.exit(f"FAIL: {title} exited with {run.returncode}")
    if check and not check(run.stdout):
        sys.exit(f"FAIL: {title}: unexpected output")
    return run.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    p.add_argument("--confgen", required=True)
    p.add_argument("--hv-build", required=True)
    p.add_argument("--dtb", required=True)
    p.add_argument("--request", required=True)
    p.add_argument("--work", required=True)
    args, rest = p.parse_known_args()
    if rest[:1] == ["--"]:
        rest = rest[1:]

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    inv, out = os.path.join(args.work, "inv.yaml"), os.path.join(args.work, "out")
    system = os.path.join(out, "system.yaml")
    c = args.confgen
    step("scan", [c, "scan", "--dtb", args.dtb, "-o", inv])
    step("generate", [c, "generate", "--inventory", inv, "--request", args.request, "-o", out])
    # Exit 0 means no errors; no finding may say error either (warnings and notes are allowed).
    step("lint", [c, "lint", "--inventory", inv, system], check=lambda text: ": error:" not in text)
    step("compile", [c, "compile", system, "-o", os.path.join(out, "system.jcb")])
    cmd = [sys.executable, os.path.join(ROOT, "scripts", "boot-planned.py"), "--confgen", c,
           "--hv-build", args.hv_build, "--system", system, "--work",
           os.path.join(args.work, "boot"), "--run-qemu", os.path.join(HERE, "run_qemu.py"),
           "--"] + rest
    print(f"==> boot: {' '.join(cmd)}", flush=True)
    sys.exit(subprocess.run(cmd).returncode)


if __name__ == "__main__":
    main()

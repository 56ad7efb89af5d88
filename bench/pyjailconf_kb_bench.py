#!/usr/bin/env python3
"""Prints what reusing one pyjailconf.KnowledgeBase saves when linting many files.

    .venv/bin/python bench/pyjailconf_kb_bench.py [--rounds N] [--threads N]

Lints the kb fixtures' flag.yaml files (tests/fixtures/kb/*/) three ways: loading the rules on
every call (lint(path, rules_dirs=...), what a loop over `confgen lint` does), with one
KnowledgeBase loaded once (kb.lint(path)), and with that KnowledgeBase shared by a thread pool.
A site rule directory is given so that the first way cannot use the cached built-in kb/. Figures
are wall-clock medians of N rounds on this machine; nothing is asserted.
"""

import argparse
import concurrent.futures
import pathlib
import statistics
import sys
import tempfile
import time

import pyjailconf

REPO = pathlib.Path(__file__).resolve().parents[1]
SITE_RULE = """format: jailconf-kb/1
rules:
  - id: KB-SITE-BIG-CELL
    severity: warning
    title: A non-root cell has more than 32 MiB of RAM
    rationale: Site policy keeps non-root cells small.
    for: {a: region}
    where:
      - {eq: [$a.cell_root, false]}
      - {gt: [$a.size, 0x2000000]}
    message: "region {a.name} of cell {a.cell} is larger than 32 MiB"
    fix: "shrink region {a.name}"
"""


def median_seconds(fn, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    files = sorted((REPO / "tests/fixtures/kb").glob("*/flag.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp) / "site"
        (site / "rules").mkdir(parents=True)
        (site / "rules" / "big.yaml").write_text(SITE_RULE)

        load_once = median_seconds(lambda: pyjailconf.KnowledgeBase([site]), args.rounds)
        kb = pyjailconf.KnowledgeBase([site])
        per_call = median_seconds(
            lambda: [pyjailconf.lint(f, rules_dirs=[site]) for f in files], args.rounds)
        reused = median_seconds(lambda: [kb.lint(f) for f in files], args.rounds)
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.threads) as pool:
            threaded = median_seconds(lambda: list(pool.map(kb.lint, files)), args.rounds)
        assert [pyjailconf.lint(f, rules_dirs=[site]) for f in files] == \
            [kb.lint(f) for f in files]

    n = len(files)
    print(f"{n} files, {len(kb.rules)} kb rules, median of {args.rounds} rounds")
    print(f"  load the knowledge base once          {load_once * 1e3:8.1f} ms")
    print(f"  lint, rules loaded on every call      {per_call * 1e3:8.1f} ms "
          f"({per_call / n * 1e3:.2f} ms/file)")
    print(f"  lint, one KnowledgeBase reused        {reused * 1e3:8.1f} ms "
          f"({reused / n * 1e3:.2f} ms/file, {per_call / reused:.1f}x)")
    print(f"  lint, reused, {args.threads} threads               {threaded * 1e3:8.1f} ms "
          f"({per_call / threaded:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

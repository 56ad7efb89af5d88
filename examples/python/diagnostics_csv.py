#!/usr/bin/env python3
"""Check a set of configuration files and print every diagnostic as CSV (file, line, column,
severity, rule, message, fix), e.g. for a spreadsheet or a CI summary. Exit status as confgen
check: 0 no errors, 1 errors found, 3 a file could not be read.

    python examples/python/diagnostics_csv.py tests/fixtures/rules/*/bad.yaml > findings.csv
"""

import argparse
import csv
import sys

import pyjailconf

FIELDS = ["file", "line", "column", "severity", "rule", "message", "fix"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="system YAML files")
    args = parser.parse_args(argv)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(FIELDS)
    status = 0
    for path in args.files:
        try:
            diagnostics = pyjailconf.check(path)
        except OSError as e:
            writer.writerow([path, 0, 0, "error", "JC-IO", str(e), ""])
            status = 3
            continue
        for d in diagnostics:
            writer.writerow([getattr(d, field) for field in FIELDS])
            if d.is_error and status == 0:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Lint a configuration against the machine it runs on and print the findings grouped by cell.

    lint_report.py SYSTEM.yaml [--inventory INV.yaml | --dtb BOARD.dtb | --root DIR]
                   [--rules-dir DIR]... [--guest-dt CELL=FILE.dtb]... [--no-builtin-rules]

The machine is an inventory written by `confgen scan -o`, or scanned here from a device tree
blob or a copied machine tree. Every diagnostic of `confgen lint` (schema, checks, kb rules) is
listed under the cell whose YAML holds its line ("system" for the platform and hypervisor);
waived findings show the waiver's reason. Exit status as confgen lint: 0 no errors, 1 errors
(or a broken rule file), 2 usage, 3 a file cannot be read.
"""

import argparse
import sys

import pyjailconf


def cell_of(diagnostic, spans):
    """The cell whose YAML lines hold the diagnostic, from the cells' declared locations."""
    owner = "system"
    for name, file, line in spans:
        if diagnostic.file == file and diagnostic.line >= line:
            owner = name
    return owner


def cell_spans(path):
    """(name, file, first line) of every cell, in file order; empty if the file does not load."""
    try:
        system = pyjailconf.load(path)
    except pyjailconf.LoadError:
        return []
    spans = [(c.name, c.location[0], c.location[1]) for c in system.cells if c.location]
    return sorted(spans, key=lambda s: (s[1], s[2]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("system", help="System configuration (YAML)")
    machine = parser.add_mutually_exclusive_group()
    machine.add_argument("--inventory", help="Inventory written by 'confgen scan -o'")
    machine.add_argument("--dtb", help="Scan this device tree blob for the inventory")
    machine.add_argument("--root", help="Scan this copied machine tree for the inventory")
    parser.add_argument("--rules-dir", action="append", default=[],
                        help="Site rule directory (repeatable)")
    parser.add_argument("--guest-dt", action="append", default=[], metavar="CELL=FILE",
                        help="Device tree blob a cell's guest boots with (repeatable)")
    parser.add_argument("--no-builtin-rules", action="store_true")
    args = parser.parse_args(argv)

    guest_dts = {}
    for spec in args.guest_dt:
        cell, sep, file = spec.partition("=")
        if not sep or not cell or not file:
            parser.error(f"--guest-dt '{spec}': write CELL=FILE.dtb")
        guest_dts[cell] = file

    try:
        inventory = args.inventory
        if args.dtb or args.root:
            inventory = pyjailconf.scan(dtb=args.dtb, root=args.root)
        found = pyjailconf.lint(args.system, inventory, rules_dirs=args.rules_dir,
                                guest_dts=guest_dts, builtin_rules=not args.no_builtin_rules)
    except OSError as e:
        print(f"lint_report: error: {e.strerror or e}: {e.filename}", file=sys.stderr)
        return 3
    except pyjailconf.KnowledgeBaseError as e:
        print(f"lint_report: the rules cannot be loaded:\n{e}", file=sys.stderr)
        return 1
    except pyjailconf.ScanError as e:
        print(f"lint_report: error: {e}", file=sys.stderr)
        return 1

    spans = cell_spans(args.system)
    order = ["system"] + [name for name, _, _ in spans]
    groups = {}
    for d in found:
        groups.setdefault(cell_of(d, spans), []).append(d)

    rule_width = max([len(d.rule) for d in found] + [4])
    for name in order:
        items = groups.get(name, [])
        if not items:
            continue
        print(f"{name}: {len(items)} finding{'' if len(items) == 1 else 's'}")
        for d in items:
            print(f"  {d.line:>5}  {d.severity:<7}  {d.rule:<{rule_width}}  {d.message}")
            if d.suppression is not None:
                print(f"  {'':>5}  {'':<7}  {'':<{rule_width}}  waived: {d.suppression}")
            elif d.fix:
                print(f"  {'':>5}  {'':<7}  {'':<{rule_width}}  fix: {d.fix}")
    errors = sum(d.is_error for d in found)
    warnings = sum(d.severity == "warning" for d in found)
    waived = sum(d.suppression is not None for d in found)
    clean = [name for name in order[1:] if name not in groups]
    if clean:
        print(f"clean: {', '.join(clean)}")
    judged = "against the machine" if inventory else "without a machine (inventory rules skipped)"
    print(f"{errors} error{'' if errors == 1 else 's'}, {warnings} "
          f"warning{'' if warnings == 1 else 's'}, {waived} waived; kb rules judged {judged}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

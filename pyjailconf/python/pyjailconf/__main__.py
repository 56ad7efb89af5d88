"""``python -m pyjailconf``: a thin entry point over the binding (same exit codes as confgen:
0 ok (warnings allowed), 1 the input has errors, 2 usage error, 3 I/O error)."""

import argparse
import sys

import pyjailconf


def _check(args) -> int:
    diagnostics = []
    io_failure = False
    ok = []
    # SARIF describes the rules the verb can report: the checks, and for lint the kb rules.
    kb = pyjailconf.KnowledgeBase(builtin_rules=False)
    if args.verb == "lint":
        try:
            kb = pyjailconf.KnowledgeBase(args.rules_dir, builtin_rules=not args.no_builtin_rules)
        except pyjailconf.KnowledgeBaseError as e:
            diagnostics.extend(e.diagnostics)
            args.files = []
    for path in args.files:
        try:
            if args.verb == "lint":
                found = kb.lint(path, args.inventory, guest_dts=args.guest_dts)
            else:
                found = pyjailconf.check(path)
        except pyjailconf.ScanError as e:
            print(f"pyjailconf: error: {e}", file=sys.stderr)
            return 1
        except OSError as e:
            print(f"pyjailconf: error: {e.strerror or e}: {path}", file=sys.stderr)
            io_failure = True
            continue
        diagnostics.extend(found)
        if not any(d.is_error for d in found):
            ok.append(path)
    errors = sum(1 for d in diagnostics if d.is_error)
    if args.format == "text":
        text = pyjailconf.format_diagnostics(diagnostics, "text")
        others = len(diagnostics) - errors
        if diagnostics:
            text += (f"{errors} error{'' if errors == 1 else 's'}, {others} "
                     f"warning{'' if others == 1 else 's'} or note{'' if others == 1 else 's'}\n")
        sys.stderr.write(text)
        for path in ok:
            print(f"{path}: ok", file=sys.stderr)
    else:
        sys.stdout.write(pyjailconf.format_diagnostics(diagnostics, args.format, kb))
    return 3 if io_failure else 1 if errors else 0


def _render(args) -> int:
    try:
        page = pyjailconf.render(args.file, args.inventory, rules_dirs=args.rules_dir,
                                 builtin_rules=not args.no_builtin_rules)
    except (pyjailconf.LoadError, pyjailconf.KnowledgeBaseError) as e:
        sys.stderr.write(pyjailconf.format_diagnostics(e.diagnostics, "text"))
        return 1
    except pyjailconf.ScanError as e:
        print(f"pyjailconf: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"pyjailconf: error: {e.strerror or e}: {e.filename or args.file}", file=sys.stderr)
        return 3
    try:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(page)
    except OSError as e:
        print(f"pyjailconf: error: {e.strerror or e}: {args.output}", file=sys.stderr)
        return 3
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyjailconf",
                                     description="jailconf configuration tools (Python)")
    parser.add_argument("--version", action="version", version=pyjailconf.__version__)
    sub = parser.add_subparsers(dest="verb", required=True)
    check = sub.add_parser("check", help="Validate configurations (schema + JC-* rules)")
    check.add_argument("files", nargs="+", help="System configuration files (YAML)")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    lint = sub.add_parser("lint", help="check, then the knowledge-base rules (as confgen lint)")
    lint.add_argument("files", nargs="+", help="System configuration files (YAML)")
    lint.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    lint.add_argument("--inventory", help="Inventory of the machine ('confgen scan -o')")
    lint.add_argument("--rules-dir", action="append", default=[],
                      help="Site rule directory (repeatable)")
    lint.add_argument("--guest-dt", action="append", default=[], metavar="CELL=FILE",
                      help="Device tree blob a cell's guest boots with (repeatable)")
    lint.add_argument("--no-builtin-rules", action="store_true")
    render = sub.add_parser("render", help="Write the HTML resource map (as confgen render)")
    render.add_argument("file", help="System configuration file (YAML or JSON)")
    render.add_argument("-o", "--output", required=True, help="The HTML page to write")
    render.add_argument("--inventory", help="Inventory of the machine ('confgen scan -o')")
    render.add_argument("--rules-dir", action="append", default=[],
                        help="Site rule directory (repeatable)")
    render.add_argument("--no-builtin-rules", action="store_true")
    sub.add_parser("schema", help="Print the JSON Schema of the YAML format")
    sub.add_parser("rules", help="List the rules (checks and kb rules)")
    args = parser.parse_args(argv)
    if args.verb == "lint":
        args.guest_dts = {}
        for spec in args.guest_dt:
            cell, sep, file = spec.partition("=")
            if not sep or not cell or not file:
                parser.error(f"--guest-dt '{spec}': write CELL=FILE.dtb")
            args.guest_dts[cell] = file
    if args.verb in ("check", "lint"):
        return _check(args)
    if args.verb == "render":
        return _render(args)
    if args.verb == "schema":
        sys.stdout.write(pyjailconf.schema())
        return 0
    for rule in pyjailconf.rules():
        print(f"{rule.id:<26} {rule.kind:<5} {rule.severity:<8} {rule.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

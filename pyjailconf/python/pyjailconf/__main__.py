"""``python -m pyjailconf``: a thin entry point over the binding (same exit codes as confgen:
0 ok (warnings allowed), 1 the input has errors, 2 usage error, 3 I/O error)."""

import argparse
import sys

import pyjailconf


def _check(args) -> int:
    diagnostics = []
    io_failure = False
    ok = []
    for path in args.files:
        try:
            found = pyjailconf.check(path)
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
        sys.stdout.write(pyjailconf.format_diagnostics(diagnostics, args.format))
    return 3 if io_failure else 1 if errors else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyjailconf",
                                     description="jailconf configuration tools (Python)")
    parser.add_argument("--version", action="version", version=pyjailconf.__version__)
    sub = parser.add_subparsers(dest="verb", required=True)
    check = sub.add_parser("check", help="Validate configurations (schema + JC-* rules)")
    check.add_argument("files", nargs="+", help="System configuration files (YAML)")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    sub.add_parser("schema", help="Print the JSON Schema of the YAML format")
    sub.add_parser("rules", help="List the rules")
    args = parser.parse_args(argv)
    if args.verb == "check":
        return _check(args)
    if args.verb == "schema":
        sys.stdout.write(pyjailconf.schema())
        return 0
    for rule in pyjailconf.rules():
        print(f"{rule.id:<24} {rule.severity:<8} {rule.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

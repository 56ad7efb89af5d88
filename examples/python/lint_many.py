#!/usr/bin/env python3
"""Lint many configurations with one knowledge base, in parallel, and draw a map of each.

    lint_many.py FILES... [--inventory INV] [--rules-dir DIR]... [--no-builtin-rules]
                 [--jobs N] [--html-dir DIR] [--sarif FILE]

The kb/ rules (and any site --rules-dir) are loaded once into a pyjailconf.KnowledgeBase that
every worker thread shares; the C++ library releases the GIL while it lints, so the files are
linted in parallel. Prints one line per file (errors, warnings, waived findings), writes the HTML
resource map of each file that loads into --html-dir (as `confgen render`) and all findings into
one SARIF log (as `confgen lint --format sarif`). Files may be YAML or JSON. Exit status as
confgen lint: 0 no errors, 1 errors (or a broken rule file), 2 usage, 3 a file cannot be read.
"""

import argparse
import concurrent.futures
import os
import pathlib
import sys

import pyjailconf


def lint_one(kb, path, inventory, html_dir):
    """(path, diagnostics, page written or None, I/O error or None) for one file."""
    try:
        found = kb.lint(path, inventory)
    except OSError as e:
        return path, [], None, e.strerror or str(e)
    page = None
    if html_dir is not None:
        try:
            html = kb.render(path, inventory)
        except pyjailconf.LoadError:
            pass  # its load errors are among the findings; there is nothing to draw
        else:
            page = html_dir / (pathlib.Path(path).name + ".html")
            page.write_text(html, encoding="utf-8")
    return path, found, page, None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="System configurations (YAML or JSON)")
    parser.add_argument("--inventory", help="Inventory of the machine ('confgen scan -o')")
    parser.add_argument("--rules-dir", action="append", default=[], help="Site rules (repeatable)")
    parser.add_argument("--no-builtin-rules", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--html-dir", type=pathlib.Path, help="Write a FILE.html map per file here")
    parser.add_argument("--sarif", type=pathlib.Path, help="Write every finding as one SARIF log")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")

    try:
        kb = pyjailconf.KnowledgeBase(args.rules_dir, builtin_rules=not args.no_builtin_rules)
        inventory = pyjailconf.load_inventory(args.inventory) if args.inventory else None
    except (pyjailconf.KnowledgeBaseError, pyjailconf.ScanError) as e:
        print(f"lint_many: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"lint_many: {e.strerror or e}: {e.filename}", file=sys.stderr)
        return 3
    if args.html_dir:
        args.html_dir.mkdir(parents=True, exist_ok=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda p: lint_one(kb, p, inventory, args.html_dir), args.files))

    everything, io_failure = [], False
    width = max(len(p) for p in args.files)
    for path, found, page, error in results:
        if error:
            print(f"{path:<{width}}  cannot be read: {error}")
            io_failure = True
            continue
        everything += found
        errors = sum(d.is_error for d in found)
        waived = sum(d.waived for d in found)
        warnings = len(found) - errors - waived
        line = f"{path:<{width}}  {errors} error(s), {warnings} warning(s)/note(s), {waived} waived"
        print(line + (f"  -> {page}" if page else ""))
    print(f"{len(args.files)} file(s), {len(kb.rules)} kb rules loaded once, "
          f"{args.jobs} thread(s)")
    if args.sarif:
        args.sarif.write_text(kb.format_diagnostics(everything, "sarif"), encoding="utf-8")
    if io_failure:
        return 3
    return 1 if any(d.is_error for d in everything) else 0


if __name__ == "__main__":
    sys.exit(main())

"""The GIL is released around load/check/compile/decompile: concurrent calls from threads work
and give the same answers."""

import concurrent.futures

import pyjailconf


def test_concurrent_load_check_compile(repo):
    paths = sorted((repo / "tests/fixtures/rules").glob("*/*.yaml"))

    def work(path):
        diags = pyjailconf.check(path)
        try:
            system = pyjailconf.load(path)
        except pyjailconf.LoadError:
            return [d.rule for d in diags], None
        blob = None
        if not any(d.is_error for d in diags):
            blob = [b.data for b in system.compile_all()]
            assert [b.data for b in pyjailconf.decompile(blob).compile_all()] == blob
        return [d.rule for d in diags], blob

    serial = [work(p) for p in paths]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(work, paths * 3))
    assert parallel == serial * 3

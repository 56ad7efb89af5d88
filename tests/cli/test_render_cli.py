"""`confgen render`: the verb's exit codes and outputs, and the page as a real browser sees it
(headless Chromium, Debian's `chromium` package, which scripts/setup-deps.sh --tests installs):
it loads without console errors, a screenshot is produced, and the DOM holds the cells and the
findings."""
import html
import json
import re
import shutil
import struct
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (scripts/setup-deps.sh --tests installs it)")

FLAG_FIXTURE = "tests/fixtures/rules/JC-MEM-GIC/bad.yaml"
CELLS = {"examples/qemu-virt.yaml": ["root", "rt"], FLAG_FIXTURE: ["root", "rt"]}


def render(confgen, repo, tmp_path, source, *extra, name="map.html"):
    out = tmp_path / name
    r = confgen("render", repo / source, "-o", out, *extra)
    return r, out


def chromium(tmp_path, page, *args):
    """Runs headless Chromium on the page; returns (stdout, stderr)."""
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-extensions",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args,
           page.resolve().as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout, r.stderr


def console_errors(stderr):
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line]


def assert_self_contained(text):
    assert "http://" not in text and "https://" not in text
    assert "<script" not in text and "@import" not in text
    for attr, value in re.findall(r'\s(src|href|xlink:href|srcset|action)="([^"]*)"', text):
        assert attr != "src" and value.startswith("#"), (attr, value)
    for value in re.findall(r"url\(([^)]*)\)", text):
        assert value.startswith("#"), value


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_render_writes_a_self_contained_page(confgen, repo, tmp_path):
    r, out = render(confgen, repo, tmp_path, "examples/qemu-virt.yaml")
    assert r.returncode == 0, r.stderr
    assert f"render: wrote {out}" in r.stderr
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert_self_contained(text)
    for cell in ("root", "rt"):
        assert f"cell <b>{cell}</b>" in text
    assert "Axis: segmented" in text
    # Hover text: the exact range of the hypervisor's memory.
    assert "0x7c000000 - 0x7fffffff" in text


def test_render_is_deterministic(confgen, repo, tmp_path):
    r1, a = render(confgen, repo, tmp_path, "examples/x86-q35.yaml", name="a.html")
    r2, b = render(confgen, repo, tmp_path, "examples/x86-q35.yaml", name="b.html")
    assert r1.returncode == r2.returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_findings_are_shown_and_exit_is_still_0(confgen, repo, tmp_path):
    r, out = render(confgen, repo, tmp_path, FLAG_FIXTURE)
    assert r.returncode == 0, r.stderr
    assert "JC-MEM-GIC" in r.stderr  # printed like confgen lint prints it
    text = out.read_text()
    assert "<code>JC-MEM-GIC</code>" in text
    assert re.search(r'class="bar [a-z-]+ flag-(error|warning)"', text)


def test_render_matches_lint_findings(confgen, repo, tmp_path):
    """Every finding `confgen lint` reports appears in the page's findings list."""
    lint = confgen("lint", "--format", "json", repo / FLAG_FIXTURE)
    findings = json.loads(lint.stdout)["diagnostics"]
    assert findings
    r, out = render(confgen, repo, tmp_path, FLAG_FIXTURE)
    assert r.returncode == 0
    text = out.read_text()
    rows = re.findall(r'<tr id="f-\d+" class="finding[^"]*"><td>[^<]*</td><td><code>([^<]*)</code>'
                      r'</td><td>([^<]*)', text)
    assert sorted((d["rule"], html.escape(d["message"], quote=True).replace("&#x27;", "&#39;"))
                  for d in findings) == sorted(rows)


def test_unloadable_file_exits_1_and_writes_nothing(confgen, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: jailconf/1\narch: arm64\nbogus: 1\n")
    out = tmp_path / "map.html"
    r = confgen("render", bad, "-o", out)
    assert r.returncode == 1
    assert "cannot be loaded" in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_missing_file_exits_3_and_usage_exits_2(confgen, repo, tmp_path):
    out = tmp_path / "map.html"
    assert confgen("render", tmp_path / "none.yaml", "-o", out).returncode == 3
    assert not out.exists()
    assert confgen("render", repo / "examples/qemu-virt.yaml").returncode == 2  # no -o
    assert confgen("render", "-o", out).returncode == 2  # no FILE


def test_unwritable_output_exits_3(confgen, repo, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = confgen("render", repo / "examples/qemu-virt.yaml", "-o", blocker / "map.html")
    assert r.returncode == 3, r.stderr


def test_help_states_exit_codes(confgen):
    r = confgen("render", "--help")
    assert r.returncode == 0
    assert "Exit status" in r.stdout and "--inventory" in r.stdout and "--rules-dir" in r.stdout


@needs_chromium
@pytest.mark.parametrize("source", ["examples/qemu-virt.yaml", FLAG_FIXTURE])
def test_page_loads_in_headless_chromium(confgen, repo, tmp_path, source):
    r, out = render(confgen, repo, tmp_path, source)
    assert r.returncode == 0, r.stderr
    text = out.read_text()

    shot = tmp_path / "out.png"
    _, stderr = chromium(tmp_path, out, f"--screenshot={shot}", "--window-size=1400,1000")
    assert console_errors(stderr) == []
    assert shot.exists() and shot.stat().st_size > 10000
    assert png_size(shot) == (1400, 1000)

    dom, stderr = chromium(tmp_path, out, "--dump-dom")
    assert console_errors(stderr) == []
    # The browser parsed the same page: every element id survived, in the same order.
    assert re.findall(r'\sid="([^"]*)"', dom) == re.findall(r'\sid="([^"]*)"', text)
    assert dom.count("<rect") == text.count("<rect")
    assert '<section id="address-map">' in dom and '<svg class="map"' in dom
    for cell in CELLS[source]:
        assert f"cell <b>{cell}</b>" in dom
    if source == FLAG_FIXTURE:
        assert "<code>JC-MEM-GIC</code>" in dom
        # Both GIC regions of cell rt are outlined on the map.
        assert len(re.findall(r'id="c1-mem-[12]-bar" class="bar io flag-(?:error|warning)"',
                              dom)) == 2

"""The book: every section x framework notebook executes cleanly, the build has no warnings,
pages have five synced tabs and download links, and the source checks reject bad sections."""
import os
import re

import jupytext
import nbformat
import pytest

from _book import HTML, NOTEBOOKS, ROOT

import bookbuild as bb
import readerpath
from d2l_lite import BACKENDS, DISPLAY_NAMES

OTHER_IMPORTS = {fw: re.compile(r"^\s*(import|from)\s+(" + "|".join(
    {"torch": "torch", "tensorflow": "tensorflow|keras", "mxnet": "mxnet", "paddle": "paddle"}[o]
    for o in BACKENDS if o not in ("numpy", fw)) + r")\b", re.M) for fw in BACKENDS}



def test_build_has_no_warnings(built):
    # jupyter-book runs with --warningiserror; also no warning may reach the log at all
    assert "WARNING" not in built.stderr, built.stderr[-3000:]
    assert os.path.exists(os.path.join(HTML, "index.html"))


@pytest.mark.parametrize("fw", BACKENDS)
def test_every_section_notebook_executed_cleanly(built, fw):
    names = bb.sections()
    assert "adadelta" in names
    for name in names:
        path = os.path.join(NOTEBOOKS, fw, name + ".ipynb")
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["d2l_lite"] == {"section": name, "framework": fw}
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code, f"{name} [{fw}] has no code"
        for cell in code:
            assert cell.execution_count is not None, f"{name} [{fw}]: a cell did not run"
            for out in cell.outputs:
                assert out.output_type != "error", f"{name} [{fw}]: {out.get('ename')}: {out.get('evalue')}"
                assert not (out.output_type == "stream" and out.name == "stderr"), \
                    f"{name} [{fw}] wrote to stderr: {out.text[:500]}"
        # the notebook a reader downloads holds no other framework's code
        source = "\n".join(c.source for c in code)
        assert not OTHER_IMPORTS[fw].search(source), f"{name} [{fw}] imports another framework"


def _page(name):
    with open(os.path.join(HTML, "book", name + ".html")) as f:
        return f.read()


def test_pages_have_five_tabs_in_order_and_downloads(built):
    labels = [DISPLAY_NAMES[fw] for fw in BACKENDS]
    for name in bb.sections():
        html = _page(name)
        sets = html.split('class="sd-tab-set')[1:]
        if name != "index":
            assert len(sets) >= 3, f"{name}: expected several tab groups, found {len(sets)}"
        for s in sets:
            found = re.findall(r'<label[^>]*class="sd-tab-label"[^>]*data-sync-id="(\w+)"[^>]*>\s*([^<]+?)\s*</label>', s)
            assert [sid for sid, _ in found[:5]] == list(BACKENDS), f"{name}: tabs {found[:5]}"
            assert [text for _, text in found[:5]] == labels
        for fw in BACKENDS:
            m = re.search(r'href="([^"]*_downloads/[^"]*/%s\.ipynb)"' % name, html)
            assert m, f"{name}: no download link"
        links = re.findall(r'href="(\.\./_downloads/[^"]+\.ipynb)"', html)
        assert len(set(links)) == 5, f"{name}: expected 5 notebook links, got {links}"
        for link in links:
            assert os.path.exists(os.path.join(HTML, "book", link)), link


def test_adadelta_page_content(built):
    html = _page("adadelta")
    assert "mathjax" in html.lower()
    assert html.count("solution") >= 4 and "dropdown" in html       # collapsed answers
    assert "Traceback" not in html and "Warning" not in html
    text = re.sub(r"<[^>]+>", " ", html)
    assert len(re.findall(r"loss: \d\.\d{3}, \d+\.\d{3} sec/epoch", text)) >= 10
    refs = open(os.path.join(HTML, "book", "references.html")).read()
    for author in ("Zeiler", "Duchi", "Tieleman", "Kingma", "Zaheer"):
        assert author in refs


def test_warm_rebuild_executes_nothing(built):
    messages = []
    bb.execute_sections(bb.sections(), log=messages.append)
    assert messages[0].startswith("executing 0 notebooks"), messages[0]


# --- the source checks -------------------------------------------------------------------------

HEADER = "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n# T\n\n"


def _cells(*tags):
    return "".join(f"```{{code-cell}} python\n:tags: [{t}]\nx = 1\n```\n\n" for t in tags)


def _section(text):
    return jupytext.reads(HEADER + text, fmt="md:myst")


def test_check_accepts_a_complete_run():
    blocks = bb.runs(_section(_cells(*BACKENDS)), "t")
    assert [k for k, _ in blocks] == ["md", "tabs"]


def test_check_rejects_unknown_framework():
    with pytest.raises(bb.SectionError, match="unknown tag 'pytorch'"):
        bb.runs(_section(_cells("numpy", "pytorch", "tensorflow", "mxnet", "paddle")), "t")


def test_check_rejects_missing_framework():
    with pytest.raises(bb.SectionError, match="no cell for mxnet"):
        bb.runs(_section(_cells("numpy", "torch", "tensorflow", "paddle")), "t")


def test_cache_key_changes_only_with_content():
    nb = _section(_cells(*BACKENDS))
    digest = bb._sources_digest()
    a, _ = bb.derive(nb, "t", "torch")
    b, _ = bb.derive(nb, "t", "torch")
    assert bb.cache_key(a, "torch", digest) == bb.cache_key(b, "torch", digest)
    assert bb.cache_key(a, "torch", digest) != bb.cache_key(a, "torch", digest + "changed")
    b.cells[-1].source = "x = 2"
    assert bb.cache_key(a, "torch", digest) != bb.cache_key(b, "torch", digest)


def test_derived_notebook_holds_only_its_framework():
    nb = _section(_cells(*BACKENDS) + "```{code-cell} python\nshared = 1\n```\n")
    out, cell_map = bb.derive(nb, "t", "mxnet")
    code = [c for c in out.cells if c.cell_type == "code"]
    install, code = code[0], code[1:]          # first the cell that installs d2l_lite when it is missing
    assert install.metadata["tags"] == [readerpath.INSTALL_TAG] and out.cells.index(install) == 1
    assert len(code) == 2 and all("tags" not in c.metadata for c in code)


def test_kernel_cannot_import_another_framework():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy\ntry:\n    import torch\nexcept ImportError as e:\n"
                                          "    print('blocked:', e)")]
    out = bb.execute(nb, "paddle", cwd=ROOT)
    assert out.cells[0].outputs[0].text.startswith("blocked: No module named 'torch'")


def test_shared_cell_that_prints_differently_is_rejected():
    nb = _section("```{code-cell} python\nprint(1)\n```\n")
    executed = {}
    for i, fw in enumerate(BACKENDS):
        ex, cmap = bb.derive(nb, "t", fw)
        ex.cells[cmap[1]].outputs = [nbformat.v4.new_output("stream", name="stdout", text=str(i))]
        executed["t", fw] = (ex, cmap)
    with pytest.raises(bb.SectionError, match="shared but prints differently"):
        bb.render_page("t", nb, executed, page_dir=os.path.join(ROOT, "_build", "test-pages"))


def test_stderr_in_a_cell_fails_the_page():
    nb = _section(_cells(*BACKENDS))
    executed = {}
    for fw in BACKENDS:
        ex, cmap = bb.derive(nb, "t", fw)
        (own,) = cmap.values()
        ex.cells[own].outputs = [nbformat.v4.new_output("stream", name="stderr", text="W0000 noise")]
        executed["t", fw] = (ex, cmap)
    with pytest.raises(bb.SectionError, match="stderr"):
        bb.render_page("t", nb, executed, page_dir=os.path.join(ROOT, "_build", "test-pages"))


def test_table_placeholder_needs_every_framework():
    nb = _section("```{d2l-table} t1\n```\n")
    executed = {}
    for fw in BACKENDS[:-1]:
        ex, cmap = bb.derive(nb, "t", fw)
        ex.cells.append(nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output(
            "display_data", data={bb.ROW_MIME: {"table": "t1", "columns": ["a"], "values": ["1"]}})]))
        executed["t", fw] = (ex, cmap)
    executed["t", BACKENDS[-1]] = bb.derive(nb, "t", BACKENDS[-1])
    with pytest.raises(bb.SectionError, match="no row from paddle"):
        bb.render_page("t", nb, executed, page_dir=os.path.join(ROOT, "_build", "test-pages"))


def test_hide_input_puts_the_code_in_a_dropdown():
    nb = _section("```{code-cell} python\n:tags: [hide-input]\nprint(1)\n```\n")
    executed = {}
    for fw in BACKENDS:
        ex, cmap = bb.derive(nb, "t", fw)
        ex.cells[cmap[1]].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
        executed["t", fw] = (ex, cmap)
    page = bb.render_page("t", nb, executed, page_dir=os.path.join(ROOT, "_build", "test-pages"))
    code = page.index(":::{dropdown} Show code")
    assert code < page.index("print(1)") < page.index(":::\n", code + 5) < page.index("1\n```")


def test_build_reports_progress(built):
    head = next(line for line in built.stdout.splitlines() if line.startswith("executing "))
    todo = int(head.split()[1])
    progress = re.findall(r"\[(\d+)/(\d+), (\d+) s\] executed (\S+) \[(\w+)\] in [\d.]+ s; slowest so far: ", built.stdout)
    assert len(progress) == todo, "one progress line per executed notebook"
    if todo:
        assert [int(done) for done, *_ in progress] == list(range(1, todo + 1))
        assert all(int(total) == todo for _, total, *_ in progress)


def test_check_rejects_code_lines_wider_than_the_page():
    wide = "x = 1  # " + "y" * bb.CODE_COLUMNS
    nb = _section(f"```{{code-cell}} python\n{wide}\n```\n")
    with pytest.raises(bb.SectionError, match=f"longer than {bb.CODE_COLUMNS} characters.*cell 2 line 1"):
        bb.runs(nb, "t")
    for name in bb.sections():            # and no section of the book has one
        bb.runs(bb.read_section(name), name)


def test_per_framework_cell_shows_code_once_and_each_frameworks_output():
    nb = _section("```{code-cell} python\n:tags: [per-framework]\nprint(d2l.__name__)\n```\n")
    executed = {}
    for fw in BACKENDS:
        ex, cmap = bb.derive(nb, "t", fw)
        assert "tags" not in ex.cells[cmap[1]].metadata          # the notebook a reader downloads: a plain cell
        ex.cells[cmap[1]].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"d2l_lite.{fw}\n")]
        executed["t", fw] = (ex, cmap)
    page = bb.render_page("t", nb, executed, page_dir=os.path.join(ROOT, "_build", "test-pages"))
    assert page.count("print(d2l.__name__)") == 1
    assert page.count("tab-item}") == 5 and all(f"d2l_lite.{fw}\n" in page for fw in BACKENDS)
    assert page.index("print(d2l.__name__)") < page.index(":::::{tab-set}")

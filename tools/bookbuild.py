"""Build the book: one MyST notebook per section, executed once per framework, merged into tabs.

Source: ``book/<section>.md`` (MyST markdown notebooks, jupytext header). A code cell tagged
with a backend name (``numpy``, ``torch``, ``tensorflow``, ``mxnet``, ``paddle``) belongs to
that framework; an untagged code cell is shared. Consecutive framework cells form a *run*,
shown on the page as one tab group; every run must hold cells for all five frameworks.

Steps (``python tools/bookbuild.py build``):
1. check every section (unknown tags, incomplete runs);
2. derive each section's notebook per framework and execute it in a fresh kernel that can
   import only that framework, two at a time, cached by content;
3. write the merged pages (shared cells once, tab groups with each framework's outputs) and
   the downloadable notebooks into ``_build/site``, copy ``_config.yml``, ``_toc.yml`` and
   ``references.bib`` there, and run ``jupyter-book build`` with warnings as errors.

Other commands: ``check``; ``exec SECTION FRAMEWORK`` (execute one, print its outputs).
"""
import argparse
import base64
import concurrent.futures
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from d2l_lite import BACKENDS, DISPLAY_NAMES  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import i18n  # noqa: E402
import readerpath  # noqa: E402

BOOK = os.path.join(ROOT, "book")
BUILD = os.path.join(ROOT, "_build")
SITE = os.path.join(BUILD, "site")
CACHE = os.path.join(BUILD, "exec_cache")
# NumPy reference runs that several framework notebooks of one build repeat run once (d2l_lite/_memo.py);
# emptied before every execution, so nothing carries over from one build to the next
RUN_CACHE = os.path.join(BUILD, "run_cache")
NOTEBOOKS = os.path.join(BUILD, "notebooks")
# Tags that are not frameworks but are allowed (Jupyter Book's cell tags).
# A shared cell tagged ``per-framework`` has the same code in every framework but outputs that may differ
# (timings, figures, a framework's own numbers): its code is shown once, its outputs in framework tabs.
PER_FRAMEWORK = "per-framework"
OTHER_TAGS = {"hide-input", "hide-output", "hide-cell", "remove-input", "remove-output", "remove-cell",
              "raises-exception", PER_FRAMEWORK}
CELL_TIMEOUT = 600          # seconds, per cell
# The longest code line a page shows without horizontal scrolling: the code column of book/_static/d2l.css
# at the default desktop width (tests/test_browser.py checks it in Chromium). Longer lines fail the build.
CODE_COLUMNS = 118
EXECUTOR_VERSION = "1"      # bump to invalidate every cached execution


class SectionError(ValueError):
    """A section's source breaks the book's rules."""


# --- reading and checking sections ---------------------------------------------------------------

def sections():
    """The sections in the order of ``_toc.yml`` (every ``book/*.md`` that is a notebook)."""
    import yaml
    with open(os.path.join(ROOT, "_toc.yml")) as f:
        toc = yaml.safe_load(f)
    files = [toc["root"]]
    for part in toc.get("parts", []) + [toc]:
        for ch in part.get("chapters", []):
            files.append(ch["file"])
    names = []
    for f in files:
        name = os.path.basename(f)
        if is_notebook(os.path.join(BOOK, name + ".md")) and name not in names:
            names.append(name)
    return names


def is_notebook(path):
    with open(path) as f:
        head = f.read(400)
    return head.startswith("---") and "jupytext" in head


def read_section(name):
    import jupytext
    return jupytext.read(os.path.join(BOOK, name + ".md"))


def framework_of(cell, where):
    """The framework a code cell belongs to, or None for a shared cell."""
    tags = cell.get("metadata", {}).get("tags", [])
    unknown = [t for t in tags if t not in BACKENDS and t not in OTHER_TAGS]
    if unknown:
        raise SectionError(f"{where}: unknown tag {unknown[0]!r}; framework tags are "
                           f"{', '.join(BACKENDS)} and other allowed tags are {', '.join(sorted(OTHER_TAGS))}")
    fws = [t for t in tags if t in BACKENDS]
    if len(fws) > 1:
        raise SectionError(f"{where}: a cell can belong to one framework only, got {fws}")
    return fws[0] if fws else None


def runs(nb, name):
    """Split the cells into blocks: ``("md", i)``, ``("shared", i)`` or ``("tabs", {fw: [i, ...]})``."""
    blocks, current = [], None
    for i, cell in enumerate(nb.cells):
        where = f"book/{name}.md, cell {i + 1}"
        fw = framework_of(cell, where) if cell.cell_type == "code" else None
        if fw is None:
            if current is not None:
                blocks.append(("tabs", current))
                current = None
            blocks.append(("shared" if cell.cell_type == "code" else "md", i))
        else:
            current = current or {"start": i}
            current.setdefault(fw, []).append(i)
    if current is not None:
        blocks.append(("tabs", current))
    too_long = [(i, k, len(line)) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
                for k, line in enumerate(cell.source.splitlines(), 1) if len(line) > CODE_COLUMNS]
    if too_long:
        raise SectionError(f"book/{name}.md: {len(too_long)} code line(s) longer than {CODE_COLUMNS} characters, "
                           f"which the page would show with a horizontal scroll bar; wrap them: "
                           + ", ".join(f"cell {i + 1} line {k} ({n} chars)" for i, k, n in too_long[:8])
                           + (" ..." if len(too_long) > 8 else ""))
    for kind, block in blocks:
        if kind == "tabs":
            missing = [fw for fw in BACKENDS if fw not in block]
            if missing:
                raise SectionError(f"book/{name}.md: the framework cells starting at cell {block['start'] + 1} "
                                   f"have no cell for {', '.join(missing)}; every run of framework cells "
                                   f"needs one cell (or more) for each of {', '.join(BACKENDS)}")
    return blocks


# --- one notebook per framework ------------------------------------------------------------------

def derive(nb, name, fw, lang="en"):
    """The notebook a reader of ``fw`` downloads: shared cells and ``fw``'s cells, in order (``lang``: the
    language of its opening note, "en" or "zh")."""
    import nbformat
    out = nbformat.v4.new_notebook()
    out.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                    "language_info": {"name": "python"}, "d2l_lite": {"section": name, "framework": fw}}
    title = next((c.source.lstrip("# ").splitlines()[0] for c in nb.cells
                  if c.cell_type == "markdown" and c.source.lstrip().startswith("# ")), name)
    needs = "NumPy and matplotlib" if fw == "numpy" else f"{DISPLAY_NAMES[fw]}, NumPy and matplotlib"
    if lang == "zh":
        needs = "NumPy 和 matplotlib" if fw == "numpy" else f"{DISPLAY_NAMES[fw]}、NumPy 和 matplotlib"
        intro = (f"*这是《{i18n.TITLE}》中\u201c{title}\u201d一节的 {DISPLAY_NAMES[fw]} 笔记本。运行它需要 Jupyter、"
                 f"{needs}；下一个代码单元在缺少本书的辅助包 `d2l_lite` 时从本书网站安装它，否则什么也不做。*")
    else:
        intro = (f"*This is the {DISPLAY_NAMES[fw]} notebook of the section \u201c{title}\u201d of* Deep-Learning "
                 f"Optimizers, Derived and Run. *It needs Jupyter, {needs}; the next cell installs the book's "
                 f"helper package `d2l_lite` from the book's site if it is missing, and does nothing otherwise.*")
    out.cells.append(nbformat.v4.new_markdown_cell(intro))
    out.cells.append(readerpath.install_cell())
    cell_map = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and framework_of(cell, name) not in (None, fw):
            continue
        c = copy.deepcopy(cell)
        if c.cell_type == "code":
            tags = [t for t in c.metadata.get("tags", []) if t not in BACKENDS and t != PER_FRAMEWORK]
            c.metadata = {"tags": tags} if tags else {}
            c.outputs, c.execution_count = [], None
            cell_map[i] = len(out.cells)
        c["id"] = f"cell-{len(out.cells)}"
        out.cells.append(c)
    out.cells[0]["id"] = "cell-0"
    return out, cell_map


def _sources_digest():
    h = hashlib.sha256(EXECUTOR_VERSION.encode())
    pkg = os.path.join(ROOT, "d2l_lite")
    for path in sorted(os.path.join(d, f) for d, _, fs in os.walk(pkg) for f in fs
                       if not f.endswith(".pyc")):
        with open(path, "rb") as f:
            h.update(os.path.relpath(path, ROOT).encode() + f.read())
    for extra in ("requirements.txt", "tools/only_framework/sitecustomize.py"):
        p = os.path.join(ROOT, extra)
        if os.path.exists(p):
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def cache_key(nb_fw, fw, sources_digest):
    cells = [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in nb_fw.cells]
    return hashlib.sha256(json.dumps([fw, cells, sources_digest]).encode()).hexdigest()[:20]


def execute(nb_fw, fw, cwd=BOOK):
    """Run a notebook top to bottom in a fresh kernel that can import ``fw`` and no other framework."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    env = dict(os.environ, D2L_ONLY_FRAMEWORK=fw, PYTHONHASHSEED="0", MPLBACKEND="module://matplotlib_inline.backend_inline",
               PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "tools", "only_framework"), ROOT]),
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", D2L_LITE_RUN_CACHE=RUN_CACHE)
    nb = copy.deepcopy(nb_fw)
    with tempfile.TemporaryDirectory(prefix="d2l-kernel-") as tmp:
        # IPC sockets in a private folder: no network ports, no "running over TCP" warning
        km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(tmp, "kernel"))
        client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
                                resources={"metadata": {"path": cwd}})
        # the kernel process's own log lines (start-up, shutdown) go to a file, not the build's output;
        # everything a cell prints, at the Python or the C level, is captured in the notebook
        os.makedirs(os.path.join(BUILD, "kernel-logs"), exist_ok=True)
        log = os.path.join(BUILD, "kernel-logs", f"{nb.metadata.get('d2l_lite', {}).get('section', 'nb')}-{fw}.log")
        with open(log, "w") as stderr:
            client.execute(env=env, stderr=stderr)
    return nb


def _execute_job(args):
    name, fw, nb_json, path = args
    import nbformat
    t = time.perf_counter()
    nb = execute(nbformat.reads(nb_json, as_version=4), fw)
    tmp = path + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    return name, fw, time.perf_counter() - t


def execute_sections(names, jobs=2, log=lambda message: print(message, flush=True)):
    """Execute every (section, framework) that is not cached; return {(name, fw): (nb, cell_map)}."""
    import nbformat
    digest = _sources_digest()
    todo, result = [], {}
    for name in names:
        nb = read_section(name)
        runs(nb, name)
        os.makedirs(os.path.join(CACHE, name), exist_ok=True)
        for fw in BACKENDS:
            nb_fw, cell_map = derive(nb, name, fw)
            path = os.path.join(CACHE, name, f"{fw}-{cache_key(nb_fw, fw, digest)}.ipynb")
            result[name, fw] = (path, cell_map)
            if not os.path.exists(path):
                todo.append((name, fw, nbformat.writes(nb_fw), path))
    log(f"executing {len(todo)} notebooks ({len(result) - len(todo)} cached), {jobs} at a time")
    shutil.rmtree(RUN_CACHE, ignore_errors=True)
    # the NumPy notebooks first: they are the fastest, and they fill the run cache for the other four
    todo.sort(key=lambda job: job[1] != "numpy")
    failures, start, slowest = [], time.perf_counter(), (0.0, "")
    if todo:
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_execute_job, job): job for job in todo}
            for done, fut in enumerate(concurrent.futures.as_completed(futures), 1):
                name, fw = futures[fut][:2]
                try:
                    seconds = fut.result()[2]
                    slowest = max(slowest, (seconds, f"{name} [{fw}]"))
                    what = f"{name} [{fw}] in {seconds:.1f} s"
                except Exception as e:      # report every failure, then stop the build
                    failures.append(f"{name} [{fw}]: {type(e).__name__}: {e}")
                    what = f"{name} [{fw}] FAILED"
                log(f"  [{done}/{len(todo)}, {time.perf_counter() - start:.0f} s] executed {what}; "
                    f"slowest so far: {slowest[1]} in {slowest[0]:.1f} s")
    if failures:
        raise RuntimeError("notebook execution failed:\n" + "\n".join(failures))
    # drop stale cache entries
    keep = {p for p, _ in result.values()}
    for name in names:
        for f in os.listdir(os.path.join(CACHE, name)):
            if os.path.join(CACHE, name, f) not in keep:
                os.remove(os.path.join(CACHE, name, f))
    return {k: (nbformat.read(p, as_version=4), m) for k, (p, m) in result.items()}


# --- merged pages ----------------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _fence(text, minimum=3):
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=0)
    return "`" * max(minimum, longest + 1)


def _code_block(source, lang="python", cls="d2l-input"):
    f = _fence(source)
    return f"{f}{{code-block}} {lang}\n:class: {cls}\n{source.rstrip()}\n{f}\n"


class _Outputs:
    """Turns a code cell's outputs into MyST, writing images next to the page."""

    def __init__(self, name, page_dir):
        self.name, self.page_dir, self.count, self.scripts_done = name, page_dir, 0, False

    def render(self, cell, fw, tags=()):
        if "remove-output" in tags:
            return ""
        parts, stream = [], []

        def flush():
            if stream:
                text = _ANSI.sub("", "".join(stream))
                parts.append(_code_block(text, "none", "d2l-output"))
                stream.clear()
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                if out.name == "stderr":
                    raise SectionError(f"{self.name} [{fw}]: a cell wrote to stderr (warnings or log noise "
                                       f"belong silenced at the source):\n{out.text}")
                stream.append(out.text)
                continue
            flush()
            if out.output_type == "error":
                raise SectionError(f"{self.name} [{fw}]: a cell raised {out.ename}: {out.evalue}")
            data = out.get("data", {})
            if EXPLORER_MIME in data:
                parts.append(self.explorer(data, fw))
            elif "image/png" in data:
                parts.append(self.image(data, fw, "output figure", "d2l-figure"))
            elif "text/markdown" in data:
                parts.append(data["text/markdown"].rstrip() + "\n")
            elif "text/html" in data:
                parts.append(f"```{{raw}} html\n{data['text/html'].rstrip()}\n```\n")
            elif "text/plain" in data:
                stream.append(data["text/plain"].rstrip("\n") + "\n")
        flush()
        return "\n".join(parts)

    def image(self, data, fw, alt, cls):
        """The output's PNG, written next to the page, as a MyST image."""
        self.count += 1
        fname = f"{self.name}-{fw}-{self.count}.png"
        os.makedirs(os.path.join(self.page_dir, "_images_out"), exist_ok=True)
        with open(os.path.join(self.page_dir, "_images_out", fname), "wb") as f:
            f.write(base64.b64decode(data["image/png"]))
        return f"```{{image}} _images_out/{fname}\n:alt: {alt}\n:class: {cls}\n```\n"

    def explorer(self, data, fw):
        """An interactive figure (plotly, drawn by _static/d2l-explorer.js) followed by its static picture,
        which the script hides once the figure is drawn: readers without JavaScript see the picture."""
        payload = json.dumps(data[EXPLORER_MIME], separators=(",", ":")).replace("</", "<\\/")
        scripts = ""
        if not self.scripts_done:       # once per page
            scripts = ('<script src="../_static/plotly.min.js"></script>\n'
                       '<script defer src="../_static/d2l-explorer.js"></script>\n')
            self.scripts_done = True
        html = (f'{scripts}<div class="d2l-explorer">\n<div class="d2l-explorer-controls"></div>\n'
                f'<div class="d2l-explorer-plot"></div>\n'
                f'<script type="application/json" class="d2l-explorer-data">{payload}</script>\n</div>')
        return (f"```{{raw}} html\n{html}\n```\n\n"
                + self.image(data, fw, "static picture of the interactive figure", "d2l-figure d2l-explorer-static"))


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _cell_md(cell, executed, fw, outputs):
    tags = _tags(cell)
    if "remove-cell" in tags:
        return ""
    text = "" if "remove-input" in tags else _code_block(cell.source)
    out = outputs.render(executed, fw, tags)
    if "hide-input" in tags or "hide-cell" in tags:
        text = _dropdown("Show code", text)
    if ("hide-output" in tags or "hide-cell" in tags) and out.strip():
        out = _dropdown("Show output", out)
    return text + "\n" + out


def _dropdown(title, body):
    return f":::{{dropdown}} {title}\n:class: d2l-hidden\n\n{body}\n:::\n"


_TABLE = re.compile(r"^```\{d2l-table\}[ \t]+(\S+)[ \t]*\n```[ \t]*$", re.M)
ROW_MIME = "application/vnd.d2l-lite.row+json"
EXPLORER_MIME = "application/vnd.d2l-lite.explorer+json"     # d2l_lite._explore


def collect_rows(name, executed):
    """Rows shown with ``d2l.table_row`` in each framework's notebook: {table: {fw: (columns, values)}}."""
    rows = {}
    for fw in BACKENDS:
        for cell in executed[name, fw][0].cells:
            for out in cell.get("outputs", []):
                payload = out.get("data", {}).get(ROW_MIME)
                if payload:
                    rows.setdefault(payload["table"], {})[fw] = (payload["columns"], payload["values"])
    return rows


def merged_table(name, table, rows):
    got = rows.get(table, {})
    missing = [fw for fw in BACKENDS if fw not in got]
    if missing:
        raise SectionError(f"book/{name}.md: table {table!r} has no row from {', '.join(missing)} "
                           "(each framework's notebook must call d2l.table_row with it)")
    columns = got[BACKENDS[0]][0]
    for fw in BACKENDS:
        if got[fw][0] != columns:
            raise SectionError(f"book/{name}.md: table {table!r}: {fw}'s row has columns {got[fw][0]}, "
                               f"{BACKENDS[0]}'s has {columns}")
    lines = ["| framework | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {DISPLAY_NAMES[fw]} | " + " | ".join(got[fw][1]) + " |" for fw in BACKENDS]
    return "\n".join(lines)


def render_page(name, nb, executed, page_dir=os.path.join(SITE, "book"), lang="en"):
    """MyST markdown for the merged page of section ``name`` (``nb``: its English or Chinese source, whose
    cells match; ``executed``: the English notebooks, whose outputs both editions show)."""
    blocks = runs(nb, name)
    outputs = _Outputs(name, page_dir)
    rows = collect_rows(name, executed)
    md, downloads_done = [], False
    for kind, block in blocks:
        if kind == "md":
            cell = nb.cells[block]
            text = _TABLE.sub(lambda m: merged_table(name, m.group(1), rows), cell.source).rstrip() + "\n"
            title = None if downloads_done else re.search(r"^# .*$", text, re.M)
            if title:       # the language switch and the download links go right under the section's title
                text = (text[:title.end()] + "\n\n" + language_switch(name, lang) + "\n" + _downloads(name, lang)
                        + text[title.end():])
                downloads_done = True
            md.append(text)
        elif kind == "shared" and PER_FRAMEWORK in _tags(nb.cells[block]):
            cell = nb.cells[block]
            code = "" if "remove-input" in _tags(cell) else _code_block(cell.source)
            if "hide-input" in _tags(cell) or "hide-cell" in _tags(cell):
                code = _dropdown("Show code", code)
            bodies = {}
            for fw in BACKENDS:
                ex_nb, cmap = executed[name, fw]
                bodies[fw] = outputs.render(ex_nb.cells[cmap[block]], fw, _tags(cell)) or "*(no output)*\n"
            md.append(code + "\n" + _tab_set(bodies, "d2l-tabs d2l-output-tabs"))
        elif kind == "shared":
            cell = nb.cells[block]
            texts = {}
            for fw in BACKENDS:
                ex_nb, cmap = executed[name, fw]
                ex = ex_nb.cells[cmap[block]]
                texts[fw] = "".join(o.get("text", o.get("data", {}).get("text/plain", "")) for o in ex.outputs)
            first = BACKENDS[0]
            differ = [fw for fw in BACKENDS if texts[fw] != texts[first]]
            if differ:
                raise SectionError(f"book/{name}.md, cell {block + 1} is shared but prints differently in "
                                   f"{', '.join(differ)} than in {first}: if its outputs are meant to differ "
                                   f"(timings, figures, a framework's own numbers), tag it {PER_FRAMEWORK!r}; "
                                   f"if its code must differ, write one cell per framework")
            ex_nb, cmap = executed[name, first]
            md.append(_cell_md(cell, ex_nb.cells[cmap[block]], first, outputs))
        else:
            bodies = {}
            for fw in BACKENDS:
                ex_nb, cmap = executed[name, fw]
                bodies[fw] = "\n".join(_cell_md(nb.cells[i], ex_nb.cells[cmap[i]], fw, outputs) for i in block[fw])
            md.append(_tab_set(bodies, "d2l-tabs"))
    if not downloads_done:
        raise SectionError(f"book/{name}.md has no level-1 title (a line starting with '# ')")
    return "\n".join(md)


def _tab_set(bodies, cls):
    """One synced tab group: a tab per framework, in the book's order."""
    items = [f"::::{{tab-item}} {DISPLAY_NAMES[fw]}\n:sync: {fw}\n\n{bodies[fw]}\n::::\n" for fw in BACKENDS]
    return f":::::{{tab-set}}\n:sync-group: framework\n:class: {cls}\n\n" + "\n".join(items) + ":::::\n"


def _downloads(name, lang="en"):
    links = " \u00b7 ".join(f"{{download}}`{DISPLAY_NAMES[fw]} <../notebooks/{fw}/{name}.ipynb>`"
                            for fw in BACKENDS)
    title, lead = (("亲自运行本节", "下载本节的笔记本：") if lang == "zh"
                   else ("Run this section yourself", "Download its notebook: "))
    return f"```{{admonition}} {title}\n:class: tip d2l-downloads\n{lead}{links}\n```\n"


def language_switch(name, lang="en"):
    """A link to the same page in the other edition (English pages at book/, Chinese ones at zh/book/)."""
    href, label, code = ((f"../../book/{name}.html", "English", "en") if lang == "zh"
                         else (f"../zh/book/{name}.html", "简体中文", "zh-CN"))
    return (f"```{{raw}} html\n<p class=\"d2l-lang\"><a class=\"d2l-lang-link\" href=\"{href}\" hreflang=\"{code}\" "
            f"lang=\"{code}\">{label}</a></p>\n```\n")


def with_language_switch(name, text, lang="en"):
    """A plain (not notebook) page's text with the language switch under its title."""
    title = re.search(r"^# .*$", text, re.M)
    if not title:
        raise SectionError(f"book/{name}.md has no level-1 title (a line starting with '# ')")
    return text[:title.end()] + "\n\n" + language_switch(name, lang) + text[title.end():]


def write_site(names, executed):
    import nbformat
    if os.path.exists(SITE):
        shutil.rmtree(SITE)
    os.makedirs(os.path.join(SITE, "book"))
    for f in ("_config.yml", "_toc.yml", "references.bib"):
        shutil.copy(os.path.join(ROOT, f), os.path.join(SITE, f))
    for entry in os.listdir(BOOK):
        src = os.path.join(BOOK, entry)
        if os.path.isdir(src):
            if entry != "zh":                     # the Chinese edition is a site of its own (tools/site_zh.py)
                shutil.copytree(src, os.path.join(SITE, "book", entry))
        elif entry.endswith(".md") and entry[:-3] not in names:      # a plain page: notation, references
            with open(src) as f:
                text = f.read()
            with open(os.path.join(SITE, "book", entry), "w") as f:
                f.write(with_language_switch(entry[:-3], text))
        elif not entry.endswith(".md"):
            shutil.copy(src, os.path.join(SITE, "book", entry))
    # plotly.js for the interactive figures, from the pinned plotly package: bundled, so it works offline
    import plotly
    shutil.copy(os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js"),
                os.path.join(SITE, "book", "_static", "plotly.min.js"))
    # d2l_lite's wheel, published at the site's root (html_extra_path), and the notebooks that install it
    readerpath.build_wheel(os.path.join(SITE, "_extra", "wheels"))
    url = readerpath.wheel_url()
    for name in names:
        nb = read_section(name)
        with open(os.path.join(SITE, "book", name + ".md"), "w") as f:
            f.write(render_page(name, nb, executed))
        for fw in BACKENDS:
            ex_nb = readerpath.publish_notebook(executed[name, fw][0], url)
            for d in (os.path.join(SITE, "notebooks", fw), os.path.join(NOTEBOOKS, fw)):
                os.makedirs(d, exist_ok=True)
                nbformat.write(ex_nb, os.path.join(d, name + ".ipynb"))


def jupyter_book_build():
    cmd = [os.path.join(os.path.dirname(sys.executable), "jupyter-book"), "build", SITE,
           "--path-output", ROOT, "--all", "--warningiserror", "--keep-going", "--quiet"]
    subprocess.run(cmd, check=True)


def build(names=None, jobs=2):
    t = time.perf_counter()
    names = names or sections()
    i18n.check()                    # the Chinese edition in sync, before anything runs
    executed = execute_sections(names, jobs=jobs)
    write_site(names, executed)
    jupyter_book_build()
    import site_zh
    site_zh.build(sys.modules[__name__], names, executed)
    print(f"book built in {time.perf_counter() - t:.1f} s: {os.path.join(BUILD, 'html', 'index.html')}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="execute (cached) and build the HTML book")
    b.add_argument("--jobs", type=int, default=2)
    sub.add_parser("check", help="check every section's cells and tags")
    pg = sub.add_parser("page", help="execute one section in all frameworks (cached) and write its merged "
                                     "page to _build/pages/SECTION.md, without building the HTML")
    pg.add_argument("section")
    pg.add_argument("--jobs", type=int, default=1)
    e = sub.add_parser("exec", help="execute one section for one framework and print its outputs")
    e.add_argument("section")
    e.add_argument("framework", choices=BACKENDS)
    a = p.parse_args(argv)
    if a.cmd == "build":
        build(jobs=a.jobs)
    elif a.cmd == "check":
        for name in sections():
            runs(read_section(name), name)
        i18n.check()
        print(f"{len(sections())} sections checked")
    elif a.cmd == "page":
        executed = execute_sections([a.section], jobs=a.jobs)
        os.makedirs(os.path.join(BUILD, "pages"), exist_ok=True)
        out = os.path.join(BUILD, "pages", a.section + ".md")
        with open(out, "w") as f:
            f.write(render_page(a.section, read_section(a.section), executed, os.path.join(BUILD, "pages")))
        print(f"wrote {out}")
    else:
        nb_fw, _ = derive(read_section(a.section), a.section, a.framework)
        ex = execute(nb_fw, a.framework)
        for i, cell in enumerate(ex.cells):
            if cell.cell_type != "code":
                continue
            print(f"--- cell {i}: {cell.source.splitlines()[0] if cell.source else ''}")
            for out in cell.outputs:
                if out.output_type == "stream":
                    print(("[stderr] " if out.name == "stderr" else "") + out.text, end="")
                elif "text/markdown" in out.get("data", {}):
                    print(out["data"]["text/markdown"])
                elif "text/plain" in out.get("data", {}):
                    print(out["data"]["text/plain"] + (" [+ image]" if "image/png" in out["data"] else ""))


if __name__ == "__main__":
    main()

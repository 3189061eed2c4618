"""The Chinese edition's site: _build/html/zh/, from book/zh/ and the English executions (tools/i18n.py).

Nothing is executed for it. Each Chinese page is merged from its Chinese markdown and the outputs of the
English notebooks, cell by cell (tools/i18n.py guarantees that the cells match and that the code is the
same), so both editions show the same numbers. Its downloadable notebooks are the English executed notebooks
with the Chinese markdown. Jupyter Book builds it as a second book (its own table of contents, in Chinese,
Sphinx's language zh_CN), copied into _build/html/zh/; the language switch under every title links the same
page of the other edition, and the framework tab a reader picked stays picked (both editions share one origin
and sphinx-design's stored choice).
"""
import copy
import os
import shutil
import subprocess
import sys

import i18n
import readerpath


def _strip(nb):
    """The Chinese notebook without its '<!-- en:... -->' lines (they only serve the sync check)."""
    nb = copy.deepcopy(nb)
    for c in nb.cells:
        if c.cell_type == "markdown":
            c.source = i18n.strip_mark(c.source)[0]
    return nb


def _config(site):
    import yaml
    with open(os.path.join(i18n.ROOT, "_config.yml")) as f:
        config = yaml.safe_load(f)
    config["title"] = i18n.TITLE
    config["html"]["baseurl"] = readerpath.site_url() + "zh/"
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["language"] = "zh_CN"
    sphinx.pop("html_extra_path", None)             # the wheel is published once, by the English site
    with open(os.path.join(site, "_config.yml"), "w") as f:
        yaml.safe_dump(config, f, allow_unicode=True, sort_keys=False)
    with open(os.path.join(i18n.ROOT, "_toc.yml")) as f:
        toc = yaml.safe_load(f)
    for part in toc.get("parts", []):
        part["caption"] = i18n.CAPTIONS[part["caption"]]
    with open(os.path.join(site, "_toc.yml"), "w") as f:
        yaml.safe_dump(toc, f, allow_unicode=True, sort_keys=False)


def zh_notebook(bb, name, fw, zh_nb, executed_nb):
    """The Chinese notebook of ``name`` for ``fw``: Chinese markdown, the English notebook's code and outputs."""
    out, _ = bb.derive(zh_nb, name, fw, lang="zh")
    if len(out.cells) != len(executed_nb.cells):
        raise i18n.TranslationError(f"book/zh/{name}.md: its {fw} notebook has {len(out.cells)} cells, the "
                                    f"English one {len(executed_nb.cells)}")
    for zc, ec in zip(out.cells, executed_nb.cells):
        if zc.cell_type == "code":
            if zc.source != ec.source:
                raise i18n.TranslationError(f"book/zh/{name}.md: a code cell differs from the English one")
            zc.outputs, zc.execution_count = ec.outputs, ec.execution_count
            zc.metadata = ec.metadata
    out.metadata = executed_nb.metadata
    return out


def build(bb, names, executed):
    import nbformat
    site = os.path.join(bb.BUILD, "site-zh")
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(os.path.join(site, "book"))
    _config(site)
    shutil.copy(os.path.join(i18n.ROOT, "references.bib"), site)
    shutil.copytree(os.path.join(bb.SITE, "book", "_static"), os.path.join(site, "book", "_static"))
    url = readerpath.wheel_url()
    for name in i18n.pages():
        path = i18n.zh_path(name)
        if name not in names:                       # a plain page
            with open(path) as f:
                text = i18n.strip_mark(f.read())[0]
            with open(os.path.join(site, "book", name + ".md"), "w") as f:
                f.write(bb.with_language_switch(name, text, lang="zh"))
            continue
        import jupytext
        zh_nb = _strip(jupytext.read(path))
        with open(os.path.join(site, "book", name + ".md"), "w") as f:
            f.write(bb.render_page(name, zh_nb, executed, page_dir=os.path.join(site, "book"), lang="zh"))
        for fw in bb.BACKENDS:
            nb = readerpath.publish_notebook(zh_notebook(bb, name, fw, zh_nb, executed[name, fw][0]), url)
            for d in (os.path.join(site, "notebooks", fw), os.path.join(bb.NOTEBOOKS, "zh", fw)):
                os.makedirs(d, exist_ok=True)
                nbformat.write(nb, os.path.join(d, name + ".ipynb"))
    out = os.path.join(bb.BUILD, "zh-build")
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "jupyter-book"), "build", site,
                    "--path-output", out, "--all", "--warningiserror", "--keep-going", "--quiet"], check=True)
    html = os.path.join(bb.BUILD, "html", "zh")
    if os.path.exists(html):
        shutil.rmtree(html)
    shutil.copytree(os.path.join(out, "_build", "html"), html)

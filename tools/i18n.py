"""The Chinese edition (简体中文): parallel MyST sources in ``book/zh/``, kept in sync with the English by the build.

Why parallel sources and not gettext catalogs: a section is a notebook whose code cells are executed and whose
outputs are merged into framework tabs by tools/bookbuild.py, not by Sphinx. A ``book/zh/<name>.md`` holds the
same cells in the same order as ``book/<name>.md``; its code cells are byte-identical to the English ones (so the
code runs once and both editions show the same outputs), and its markdown cells are translations. Each
translated markdown cell starts with the line ``<!-- en:<hash> -->``, the hash of the English cell it
translates. A reviewer reads a whole Chinese page as one text (a .po file would cut it into fragments), and the
build checks every cell:

* the cells match the English ones in number, kind and order, and every code cell is identical (code, comments,
  tags);
* every markdown cell carries the hash of the current English cell: an English cell edited after its
  translation fails the build, naming the section and the cell, until the translation and its hash are updated
  (``python tools/i18n.py stale NAME`` lists them, ``python tools/i18n.py rehash NAME`` records the new hashes
  once the translation is updated);
* a cell with English prose must contain Chinese text (an untranslated cell fails too).

Pages that are not notebooks (the notation table, the references) are one cell each.
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOK = os.path.join(ROOT, "book")
ZH = os.path.join(BOOK, "zh")
MARK = re.compile(r"\A<!-- en:([0-9a-f]{12}) -->\n?")
CJK = re.compile(r"[\u3400-\u9fff]")

# The table of contents' captions and the download box, in Chinese.
CAPTIONS = {"Foundations": "基础", "Algorithms": "算法", "Practice on a network": "在神经网络上实践",
            "Appendix": "附录"}
TITLE = "深度学习优化器：推导与实现"


class TranslationError(ValueError):
    """The Chinese edition is out of sync with the English one."""


def cell_hash(source):
    return hashlib.sha1(source.strip().encode()).hexdigest()[:12]


def zh_path(name):
    return os.path.join(ZH, name + ".md")


def _is_notebook(path):
    with open(path) as f:
        head = f.read(400)
    return head.startswith("---") and "jupytext" in head


def read(path):
    """The cells of a page as ``[(kind, source, tags)]``; a page that is not a notebook is one markdown cell."""
    if _is_notebook(path):
        import jupytext
        nb = jupytext.read(path)
        return [(c.cell_type, c.source, tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]
    with open(path) as f:
        return [("markdown", f.read(), ())]


def strip_mark(source):
    """A translated cell's text without its hash line, and the hash (None if there is none)."""
    m = MARK.match(source)
    return (source[m.end():], m.group(1)) if m else (source, None)


_NOT_PROSE = [re.compile(r"^\s*(```|:::|:[a-z-]+:).*$", re.M), re.compile(r"^\(.*?\)=\s*$", re.M),
              re.compile(r"\$\$.*?\$\$", re.S), re.compile(r"<!--.*?-->", re.S),
              re.compile(r"\{[a-z0-9:-]+\}`[^`]*`"), re.compile(r"`[^`\n]*`"), re.compile(r"\$[^$\n]+\$"),
              re.compile(r"\]\([^)]*\)"), re.compile(r"https?://\S+")]


def has_prose(source):
    """Whether a markdown cell holds English prose (words outside math, code, roles, directives and labels)."""
    text = source
    for pat in _NOT_PROSE:
        text = pat.sub(" ", text)
    return len(re.findall(r"[A-Za-z]{3,}", text)) >= 3


_STRUCTURE = re.compile(r"^\s*(```.*|:::.*|:label:.*|\(.+\)=)\s*$", re.M)


def _structure(source):
    """The lines that make a cell's MyST structure: fences and directive names, labels."""
    return [m.group(1).strip() for m in _STRUCTURE.finditer(source)]


def problems(name, en_cells, zh_cells):
    """Every way the Chinese cells of section ``name`` are out of sync with the English ones, as messages."""
    where = f"book/zh/{name}.md"
    if len(en_cells) != len(zh_cells) or [k for k, *_ in en_cells] != [k for k, *_ in zh_cells]:
        return [f"{where}: its cells do not match book/{name}.md ({len(zh_cells)} cells against "
                f"{len(en_cells)}, kinds {''.join(k[0] for k, *_ in zh_cells)} against "
                f"{''.join(k[0] for k, *_ in en_cells)}); keep the English cells' order, one translation per cell"]
    out = []
    for i, ((kind, en, en_tags), (_, zh, zh_tags)) in enumerate(zip(en_cells, zh_cells), 1):
        first = " ".join(en.split())[:70]
        if kind == "code":
            if (en, en_tags) != (zh, zh_tags):
                out.append(f"{where}, cell {i}: the code differs from the English cell ({first!r}); "
                           "code cells are shared: copy the English one")
            continue
        text, h = strip_mark(zh)
        if h is None:
            out.append(f"{where}, cell {i}: no '<!-- en:... -->' line naming the English cell it translates "
                       f"({first!r})")
        elif h != cell_hash(en):
            out.append(f"{where}, cell {i}: the English cell changed since it was translated; update the "
                       f"translation of the paragraph starting {first!r}, then its hash (tools/i18n.py rehash)")
        if _structure(en) != _structure(text):
            out.append(f"{where}, cell {i}: its directive, fence and label lines differ from the English cell's "
                       f"({first!r}); keep every ``` / ::: fence, :label: and (label)= line as it is")
        if has_prose(en) and not CJK.search(text):
            out.append(f"{where}, cell {i}: not translated (no Chinese text); the English starts {first!r}")
    return out


def pages():
    """Every page of the book: the notebooks of _toc.yml and the plain pages."""
    import yaml
    with open(os.path.join(ROOT, "_toc.yml")) as f:
        toc = yaml.safe_load(f)
    files = [toc["root"]] + [ch["file"] for part in toc.get("parts", []) for ch in part.get("chapters", [])]
    return [os.path.basename(f) for f in files]


def check(names=None):
    """Raise TranslationError listing every out-of-sync cell of every page (all of them, not just the first)."""
    found = []
    for name in names or pages():
        if not os.path.exists(zh_path(name)):
            found.append(f"book/zh/{name}.md is missing: every page of book/ needs its Chinese edition")
            continue
        found += problems(name, read(os.path.join(BOOK, name + ".md")), read(zh_path(name)))
    if found:
        raise TranslationError(f"the Chinese edition is out of sync ({len(found)} problems):\n  "
                               + "\n  ".join(found))


def skeleton(name):
    """Write book/zh/NAME.md: the English page with each markdown cell marked with its hash, to translate."""
    src = os.path.join(BOOK, name + ".md")
    os.makedirs(ZH, exist_ok=True)
    if _is_notebook(src):
        import jupytext
        nb = jupytext.read(src)
        for c in nb.cells:
            if c.cell_type == "markdown":
                c.source = f"<!-- en:{cell_hash(c.source)} -->\n" + c.source
        jupytext.write(nb, zh_path(name), fmt="md:myst")
    else:
        with open(src) as f:
            text = f.read()
        with open(zh_path(name), "w") as f:
            f.write(f"<!-- en:{cell_hash(text)} -->\n" + text)


def rehash(name):
    """Record the current English hashes in book/zh/NAME.md (after its translation was updated)."""
    en = read(os.path.join(BOOK, name + ".md"))
    path = zh_path(name)
    with open(path) as f:
        text = f.read()
    zh = read(path)
    out, pos = [], 0              # walk the markers in file order: equal hashes of different cells stay apart
    for (kind, en_src, _), (_, zh_src, _) in zip(en, zh):
        if kind != "markdown":
            continue
        _, h = strip_mark(zh_src)
        if h is None:
            continue
        at = text.index(f"<!-- en:{h} -->", pos)
        out.append(text[pos:at] + f"<!-- en:{cell_hash(en_src)} -->")
        pos = at + len(f"<!-- en:{h} -->")
    with open(path, "w") as f:
        f.write("".join(out) + text[pos:])


if __name__ == "__main__":
    cmd, *args = sys.argv[1:] or ["check"]
    if cmd == "skeleton":
        for n in args:
            skeleton(n)
    elif cmd == "rehash":
        for n in args:
            rehash(n)
    elif cmd == "stale":
        for n in args or pages():
            for p in problems(n, read(os.path.join(BOOK, n + ".md")), read(zh_path(n))):
                print(p)
    else:
        check(args or None)
        print(f"{len(args or pages())} pages in sync")

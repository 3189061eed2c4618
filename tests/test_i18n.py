"""The Chinese edition: every page translated and in sync with the English, enforced by the build; the
Chinese pages and notebooks share the English code and outputs; the sync check names what to update."""
import os
import re
import shutil

import nbformat
import pytest

from _book import HTML, NOTEBOOKS, ROOT

import i18n

from d2l_lite import BACKENDS


def test_every_page_has_its_translation_in_sync():
    i18n.check()                 # raises, naming every stale or untranslated cell
    assert len(i18n.pages()) >= 20


@pytest.fixture()
def copy_of_book(tmp_path, monkeypatch):
    """A scratch copy of one section in both languages, with i18n pointed at it."""
    book = tmp_path / "book"
    (book / "zh").mkdir(parents=True)
    for name in ("adadelta", "notation"):
        shutil.copy(os.path.join(ROOT, "book", name + ".md"), book / (name + ".md"))
        shutil.copy(os.path.join(ROOT, "book", "zh", name + ".md"), book / "zh" / (name + ".md"))
    monkeypatch.setattr(i18n, "BOOK", str(book))
    monkeypatch.setattr(i18n, "ZH", str(book / "zh"))
    return book


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_changed_english_paragraph_fails_the_check_until_the_translation_is_updated(copy_of_book):
    i18n.check(["adadelta", "notation"])
    en = copy_of_book / "adadelta.md"
    _edit(en, "Adagrad's effective learning rate keeps falling", "Adagrad's effective step size keeps falling")
    with pytest.raises(i18n.TranslationError) as err:
        i18n.check(["adadelta"])
    message = str(err.value)
    assert re.search(r"book/zh/adadelta\.md, cell \d+: the English cell changed since it was translated", message)
    assert "Adagrad's effective step size keeps falling" in message           # names the paragraph
    assert message.count("book/zh/adadelta.md") == 1                          # and only that one
    i18n.rehash("adadelta")                   # the translator updates the paragraph and records the new hash
    i18n.check(["adadelta"])
    _edit(copy_of_book / "notation.md", "Bold letters are vectors", "Bold letters denote vectors")
    with pytest.raises(i18n.TranslationError, match=r"book/zh/notation\.md, cell 1: the English cell changed"):
        i18n.check(["notation"])


def test_code_must_be_the_same_in_both_editions(copy_of_book):
    zh = copy_of_book / "zh" / "adadelta.md"
    _edit(zh, "import numpy as np", "import numpy as np  # 数值计算")
    with pytest.raises(i18n.TranslationError, match=r"cell \d+: the code differs from the English cell"):
        i18n.check(["adadelta"])


def test_an_untranslated_or_unmarked_cell_fails(copy_of_book):
    en_cells = i18n.read(str(copy_of_book / "adadelta.md"))
    zh_cells = i18n.read(str(copy_of_book / "zh" / "adadelta.md"))
    k = next(i for i, (kind, src, _) in enumerate(en_cells) if kind == "markdown" and i18n.has_prose(src) and i > 0)
    english_again = list(zh_cells)
    english_again[k] = ("markdown", f"<!-- en:{i18n.cell_hash(en_cells[k][1])} -->\n" + en_cells[k][1], ())
    assert any(f"cell {k + 1}: not translated" in p for p in i18n.problems("adadelta", en_cells, english_again))
    unmarked = list(zh_cells)
    unmarked[k] = ("markdown", i18n.strip_mark(zh_cells[k][1])[0], ())
    assert any(f"cell {k + 1}: no '<!-- en:" in p for p in i18n.problems("adadelta", en_cells, unmarked))
    assert "do not match" in i18n.problems("adadelta", en_cells, zh_cells[:-1])[0]



def test_chinese_pages_show_the_english_outputs(built):
    for name in i18n.pages():
        zh = open(os.path.join(HTML, "zh", "book", name + ".html")).read()
        en = open(os.path.join(HTML, "book", name + ".html")).read()
        assert 'lang="zh-CN"' in zh and i18n.CJK.search(re.sub(r"<[^>]+>", "", zh))
        assert f'href="../../book/{name}.html"' in zh and f'href="../zh/book/{name}.html"' in en
        outputs = lambda html: re.findall(r'<div class="d2l-output[^"]*"[^>]*>.*?</pre>', html, re.S)   # noqa: E731
        assert outputs(zh) == outputs(en), f"{name}: the two editions show different outputs"


@pytest.mark.parametrize("fw", BACKENDS)
def test_chinese_notebooks_have_chinese_text_and_the_english_code_and_outputs(built, fw):
    for name in [n for n in i18n.pages() if os.path.exists(os.path.join(NOTEBOOKS, fw, n + ".ipynb"))]:
        en = nbformat.read(os.path.join(NOTEBOOKS, fw, name + ".ipynb"), as_version=4)
        zh = nbformat.read(os.path.join(NOTEBOOKS, "zh", fw, name + ".ipynb"), as_version=4)
        assert [c.cell_type for c in zh.cells] == [c.cell_type for c in en.cells]
        for ce, cz in zip(en.cells, zh.cells):
            if ce.cell_type == "code":
                assert (cz.source, cz.outputs) == (ce.source, ce.outputs), name
        prose = [c.source for c in zh.cells if c.cell_type == "markdown"]
        assert i18n.CJK.search(prose[0]) and sum(bool(i18n.CJK.search(p)) for p in prose) > len(prose) / 2
        assert not any("<!-- en:" in p for p in prose)

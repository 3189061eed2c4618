"""Rows of cross-framework tables.

Each framework's notebook computes its own row (a framework cannot be imported beside
another); the book build collects the rows of all five notebooks into one table wherever a
page says ```{d2l-table} TABLE_ID```. A reader running one notebook sees their own row.
"""
MIME = "application/vnd.d2l-lite.row+json"


def _md_cell(value):
    return str(value).replace("|", "\\|").replace("\n", " ")


def table_row(table, **columns):
    """Show one row of table ``table`` (column name -> value) and hand it to the book build.

    Returns nothing, so that a call at the end of a cell shows only the row.
    """
    if not isinstance(table, str) or not table.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"table must be a name of letters, digits, '-' and '_', got {table!r}")
    if not columns:
        raise ValueError("table_row needs at least one column, as name=value")
    names = list(columns)
    md = ("| " + " | ".join(names) + " |\n|" + "---|" * len(names) + "\n| "
          + " | ".join(_md_cell(columns[c]) for c in names) + " |")
    payload = {"table": table, "columns": names, "values": [_md_cell(columns[c]) for c in names]}
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display({"text/markdown": md, MIME: payload, "text/plain": md}, raw=True)
    else:
        print(md)

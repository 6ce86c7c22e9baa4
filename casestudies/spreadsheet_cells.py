"""Text for spreadsheet cells, shared by the admin's spreadsheet export and the public CSV
download: lists joined into one cell, and cells a spreadsheet would run as a formula made safe.

Cells that a spreadsheet program would run as a formula (starting with =, +, -, @, a tab or a
carriage return) get a single quote in front, as OWASP advises for CSV files ("CSV Injection").
"""

# What a spreadsheet program may take for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_escaped(value):
    """The cell's text with a quote in front if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def formula_unescaped(value):
    """The text as typed, from a cell `formula_escaped` wrote."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def joined(items, separator="; "):
    return separator.join(str(item) for item in items)


def numbered(texts):
    """Items of a list in order, one a line: "1. …", "2. …"."""
    return "\n".join(f"{number}. {text}" for number, text in enumerate(texts, start=1))


def links_cell(links):
    """Further-information links, numbered: the title, and the address in brackets if known."""
    return numbered(f"{link.title} ({link.url})" if link.url else link.title for link in links)


def quotes_cell(quotes):
    """Quotes, numbered: the words in quotation marks, and who said them in brackets if known."""
    return numbered(
        f"“{quote.text}” ({quote.attribution})" if quote.attribution else f"“{quote.text}”"
        for quote in quotes
    )

"""The seed text format.

    [whitespace] date YYYY-MM-DD [body may start on the same line]
    [optional header lines, only when the date line holds nothing else:
     title: …   url: …   source: …   author: …]
    DATELINE: body…

The format has no headline, so the display title is derived from the lead
sentence (Article.title_derived is True) unless a `title:` header gives one.
"""

from __future__ import annotations

import re

from ..analysis.datelines import split_dateline
from ..analysis.dates import DateError, date_warnings, parse_date
from ..errors import ArticleParseError
from ..models import Article

_DATE_LINE = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*(.*)", re.IGNORECASE)
_HEADER = re.compile(r"^(title|url|source|author)[ \t]*:[ \t]*(.*)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"”’']?(?=\s+[\"“‘'(A-Z0-9]|\s*$)")
_TITLE_MAX = 110
# Abbreviations that end in a dot without ending a sentence.
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "sen", "rep", "gov", "st", "no",
                  "u.s", "u.n", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "inc", "corp", "co"}


def derive_title(body: str) -> str:
    """A display title from the lead sentence, cut at a word boundary."""
    text = " ".join(body.split())
    for match in _SENTENCE_END.finditer(text):
        words = text[: match.start()].split()
        last = words[-1].lower().rstrip(".") if words else ""
        if last in _ABBREVIATIONS or len(last) == 1:
            continue
        text = text[: match.end()]
        break
    if len(text) <= _TITLE_MAX:
        return text
    cut = text[:_TITLE_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _read_headers(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    headers: dict[str, str] = {}
    while lines:
        match = _HEADER.match(lines[0].strip())
        if not match:
            break
        headers[match[1].lower()] = match[2].strip()
        lines = lines[1:]
    return headers, lines


def parse_seed_text(text: str, path: str, article_id: str) -> Article:
    """Parse one article in the seed text format. Raises ArticleParseError when
    there is no text at all; a missing or bad date only adds a warning."""
    if not text.strip():
        raise ArticleParseError(path, "empty file")
    warnings: list[str] = []
    day = None
    headers: dict[str, str] = {}
    match = _DATE_LINE.match(text)
    if match:
        rest = text[match.end():]
        try:
            day = parse_date(match[1])
        except DateError as exc:
            warnings.append(f"{path}: {exc}; indexed without a date")
        if match[2].strip():
            body = match[2] + rest
        else:
            headers, lines = _read_headers(rest.lstrip("\r\n").splitlines())
            body = "\n".join(lines)
    else:
        warnings.append(f"{path}: no 'date YYYY-MM-DD' line; indexed without a date")
        body = text
    body = body.strip()
    if not body:
        raise ArticleParseError(path, "no article text after the date line")
    warnings.extend(date_warnings(day, path))
    place, _ = split_dateline(body)
    title = headers.get("title", "")
    return Article(
        id=article_id,
        body=body,
        title=title or derive_title(split_dateline(body)[1]),
        title_derived=not title,
        date=day,
        date_source="header" if day else None,
        dateline=place,
        url=headers.get("url") or None,
        source=headers.get("source") or None,
        authors=tuple(a.strip() for a in headers.get("author", "").split(",") if a.strip()),
        path=path,
        warnings=tuple(warnings),
    )

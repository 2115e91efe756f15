"""Reading raw sources (.txt, .md, .html, .pdf) into clean, normalised text and metadata.

- HTML: trafilatura finds the article and drops navigation, footers, scripts and share
  buttons; it also reads title, author, date and canonical URL from the page.
- PDF: pdfminer.six gives text lines with positions; lines repeated at the top or bottom
  of most pages (running headers, page numbers) are dropped and wrapped lines are joined
  back into paragraphs.
- Markdown: markdown-it-py (already installed with Rich) gives the text of headings,
  paragraphs and list items; YAML front matter supplies metadata.
- Plain text: taken as it is, except that hard-wrapped prose (paragraphs of several lines
  between blank lines) is joined back into paragraphs.

Every reader returns one paragraph per line, so paragraph numbers mean the same thing
for every source.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from ..errors import ValidationError
from ..extract.dates import PRESS_DATELINE
from ..textnorm import normalise

SOURCE_TYPES = ("txt", "md", "html", "pdf")
_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
             ".xhtml": "html", ".pdf": "pdf"}
MAX_SOURCE_BYTES = 200 * 1024 * 1024
MIN_TEXT_CHARS = 40


@dataclass
class SourceText:
    text: str
    title: str | None = None
    byline: str | None = None  # the author line as the source gives it
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY when readable, else as the source writes it
    url: str | None = None
    kind: str = "web-page"
    authors: list[str] = field(default_factory=list)  # each author the source names, in order
    date_from: str | None = None  # where `published` came from, when that may not be the publication date
    # the text as earlier versions of aj extracted it, so a file added before an
    # extraction change is still recognised as a duplicate
    earlier_texts: list[str] = field(default_factory=list)


def source_type(name: str, raw: bytes, declared: str | None = None) -> str:
    """The type from --type, else the file's extension, else its first bytes."""
    if declared:
        if declared not in SOURCE_TYPES:
            raise ValidationError([f"{name}: unknown source type {declared!r}; use one of {', '.join(SOURCE_TYPES)}"])
        return declared
    suffix = re.search(r"\.[A-Za-z]+$", name)
    if suffix and suffix.group(0).lower() in _SUFFIXES:
        return _SUFFIXES[suffix.group(0).lower()]
    head = raw[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if suffix:
        raise ValidationError([f"{name}: unsupported file type {suffix.group(0)!r}; aj reads .txt, .md, .html and .pdf"])
    return "txt"


def read_source(name: str, raw: bytes, declared: str | None = None) -> SourceText:
    if len(raw) > MAX_SOURCE_BYTES:
        raise ValidationError([f"{name}: file too large ({len(raw):,} bytes; the limit is {MAX_SOURCE_BYTES:,})"])
    if not raw.strip():
        raise ValidationError([f"{name}: empty file"])
    kind = source_type(name, raw, declared)
    reader = {"txt": _read_text, "md": _read_markdown, "html": _read_html, "pdf": _read_pdf}[kind]
    source = reader(name, raw)
    source.text = normalise(source.text)
    source.earlier_texts = [t for t in (normalise(t) for t in source.earlier_texts) if t != source.text]
    source.published = metadata_date(source.published)
    if source.byline and not source.authors:
        source.authors = [part.strip() for part in source.byline.split(";") if part.strip()]
    if len(source.text) < MIN_TEXT_CHARS:
        what = "no article text found" if kind in ("html", "pdf") else "too little text"
        raise ValidationError([f"{name}: {what} ({len(source.text)} characters after extraction)"])
    return source


_MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())} | {"sept": 9})
_ISO_DATETIME = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*"
                           r"(?:Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)
_WRITTEN_DATES = [
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?,?\s+(?P<y>\d{4})", re.IGNORECASE),  # 27 November 2023
    re.compile(r"(?P<month>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.IGNORECASE),  # November 27, 2023
    re.compile(r"(?P<month>[a-z]+)\.?,?\s+(?P<y>\d{4})", re.IGNORECASE),  # November 2023
]
# "14/11/2025", "14.11.2025": read only when the order is plain (a day above 12 comes first or
# second); "03/04/2025" is April or March depending on the country, and is left unread.
_NUMERIC_DATE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_WEEKDAY = re.compile(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+", re.IGNORECASE)


def metadata_date(value: str | None) -> str | None:
    """A date as metadata writes it, made YYYY-MM-DD (or YYYY-MM): ISO datetimes (the date as
    written, whatever the offset), "27 November 2023", "November 27, 2023", "Nov 2023". Text
    that is none of these is returned as it is, for the caller to report."""
    if value is None:
        return None
    text = " ".join(value.split())
    iso = _ISO_DATETIME.fullmatch(text)
    if iso:
        return f"{iso['y']}-{iso['m']}-{iso['d']}"
    numeric = _NUMERIC_DATE.fullmatch(text)
    if numeric:
        a, b = int(numeric["a"]), int(numeric["b"])
        day, month = (a, b) if a > 12 >= b else (b, a) if b > 12 >= a else (None, None)
        if day is None:
            return text
        try:
            return date(int(numeric["y"]), month, day).isoformat()
        except ValueError:
            return text
    weekday = _WEEKDAY.match(text)
    bare = text[weekday.end():] if weekday else text
    for pattern in _WRITTEN_DATES:
        written = pattern.fullmatch(bare)
        month = _MONTHS.get(written["month"].lower()) if written else None
        if month is None:
            continue
        year = int(written["y"])
        if "d" not in written.groupdict():
            return f"{year:04d}-{month:02d}"
        try:
            return date(year, month, int(written["d"])).isoformat()
        except ValueError:
            return text  # "31 February 2024": left for the caller to report
    return text


def _decode(name: str, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise ValidationError([f"{name}: binary file, not text"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationError([f"{name}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"]) from None


def _read_text(name: str, raw: bytes) -> SourceText:
    text = _decode(name, raw)
    blocks = [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    wrapped = sum(1 for block in blocks if "\n" in block.strip())
    # With no blank line at all, each line is a paragraph (one paragraph per line, no wrapping).
    if len(blocks) > 1 and wrapped > len(blocks) / 2:
        # Hard-wrapped prose: blank lines separate paragraphs, so each block is one paragraph;
        # but a block of headline, byline and date line near the top keeps its lines.
        text = "\n".join(block.strip() if i < 3 and any(_metadata_line(line) for line in block.splitlines())
                         else " ".join(block.split()) for i, block in enumerate(blocks))
    all_lines = text.split("\n")
    filled = [i for i, line in enumerate(all_lines) if line.strip()]
    head = read_head([all_lines[i].strip() for i in filled])
    dropped = {filled[i] for i in head.dropped}
    kept = "\n".join(line for i, line in enumerate(all_lines) if i not in dropped)
    # earlier versions of aj stored the whole text: a file added then is still a duplicate
    return SourceText(kept, title=head.title, byline=head.author, published=head.published, kind="other",
                      earlier_texts=[text] if dropped else [])


# ---- the head of a plain article: headline, byline, date line --------------------------------------

# Lines a page puts above its headline: navigation, issue numbers, ad slots, release notes.
_NOT_A_HEADLINE = re.compile(
    r"(?i)^(?:skip to (?:main )?content|menu|home|search|sign in|log in|subscribe|advertisement|sponsored|"
    r"for immediate release|press release|news release|media release|breaking|live|opinion|analysis|"
    r"(?:issue|vol(?:ume)?|no)\.?\s*\d.*|.*\s[|›»>/]\s.*|ref\.?\s.*|.*:)$")
_BYLINE = re.compile(r"^(?:by|written by|words by|reporting by|reported by|story by|text by)\s+(?P<names>[^\d|·—–]+?)\s*(?:$|[|·—–,]\s*(?P<rest>.*)$)",
                     re.IGNORECASE)
_DATE_LINE = re.compile(r"^(?:(?:first\s+)?published(?:\s+on)?|updated|last updated|posted(?:\s+on)?|date)\s*:?\s*"
                        r"(?P<rest>.+)$", re.IGNORECASE)
_META_PARTS = re.compile(r"\s+[|·—–]\s+|\s*\|\s*|\s*·\s*")
_TIME_OF_DAY = re.compile(r",?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?$", re.IGNORECASE)
_PERSON = re.compile(r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|bin|binti))(?:\s+[A-Z][\w'’.-]+){0,2}$")
_READING_TIME = re.compile(r"(?i)^\d+\s*min(?:ute)?s?\s+read$")


@dataclass
class ArticleHead:
    dropped: set[int]  # the lines that are not the article's: above its headline, byline, date line
    title: str | None
    author: str | None
    published: str | None


def _a_date(text: str) -> str | None:
    """The ISO form of a line part that is only a date ("14 March 2025", "2 Feb. 2026, 09:40")."""
    value = metadata_date(_TIME_OF_DAY.sub("", text.strip(" *_")))
    return value if value and re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", value) else None


def _metadata_line(line: str) -> tuple[str | None, str | None] | None:
    """(author, date) when a line says only who wrote the article and when ("By Linh Tran",
    "Published 14 March 2025", "By Mere Tuilau · 12 Feb 2026 · 4 min read", "Tan Wei Ming,
    Singapore correspondent — 8 July 2025"), else None."""
    line = line.strip().strip("*_").strip()
    if not line or len(line) > 160:
        return None
    if (dated := _DATE_LINE.match(line)) and (published := _a_date(_META_PARTS.split(dated["rest"])[0])):
        return None, published
    parts = [part.strip() for part in re.split(r"\s+[|·—–]\s+|\s*[|·]\s*", line) if part.strip()]
    author = published = None
    for part in parts:
        byline = _BYLINE.match(part)
        if byline and author is None:
            author = byline["names"].strip()
        elif (value := _a_date(part)) and published is None:
            published = value
        elif _READING_TIME.match(part) or (author is not None and len(part) < 40):
            continue  # "4 min read", "Travel desk"
        elif author is None and _PERSON.match(part.split(",")[0].strip()) and published is None and len(parts) > 1:
            author = part.split(",")[0].strip()  # "Tan Wei Ming, Singapore correspondent"
        elif published is not None and len(part) < 40:
            continue
        else:
            return None
    if author is None and published is None:
        return None
    if author is not None and published is None and len(parts) > 1 and not _BYLINE.match(parts[0]):
        return None
    return author, published


def _reads_like_headline(line: str) -> bool:
    """Not navigation, an issue line, a release note or a byline: the first such line of a
    plain article is its headline."""
    return len(line) <= 300 and _NOT_A_HEADLINE.match(line) is None and _metadata_line(line) is None


def read_head(lines: list[str], title_at: int | None = None) -> ArticleHead:
    """Find an article's headline (the first line that reads like one, or `title_at`), drop
    the short lines above it (navigation, "Skip to content", "Issue 7/2026 | June 2026"), and
    read a byline and a date line just below it as author and publication date."""
    if not lines:
        return ArticleHead(set(), None, None, None)
    if title_at is None:
        title_at = next((i for i, line in enumerate(lines[:8]) if _reads_like_headline(line)), 0)
    if any(len(line) > 200 for line in lines[:title_at]):
        title_at = 0  # a paragraph above it: not a headline after all
    dropped = set(range(title_at))
    author = published = None
    for i in range(title_at + 1, min(len(lines), title_at + 5)):
        found = _metadata_line(lines[i])
        if found is None:
            if lines[i].lower() in ("advertisement", "sponsored") and i <= title_at + 2:
                dropped.add(i)
                continue
            break
        author = author or found[0]
        published = published or found[1]
        dropped.add(i)
    below = [i for i in range(title_at + 1, min(len(lines), title_at + 8)) if i not in dropped]
    for i in below[:3] if published is None else []:
        if dateline := PRESS_DATELINE.match(lines[i]):
            published = _a_date(dateline["date"])
            break
    return ArticleHead(dropped, lines[title_at][:300], author, published)


_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<meta>.*?)\n---\s*\n", re.DOTALL)


def _read_markdown(name: str, raw: bytes) -> SourceText:
    from markdown_it import MarkdownIt

    text = _decode(name, raw)
    meta: dict[str, object] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        from .yamlio import YamlProblem, parse_yaml

        try:
            data, _ = parse_yaml(front["meta"])
        except YamlProblem as exc:
            raise ValidationError([f"{name}:{(exc.line or 0) + 1}: front matter: {exc.message}"]) from None
        meta = data if isinstance(data, dict) else {}
        text = text[front.end():]
    meta = {str(key).lower(): value for key, value in meta.items()}
    blocks: list[str] = []
    title = None
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    row: list[str] | None = None  # a table row is one line, its cells joined by " | "
    tables = False
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row, tables = [], True
        elif token.type == "tr_close" and row is not None:
            if any(row):
                blocks.append(" | ".join(row))
            row = None
        elif token.type == "inline":
            plain = " ".join("".join(_inline_text(child) for child in token.children or []).split())
            if row is not None:
                row.append(plain)
            elif plain:
                blocks.append(plain)
                if title is None and i > 0 and tokens[i - 1].type == "heading_open":
                    title = plain
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(" ".join(token.content.split()))
    authors = _names(meta.get("authors", meta.get("author")))
    heading = blocks.index(title) if title is not None and title in blocks[:6] else None
    head = read_head(blocks, heading)
    if not authors and head.author:
        authors = [head.author]
    kept = "\n".join(block for i, block in enumerate(blocks) if i not in head.dropped)
    return SourceText(kept, title=_str(meta.get("title")) or head.title,
                      byline=", ".join(authors) or None, published=_str(meta.get("date")) or head.published,
                      url=_str(meta.get("url")), kind="other", authors=authors,
                      earlier_texts=(["\n".join(blocks)] if head.dropped else []) + (
                          [_markdown_without_tables(text)] if tables else []))


def _markdown_without_tables(text: str) -> str:
    """The text as aj read Markdown before tables were rows (a table was one paragraph)."""
    from markdown_it import MarkdownIt

    blocks = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            plain = " ".join("".join(_inline_text(child) for child in token.children or []).split())
            if plain:
                blocks.append(plain)
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(" ".join(token.content.split()))
    return "\n".join(blocks)


def _names(value: object) -> list[str]:
    """Author names from front matter: one name, or a list of them."""
    values = value if isinstance(value, list) else [value]
    return [name for name in (_str(v) for v in values if not isinstance(v, dict | list)) if name]


def _inline_text(child) -> str:  # noqa: ANN001 - a markdown-it Token
    """The plain text of one inline token; a line break inside a paragraph is a space."""
    if child.type in ("softbreak", "hardbreak"):
        return " "
    return child.content if child.type in ("text", "code_inline") else ""


def _str(value: object) -> str | None:
    return str(value).strip() if value not in (None, "") else None


# Lines a page puts inside the article that are not part of it (trafilatura keeps them when
# they sit in the article's own markup): ad slots, "Read more:" links, follow and
# newsletter prompts, wire credits. Short lines only: a paragraph that starts with
# "Read more" and goes on is prose.
_INLINE_BOILERPLATE = re.compile(
    r"(?i)(?=.{0,160}$)(?:advertisement|sponsored(?: content)?|ad"
    r"|(?:also read|read more|read also|related|see also|recommended|watch|listen|more on this)\s*:.*"
    r"|follow us on .*|(?:sign up|subscribe)\b.*\bnewsletters?\b.*|share (?:this|on)\b.*|click here\b.*"
    r"|\((?:additional )?reporting by [^()]*\)\.?|our standards:.*"
    # promotions: "Save 40% on an annual plan", "3 months free", "Join 25,000 readers ..."
    r"|(?:save|get)\s+(?:up\s+to\s+)?\d+\s*%.*|.*\b\d+\s*%\s+off\b.*|.*\boffer ends\b.*|.*\bfree trial\b.*"
    r"|.*\b\d+\s+(?:months?|weeks?|days?)\s+free\b.*|join\s+[\d,]+\s+(?:readers|subscribers|others)\b.*"
    r"|(?:subscribe|upgrade)\b.*\b(?:plan|access|today|now)\b.*)$")


def _read_html(name: str, raw: bytes) -> SourceText:
    import trafilatura

    if b"\x00" in raw[:8192] and not raw.lstrip().lower().startswith((b"<!doctype", b"<html")):
        raise ValidationError([f"{name}: binary file, not HTML"])
    document = trafilatura.bare_extraction(
        raw, include_comments=False, include_tables=True, include_links=False, with_metadata=True,
        favor_precision=True,  # no deduplicate: its cache spans calls and would empty a re-read page
    )
    if document is None:
        raise ValidationError([f"{name}: no article text found in the HTML"])
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = data.get("text") or ""
    title = _str(data.get("title"))
    # The headline is the stored text's first line (its figures and names are the article's
    # too); trafilatura repeats it there, or not. Earlier versions of aj stored the text
    # without it (and before that, with the in-article boilerplate).
    lines = text.splitlines()
    without_headline = lines[1:] if title and lines and lines[0].strip() == title else lines
    headline, byline = _html_head(raw, title)
    # A section label above the headline ("Defence") is no part of the article.
    at = next((i for i, line in enumerate(without_headline[:4]) if line.strip() == headline), None) if headline else None
    article = without_headline
    if at is not None and all(len(line.split()) <= 4 for line in without_headline[:at]):
        article = without_headline[at + 1:]
    body = [line for line in article if not _INLINE_BOILERPLATE.match(line.strip())]
    if headline:  # a byline or date line the page keeps inside the article ("By ... | Oct 31, 2025")
        head = read_head([headline, *body[:8]], 0)
        body = [line for i, line in enumerate(body) if i + 1 not in head.dropped]
        byline = byline or head.author
    author = _str(data.get("author")) or byline
    text = "\n".join(([headline] if headline else []) + body)
    earlier = ["\n".join(without_headline), "\n".join(body)]
    title = headline
    return SourceText(text, title=title, byline=author, published=_str(data.get("date")),
                      url=_str(data.get("url")), kind="web-page", earlier_texts=earlier)


def _html_head(raw: bytes, title: str | None) -> tuple[str | None, str | None]:
    """The headline as the page shows it and the author of a page whose byline trafilatura
    misses (a "By ..." line in a plain div near the headline). A page's <title> often adds
    the site's name or cuts the headline short ("Chipmakers invest | ChipAsia Daily"): the
    headline is the visible line that starts with the longest part of it."""
    from lxml import html as lxml_html

    try:  # as UTF-8 when it is (lxml reads undeclared bytes as Latin-1: "·" would be "Â·")
        root = lxml_html.fromstring(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        try:
            root = lxml_html.fromstring(raw)
        except (ValueError, TypeError, SyntaxError):
            return title, None
    except (TypeError, SyntaxError):
        return title, None
    tag = root.find(".//title")
    parts = [title] if title else []
    if tag is not None and tag.text_content().strip():
        parts += re.split(r"\s+[|–—-]\s+", " ".join(tag.text_content().split()))
    for element in root.iter("script", "style", "noscript", "title"):
        element.drop_tree()
    lines = [" ".join(line.split()) for line in root.text_content().splitlines()]
    lines = [line for line in lines if line]
    for part in sorted((p for p in parts if len(p.split()) >= 3), key=len, reverse=True):
        found = next((line for line in lines if line.startswith(part) and len(line) <= 300), None)
        if found is not None:
            title = found
            break
    start = lines.index(title) if title in lines else 0
    for line in lines[start:start + 6]:
        found_meta = _metadata_line(line)
        if found_meta and found_meta[0]:
            return title, found_meta[0]
    return title, None


# ---- PDF ----------------------------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    x0: float
    y0: float
    y1: float
    page: int

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*(?:of\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE)
_END_OF_SENTENCE = re.compile(r"[.!?:;\"”’)]$")


def _read_pdf(name: str, raw: bytes) -> SourceText:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psparser import PSException

    if not raw.lstrip()[:5].lower().startswith(b"%pdf"):
        raise ValidationError([f"{name}: not a PDF (no %PDF header)"])
    lines: list[_Line] = []
    heights: dict[int, float] = {}
    metadata: dict[str, str] = {}
    try:
        parser = PDFParser(BytesIO(raw))
        doc = PDFDocument(parser)
        for info in doc.info or []:
            for key in ("Title", "Author", "CreationDate"):
                value = info.get(key)
                if isinstance(value, bytes):
                    value = _pdf_string(value)
                if isinstance(value, str) and value.strip():
                    metadata[key] = value.strip()
        for number, page in enumerate(extract_pages(BytesIO(raw), laparams=LAParams()), start=1):
            heights[number] = page.height
            for element in page:
                if isinstance(element, LTTextContainer):
                    for line in element:
                        if isinstance(line, LTTextLine) and line.get_text().strip():
                            lines.append(_Line(" ".join(line.get_text().split()), line.x0, line.y0, line.y1, number))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ValidationError([f"{name}: the PDF is encrypted; decrypt it first"]) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        raise ValidationError([f"{name}: damaged or truncated PDF ({type(exc).__name__}: {str(exc)[:80]})"]) from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of errors on broken files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ValidationError([f"{name}: the PDF is encrypted; decrypt it first"]) from None
        raise ValidationError([f"{name}: unreadable PDF ({type(exc).__name__}: {str(exc)[:80]})"]) from None
    body = _drop_running_lines(lines, heights)
    text = "\n".join(_paragraphs(body))
    published = None
    created = re.match(r"D?:?(\d{4})(\d{2})?(\d{2})?", metadata.get("CreationDate", ""))
    if created:
        published = "-".join(part for part in created.groups() if part)
    title = metadata.get("Title") or next((line.text for line in body[:3]), None)
    return SourceText(text, title=title, byline=metadata.get("Author"), published=published, kind="report",
                      date_from="the PDF's creation date" if published else None)


def _pdf_string(value: bytes) -> str:
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", errors="replace")
    return value.decode("latin-1", errors="replace")


def _drop_running_lines(lines: list[_Line], heights: dict[int, float]) -> list[_Line]:
    """Remove running headers and footers: lines in the top or bottom band of the page whose
    text (digits ignored) recurs on several pages, and bare page numbers there."""
    pages = len(heights)

    def band(line: _Line) -> bool:
        h = heights[line.page]
        return line.y0 > h * 0.9 or line.y1 < h * 0.1

    def shape(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    repeated = Counter(shape(line) for line in lines if band(line))
    threshold = max(2, int(pages * 0.5))
    return [line for line in lines if not (band(line) and (
        (pages > 1 and repeated[shape(line)] >= threshold) or _PAGE_NUMBER.match(line.text)))]


_LETTERS = r"[^\W\d_]+"
_HYPHENATED = re.compile(rf"(?=\b({_LETTERS})-({_LETTERS})\b)")  # every pair, "state-of-the-art" too
_BROKEN_WORD = re.compile(rf"({_LETTERS})-$")


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join wrapped lines into paragraphs: a new paragraph starts after a larger vertical gap
    than the lines around it, or after a short line that ends a sentence.

    A word hyphenated across a line break ("long-" / "term") is joined without the hyphen,
    unless the document writes that hyphenated form elsewhere on one line ("long-term"):
    then the hyphen is the word's own and is kept."""
    if not lines:
        return []
    hyphenated = {(a.lower(), b.lower()) for line in lines for a, b in _HYPHENATED.findall(line.text)}
    widths = Counter(round(line.x0) for line in lines)
    left = widths.most_common(1)[0][0]
    out: list[list[str]] = []
    previous: _Line | None = None
    longest = max(len(line.text) for line in lines)
    for line in lines:
        new = previous is None
        if previous is not None:
            if line.page == previous.page:
                gap = previous.y0 - line.y1
                new = gap > 0.8 * previous.height or gap < -previous.height  # spacing, or a new column
            else:
                new = bool(_END_OF_SENTENCE.search(previous.text))
            if not new and _END_OF_SENTENCE.search(previous.text) and len(previous.text) < 0.6 * longest:
                new = True  # a short closing line ends its paragraph
            if not new and round(line.x0) > left + 8 and round(previous.x0) <= left + 2:
                new = True  # first-line indent
        if new:
            out.append([line.text])
        else:
            last = out[-1][-1]
            broken = _BROKEN_WORD.search(last)
            if broken and line.text[:1].islower():
                after = re.match(_LETTERS, line.text)
                keep = after is not None and (broken[1].lower(), after[0].lower()) in hyphenated
                out[-1][-1] = (last if keep else last[:-1]) + line.text  # re-join the word
            else:
                out[-1].append(line.text)
        previous = line
    return [" ".join(parts) for parts in out]

"""E-mail: single messages (.eml), mailboxes (.mbox, one article per message) and web pages
saved as one MIME file (.mhtml, .mht), all parsed by the standard library's `email`.

A message's subject is its title, its sender its author, its mailing list (List-Id) or else
the sender's domain its source, its Date its publication date. The text/plain body is
preferred, else the HTML one is read as a page. Quoted replies ("> " lines and the "On ...
wrote:" line above them) and the signature (after "-- ") are kept, each as a block of its
own. Attachments in an importable format become articles of their own, whose provenance
names the message they came with.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path, PurePath

from briefing_app.core.importers.files import (
    UnreadableInput,
    decoded_text,
    read_bytes,
    unexpected_error_reason,
)
from briefing_app.core.importers.html import fragment_to_text, page_draft
from briefing_app.core.importers.office import docx_draft, odt_draft
from briefing_app.core.importers.pdf import pdf_draft
from briefing_app.core.importers.text import markdown_draft
from briefing_app.core.model import ArticleDraft, FileOrigin, ImportFailure
from briefing_app.core.textnorm import detect_blocks, normalize_text, source_from_blocks

_ATTACHMENT_SEPARATOR = " › "
_QUOTE_LINE = re.compile(r"^\s*>")
# "On Tue, 5 Mar 2024, A. Sangaré wrote:" and its translations, introducing a quote.
_ATTRIBUTION = re.compile(
    r"^(?:On|Le|Am|El|Il)\b.{0,200}(?:wrote|a écrit|schrieb|escribió|ha scritto)\s*:\s*$"
)
# The signature separator "-- ", its trailing space gone in normalized text.
_SIGNATURE_LINE = "--"
_LIST_ID = re.compile(r"<(?P<id>[^>]+)>")


def read_eml(path: Path) -> Iterator[ArticleDraft | ImportFailure]:
    yield from message_drafts(read_bytes(path), origin=str(path))


def read_mbox(path: Path) -> Iterator[ArticleDraft | ImportFailure]:
    """One article per message; a message that cannot be read is a failure naming its
    number, and the others go on."""
    # No size limit: a mailbox of years of messages is read one message at a time.
    try:
        box = mailbox.mbox(path, factory=None, create=False)
        keys = box.keys()
    except OSError as exc:
        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}") from exc
    try:
        if not keys:
            raise UnreadableInput("no messages in the mailbox (not an mbox file?)")
        for number, key in enumerate(keys, 1):
            origin = f"{path}#{number}"
            try:
                yield from message_drafts(box.get_bytes(key), origin=origin, importer="mbox")
            except UnreadableInput as exc:
                yield ImportFailure(origin, exc.reason)
            except Exception as exc:  # one message must not end the mailbox
                yield ImportFailure(origin, unexpected_error_reason(exc))
    finally:
        box.close()


def read_mhtml(path: Path) -> Iterator[ArticleDraft]:
    """A page a browser saved with its images as one file: its HTML part, read as a page."""
    try:
        yield from _read_mhtml(path)
    except RecursionError:
        raise UnreadableInput(NESTED_TOO_DEEPLY) from None


def _read_mhtml(path: Path) -> Iterator[ArticleDraft]:
    message = _parse(read_bytes(path))
    html_part = next((part for part in message.walk() if part.get_content_type() == "text/html"), None)
    if html_part is None:
        raise UnreadableInput(f"no HTML page in the saved file{_defects(message)}")
    html = _part_text(html_part)
    draft = page_draft(html, origin=str(path))
    url = message.get("Snapshot-Content-Location") or html_part.get("Content-Location")
    yield replace(
        draft, url=draft.url or (str(url).strip() or None), file_origin=FileOrigin(importer="mhtml")
    )


def _parse(data: bytes) -> EmailMessage:
    """The message with policy.default: MIME structure (get_body, iter_attachments) made easy,
    every header parsed into an object again at each access."""
    if not data.strip():
        raise UnreadableInput("empty file")
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnreadableInput("not an e-mail message (no headers)")
    return message


def _parse_headers_and_text(data: bytes) -> Message:
    """The message with the compat32 policy, whose headers stay strings: parsing and reading a
    plain one-part message this way takes a third of the time policy.default does (a mailbox
    of a thousand messages), and most messages are that."""
    if not data.strip():
        raise UnreadableInput("empty file")
    message = email.message_from_bytes(data)
    if not message.keys():
        raise UnreadableInput("not an e-mail message (no headers)")
    return message


def _defects(message: Message) -> str:
    names = sorted({type(defect).__name__ for part in message.walk() for defect in part.defects})
    return f" (malformed MIME: {', '.join(names)})" if names else ""


# The email package walks MIME parts recursively: parts nested this deep are no message a
# person sent, and would raise RecursionError.
NESTED_TOO_DEEPLY = "malformed MIME: parts nested too deeply"


def message_drafts(data: bytes, origin: str, importer: str = "eml") -> Iterator[ArticleDraft | ImportFailure]:
    """The message as an article, then each attachment in an importable format."""
    try:
        yield from _message_drafts(data, origin, importer)
    except RecursionError:
        raise UnreadableInput(NESTED_TOO_DEEPLY) from None


def _message_drafts(data: bytes, origin: str, importer: str) -> Iterator[ArticleDraft | ImportFailure]:
    """message_drafts' work. A multipart message is parsed again with policy.default for its
    structure."""
    message = _parse_headers_and_text(data)
    if not any(message.get(name) for name in ("From", "Subject", "Date")):
        raise UnreadableInput("not an e-mail message (no From, Subject or Date header)")
    structured = _parse(data) if message.is_multipart() else None
    text, headings = _body_text(structured) if structured is not None else _single_part_text(message)
    if not text.strip():
        raise UnreadableInput(f"no text in the message{_defects(message)}")
    author, domain = _sender(message)
    list_name = _list_name(message)
    blocks = detect_blocks(text)
    _, url = source_from_blocks(text, blocks)
    title = _header(message, "Subject") or "(no subject)"
    yield ArticleDraft(
        text=text,
        title=title,
        # A plain message has no headings: naming its subject as the only one keeps a short
        # line ("Best regards,", the sender's name in the signature) from being taken for one.
        headings=headings if headings is not None else (title,),
        source=list_name or domain,
        url=url,
        author=author,
        published=_date(message),
        origin=origin,
        file_origin=FileOrigin(importer=importer),
    )
    for part in structured.iter_attachments() if structured is not None else ():
        name = part.get_filename()
        if not name:
            continue
        reader = _ATTACHMENT_READERS.get(PurePath(name).suffix.lower())
        if reader is None:
            continue
        attachment_origin = f"{origin}{_ATTACHMENT_SEPARATOR}{name}"
        try:
            content = part.get_payload(decode=True)
            if not isinstance(content, bytes) or not content:
                raise UnreadableInput("empty attachment")
            draft = reader(content, attachment_origin)
        except UnreadableInput as exc:
            yield ImportFailure(attachment_origin, exc.reason)
            continue
        except Exception as exc:  # one attachment must not end the message's import
            yield ImportFailure(attachment_origin, unexpected_error_reason(exc))
            continue
        importer = draft.file_origin.importer if draft.file_origin else PurePath(name).suffix.lstrip(".")
        yield replace(
            draft,
            file_origin=replace(
                draft.file_origin or FileOrigin(importer=importer),
                attached_to=origin,
                file_name=PurePath(name).name,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
            ),
        )


def _text_attachment(data: bytes, origin: str) -> ArticleDraft:
    text, encoding = decoded_text(data)
    text = normalize_text(text)
    return ArticleDraft(text=text, origin=origin, file_origin=FileOrigin(importer="text", encoding=encoding))


def _html_attachment(data: bytes, origin: str) -> ArticleDraft:
    html, encoding = decoded_text(data)
    return replace(page_draft(html, origin), file_origin=FileOrigin(importer="html", encoding=encoding))


def _markdown_attachment(data: bytes, origin: str) -> ArticleDraft:
    text, encoding = decoded_text(data)
    return replace(
        markdown_draft(text, origin), file_origin=FileOrigin(importer="markdown", encoding=encoding)
    )


_ATTACHMENT_READERS: dict[str, Callable[[bytes, str], ArticleDraft]] = {
    ".pdf": pdf_draft,
    ".docx": docx_draft,
    ".odt": odt_draft,
    ".txt": _text_attachment,
    ".md": _markdown_attachment,
    ".html": _html_attachment,
    ".htm": _html_attachment,
}


def _header(message: Message, name: str) -> str | None:
    """A header's text, its encoded words ("=?utf-8?q?Sangar=C3=A9?=") decoded."""
    value = message.get(name)
    if value is None:
        return None
    try:
        text = str(make_header(decode_header(str(value))))
    except (HeaderParseError, ValueError, LookupError, UnicodeError):  # a damaged encoded word: as written
        text = str(value)
    return " ".join(text.split()) or None


def _sender(message: Message) -> tuple[str | None, str | None]:
    """(the sender's name, or address without a name; the domain of the address)."""
    value = _header(message, "From")
    if not value:
        return None, None
    addresses = getaddresses([value])
    if not addresses:
        return value, None
    name, address = addresses[0]
    domain = address.rpartition("@")[2].lower() if "@" in address else None
    return (name or address or value), domain


def _list_name(message: Message) -> str | None:
    """A mailing list's name from List-Id: "Sahel Monitor <sahel.lists.example.org>" gives
    "Sahel Monitor", else the list's id."""
    value = _header(message, "List-Id")
    if not value:
        return None
    match = _LIST_ID.search(value)
    name = value[: match.start()].strip().strip('"') if match else value
    return name or (match["id"] if match else None)


def _date(message: Message) -> str | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _part_text(part: Message) -> str:
    """A text part's content, decoded by its charset (else detected)."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    charset = part.get_content_charset()
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, ValueError):
            # A wrong or unknown charset, or a label no codec name can be ("utf-8\x00" makes
            # the codec look-up raise ValueError; UnicodeDecodeError is one too): detect it.
            pass
    return decoded_text(data)[0] if data.strip() else ""


# (the body's text, its headings: those of its HTML markup, or None for a plain body)
_Body = tuple[str, tuple[str, ...] | None]


def _single_part_text(message: Message) -> _Body:
    """The text of a message that is not multipart: its body if it is text (a multipart
    message whose parts could not be found has none)."""
    if message.get_content_maintype() != "text":
        return "", None
    content = _part_text(message)
    return _html_text(content) if message.get_content_subtype() == "html" else (_plain_body(content), None)


def _html_text(content: str) -> _Body:
    try:
        page = page_draft(content, origin="")
        return page.text, page.headings
    except UnreadableInput:  # too short for a page's main text: laid out as a fragment
        return fragment_to_text(content)


def _body_text(message: EmailMessage) -> _Body:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        if message.get_content_maintype() == "text":
            body = message
        else:
            return "", None
    content = _part_text(body)
    return _html_text(content) if body.get_content_subtype() == "html" else (_plain_body(content), None)


def _plain_body(content: str) -> str:
    """The text of a plain body, quoted passages and the signature as blocks of their own:
    a blank line wherever the text passes from the message to a quote or to the signature."""
    lines = normalize_text(content).split("\n")
    out: list[str] = []
    kind_before = "text"
    in_signature = False
    for number, line in enumerate(lines):
        if line == _SIGNATURE_LINE:
            in_signature = True
        next_quoted = number + 1 < len(lines) and _QUOTE_LINE.match(lines[number + 1]) is not None
        if in_signature:
            kind = "signature"
        elif _QUOTE_LINE.match(line) or (_ATTRIBUTION.match(line.strip()) and next_quoted):
            kind = "quote"
        elif not line.strip():
            kind = kind_before
        else:
            kind = "text"
        if kind != kind_before and out and out[-1].strip():
            out.append("")
        out.append(line)
        kind_before = kind
    return normalize_text("\n".join(out))

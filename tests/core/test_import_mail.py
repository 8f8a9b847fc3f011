"""E-mail import: .eml (with an attached PDF as a linked article), .mbox (one article per
message), .mhtml (a saved page); malformed MIME named, the rest imports."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime

from briefing_app.core import provenance
from briefing_app.core.importers import read_path, read_paths
from briefing_app.core.model import ArticleDraft, ImportFailure
from tests.support.documents import mail, write_eml, write_mhtml, write_pdf

SIGNATURE_SEPARATOR = "-- "  # with its space, as mail programs write it
BODY = f"""Dear desk,

The talks in Bamako ended on Tuesday with an agreement on grain deliveries.

On Mon, 4 Mar 2024, Moussa Traoré wrote:
> Any news from Bamako?
> Please tell.

Best regards,
{SIGNATURE_SEPARATOR}
Aminata Sangaré
Sahel Monitor, Bamako office
"""


def drafts_and_failures(path):
    items = list(read_path(path))
    return (
        [item for item in items if isinstance(item, ArticleDraft)],
        [item for item in items if isinstance(item, ImportFailure)],
    )


def test_eml_fields_quotes_and_signature_as_blocks(tmp_path, library):
    path = write_eml(tmp_path / "readout.eml", mail("Talks in Bamako: readout", BODY))
    [draft], failures = drafts_and_failures(path)
    assert failures == []
    assert draft.title == "Talks in Bamako: readout"
    assert draft.author == "Aminata Sangaré"
    assert draft.source == "sahel-monitor.org"
    assert draft.published == "2024-03-05"
    assert "grain deliveries" in draft.text
    # The quote (with its attribution) and the signature stand apart from the message.
    assert draft.text.split("\n\n") == [
        "Dear desk,",
        "The talks in Bamako ended on Tuesday with an agreement on grain deliveries.",
        "On Mon, 4 Mar 2024, Moussa Traoré wrote:\n> Any news from Bamako?\n> Please tell.",
        "Best regards,",
        "--\nAminata Sangaré\nSahel Monitor, Bamako office",
    ]
    [article_id] = library.import_items([draft]).imported
    article = library.get_article(article_id)
    quote = draft.text.index("> Any news")
    assert any(block.start == quote for block in article.blocks)
    # Short lines of a plain message are not taken for headings.
    assert [block.kind for block in article.blocks] == ["paragraph"] * len(article.blocks)


def test_list_mail_takes_the_list_as_source_and_html_only_mail_is_read(tmp_path):
    html = (
        "<html><body><h1>Weekly brief</h1><p>The junta in Niamey met the Russian delegation on "
        "Monday, state television reported.</p><p>Talks continue in Bamako next week, the "
        "ministry said.</p></body></html>"
    )
    message = mail("Weekly brief", "", list_id="Sahel Watch <sahel-watch.lists.example.org>")
    message.clear_content()
    message.set_content(html, subtype="html")
    [draft], _ = drafts_and_failures(write_eml(tmp_path / "brief.eml", message))
    assert draft.source == "Sahel Watch"
    assert "The junta in Niamey met the Russian delegation" in draft.text
    assert "<p>" not in draft.text


def test_attached_pdf_is_an_article_linked_to_its_message(qapp, tmp_path, library):
    pdf = write_pdf(tmp_path / "annex.pdf", [["The annex lists the grain deliveries agreed in Bamako."]])
    data = pdf.read_bytes()
    pdf.unlink()
    message = mail(
        "Annex attached",
        "Please find the annex attached.",
        attachments=[("annex.pdf", "application/pdf", data), ("logo.png", "image/png", b"\x89PNG\r\n")],
    )
    path = write_eml(tmp_path / "annex.eml", message)
    report = library.import_items(read_path(path))
    assert report.failed == []
    message_id, annex_id = report.imported  # the logo is not an importable format: skipped
    assert library.get_article(annex_id).text == "The annex lists the grain deliveries agreed in Bamako."
    [annex] = provenance.provenance_of(library.db.conn, annex_id)
    assert annex.attached_to == message_id
    assert annex.file_name == "annex.pdf" and annex.size == len(data) and annex.importer == "pdf"
    assert provenance.original_file(library.path, annex) is None  # an in-memory library keeps no copies
    assert provenance.attachments_of(library.db.conn, message_id) == [annex_id]


def test_mbox_is_one_article_per_message(tmp_path):
    path = tmp_path / "desk.mbox"
    box = mailbox.mbox(path)
    for day in (4, 5, 6):
        box.add(
            mail(
                f"Sitrep {day} March",
                f"Situation report of {day} March: the talks in Bamako went on.",
                date=datetime(2024, 3, day, 8, tzinfo=UTC),
            )
        )
    box.close()
    drafts, failures = drafts_and_failures(path)
    assert failures == []
    assert [(d.title, d.published, d.origin) for d in drafts] == [
        (f"Sitrep {day} March", f"2024-03-{day:02d}", f"{path}#{number}")
        for number, day in enumerate((4, 5, 6), 1)
    ]
    assert {d.file_origin.importer for d in drafts if d.file_origin} == {"mbox"}


def test_mhtml_saved_page(tmp_path):
    html = (
        "<html><head><title>Sahel talks resume</title></head><body><article><h1>Sahel talks resume</h1>"
        "<p>Delegations from Mali, Burkina Faso and Niger met in Niamey on Monday to discuss the "
        "confederation's budget, officials said.</p><p>A second round is planned for April in "
        "Ouagadougou, according to the ministry.</p></article></body></html>"
    )
    path = write_mhtml(tmp_path / "page.mhtml", html)
    [draft], failures = drafts_and_failures(path)
    assert failures == []
    assert draft.title == "Sahel talks resume"
    assert draft.url == "https://news.example.org/sahel/talks"
    assert "met in Niamey on Monday" in draft.text


def test_malformed_mime_is_named_and_the_rest_imports(tmp_path, library):
    broken = tmp_path / "broken.eml"
    broken.write_bytes(
        b"From: someone@example.org\r\nSubject: cut short\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\nthe parts never begin\r\n'
    )
    no_headers = tmp_path / "junk.eml"
    no_headers.write_bytes(b"\r\n\r\njust a line of text, no headers\r\n")
    write_eml(tmp_path / "good.eml", mail("Good", "A good message about the talks in Bamako."))
    report = library.import_items(read_paths([tmp_path]))
    assert len(report.imported) == 1
    reasons = {failure.origin: failure.reason for failure in report.failed}
    assert reasons[str(broken)].startswith("no text in the message (malformed MIME: ")
    assert "StartBoundaryNotFoundDefect" in reasons[str(broken)]
    assert reasons[str(no_headers)] == "not an e-mail message (no headers)"


def test_a_broken_attachment_is_named_and_its_message_imports(tmp_path, library):
    message = mail(
        "Two annexes",
        "Both annexes are attached.",
        attachments=[
            ("broken.docx", "application/octet-stream", b"PK\x03\x04 not really a zip"),
            ("notes.txt", "text/plain", "Notes on the talks in Bamako, by Traoré.".encode("cp1252")),
        ],
    )
    path = write_eml(tmp_path / "annexes.eml", message)
    report = library.import_items(read_path(path))
    assert len(report.imported) == 2  # the message and notes.txt
    [failure] = report.failed
    assert failure.origin == f"{path} › broken.docx"
    assert failure.reason.startswith("corrupt .docx file")


def test_parts_nested_past_the_recursion_limit_are_named_and_the_rest_imports(tmp_path):
    body = "Mali and Niger met in Bamako."
    for depth in range(2000):
        body = f'Content-Type: multipart/mixed; boundary="b{depth}"\n\n--b{depth}\n{body}\n--b{depth}--\n'
    message = "Subject: Deep\nFrom: a@example.org\nMIME-Version: 1.0\n" + body
    for name in ("deep.eml", "deep.mhtml"):
        (tmp_path / name).write_text(message, encoding="utf-8")
    (tmp_path / "fine.txt").write_text("Talks\nMali and Niger met in Bamako.\n", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    failures = sorted((i.origin.rsplit("/", 1)[-1], i.reason) for i in items if isinstance(i, ImportFailure))
    assert failures == [
        ("deep.eml", "malformed MIME: parts nested too deeply"),
        ("deep.mhtml", "malformed MIME: parts nested too deeply"),
    ]
    assert [i.title for i in items if isinstance(i, ArticleDraft)] == ["Talks"]


def test_a_charset_label_no_codec_can_be_is_detected_instead(tmp_path):
    # A NUL inside the charset label makes Python's codec look-up raise ValueError, not
    # LookupError; found by the hostile-input fuzz test.
    path = tmp_path / "nul-charset.eml"
    path.write_bytes(
        b"From: desk@example.org\nSubject: Grain\n"
        b"Content-Type: text/plain; charset=utf-8\x00\nContent-Transfer-Encoding: 7bit\n\n"
        b"The ministers of Mali and Niger met in Bamako on Monday.\n"
    )
    [draft], failures = drafts_and_failures(path)
    assert failures == []
    assert "met in Bamako on Monday" in draft.text

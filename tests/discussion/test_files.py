"""Evidence files are recognised by their content, not only by their name, and kept to
the size and types in the settings."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from discussion.files import check_upload
from tests.discussion.conftest import PDF, PNG, docx, pdf


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF, "application/pdf"),
        ("사진.PNG", PNG, "image/png"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("보고서.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/x-hwp"),
    ],
)
def test_accepted_files(name, content, content_type):
    checked = check_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def test_an_office_document_is_a_zip_with_its_own_parts():
    assert check_upload(docx()).content_type.endswith("wordprocessingml.document")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("report.docx", buffer.getvalue()))
    assert refused.value.code == "content"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("page.pdf", b"<html><script>alert(1)</script>", "content"),
        ("photo.png", PDF, "content"),
        ("setup.exe", b"MZ\x90\x00", "type"),
        ("page.html", b"<html></html>", "type"),
        ("noextension", PDF, "type"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_refused_files(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    assert refused.value.code == code


def test_the_size_and_the_types_are_settings(settings):
    settings.DISCUSSION_MAX_FILE_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        check_upload(pdf())
    assert refused.value.code == "size"
    settings.DISCUSSION_MAX_FILE_BYTES = 10**6
    settings.DISCUSSION_FILE_EXTENSIONS = ["png"]
    with pytest.raises(ValidationError) as refused:
        check_upload(pdf())
    assert refused.value.code == "type"


def test_the_stored_name_is_ours_not_the_uploaders(city):
    from discussion import services

    evil = pdf("../../etc/passwd.pdf")
    comment = services.post_comment(
        task=city.finance_task, by=city.finance_staff, body="x", upload=evil,
        checked=check_upload(evil),
    )  # fmt: skip
    attachment = comment.attachments.get()
    assert attachment.name == "passwd.pdf"
    assert attachment.file.name.startswith(f"evidence/{city.finance_task.pk}/")
    assert ".." not in attachment.file.name
    assert attachment.file.storage.exists(attachment.file.name)

"""What may be attached as evidence: PDF, office documents (including Hangul's HWP and
HWPX) and images, recognised by their content, not only by their name.

A file's first bytes must be those of the type its extension claims: a renamed
executable, an HTML page called "report.pdf" or a ZIP that is not an office document
is refused. The size limit and the accepted extensions are settings
(``DISCUSSION_MAX_FILE_BYTES``, ``DISCUSSION_FILE_EXTENSIONS``).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc .xls .ppt .hwp
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    content_type: str
    signatures: tuple[bytes, ...]
    # For ZIP-based documents: a member the archive must hold.
    zip_member: str = ""


KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", (b"%PDF-",)),
    "png": Kind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Kind("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": Kind("image/gif", (b"GIF87a", b"GIF89a")),
    "hwp": Kind("application/x-hwp", (OLE,)),
    "doc": Kind("application/msword", (OLE,)),
    "xls": Kind("application/vnd.ms-excel", (OLE,)),
    "ppt": Kind("application/vnd.ms-powerpoint", (OLE,)),
    "hwpx": Kind("application/hwp+zip", (ZIP,), "Contents/"),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        "word/",
    ),
    "xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,), "xl/"
    ),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
        "ppt/",
    ),
    "odt": Kind("application/vnd.oasis.opendocument.text", (ZIP,), "content.xml"),
    "ods": Kind("application/vnd.oasis.opendocument.spreadsheet", (ZIP,), "content.xml"),
}


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _zip_holds(upload, member: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(name.startswith(member) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def check_upload(upload) -> Checked:
    """The upload's name, type, size and digest, or a ValidationError saying why not."""
    name = PurePath(upload.name or "").name[:255] or "file"
    extension = _extension(name)
    allowed = [e for e in settings.DISCUSSION_FILE_EXTENSIONS if e in KINDS]
    if extension not in allowed:
        raise ValidationError(
            _("Files of this type cannot be attached. Accepted: %(types)s.")
            % {"types": ", ".join(allowed)},
            code="type",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > settings.DISCUSSION_MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(size)s.")
            % {"size": filesizeformat(settings.DISCUSSION_MAX_FILE_BYTES)},
            code="size",
        )
    kind = KINDS[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(kind.signatures) or (
        kind.zip_member and not _zip_holds(upload, kind.zip_member)
    ):
        raise ValidationError(
            _("The file's content is not a .%(extension)s file.") % {"extension": extension},
            code="content",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(name, kind.content_type, upload.size, digest.hexdigest())

"""``itadesk documents …``: the official documents from the command line.

    itadesk documents minutes    --meeting ID --out FILE.pdf|FILE.docx
    itadesk documents agenda     --meeting ID --out FILE.pdf|FILE.docx
    itadesk documents invitation --meeting ID --out FILE.pdf|FILE.docx
    itadesk documents letter     --document ID --out FILE.pdf|FILE.docx   (PDF: with its distribution list
                                                                          and the minutes it sends)
    itadesk documents distribution --document ID --out FILE.pdf|FILE.docx
    itadesk documents templates  [--out DIR]   rebuild the default DOCX templates

DOCX files use the province's uploaded template when there is one. Exit status 0 when the file is written;
2 for bad arguments (unknown meeting or letter, wrong file type); 1 when the document cannot be made."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itadesk.committee.models import Meeting
from itadesk.documents import docx, docx_defaults, official, pdf
from itadesk.documents.models import IssuedDocument

MEETING_KINDS = official.MEETING_KINDS
LETTER_KINDS = official.LETTER_KINDS
EXTENSIONS = {".pdf": "pdf", ".docx": "docx"}


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Official documents (minutes, agenda, invitation, letter, distribution list) as PDF or DOCX."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=[*MEETING_KINDS, *LETTER_KINDS, "templates"],
                            help="the document to write, or 'templates' to rebuild the default DOCX templates")
        parser.add_argument("--meeting", metavar="ID", help="the meeting (minutes, agenda, invitation)")
        parser.add_argument("--document", metavar="ID", help="the letter (letter, distribution)")
        parser.add_argument("--out", metavar="FILE", help="FILE.pdf or FILE.docx (templates: a folder)")

    def handle(self, *args, what, meeting, document, out, **options):
        if what == "templates":
            for path in docx_defaults.write_all(Path(out) if out else docx_defaults.OUT_DIR):
                self.stdout.write(str(path))
            return
        if not out:
            raise _usage_error("ต้องระบุ --out FILE.pdf หรือ FILE.docx / --out FILE.pdf or FILE.docx is required")
        path = Path(out)
        fmt = EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            raise _usage_error(f"ไม่รองรับไฟล์ชนิด '{path.suffix or path.name}' (ใช้ .pdf หรือ .docx) / "
                               f"unsupported file type '{path.suffix or path.name}' (use .pdf or .docx)")
        try:
            if what in MEETING_KINDS:
                body, label = self._meeting(what, meeting, fmt)
            else:
                body, label = self._letter(what, document, fmt)
        except (docx.DocxTemplateError, pdf.PdfError, official.DocumentError) as exc:
            raise CommandError(f"ทำเอกสารไม่ได้ / cannot make the document: {exc}") from exc
        try:
            path.write_bytes(body)
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ {path} ไม่ได้ / cannot write {path}: {exc.strerror}") from exc
        self.stdout.write(f"{path}: {what} ({fmt}), {label}")

    @staticmethod
    def _id(value, option: str) -> int:
        if not value:
            raise _usage_error(f"ต้องระบุ {option} ID / {option} ID is required")
        try:
            return int(str(value).strip())
        except ValueError:
            raise _usage_error(f"{option} ต้องเป็นตัวเลข ไม่ใช่ '{value}' / {option} must be a number, "
                               f"not '{value}'") from None

    def _meeting(self, what, meeting_id, fmt):
        pk = self._id(meeting_id, "--meeting")
        meeting = Meeting.objects.select_related("province").filter(pk=pk).first()
        if meeting is None:
            raise _usage_error(f"ไม่พบการประชุมหมายเลข {pk} / no meeting with ID {pk}")
        data = official.meeting_document(meeting, what)
        return official.render(what, data, fmt, province=meeting.province), f"{meeting.label} {meeting.place}"

    def _letter(self, what, document_id, fmt):
        pk = self._id(document_id, "--document")
        document = IssuedDocument.objects.select_related("register", "province", "meeting").filter(pk=pk).first()
        if document is None:
            raise _usage_error(f"ไม่พบหนังสือหมายเลข {pk} / no letter with ID {pk}")
        if what == "letter" and fmt == "pdf":
            return official.letter_package_pdf(document), str(document)
        data = official.letter_document(document, what)
        return official.render(what, data, fmt, province=document.province), str(document)

"""Pages of the official documents: registers, letters (draft → issued with the next number), downloads as
PDF and DOCX, the meeting's documents, the DOCX templates the secretariat edits, and share links (with the
public download behind a QR code). Access: ``manage_documents`` (the secretariat) writes;
``view_issued_documents`` (the secretariat and the province's offices) reads issued letters; a meeting's
documents follow ``view_meeting``. Agency users see none of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from itadesk.accounts import access
from itadesk.committee import selectors as committee_selectors
from itadesk.committee.models import AgendaAttachment, CommitteeMember, Meeting
from itadesk.core import audit, downloads, once
from itadesk.core.forms import form_changes
from itadesk.core.names import province_names
from itadesk.core.views import run_service
from itadesk.documents import docx, official, pdf, qr, selectors, services
from itadesk.documents.forms import (
    LastNumberForm,
    LetterForm,
    RegisterForm,
    TemplateUploadForm,
    recipients_text,
    template_kind,
)
from itadesk.documents.models import (
    DocumentRegister,
    DocumentTemplate,
    Emblem,
    IssuedDocument,
    RegisterCounter,
    ShareLink,
)

CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _download(body: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    downloads.attach(response, name)
    return response



# --- registers ------------------------------------------------------------------------------------------------

@login_required
def registers(request):
    access.require(request.user, "view_issued_documents")
    rows = list(selectors.registers_for(request.user))
    for register in rows:
        register.next_preview = register.full_number(services.next_number(register))
    return render(request, "documents/registers.html", {
        "registers": rows, "can_manage": access.can(request.user, "manage_documents"),
    })


@login_required
def register_edit(request, register_id=None):
    province = access.province_to_work_on(request, "manage_documents")
    register = get_object_or_404(DocumentRegister, pk=register_id, province=province) if register_id else None
    if register is None and (repeat := once.repeat_response(request)) is not None:  # the same new form sent again
        return repeat
    form = RegisterForm(request.POST or None, instance=register)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_register(actor=request.user, province=province, register=register,
                                                    changes=form_changes(form)),
            success=_("Register saved."), redirect_to="documents:registers", form=form, once=register is None)
        if done:
            return done
    counters = RegisterCounter.objects.filter(register=register).order_by("-year") if register else []
    return render(request, "documents/register_form.html", {
        "form": form, "register": register, "counters": counters,
        "last_form": LastNumberForm(initial={"year": _current_period(register)}) if register else None,
        "history": audit.history_for(register)[:30] if register else [],
    }, status=400 if form.errors else 200)


def _current_period(register):
    return services.period_of(register, services.today()) if register else None


@login_required
@require_POST
def register_last_number(request, register_id):
    province = access.province_to_work_on(request, "manage_documents")
    register = get_object_or_404(DocumentRegister, pk=register_id, province=province)
    form = LastNumberForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("documents:register_edit", register.pk)
    return run_service(
        request, lambda: services.set_last_number(actor=request.user, register=register,
                                                  year=form.cleaned_data["year"],
                                                  last_number=form.cleaned_data["last_number"]),
        success=_("The next number is %(number)s.") % {
            "number": register.full_number(form.cleaned_data["last_number"] + 1)},
        redirect_to=("documents:register_edit", register.pk))




# --- letters --------------------------------------------------------------------------------------------------

@login_required
def letters(request):
    access.require(request.user, "view_issued_documents")
    rows = selectors.documents_for(request.user).order_by("-issued_at", "-created_at", "-id")
    register_id = request.GET.get("register", "")
    if register_id.isdigit():
        rows = rows.filter(register_id=int(register_id))
    return render(request, "documents/letters.html", {
        "letters": rows[:300], "registers": selectors.registers_for(request.user), "register_id": register_id,
        "can_manage": access.can(request.user, "manage_documents"),
    })


def _initial_from_meeting(meeting, kind: str) -> dict:
    when = official.format_date(meeting.date, style="full", digits="thai")
    title = official._meeting_title(meeting)
    members = CommitteeMember.objects.filter(province=meeting.province).order_by("order", "id")
    recipients = "\n".join(f"{m.position} ({m.name})" if m.position else m.name for m in members)
    if kind == IssuedDocument.Kind.INVITATION:
        return {"kind": kind, "meeting": meeting.pk, "subject": f"ขอเชิญประชุม{title}",
                "addressee": "", "recipients_text": recipients, "enclosures": "ระเบียบวาระการประชุม จำนวน ๑ ชุด",
                "body": "\n\n".join(official.invitation_data(meeting)["paragraphs"]),
                "closing": "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุมตามวัน เวลา และสถานที่ดังกล่าว"}
    return {"kind": IssuedDocument.Kind.MINUTES, "meeting": meeting.pk, "subject": f"รายงานการประชุม{title}",
            "recipients_text": recipients, "enclosures": "รายงานการประชุม จำนวน ๑ ชุด",
            "body": f"ตามที่{province_names(meeting.province.name_th).name} ได้เชิญท่านเข้าประชุม{title} "
                    f"เมื่อวันที่ {when}"
                    + (f" เวลา {official.official_time(meeting.scheduled_time)}" if meeting.scheduled_time else "")
                    + f" ณ {meeting.place} นั้น\n\n"
                    "บัดนี้ ฝ่ายเลขานุการคณะกรรมการฯ ได้จัดทำรายงานการประชุมดังกล่าวเสร็จเรียบร้อยแล้ว "
                    "จึงขอส่งรายงานการประชุม รายละเอียดตามสิ่งที่ส่งมาด้วย",
            "closing": "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป"}


@login_required
def letter_edit(request, document_id=None):
    province = access.province_to_work_on(request, "manage_documents")
    document = None
    if document_id:
        document = get_object_or_404(IssuedDocument, pk=document_id, province=province)
        if document.is_issued:
            messages.error(request, _("Letter %(number)s is issued; an issued letter cannot change.")
                           % {"number": document.full_number})
            return redirect("documents:letter", document.pk)
    elif (repeat := once.repeat_response(request)) is not None:  # the same new-letter form sent again
        return repeat
    initial = {}
    meeting_id = request.GET.get("meeting", "")
    if document is None and meeting_id.isdigit():
        meeting = get_object_or_404(Meeting, pk=int(meeting_id), province=province)
        initial = _initial_from_meeting(meeting, request.GET.get("kind", IssuedDocument.Kind.MINUTES))
    fill = request.GET.get("fill", "")
    if fill in official.RECIPIENT_SETS and document is None:
        initial["recipients_text"] = recipients_text(official.recipient_set(province, fill))
    register = official.province_register(province)
    if document is None and register is not None:
        initial.setdefault("register", register.pk)
        if register.contact:
            initial.setdefault("contact", register.contact)
    form = LetterForm(request.POST or None, instance=document, province=province, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.save_document(actor=request.user, province=province, document=document,
                                                    changes=form.changes()),
            success=_("Letter saved as a draft."), redirect_to=lambda saved: ("documents:letter", saved.pk),
            form=form, once=document is None)
        if done:
            return done
    query = request.GET.copy()
    query.pop("fill", None)
    fills = [(which, label, f"?{query.urlencode()}&fill={which}" if query else f"?fill={which}")
             for which, label in (("members", _("the committee members")),
                                  ("local", _("every local government of the province")),
                                  ("offices", _("the supervising offices")))]
    return render(request, "documents/letter_form.html", {"form": form, "document": document,
                                                          "fills": fills if document is None else []},
                  status=400 if form.errors else 200)


@login_required
def letter_detail(request, document_id):
    document = selectors.document_for(request.user, document_id)
    can_manage = access.can(request.user, "manage_documents", document)
    links = document.share_links.order_by("-created_at") if can_manage else []
    return render(request, "documents/letter_detail.html", {
        "document": document, "can_manage": can_manage, "links": links,
        "next_number": document.register.full_number(services.next_number(document.register, document.date))
        if not document.is_issued else "",
        "history": audit.history_for(document)[:30] if can_manage else [],
        "has_emblem": Emblem.objects.filter(province=document.province).exists(),
    })


@login_required
@require_POST
def letter_issue(request, document_id):
    document = selectors.document_for(request.user, document_id)
    access.require(request.user, "manage_documents", document)
    return run_service(request, lambda: services.issue_document(actor=request.user, document=document),
                       success=lambda issued: _("Issued as %(number)s.") % {"number": issued.full_number},
                       redirect_to=("documents:letter", document.pk))


@login_required
def letter_download(request, document_id, kind, fmt):
    document = selectors.document_for(request.user, document_id)
    if kind not in (*official.LETTER_KINDS, "package") or fmt not in CONTENT_TYPES or (kind == "package" and fmt != "pdf"):
        raise Http404
    stem = f"{document.year or ''}-{document.number or 'draft'}"
    try:
        if kind == "package":
            body = official.letter_package_pdf(document)
        else:
            body = official.render(kind, official.letter_document(document, kind), fmt, province=document.province)
    except (docx.DocxTemplateError, pdf.PdfError) as exc:
        return _render_error_to(request, exc, document)
    return _download(body, fmt, official.filename(stem, kind, fmt))


def _render_error_to(request, exc, document):
    messages.error(request, _("The document could not be made: %(error)s") % {"error": str(exc)})
    return redirect("documents:letter", document.pk)


# --- a meeting's documents ------------------------------------------------------------------------------------

@login_required
def meeting_download(request, meeting_id, kind, fmt):
    meeting = committee_selectors.meeting_for(request.user, meeting_id)
    access.require(request.user, "view_meeting", meeting)
    if kind not in official.MEETING_KINDS or fmt not in CONTENT_TYPES:
        raise Http404
    try:
        body = official.render(kind, official.meeting_document(meeting, kind), fmt, province=meeting.province)
    except (docx.DocxTemplateError, pdf.PdfError) as exc:
        messages.error(request, _("The document could not be made: %(error)s") % {"error": str(exc)})
        return redirect("committee:meeting", meeting.pk)
    return _download(body, fmt, official.filename(downloads.be_date(meeting.date), kind, fmt))


@login_required
@require_POST
def meeting_share_attachments(request, meeting_id):
    """Share links (QR codes on the minutes) for every attachment of the meeting that has none."""
    meeting = committee_selectors.meeting_for(request.user, meeting_id)
    access.require(request.user, "manage_documents", meeting)
    made = 0
    for attachment in AgendaAttachment.objects.filter(item__meeting=meeting).order_by("id"):
        before = ShareLink.objects.filter(attachment=attachment, revoked_at__isnull=True).exists()
        services.create_share_link(actor=request.user, province=meeting.province, attachment=attachment)
        made += 0 if before else 1
    messages.success(request, _("%(n)s new share links; their QR codes are printed on the minutes.") % {"n": made})
    return redirect("committee:meeting", meeting.pk)


# --- templates ----------------------------------------------------------------------------------------------

@login_required
def templates(request):
    province = access.province_to_work_on(request, "manage_documents")
    current = {t.kind: t for t in DocumentTemplate.objects.filter(province=province, is_active=True)}
    kinds = [{"kind": kind, "label": label, "current": current.get(kind),
              "variables": sorted(official.VARIABLES[kind].items())}
             for kind, label in DocumentTemplate.Kind.choices]
    history = DocumentTemplate.objects.filter(province=province).defer("content").select_related("uploaded_by")[:30]

    return render(request, "documents/templates.html", {
        "province": province, "kinds": kinds, "upload_form": TemplateUploadForm(), "uploads": history,
        "emblem": Emblem.objects.filter(province=province).defer("content").first(),
    })


@login_required
@require_POST
def emblem_upload(request):
    """The secretariat uploads the Garuda emblem of the province's letters (PNG or SVG), once."""
    province = access.province_to_work_on(request, "manage_documents")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a PNG or SVG file of the Garuda emblem."))
        return redirect("documents:templates")
    return run_service(
        request, lambda: services.upload_emblem(actor=request.user, province=province, name=upload.name,
                                                content=upload.read()),
        success=_("The Garuda emblem is on every letter and memo from now on."),
        redirect_to="documents:templates")


@login_required
def emblem_image(request):
    province = access.province_to_work_on(request, "manage_documents")
    emblem = get_object_or_404(Emblem, province=province)
    response = HttpResponse(bytes(emblem.content), content_type=emblem.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
def template_download(request, kind, which):
    province = access.province_to_work_on(request, "manage_documents")
    if template_kind(kind) is None or which not in ("current", "default"):
        raise Http404
    if which == "default":
        path = official.default_template(kind)
        return _download(path.read_bytes(), "docx", path.name)
    content, name = official.template_for(province, kind)
    body = content.read_bytes() if hasattr(content, "read_bytes") else content
    return _download(body, "docx", name)


@login_required
@require_POST
def template_upload(request, kind):
    province = access.province_to_work_on(request, "manage_documents")
    if template_kind(kind) is None:
        raise Http404
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a .docx file to upload."))
        return redirect("documents:templates")
    upload = form.cleaned_data["file"]
    return run_service(
        request, lambda: services.upload_template(actor=request.user, province=province, kind=kind,
                                                  name=upload.name, content=upload.read()),
        success=_("The new template is in use."), redirect_to="documents:templates")


@login_required
@require_POST
def template_reset(request, kind):
    province = access.province_to_work_on(request, "manage_documents")
    if template_kind(kind) is None:
        raise Http404
    services.reset_template(actor=request.user, province=province, kind=kind)
    messages.success(request, _("The default template is in use again."))
    return redirect("documents:templates")


# --- share links ----------------------------------------------------------------------------------------------

@login_required
def shares(request):
    province = access.province_to_work_on(request, "manage_documents")
    links = (ShareLink.objects.filter(province=province)
             .select_related("attachment__item__meeting", "document__register", "created_by")[:300])
    attachments = (AgendaAttachment.objects.filter(item__meeting__province=province)
                   .select_related("item__meeting").order_by("-item__meeting__date", "item__section", "id")[:300])
    documents = IssuedDocument.objects.filter(province=province, status=IssuedDocument.Status.ISSUED)[:300]
    return render(request, "documents/shares.html", {"links": links, "attachments": attachments,
                                                     "documents": documents})


@login_required
@require_POST
def share_create(request):
    province = access.province_to_work_on(request, "manage_documents")
    attachment_id, document_id = request.POST.get("attachment", ""), request.POST.get("document", "")
    attachment = document = None
    if attachment_id.isdigit():
        attachment = get_object_or_404(AgendaAttachment, pk=int(attachment_id), item__meeting__province=province)
    elif document_id.isdigit():
        document = get_object_or_404(IssuedDocument, pk=int(document_id), province=province)
    else:
        messages.error(request, _("Choose an attachment or an issued letter to share."))
        return redirect("documents:shares")
    try:
        link = services.create_share_link(actor=request.user, province=province, attachment=attachment,
                                          document=document)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("documents:shares")
    messages.success(request, _("Share link: %(url)s") % {"url": link.url()})
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("documents:shares")


@login_required
@require_POST
def share_revoke(request, link_id):
    province = access.province_to_work_on(request, "manage_documents")
    link = get_object_or_404(ShareLink, pk=link_id, province=province)
    services.revoke_share_link(actor=request.user, link=link)
    messages.success(request, _("The link no longer works."))
    return redirect("documents:shares")


@login_required
def share_qr(request, link_id):
    """The QR code of a share link (PNG), to paste into other documents."""
    province = access.province_to_work_on(request, "manage_documents")
    link = get_object_or_404(ShareLink, pk=link_id, province=province, revoked_at__isnull=True)

    response = HttpResponse(qr.qr_png(link.url(), scale=10), content_type="image/png")
    downloads.attach(response, downloads.download_name(f"share-{link.pk}", "png"))
    return response


def share_public(request, token):
    """The public download behind a QR code: no login; 404 for an unknown or revoked token."""
    link = (ShareLink.objects.select_related("attachment", "document__register", "document__meeting")
            .filter(token=token, revoked_at__isnull=True).first())
    if link is None:
        raise Http404
    services.count_download(link)
    if link.attachment_id:
        try:
            handle = link.attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return downloads.attach(FileResponse(handle, as_attachment=True), link.attachment.name)
    document = link.document
    if not document.is_issued:
        raise PermissionDenied
    body = official.letter_package_pdf(document)
    return _download(body, "pdf", official.filename(f"{document.year}-{document.number}", "letter", "pdf"))

from django.urls import path

from itadesk.documents import official_views, views

app_name = "documents"

urlpatterns = [
    path("qr/", views.home, name="home"),
    path("agencies/<int:agency_id>/qr/", views.agency_qr, name="agency_qr"),
    path("agencies/<int:agency_id>/qr/<slug:instrument>/<str:filename>", views.agency_download,
         name="agency_download"),
    path("rounds/<int:round_id>/qr/", views.bulk, name="bulk"),
    path("rounds/<int:round_id>/qr/<slug:instrument>/<str:filename>", views.bulk_download, name="bulk_download"),
    # official documents
    path("registers/", official_views.registers, name="registers"),
    path("registers/new/", official_views.register_edit, name="register_new"),
    path("registers/<int:register_id>/", official_views.register_edit, name="register_edit"),
    path("registers/<int:register_id>/last-number/", official_views.register_last_number, name="register_last_number"),
    path("letters/", official_views.letters, name="letters"),
    path("letters/new/", official_views.letter_edit, name="letter_new"),
    path("letters/<int:document_id>/", official_views.letter_detail, name="letter"),
    path("letters/<int:document_id>/edit/", official_views.letter_edit, name="letter_edit"),
    path("letters/<int:document_id>/issue/", official_views.letter_issue, name="letter_issue"),
    path("letters/<int:document_id>/<slug:kind>.<slug:fmt>", official_views.letter_download, name="letter_download"),
    path("meetings/<int:meeting_id>/<slug:kind>.<slug:fmt>", official_views.meeting_download,
         name="meeting_download"),
    path("meetings/<int:meeting_id>/share-attachments/", official_views.meeting_share_attachments,
         name="meeting_share_attachments"),
    path("templates/", official_views.templates, name="templates"),
    path("templates/<slug:kind>/<slug:which>.docx", official_views.template_download, name="template_download"),
    path("templates/<slug:kind>/upload/", official_views.template_upload, name="template_upload"),
    path("templates/<slug:kind>/reset/", official_views.template_reset, name="template_reset"),
    path("emblem/", official_views.emblem_upload, name="emblem_upload"),
    path("emblem/image", official_views.emblem_image, name="emblem_image"),
    path("shares/", official_views.shares, name="shares"),
    path("shares/new/", official_views.share_create, name="share_create"),
    path("shares/<int:link_id>/revoke/", official_views.share_revoke, name="share_revoke"),
    path("shares/<int:link_id>/qr.png", official_views.share_qr, name="share_qr"),
    path("s/<str:token>/", official_views.share_public, name="share"),
]

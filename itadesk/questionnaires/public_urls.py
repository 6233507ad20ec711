from django.urls import path

from itadesk.questionnaires import public

app_name = "q"

urlpatterns = [
    path("<str:public_id>/", public.form, name="form"),
    path("<str:public_id>/thanks/", public.thanks, name="thanks"),
]

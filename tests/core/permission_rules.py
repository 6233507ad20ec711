"""Permission rules of the core pages (merged into tests/test_permissions.py RULES).

/healthz is public: load balancers and monitoring ask it without logging in; it says only ok or error.
A background import job's status is its owner's alone (here the secretariat's job): anyone else gets 404."""

from tests.permission_kit import expect


def _import_job(w):
    from itadesk.core.models import ImportJob

    job = ImportJob.objects.filter(user=w.secretariat).first() or ImportJob.objects.create(
        user=w.secretariat, token="t" * 32, filename="agencies.csv", importer="x.y")
    return {"job_id": job.pk}

RULES = {
    "healthz": ("get", lambda w: {}, expect(200, anonymous=200)),
    "core:import_job": ("get", _import_job, expect(404, secretariat=200)),
}

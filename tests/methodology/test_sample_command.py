"""``itadesk sample``: minimum respondents by the framework's sample rules."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from itadesk.methodology import schema


def run(*args):
    out = StringIO()
    call_command("sample", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_minimum_samples_of_the_shipped_2568_framework():
    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2568.yaml")
    data = json.loads(run("--internal", "๔๕", "--external", "1,250", "--json"))
    assert [(s["kind"], s["population"]) for s in data["samples"]] == [("internal", 45), ("external", 1250)]
    for s in data["samples"]:
        assert s["minimum"] == schema.minimum_sample(fw["sample_rules"][s["kind"]], s["population"])
    text = run("--external", "20")
    assert "20 → ขั้นต่ำ / minimum 20" in text  # fewer than 30: all of them
    assert "not confirmed by the NACC" in text


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    ((), "give --internal and/or --external"),
    (("--internal", "-3"), "must be a whole number"),
    (("--internal", "สิบ"), "must be a whole number"),
    (("--framework", "nope", "--internal", "3"), "no framework 'nope'"),
])
def test_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

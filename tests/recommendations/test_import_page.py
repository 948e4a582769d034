"""The admin's import page for recommendations and practices: preview, then confirm."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import MonitoringRound
from recommendations.models import Practice, Recommendation
from secretariat import services as core_services
from tests.factories import RoundFactory

from .factories import ReportFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _preview(client, kind, name, **data):
    upload = SimpleUploadedFile(name, (FIXTURES / name).read_bytes())
    return client.post(reverse("import_file", args=[kind]), {"file": upload, **data})


def test_practices_are_previewed_then_imported(client_for, officer):
    core_services.load_reference_data()
    client = client_for(officer)
    preview = _preview(client, "practices", "practices.csv")
    assert "Would create 82 practices" in preview.text
    assert not Practice.objects.exists()
    client.post(
        reverse("import_file", args=["practices"]), {"confirm": "1", "token": preview.context["token"]}
    )
    assert Practice.objects.count() == 82


def test_recommendations_go_into_the_report_of_the_chosen_round(client_for, officer):
    core_services.load_reference_data()
    round_ = RoundFactory(number=2)
    round_.parties.set(MonitoringRound.default_parties())
    ReportFactory(round=round_)
    client = client_for(officer)
    preview = _preview(client, "recommendations", "recommendations_round2_cooperation.csv", round=round_.pk)
    assert "19 recommendations" in preview.text
    client.post(
        reverse("import_file", args=["recommendations"]), {"confirm": "1", "token": preview.context["token"]}
    )
    assert Recommendation.objects.count() == 19


def test_a_round_without_report_is_reported_as_an_error(client_for, officer):
    core_services.load_reference_data()
    round_ = RoundFactory(number=3)
    response = _preview(
        client_for(officer), "recommendations", "recommendations_round2_cooperation.csv", round=round_.pk
    )
    assert "needs exactly one implementation report" in response.text


def test_unknown_kind_is_not_found(client_for, officer):
    assert client_for(officer).get(reverse("import_file", args=["parties-and-more"])).status_code == 404


def test_state_user_cannot_import(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("import_file", args=["practices"])).status_code == 404

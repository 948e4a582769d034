import pytest
from django.core.management import CommandError, call_command

from secretariat import services
from secretariat.imports import ImportRejected
from secretariat.models import ConventionArticle, Party, User

pytestmark = pytest.mark.django_db


def test_reference_data_loads_all_parties_and_articles():
    services.load_reference_data()
    assert Party.objects.count() == 47
    assert ConventionArticle.objects.count() == 50
    russia = Party.objects.get(code="RUS")
    assert (russia.name_fr, russia.uncrc_status, russia.budapest_status) == (
        "Fédération de Russie",
        "party",
        "none",
    )
    assert str(russia.statuses_as_of) == "2019-10-01"


def test_reference_data_load_is_idempotent():
    services.load_reference_data()
    services.load_reference_data()
    assert Party.objects.count() == 47


def test_a_bad_row_aborts_the_whole_file(tmp_path, settings, monkeypatch):
    bad = tmp_path / "parties.csv"
    bad.write_text(
        "code,name_en,name_fr,coe_member,lanzarote,budapest,uncrc,opsc,weprotect,as_of\n"
        "ALB,Albania,Albanie,yes,party,party,party,party,yes,2019-10\n"
        "XXX,Nowhere,Nulle part,yes,party,party,party,party,yes,2019-10\n"
        "AND,Andorra,,maybe,party,party,party,party,no,2019-10\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(services, "FIXTURES_DIR", tmp_path)
    with pytest.raises(ImportRejected) as failure:
        services.load_reference_data()
    message = "\n".join(failure.value.messages)
    assert "line 3" in message and "XXX" in message
    assert "line 4" in message and "maybe" in message
    assert not Party.objects.exists()


def test_load_reference_command_reports_errors(tmp_path, monkeypatch):
    (tmp_path / "parties.csv").write_text("code,name_en,name_fr\nFRA,France,\n", encoding="utf-8")
    monkeypatch.setattr(services, "FIXTURES_DIR", tmp_path)
    with pytest.raises(CommandError, match="line 2"):
        call_command("load_reference")


def test_load_demo_creates_an_account_per_role(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    roles = set(User.objects.values_list("role", flat=True))
    assert len(roles) == 6
    assert User.objects.filter(role="state_coordinator").values("party").distinct().count() == 2
    assert "fra-coordinator" in capsys.readouterr().out


def test_load_demo_creates_no_account_when_debug_is_off(settings):
    settings.DEBUG = False
    call_command("load_demo")
    assert Party.objects.count() == 47
    assert not User.objects.exists()

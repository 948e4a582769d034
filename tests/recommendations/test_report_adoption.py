"""Adopting a report: all or nothing, refused with texts left to translate unless the Secretariat
gives its reason, the follow-ups opened, the report frozen; through a meeting's decision too."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from recommendations import drafting, meeting_items, services
from recommendations.models import FollowUp, ImplementationReport, Recommendation, ReportedStatus
from secretariat import access, meeting_documents, meetings
from secretariat.models import AgendaItem, Case, Decision, Meeting

from .factories import ChapterFactory, RecommendationFactory, ReportFactory

pytestmark = pytest.mark.django_db

IN_PREPARATION, ADOPTED = ImplementationReport.Status.IN_PREPARATION, ImplementationReport.Status.ADOPTED
MARCH_8 = datetime.date(2027, 3, 8)


@pytest.fixture
def draft(report, party_a):
    """A report in preparation on France's and Russia's round: two recommendations, translated, one
    addressed to both Parties, one to France."""
    draft = ReportFactory(round=report.round, status=IN_PREPARATION, reference="LC-DRAFT", adoption_date=None)
    chapter = ChapterFactory(report=draft, number="V")
    RecommendationFactory(chapter=chapter, number="V-1", addressed_to_all=True)
    RecommendationFactory(chapter=chapter, number="V-2", addressees=[party_a])
    return draft


@pytest.fixture
def untranslated(draft, officer):
    """A finding of the draft written in English only."""
    return drafting.finding_create(chapter=draft.chapters.get(), by=officer, text_en="Few Parties reply.")


def _follow_ups(report) -> list[tuple[str, str]]:
    rows = FollowUp.objects.filter(recommendation__report=report, active=True)
    return sorted(rows.values_list("recommendation__number", "party__code"))


def test_adopting_a_report_opens_the_follow_ups_of_its_recommendations(draft, officer):
    done = services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)

    draft.refresh_from_db()
    assert (draft.status, draft.adoption_date) == (ADOPTED, MARCH_8)
    assert _follow_ups(draft) == [("V-1", "FRA"), ("V-1", "RUS"), ("V-2", "FRA")]
    assert done == {"follow_ups": 3, "left_to_translate": 0}


def test_the_adoption_is_in_the_report_s_history_with_its_author(draft, officer):
    services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)

    latest = draft.history.latest()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (ADOPTED, officer, "adopted")


def test_the_follow_up_cases_open_with_the_adoption(draft, officer, party_b):
    services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)

    assert Case.objects.filter(party=party_b, subject_id=draft.pk).exists()


def test_a_report_already_adopted_is_not_adopted_again(report, officer):
    with pytest.raises(ValidationError, match="already adopted"):
        services.report_adopt(report=report, by=officer, adoption_date=MARCH_8)


def test_a_report_with_texts_left_to_translate_is_refused(draft, untranslated, officer):
    with pytest.raises(ValidationError) as refusal:
        services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)

    assert "1 text is left to translate" in str(refusal.value)
    draft.refresh_from_db()
    assert draft.status == IN_PREPARATION
    assert _follow_ups(draft) == []


def test_the_secretariat_adopts_with_texts_left_to_translate_giving_its_reason(draft, untranslated, officer):
    reason = "The French version is finalised after the meeting."

    done = services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8, override_reason=reason)

    draft.refresh_from_db()
    assert (draft.status, draft.untranslated_override_reason) == (ADOPTED, reason)
    assert done["left_to_translate"] == 1
    assert reason in draft.history.latest().history_change_reason


def test_a_reason_is_not_kept_when_nothing_is_left_to_translate(draft, officer):
    services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8, override_reason="Just in case.")

    draft.refresh_from_db()
    assert draft.untranslated_override_reason == ""


@pytest.mark.parametrize("persona", ["committee_member", "coordinator_a"])
def test_only_the_secretariat_adopts_a_report(request, draft, persona):
    with pytest.raises(PermissionDenied):
        services.report_adopt(report=draft, by=request.getfixturevalue(persona), adoption_date=MARCH_8)


def test_a_failure_opening_the_follow_ups_leaves_the_report_in_preparation(draft, officer, monkeypatch):
    opened = []

    def failing_sync(*, recommendation, **kwargs):
        if opened:
            raise RuntimeError("the database went away")
        opened.append(recommendation)
        return real_sync(recommendation=recommendation, **kwargs)

    real_sync = services.recommendation_sync_follow_ups
    monkeypatch.setattr(services, "recommendation_sync_follow_ups", failing_sync)

    with pytest.raises(RuntimeError):
        services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)

    draft.refresh_from_db()
    assert (draft.status, draft.adoption_date) == (IN_PREPARATION, None)
    assert _follow_ups(draft) == []  # the first recommendation's follow-ups went too
    assert draft.history.latest().status == IN_PREPARATION


def test_an_adopted_report_is_frozen(draft, officer):
    services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)
    chapter = draft.chapters.get()

    with pytest.raises(PermissionDenied):
        drafting.finding_create(chapter=chapter, by=officer, text_en="Too late.")
    with pytest.raises(PermissionDenied):
        drafting.chapter_renumber(chapter=chapter, by=officer)
    with pytest.raises(PermissionDenied):
        drafting.text_mark_translated(record=draft.recommendations.first(), language="fr", by=officer)


# --- access: a State sees the recommendations and follow-ups once adopted -------------------------


def test_a_state_sees_the_recommendations_and_its_follow_ups_only_once_adopted(draft, officer, coordinator_a):
    assert not access.scoped(ImplementationReport, coordinator_a).filter(pk=draft.pk).exists()

    services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)

    recommendations = access.scoped(Recommendation, coordinator_a).filter(report=draft)
    assert sorted(recommendations.values_list("number", flat=True)) == ["V-1", "V-2"]
    follow_ups = access.scoped(FollowUp, coordinator_a).filter(recommendation__report=draft)
    assert sorted(follow_ups.values_list("recommendation__number", "party__code")) == [
        ("V-1", "FRA"),
        ("V-2", "FRA"),
    ]


# --- through a meeting's decision ------------------------------------------------------------------


@pytest.fixture
def meeting():
    return Meeting.objects.create(number=47, starts_on=MARCH_8, ends_on=datetime.date(2027, 3, 10))


def _adoption_item(meeting, officer) -> AgendaItem:
    proposals = [
        proposal
        for proposal in meetings.agenda_proposals(meeting, user=officer)
        if proposal.proposer == "report_ready_for_adoption"
    ]
    [item] = meetings.agenda_add(meeting, proposals, by=officer)
    return item


def test_the_agenda_proposes_a_report_in_preparation_for_adoption(draft, meeting, officer):
    proposals = [
        proposal
        for proposal in meetings.agenda_proposals(meeting, user=officer)
        if proposal.proposer == "report_ready_for_adoption"
    ]

    [proposal] = proposals
    number = draft.round.number
    assert proposal.subject == draft
    assert proposal.title_en == f"Adoption of the round {number} implementation report"
    with translation.override("fr"):  # whatever the page's language (the catalogue has the French)
        assert proposal.title_fr == str(meeting_items.READY) % {"number": number}
    assert proposal.notes == "Every title, finding and recommendation is translated."


def test_the_proposal_counts_what_is_left_to_translate(draft, untranslated, meeting, officer):
    [proposal] = [
        proposal
        for proposal in meetings.agenda_proposals(meeting, user=officer)
        if proposal.proposer == "report_ready_for_adoption"
    ]

    assert proposal.notes == "Texts left to translate: 1."


def test_the_decision_to_adopt_opens_the_follow_ups(draft, meeting, officer):
    item = _adoption_item(meeting, officer)

    decision = meetings.decision_record(
        item, kind="adopt_report", text_en="The Committee adopted the report.", by=officer
    )

    draft.refresh_from_db()
    assert (draft.status, draft.adoption_date) == (ADOPTED, meeting.starts_on)
    assert len(_follow_ups(draft)) == 3
    assert decision.outcome == "Report adopted on 2027-03-08; 3 follow-ups opened."


def test_a_decision_to_adopt_with_texts_left_to_translate_is_refused_and_not_recorded(
    draft, untranslated, meeting, officer
):
    item = _adoption_item(meeting, officer)

    with pytest.raises(ValidationError) as refusal:
        meetings.decision_record(item, kind="adopt_report", text_en="Adopted.", by=officer)

    assert "left to translate" in refusal.value.messages[0]
    assert not Decision.objects.exists()
    draft.refresh_from_db()
    assert draft.status == IN_PREPARATION


def test_a_decision_gives_the_reason_for_adopting_with_texts_left_to_translate(
    draft, untranslated, meeting, officer
):
    item = _adoption_item(meeting, officer)

    meetings.decision_record(
        item,
        kind="adopt_report",
        text_en="Adopted.",
        details={"override_reason": "The Committee adopts it before its summer break."},
        by=officer,
    )

    draft.refresh_from_db()
    assert draft.status == ADOPTED
    assert draft.untranslated_override_reason == "The Committee adopts it before its summer break."


def test_the_list_of_decisions_prints_the_reason(draft, untranslated, meeting, officer):
    item = _adoption_item(meeting, officer)
    meetings.decision_record(
        item, kind="adopt_report", text_en="Adopted.", details={"override_reason": "Urgent."}, by=officer
    )

    printed = meeting_documents.build(meeting, kind="decisions", user=officer, language="en")

    assert printed.entries[0].decisions == ("Adopted.", "Adopted with texts left to translate: Urgent.")


def test_adopt_report_answers_only_the_adoption_items(meeting, officer):
    item = AgendaItem.objects.create(meeting=meeting, order=1, title_en="Any other business")

    with pytest.raises(ValidationError):
        meetings.decision_record(item, kind="adopt_report", text_en="Adopted.", by=officer)


def test_the_agenda_names_the_parties_late_with_their_updates(
    report, recommendation, meeting, officer, coordinator_a
):
    # The report's follow-ups were due on 2026-06-30; France has reported since, Russia has not.
    services.update_submit(
        follow_up=recommendation.follow_ups.get(party=coordinator_a.party),
        by=coordinator_a,
        text="Measures taken.",
        reported_status=ReportedStatus.IN_PROGRESS,
    )

    [proposal] = [
        proposal
        for proposal in meetings.agenda_proposals(meeting, user=officer)
        if proposal.proposer == "late_updates"
    ]

    assert proposal.subject == report
    assert proposal.notes == "Russian Federation"
    number = report.round.number
    assert (
        proposal.title_en
        == f"Parties late with their follow-up of the round {number} implementation report (1)"
    )


def test_no_party_is_late_before_the_deadline(report, recommendation, officer):
    early = Meeting.objects.create(
        number=40, starts_on=datetime.date(2026, 6, 1), ends_on=datetime.date(2026, 6, 2)
    )

    assert "late_updates" not in {
        proposal.proposer for proposal in meetings.agenda_proposals(early, user=officer)
    }


# --- the admin -------------------------------------------------------------------------------------


def _adopt_url(report) -> str:
    return reverse("admin:recommendations_implementationreport_adopt", args=[report.pk])


def test_the_report_page_offers_to_adopt_a_report_in_preparation(client_for, draft, officer):
    page = client_for(officer).get(
        reverse("admin:recommendations_implementationreport_change", args=[draft.pk])
    )

    assert _adopt_url(draft) in page.text
    assert page.context["adminform"].form.fields.get("adoption_date") is None  # the adoption sets it


def test_the_secretariat_adopts_a_report_in_the_admin(client_for, draft, officer):
    response = client_for(officer).post(_adopt_url(draft), {"adoption_date": "2027-03-08"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.adoption_date) == (ADOPTED, MARCH_8)
    assert len(_follow_ups(draft)) == 3


def test_the_admin_asks_for_a_reason_when_texts_are_left_to_translate(
    client_for, draft, untranslated, officer
):
    client = client_for(officer)

    refused = client.post(_adopt_url(draft), {"adoption_date": "2027-03-08"})
    assert refused.status_code == 200
    assert "left to translate" in str(refused.context["form"].errors["override_reason"])
    draft.refresh_from_db()
    assert draft.status == IN_PREPARATION

    reason = "French version finalised after the meeting."
    client.post(_adopt_url(draft), {"adoption_date": "2027-03-08", "override_reason": reason})
    page = client.get(reverse("admin:recommendations_implementationreport_change", args=[draft.pk]))
    assert reason in page.text
    assert _adopt_url(draft) not in page.text


def test_the_committee_cannot_adopt_a_report_in_the_admin(client_for, draft, committee_member):
    response = client_for(committee_member).post(_adopt_url(draft), {"adoption_date": "2027-03-08"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == IN_PREPARATION


def test_a_state_finds_no_adoption_page(client_for, draft, coordinator_a):
    response = client_for(coordinator_a).get(_adopt_url(draft))

    assert response.status_code in (302, 404)  # the admin is not theirs, and the draft not visible
    draft.refresh_from_db()
    assert draft.status == IN_PREPARATION


def test_the_adoption_page_runs_a_fixed_number_of_queries(
    client_for, draft, untranslated, officer, django_assert_max_num_queries
):
    client = client_for(officer)
    # session, user, the report (scoped) and its round (the title), the chapters, the findings and
    # the recommendations left to translate, the user's permissions (2: the admin's sidebar)
    with django_assert_max_num_queries(9):
        response = client.get(_adopt_url(draft))
    assert response.status_code == 200


def test_an_adopted_recommendation_s_text_and_articles_are_frozen_in_the_admin(client_for, draft, officer):
    services.report_adopt(report=draft, by=officer, adoption_date=MARCH_8)
    recommendation = draft.recommendations.get(number="V-1")
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])

    form = client_for(officer).get(url).context["adminform"].form

    assert {"text_en", "text_fr", "number", "urgency", "legal_basis"}.isdisjoint(form.fields)
    assert "addressees" in form.fields  # still opening or retiring follow-ups
    inline = client_for(officer).get(url).context["inline_admin_formsets"][0]
    assert not inline.has_add_permission and not inline.has_change_permission


def test_a_draft_recommendation_s_text_stays_editable(client_for, draft, officer):
    recommendation = draft.recommendations.get(number="V-1")
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])

    form = client_for(officer).get(url).context["adminform"].form

    assert {"text_en", "text_fr", "number"} <= set(form.fields)


def test_the_decision_page_shows_the_refusal_and_records_nothing(
    client_for, draft, untranslated, meeting, officer
):
    item = _adoption_item(meeting, officer)
    url = reverse("admin:secretariat_decision_record", args=[item.pk])

    response = client_for(officer).post(url, {"kind": "adopt_report", "text_en": "Adopted."})

    assert response.status_code == 200
    # Said beside the decision's reason, which would let the Committee adopt it as it stands.
    details = response.context["form"].details["adopt_report"][1]
    assert "left to translate" in str(details.errors["override_reason"])
    assert not Decision.objects.exists()


def test_the_decision_page_adopts_with_the_reason_for_texts_left_to_translate(
    client_for, draft, untranslated, meeting, officer
):
    item = _adoption_item(meeting, officer)
    url = reverse("admin:secretariat_decision_record", args=[item.pk])
    data = {"kind": "adopt_report", "text_en": "Adopted.", "adopt_report-override_reason": "Urgent."}

    response = client_for(officer).post(url, data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.untranslated_override_reason) == (ADOPTED, "Urgent.")
    assert Decision.objects.get().details == {"override_reason": "Urgent."}


def test_the_decision_page_adopts_the_report(client_for, draft, meeting, officer):
    item = _adoption_item(meeting, officer)
    url = reverse("admin:secretariat_decision_record", args=[item.pk])

    response = client_for(officer).post(url, {"kind": "adopt_report", "text_en": "Adopted."})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ADOPTED

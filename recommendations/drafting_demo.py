"""Demo: the co-operation chapter of round 2 as a report in preparation — a finding citing the
Russian Federation's registered replies to question 16, a draft recommendation, texts partly left
to translate, the demo's Committee member rapporteur on question 16 — so that `make run` shows
drafting, translation and adoption at a meeting; and a Party on the escalation ladder of the
adopted round 2 report."""

import datetime

from monitoring.models import MonitoringRound, Question, RapporteurAssignment, Reply
from secretariat.history import set_author
from secretariat.models import Party, User

from . import drafting
from .models import Chapter, ImplementationReport, Urgency

REFERENCE = "LC-R2-COOPERATION-DRAFT"

FINDING_EN = """The replies show that international co-operation on ICT-facilitated offences rests
mostly on **mutual legal assistance** requests, which take months, while the images spread in
hours. Few Parties report:

- joint investigation teams on such offences;
- direct co-operation with service providers established abroad."""

FINDING_FR = """Les réponses montrent que la coopération internationale sur les infractions facilitées
par les TIC repose surtout sur les demandes d'**entraide judiciaire**, qui prennent des mois, alors
que les images se diffusent en quelques heures."""

RECOMMENDATION_EN = (
    "The Committee requests the Parties to make use of joint investigation teams and of direct "
    "co-operation with service providers when investigating ICT-facilitated sexual offences against "
    "children."
)


def load_draft_report(*, by: User) -> list[str]:
    """The draft once: loading the demo again leaves it (and what the Secretariat did with it) alone."""
    round_ = MonitoringRound.objects.get(number=2)
    report, created = ImplementationReport.objects.get_or_create(
        reference=REFERENCE,
        defaults={
            "round": round_,
            "title_en": "Implementation report on international co-operation (draft)",
            "title_fr": "Rapport de mise en œuvre sur la coopération internationale (projet)",
        },
    )
    if not created:
        return [f"Report in preparation: {REFERENCE} (kept)"]
    chapter = Chapter.objects.create(
        report=report, number="I", order=1, title_en="International co-operation", title_fr=""
    )
    question = Question.objects.get(round=round_, ref="16", parent__isnull=True)
    chapter.questions.set([question])
    # The demo's Committee member reports on question 16: they write findings in this chapter too.
    if member := User.objects.filter(username="committee-member").first():
        assignment = RapporteurAssignment(question=question, member=member)
        if not RapporteurAssignment.objects.filter(question=question, member=member).exists():
            set_author(assignment, by).save()
    finding = drafting.finding_create(chapter=chapter, by=by, text_en=FINDING_EN, text_fr=FINDING_FR)
    replies = Reply.objects.filter(
        submission__round=round_, submission__status="registered", questions__ref__startswith="16"
    ).distinct()
    for order, reply in enumerate(replies.order_by("pk")[:2], start=1):
        drafting.finding_cite(finding=finding, reply=reply, by=by, order=order)
    # Children's words on question 16 (monitoring's demo registers them first), cited as evidence too.
    if words := drafting.citable_quotes(user=by, chapter=chapter).first():
        drafting.finding_cite(finding=finding, child_quote=words, by=by, order=3)
    recommendation = drafting.recommendation_draft(
        finding=finding,
        by=by,
        urgency=Urgency.REQUEST,
        text_en=RECOMMENDATION_EN,
        legal_basis="Article 38 of the Convention, as the Committee's 2nd round findings clarify it.",
    )
    number = recommendation.number
    return [f"Report in preparation: {REFERENCE}, 1 finding, recommendation {number} (French to translate)"]


def load_escalation(*, by: User) -> list[str]:
    """Bulgaria has not reported on round 2's co-operation recommendations: the Secretariat sent a
    reminder (still open), which meeting 48's agenda proposes to follow with a formal request."""
    from .demo import REPORT_2
    from .escalation import escalation_open_next
    from .models import EscalationStep

    report = ImplementationReport.objects.get(reference=REPORT_2["reference"])
    party = Party.objects.get(code="BGR")
    if not EscalationStep.objects.filter(report=report, party=party).exists():
        escalation_open_next(report=report, party=party, by=by, opened_on=datetime.date(2025, 4, 10))
    return ["Escalation: Bulgaria, a reminder on the round 2 report"]

"""Cases built directly (or taken as the kinds opened them), for the tests of letters, correspondence,
notes and the case file."""

import datetime

from django.contrib.contenttypes.models import ContentType

from secretariat.models import Case


def case_for(
    subject, party, *, kind: str, handler=None, state: str = "submitted", due=None, **fields
) -> Case:
    subject_type = ContentType.objects.get_for_model(subject)
    # The app's kind may already have opened the case (its events refresh cases): take that one.
    existing = Case.objects.filter(
        kind=kind, subject_type=subject_type, subject_id=subject.pk, party=party
    ).first()
    if existing is not None:
        existing.handler = handler
        existing.save(update_fields=["handler"])
        return existing
    return Case.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject.pk,
        party=party,
        title_en=fields.pop("title_en", f"Replies of {party.name_en}"),
        title_fr=fields.pop("title_fr", f"Réponses de {party.name_fr}"),
        state=state,
        waiting_on=fields.pop("waiting_on", Case.WaitingOn.SECRETARIAT),
        due_date=due,
        handler=handler,
        **fields,
    )


def submission_case(submission, **fields) -> Case:
    fields.setdefault("due", datetime.date(2026, 12, 31))
    return case_for(submission, submission.party, kind="submission", **fields)


def follow_up_case(report, party, **fields) -> Case:
    fields.setdefault("title_en", f"Follow-up of {report.reference} by {party.name_en}")
    fields.setdefault("title_fr", f"Suivi de {report.reference} par {party.name_fr}")
    return case_for(report, party, kind="follow_up", state="sent", **fields)

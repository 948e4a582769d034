"""All-or-nothing CSV imports of questionnaires and replies.

Every row is checked first; one bad row means nothing is written, and each problem is
reported with its line number (the header is line 1). The command `import_data` and the
admin's import page call the same functions, the admin first with dry_run=True to preview.
"""

from django.utils import timezone

from secretariat.imports import ImportRejected, ImportReport, Table, read_rows, run_all_or_nothing
from secretariat.models import Organisation, Party, User

from .models import Language, MonitoringRound, Question, Reply, Section, Submission, Transition

SECTION_TITLES_FR = {
    "Prevention": "Prévention",
    "Protection": "Protection",
    "Prosecution": "Poursuites",
    "Co-operation": "Coopération",
}


# --- questionnaire -----------------------------------------------------------------------

QUESTIONNAIRE_COLUMNS = {"ref", "parent", "section", "kind", "text_en"}


def import_questionnaire(
    *, round: MonitoringRound, text: "str | Table", dry_run: bool = False
) -> ImportReport:
    """Load a questionnaire in the layout of fixtures/questionnaire_round2.csv into an empty round."""
    rows = read_rows(text, QUESTIONNAIRE_COLUMNS)
    errors = []
    if round.questions.exists():
        errors.append(f"round {round.number} already has a questionnaire")
    seen: set[str] = set()
    kinds = set(Question.Kind.values)
    for line, row in rows:
        if not row["ref"]:
            errors.append(f"line {line}: the ref is empty")
        elif row["ref"] in seen:
            errors.append(f"line {line}: ref {row['ref']} appears twice")
        if row["kind"] not in kinds:
            errors.append(f"line {line}: unknown kind “{row['kind']}” (expected {', '.join(sorted(kinds))})")
        if row["parent"] and row["parent"] not in seen:
            errors.append(f"line {line}: parent {row['parent']} is not defined above this row")
        if (row["kind"] == "question") != (not row["parent"]):
            errors.append(f"line {line}: only questions have no parent")
        if not row["section"]:
            errors.append(f"line {line}: the section is empty")
        if not row["text_en"]:
            errors.append(f"line {line}: the English text is empty")
        seen.add(row["ref"])
    if errors:
        raise ImportRejected(errors)

    report = ImportReport()

    def write():
        sections: dict[str, Section] = {}
        nodes: dict[str, Question] = {}
        for order, (_line, row) in enumerate(rows, start=1):
            title = row["section"]
            if title not in sections:
                sections[title] = Section.objects.create(
                    round=round,
                    order=len(sections) + 1,
                    title_en=title,
                    title_fr=row.get("section_fr") or SECTION_TITLES_FR.get(title, title),
                )
                report.created["sections"] += 1
            nodes[row["ref"]] = Question.objects.create(
                round=round,
                section=sections[title],
                parent=nodes.get(row["parent"]),
                ref=row["ref"],
                kind=row["kind"],
                order=order,
                text_en=row["text_en"],
                text_fr=row.get("text_fr", ""),
            )
            report.created["questions"] += 1

    return run_all_or_nothing(write, dry_run, report)


# --- replies -----------------------------------------------------------------------------

REPLY_COLUMNS = {"party", "respondent_kind", "respondent", "question_refs", "language", "text"}


def import_replies(
    *, round: MonitoringRound, text: "str | Table", by: User, dry_run: bool = False
) -> ImportReport:
    """Load reply blocks (layout of fixtures/replies_round2_RUS.csv) as registered submissions.

    Parties are matched by code, questions by ref, stakeholders by name (unknown
    organisations are created and reported). A Party that already has a submission in the
    round is refused: registered material is never overwritten.
    """
    rows = read_rows(text, REPLY_COLUMNS)
    parties = {party.code: party for party in Party.objects.all()}
    questions = {question.ref: question for question in round.questions.all()}
    organisations = {org.name: org for org in Organisation.objects.all()}
    taken = set(Submission.objects.filter(round=round).values_list("party__code", "organisation__name"))
    errors = []
    for line, row in rows:
        if row["party"] not in parties:
            errors.append(f"line {line}: unknown Party code “{row['party']}”")
        if row["respondent_kind"] not in ("state", "stakeholder"):
            errors.append(
                f"line {line}: respondent_kind must be state or stakeholder, not “{row['respondent_kind']}”"
            )
        if row["respondent_kind"] == "stakeholder" and not row["respondent"]:
            errors.append(f"line {line}: a stakeholder row needs the organisation's name in respondent")
        if row["language"] not in Language.values:
            errors.append(f"line {line}: language must be en or fr, not “{row['language']}”")
        refs = [ref.strip() for ref in row["question_refs"].split(";") if ref.strip()]
        if not refs:
            errors.append(f"line {line}: no question ref")
        unknown = [ref for ref in refs if ref not in questions]
        if unknown:
            errors.append(f"line {line}: question ref(s) not in round {round.number}: {', '.join(unknown)}")
        if not row["text"]:
            errors.append(f"line {line}: the reply text is empty")
        organisation = row["respondent"] if row["respondent_kind"] == "stakeholder" else None
        if (row["party"], organisation) in taken:
            who = organisation or row["party"]
            errors.append(
                f"line {line}: {who} already has a submission in round {round.number}; it is not overwritten"
            )
    if errors:
        raise ImportRejected(errors)

    report = ImportReport()

    def write():
        submissions: dict[tuple[str, str | None], Submission] = {}
        now = timezone.now()
        for line, row in rows:
            organisation = None
            if row["respondent_kind"] == "stakeholder":
                organisation = organisations.get(row["respondent"])
                if organisation is None:
                    organisation = Organisation.objects.create(
                        name=row["respondent"], kind=Organisation.Kind.NGO, party=parties[row["party"]]
                    )
                    organisations[organisation.name] = organisation
                    report.created["organisations"] += 1
                    report.notes.append(f"line {line}: created the organisation “{organisation.name}”")
            key = (row["party"], organisation.name if organisation else None)
            if key not in submissions:
                submission = Submission(
                    round=round,
                    party=parties[row["party"]],
                    organisation=organisation,
                    status=Submission.Status.REGISTERED,
                    consent_to_publication=organisation is None,
                    submitted_at=now,
                    registered_at=now,
                    registered_by=by,
                )
                submission._history_user = by
                submission._change_reason = "imported"
                submission.save()
                Transition.objects.create(
                    submission=submission,
                    from_status=Submission.Status.DRAFT,
                    to_status=Submission.Status.REGISTERED,
                    by=by,
                    comment="Imported from a file",
                )
                submissions[key] = submission
                report.created["submissions"] += 1
            submission = submissions[key]
            reply = Reply(
                submission=submission,
                order=report.created["replies"] + 1,
                language=row["language"],
                text=row["text"],
                updated_by=by,
            )
            reply._history_user = by
            reply.save()
            reply.questions.set(
                [questions[ref.strip()] for ref in row["question_refs"].split(";") if ref.strip()]
            )
            report.created["replies"] += 1
            report.preview.append(
                {
                    "line": line,
                    "party": row["party"],
                    "respondent": row["respondent"],
                    "refs": row["question_refs"].replace(";", ", "),
                    "text": row["text"][:200],
                }
            )

    return run_all_or_nothing(write, dry_run, report)

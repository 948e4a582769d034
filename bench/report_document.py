"""Time the implementation report's document (DOCX and PDF) at the scale of a full report.

Usage (PostgreSQL, as in production; or leave BENCH_DATABASE_URL unset for var/bench_report.sqlite3):
    export BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/lanzarote_bench_heavy
    .venv/bin/python bench/report_document.py [--repeat 3]

Builds (once) a report in preparation of 10 chapters, 200 findings (about 1,500 characters each,
with bold words, a bulleted list, and a table in one finding of four), 600 citations (400 replies
of the round's 48 Parties, 100 documents, 100 recommendations of an earlier adopted report) and
150 recommendations (one in three addressed to 12 named Parties, the others to all), written with
bulk_create, not through the services, to build it in seconds. Then times, over --repeat runs
after a warm-up, the document as a Secretariat officer sees it (the queries, the blocks and the
file) in English, DOCX and PDF (a draft: the watermark on every page), against the targets of
issue 15: DOCX under 5 s, PDF under 10 s. Prints a Markdown table for docs/performance.md.
"""

import argparse
import datetime
import io
import random
import resource

from common import bench_round, prepared_report, start_django, timed

start_django("bench_report.sqlite3")

from django.db import connection, transaction  # noqa: E402

from monitoring.models import Reply, Submission  # noqa: E402
from recommendations.models import (  # noqa: E402
    Chapter,
    Finding,
    FindingCitation,
    ImplementationReport,
    Recommendation,
    Urgency,
)
from recommendations.report_document import render_report, report_document  # noqa: E402
from secretariat.models import Document, User  # noqa: E402

ROUND_NUMBER = 93
REFERENCE = "BENCH-REPORT-DOCUMENT"
CHAPTERS, FINDINGS, RECOMMENDATIONS = 10, 200, 150
REPLY_CITATIONS, DOCUMENT_CITATIONS, RECOMMENDATION_CITATIONS = 400, 100, 100
URGENCIES = [Urgency.REQUIRE, Urgency.REQUEST, Urgency.INVITE]

PARAGRAPH = (
    "The Committee notes that **most Parties** have designated a contact point for mutual legal "
    "assistance in cases of sexual exploitation and sexual abuse of children, but that requests "
    "sent abroad are seldom answered within the time the investigation needs. "
)
TABLE = "\n\n| Party | Requests sent | Answered |\n|---|---|---|\n" + "| Party | 12 | 7 |\n" * 5


def _finding_text(n: int, language: str) -> str:
    intro = "Finding" if language == "en" else "Constat"
    text = f"{intro} {n + 1}. " + PARAGRAPH * 4 + "\n\n- bilateral agreements\n- liaison officers\n\n"
    text += PARAGRAPH * 4
    return text + TABLE if n % 4 == 0 else text


@transaction.atomic
def build(officer: User) -> ImplementationReport:
    existing = ImplementationReport.objects.filter(reference=REFERENCE).first()
    if existing:
        return existing
    randomness = random.Random(2026)  # reproducible data
    round_, parties, questions = bench_round(ROUND_NUMBER, "Bench report round", "Cycle d'essai", "follow_up")
    earlier = ImplementationReport.objects.create(
        round=round_,
        reference=f"{REFERENCE}-EARLIER",
        title_en="Earlier report",
        title_fr="Rapport antérieur",
        adoption_date=datetime.date(2020, 1, 1),
        status=ImplementationReport.Status.ADOPTED,
    )
    earlier_chapter = Chapter.objects.create(
        report=earlier, number="I.", title_en="Earlier", title_fr="Antérieur"
    )
    earlier_recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            report=earlier,
            chapter=earlier_chapter,
            number=f"I-{n + 1}",
            order=n + 1,
            urgency=Urgency.REQUEST,
            addressed_to_all=True,
            text_en="An earlier recommendation.",
        )
        for n in range(20)
    )
    report = ImplementationReport.objects.create(
        round=round_,
        reference=REFERENCE,
        title_en="Protecting children beyond borders: bench implementation report",
        title_fr="Protéger les enfants au-delà des frontières : rapport d'essai",
    )
    chapters = Chapter.objects.bulk_create(
        Chapter(report=report, number=f"{n}.", order=n, title_en=f"Chapter {n}", title_fr=f"Chapitre {n}")
        for n in range(1, CHAPTERS + 1)
    )
    findings = Finding.objects.bulk_create(
        Finding(
            chapter=chapters[n * CHAPTERS // FINDINGS],
            order=n + 1,
            text_en=_finding_text(n, "en"),
            text_fr=_finding_text(n, "fr"),
            author=officer,
        )
        for n in range(FINDINGS)
    )
    submissions = Submission.objects.bulk_create(
        Submission(round=round_, party=party, status=Submission.Status.REGISTERED) for party in parties
    )
    replies = Reply.objects.bulk_create(
        Reply(submission=submissions[n % len(submissions)], order=n, text=f"Reply {n}.")
        for n in range(REPLY_CITATIONS)
    )
    Reply.questions.through.objects.bulk_create(
        Reply.questions.through(reply=reply, question=questions[(n * 7) % len(questions)])
        for n, reply in enumerate(replies)
    )
    documents = Document.objects.bulk_create(
        Document(
            reference=f"BENCH-DOC-{n}",
            title=f"Bench document {n}",
            kind=Document.Kind.OTHER,
            date=datetime.date(2024, 1, 1),
            language=Document.Language.ENGLISH,
            url=f"https://rm.coe.int/bench-{n}",
        )
        for n in range(DOCUMENT_CITATIONS)
    )
    cited = (
        [{"reply": reply, "party_id": reply.submission.party_id} for reply in replies]
        + [{"document": document} for document in documents]
        + [{"recommendation": earlier_recommendations[n % 20]} for n in range(RECOMMENDATION_CITATIONS)]
    )
    randomness.shuffle(cited)
    FindingCitation.objects.bulk_create(
        FindingCitation(finding=findings[n % FINDINGS], order=n, **what) for n, what in enumerate(cited)
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            report=report,
            chapter=chapters[n * CHAPTERS // RECOMMENDATIONS],
            number=f"{n * CHAPTERS // RECOMMENDATIONS + 1}-{n + 1}",
            order=n + 1,
            urgency=URGENCIES[n % 3],
            addressed_to_all=n % 3 != 1,
            text_en=f"The Committee **asks** the Parties to take measure {n + 1}. " * 4,
            text_fr=f"Le Comité **demande** aux Parties de prendre la mesure {n + 1}. " * 4,
        )
        for n in range(RECOMMENDATIONS)
    )
    Recommendation.addressees.through.objects.bulk_create(
        Recommendation.addressees.through(recommendation=recommendation, party=party)
        for recommendation in recommendations
        if not recommendation.addressed_to_all
        for party in randomness.sample(parties, 12)
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    officer, report = prepared_report(build)

    def document(format: str, language: str = "en") -> bytes:
        return render_report(report_document(report_id=report.pk, user=officer, language=language), format)

    sizes = {format: len(document(format)) for format in ("docx", "pdf")}
    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(document("pdf"))).pages)
    print(
        f"{connection.vendor}: report {report.reference}: {report.chapters.count()} chapters, "
        f"{Finding.objects.filter(chapter__report=report).count()} findings, "
        f"{FindingCitation.objects.filter(finding__chapter__report=report).count()} citations, "
        f"{report.recommendations.count()} recommendations; DOCX {sizes['docx'] // 1024} KB, "
        f"PDF {sizes['pdf'] // 1024} KB, {pages} pages; {args.repeat} runs each"
    )
    print("| document | median ms | worst ms | queries | target ms |")
    print("|---|---:|---:|---:|---:|")
    for name, function, target in (
        (
            "report document, blocks only (EN)",
            lambda: report_document(report_id=report.pk, user=officer, language="en"),
            None,
        ),
        ("report document, DOCX (EN)", lambda: document("docx"), 5000),
        ("report document, DOCX (FR)", lambda: document("docx", "fr"), 5000),
        ("report document, PDF (EN)", lambda: document("pdf"), 10000),
        ("report document, PDF (FR)", lambda: document("pdf", "fr"), 10000),
    ):
        median, worst, queries = timed(function, args.repeat)
        print(f"| {name} | {median:.0f} | {worst:.0f} | {queries} | {target or '—'} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory of the process: {peak} MB")


if __name__ == "__main__":
    main()

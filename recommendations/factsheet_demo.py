"""The demo's factsheet: "Factsheet – International co-operation" of round 2's implementation report.

Texts are those of the Secretariat's factsheet (seed 003), verbatim; long sections are cut to their
first paragraphs, footnote calls are left out (the factsheet prints its own, to the
recommendations), and links whose address the seed lost keep their words only.
"""

from django.db import transaction

from secretariat.models import ConventionArticle

from .demo import REPORT_2
from .models import Factsheet, FactsheetSection, ImplementationReport, Practice, Theme

SLUG = "international-cooperation"
SOURCE = "Lanzarote Committee, Factsheet – International co-operation"  # the practices it reports (seed 003)

INTRODUCTION = """\
Protecting children from sexual exploitation and sexual abuse facilitated by information and \
communication technologies (ICTs) is a common challenge faced by all States. The often transnational \
nature of these offences makes international cooperation of the utmost importance especially to \
identify and protect victims as well as to identify and prosecute perpetrators.

The Council of Europe Convention on the Protection of Children against sexual exploitation and sexual \
abuse (“Lanzarote Convention”) is a comprehensive instrument that sets out the applicable standards \
necessary to:

- Prevent child sexual exploitation and abuse, including where this is facilitated by ICTs;
- Protect victims;
- Prosecute perpetrators; and
- Promote national and international co-operation to strengthen these actions.

The Committee of the Parties to the Lanzarote Convention (“the Lanzarote Committee”) monitors the \
implementation of the Convention in thematic monitoring rounds. This allows for all Parties to be \
monitored simultaneously on the same theme.

Particularly concerned by the exponential increase in offences committed using child self-generated \
sexual images and/or videos (CSGSIV), the Lanzarote Committee decided to dedicate its second monitoring \
round to this topic. The 43 States that were Party to the Convention at the time the monitoring round \
was launched took part.

The implementation report adopted by the Lanzarote Committee in the context of this monitoring round is \
based on information provided by State Parties and other stakeholders in response to a questionnaire. \
The implementation report also contains information received from 306 children in 10 Parties who chose \
to participate.

This thematic factsheet is based on chapter V of the implementation report on international \
co-operation. It has been prepared by the Lanzarote Committee Secretariat as a practical tool to clearly \
identify the Committee’s analysis, its recommendations to States Parties and promising practices, as \
well as difficulties in implementing the Convention. It does not include updated information on \
measures implemented by the Parties since the adoption of the report in March 2022. Parties and other \
relevant stakeholders are encouraged to inform the secretariat of any relevant measures implemented \
after that date, which may have an impact on the Committee's analysis and recommendations by completing \
this online form or by email to [lanzarote.committee@coe.int](mailto:lanzarote.committee@coe.int).
"""

ARTICLE_38 = """\
1. *The Parties shall co-operate with each other, in accordance with the provisions of this Convention, \
and through the application of relevant applicable international and regional instruments, arrangements \
agreed on the basis of uniform or reciprocal legislation and internal laws, to the widest extent \
possible, for the purpose of:*

    - a. *preventing and combating sexual exploitation and sexual abuse of children;*
    - b. *protecting and providing assistance to victims;*
    - c. *investigations or proceedings concerning the offences established in accordance with this \
Convention.*

2. *Each Party shall take the necessary legislative or other measures to ensure that victims of an \
offence established in accordance with this Convention in the territory of a Party other than the one \
where they reside may make a complaint before the competent authorities of their State of residence.*

3. *If a Party that makes mutual legal assistance in criminal matters or extradition conditional on the \
existence of a treaty receives a request for legal assistance or extradition from a Party with which it \
has not concluded such a treaty, it may consider this Convention the legal basis for mutual legal \
assistance in criminal matters or extradition in respect of the offences established in accordance \
with this Convention.*

4. *Each Party shall endeavour to integrate, where appropriate, prevention and the fight against sexual \
exploitation and sexual abuse of children in assistance programmes for development provided for the \
benefit of third states.*
"""

# (heading, the report chapter whose recommendations the section cites, the Committee's findings)
SECTIONS = [
    (
        "General co-operation obligation (Article 38(1))",
        "General co-operation obligation",
        """\
As recalled in paragraph 255 of the Explanatory Report to the Lanzarote Convention, “Article 38 sets out \
the general principles that should govern international co-operation”. The more Parties the Lanzarote \
Convention counts, the more widely the benefits of international co-operation will be achieved. In \
addition, if Parties to the Lanzarote Convention also ratify other relevant international and regional \
instruments, the more they will be equipped to ensure an enhanced protection of children against any \
sexual violence offence.

#### 1. Ratification or accession to the Lanzarote Convention and withdrawal of reservations

Recalling that the Lanzarote Convention is the most comprehensive international instrument to protect \
children specifically against sexual exploitation and sexual abuse, the Lanzarote Committee considered \
that calling on states to adhere to the Convention falls under its functions of facilitating its \
effective implementation.

The Lanzarote Committee called on **Morocco** to finalise its accession procedure and all other States \
across the globe to launch processes order to become parties to the Convention.

#### 2. Ratification of other Council of Europe instruments by Parties

Article 38(1) of the Lanzarote Convention establishes that *“the Parties shall co-operate with each \
other, in accordance with the provisions of this Convention, and through the application of relevant \
applicable international and regional instruments, arrangements agreed on the basis of uniform or \
reciprocal legislation and internal laws”*.

#### 3. European Union instruments

According to Article 43(3) of the Lanzarote Convention “Parties which are members of the European Union \
shall, in their mutual relations, apply Community and European Union rules, in so far as there are \
Community or European Union rules governing the particular subject concerned and applicable to the \
specific case, without prejudice to the object and purpose of the present Convention and without \
prejudice to its full application with other Parties”.

#### 4. Bilateral or multilateral agreements

Even if Article 43(2) of the Convention states that “the Parties to the Lanzarote Convention may \
conclude bilateral or multilateral agreements with one another on the matters dealt with in this \
Convention, for purposes of supplementing or strengthening its provisions or facilitating the \
application of the principles embodied in it”, Parties do not seem to use this possibility \
sufficiently. However, there do exist traditional international co-operation instruments on \
extradition, prevention, mutual assistance in investigation and prosecution of criminal matters but \
there are only few less traditional arrangements.
""",
    ),
    (
        "Specific co-operation for the purpose of preventing and combating sexual exploitation and sexual "
        "abuse of children (Article 38(1)(a))",
        "Specific co-operation for the purpose of preventing and combating sexual exploitation and sexual "
        "abuse of children",
        """\
It seems to be easier for Parties to cooperate with other States on preventing and combating sexual \
exploitation and sexual abuse of children, through less traditional initiatives than international \
conventions, in particular when these initiatives concern matters related to child self-generated \
sexual images and/or videos. To this end, the Lanzarote Committee highlights the added value of the \
co-operation projects led by the Council of Europe and the fact that Parties can ask for support in \
developing activities needed to assist them in their efforts to implement Council of Europe standards.

Despite the efforts of some Parties, the Lanzarote Committee considers that more could be done by all \
Parties to the Lanzarote Convention to cooperate with other States on preventing and combating sexual \
exploitation and sexual abuse of children, in particular in matters related to child self-generated \
sexual images and/or videos.
""",
    ),
    (
        "Specific co-operation for the purpose of protecting and providing assistance to victims "
        "(Article 38(1)(b))",
        "Specific co-operation for the purpose of protecting and providing assistance to victims",
        "",
    ),
    (
        "Specific co-operation for the purpose of investigations or proceedings concerning the offences "
        "established in accordance with the convention (Article 38(1)(c))",
        "Specific co-operation for the purpose of investigations or proceedings concerning the offences "
        "established in accordance with the convention",
        """\
The Lanzarote Committee points out that the Second Additional Protocol to the Convention on Cybercrime \
on Enhanced Co-operation and Disclosure of Electronic Evidence was adopted by the Cybercrime Convention \
Committee (T-CY) on 28 May 2021 during its 24th plenary and by the Committee of Ministers of the Council \
of Europe on 17 November 2021. It focuses on international co-operation and electronic evidence. The \
process was driven by a recognition of the difficulties resulting from cybercrime evidence being \
increasingly stored on servers in foreign, multiple, shifting or unknown jurisdictions (within the \
cloud), and the need to ensure rule of law and data protection safeguards.

The most used form of international co-operation by Parties is police co-operation mainly in relation \
to investigation and prosecution concerning the offences established in accordance with the Convention.

While questions related to data are essential, Parties referred to them only rarely. Special attention \
should be given to data retention and to the blocking of illegal content.
""",
    ),
    (
        "Ensure that victims in the territory of a Party other than the one where they reside may make a "
        "complaint before the competent authorities of their State of residence (Article 38(2))",
        "Ensure that victims in the territory of a Party other than the one where they reside may make a "
        "complaint before the competent authorities of their State of residence",
        """\
Article 38(2) of the Lanzarote Convention also applies to child victims in matters related to child \
self-generated sexual images and/or videos, in order to better protect them. Therefore, Parties must \
ensure that children who fall victim when in the territory of a Party other than the one where they \
reside may make a complaint before the competent authorities of their State of residence.
""",
    ),
    (
        "Integrate, where appropriate, prevention and the fight against sexual exploitation and sexual abuse "
        "of children in assistance programmes for development provided for the benefit of third States "
        "(Article 38, paragraph 4)",
        "Integrate, where appropriate, prevention and the fight against sexual exploitation and sexual abuse "
        "of children in assistance programmes for development provided for the benefit of third States",
        """\
No Party communicated that it integrates, where appropriate, prevention and the fight against sexual \
exploitation and sexual abuse of children in matters related to child self-generated sexual images \
and/or videos, in assistance programmes for development provided for the benefit of third States, as \
required by Article 38, paragraph 4 of the Lanzarote Convention.
""",
    ),
]


@transaction.atomic
def load_cooperation_factsheet() -> list[str]:
    """Create (or bring up to date) the international co-operation factsheet of round 2's report.

    Needs the report (recommendations.demo.load_report_2) and the Convention articles.
    """
    report = ImplementationReport.objects.filter(reference=REPORT_2["reference"]).first()
    if report is None:
        return ["Factsheet: skipped (round 2's implementation report is not loaded)"]
    factsheet, created = Factsheet.objects.update_or_create(
        slug=SLUG,
        defaults={
            "title_en": "Factsheet – International co-operation",
            "title_fr": "Fiche thématique – Coopération internationale",
            "report": report,
            "chapter": None,
            "theme": Theme.objects.filter(slug="international-cooperation").first(),
            "article": ConventionArticle.objects.filter(number=38).first(),
            "article_text": ARTICLE_38,
            "introduction_en": INTRODUCTION,
        },
    )
    chapters = {chapter.title_en.casefold(): chapter for chapter in report.chapters.all()}
    for order, (heading, chapter_title, text) in enumerate(SECTIONS, start=1):
        section, _ = FactsheetSection.objects.update_or_create(
            factsheet=factsheet, order=order, defaults={"heading_en": heading, "text_en": text}
        )
        chapter = chapters.get(chapter_title.casefold())
        section.recommendations.set(chapter.recommendations.all() if chapter else [])
    factsheet.sections.filter(order__gt=len(SECTIONS)).delete()
    factsheet.practices.set(Practice.objects.filter(source__startswith=SOURCE))
    verb = "created" if created else "updated"
    practices = factsheet.practices.count()
    return [f"Factsheet {SLUG} {verb}: {len(SECTIONS)} sections, {practices} promising practices"]

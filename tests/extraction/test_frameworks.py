"""Frameworks with no example among the shipped documents, written as Ofsted lays them out:
a safeguarding and looked after children (SLAC) report, which grades two services, and
monitoring and joint targeted area inspection letters."""

from __future__ import annotations

from datetime import date

from app.extraction import extract

SLAC_REPORT = """Inspection of safeguarding and looked after children services

Wirral

Inspection dates: 24 January – 4 February 2011
Reporting inspector Jane Doe HMI

Age group: All
Published: 11 March 2011

Contents

About this inspection 2
The inspection judgements and what they mean 2
Service information 3
Safeguarding services 4
Services for looked after children 6
Record of main findings 8

About this inspection

1. The purpose of the inspection is to evaluate the contribution made by relevant
services in the local area towards ensuring that children and young people are
properly safeguarded.

The inspection judgements and what they mean

2. All inspection judgements are made using the following four point scale.

Outstanding (Grade 1) A service that significantly exceeds minimum requirements
Good (Grade 2) A service that exceeds minimum requirements

Service information

3. Wirral has a resident population of approximately 68,000 children and young people.

Safeguarding services

Overall effectiveness

Grade 2 (Good)

4. The overall effectiveness of safeguarding services in Wirral is good. Thresholds are
well understood by partners and referrals are dealt with promptly.

Capacity for improvement

Grade 1 (Outstanding)

5. The capacity for improvement is outstanding. Senior leaders have a strong track record
of improving services.

Areas for improvement

6. In order to improve the quality of provision and services for safeguarding children and
young people in Wirral, the local authority and its partners should take the following
action.

Within three months:

• ensure that all strategy discussions are recorded and shared with partners

Services for looked after children

Overall effectiveness

Grade 2 (Good)

7. The overall effectiveness of services for looked after children is good. Placements are
stable and most children make good progress.

Capacity for improvement

Grade 2 (Good)

8. The capacity to improve services for looked after children is good.

Record of main findings

Safeguarding services
Overall effectiveness Good
Capacity for improvement Outstanding
Services for looked after children
Overall effectiveness Good
Capacity for improvement Good
"""

MONITORING_LETTER = """12 July 2021

Mr John Smith
Director of Children’s Services
Slough Borough Council
St Martins Place
Slough
SL1 3UF

Dear John

Monitoring visit to Slough children’s services

This letter summarises the findings of the monitoring visit to Slough children’s services
on 9 and 10 June 2021. This was the fifth monitoring visit since the local authority was
judged inadequate in February 2019. His Majesty’s Inspectors for this visit were Jane Doe
HMI and Sam Roe HMI.

Areas covered by the visit

Inspectors reviewed the progress made in the following areas of concern identified at the
last inspection:

• the quality of assessments
• management oversight of practice

Headline findings

Leaders have made steady progress in improving the quality of assessments. Management
oversight is now regular, although it does not always challenge drift.

Findings and progress

Assessments are timely and most consider the history of the family well.

Supervision is regular, but records of it do not always show what should happen next.

Ofsted will take the findings from this monitoring visit into account when planning your
next inspection or visit.

Yours sincerely

Jane Doe
His Majesty’s Inspector
"""

JTAI_LETTER = """3 August 2022

Sarah Jones, Director of Children’s Services, Kent County Council

Dear Ms Jones

Joint targeted area inspection of the multi-agency response to children and families who
need help in Kent

Between 6 and 10 June 2022, Ofsted, the Care Quality Commission (CQC), His Majesty’s
Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) and His Majesty’s
Inspectorate of Probation (HMIP) carried out a joint inspection of the multi-agency response
to children and families who need help in Kent.

Headline findings

Partners in Kent work well together to identify children who need help early.

What needs to improve?

• The consistency of information sharing between health partners and the front door.

Yours sincerely

Jane Doe
His Majesty’s Inspector
"""


def test_a_slac_report_grades_two_services() -> None:
    document = extract(SLAC_REPORT)
    assert (document.authority_slug, document.inspection_type.value) == (
        "wirral",
        "safeguarding-looked-after",
    )
    assert (document.start_date, document.end_date) == (date(2011, 1, 24), date(2011, 2, 4))
    assert document.published_date == date(2011, 3, 11)
    assert document.inspectors == ["Jane Doe"]
    assert [(j.area.value, j.area_label, j.grade_label) for j in document.judgements] == [
        ("overall-effectiveness", "Overall effectiveness", "Good"),
        ("capacity-to-improve", "Capacity for improvement", "Outstanding"),
        ("children-in-care", "Services for looked after children: Overall effectiveness", "Good"),
        ("other", "Services for looked after children: Capacity for improvement", "Good"),
    ]
    assert [
        (f.kind.value, f.paragraph, f.judgement_area.value if f.judgement_area else None)
        for f in document.findings
    ] == [
        ("narrative", 4, "overall-effectiveness"),
        ("narrative", 5, "capacity-to-improve"),
        ("recommendation", None, None),
        ("narrative", 7, "children-in-care"),
        ("narrative", 8, "other"),
    ]
    recommendation = document.findings[2]
    assert recommendation.timeframe is not None
    assert recommendation.timeframe.value == "within-3-months"


def test_a_monitoring_visit_letter() -> None:
    document = extract(MONITORING_LETTER)
    assert (document.authority_slug, document.inspection_type.value, document.kind.value) == (
        "slough",
        "monitoring-visit",
        "letter",
    )
    assert (document.start_date, document.end_date) == (date(2021, 6, 9), date(2021, 6, 10))
    assert document.letter_date == date(2021, 7, 12)
    assert document.inspectors == ["Jane Doe", "Sam Roe"]
    assert document.addressee is not None
    assert (document.addressee.name, document.addressee.role) == (
        "Mr John Smith",
        "Director of Children’s Services",
    )
    assert document.judgements == []
    assert [(c.area.value, c.grade_label, c.year, c.month) for c in document.cited_judgements] == [
        ("overall-effectiveness", "inadequate", 2019, 2)
    ]
    assert [(f.kind.value, f.section) for f in document.findings] == [
        ("narrative", "Headline findings"),
        ("narrative", "Findings and progress"),
        ("narrative", "Findings and progress"),
    ]


def test_a_joint_targeted_area_inspection_letter() -> None:
    document = extract(JTAI_LETTER)
    assert (document.authority_slug, document.inspection_type.value) == ("kent", "jtai")
    assert (document.start_date, document.end_date) == (date(2022, 6, 6), date(2022, 6, 10))
    assert document.letter_date == date(2022, 8, 3)
    assert [(f.kind.value, f.section) for f in document.findings] == [
        ("narrative", "Headline findings"),
        ("recommendation", "What needs to improve?"),
    ]


ILACS_ROWS = [
    ("The impact of leaders on social work practice with children and families", "Good"),
    ("The experiences and progress of children who need help and protection", "Outstanding"),
    ("The experiences and progress of children in care", "Requires improvement to be good"),
    ("The experiences and progress of care leavers", "Good"),
    ("Overall effectiveness", "Good"),
]


def ilacs_report(table: str) -> str:
    return (
        "Inspection of Leeds local authority children’s services\n\n"
        "Inspection dates: 1 to 5 May 2023\n\n"
        "Lead inspector: Ann Example, His Majesty’s Inspector\n\n"
        f"{table}\n\n"
        "Children in Leeds are well served. Leaders know their services well.\n\n"
        "What needs to improve?\n\n• The timeliness of assessments.\n"
    )


def test_an_ilacs_table_drawn_a_column_at_a_time() -> None:
    table = "Judgement Grade\n\n" + "\n".join(
        [label for label, _ in ILACS_ROWS] + [grade for _, grade in ILACS_ROWS]
    )
    document = extract(ilacs_report(table))
    assert [(j.area_label, j.grade_label) for j in document.judgements] == ILACS_ROWS


def test_a_column_table_with_a_grade_missing_guesses_none() -> None:
    table = "Judgement Grade\n\n" + "\n".join(
        [label for label, _ in ILACS_ROWS] + [grade for _, grade in ILACS_ROWS[1:]]
    )
    document = extract(ilacs_report(table))
    assert [(j.area_label, j.grade) for j in document.judgements] == [
        (label, None) for label, _ in ILACS_ROWS
    ]


def test_an_ilacs_table_without_its_header_row() -> None:
    table = "\n\n".join(f"{label}\n{grade}" for label, grade in ILACS_ROWS)
    document = extract(ilacs_report(table))
    assert [(j.area_label, j.grade_label) for j in document.judgements] == ILACS_ROWS
    assert [f.kind.value for f in document.findings] == ["narrative", "recommendation"]


LSCB_REVIEW = """Wiltshire Local Safeguarding Children Board

Review of the effectiveness of the Local Safeguarding Children Board

Inspection dates: 22 June 2015 to 14 July 2015

Report published: 1 September 2015

The Local Safeguarding Children Board is good

The arrangements in place to evaluate the effectiveness of what is done by the authority and
board partners to safeguard and promote the welfare of children are good.

Executive summary

The Wiltshire Safeguarding Children Board (WSCB) is well led by an experienced independent
chair. Partners are committed to the board and attend its meetings regularly.

Recommendations

1. Ensure that the board's performance information covers early help.

2. Evaluate the impact of multi-agency training on frontline practice.

Inspection findings – the Local Safeguarding Children Board

3. The WSCB meets all of its statutory responsibilities. Its governance arrangements are
clear and its independent chair provides strong challenge.

Information about this review

The review of the Local Safeguarding Children Board was carried out under section 15A of the
Children Act 2004.

Lead inspector: Jane Doe
"""


def test_a_review_of_a_local_safeguarding_children_board_on_its_own() -> None:
    """Reviews published apart from an inspection of the council's services: the board's
    grade, and its findings under the board's area."""
    document = extract(LSCB_REVIEW)
    assert (document.authority_slug, document.inspection_type.value, document.kind.value) == (
        "wiltshire",
        "lscb-review",
        "report",
    )
    assert (document.start_date, document.end_date, document.published_date) == (
        date(2015, 6, 22),
        date(2015, 7, 14),
        date(2015, 9, 1),
    )
    assert document.inspectors == ["Jane Doe"]
    assert [(j.area.value, j.grade_label) for j in document.judgements] == [
        ("safeguarding-board", "good")
    ]
    assert [
        (f.kind.value, f.paragraph, f.judgement_area.value if f.judgement_area else None)
        for f in document.findings
    ] == [
        ("narrative", None, "safeguarding-board"),
        ("narrative", None, "safeguarding-board"),
        ("recommendation", 1, "safeguarding-board"),
        ("recommendation", 2, "safeguarding-board"),
        ("narrative", 3, "safeguarding-board"),
    ]


def test_an_ilacs_report_in_an_older_style() -> None:
    """The authority as an older style writes it, dates in figures, the title over two
    lines, and no blank lines between paragraphs (as pdftotext gives a PDF's text)."""
    document = extract(
        "Inspection of Tameside metropolitan borough\n"
        "children’s services\n"
        "Inspection dates: 04/12/2023 to 15/12/2023\n"
        "Lead inspector: Ann Example, His Majesty’s Inspector\n"
        "Overall effectiveness Inadequate\n"
        "Children in Tameside do not receive the help they need. Too many wait too long\n"
        "for it.\n"
        "Leaders know this and have begun to act, but it is too soon to see the difference\n"
        "for children.\n"
        "What needs to improve?\n"
        "◼ The timeliness of assessments.\n"
    )
    assert (document.authority_slug, document.authority_name, document.start_date) == (
        "tameside",
        "Tameside metropolitan borough",
        date(2023, 12, 4),
    )
    assert [(j.area.value, j.grade_label) for j in document.judgements] == [
        ("overall-effectiveness", "Inadequate")
    ]
    assert [(f.kind.value, f.text[:26]) for f in document.findings] == [
        ("narrative", "Children in Tameside do no"),
        ("narrative", "Leaders know this and have"),
        ("recommendation", "The timeliness of assessme"),
    ]

# ruff: noqa: E501
"""Response examples for the OpenAPI document: real output on the five seed documents,
abridged (lists cut to their first two items, long texts to 200 characters).

Regenerate after a change to a response: run the server on the seed data and
`scripts/openapi_examples.py`."""

from __future__ import annotations

from typing import Any

FINDINGS: dict[str, Any] = {
    "items": [
        {
            "id": 37,
            "inspection_id": 3,
            "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
            "year": 2021,
            "kind": "recommendation",
            "section": "What needs to improve in this area of social work practice?",
            "judgement_area": None,
            "timeframe": None,
            "paragraph": None,
            "polarity": "neutral",
            "polarity_score": 1.0,
            "text": "The consistency and effectiveness of management oversight for disabled "
            "children.",
            "themes": [
                {"id": "diversity-identity", "matched": ["disabled"], "score": 0.9733},
                {"id": "management-oversight", "matched": ["management oversight"], "score": 0.953},
            ],
            "source": {"document_id": 3, "start": 1727, "end": 1807},
            "snippet": "The consistency and effectiveness of <mark>management oversight</mark> "
            "for disabled children.",
        },
        {
            "id": 2,
            "inspection_id": 1,
            "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
            "year": 2010,
            "kind": "strength",
            "section": "Satisfactory practice",
            "judgement_area": None,
            "timeframe": None,
            "paragraph": None,
            "polarity": "positive",
            "polarity_score": 0.9997,
            "text": "Management oversight ensures that timely decision-making and prompt "
            "action occur to allocate work, to undertake initial assessments or to "
            "divert or close referrals appropriately.",
            "themes": [
                {
                    "id": "management-oversight",
                    "matched": ["Management oversight", "decision-making"],
                    "score": 0.9885,
                },
                {"id": "front-door", "matched": ["close referrals"], "score": 0.9788},
            ],
            "source": {"document_id": 1, "start": 1918, "end": 2097},
            "snippet": "<mark>Management oversight</mark> ensures that timely decision-making "
            "and prompt action occur to allocate work, to undertake initial "
            "assessments or to divert or close referrals appropriately.",
        },
    ],
    "total": 11,
    "limit": 2,
    "next": "/findings?q=%22management+oversight%22&limit=2&cursor=WyJyZWxldmFuY2UiLC0zLjExODAyMDIyNDIzMzc4MywyXQ",
    "coverage": {"authorities_with_data": 2, "of": 153},
}

FINDINGS_CSV: str = (
    "id,inspection_id,authority_slug,authority_name,year,kind,section,judgement_area,timeframe,paragraph,polarity,polarity_score,text,themes,theme_scores,source_document_id,source_start,source_end\r\n"
    "36,3,cheshire-east,Cheshire East,2021,recommendation,What needs to improve in this area of "
    "social work practice?,,,,neutral,1.0,The identification of contingency arrangements in "
    "child-in-need plans.,child-in-need,0.9976,3,1653,1723\r\n"
    "37,3,cheshire-east,Cheshire East,2021,recommendation,What needs to improve in this area of "
    "social work practice?,,,,neutral,1.0,The consistency and effectiveness of management "
    "oversight for disabled "
    "children.,diversity-identity;management-oversight,0.9733;0.953,3,1727,1807\r\n"
)

FINDING: dict[str, Any] = {
    "id": 37,
    "inspection_id": 3,
    "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
    "year": 2021,
    "kind": "recommendation",
    "section": "What needs to improve in this area of social work practice?",
    "judgement_area": None,
    "timeframe": None,
    "paragraph": None,
    "polarity": "neutral",
    "polarity_score": 1.0,
    "text": "The consistency and effectiveness of management oversight for disabled children.",
    "themes": [
        {"id": "diversity-identity", "matched": ["disabled"], "score": 0.9733},
        {"id": "management-oversight", "matched": ["management oversight"], "score": 0.953},
    ],
    "source": {"document_id": 3, "start": 1727, "end": 1807},
}

FACETS: dict[str, Any] = {
    "total": 74,
    "facets": {
        "kind": [
            {"value": "narrative", "label": "Narrative paragraph", "count": 46},
            {"value": "recommendation", "label": "Recommendation", "count": 16},
        ],
        "theme": [
            {
                "value": "partnership",
                "label": "Partnership working and safeguarding boards",
                "count": 26,
            },
            {
                "value": "child-protection",
                "label": "Child protection enquiries and plans",
                "count": 21,
            },
        ],
    },
    "coverage": {"authorities_with_data": 1, "of": 153},
}

FACETS_CSV: str = (
    "facet,value,label,count\r\n"
    "kind,narrative,Narrative paragraph,46\r\n"
    "kind,recommendation,Recommendation,16\r\n"
    "kind,weakness,Weakness,7\r\n"
)

INSPECTIONS: dict[str, Any] = {
    "items": [
        {
            "id": 4,
            "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
            "type": "child-protection",
            "start_date": "2013-03-11",
            "end_date": "2013-03-20",
            "year": 2013,
            "judgements": [
                {
                    "area": "overall-effectiveness",
                    "area_label": "Overall effectiveness",
                    "grade": "inadequate",
                    "grade_label": "Inadequate",
                    "source": {"document_id": 5, "start": 8885, "end": 8918},
                },
                {
                    "area": "help-and-protection",
                    "area_label": "The effectiveness of the help and protection "
                    "provided to children, young people, families and "
                    "carers",
                    "grade": "requires-improvement",
                    "grade_label": "Adequate",
                    "source": {"document_id": 5, "start": 14513, "end": 14623},
                },
            ],
            "documents": [
                {
                    "id": 4,
                    "filename": "003_428a553426a77882.txt",
                    "title": "Cheshire East – Inspection of child protection",
                    "kind": "summary-for-children",
                    "letter_date": None,
                    "published_date": None,
                    "published_source": None,
                    "source_url": None,
                },
                {
                    "id": 5,
                    "filename": "004_00ec88477df05a0b.txt",
                    "title": "Inspection of local authority arrangements for the "
                    "protection of children",
                    "kind": "report",
                    "letter_date": None,
                    "published_date": None,
                    "published_source": None,
                    "source_url": None,
                },
            ],
            "inspectors": ["Mary Varley"],
            "finding_counts": {"narrative": 46, "recommendation": 16, "strength": 5, "weakness": 7},
        }
    ],
    "total": 1,
    "limit": 50,
    "next": None,
    "coverage": {"authorities_with_data": 1, "of": 153},
}

INSPECTIONS_CSV: str = (
    "id,authority_slug,authority_name,type,start_date,end_date,year,judgements,documents,inspectors,findings\r\n"
    "2,cheshire-west-and-chester,Cheshire West and "
    "Chester,contact-referral-assessment,2010-03-17,2010-03-18,2010,,2,Robert Hackeson,14\r\n"
    "1,cheshire-east,Cheshire East,contact-referral-assessment,2010-07-20,2010-07-21,2010,,1,Judith Nelson,19\r\n"
)

INSPECTION: dict[str, Any] = {
    "id": 4,
    "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
    "type": "child-protection",
    "start_date": "2013-03-11",
    "end_date": "2013-03-20",
    "year": 2013,
    "judgements": [
        {
            "area": "overall-effectiveness",
            "area_label": "Overall effectiveness",
            "grade": "inadequate",
            "grade_label": "Inadequate",
            "source": {"document_id": 5, "start": 8885, "end": 8918},
        },
        {
            "area": "help-and-protection",
            "area_label": "The effectiveness of the help and protection provided to "
            "children, young people, families and carers",
            "grade": "requires-improvement",
            "grade_label": "Adequate",
            "source": {"document_id": 5, "start": 14513, "end": 14623},
        },
    ],
    "documents": [
        {
            "id": 4,
            "filename": "003_428a553426a77882.txt",
            "title": "Cheshire East – Inspection of child protection",
            "kind": "summary-for-children",
            "letter_date": None,
            "published_date": None,
            "published_source": None,
            "source_url": None,
        },
        {
            "id": 5,
            "filename": "004_00ec88477df05a0b.txt",
            "title": "Inspection of local authority arrangements for the protection of children",
            "kind": "report",
            "letter_date": None,
            "published_date": None,
            "published_source": None,
            "source_url": None,
        },
    ],
    "inspectors": ["Mary Varley"],
    "finding_counts": {"narrative": 46, "recommendation": 16, "strength": 5, "weakness": 7},
    "cited_judgements": [],
}

JUDGEMENTS: dict[str, Any] = {
    "items": [
        {
            "id": 2,
            "inspection_id": 4,
            "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
            "year": 2013,
            "inspection_type": "child-protection",
            "start_date": "2013-03-11",
            "area": "overall-effectiveness",
            "area_label": "Overall effectiveness",
            "grade": "inadequate",
            "grade_label": "Inadequate",
            "score": 4,
            "source": {"document_id": 5, "start": 8885, "end": 8918},
        },
        {
            "id": 3,
            "inspection_id": 4,
            "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
            "year": 2013,
            "inspection_type": "child-protection",
            "start_date": "2013-03-11",
            "area": "help-and-protection",
            "area_label": "The effectiveness of the help and protection provided to children, "
            "young people, families and carers",
            "grade": "requires-improvement",
            "grade_label": "Adequate",
            "score": 3,
            "source": {"document_id": 5, "start": 14513, "end": 14623},
        },
    ],
    "total": 4,
    "limit": 2,
    "next": "/judgements?limit=2&cursor=WyJkYXRlIiwiMjAxMy0wMy0xMSIsM10",
    "coverage": {"authorities_with_data": 2, "of": 153},
}

JUDGEMENTS_CSV: str = (
    "id,inspection_id,authority_slug,authority_name,year,inspection_type,start_date,area,area_label,grade,grade_label,score,source_document_id,source_start,source_end\r\n"
    "2,4,cheshire-east,Cheshire East,2013,child-protection,2013-03-11,overall-effectiveness,Overall "
    "effectiveness,inadequate,Inadequate,4,5,8885,8918\r\n"
    '3,4,cheshire-east,Cheshire East,2013,child-protection,2013-03-11,help-and-protection,"The effectiveness '
    "of the help and protection provided to children, young people, families and "
    'carers",requires-improvement,Adequate,3,5,14513,14623\r\n'
)

STATS_THEMES: dict[str, Any] = {
    "items": [
        {"year": 2010, "theme": "management-oversight", "polarity": "negative", "findings": 3},
        {"year": 2010, "theme": "management-oversight", "polarity": "positive", "findings": 6},
    ],
    "coverage": {"authorities_with_data": 2, "of": 153},
}

STATS_THEMES_CSV: str = (
    "year,theme,findings\r\n"
    "2010,management-oversight,9\r\n"
    "2013,management-oversight,7\r\n"
    "2021,management-oversight,5\r\n"
)

STATS_GRADES: dict[str, Any] = {
    "items": [
        {
            "area": "help-and-protection",
            "grade": "requires-improvement",
            "score": 3,
            "year": 2019,
            "judgements": 1,
        },
        {
            "area": "leadership",
            "grade": "requires-improvement",
            "score": 3,
            "year": 2013,
            "judgements": 1,
        },
    ],
    "coverage": {"authorities_with_data": 2, "of": 153},
}

STATS_GRADES_CSV: str = (
    "area,grade,score,year,judgements\r\n"
    "help-and-protection,requires-improvement,3,2019,1\r\n"
    "leadership,requires-improvement,3,2013,1\r\n"
    "overall-effectiveness,inadequate,4,2013,1\r\n"
    "quality-of-practice,inadequate,4,2013,1\r\n"
)

AUTHORITIES: dict[str, Any] = {
    "items": [
        {
            "slug": "blackburn-with-darwen",
            "name": "Blackburn with Darwen",
            "ons_code": "E06000008",
            "dfe_code": "889",
            "ofsted_urn": "80430",
            "region": "North West",
            "region_code": "E12000002",
            "type": "Unitary Authority",
            "other_names": [],
            "statistical_neighbours": ["bradford", "oldham"],
            "inspections": 0,
        },
        {
            "slug": "blackpool",
            "name": "Blackpool",
            "ons_code": "E06000009",
            "dfe_code": "890",
            "ofsted_urn": "80431",
            "region": "North West",
            "region_code": "E12000002",
            "type": "Unitary Authority",
            "other_names": [],
            "statistical_neighbours": ["hartlepool", "middlesbrough"],
            "inspections": 0,
        },
    ],
    "total": 25,
    "limit": 2,
    "next": "/authorities?region=North+West&limit=2&cursor=WyJzbHVnIiwiYmxhY2twb29sIl0",
}

AUTHORITIES_CSV: str = (
    "slug,name,ons_code,dfe_code,ofsted_urn,region,region_code,type,other_names,statistical_neighbours,inspections\r\n"
    "blackburn-with-darwen,Blackburn with Darwen,E06000008,889,80430,North West,E12000002,Unitary "
    "Authority,,bradford;oldham;bolton;derby;rochdale;walsall;sheffield;stoke-on-trent;birmingham;kirklees,0\r\n"
    "blackpool,Blackpool,E06000009,890,80431,North West,E12000002,Unitary "
    "Authority,,hartlepool;middlesbrough;sunderland;liverpool;south-tyneside;redcar-and-cleveland;rochdale;torbay;salford;stoke-on-trent,0\r\n"
)

AUTHORITY: dict[str, Any] = {
    "slug": "cheshire-east",
    "name": "Cheshire East",
    "ons_code": "E06000049",
    "dfe_code": "895",
    "ofsted_urn": "80447",
    "region": "North West",
    "region_code": "E12000002",
    "type": "Unitary Authority",
    "other_names": [],
    "statistical_neighbours": ["gloucestershire", "warwickshire"],
    "inspections": 3,
}

TIMELINE: dict[str, Any] = {
    "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
    "items": [
        {
            "date": "2010-07-20",
            "event": "inspection",
            "inspection_id": 1,
            "type": "contact-referral-assessment",
            "type_label": "Annual unannounced inspection of contact, referral and assessment "
            "arrangements",
            "start_date": "2010-07-20",
            "end_date": "2010-07-21",
            "judgements": [],
            "documents": [
                {
                    "id": 1,
                    "filename": "000_ea24617dd7a18d2f.txt",
                    "title": "Annual unannounced inspection of contact, referral and "
                    "assessment arrangements within Cheshire East Council "
                    "children’s services",
                    "kind": "letter",
                    "letter_date": "2010-08-18",
                    "published_date": None,
                    "published_source": None,
                    "source_url": None,
                }
            ],
            "findings": {
                "total": 19,
                "by_kind": {"strength": 12, "weakness": 7},
                "by_theme": {
                    "assessment": 7,
                    "management-oversight": 5,
                    "child-protection": 4,
                    "partnership": 3,
                    "records-systems": 3,
                    "front-door": 2,
                    "quality-assurance": 2,
                    "workforce": 2,
                    "child-voice": 1,
                    "diversity-identity": 1,
                },
            },
        },
        {
            "date": "2013-03-11",
            "event": "inspection",
            "inspection_id": 4,
            "type": "child-protection",
            "type_label": "Inspection of local authority arrangements for the protection of "
            "children",
            "start_date": "2013-03-11",
            "end_date": "2013-03-20",
            "judgements": [
                {
                    "area": "overall-effectiveness",
                    "area_label": "Overall effectiveness",
                    "grade": "inadequate",
                    "grade_label": "Inadequate",
                    "score": 4,
                },
                {
                    "area": "help-and-protection",
                    "area_label": "The effectiveness of the help and protection "
                    "provided to children, young people, families and "
                    "carers",
                    "grade": "requires-improvement",
                    "grade_label": "Adequate",
                    "score": 3,
                },
            ],
            "documents": [
                {
                    "id": 4,
                    "filename": "003_428a553426a77882.txt",
                    "title": "Cheshire East – Inspection of child protection",
                    "kind": "summary-for-children",
                    "letter_date": None,
                    "published_date": None,
                    "published_source": None,
                    "source_url": None,
                },
                {
                    "id": 5,
                    "filename": "004_00ec88477df05a0b.txt",
                    "title": "Inspection of local authority arrangements for the "
                    "protection of children",
                    "kind": "report",
                    "letter_date": None,
                    "published_date": None,
                    "published_source": None,
                    "source_url": None,
                },
            ],
            "findings": {
                "total": 74,
                "by_kind": {"narrative": 46, "recommendation": 16, "strength": 5, "weakness": 7},
                "by_theme": {
                    "partnership": 26,
                    "child-protection": 21,
                    "front-door": 18,
                    "child-voice": 14,
                    "early-help": 14,
                    "child-in-need": 11,
                    "leadership": 10,
                    "exploitation-missing": 8,
                    "assessment": 7,
                    "management-oversight": 7,
                    "quality-assurance": 7,
                    "records-systems": 7,
                    "workforce": 7,
                    "domestic-abuse": 4,
                    "diversity-identity": 3,
                },
            },
        },
    ],
}

TIMELINE_CSV: str = (
    "date,event,inspection_id,type,start_date,end_date,area,area_label,grade,grade_label,score,findings,cited_by_inspection_id\r\n"
    "2010-07-20,inspection,1,contact-referral-assessment,2010-07-20,2010-07-21,,,,,,19,\r\n"
    "2013-03-11,inspection,4,child-protection,2013-03-11,2013-03-20,overall-effectiveness,Overall "
    "effectiveness,inadequate,Inadequate,4,74,\r\n"
    '2013-03-11,inspection,4,child-protection,2013-03-11,2013-03-20,help-and-protection,"The '
    "effectiveness of the help and protection provided to children, young people, families and "
    'carers",requires-improvement,Adequate,3,74,\r\n'
)

NEIGHBOURS: dict[str, Any] = {
    "authority": {
        "rank": 0,
        "slug": "cheshire-east",
        "name": "Cheshire East",
        "region": "North West",
        "inspections": 3,
        "findings": 116,
        "latest_judgements": [
            {
                "area": "overall-effectiveness",
                "area_label": "Overall effectiveness",
                "grade": "inadequate",
                "grade_label": "Inadequate",
                "score": 4,
                "year": 2013,
                "month": 3,
                "inspection_id": 4,
                "cited": False,
            },
            {
                "area": "help-and-protection",
                "area_label": None,
                "grade": "requires-improvement",
                "grade_label": "require improvement to be good",
                "score": 3,
                "year": 2019,
                "month": 11,
                "inspection_id": 3,
                "cited": True,
            },
        ],
        "themes": {
            "front-door": 21,
            "assessment": 17,
            "child-protection": 28,
            "child-in-need": 17,
            "management-oversight": 17,
            "quality-assurance": 13,
            "leadership": 13,
            "partnership": 30,
            "early-help": 14,
            "workforce": 12,
            "child-voice": 18,
            "diversity-identity": 7,
            "records-systems": 11,
            "exploitation-missing": 8,
            "domestic-abuse": 4,
            "edge-of-care": 4,
            "children-in-care": 0,
            "care-leavers": 0,
        },
    },
    "neighbours": [
        {
            "rank": 1,
            "slug": "gloucestershire",
            "name": "Gloucestershire",
            "region": "South West",
            "inspections": 0,
            "findings": 0,
            "latest_judgements": [],
            "themes": {
                "front-door": 0,
                "assessment": 0,
                "child-protection": 0,
                "child-in-need": 0,
                "management-oversight": 0,
                "quality-assurance": 0,
                "leadership": 0,
                "partnership": 0,
                "early-help": 0,
                "workforce": 0,
                "child-voice": 0,
                "diversity-identity": 0,
                "records-systems": 0,
                "exploitation-missing": 0,
                "domestic-abuse": 0,
                "edge-of-care": 0,
                "children-in-care": 0,
                "care-leavers": 0,
            },
        },
        {
            "rank": 2,
            "slug": "warwickshire",
            "name": "Warwickshire",
            "region": "West Midlands",
            "inspections": 0,
            "findings": 0,
            "latest_judgements": [],
            "themes": {
                "front-door": 0,
                "assessment": 0,
                "child-protection": 0,
                "child-in-need": 0,
                "management-oversight": 0,
                "quality-assurance": 0,
                "leadership": 0,
                "partnership": 0,
                "early-help": 0,
                "workforce": 0,
                "child-voice": 0,
                "diversity-identity": 0,
                "records-systems": 0,
                "exploitation-missing": 0,
                "domestic-abuse": 0,
                "edge-of-care": 0,
                "children-in-care": 0,
                "care-leavers": 0,
            },
        },
    ],
}

NEIGHBOURS_CSV: str = (
    "rank,slug,name,region,inspections,findings,overall-effectiveness,help-and-protection,children-in-care,care-leavers,adoption,leadership,quality-of-practice,capacity-to-improve,safeguarding-board,outcomes-for-children-in-care,quality-of-provision,other,theme_front-door,theme_assessment,theme_child-protection,theme_child-in-need,theme_management-oversight,theme_quality-assurance,theme_leadership,theme_partnership,theme_early-help,theme_workforce,theme_child-voice,theme_diversity-identity,theme_records-systems,theme_exploitation-missing,theme_domestic-abuse,theme_edge-of-care,theme_children-in-care,theme_care-leavers\r\n"
    "0,cheshire-east,Cheshire East,North "
    "West,3,116,inadequate,requires-improvement,0,0,,13,inadequate,,,,,,21,17,28,17,17,13,13,30,14,12,18,7,11,8,4,4,0,0\r\n"
    "1,gloucestershire,Gloucestershire,South "
    "West,0,0,,,0,0,,0,,,,,,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\r\n"
)

CHANGES: dict[str, Any] = {
    "items": [
        {
            "version": 4,
            "action": "loaded",
            "at": "2026-12-03T07:18:40.153999+00:00",
            "document_id": 4,
            "inspection_id": 4,
            "document": {
                "id": 4,
                "filename": "003_428a553426a77882.txt",
                "title": "Cheshire East – Inspection of child protection",
                "kind": "summary-for-children",
                "letter_date": None,
                "published_date": None,
                "published_source": None,
                "source_url": None,
            },
            "inspection": {
                "id": 4,
                "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
                "type": "child-protection",
                "start_date": "2013-03-11",
                "year": 2013,
            },
        },
        {
            "version": 5,
            "action": "loaded",
            "at": "2026-12-03T07:18:40.346680+00:00",
            "document_id": 5,
            "inspection_id": 4,
            "document": {
                "id": 5,
                "filename": "004_00ec88477df05a0b.txt",
                "title": "Inspection of local authority arrangements for the "
                "protection of children",
                "kind": "report",
                "letter_date": None,
                "published_date": None,
                "published_source": None,
                "source_url": None,
            },
            "inspection": {
                "id": 4,
                "authority": {"slug": "cheshire-east", "name": "Cheshire East"},
                "type": "child-protection",
                "start_date": "2013-03-11",
                "year": 2013,
            },
        },
    ],
    "total": 2,
    "limit": 50,
    "next": None,
    "version": 5,
}

CHANGES_CSV: str = (
    "version,action,at,document_id,inspection_id,document_filename,document_title,document_kind,document_published_date,document_published_source,inspection_authority_slug,inspection_type,inspection_start_date,inspection_year\r\n"
    "4,loaded,2026-12-03 07:18:40.153999+00:00,4,4,003_428a553426a77882.txt,Cheshire East – "
    "Inspection of child "
    "protection,summary-for-children,,,cheshire-east,child-protection,2013-03-11,2013\r\n"
    "5,loaded,2026-12-03 07:18:40.346680+00:00,5,4,004_00ec88477df05a0b.txt,Inspection of local "
    "authority arrangements for the protection of "
    "children,report,,,cheshire-east,child-protection,2013-03-11,2013\r\n"
)

DOCUMENT: dict[str, Any] = {
    "id": 3,
    "inspection_id": 3,
    "filename": "002_840fe968f2e3c99a.txt",
    "title": "Focused visit to Cheshire East children’s services",
    "kind": "letter",
    "letter_date": "2021-12-08",
    "published_date": None,
    "published_source": None,
    "source_url": None,
    "sha256": "7adf87889c6990202895ddcadbbd88ec890730fdfd4e5ef14d32c5e5e709a74c",
    "pages": None,
    "inspectors": ["Kathryn Grindrod", "Russel Breyer"],
    "parser_version": "1.1.0",
    "text": "\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "\n"
    "8 December 2021\n"
    "\n"
    "Dr Lorraine O’Donnell\n"
    "\n"
    "Chief Executive\n"
    "\n"
    "Cheshire East Council\n"
    "\n"
    "Municipal Buildings\n"
    "\n"
    "Earle Street\n"
    "\n"
    "Crewe\n"
    "\n"
    "CW1 2BJ\n"
    "\n"
    "\n"
    "\n"
    "Dear Lorraine\n"
    "\n"
    "Focused visit to Cheshire East children’s ser…",
}

THEMES: list[Any] = [
    {"id": "front-door", "label": "Contacts, referrals and thresholds", "findings": 26},
    {"id": "assessment", "label": "Assessment", "findings": 20},
]

GRADES: list[Any] = [
    {"id": "outstanding", "label": "Outstanding", "score": 1, "judgements": 0, "labels": []},
    {"id": "good", "label": "Good", "score": 2, "judgements": 0, "labels": []},
]

CLOCK: dict[str, Any] = {
    "as_of": "2026-09-01",
    "rule": {
        "text": "An estimate, not Ofsted's schedule. Under Ofsted's framework for inspecting "
        "local authority children's services (ILACS, from January 2018), an "
        "authority judged good or outstanding overall has a short …",
        "sources": [
            "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018/inspecting-local-authority-childrens-services",
            "https://www.kirkleessafeguardingchildren.co.uk/procedures-local-protocols-and-guidance/ilacs-inspection-guidance-for-professionals/",
        ],
    },
    "total": 24,
    "items": [
        {
            "slug": "cheshire-east",
            "name": "Cheshire East",
            "region": "North West",
            "current": True,
            "rank": 1,
            "days_since": 4913,
            "grade": "inadequate",
            "latest": {
                "inspection_id": 4,
                "type": "child-protection",
                "type_label": "Inspection of local authority arrangements for the "
                "protection of children",
                "start_date": "2013-03-11",
                "end_date": "2013-03-20",
                "grade": "inadequate",
                "grade_label": "Inadequate",
                "days_since": 4913,
                "published_date": None,
                "published_source": None,
                "days_to_publication": None,
                "publication_note": "No publication date known: the document prints "
                "none and was loaded without one (no manifest or "
                "site date)",
            },
            "next_inspection": {
                "kind": None,
                "from": None,
                "to": None,
                "position": None,
                "basis_inspection_id": None,
                "estimate": True,
                "note": "No ILACS or single inspection framework inspection loaded",
            },
            "frameworks": [
                {
                    "inspection_id": 3,
                    "type": "focused-visit",
                    "type_label": "ILACS focused visit",
                    "start_date": "2021-11-03",
                    "end_date": "2021-11-04",
                    "grade": None,
                    "grade_label": None,
                    "days_since": 1762,
                    "published_date": None,
                    "published_source": None,
                    "days_to_publication": None,
                    "publication_note": "No publication date known: the document "
                    "prints none and was loaded without one (no "
                    "manifest or site date)",
                },
                {
                    "inspection_id": 4,
                    "type": "child-protection",
                    "type_label": "Inspection of local authority arrangements for the "
                    "protection of children",
                    "start_date": "2013-03-11",
                    "end_date": "2013-03-20",
                    "grade": "inadequate",
                    "grade_label": "Inadequate",
                    "days_since": 4913,
                    "published_date": None,
                    "published_source": None,
                    "days_to_publication": None,
                    "publication_note": "No publication date known: the document "
                    "prints none and was loaded without one (no "
                    "manifest or site date)",
                },
            ],
        },
        {
            "slug": "blackburn-with-darwen",
            "name": "Blackburn with Darwen",
            "region": "North West",
            "current": True,
            "rank": None,
            "days_since": None,
            "grade": "no-inspection",
            "latest": None,
            "next_inspection": {
                "kind": None,
                "from": None,
                "to": None,
                "position": None,
                "basis_inspection_id": None,
                "estimate": True,
                "note": "No ILACS or single inspection framework inspection loaded",
            },
            "frameworks": [],
        },
    ],
    "facets": {
        "region": [{"value": "North West", "label": "North West", "count": 24}],
        "grade": [
            {"value": "no-inspection", "label": "No inspection loaded", "count": 23},
            {"value": "inadequate", "label": "Inadequate", "count": 1},
        ],
    },
}

CLOCK_CSV: str = (
    "rank,slug,name,region,days_since,grade,latest_inspection_id,latest_type,latest_start_date,latest_end_date,latest_grade_label,latest_published_date,latest_days_to_publication,next_inspection_kind,next_inspection_from,next_inspection_to,next_inspection_position\r\n"
    "1,cheshire-east,Cheshire East,North "
    "West,4913,inadequate,4,child-protection,2013-03-11,2013-03-20,Inadequate,,,,,,\r\n"
    ",blackburn-with-darwen,Blackburn with Darwen,North West,,no-inspection,,,,,,,,,,,\r\n"
)

AUTHORITY_CLOCK: dict[str, Any] = {
    "as_of": "2026-09-01",
    "rule": {
        "text": "An estimate, not Ofsted's schedule. Under Ofsted's framework for inspecting "
        "local authority children's services (ILACS, from January 2018), an "
        "authority judged good or outstanding overall has a short …",
        "sources": [
            "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018/inspecting-local-authority-childrens-services",
            "https://www.kirkleessafeguardingchildren.co.uk/procedures-local-protocols-and-guidance/ilacs-inspection-guidance-for-professionals/",
        ],
    },
    "slug": "cheshire-east",
    "name": "Cheshire East",
    "region": "North West",
    "current": True,
    "rank": 1,
    "days_since": 4913,
    "grade": "inadequate",
    "latest": {
        "inspection_id": 4,
        "type": "child-protection",
        "type_label": "Inspection of local authority arrangements for the protection of children",
        "start_date": "2013-03-11",
        "end_date": "2013-03-20",
        "grade": "inadequate",
        "grade_label": "Inadequate",
        "days_since": 4913,
        "published_date": None,
        "published_source": None,
        "days_to_publication": None,
        "publication_note": "No publication date known: the document prints none and was "
        "loaded without one (no manifest or site date)",
    },
    "next_inspection": {
        "kind": None,
        "from": None,
        "to": None,
        "position": None,
        "basis_inspection_id": None,
        "estimate": True,
        "note": "No ILACS or single inspection framework inspection loaded",
    },
    "frameworks": [
        {
            "inspection_id": 3,
            "type": "focused-visit",
            "type_label": "ILACS focused visit",
            "start_date": "2021-11-03",
            "end_date": "2021-11-04",
            "grade": None,
            "grade_label": None,
            "days_since": 1762,
            "published_date": None,
            "published_source": None,
            "days_to_publication": None,
            "publication_note": "No publication date known: the document prints none and "
            "was loaded without one (no manifest or site date)",
        },
        {
            "inspection_id": 4,
            "type": "child-protection",
            "type_label": "Inspection of local authority arrangements for the protection "
            "of children",
            "start_date": "2013-03-11",
            "end_date": "2013-03-20",
            "grade": "inadequate",
            "grade_label": "Inadequate",
            "days_since": 4913,
            "published_date": None,
            "published_source": None,
            "days_to_publication": None,
            "publication_note": "No publication date known: the document prints none and "
            "was loaded without one (no manifest or site date)",
        },
    ],
}

COVERAGE: dict[str, Any] = {
    "of": 153,
    "items": [
        {
            "type": "child-protection",
            "type_label": "Inspection of local authority arrangements for the protection of "
            "children",
            "year": 2013,
            "authorities_with_data": 1,
            "of": 153,
            "without_data": [
                {"slug": "barking-and-dagenham", "name": "Barking and Dagenham"},
                {"slug": "barnet", "name": "Barnet"},
            ],
        }
    ],
}

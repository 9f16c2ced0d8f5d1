"""Controlled vocabularies: the ids the API filters on, with their labels.

Ids are stable, lowercase and hyphenated; labels are for people. A document's own wording is
always kept beside the id (a judgement's `grade_label`), so nothing here replaces the source.
"""

from enum import StrEnum


class Grade(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"


GRADE_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.INADEQUATE: "Inadequate",
}
GRADE_SCORES = {
    Grade.OUTSTANDING: 1,
    Grade.GOOD: 2,
    Grade.REQUIRES_IMPROVEMENT: 3,
    Grade.INADEQUATE: 4,
}


class InspectionType(StrEnum):
    CONTACT_REFERRAL_ASSESSMENT = "contact-referral-assessment"
    SAFEGUARDING_LOOKED_AFTER = "safeguarding-looked-after"
    CHILD_PROTECTION = "child-protection"
    LOOKED_AFTER_CHILDREN = "looked-after-children"
    SINGLE_INSPECTION = "single-inspection"
    ILACS = "ilacs"
    FOCUSED_VISIT = "focused-visit"
    MONITORING_VISIT = "monitoring-visit"
    JTAI = "jtai"
    LSCB_REVIEW = "lscb-review"


INSPECTION_TYPE_LABELS = {
    InspectionType.CONTACT_REFERRAL_ASSESSMENT: (
        "Annual unannounced inspection of contact, referral and assessment arrangements"
    ),
    InspectionType.SAFEGUARDING_LOOKED_AFTER: (
        "Inspection of safeguarding and looked after children services (SLAC)"
    ),
    InspectionType.CHILD_PROTECTION: (
        "Inspection of local authority arrangements for the protection of children"
    ),
    InspectionType.LOOKED_AFTER_CHILDREN: "Inspection of looked after children services",
    InspectionType.SINGLE_INSPECTION: (
        "Inspection of services for children in need of help and protection, children looked "
        "after and care leavers (single inspection framework)"
    ),
    InspectionType.ILACS: "Inspection of local authority children's services (ILACS)",
    InspectionType.FOCUSED_VISIT: "ILACS focused visit",
    InspectionType.MONITORING_VISIT: "Monitoring visit",
    InspectionType.JTAI: "Joint targeted area inspection",
    InspectionType.LSCB_REVIEW: (
        "Review of the effectiveness of the local safeguarding children board (on its own)"
    ),
}


class JudgementArea(StrEnum):
    """What a judgement grades, across frameworks (the document's own label is always kept
    beside it as `area_label`):

    - `overall-effectiveness`: the whole service: ILACS "Overall effectiveness", the SIF's
      "Children's services in X are good", the 2012-13 child protection inspection's overall
      effectiveness of the arrangements to protect children, a SLAC report's safeguarding
      service. A framework's overall judgement of one service only is not this: the 2012-13
      looked after children inspection's "Overall effectiveness of services for looked after
      children" (and a SLAC report's looked after children service) is `children-in-care`,
      so statistics of whole-service grades never mix them in.
    - `help-and-protection`, `children-in-care`, `care-leavers`, `adoption`, `leadership`:
      the ILACS and SIF judgements ("The experiences and progress of children who need help
      and protection", "Children looked after and achieving permanence", ...).
    - `quality-of-practice` (2012-13 child protection), `capacity-to-improve` (SLAC and
      looked after children inspections), `safeguarding-board` (the review of the local
      safeguarding children board, with a SIF inspection or on its own).
    - `outcomes-for-children-in-care` and `quality-of-provision`: the 2012-13 looked after
      children inspection's "Outcomes for looked after children and young people" and
      "Quality of provision" (a SLAC report's safeguarding "Quality of provision" too).
    - `other`: any area a document grades that this list lacks, under its own label.
    """

    OVERALL_EFFECTIVENESS = "overall-effectiveness"
    HELP_AND_PROTECTION = "help-and-protection"
    CHILDREN_IN_CARE = "children-in-care"
    CARE_LEAVERS = "care-leavers"
    ADOPTION = "adoption"
    LEADERSHIP = "leadership"
    QUALITY_OF_PRACTICE = "quality-of-practice"
    CAPACITY_TO_IMPROVE = "capacity-to-improve"
    SAFEGUARDING_BOARD = "safeguarding-board"
    OUTCOMES_FOR_CHILDREN_IN_CARE = "outcomes-for-children-in-care"
    QUALITY_OF_PROVISION = "quality-of-provision"
    OTHER = "other"


JUDGEMENT_AREA_LABELS = {
    JudgementArea.OVERALL_EFFECTIVENESS: "Overall effectiveness",
    JudgementArea.HELP_AND_PROTECTION: "Help and protection",
    JudgementArea.CHILDREN_IN_CARE: "Children in care",
    JudgementArea.CARE_LEAVERS: "Care leavers",
    JudgementArea.ADOPTION: "Adoption performance",
    JudgementArea.LEADERSHIP: "Leadership",
    JudgementArea.QUALITY_OF_PRACTICE: "Quality of practice",
    JudgementArea.CAPACITY_TO_IMPROVE: "Capacity to improve",
    JudgementArea.SAFEGUARDING_BOARD: "Local safeguarding children board",
    JudgementArea.OUTCOMES_FOR_CHILDREN_IN_CARE: "Outcomes for children in care",
    JudgementArea.QUALITY_OF_PROVISION: "Quality of provision",
    JudgementArea.OTHER: "Other (the document's own label is kept)",
}


class FindingKind(StrEnum):
    STRENGTH = "strength"
    WEAKNESS = "weakness"
    RECOMMENDATION = "recommendation"
    PRIORITY_ACTION = "priority-action"
    NARRATIVE = "narrative"


FINDING_KIND_LABELS = {
    FindingKind.STRENGTH: "Strength",
    FindingKind.WEAKNESS: "Weakness",
    FindingKind.RECOMMENDATION: "Recommendation",
    FindingKind.PRIORITY_ACTION: "Area for priority action",
    FindingKind.NARRATIVE: "Narrative paragraph",
}


class Timeframe(StrEnum):
    IMMEDIATELY = "immediately"
    WITHIN_3_MONTHS = "within-3-months"
    WITHIN_6_MONTHS = "within-6-months"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"
    NEUTRAL = "neutral"


class PublishedSource(StrEnum):
    """Where a document's publication date came from: the date it prints ("Report
    published: 8 December 2017") stands before a date given with the file: the manifest's
    it was loaded with, or the date Ofsted's reports site lists beside it (`python -m seed
    sync`)."""

    DOCUMENT = "document"
    MANIFEST = "manifest"
    SITE = "site"


class FetchOutcome(StrEnum):
    """What became of a publication the reports site lists, after `python -m seed sync`
    last tried it (the `site_publications` table)."""

    LOADED = "loaded"
    """Its document is in the database (loaded by the sync, or already there)."""
    REJECTED = "rejected"
    """Fetched, but not loaded: the reason says why (an HTML page served as the PDF...)."""
    NOT_FETCHED = "not-fetched"
    """Not fetched: the reason says why (HTTP 404, robots.txt, not a PDF, time-outs...)."""


class DocumentKind(StrEnum):
    LETTER = "letter"
    REPORT = "report"
    SUMMARY_FOR_CHILDREN = "summary-for-children"


class Theme(StrEnum):
    FRONT_DOOR = "front-door"
    ASSESSMENT = "assessment"
    CHILD_PROTECTION = "child-protection"
    CHILD_IN_NEED = "child-in-need"
    MANAGEMENT_OVERSIGHT = "management-oversight"
    QUALITY_ASSURANCE = "quality-assurance"
    LEADERSHIP = "leadership"
    PARTNERSHIP = "partnership"
    EARLY_HELP = "early-help"
    WORKFORCE = "workforce"
    CHILD_VOICE = "child-voice"
    DIVERSITY_IDENTITY = "diversity-identity"
    RECORDS_SYSTEMS = "records-systems"
    EXPLOITATION_MISSING = "exploitation-missing"
    DOMESTIC_ABUSE = "domestic-abuse"
    EDGE_OF_CARE = "edge-of-care"
    CHILDREN_IN_CARE = "children-in-care"
    CARE_LEAVERS = "care-leavers"


THEME_LABELS = {
    Theme.FRONT_DOOR: "Contacts, referrals and thresholds",
    Theme.ASSESSMENT: "Assessment",
    Theme.CHILD_PROTECTION: "Child protection enquiries and plans",
    Theme.CHILD_IN_NEED: "Children in need planning",
    Theme.MANAGEMENT_OVERSIGHT: "Management oversight and supervision",
    Theme.QUALITY_ASSURANCE: "Quality assurance and performance",
    Theme.LEADERSHIP: "Leadership, governance and strategy",
    Theme.PARTNERSHIP: "Partnership working and safeguarding boards",
    Theme.EARLY_HELP: "Early help",
    Theme.WORKFORCE: "Workforce, caseloads and training",
    Theme.CHILD_VOICE: "Voice and participation of children and families",
    Theme.DIVERSITY_IDENTITY: "Identity, diversity and disability",
    Theme.RECORDS_SYSTEMS: "Recording and information systems",
    Theme.EXPLOITATION_MISSING: "Exploitation and missing children",
    Theme.DOMESTIC_ABUSE: "Domestic abuse",
    Theme.EDGE_OF_CARE: "Edge of care and legal proceedings",
    Theme.CHILDREN_IN_CARE: "Children in care and permanence",
    Theme.CARE_LEAVERS: "Care leavers",
}

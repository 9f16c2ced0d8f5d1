"""The theme lexicon's blockers: phrases in which a theme's term does not mean what it seems
to ("children in need of help and protection" is the generic inspection wording, not
child-in-need planning or child protection). A term match overlapping a blocker of its theme
is ignored (`app.classifier.lexicon`)."""

from app.classifier.term_syntax import words
from app.vocabulary import Theme

# ---------------------------------------------------------------------------------------------
# Shared fragments
# ---------------------------------------------------------------------------------------------

# The generic inspection wording: "children in need of help and protection", "help or
# protection", "help and protect". Not the child-in-need or child-protection themes.
_HELP_AND_PROTECTION = (
    r"help(?:,| and| or|/) ?(?:support and |support or )?(?:child )?protect(?:ion|ed)?"
)
_IN_NEED_OF = r"need of (?:help|support|protection)"
# Team and service names are organisation, not practice.
_TEAM_NAMES = (
    r"(?:children in need|child in need|child protection|cin|cp)"
    r"(?: ?(?:/|and|&) ?(?:children in need|child in need|child protection))?"
    r" (?:teams?|service)"
)


BLOCKERS: dict[Theme, tuple[str, ...]] = {
    Theme.FRONT_DOOR: (
        r"national referral mechanism",
        r"(?:family|sibling|parental|face to face) contacts",
        r"(?:government|national|adoption scorecard) thresholds?",
        r"thresholds? (?:figures?|targets?)",
        r"stepp?(?:ed|ing|s)? (?:up|down) (?:from|to|into) (?:the )?(?:pre proceedings|PLO|"
        r"care proceedings|public law outline)",
        r"referral orders?",
        r"referrals? (?:to|for) (?:CAMHS|the LADO|LADO|specialist|mental health)\w*",
        r"(?:contact|referral),? (?:and )?referral and assessment",
        r"referral and assessment (?:arrangements|activity|services?|teams?|practice)",
    ),
    Theme.ASSESSMENT: (
        r"common assessment framework",
        r"CAF assessments?",
        r"early help assessments?",
        r"multi agency risk assessment conferences?",
        r"joint strategic needs assessment",
        r"assessment (?:teams?|services?|hub|workers|social workers)",
        r"referral and assessment",
        r"assessment framework",
        r"self assessment",
        r"(?:initial )?health assessments?",
        r"assessments? of (?:prospective )?(?:foster|connected|kinship|special guardian)\w*",
        r"(?:foster carer|adopter|adoption|special guardianship) assessments?",
    ),
    Theme.CHILD_PROTECTION: (
        _HELP_AND_PROTECTION,
        _IN_NEED_OF,
        _TEAM_NAMES,
        r"safeguarding and child protection",
        r"child protection (?:training|responsibilities|arrangements|system)",
        r"risk assessment conferences?",
        r"(?:family group|looked after|LAC|CLA|case|child in need|care planning|"
        r"placement|permanence|adoption|professionals') (?:review )?conferences?",
        r"conferences? (?:calls?|facilities)",
    ),
    Theme.CHILD_IN_NEED: (_HELP_AND_PROTECTION, _IN_NEED_OF, _TEAM_NAMES),
    Theme.MANAGEMENT_OVERSIGHT: (
        r"supervision orders?",
        r"supervising social workers?",
        r"(?:foster carers?|carers)'? supervision",
        r"(?:senior leaders|leaders|elected members|boards?) (?:have|has|with) (?:an? )?"
        r"(?:accurate |good |clear |strong )?oversight",
    ),
    Theme.QUALITY_ASSURANCE: (
        r"monitor(?:s|ed|ing)? (?:the )?(?:welfare|wellbeing|well being|progress of children)",
    ),
    Theme.LEADERSHIP: (
        r"partnership leaders",
        r"team leaders?",
        r"practice leaders?",
        r"(?:school|health|police|education) leaders",
    ),
    Theme.PARTNERSHIP: (
        r"multi agency (?:risk assessment conferences?|safeguarding hubs?)",
        r"health (?:assessments?|needs|and well ?being strategy)",
        r"(?:emotional|mental) health",
        r"partners?(?:hip)? with (?:children|young people|parents|families|carers)",
        r"(?:male|female|new|adult|intimate|abusive|violent|current|former|ex|mother's|"
        r"mothers'|father's|parents'|their) partners?",
        r"working together (?:to safeguard children|\d{4})",
    ),
    Theme.EARLY_HELP: (
        r"family support networks?",
        r"prevent(?:ion|ative)? (?:of )?(?:placement|drift|radicali\w+)",
    ),
    Theme.WORKFORCE: (
        r"(?:organisational|service) capacity",
        r"capacity to (?:improve|change|parent|consent)",
        r"parenting capacity",
        r"(?:foster carers?|carers|adopters)(?:'s|')? (?:training|recruitment|retention)",
        r"recruit(?:ment|ing)? (?:of |more )?(?:foster carers?|carers|adopters)",
        r"(?:foster carer|carer|adopter)s? recruitment",
        r"education,? (?:employment|training),? (?:or|and) (?:training|employment)",
        r"(?:employment|education) (?:and|or) training",
    ),
    Theme.CHILD_VOICE: (
        r"views of (?:partners|professionals|staff|managers|leaders|social workers)",
        r"(?:partners|professionals|staff|managers|leaders)(?:'s|')? views",
    ),
    Theme.DIVERSITY_IDENTITY: (
        r"culture of",
        r"(?:learning|practice|organisational|positive|supportive|child centred|"
        r"strengths based|restorative|working|open|no blame|high support) culture",
        r"identit(?:y|ies) (?:of|and assess)\w* (?:risk|need|perpetrators)",
    ),
    Theme.RECORDS_SYSTEMS: (
        r"track records?",
        r"no records? of",
        r"record(?:ed)? (?:numbers?|levels?|lows?|highs?)",
        r"last minute",
        r"criminal records?",
    ),
    Theme.EXPLOITATION_MISSING: (
        r"missing (?:important |key |some )?(?:details?|information|key|elements|data)",
    ),
    Theme.EDGE_OF_CARE: (
        r"(?:youth|family|magistrates'?|crown) court",
        r"criminal proceedings",
        r"court (?:of protection|orders? for (?:special|adoption))",
    ),
    Theme.CHILDREN_IN_CARE: (
        r"privately fostered",
        r"private fostering",
        r"safeguarding and looked after children",
        r"(?:work|school|college|training|education|apprenticeship) placements?",
        r"(?:take|taking|took|taken) (?:great |more |less )?care",
    ),
    Theme.CARE_LEAVERS: (),
}


def phrase_source(phrase: str) -> str:
    """A blocker's regex source, ending at a word end like a term's."""
    return rf"(?:{words(phrase)})(?!\w)"

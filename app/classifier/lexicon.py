"""The theme lexicon: weighted terms per theme, and where a finding uses them.

Every theme in :class:`app.vocabulary.Theme` has a small vocabulary of weighted terms, drawn
from the theme's scope in ``vocabulary.md`` and the standard language of English children's
social care (MASH, section 47, core group, IRO, PLO, virtual school, pathway plan ...).

It no longer decides a finding's themes: the learned model does (``app.classifier.model``).
It gives the model four features per theme (:func:`theme_evidence`), which measurably help it
(see the README's model card): its terms carry domain knowledge that 1,630 labelled findings
do not all show.

* A *strong* term (weight 3) names the theme's subject on its own ("child protection plan",
  "caseloads", "pathway plan"); a *medium* (2) or *weak* (1) term is supporting evidence. A
  theme's score adds the weight of each distinct term found, plus half the weight again for
  each repetition (capped at double).
* *Blockers* are phrases in which a term does not mean what it seems to: "children in need of
  help and protection" is the generic inspection wording, not child-in-need planning or child
  protection; "common assessment framework" is early help, not assessment. A term match
  overlapping a blocker of its theme is ignored.
* Some terms are *conditional*: they are ignored when their sentence shows they are about
  someone else, e.g. "training" for elected members, schools or partner agencies.

All patterns are compiled once, at import, into a :class:`PhraseIndex` (also used by
``app.classifier.cues``): it finds the words where some term can start with one scan of the
text, and tries only those terms there, so cost grows with the text, not the vocabulary.
"""

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.vocabulary import Theme

STRONG = 3.0
MEDIUM = 2.0
WEAK = 1.0


_SEP = r"[\s\-‐‑]+"
_OPT_SEP = r"[\s\-‐‑]*"
_APOS = r"['’]"


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary entry: a pattern, its weight, and an optional sentence-level veto."""

    pattern: str
    weight: float
    case_sensitive: bool = False
    unless: str | None = None


def _words(pattern: str) -> str:
    """Regex source for a written phrase: a space matches any run of spaces or hyphens (" ?"
    an optional one), and an apostrophe matches a straight or curly quote."""
    body = pattern.replace(" ?", _OPT_SEP).replace(" ", _SEP)
    return body.replace("'", _APOS)


def _source(term: Term) -> str:
    """A term's regex source. It must end at a word end; :class:`PhraseIndex` only tries it
    at the start of a word."""
    body = _words(term.pattern)
    if term.case_sensitive:
        body = f"(?-i:{body})"
    return rf"(?:{body})(?!\w)"


def S(pattern: str, unless: str | None = None) -> Term:
    """A strong term: enough on its own."""
    return Term(pattern, STRONG, unless=unless)


def M(pattern: str, unless: str | None = None) -> Term:
    """A medium term: needs some other evidence."""
    return Term(pattern, MEDIUM, unless=unless)


def W(pattern: str, unless: str | None = None) -> Term:
    """A weak term: supporting evidence only."""
    return Term(pattern, WEAK, unless=unless)


def A(pattern: str, weight: float = STRONG) -> Term:
    """An acronym: matched case-sensitively."""
    return Term(pattern, weight, case_sensitive=True)


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

# Who receives training when it is not the authority's own social care staff.
_NOT_STAFF_TRAINEES = (
    r"elected members|councillors|\bmembers\b|schools?|partner agencies|partners|"
    r"professionals from|other agencies|foster carers|carers|adopters|governors|"
    r"GPs|police officers|multi-agency training|\bLSCB\b|safeguarding children board"
)

# ---------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------

VOCABULARY: dict[Theme, tuple[Term, ...]] = {
    Theme.FRONT_DOOR: (
        S("front door"),
        A("MASH"),
        S("multi agency safeguarding hubs?"),
        S("contacts? and referrals?"),
        S("contacts?, referrals?"),
        S("thresholds?"),
        S("referrals? (?:to|into) (?:children's )?social care"),
        M("referrals?"),
        S("referrals? from"),
        S("re referrals?"),
        W("referred"),
        S("referred (?:to|into) (?:children's )?social (?:care|workers?)"),
        S(
            "escalat(?:ed|es|ing|ion|ions) (?:in)?to (?:children's social care|social care|"
            "statutory services|child in need|child protection)"
        ),
        S(
            "referrals? (?:were |was |are |is |being )?"
            "(?:prematurely |inappropriately |appropriately )?(?:closed|diverted)"
        ),
        M("referrers?"),
        S("(?:first|initial) contacts?"),
        S("point of (?:first )?(?:contact|referral)"),
        S("single point of (?:access|contact|entry)"),
        S("(?:one )?entry point"),
        S("emergency duty (?:team|service)"),
        S("out of hours (?:team|service)"),
        M("duty (?:and assessment )?(?:team|service|workers?|desk)"),
        S("stepp?(?:ed|ing|s)? (?:up|down)"),
        S("step up and step down"),
        S("de escalat(?:e|ed|es|ing|ion) (?:of )?(?:child|children|cases?|plans?)"),
        S("consultation service"),
        M("initial decisions?"),
        S("contacts"),
        M("no further action"),
        S("(?:clos(?:e|ed|es|ing|ure)|divert(?:ed|ing)?) (?:of )?referrals?"),
        S("advice and (?:support|assessment) (?:service|team|hub)"),
        S("children's (?:advice|services) hub"),
        S("family front door"),
        S("contact cent(?:re|er)"),
    ),
    Theme.ASSESSMENT: (
        S("assessments?"),
        S("(?:initial|core|single|pre birth|parenting|risk|strengths based) assessments?"),
        M("reassess(?:ed|ment|ments)?"),
        W("assess(?:ed|es|ing)?"),
        M("analysis of (?:risk|need|needs)"),
        M("risk and protective factors"),
        W("analysis"),
    ),
    Theme.CHILD_PROTECTION: (
        S("child protection (?:plans?|planning|conferences?|enquiry|enquiries|investigations?)"),
        S("child protection (?:chairs?|reviews?|processes|process|procedures|register)"),
        S("child protection (?:strategy )?(?:meetings?|discussions?)"),
        S("initial child protection conferences?"),
        S("(?:review )?conferences?"),
        S("section 47s?"),
        A("s ?47s?"),
        S("strategy (?:meetings?|discussions?)"),
        S("core groups?(?: meetings?)?"),
        S("privately fostered"),
        S("private fostering"),
        S("child protection concerns?"),
        M("child protection"),
        Term("(?:risk of )?(?:immediate|significant) (?:risk of )?harm", 2.5),
        W("protect(?:s|ed|ing|ion)?"),
        W("investigat(?:e|ed|ion|ions)"),
    ),
    Theme.CHILD_IN_NEED: (
        S("child(?:ren)? in need (?:plans?|planning|reviews?|meetings?|work|cases?|visits?)"),
        S("child(?:ren)?(?: and young people)? in need"),
        A("CIN"),
        S("contingency (?:plans?|planning|arrangements)"),
        M("drift"),
        W("visit(?:s|ed)?"),
    ),
    Theme.MANAGEMENT_OVERSIGHT: (
        S("management oversight"),
        S("managerial (?:oversight|grip|direction|decisions?|decision making)"),
        S("managers?' oversight"),
        S("oversight (?:by|from|of) (?:team |line |first line |senior |service )?managers?"),
        S("(?:senior )?management (?:decisions?|decision making|grip|direction)"),
        S("supervision"),
        S("supervis(?:e|ed|ing) (?:by|social workers)"),
        S("signed off"),
        S("line managers?"),
        S("managers? (?:are |is )?(?:readily |easily )?(?:available|accessible)"),
        S("reflective (?:discussions?|supervision)"),
        S(
            "managers?(?: at all levels)? (?:\\w+ly )?(?:monitor|check|challenge|oversee|review|"
            "scrutinise|sign off|track|audit)s?"
        ),
        M("team managers?"),
        M("oversight"),
        M("decision making"),
        M("rationale for (?:the )?decisions?"),
        W("managers"),
        W("challenge"),
    ),
    Theme.QUALITY_ASSURANCE: (
        S("audit(?:s|ed|ing|ors?)?"),
        S("quality assur(?:ance|e|ed|ing)"),
        S("performance management"),
        S("management of performance"),
        S("(?:management|performance) information"),
        S("performance (?:data|indicators?|reports?|reporting|framework|monitoring|trends)"),
        S("monitor(?:s|ed|ing)? performance"),
        S("performance (?:is|are) (?:soundly |closely |regularly )?monitored"),
        S(
            "(?:understanding|overview|knowledge|oversight|informed|picture) (?:of|on|about) "
            "(?:the )?(?:quality of (?:practice|work|services)|performance)"
        ),
        S("self (?:assessment|evaluation)"),
        S("(?:scorecards?|dashboards?)"),
        S("national indicators?"),
        S("quality of (?:practice|social work) (?:is|are) (?:monitored|scrutinised)"),
        M("performance"),
        M("data"),
        M("mock inspection"),
        W("monitor(?:s|ed|ing)?"),
    ),
    Theme.LEADERSHIP: (
        S("senior leaders?(?:hip)?(?: team)?"),
        S("leadership(?: team)?"),
        S("leaders"),
        S("elected members"),
        S("lead members?"),
        S("chief executives?"),
        S("director of children's services"),
        A("DCS"),
        S("councillors"),
        S("leader of the council"),
        S("scrutiny"),
        S("strategic (?:plans?|planning|priorit(?:y|ies)|aims|direction|leaders?|ambitions?)"),
        S("joint strategic needs assessment"),
        A("JSNA"),
        S("health and well ?being (?:board|strategy)"),
        S("commissioning"),
        S("budgets?"),
        S("corporate (?:and political )?support"),
        S("political (?:and corporate )?support"),
        S("corporate parent(?:s|ing)?"),
        M("senior manag(?:ers|ement)"),
        M("strategic"),
        M("resources"),
        M("(?:funding|investment|financial)"),
        M("restructur(?:e|ed|es|ing)"),
        W("commissioned"),
        W("governance"),
    ),
    Theme.PARTNERSHIP: (
        S("partner (?:agencies|organisations)"),
        S("(?:statutory |key |all )?partners"),
        S("partnership working"),
        S("partnerships?"),
        S("multi (?:agency|disciplinary|professional)"),
        S("inter agency"),
        S("police"),
        S(
            "health (?:services|visitors?|partners|colleagues|professionals|practitioners|"
            "bodies|commissioners|providers|agencies)"
        ),
        S("(?:local )?safeguarding (?:children )?(?:board|partnership)s?"),
        A("[A-Z]{0,4}SC[A-Z]?[BP]"),
        S("information sharing"),
        S("shar(?:e|es|ed|ing) (?:of )?information"),
        S("joint working"),
        S("work(?:s|ed|ing)? (?:well |effectively |closely )?together"),
        S("(?:other|all|different|relevant|partner) (?:agencies|organisations|professionals)"),
        S("(?:other|different) services"),
        M("agencies"),
        M("schools"),
        M("(?:GP|GPs)"),
        M("collaborat(?:e|es|ed|ing|ion|ively)"),
        M("youth (?:offending|justice)"),
        A("CAMHS", MEDIUM),
        M("probation"),
        M("voluntary (?:and community )?sector"),
        W("professionals"),
        W("health"),
    ),
    Theme.EARLY_HELP: (
        S("early help"),
        A("CAFs?"),
        S("common assessment framework"),
        S("children's cent(?:re|er)s"),
        S("family cent(?:re|er)s"),
        S("family hubs?"),
        S("family help"),
        S("family support(?: services?| workers?)?"),
        S("early (?:intervention|support)"),
        S("targeted (?:services|support|early|provision|intervention|work)"),
        S("team around the (?:family|child)"),
        A("TAF"),
        S("(?:troubled|supporting) families"),
        S("lead professionals?"),
        M("family service workers?"),
        M("prevent(?:ative|ion)"),
    ),
    Theme.WORKFORCE: (
        S("caseloads?"),
        S("work ?loads?"),
        S("recruit(?:ed|ing|ment)?"),
        S("retention"),
        S("retain(?:ed|ing)? (?:staff|social workers|workers)"),
        S("agency (?:staff|social workers|workers|managers)"),
        S("temporary staff"),
        S("locums?"),
        S("changes (?:of|in) (?:social )?workers?"),
        S("change (?:of|in) social workers?"),
        S("staff(?:ing)? (?:stability|turnover|levels|shortages)"),
        S("turnover"),
        S("(?:stable|permanent) workforce"),
        S("workforce"),
        S("training", unless=_NOT_STAFF_TRAINEES),
        S("learning and development"),
        S("(?:professional |personal )?development (?:opportunities|plans)"),
        S("professional development"),
        S("newly qualified"),
        A("NQSWs?"),
        A("ASYE"),
        S("vacanc(?:y|ies)"),
        S("morale"),
        S("appraisals?"),
        S("sickness"),
        M("capacity"),
        M("(?:social workers|staff|practitioners) feel (?:well )?supported"),
        M("staff"),
    ),
    Theme.CHILD_VOICE: (
        S("wishes and feelings"),
        S("(?:views|wishes)(?:,)? (?:and|or) (?:wishes|feelings|opinions|experiences|views)"),
        S("(?:child|children|young people|young person|parents)(?:'s|')? (?:views|voices?)"),
        S("voice of (?:the )?(?:child|children|young people)"),
        S("(?:their|his|her) (?:views|voices?)"),
        S(
            "(?:contribut(?:e|es|ed|ing|ion|ions)|involv(?:e|es|ed|ing|ement)|"
            "participat(?:e|es|ed|ing|ion)|engag(?:e|es|ed|ing|ement)) (?:\\w+ ){0,2}(?:to|in) "
            "(?:service (?:development|design|planning)|the development of services)"
        ),
        S("seen (?:and seen )?alone"),
        S("(?:spoken|talked) (?:to|with) alone"),
        S("interviewed alone"),
        S("(?:time|speak|speaks|spoke|talk|talks|talked) alone with"),
        S("(?:see|sees|seen|seeing|saw|visited) (?:\\w+ ){0,5}alone"),
        S("listen(?:s|ed|ing)? to (?:children|young people|them|their|the child|parents|families)"),
        S("direct work"),
        M("participat(?:e|es|ed|ing|ion)"),
        S(
            "participat(?:e|es|ed|ing|ion) (?:fully )?(?:in|within) (?:their |all |the |review |"
            "child protection |looked after )?(?:meetings?|plans?|planning|reviews?|assessments?|"
            "decisions?|conferences?)"
        ),
        S("(?:fully )?participat(?:e|es|ed|ing) and contribut(?:e|es|ed|ing)"),
        S("advocacy"),
        S("(?:independent |an |their |the |an independent )advocates?"),
        M("advocates?"),
        S(
            "(?:involved|involvement|engaged) in (?:their |the |review |all )?"
            "(?:assessments?|plans?|planning|meetings?|decisions?|reviews?|this process)"
        ),
        S("feedback from (?:children|young people|parents|families|service users)"),
        S("(?:children|young people|service users)(?:'s|')? feedback"),
        S("children in care councils?"),
        S("(?:youth|children's) (?:council|voice|forum)"),
        S("service users' views"),
        M("views"),
        M("listen(?:s|ed|ing)? to"),
        M("opinions"),
        M("lived experiences?"),
    ),
    Theme.DIVERSITY_IDENTITY: (
        S("ethnic(?:ity|ities|ally)?"),
        S("cultural(?:ly)?"),
        S("(?:their|children's|child's|family's|own|his|her) cultures?"),
        S("culture,? (?:and |or )?(?:religion|language|identity|heritage|faith)"),
        S("religio(?:n|ns|us)"),
        S("linguistic"),
        S("interpret(?:er|ers|ing)"),
        S("translat(?:ion|ing|ed|ors?)(?! into)"),
        S("identit(?:y|ies)"),
        S("disab(?:led|ility|ilities)"),
        S("diversity"),
        S("equality"),
        S("racis(?:m|t)|racial|race"),
        S("heritage"),
        S("protected characteristics"),
        S("(?:different|diverse|all) communities"),
        S("(?:sexual orientation|sexuality|LGBT(?:Q|QI|QIA)?|gender identity)"),
        M("minority"),
        M("faith"),
        M("language"),
        M("special educational needs"),
    ),
    Theme.RECORDS_SYSTEMS: (
        S("records?"),
        S("recording"),
        S("record keeping"),
        S("electronic (?:social care |case |file |recording )?(?:records?|systems?|files?)"),
        S("integrated children's system"),
        A("ICS"),
        S("chronolog(?:y|ies)"),
        S("minutes"),
        S("case (?:files?|notes|summaries)"),
        S("written down"),
        S("(?:case management|recording|information|IT|computer) systems?"),
        S("documentation"),
        M("recorded"),
        M("files"),
        M("documented"),
    ),
    Theme.EXPLOITATION_MISSING: (
        S("(?:child )?(?:sexual|criminal) exploitation"),
        A("CSE"),
        A("CCE"),
        S("exploit(?:ation|ed)"),
        S("county lines"),
        S("gangs?"),
        S("missing (?:from|children|young people|episodes?|person|incidents?|education)"),
        S("(?:goes|go|going|went|gone|been) missing"),
        S("return (?:home )?interviews?"),
        S("traffick(?:ed|ing)"),
        S("modern slavery"),
        S("national referral mechanism"),
        S("radicali(?:s|z)(?:ation|ed)"),
        S("(?:serious )?youth violence"),
        S("extra ?familial (?:harm|risk)"),
        M("missing"),
    ),
    Theme.DOMESTIC_ABUSE: (
        S("domestic (?:abuse|violence)"),
        A("MARACs?"),
        S("multi agency risk assessment conferences?"),
        S("domestic incidents?"),
        S("coercive control"),
        S("operation encompass"),
        A("IDVAs?"),
        S("violence in the home"),
        M("perpetrators?"),
        M("parental conflict"),
    ),
    Theme.EDGE_OF_CARE: (
        S("edge of care"),
        S("pre proceedings"),
        S("care proceedings"),
        S("public law outline"),
        A("PLO"),
        S("legal (?:planning|gateway|gatekeeping) (?:meetings?|panels?)"),
        S("letters? before proceedings"),
        S("family (?:support )?networks?"),
        S("family group conferenc(?:e|es|ing)"),
        S(
            "(?:risk of|prevent|preventing|prevents|avoid|avoiding|need to|needing to) "
            "(?:come|coming|enter|entering|entry) (?:into )?care"
        ),
        M("proceedings"),
        M("legal intervention"),
        M("court"),
    ),
    Theme.CHILDREN_IN_CARE: (
        S("child(?:ren)? in (?:our )?care"),
        S("(?:become|becomes|becoming|became) looked after"),
        S("connected persons?"),
        M("looked after"),
        S("(?:child|children|young people) looked after"),
        S("looked after (?:children|child|young people)"),
        A("LAC"),
        A("CLA"),
        S("placements?"),
        S("foster(?:ing|ed)?"),
        S("foster carers?"),
        S("children's homes?"),
        S("residential (?:care|homes?|placements?)"),
        S("independent reviewing officers?"),
        A("IROs?"),
        S("virtual school(?: head)?"),
        S("personal education plans?"),
        A("PEPs?"),
        S("permanence"),
        S("adopt(?:ion|ed|ers?|ive)"),
        S("special guardianship(?: orders?)?"),
        A("SGOs?"),
        S("sufficiency"),
        S("kinship"),
        S("connected carers?"),
        S("care orders?"),
        S("placement orders?"),
        S("later life letters?"),
        S("life story work"),
        M("care plans?"),
        M("reunification"),
        M("matched|matching"),
        M("residential"),
    ),
    Theme.CARE_LEAVERS: (
        S("care leavers?"),
        S("leaving care"),
        S("pathway plan(?:s|ning)?"),
        S("personal advis[eo]rs?"),
        S("staying (?:put|close)"),
        S("local offer"),
        A("NEET"),
        S("education,? (?:employment|training),? (?:or|and) (?:training|employment)"),
        A("EET"),
        S("independent living"),
        S("tenanc(?:y|ies)"),
        S("care experienced"),
        M("supported accommodation"),
        M("semi independent"),
        M("accommodation"),
        M("university|higher education"),
    ),
}

# Phrases inside which a theme's terms do not count for that theme.
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


# ---------------------------------------------------------------------------------------------
# Fast matching: a phrase index
# ---------------------------------------------------------------------------------------------
#
# Python's regex engine tries every alternative of a pattern at every position, so scanning a
# paragraph with hundreds of terms is slow. A PhraseIndex instead reads each pattern's source
# to work out the first word a match must start with ("referrals?" starts with "referral" or
# "referrals"). A text is split into words once, and at each word only the patterns that can
# start with it are tried, with ``Pattern.match``; patterns sharing a first word and a group
# (a theme) are merged into one alternation, longest first. A pattern whose first word cannot
# be worked out (it starts with a wildcard such as ``[A-Z]``) is scanned in full.

_CLASS_ALNUM = re.compile(r"\\[wdWD]|[a-zA-Z0-9]")
_MAX_STATES = 256


@dataclass(frozen=True, slots=True)
class _Node:
    """One element of a parsed regex, as far as first words are concerned. ``kind`` is "lit"
    (the character ``char``), "sep" (a non-word character), "wild" (any word character), "zero"
    (a zero-width assertion), "wordend" (a word boundary), "group" (``alternatives``) or "opt"
    (``inner``, optional)."""

    kind: str
    char: str = ""
    alternatives: tuple[tuple["_Node", ...], ...] = ()
    inner: "_Node | None" = None


# (letters of the first word so far, whether the word is complete)
_State = tuple[str, bool]


class _Unknown(Exception):
    """A pattern's first word cannot be determined."""


def _parse_alternatives(src: str, i: int) -> tuple[tuple[tuple[_Node, ...], ...], int]:
    alternatives: list[tuple[_Node, ...]] = []
    sequence: list[_Node] = []
    while i < len(src) and src[i] != ")":
        if src[i] == "|":
            alternatives.append(tuple(sequence))
            sequence = []
            i += 1
            continue
        node, i = _parse_atom(src, i)
        i, optional = _parse_quantifier(src, i)
        sequence.append(_Node("opt", inner=node) if optional else node)
    alternatives.append(tuple(sequence))
    return tuple(alternatives), i


def _parse_quantifier(src: str, i: int) -> tuple[int, bool]:
    if i >= len(src) or src[i] not in "?*+{":
        return i, False
    if src[i] == "{":
        end = src.index("}", i)
        optional = src[i + 1 : end].split(",")[0] in ("", "0")
        i = end + 1
    else:
        optional = src[i] in "?*"
        i += 1
    if i < len(src) and src[i] == "?":
        i += 1  # lazy quantifier
    return i, optional


def _parse_class(src: str, i: int) -> tuple[_Node, int]:
    j = i + 1
    if src.startswith("^", j):
        j += 1
    if src.startswith("]", j):
        j += 1
    while src[j] != "]":
        j += 2 if src[j] == "\\" else 1
    body = src[i + 1 : j]
    letters = re.sub(r"\\[^wdWD]", "", body)
    kind = "wild" if body.startswith("^") or _CLASS_ALNUM.search(letters) else "sep"
    return _Node(kind), j + 1


def _parse_group(src: str, i: int) -> tuple[_Node, int]:
    j = i + 1
    kind = "group"
    if src.startswith("?!\\w)", j):
        return _Node("wordend"), j + 5
    if src.startswith(("?=", "?!"), j):
        kind, j = "zero", j + 2
    elif src.startswith(("?<=", "?<!"), j):
        kind, j = "zero", j + 3
    elif src.startswith("?P<", j):
        j = src.index(">", j) + 1
    elif src.startswith("?", j):
        j = src.index(":", j) + 1  # (?: and scoped flags such as (?-i:
    alternatives, j = _parse_alternatives(src, j)
    return _Node(kind, alternatives=alternatives), j + 1


def _parse_atom(src: str, i: int) -> tuple[_Node, int]:
    c = src[i]
    if c == "\\":
        escaped = src[i + 1]
        if escaped == "b":
            return _Node("wordend"), i + 2
        if escaped in "BAZ":
            return _Node("zero"), i + 2
        if escaped in "sW" or not escaped.isalnum():
            return _Node("sep"), i + 2
        return _Node("wild"), i + 2
    if c == "[":
        return _parse_class(src, i)
    if c == "(":
        return _parse_group(src, i)
    if c == ".":
        return _Node("wild"), i + 1
    if c in "^$":
        return _Node("zero"), i + 1
    return _Node("lit", c), i + 1


def _advance(nodes: Sequence[_Node], states: set[_State]) -> set[_State]:
    for node in nodes:
        if all(done for _, done in states):
            break
        states = _step(node, states)
        if len(states) > _MAX_STATES:
            raise _Unknown
    return states


def _step(node: _Node, states: set[_State]) -> set[_State]:
    """The states after ``node``: letters added to the first word, or the word closed."""
    if node.kind == "zero":
        return states
    if node.kind == "wordend" and any(not letters for letters, _ in states):
        if any(letters for letters, _ in states):
            raise _Unknown
        return states  # a word boundary before the first word
    if node.kind == "opt" and node.inner is not None:
        return states | _step(node.inner, states)
    if node.kind == "group":
        out: set[_State] = set()
        for alternative in node.alternatives:
            out |= _advance(alternative, states)
        return out
    stepped: set[_State] = set()
    for letters, done in states:
        if done:
            stepped.add((letters, done))
        elif node.kind == "lit" and node.char.isalnum():
            stepped.add((letters + node.char.lower(), False))
        elif node.kind == "wild" or not letters:
            raise _Unknown  # the word could go on with any letter, or no word starts here
        else:  # a separator or the end of the word
            stepped.add((letters, True))
    return stepped


def first_words(source: str) -> frozenset[str] | None:
    """The lower-cased whole words a match of the regex ``source`` can start with, or None if
    they cannot be worked out."""
    alternatives, _ = _parse_alternatives(source, 0)
    try:
        states = _step(_Node("group", alternatives=alternatives), {("", False)})
    except _Unknown:
        return None
    if not all(done for _, done in states):
        return None  # the pattern can end inside its first word
    return frozenset(letters for letters, _ in states)


def lower_keeping_offsets(text: str) -> str:
    """``text`` lower-cased, with every character at its original offset."""
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


_Trie = dict[str, Any]
"""A node: a letter to the next node, and "" to the guard of the word that ends there."""


def _trie_source(words: Mapping[str, str]) -> str:
    """A regex matching exactly the words of ``words``, factored by common prefixes so that
    the engine rejects a position after comparing a character or two; each word is followed
    by its guard (a zero-width assertion, or "")."""
    trie: _Trie = {}
    for word, guard in words.items():
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = guard  # a word ends here
    return _trie_node(trie)


def _trie_node(node: _Trie) -> str:
    branches = [re.escape(ch) + _trie_node(child) for ch, child in sorted(node.items()) if ch]
    end: str | None = node.get("")
    if not branches:
        return end or ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end is None:
        return body
    return f"(?:{body}|{end})" if end else f"(?:{body})?"


# A match of one pattern: (pattern id, start, end).
Span = tuple[int, int, int]


class PhraseIndex:
    """Finds every match of many regex sources in a text, trying each source only at the
    words it can start with. Matches of different sources may overlap."""

    __slots__ = ("_finder", "_scan", "_words")

    def __init__(self, sources: Sequence[str], flags: int) -> None:
        by_word: dict[str, list[int]] = {}
        self._scan: list[tuple[int, re.Pattern[str]]] = []
        for pattern_id, source in enumerate(sources):
            words = first_words(source)
            if words is None:
                self._scan.append((pattern_id, re.compile(source, flags)))
                continue
            for word in words:
                by_word.setdefault(word, []).append(pattern_id)
        # For each word, one regex tries all of its sources at once, each in an optional
        # lookahead whose group records that source's match.
        self._words: dict[str, tuple[re.Pattern[str], tuple[int, ...]]] = {
            word: (re.compile("".join(f"(?=({sources[i]}))?" for i in ids), flags), tuple(ids))
            for word, ids in by_word.items()
        }
        # Finds, in the lower-cased text, every whole word that some source can start with;
        # a word no source matches on its own ("the", "social") is found only where one of
        # its sources matches, which the regex engine checks without a step of Python.
        guards = {
            word: _guard(word, [sources[i] for i in ids], self._words[word][0], flags)
            for word, ids in by_word.items()
        }
        self._finder = re.compile(rf"\b(?:{_trie_source(guards)})\b")

    def matches(self, text: str, low: str | None = None) -> list[Span]:
        """Every match found at a word of ``text`` (or anywhere, for sources that must be
        scanned in full). ``low``: ``text`` lower-cased by :func:`lower_keeping_offsets`, if
        the caller has it."""
        found: list[Span] = []
        words = self._words
        for word in self._finder.finditer(lower_keeping_offsets(text) if low is None else low):
            regex, ids = words[word.group()]
            regs = regex.match(text, word.start()).regs  # type: ignore[union-attr]
            if len(ids) == 1:
                if regs[1][0] >= 0:
                    found.append((ids[0], *regs[1]))
                continue
            found.extend(
                (pattern_id, start, end)
                for pattern_id, (start, end) in zip(ids, regs[1:], strict=True)
                if start >= 0
            )
        for pattern_id, regex in self._scan:
            found.extend((pattern_id, *m.span()) for m in regex.finditer(text))
        return found


def _guard(word: str, sources: list[str], regex: re.Pattern[str], flags: int) -> str:
    """For a word that none of its ``sources`` (``regex``: each in an optional lookahead)
    matches on its own, a zero-width assertion to place just after it: one of the sources
    matches from the word's start (a lookahead in a lookbehind as wide as the word). The
    finder reads the lower-cased text, so a word with a case-sensitive source has none."""
    alone = regex.match(word)
    if alone is not None and alone.lastindex is not None:
        return ""
    if flags & re.IGNORECASE:
        if any("(?-i:" in source for source in sources):
            return ""
        body = "(?i:" + "|".join(sources) + ")"
    elif all(source == source.lower() for source in sources):
        body = "(?:" + "|".join(sources) + ")"
    else:
        return ""
    return f"(?<=(?={body}){re.escape(word)})"


# ---------------------------------------------------------------------------------------------
# Compiled form
# ---------------------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class _Entry:
    """A compiled vocabulary term (``blocker`` False) or blocker phrase (True) of a theme."""

    theme: Theme
    blocker: bool
    weight: float = 0.0
    veto: re.Pattern[str] | None = None


def _compile() -> tuple[tuple[_Entry, ...], PhraseIndex]:
    entries: list[_Entry] = []
    sources: list[str] = []
    for theme in Theme:
        for term in VOCABULARY[theme]:
            veto = re.compile(term.unless, _FLAGS) if term.unless else None
            entries.append(_Entry(theme, False, term.weight, veto))
            sources.append(_source(term))
        for phrase in BLOCKERS.get(theme, ()):
            entries.append(_Entry(theme, True))
            sources.append(rf"(?:{_words(phrase)})(?!\w)")
    return tuple(entries), PhraseIndex(sources, _FLAGS)


_ENTRIES, _INDEX = _compile()
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z‘'\"“(])")


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    weight: float
    words: str


@dataclass(frozen=True, slots=True)
class _Scored:
    theme: Theme
    score: float
    first: int
    matched: tuple[str, ...]


def _sentence_at(text: str, pos: int) -> str:
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            return text[start : m.start()]
        start = m.end()
    return text[start:]


def _theme_hits(text: str) -> dict[Theme, list[_Hit]]:
    """Each theme's term matches, minus those inside a blocker or vetoed by their sentence,
    keeping the longest of overlapping matches."""
    blocked: dict[Theme, list[tuple[int, int]]] = {}
    candidates: list[Span] = []
    for span in _INDEX.matches(text):
        entry = _ENTRIES[span[0]]
        if entry.blocker:
            blocked.setdefault(entry.theme, []).append(span[1:])
        else:
            candidates.append(span)
    raw: dict[Theme, list[_Hit]] = {}
    for index, start, end in candidates:
        entry = _ENTRIES[index]
        if any(bs < end and start < be for bs, be in blocked.get(entry.theme, ())):
            continue
        if entry.veto is not None and entry.veto.search(_sentence_at(text, start)):
            continue
        raw.setdefault(entry.theme, []).append(_Hit(start, end, entry.weight, text[start:end]))
    return {theme: _longest(found) for theme, found in raw.items()}


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Of overlapping hits, keep the earliest, longest one."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[_Hit] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _score(theme: Theme, hits: list[_Hit]) -> _Scored:
    counts: dict[str, int] = {}
    weights: dict[str, float] = {}
    words: dict[str, str] = {}
    for hit in hits:
        key = " ".join(hit.words.lower().replace("-", " ").split())
        counts[key] = counts.get(key, 0) + 1
        weights[key] = max(weights.get(key, 0.0), hit.weight)
        words.setdefault(key, hit.words)
    score = sum(weights[k] * min(1.0 + 0.5 * (n - 1), 2.0) for k, n in counts.items())
    return _Scored(theme, score, hits[0].start, tuple(words.values()))


@dataclass(frozen=True, slots=True)
class ThemeEvidence:
    """What the lexicon finds of one theme in a text."""

    score: float
    """The weighted sum of the theme's distinct terms (see the module's docstring)."""
    sentence_share: float
    """The share of the text's sentences that use one of its terms."""
    in_first_sentence: bool
    distinct_terms: int
    words: tuple[str, ...]
    """The words of the text that matched, as written, in order of first appearance."""


def theme_evidence(text: str) -> dict[Theme, ThemeEvidence]:
    """Every theme with any term in ``text``, and what the lexicon finds of it."""
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    sentences = len(sentence_ends) + 1
    evidence: dict[Theme, ThemeEvidence] = {}
    for theme, hits in _theme_hits(text).items():
        scored = _score(theme, hits)
        used = {bisect_right(sentence_ends, hit.start) for hit in hits}
        evidence[theme] = ThemeEvidence(
            scored.score, len(used) / sentences, 0 in used, len(scored.matched), scored.matched
        )
    return evidence

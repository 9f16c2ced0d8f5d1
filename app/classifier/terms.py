"""The theme lexicon's terms: a small vocabulary of weighted terms per theme, drawn from the
theme's scope in ``vocabulary.md`` and the standard language of English children's social
care (MASH, section 47, core group, IRO, PLO, virtual school, pathway plan ...). Data, with
the few helpers that write it; `app.classifier.lexicon` compiles and scores it.
"""

from dataclasses import dataclass

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


def words(pattern: str) -> str:
    """Regex source for a written phrase: a space matches any run of spaces or hyphens (" ?"
    an optional one), and an apostrophe matches a straight or curly quote."""
    body = pattern.replace(" ?", _OPT_SEP).replace(" ", _SEP)
    return body.replace("'", _APOS)


def term_source(term: Term) -> str:
    """A term's regex source. It must end at a word end; :class:`PhraseIndex` only tries it
    at the start of a word."""
    body = words(term.pattern)
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

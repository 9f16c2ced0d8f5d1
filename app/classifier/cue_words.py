"""The polarity cues' word lists (data): favourable and unfavourable cues with their weights,
neutral phrases blanked out before scoring, and the sentence and clause markers.

Read by ``app.classifier.cues``, which compiles them into one phrase index.
"""

# --------------------------------------------------------------------------------------------
# Lexicons: regex (matched on the lower-cased finding) -> weight.
# --------------------------------------------------------------------------------------------

POSITIVE: dict[str, float] = {
    r"effective(?:ly)?": 1.0,
    r"good": 1.0,
    r"very good|high quality|high standard|good quality": 1.5,
    r"robust(?:ly)?": 1.0,
    r"timely": 1.0,
    r"(?<!as )well(?![\s-]*being)(?! as)": 1.0,
    r"strong(?:ly)?|strengths?": 1.0,
    r"improv(?:ed|ing)": 1.0,
    r"improvements?": 0.5,
    r"(?:has|have) been (?:an? |some |significant |considerable |clear )?improvements?": 1.0,
    r"appropriate(?:ly)?": 1.0,
    r"thorough(?:ly)?": 1.0,
    r"prompt(?:ly)?|swift(?:ly)?|quick(?:ly)?": 1.0,
    r"clear(?:ly)?": 1.0,
    r"comprehensive(?:ly)?": 1.0,
    r"consistent(?:ly)?": 1.0,
    r"regular(?:ly)?|routine(?:ly)?": 0.5,
    r"secure(?:s|d)?|sound(?:ly)?": 0.5,
    r"satisfactor(?:y|ily)|adequate(?:ly)?": 1.0,
    r"positive(?:ly)?": 1.0,
    r"sensitive(?:ly)?|purposeful(?:ly)?|creative(?:ly)?|meaningful": 1.0,
    r"child[\s-]*(?:centred|focused)": 1.0,
    r"success(?:ful|fully)?": 1.0,
    r"benefit(?:s|ed|ing)? from": 1.0,
    r"helpful|supportive|well[\s-]*supported": 1.0,
    r"supported": 0.5,
    r"rigo(?:u)?r(?:ous|ously)?": 1.0,
    r"detailed|manageable|stable|stability|proactive(?:ly)?|responsive": 1.0,
    r"outstanding|excellent|impressive|exceptional": 1.5,
    r"accurate(?:ly)?|suitable|suitably|careful(?:ly)?|focused": 0.5,
    r"valued?|appreciat(?:e|es|ed)|enjoy(?:s|ed)?": 1.0,
    r"safe(?:ly)?": 0.5,
    r"ambitious|committed|determination": 0.5,
    r"well[\s-]*(?:attended|coordinated|informed|managed|planned|engaged|targeted|used)": 0.5,
    r"minimi(?:s|z)ed|reduc(?:e|es|ed|ing) (?:risk|the risk)": 0.5,
    r"established|embedded": 0.5,
    r"increasingly": 0.5,
    r"acceptable": 1.0,
    r"(?:significant|considerable|demonstrable|steady|sustained|rapid|notable) "
    r"(?:progress|improvements?)": 1.0,
    r"helps|helped": 0.5,
    r"ensures|ensured": 1.0,
    r"(?:drift|delays?|risks?) (?:is |are |was |were )?"
    r"(?:minimi(?:s|z)ed|reduced|avoided|prevented)": 1.0,
    r"(?:prevent|prevents|preventing|avoid|avoids|avoiding) (?:drift|delays?)": 1.0,
    r"challeng(?:e|es|ing) (?:practice|drift|delays?|decisions|partners|poor)": 1.0,
}

NEGATIVE: dict[str, float] = {
    r"inadequate(?:ly)?": 1.5,
    r"weak(?:er|ly|ness|nesses)?": 1.0,
    r"poor(?:ly|er)?": 1.0,
    r"delay(?:s|ed)?": 1.0,
    r"drift": 1.0,
    r"inconsisten(?:t|tly|cy|cies)": 1.0,
    r"variab(?:le|ility)|var(?:y|ies|ied)(?: widely| greatly| considerably)?|variation": 1.0,
    r"insufficient(?:ly)?": 1.0,
    r"lack(?:s|ed|ing)?": 1.0,
    r"limited": 1.0,
    r"under[\s-]*(?:developed|used|used|utilised|resourced)": 1.0,
    r"slow(?:er|ly|ness)?": 1.0,
    r"unclear|unassessed|unallocated": 1.0,
    r"gaps?": 1.0,
    r"fail(?:s|ed|ure|ures|ing)?": 1.0,
    r"unacceptabl(?:e|y)|unsatisfactory|unsafe": 1.5,
    r"deficits?|deficienc(?:y|ies)|shortfalls?|shortcomings?": 1.0,
    r"too (?!early)(?!late)\w+": 1.0,
    r"too early|too late": 0.5,
    r"requir(?:e|es|ed|ing) improvement(?: to be good)?|needs? improving|needs? to improve": 1.5,
    r"(?<!who )(?<!that )(?<!which )needs? to (?:be |)(?!be met)\w+": 1.0,
    r"more (?:work )?(?:needs to be|remains to be|to be) done|more to do|some way to go": 1.0,
    r"still (?:required|needed|to be)|remains? underdeveloped": 1.0,
    r"(?:work|more|action|improvement|further work|attention) is (?:still )?required": 1.0,
    r"brief|superficial": 1.0,
    r"premature(?:ly)?|unnecessar(?:y|ily)": 1.0,
    r"below": 1.0,
    r"(?:is|are|remains?|very|comparatively|too|relatively) low": 1.0,
    r"(?:caseloads?|workloads?) (?:are |is |remain |remains )?(?:too |very )?high|"
    r"demanding caseloads?|high caseloads?": 1.0,
    r"difficult(?:y|ies)?|unable|struggl(?:e|es|ed|ing)": 1.0,
    r"reactive|frustrat(?:ed|ing|ion)|unhappy|worse|declin(?:e|ed|ing)": 1.0,
    r"undermin(?:e|es|ed|ing)|hamper(?:s|ed)?|hinder(?:s|ed)?": 1.0,
    r"missed opportunit(?:y|ies)": 1.0,
    r"ineffective(?:ly)?|inappropriate(?:ly)?|inaccurate": 1.0,
    r"not (?:yet )?(?:always|all|consistently|routinely|sufficiently|fully|yet)": 1.0,
    r"(?:significant|serious|widespread|systemic) (?:concerns?|weakness(?:es)?|failings?)": 0.5,
}

# Neutral phrases that contain cue words: removed before scoring.
NEUTRAL_PHRASES = (
    r"strengths and (?:weaknesses|areas for (?:development|improvement))",
    r"(?:areas?|scope) for (?:development|improvement)",
    r"the effectiveness of",
    r"as well as",
    r"well[\s-]*being",
    r"good practice guidance",
    r"(?:in order )?to (?:improve|strengthen|ensure|secure|reduce|support|develop|address)",
    r"quality of (?:practice|work|services?|provision|plans)",
    r"(?:child|children)(?:'s|’s)? (?:social care|services)",
    r"improvement (?:plan|board|activity|work|journey|programme)s?",
    r"(?:target|need|plans?|priority|priorities|capacity|potential) for improvement",
    r"improving (?:the|their|its|outcomes)",
    r"(?:these|this|those|such) delays?",
    r"(?:weaknesses|deficits|shortfalls|gaps|areas of (?:poor|weak) practice) "
    r"(?:highlighted|identified|found)",
    r"(?:address|addressing|tackle|tackling|remedy|remedying|identify|identifying) "
    r"(?:the |these |any |known |identified )?(?:weaknesses|deficits|shortfalls|gaps)",
    r"(?:identify|identifying|share|sharing|disseminat(?:e|es|ed|ing)|promot(?:e|es|ed|ing)|"
    r"learn(?:s|ed|t|ing)? from) "
    r"(?:\w+ )?(?:good|best) practice",
)


# Sentence and clause markers, matched on the lower-cased finding: category -> regex sources.
MARKERS: dict[str, tuple[str, ...]] = {
    # at the start of a sentence: its first clause is a concession
    "leading-concession": (
        r"although|though|while|whilst|despite|in spite of|notwithstanding|even though|even if|"
        r"albeit",
    ),
    # after the main clause: what follows is a concession
    "trailing-concession": (r"although|though|albeit|even though",),
    "but": (r"but",),
    "conditional": (r"when|if|unless|should",),
    # at the start of a sentence: the sentence carries extra weight
    "however": (r"however|nevertheless|nonetheless|despite this|in contrast",),
    "examples": (r"examples? (?:of|where|in which)|instances? of|pockets? of",),
    "remedial": (
        r"at the (?:time|point) of (?:the |this )?inspection",
        r"(?:is|are|was|were) aware",
        r"recogni(?:s|z)es|acknowledg(?:e|es|ed)|(?:has|have|had) (?:been )?recogni(?:s|z)ed",
        r"plans? (?:are |is )?in place|(?:has|have) plans|(?:is|are) planned",
        r"(?:acted|responded) (?:promptly|swiftly|quickly)|funds have been|has been secured",
        r"(?:action|work) (?:was|has been) (?:taken|commenced|started) (?:during|following)",
    ),
    "historical": (
        r"(?:previous|last|earlier|prior) inspection|took place in",
        r"(?:was|were) (?:judged|found) to (?:be|require)",
    ),
    # a judgement on the sentence's subject; "judgement-positive" only if it ends the sentence
    "judgement-negative": (
        r"(?:is|are|was|were|be|been|remains?) (?:judged (?:to be |as )?)?(?:overall (?:as )?)?"
        r"(?:inadequate|requir(?:e|es|ed|ing) improvement)",
        r"requir(?:e|es|ed|ing) improvement to be good",
    ),
    "judgement-positive": (
        r"(?:is|are|was|were|be|been|remains?) (?:judged (?:to be |as )?)?(?:overall )?"
        r"(?:adequate|good|outstanding)(?: overall)?",
    ),
}

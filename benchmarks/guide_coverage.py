"""How much of a published-guide vocabulary tilint flags, and how often it flags fair uses.

    python benchmarks/guide_coverage.py VOCABULARY.csv [--misses] [--show] [--rules PATH] [--json FILE]

VOCABULARY.csv has one discouraged term per row, with the columns term, theme, guide, source_url,
suggested_alternatives, also_in_guides and evidence ("quoted in the guide", "listed in the guide;
exact wording to confirm", or "common usage; no published guide located ..."). The file is not part
of tilint; point the script at your copy.

For every row the script writes realistic commissioning sentences (service specifications,
strategies, case-recording guidance) from templates chosen by the row's theme and by the term's
grammar: a label for people ("addicts"), a collective ("the elderly"), an adjective ("frail"), a
thing ("respite"), or a verb phrase ("refuses to engage"). It uses the term as written and in its
other forms: capitalised at the start of a sentence, singular or plural, hyphenated or spaced, and
the inflections of a verb. A row counts as covered when tilint flags every one of its sentences (a
finding that overlaps the term).

It also writes fair uses that must stay silent: the guide's preferred wording in the same template,
the term quoted in a sentence that discusses it, and, for words with an everyday or official sense,
that sense ("the kitchen is kept clean", "Alcoholics Anonymous"). A finding anywhere in such a
sentence is a false alarm.

The targets (tilint issue #12): at least 95% of the rows quoted in a guide covered, at most 1 false
alarm in 100 fair uses, and rows with no published guide reported at `info` at most.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tilint.document import Document  # noqa: E402
from tilint.engine import Linter  # noqa: E402
from tilint.ruleset import load_ruleset  # noqa: E402

TARGET_COVERAGE = 0.95
TARGET_FALSE_ALARMS = 0.01

# -- the CSV ----------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # line in the CSV (the header is line 1)
    term: str
    theme: str
    guide: str
    url: str
    alternatives: list[str]
    evidence: str

    @property
    def level(self) -> str:
        """quoted | listed | no guide: how sure the sourcing is."""
        text = self.evidence.lower()
        if "no published guide" in text or "contested" in text:
            return "no guide"
        if text.startswith("listed"):
            return "listed"
        return "quoted"


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"term", "theme", "evidence"} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"{path}: missing columns {sorted(missing)}")
        rows = []
        for number, item in enumerate(reader, start=2):
            term = re.sub(r"\s*\([^)]*\)\s*$", "", item["term"]).strip()  # "inmates (prison)"
            if not term:
                continue
            alternatives = [a.strip() for a in (item.get("suggested_alternatives") or "").split(";") if a.strip()]
            rows.append(Row(number, term, item["theme"].strip(), item.get("guide", ""), item.get("source_url", ""),
                            alternatives, item["evidence"].strip()))
    return rows


# -- the term's grammar and forms -------------------------------------------------------------------

PREPOSITIONS = {"by", "from", "of", "with", "for", "to", "in", "into", "on", "at", "about"}
FUNCTION = PREPOSITIONS | {"the", "a", "an", "and", "or", "our", "their", "his", "her", "themselves", "one"}
#: nouns whose plural is not something people write about the thing
UNCOUNTABLE = {"abuse", "misuse", "use", "respite", "contact", "rehab", "acopia", "denial", "burden", "access",
               "parking", "violence", "pornography", "sex", "admission", "ability", "needs", "emi", "dna",
               "timebomb", "tsunami", "splitting", "living", "community", "behaviour", "care", "treatment",
               "insight", "legs", "epidemic", "lac"}
#: grammar the heuristics in `kind` get wrong, by lowercase term
KIND_OVERRIDES = {
    "fits": "thing", "special needs": "thing", "complex needs": "thing", "disabled toilets": "thing",
    "disabled parking": "thing", "disabled access": "thing", "activities of daily living": "thing",
    "happy pills": "thing", "dirty needles": "thing", "lived experiences": "people", "chaotic lifestyles": "thing",
    "birth defect": "thing", "mental handicap": "thing", "low ability": "adj", "off legs": "adjpred",
    "attention seeking": "adj", "drug seeking": "adj", "just seeking attention": "verb", "drug-free": "adj",
    "clean": "adjpred", "sober": "adjpred", "not engaged": "adjpred", "in denial": "adjpred",
    "recruited": "adjpred", "released from hospital": "adjpred", "involved in cse": "adjpred",
    "confined to a wheelchair": "adjpred", "sexually active": "adjpred", "consenting": "adjpred",
    "promiscuous": "adjpred", "challenging": "adjpred", "resistant": "adjpred", "manipulative": "adjpred",
    "incompetent": "adjpred", "unmotivated": "adjpred", "mad": "adjpred", "lacks insight": "verb",
    "co-morbid": "adj", "bipolar": "adj", "psychotic": "adj", "frail": "adj", "poorly controlled": "adjpred",
    "non-compliant": "adj", "non-adherent": "adj", "service resistant": "adj", "difficult to place": "adj",
    "hard to teach": "adj", "stayed clean": "verb", "using again": "verb", "fallen off the wagon": "verb",
    "committed suicide": "verb", "do anything stupid": "verb", "leaving care": "verb",
    "placement breakdown": "thing", "placement": "thing", "contact": "thing", "respite": "thing",
    "care plan": "thing", "contact centre": "thing", "lac review": "thing", "lac visit": "thing",
    "foster placement": "thing", "social admission": "thing", "unreliable historian": "person",
    "isolated incident": "thing", "lifestyle choice": "thing", "risky behaviour": "thing",
    "challenging behaviour": "thing", "compliance with treatment": "thing", "non-compliant use": "thing",
    "problem use": "thing", "drug habit": "thing", "rehab": "thing", "burden": "thing", "acopia": "thing",
    "dna": "thing", "emi": "thing", "lac": "people", "child sex": "thing", "crime of passion": "thing",
    "lovers' tiff": "thing", "why doesn't she leave": "question", "successful suicide": "thing",
    "completed suicide": "thing", "failed suicide attempt": "thing", "suicide epidemic": "thing",
    "splitting": "thing", "sick or diseased person": "person", "schizo": "person", "deaf mute": "adj",
    "deaf and dumb": "adj", "differently abled": "adj", "homeless youth": "people", "mongoloid": "adj",
    "spastic": "adj",
    "autism spectrum disorder": "thing", "old people's home": "thing", "mental institution": "thing",
    "silver tsunami": "thing", "demographic timebomb": "thing", "social": "adj", "senile": "adj",
    "demented": "adj", "maladjusted": "adj", "ineducable": "adj", "educationally subnormal": "adj",
    "subnormal": "adj", "retarded": "adj", "insane": "adj", "deranged": "adj", "crazed": "adj", "crazy": "adj",
    "loony": "adj", "unhinged": "adj", "chronically ill": "adj", "hearing impaired": "adj",
    "learning disabled": "adj", "intellectually disabled": "adj", "mentally handicapped": "adj",
    "mentally defective": "adj", "able-bodied": "adj", "wheelchair-bound": "adj", "crippled by": "adjpred",
    "afflicted by": "adjpred", "victims of": "people", "suffering from": "verb", "suffering from addiction": "verb",
    "working for": "verb", "associating with": "verb", "in a relationship with": "adjpred",
    "domestic violence": "thing", "abusive relationship": "thing", "volatile relationship": "thing",
    "tempestuous relationship": "thing", "acrimonious relationship": "thing", "stormy relationship": "thing",
    "child pornography": "thing", "money mules": "people", "older boyfriend": "person",
    "putting themselves at risk": "verb", "prostituting themselves": "verb", "become involved in crime": "verb",
    "go back to their exploiters": "verb", "keep going missing": "verb", "contacting adults": "verb",
    "sending explicit pictures": "verb", "spending time with elders": "verb", "refuses to engage": "verb",
    "failed to engage": "verb", "abscond": "verb", "replacing one drug with another": "verb",
    "dirty urine": "thing", "clean urine": "thing", "high-risk young people": "people", "at-risk youth": "people",
    "hard-to-reach groups": "people", "vulnerable people": "people", "troubled families": "people",
    "our most vulnerable": "collective", "the over 70s": "collective", "accessing the community": "verb",
    "research subjects": "people", "asylum seekers": "people", "drop outs": "people", "school refusers": "people",
    "sen kids": "people", "eal children": "people", "pupil-premium children": "people", "disruptive pupils": "people",
    "naughty children": "people", "birth parents": "people", "corporate parents": "people", "peers": "people",
    "siblings": "people", "looked after children": "people", "care leavers": "people", "gang members": "people",
    "prolific offenders": "people", "nominals": "people", "frequent flyers": "people", "bed blockers": "people",
    "elders": "people", "geriatrics": "people", "shrinks": "people", "inmates": "people",
}


def kind(term: str) -> str:
    """people | collective | person | adj | adjpred | thing | verb | question."""
    low = term.lower()
    if low in KIND_OVERRIDES:
        return KIND_OVERRIDES[low]
    words = low.split()
    if words[0] in ("the", "our"):
        return "collective"
    if words[0] in ("a", "an"):
        return "person"
    from lemminflect import getAllLemmas

    head = words[-1]
    if head in _PERSON_PLURALS or head in ("person", "persons"):
        return "people" if head != "person" else "person"
    lemmas = getAllLemmas(head)
    if head.endswith("ed") and not lemmas.get("NOUN"):
        return "adj"
    if head.endswith("s") and (lemmas.get("NOUN", (head,))[0] != head or not lemmas):
        return "people"
    first = getAllLemmas(words[0])
    if "VERB" in first and "NOUN" not in first and "ADJ" not in first:
        return "verb"
    if "ADJ" in lemmas and "NOUN" not in lemmas:
        return "adj"
    return "thing"


_PERSON_PLURALS = {"people": "person", "children": "child", "men": "man", "women": "woman", "youth": "youth"}


def _number_variant(term: str, plural: bool) -> str | None:
    """The term with its last word made singular (plural=False) or plural; None if there is none."""
    from lemminflect import getInflection, getLemma

    words = term.split(" ")
    if "of" in words[1:-1]:  # "crime of passion": the head comes before "of"
        at = words.index("of")
        head = _number_variant(" ".join(words[:at]), plural)
        return None if head is None else " ".join([head, *words[at:]])
    last = words[-1]
    low = last.lower()
    if low in UNCOUNTABLE or "'" in last:
        return None
    if not plural:
        if low in _PERSON_PLURALS:
            other = _PERSON_PLURALS[low]
        elif last.isupper() or (last[:-1].isupper() and last.endswith("s")):  # OAPs, NEETs
            other = last[:-1] if last.endswith("s") else None
        else:
            lemma = getLemma(low, upos="NOUN")
            other = lemma[0] if lemma and lemma[0] != low else None
    else:
        if last.isupper():
            other = last + "s"
        else:
            inflected = getInflection(low, tag="NNS")
            other = inflected[0] if inflected and inflected[0] != low else None
    if not other or other == last:
        return None
    if last[:1].isupper() and not last.isupper():
        other = other[:1].upper() + other[1:]
    return " ".join([*words[:-1], other])


def _hyphen_variants(term: str, what: str) -> list[tuple[str, str]]:
    """(label, spelling): a hyphenated term spaced (and closed up, for a prefix such as "non-"); a
    compound modifier of content words hyphenated ("hearing-impaired", "mentally-ill people")."""
    out: list[tuple[str, str]] = []
    if "-" in term:
        out.append(("spaced", term.replace("-", " ")))
        if re.match(r"(?i)(non|co|pre|re|anti)-", term):
            out.append(("closed", term.replace("-", "", 1)))
        return out
    words = term.split()
    if any(w.lower() in FUNCTION or "'" in w for w in words):
        return out
    if what == "adj" and len(words) >= 2:
        out.append(("hyphenated", "-".join(words)))
    elif what == "people" and len(words) >= 3:  # the modifier of the people noun
        out.append(("hyphenated", "-".join(words[:-1]) + " " + words[-1]))
    return out


def _verb_forms(term: str) -> dict[str, str]:
    """The phrase with its head verb (its first word, after "just") in each tense form."""
    from lemminflect import getAllInflections, getLemma

    words = term.split()
    index = 1 if words[0].lower() == "just" and len(words) > 1 else 0
    head = words[index].lower()
    lemma = (getLemma(head, upos="VERB") or (head,))[0]
    inflections = getAllInflections(lemma, upos="VERB")
    forms = {}
    for tag in ("VB", "VBZ", "VBD", "VBN", "VBG"):
        if tag in inflections:
            forms[tag] = " ".join([*words[:index], inflections[tag][0], *words[index + 1:]])
    forms.setdefault("VB", term)
    return forms


# -- templates --------------------------------------------------------------------------------------

SETTINGS = {
    "disability & health conditions": "care", "age": "care", "people-as-labels": "care",
    "mental health & suicide": "mental", "drugs & alcohol": "drugs", "exploitation & abuse": "safeguarding",
    "children in care": "children", "education": "school", "criminal justice": "justice",
    "homelessness": "housing", "blame/compliance": "care", "risk labels": "general",
}
#: who a verb phrase is about, and what a phrase ending in a preposition is about, by setting
SUBJECT = {"care": "the person", "mental": "the person", "drugs": "the person", "safeguarding": "the young person",
           "children": "the young person", "school": "the pupil", "justice": "the man", "housing": "the person",
           "general": "the young person"}
OBJECT = {"care": "arthritis", "mental": "depression", "drugs": "alcohol", "safeguarding": "older men",
          "children": "older men", "school": "anxiety", "justice": "older men", "housing": "alcohol",
          "general": "a long-term condition"}
NOUN = {"care": "adults", "mental": "patients", "drugs": "adults", "safeguarding": "young people",
        "children": "young people", "school": "pupils", "justice": "men", "housing": "adults",
        "general": "young people"}

#: kind -> setting -> [(label, template)]; {x} is the term, {X} the term capitalised, {n} a people noun,
#: {s} the subject of a verb phrase
PEOPLE = {
    "care": ["The provider will offer {x} a named worker and a review every six months.",
             "{X} will be able to choose how their personal budget is spent.",
             "Day opportunities for {x} will be commissioned as a separate lot."],
    "mental": ["The crisis team will offer {x} same-day support and a follow-up call.",
               "{X} will be involved in the design of the new crisis pathway.",
               "The community mental health service will support {x} leaving hospital."],
    "drugs": ["The recovery service will offer {x} harm reduction advice and naloxone.",
              "{X} will be supported to register with a GP and a dentist.",
              "The outreach team will visit {x} in the town centre each morning."],
    "safeguarding": ["Practitioners will work with {x} identified through the exploitation panel.",
                     "{X} will be offered a trusted adult and a safety plan.",
                     "The strategy sets out how partners will identify {x} at an early stage."],
    "children": ["The service will work with {x} referred by the local authority.",
                 "{X} will be offered an independent visitor and a mentor.",
                 "The virtual school will track the attendance of {x} each term."],
    "school": ["The inclusion team will support {x} in mainstream schools across the borough.",
               "{X} will be offered a mentor in Year 9.",
               "The alternative provision framework is for {x} at risk of exclusion."],
    "justice": ["The resettlement service will help {x} find stable housing on release.",
                "{X} will be offered a mentor for the first six months in the community.",
                "The probation service will refer {x} to the employment hub."],
    "housing": ["Outreach workers will offer {x} a bed and a hot meal.",
                "{X} will be offered a Housing First tenancy and intensive support.",
                "The winter shelter will be open to {x} from November to March."],
    "general": ["The programme will prioritise {x} in the three priority wards.",
                "{X} will be offered early help through the family hubs.",
                "The partnership will commission mentoring for {x} across the county."],
}
PERSON = {  # a single person: "Each {x} ..."
    "care": "Each {x} will have a support plan agreed with them and their family.",
    "mental": "Each {x} will be offered a care coordinator within a week.",
    "drugs": "Each {x} will have a recovery plan reviewed every 12 weeks.",
    "safeguarding": "Each {x} will have a named lead professional.",
    "children": "Each {x} will have a named social worker and a plan.",
    "school": "Each {x} will have a learning plan agreed with their family.",
    "justice": "Each {x} will be matched with a peer mentor before release.",
    "housing": "Each {x} will have a named key worker.",
    "general": "Each {x} will have a named lead professional.",
}
COLLECTIVE = {
    "care": ["The strategy sets out how services for {x} will change by 2030.",
             "{X} will be offered a flu vaccination at home.",
             "Funding for day services for {x} has fallen in real terms."],
    "mental": ["The strategy sets out how services for {x} will change by 2030.",
               "{X} will be offered a named care coordinator.",
               "Supported housing for {x} is in short supply."],
    "housing": ["The day centre offers hot meals and showers for {x}.",
                "{X} will be offered a bed in the winter shelter.",
                "The strategy sets out how services for {x} will change by 2030."],
}
ADJ = {  # attributive and predicate
    "care": ["The scheme will support {x} {n} to live in their own homes.",
             "Around a third of the people referred to the service are {x}.",
             "{X} {n} will be offered a home assessment within two weeks."],
    "mental": ["Staff described the man as {x} when he arrived on the ward.",
               "The crisis team will see {x} {n} within four hours.",
               "{X} {n} will be offered a bed on the acute ward."],
    "drugs": ["Staff described the woman as {x} at her last review.",
              "The recovery service will work with {x} {n} referred by their GP.",
              "{X} {n} will be offered a place in the residential programme."],
    "safeguarding": ["Police described the girl as {x} in the referral.",
                     "The panel will review {x} {n} referred by schools.",
                     "{X} {n} will be offered a trusted adult."],
    "school": ["Teachers described the boy as {x} in the referral.",
               "The inclusion team will support {x} {n} in mainstream schools.",
               "{X} {n} will be offered a place in alternative provision."],
    "children": ["The fostering team described the boy as {x} in the referral.",
                 "The fostering service will look for carers for {x} {n} in the county.",
                 "{X} {n} will be offered a home with experienced foster carers."],
    "justice": ["The report described him as {x} in the pre-sentence report.",
                "The service will work with {x} {n} on licence.",
                "{X} {n} will be offered a mentor."],
}
ADJPRED = {  # predicate only ("is {x}"); {s} the subject
    "care": ["The assessment recorded that {s} is {x}.",
             "Many of the people referred to the service are {x}.",
             "Staff should not write that {s} is {x} without saying why."],
    "safeguarding": ["The referral said that {s} was {x}.",
                     "Practitioners recorded that the girl is {x}.",
                     "Some of the children referred to the panel are {x}."],
    "drugs": ["The review recorded that {s} is {x}.",
              "Staff noted that the woman was {x} at her last appointment.",
              "Some of the adults referred to the recovery service are {x}."],
}
THING = {
    "care": ["The specification sets out how {x} will be handled in day services.",
             "{X} will be reviewed by the commissioning team each quarter.",
             "The provider will report on {x} in the monthly contract return."],
    "mental": ["The strategy sets out how we will talk about {x} in public campaigns.",
               "{X} will be discussed at the next crisis care partnership meeting.",
               "The provider will record {x} in the monthly contract return."],
    "drugs": ["The drug and alcohol strategy sets out how the partnership will respond to {x}.",
              "{X} will be discussed with the person at every review in the recovery service.",
              "The recovery service will report on {x} each quarter."],
    "safeguarding": ["The safeguarding partnership will publish a briefing on {x} for practitioners.",
                     "{X} was recorded by the exploitation team in the referral about the young person.",
                     "Training will help practitioners respond to {x} in their work with families."],
    "children": ["The social worker will explain the {x} to the child before it happens.",
                 "{X} will be arranged by the child's social worker.",
                 "The fostering service will report on every {x} each quarter."],
    "school": ["The inclusion strategy sets out how schools will respond to {x}.",
               "{X} will be discussed at the next inclusion panel.",
               "The local offer explains how schools support {x}."],
    "general": ["The specification sets out how the provider will respond to {x}.",
                "{X} will be reviewed by the commissioning team each quarter.",
                "The provider will report on {x} in the monthly contract return."],
}
VERB = {  # tag -> template; {w} says who keeps the record, which sets the scene
    "VBD": "Records show that {s} {v} twice in the last month, according to {w}.",
    "VBN": "The review by {w} found that {s} had {v} more than once.",
    "VBZ": "The plan sets out what {w} will do if {s} {v}.",
    "VBG": "{W} was worried about {s} {v} after the move.",
    "VB": "{W} will explain what happens if people {v}.",
}
VERB_START = "{V} will be recorded and discussed by {w} at the next review."  # the gerund, capitalised
WHO = {"care": "the care team", "mental": "the crisis team", "drugs": "the recovery worker",
       "safeguarding": "the exploitation team", "children": "the social worker", "school": "the school",
       "justice": "the probation officer", "housing": "the outreach team", "general": "the lead professional"}

#: hand-written templates for phrases whose grammar the kinds above do not fit, by lowercase term
FRAMES = {
    "leaving care": ["The personal adviser will support young people leaving care to find a home.",
                     "{X} can be a lonely time, so each young person will have a mentor.",
                     "Young people who are leaving care will be offered a tenancy sustainment course."],
    "contact": ["Contact with birth parents will take place at the family centre every Saturday.",
                "The social worker will supervise the child's contact with her father.",
                "The foster carer will take the children to contact twice a week."],
    "respite": ["Foster carers will be offered respite one weekend a month.",
                "{X} care for disabled children will be provided in the short breaks home.",
                "The child goes to a respite carer every other weekend."],
    "placement": ["The child's placement with foster carers will be reviewed after six weeks.",
                  "{X} will be found close to the child's school wherever possible.",
                  "The fostering team will find a long-term placement for the two brothers."],
    "foster placement": ["The child will move to a foster placement close to her school.",
                         "{X} will be found close to the child's school wherever possible."],
    "siblings": ["Siblings in care will be placed together wherever possible.",
                 "The social worker will arrange for the child to see her siblings every month."],
    "peers": ["The young person spends most evenings with peers from the children's home.",
              "Foster carers will help children in care build friendships with their peers."],
    "care plan": ["The child's care plan will be reviewed by the independent reviewing officer.",
                  "{X} reviews for children in care will take place every six months."],
    "birth parents": ["The child will see her birth parents once a month at the family centre.",
                      "{X} will be offered support after the adoption order is made."],
    "corporate parents": ["As corporate parents, councillors will meet children in care every term.",
                          "{X} will hear from the Children in Care Council each quarter."],
    "lac review": ["The child's LAC review will be held at school in March.",
                   "LAC reviews will take place every six months."],
    "lac visit": ["The social worker will complete a LAC visit every six weeks.",
                  "LAC visits will be recorded on the child's file within 24 hours."],
    "challenging": ["Staff described the young person as challenging at the review.",
                    "The home will support challenging young people aged 12 to 17.",
                    "The family was described as challenging in the referral."],
    "recruited": ["The girl was recruited by older men to carry drugs.",
                  "Children are being recruited into county lines through social media.",
                  "The boy had been recruited by a local gang."],
    "working for": ["The referral said the boy was working for older men selling drugs.",
                    "Police believe the young person is working for a county lines network."],
    "associating with": ["The boy has been associating with older men in the park.",
                         "The referral said that the young person was associating with known gang members."],
    "in a relationship with": ["The 14-year-old told her worker she was in a relationship with a 24-year-old man.",
                               "Police recorded that the girl is in a relationship with an older man."],
    "spending time with elders": ["The boy has been spending time with elders from a local group.",
                                  "Staff noticed the young person spending time with elders after school."],
    "contacting adults": ["The school found that the girl had been contacting adults online.",
                          "The referral said the child was contacting adults she met through a game."],
    "sending explicit pictures": ["The boy was sending explicit pictures to a man he met online.",
                                  "The referral said the girl had been sending explicit pictures."],
    "keep going missing": ["Some children keep going missing from their foster homes.",
                           "The report said the girl keeps going missing at weekends."],
    "go back to their exploiters": ["Some young people go back to their exploiters after they are found.",
                                    "The report said the boy [went back to his exploiters] within a week."],
    "consenting": ["The police report said the 14-year-old was consenting.",
                   "The referral described the girl as consenting to sex with the man."],
    "older boyfriend": ["The girl is thought to have an older boyfriend who collects her from school.",
                        "An older boyfriend was mentioned in the referral from the school."],
    "why doesn't she leave": ["Practitioners should never ask why doesn't she leave.",
                              "Asking why doesn't she leave places the blame on the victim."],
    "isolated incident": ["Police recorded the assault on his partner as an isolated incident.",
                          "The domestic abuse referral described the attack as an isolated incident."],
    "crippled by": ["Many older residents are crippled by arthritis.",
                    "Staff should not describe people as crippled by a condition."],
    "afflicted by": ["Many residents are afflicted by long-term conditions.",
                     "The service is for people afflicted by chronic pain."],
    "confined to a wheelchair": ["The resident has been confined to a wheelchair since her stroke.",
                                 "Residents confined to a wheelchair will be offered an adapted room."],
    "victims of": ["The clinic will support victims of stroke and their families.",
                   "Victims of dementia will be offered a memory cafe."],
    "released from hospital": ["The patient was released from hospital after three weeks on the ward.",
                               "People released from hospital will be visited by the crisis team within a day."],
    "fits": ["The child has fits at night and needs a carer who is trained to help.",
             "Staff will be trained to support a resident who has a fit."],
    "special needs": ["The youth club will welcome children with special needs.",
                      "{X} children will be offered a place at the holiday club."],
    "disabled toilets": ["The new community centre will have two disabled toilets.",
                         "{X} must be available on every floor."],
    "disabled parking": ["The car park will have ten disabled parking bays.",
                         "{X} will be provided next to the entrance."],
    "disabled access": ["The venue must have disabled access on every floor.",
                        "{X} will be checked before the contract starts."],
    "activities of daily living": ["The assessment will record help needed with activities of daily living.",
                                   "{X} will be reviewed by the occupational therapist."],
    "social admission": ["The patient was recorded as a social admission.",
                         "{X}s rose over the winter."],
    "acopia": ["The discharge summary recorded acopia as the reason for admission.",
               "{X} was recorded for three patients on the ward."],
    "off legs": ["The patient was admitted off legs on Friday.",
                 "The GP referred her as off legs."],
    "unreliable historian": ["The notes describe the patient as an unreliable historian.",
                             "Staff should not record a person as a poor or unreliable historian."],
    "incompetent": ["The assessment recorded that the patient is incompetent.",
                    "Incompetent patients must have a best interests decision recorded."],
    "burden": ["Older people are often described as a burden on the NHS.",
               "The strategy must not present an ageing population as a burden on services."],
    "our most vulnerable": ["The council will protect our most vulnerable residents this winter.",
                            "Our most vulnerable will be offered a welfare call."],
    "emi": ["The home has an EMI unit for people living with dementia.",
            "EMI beds will be commissioned through the dynamic purchasing system."],
    "dna": ["The clinic will follow up every DNA within two working days.",
            "DNA rates will be reported each month."],
    "do anything stupid": ["Staff should never ask a person whether they are going to do anything stupid.",
                           "The volunteer asked if he was planning to do anything stupid."],
    "just seeking attention": ["Staff should never assume that a child who self-harms is just seeking attention.",
                               "The notes said she was just seeking attention."],
    "splitting": ["The notes said the patient was splitting the staff team.",
                  "{X} staff was recorded in the case notes."],
    "lacks insight": ["The review recorded that the man lacks insight into his drinking.",
                      "Staff wrote that she lacked insight."],
    "in denial": ["The review recorded that the man is in denial about his drinking.",
                  "Staff wrote that she was in denial."],
    "clean": ["The review recorded that the man has been clean for six months.",
              "Staff noted that she was clean at her last appointment with the recovery service."],
    "sober": ["The review recorded that the man has been sober for six months.",
              "Staff noted that she was sober at her last appointment with the recovery service."],
    "stayed clean": ["The review recorded that the man stayed clean for six months.",
                     "Staff noted that she has stayed clean since leaving residential rehab."],
    "using again": ["The recovery worker recorded that the man is using again.",
                    "Staff noted that she started using again after her mother died."],
    "fallen off the wagon": ["The review recorded that the man had fallen off the wagon.",
                             "Staff wrote that she [fell off the wagon] after Christmas."],
    "replacing one drug with another": ["Some staff still see methadone as replacing one drug with another.",
                                        "Opioid substitution treatment is not replacing one drug with another."],
    "refuses to engage": ["The case notes say that the father refuses to engage with the service.",
                          "Parents who refuse to engage will be escalated to the team manager."],
    "failed to engage": ["The mother failed to engage with the parenting programme.",
                         "Families who fail to engage will be stepped up to children's social care."],
    "not engaged": ["The report said that the family has not engaged with early help.",
                    "The man was not engaged with the recovery service at the time."],
    "resistant": ["The notes describe the man as resistant to treatment.",
                  "The family has been resistant to support from the team."],
    "manipulative": ["The notes describe the young woman as manipulative.",
                     "Staff should not describe a child as manipulative."],
    "attention seeking": ["Staff described the girl's self-harm as attention seeking.",
                          "{X} behaviour will be managed under the behaviour policy."],
    "unmotivated": ["The review recorded that the man is unmotivated to change.",
                    "Unmotivated clients will be discharged after three missed appointments."],
    "drug seeking": ["The notes describe the patient as drug seeking.",
                     "{X} behaviour will be reported to the prescriber."],
    "promiscuous": ["The referral described the 15-year-old as promiscuous.",
                    "Staff should not describe a child who is being exploited as promiscuous."],
    "sexually active": ["The referral said the 13-year-old was sexually active with an adult.",
                        "Police recorded that the girl was sexually active with older men."],
    "involved in cse": ["The girl has been involved in CSE since she was 13.",
                        "Children involved in CSE will be offered a specialist worker."],
    "become involved in crime": ["The boy became involved in crime after he moved schools.",
                                 "The strategy aims to stop children becoming involved in crime."],
    "putting themselves at risk": ["The girl is [putting herself at risk] by going to parties with older men.",
                                   "Young people who [put themselves at risk] will go to the exploitation panel."],
    "prostituting themselves": ["The referral said the girl was [prostituting herself].",
                                "Children found prostituting themselves will be referred to the exploitation team."],
    "risky behaviour": ["The girl's risky behaviour will be discussed at the exploitation panel.",
                        "{X} by the young person was recorded in the exploitation referral."],
    "lifestyle choice": ["Staff should not see exploitation as a lifestyle choice.",
                         "The referral described going missing as the girl's lifestyle choice."],
    "mad": ["The notes said the man was mad and dangerous.",
            "Neighbours described her as mad."],
    "inmates": ["Inmates on the psychiatric ward will be offered a daily activity.",
                "The hospital's inmates will be moved to the new unit in June."],
    "normal people": ["Disabled children should have the same chances to join clubs as [normal children].",
                      "The trip will mix autistic pupils with [normal pupils] from the partner school.",
                      "Disabled adults told us they want the same choices as normal people."],
    "shrinks": ["Young people told us they do not want to see shrinks.",
                "{X} and counsellors will run the drop-in."],
}


#: sentences for terms with an everyday, official or technical sense that must not be flagged
OTHER_USES = {
    "cases": ["In some cases, children may prefer to meet their worker at school.",
              "The business case for the new family hub was approved in March."],
    "clients": ["Staff must use the approved email clients on council laptops."],
    "patients": ["Patients attending the emergency department will be triaged within 15 minutes."],
    "users": ["Users of the website can download the referral form in large print."],
    "service users": ["The Service User Involvement Group meets quarterly to review the specification."],
    "fits": ["The new role fits within the existing team structure.",
             "One size fits all approaches will not meet local needs."],
    "burden": ["The new form reduces the administrative burden on providers.",
               "The burden of proof lies with the council."],
    "contact": ["Contact the commissioning team by email for a copy of the tender.",
                "Contact details for the provider are set out in Schedule 3."],
    "placement": ["Students on a work placement will be supervised by a qualified nurse.",
                  "The placement of the new defibrillator was agreed with the site manager."],
    "respite": ["The heatwave plan offers no respite from rising energy costs."],
    "siblings": ["Brothers and sisters will be placed together wherever possible."],
    "peers": ["Each bid will be peer reviewed by two commissioners from other councils."],
    "clean": ["The provider will keep the kitchen and bathrooms clean.",
              "Samples must be stored in a clean, dry container until testing."],
    "sober": ["The report gives a sober assessment of the budget gap."],
    "challenging": ["The provider must meet challenging targets in the first year.",
                    "It has been a challenging financial year for the council."],
    "resistant": ["All flooring must be slip resistant and easy to clean.",
                  "Antibiotic-resistant infections will be reported to the infection control team."],
    "incompetent": ["The tender will not be awarded on the basis of an incompetent bid."],
    "recruited": ["The provider will recruit and train 20 volunteer mentors.",
                  "Staff recruited after April will receive the new induction."],
    "working for": ["Staff working for the provider must have an enhanced DBS check."],
    "associating with": ["The logo may not be used in a way that suggests the council is associating with a brand."],
    "in a relationship with": ["The council has been in a relationship with the provider for ten years."],
    "isolated incident": ["The data outage on 3 March was an isolated incident."],
    "consenting": ["Adults consenting to treatment will be given written information."],
    "frail": ["The frailty service will see people referred by their GP within two weeks."],
    "mad": ["The consultation was led by a Mad Studies researcher and a survivor group."],
    "crazy": ["The provider will not use crazy paving on the accessible path."],
    "splitting": ["Splitting the contract into three lots will help small providers bid."],
    "the blind": ["The window has the blind fitted on the south side."],
    "the deaf": ["The deaf community helped design the BSL version of the leaflet."],
    "alcoholics": ["Alcoholics Anonymous meets in the community centre on Tuesdays."],
    "addicts": ["Narcotics Anonymous meets in the community centre on Thursdays."],
    "pensioners": ["The National Pensioners Convention responded to the consultation."],
    "senior citizens": ["The Senior Citizens' Forum will be consulted on the new bus routes."],
    "elders": ["The council will consult faith leaders and community elders in the borough."],
    "the elderly": ["The Department of Health Care for Older People was formerly called Care of the Elderly."],
    "offenders": ["Integrated Offender Management teams will refer people on release to the housing hub.",
                  "Disclosure will follow the Rehabilitation of Offenders Act 1974."],
    "young offenders": ["Education in the Young Offender Institution will be provided by the college."],
    "prisoners": ["The Prisoners' Education Trust funds distance learning courses."],
    "victims of": ["The provider must comply with the Code of Practice for Victims of Crime."],
    "suffering from": ["The current pathway suffers from a lack of reliable data on outcomes."],
    "domestic violence": ["The Domestic Violence Disclosure Scheme lets people ask about a partner's past."],
    "rehab": ["The Rehab Centre car park will close for resurfacing in May."],
    "drug-free": ["The hospital grounds are a smoke-free and drug-free site."],
    "dna": ["The forensic service will store DNA samples for six months."],
    "lac": ["The programme will share learning with partners in Latin America and the Caribbean (LAC)."],
    "contact centre": ["The council's customer contact centre is open from 8am to 6pm."],
    "care plan": ["Each person will have a care and support plan written with them."],
    "recruited ": [],
    "leaving care": ["Staff leaving care homes at night must sign out at reception."],
    "in denial": ["The provider cannot be in denial about the scale of the budget gap."],
    "abusive relationship": ["Training will help staff recognise the signs of an abusive partner."],
    "special needs": ["The local offer describes support for children with special educational needs."],
    "using again": ["Staff will not be using again the old referral form after April."],
    "vulnerable people": ["The council's vulnerability assessment covers every ward."],
    "complex needs": ["The Changing Futures programme works with people facing multiple disadvantage."],
    "manipulative": ["Data manipulation in the returns will be investigated."],
    "challenging behaviour": ["The report found that the behaviour of the market was challenging for small providers."],
    "bipolar": ["The service supports people with a diagnosis of bipolar disorder."],
    "psychotic": ["Staff will be trained to support a person experiencing a psychotic episode."],
    "insane": ["The provider will not use insane amounts of packaging."],
    "inmates": [],
}
#: more fair uses, for the rules whose words have common other senses
MORE_USES = {
    "patients": ["Patients attending the emergency department will be triaged within 15 minutes.",
                 "GP practices will invite patients aged 65 and over for a flu vaccination.",
                 "The ward will discharge patients to a care home only after a family meeting."],
    "users": ["Users of the website can download the direct payment form in large print.",
              "User research with people who draw on care will shape the new online assessment."],
    "clients": ["Staff must use the approved email clients on council laptops.",
                "The legal team's clients include three councils and a housing association."],
    "peers": ["Children in care achieve lower grades than their peers at school.",
              "The peer support group for care-experienced young people meets on Tuesdays.",
              "Each bid will be peer reviewed by two commissioners from other councils."],
    "homeless people": ["Homeless households in temporary accommodation rose by 12% last year.",
                        "The Homeless Families Team will move to the civic centre in May.",
                        "The council received 400 homeless applications in the first quarter."],
    "homeless families": ["Families experiencing homelessness will be placed near their children's schools."],
    "prisoners": ["The Prisoners' Education Trust funds distance learning courses.",
                  "The memorial commemorates prisoners of war held at the camp."],
    "asylum seekers": ["Unaccompanied asylum-seeking children will be offered a foster home within 24 hours."],
    "birth parents": ["Mum and dad will be invited to the child's review meeting."],
    "care plan": ["Each adult will have a care and support plan written with them."],
    "leaving care": ["The Leaving Care Team is based at the civic centre.",
                     "Staff leaving care homes at night must sign out at reception."],
    "corporate parents": ["The corporate parenting board meets every quarter."],
    "contact": ["Contact the commissioning team by email for a copy of the tender.",
                "Staff will try to contact the family twice before closing the referral."],
    "resistant": ["All flooring must be slip resistant and easy to clean.",
                  "Staff resistant to change will be supported through the transition."],
    "non-compliant": ["Non-compliant bids will be excluded from the evaluation.",
                      "The supplier was non-compliant with the data protection schedule."],
    "compliance with treatment": ["Compliance with the contract will be reviewed every three months."],
    "poorly controlled": ["Access to the building was poorly controlled before the new entry system."],
    "not engaged": ["The supplier has not engaged with the market warming event."],
    "rapists": ["Sentences for rape will be explained to the court by the probation officer."],
    "murderers": ["Heart disease is one of the biggest killers in the borough."],
    "offenders": ["Integrated Offender Management teams will refer people on release to the housing hub."],
    "sexually active": ["Young people who are sexually active can get free condoms from the clinic."],
    "promiscuous": ["The sexual health clinic offers advice without judgement to young people."],
    "recruited ": [],
    "working for": ["Staff working for the provider must have an enhanced DBS check."],
    "volatile relationship": ["The report describes a stormy relationship between the council and the contractor.",
                              "Energy prices remain volatile, so the budget includes a contingency."],
    "domestic violence": ["The Domestic Violence Disclosure Scheme lets people ask about a partner's past.",
                          "The cross-government definition of domestic violence and abuse was updated in 2013."],
    "substance misuse": ["The substance misuse service will be recommissioned from April 2026.",
                         "Possession is an offence under the Misuse of Drugs Act 1971."],
    "drug misuse": ["Drug misuse treatment services will move to the new hub."],
    "substance abuse": ["The Substance Abuse and Mental Health Services Administration published the framework."],
    "sober": ["The report gives a sober assessment of the drug and alcohol budget."],
    "clean urine": ["Samples must be stored in a clean, dry container until testing."],
    "in denial": ["The provider cannot be in denial about the scale of the budget gap."],
    "lacks insight": ["The survey gave the team insight into what people need."],
    "splitting": ["Splitting the contract into three lots will help small providers bid."],
    "frail": ["The frailty service will see people referred by their GP within two weeks.",
              "The economic recovery remains frail, so budgets will stay tight."],
    "burden": ["The new form reduces the administrative burden on providers caring for older people.",
               "The burden of proof lies with the council."],
    "old people": ["The old building will be replaced by a new community hub.",
                   "Every ten-year-old person in the county was offered a free swimming pass."],
    "senior citizens": ["The senior leadership team will review the plan in March."],
    "special needs": ["The local offer describes support for children with special educational needs."],
    "the disabled": ["The disabled staff network will review the accessibility plan."],
    "the deaf": ["The deaf community helped design the BSL version of the leaflet."],
    "disabled access": ["Adaptations will be funded through the Disabled Facilities Grant."],
    "fits": ["The new role fits within the existing team structure.",
             "The service must be fit for purpose by April."],
    "victims of": ["The provider must comply with the Code of Practice for Victims of Crime.",
                   "The girl is a victim of sexual exploitation and will be offered a specialist worker."],
    "suffering from": ["The current pathway suffers from a lack of reliable data on outcomes."],
    "crippled by": ["The network was crippled by the outage for most of the morning."],
    "afflicted by": ["The coastal towns afflicted by unemployment will share the new fund."],
    "retarded": ["All curtains must be made from flame-retarded fabric."],
    "subnormal": ["The sensor reports subnormal temperatures to the building manager."],
    "incompetent": ["The tender will not be awarded on the basis of an incompetent bid."],
    "challenging behaviour": ["The market remains challenging for small providers."],
    "disruptive pupils": ["Disruptive technology is changing how schools teach."],
    "hard to teach": ["Fractions are hard to teach without practical equipment."],
    "low ability": ["Families with a low ability to pay will not be charged."],
    "drop outs": ["Students who drop out of their course will be offered advice on other options."],
    "neets": ["The proportion of 16 and 17 year olds who are NEET fell to 4% in 2024."],
    "elders": ["The council will consult faith leaders and community elders in the borough."],
    "geriatrics": ["A consultant in geriatrics will lead the frailty service."],
    "emi": ["Cables must be shielded to limit EMI from the new lift motor."],
    "shrinks": ["The counselling budget shrinks by 3% next year."],
    "mad": ["There will be a mad rush for tickets when the booking opens."],
    "deranged": ["Bloods showed deranged liver function, so the dose was reduced."],
    "unhinged": ["The unhinged door on the fire exit will be repaired this week."],
    "keep going missing": ["The team will continue to go through the missing persons reports each week."],
    "contacting adults": ["The practice will be contacting adults aged 65 and over about the flu vaccination."],
    "spending time with elders": ["The young people spent time with elders from the mosque on the heritage project."],
    "isolated incident": ["The data outage on 3 March was an isolated incident."],
    "dirty needles": ["The outreach team will collect used needles from the park each morning."],
}


@dataclass
class Probe:
    row: Row
    label: str
    sentence: str
    span: tuple[int, int] | None = None  # where the term is, for flag probes
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, severity, text)
    hit: bool = False


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(template: str, term: str, tail: str = "", **extra: str) -> tuple[str, tuple[int, int]]:
    """The template with the term (and its tail, such as the object of "afflicted by") in place,
    and the term's character span."""
    for key in ("{X}", "{V}", "{v}", "{x}"):
        if key in template:
            break
    shown = _cap(term) if key in ("{X}", "{V}") else term
    before, after = template.split(key, 1)
    before = before.format(**extra)
    after = after.format(**extra)
    return before + shown + tail + after, (len(before), len(before) + len(shown))


def _marked_span(sentence: str, term: str) -> tuple[int, int]:
    """Where the term is in a hand-written sentence: between [brackets], or else found by the
    stems of its words (so "recruited" finds "recruiting", "crippled by" finds "crippled by")."""
    if "[" in sentence:
        start = sentence.index("[")
        return start, sentence.index("]") - 1
    stems = [re.escape(w[: max(3, len(w) - 3)]) + r"[\w']*" for w in term.split()]
    found = re.search(r"(?i)\b" + r"[\s-]+".join(stems), sentence)
    if not found:
        raise ValueError(f"cannot find {term!r} in {sentence!r}: mark it with [brackets]")
    return found.span()


def _article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def flag_probes(row: Row) -> list[Probe]:
    """Sentences that use the row's term, in each of its forms."""
    setting = SETTINGS.get(row.theme, "general")
    term, what = row.term, kind(row.term)
    words = term.lower().split()
    tail = f" {OBJECT[setting]}" if words[-1] in PREPOSITIONS else ""
    subject, noun = SUBJECT[setting], NOUN[setting]
    probes: list[Probe] = []

    def add(label: str, template: str, text: str) -> None:
        sentence, span = _fill(template, text, tail, s=subject, n=noun, w=WHO[setting], W=_cap(WHO[setting]))
        probes.append(Probe(row, label, sentence, span))

    if term.lower() in FRAMES:
        for template in FRAMES[term.lower()]:
            if "{X}" in template:
                add("capitalised", template, term)
            else:
                probes.append(Probe(row, "as written", template.replace("[", "").replace("]", ""),
                                    _marked_span(template, term)))
        if what == "verb":
            forms = _verb_forms(term)
            for tag, template in VERB.items():
                if tag in forms and forms[tag] != term and not (tag == "VBN" and forms["VBN"] == forms.get("VBD")):
                    add(tag, template, forms[tag])
        return probes
    if what == "people":
        mid, start, other = PEOPLE.get(setting, PEOPLE["general"])
        add("as written", mid, term)
        add("capitalised", start, term)
        add("as written", other, term)
        head = term.rsplit(" ", 1)[0] if tail else term
        singular = _number_variant(head, plural=False)
        if singular:
            add("singular", PERSON.get(setting, PERSON["general"]),
                singular + (" " + term.rsplit(" ", 1)[1] if tail else ""))
        for label, spelling in _hyphen_variants(term, what):
            add(label, mid, spelling)
    elif what == "collective":
        mid, start, other = COLLECTIVE.get(setting, COLLECTIVE["care"])
        add("as written", mid, term)
        add("capitalised", start, term)
        add("as written", other, term)
        for label, spelling in _hyphen_variants(term, what):
            add(label, mid, spelling)
    elif what == "person":
        bare = re.sub(r"(?i)^(a|an)\s+", "", term)
        with_article = term if bare != term else _article(term)
        add("as written", "The worker will meet {x} at home every week.", with_article)
        add("capitalised", "{X} will be offered a review within six weeks.", with_article)
        plural = _number_variant(bare, plural=True)
        if plural:
            add("plural", PEOPLE.get(setting, PEOPLE["general"])[0], plural)
    elif what == "adj":
        templates = ADJ.get(setting, ADJ["care"])
        attributive = next(t for t in templates if "{n}" in t and "{x}" in t)
        predicate = next(t for t in templates if "{n}" not in t)
        start = next(t for t in templates if "{X}" in t)
        add("as written", attributive, term)
        add("predicate", predicate, term)
        add("capitalised", start, term)
        for label, spelling in _hyphen_variants(term, what):
            add(label, attributive, spelling)
    elif what == "adjpred":
        for template in ADJPRED.get(setting, ADJPRED["care"]):
            add("as written", template, term)
        for label, spelling in _hyphen_variants(term, what):
            add(label, ADJPRED.get(setting, ADJPRED["care"])[0], spelling)
    elif what == "thing":
        mid, start, other = THING.get(setting, THING["general"])
        plural_term = term.lower().endswith("s") and _number_variant(term, plural=False) is not None
        countable = not plural_term and _number_variant(term, plural=True) is not None
        shown = _article(term) if countable else term
        add("as written", mid, shown)
        add("capitalised", start, _number_variant(term, plural=True) if countable else term)
        add("as written", other, shown)
        if plural_term:
            add("singular", mid, _article(_number_variant(term, plural=False)))
        for label, spelling in _hyphen_variants(term, what):
            add(label, mid, spelling)
    elif what == "verb":
        forms = _verb_forms(term)
        for tag, template in VERB.items():
            if tag in forms and not (tag == "VBN" and forms.get("VBN") == forms.get("VBD")):
                add(tag, template, forms[tag])
        if "VBG" in forms:
            add("capitalised", VERB_START, forms["VBG"])
    elif what == "question":
        add("as written", "Practitioners should never ask {x}.", term)
        add("capitalised", "{X}? is the wrong question to ask about domestic abuse.", term)
    return probes


def _usable_alternative(row: Row) -> str | None:
    for alternative in row.alternatives:
        text = re.sub(r"\([^)]*\)", "", alternative).strip()
        if not text or re.match(r"(?i)(describe|say|name|meaningless|ask|take|record|\[)", text):
            continue
        return text
    return None


def fair_probes(row: Row) -> list[Probe]:
    """Sentences that must stay silent: the preferred wording, the term under discussion, other senses."""
    setting = SETTINGS.get(row.theme, "general")
    probes = [
        Probe(row, "mention", f'The guidance asks writers to avoid the term "{row.term}".'),
        Probe(row, "mention", f"We no longer say \u2018{row.term}\u2019 in letters to families."),
    ]
    alternative = _usable_alternative(row)
    if alternative:
        what = kind(row.term)
        if what in ("people", "collective", "person"):
            template = PEOPLE.get(setting, PEOPLE["general"])[0]
        else:
            template = "The new specification uses {x} throughout."
        probes.append(Probe(row, "preferred wording", _fill(template, alternative)[0]))
    others = OTHER_USES.get(row.term.lower(), []) + MORE_USES.get(row.term.lower(), [])
    for sentence in dict.fromkeys(others):
        probes.append(Probe(row, "other sense", sentence))
    return probes


# -- running ----------------------------------------------------------------------------------------


def run(probes: list[Probe], linter: Linter) -> None:
    for probe in probes:
        result = linter.check(Document(path="probe", text=probe.sentence))
        probe.findings = [(f.rule, f.severity, f.text) for f in result.findings if f.text]
        if probe.span is not None:
            start, end = probe.span
            probe.hit = any(f.start < end and start < f.end for f in result.findings if f.text)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def report(rows: list[Row], flags: list[Probe], fairs: list[Probe], show_misses: bool) -> dict:
    by_row: dict[int, list[Probe]] = defaultdict(list)
    for probe in flags:
        by_row[probe.row.number].append(probe)
    covered = {row.number: bool(by_row[row.number]) and all(p.hit for p in by_row[row.number]) for row in rows}
    touched = {row.number: any(p.hit for p in by_row[row.number]) for row in rows}
    themes = sorted({row.theme for row in rows})
    levels = ["quoted", "listed", "no guide"]
    print("covered: every form of the row flagged; any form: at least one flagged")
    print(f"{'theme':34} {'rows':>5} {'covered':>8} {'':>6} {'any form':>9}  {'forms':>6} {'flagged':>8} {'':>6}")
    summary: dict = {"themes": {}, "levels": {}}
    for theme in themes:
        theme_rows = [r for r in rows if r.theme == theme]
        done = sum(covered[r.number] for r in theme_rows)
        some = sum(touched[r.number] for r in theme_rows)
        forms = [p for r in theme_rows for p in by_row[r.number]]
        hit = sum(p.hit for p in forms)
        print(f"{theme:34} {len(theme_rows):>5} {done:>8} {_pct(done, len(theme_rows))} {some:>9}  {len(forms):>6} "
              f"{hit:>8} {_pct(hit, len(forms))}")
        summary["themes"][theme] = {"rows": len(theme_rows), "covered": done, "any_form": some, "forms": len(forms),
                                    "flagged": hit}
    print()
    for level in levels:
        level_rows = [r for r in rows if r.level == level]
        done = sum(covered[r.number] for r in level_rows)
        some = sum(touched[r.number] for r in level_rows)
        forms = [p for r in level_rows for p in by_row[r.number]]
        hit = sum(p.hit for p in forms)
        print(f"{'evidence: ' + level:34} {len(level_rows):>5} {done:>8} {_pct(done, len(level_rows))} {some:>9}  "
              f"{len(forms):>6} {hit:>8} {_pct(hit, len(forms))}")
        summary["levels"][level] = {"rows": len(level_rows), "covered": done, "any_form": some, "forms": len(forms),
                                    "flagged": hit}
    alarms = [p for p in fairs if p.findings]
    print()
    print(f"fair uses: {len(fairs)}, false alarms: {len(alarms)} ({100 * len(alarms) / max(1, len(fairs)):.2f} "
          f"per 100; target <= {100 * TARGET_FALSE_ALARMS:.0f})")
    quoted = [r for r in rows if r.level == "quoted"]
    quoted_done = sum(covered[r.number] for r in quoted)
    print(f"rows quoted in a guide covered: {quoted_done}/{len(quoted)} ({_pct(quoted_done, len(quoted)).strip()}; "
          f"target >= {100 * TARGET_COVERAGE:.0f}%)")
    too_severe = [
        (p, rule, severity) for p in flags if p.row.level == "no guide"
        for rule, severity, _ in p.findings if severity in ("warning", "error")
    ]
    print(f"rows with no published guide reported above info: {len({p.row.number for p, _, _ in too_severe})}")
    summary.update(fair=len(fairs), false_alarms=len(alarms), quoted_rows=len(quoted), quoted_covered=quoted_done)
    if show_misses:
        print("\nmissed rows (line, theme, evidence: form: sentence):")
        for row in rows:
            if covered[row.number]:
                continue
            for probe in by_row[row.number]:
                if not probe.hit:
                    print(f"  {row.number:>3} {row.theme} [{row.level}] {row.term!r} {probe.label}: {probe.sentence}")
        print("\nfalse alarms (line, term, kind: sentence -> findings):")
        for probe in alarms:
            found = ", ".join(f"{rule}:{text!r}" for rule, _, text in probe.findings)
            print(f"  {probe.row.number:>3} {probe.row.term!r} {probe.label}: {probe.sentence} -> {found}")
        if too_severe:
            print("\nno-guide rows reported above info:")
            for probe, rule, severity in too_severe:
                print(f"  {probe.row.number:>3} {probe.row.term!r}: {rule} ({severity})")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="the guide vocabulary (CSV)")
    parser.add_argument("--rules", action="append", default=[], help="extra rule file or folder")
    parser.add_argument("--misses", action="store_true", help="list missed forms and false alarms")
    parser.add_argument("--show", action="store_true", help="print every sentence written and what it got")
    parser.add_argument("--json", type=Path, help="write the summary figures to this file")
    args = parser.parse_args()
    rows = read_rows(args.csv)
    linter = Linter(load_ruleset(args.rules), use_cache=False)
    flags = [p for row in rows for p in flag_probes(row)]
    fairs = [p for row in rows for p in fair_probes(row)]
    run(flags + fairs, linter)
    if args.show:
        for probe in flags + fairs:
            mark = ("HIT " if probe.hit else "MISS") if probe.span else ("ALARM" if probe.findings else "ok  ")
            print(f"{mark} {probe.row.number:>3} {kind(probe.row.term):10} {probe.label:18} {probe.sentence}")
        print()
    summary = report(rows, flags, fairs, args.misses)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

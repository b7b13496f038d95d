#!/usr/bin/env python3
"""Build the seed ledger: the article in ``data/seeds/taliban-isis-rivalry.txt``, claim by claim.

Regenerate the shipped TriG file (from the repository root):

    rm -rf /tmp/x && .venv/bin/python data/build_seed_ledger.py --ledger /tmp/x \
        --export data/taliban-isis-rivalry.trig

(the ledger directory must not exist yet). Or build a ledger to explore:

    .venv/bin/python data/build_seed_ledger.py --ledger seed-ledger
    .venv/bin/claimledger claim list --ledger seed-ledger

As a module: ``build(path, agent="seed-builder")`` creates a new ledger at ``path``.

How the article is recorded
---------------------------
* The article is the source ``article``: every quote below is found in it (``found_in``).
* A statement the article attributes to someone ("according to US and Afghan intelligence
  officials", "NDS sources noted", "The Wall Street Journal also reported") is evidence found in
  ``article`` and *attributed to* that someone (``attributed_to``). Attribution is per statement:
  no source is recorded as derived from another (``prov:wasDerivedFrom`` is for reprints and
  documents built on other documents, and the article is neither).
* The article's own, unattributed assertions rest on ``article`` (no ``attributed_to``). When an
  attribution closes one sentence, the following sentences are *not* assumed to carry it: they
  rest on the article, and the evidence's reason says so.
* Unnamed sources are one source each, however many people they may be ("multiple sources").
* Every quote is copied verbatim, curly quotes and all: ``’`` (U+2019), ``“ ”`` (U+201C/D),
  ``–`` (U+2013), and the two no-break spaces (U+00A0) around "Wall Street Journal", written
  below as ``\\u00a0`` so that a reviewer can see them. :func:`check_quotes` refuses to build
  if any quote is not where its locator says.

Locators — how paragraphs are counted
-------------------------------------
The article file is split into blocks at blank lines. The first two blocks (the title and the
line "0") and the last one ("View original post") are not counted. Of the rest, a block of one
line is a paragraph of the body: ``para 1`` is "Five years ago, …", ``para 22`` is the last
("So if threats and attacks continue …"). A block of several lines is a photo caption (caption
text, sometimes repeated, then the photo credit); captions are numbered apart, in order:
``caption 1`` ("Taliban fighters in a vehicle patrol …") to ``caption 7``. See
:func:`article_blocks`.

Grades
------
Reliability (Admiralty A–F, per source) and information credibility (1–6, per piece of
evidence) are the builder's assessments, not facts; each carries its reason (``reason=``, kept in
the audit trail). Anonymous sources are graded F: the analyst cannot know their track record.
Confidence (ICD 203) is low unless stated; a few plainly reported facts of public record are
raised to moderate, never above what the sourcing rules allow.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

BASE = "https://example.org/taliban-isis-rivalry/"
PREFIXES = {
    "ent": BASE + "entity/",
    "rel": BASE + "relation/",
}
ARTICLE_FILE = Path(__file__).resolve().parent / "seeds" / "taliban-isis-rivalry.txt"
DEFAULT_LEDGER = "seed-ledger"
DEFAULT_AGENT = "seed-builder"


# =============================================================================================
# The data: sources, then claims with their evidence. Review these; the logic is at the end.
# =============================================================================================

@dataclass(frozen=True)
class Source:
    slug: str
    title: str
    kind: str
    reliability: str
    reason: str  # why the reliability grade
    anonymous: bool = False
    justification: str | None = None  # why anonymity (anonymous sources)
    known_to: str | None = None  # the agent who knows the identity (anonymous sources)


@dataclass(frozen=True)
class Evidence:
    quote: str  # verbatim from the article
    locator: str  # "para N" or "caption N" (see the module docstring)
    attributed_to: str | None = None  # the source the article attributes the statement to
    credibility: str | None = None  # Admiralty 1–6
    reason: str | None = None  # why the credibility / attribution
    found_in: str = "article"


@dataclass(frozen=True)
class Claim:
    slug: str
    subject: str
    predicate: str
    text: str
    evidence: tuple[Evidence, ...]
    object: str | None = None
    value: str | None = None
    datatype: str | None = None
    lang: str | None = None
    confidence: str = "low"
    confidence_reason: str | None = None
    reason: str | None = None


ANONYMOUS_F = ("F: reliability cannot be judged — the source is unnamed, so the analyst has no "
               "track record to go on; the article is the only channel it reaches us through.")

SOURCES: list[Source] = [
    Source(
        "article", "The rivalry between Taliban and ISIS: what it means for Afghanistan",
        kind="document", reliability="C",
        reason="C: fairly reliable. A first-person report by a correspondent who says they have "
               "covered the conflict in Afghanistan for years and who says where each statement "
               "comes from. Not graded higher: the copy in hand carries no byline, outlet or "
               "date, most of its sourcing is anonymous, and its editing is loose ('in in 2018', "
               "'is seemingly to follow the playbook')."),
    Source(
        "iraqi-officer", "A senior Iraqi intelligence officer (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name him: a serving senior intelligence officer, "
                      "speaking to the author on a military base in Baghdad, identified only by "
                      "rank and service.",
        reason=ANONYMOUS_F),
    Source(
        "us-afghan-officials", "US and Afghan intelligence officials (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name them: serving intelligence officials of two "
                      "governments, who are not named when they speak about intelligence.",
        reason=ANONYMOUS_F + " Recorded as one source, not two: the article gives them as one "
               "attribution for one statement and does not say who said what, so the US and the "
               "Afghan officials cannot be shown to be independent of each other."),
    Source(
        "afghan-officials", "Afghan intelligence officials (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name them: serving Afghan intelligence officials "
                      "who briefed the author before the government collapsed.",
        reason=ANONYMOUS_F),
    Source(
        "nds-sources", "National Directorate of Security (NDS) sources (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name them: 'several' sources in the National "
                      "Directorate of Security, Afghanistan's intelligence service, speaking to "
                      "the author during a visit in early 2017.",
        reason=ANONYMOUS_F + " Also note: the NDS served a government at war with both groups, "
               "which had reason to present them as working together."),
    Source(
        "eyewitnesses", "Eyewitness accounts (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name the eyewitnesses or say how many there were "
                      "or how their accounts reached the author; they describe Taliban leaders "
                      "helping wounded ISIS fighters in an active conflict.",
        reason=ANONYMOUS_F + " Several accounts, but unnamed and uncounted: one source."),
    Source(
        "multiple-sources", "Multiple sources (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name them or say who or how many they are "
                      "('multiple sources'); they spoke to the author during the Taliban's "
                      "takeover, in the week of the article.",
        reason=ANONYMOUS_F + " Unnamed 'multiple sources' cannot be shown to be independent of "
               "one another: recorded as one source."),
    Source(
        "taliban-official", "A Taliban official (unnamed)",
        kind="person", reliability="F", anonymous=True, known_to="author",
        justification="The article does not name him: an official of the Taliban whom the "
                      "author interviewed about the threat of an attack.",
        reason=ANONYMOUS_F + " He speaks for a party to the conflict, in its interest."),
    Source(
        "us-allied-warnings",
        "Intelligence warnings from the US and its allies of a possible attack",
        kind="organization", reliability="C",
        reason="C: fairly reliable. Warnings issued by governments in their own name, which the "
               "article reports were borne out by the attack itself. Not graded higher: the "
               "article neither quotes nor cites the warnings, and they have not been seen."),
    Source(
        "wsj-report",
        "The Wall Street Journal: report that the Taliban executed Abu Omar Khorasani",
        kind="document", reliability="B",
        reason="B: usually reliable. A named national newspaper with an editing and corrections "
               "process. The article gives no headline, URL or date, so the report itself has "
               "not been seen; none is recorded."),
]

# Reasons used by many pieces of evidence.
OWN = "The article's own assertion, unattributed: it rests on the article."
NO_CARRY = ("The attribution in the previous sentence is not carried over: this sentence names "
            "no source, so it rests on the article.")
CAPTION = "A photo caption of the article, unattributed: it rests on the article."

CLAIMS: list[Claim] = [
    # -- para 2: the senior Iraqi intelligence officer -----------------------------------------
    Claim(
        "iraqi-officer-prediction", "ent:ISIS-fighters-escaping-Iraq", "rel:willRegroupIn",
        object="ent:Afghanistan",
        text="Prediction made by a senior Iraqi intelligence officer to the author five years "
             "before the article (a forecast, not a fact): ISIS fighters who escaped the "
             "offensive against ISIS would, perhaps after years, regroup in Afghanistan.",
        evidence=(Evidence(
            "“The ones that escape from here, it could take years, but they will eventually go "
            "to re-group in Afghanistan.”", "para 2", attributed_to="iraqi-officer",
            credibility="3",
            reason="3: possibly true. A forecast; the article later reports Afghan officials "
                   "saying foreign fighters from Iraq and Syria did reach the Afghan affiliate, "
                   "but a prediction is not evidence of its outcome."),),
    ),
    # -- para 3 -------------------------------------------------------------------------------
    Claim(
        "us-focus-isis-k", "ent:US-military-presence-in-Afghanistan", "rel:focusedOnEliminating",
        object="ent:ISIS-K",
        text="Much of the US military presence in Afghanistan in recent years was focused on "
             "eliminating ISIS-K.",
        evidence=(Evidence(
            "much of the US military presence in Afghanistan in recent years has been focused on "
            "eliminating the terrorist affiliate referred to as ISKP, ISK or ISIS-K", "para 3",
            credibility="3", reason=OWN),),
    ),
    Claim(
        "isis-k-names", "ent:ISIS-K", "rel:namedAfter", object="ent:Khorasan-Province",
        text="The ISIS affiliate in Afghanistan is called ISKP, ISK or ISIS-K, after the "
             "historical area known as the Khorasan Province.",
        evidence=(Evidence(
            "referred to as ISKP, ISK or ISIS-K, in reference to the historical area known as "
            "the Khorasan Province", "para 3", credibility="2", reason=OWN),),
    ),
    Claim(
        "afghans-viewed-sideshow", "ent:ISIS-K", "rel:viewedByAfghansAs",
        object="ent:distracting-sideshow",
        text="Afghans often viewed ISIS-K as a distracting sideshow compared to the tens of "
             "thousands of Taliban members.",
        evidence=(Evidence(
            "the group was often viewed by Afghans themselves as a distracting sideshow compared "
            "to the tens of thousands of Taliban members", "para 3",
            credibility="3", reason=OWN),),
    ),
    # -- para 4: the airport attack -------------------------------------------------------------
    Claim(
        "hkia-attack", "ent:HKIA-attack", "rel:location",
        object="ent:Hamid-Karzai-International-Airport",
        text="On Thursday, a coordinated suicide bombing and gun "
             "attack struck at Hamid Karzai International Airport (HKIA), amid the chaos of "
             "people trying to flee.",
        evidence=(Evidence(
            "capitalizing on the chaos surrounding the Hamid Karzai International Airport (HKIA) "
            "and those attempting to flee, claiming responsibility for a coordinated suicide bomb "
            "and gun assailment", "para 4", credibility="2", reason=OWN),),
        confidence="moderate",
        confidence_reason="A public event the author was reporting on, described concretely; "
                          "one origin, so no higher.",
    ),
    Claim(
        "isis-claimed-responsibility", "ent:ISIS", "rel:claimedResponsibilityFor",
        object="ent:HKIA-attack",
        text="ISIS claimed responsibility for the coordinated suicide bomb and gun attack at "
             "Hamid Karzai International Airport.",
        evidence=(Evidence(
            "ISIS made its mark yet again, capitalizing on the chaos surrounding the Hamid Karzai "
            "International Airport (HKIA) and those attempting to flee, claiming responsibility",
            "para 4", credibility="2", reason=OWN),),
        confidence="moderate",
        confidence_reason="A public claim of responsibility, reported plainly; one origin, so "
                          "no higher.",
    ),
    Claim(
        "hkia-attack-us-deaths", "ent:HKIA-attack", "rel:killedUSServiceMembers",
        value="13", datatype="xsd:integer",
        text="The attack at Hamid Karzai International Airport killed 13 US service members.",
        evidence=(Evidence("killed 13 US service members", "para 4", credibility="2",
                           reason=OWN),),
        confidence="moderate",
        confidence_reason="A precise casualty figure for a public event; one origin, so no "
                          "higher.",
    ),
    Claim(
        "hkia-attack-afghan-deaths", "ent:HKIA-attack", "rel:killedAfghansAtLeast",
        value="90", datatype="xsd:integer",
        text="The attack at Hamid Karzai International Airport killed at least 90 Afghans.",
        evidence=(Evidence("killed 13 US service members and at least 90 Afghans", "para 4",
                           credibility="2", reason=OWN),),
        confidence="moderate",
        confidence_reason="A casualty figure given as a minimum for a public event; one "
                          "origin, so no higher.",
    ),
    # -- para 5 -------------------------------------------------------------------------------
    Claim(
        "not-collaborators", "ent:Taliban", "rel:archrivalOf", object="ent:ISIS",
        text="The Taliban and ISIS are not collaborators but archrivals.",
        evidence=(
            Evidence("the outfits are not collaborators but archrivals", "para 5",
                     credibility="2", reason=OWN),
            Evidence("the Taliban (seen above) and ISIS – as one and the same, the outfits are "
                     "not collaborators but archrivals", "caption 5", credibility="2",
                     reason=CAPTION + " It repeats para 5: the same origin, so it adds no "
                            "corroboration."),
        ),
    ),
    Claim(
        "fought-each-other", "ent:Taliban", "rel:wagedWarOn", object="ent:ISIS",
        text="When not attacking Afghan Security Forces, the Taliban and ISIS waged war on each "
             "other.",
        evidence=(Evidence(
            "When they weren’t waging separate attacks on Afghan Security Forces, they were "
            "waging war on each other through the rugged terrain", "para 5",
            credibility="2", reason=OWN),),
    ),
    # -- para 7 -------------------------------------------------------------------------------
    Claim(
        "taliban-al-qaeda-ties", "ent:Taliban", "rel:closeTiesTo", object="ent:al-Qaeda",
        text="The Taliban has had close ties to al-Qaeda.",
        evidence=(Evidence("the Taliban has notoriously had close ties to al-Qaeda", "para 7",
                           credibility="2", reason=OWN),),
    ),
    Claim(
        "taliban-no-bond-isis-k", "ent:Taliban", "rel:neverAlliedWith", object="ent:ISIS-K",
        text="The Taliban never shared a bond like its ties to al-Qaeda with the regional ISIS "
             "wing (ISIS-K).",
        evidence=(Evidence("it never shared such a bond with the regional ISIS wing", "para 7",
                           credibility="3", reason=OWN),),
    ),
    Claim(
        "isis-k-emerged-2015", "ent:ISIS-K", "rel:emergedInYear", value="2015",
        datatype="xsd:gYear",
        text="ISIS-K, the regional ISIS wing, emerged in early 2015.",
        evidence=(Evidence("the regional ISIS wing, which emerged in early 2015", "para 7",
                           credibility="2", reason=OWN),),
    ),
    Claim(
        "ignited-by-hafiz-saeed-khan", "ent:ISIS-K", "rel:ignitedBy",
        object="ent:Hafiz-Saeed-Khan",
        text="ISIS-K was ignited by Hafiz Saeed Khan, a disgruntled Taliban defector.",
        evidence=(Evidence("was ignited by disgruntled Taliban defector Hafiz Saeed Khan",
                           "para 7", credibility="2", reason=OWN),),
    ),
    Claim(
        "taliban-domestic-objectives", "ent:Taliban", "rel:strategicObjective",
        object="ent:domestic-control-of-Afghanistan",
        text="The Taliban's strategic objectives have been focused on domestic control: "
             "influencing Afghanistan's practices, communal norms and politics.",
        evidence=(Evidence(
            "The Taliban’s strategic objectives have been focused on domestic control – "
            "influencing Afghanistan’s practices, communal norms and politics", "para 7",
            credibility="3", reason=OWN),),
    ),
    Claim(
        "isis-caliphate-aim", "ent:ISIS", "rel:strategicObjective",
        object="ent:borderless-Islamic-caliphate",
        text="ISIS endeavours to fold Afghanistan into a broader, borderless Islamic caliphate.",
        evidence=(Evidence(
            "ISIS endeavors to fold Afghanistan into a broader and borderless Islamic "
            "“caliphate.”", "para 7", credibility="3", reason=OWN),),
    ),
    # -- caption 2 ------------------------------------------------------------------------------
    Claim(
        "jalalabad-prison-attack", "ent:ISIS", "rel:attacked", object="ent:Jalalabad-prison",
        text="The Islamic State attacked a prison in Jalalabad holding Taliban prisoners, the "
             "year before the article (photo caption).",
        evidence=(Evidence(
            "Taliban prisoners watch through the door inside the prison after an attack by the "
            "Islamic State last year in Jalalabad.", "caption 2", credibility="3",
            reason=CAPTION),),
    ),
    # -- para 8 -------------------------------------------------------------------------------
    Claim(
        "taliban-numbers", "ent:Taliban", "rel:strength",
        value="well into the tens, likely hundreds, of thousands", lang="en",
        text="The Taliban numbers well into the tens — likely hundreds — of thousands.",
        evidence=(Evidence(
            "The Taliban boasts numbers well into the tens – likely hundreds – of thousands",
            "para 8", credibility="3", reason=OWN),),
    ),
    Claim(
        "isis-k-few-thousand", "ent:ISIS-K", "rel:strength",
        value="a few thousand active members", lang="en",
        text="ISIS-K's ranks have dwindled to a few thousand active members.",
        evidence=(Evidence(
            "ISIS-K has seen its ranks dwindle to a few thousand active members", "para 8",
            credibility="3", reason=OWN),),
    ),
    Claim(
        "isis-k-hiding-attacks", "ent:ISIS-K", "rel:mainTactic",
        object="ent:targeted-bombings-and-mass-attacks",
        text="Lacking the manpower to take and hold populated areas, ISIS fighters are mostly "
             "in hiding and rely on targeted bomb blasts and mass attacks in densely populated "
             "places.",
        evidence=(Evidence(
            "ISIS fighters are primarily in hiding and rely on sowing discord across the "
            "blood-spattered country through targeted bomb blasts and mass attacks in densely "
            "populated pockets", "para 8", credibility="3", reason=OWN),),
    ),
    # -- para 9 -------------------------------------------------------------------------------
    Claim(
        "taliban-undermined-government", "ent:Taliban", "rel:attackedToUndermine",
        object="ent:former-US-backed-Afghan-government",
        text="The Taliban long conducted attacks to undermine the former US-backed government's "
             "ability to provide security for the population.",
        evidence=(Evidence(
            "the Taliban has long sought to conduct attacks to undermine the ability of the "
            "former US-backed government to provide adequate security for the population",
            "para 9", credibility="2", reason=OWN),),
    ),
    # -- para 10 ------------------------------------------------------------------------------
    Claim(
        "crossover-defection", "ent:Taliban", "rel:crossoverAndDefectionWith", object="ent:ISIS",
        text="Although ISIS and the Taliban are on opposite sides, there is some crossover and "
             "defecting between them.",
        evidence=(Evidence(
            "there is some degree of crossover and defecting, according to US and Afghan "
            "intelligence officials", "para 10", attributed_to="us-afghan-officials",
            credibility="3", reason="3: possibly true; consistent with the article's own account "
                                    "of recruitment and infiltration, but from one unnamed "
                                    "source."),),
    ),
    Claim(
        "isis-k-recruited-taliban", "ent:ISIS-K", "rel:recruitedFrom", object="ent:Taliban",
        text="In its initial phase, ISIS-K had significant success recruiting disgruntled "
             "Taliban insurgents who sought global dominion rather than national ambitions.",
        evidence=(Evidence(
            "In its initial phase, ISIS-K had significant success in recruiting disgruntled "
            "Taliban insurgents seeking global dominion rather than nationalistic ambitions",
            "para 10", credibility="3", reason=NO_CARRY),),
    ),
    Claim(
        "mutual-infiltration", "ent:Taliban", "rel:infiltratedEachOther", object="ent:ISIS",
        text="The Taliban and ISIS have both infiltrated each other and paid disaffected "
             "fighters to swap sides.",
        evidence=(Evidence(
            "Both groups have also managed to infiltrate each other and pay off disaffected "
            "fighters to swap sides", "para 10", credibility="3", reason=NO_CARRY),),
    ),
    # -- caption 3 ------------------------------------------------------------------------------
    Claim(
        "abbey-gate-attacks-isis-k", "ent:ISIS-K", "rel:carriedOut",
        object="ent:attacks-near-Abbey-Gate",
        text="ISIS-K carried out the attacks outside the Baron Hotel, near the Abbey Gate, in "
             "Kabul (photo caption).",
        evidence=(Evidence(
            "outside the Baron Hotel, near the Abbey Gate, in Kabul after attacks by ISIS-K "
            "there.", "caption 3", credibility="3",
            reason=CAPTION + " Only the second version of the caption names ISIS-K."),),
    ),
    # -- para 11 ------------------------------------------------------------------------------
    Claim(
        "security-forces-defected-to-taliban", "ent:Afghan-security-forces", "rel:defectedTo",
        object="ent:Taliban",
        text="Afghan security forces swapping to join the Taliban was long a significant "
             "problem; there was much less concern about soldiers joining ISIS.",
        evidence=(Evidence(
            "The issue of Afghan security forces swapping to join the Taliban has long been a "
            "significant problem", "para 11", credibility="2", reason=OWN),),
    ),
    # -- para 12 ------------------------------------------------------------------------------
    Claim(
        "taliban-assailed-provinces", "ent:Taliban", "rel:assailed",
        object="ent:many-Afghan-provinces",
        text="In recent years the Taliban managed to assail a vast array of provinces across "
             "Afghanistan.",
        evidence=(Evidence(
            "the Taliban in recent years managed to assail a vast array of provinces dotted "
            "across the Afghan map", "para 12", credibility="2", reason=OWN),),
    ),
    Claim(
        "isis-stronghold-jowzjan", "ent:ISIS", "rel:strongholdIn", object="ent:Jowzjan",
        text="ISIS had small strongholds in the northern province of Jowzjan (and was limited "
             "to those and Nangarhar).",
        evidence=(Evidence(
            "ISIS remained limited to small strongholds inside the northern province of Jowzjan "
            "and the eastern province of Nangarhar", "para 12", credibility="2", reason=OWN),),
    ),
    Claim(
        "isis-stronghold-nangarhar", "ent:ISIS", "rel:strongholdIn", object="ent:Nangarhar",
        text="ISIS had small strongholds in the eastern province of Nangarhar (and was limited "
             "to those and Jowzjan).",
        evidence=(Evidence(
            "ISIS remained limited to small strongholds inside the northern province of Jowzjan "
            "and the eastern province of Nangarhar", "para 12", credibility="2", reason=OWN),),
    ),
    Claim(
        "taliban-saw-isis-k-threat", "ent:Taliban", "rel:viewedAsThreat", object="ent:ISIS-K",
        text="The Taliban did not embrace the forming of a fringe group and viewed the emergence "
             "of ISIS-K as a threat to its push toward power.",
        evidence=(Evidence(
            "The notion of a fringe group forming was not embraced by the Taliban, which viewed "
            "the ISIS-K emergence as a threat to its push toward power", "para 12",
            credibility="3", reason=OWN),),
    ),
    # -- para 13 ------------------------------------------------------------------------------
    Claim(
        "foreign-fighters-fled", "ent:foreign-fighters-from-Iraq-and-Syria", "rel:fledToJoin",
        object="ent:ISIS-K",
        text="In the months before the government collapsed, an array of foreign fighters from "
             "the battlefields of Iraq and Syria fled to the Afghan ISIS affiliate, as their "
             "identification cards showed when they were killed.",
        evidence=(Evidence(
            "Afghan intelligence officials cautioned me that an array of foreign fighters from "
            "beleaguered Iraq and Syrian battlefields had indeed fled toward the Afghanistan "
            "affiliate in months past, as indicated by their identification cards once killed",
            "para 13", attributed_to="afghan-officials", credibility="3",
            reason="3: possibly true. The officials point to physical evidence (identification "
                   "cards of the dead), but it has not been seen and the source is unnamed."),),
    ),
    Claim(
        "isis-k-funding", "ent:ISIS-K", "rel:primarilyFundedBy",
        object="ent:ISIS-headquarters-in-the-Middle-East",
        text="ISIS-K's funding has come primarily from ISIS headquarters in the Middle East.",
        evidence=(Evidence(
            "The terrorist group’s funding supply has primarily emanated from the base of ISIS "
            "headquarters in the Middle East", "para 13", credibility="3", reason=NO_CARRY),),
    ),
    Claim(
        "taliban-funding-taxes", "ent:Taliban", "rel:fundedBy",
        object="ent:tax-revenues-in-seized-areas",
        text="The Taliban has been funded by internal tax revenues in places it has seized.",
        evidence=(Evidence(
            "the Taliban has been propped up by internal tax revenues in places it has seized",
            "para 13", credibility="2", reason=OWN),),
    ),
    Claim(
        "taliban-funding-opium", "ent:Taliban", "rel:fundedBy", object="ent:opium-drug-trade",
        text="The Taliban has been funded by the opium drug trade.",
        evidence=(Evidence(
            "the Taliban has been propped up by internal tax revenues in places it has seized, "
            "the opium drug trade", "para 13", credibility="2", reason=OWN),),
    ),
    Claim(
        "taliban-funding-foreign", "ent:Taliban", "rel:fundedBy",
        object="ent:some-foreign-countries",
        text="The Taliban has been funded by a scattering of foreign countries (not named in "
             "the article).",
        evidence=(Evidence(
            "the Taliban has been propped up by internal tax revenues in places it has seized, "
            "the opium drug trade, and a spattering of foreign countries", "para 13",
            credibility="3", reason=OWN),),
    ),
    # -- para 14 ------------------------------------------------------------------------------
    Claim(
        "only-isis-k-designated", "ent:ISIS-K", "rel:designatedTerroristOrganizationByUS",
        value="true", datatype="xsd:boolean",
        text="Of the two groups, only ISIS-K is designated a terrorist organization by the US.",
        evidence=(Evidence(
            "only ISIS-K is a designated terrorist organization in the eyes of the US",
            "para 14", credibility="2", reason=OWN),),
        confidence="moderate",
        confidence_reason="A matter of public record that the article states plainly; one "
                          "origin here, so no higher until checked against the US designation "
                          "list.",
    ),
    Claim(
        "taliban-not-designated", "ent:Taliban", "rel:designatedTerroristOrganizationByUS",
        value="false", datatype="xsd:boolean",
        text="Washington never designated the Taliban a terrorist organization, to keep the "
             "door open for diplomatic discussions.",
        evidence=(Evidence(
            "Washington never slapped the Taliban with the designation in a bid to keep the door "
            "open for diplomatic discussions", "para 14", credibility="2", reason=OWN),),
    ),
    # -- para 15: the one credible anecdote -------------------------------------------------------
    Claim(
        "one-credible-anecdote", "ent:Taliban-ISIS-collusion",
        "rel:credibleAnecdotesHeardByAuthor", value="1", datatype="xsd:integer",
        text="In years of covering the conflict in Afghanistan, the author has heard only one "
             "credible anecdote of seeming collusion between the Taliban and ISIS.",
        evidence=(Evidence(
            "I have only ever heard one credible anecdote of seeming collusion between the two "
            "components", "para 15", credibility="2",
            reason=OWN + " The author reports their own experience."),),
    ),
    Claim(
        "east-south-fighting", "ent:Taliban", "rel:persistentlyFoughtInEastAndSouth",
        object="ent:ISIS",
        text="The Taliban and ISIS persistently fought each other in the eastern and southern "
             "regions of Afghanistan (NDS sources, early 2017).",
        evidence=(Evidence(
            "several National Directorate of Security (NDS) sources noted that while the Taliban "
            "and ISIS persistently fought each other in the eastern and southern regions",
            "para 15", attributed_to="nds-sources", credibility="3",
            reason="3: possibly true; in line with the article's own account of the rivalry, "
                   "from one unnamed source."),),
    ),
    Claim(
        "kunduz-cooperation", "ent:Taliban", "rel:cooperatedWithAgainstGovernmentForces",
        object="ent:ISIS",
        text="There was a small degree of cooperation between the Taliban and ISIS against "
             "government forces in northern provinces such as Kunduz and Badakhshan (NDS "
             "sources, early 2017).",
        evidence=(Evidence(
            "there was a small degree of cooperation in northern provinces such as Kunduz and "
            "Badakhshan against government forces", "para 15", attributed_to="nds-sources",
            credibility="3",
            reason="3: possibly true. The author calls it the one credible anecdote of "
                   "collusion; it rests on unnamed NDS sources alone and nothing else in the "
                   "article backs it."),),
    ),
    Claim(
        "safe-passage", "ent:Taliban-leaders-small-contingent", "rel:providedSafePassageTo",
        object="ent:wounded-ISIS-fighters",
        text="A small contingent of Taliban leaders provided safe passage for wounded ISIS "
             "fighters to get medical assistance.",
        evidence=(Evidence(
            "Eyewitness accounts also indicated yet a small contingent of Taliban leaders had "
            "provided safe passage for wounded ISIS fighters to get medical assistance",
            "para 15", attributed_to="eyewitnesses", credibility="3",
            reason="3: possibly true. Unnamed eyewitnesses, reached by the author in a way the "
                   "article does not describe; a separate statement from the NDS sources' "
                   "account of cooperation in the north."),),
    ),
    # -- para 17 ------------------------------------------------------------------------------
    Claim(
        "china-relations-taliban", "ent:China", "rel:developedRelationsWith", object="ent:Taliban",
        text="China openly developed relations with, and support for, the Taliban as the most "
             "effective means of fighting ISIS.",
        evidence=(Evidence(
            "namely China, Russia and Iran – to openly develop relations and support the Taliban "
            "as the most effective means of fighting ISIS", "para 17", credibility="3",
            reason=OWN),),
    ),
    Claim(
        "russia-relations-taliban", "ent:Russia", "rel:developedRelationsWith",
        object="ent:Taliban",
        text="Russia openly developed relations with, and support for, the Taliban as the most "
             "effective means of fighting ISIS.",
        evidence=(Evidence(
            "namely China, Russia and Iran – to openly develop relations and support the Taliban "
            "as the most effective means of fighting ISIS", "para 17", credibility="3",
            reason=OWN),),
    ),
    Claim(
        "iran-relations-taliban", "ent:Iran", "rel:developedRelationsWith", object="ent:Taliban",
        text="Iran openly developed relations with, and support for, the Taliban as the most "
             "effective means of fighting ISIS.",
        evidence=(Evidence(
            "namely China, Russia and Iran – to openly develop relations and support the Taliban "
            "as the most effective means of fighting ISIS", "para 17", credibility="3",
            reason=OWN),),
    ),
    # -- para 18 ------------------------------------------------------------------------------
    Claim(
        "four-decades-conflict", "ent:Afghanistan", "rel:almostNonstopConflictFor",
        value="four decades", lang="en",
        text="Afghanistan has seen four decades of almost nonstop conflict.",
        evidence=(Evidence("after four decades of almost nonstop conflict", "para 18",
                           credibility="2", reason=OWN),),
    ),
    Claim(
        "taliban-amnesty-declaration", "ent:Taliban", "rel:declared",
        object="ent:peace-and-amnesty-for-all",
        text="The Taliban declared peace and amnesty for all (declarations the article calls "
             "skeptical).",
        evidence=(Evidence(
            "the Taliban’s skeptical declarations of peace and amnesty for all", "para 18",
            credibility="2", reason=OWN),),
    ),
    # -- para 19 ------------------------------------------------------------------------------
    Claim(
        "multiple-sources", "ent:Taliban", "rel:freedJailedMembersFrom",
        object="ent:Bagram-prison",
        text="As the Taliban captured cities and provinces, it opened the doors of prisons, "
             "including Bagram, to free its jailed members, except those belonging to ISIS.",
        evidence=(Evidence(
            "Multiple sources also told me this week that as the Taliban has been capturing "
            "cities and provinces, it has been opening the doors of prisons – including the "
            "infamous Bagram – to free its jailed members, with the exception of those "
            "belonging to ISIS", "para 19", attributed_to="multiple-sources", credibility="3",
            reason="3: possibly true. 'Multiple sources', but unnamed and uncounted: they cannot "
                   "be shown to be independent, so they are one origin."),),
    ),
    Claim(
        "khorasani-executed", "ent:Taliban", "rel:executed", object="ent:Abu-Omar-Khorasani",
        text="The Taliban executed Abu Omar Khorasani, a former ISIS-K leader, after taking over "
             "a Kabul lockup in the week of the article, where he and several others were held "
             "after arrests by government forces.",
        evidence=(Evidence(
            "The\u00a0Wall Street Journal\u00a0also reported that the Taliban executed former "
            "ISIS-K leader Abu Omar Khorasani after they took over a Kabul lockup this week "
            "where he and several others were being held after arrests by government forces",
            "para 19", attributed_to="wsj-report", credibility="3",
            reason="3: possibly true. A named newspaper's report, relayed second-hand; the "
                   "report itself has not been seen."),),
    ),
    # -- caption 6 ------------------------------------------------------------------------------
    Claim(
        "credit-competition-2018", "ent:Taliban", "rel:competedForCreditWith", object="ent:ISIS",
        text="In a month of 2018, the Taliban and ISIS competed to take credit for a spike in "
             "violence (photo caption).",
        evidence=(Evidence(
            "in 2018, during a month where the Taliban and ISIS competed to take credit for a "
            "spike in violence", "caption 6", credibility="3", reason=CAPTION),),
    ),
    # -- para 20: two independent attributions ----------------------------------------------------
    Claim(
        "attack-anticipated", "ent:HKIA-attack", "rel:wasAnticipated", value="true",
        datatype="xsd:boolean",
        text="The attack at the Kabul airport was anticipated before it happened: the US and "
             "its allies warned of a possible attack, and the Taliban were working to foil "
             "'malicious elements' hours before the blasts.",
        evidence=(
            Evidence(
                "despite intelligence warnings from the US and allies this week about a possible "
                "attack", "para 20", attributed_to="us-allied-warnings", credibility="2",
                reason="2: probably true. Warnings issued in the week of the attack, borne out "
                       "by it, and matched by the Taliban official's independent account."),
            Evidence(
                "my interview with a Taliban official who admitted that they were working to "
                "foil “malicious elements” just hours before the blasts took place", "para 20",
                attributed_to="taliban-official", credibility="2",
                reason="2: probably true. The author's own interview; self-serving, but "
                       "matched by the US and allied warnings."),
        ),
        confidence="moderate",
        confidence_reason="Two independent origins (the US and allied warnings; the Taliban "
                          "official), one of them named and graded C: moderate. Not high: "
                          "neither has been seen first-hand.",
    ),
    # -- para 21 ------------------------------------------------------------------------------
    Claim(
        "us-done-military-footprint", "ent:United-States", "rel:adamantItIsDoneWith",
        object="ent:US-military-footprint-in-Afghanistan",
        text="Washington has remained adamant that it is done with a military footprint in "
             "Afghanistan after almost 20 years of conflict.",
        evidence=(Evidence(
            "Washington has remained adamant that it is done with a military footprint in "
            "Afghanistan after almost 20 years of protracted conflict", "para 21",
            credibility="2", reason=OWN),),
    ),
]


# =============================================================================================
# The logic.
# =============================================================================================

def article_text() -> str:
    """The seed article, exactly as shipped in ``data/seeds/``."""
    return ARTICLE_FILE.read_text(encoding="utf-8")


def article_blocks(text: str | None = None) -> dict[str, str]:
    """The article's numbered blocks: ``{"para 1": …, "caption 1": …}``.

    Blocks are separated by blank lines. The title, the line "0" and the closing "View original
    post" are left out; one-line blocks are body paragraphs, several-line blocks are photo
    captions (caption text and credit), each numbered from 1 in order.
    """
    text = article_text() if text is None else text
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    if len(blocks) < 3 or blocks[1].strip() != "0":
        raise ValueError("the article does not start with its title and the line '0'")
    body = blocks[2:]
    if body and body[-1].strip() == "View original post":
        body = body[:-1]
    numbered: dict[str, str] = {}
    paras = captions = 0
    for block in body:
        if "\n" in block:
            captions += 1
            numbered[f"caption {captions}"] = block
        else:
            paras += 1
            numbered[f"para {paras}"] = block
    return numbered


def check_quotes(claims: list[Claim] = CLAIMS, sources: list[Source] = SOURCES) -> None:
    """Refuse data whose quotes are not verbatim where their locators say, or that names
    unknown sources.

    :raises ValueError: listing every problem.
    """
    blocks = article_blocks()
    known = {s.slug for s in sources}
    problems = []
    slugs = set()
    for claim in claims:
        if claim.slug in slugs:
            problems.append(f"{claim.slug}: the slug is used twice")
        slugs.add(claim.slug)
        for ev in claim.evidence:
            block = blocks.get(ev.locator)
            if block is None:
                problems.append(f"{claim.slug}: no {ev.locator!r} in the article")
            elif ev.quote not in block:
                problems.append(f"{claim.slug}: quote not found verbatim in {ev.locator}: "
                                f"{ev.quote!r}")
            for name in (ev.found_in, ev.attributed_to):
                if name is not None and name not in known:
                    problems.append(f"{claim.slug}: unknown source {name!r}")
    if problems:
        raise ValueError("the seed data does not match the article:\n  " + "\n  ".join(problems))


def build(path, *, agent: str = DEFAULT_AGENT, remote=None) -> None:
    """Create the seed ledger in a new directory ``path`` (kept on the SPARQL server ``remote``,
    a :class:`claimledger.store.config.RemoteConfig`, when given).

    :raises ValueError: if a quote is not verbatim where its locator says (nothing is created).
    :raises claimledger.LedgerError: if a ledger (or anything else) is already at ``path``.
    :raises claimledger.RuleViolation: if the data breaks a sourcing rule.
    """
    from claimledger.ledger import Ledger

    check_quotes()
    with Ledger.create(path, base=BASE, agent=agent, remote=remote) as ledger:
        for name, namespace in PREFIXES.items():
            ledger.add_prefix(name, namespace, reason="names for the entities and relations "
                                                      "of the seed article")
        for s in SOURCES:
            ledger.sources.add(s.slug, title=s.title, kind=s.kind, reliability=s.reliability,
                               anonymous=s.anonymous, justification=s.justification,
                               known_to=s.known_to, reason=s.reason)
        for c in CLAIMS:
            ledger.claims.add(c.slug, subject=c.subject, predicate=c.predicate, object=c.object,
                              value=c.value, datatype=c.datatype, lang=c.lang, text=c.text,
                              reason=c.reason)
            for ev in c.evidence:
                ledger.evidence.add(c.slug, ev.found_in, stance="supports",
                                    attributed_to=ev.attributed_to, quote=ev.quote,
                                    locator=ev.locator, credibility=ev.credibility,
                                    reason=ev.reason)
            if c.confidence != "low":
                ledger.claims.set_confidence(c.slug, c.confidence, reason=c.confidence_reason)


def export_trig(path, output) -> None:
    """Write the ledger at ``path`` to the file ``output`` as TriG (state and audit trail)."""
    from claimledger.interchange import export
    from claimledger.ledger import Ledger

    output = Path(output)
    tmp = output.with_name(output.name + ".part")
    with Ledger.open(path) as ledger, open(tmp, "wb") as fh:
        export(ledger, fh, fmt="trig")
    tmp.replace(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Record the seed article (data/seeds/taliban-isis-rivalry.txt) as a new "
                    "claimledger ledger.")
    parser.add_argument("--ledger", default=DEFAULT_LEDGER,
                        help=f"directory of the new ledger; must not exist yet "
                             f"[default: {DEFAULT_LEDGER}]")
    parser.add_argument("--agent", default=DEFAULT_AGENT,
                        help=f"who records it [default: {DEFAULT_AGENT}]")
    parser.add_argument("--export", metavar="FILE.trig", default=None,
                        help="also write the ledger to this file as TriG")
    args = parser.parse_args(argv)

    from claimledger.errors import ClaimLedgerError

    try:
        build(args.ledger, agent=args.agent)
        if args.export:
            export_trig(args.ledger, args.export)
    except ClaimLedgerError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"seed ledger recorded in {args.ledger}: {len(SOURCES)} sources, {len(CLAIMS)} claims, "
          f"{sum(len(c.evidence) for c in CLAIMS)} pieces of evidence"
          + (f"; exported to {args.export}" if args.export else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

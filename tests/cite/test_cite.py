"""Cite stage against citeproc-js: expected strings are citeproc-js 2.4.63's output for the same input.

How the expected strings were obtained (run again the same way to refresh them, then review):

    mkdir /tmp/cjs && cd /tmp/cjs && npm install citeproc        # citeproc-js 2.4.63, outside the repo
    python /tmp/cjs/gen_expected.py > /tmp/cjs/expected.py      # then pasted below as EXPECTED

`run.js` (in /tmp/cjs) reads JSON on stdin — a style path, locale "en-GB", CSL-JSON items, and
clusters as {note, cites: [{id, locator, label, prefix, suffix}]} — builds a `CSL.Engine` whose
locales are citeproc-py's locale files (.venv/.../citeproc/data/locales), calls
`rebuildProcessorState(citations, "html")` with noteIndex = note number (so citeproc-js computes
the positions), then `makeBibliography()`, and prints the citation strings and the entries
(the `<div class="csl-entry">` wrapper removed). `gen_expected.py` feeds it the Issue 8 items
from issue/references/*.yaml that SCENARIO cites, the SCENARIO notes below in OSCOLA,
chicago-notes-bibliography, apa and NEAR_NOTE_CSL, and the first 25 notes of
shared/issue8/notes/article-1.yaml in OSCOLA. citeproc-js does not make links, so links are
removed from our HTML before comparing; links are tested on their own.

Cases: first cites, subsequent with "(n N)", ibid, ibid with locator, ibid with the same
locator, several sources in one note, prefix and suffix, near-note (NEAR_NOTE_CSL), the same
source twice in one note, author-date (APA, with year suffixes 2023a/2023b), disambiguation
by title (OSCOLA's three UNSC reports), bibliographies sorted by the style, "——" for a
repeated author (OSCOLA).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cite_fixtures import cite, issue8_notes, issue8_refs, make_issue

# One note per entry; each note holds one cluster (a list of cites).
SCENARIO: list[list[list[dict[str, str]]]] = [
    [
        [
            {
                "id": "brett-2003-adolescents-volunteering",
                "locator": "860-862",
                "label": "page",
            }
        ]
    ],
    [
        [
            {
                "id": "brett-2003-adolescents-volunteering",
                "locator": "860-862",
                "label": "page",
            }
        ]
    ],
    [
        [
            {
                "id": "brett-2003-adolescents-volunteering",
                "locator": "861",
                "label": "page",
            }
        ]
    ],
    [[{"id": "hrw-2022-economic-causes", "prefix": "see", "suffix": "on the economy"}]],
    [
        [
            {"id": "unsc-2023-caac-afghanistan", "locator": "25", "label": "paragraph"},
            {"id": "brett-2003-adolescents-volunteering"},
        ]
    ],
    [[{"id": "unsc-2023-caac-afghanistan", "locator": "25", "label": "paragraph"}]],
    [
        [
            {"id": "crc-1989", "locator": "38(3)", "label": "article-locator"},
            {"id": "crc-1989", "locator": "4", "label": "article-locator"},
        ]
    ],
    [[{"id": "henckaerts-2005-customary-ihl", "locator": "482-485", "label": "page"}]],
    [[{"id": "icrc-2013-children-associated"}]],
    [[{"id": "henckaerts-2005-customary-ihl"}]],
    [[{"id": "unsc-2023-speakers-weigh-engagement-taliban"}]],
    [[{"id": "unsc-2022-unintended-impact-sanctions"}]],
    [[{"id": "unsc-2023-caac-afghanistan", "locator": "56", "label": "paragraph"}]],
]

NEAR_NOTE_CSL = """\
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><id>near-note-test</id><title>near-note test</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation near-note-distance="2">
    <layout suffix="." delimiter="; ">
      <choose>
        <if position="ibid"><text term="ibid"/></if>
        <else-if position="near-note"><names variable="author"><name form="short"/></names><text value="near" prefix=" "/></else-if>
        <else-if position="subsequent"><names variable="author"><name form="short"/></names><text variable="first-reference-note-number" prefix=" (n " suffix=")"/></else-if>
        <else><names variable="author"/><text variable="title" prefix=", " font-style="italic"/></else>
      </choose>
    </layout>
  </citation>
</style>
"""

EXPECTED: dict[str, dict[str, list[str]]] = {
    "oscola": {
        "notes": [
            ("R Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’ (2003) 85 International Review of the Red Cross 852, 860–862."),
            "ibid.",
            "ibid 861.",
            (
                "see Human Rights Watch, ‘Economic Causes of Afghanistan’s Humanitarian Crisis’ "
                "(<i>HRW</i>, 4 August 2022) "
                "&#60;https://www.hrw.org/news/2022/08/04/economic-causes-afghanistans-humanitarian-crisis&#62; "
                "accessed 1 June 2024 on the economy."
            ),
            ("UNSC, ‘Children and Armed Conflict in Afghanistan - Report of the Secretary-General’ (2023) UN Doc S/2023/893 para 25; Brett (n 1)."),
            ("UNSC, ‘Children and Armed Conflict in Afghanistan - Report of the Secretary-General’ (n 5) para 25."),
            "<i>Convention on the Rights of the Child</i> (20 November 1989) 3 art 38(3); ibid 4.",
            ("JM Henckaerts and L Doswald-Beck, <i>Customary International Humanitarian Law: Volume I: Rules</i> (Cambridge University Press 2005) 482–485."),
            "ICRC, ‘Children Associated with Armed Forces or Armed Groups’ (ICRC 2013).",
            "Henckaerts and Doswald-Beck (n 8).",
            (
                "UNSC, ‘Speakers Weigh Prospects for Engagement with Taliban in Afghanistan amid "
                "Ongoing Concern over Harsh Repression of Women’s Rights’ (2023) "
                "&#60;https://press.un.org/en/2023/sc15541.doc.htm&#62; accessed 15 June 2024."
            ),
            (
                "UNSC, ‘Concerned by Unintended Negative Impact of Sanctions, Speakers in Security "
                "Council Urge Action to Better Protect Civilians, Ensure Humanitarian Needs Are Met’ "
                "(2022) &#60;https://press.un.org/en/2022/sc14788.doc.htm&#62; accessed 15 June 2024."
            ),
            ("UNSC, ‘Children and Armed Conflict in Afghanistan - Report of the Secretary-General’ (n 5) para 56."),
        ],
        "bibliography": [
            ("Brett R, ‘Adolescents Volunteering for Armed Forces or Armed Groups’ (2003) 85 International Review of the Red Cross 852"),
            ("Henckaerts J-M and Doswald-Beck L, <i>Customary International Humanitarian Law: Volume I: Rules</i> (Cambridge University Press 2005)"),
            (
                "Human Rights Watch, ‘Economic Causes of Afghanistan’s Humanitarian Crisis’ "
                "(<i>HRW</i>, 4 August 2022) "
                "&#60;https://www.hrw.org/news/2022/08/04/economic-causes-afghanistans-humanitarian-crisis&#62; "
                "accessed 1 June 2024"
            ),
            "ICRC, ‘Children Associated with Armed Forces or Armed Groups’ (ICRC 2013)",
            (
                "UNSC, ‘Concerned by Unintended Negative Impact of Sanctions, Speakers in "
                "Security Council Urge Action to Better Protect Civilians, Ensure Humanitarian "
                "Needs Are Met’ (2022) &#60;https://press.un.org/en/2022/sc14788.doc.htm&#62; "
                "accessed 15 June 2024"
            ),
            (
                "——, ‘Speakers Weigh Prospects for Engagement with Taliban in Afghanistan amid "
                "Ongoing Concern over Harsh Repression of Women’s Rights’ (2023) "
                "&#60;https://press.un.org/en/2023/sc15541.doc.htm&#62; accessed 15 June 2024"
            ),
            ("——, ‘Children and Armed Conflict in Afghanistan - Report of the Secretary-General’ (2023) UN Doc S/2023/893"),
            "<i>Convention on the Rights of the Child</i> (20 November 1989) 3",
        ],
    },
    "chicago-notes-bibliography": {
        "notes": [
            ("R. Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’, <i>International Review of the Red Cross</i> 85 (2003): 860–62."),
            ("Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’, 860–62."),
            ("Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’, 861."),
            (
                "see Human Rights Watch, ‘Economic Causes of Afghanistan’s "
                "Humanitarian Crisis’, HRW, 4 August 2022, "
                "https://www.hrw.org/news/2022/08/04/economic-causes-afghanistans-humanitarian-crisis "
                "on the economy."
            ),
            (
                "UNSC, <i>Children and Armed Conflict in Afghanistan - Report of "
                "the Secretary-General</i>, UN Doc S/2023/893 (2023), para. 25; "
                "Brett, ‘Adolescents Volunteering for Armed Forces or Armed "
                "Groups’."
            ),
            ("UNSC, <i>Children and Armed Conflict in Afghanistan - Report of the Secretary-General</i>, para. 25."),
            ("Convention on the Rights of the Child, 20 November 1989, 1577 UNTS 3, art. 38(3); CRC, art. 4."),
            (
                "J. M. Henckaerts and L. Doswald-Beck, <i>Customary International "
                "Humanitarian Law: Volume I: Rules</i> (Cambridge University "
                "Press, 2005), 482–85."
            ),
            ("ICRC, <i>Children Associated with Armed Forces or Armed Groups</i> (ICRC, 2013)."),
            ("Henckaerts and Doswald-Beck, <i>Customary International Humanitarian Law: Volume I: Rules</i>."),
            (
                "UNSC, ‘Speakers Weigh Prospects for Engagement with Taliban in "
                "Afghanistan amid Ongoing Concern over Harsh Repression of Women’s "
                "Rights’, 2023, https://press.un.org/en/2023/sc15541.doc.htm."
            ),
            (
                "UNSC, ‘Concerned by Unintended Negative Impact of Sanctions, "
                "Speakers in Security Council Urge Action to Better Protect "
                "Civilians, Ensure Humanitarian Needs Are Met’, 2022, "
                "https://press.un.org/en/2022/sc14788.doc.htm."
            ),
            ("UNSC, <i>Children and Armed Conflict in Afghanistan - Report of the Secretary-General</i>, para. 56."),
        ],
        "bibliography": [
            ("Brett, R. ‘Adolescents Volunteering for Armed Forces or Armed Groups’. <i>International Review of the Red Cross</i> 85 (2003): 852."),
            ("Convention on the Rights of the Child, 20 November 1989, 1577 UNTS 3."),
            ("Henckaerts, J. M., and L. Doswald-Beck. <i>Customary International Humanitarian Law: Volume I: Rules</i>. Cambridge University Press, 2005."),
            (
                "Human Rights Watch. ‘Economic Causes of Afghanistan’s "
                "Humanitarian Crisis’. HRW, 4 August 2022. "
                "https://www.hrw.org/news/2022/08/04/economic-causes-afghanistans-humanitarian-crisis."
            ),
            ("ICRC. <i>Children Associated with Armed Forces or Armed Groups</i>. ICRC, 2013."),
            ("UNSC. <i>Children and Armed Conflict in Afghanistan - Report of the Secretary-General</i>. UN Doc S/2023/893. 2023."),
            (
                "UNSC. ‘Concerned by Unintended Negative Impact of "
                "Sanctions, Speakers in Security Council Urge Action to "
                "Better Protect Civilians, Ensure Humanitarian Needs Are "
                "Met’. 2022. https://press.un.org/en/2022/sc14788.doc.htm."
            ),
            (
                "UNSC. ‘Speakers Weigh Prospects for Engagement with "
                "Taliban in Afghanistan amid Ongoing Concern over Harsh "
                "Repression of Women’s Rights’. 2023. "
                "https://press.un.org/en/2023/sc15541.doc.htm."
            ),
        ],
    },
    "apa": {
        "notes": [
            "(Brett, 2003, pp. 860–862)",
            "(Brett, 2003, pp. 860–862)",
            "(Brett, 2003, p. 861)",
            "(see Human Rights Watch, 2022 on the economy)",
            "(Brett, 2003; UNSC, 2023a, para. 25)",
            "(UNSC, 2023a, para. 25)",
            "(CRC, 1989, Article 38(3); CRC, 1989, Article 4)",
            "(Henckaerts &#38; Doswald-Beck, 2005, pp. 482–485)",
            "(ICRC, 2013)",
            "(Henckaerts &#38; Doswald-Beck, 2005)",
            "(UNSC, 2023b)",
            "(UNSC, 2022)",
            "(UNSC, 2023a, para. 56)",
        ],
        "bibliography": [
            ("Brett, R. (2003). Adolescents Volunteering for Armed Forces or Armed Groups. <i>International Review of the Red Cross</i>, <i>85</i>, 852."),
            "Convention on the Rights of the Child, 20 November 1989, 1577 UNTS 3.",
            ("Henckaerts, J.-M., &#38; Doswald-Beck, L. (2005). <i>Customary International Humanitarian Law: Volume I: Rules</i>. Cambridge University Press."),
            (
                "Human Rights Watch. (2022, August 4). <i>Economic Causes of Afghanistan’s "
                "Humanitarian Crisis</i>. HRW. "
                "https://www.hrw.org/news/2022/08/04/economic-causes-afghanistans-humanitarian-crisis"
            ),
            "ICRC. (2013). <i>Children Associated with Armed Forces or Armed Groups</i>. ICRC.",
            (
                "UNSC. (2022). <i>Concerned by Unintended Negative Impact of Sanctions, Speakers "
                "in Security Council Urge Action to Better Protect Civilians, Ensure Humanitarian "
                "Needs Are Met</i>. https://press.un.org/en/2022/sc14788.doc.htm"
            ),
            ("UNSC. (2023a). <i>Children and armed conflict in Afghanistan - Report of the Secretary-General</i> (UN Doc S/2023/893)."),
            (
                "UNSC. (2023b). <i>Speakers Weigh Prospects for Engagement with Taliban in "
                "Afghanistan amid Ongoing Concern over Harsh Repression of Women’s Rights</i>. "
                "https://press.un.org/en/2023/sc15541.doc.htm"
            ),
        ],
    },
    "oscola-article-1": {
        "notes": [
            (
                "<i>Protocol Additional to the Geneva Conventions of 12 August 1949, and "
                "Relating to the Protection of Victims of International Armed Conflicts</i> "
                "(8 June 1977) 3 art 77(2); <i>Protocol Additional to the Geneva Conventions "
                "of 12 August 1949, and Relating to the Protection of Victims of "
                "Non-International Armed Conflicts</i> (12 December 1977) 609 art 4(3)(c); "
                "<i>Convention on the Rights of the Child</i> (20 November 1989) 3 art "
                "38(3); <i>Optional Protocol to the Convention on the Rights of the Child on "
                "the Involvement of Children in Armed Conflict</i> (25 May 2000) art 2."
            ),
            "<i>The Prosecutor v Thomas Lubanga Dyilo</i> [2007].",
            (
                "<i>Prosecutor v Sam Hinga Norman</i> [2004] [17–20]; JM Henckaerts and L "
                "Doswald-Beck, <i>Customary International Humanitarian Law: Volume I: "
                "Rules</i> (Cambridge University Press 2005) 482–485; UN Office of the "
                "Special Representative of the Secretary-General for Children Affected by "
                "Armed Conflict, ‘Working Paper No. 1, The Six Grave Violations Against "
                "Children During Armed Conflict: The Legal Foundation’ (SRSG/CAAC 2009) 7–8; "
                "UN Office of the Special Representative of the Secretary-General for "
                "Children Affected by Armed Conflict, ‘Working Paper No. 1, The Six Grave "
                "Violations Against Children During Armed Conflict: The Legal Foundation "
                "(Updated)’ (SRSG/CAAC 2013) 11."
            ),
            ("UNSC, ‘Children and Armed Conflict in Afghanistan - Report of the Secretary-General’ (2023) UN Doc S/2023/893 para 25."),
            ("UNGA-UNSC, ‘Children and Armed Conflict- Report of the Secretary-General’ (2024) UN Doc A/78/842-S/2024/384 para 16."),
            ("European Union Agency for Asylum, ‘Country Guidance: Afghanistan Common Analysis and Guidance Note’ (EUAA 2022) 98."),
            "UNSC (n 5) para 56.",
            (
                "ibid 68; A Lignier, ‘Afghanistan: A Dire Situation for Children Due to a "
                "Lack of Access to Basic Services and Increased Vulnerabilities’ "
                "(<i>SRSG/CAAC</i>, 22 December 2023) "
                "&#60;https://childrenandarmedconflict.un.org/2023/12/afghanistan-a-dire-situation-for-children-due-to-a-lack-of-access-to-basic-services-and-increased-vulnerabilities/&#62; "
                "accessed 1 June 2024."
            ),
            (
                "Human Rights Watch, ‘Economic Causes of Afghanistan’s Humanitarian Crisis’ "
                "(<i>HRW</i>, 4 August 2022) "
                "&#60;https://www.hrw.org/news/2022/08/04/economic-causes-afghanistans-humanitarian-crisis&#62; "
                "accessed 1 June 2024."
            ),
            ("UN Office for the Coordination of Humanitarian Affairs, ‘Afghanistan Humanitarian Needs and Response Plan 2024’ (OCHA 2023) 49."),
            (
                "UNDP, ‘Approximately 85 Percent of Afghans Live on Less than One Dollar a "
                "Day’ (<i>UNDP</i>, 10 January 2024) "
                "&#60;https://www.undp.org/stories/approximately-85-percent-afghans-live-less-one-dollar-day#:~:text=%22Approximately%2085%20percent%20of%20Afghans,%22%20%7C%20United%20Nations%20Development%20Programme&#62; "
                "accessed 1 June 2024."
            ),
            ("R Brett, ‘Adolescents Volunteering for Armed Forces or Armed Groups’ (2003) 85 International Review of the Red Cross 852, 860–862."),
            ("ICRC, ‘Children Associated with Armed Forces or Armed Groups’ (ICRC 2013) 1–3."),
            "Brett (n 13).",
            (
                "GM Qanat, ‘Recruitment and Use of Child Soldiers in Afghanistan: Cultural "
                "Traits as Pivotal Factor’ (2021) 5 Journal of Islamic World and Politics "
                "252, 257."
            ),
            ("R Brett and I Specht, <i>Young Soldiers, Why They Choose to Fight</i> (1st edn, Lynne Rienne 2004) 11."),
            (
                "Human Rights Watch, ‘Afghanistan: Taliban Child Soldier Recruitment Surges’ "
                "(<i>HRW</i>, 17 February 2016) "
                "&#60;https://www.hrw.org/news/2016/02/18/afghanistan-taliban-child-soldier-recruitment-surges&#62; "
                "accessed 2 June 2024."
            ),
            "Brett and Specht (n 17) 128–129.",
            (
                "A Giustozzi, ‘The Islamic State in Khorasan between Taliban "
                "Counter-Terrorism and Resurgence Prospects’ (<i>International Centre for "
                "Counter-Terrorism</i>, 20 January 2024) "
                "&#60;https://www.icct.nl/publication/islamic-state-khorasan-between-taliban-counter-terrorism-and-resurgence-prospects&#62; "
                "accessed 2 June 2024."
            ),
            ("N Rahim and M Mashal, ‘Afghan Army Recruitment Dwindles as Taliban Threaten Families’ <i>New York Times</i> (18 November 2017)."),
            "Human Rights Watch (n 18).",
            "UNSC Res 2160 2014; UNSC Res 2210 2015 para 15.",
            "Brett (n 13) 861.",
            (
                "ILO, ‘Children Formerly Associated with Armed Forces and Groups “How-to” "
                "Guide on Economic Reintegration’ (2010) 27–40 (speaks of former child "
                "soldiers, but still relevant in their understanding of target "
                "demographics)."
            ),
        ]
    },
    "near-note.csl": {
        "notes": [
            "R Brett, <i>Adolescents Volunteering for Armed Forces or Armed Groups</i>.",
            "Ibid.",
            "Ibid.",
            ("see Human Rights Watch, <i>Economic Causes of Afghanistan’s Humanitarian Crisis</i> on the economy."),
            ("UNSC, <i>Children and armed conflict in Afghanistan - Report of the Secretary-General</i>; Brett near."),
            "UNSC near.",
            ", <i>Convention on the Rights of the Child</i>; ibid.",
            ("J-M Henckaerts, L Doswald-Beck, <i>Customary International Humanitarian Law: Volume I: Rules</i>."),
            "ICRC, <i>Children Associated with Armed Forces or Armed Groups</i>.",
            "Henckaerts, Doswald-Beck near.",
            ("UNSC, <i>Speakers Weigh Prospects for Engagement with Taliban in Afghanistan amid Ongoing Concern over Harsh Repression of Women’s Rights</i>."),
            (
                "UNSC, <i>Concerned by Unintended Negative Impact of Sanctions, Speakers in "
                "Security Council Urge Action to Better Protect Civilians, Ensure Humanitarian "
                "Needs Are Met</i>."
            ),
            "UNSC (n 5).",
        ],
        "bibliography": [],
    },
}

_LINK = re.compile(r'<a href="[^"]*">(.*?)</a>')


def _unlinked(html: str) -> str:
    """Links as their text, without the break points and word joiners we add to printed addresses."""
    return _LINK.sub(r"\1", html).replace("<wbr>", "").replace("\u2060", "")


def _scenario_items() -> list[dict[str, Any]]:
    used = {c["id"] for note in SCENARIO for cluster in note for c in cluster}
    return [item for item in issue8_refs() if item["id"] in used]


@pytest.mark.parametrize("style", ["oscola", "chicago-notes-bibliography", "apa", "near-note.csl"])
def test_notes_and_bibliography_match_citeproc_js(style: str, tmp_path: Path) -> None:
    if style.endswith(".csl"):
        (tmp_path / style).write_text(NEAR_NOTE_CSL, encoding="utf-8")
        style = str(tmp_path / style)
    issue = make_issue(_scenario_items(), [SCENARIO], style=style, bibliography="article")
    out, diags = cite(issue)
    assert diags == []
    expected = EXPECTED[Path(style).name]
    assert [_unlinked(n.html) for n in out.articles[0].notes] == expected["notes"]
    assert [_unlinked(e) for e in out.articles[0].bibliography] == expected["bibliography"]


def test_oscola_article_1_matches_citeproc_js() -> None:
    """The first 25 notes of Issue 8's article 1: full forms, "(n 13)", ibid 68, a prose note."""
    notes = issue8_notes(1)[:25]
    out, _diags = cite(make_issue(issue8_refs(), [notes]))
    cited = [_unlinked(n.html) for n in out.articles[0].notes if n.clusters]
    assert cited == EXPECTED["oscola-article-1"]["notes"]
    prose = out.articles[0].notes[3]
    assert not prose.clusters and prose.html.startswith("Afghanistan signed and ratified the CRC")

"""Build the Workshop 1 lesson notebooks (curriculum/w1/*.ipynb) from the text below.

The lesson text lives here, as plain strings, so a change reads well in `git diff`; the
.ipynb files are generated, committed without outputs, and a test checks they match.

    .venv/bin/python curriculum/build_lessons.py          # rewrite the notebooks
    .venv/bin/python curriculum/build_lessons.py --check  # exit 1 if they are out of date

Style: plain English for readers of English as a second language; short sentences;
every identifier synthetic (reserved .example domains, TEST-NET IPs, unallocated phone
prefixes); no sexual content, no minors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

OUT = Path(__file__).parent / "w1"

Cell = tuple[str, str]  # ("md" | "code", source)


def md(text: str) -> Cell:
    return ("md", text.strip())


def code(text: str) -> Cell:
    return ("code", text.strip())


def try_it(exercise_id: str, blank: str, hint: str) -> list[Cell]:
    """A "Try it" block: show the task, an answer cell to edit, a self-check cell."""
    return [
        code(f'ex = exercise("{exercise_id}")\nprint(ex.show())'),
        md(f"Write your answer in the next cell, then run it. {hint}"),
        code(f"my_answer = {blank}"),
        code("ex.check(my_answer)"),
    ]


def recap(points: list[str], checklist: list[str]) -> list[Cell]:
    return [
        md("## Recap\n\n" + "\n".join(f"- {p}" for p in points)),
        md(
            "## Checklist to keep\n\nCopy this list into your notebook or print it.\n\n"
            + "\n".join(f"- [ ] {c}" for c in checklist)
        ),
    ]


START = code("from coursekit import exercise  # the self-check exercises of this lesson")

SETUP = code(
    """
from coursekit import practice_case
from sandbox import open_case

sb = open_case(practice_case("MN", "scam-compound-recruitment"))  # the case is built once, then reused
case = sb.case
print(case.manifest["scenario"]["title"])
"""
)

# ---------------------------------------------------------------- lesson 1

LESSON_1: list[Cell] = [
    md(
        """
# Lesson 1. How traffickers and smugglers use the internet

**Time:** about 40 minutes. **Workshop 1, day 1.**

## What you will learn

After this lesson you can:

1. Explain the difference between trafficking in persons and migrant smuggling.
2. Describe how criminals use job adverts, social media, messengers and payments.
3. Describe the scam-compound recruitment pattern in our region.
4. Find red flags in a job advert and signs of a smuggling service.
5. Name the ILO indicators of forced labour.

**How to use this notebook:** read a section, then run each grey code cell with
**Shift + Enter**. In a "Try it" exercise you write an answer and a check cell tells you
how you did. The exercises are not graded.

Everything in this course is **synthetic** (made up). Names, accounts, web sites and phone
numbers are invented and safe. Do not search for them on the real internet.
"""
    ),
    START,
    md(
        """
## 1. Two different crimes

**Migrant smuggling** is helping a person cross a border illegally, for money. The person
agrees. The crime is against the state's border.

**Trafficking in persons** has three parts:

- an **act**: recruiting, moving, hiding or receiving a person;
- a **means**: force, threats, deception, abuse of a vulnerable situation, debt;
- a **purpose**: exploitation, for example forced labour or forced criminal work.

The crime is against the person. Consent does not matter when deception or force is used.

The two crimes can **overlap**: a smuggled person can become a trafficking victim when a
"debt" and kept documents force them to work.
"""
    ),
    *try_it("w1-crime-type", "{}", 'Example: `{"C1": "smuggling", "C2": "trafficking"}`'),
    md(
        """
## 2. How criminals use the internet

The internet helps criminals at every step:

| Step | What you see online |
|---|---|
| Recruit | job adverts on job boards, posts in social-media groups, "agents" who comment under posts |
| Talk | the contact moves quickly to a private **messenger** chat |
| Travel | instructions, tickets, "visa help", pick-up at the airport |
| Pay | fees, "debts" and ransoms through **mobile money**, bank transfers or cryptocurrency |
| Control | threats and demands by messenger; new accounts when old ones are blocked |

Every step leaves traces: adverts, usernames, phone numbers, wallet numbers, photos.
These traces are what you will learn to find.
"""
    ),
    md(
        """
## 3. The scam-compound pattern

Since about 2021, criminal groups in South-East Asia run **scam compounds**: closed
buildings where people are forced to cheat strangers online (fake investments, fake love).
The UN human rights office (OHCHR, 2023) estimated that at least **120,000** people in
Myanmar and about **100,000** in Cambodia were held in scam operations.

The usual story:

1. A job seeker sees an advert for a **"customer service"**, "typing" or "translator" job
   in Thailand, with high pay. The job seeker may be in Ulaanbaatar, in Dhaka, or anywhere
   in the region.
2. A friendly "manager" moves the chat to a messenger, pays the ticket and says:
   *"travel as a tourist"*.
3. At the airport a driver picks the person up and takes them by car across a border.
4. In the compound the passport and phone are taken. Shifts are 15-18 hours with quotas,
   fines and a growing "debt". Some people are sold to another compound. Families are
   asked to pay a ransom.

The people in the compound are **victims**, even when they were forced to scam others.
"""
    ),
    md(
        """
## 4. Look at the practice case

This course has an offline "internet" with an invented case. Run the next cell. It builds
the practice case the first time (this takes a few seconds) and prints its title.
"""
    ),
    SETUP,
    md("The case has its own invented platforms. Each one uses a safe `.example` web address."),
    code(
        """
import pandas as pd

pd.DataFrame(case.manifest["platforms"])
"""
    ),
    md(
        """
Now search the offline internet for job adverts that offer "customer service" work.
You will learn the search operators in Lesson 4; for now, just run the cell.
"""
    ),
    code(
        """
sb.search('"customer service"')
"""
    ),
    md(
        """
Read two or three of the results. Which ones look like the pattern above? Which look like
a normal job? Keep your answer in mind for the next section.

**Try it:** change the words in quotes to another phrase from the pattern, for example
`"tourist visa"` or `"typing"`, and run the cell again. How many results do you get?
"""
    ),
    code("""sb.search('"tourist visa"')"""),
    md(
        """
## 5. Red flags in job adverts

Red flags for scam-compound recruitment:

- a generic office role: "customer service", "typing job", "data encoder", "translator";
- pay far above the local market, in USD, plus commission or a bonus;
- "no experience needed", but the applicant must know some English and use a computer;
- everything paid: ticket, visa, hotel, food;
- the employer has no name; the place is only a country ("Thailand");
- contact moves to a private messenger; the recruiter's account is new;
- travel instructions that avoid checks: "travel as a tourist", "do not talk about work
  at immigration".

**A legitimate job** usually has: a named employer with a registration, a licensed agency
with a licence number, normal pay, a work visa, a contract before departure, and **no fees**
for the worker. One red flag alone (for example a high salary for a specialist) is not
proof. Look for several.
"""
    ),
    *try_it("w1-red-flags", "[]", 'Example: `["F1", "F3"]`'),
    md(
        """
### Smuggling adverts

Smuggling services also advertise online, often as travel agencies or "visa help":

- a route and a price list, per person; a deposit now and the rest on arrival;
- "guaranteed" arrival;
- passports, visas or work permits "arranged" outside official channels;
- a departure date and an assembly point;
- payment through a mobile-money wallet, informal remittance or a third person;
- contact numbers and accounts that change often, and a move to encrypted messengers.

Remember the overlap: a smuggling "debt" can turn into forced labour.
"""
    ),
    *try_it("w1-smuggling-ad", "[]", 'Example: `["S1", "S2"]`'),
    md(
        """
## 6. ILO indicators of forced labour

The International Labour Organization lists 11 indicators:

1. abuse of vulnerability
2. deception
3. restriction of movement
4. isolation
5. physical and sexual violence
6. intimidation and threats
7. retention of identity documents
8. withholding of wages
9. debt bondage
10. abusive working and living conditions
11. excessive overtime

Usually several indicators appear together. Indicators from the exploitation phase (kept
passports, debts, threats) are stronger than indicators in an advert. Traffickers also
change their adverts when they learn what police look for.
"""
    ),
    *try_it("w1-indicators", '""', 'Example: `"B"`'),
    *recap(
        [
            "Smuggling: illegal border crossing, with consent. Trafficking: act + means + purpose of exploitation.",
            "Criminals use job adverts, social media, messengers and mobile money at every step.",
            'Scam compounds recruit with fake "customer service" jobs and then hold people by force and debt.',
            "Smuggling adverts sell a route, a price per person, documents and a departure date.",
            "Several red flags together matter more than one. Exploitation-phase indicators are the strongest.",
        ],
        [
            "Is there an act, a means and a purpose of exploitation? (trafficking)",
            "Is there a paid, illegal border crossing? (smuggling)",
            "Does the advert name the employer, the agency licence and the place of work?",
            "Is the pay realistic? Are there fees or a 'debt' for the worker?",
            "Does the contact move to a private messenger?",
            "Are there travel instructions that avoid immigration checks?",
            "Is a route, a price per person or a document service offered? (smuggling)",
            "Which wallet, account or phone receives the money? Write it down.",
            "Which of the 11 ILO indicators do the messages show?",
        ],
    ),
]

# ---------------------------------------------------------------- lesson 2

LESSON_2: list[Cell] = [
    md(
        """
# Lesson 2. Law, ethics and data protection

**Time:** about 35 minutes. **Workshop 1, day 1.**

## What you will learn

After this lesson you can:

1. Name the six phases of an online investigation (Berkeley Protocol).
2. Tell passive collection from active collection.
3. Say when you need authorisation before you act.
4. Apply necessity, proportionality and data minimisation.
5. Respect the rights of victims in an online investigation.

Run each code cell with **Shift + Enter**. The exercises are not graded.
"""
    ),
    START,
    SETUP,
    md(
        """
## 1. The phases of an online investigation

The **Berkeley Protocol on Digital Open Source Investigations** (UN human rights office and
UC Berkeley, 2022) describes six phases:

1. **Online inquiry**: search and find material.
2. **Preliminary assessment**: is it relevant? Is it safe and lawful to collect?
3. **Collection**: capture it. For court, keep at least the URL, the HTML source and a
   full-page screenshot with the date and time.
4. **Preservation**: compute a hash of each file, keep the original format, and keep a
   chain-of-custody record (who held it, when, what was done). Keep the evidence copy apart
   from your working copy.
5. **Verification**: is it what it claims to be? Check sources, photos, dates.
6. **Investigative analysis**: connect the facts and draw findings.

Before the first phase comes **preparation**: know the legal framework, plan your digital
security, and write an online investigation plan.
"""
    ),
    *try_it("w1-phases", "{}", 'Example: `{"H1": "inquiry", "H2": "assessment"}`'),
    md(
        """
## 2. Passive and active collection

**Passive**: you look at public material and record it. You do not interact with anyone.
The suspect cannot see you. Searching, reading public pages, and looking at web archives
are passive.

**Active**: you interact. You send a message, follow, like, comment, join a closed group,
or reply to an advert. The suspect, or the platform, can see you.

The search engine in this course is passive: it only reads. But it still keeps a record of
every query. Good practice is to keep the same record yourself (Lesson 4).
"""
    ),
    code(
        """
import pandas as pd

sb.search("visa")
sb.search("passport")
pd.DataFrame(sb.engine.log)  # every query, with its UTC time and the number of results
"""
    ),
    *try_it("w1-passive-active", "{}", 'Example: `{"P1": "passive", "P2": "active"}`'),
    md(
        """
## 3. When do you need authorisation?

Active collection often means contact with a suspect under a false identity. In most
countries this needs **written authorisation** (from a supervisor, a prosecutor or a
court, depending on the law). Watching one person closely over a long time (for example
every day for months) can also need authorisation, even when it is passive. The rules
differ between countries, so:

- know your national law and your agency's policy before you start;
- ask **before** you act, not after;
- write down the decision: who authorised what, when, and for how long.

Evidence collected without the needed authorisation may be refused in court, and it can
put people at risk.
"""
    ),
    *try_it("w1-authorisation", '""', 'Example: `"A"`'),
    md(
        """
## 4. Necessity, proportionality, data minimisation

Human rights law protects everyone's privacy, also suspects and people who are not part of
the case. Ask three questions before you collect:

- **Necessity**: do I need this for the case? Is there a less intrusive way?
- **Proportionality**: is the intrusion in balance with the seriousness of the crime?
- **Data minimisation**: collect only what the case needs. Do not collect something just
  because it is there.

Keep personal data secure, use it only for the case, and delete it when the law says so.
"""
    ),
    *try_it("w1-minimisation", "[]", 'Example: `["M1"]`'),
    md(
        """
## 5. Victims' rights

A victim-centred investigation puts the safety and dignity of victims first:

- **Do no harm.** Never contact a victim online without a plan for their safety. A
  trafficker may read their messages.
- **Protect identity.** Do not share victims' names, faces or chats beyond the people who
  need them.
- **Non-punishment.** People forced to commit crimes, for example forced to run online
  scams in a compound, should not be punished for those crimes.
- **Consent and information.** Explain to victims and families what you do with their
  material.
- **Take care of yourself.** Distressing material affects investigators too. Take breaks
  and talk to your supervisor.
"""
    ),
    *recap(
        [
            "Six phases: inquiry, assessment, collection, preservation, verification, analysis.",
            "Passive: look and record. Active: interact. Active usually needs authorisation.",
            "Necessity, proportionality, data minimisation: collect only what the case needs.",
            "Victims first: do no harm, protect identity, non-punishment.",
        ],
        [
            "I know the law and the policy that apply to this investigation.",
            "I have a written plan and, for active steps, a written authorisation.",
            "Every item I collect is needed and proportionate.",
            "I record URL, source, screenshot, date and time, and a hash for each item.",
            "My evidence copy is kept apart from my working copy.",
            "I protect victims' identity and do not contact them without a safety plan.",
        ],
    ),
]

# ---------------------------------------------------------------- lesson 3

LESSON_3: list[Cell] = [
    md(
        """
# Lesson 3. Protecting yourself and the case

**Time:** about 30 minutes. **Workshop 1, day 1.**

## What you will learn

After this lesson you can:

1. Explain **attribution**: how a web site can learn who you are.
2. List what can leak an investigator's identity.
3. Describe a separated research environment.
4. Plan a research persona ("sock puppet") and keep a record of its use.

Run each code cell with **Shift + Enter**. The exercises are not graded.
"""
    ),
    START,
    md(
        """
## 1. Attribution: what a web site sees

Each time you open a page, the site can record:

- your **IP address** (it can point to a police or government network);
- your **browser and device** (a "fingerprint"), your language and your time zone;
- **cookies** and logins: who you are on other sites;
- **links between accounts**: the same phone number, e-mail or friends;
- your **behaviour**: at what hours you are online, what you look at.

Some platforms also tell account owners **who viewed their profile**. Messengers show
**read receipts**. A link a suspect sends you can record your IP address when you click it.
A photo you upload can carry **metadata** (camera, time, GPS position).
"""
    ),
    md(
        """
## 2. A separated research environment

Keep your research apart from your private life and from the agency's normal network:

- a **dedicated device** or a virtual machine, used only for research;
- a **separate internet connection** that does not point to your agency;
- a **separate browser profile** with no personal logins;
- research accounts with their **own e-mail and phone number**;
- your agency's **approval** for the set-up, and a record of how it is used.

This course runs on an offline copy of the internet. Every web address ends in `.example`
(reserved for examples), every IP address is from a documentation range such as
`203.0.113.x`, and phone numbers use prefixes that no operator has been given. Nothing you
do here reaches the real internet. Run the next cell to see some accounts from the case.
"""
    ),
    SETUP,
    code(
        """
import pandas as pd

accounts = pd.DataFrame(a.to_dict() for a in case.accounts)
accounts[accounts["phone"].notna()][["username", "url", "phone"]].head(5)
"""
    ),
    md(
        """
## 3. Research personas ("sock puppets")

A **research persona** is an online identity that is not you. It lets you look at
closed spaces without exposing yourself. Good practice:

- write a **legend**: name, age, town, interests; keep it the same every time;
- use a **generated photo** of nobody real, never a real person's photo;
- give it its **own e-mail and phone**, never your own;
- let it build a normal **history** before you need it;
- one persona per case or purpose, so one exposure does not expose everything;
- keep a **persona log**: every login and action, with date and time (UTC);
- remember: using a persona to **interact** is active collection and usually needs
  authorisation (Lesson 2).
"""
    ),
    *try_it("w1-persona", "{}", 'Example: `{"R1": "good", "R2": "bad"}`'),
    md(
        """
## 4. Spot the leaks

Now use what you learned. A colleague describes her set-up. Find every leak.
"""
    ),
    *try_it("w1-leaks", "[]", 'Example: `["L1", "L4"]`'),
    *recap(
        [
            "Sites see your IP address, browser, logins, account links and habits.",
            "Research happens in a separated environment, never on personal devices or accounts.",
            "A persona has a written legend, its own e-mail and phone, a generated photo and a log.",
            "Interacting with a persona is active collection: get authorisation first.",
        ],
        [
            "I use the research device or virtual machine, not my personal or office computer.",
            "My connection does not point to my agency.",
            "No personal account is logged in to the research browser.",
            "The persona has its own e-mail, phone, legend and generated photo.",
            "I log every persona login and action with the UTC time.",
            "I do not upload case material to public online services.",
            "I do not click links from suspects outside the research environment.",
        ],
    ),
]

# ---------------------------------------------------------------- lesson 4

LESSON_4: list[Cell] = [
    md(
        """
# Lesson 4. Search engines as investigation tools

**Time:** about 40 minutes. **Workshop 1, day 2.**

## What you will learn

After this lesson you can:

1. Use search operators: phrases, OR, exclusion, `site:`, `intitle:`, `inurl:`,
   `filetype:`, `before:` and `after:`, and wildcards.
2. Pivot: use an identifier you found (a phone number, a username) as a new search.
3. Build a query step by step: start broad, then refine.
4. Keep a search log that a colleague or a court can repeat.

Run each code cell with **Shift + Enter**. The exercises are not graded.
"""
    ),
    START,
    SETUP,
    md(
        """
## 1. A search engine and a search log

We use the course's offline search engine. `log.search(...)` runs a query **and** writes it
in your search log with the time (UTC), the number of results and **why** you ran it.
"""
    ),
    code(
        """
from coursekit.searchlog import SearchLog

engine = sb.engine
log = SearchLog()
log.search(engine, "customer service", why="Broad start: adverts for the most common lure job.")
"""
    ),
    md(
        """
## 2. The operators

**All words.** `customer service` finds pages with both words, anywhere.

**Exact phrase.** Put words in quotes: `"customer service"` finds them together, in order.
A phrase is stricter: it never finds more pages than the same words without quotes.
"""
    ),
    code("""log.search(engine, '"customer service"', why="Same words as an exact phrase.")"""),
    md(
        """
**Either word.** `OR` (in capital letters) finds pages with either word. When you mix OR
with other words, use brackets so the meaning is clear: `(Cambodia OR Myanmar) visa`.
"""
    ),
    code("""log.search(engine, "Cambodia OR Myanmar OR Thailand", why="Pages naming a destination country.")"""),
    md(
        """
**Exclude.** A minus sign removes pages with the word. No space after the minus. Here we
remove adverts that show an agency licence, a sign of a legal job. Be careful: excluding
can also hide evidence, so note in your log what you left out.
"""
    ),
    code("""log.search(engine, '"customer service" -licence', why="Triage: leave out licensed adverts.")"""),
    md(
        """
**One site.** `site:` keeps only pages of one web site. First find the job board's address
in the case.
"""
    ),
    code(
        """
jobs = next(p["domain"] for p in case.manifest["platforms"] if p["kind"] == "jobs")
print(jobs)
log.search(engine, f"site:{jobs} salary", why="Adverts on the job board that talk about salary.")
"""
    ),
    md(
        """
**In the title, URL or text.** `intitle:Thailand` needs the word in the page title;
`inurl:jobs` in the web address; `intext:` in the body text.
"""
    ),
    code("""log.search(engine, "intitle:Thailand inurl:jobs", why="Job pages that name Thailand in the title.")"""),
    md(
        """
**File type.** `filetype:pdf` (or `doc`, `html`) finds documents such as forms and contracts.
If you get 0 results, that is a result too: keep it in the log.
"""
    ),
    code("""log.search(engine, "filetype:pdf", why="Documents: contracts, visa forms, price lists.")"""),
    md(
        """
**Dates.** `after:2025-01` is on or after 1 January 2025. `before:2025-04` is before
1 April 2025. Together they give a period. The next cell limits the search to the last
year of the case.
"""
    ),
    code(
        """
period = case.manifest["period"]
print("The case runs from", period["first"][:10], "to", period["last"][:10])
year = period["last"][:4]
log.search(engine, f"visa after:{year}", why=f"Visa talk in {year}, the last year of the case.")
"""
    ),
    md(
        """
**Wildcards.** `recruit*` finds recruit, recruiter, recruitment. Inside quotes, `*` stands
for one or more words: `"work * visa"` finds "work **permit and** visa" or "work
**tourist** visa", but not "work visa" (the star needs at least one word).
"""
    ),
    code("""log.search(engine, "recruit*", why="All forms of the word recruit.")"""),
    md(
        """
**Mistakes.** If a query is wrong, the engine says what to fix. Here the closing quote is
missing. Read the message:
"""
    ),
    code("""log.search(engine, '"customer service', why="Example of a broken query.")"""),
    *try_it("w1-operators", "{}", 'Example: `{"Q1": "phrase", "Q2": "exclude"}`'),
    md(
        """
## 3. Pivoting on identifiers

A **pivot** is when one thing you found becomes your next search. A recruiter's phone
number, username or e-mail often appears in more than one place: an advert, a comment,
a profile. Each new page can give a new identifier.

Recruiters often ask applicants to write on a messenger. Search for the messenger's name
next to "Thailand", then list the phone numbers on the pages you found.
"""
    ),
    code(
        """
from coursekit import phones_in

messenger = next(p["name"] for p in case.manifest["platforms"] if p["kind"] == "messenger")
res = log.search(engine, f"{messenger} Thailand", why=f"Adverts that move the contact to {messenger}.")
found = {phone: hit.url for hit in res.hits for phone in phones_in(case.page_by_id[hit.page_id].text)}
found  # phone number -> the page where you saw it
"""
    ),
    md("Now pivot: search for the first phone number. Which other pages use it?"),
    code(
        """
phone = next(iter(found))
log.search(engine, f'"{phone}"', why=f"Pivot on the phone number {phone} from {found[phone]}.")
"""
    ),
    md(
        """
The sandbox also has lookup tools, like a platform's own search. The phone lookup in the
next cell lists the accounts that show this number on their profile. You will use these tools in
Workshop 2.
"""
    ),
    code("sb.lookup.by_phone(phone)"),
    md(
        """
Phone numbers are written in many ways (`+976 1312 4567`, `1312-4567`, `13124567`). When
you pivot on a number, try the common ways it is written. You will practise this in
Workshop 2.
"""
    ),
    md(
        """
## 4. Build a query step by step

1. **Start broad** with the words a recruiter would use: `customer service Thailand`.
2. **Read** the first results. Note new words you see ("typing", "commission").
3. **Refine**: add a phrase, exclude noise, limit to a site or a period.
4. **Log** every query and why you ran it, also the ones that found nothing.
5. **Stop** when new queries bring no new relevant pages.

### Try it: write a query

Task: find the pages on the job board (`jobs`, printed above) that contain the exact
phrase "customer service". Use `site:` and a phrase. Write your query between the quotes.
"""
    ),
    code("""my_query = ''"""),
    code(
        """
from coursekit.querycheck import check_query

check_query(engine, my_query, target=f'site:{jobs} "customer service"', must_use=("site", "phrase"))
"""
    ),
    md(
        """
## 5. Keep your search log

Here is your log for this lesson. Save it as a CSV file. In a real case the log goes
into the case file with your notes.
"""
    ),
    code(
        """
log.frame()
"""
    ),
    code(
        """
saved = log.save("lesson4-search-log.csv")
print("Saved", saved)
"""
    ),
    md(
        """
## 6. Practise freely

Use this search box to try your own queries. (Searches here go into the sandbox's own
log, not into `log` above.)
"""
    ),
    code("sb.widgets.search()"),
    *recap(
        [
            'Phrases ("..."), OR, minus, site:, intitle:, inurl:, intext:, filetype:, before:, after:, wildcards (*).',
            "Pivot: every identifier you find (phone, username, e-mail) is a new search.",
            "Start broad, read, refine, log, and stop when nothing new appears.",
            "A search log with time, query, results and reason lets others repeat your work.",
        ],
        [
            "I wrote down the question I want to answer before searching.",
            "I tried the words a recruiter would use, and their variants.",
            "I used phrases, exclusions and site: to cut noise.",
            "I limited the search to the case period with after: and before:.",
            "I pivoted on every new phone number, username and e-mail.",
            "Every query is in my log with the UTC time, the result count and the reason.",
        ],
    ),
]

# file name -> (notebook metadata, cells). `sessions` are the curriculum/map.yml sessions a
# lesson serves, so the handbook and trainers can find the notebook for a session.
LESSONS: dict[str, tuple[dict[str, object], list[Cell]]] = {
    "lesson-1-how-criminals-use-the-internet.ipynb": (
        {"lesson": "W1 Lesson 1", "sessions": ["W1.1", "W1.8"], "minutes": 40},
        LESSON_1,
    ),
    "lesson-2-law-ethics-data-protection.ipynb": (
        {"lesson": "W1 Lesson 2", "sessions": ["W1.1", "W1.2"], "minutes": 35},
        LESSON_2,
    ),
    "lesson-3-protecting-yourself-and-the-case.ipynb": (
        {"lesson": "W1 Lesson 3", "sessions": ["W1.4"], "minutes": 30},
        LESSON_3,
    ),
    "lesson-4-search-engines.ipynb": (
        {"lesson": "W1 Lesson 4", "sessions": ["W1.6"], "minutes": 40},
        LESSON_4,
    ),
}


def notebook(meta: dict[str, object], cells: list[Cell]) -> NotebookNode:
    """A notebook without outputs; cell ids are fixed so rebuilding gives the same bytes."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "osintlab": meta,
    }
    for i, (kind, source) in enumerate(cells):
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(make(source, id=f"c{i:02d}"))
    nbformat.validate(nb)
    return nb


def render(meta: dict[str, object], cells: list[Cell]) -> str:
    return nbformat.writes(notebook(meta, cells)) + "\n"


def build(out: Path = OUT) -> dict[Path, str]:
    """Path -> notebook text for every lesson."""
    return {out / fname: render(meta, cells) for fname, (meta, cells) in LESSONS.items()}


def main(argv: list[str]) -> int:
    from osintlab.fsutil import atomic_write_text

    stale = [path for path, text in build().items() if not path.is_file() or path.read_text("utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path} is out of date: run python curriculum/build_lessons.py")
        return 1 if stale else 0
    for path, text in build().items():
        atomic_write_text(path, text)
    print(f"wrote {len(LESSONS)} notebooks to {OUT} ({len(stale)} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

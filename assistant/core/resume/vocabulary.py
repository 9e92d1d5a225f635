"""Word lists the structurer relies on, kept apart so they can grow without touching the logic.

All entries are casefolded; multi-word entries are matched as whole phrases.
"""

from __future__ import annotations

from assistant.core.resume.models import SectionKind

_K = SectionKind


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Exact headings (after folding case, '&' → 'and', punctuation dropped), any capitalisation.
HEADINGS: dict[str, SectionKind] = {
    **dict.fromkeys(
        [
            "contact", "contact information", "contact info", "contact details", "personal details",
            "personal information", "personal info", "personal profile details", "personal particulars",
        ],
        _K.CONTACT,
    ),
    **dict.fromkeys(
        [
            "summary", "profile", "professional summary", "career summary", "executive summary", "about me",
            "about", "objective", "career objective", "professional profile", "personal profile",
            "personal statement", "overview", "summary of qualifications", "qualifications summary",
            "career profile", "highlights", "professional overview", "introduction",
        ],
        _K.SUMMARY,
    ),
    **dict.fromkeys(
        [
            "experience", "work experience", "professional experience", "employment", "employment history",
            "work history", "career history", "relevant experience", "related experience", "professional history",
            "employment experience", "clinical experience", "industry experience", "military experience",
            "military service", "volunteer experience", "volunteering", "volunteer work", "internships",
            "internship experience", "professional background", "positions held", "career experience",
            "work and volunteer experience", "experience and volunteering", "company details", "work details",
            "employment details", "professional details", "job details",
        ],
        _K.EXPERIENCE,
    ),
    **dict.fromkeys(
        [
            "education", "education and training", "academic background", "academic history",
            "educational background", "academic qualifications", "education and qualifications", "training",
            "relevant coursework", "coursework", "schooling", "education history", "education details",
            "educational details", "academic details", "educational qualifications", "educational qualification",
            "academic profile", "qualifications",
        ],
        _K.EDUCATION,
    ),
    **dict.fromkeys(
        [
            "skills", "technical skills", "core competencies", "competencies", "key skills", "areas of expertise",
            "expertise", "skills and abilities", "tools and technologies", "technologies", "technical proficiencies",
            "proficiencies", "skill set", "skillset", "skills summary", "programming languages", "computer skills",
            "it skills", "hard skills", "soft skills", "core skills", "professional skills", "relevant skills",
            "key competencies", "strengths", "skills and tools", "tools", "technical expertise", "skill details",
            "skills details", "technical skill set", "it proficiency", "software skills", "software proficiency",
        ],
        _K.SKILLS,
    ),
    **dict.fromkeys(
        [
            "projects", "personal projects", "selected projects", "academic projects", "key projects",
            "side projects", "portfolio", "project experience", "notable projects",
        ],
        _K.PROJECTS,
    ),
    **dict.fromkeys(
        [
            "certifications", "certificates", "certification", "licenses", "licences", "licenses and certifications",
            "licences and certifications", "certifications and licenses", "certifications and licences",
            "credentials", "professional certifications", "accreditations", "certifications and training",
            "training and certifications", "licensure", "badges",
        ],
        _K.CERTIFICATIONS,
    ),
    **dict.fromkeys(
        ["languages", "language skills", "spoken languages", "language proficiency", "foreign languages"],
        _K.LANGUAGES,
    ),
    **dict.fromkeys(
        [
            "interests", "hobbies", "hobbies and interests", "references", "awards", "honors", "honours",
            "awards and honors", "awards and honours", "achievements", "publications", "activities",
            "affiliations", "memberships", "professional affiliations", "additional information",
            "leadership", "extracurricular activities", "declaration", "areas of interest",
        ],
        _K.OTHER,
    ),
}  # fmt: skip

#: Stems for headings not listed above ("Relevant Clinical Experience"); the earliest stem in the line wins.
HEADING_STEMS: tuple[tuple[str, SectionKind], ...] = (
    ("experience", _K.EXPERIENCE), ("employment", _K.EXPERIENCE), ("work history", _K.EXPERIENCE),
    ("volunteer", _K.EXPERIENCE), ("internship", _K.EXPERIENCE),
    ("education", _K.EDUCATION), ("academic", _K.EDUCATION), ("coursework", _K.EDUCATION),
    ("skill", _K.SKILLS), ("competenc", _K.SKILLS), ("proficienc", _K.SKILLS), ("expertise", _K.SKILLS),
    ("project", _K.PROJECTS),
    ("certif", _K.CERTIFICATIONS), ("licen", _K.CERTIFICATIONS), ("accreditation", _K.CERTIFICATIONS),
    ("language", _K.LANGUAGES),
    ("summary", _K.SUMMARY), ("profile", _K.SUMMARY), ("objective", _K.SUMMARY),
    ("award", _K.OTHER), ("honor", _K.OTHER), ("honour", _K.OTHER), ("interests", _K.OTHER),
    ("hobbies", _K.OTHER), ("references", _K.OTHER), ("publications", _K.OTHER), ("affiliation", _K.OTHER),
)  # fmt: skip

#: Head words of job titles, to tell "Data Analyst" from "Acme Corp" in a header line.
TITLE_WORDS = _words(
    """
    analyst engineer developer programmer manager assistant associate nurse welder technician intern
    specialist coordinator consultant director lead officer clerk operator supervisor aide administrator
    designer scientist teacher representative cashier fabricator fitter pipefitter apprentice helper driver
    mechanic electrician accountant architect tester head chief president founder co-founder owner worker
    attendant cook chef server barista volunteer tutor instructor trainer researcher editor writer agent
    advisor adviser planner buyer receptionist secretary caregiver therapist pharmacist inspector machinist
    foreman laborer labourer cna lpn lvn rn hha pca emt paramedic medic physician dentist hygienist
    practitioner counselor counsellor coach sales salesperson associate executive vp ceo cto cfo coo
    officer sergeant soldier specialist marketer recruiter bookkeeper auditor economist statistician
    librarian paralegal lawyer attorney carpenter plumber installer assembler packer picker stocker
    housekeeper janitor custodian guard dispatcher estimator surveyor draftsman drafter
    waiter waitress bartender host hostess manager-in-training trainee fellow professor lecturer
    sonographer radiographer phlebotomist midwife dietitian nutritionist optician
    """
)

#: Words that mark an organisation.
ORGANISATION_WORDS = _words(
    """
    inc inc. llc ltd ltd. limited pvt pvt. corp corp. corporation company co co. group gmbh plc llp lp ag sa s.a. pty
    university college school academy institute hospital clinic center centre health healthcare medical
    services solutions systems technologies technology labs lab bank foundation agency department
    council county city state authority ministry partners associates industries manufacturing fabrication
    works shipyard construction logistics retail stores store restaurant cafe café hotel pharmacy
    insurance consulting analytics software studio studios media network trust society army navy
    """
)

#: Work-pattern words dropped from headers ("(Remote)", "Full-time").
WORK_PATTERN_WORDS = _words(
    "remote hybrid on-site onsite full-time part-time contract contractor temporary temp seasonal freelance"
)

#: Words that mark a qualification, matched on word boundaries (dots kept: "b.s.", "m.sc.").
DEGREE_WORDS = _words(
    """
    bachelor bachelors bachelor's master masters master's doctor doctorate phd ph.d ph.d. mba msc m.sc m.sc.
    bsc b.sc b.sc. bs b.s b.s. ba b.a b.a. ms m.s m.s. ma m.a m.a. associate associates associate's a.a a.a.
    a.s a.s. aas a.a.s. diploma certificate certification ged degree beng b.eng meng m.eng llb jd md bba hnd
    gcse gcses a-levels apprenticeship program programme course training
    """
)

#: Words that mark a place of study.
INSTITUTION_WORDS = _words(
    "university college school institute academy polytechnic conservatory seminary universität université "
    "universidad centre center"
)

#: Two-letter codes taken as a location when they stand alone in a header ("Springfield, IL").
STATE_CODES = _words(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH
    OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC UK
    """
)

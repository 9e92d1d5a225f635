"""Skills are read only from lines that say what the person did, knows or uses."""

from __future__ import annotations

from assistant.core.resume import structure
from assistant.core.resume.content import content_lines, looks_like_role_line, title_like

RESUME = """Jyoti Rao
Associate consultant@Acme labs , Bangalore Karnataka
Bengaluru, Karnataka - Email me on Indeed: indeed.com/r/Jyoti-Rao/77e3ce
- Experienced incident and change coordinator with ITIL expertise and a record of clean audits.

WORK EXPERIENCE

Associate consultant

Acme labs

Incident and change management coordinator, driving escalations to closure.
Designation: Associate Consultant
Company: Acme on the payroll of Beta India LTD.
Roles and responsibilities: -
1. Monitored availability with Catchpoint and Pingdom and raised incidents.

EDUCATION

B. Tech in Electronics and Communication

Utkal University - Bhubaneswar, Odisha
2016

Computer Science

SKILLS

ITIL foundation, SQL, Excel

PERSONAL DETAILS
Religion: Hindu
Physically challenged (lower-limb disability)
Date of birth: 01/02/1990
"""


def test_only_lines_about_the_person_s_work_are_read() -> None:
    document = structure(RESUME)
    read = [line.text for line in content_lines(document)]
    assert read == [
        "- Experienced incident and change coordinator with ITIL expertise and a record of clean audits.",
        "Incident and change management coordinator, driving escalations to closure.",
        "1. Monitored availability with Catchpoint and Pingdom and raised incidents.",
        "ITIL foundation, SQL, Excel",
    ]


def test_role_lines_and_titles() -> None:
    assert looks_like_role_line("Associate consultant")
    assert looks_like_role_line("Oracle Corporation - Bangalore")
    assert not looks_like_role_line("Java, SQL, Oracle")  # a list of tools
    assert not looks_like_role_line("Built the ETL pipeline.")
    assert not looks_like_role_line("Environment: Java, Oracle")
    assert title_like("Software Test Engineer") and title_like("Technical Lead")
    assert not title_like("test automation") and not title_like("Python")

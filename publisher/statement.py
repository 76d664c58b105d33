"""The accessibility statement (toegankelijkheidsverklaring) of a distribution.

Written in the structure of the Dutch government's model statement: status, what was
examined, how and with which tools, the results, known exceptions with their reasons,
and contact. Everything it says about results comes from the ``CheckResult``s of this
build (``publisher.checks``): a check that failed is named with what it found, and the
status never claims more than was measured. Automatic checks cannot judge every WCAG
success criterion (whether an alt text describes its image well, whether the language is
plain), so even when every check passes the statement says the publication complies
*partly*, and why, never *fully*: full compliance needs an evaluation by an expert.

The text itself is in the layout (``layouts/web/statement.html.j2``); this module hands
it plain data.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from .checks import CheckResult
from .config import Config
from .locale import long_date

# the compliance status of the EU model statement (Implementing Decision (EU) 2018/1523)
PARTLY = "gedeeltelijk"  # every check passed; not every criterion can be checked automatically
FAILS = "niet"  # a check found a problem

CHECK_NAMES = OrderedDict(
    (
        ("axe", "webeditie"),
        ("epubcheck", "EPUB"),
        ("ace", "EPUB"),
        ("pdf", "PDF"),
    )
)


@dataclass(frozen=True)
class Statement:
    status: str  # PARTLY or FAILS
    failed: tuple[CheckResult, ...]
    results: tuple[dict, ...]  # per check: tool, what, files, passed, failed
    checks: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        return self.status == PARTLY


def assess(checks: tuple[CheckResult, ...]) -> Statement:
    """The statement's verdict on ``checks``: which failed, and the totals per check."""
    if not checks:
        raise ValueError("a statement needs the results of the checks it reports")
    failed = tuple(c for c in checks if not c.passed)
    results = []
    for name in CHECK_NAMES:
        ran = [c for c in checks if c.check == name]
        if not ran:
            continue
        results.append(
            {
                "check": name,
                "tool": ran[0].tool,
                "files": len(ran),
                "passed": sum(1 for c in ran if c.passed),
                "failed": [c for c in ran if not c.passed],
                "covered": ran[0].covered,
            }
        )
    missing = set(CHECK_NAMES) - {r["check"] for r in results}
    if missing:
        raise ValueError(f"the checks {', '.join(sorted(missing))} did not run; the statement reports all of them")
    return Statement(FAILS if failed else PARTLY, failed, tuple(results), checks)


def context(statement: Statement, config: Config, web_pages: int, volumes: int, statement_url: str) -> dict:
    """The data the statement's template gets."""
    contact = config.contact
    return {
        "status": statement.status,
        "passed": statement.passed,
        "failed": [{"check": c.check, "tool": c.tool, "target": c.target, "problems": list(c.problems)} for c in statement.failed],
        "results": [dict(r, failed=[{"target": c.target, "problems": list(c.problems)} for c in r["failed"]]) for r in statement.results],
        "web_pages": web_pages,
        "volumes": volumes,
        "epubs": sum(1 for c in statement.checks if c.check == "epubcheck"),
        "pdfs": sum(1 for c in statement.checks if c.check == "pdf"),
        "date_long": long_date(config.edition_date, config.language),
        "date_iso": config.edition_date.isoformat(),
        "url": statement_url,
        "base_url": config.web_base_url,
        "organisation": config.publishers[0].name,
        "contact": {"name": contact.name, "email": contact.email, "url": contact.url, "response_days": contact.response_days} if contact else None,
    }

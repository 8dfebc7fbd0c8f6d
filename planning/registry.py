"""What next year's plan adds to the apps below it: a report session's page and
briefing pack show each presenting bureau's submission while the session's plan is in
preparation (``plans.sections``). Once the plan is adopted the section is left out and
the pack shows tracked progress. The sessions app does not import this one."""

from __future__ import annotations

from dataclasses import dataclass

from plans import sections
from plans.models import Bureau, WorkPlan

from . import permissions, selectors
from .models import Submission


@dataclass
class PresentedSubmission:
    """One presenting bureau: its submission (None before it starts drafting) and
    whether this reader may read its drafts."""

    bureau: Bureau
    submission: Submission | None
    readable: bool

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else Submission.State.NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(Submission.State(self.state).label)


@dataclass
class SessionSubmissions:
    plan: WorkPlan
    rows: list[PresentedSubmission]

    @property
    def stamp(self) -> str:
        # What the section shows for this reader: every submission's version and whether
        # its drafts are readable; any change to a draft moves its submission's version.
        return ",".join(
            f"{row.bureau.pk}.{row.submission.version if row.submission else 0}.{int(row.readable)}"
            for row in self.rows
        )


def submissions_section(request, session, presenting) -> SessionSubmissions | None:
    plan = session.sector.plan
    if not plan.is_in_preparation:
        return None
    bureaus = presenting()
    if not bureaus:
        return None
    submissions = selectors.submissions_of(bureaus, plan)
    rows = []
    for bureau in bureaus:
        submission = submissions.get(bureau.pk)
        readable = submission is not None and permissions.can_read_submission(
            request.user, bureau, submission
        )
        rows.append(PresentedSubmission(bureau, submission, readable))
    return SessionSubmissions(plan, rows)


def register_all() -> None:
    sections.register_session(
        sections.SessionSection(
            "submissions", "planning/_session_submissions.html", submissions_section
        )
    )

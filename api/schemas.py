"""What the API reads and writes, as OpenAPI schemas (pydantic, through django-ninja).

Inputs are bounded so that no value a client can send reaches the database as
something it refuses (an id beyond 64 bits, a NUL byte, a lone surrogate): those are
422 answers here, never a server error."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from plans.models import KeyTask, Measurement

# Ids and versions as the database stores them (64- and 32-bit).
Id = Annotated[int, Field(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Status = Literal[tuple(KeyTask.Status.values)]  # type: ignore[valid-type]
FigureState = Literal[tuple(Measurement.State.values)]  # type: ignore[valid-type]


def _storable(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text cannot contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("text must be valid Unicode") from error
    return text


Note = Annotated[str, Field(max_length=2000), AfterValidator(_storable)]


class ErrorOut(Schema):
    """An answer that is not the thing asked for: ``detail`` says why (a list of
    problems for input that does not fit the schema); ``fields`` names the fields a
    rule of the plan refused, with the reasons in the reader's language."""

    detail: str | list[dict[str, Any]]
    fields: dict[str, list[str]] | None = None


class ChangeOut(Schema):
    version: int
    kind: str
    old_value: str
    new_value: str
    note: str
    changed_at: datetime
    changed_by: str | None

    @staticmethod
    def resolve_changed_by(change) -> str | None:
        return change.changed_by.username if change.changed_by_id else None


class ConflictOut(Schema):
    detail: str
    current_version: int
    changes: list[ChangeOut]


class PlanOut(Schema):
    id: int
    year: int
    administration_ko: str
    administration_en: str
    core_goal_ko: str
    core_goal_en: str
    vision_ko: str
    vision_en: str


class SectorOut(Schema):
    id: int
    plan_id: int
    number: int
    name_ko: str
    name_en: str
    theme_ko: str
    theme_en: str


class KeyTaskOut(Schema):
    id: int
    code: str
    version: int
    plan_year: int
    sector_id: int
    sector_number: int
    bureau_id: int
    bureau_code: str
    owner: str | None
    title_ko: str
    title_en: str
    pillar_ko: str
    pillar_en: str
    priority: int
    start_date: date
    due_date: date
    # The due date the plan adopted, and how often it moved since (with approval).
    adopted_due_date: date
    deadline_moves: int
    status: Status
    progress: int
    completed_on: date | None
    is_public: bool
    updated_at: datetime

    @staticmethod
    def resolve_plan_year(task) -> int:
        return task.sector.plan.year

    @staticmethod
    def resolve_sector_number(task) -> int:
        return task.sector.number

    @staticmethod
    def resolve_bureau_code(task) -> str:
        return task.bureau.code

    @staticmethod
    def resolve_adopted_due_date(task) -> date:
        return task.adopted_due_date

    @staticmethod
    def resolve_owner(task) -> str | None:
        return task.owner.username if task.owner_id else None


class KeyTaskUpdateIn(Schema):
    """A change to a key task as its bureau makes it: the version the client read
    (409 when the task has moved on since), and what to change."""

    expected_version: Version
    status: Status | None = None
    progress: Annotated[int, Field(ge=0, le=100)] | None = None
    note: Note = ""


class MilestoneOut(Schema):
    id: int
    task_id: int
    order: int
    title_ko: str
    title_en: str
    due_date: date
    done_on: date | None


class MilestoneDoneIn(Schema):
    expected_version: Version
    done: bool


class IndicatorOut(Schema):
    id: int
    code: str
    plan_id: int
    sector_id: int | None
    task_id: int | None
    name_ko: str
    name_en: str
    unit_ko: str
    unit_en: str
    baseline: Decimal
    target: Decimal
    target_date: date
    direction: str
    is_public: bool


class FigureOut(Schema):
    id: int
    indicator_id: int
    as_of: date
    value: Decimal
    state: FigureState
    recorded_at: datetime


class FigureIn(Schema):
    """A bureau's actual for a date (today when left out), as a change to the
    indicator's key task: the task's version, like any other change."""

    expected_version: Version
    value: Annotated[
        Decimal,
        Field(max_digits=18, decimal_places=2, ge=-(10**15), le=10**15, allow_inf_nan=False),
    ]
    as_of: Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))] | None = None
    note: Note = ""


class FigureRecordedOut(Schema):
    task_id: int
    task_version: int
    figure: FigureOut | None


class SessionOut(Schema):
    id: int
    sector_id: int
    starts_at: datetime
    ends_at: datetime
    venue_ko: str
    venue_en: str
    theme_ko: str
    theme_en: str


class DirectiveOut(Schema):
    id: int
    session_id: int
    text: str
    bureau_id: int
    due_date: date
    key_task_id: int
    created_at: datetime


class DirectiveIn(Schema):
    """A directive of the Mayor at a session, recorded by the mayor's office: it opens a
    follow-up key task of the bureau, due on ``due_date``."""

    text: Annotated[str, Field(min_length=1, max_length=5000), AfterValidator(_storable)]
    bureau_id: Id
    due_date: Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]

"""A key task's history read in the reader's language: each recorded change as a line
("상태: 정상 추진 → 지연 우려"), grouped by version for the task page and the conflict
message, or one per row for the change feeds of the dashboard and the briefing pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import formatting
from .models import KeyTask, Sector, StatusUpdate, WorkPlan

Kind = StatusUpdate.Kind
DATE_KINDS = (Kind.START_DATE, Kind.DUE_DATE, Kind.COMPLETED_ON)
DEADLINE_KINDS = (
    Kind.DEADLINE_REQUEST,
    Kind.DEADLINE_ENDORSED,
    Kind.DEADLINE_APPROVED,
    Kind.DEADLINE_DECLINED,
    Kind.DEADLINE_WITHDRAWN,
)


@dataclass
class ChangeLine:
    """What one history row says: a label, and the old and new value when it has them."""

    label: str
    old: str = ""
    new: str = ""
    # A note written with the change, for lists where the row stands alone (feeds).
    quote: str = ""

    @property
    def has_values(self) -> bool:
        return bool(self.old or self.new)


@dataclass
class HistoryEntry:
    """One accepted change (one version) of a task: who, when, what, why."""

    version: int
    changed_at: object
    changed_by: object
    note: str = ""
    lines: list[ChangeLine] = field(default_factory=list)


@dataclass
class FeedItem:
    """One history row of any task, for a list of changes across a plan or sector."""

    update: StatusUpdate
    line: ChangeLine


def _date(value: str | date | None) -> str:
    """'2024-06-30' → '2024년 6월 30일 (일)' / 'Sun 30 Jun 2024'; anything else as it is."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return formatting.long_date(value, get_language()) or str(value)


def _number(value: str, unit: str = "") -> str:
    """'189988' → '18만 9,988' / '189,988', with the indicator's unit when it has one."""
    if formatting.to_decimal(value) is None:
        return value
    if unit:
        return formatting.quantity(value, unit, get_language())
    if formatting.is_korean(get_language()):
        return formatting.korean_number(value)
    return formatting.grouped(value)


def _task_value(kind: str, value: str) -> str:
    if value == "":
        return "—"
    if kind == Kind.STATUS:
        return str(dict(KeyTask.Status.choices).get(value, value))
    if kind == Kind.PRIORITY and value.isdigit():
        return str(dict(KeyTask.Priority.choices).get(int(value), value))
    if kind == Kind.PROGRESS:
        return f"{value}%"
    if kind == Kind.IS_PUBLIC:
        return str(_("yes") if value == "true" else _("no"))
    if kind in DATE_KINDS:
        return _date(value)
    return value


def _created(update: StatusUpdate) -> str:
    """Where the task came from, in the reader's language."""
    Origin = StatusUpdate.Origin
    if update.new_value == Origin.DIRECTIVE and update.as_of:
        return _("Created from a directive of the report session on %(date)s") % {
            "date": _date(update.as_of)
        }
    if update.new_value in Origin.values:
        return str(Origin(update.new_value).label)
    return capfirst(str(Kind.CREATED.label))


MILESTONE_EDITS = (Kind.MILESTONE_ADDED, Kind.MILESTONE_EDITED, Kind.MILESTONE_MOVED)


def _milestone_value(value: str) -> str:
    """'제목 · 2024-03-31' with the date in the reader's words; a position as it is."""
    title, separator, day = value.rpartition(" · ")
    if separator:
        return f"{title} · {_date(day)}"
    if value.isdigit():
        return _("position %(number)s") % {"number": value}
    return value or "—"


def change_line(update: StatusUpdate) -> ChangeLine:
    """The row in the reader's language. Reads ``update.milestone`` and
    ``update.indicator``: select them with the rows."""
    kind = update.kind
    if kind == Kind.CREATED:
        return ChangeLine(_created(update))
    if kind == Kind.NOTE:
        return ChangeLine(capfirst(str(Kind.NOTE.label)), quote=update.note)
    if kind == Kind.CARRIED_OVER:
        return ChangeLine(str(_("Carried over to the %(year)s plan") % {"year": update.new_value}))
    if kind == Kind.MILESTONE:
        title = update.milestone.title if update.milestone_id else "—"
        old, new = (
            _("done on %(date)s") % {"date": _date(value)} if value else _("open")
            for value in (update.old_value, update.new_value)
        )
        label = _("Milestone “%(title)s”") % {"title": title}
        return ChangeLine(str(label), str(old), str(new))
    if kind in MILESTONE_EDITS:
        title = update.milestone.title if update.milestone_id else "—"
        label = capfirst(str(Kind(kind).label))
        old, new = (_milestone_value(value) for value in (update.old_value, update.new_value))
        return ChangeLine(f"{label} “{title}”", old, new)
    if kind in DEADLINE_KINDS:
        label = capfirst(str(Kind(kind).label))
        if update.milestone_id:
            label = f"{label} ({_('Milestone “%(title)s”') % {'title': update.milestone.title}})"
        return ChangeLine(label, _date(update.old_value), _date(update.new_value))
    if kind in (Kind.ACTUAL, Kind.FIGURE_VERIFIED):
        indicator = update.indicator if update.indicator_id else None
        name = indicator.name if indicator else "—"
        unit = indicator.unit if indicator else ""
        old = _number(update.old_value, unit) if update.old_value else "—"
        new = _number(update.new_value, unit) if update.new_value else "—"
        if update.as_of:
            new = f"{_date(update.as_of)}: {new}"
        if kind == Kind.FIGURE_VERIFIED:
            label = _("Figure of “%(name)s” verified and published") % {"name": name}
            return ChangeLine(str(label), "", new)
        return ChangeLine(str(_("Actual of “%(name)s”") % {"name": name}), old, new)
    label = capfirst(str(Kind(kind).label)) if kind in Kind.values else kind
    return ChangeLine(
        label, _task_value(kind, update.old_value), _task_value(kind, update.new_value)
    )


def history_entries(updates) -> list[HistoryEntry]:
    """Group history rows into one entry per version, newest first, in the reader's
    language. A version's note is given once, without a line of its own."""
    entries: list[HistoryEntry] = []
    for update in sorted(updates, key=lambda u: (-u.version, u.pk or 0)):
        if not entries or entries[-1].version != update.version:
            entries.append(
                HistoryEntry(
                    version=update.version,
                    changed_at=update.changed_at,
                    changed_by=update.changed_by,
                    note=update.note,
                )
            )
        if update.kind != Kind.NOTE:
            entries[-1].lines.append(change_line(update))
    return entries


def with_references(updates):
    """History rows with what their lines name, in the same query."""
    return updates.select_related("changed_by", "milestone", "indicator")


# The task page shows the changes of its latest versions (a task updated every week has
# a year of them); its history page (plans:task_history) goes through every version, a
# page of them at a time. Each version is one change, so neither page splits one.
RECENT_VERSIONS = 10
VERSIONS_PER_PAGE = 50


def recent_history(task: KeyTask) -> list[HistoryEntry]:
    """The changes of the task's latest ``RECENT_VERSIONS`` versions, newest first (one
    query); ``has_older_history`` says whether there are more."""
    oldest = task.version - RECENT_VERSIONS
    return history_entries(list(with_references(task.history.filter(version__gt=oldest))))


def has_older_history(task: KeyTask) -> bool:
    return task.version > RECENT_VERSIONS


def history_page(task: KeyTask, number) -> tuple[Page, list[HistoryEntry]]:
    """A page of the task's versions, newest first, and their changes (one query: the
    versions run from 1 to the task's current one, so they are counted without one)."""
    page = Paginator(range(task.version, 0, -1), VERSIONS_PER_PAGE).get_page(number)
    versions = page.object_list
    if not versions:
        return page, []
    updates = task.history.filter(version__lte=versions[0], version__gte=versions[-1])
    return page, history_entries(list(with_references(updates)))


def changes_since(task: KeyTask, version: int) -> list[HistoryEntry]:
    """What others changed after ``version``: what an editor who saw it is shown."""
    return history_entries(list(with_references(task.history.filter(version__gt=version))))


def feed(updates) -> list[FeedItem]:
    """History rows of any tasks (already read with ``with_references``), each with its
    line in the reader's language."""
    return [FeedItem(update=update, line=change_line(update)) for update in updates]


# A change feed counts at most this many rows (then says "more than"), so its cost is
# the same for a quiet week and a busy year.
CHANGES_COUNT_CAP = 1000


def recent_changes(
    since: datetime,
    *,
    plan: WorkPlan | None = None,
    sector: Sector | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[StatusUpdate]]:
    """How many recorded changes to a plan's (or a sector's) key tasks since a moment,
    and the newest ``limit`` of them after the first ``offset`` (two queries). The tasks
    are joined rather than listed in a subquery, so the newest changes come off the index
    and stop early."""
    updates = StatusUpdate.objects.filter(changed_at__gte=since)
    if sector is not None:
        updates = updates.filter(task__sector=sector)
    elif plan is not None:
        updates = updates.filter(task__sector__plan=plan)
    if until is not None:
        updates = updates.filter(changed_at__lt=until)
    total = updates.order_by()[: CHANGES_COUNT_CAP + 1].count()
    newest = with_references(updates.select_related("task", "task__sector")).order_by(
        "-changed_at", "-id"
    )[offset : offset + limit]
    return total, list(newest)

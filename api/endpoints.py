"""The JSON API (django-ninja): plans, sectors, key tasks, milestones, indicators and
their figures, report sessions and directives, with its OpenAPI schema at
``/api/v1/openapi.json``.

Each call is made by a person, through their own token (``Authorization: Bearer …``):
it asks the same permission modules as the pages and writes through the same services,
so a write is versioned (the client sends the version it read; 409 with what changed
when the task has moved on) and in the task's history like a change made on a page."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PaginationBase, paginate
from ninja.security import HttpBearer

from meetings import permissions as session_permissions
from meetings import services as meeting_services
from plans import dates, permissions, services
from plans.languages import language_of
from plans.models import Bureau, Indicator, KeyTask, WorkPlan

from . import schemas, selectors
from .services import token_for, within_rate_limit

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """A person's API token: the call is theirs (``request.user``), in their language,
    and counted against the token's rate limit."""

    def authenticate(self, request: HttpRequest, token: str):
        found = token_for(token)
        if found is None:
            return None
        if not within_rate_limit(found):
            raise RateLimited
        request.user = found.user
        translation.activate(language_of(found.user))
        return found


class CityPages(PaginationBase):
    """Numbered pages of at most ``MAX_PAGE_SIZE`` items, with the total count."""

    class Input(Schema):
        page: int = schemas.Field(1, ge=1, le=100_000)
        page_size: int = schemas.Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }


api = NinjaAPI(
    title="Busan work-plan tracker API",
    version="1",
    description=(
        "The city's work plan for its other systems. Every call carries a personal token "
        "(`Authorization: Bearer bt_…`, made on the API tokens page) and sees and changes "
        "what its person may on the pages. Writes carry the version read "
        "(`expected_version`): 409 when the key task has changed since."
    ),
    auth=TokenAuth(),
    urls_namespace="api_v1",
    docs_url=None,  # the interactive docs load scripts from a CDN the CSP refuses
)

Error = schemas.ErrorOut
READ = {401: Error, 422: Error, 429: Error}
ONE = {**READ, 404: Error}
WRITE = {**ONE, 400: Error, 403: Error, 409: schemas.ConflictOut}


def _require(allowed: bool, *, plan: WorkPlan | None = None) -> None:
    """403 unless allowed; saying why when the plan the change touches is closed."""
    if not allowed:
        if plan is not None and not permissions.accepts_changes(plan):
            raise HttpError(403, permissions.record_message(plan))
        raise HttpError(403, _("Your account may not do this."))


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = api.create_response(
        request, {"detail": _("Too many calls with this token: wait a minute.")}, status=429
    )
    response["Retry-After"] = "60"
    return response


@api.exception_handler(ValidationError)
def _refused(request, exc: ValidationError):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = " ".join(message for messages in fields.values() for message in messages)
    return api.create_response(request, {"detail": detail, "fields": fields}, status=422)


@api.exception_handler(services.EditConflict)
def _conflict(request, exc: services.EditConflict):
    body = {
        "detail": _("This key task was changed by someone else since you read it."),
        "current_version": exc.task.version,
        "changes": [schemas.ChangeOut.from_orm(change).dict() for change in exc.changes],
    }
    return api.create_response(request, body, status=409)


# --- plans and sectors ---------------------------------------------------------------


@api.get("/plans", response={200: list[schemas.PlanOut], **READ}, url_name="plans")
@paginate(CityPages)
def list_plans(request):
    _require(permissions.can_view_plan(request.user))
    return selectors.plans()


@api.get("/plans/{plan_id}", response={200: schemas.PlanOut, **ONE}, url_name="plan")
def get_plan(request, plan_id: schemas.Id):
    _require(permissions.can_view_plan(request.user))
    return get_object_or_404(WorkPlan, pk=plan_id)


class SectorFilter(Schema):
    plan_id: schemas.Id | None = None


@api.get("/sectors", response={200: list[schemas.SectorOut], **READ}, url_name="sectors")
@paginate(CityPages)
def list_sectors(request, filters: Query[SectorFilter]):
    _require(permissions.can_view_plan(request.user))
    return selectors.sectors(plan_id=filters.plan_id)


# --- key tasks -----------------------------------------------------------------------


class TaskFilter(Schema):
    sector_id: schemas.Id | None = None
    bureau_id: schemas.Id | None = None
    status: schemas.Status | None = None


def _visible_task(request, task_id: int) -> KeyTask:
    return get_object_or_404(selectors.key_tasks(request.user), pk=task_id)


@api.get("/key-tasks", response={200: list[schemas.KeyTaskOut], **READ}, url_name="key_tasks")
@paginate(CityPages)
def list_key_tasks(request, filters: Query[TaskFilter]):
    return selectors.key_tasks(
        request.user,
        sector_id=filters.sector_id,
        bureau_id=filters.bureau_id,
        status=filters.status,
    )


@api.get("/key-tasks/{task_id}", response={200: schemas.KeyTaskOut, **ONE}, url_name="key_task")
def get_key_task(request, task_id: schemas.Id):
    return _visible_task(request, task_id)


@api.patch(
    "/key-tasks/{task_id}", response={200: schemas.KeyTaskOut, **WRITE}, url_name="key_task_update"
)
def update_key_task(request, task_id: schemas.Id, change: schemas.KeyTaskUpdateIn):
    """Status, progress and a note, as the bureau's quick update on the task page."""
    task = _visible_task(request, task_id)
    _require(permissions.can_edit_task(request.user, task), plan=task.plan)
    fields = change.dict(exclude_unset=True, exclude={"expected_version", "note"})
    fields = {name: value for name, value in fields.items() if value is not None}
    services.update_key_task(
        task,
        by=request.user,
        expected_version=change.expected_version,
        note=change.note,
        **fields,
    )
    return _visible_task(request, task_id)


@api.get(
    "/key-tasks/{task_id}/history",
    response={200: list[schemas.ChangeOut], **ONE},
    url_name="key_task_history",
)
@paginate(CityPages)
def key_task_history(request, task_id: schemas.Id):
    return selectors.history(_visible_task(request, task_id))


# --- milestones ----------------------------------------------------------------------


class MilestoneFilter(Schema):
    task_id: schemas.Id | None = None


@api.get("/milestones", response={200: list[schemas.MilestoneOut], **READ}, url_name="milestones")
@paginate(CityPages)
def list_milestones(request, filters: Query[MilestoneFilter]):
    return selectors.milestones(request.user, task_id=filters.task_id)


@api.post(
    "/milestones/{milestone_id}/done",
    response={200: schemas.KeyTaskOut, **WRITE},
    url_name="milestone_done",
)
def mark_milestone(request, milestone_id: schemas.Id, change: schemas.MilestoneDoneIn):
    milestone = get_object_or_404(selectors.milestones(request.user), pk=milestone_id)
    task = _visible_task(request, milestone.task_id)
    _require(permissions.can_edit_task(request.user, task), plan=task.plan)
    milestone.task = task
    services.toggle_milestone(
        milestone, by=request.user, expected_version=change.expected_version, done=change.done
    )
    return _visible_task(request, task.pk)


# --- indicators and their figures ----------------------------------------------------


class IndicatorFilter(Schema):
    task_id: schemas.Id | None = None
    sector_id: schemas.Id | None = None


@api.get("/indicators", response={200: list[schemas.IndicatorOut], **READ}, url_name="indicators")
@paginate(CityPages)
def list_indicators(request, filters: Query[IndicatorFilter]):
    _require(permissions.can_view_plan(request.user))
    return selectors.indicators(task_id=filters.task_id, sector_id=filters.sector_id)


def _indicator(request, indicator_id: int) -> Indicator:
    _require(permissions.can_view_plan(request.user))
    return get_object_or_404(Indicator, pk=indicator_id)


@api.get(
    "/indicators/{indicator_id}/figures",
    response={200: list[schemas.FigureOut], **ONE},
    url_name="figures",
)
@paginate(CityPages)
def list_figures(request, indicator_id: schemas.Id):
    return selectors.figures(_indicator(request, indicator_id))


@api.post(
    "/indicators/{indicator_id}/figures",
    response={200: schemas.FigureRecordedOut, **WRITE},
    url_name="figure_record",
)
def record_figure(request, indicator_id: schemas.Id, figure: schemas.FigureIn):
    """A bureau's actual for a key task's indicator: a change to the task (versioned,
    in its history). A figure the city has published is revised by the mayor's office
    on its own page, with a public reason, not here."""
    indicator = _indicator(request, indicator_id)
    if indicator.task_id is None:
        raise HttpError(403, _("Only the indicators of a key task are recorded by its bureau."))
    task = _visible_task(request, indicator.task_id)
    _require(permissions.can_edit_task(request.user, task), plan=task.plan)
    indicator.task = task
    current = services.record_measurement(
        indicator,
        by=request.user,
        expected_version=figure.expected_version,
        value=figure.value,
        as_of=figure.as_of,
        note=figure.note,
    )
    recorded = selectors.figures(indicator).filter(as_of=figure.as_of or dates.today()).first()
    return {"task_id": current.pk, "task_version": current.version, "figure": recorded}


# --- report sessions and directives --------------------------------------------------


@api.get("/sessions", response={200: list[schemas.SessionOut], **READ}, url_name="sessions")
@paginate(CityPages)
def list_sessions(request):
    _require(session_permissions.can_view_sessions(request.user))
    return selectors.sessions()


class DirectiveFilter(Schema):
    session_id: schemas.Id | None = None


@api.get("/directives", response={200: list[schemas.DirectiveOut], **READ}, url_name="directives")
@paginate(CityPages)
def list_directives(request, filters: Query[DirectiveFilter]):
    _require(session_permissions.can_view_sessions(request.user))
    return selectors.directives(session_id=filters.session_id)


@api.post(
    "/sessions/{session_id}/directives",
    response={201: schemas.DirectiveOut, **WRITE},
    url_name="directive_add",
)
def add_directive(request, session_id: schemas.Id, directive: schemas.DirectiveIn):
    """The mayor's office records a directive, as on the session page: it stays on
    record and opens its follow-up key task (with its history)."""
    _require(session_permissions.can_view_sessions(request.user))
    session = get_object_or_404(selectors.sessions(), pk=session_id)
    _require(session_permissions.can_write_directives(request.user))
    _require(session_permissions.can_add_directive(request.user, session), plan=session.sector.plan)
    bureau = get_object_or_404(Bureau, pk=directive.bureau_id)
    added = meeting_services.add_directive(
        session,
        by=request.user,
        text=directive.text,
        bureau=bureau,
        due_date=directive.due_date,
    )
    return Status(201, added)

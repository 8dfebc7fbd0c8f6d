"""Next year's plan in the product: the years, opening next year's plan, carrying tasks
over, the submissions overview, a bureau's submission and its drafts, decisions,
adopting and closing. Every view asks ``planning.permissions``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plans import links
from plans.forms import add_service_errors
from plans.selectors import current_plan

from . import permissions, selectors, services
from .forms import (
    CarryOverFilterForm,
    CarryOverForm,
    DeadlineForm,
    DecisionForm,
    DelegatesForm,
    DraftTaskForm,
    IndicatorFormSet,
    MilestoneFormSet,
    NextYearForm,
)
from .models import DraftTask, Submission

require = permissions.require


def plan_list(request):
    require(permissions.can_view_years(request.user))
    plans = selectors.plans_by_year()
    context = {
        "plans": plans,
        "can_prepare": permissions.can_prepare_plans(request.user),
        "my_bureaus": selectors.bureaus_to_draft(request.user, plans),
        "preparing": [plan for plan in plans if plan.is_in_preparation],
    }
    return render(request, "planning/plan_list.html", context)


def plan_new(request):
    require(permissions.can_prepare_plans(request.user))
    previous = current_plan()
    form = NextYearForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.open_next_year(by=request.user, previous=previous, **form.plan_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The %(year)s plan is open for the bureaus.") % {"year": plan.year}
            )
            return redirect("planning:carry_over", plan.year)
    return render(request, "planning/plan_new.html", {"form": form, "previous": previous})


def _preparing(year: int):
    plan = selectors.plan_of_year(year, with_previous=True)
    preparation = selectors.preparation_of(plan)
    if preparation is None:
        raise Http404(_("This plan was not prepared in the tracker."))
    return plan, preparation


def carry_over(request, year: int):
    require(permissions.can_prepare_plans(request.user))
    plan, preparation = _preparing(year)
    form = CarryOverForm(request.POST or None, unfinished=selectors.carried_from(preparation))
    filters = CarryOverFilterForm(request.GET or None, previous=preparation.previous)
    if request.method == "POST" and form.is_valid():
        try:
            drafts = services.carry_over(
                by=request.user,
                plan=plan,
                tasks=list(form.cleaned_data["tasks"]),
                indicators=list(form.cleaned_data["indicators"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(n)s key tasks carried over.") % {"n": len(drafts)})
            # Back to the same list: what was carried over has left it.
            return redirect(request.get_full_path())
    context = {
        "plan": plan,
        "preparation": preparation,
        "form": form,
        "filters": filters,
        "page": selectors.unfinished_page(
            preparation.previous, filters.filters(), request.GET.get("page")
        ),
        "query": links.list_query(request),
    }
    return render(request, "planning/carry_over.html", context)


def submissions(request, year: int):
    require(permissions.can_review_submissions(request.user))
    plan, preparation = _preparing(year)
    form = DeadlineForm(request.POST or None, initial={"deadline": preparation.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_deadline(by=request.user, preparation=preparation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The submission deadline is saved."))
            return redirect("planning:submissions", plan.year)
    context = {
        "plan": plan,
        "preparation": preparation,
        # Read only when the table (kept under "stamp") is not in the cache.
        "overview": SimpleLazyObject(lambda: selectors.submissions_overview(plan)),
        "stamp": selectors.submissions_stamp(plan),
        "deadline_form": form,
    }
    return render(request, "planning/submissions.html", context)


def _bureau_page(request, year: int, code: str, *, with_drafts: bool = True):
    """The plan, the bureau and its submission (None: not started), if this user may
    read it: 403 otherwise, 404 for a year or bureau that does not exist. A page about
    one draft reads the submission alone, not its drafts and record."""
    require(permissions.can_view_years(request.user))
    plan = selectors.plan_of_year(year)
    bureau = selectors.bureau_of_code(code)
    read = selectors.submission_for if with_drafts else selectors.submission_alone
    found = read(bureau, plan)
    require(permissions.can_read_submission(request.user, bureau, found))
    return plan, bureau, found


def submission(request, year: int, code: str):
    plan, bureau, found = _bureau_page(request, year, code)
    return render(
        request, "planning/submission.html", _submission_context(request, plan, bureau, found)
    )


@require_http_methods(["GET", "POST"])
def draft_withdraw(request, year: int, code: str, pk: int):
    """Remove a draft key task from the bureau's submission, once confirmed: GET asks (a
    page of its own without JavaScript, the draft's row with HTMX; ``?cancel=1`` puts the
    row's buttons back), POST removes it (the submission page again, or its body for
    HTMX). While the submission is drafted or returned (``services.withdraw_draft``)."""
    plan, bureau, found = _bureau_page(request, year, code)
    require(permissions.can_draft(request.user, bureau, found))
    draft = selectors.draft_of(found, pk)
    if request.method == "GET":
        return _ask_to_withdraw(request, plan, bureau, found, draft)
    saved, refused = "", []
    try:
        services.withdraw_draft(by=request.user, submission=found, draft=draft)
    except services.SubmissionConflict:
        refused = [_("Someone else changed this submission meanwhile: read it again.")]
    except ValidationError as error:
        refused = error.messages
    else:
        saved = _("“%(title)s” is removed from the submission.") % {"title": draft.title}
    return _answer_withdrawal(request, plan, bureau, saved, refused)


def _ask_to_withdraw(request, plan, bureau, found, draft):
    context = {"plan": plan, "bureau": bureau, "draft": draft, "can_draft": True}
    try:
        services.require_editable(found)
    except ValidationError as error:
        context["refused"] = error.messages
    template = "planning/draft_withdraw.html"
    if request.htmx:
        cancel = request.GET.get("cancel")
        template = "planning/submission.html#draft_actions" if cancel else template + "#confirm"
    return render(request, template, context)


def _answer_withdrawal(request, plan, bureau, saved: str, refused: list[str]):
    """Back to the submission page with the outcome, or for HTMX its body."""
    if not request.htmx:
        for message in refused:
            messages.error(request, message)
        if saved:
            messages.success(request, saved)
        return redirect("planning:submission", plan.year, bureau.code)
    found = selectors.submission_for(bureau, plan)
    context = _submission_context(request, plan, bureau, found)
    context.update(saved=saved, refused=refused)
    return render(request, "planning/submission.html#submission_body", context)


def _submission_context(request, plan, bureau, found, **forms) -> dict:
    user = request.user
    version = found.version if found else 0
    return {
        "plan": plan,
        "bureau": bureau,
        "submission": found,
        "state_label": Submission.State(found.state if found else "not_started").label,
        "preparation": selectors.preparation_of(plan),
        "can_draft": plan.is_in_preparation
        and permissions.can_draft(user, bureau, found)
        and (found is None or found.is_editable),
        "can_submit": plan.is_in_preparation
        and permissions.can_submit(user, bureau)
        and found is not None
        and found.can_move("submit"),
        "can_decide": plan.is_in_preparation
        and permissions.can_review_submissions(user)
        and found is not None
        and found.can_move("return"),
        "can_accept": found is not None and found.can_move("accept"),
        "decision_form": forms.get("decision_form") or DecisionForm(initial={"version": version}),
        "delegates_form": forms.get("delegates_form")
        or (
            DelegatesForm(bureau=bureau, initial={"people": list(found.delegates.all())})
            if found and permissions.can_delegate(user, bureau) and plan.is_in_preparation
            else None
        ),
    }


MOVES = {"submit": permissions.can_submit, "return": None, "accept": None}


@require_POST
def submission_move(request, year: int, code: str, move: str):
    plan, bureau, found = _bureau_page(request, year, code)
    if move not in MOVES:
        raise Http404
    if move == "submit":
        require(permissions.can_submit(request.user, bureau))
    else:
        require(permissions.can_review_submissions(request.user))
    form = DecisionForm(request.POST)
    if found is not None and form.is_valid():
        try:
            services.move_submission(
                by=request.user, submission=found, move=move, **form.cleaned_data
            )
        except services.SubmissionConflict:
            messages.error(
                request, _("Someone else changed this submission meanwhile: read it again.")
            )
        except ValidationError as error:
            add_service_errors(form, error)
            context = _submission_context(request, plan, bureau, found, decision_form=form)
            return render(request, "planning/submission.html", context)
        else:
            messages.success(
                request,
                _("Saved: the submission is now “%(state)s”.")
                % {"state": Submission.State(Submission.MOVES[move][1]).label},
            )
    return redirect("planning:submission", plan.year, bureau.code)


@require_POST
def delegates(request, year: int, code: str):
    plan, bureau, found = _bureau_page(request, year, code)
    require(permissions.can_delegate(request.user, bureau) and found is not None)
    form = DelegatesForm(request.POST, bureau=bureau)
    if form.is_valid():
        services.delegate(
            by=request.user, submission=found, people=list(form.cleaned_data["people"])
        )
        messages.success(request, _("Saved."))
        return redirect("planning:submission", plan.year, bureau.code)
    context = _submission_context(request, plan, bureau, found, delegates_form=form)
    return render(request, "planning/submission.html", context)


def draft(request, year: int, code: str, pk: int | None = None):
    """A draft key task of the bureau's submission, with its roadmap and indicators."""
    plan, bureau, found = _bureau_page(request, year, code, with_drafts=False)
    require(permissions.can_draft(request.user, bureau, found))
    instance = selectors.draft_of(found, pk) if pk else DraftTask()
    data = request.POST if request.method == "POST" else None
    form = DraftTaskForm(data, instance=instance, plan=plan, bureau=bureau)
    milestones = MilestoneFormSet(data, instance=instance, prefix="milestones")
    indicators = IndicatorFormSet(data, instance=instance, prefix="indicators")
    if data is not None and all(f.is_valid() for f in (form, milestones, indicators)):
        try:
            with transaction.atomic():
                found = found or services.start_drafting(by=request.user, plan=plan, bureau=bureau)
                services.save_draft_task(
                    by=request.user,
                    submission=found,
                    draft=form.save(commit=False),
                    milestones=milestones.save(commit=False),
                    indicators=indicators.save(commit=False),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft key task is saved."))
            return redirect("planning:submission", plan.year, bureau.code)
    context = {
        "plan": plan,
        "bureau": bureau,
        "form": form,
        "milestones": milestones,
        "indicators": indicators,
        "draft": instance,
    }
    return render(request, "planning/draft.html", context)


@require_POST
def plan_stage(request, year: int, stage: str):
    """Adopt a plan in preparation, or close an adopted one."""
    require(permissions.can_prepare_plans(request.user))
    plan = selectors.plan_of_year(year)
    actions = {"adopt": services.adopt_plan, "close": services.close_plan}
    if stage not in actions:
        raise Http404
    try:
        actions[stage](by=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        plan.refresh_from_db()
        messages.success(
            request,
            _("The %(year)s plan is now “%(stage)s”.")
            % {"year": plan.year, "stage": plan.get_stage_display()},
        )
    return redirect("planning:plan_list")

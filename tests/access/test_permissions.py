"""Every rule of who may do what, for every role (plans.permissions)."""

from django.contrib.auth.models import AnonymousUser

from meetings import permissions as session_permissions
from plans import permissions, selectors
from plans.models import KeyTask
from plans.permissions import Role
from tests.factories import BureauFactory, KeyTaskFactory


def test_roles_of_each_kind_of_user(city):
    assert permissions.roles(AnonymousUser()) == {Role.ANONYMOUS}
    assert permissions.roles(city.mayors_office) == {Role.STAFF, Role.MAYORS_OFFICE}
    assert permissions.roles(city.economy_head) == {Role.STAFF, Role.BUREAU_HEAD}
    assert permissions.roles(city.finance_staff) == {Role.STAFF}


def test_bureau_head_edits_the_tasks_of_their_bureau_and_its_sub_bureaus(city):
    assert permissions.can_edit_task(city.economy_head, city.economy_task)
    assert permissions.can_edit_task(city.economy_head, city.finance_task)
    assert not permissions.can_edit_task(city.economy_head, city.welfare_task)


def test_sub_bureaus_are_found_at_any_depth(city):
    team = BureauFactory(parent=city.finance, kind="department")
    deep_task = KeyTaskFactory(bureau=team, sector=city.sectors[0])
    assert permissions.can_edit_task(city.economy_head, deep_task)
    assert not permissions.can_edit_task(city.welfare_head, deep_task)
    assert deep_task in permissions.editable_tasks(city.economy_head)


def test_bureau_head_of_a_sub_bureau_cannot_edit_the_parent_bureaus_tasks(city):
    city.finance.head = city.other_staff
    city.finance.save()
    assert permissions.can_edit_task(city.other_staff, city.finance_task)
    assert not permissions.can_edit_task(city.other_staff, city.economy_task)


def test_staff_update_only_the_tasks_assigned_to_them(city):
    assert permissions.can_edit_task(city.finance_staff, city.finance_task)
    assert not permissions.can_edit_task(city.finance_staff, city.economy_task)
    assert not permissions.can_edit_task(city.other_staff, city.finance_task)


def test_mayors_office_reads_everything_but_does_not_edit_bureau_tasks(city):
    assert permissions.can_view_plan(city.mayors_office)
    assert permissions.can_view_dashboard(city.mayors_office)
    assert not permissions.can_edit_task(city.mayors_office, city.economy_task)


def test_only_the_mayors_office_writes_sessions_minutes_and_directives(city):
    assert session_permissions.can_manage_sessions(city.mayors_office)
    assert session_permissions.can_write_minutes(city.mayors_office)
    assert session_permissions.can_write_directives(city.mayors_office)
    for user in (city.economy_head, city.finance_staff, AnonymousUser()):
        assert not session_permissions.can_manage_sessions(user)
        assert not session_permissions.can_write_directives(user)


def test_bureau_heads_read_the_dashboard_and_staff_do_not(city):
    assert permissions.can_view_dashboard(city.economy_head)
    assert permissions.can_export(city.economy_head)
    assert not permissions.can_view_dashboard(city.finance_staff)
    assert not permissions.can_export(city.finance_staff)


def test_anonymous_users_see_only_public_tasks(city):
    anonymous = AnonymousUser()
    assert not permissions.can_view_plan(anonymous)
    assert list(permissions.visible_tasks(anonymous)) == [city.welfare_task]
    assert permissions.can_view_task(anonymous, city.welfare_task)
    assert not permissions.can_view_task(anonymous, city.economy_task)
    assert not permissions.can_edit_task(anonymous, city.welfare_task)
    assert not permissions.editable_tasks(anonymous).exists()


def test_signed_in_staff_read_the_whole_plan(city):
    assert permissions.visible_tasks(city.finance_staff).count() == 3
    assert permissions.can_view_task(city.finance_staff, city.welfare_task)


def test_editable_tasks_agrees_with_can_edit_task(city):
    users = [city.economy_head, city.welfare_head, city.finance_staff, city.mayors_office]
    for user in users:
        editable = set(permissions.editable_tasks(user))
        for task in (city.economy_task, city.finance_task, city.welfare_task):
            assert (task in editable) == permissions.can_edit_task(user, task), (user, task)


def test_reading_the_bureaus_parent_with_the_task_changes_no_answer(city):
    # The in-row save reads the bureau's parent with the task to skip reading the
    # bureaus a head heads; the answer must be the one the full rule gives.
    team = BureauFactory(parent=city.finance, kind="department")
    tasks = [
        city.economy_task,
        city.finance_task,
        city.welfare_task,
        KeyTaskFactory(bureau=team, sector=city.sectors[0]),
    ]
    city.finance.head = city.other_staff
    city.finance.save()
    users = [city.economy_head, city.other_staff, city.welfare_head, city.finance_staff]
    with_parent = KeyTask.objects.select_related("bureau__parent")
    for task in tasks:
        for user in users:
            fresh_user = type(user).objects.get(pk=user.pk)  # nothing cached on it
            expected = task in permissions.editable_tasks(fresh_user)
            read_with_parent = with_parent.get(pk=task.pk)
            assert permissions.can_edit_task(fresh_user, read_with_parent) == expected


def test_a_head_saving_a_task_of_the_bureau_under_theirs_reads_no_bureaus(
    city, django_assert_num_queries
):
    task = selectors.for_quick_update().get(pk=city.finance_task.pk)
    head = type(city.economy_head).objects.get(pk=city.economy_head.pk)
    with django_assert_num_queries(0):
        assert permissions.can_edit_task(head, task)


def test_inactive_users_lose_every_right(city):
    city.economy_head.is_active = False
    city.economy_head.save()
    assert not permissions.can_edit_task(city.economy_head, city.economy_task)
    assert not permissions.can_view_plan(city.economy_head)
    assert permissions.roles(city.economy_head) == {Role.ANONYMOUS}


def test_a_superuser_counts_as_mayors_office(city):
    city.finance_staff.is_superuser = True
    city.finance_staff.save()
    assert permissions.is_mayors_office(city.finance_staff)

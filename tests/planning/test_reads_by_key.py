"""The planning pages read the year's plan by its year, and the bureau by its code, with
SQL the ORM wrote once per process (``plans.prepared.ById`` keyed by the year or the
code): the same records as the ORM's read, and a year without a plan or a code without
a bureau is a 404, never a 500."""

import pytest

from planning.selectors import bureau_of_code, plan_of_year
from plans.models import Bureau, WorkPlan
from plans.prepared import ById


def values(record):
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def test_a_plan_read_by_its_year_is_the_plan_the_orm_reads(city, next_year):
    """The planning pages read a year's plan, its preparation and the plan it was
    prepared from by the year (``planning.selectors.plan_of_year``), the same way."""
    for year, with_previous in ((2025, True), (2025, False), (2024, True), (2024, False)):
        related = "preparation__previous" if with_previous else "preparation"
        orm = WorkPlan.objects.select_related(related).get(year=year)
        read = plan_of_year(year, with_previous=with_previous)
        assert values(read) == values(orm)
        assert read._state.fields_cache.keys() == orm._state.fields_cache.keys()
    with_previous = plan_of_year(2025, with_previous=True)
    assert values(with_previous.preparation) == values(next_year.preparation)
    assert with_previous.preparation.previous == city.plan
    assert not hasattr(plan_of_year(2024), "preparation")  # read, and there is none
    with pytest.raises(TypeError):
        ById(WorkPlan, lambda year: WorkPlan.objects.filter(year=year), key="year").get(pk=1)


@pytest.mark.parametrize("year", [0, 1999, 32767, 32768, 10**6, 2**63, 10**30])
def test_a_year_without_a_plan_is_a_404_on_the_planning_pages(client, city, next_year, year):
    client.force_login(city.mayors_office)
    for page in ("carry-over/", "submissions/"):
        assert client.get(f"/plans/{year}/{page}").status_code == 404, page


def test_a_bureau_read_by_its_code_is_the_bureau_the_orm_reads(city, next_year):
    for bureau in (city.economy, city.finance, city.welfare):
        orm = Bureau.objects.select_related("head").get(code=bureau.code)
        read = bureau_of_code(bureau.code)
        assert values(read) == values(orm)
        assert (values(read.head) if read.head else None) == (
            values(orm.head) if orm.head else None
        )


@pytest.mark.parametrize("code", ["no-such-bureau", "x" * 300, "ById-placeholder", "0"])
def test_a_code_without_a_bureau_is_a_404_on_its_submission_page(client, city, next_year, code):
    client.force_login(city.mayors_office)
    assert client.get(f"/plans/2025/bureaus/{code}/").status_code == 404

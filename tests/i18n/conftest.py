import pytest

from tests.factories import AgendaItemFactory, ReportSessionFactory


@pytest.fixture
def walk_city(city):
    """The ``city`` with something on every page: a report session with its agenda.

    Pages added later that need an object of their own (a directive, a reminder) add it
    here as an attribute, and their REGISTRY entry's kwargs read it."""
    # People as the city names them (the bare fixture uses English usernames).
    names = {
        "economy_head": "김경제",
        "welfare_head": "이복지",
        "finance_staff": "박금융",
        "other_staff": "최직원",
        "mayors_office": "정기획",
    }
    for role, name in names.items():
        user = getattr(city, role)
        # Korean names are written whole, family name first (as plans.loader stores them).
        user.last_name, user.first_name = name, ""
        user.save(update_fields=["last_name", "first_name"])
    city.session = ReportSessionFactory(
        sector=city.sectors[0], theme_ko="민생 안정과 경제 활력 제고"
    )
    city.agenda_item = AgendaItemFactory(session=city.session, bureau=city.economy)
    return city

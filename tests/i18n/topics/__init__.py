"""Pages of each feature area, registered beside the others in tests/i18n/pages.py.

Each module holds ``PAGES`` (URL name → entry, as in ``pages.REGISTRY``) and
``build(city)``, which adds to the walk city the objects its pages' kwargs read. One
module per area keeps branches that add pages from colliding in one dictionary.
"""

from tests.i18n.topics import api, cycle, discussion, governance, scale, sessions

TOPICS = (cycle, sessions, governance, discussion, api, scale)

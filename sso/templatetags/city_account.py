from django import template

from ..ways_in import ways_in

register = template.Library()


@register.simple_tag
def city_account():
    """Which ways in with the city account the sign-in page offers."""
    return ways_in()

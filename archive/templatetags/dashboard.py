"""The curators' dashboard on the admin's index page (archive.dashboard)."""

from django import template

from archive.dashboard import dashboard

register = template.Library()


@register.inclusion_tag("admin/archive/dashboard/panel.html")
def archive_dashboard() -> dict:
    return dashboard()

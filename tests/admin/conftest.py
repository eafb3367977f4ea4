"""Admin test helpers: staff users, the Curators group, and change-form posts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

CURATOR_PASSWORD = "curate-with-care-2026"


@pytest.fixture
def curator(db) -> User:
    """A staff user whose only permissions come from the Curators group."""
    user = User.objects.create_user(
        "curator", "curator@example.org", CURATOR_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def change_form_data(client, url: str, **changes) -> dict:
    """What the admin change form at `url` would post unchanged, with `changes` applied:
    the article's fields and every inline row, as a browser posts them."""
    response = client.get(url)
    assert response.status_code == 200
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.forms:
            data.update(form_values(form))
    data.update(changes)
    return data


def form_values(form) -> dict:
    """A form's fields as a browser posts them: unchecked boxes and empty values left out."""
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        values[form.add_prefix(name)] = "on" if value is True else value
    return values

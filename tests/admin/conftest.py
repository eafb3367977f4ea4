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
    """What the admin change form at `url` would post unchanged, with `changes` applied.

    Inline formsets are posted empty, which leaves their rows as they are."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data

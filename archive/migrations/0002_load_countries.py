"""Load the ISO 3166-1 countries (pycountry, with countryinfo's common names)."""

from django.db import migrations
from django.utils.text import slugify


def load_countries(apps, schema_editor):
    from archive.countries import iso_countries

    Country = apps.get_model("archive", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    slugs = set(Country.objects.values_list("slug", flat=True))
    rows = []
    for country in iso_countries():
        if country.code in existing:
            continue
        slug = slugify(country.name) or country.code.lower()
        if slug in slugs:
            slug = f"{slug}-{country.code.lower()}"
        slugs.add(slug)
        rows.append(Country(code=country.code, alpha3=country.alpha3, name=country.name, slug=slug))
    Country.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]

"""Eight band keys an article where there were sixteen (archive.similarity): the keys of the
first eight bands are the same as before, so the rows of the other eight are deleted, the
keys they hold computed again from each stored sketch, a chunk of articles at a time."""

import hashlib

from django.db import migrations

OLD_BANDS, NEW_BANDS, BAND_BYTES = 16, 8, 16  # four values of four bytes a band
CHUNK = 500  # articles, and their 4,000 keys, a statement


def _key(sketch: bytes, band: int) -> int:
    part = sketch[band * BAND_BYTES : (band + 1) * BAND_BYTES]
    digest = hashlib.blake2b(bytes([band]) + part, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def drop_later_bands(apps, schema_editor):
    ArticleSketch = apps.get_model("archive", "ArticleSketch")
    SketchBand = apps.get_model("archive", "SketchBand")
    last = 0
    while True:
        chunk = list(
            ArticleSketch.objects.filter(article_id__gt=last)
            .order_by("article_id")
            .values_list("article_id", "minhash")[:CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1][0]
        # A key hashes its band's number with its values: a later band's key is no earlier
        # band's (but by a 64-bit collision), so the chunk's later keys are deleted at once.
        later = {
            _key(bytes(sketch), band)
            for _, sketch in chunk
            for band in range(NEW_BANDS, OLD_BANDS)
            if len(sketch) >= OLD_BANDS * BAND_BYTES
        }
        ids = [article for article, _ in chunk]
        SketchBand.objects.filter(article_id__in=ids, key__in=sorted(later)).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0031_article_rules_version_index")]

    operations = [migrations.RunPython(drop_later_bands, migrations.RunPython.noop)]

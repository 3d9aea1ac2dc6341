"""`vigil serve` collects the static files only when they changed since the last collection."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from vigil.core.static_files import STAMP, collect_static


@pytest.fixture
def static(tmp_path: Path):
    """A source folder of two files and an empty STATIC_ROOT, with only the folder finder."""
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black; }\n" * 200)
    (source / "app.js").write_text("console.log('fictional');\n" * 200)
    root = tmp_path / "collected"
    with override_settings(
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATIC_ROOT=root,
    ):
        yield source, root


def test_first_start_collects_and_compresses_and_the_next_start_skips(static):
    source, root = static
    assert collect_static() is True
    assert (root / "css" / "site.css").read_text() == (source / "css" / "site.css").read_text()
    assert (root / "css" / "site.css.gz").is_file()  # whitenoise compressed it
    assert (root / STAMP).is_file()
    assert collect_static() is False


def test_a_changed_source_file_is_collected_again(static):
    source, root = static
    collect_static()
    (source / "app.js").write_text("console.log('changed');\n" * 200)
    assert collect_static() is True
    assert "changed" in (root / "app.js").read_text()
    assert collect_static() is False


def test_a_new_source_file_is_collected(static):
    source, root = static
    collect_static()
    (source / "extra.css").write_text("p { margin: 0; }\n" * 100)
    assert collect_static() is True
    assert (root / "extra.css").is_file()


def test_a_collected_file_removed_by_hand_is_collected_again(static):
    _, root = static
    collect_static()
    (root / "css" / "site.css").unlink()
    assert collect_static() is True
    assert (root / "css" / "site.css").is_file()


def test_a_stamp_from_other_files_does_not_count(static):
    _, root = static
    collect_static()
    (root / STAMP).write_text("0" * 64)
    assert collect_static() is True


def test_a_file_no_longer_shipped_is_removed(static):
    source, root = static
    collect_static()
    (source / "app.js").unlink()
    assert collect_static() is True
    assert not (root / "app.js").exists()

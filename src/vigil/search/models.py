"""Derived search data: name forms with their spelling keys, text documents, a log watermark.

None of these is a record: they are rebuilt from the record by ``vigil search-index`` and
kept current on every save. They hold no confidentiality of their own, so every hit is cut
by the access policy on the record it came from before anyone sees it.
"""

from __future__ import annotations

from django.db import models


class NameForm(models.Model):
    """One searchable name of a person: the display name (``name`` empty) or a stored name."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey("records.Person", on_delete=models.CASCADE, related_name="+")
    name = models.ForeignKey(
        "records.PersonName", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=300)
    normalised = models.CharField(max_length=300, db_index=True)

    def __str__(self) -> str:
        return self.text


class NameText(models.Model):
    """One distinct normalised text of the stored forms (``NameForm.normalised``), by id.

    Each key row names its form's text by this id (``NameKey.text_id``), read with the key
    rows from the key index: the name search orders the forms it keeps by tier, rank and
    string similarity from their texts (one read of ~110–220 texts by id at 100k) before
    reading any form, and then reads only the forms it needs. Written with the forms
    (``name_index``); a text no form holds any more stays until the index is rebuilt or a
    record is purged (``name_index.prune_tokens``, which drops it).
    """

    id = models.BigAutoField(primary_key=True)
    normalised = models.CharField(max_length=300)

    class Meta:
        # A constraint, not ``unique=True``: on PostgreSQL that would add a second,
        # ``varchar_pattern_ops`` index no statement reads.
        constraints = [
            models.UniqueConstraint(fields=["normalised"], name="search_nametext_once")
        ]

    def __str__(self) -> str:
        return self.normalised


class NameKey(models.Model):
    """One key of a name form: a sound skeleton, a given-name id or a normalised token;
    ``text_id``: the id of its form's normalised text (``NameText``).

    A form never changes (a changed name's forms are written anew), so neither does the text
    its key rows name. A plain integer, not a foreign key: a text row is only ever dropped
    when no form holds its text (so no key row names it), and no constraint is checked on
    each of the ~10 key rows a name writes. Vigil always writes it; the database's default 0
    ("no text named") is for the key rows a release before migration 0006 writes while it still
    serves beside this one (the search reads those forms' texts from the forms themselves).
    """

    id = models.BigAutoField(primary_key=True)
    form = models.ForeignKey(NameForm, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=100)
    text_id = models.BigIntegerField(null=True, db_default=models.Value(0))

    class Meta:
        # Covering: a lookup by key reads the form ids and text ids from the index alone.
        # SQLite only: on PostgreSQL the prefix index (key varchar_pattern_ops, form_id)
        # INCLUDE (text_id) (migrations 0003 and 0006) answers every lookup by key, and
        # migration 0005 dropped the plain key index there (0006 does not build this one).
        indexes = [
            models.Index(fields=["key", "form", "text_id"], name="search_namekey_key_form_text")
        ]

    def __str__(self) -> str:
        return self.key


class NameToken(models.Model):
    """The name index's vocabulary: one key of one stored token (``spelling.token_keys``),
    ``token`` being that token's own key (``t:…``) as the key rows hold it.

    A name's keys are its tokens' keys, so the forms with a key are the forms with a token
    giving it: a word's rows of the forms with a surname are read as the rows of those tokens
    (one a form and token, not one a key: a given name's skeleton, id and token are one row,
    not three) and their keys worked out from the tokens. Every stored token has its rows
    here (written with the key rows, ``name_index``); a token no form holds any more keeps
    them until the index is rebuilt or a record is purged (``name_index.prune_tokens``) — it
    finds no form.
    """

    id = models.BigAutoField(primary_key=True)
    token = models.CharField(max_length=100)
    key = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="search_nametoken_once")
        ]
        # Covering: the tokens giving a key, or a key range, from the index alone (on
        # PostgreSQL in byte order, the name search's ranges being ``~>=~``/``~<~``; SQLite
        # has no operator classes and orders its text by bytes).
        indexes = [
            models.Index(
                fields=["key", "token"],
                name="search_nametoken_key_token",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.token} {self.key}"


class TextDocument(models.Model):
    """The searchable text of one record (never an encrypted field), as stored and folded."""

    id = models.BigAutoField(primary_key=True)
    model = models.CharField(max_length=60)
    object_id = models.UUIDField()
    body = models.TextField()
    folded = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="search_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class IndexState(models.Model):
    """A named counter of the index (the last history row it has caught up with)."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"

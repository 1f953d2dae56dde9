from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.search.constants import DocumentKind, SearchAudience


class SearchDocument(models.Model):
    """One searchable thing (an article, a task or a KLE entry) as the index holds it.

    Both back ends index the search stems (`search.analysis.stem`) of the title, its compound
    parts, the OS2KLE terms (with their parts), the text and its parts: PostgreSQL in generated,
    GIN-indexed `vector` and `title_vector` columns (`simple` configuration, weights A, B, C, D
    and D; migration 0006), SQLite in the FTS5 table `search_fts`, kept in step by triggers.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    audience = models.CharField(
        _("audience"), max_length=10, choices=SearchAudience.choices, default=SearchAudience.STAFF
    )
    title = models.CharField(_("title"), max_length=400)
    body = models.TextField(_("text"), blank=True)
    # OS2KLE's terms for the KLE topics the document is filed under (its own, for a KLE entry):
    # names of the thing, ranked above its text and below the title's parts.
    terms = models.TextField(blank=True)
    # The parts of compound words (byggetilladelse → bygge tilladelse).
    title_extra = models.TextField(blank=True)
    body_extra = models.TextField(blank=True)
    # Search stems of the same texts (the terms' with their compound parts), which both back
    # ends index.
    stems_title = models.TextField(blank=True)
    stems_title_extra = models.TextField(blank=True)
    stems_terms = models.TextField(blank=True)
    stems_body = models.TextField(blank=True)
    stems_body_extra = models.TextField(blank=True)
    # How many stems the five stem texts hold: bm25's document length on PostgreSQL (FTS5
    # keeps its own).
    length = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SearchTerm(models.Model):
    """A word of the indexed texts and how many documents hold it.

    The vocabulary tells a compound's parts from noise, corrects typos to known words and gives
    each query word its rarity.
    """

    word = models.CharField(max_length=100, unique=True)
    stem = models.CharField(max_length=100, db_index=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.word


class SearchIndexSize(models.Model):
    """How many documents the index holds and how many stems they hold together: bm25's
    document count and average length, kept by the indexer in one row (id 1), so that a query
    reads them without counting the documents. No row is an empty index."""

    documents = models.PositiveIntegerField(default=0)
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("search index size")
        verbose_name_plural = _("search index sizes")

    def __str__(self) -> str:
        return f"{self.documents} documents, {self.length} stems"

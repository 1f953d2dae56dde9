from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.knowledge.constants import Audience


class DocumentKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    TASK = "task", _("Task")
    KLE = "kle", _("KLE topic")


# `public` documents may be shown to citizens; everything else is for staff only. The same
# vocabulary as the articles' audience, so the API has one enum for it.
SearchAudience = Audience


# A ranked kind bonus: an answer beats a task, a task beats a bare KLE topic.
KIND_BOOST = {DocumentKind.ARTICLE: 1.3, DocumentKind.TASK: 1.15, DocumentKind.KLE: 1.0}
# Words in more than this share of the documents only slow a query down; they are left out
# when the query has rarer words.
COMMON_WORD_SHARE = 0.02
COMMON_WORD_MIN_DOCUMENTS = 200
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_QUERY_WORDS = 8

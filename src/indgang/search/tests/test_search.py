from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.conftest import ApiFor, Org, Staff, staff_client
from indgang.knowledge.constants import Audience
from indgang.knowledge.models import Article
from indgang.knowledge.services import ArticleData, update_article
from indgang.knowledge.tests.fixtures import MakeArticle
from indgang.organisation.selectors import get_scope
from indgang.search.constants import KIND_BOOST, DocumentKind
from indgang.search.models import SearchDocument, SearchIndexSize, SearchTerm
from indgang.search.selectors import plan_query, search
from indgang.search.services import index_tasks, reindex_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(make_article: MakeArticle, staff: Staff, tasks: dict[str, Task]) -> dict[str, Article]:
    """A few articles: a compound in one, its parts as separate words in another."""
    articles = {
        "compound": make_article(
            title="Byggetilladelse til udestue", answer="Udestuer kræver tilladelse."
        ),
        "parts": make_article(
            title="Drivhus i haven", answer="Du skal ikke bygge noget uden tilladelse fra os."
        ),
        "public": make_article(
            title="Rotter i kælderen", answer="Anmeld rotter.", audience=Audience.PUBLIC
        ),
        "staff": make_article(title="Rotter: intern vejledning", answer="Ring til rottefængeren."),
    }
    reindex_all(now=timezone.now())
    return articles


def rewrite(article: Article, title: str, answer: str, staff: Staff, org: Org) -> None:
    """Give the article a new title and answer through the knowledge service."""
    update_article(
        article=article,
        data=ArticleData(
            title=title,
            answer=answer,
            owner_unit=org.building_unit,
            review_on=article.review_on,
        ),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )


def titles(text: str, **kwargs: object) -> list[str]:
    return [hit.title for hit in search(text=text, **kwargs)]  # type: ignore[arg-type]


def test_the_compound_finds_the_split_words(library: dict[str, Article]) -> None:
    assert "Drivhus i haven" in titles("byggetilladelse")


def test_the_split_words_find_the_compound(library: dict[str, Article]) -> None:
    assert titles("bygge tilladelse")[0] == "Byggetilladelse til udestue"


def test_a_one_letter_typo_is_corrected_to_a_known_word(library: dict[str, Article]) -> None:
    assert plan_query("byggetiladelse").corrections == {"byggetiladelse": "byggetilladelse"}
    assert titles("byggetiladelse")[0] == "Byggetilladelse til udestue"


def test_stemming_finds_other_forms_of_a_word(library: dict[str, Article]) -> None:
    assert titles("udestuen")[0] == "Byggetilladelse til udestue"


def test_public_search_never_returns_staff_only_articles(library: dict[str, Article]) -> None:
    assert sorted(titles("rotter")) == ["Rotter i kælderen", "Rotter: intern vejledning"]
    assert titles("rotter", audience=Audience.PUBLIC) == ["Rotter i kælderen"]
    assert titles("rottefængeren", audience=Audience.PUBLIC) == []


def test_a_query_of_only_stop_words_or_unknown_words_finds_nothing(
    library: dict[str, Article],
) -> None:
    assert titles("og i til") == []
    assert titles("xqzvw") == []


def test_changing_an_article_updates_the_index_and_the_vocabulary(
    library: dict[str, Article], staff: Staff, org: Org
) -> None:
    rewrite(library["compound"], "Vinterhave", "Vinterhaver kræver tilladelse.", staff, org)

    assert "Vinterhave" in titles("vinterhave")
    assert "Vinterhave" not in titles("udestue")
    assert not SearchTerm.objects.filter(word="udestue").exists()
    assert SearchTerm.objects.get(word="vinterhave").documents == 1


def test_reindex_command_rebuilds_articles_tasks_and_kle(
    library: dict[str, Article], tasks: dict[str, Task]
) -> None:
    SearchDocument.objects.all().delete()

    call_command("search", "reindex", verbosity=0)

    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds == {DocumentKind.ARTICLE, DocumentKind.TASK, DocumentKind.KLE}
    assert SearchDocument.objects.filter(kind=DocumentKind.ARTICLE).count() == 4
    hit = search(text="fjernvarme")[0]
    assert (hit.kind, hit.object_id) == (DocumentKind.TASK, tasks["heating"].pk)


def test_both_back_ends_rank_by_bm25_over_the_stored_lengths(
    library: dict[str, Article],
) -> None:
    # "drivhus": once in one title (weight 10), in no other document.
    document = SearchDocument.objects.get(title="Drivhus i haven")
    lengths = list(SearchDocument.objects.values_list("length", flat=True))
    total, average = len(lengths), sum(lengths) / len(lengths)
    idf = math.log((total - 1 + 0.5) / (1 + 0.5))
    norm = 1.2 * (0.25 + 0.75 * document.length / average)
    expected = idf * 10 * 2.2 / (10 + norm) * KIND_BOOST[DocumentKind.ARTICLE]

    [hit] = search(text="drivhus")

    assert document.length == len(
        f"{document.stems_title} {document.stems_title_extra} {document.stems_terms} "
        f"{document.stems_body} {document.stems_body_extra}".split()
    )
    # FTS5 counts the audience column in a document's length too: within 1 %.
    assert hit.score == pytest.approx(expected, rel=0.01)


def test_the_index_size_follows_every_write(
    library: dict[str, Article], tasks: dict[str, Task], staff: Staff, org: Org
) -> None:
    def size() -> tuple[int, int]:
        row = SearchIndexSize.objects.get()
        return row.documents, row.length

    def counted() -> tuple[int, int]:
        lengths = list(SearchDocument.objects.values_list("length", flat=True))
        return len(lengths), sum(lengths)

    assert size() == counted()
    before = size()
    answer = "Vinterhaver og glastage kræver tilladelse fra kommunen."
    rewrite(library["compound"], "Vinterhave med glastag", answer, staff, org)
    task = next(iter(tasks.values()))
    Task.objects.filter(pk=task.pk).update(is_active=False)
    index_tasks(task_ids=[task.pk], now=timezone.now())

    assert size() == counted()
    assert size()[0] == before[0] - 1
    assert size()[1] != before[1]


def test_how_often_a_word_occurs_counts_and_saturates(
    make_article: MakeArticle, tasks: dict[str, Task]
) -> None:
    # The tasks make the word rare: bm25 gives a word in half the documents or more no weight.
    once = make_article(title="Vejledning", answer="Meld flytning hos os. Husk nøgler.")
    thrice = make_article(title="Vejledning", answer="Meld flytning hos os. Flytning, flytning.")
    reindex_all(now=timezone.now())
    articles = SearchDocument.objects.filter(kind=DocumentKind.ARTICLE)
    lengths = dict(articles.values_list("object_id", "length"))
    assert lengths[once.pk] == lengths[thrice.pk]

    hits = [hit for hit in search(text="flytning") if hit.kind == DocumentKind.ARTICLE]

    assert [hit.object_id for hit in hits] == [thrice.pk, once.pk]
    # Three places weigh less than three times one (k1 = 1.2).
    assert hits[0].score < 2 * hits[1].score


def test_kle_entries_are_found_by_number(library: dict[str, Article]) -> None:
    hit = search(text="13.03.20")[0]
    assert (hit.kind, hit.title.split()[0]) == (DocumentKind.KLE, "13.03.20")


def test_search_api_ranks_and_honours_the_public_audience(
    library: dict[str, Article], api_for: ApiFor, staff: Staff
) -> None:
    api = api_for(staff.frontline)

    everything = api.get("/api/v1/search/", {"q": "rotter"}).json()
    public = api.get("/api/v1/search/", {"q": "rotter", "audience": "public"}).json()

    assert {hit["title"] for hit in everything["results"]} == {
        "Rotter i kælderen",
        "Rotter: intern vejledning",
    }
    assert [(hit["kind"], hit["title"], hit["audience"]) for hit in public["results"]] == [
        ("article", "Rotter i kælderen", "public")
    ]
    assert public["results"][0]["url"] == f"/knowledge/articles/{library['public'].pk}/"


def test_search_api_reports_the_typo_correction(
    library: dict[str, Article], api_for: ApiFor, staff: Staff
) -> None:
    response = api_for(staff.frontline).get("/api/v1/search/", {"q": "udestuw"}).json()

    assert response["corrections"] == {"udestuw": "udestue"}
    assert response["results"][0]["title"] == "Byggetilladelse til udestue"


def test_search_api_refuses_an_empty_query_in_danish(api_for: ApiFor, staff: Staff) -> None:
    response = api_for(staff.frontline).get("/api/v1/search/", {"q": ""}, HTTP_ACCEPT_LANGUAGE="da")

    assert (response.status_code, response.json()) == (
        400,
        {"q": ["Skriv, hvad du vil søge efter."]},
    )


def test_search_api_needs_a_role(api_for: ApiFor, db: None) -> None:
    from django.contrib.auth.models import User

    nobody = User.objects.create_user("nobody", password="x-long-password-1")

    assert api_for(nobody).get("/api/v1/search/", {"q": "rotter"}).status_code == 403


def test_a_stale_review_date_does_not_hide_an_article_from_search(
    make_article: MakeArticle,
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=400)
    make_article(
        title="Gammel carport", now=long_ago, review_on=(long_ago + dt.timedelta(days=1)).date()
    )

    assert titles("carport") == ["Gammel carport"]


def test_import_kle_command_makes_the_plan_searchable(db: None) -> None:
    from indgang.conftest import KLE_SUBSET

    call_command(
        "import-kle", str(KLE_SUBSET), verbosity=0, stdout=io.StringIO(), stderr=io.StringIO()
    )

    hit = search(text="grundvand")[0]
    assert hit.kind == DocumentKind.KLE
    assert SearchDocument.objects.filter(kind=DocumentKind.KLE).count() > 0


def test_search_command_prints_the_best_hits(library: dict[str, Article]) -> None:
    out = io.StringIO()

    call_command("search", "query", "udestue", "--limit", "1", stdout=out)

    assert out.getvalue().split()[1:4] == [
        "article",
        str(library["compound"].pk),
        "Byggetilladelse",
    ]


@pytest.mark.parametrize(("url", "field"), [("/search/", "q"), ("/search/front-desk/", "kb_q")])
def test_the_search_page_and_the_front_desk_show_the_correction(
    library: dict[str, Article], staff: Staff, url: str, field: str
) -> None:
    client = staff_client(staff.frontline)

    html = client.get(url, {field: "udestuw"}, HTTP_ACCEPT_LANGUAGE="da").content.decode()

    assert '<p class="hint">Søgte efter <em>udestue</em></p>' in html
    assert html.index("Søgte efter") < html.index("Byggetilladelse til udestue")


def test_an_os2kle_term_finds_its_topic_and_task_and_a_reimport_refreshes_only_those(
    library: dict[str, Article], tasks: dict[str, Task], tmp_path: Path
) -> None:
    keywords = tmp_path / "OS2KLE.txt"
    keywords.write_text(
        "KLENummer='13.03.20':KLETitel='Fjernvarme':Keywords[Weight]=varmepris[10];\n",
        encoding="utf-8",
    )
    call_command("import-kle-keywords", str(keywords), stdout=io.StringIO())
    untouched = SearchDocument.objects.get(
        kind=DocumentKind.ARTICLE, object_id=library["public"].pk
    )

    assert {(hit.kind, hit.title.split()[0]) for hit in search(text="varmepriser")} == {
        (DocumentKind.KLE, "13.03.20"),
        (DocumentKind.TASK, "Tilslutning"),
    }

    keywords.write_text(
        "KLENummer='13.03.20':KLETitel='Fjernvarme':Keywords[Weight]=fjernvarmetakst[10];\n",
        encoding="utf-8",
    )
    call_command("import-kle-keywords", str(keywords), stdout=io.StringIO())

    assert search(text="varmepris") == []
    assert {(hit.kind, hit.title.split()[0]) for hit in search(text="fjernvarmetakst")} == {
        (DocumentKind.KLE, "13.03.20"),
        (DocumentKind.TASK, "Tilslutning"),
    }
    assert not SearchTerm.objects.filter(word="varmepris").exists()
    assert SearchDocument.objects.get(pk=untouched.pk).updated_at == untouched.updated_at


def test_os2kle_terms_are_indexed_as_the_topics_names_not_as_text(
    library: dict[str, Article], tasks: dict[str, Task], tmp_path: Path
) -> None:
    keywords = tmp_path / "OS2KLE.txt"
    keywords.write_text(
        "KLENummer='13.03.20':KLETitel='Fjernvarme':Keywords[Weight]="
        "varmepris[10];fjernvarmetilladelse[5];ok 13[1000];\n"
        "KLENummer='13.03.00':KLETitel='Varmeforsyning':Keywords[Weight]=varmepris[5];\n",
        encoding="utf-8",
    )
    call_command("import-kle-keywords", str(keywords), stdout=io.StringIO())

    task = SearchDocument.objects.get(kind=DocumentKind.TASK, object_id=tasks["heating"].pk)
    assert (task.terms, task.stems_terms) == (
        "varmepris\nfjernvarmetilladelse",
        "varmepris fjernvarmetillad fjernvarm tillad fjernvarm",
    )
    assert "varmepris" not in task.body


def test_forms_command_prints_how_many_words_meet_before_and_after(db: None) -> None:
    out = io.StringIO()

    call_command("search", "forms", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Snowball: bøjningsformerne får samme stamme for 69 af 81 ord"
    assert lines[1] == (
        "  parkeringslicens → parkeringslic, parkeringslicenser → parkeringslicens, "
        "parkeringslicensen → parkeringslicens"
    )
    assert lines[-1] == "Søgestamme: bøjningsformerne får samme stamme for 81 af 81 ord"
    assert len(lines) == 2 + 12

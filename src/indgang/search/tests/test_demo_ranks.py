"""Search ranks on the demo (full KLE plan with OS2KLE's keyword lists, Copenhagen's task list,
the seeded knowledge base), as `make demo` loads it.

The demo is loaded once for the module, through `load_demo`, and flushed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from pytest_django.plugin import DjangoDbBlocker

from indgang.conftest import KLE_FULL, OS2KLE, staff_client
from indgang.demo.services import load_demo
from indgang.knowledge.constants import Audience
from indgang.knowledge.models import Article, Guide, KnowledgeUse, StaleFlag
from indgang.search.constants import DocumentKind
from indgang.search.selectors import SearchHit, search
from indgang.search.word_forms import COMMON_WORD_FORMS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        load_demo(kle_path=KLE_FULL, keywords_path=OS2KLE, progress=lambda message: None)
        yield
        call_command("flush", interactive=False, verbosity=0)


def first(text: str, **kwargs: object) -> SearchHit:
    hits = search(text=text, **kwargs)  # type: ignore[arg-type]
    assert hits, text
    return hits[0]


def test_byggetilladelse_carport_finds_the_carport_article_first() -> None:
    hit = first("byggetilladelse carport")
    assert (hit.kind, hit.title) == (
        DocumentKind.ARTICLE,
        "Carport eller garage: skal man søge byggetilladelse?",
    )


def test_rotter_i_haven_finds_the_rat_article_first() -> None:
    hit = first("rotter i haven")
    assert (hit.kind, hit.title) == (
        DocumentKind.ARTICLE,
        "Rotter i haven eller kælderen: anmeld rotter",
    )


def test_ny_sygesikringskort_finds_the_health_card_article_first() -> None:
    hit = first("ny sygesikringskort")
    assert (hit.kind, hit.title) == (
        DocumentKind.ARTICLE,
        "Nyt sygesikringskort (sundhedskort): bestil eller erstat et bortkommet kort",
    )


def test_aktindsigt_finds_an_aktindsigt_article_or_the_task_first() -> None:
    hit = first("aktindsigt")
    assert (hit.kind, hit.title) in {
        (DocumentKind.ARTICLE, "Aktindsigt: hvornår får man svar?"),
        (
            DocumentKind.ARTICLE,
            "Hvad dækker KLE 00.07.03 Partens aktindsigt - forvaltningsprincipper?",
        ),
        (DocumentKind.TASK, "Aktindsigt"),
    }


def test_aktindsigt_ranks_the_answer_article_and_the_task_in_the_top_three() -> None:
    top = [(hit.kind, hit.title) for hit in search(text="aktindsigt", limit=3)]
    assert (DocumentKind.ARTICLE, "Aktindsigt: hvornår får man svar?") in top
    assert (DocumentKind.TASK, "Aktindsigt") in top


@pytest.mark.parametrize(
    ("typo", "title"),
    [
        (
            "sygesikringkort",
            "Nyt sygesikringskort (sundhedskort): bestil eller erstat et bortkommet kort",
        ),
        ("byggetiladelse carport", "Carport eller garage: skal man søge byggetilladelse?"),
    ],
)
def test_a_typo_still_finds_the_article_first(typo: str, title: str) -> None:
    assert first(typo).title == title


def test_split_words_find_the_compound_bygge_tilladelse_carport() -> None:
    assert first("bygge tilladelse carport").title == (
        "Carport eller garage: skal man søge byggetilladelse?"
    )


def test_public_search_returns_only_public_articles() -> None:
    public_ids = set(Article.objects.filter(audience=Audience.PUBLIC).values_list("pk", flat=True))
    for text in [
        "byggetilladelse",
        "aktindsigt",
        "servicemål byggesager",
        "telefon ring tilbage",
        "kanalstrategi",
        "rotter",
        "sygesikringskort",
        "straksafklaring",
    ]:
        hits = search(text=text, audience=Audience.PUBLIC, limit=50)
        assert all(hit.kind == DocumentKind.ARTICLE for hit in hits), text
        assert {hit.object_id for hit in hits} <= public_ids, text


def test_staff_only_article_is_found_by_staff_but_not_by_the_public() -> None:
    staff_hit = first("servicemål byggesager")
    assert staff_hit.title == "Servicemål for byggesager"
    assert [
        hit.title
        for hit in search(text="servicemål byggesager", audience=Audience.PUBLIC)
        if hit.title == "Servicemål for byggesager"
    ] == []


def test_task_hits_carry_their_guide() -> None:
    hit = next(h for h in search(text="rotter") if h.kind == DocumentKind.TASK)
    assert hit.guide_id == Guide.objects.get(task__title="Rotter").pk


def test_demo_seeds_articles_guides_stale_flags_and_knowledge_use() -> None:
    assert Article.objects.filter(title="Aktindsigt: hvornår får man svar?").count() == 1
    assert set(StaleFlag.objects.values_list("article__title", flat=True)) == {
        "Telefonbeskeder: ring tilbage inden for et døgn",
        "Kanalstrategi: hvilken kanal skal borgeren bruge?",
    }
    assert Guide.objects.count() == 137
    assert KnowledgeUse.objects.exists()
    assert not KnowledgeUse.objects.exclude(contact__outcome="resolved_at_first_contact").exists()


# Words the demo holds in no form: no article, task, KLE topic or OS2KLE term of an active topic.
NOT_IN_THE_DEMO = {"restskat"}


def test_every_form_of_a_common_word_finds_the_same_first_hit() -> None:
    found_nothing = set()
    for forms in COMMON_WORD_FORMS:
        firsts = {form: _first_key(form) for form in forms}
        assert len(set(firsts.values())) == 1, firsts
        if firsts[forms[0]] is None:
            found_nothing.add(forms[0])
    assert found_nothing == NOT_IN_THE_DEMO


def _first_key(text: str) -> tuple[str, int] | None:
    hits = search(text=text, limit=1)
    return (hits[0].kind, hits[0].object_id) if hits else None


def test_a_kle_group_and_its_topics_come_as_one_hit_below_which_the_answers_fit() -> None:
    top = search(text="byggetilladelse", limit=3)

    assert {(hit.kind, hit.title) for hit in top} == {
        (DocumentKind.ARTICLE, "Hvad dækker KLE 02.34.02 Byggetilladelse?"),
        (DocumentKind.ARTICLE, "Carport eller garage: skal man søge byggetilladelse?"),
        (DocumentKind.KLE, "02.34 Byggetilladelse og anmeldelse om byggearbejde (BR10)"),
    }
    group = next(hit for hit in top if hit.kind == DocumentKind.KLE)
    assert [topic.title for topic in group.topics] == [
        "02.34.00 Byggetilladelse og anmeldelse om byggearbejde (BR10) i almindelighed",
        "02.34.02 Byggetilladelse",
    ]


@pytest.mark.parametrize("text", ["byggetilladelse", "flytning", "parkering", "affald", "pension"])
def test_no_two_hits_come_from_one_kle_group(text: str) -> None:
    groups = [hit.kle_group for hit in search(text=text, limit=20) if hit.kle_group]

    assert groups
    assert len(groups) == len(set(groups))


def test_an_os2kle_term_finds_its_topic_and_what_is_filed_under_it() -> None:
    # "rollator" is in none of their titles or texts, only in OS2KLE's terms for 27.60.08.
    hits = {(hit.kind, hit.title) for hit in search(text="rollator", limit=5)}

    assert first("rollator").title == "Hvad dækker KLE 27.60.08 Mobilitetshjælpemidler?"
    assert hits == {
        (DocumentKind.ARTICLE, "Hvad dækker KLE 27.60.08 Mobilitetshjælpemidler?"),
        (DocumentKind.KLE, "27.60.08 Mobilitetshjælpemidler"),
        (DocumentKind.TASK, "Hjælpemidler, tekniske og anden støtte"),
        (DocumentKind.TASK, "Hjælpemidler (bevilling personlig og teknisk og anden støtte)"),
        (DocumentKind.TASK, "Hjælpemidler, ergoterapeut"),
    }


MOVING_NOTIFICATION = "Hvad dækker KLE 23.05.10 Flytteanmeldelse?"


def test_flytning_ranks_the_moving_notification_article_top_three_above_the_urns() -> None:
    titles = [hit.title for hit in search(text="flytning", limit=10)]

    assert MOVING_NOTIFICATION in titles[:3]
    assert titles.index(MOVING_NOTIFICATION) < titles.index("04.30.02 Flytning af urner")


def test_a_word_only_os2kle_has_finds_the_article_filed_under_its_topic_first() -> None:
    # "gågade" is in none of the article's text, only in OS2KLE's terms for 05.13.10; before
    # the terms ranked as names, the article on benches (05.14.01) came first.
    assert first("gågade").title == "Hvad dækker KLE 05.13.10 Lokale trafiksaneringer?"


def test_the_search_page_lists_a_kle_groups_topics_under_it() -> None:
    client = staff_client(User.objects.get(username="skranke"))

    html = client.get("/search/", {"q": "byggetilladelse"}).content.decode()

    group = html.index("02.34 Byggetilladelse og anmeldelse om byggearbejde (BR10)</strong>")
    topics = html.index('<ul class="search-topics" aria-label="Flere emner i KLE-gruppen">')
    assert group < topics < html.index("02.34.02 Byggetilladelse</a>")
    assert html.count("02.34.00 Byggetilladelse") == 1

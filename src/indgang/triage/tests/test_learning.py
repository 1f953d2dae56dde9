from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize as sklearn_normalize

from indgang.triage.learning import (
    TEMPERATURE,
    Document,
    Example,
    Features,
    Predictor,
    Route,
    _columns,
    _row_lengths,
    best_tasks,
    cold_start,
    content_words,
    dump_state,
    learn,
    load_state,
    normalize,
    rank_scores,
)

DOCUMENTS = {
    Route(1, 10): "Rotter\nRottebekæmpelse\nSkadedyr",
    Route(2, 20): "Byggesager\nByggetilladelser\nansøgning om byggetilladelse til carport",
    Route(2, 21): "Byggesager\nNedrivningstilladelser",
    Route(3, 30): "Sygesikring\nSygesikringskort og lægevalg",
}


def test_stop_words_and_single_letters_carry_no_subject() -> None:
    assert content_words("Der er rotter i haven, og vi vil have hjælp!") == [
        "rotter",
        "haven",
        "hjælp",
    ]


def test_a_compound_written_apart_or_misspelt_finds_the_same_route() -> None:
    predictor = Predictor(cold_start(DOCUMENTS))

    for text in ("byggetilladelse", "bygge tilladelse", "bygetiladelse"):
        assert predictor.rank(Document(text))[0].route == Route(2, 20), text


def test_without_n_grams_a_misspelt_word_finds_nothing() -> None:
    predictor = Predictor(cold_start(DOCUMENTS, features=Features(ngrams=False)))

    assert predictor.rank(Document("byggetilladelse"))[0].route == Route(2, 20)
    assert predictor.rank(Document("bygetiladelse")) == []


def test_without_stems_or_n_grams_a_plural_misses_its_singular() -> None:
    stems_only = Predictor(cold_start(DOCUMENTS, features=Features(ngrams=False)))
    words_only = Predictor(cold_start(DOCUMENTS, features=Features(stem=False, ngrams=False)))

    # Rotter and rotterne share the stem "rot"; as whole words they share nothing.
    assert stems_only.rank(Document("rotterne"))[0].route == Route(1, 10)
    assert words_only.rank(Document("rotterne")) == []
    assert words_only.rank(Document("rotter"))[0].route == Route(1, 10)


def test_without_the_stem_a_plural_is_further_from_its_singular() -> None:
    def score(features: Features) -> float:
        predictor = Predictor(cold_start(DOCUMENTS, features=features))
        return float(
            predictor.scores([Document("rotterne")])[0, predictor.route_index[Route(1, 10)]]
        )

    # N-grams alone still meet (" rot", "rott", …), but without the shared stem "rot".
    assert 0 < score(Features(stem=False)) < score(Features())


def test_a_model_without_some_of_its_features_is_never_stored() -> None:
    with pytest.raises(ValueError, match="measuring"):
        dump_state(cold_start(DOCUMENTS, features=Features(stem=False)))


def test_confidences_of_all_routes_sum_to_one_and_tasks_add_their_routes() -> None:
    predictor = Predictor(cold_start(DOCUMENTS))
    scores = predictor.scores([Document("byggesager")])[0]

    ranked = rank_scores(scores, predictor.routes, limit=10)
    tasks = best_tasks(ranked, limit=3)

    assert abs(sum(s.confidence for s in ranked) - 1.0) < 1e-6
    assert tasks[0].route.task_id == 2
    assert tasks[0].confidence == sum(s.confidence for s in ranked if s.route.task_id == 2)


def test_explanation_names_the_words_that_pulled_towards_the_route() -> None:
    predictor = Predictor(cold_start(DOCUMENTS))

    assert predictor.explain(Document("rotter i haven"), Route(1, 10)) == ["rotter"]
    assert predictor.explain(Document("ny carport, byggetilladelse"), Route(2, 20)) == [
        "byggetilladelse",
        "carport",
    ]


def test_learning_then_taking_back_the_same_example_leaves_no_history() -> None:
    example = Example(Route(3, 30), Document("mistet mit gule kort"))
    state = cold_start(DOCUMENTS)

    learned = learn(state, add=[example], last_example_id=7)
    undone = learn(learned, remove=[example])

    assert learned.examples == 1
    assert learned.last_example_id == 7
    assert undone.examples == 0
    assert undone.sums.nnz == 0
    assert float(undone.history_df.sum()) == 0.0


def test_a_learned_example_moves_its_text_to_the_chosen_route() -> None:
    state = cold_start(DOCUMENTS)
    text = Document("kloak i kælderen og mistet kort")
    assert Predictor(state).rank(text)[0].route == Route(3, 30)

    learned = learn(state, add=[Example(Route(1, 10), text)])

    assert Predictor(learned).rank(text)[0].route == Route(1, 10)


def test_a_stored_state_loads_to_the_same_predictions() -> None:
    state = learn(
        cold_start(DOCUMENTS),
        add=[Example(Route(3, 30), Document("gule kort", "phone", "citizen"))],
        last_example_id=3,
    )

    loaded = load_state(dump_state(state))

    assert loaded.routes == state.routes
    assert loaded.last_example_id == 3
    texts = [Document("gule kort"), Document("carport"), Document("rotter")]
    assert np.allclose(Predictor(loaded).scores(texts), Predictor(state).scores(texts))


WORDS = ["rotter", "haven", "byggetilladelse", "carport", "kælder", "vand", "kort", "i", "og", "ny"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(text=texts, route=st.sampled_from(sorted(DOCUMENTS)))
def test_the_explanation_names_only_words_of_the_text(text: str, route: Route) -> None:
    words = Predictor(cold_start(DOCUMENTS)).explain(Document(text), route)

    assert set(words) <= set(content_words(text))
    assert len(words) <= 4


@settings(max_examples=40, deadline=None)
@given(text=texts, route=st.sampled_from(sorted(DOCUMENTS)))
def test_confidences_form_a_distribution_whatever_the_text(text: str, route: Route) -> None:
    state = learn(cold_start(DOCUMENTS), add=[Example(route, Document(text))])
    predictor = Predictor(state)
    ranked = rank_scores(predictor.scores([Document(text)])[0], predictor.routes, limit=10)

    assert all(0.0 <= scored.confidence <= 1.0 for scored in ranked)
    assert sum(scored.confidence for scored in ranked) <= 1.0 + 1e-6
    assert [s.confidence for s in ranked] == sorted((s.confidence for s in ranked), reverse=True)


@settings(max_examples=30, deadline=None)
@given(
    examples=st.lists(st.tuples(texts, st.sampled_from(sorted(DOCUMENTS))), min_size=1, max_size=6)
)
def test_taking_back_every_learned_example_restores_the_cold_start(
    examples: list[tuple[str, Route]],
) -> None:
    labelled = [Example(route, Document(text)) for text, route in examples]
    cold = cold_start(DOCUMENTS)

    undone = learn(learn(cold, add=labelled), remove=labelled)

    probe = [Document(text) for text, _route in examples]
    assert undone.examples == 0
    assert np.allclose(Predictor(undone).scores(probe), Predictor(cold).scores(probe), atol=1e-5)


def test_a_topic_staff_chose_for_an_active_task_can_be_suggested() -> None:
    chosen = Route(3, 31)  # task 3 with a topic the catalogue does not give it
    text = Document("gult kort til lægen")

    learned = learn(cold_start(DOCUMENTS), add=[Example(chosen, text)] * 5)

    assert Predictor(learned).rank(text)[0].route == chosen


def test_routes_of_an_inactive_task_are_never_suggested() -> None:
    active = {route for route in DOCUMENTS if route.task_id != 1}
    state = learn(
        cold_start(DOCUMENTS, active=active),
        add=[Example(Route(1, 10), Document("rotter i haven"))],
    )

    ranked = Predictor(state).rank(Document("rotter i haven"))

    assert all(scored.route.task_id != 1 for scored in ranked)


EXPLOITED: list[str] = []


def _exploit() -> None:
    EXPLOITED.append("ran")


class _Payload:
    """What a pickle can do when loaded: call any importable function."""

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_exploit, ())


def test_a_stored_state_is_never_unpickled() -> None:
    payload = pickle.dumps({"format": 2, "routes": _Payload()})  # noqa: S301 - the attack

    with pytest.raises(ValueError, match="pickled"):
        load_state(payload)

    assert EXPLOITED == []
    assert dump_state(cold_start(DOCUMENTS)).startswith(b"PK")  # a zip of .npy arrays


def test_a_batch_featured_once_ranks_and_explains_as_when_featured_for_each_pass() -> None:
    predictor = Predictor(cold_start(DOCUMENTS))
    texts = [Document("rotter i kælderen", "phone"), Document("byggetilladelse til carport")]
    queries = predictor.queries(texts)

    ranked = predictor.top_tasks(texts, tasks=3, routes=10, queries=queries)
    assert ranked == predictor.top_tasks(texts, tasks=3, routes=10)
    assert [best[0].route for best in ranked] == [Route(1, 10), Route(2, 20)]
    routes = [[scored.route for scored in best] for best in ranked]
    explained = predictor.explain_many(texts, routes, queries=queries)
    assert explained == predictor.explain_many(texts, routes)
    assert explained[0][Route(1, 10)] == ["rotter"]


def test_rows_are_normalised_to_the_bit_as_scikit_learn_does_empty_rows_included() -> None:
    rng = np.random.default_rng(7)
    dense = rng.random((6, 40), dtype=np.float32) * (rng.random((6, 40)) < 0.2)
    dense[[0, 4]] = 0.0
    matrix = sp.csr_matrix(dense)

    ours, theirs = normalize(matrix), sklearn_normalize(matrix)

    assert ours.dtype == np.float32
    assert np.array_equal(ours.toarray(), theirs.toarray())
    assert np.array_equal(np.linalg.norm(ours.toarray(), axis=1) > 0, [0, 1, 1, 1, 0, 1])


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9]), min_size=1, max_size=60),
    limit=st.integers(min_value=1, max_value=70),
)
def test_the_best_routes_are_those_of_a_full_stable_sort_ties_included(
    scores: list[float], limit: int
) -> None:
    values = np.array(scores, dtype=np.float32)
    routes = [Route(i, 0) for i in range(len(values))]

    ranked = rank_scores(values, routes, limit=limit)

    shifted = np.exp((values - values.max()) / TEMPERATURE)
    confidences = shifted / shifted.sum()
    order = [i for i in np.argsort(-values, kind="stable")[:limit] if values[i] > 0]
    assert [scored.route for scored in ranked] == [routes[i] for i in order]
    assert [scored.confidence for scored in ranked] == [float(confidences[i]) for i in order]


@pytest.mark.parametrize("seed", range(5))
def test_word_shares_are_picked_and_scaled_as_scipy_does_to_the_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    dense = rng.random((7, 300), dtype=np.float32) * (rng.random((7, 300)) < 0.1) * 9
    dense[3] = 0.0
    matrix = sp.csr_matrix(dense)
    columns = [int(column) for column in rng.choice(300, size=12, replace=False)]

    assert np.array_equal(_columns(matrix, columns), matrix[:, columns].toarray())
    lengths = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert _row_lengths(matrix).dtype == lengths.dtype
    assert np.array_equal(_row_lengths(matrix), lengths)

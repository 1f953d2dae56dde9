"""The service-need suggestion: one test per rule, and the most demanding type wins."""

from __future__ import annotations

from typing import Any

from indgang.cases.constants import ServiceNeedType as T
from indgang.cases.suggestion import Facts, Suggestion, suggest_service_need


def facts(**given: Any) -> Facts:
    values: dict[str, Any] = {
        "kind": "application",
        "arrived_fully_informed": None,
        "applicant_earlier_types": [],
        "adviser_earlier_types": [],
        "objections": 0,
        "indskaerpelser": 0,
    }
    values.update(given)
    return Facts(**values)


def test_nothing_known_suggests_klar_parat() -> None:
    assert suggest_service_need(facts()) == Suggestion(
        T.KLAR_PARAT, ["Intet kendt peger på mere end klar-parat."]
    )


def test_an_application_that_arrived_fully_informed_is_klar_parat() -> None:
    suggestion = suggest_service_need(
        facts(arrived_fully_informed=True, adviser_earlier_types=["klar_parat", "klar_parat"])
    )
    assert suggestion == Suggestion(
        T.KLAR_PARAT,
        [
            "Ansøgningen kom fyldestgørende ind.",
            "Rådgiveren har kun haft klar-parat-sager før.",
        ],
    )


def test_a_deficiency_letter_suggests_vejledning() -> None:
    suggestion = suggest_service_need(facts(arrived_fully_informed=False))
    assert suggestion == Suggestion(T.VEJLEDNING, ["Ansøgningen krævede en mangelskrivelse."])


def test_one_earlier_indskaerpelse_suggests_vejledning_and_two_obs() -> None:
    assert suggest_service_need(facts(indskaerpelser=1)) == Suggestion(
        T.VEJLEDNING, ["Én tidligere indskærpelse."]
    )
    assert suggest_service_need(facts(indskaerpelser=2)) == Suggestion(
        T.OBS, ["2 tidligere indskærpelser."]
    )


def test_neighbours_objecting_drift_a_klar_parat_case_to_princip() -> None:
    suggestion = suggest_service_need(facts(arrived_fully_informed=True, objections=2))
    assert suggestion == Suggestion(T.PRINCIP, ["2 indsigelser i høringerne."])


def test_the_applicants_earlier_cases_lend_their_most_demanding_type() -> None:
    suggestion = suggest_service_need(
        facts(applicant_earlier_types=["klar_parat", "princip", "princip", "vejledning"])
    )
    assert suggestion == Suggestion(T.PRINCIP, ["Ansøgeren har 2 tidligere princip-sager."])


def test_the_advisers_earlier_obs_case_counts() -> None:
    suggestion = suggest_service_need(facts(adviser_earlier_types=["obs"], objections=1))
    assert suggestion == Suggestion(T.OBS, ["Rådgiveren har 1 tidligere obs-sag."])


def test_an_enforcement_case_is_obs() -> None:
    suggestion = suggest_service_need(facts(kind="enforcement", arrived_fully_informed=True))
    assert suggestion == Suggestion(T.OBS, ["En lovliggørelsessag: loven overholdes ikke."])

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from indgang.statistics.costs import PRESETS, channel_costs, move_share, saving

# Seed 004 table 6: Lejre's counting week (week 20, 2010). "Hjemmesidehenvendelser" are web
# contacts, "Selvbetjeningsløsninger" self-service.
LEJRE_WEEK = (
    "channel,count\npersonal,646\nphone,5391\nletter,3572\nemail,17796\nselfservice,18\nweb,3155\n"
)

# Seed 004 table 9: the national estimate, counts as printed ("59 millioner", "285.000").
NATIONAL_COUNTS = {
    "personal": 59_000_000,
    "phone": 38_000_000,
    "letter": 46_000_000,
    "email": 20_000_000,
    "selfservice": 285_000,
}
NATIONAL = "channel,count\n" + "".join(f"{c},{n}\n" for c, n in NATIONAL_COUNTS.items())


def run(tmp_path: Path, counts: str, unit_costs: str) -> list[str]:
    counts_file = tmp_path / "counts.csv"
    counts_file.write_text(counts, encoding="utf-8")
    out = StringIO()
    call_command("channel-costs", counts=counts_file, unit_costs=unit_costs, stdout=out)
    return out.getvalue().splitlines()


def test_table_6_lejre_with_copenhagen_unit_costs(tmp_path: Path) -> None:
    # Table 6 prints whole kroner per line and in the sum; all its products are whole, no rounding.
    assert run(tmp_path, LEJRE_WEEK, "preset:koebenhavn") == [
        "personal 646 80 51680",
        "phone 5391 40 215640",
        "letter 3572 110 392920",
        "email 17796 110 1957560",
        "selfservice 18 3 54",
        "web 3155 3 9465",
        "total=2627319",
    ]


def test_table_9_national_estimate_with_cbs_2011(tmp_path: Path) -> None:
    lines = run(tmp_path, NATIONAL, "preset:cbs-2011")
    assert lines[-1] == "total=14052850000"
    # Table 9 prints billions to one decimal (the self-service line to three): 6.5, 2.3, 3.7,
    # 1.6, 0.003 and 14.1 in all.
    billions = [Decimal(line.split()[3]) / 10**9 for line in lines[:-1]]
    assert [round(b, 1) for b in billions[:4]] == [
        Decimal("6.5"),
        Decimal("2.3"),
        Decimal("3.7"),
        Decimal("1.6"),
    ]
    assert round(billions[4], 3) == Decimal("0.003")
    assert round(Decimal(14052850000) / 10**9, 1) == Decimal("14.1")


def test_unit_costs_from_csv_with_decimals(tmp_path: Path) -> None:
    costs = tmp_path / "costs.csv"
    costs.write_text("channel,kr\nphone,40.5\nemail,55\n", encoding="utf-8")
    assert run(tmp_path, "channel,count\nemail,3\nphone,3\n", str(costs)) == [
        "phone 3 40.5 121.5",
        "email 3 55 165",
        "total=287",
    ]


@pytest.mark.parametrize(
    ("counts", "unit_costs", "message"),
    [
        ("channel,count\nchat,4\n", "preset:cbs-2011", "'chat'"),
        ("channel,count\nfax,4\n", "preset:cbs-2011", "'fax'"),
        ("channel,count\nphone,-1\n", "preset:cbs-2011", "'phone'"),
        ("channel,count\nphone,1.5\n", "preset:cbs-2011", "'phone'"),
        ("channel,count\nphone,1\nphone,2\n", "preset:cbs-2011", "'phone'"),
        ("kanal,antal\nphone,1\n", "preset:cbs-2011", "channel,count"),
        ("channel,count\nphone,1\n", "preset:odense", "'odense'"),
    ],
)
def test_refusals_name_the_offender(
    tmp_path: Path, counts: str, unit_costs: str, message: str
) -> None:
    with pytest.raises(CommandError) as error:
        run(tmp_path, counts, unit_costs)
    assert message in str(error.value)


def test_refuses_negative_unit_cost_in_csv(tmp_path: Path) -> None:
    costs = tmp_path / "costs.csv"
    costs.write_text("channel,kr\nphone,-40\n", encoding="utf-8")
    with pytest.raises(CommandError, match="'phone'"):
        run(tmp_path, "channel,count\nphone,1\n", str(costs))


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nowhere.csv"):
        run(tmp_path, "channel,count\nphone,1\n", str(tmp_path / "nowhere.csv"))


def test_what_if_moves_a_share_and_prices_the_saving() -> None:
    costs = PRESETS["cbs-2011"]
    to_selfservice = move_share(
        counts=NATIONAL_COUNTS, source="email", target="selfservice", share=Decimal(1)
    )
    assert to_selfservice["email"] == 0
    assert to_selfservice["selfservice"] == 20_285_000
    # Each e-mail moved to self-service saves 80 - 10 kr.
    assert saving(before=NATIONAL_COUNTS, after=to_selfservice, unit_costs=costs) == Decimal(
        1_400_000_000
    )
    # A moved count is rounded half up to whole contacts: 5 × 0.5 = 2.5 → 3.
    assert move_share(counts={"phone": 5}, source="phone", target=None, share=Decimal("0.5")) == {
        "phone": 2
    }


def test_what_if_of_seed_004_close_email_then_halve_phone() -> None:
    # Seed 004 section 3: closing the e-mail channel and halving phone calls saves "op mod 2
    # milliarder". Read as: the e-mail writers call instead, then half of all calls go away.
    closed = move_share(counts=NATIONAL_COUNTS, source="email", target="phone", share=Decimal(1))
    halved = move_share(counts=closed, source="phone", target=None, share=Decimal("0.5"))
    assert halved["phone"] == 29_000_000
    assert saving(before=NATIONAL_COUNTS, after=halved, unit_costs=PRESETS["cbs-2011"]) == (
        Decimal(2_140_000_000)
    )


def test_what_if_refuses_a_target_without_unit_cost_and_a_bad_share() -> None:
    costs = PRESETS["cbs-2011"]
    to_chat = move_share(counts={"email": 10}, source="email", target="chat", share=Decimal(1))
    with pytest.raises(ValidationError, match="'chat'"):
        saving(before={"email": 10}, after=to_chat, unit_costs=costs)
    with pytest.raises(ValidationError, match="Andelen skal være mellem 0 og 1"):
        move_share(counts={"email": 10}, source="email", target=None, share=Decimal("1.5"))


def test_channel_costs_refuses_negative_count() -> None:
    with pytest.raises(ValidationError, match="'phone'"):
        channel_costs(counts={"phone": -1}, unit_costs=PRESETS["kl-2011"])


def test_refusal_is_in_danish(tmp_path: Path) -> None:
    with translation.override("da"), pytest.raises(CommandError) as error:
        run(tmp_path, "channel,count\nchat,4\n", "preset:cbs-2011")
    assert str(error.value) == "Kanalen 'chat' har ingen enhedsomkostning."

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.kle import KleFormatError, parse_kle_file
from indgang.catalogue.models import Task
from indgang.triage import evaluation, selectors, services
from indgang.triage.constants import TRIAGE_BATCH, EvalLevel


def _fraction(value: str) -> float:
    try:
        fraction = float(value)
    except ValueError:
        fraction = -1.0
    if not 0 < fraction < 1:
        raise CommandError(_("--train-fraction must be a number between 0 and 1, e.g. 0.8."))
    return fraction


class Command(BaseCommand):
    help = (
        "Triage: suggest tasks for a text, evaluate on a text,kle file, build that file from "
        "KLE, retrain, list model versions, route contacts that have no task."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        suggest = actions.add_parser("suggest", help="Print the top 3 tasks for a text.")
        suggest.add_argument("text")
        suggest.add_argument("--channel", default="")
        suggest.add_argument("--party-kind", default="", choices=["", "citizen", "company"])
        evaluate = actions.add_parser("eval", help="Print n, top-1 and top-3 on a text,kle CSV.")
        evaluate.add_argument("--file", type=Path, required=True)
        evaluate.add_argument("--level", choices=EvalLevel.values, default=EvalLevel.TOPIC)
        evaluate.add_argument("--train-fraction", type=str, default=None)
        evaluate.add_argument("--seed", type=int, default=evaluation.DEFAULT_SEED)
        evaluate.add_argument(
            "--cold",
            action="store_true",
            help="With --train-fraction: evaluate the same rest without learning (the baseline).",
        )
        evaluate.add_argument(
            "--baseline",
            action="store_true",
            help="A table at every KLE level: plain TF-IDF over the plan, plain keyword match "
            "over OS2KLE, and the model (cold, and learned with --train-fraction), same rows.",
        )
        evaluate.add_argument(
            "--without",
            action="append",
            default=[],
            choices=evaluation.PARTS,
            help="With --baseline: build the model without this part (to measure it).",
        )
        build = actions.add_parser("build-eval", help="Write a text,kle CSV from KLE guidance.")
        build.add_argument("--kle", type=Path, help="The KLE-Emneplan XML file.")
        build.add_argument(
            "--from-keywords",
            action="store_true",
            help="Hold out a seeded 20 %% of the imported OS2KLE terms as rows instead.",
        )
        build.add_argument("--seed", type=int, default=evaluation.DEFAULT_SEED)
        build.add_argument("--out", type=Path, required=True)
        build.add_argument(
            "--all-topics",
            action="store_true",
            help="Every active topic, not only those the catalogue's tasks carry.",
        )
        retrain = actions.add_parser("retrain", help="Store a new model version now.")
        retrain.add_argument("--full", action="store_true", help="Rebuild from every routing.")
        actions.add_parser("versions", help="List the stored model versions and their metrics.")
        actions.add_parser("route-pending", help="Triage every contact awaiting triage now.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_suggest(self, *, text: str, channel: str, party_kind: str, **options: Any) -> None:
        if not text.strip():
            raise CommandError(_("Write the text to suggest tasks for."))
        suggestions = selectors.suggest(text=text, channel=channel, party_kind=party_kind)
        if not suggestions.items:
            self.stdout.write(_("No task matches the text."))
        for item in suggestions.items:
            number = item.kle_topic.number if item.kle_topic else "--.--.--"
            task = item.task.title if item.task else _("No task in the catalogue")
            unit = item.unit.name if item.unit else item.department or "-"
            self.stdout.write(
                f"{number}  {task}  {unit}  {item.confidence:.3f}  "
                + _("words: %(words)s") % {"words": ", ".join(item.words) or "-"}
            )

    def handle_eval(
        self,
        *,
        file: Path,
        level: str,
        train_fraction: str | None,
        seed: int,
        cold: bool,
        baseline: bool,
        without: list[str],
        **options: Any,
    ) -> None:
        try:
            rows = evaluation.read_eval_file(file)
        except evaluation.EvalFileError as error:
            raise CommandError(str(error)) from error
        if baseline:
            sources, features = evaluation.without(without)
            test, rankings = evaluation.compare(
                rows=rows,
                train_fraction=_fraction(train_fraction) if train_fraction is not None else None,
                seed=seed,
                sources=sources,
                features=features,
            )
            self.stdout.write(
                _("%(test)d rows evaluated of %(rows)d (the rest learned).")
                % {"test": len(test), "rows": len(rows)}
                if train_fraction is not None
                else _("%(rows)d rows evaluated.") % {"rows": len(rows)}
            )
            for line in evaluation.table(test, rankings):
                self.stdout.write(line)
            return
        result = evaluation.evaluate(
            rows=rows,
            level=EvalLevel(level),
            train_fraction=_fraction(train_fraction) if train_fraction is not None else None,
            seed=seed,
            learn_history=not cold,
        )
        self.stdout.write(result.line())

    def handle_build_eval(
        self,
        *,
        kle: Path | None,
        out: Path,
        all_topics: bool,
        from_keywords: bool,
        seed: int,
        **options: Any,
    ) -> None:
        if from_keywords:
            rows = evaluation.build_keyword_rows(seed=seed)
            if not rows:
                raise CommandError(
                    _("No KLE keywords are imported: run import-kle-keywords first.")
                )
            self._wrote(out, rows)
            return
        if kle is None:
            raise CommandError(_("Give the KLE file (--kle), or use --from-keywords."))
        try:
            plan = parse_kle_file(kle)
        except KleFormatError as error:
            raise CommandError(str(error)) from error
        covered = (
            None
            if all_topics
            else {
                number
                for number in Task.objects.filter(is_active=True).values_list(
                    "kle_topics__number", flat=True
                )
                if number
            }
        )
        if covered is not None and not covered:
            raise CommandError(
                _("The task catalogue is empty: load it first, or use --all-topics.")
            )
        rows = evaluation.build_eval_rows(
            topics=(
                (record.number, record.guidance)
                for record in plan.records
                if record.level == "topic" and record.retired_on is None
            ),
            covered=covered,
        )
        self._wrote(out, rows)

    def _wrote(self, out: Path, rows: list[evaluation.EvalRow]) -> None:
        count = evaluation.write_eval_file(out, rows)
        self.stdout.write(
            _("Wrote %(count)d rows on %(topics)d topics to %(path)s.")
            % {"count": count, "topics": len({row.kle for row in rows}), "path": out}
        )

    def handle_retrain(self, *, full: bool, **options: Any) -> None:
        version = services.train_model(now=timezone.now(), full=full)
        if version is None:
            self.stdout.write(_("Nothing new since the newest model version."))
            return
        self.stdout.write(_describe(version))

    def handle_versions(self, **options: Any) -> None:
        for version in selectors.list_versions():
            live = selectors.live_accuracy(version=version)
            self.stdout.write(
                _describe(version)
                + "  "
                + _("live: n=%(n)d top1=%(top1).3f top3=%(top3).3f") % live
            )

    def handle_route_pending(self, **options: Any) -> None:
        """The sweep that runs every minute, now, with the running totals as progress."""
        routed = queued = 0
        while True:
            count = services.triage_waiting(now=timezone.now())
            routed, queued = routed + count.routed, queued + count.queued
            done = count.triaged < TRIAGE_BATCH
            (self.stdout if done else self.stderr).write(
                _("Routed automatically: %(routed)d. Queued for staff: %(queued)d.")
                % {"routed": routed, "queued": queued}
            )
            if done:
                return


def _describe(version: Any) -> str:
    metrics = version.metrics
    measured = (
        _("unseen: n=%(n)d top1=%(top1).3f top3=%(top3).3f") % metrics
        if metrics.get("n")
        else _("unseen: -")
    )
    return (
        f"v{version.pk}  {version.trained_at:%Y-%m-%d %H:%M}  {version.get_kind_display()}  "
        + _("%(examples)d examples, %(routes)d routes, %(seconds).1f s")
        % {
            "examples": version.examples,
            "routes": version.routes,
            "seconds": version.duration_seconds,
        }
        + f"  {measured}"
    )

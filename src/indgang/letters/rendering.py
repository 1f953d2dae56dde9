"""Letter templates: checked once when saved, rendered from a plain dict inside the letterhead.

An administrator writes a template in Django's template language, limited to text, variables,
`{% if %}` and `{% for %}`: no `{% include %}`, `{% load %}` or other tags that reach beyond the
letter's own data. Each kind declares its variables (constants.KIND_VARIABLES); a template that
uses any other name is refused before it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from html import unescape as unescape_entities
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from indgang.letters.constants import COMMON_VARIABLES, EXAMPLE_VALUES, KIND_VARIABLES
from indgang.letters.lix import lix

# Autoescaped, with Django's built-in filters and tags only, and no loaders: no template files.
ENGINE = Engine(autoescape=True, loaders=[])
ALLOWED_NODES = (TextNode, VariableNode, IfNode, ForNode)
LETTER_LAYOUT = "letters/letter.html"
BLANK_LINES = re.compile(r"\n\s*\n\s*")
LINE_ENDS = re.compile(r"(<br\s*/?>|</(?:p|li|h\d|div)>)")


def variables_of(kind: str) -> tuple[str, ...]:
    """The names a template of this kind may use."""
    return (*COMMON_VARIABLES, *KIND_VARIABLES[kind])


def check_template(*, kind: str, title: str, body: str) -> None:
    """Refuse a title or body that does not compile, uses a tag beyond if/for or a variable the
    kind does not declare, or fails on the example data: ValidationError with a Danish message
    per field."""
    errors: dict[str, str] = {}
    allowed = set(variables_of(kind))
    for field, source in (("title", title), ("body", body)):
        try:
            nodes = ENGINE.from_string(source).nodelist
        except TemplateSyntaxError as error:
            errors[field] = _("The template does not compile: %(error)s") % {"error": error}
            continue
        refusal = _refusal(nodes, allowed)
        if refusal:
            errors[field] = refusal
            continue
        try:
            render_source(source, example_context(kind))
        except Exception as error:  # a filter may fail on real data: try it on the examples
            errors[field] = _("The template fails on the example data: %(error)s") % {
                "error": error
            }
    if errors:
        raise ValidationError(errors)


def _refusal(nodes: list[Node], allowed: set[str]) -> str:
    for node in nodes:
        if not isinstance(node, ALLOWED_NODES):
            tag = node.token.contents.split()[0] if node.token else type(node).__name__
            return _(
                "Only text, variables, {%% if %%} and {%% for %%} may be used; not %(tag)s."
            ) % {"tag": tag}
        names = set(_names_used(node))
        inner = allowed
        if isinstance(node, ForNode):
            inner = allowed | set(node.loopvars) | {"forloop"}
        unknown = sorted(names - allowed)
        if unknown:
            return _("Unknown variable: %(names)s. This kind of letter may use: %(allowed)s.") % {
                "names": ", ".join(unknown),
                "allowed": ", ".join(sorted(allowed)),
            }
        for child_list in _child_nodelists(node):
            refusal = _refusal(child_list, inner)
            if refusal:
                return refusal
    return ""


def _names_used(node: Node) -> Iterator[str]:
    """The first part of each variable the node itself reads (not its children)."""
    if isinstance(node, VariableNode):
        yield from _expression_names(node.filter_expression)
    elif isinstance(node, ForNode) and isinstance(node.sequence, FilterExpression):
        yield from _expression_names(node.sequence)
    elif isinstance(node, IfNode):
        for condition, _nodes in node.conditions_nodelists:
            yield from _condition_names(condition)


def _condition_names(condition: Any) -> Iterator[str]:
    if condition is None:
        return
    if isinstance(getattr(condition, "value", None), FilterExpression):
        yield from _expression_names(condition.value)
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            yield from _condition_names(part)


def _expression_names(expression: FilterExpression) -> Iterator[str]:
    variables = [expression.var, *(arg for _f, args in expression.filters for _l, arg in args)]
    for variable in variables:
        lookups = getattr(variable, "lookups", None)
        if lookups:
            yield lookups[0]


def _child_nodelists(node: Node) -> list[list[Node]]:
    if isinstance(node, IfNode):
        return [_nodes(nodes) for _condition, nodes in node.conditions_nodelists]
    if isinstance(node, ForNode):
        return [_nodes(node.nodelist_loop), _nodes(node.nodelist_empty or [])]
    return []


def _nodes(items: Iterable[object]) -> list[Node]:
    return [item for item in items if isinstance(item, Node)]


def render_source(source: str, context: Mapping[str, object]) -> str:
    """A checked template rendered from plain data, autoescaped, dates in Danish."""
    with translation.override("da"):
        return ENGINE.from_string(source).render(Context(dict(context), autoescape=True))


def render_letter(*, title: str, body: str, context: Mapping[str, object]) -> tuple[str, str]:
    """The letter's subject line (plain text) and its whole HTML page inside the letterhead."""
    subject_line = unescape_entities(strip_tags(render_source(title, context))).strip()
    with translation.override("da"):
        html = render_to_string(
            LETTER_LAYOUT,
            {
                "title": subject_line,
                "body": render_source(body, context),
                "letterhead": letterhead(),
                "recipient_name": context.get("recipient_name", ""),
                "address": context.get("address", ""),
                "letter_date": context.get("letter_date", ""),
                "case_number": context.get("case_number", ""),
            },
        )
    return subject_line, html


def letterhead() -> dict[str, str]:
    return {
        "name": settings.LETTERS_SENDER_NAME,
        "address": settings.LETTERS_SENDER_ADDRESS,
        "contact": settings.LETTERS_SENDER_CONTACT,
        "cvr": settings.LETTERS_SENDER_CVR,
    }


def plain_text(html: str) -> str:
    """The readable text of a rendered body, paragraphs on lines of their own."""
    text = unescape_entities(strip_tags(LINE_ENDS.sub("\\1\n", html)))
    return BLANK_LINES.sub("\n", text).strip()


def example_context(kind: str) -> dict[str, object]:
    """The preview's data for a kind."""
    return {name: EXAMPLE_VALUES[name] for name in variables_of(kind)}


def score(*, kind: str, body: str) -> float:
    """LIX of the body as a reader sees it, rendered with the example data."""
    return lix(plain_text(render_source(body, example_context(kind))))


def pdf_of(html: str) -> bytes:
    """The letter as PDF (WeasyPrint); the page has no external resources to fetch."""
    from weasyprint import HTML  # imported here: it loads Pango, which only letters need

    return bytes(HTML(string=html, url_fetcher=_no_fetching).write_pdf())


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """Refuse every link a template might hold: a letter reads no file and no URL."""
    raise ValueError(f"A letter fetches nothing: {url}")

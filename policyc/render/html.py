"""The HTML writer: Jinja templates from templates/, autoescaped, strict about names."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policyc import __version__
from policyc.model import ResolvedPolicy
from policyc.render.present import view
from policyc.resources import TEMPLATE_DIR
from policyc.text import prose
from policyc.text.lists import list_marker, nested_style

GENERATOR = f"policyc {__version__}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Templates are the project's own; authored text never reaches Jinja as a template.
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(list_marker=list_marker, nested_style=nested_style)
    # Jinja's `capitalize` lowers the rest ("ratified 14 october"): only the first letter changes here.
    env.filters["capitalize"] = upper_first
    env.filters["markdown_inline"] = prose.inline  # a reason for a change is Markdown, as clause text is
    return env


def upper_first(text):
    if isinstance(text, Markup):
        return Markup(text[:1].upper() + text[1:])
    text = str(text)
    return text[:1].upper() + text[1:]


def render_policy(policy: ResolvedPolicy, today: dt.date, *, for_web: bool, assets: str,
                  links: dict | None = None, downloads: list[dict] = ()) -> str:
    """The policy as a page; `downloads` its other copies to link, each {"href", "label"}."""
    context = view(policy, today, GENERATOR, for_web)
    links = links or {"versions": [], "current": "", "redline": "", "index": ""}
    return environment().get_template("policy.html.j2").render(
        **context, for_web=for_web, assets=assets, downloads=downloads, links=links)


def render_page(template: str, **context) -> str:
    return environment().get_template(template).render(generator=GENERATOR, **context)

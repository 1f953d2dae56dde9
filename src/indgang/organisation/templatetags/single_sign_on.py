"""`{% single_sign_on next %}`: the sign-in page's button for staff single sign-on, when set up."""

from __future__ import annotations

from typing import Any

from django import template

from indgang.common.oidc import provider_from_settings
from indgang.organisation.sso import SETTING

register = template.Library()


@register.inclusion_tag("organisation/single_sign_on.html")
def single_sign_on(next_url: str = "") -> dict[str, Any]:
    provider = provider_from_settings(SETTING)
    return {"enabled": provider.enabled, "name": provider.name, "next": next_url}

"""Template helpers: code and province labels in the active language and safe
highlighting.

Highlighting escapes every piece of case text before wrapping matches in ``<mark>``,
so a case containing markup is shown as text, never run.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from libinnov.search import snippet_window, split_evidence, split_marked

register = template.Library()


def lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def list_separator() -> str:
    """How labels of several codes are joined: 、 in Chinese, a comma in English."""
    return ", " if lang() == "en" else "、"


#: what the change log's action keys (``CodeChange.action``) say to people
ACTION_LABELS = {
    "suggest": _("model suggestion"),
    "accept": _("accept"),
    "change": _("change"),
    "reject": _("reject"),
    "adjudicate": _("Adjudicate"),
    "import": _("Import"),
    "auto": _("automatic coding"),
}
#: a dimension's cardinality key as people read it
CARDINALITY_LABELS = {"single": _("one code"), "multi": _("several codes")}


@register.simple_tag
def code_label(codebook: Any, dimension: str, code: Any) -> str:
    """The label of a code (or codes) in the active language; unknown keys as is."""
    if code is None or code == "":
        return "—"
    try:
        dim = codebook.dimension(dimension)
    except KeyError:
        return str(code)
    values = [code] if isinstance(code, str | int) else list(code)
    labels = []
    for value in values:
        try:
            labels.append(dim.code(str(value)).label(lang()))
        except KeyError:
            labels.append(str(value))
    return list_separator().join(labels) if labels else "—"


@register.simple_tag
def dim_label(codebook: Any, dimension: str) -> str:
    try:
        return str(codebook.dimension(dimension).label(lang()))
    except KeyError:
        return dimension


@register.filter
def province_label(province: str | None) -> str:
    """A stored province (江苏) as the active language names it; "—" when empty."""
    from libinnov.gazetteer import province_label as label

    return label(province, lang()) if province else "—"


@register.filter
def action_label(action: str) -> str:
    """``suggest`` → "model suggestion" in the active language; unknown keys as is."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


@register.filter
def cardinality_label(cardinality: str) -> str:
    label = CARDINALITY_LABELS.get(cardinality)
    return str(label) if label is not None else cardinality


def highlight_text(text: str, terms: list[str]) -> SafeString:
    """Escape ``text`` and wrap each match of a term in ``<mark>``.

    Matching is the core's (:func:`libinnov.search.split_marked`), so 閱讀 in a
    traditional-character case is marked for the query 阅读.
    """
    out = [
        f"<mark>{escape(piece)}</mark>" if hit else escape(piece)
        for piece, hit in split_marked(text, terms)
    ]
    return mark_safe("".join(out))  # every piece above is escaped


@register.simple_tag
def evidence_text(
    text: str, terms: list[str], evidence: dict[str, list[str]], chosen: str = ""
) -> SafeString:
    """The case text, escaped, with query terms in ``<mark>`` and each code's
    evidence in a ``<span class="ev" data-ev="dimension.code …">``.

    Only the chosen code's evidence is shown marked (``on``): with every sentence
    marked the marking would say nothing. The page's script marks the evidence of
    the code pointed at or focused.
    """
    out = []
    for piece, hit, keys in split_evidence(text or "", terms or [], evidence):
        html = f"<mark>{escape(piece)}</mark>" if hit else escape(piece)
        if keys:
            state = " on" if chosen in keys else ""
            names = escape(" ".join(keys))
            html = f'<span class="ev{state}" data-ev="{names}">{html}</span>'
        out.append(html)
    return mark_safe("".join(out))  # every piece above is escaped


@register.filter
def percent(share: float | None) -> str:
    """A share of 0–1 as a percentage with one decimal, as the reports show it."""
    from libinnov.reports.model import PERCENT, cell_text

    return "–" if share is None else cell_text(share, PERCENT)


@register.filter
def highlight(text: str, terms: list[str]) -> SafeString:
    return highlight_text(text or "", terms or [])


@register.filter
def snippet(text: str, terms: list[str], width: int = 140) -> SafeString:
    """The window of the text with the most matches, highlighted."""
    text = text or ""
    start, end = snippet_window(text, terms or [], width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + highlight_text(text[start:end], terms or []) + suffix)


@register.simple_tag
def query_with(params: list[tuple[str, str]], key: str, value: Any) -> str:
    """Query string with ``key=value`` toggled (removed if present, else added)."""
    from urllib.parse import urlencode

    pair = (key, str(value))
    new = [p for p in params if p != pair and p[0] != "page"]
    if pair not in params:
        new.append(pair)
    return "?" + urlencode(new)


@register.simple_tag
def query_page(params: list[tuple[str, str]], page: int) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode([p for p in params if p[0] != "page"] + [("page", page)])


@register.simple_tag
def asset_script(name: str, defer: bool = False) -> SafeString:
    """A ``<script>`` for a vendored asset, or nothing when it is not installed."""
    from django.urls import reverse

    from libinnov.web.config.views import asset_available

    if not asset_available(name):
        return mark_safe("")
    url = escape(reverse("asset", args=[name]))
    return mark_safe(f'<script src="{url}"{" defer" if defer else ""}></script>')


@register.filter
def coder_name(coder: str) -> str:
    """``user:42`` → that user's name; models and imports stay as they are."""
    if not coder.startswith("user:"):
        return coder
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=coder[5:]).only("username").first()
    return f"{user.username} ({coder})" if user else coder


@register.simple_tag(takes_context=True)
def campaign_analysis_link(context: Any, campaign: Any, wrap: str = "") -> str:
    """ "Analyse the shortlisted cases": the dashboard of a call's published cases.

    Nothing until some are in the library. The link names the slug the cases were
    published under, which a call renamed since keeps pointing at.
    """
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.translation import gettext

    from libinnov.web.cases.selectors import visible_cases

    request = context.get("request")
    cases = visible_cases(getattr(request, "user", None))
    slug = (
        cases.filter(submissions__campaign=campaign)
        .exclude(campaign="")
        .values_list("campaign", flat=True)
        .first()
    )
    if slug is None:
        return ""
    url = f"{reverse('dashboards:dashboard')}?{urlencode({'campaign': slug})}"
    link = format_html(
        '<a class="analyse" href="{}">{}</a>',
        url,
        gettext("Analyse the shortlisted cases"),
    )
    return format_html("<{0}>{1}</{0}>", wrap, link) if wrap else link

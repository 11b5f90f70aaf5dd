"""Forms of the campaign pages: they read input; the core says what is valid.

Scores, rubric weights and award tiers are checked by :mod:`libinnov.campaigns`
(``Rubric.validate_scores``, ``Rubric.from_records``, ``parse_tiers``); a form only
puts the core's message next to the field it is about.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from libinnov.campaigns.rubric import Criterion, Rubric
from libinnov.campaigns.scoring import DEFAULT_AWARD_TIERS, AwardTier, parse_tiers
from libinnov.exceptions import LibinnovError
from libinnov.web.campaigns.models import Campaign
from libinnov.web.campaigns.services import NO_AWARD
from libinnov.web.cases.templatetags.libinnov_tags import lang

MAX_FILES = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked later by the attachment rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = {"accept": ".docx,.pdf", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        files = [super(MultipleFileField, self).clean(d, initial) for d in items if d]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_FILES}
            )
        return files


class SubmissionForm(forms.Form):
    title = forms.CharField(label=_("Case title"), max_length=300)
    library = forms.CharField(
        label=_("Library"),
        max_length=300,
        help_text=_(
            "The full name, e.g. 温州市图书馆; province and type follow from it."
        ),
    )
    province = forms.CharField(
        label=_("Province"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to take it from the library's name."),
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1900, max_value=2100
    )
    authors = forms.CharField(
        label=_("Authors"),
        max_length=300,
        required=False,
        help_text=_("Separate names with 、 or ;"),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Leave empty to use the text of the attached write-up."),
    )
    attachments = MultipleFileField(label=_("Write-up (DOCX or PDF)"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_email = forms.EmailField(label=_("Contact e-mail"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("summary") or "").strip() and not data.get("attachments"):
            if "attachments" not in self.errors:
                self.add_error(
                    "summary",
                    _("Write a summary or attach the case write-up."),
                )
        return data


def _weight_field(criterion: Criterion) -> str:
    return f"weight_{criterion.key}"


def tiers_text(tiers: list[AwardTier]) -> str:
    """Tiers as the organiser types them: 一等奖=1，二等奖=3 on a Chinese page,
    first=1,second=3 on an English one (``parse_tiers`` reads both)."""
    if lang() == "en":
        return ",".join(f"{t.key}={t.count}" for t in tiers)
    # the default tier's name, which parse_tiers knows, whatever the row says
    names = {t.key: t.label_zh for t in DEFAULT_AWARD_TIERS}
    return "，".join(f"{names.get(t.key, t.key)}={t.count}" for t in tiers)


class CampaignForm(forms.ModelForm):
    """The call and its review rules; rubric weights and tiers go through the core."""

    tiers = forms.CharField(
        label=_("Award tiers"),
        required=False,
        help_text=_("How many of each tier, e.g. first=1,second=3,third=5,merit=10"),
    )

    class Meta:
        model = Campaign
        fields = (
            "slug",
            "title",
            "description",
            "status",
            "closes_at",
            "reviewers_per_entry",
            "normalisation",
            "same_province",
            "shortlist_size",
        )
        labels: ClassVar[dict[str, Any]] = {
            "slug": _("Short name (in the address)"),
            "title": _("Title"),
            "description": _("The call"),
            "status": _("Status"),
            "closes_at": _("Closes at"),
            "reviewers_per_entry": _("Reviewers per submission"),
            "normalisation": _("Score normalisation"),
            "same_province": _(
                "Reviewers never review a library of their own province"
            ),
            "shortlist_size": _("Shortlist size"),
        }
        widgets: ClassVar[dict[str, Any]] = {
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.submissions.exists():
            # receipts, published cases (their submission_ref and campaign
            # filter) and shared links all carry the slug: it stays
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "Fixed once the call has submissions: receipts and published "
                "cases refer to it."
            )
        self.rubric = self.instance.get_rubric()
        for criterion in self.rubric.criteria:
            self.fields[_weight_field(criterion)] = forms.FloatField(
                label=criterion.label(lang()),
                initial=criterion.weight,
                help_text=f"{criterion.low}–{criterion.high}",
            )
        if not self.is_bound:
            self.initial["tiers"] = tiers_text(self.instance.get_tiers())
        self.rubric_records: list[dict[str, Any]] = []
        self.tier_records: list[dict[str, Any]] = []

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[_weight_field(c)] for c in self.rubric.criteria]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*self.Meta.fields, "tiers")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        records = self.rubric.to_records()
        for record in records:
            weight = data.get(f"weight_{record['key']}")
            if weight is not None:
                record["weight"] = weight
        try:
            self.rubric_records = Rubric.from_records(records).to_records()
        except LibinnovError as exc:
            self.add_error(self._criterion_field(exc.row), exc.render(gettext))
        try:
            tiers = parse_tiers(data.get("tiers") or "")
            self.tier_records = [asdict(t) for t in tiers]
        except LibinnovError as exc:
            self.add_error("tiers", exc.render(gettext))
        return data

    def _criterion_field(self, row: int | None) -> str | None:
        """The weight input of the criterion an error names by its row."""
        criteria = self.rubric.criteria
        if row is None or not 1 <= row <= len(criteria):
            return None
        return _weight_field(criteria[row - 1])

    def save(self, commit: bool = True) -> Campaign:
        campaign: Campaign = super().save(commit=False)
        campaign.rubric = self.rubric_records
        campaign.award_tiers = self.tier_records
        if commit:
            campaign.save()
        return campaign


class _ConflictFacts(forms.Form):
    """What the conflict rules compare, asked of every reviewer."""

    institution = forms.CharField(
        label=_("Institution"), max_length=200, required=False
    )
    province = forms.CharField(label=_("Province"), max_length=32, required=False)


class ReviewerEditForm(_ConflictFacts):
    """A reviewer's name and address (their account's) and conflict facts."""

    field_order = ("name", "email", "institution", "province")

    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "Where the review notices go; it is their account's address, in every "
            "call they review for. Leave empty for no notices."
        ),
    )


class ReviewerForm(_ConflictFacts):
    field_order = ("username", "institution", "province")

    username = forms.CharField(label=_("User name"), max_length=150)

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(
                _("No account is called %(name)s; create it under Users first.")
                % {"name": name}
            )
        return user


def _score_field(criterion: Criterion) -> str:
    return f"score_{criterion.key}"


class ScoreForm(forms.Form):
    """One input per criterion of the campaign's rubric, and a comment.

    Each score is checked alone by the core (a one-criterion rubric), so every
    wrong field shows its own message at once; then the whole set is checked.
    """

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, rubric: Rubric, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.scores: dict[str, float] = {}
        for criterion in rubric.criteria:
            self.fields[_score_field(criterion)] = forms.CharField(
                label=criterion.label(lang()),
                help_text=f"{criterion.low}–{criterion.high}",
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "size": 4,
                        "data-low": criterion.low,
                        "data-high": criterion.high,
                    }
                ),
            )

    @property
    def score_fields(self) -> list[forms.BoundField]:
        return [self[_score_field(c)] for c in self.rubric.criteria]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw: dict[str, Any] = {}
        for criterion in self.rubric.criteria:
            name = _score_field(criterion)
            if name not in data:
                continue
            try:
                Rubric(criteria=(criterion,)).validate_scores(
                    {criterion.key: data[name]}
                )
            except LibinnovError as exc:
                self.add_error(name, exc.render(gettext))
                continue
            raw[criterion.key] = data[name]
        if not self.errors:
            try:
                self.scores = self.rubric.validate_scores(raw)
            except LibinnovError as exc:
                self.add_error(None, exc.render(gettext))
        return data

    @classmethod
    def initial_for(cls, scores: dict[str, Any], comment: str) -> dict[str, Any]:
        values = {f"score_{k}": f"{v:g}" for k, v in scores.items()}
        return {"comment": comment, **values}


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("Why (seen by the organiser only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    """Why a submission is withdrawn (the organiser must say, the sender may), or
    why the organiser restores it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class ResultForm(forms.Form):
    """One submission's shortlist place and award, set by hand or by the ranking."""

    shortlist = forms.ChoiceField(
        label=_("Shortlist"),
        required=False,
        choices=[
            ("", _("by the ranking")),
            ("include", _("include")),
            ("exclude", _("exclude")),
        ],
    )
    award = forms.ChoiceField(label=_("Award"), required=False)

    def __init__(self, campaign: Campaign, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [
            ("", _("by the ranking")),
            (NO_AWARD, _("no award")),
            *((t.key, t.label(lang())) for t in campaign.get_tiers()),
        ]

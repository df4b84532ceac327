"""Forms of the Compelling events and Win rate tabs. They check the shape of the input; the
rules (0-10, competitors on the deal, the most threatening scored) are the services'."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wuwei.core.errors import DomainError
from wuwei.opportunities.models import Confidence, OpportunityCompetitor, Questionnaire

SCORE_ATTRS = {"min": 0, "max": 10, "step": 1, "class": "form-control form-control-sm ww-score"}
FIT_HELP = _("0 to 10: 0 means the needs are not met at all, 10 that they are met completely.")
CLOSENESS_HELP = _("0 to 10: 0 means no relationship, 10 the closest relationship.")


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", f"{css} {css}-sm")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EventForm(forms.Form):
    description = forms.CharField(
        label=_("Why the customer must do it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.CharField(
        label=_("Evidence"), max_length=5000, required=False, widget=forms.Textarea({"rows": 2})
    )
    event_date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=Confidence.choices, initial=Confidence.MEDIUM
    )
    reevaluate_on = forms.DateField(
        label=_("Re-evaluate on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: in 30 days, or on the event's date if that comes first."),
    )
    is_confirmed = forms.BooleanField(
        label=_("Confirmed"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # confirming is its own button on the list
            del self.fields["is_confirmed"]
        _style(self)

    @staticmethod
    def initial_from(event: Any) -> dict[str, Any]:
        return {
            "description": event.description,
            "evidence": event.evidence,
            "event_date": event.event_date,
            "confidence": event.confidence,
            "reevaluate_on": event.reevaluate_on,
            "version": event.version,
        }


class ConfirmForm(forms.Form):
    confirmed = forms.BooleanField(required=False)
    version = forms.IntegerField()


@dataclass(frozen=True, slots=True)
class Column:
    """One party of the side-by-side questionnaire: us, or a competitor on the deal."""

    key: str
    label: str
    fit: forms.BoundField
    closeness: forms.BoundField
    is_primary: bool = False


class QuestionnaireForm(forms.Form):
    """§4.5 "know yourself, know the enemy": columns are us and each competitor on the deal,
    rows are need fit and closeness (0-10), then the inside-source question. A competitor
    left blank is not scored."""

    has_inside_source = forms.TypedChoiceField(
        label=_("Do we have an inside source (coach)?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect({"class": "form-check-input"}),
    )
    us_fit = forms.IntegerField(
        min_value=0, max_value=10, widget=forms.NumberInput(SCORE_ATTRS), help_text=FIT_HELP
    )
    us_closeness = forms.IntegerField(
        min_value=0, max_value=10, widget=forms.NumberInput(SCORE_ATTRS), help_text=CLOSENESS_HELP
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=5000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(
        self, *args: Any, competitors: Iterable[OpportunityCompetitor], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.links = list(competitors)
        for link in self.links:
            for part in ("fit", "closeness"):
                self.fields[f"c{link.competitor_id}_{part}"] = forms.IntegerField(
                    min_value=0,
                    max_value=10,
                    required=False,
                    help_text=FIT_HELP if part == "fit" else CLOSENESS_HELP,
                    widget=forms.NumberInput(SCORE_ATTRS),
                )
        self.fields["comment"].widget.attrs["class"] = "form-control form-control-sm"
        self.submitted: list[int] = []

    @property
    def columns(self) -> list[Column]:
        columns = [Column("us", str(_("Us")), self["us_fit"], self["us_closeness"])]
        for link in self.links:
            key = f"c{link.competitor_id}"
            columns.append(
                Column(
                    key,
                    link.competitor.name,
                    self[f"{key}_fit"],
                    self[f"{key}_closeness"],
                    link.is_primary,
                )
            )
        return columns

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for link in self.links:
            key = f"c{link.competitor_id}"
            fit, closeness = data.get(f"{key}_fit"), data.get(f"{key}_closeness")
            if (fit is None) != (closeness is None) and not self.has_error(f"{key}_fit"):
                missing = f"{key}_closeness" if closeness is None else f"{key}_fit"
                if not self.has_error(missing):
                    self.add_error(missing, _("Give both scores, or neither."))
        return data

    def answers(self) -> dict[str, Any]:
        """The service's keyword arguments; remembers which competitor went where."""
        data = self.cleaned_data
        competitors = []
        for link in self.links:
            fit = data.get(f"c{link.competitor_id}_fit")
            closeness = data.get(f"c{link.competitor_id}_closeness")
            if fit is not None and closeness is not None:
                competitors.append((link.competitor_id, fit, closeness))
        self.submitted = [competitor_id for competitor_id, _f, _c in competitors]
        return {
            "has_inside_source": data["has_inside_source"],
            "us_fit": data["us_fit"],
            "us_closeness": data["us_closeness"],
            "competitors": competitors,
            "comment": data.get("comment", ""),
        }

    def add_service_errors(self, exc: DomainError) -> None:
        """Put the service's errors ("us.fit", "competitors.1.closeness"…) on the fields."""
        placed = [(self._field_for(field), message) for field, message in exc.errors]
        if not placed or any(name is None for name, _message in placed):
            self.add_error(None, exc.detail)
        for name, message in placed:
            self.add_error(name, message)

    def _field_for(self, service_field: str) -> str | None:
        parts = service_field.split(".")
        if parts[0] == "us" and len(parts) == 2:
            return f"us_{parts[1]}"
        if parts[0] == "has_inside_source":
            return "has_inside_source"
        if parts[0] == "competitors" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.submitted):
                part = "fit" if parts[2] == "competitor" else parts[2]
                return f"c{self.submitted[index]}_{part}"
        return None

    @staticmethod
    def initial_from(questionnaire: Questionnaire | None) -> dict[str, Any]:
        """Last week's answers as the starting point of this week's."""
        if questionnaire is None:
            return {}
        initial: dict[str, Any] = {
            "has_inside_source": "yes" if questionnaire.has_inside_source else "no",
            "us_fit": questionnaire.us_fit,
            "us_closeness": questionnaire.us_closeness,
        }
        for answer in questionnaire.competitor_answers.all():
            initial[f"c{answer.competitor_id}_fit"] = answer.fit
            initial[f"c{answer.competitor_id}_closeness"] = answer.closeness
        return initial

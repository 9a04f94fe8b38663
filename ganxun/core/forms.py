from django import forms

from ganxun.core.values import validate_date_range, validate_decimal_range, validate_int_range

CHECKABLE = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)


ISO_FORMATS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M"}


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates need no per-field markup."""

    fields: dict[str, forms.Field]  # the form's, once its __init__ ran

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, CHECKABLE):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            # Date inputs only take ISO values; the zh-Hans format (2030/03/09) would leave the
            # field empty when a saved record is edited.
            html_type = widget.attrs.get("type", getattr(widget, "input_type", ""))
            if html_type in ISO_FORMATS:
                widget.format = ISO_FORMATS[html_type]
            _bound(field)


def _bound(field) -> None:
    """Every date, integer and decimal a form takes stays within core.values' ranges, so a
    typed ``9999-12-31``, ``1e309`` or 2⁶³ is a message beside the field, not a 500 later."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        check = validate_date_range
    elif isinstance(field, forms.DecimalField):
        check = validate_decimal_range
    elif isinstance(field, forms.IntegerField):  # after DecimalField, which is not one
        check = validate_int_range
    else:
        return
    if check not in field.validators:
        field.validators.append(check)


class StyledForm(StyledFormMixin, forms.Form):
    pass

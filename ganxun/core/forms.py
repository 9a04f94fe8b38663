from django import forms

CHECKABLE = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)


class StyledFormMixin:
    """Gives every widget its Bootstrap class, so templates need no per-field markup."""

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


class StyledForm(StyledFormMixin, forms.Form):
    pass

from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.messaging import preferences
from ganxun.orgs.models import Org


def channel_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(c, str(preferences.LABELS.get(c, c))) for c in codes]


class TemplateForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("内容"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    sms = forms.CharField(
        label=_("短信"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不填则短信发送标题。"),
    )


class ChannelPolicyForm(StyledForm):
    INHERIT, OWN = "inherit", "own"
    mode = forms.ChoiceField(
        label=_("本单位的设置"),
        choices=[(INHERIT, _("沿用上级的设置")), (OWN, _("本单位单独设置"))],
        widget=forms.RadioSelect,
    )
    channels = forms.MultipleChoiceField(
        label=_("允许的渠道（站内消息总是发送）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = channel_choices(codes)


class OrgChoiceForm(StyledForm):
    org = forms.ModelChoiceField(label=_("组织"), queryset=Org.objects.none(), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        root = actor.org
        field = self.fields["org"]
        field.queryset = (
            Org.objects.visible_to(actor).filter(path__startswith=root.path)
            if root is not None
            else Org.objects.none()
        )
        use_picker(field, "org", within=str(root.pk) if root is not None else "")


class PreferenceForm(StyledForm):
    channels = forms.MultipleChoiceField(
        label=_("除站内消息外，还通过以下方式通知我"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = channel_choices(codes)

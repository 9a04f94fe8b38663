from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role, User
from ganxun.core.forms import StyledForm, StyledFormMixin
from ganxun.core.picker import use_picker
from ganxun.orgs.forms import OrgChoiceField
from ganxun.orgs.idcard import InvalidIdNumber, parse_id_number
from ganxun.orgs.lookup import id_hash
from ganxun.orgs.models import Org


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Username or, for trainees, the ID number."""

    username = forms.CharField(
        label=_("用户名或身份证号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败5次将锁定15分钟。"),
        "inactive": _("该账号已停用。"),
    }

    def clean_username(self):
        typed = self.cleaned_data["username"].strip()
        try:
            idn = parse_id_number(typed)
        except InvalidIdNumber:
            return typed
        # User is not scoped, and the join to the cadre is no subquery: nothing to step around
        user = User.objects.filter(cadre__id_hash=id_hash(idn.value)).only("username").first()
        return user.username if user else typed


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput,
        help_text=_("至少8位，且包含大写字母、小写字母、数字、符号中的至少3类。"),
    )
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class UserForm(StyledForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    org = OrgChoiceField(label=_("所属组织（可见范围）"), queryset=Org.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, org_queryset, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_queryset
        use_picker(self.fields["org"], "org")
        if editing:
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]


class ApiTokenForm(StyledForm):
    name = forms.CharField(label=_("用途"), max_length=100)
    reads_id_numbers = forms.BooleanField(
        label=_("可读取完整身份证号（每次调用均记入审计日志）"), required=False
    )

    def __init__(self, *args, may_read_id_numbers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_read_id_numbers:
            del self.fields["reads_id_numbers"]

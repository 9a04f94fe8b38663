"""``{% submission_key %}``: the hidden field that makes a post idempotent (core/idempotency)."""

from django import template
from django.utils.html import format_html

from ganxun.core.idempotency import FIELD, new_key

register = template.Library()


@register.simple_tag
def submission_key():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())

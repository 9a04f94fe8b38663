"""Picker source for videos of the materials library (core/picker.py): what the actor sees."""

from ganxun.catalog.models import Material
from ganxun.core.picker import Choice, PickerSource, register_picker


def search_videos(actor, query: str, *, within: str = ""):
    found = Material.objects.visible_to(actor).filter(kind=Material.Kind.VIDEO).exclude(file="")
    if query:
        found = found.filter(title__icontains=query)
    return found.order_by("title", "id")


def video_choice(material: Material) -> Choice:
    return Choice(value=str(material.pk), label=material.title, hint=material.duration_display)


register_picker("video", PickerSource(search=search_videos, choice=video_choice))

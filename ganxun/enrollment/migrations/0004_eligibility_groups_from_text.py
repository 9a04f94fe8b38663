"""Read each program's free-text 培训对象 into structured groups (a union of intersections).
Text that names nothing the roster knows stays text only (no groups: no warnings)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ganxun.core.scoping import unscoped

    with unscoped():  # spans the whole tree, as a migration does
        _forwards(apps)


def _forwards(apps):
    from ganxun.enrollment.eligibility import parse_groups

    Program = apps.get_model("programs", "Program")
    Org = apps.get_model("orgs", "Org")
    CadreCategory = apps.get_model("orgs", "CadreCategory")
    EligibilityGroup = apps.get_model("enrollment", "EligibilityGroup")
    categories = list(CadreCategory.objects.values_list("pk", "name"))
    for program in Program._base_manager.exclude(target_groups="").select_related("org"):
        units = list(
            Org._base_manager.filter(path__startswith=program.org.path)
            .exclude(level="village")
            .values_list("pk", "name")
        )
        for seq, group in enumerate(parse_groups(program.target_groups, units, categories), 1):
            row = EligibilityGroup.objects.create(
                program=program,
                seq=seq,
                ranks=sorted(group.ranks),
                leader_roles=sorted(group.leader_roles),
                min_age=group.min_age,
                max_age=group.max_age,
                for_text=program.target_groups,
            )
            row.units.set(group.unit_ids)
            row.categories.set(group.category_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0003_eligibility_groups_and_schedule_changes"),
        ("programs", "0001_initial"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

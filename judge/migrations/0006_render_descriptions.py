from django.db import migrations

from problems.statements import statement_render


def render_descriptions(apps, schema_editor):
    """Fill description_html of the contests saved before the HTML was rendered at save time."""
    Contest = apps.get_model("judge", "Contest")
    for pk in list(Contest.objects.values_list("pk", flat=True)):  # ids first: no open cursor while writing
        rows = Contest.objects.filter(pk=pk)
        source = rows.values_list("description", flat=True).get()
        rows.update(description_html=statement_render(source=source))


class Migration(migrations.Migration):
    dependencies = [("judge", "0005_bounds_and_rendered_html")]

    operations = [migrations.RunPython(render_descriptions, migrations.RunPython.noop)]

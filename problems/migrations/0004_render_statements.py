from django.db import migrations

from problems.statements import statement_render


def render_statements(apps, schema_editor):
    """Fill statement_html of the problems saved before the HTML was rendered at save time."""
    Problem = apps.get_model("problems", "Problem")
    for pk in list(Problem.objects.values_list("pk", flat=True)):  # ids first: no open cursor while writing
        rows = Problem.objects.filter(pk=pk)
        # update(), not save(): the historical model has no rendering save(), and updated_at must not move
        source = rows.values_list("statement", flat=True).get()
        rows.update(statement_html=statement_render(source=source))


class Migration(migrations.Migration):
    dependencies = [("problems", "0003_bounds_and_rendered_html")]

    operations = [migrations.RunPython(render_statements, migrations.RunPython.noop)]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("judge", "0009_testresult_fraction"),
    ]

    operations = [
        migrations.AddField(
            model_name="testresult",
            name="stderr_excerpt",
            field=models.TextField(
                blank=True, help_text="End of the program's stderr (a traceback); kept for samples only."
            ),
        ),
    ]

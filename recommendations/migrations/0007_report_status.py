"""Implementation reports get a status: in preparation or adopted.

Every report that exists already was typed in or imported once adopted, so the column is added
with "adopted" (its historical records too: their past versions were adopted reports), and only
then takes its default for new reports, "in preparation".
"""

from django.db import migrations, models

CHOICES = [("in_preparation", "In preparation"), ("adopted", "Adopted")]


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0006_foreign_key_verbose_names"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name="status",
                field=models.CharField(
                    choices=CHOICES, default="adopted", editable=False, max_length=16, verbose_name="status"
                ),
            )
            for model_name in ("implementationreport", "historicalimplementationreport")
        ),
        *(
            migrations.AlterField(
                model_name=model_name,
                name="status",
                field=models.CharField(
                    choices=CHOICES,
                    default="in_preparation",
                    editable=False,
                    max_length=16,
                    verbose_name="status",
                ),
            )
            for model_name in ("implementationreport", "historicalimplementationreport")
        ),
    ]

# Expertise becomes the person's (issue 10), step 1 of 3: the per-conference choice of papers,
# and the conference column made optional while the data moves (0005) before it goes (0006).

import django.db.models.deletion
import rules.contrib.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0003_reviewing_settings"),
        ("reviews", "0003_assignment_removal_keeps_reviews"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExpertiseExclusion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "conference",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="expertise_exclusions",
                        to="conferences.conference",
                    ),
                ),
                (
                    "expertise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exclusions",
                        to="reviews.expertise",
                    ),
                ),
            ],
            bases=(rules.contrib.models.RulesModelMixin, models.Model),
        ),
        migrations.AddConstraint(
            model_name="expertiseexclusion",
            constraint=models.UniqueConstraint(
                fields=("conference", "expertise"), name="expertise_exclusion_unique"
            ),
        ),
        migrations.AlterField(
            model_name="expertise",
            name="conference",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="expertise",
                to="conferences.conference",
            ),
        ),
    ]

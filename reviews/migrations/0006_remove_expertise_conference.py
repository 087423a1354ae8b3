# Expertise becomes the person's (issue 10), step 3 of 3: the conference column goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_expertise_to_person")]

    operations = [migrations.RemoveField(model_name="expertise", name="conference")]

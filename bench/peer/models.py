"""The deals of the S4 data, read from Feedserver's own `records` table (not managed here)."""

from django.db import models


class Deal(models.Model):
    name = models.CharField(max_length=255)

    class Meta:
        managed = False
        db_table = "records"

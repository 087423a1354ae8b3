"""``{{ pattern|row_url:id }}``: a row link from a pattern of mlsys.core.tables.row_url."""

from django import template

from mlsys.core.tables import ROW_MARK

register = template.Library()


@register.filter
def row_url(pattern: str, row_id) -> str:
    return pattern.replace(ROW_MARK, str(row_id))

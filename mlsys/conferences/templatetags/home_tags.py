"""``{% home_section section %}``: render a home-page section's template with its context on
top of the page's (like ``{% include %}``, whose ``with`` cannot take a dict)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def home_section(context, section):
    tpl = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        # Template.render returns a SafeString: the section's own template escapes its data.
        return tpl.render(context)

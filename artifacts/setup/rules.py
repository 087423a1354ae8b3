"""The permissions the AE configuration and committee check (declared in artifacts/rules.py):
``MANAGE`` for the settings, dates, badge set and committee (AE chairs and program chairs),
``EVALUATOR_PAGES`` for the evaluator's own hardware profile."""

MANAGE = "artifacts.manage_ae"
EVALUATOR_PAGES = "artifacts.evaluator_pages"

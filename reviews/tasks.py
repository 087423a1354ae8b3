"""Celery tasks of the reviews app outside a workflow package: the daily bid reminders (beat).

Workflow tasks live in their packages (``reviews/<package>/tasks.py``); all are autodiscovered.
"""

from celery import shared_task

from reviews.services.bids import remind_bidders as _remind_bidders


@shared_task(name="reviews.remind_bidders")
def remind_bidders() -> int:
    return _remind_bidders()

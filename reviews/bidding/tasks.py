"""Celery task of bidding: the bid reminders (beat, hourly; at most one a day per member)."""

from celery import shared_task

from reviews.bidding.services import remind_bidders as _remind_bidders


@shared_task(name="reviews.remind_bidders")
def remind_bidders() -> int:
    return _remind_bidders()

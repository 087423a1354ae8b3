"""Beat task: daily bid reminders (imported from ReviewsConfig.ready so Celery registers it)."""

from celery import shared_task

from reviews.services.bids import remind_bidders as _remind_bidders


@shared_task(name="reviews.remind_bidders")
def remind_bidders() -> int:
    return _remind_bidders()

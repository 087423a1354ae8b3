"""Email templates of the PC side of reviewing (registered from ReviewsConfig.ready)."""

from mlsys.mail.defaults import register

register(
    "reviews.bid_reminder",
    description="Daily reminder (during bidding) to PC members who have bid on too few papers.",
    subject="[{conference}] Please bid on papers: {bid_count} of {paper_count} so far",
    body="""
Dear {name},

Bidding for {conference_name} is open until {deadline}.

You have bid on {bid_count} of the {paper_count} papers you can bid on.
Please bid on at least {min_bids}: your bids, together with your expertise and topic interests,
decide which papers you will be asked to review. Papers you are conflicted with are not shown
to you; mark any other conflict with the "Conflict" button.

Bid here: {bidding_url}

You receive this reminder at most once a day while you have fewer than {min_bids} bids.
--
The {conference} chairs
""",
    placeholders=(
        "conference",
        "conference_name",
        "name",
        "bid_count",
        "paper_count",
        "min_bids",
        "deadline",
        "bidding_url",
    ),
)

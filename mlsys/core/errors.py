"""Domain exceptions shared by services, views and the API exception handler."""


class Conflict(Exception):
    """Somebody else changed the object since the caller read it (optimistic locking).

    ``current`` carries the newer state so the page or client can show it.
    """

    def __init__(self, message: str, *, current: dict | None = None):
        super().__init__(message)
        self.current = current or {}

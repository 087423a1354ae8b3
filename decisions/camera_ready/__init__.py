"""Camera-ready: accepted papers' final PDFs, final author lists, licence acceptance, shepherds,
the chairs' overview and the reminders before the camera-ready deadline (docs/camera-ready.md)."""

"""Discussion leads and meta-reviews: services (assigning leads, writing) and queries."""

# Production image: gunicorn (web), celery worker and celery beat all run from it.
# docker-compose.yml shows how the services fit together; docs/deploy.md explains it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and HarfBuzz; the PDFs it renders need real fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 poppler-utils \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app

# Dependencies first, so a code change doesn't reinstall them. EMBEDDINGS=true adds the
# sentence-embedding affinity backend (docs/affinity.md) with the CPU build of torch (~0.9 GB);
# PyPI's default torch is a multi-GB CUDA build.
ARG EMBEDDINGS=false
COPY pyproject.toml README.md ./
RUN if [ "$EMBEDDINGS" = "true" ]; then \
        pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
        && pip install ".[embeddings]"; \
    else \
        pip install .; \
    fi

COPY --chown=app:app . .

# Static files are collected at build time; the secret and database here exist only for the
# build (settings refuse to start without a SECRET_KEY when DEBUG is off).
RUN SECRET_KEY=build-only-not-secret DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        MLSYS_IGNORE_DOTENV=1 python manage.py collectstatic --no-input -v 0 \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
# Workers, threads and timeout: gunicorn.conf.py, each overridable from the environment.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "mlsys.wsgi:application"]

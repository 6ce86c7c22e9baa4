# Production image: gunicorn serving the portal, static files by whitenoise.
# Run the release step (migrations) before starting new containers:
#   docker compose run --rm web python manage.py migrate --no-input
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# WeasyPrint (PDF of compiled reports) draws text with Pango, and needs fonts to draw with.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, from pyproject.toml, so that code changes do not reinstall them.
# The project itself is then removed from site-packages: the code runs from /app only.
COPY pyproject.toml README.md ./
COPY coproduction_portal/__init__.py coproduction_portal/__init__.py
COPY casestudies/__init__.py casestudies/__init__.py
COPY councils/__init__.py councils/__init__.py
COPY editorial/__init__.py editorial/__init__.py
RUN pip install . && pip uninstall --yes coproduction-portal

COPY . .
RUN DEBUG=0 SECRET_KEY=collectstatic-only SITE_URL=http://collectstatic-only \
    python manage.py collectstatic --no-input \
    && useradd --system --uid 10001 --home-dir /app portal \
    && chown -R portal /app

USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py"]

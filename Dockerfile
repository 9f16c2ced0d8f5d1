# The service on SQLite (or PostgreSQL via DATABASE_URL): migrate, seed, then serve on :8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 ofsted \
    && mkdir -p /app/data \
    && chown -R ofsted:ofsted /app/data

USER ofsted
EXPOSE 8000
# The seed job exits 1 when it rejected a document (it prints which and why); the service
# still starts. Any other exit code (the database cannot be reached) stops the container.
CMD ["sh", "-c", "{ python -m seed || [ $? -eq 1 ]; } && exec uvicorn app.main:app --host 0.0.0.0 --port 8000 --workers ${WORKERS:-$(nproc)} --no-access-log --http app.http.serving:HeaderTimeoutProtocol"]

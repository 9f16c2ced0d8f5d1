"""The HTTP room: what every request goes through whatever route serves it (middleware,
limits, caching, readiness, time-outs, logs, the pages), and every error handler
(`app.http.errors`). Nothing here writes SQL for a resource; routes and store/ do not
import middleware."""

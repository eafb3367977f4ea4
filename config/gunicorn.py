"""gunicorn's settings, for `make run` and for the deployment behind nginx (docs/deploy.md).

Threaded workers: a client that sends its request slowly holds one thread, not a whole worker,
so two slow clients no longer stall every request (with sync workers they did, for the 30 s
timeout, again and again). In production nginx buffers whole requests in front of it, and
gunicorn only ever sees complete ones.

Four workers of two threads each, by measurement (docs/search.md, "Through gunicorn"): at
100,000 articles they serve search, list and filtered lists within 10 % of two sync workers,
where two workers of eight threads served them at 0.35 to 0.9 of it, varying run to run (the
threads of one worker wait on one interpreter lock)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30  # a worker silent this long is restarted
keepalive = 5
# The proxy whose X-Forwarded-Proto gunicorn believes; Django's client address rule is
# DJANGO_NUM_PROXIES (archive.clients).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")

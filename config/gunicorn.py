"""gunicorn's settings, for `make run` and for the deployment behind nginx (docs/deploy.md).

Threaded workers: a client that sends its request slowly holds one thread, not a whole worker,
so two slow clients no longer stall every request (with sync workers they did, for the 30 s
timeout, again and again). In production nginx buffers whole requests in front of it, and
gunicorn only ever sees complete ones.

Four workers of four threads each, by measurement (docs/search.md, "the gunicorn
configuration"): two workers of eight threads served search, list and filtered lists at 0.35 to
0.9 of two sync workers, swinging from run to run (a worker's threads share one interpreter
lock); four of two came within 10 % of sync, but a slow client holds a thread from its first
byte, so two of them on one worker stalled every request that worker took (the slow-client test
caught it); four of four keeps two threads free there, at 0.7 to 0.95 of sync."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30  # a worker silent this long is restarted
keepalive = 5
# The proxy whose X-Forwarded-Proto gunicorn believes; Django's client address rule is
# DJANGO_NUM_PROXIES (archive.clients).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")

"""Who a request comes from: one rule for the API's throttles, the token-guess limit and the
admin's login lock-out.

With no proxy configured (`DJANGO_NUM_PROXIES=0`, the default) the client is the socket's peer
and `X-Forwarded-For` is ignored: anyone can write that header. With N proxies in front, the
client is the address the outermost of them saw, N places from the end of the header."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The client's address, by DRF's rule with the configured NUM_PROXIES (never None)."""
    return BaseThrottle().get_ident(request) or ""

"""Token authentication whose failures are limited per client address."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from .throttles import AuthFailureThrottle


class LimitedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`; a client past its limit of wrong tokens gets 429 with
    Retry-After, whatever token it sends, until the window has passed."""

    def authenticate(self, request):
        if not self._credentials_given(request):
            return None
        limit = AuthFailureThrottle()
        wait = limit.seconds_blocked(request)
        if wait is not None:
            raise Throttled(wait=wait, detail="Too many failed authentications from this address.")
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            limit.failure_record(request)
            raise

    def _credentials_given(self, request) -> bool:
        """Whether the request names a token at all (DRF's reading of the header)."""
        header = get_authorization_header(request).split()
        return bool(header) and header[0].lower() == self.keyword.lower().encode()

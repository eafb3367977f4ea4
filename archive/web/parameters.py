"""Pages that take no query parameters say so: a 400 naming what they were given rather than
an answer that silently ignored it (SPEC §5), as the API's guard does for its routes."""

from __future__ import annotations

from functools import wraps

from django.http import HttpResponseBadRequest


def takes_parameters(*allowed: str):
    """The view takes only these query parameters (none, by default)."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            unknown = sorted(set(request.GET) - set(allowed))
            if unknown:
                takes = f"it takes {', '.join(allowed)}" if allowed else "it takes none"
                return HttpResponseBadRequest(
                    f"Unknown query parameter {', '.join(map(repr, unknown))}: {takes}.\n",
                    content_type="text/plain; charset=utf-8",
                )
            return view(request, *args, **kwargs)

        return guarded

    return decorate

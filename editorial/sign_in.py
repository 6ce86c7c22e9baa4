"""Signing in to the editors' admin: which address django-axes counts failed attempts against."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The address of the person signing in (AXES_CLIENT_IP_CALLABLE).

    Behind the TLS proxy every connection comes from the proxy, so the client is the entry the
    proxy appended to X-Forwarded-For: with TRUSTED_PROXY_COUNT proxies in a row, that many
    entries from the right. Entries further left come from the client and can say anything.
    Without the proxy the header is ignored: the connection's own address counts.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        count = settings.TRUSTED_PROXY_COUNT
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count].strip()))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")

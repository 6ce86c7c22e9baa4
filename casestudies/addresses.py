"""The portal's full addresses: settings.SITE_URL and a path, never the request's Host.

Everything that leaves the portal with an address in it (e-mails, feeds, the sitemap, the API,
downloads, page metadata) builds it here, so a request that came with another Host (a proxy,
`localhost`) cannot change what is written.
"""

from django.conf import settings


def absolute(path):
    """The full public address of a path on the portal, such as "/case-studies/"."""
    return settings.SITE_URL + path

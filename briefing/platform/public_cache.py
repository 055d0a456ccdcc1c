"""Whole-page cache of the public pages, for anonymous readers only.

Every entry records the version it was rendered under; publishing bumps the version,
so one publication makes every cached public page stale at once. Signed-in users
always get a fresh page of their own. A dead cache degrades to rendering every page,
never to an error.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from briefing.platform import visits

log = logging.getLogger(__name__)

VERSION_KEY = "public:version"
PAGE_TIMEOUT = 10 * 60


def _version() -> tuple[str, float]:
    """(version, time it was set): the time is every page's Last-Modified."""
    entry = cache.get(VERSION_KEY)
    if entry is None:
        entry = (str(time.time_ns()), time.time())
        cache.add(VERSION_KEY, entry, None)
        entry = cache.get(VERSION_KEY) or entry
    return entry


def public_cache_clear() -> None:
    """Make every cached public page stale (called after a publication commits)."""
    try:
        cache.set(VERSION_KEY, (str(time.time_ns()), time.time()), None)
    except Exception as exc:  # the pages expire on their own within PAGE_TIMEOUT
        log.warning("public cache: could not bump the version: %s", exc)


def _page_key(language: str, full_path: str) -> str:
    return f"public:page:{language}:{hashlib.sha256(full_path.encode()).hexdigest()}"


def public_page_forget(path: str) -> None:
    """Drop one page from the cache in every language (after a vote on it, so that the
    next reader, the voter included, sees the new counts)."""
    try:
        cache.delete_many([_page_key(code, path) for code, _name in settings.LANGUAGES])
    except Exception as exc:  # the page expires on its own within PAGE_TIMEOUT
        log.warning("public cache: could not drop %s: %s", path, exc)


def cached_public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        visits.record_view(request)
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _page_key(request.LANGUAGE_CODE, request.get_full_path())
        try:
            # One round trip: the page carries the version it was rendered under and
            # counts only while that is still the current version.
            found = cache.get_many([VERSION_KEY, key])
            version_entry = found.get(VERSION_KEY) or _version()
            entry = found.get(key)
        except Exception as exc:
            log.warning("public cache unavailable: %s", exc)
            return view(request, *args, **kwargs)
        version, modified = version_entry
        if entry is None or entry["version"] != version:
            request.public_version = version  # for the view's fragment caches
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            entry = {
                "version": version,
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
            }
            try:
                cache.set(key, entry, PAGE_TIMEOUT)
            except Exception as exc:
                log.warning("public cache: could not store a page: %s", exc)
        if request.headers.get("If-None-Match") == entry["etag"]:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = entry["etag"]
            return not_modified
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(modified)
        response["Content-Language"] = request.LANGUAGE_CODE
        patch_cache_control(response, public=True, max_age=60)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper


def fragments_get(keys: list[str]) -> dict:
    """Cached fragments by key; none when the cache is down (the caller renders)."""
    try:
        return cache.get_many(keys)
    except Exception as exc:
        log.warning("fragment cache unavailable: %s", exc)
        return {}


def fragments_set(entries: dict, timeout: int = PAGE_TIMEOUT) -> None:
    try:
        cache.set_many(entries, timeout)
    except Exception as exc:
        log.warning("fragment cache: could not store fragments: %s", exc)


def public_version(request=None) -> str:
    """The current version, for fragment caches that must follow publications (the
    page cache has read it already when it renders a page for `request`)."""
    if getattr(request, "public_version", None):
        return request.public_version
    try:
        return _version()[0]
    except Exception:
        return "unavailable"

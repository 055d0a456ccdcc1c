"""Whole-page cache of the public pages, for anonymous readers only.

Every page belongs to sections, each with a version in the cache; an entry records the
versions it was rendered under and counts only while they are all current. A change
bumps only the sections it affects: a publication the answer lists and the published
answer's own page (every other answer page stays cached), an approved indicator report
the indicator pages; a change that shows everywhere (an organisation's name) bumps the
site section, which every page belongs to. After a change, one reader renders a page
afresh and those who ask for it at the same moment get it as it was (no crowd of readers
rendering the same page at once). Signed-in users always get a fresh page of their own.
A dead cache degrades to rendering every page, never to an error.
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

# After a change one reader renders a stale page afresh; the readers who ask for it
# meanwhile get the page as it was (for at most this long, should that render fail).
RENDER_SECONDS = 10
SITE = "site"  # every page: names and anything else shown on all of them
ANSWERS = "answers"  # the lists of published answers: home, /answers/
INDICATORS = "indicators"  # the public indicator pages
PAGE_TIMEOUT = 10 * 60


def answer_section(code: str) -> str:
    """The section of one published answer's page."""
    return f"answer:{code.upper()}"


def _version_key(section: str) -> str:
    return f"public:version:{section}"


def _new_version() -> tuple[str, float]:
    return (str(time.time_ns()), time.time())


def _versions(found: dict, sections: tuple[str, ...]) -> tuple[str, float]:
    """(the versions of `sections` joined, the latest time one was set: the page's
    Last-Modified), starting the sections that have no version yet."""
    entries = []
    for section in sections:
        entry = found.get(_version_key(section))
        if entry is None:
            entry = _new_version()
            cache.add(_version_key(section), entry, None)
            entry = cache.get(_version_key(section)) or entry
        entries.append(entry)
    return ".".join(e[0] for e in entries), max(e[1] for e in entries)


def public_sections_bump(*sections: str) -> None:
    """Make the cached pages of `sections` stale (called after the change commits)."""
    try:
        cache.set_many({_version_key(s): _new_version() for s in sections}, None)
    except Exception as exc:  # the pages expire on their own within PAGE_TIMEOUT
        log.warning("public cache: could not bump %s: %s", sections, exc)


def public_cache_clear() -> None:
    """Make every cached public page stale (a change shown on every page)."""
    public_sections_bump(SITE)


def _page_key(language: str, full_path: str) -> str:
    return f"public:page:{language}:{hashlib.sha256(full_path.encode()).hexdigest()}"


def public_page_forget(path: str) -> None:
    """Drop one page from the cache in every language (after a vote on it, so that the
    next reader, the voter included, sees the new counts)."""
    try:
        cache.delete_many([_page_key(code, path) for code, _name in settings.LANGUAGES])
    except Exception as exc:  # the page expires on its own within PAGE_TIMEOUT
        log.warning("public cache: could not drop %s: %s", path, exc)


def _fresh_entry(response, version: str) -> dict | None:
    """What the cache keeps of a rendered page; None for a page not to keep."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    return {
        "version": version,
        "content": response.content,
        "content_type": response["Content-Type"],
        "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
    }


def _cached_response(request, entry: dict, modified: float, stale: bool = False):
    if request.headers.get("If-None-Match") == entry["etag"]:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = entry["etag"]
        return not_modified
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(modified)
    response["Content-Language"] = request.LANGUAGE_CODE
    # A page as it was before a change is not kept by browsers: the next look is fresh.
    patch_cache_control(response, public=True, max_age=0 if stale else 60)
    patch_vary_headers(response, ("Cookie",))
    return response


def _rendering(key: str, version: str) -> bool:
    """Whether another request renders the page of `key` under `version` now; if none
    does, this one is marked as doing it (one cache round trip)."""
    try:
        return not cache.add(f"{key}:rendering:{version}", 1, RENDER_SECONDS)
    except Exception:  # render it: a dead cache is no error
        return False


def cached_public_page(*sections, by=None):
    """Cache the decorated view's page for anonymous readers, under the versions of
    SITE, `sections` and the sections `by(**view_kwargs)` names (a page of its own).
    Used bare (@cached_public_page), the page belongs to ANSWERS."""
    if len(sections) == 1 and callable(sections[0]):
        return cached_public_page(ANSWERS)(sections[0])

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            visits.record_view(request)
            if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                return response
            own = (SITE, *sections, *(by(**kwargs) if by else ()))
            key = _page_key(request.LANGUAGE_CODE, request.get_full_path())
            try:
                # One round trip: the versions and the page rendered under them.
                found = cache.get_many([*(_version_key(s) for s in own), key])
                version, modified = _versions(found, own)
            except Exception as exc:
                log.warning("public cache unavailable: %s", exc)
                return view(request, *args, **kwargs)
            entry = found.get(key)
            if entry is not None and entry["version"] != version and _rendering(key, version):
                return _cached_response(request, entry, modified, stale=True)
            if entry is None or entry["version"] != version:
                request.public_version = version  # for the view's fragment caches
                response = view(request, *args, **kwargs)
                entry = _fresh_entry(response, version)
                if entry is None:
                    return response
                try:
                    cache.set(key, entry, PAGE_TIMEOUT)
                except Exception as exc:
                    log.warning("public cache: could not store a page: %s", exc)
            return _cached_response(request, entry, modified)

        return wrapper

    return decorator


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


def public_version(request=None, sections: tuple[str, ...] = (ANSWERS,)) -> str:
    """The current version of SITE and `sections`, for fragment caches that must follow
    them (the page cache has read it already when it renders a page for `request`)."""
    if getattr(request, "public_version", None):
        return request.public_version
    own = (SITE, *sections)
    try:
        return _versions(cache.get_many([_version_key(s) for s in own]), own)[0]
    except Exception:
        return "unavailable"

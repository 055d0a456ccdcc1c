"""The platform: the outbox of follow-up work, e-mail, health checks, the caches and
the public page cache, visit counters, Excel helpers, quarters, dates, collation and
the language middleware. Used by every app; imports none of them."""

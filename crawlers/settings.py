"""Scrapy settings for launchwire's crawlers (start from `scrapy startproject`'s template).

Only Scrapy's own: what launchwire lets a user set (User-Agent, per-domain concurrency and
delay, timeout, size limit, the cache, database, Retry-After and sitemap limits) reaches a
crawl only through launchwire.settings.scrapy_overrides, where its default lives (#15).
"""

BOT_NAME = "launchwire"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Since Scrapy 2.13 each response starts ~100 asyncio tasks at the default (scrapy #7158);
# one item at a time measured ~1.5x faster here (shared/MEASURED.md).
CONCURRENT_ITEMS = 1

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"

RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10

# Only the components the crawl uses (#12); test_components.py lists what a crawl loads.
DOWNLOADER_MIDDLEWARES = {
    # Before RobotsTxtMiddleware (100): robots.txt is fetched only for an origin a request
    # has been allowed to reach.
    "crawlers.middlewares.private_network.PrivateNetworkMiddleware": 50,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,  # no allowed_domains
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,  # no credentials
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,  # COOKIES_ENABLED off
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.retry_after.RetryAfterMiddleware": 550,
}
# No Referer: an article's site need not learn which feed linked it. The middleware stays,
# with a policy that sends none: the redirect middlewares warn on every crawl without it.
REFERRER_POLICY = "no-referrer"
SPIDER_MIDDLEWARES = {
    # crawlers.urls refuses long links first, with a logged reason; this one dropped their
    # requests silently and left the entries pending for ever.
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,  # no depth: feeds link pages
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,  # a debugging aid
}
# Scrapy 2.19's RemoteControl opens a code-executing listener on loopback during every
# crawl, and the telnet console is another; the rest are unused.
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
    "scrapy.extensions.memusage.MemoryUsage": None,
    "scrapy.extensions.memdebug.MemoryDebugger": None,
    "scrapy.extensions.closespider.CloseSpider": None,
    "scrapy.extensions.feedexport.FeedExporter": None,
    "scrapy.extensions.spiderstate.SpiderState": None,
    "crawlers.extensions.storage_guard.StorageGuard": 100,
}
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Only http(s) is fetched: no redirect or meta refresh can reach file:, data:, ftp: or s3:.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
ITEM_PIPELINES = {
    "crawlers.pipelines.store_crawl.StoreCrawlPipeline": 100,
}

# Development only (launchwire's `http_cache` setting): responses kept under .scrapy/httpcache.
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 308, 429, 500, 502, 503, 504]

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Scrapy's default resolver is IPv4 only: IPv6 literals ("http://[2001:db8::1]/") and
# AAAA-only hosts failed with "DNS lookup failed" (#12). This one has no DNS_TIMEOUT; the
# DOWNLOAD_TIMEOUT still bounds every request.
TWISTED_DNS_RESOLVER = "scrapy.resolver.CachingHostnameResolver"
FEED_EXPORT_ENCODING = "utf-8"

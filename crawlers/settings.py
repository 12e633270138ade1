"""Scrapy settings for launchwire's crawlers (start from `scrapy startproject`'s template)."""

BOT_NAME = "launchwire"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = "launchwire/0.1 (+https://github.com/launchwire/launchwire)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
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
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.private_network.PrivateNetworkMiddleware": 50,
    "crawlers.middlewares.fetch_log.FetchLogMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.validate_article.ValidateArticlePipeline": 100,
    "crawlers.pipelines.store_article.StoreArticlePipeline": 200,
}

# Development only: HTTPCACHE_ENABLED = True keeps responses under .scrapy/httpcache.
HTTPCACHE_ENABLED = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# launchwire's own settings.
LAUNCHWIRE_DB = "launchwire.db"

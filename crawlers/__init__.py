"""The Scrapy project: spiders per kind of source, extraction, pipelines that store via db/."""

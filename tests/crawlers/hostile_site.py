"""A hostile loopback site: every kind of bad input a news crawler meets, served on 127.0.0.1.

The tests point launchwire at `HostileSite().sources_toml()` and check what lands in the
database and what gets logged. Everything here is invented text written for these tests.

Families of cases (see CASES for the full list, EXPECTED_OUTCOMES for what should happen):

- feeds: one RSS 2.0 feed linking every article case (with ETag/Last-Modified and 304s),
  one valid feed per format (RSS 0.91, RSS 1.0, Atom 0.3, Atom 1.0, JSON Feed 1.1), and
  broken feeds (bad XML, HTML, empty, 404/410/500, a 503 that recovers, slow, redirect
  loop, bot-check page, stale);
- articles: oversized pages, a gzip bomb, PDF/PNG where HTML is expected, 404/410/500,
  tracking parameters and redirects to one article, an AMP copy, a content duplicate;
- encodings: GBK, GB18030, Big5, Shift_JIS, Windows-1252 and UTF-8 pages whose charset is
  missing, only in <meta>, or declared wrongly;
- links a feed must never make us fetch: javascript:, data:, file:, a private address, and a
  path robots.txt disallows.

Usage:

    with HostileSite() as site:
        sources = site.sources_toml()
        ...                            # crawl, then look at site.hits
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import struct
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from loopback_site import HTML, RSS, LoopbackSite, Reply, error_reply, simple_page

OUTLET = "Hostile Wire"
SLOW_SECONDS = 5.0                 # /feeds/slow.xml answers after this long
HUGE_SIZE = 3 * 1024 * 1024        # /a/huge.html, exact size in bytes
BOMB_SIZE = 200 * 1024 * 1024      # /a/bomb.html once gunzipped, exact size in bytes
STALE_DATE = datetime(2019, 1, 1, 9, 0, tzinfo=timezone.utc)

# The main feed links /a/tracked.html with this query, and again through /r/tracked.
TRACKED_QUERY = "utm_source=rss&utm_medium=feed&fbclid=abc123&gclid=xyz"
# Links in the main feed that must never be fetched.
HOSTILE_LINKS = ["javascript:alert(1)", "data:text/html,<p>x</p>", "file:///etc/passwd",
                 "http://10.11.12.13/private.html"]


# --- Invented articles ---------------------------------------------------------------------

@dataclass(frozen=True)
class Story:
    """One invented news article."""
    headline: str
    author: str
    paragraphs: tuple[str, ...]
    hours_ago: float = 6.0               # published this long before the server started
    published: datetime | None = None    # a fixed date instead (the stale article)


STORIES: dict[str, Story] = {
    "/a/good-1.html": Story(
        "Orbitfold raises $40 million to build modular satellite buses", "Mara Lindqvist", (
            "Orbitfold, a four-year-old aerospace startup based in Toulouse, said on Monday "
            "that it has raised $40 million in a Series B round to expand production of its "
            "modular satellite buses. The round was led by a European deep-tech fund and "
            "included two existing investors. The company plans to use the money to double its "
            "clean-room space and hire around sixty engineers before the end of next year.",
            "Unlike most small-satellite makers, Orbitfold sells the bus as a kit of standard "
            "modules that customers can combine for their own missions. A weather-imaging "
            "operator might pair three power modules with a large payload bay, while a "
            "communications client could swap those for extra radios. Chief executive Idris "
            "Okafor said the approach cuts the typical design phase from eighteen months to "
            "roughly five.",
            "The startup has flown two demonstration missions so far, both launched as "
            "rideshare payloads. The first suffered a reaction-wheel failure after six weeks in "
            "orbit, a setback the company discussed openly in a public engineering report. The "
            "second, launched last spring, has now operated for more than three hundred days "
            "without a major fault, and Orbitfold says it is using the data to qualify its next "
            "generation.",
            "Investors are betting that demand for cheaper, faster satellite platforms will keep "
            "growing as governments and private firms put more sensors into low Earth orbit. "
            "Analysts caution that the sector is crowded and that launch availability remains a "
            "bottleneck. Orbitfold says it already has signed contracts for eleven buses, with "
            "the first customer deliveries scheduled for the third quarter of next year.",
        ), hours_ago=2),
    "/a/good-2.html": Story(
        "Kestrel Labs open-sources the storage engine behind its time-series database",
        "Tomás Ferreira", (
            "Kestrel Labs has released the storage engine at the heart of its commercial "
            "time-series database under the Apache 2.0 licence, the company announced on "
            "Tuesday. The engine, written in Rust, handles compression, indexing and crash "
            "recovery for the hosted product that Kestrel sells to industrial customers. The "
            "code is now available on a public repository along with a design document and a "
            "benchmark suite.",
            "Co-founder Priya Raman said the decision followed months of requests from users "
            "who wanted to run the engine on their own hardware, often in factories with "
            "unreliable internet connections. She added that keeping the core closed had become "
            "a liability in sales conversations, because security teams increasingly ask to "
            "audit the software that stores their sensor data. The company will keep its query "
            "layer and management console proprietary.",
            "Early reactions from developers have been largely positive. Several contributors "
            "had already opened pull requests within hours of the release, mostly fixing "
            "documentation and adding support for additional processor architectures. One "
            "database researcher noted that the engine's approach to write-ahead logging, which "
            "batches small writes into larger segments before flushing them to disk, is "
            "unusually well documented for a project of its size.",
            "Kestrel is not the first infrastructure company to open its core while charging "
            "for hosting and support, and the strategy has had mixed results elsewhere. Some "
            "firms have later switched to more restrictive licences after cloud providers began "
            "offering competing services. Raman said Kestrel has no such plans and has "
            "published a pledge committing to keep the engine under its current licence for at "
            "least five years.",
        ), hours_ago=3),
    "/a/good-3.html": Story(
        "Northmere pilots sidewalk delivery robots through its first snowy winter",
        "Hannah Oduya", (
            "The northern city of Northmere has extended its pilot of sidewalk delivery robots "
            "into the winter months, making it one of the few places testing the machines in "
            "regular snowfall. Twenty-four robots, operated by a local logistics startup, now "
            "carry groceries and pharmacy orders across three residential districts. The "
            "council says the trial will run until March before a decision on a permanent "
            "licence.",
            "Operating in snow has required changes to both the hardware and the software. The "
            "robots now use wider tyres with deeper treads, and their cameras are heated to stop "
            "ice from forming on the lenses. Engineers also retrained the navigation models on "
            "footage recorded last winter, teaching them to recognise snowbanks, slush-covered "
            "kerbs and pavements that have been partly cleared by residents with shovels.",
            "Residents have offered mixed reviews. Some older people living alone say the "
            "service has made it easier to get medicine during cold spells, when walking to the "
            "pharmacy can be risky. Others complain that the robots sometimes block narrow "
            "footpaths while waiting for a remote operator to help them cross a busy junction, "
            "forcing pedestrians with prams or wheelchairs to step into the road.",
            "City officials say they are collecting data on delivery times, breakdowns and "
            "complaints, and will publish a full report in the spring. The startup claims that "
            "ninety-four percent of deliveries arrived within the promised window during the "
            "first month of snow. Disability advocates have asked the council to require a "
            "minimum clearance on pavements before any permanent licence is granted to the "
            "operator.",
        ), hours_ago=4),
    "/a/tracked.html": Story(
        "Pinecrest Audio recalls wireless earbuds after reports of swelling batteries",
        "Felix Marchetti", (
            "Pinecrest Audio has issued a voluntary recall of its Drift Pro wireless earbuds "
            "after receiving more than two hundred reports of swollen batteries in the charging "
            "case. The company said on Wednesday that no injuries have been confirmed, but it is "
            "asking owners to stop using the case immediately and to store it away from "
            "flammable materials until a replacement arrives. Roughly ninety thousand units were "
            "sold worldwide.",
            "According to a notice published on the company's support site, the problem "
            "affects cases manufactured between February and June of this year. A supplier "
            "changed the adhesive used to hold the battery cells in place, which in some units "
            "allowed the cells to shift and become damaged during normal charging. Pinecrest "
            "said it has since returned to the original adhesive and added an extra inspection "
            "step at the factory.",
            "Customers can check whether their case is affected by entering its serial number "
            "on the recall page. Eligible owners will receive a new case and a prepaid envelope "
            "for returning the old one, or they can choose a full refund instead. The company "
            "warned against sending damaged cases through ordinary post, saying that swollen "
            "batteries must be shipped using the special packaging it provides.",
            "The recall is a blow for Pinecrest, a mid-sized brand that had won praise for the "
            "sound quality and repairability of its products. Consumer groups noted that the "
            "company acted faster than many rivals in similar situations, publishing details "
            "within days of the first reports. Analysts expect the cost of the recall to wipe "
            "out most of the profit the product line made this year.",
        ), hours_ago=5),
    "/a/amp-story.html": Story(
        "Quillfeather launches a note-taking app that transcribes meetings on the device",
        "Sofia Castellanos", (
            "Quillfeather, a small software company founded by former accessibility "
            "researchers, has launched a note-taking app that records and transcribes meetings "
            "without sending audio to the cloud. The app runs a compressed speech-recognition "
            "model directly on laptops and phones, and the company says transcripts appear with "
            "a delay of less than two seconds on most devices sold in the last three years.",
            "Privacy is the main selling point. Many workplaces ban cloud transcription tools "
            "because recordings of confidential meetings would leave the company network. "
            "Quillfeather's founders say their app never uploads audio or text unless the user "
            "explicitly exports a file, and that the app works in airplane mode. An independent "
            "security firm has reviewed the network behaviour of the app and published its "
            "findings.",
            "The trade-off is accuracy. In the company's own tests, the on-device model made "
            "roughly twice as many errors as the best cloud services on recordings with heavy "
            "background noise or several people talking at once. Quillfeather argues that the "
            "gap shrinks considerably in quiet rooms and says users can correct mistakes quickly "
            "because the app highlights words it is less confident about.",
            "The app is free for personal use, with a paid plan for teams that adds shared "
            "notebooks and speaker labels. It supports English, Spanish and German at launch, "
            "with French and Japanese promised for early next year. Accessibility groups have "
            "welcomed the release, noting that deaf and hard-of-hearing employees often rely on "
            "live captions that their employers' security policies currently forbid.",
        ), hours_ago=6),
    "/a/fmt-rss091.html": Story(
        "Haybale, the bulletin board software from 2003, gets a surprise 3.0 release",
        "Gareth Pellow", (
            "Haybale, an open-source bulletin board package that powered thousands of hobbyist "
            "forums in the early 2000s, has received its first major release in more than a "
            "decade. Version 3.0 arrived without warning on Sunday, announced in a short post by "
            "a volunteer who took over maintenance last year. The update modernises the code "
            "base while keeping the plain, text-heavy look that long-time users remember fondly.",
            "The new maintainer, who posts under the name Thistle, said the main goal was "
            "security. Older versions stored passwords with outdated hashing and were "
            "vulnerable to several well-known injection attacks, which left surviving forums "
            "exposed. Version 3.0 replaces the database layer, adds modern password storage and "
            "introduces an automatic upgrade tool that converts existing forums without losing "
            "threads, signatures or private messages.",
            "Reaction in the small community that still runs Haybale has been enthusiastic. "
            "Administrators of forums dedicated to model railways, vintage synthesisers and "
            "regional birdwatching reported successful upgrades within hours of the release. "
            "Several said they had been close to shutting their boards down because hosting "
            "companies had started refusing to run the old software, and the update arrived "
            "just in time.",
            "Thistle was careful to manage expectations about future development. The project "
            "has no funding and only a handful of regular contributors, so new features will be "
            "rare. The roadmap instead focuses on keeping the software secure and easy to host "
            "on cheap shared servers. Donations will go towards an external security audit, "
            "which the maintainer hopes to commission before the end of the year.",
        ), hours_ago=7),
    "/a/fmt-rss10.html": Story(
        "University consortium publishes open archive of bird-migration radar scans",
        "Ines Varga", (
            "A consortium of seven universities has published an open archive containing twelve "
            "years of weather-radar scans processed to show the movements of migrating birds. "
            "The dataset covers more than ninety radar stations and includes nightly estimates "
            "of how many birds were in the air, how high they flew and which direction they "
            "were heading. It is free to download for research and non-commercial use.",
            "Weather radars pick up birds as a kind of noise that meteorologists usually filter "
            "out. Over the past decade, ecologists have developed machine-learning methods to "
            "separate biological signals from rain and to convert them into counts. The "
            "consortium's contribution is to apply a single, carefully validated method to the "
            "whole archive, so that researchers no longer need to build their own processing "
            "pipelines.",
            "The project lead said the archive has already revealed surprising patterns, "
            "including a gradual shift in the timing of autumn migration over the study period. "
            "Wind-farm developers and aviation authorities have also expressed interest, since "
            "knowing when large numbers of birds are aloft can help reduce collisions with "
            "turbines and aircraft. Commercial users will need to negotiate a separate licence "
            "with the consortium.",
            "Building the archive took far more computing time than the team expected. "
            "Processing a single night of data from every station required several hours on a "
            "university cluster, and the complete archive eventually consumed about two million "
            "processor hours. The consortium has released its code alongside the data, and it "
            "plans to add new scans every month so that the archive stays current.",
        ), hours_ago=8),
    "/a/fmt-atom03.html": Story(
        "Lumenwick unveils a 25-inch e-ink monitor aimed at programmers", "Otto Brennan", (
            "Lumenwick, a display startup known for its e-reader panels, has unveiled a "
            "twenty-five-inch e-ink monitor designed for people who spend most of the day "
            "reading and writing text. The monitor refreshes fast enough for scrolling through "
            "code and documents, the company says, though it is not intended for video or "
            "games. Preorders open next month at a price slightly below that of a high-end "
            "colour display.",
            "E-ink screens reflect ambient light instead of shining it towards the viewer, which "
            "some users find more comfortable during long sessions. Until now, large e-ink "
            "monitors have suffered from visible ghosting and slow refresh rates that made "
            "typing feel sluggish. Lumenwick claims its new controller chip reduces ghosting by "
            "redrawing only the regions of the screen that changed, and clears the whole panel "
            "every few seconds.",
            "Reviewers who tried early units at a trade show were cautiously impressed. Several "
            "said that editing code in a terminal felt almost normal, while moving windows "
            "around or scrolling quickly through long web pages still produced noticeable "
            "smearing. The monitor is greyscale only, and the company admits that syntax "
            "highlighting will need to rely on bold and italic text rather than colour.",
            "Lumenwick is targeting a niche but loyal audience of writers, programmers and "
            "people with eye strain or migraine conditions who find conventional screens "
            "tiring. The company says it will publish open specifications for its refresh modes "
            "so that developers of text editors and terminals can optimise their software. A "
            "smaller, cheaper seventeen-inch model is planned for the second half of next year.",
        ), hours_ago=9),
    "/a/fmt-atom10.html": Story(
        "Brightlathe cuts prices on its cloud GPU instances by a third", "Renata Kowalczyk", (
            "Brightlathe, a cloud provider that rents graphics processors to machine-learning "
            "teams, has cut the hourly price of its most popular GPU instances by about a third. "
            "The reduction takes effect immediately for new and existing customers and applies "
            "in all four of the company's data-centre regions. Brightlathe said the change "
            "reflects lower hardware costs and better utilisation of its fleet over the past "
            "year.",
            "The price cut intensifies competition in a market that has seen rapid swings. Two "
            "years ago, demand for training capacity far exceeded supply, and smaller providers "
            "could charge premium rates. Since then, new chips have arrived, large cloud "
            "companies have expanded their offerings, and several startups that bought hardware "
            "at the peak of the boom are now struggling to fill their machines.",
            "Customers welcomed the news but raised questions about reliability. Some users on "
            "developer forums reported that Brightlathe instances had been preempted without "
            "warning during busy periods last quarter, interrupting long training jobs. The "
            "company responded that it has added capacity and introduced a reserved tier with "
            "guaranteed availability, which costs more than the standard instances but less "
            "than the previous on-demand price.",
            "Industry analysts expect other mid-sized providers to follow with their own "
            "discounts over the coming weeks. They warn, however, that aggressive pricing could "
            "push some smaller players out of business, reducing choice for customers in the "
            "long run. Brightlathe, which raised new funding earlier this year, said it has "
            "enough cash to keep prices at the new level for at least two years.",
        ), hours_ago=10),
    "/a/fmt-jsonfeed.html": Story(
        "Tidepool Robotics demonstrates underwater drone for inspecting offshore wind farms",
        "Aisling Byrne", (
            "Tidepool Robotics has demonstrated an autonomous underwater drone that inspects the "
            "foundations of offshore wind turbines without a support vessel standing by. During "
            "a week-long trial in the North Sea, the drone lived in a docking station attached "
            "to one turbine, swimming out to survey nearby foundations and returning to recharge "
            "its batteries and upload data through the turbine's own network cable.",
            "Inspections are currently carried out by remotely operated vehicles launched from "
            "ships, which are expensive to charter and can only work in calm weather. Tidepool "
            "says a resident drone can take advantage of short windows of good visibility and "
            "can check the same spots repeatedly, building a detailed record of corrosion, scour "
            "around the foundations and the growth of mussels and other marine life.",
            "The trial was not without problems. On the third day, strong currents pushed the "
            "drone off course, and it had to abort a survey and return to its dock early. "
            "Engineers also found that sediment stirred up by storms made the cameras nearly "
            "useless for hours at a time, so the drone relied more heavily on its sonar than "
            "they had originally planned.",
            "Tidepool plans to begin a six-month commercial pilot with a wind-farm operator next "
            "spring. The company is also discussing inspections of undersea cables and "
            "aquaculture nets, both of which face similar challenges. Regulators will need to "
            "decide how autonomous drones should be certified before they can replace "
            "human-supervised inspections, a process the company expects to take at least two "
            "years.",
        ), hours_ago=11),
    "/a/recovered-1.html": Story(
        "Cobalt & Finch merger creates Europe's largest independent game publisher",
        "Jonas Albrecht", (
            "Cobalt Interactive and Finch Games have agreed to merge, creating what the two "
            "companies describe as the largest independent video game publisher in Europe. The "
            "combined business, to be called Cobalt & Finch, will have around nine hundred "
            "employees across six studios and a catalogue of more than sixty titles. Financial "
            "terms were not disclosed, but both companies said no studios would close as a "
            "result.",
            "The deal brings together two publishers with quite different strengths. Cobalt is "
            "best known for its strategy games and has a loyal following on personal computers, "
            "while Finch has built a business porting smaller titles to consoles and handheld "
            "devices. Executives said the merger will allow Cobalt's games to reach console "
            "players faster and give Finch a stronger pipeline of original projects.",
            "Developers who work with both publishers reacted cautiously. Several small studios "
            "said on social media that they hoped the merged company would keep offering the "
            "flexible contracts that had made Finch popular, including deals that let "
            "developers keep the rights to their characters and worlds. The new leadership has "
            "promised that existing contracts will be honoured in full, but it has not commented "
            "on future terms.",
            "The merger comes during a difficult period for the games industry, which has seen "
            "widespread layoffs and the closure of several well-known studios. Consolidation "
            "among independent publishers is increasingly common as companies seek the scale "
            "needed to negotiate with platform holders. Regulators in two countries must still "
            "approve the transaction, which the companies expect to complete early next year, "
            "pending those reviews.",
        ), hours_ago=12),
    "/a/recovered-2.html": Story(
        "Glassmoor browser turns on tracker blocking for every user by default", "Mei Tanaka", (
            "The Glassmoor web browser will block third-party trackers by default for all users "
            "starting with its next release, its developers announced on Thursday. Until now, "
            "the feature was available only to people who switched it on manually in the "
            "settings menu. The team said that fewer than one in ten users had done so, despite "
            "the option having been available for more than three years.",
            "Glassmoor's blocking relies on a public list of known tracking domains, combined "
            "with a heuristic that detects scripts which try to build a fingerprint of the "
            "visitor's device. When the browser blocks something, it shows a small counter in "
            "the address bar, and users can allow specific sites if a page stops working "
            "correctly. The developers said breakage affected less than one percent of pages in "
            "testing.",
            "Advertising industry groups criticised the change, arguing that it will hurt small "
            "publishers who depend on targeted advertising to fund their journalism. Privacy "
            "advocates responded that the change simply brings Glassmoor in line with what "
            "several other browsers already do, and that publishers can still show contextual "
            "advertising based on the content of a page rather than on the behaviour of "
            "individual readers.",
            "Glassmoor holds a modest share of the desktop browser market but is popular among "
            "developers and in some European countries. Its makers say they hope the move will "
            "encourage larger browsers to go further with their own protections. The release is "
            "expected within the next three weeks, after a final round of testing with a group "
            "of several hundred volunteer users on all three desktop platforms.",
        ), hours_ago=13),
    "/a/after-retry.html": Story(
        "Parcelbyte restores service after an eleven-hour outage", "Daniel Achterberg", (
            "Parcelbyte, a software platform that small online shops use to print shipping "
            "labels and track parcels, has restored service after an outage that lasted almost "
            "eleven hours. The problem began early on Friday morning and prevented thousands of "
            "merchants from processing orders during one of the busiest weekends of the retail "
            "calendar. The company apologised and promised a full explanation within a week.",
            "In a preliminary update, Parcelbyte said a routine database migration had locked a "
            "table that nearly every part of the service depends on. Attempts to roll back the "
            "change made the situation worse, because a backup process started at the same time "
            "and competed for the same resources. Engineers eventually restored the database "
            "from a snapshot taken shortly before the migration began.",
            "Merchants described a frustrating day. Several owners of small shops said on "
            "forums that they had to write shipping labels by hand or drive parcels to the post "
            "office individually, losing hours of work. Others criticised the company's status "
            "page, which showed all systems as operational for the first three hours of the "
            "outage while customers were already unable to log in.",
            "Parcelbyte said it will credit affected customers with one month of free service "
            "and review how it schedules maintenance. It also plans to move its status page to "
            "separate infrastructure so that it reflects problems more quickly. Industry "
            "observers noted that the incident highlights how dependent small retailers have "
            "become on a few software providers that handle essential parts of their business.",
        ), hours_ago=14),
    "/a/stale-1.html": Story(
        "Fernhollow announces a foldable keyboard for tablets", "Keith Amundsen", (
            "Fernhollow, a maker of computer accessories, has announced a foldable keyboard "
            "designed to pair with tablets and phones. The keyboard folds in half along a hinge "
            "in the middle of the keys, reducing it to the size of a paperback book, and "
            "connects over Bluetooth to up to three devices at once. The company plans to show "
            "the product at a consumer electronics fair later this month.",
            "Folding keyboards are not new, but earlier designs often suffered from a wobbly "
            "centre and keys that were too small for comfortable typing. Fernhollow says its "
            "hinge locks firmly when the keyboard is open and that the keys are the same size as "
            "those on a standard laptop. The aluminium frame adds some weight, making the "
            "keyboard heavier than most of its competitors.",
            "Battery life is rated at around two months of typical use, and the keyboard charges "
            "through a USB-C port. A small stand built into the carrying case holds a tablet "
            "upright in either portrait or landscape orientation. Fernhollow said it had tested "
            "the hinge through more than fifty thousand folding cycles without failure, although "
            "independent reviewers have not yet had a chance to verify that claim.",
            "The keyboard will go on sale in the spring at a price similar to that of premium "
            "full-size wireless keyboards. Fernhollow is a relatively small company, and "
            "previous products have been available only in a handful of countries at launch. "
            "The company said it hopes to expand distribution this year and is in talks with "
            "several large electronics retailers about stocking the keyboard.",
        ), published=STALE_DATE),
}

# Never meant to be fetched: robots.txt disallows /private/.
PRIVATE_STORY = Story(
    "Subscribers only: the quarterly launch report", "Hostile Wire research desk", (
        "This page sits under a path that robots.txt disallows for every user agent, so a "
        "polite crawler reads the rules first and never requests it, even though the main feed "
        "links here. If this text ever shows up in the database, the crawler ignored robots.txt "
        "and the test that checks the request counter for this path should fail loudly.",
    ), hours_ago=15)


# --- Pages in other encodings --------------------------------------------------------------

@dataclass(frozen=True)
class EncodedStory:
    """An article served as bytes in `encoding`, with its charset declared (or not) as given."""
    encoding: str                  # Python codec that produces the bytes
    content_type: str              # the HTTP header, as sent
    meta_charset: str | None       # <meta charset=...>, or None for no meta at all
    lang: str
    headline: str
    author: str
    phrase: str                    # must appear in the decoded article text
    paragraphs: tuple[str, ...]
    hours_ago: float = 16.0


GBK_PHRASE = "深圳一家名为微光智能的芯片初创公司"
GB18030_PHRASE = "经常显示为方框的“𠮷”字"       # 𠮷 (U+20BB7) is in GB18030 but not GBK
BIG5_PHRASE = "台北一家電動機車新創公司"
SJIS_PHRASE = "大阪に本社を置くロボット開発のスタートアップ企業"
CP1252_PHRASE = "“No subscription, ever” — the Kachel costs €149"
UTF8_META_PHRASE = "Café Müllerhaus in Zürich now offers 中文 menus"

ENCODED: dict[str, EncodedStory] = {
    "/enc/gbk-undeclared.html": EncodedStory(
        "gbk", "text/html", None, "zh-CN",
        "深圳芯片初创公司微光智能发布低功耗AI模组", "Chen Yuting", GBK_PHRASE, (
            "A Shenzhen chip startup called Weiguang Intelligence has unveiled a low-power "
            "artificial-intelligence module for smart locks, robot vacuums and industrial "
            "sensors. The company says the module can run wake-word detection and simple image "
            "recognition while drawing less than half a watt, roughly forty percent less than "
            "its previous generation. Engineers said the module fits on a board the size of a "
            "postage stamp. The original Chinese report from our regional desk follows this "
            "English summary.",
            "The founders said the team spent two years optimising its compiler and memory "
            "scheduler so that one chip can process audio and images at the same time. Samples "
            "have been shipped to three appliance makers for testing, and volume production is "
            "expected to begin in the second quarter of next year at a unit price below fifteen "
            "dollars, according to the company. Early testers reported that battery-powered "
            "locks using the module lasted several months longer.",
            "Analysts note that the market for edge-computing chips is crowded, and that price "
            "and software support will decide whether newcomers survive. Developers were "
            "nonetheless pleased that Weiguang published a complete development kit and sample "
            "code, which is unusual among startups of its size and lowers the barrier for small "
            "teams that want to try the hardware. Weiguang says it will publish benchmark results "
            "for the module next month.",
            "深圳一家名为微光智能的芯片初创公司周二发布了一款低功耗人工智能模组，主要面向智能门锁、"
            "扫地机器人和工业传感器等设备。公司表示，这款模组在运行语音唤醒和简单图像识别任务时，"
            "功耗不到半瓦，比上一代产品降低了约百分之四十。",
            "微光智能的创始人在发布会上说，过去两年团队一直在优化编译器和内存调度，让同一块芯片"
            "可以同时处理声音和图像数据。首批样品已经交付给三家家电厂商进行测试，预计明年第二季度"
            "开始批量供货，单价将控制在十五美元以内。",
            "业内分析人士认为，边缘计算芯片市场竞争激烈，价格和软件生态将决定新玩家能否站稳脚跟。"
            "不过，也有开发者在社交媒体上表示，微光智能开放了完整的开发工具包和示例代码，这在同类"
            "初创公司中并不常见，降低了中小团队的试用门槛。",
        ), hours_ago=16),
    "/enc/gb18030-meta.html": EncodedStory(
        "gb18030", "text/html", "gb18030", "zh-CN",
        "成都字库公司发布新一代渲染引擎，生僻字不再显示为方框", "Zhou Ming", GB18030_PHRASE, (
            "A Chengdu software company that specialises in Chinese fonts has released a new "
            "text-rendering engine that correctly displays rare characters from the extended "
            "blocks of the Unicode standard. Such characters often appear in personal and place "
            "names but are shown as empty boxes by many apps. The company says the engine passed "
            "every character test in the national GB18030 standard. Competing engines typically "
            "support only the most common twenty thousand characters.",
            "The engine is aimed at banks, hospitals and government offices, where forms "
            "frequently fail when a citizen's name contains an uncommon character. Staff "
            "sometimes resort to substituting a similar-looking character, which can cause "
            "mismatches between identity documents and official records. The company is "
            "offering the engine under a commercial licence, with a free tier for non-profit "
            "organisations and schools. Two provincial banks have already signed up for a pilot.",
            "Typography experts welcomed the release but said the real challenge lies in the "
            "fonts themselves, because few typefaces include glyphs for the tens of thousands of "
            "rarely used characters. The company plans to publish an open-source fallback font "
            "covering the extended blocks next year, and it is working with a university library "
            "to check the designs against historical printed sources. The first release will "
            "cover roughly ten thousand characters.",
            "成都一家专注中文字体的软件公司本周发布了新一代文字渲染引擎。该引擎能够正确显示统一码"
            "扩展区中的生僻汉字，例如在人名中并不少见、却经常显示为方框的“𠮷”字。公司表示，"
            "新引擎已经通过了国家标准规定的全部字符测试。",
            "这款引擎主要面向银行、医院和政务服务窗口。在这些场景中，如果居民姓名里含有生僻字，"
            "电子表格和打印系统常常无法处理，工作人员只好用形状相近的字代替，导致身份证件与业务"
            "记录不一致。公司为非营利机构和学校提供免费版本。",
            "字体设计专家认为，真正的难点在于字库本身，因为很少有字体收录数万个罕用汉字的字形。"
            "该公司计划明年开源一套覆盖扩展区的后备字体，并正与一所大学图书馆合作，依据古籍印本"
            "逐字核对字形。",
        ), hours_ago=17),
    "/enc/big5-wrong-header.html": EncodedStory(
        "big5", "text/html; charset=utf-8", None, "zh-TW",
        "台北電動機車新創推出可換電池通勤車款", "Lin Pei-shan", BIG5_PHRASE, (
            "A Taipei electric-scooter startup has launched a new commuter model whose battery "
            "can be swapped at a street-corner station in about ten seconds. The company says "
            "the scooter has a range of around ninety kilometres and costs roughly ten percent "
            "less than comparable models. Preorders open next month, and the original "
            "traditional Chinese report from our Taipei desk follows. Riders can subscribe to a "
            "monthly battery plan instead of buying the battery outright.",
            "The company's chief technology officer said the team spent three years developing "
            "a battery-management system that keeps output stable in heavy rain and summer heat. "
            "More than two hundred swap stations have already been installed across Taiwan, most "
            "of them near metro stations in Taipei, New Taipei and Taoyuan, with more planned "
            "for the southern cities next year. Stations report battery health to the company's "
            "servers every few minutes.",
            "Industry watchers say the success of battery swapping depends on the density of "
            "stations and on whether manufacturers agree on a common battery standard. Some "
            "scooter repair shop owners worry that customers could be left without spare parts "
            "and after-sales service if the young company fails to survive in the long term, a "
            "concern the startup says it takes seriously. Two rival makers have said they are open "
            "to sharing a battery design.",
            "台北一家電動機車新創公司週三發表了一款主打通勤族的新車型，電池可以在街角的換電站於"
            "十秒內更換完成。公司表示，新車的續航里程約為九十公里，售價比市面上同級車款低了大約"
            "一成，預計下個月開始接受預購。",
            "該公司的技術長在記者會上指出，團隊花了三年時間開發電池管理系統，讓車輛能在雨天和"
            "高溫環境下維持穩定的輸出。目前全台已經設置了超過兩百座換電站，主要集中在台北、新北"
            "和桃園的捷運站附近。",
            "產業觀察人士認為，換電模式能否普及，關鍵在於站點密度和電池標準是否統一。部分機車行"
            "老闆則擔心，新創公司若無法長期經營，車主可能面臨零件和售後服務不足的問題。",
        ), hours_ago=18),
    "/enc/sjis-undeclared.html": EncodedStory(
        "shift_jis", "text/html", None, "ja",
        "大阪のロボット新興企業、倉庫向け小型搬送ロボットを発表", "Sato Haruka", SJIS_PHRASE, (
            "An Osaka-based robotics startup has unveiled a compact transport robot for "
            "logistics warehouses. The robot drives itself through narrow aisles between "
            "shelves and can carry loads of up to one hundred kilograms, according to the "
            "company, which says a single charge lasts about ten hours. The original Japanese "
            "report from our Osaka correspondent follows this English summary. The robot is "
            "roughly the size of a small office desk.",
            "The company's president told reporters that it is offering a monthly rental plan so "
            "that small and medium-sized logistics firms struggling with labour shortages can "
            "adopt the robots without a large upfront investment. The robot can connect to "
            "existing warehouse management systems, and installation can take as little as two "
            "weeks, the company said during the launch event. Three companies in the Kansai region "
            "have already signed rental contracts.",
            "Industry insiders praised the relatively low price compared with products from "
            "major manufacturers, but pointed out that the company's maintenance network is "
            "still thin, which could leave customers waiting when a robot breaks down. The "
            "startup plans to open support centres in ten locations across Japan by next year "
            "and is hiring technicians in several regions. Each centre will keep spare parts for "
            "the most common repairs.",
            "大阪に本社を置くロボット開発のスタートアップ企業は火曜日、物流倉庫向けの小型搬送ロボット"
            "を発表した。このロボットは棚の間の狭い通路を自動で走行し、最大で百キロの荷物を運ぶこと"
            "ができる。同社によると、充電一回あたりの稼働時間は約十時間だという。",
            "記者会見で同社の社長は、人手不足に悩む中小の物流会社でも導入しやすいように、月額制の"
            "レンタルプランを用意したと説明した。既存の倉庫管理システムとの連携も可能で、導入までの"
            "期間は最短で二週間程度になるとしている。",
            "業界関係者は、大手メーカーの製品と比べて価格が抑えられている点を評価する一方で、故障時"
            "の保守体制がまだ十分に整っていないと指摘している。同社は来年までに全国十か所にサポート"
            "拠点を設ける計画だ。",
        ), hours_ago=19),
    "/enc/cp1252-as-latin1.html": EncodedStory(
        "cp1252", "text/html; charset=iso-8859-1", None, "en",
        "Amsterdam’s Warmtehuis prices its Kachel thermostat at €149 — no subscription",
        "Pieter Claes", CP1252_PHRASE, (
            "Warmtehuis, a small Amsterdam hardware company, has put a price on its "
            "long-awaited smart thermostat, the Kachel. “No subscription, ever” — the Kachel "
            "costs €149 and every feature works offline, chief executive Femke de Wit told a "
            "packed launch event on Thursday. That makes it noticeably cheaper than the market "
            "leaders, which charge a monthly fee for energy reports and remote control.",
            "The company’s pitch is aimed at renters and owners who have grown tired of devices "
            "that stop working when a cloud service shuts down. The Kachel talks to phones over "
            "the local network and exposes an open interface for home-automation software. “If "
            "we disappear tomorrow, your heating keeps working,” de Wit said — a line that drew "
            "applause from the audience of developers and installers.",
            "Early testers have praised the clean design and the simple dial, but some noted "
            "that the companion app is still rough around the edges. Scheduling works well, "
            "they said, while the “learning” mode that adapts to a household’s routine "
            "occasionally misjudged weekends. Warmtehuis says an update due before the heating "
            "season will fix the most common complaints reported during the beta programme.",
            "The thermostat goes on sale in the Netherlands and Belgium next month, with Germany "
            "to follow in the spring. Installation costs an extra €60 if done by one of the "
            "company’s partner electricians, though many buyers will be able to fit it "
            "themselves. Warmtehuis expects to sell around twenty thousand units in its first "
            "year — modest numbers, but enough to break even.",
        ), hours_ago=20),
    "/enc/utf8-wrong-meta.html": EncodedStory(
        "utf-8", "text/html", "windows-1252", "en",
        "Zürich café chain Müllerhaus adds 中文 menus to its ordering app", "Léa Fontaine",
        UTF8_META_PHRASE, (
            "Café Müllerhaus in Zürich now offers 中文 menus through its ordering app, part of "
            "an update that the family-run chain says was built by a two-person team in just six "
            "weeks. The app, which handles table orders in eleven cafés across the city, "
            "previously supported only German, French and English. Owners say tourists and "
            "students from China had been asking for the change for years.",
            "The update was developed by a local studio, Bärli Software, which used open-source "
            "translation tools and then hired native speakers to review every dish name. "
            "Translating Swiss pastries proved harder than expected: the team spent days "
            "debating how to describe a Nusstorte, a Birchermüesli and the café's famous crème "
            "brûlée in a way that would sound natural to Chinese readers.",
            "The studio's founder, Jürg Nägeli, said the most difficult technical problem was "
            "not the translation itself but text encoding. Older receipt printers in several "
            "cafés could not print Chinese characters, so orders placed in Chinese are now sent "
            "to the kitchen in German while the customer sees their own language on screen. "
            "Nägeli called it a small bridge between two alphabets and one very old printer.",
            "Müllerhaus plans to add Japanese and Korean menus next year if the Chinese version "
            "proves popular. The café chain says orders through the app have grown steadily "
            "since it launched during the pandemic, and now account for about a third of its "
            "sales. Other Zürich restaurants have already contacted Bärli Software about "
            "building similar multilingual features for their own ordering systems.",
        ), hours_ago=21),
}

ENCODING_PHRASES: dict[str, str] = {path: story.phrase for path, story in ENCODED.items()}


# --- What is served, what should happen ----------------------------------------------------

GOOD_ARTICLES: list[str] = [*STORIES, *ENCODED]   # every one must land in the database once

CASES: dict[str, str] = {
    "/": "homepage of the invented outlet (plain HTML index)",
    "/robots.txt": "allows everything except /private/",
    # feeds
    "/feeds/main.xml": "valid RSS 2.0 with ETag/Last-Modified (304 on If-None-Match) linking "
                       "every article case, the encodings and four links never to fetch",
    "/feeds/rss091.xml": "valid RSS 0.91, one item -> /a/fmt-rss091.html",
    "/feeds/rss10.rdf": "valid RSS 1.0 (RDF), one item -> /a/fmt-rss10.html",
    "/feeds/atom03.xml": "valid Atom 0.3, one entry -> /a/fmt-atom03.html",
    "/feeds/atom10.xml": "valid Atom 1.0, one entry -> /a/fmt-atom10.html",
    "/feeds/jsonfeed.json": "valid JSON Feed 1.1 (application/feed+json), one item -> "
                            "/a/fmt-jsonfeed.html",
    "/feeds/malformed.xml": "broken RSS (unescaped &, missing closing tags); feedparser sets bozo "
                            "but recovers both items",
    "/feeds/html.xml": "an HTML page (text/html) where a feed was expected",
    "/feeds/empty.xml": "200 with an empty body",
    "/feeds/404.xml": "404 Not Found",
    "/feeds/410.xml": "410 Gone",
    "/feeds/500.xml": "500 Internal Server Error",
    "/feeds/503.xml": "503 with Retry-After: 1 on the first request, then a valid RSS feed -> "
                      "/a/after-retry.html",
    "/feeds/slow.xml": f"answers only after {SLOW_SECONDS:g} s (beyond the download timeout)",
    "/feeds/loop.xml": "302 to /feeds/loop2.xml (redirect loop)",
    "/feeds/loop2.xml": "302 back to /feeds/loop.xml (redirect loop)",
    "/feeds/botcheck.xml": "200 text/html bot-check / JavaScript challenge page",
    "/feeds/stale.xml": "valid RSS whose newest item is dated 2019-01-01 -> /a/stale-1.html",
    # article cases
    "/a/huge.html": f"{HUGE_SIZE // 2**20} MiB HTML page (beyond DOWNLOAD_MAXSIZE in tests)",
    "/a/bomb.html": f"gzip bomb: ~{BOMB_SIZE // 2**20} MiB of spaces sent gzip-compressed "
                    "(Content-Encoding: gzip)",
    "/a/doc.pdf": "application/pdf where an article was expected",
    "/a/image.png": "image/png where an article was expected",
    "/a/gone.html": "410 Gone",
    "/a/missing.html": "404 Not Found",
    "/a/error.html": "500 Internal Server Error",
    "/a/tracked.html": "good article; the main feed links it with utm_*/fbclid/gclid and via "
                       "/r/tracked",
    "/r/tracked": "301 to /a/tracked.html",
    "/amp/a/amp-story.html": "AMP copy (<html amp>) whose canonical is /a/amp-story.html",
    "/a/amp-story.html": "good article: the canonical page of the AMP copy",
    "/a/copy-of-good-1.html": "same article text as /a/good-1.html at another URL, own canonical",
    "/private/report.html": "disallowed by robots.txt, yet linked from the main feed",
    **{path: f"good article, linked from {feed}" for path, feed in {
        "/a/good-1.html": "/feeds/main.xml", "/a/good-2.html": "/feeds/main.xml",
        "/a/good-3.html": "/feeds/main.xml", "/a/fmt-rss091.html": "/feeds/rss091.xml",
        "/a/fmt-rss10.html": "/feeds/rss10.rdf", "/a/fmt-atom03.html": "/feeds/atom03.xml",
        "/a/fmt-atom10.html": "/feeds/atom10.xml", "/a/fmt-jsonfeed.html": "/feeds/jsonfeed.json",
        "/a/recovered-1.html": "/feeds/malformed.xml",
        "/a/recovered-2.html": "/feeds/malformed.xml",
        "/a/after-retry.html": "/feeds/503.xml", "/a/stale-1.html": "/feeds/stale.xml"}.items()},
    # encodings
    "/enc/gbk-undeclared.html": "GBK bytes, no charset anywhere (header text/html, no meta)",
    "/enc/gb18030-meta.html": "GB18030 bytes with a non-GBK character, charset only in <meta>",
    "/enc/big5-wrong-header.html": "Big5 bytes, HTTP header wrongly says charset=utf-8",
    "/enc/sjis-undeclared.html": "Shift_JIS bytes, no charset anywhere",
    "/enc/cp1252-as-latin1.html": "Windows-1252 bytes (curly quotes, em dash, euro) declared "
                                  "iso-8859-1 in the header",
    "/enc/utf8-wrong-meta.html": "UTF-8 bytes whose <meta> wrongly says windows-1252",
}

EXPECTED_OUTCOMES: dict[str, str] = {
    "/robots.txt": "obeyed: /private/ never fetched",
    "/feeds/main.xml": "parsed; 304 Not Modified on a repeat crawl",
    "/feeds/rss091.xml": "parsed: 1 article stored",
    "/feeds/rss10.rdf": "parsed: 1 article stored",
    "/feeds/atom03.xml": "parsed: 1 article stored",
    "/feeds/atom10.xml": "parsed: 1 article stored",
    "/feeds/jsonfeed.json": "parsed: 1 article stored",
    "/feeds/malformed.xml": "recovered: 2 articles stored despite bozo",
    "/feeds/html.xml": "logged: not a feed (HTML)",
    "/feeds/empty.xml": "logged: empty feed",
    "/feeds/404.xml": "logged: HTTP 404",
    "/feeds/410.xml": "logged: HTTP 410 (gone)",
    "/feeds/500.xml": "logged: HTTP 500 after retries",
    "/feeds/503.xml": "retried: article stored after the 503",
    "/feeds/slow.xml": "logged: timeout",
    "/feeds/loop.xml": "logged: redirect loop",
    "/feeds/loop2.xml": "logged: redirect loop",
    "/feeds/botcheck.xml": "logged: bot check page, not a feed",
    "/feeds/stale.xml": "parsed: 1 article stored; feed flagged stale (newest 2019-01-01)",
    "/a/huge.html": "refused: over size limit",
    "/a/bomb.html": "refused: over size limit (decompressed)",
    "/a/doc.pdf": "skipped: not HTML (application/pdf)",
    "/a/image.png": "skipped: not HTML (image/png)",
    "/a/gone.html": "logged: HTTP 410",
    "/a/missing.html": "logged: HTTP 404",
    "/a/error.html": "logged: HTTP 500",
    f"/a/tracked.html?{TRACKED_QUERY}": "stored once, tracking parameters stripped",
    "/r/tracked": "followed: 301 to the same stored article",
    "/amp/a/amp-story.html": "stored once, under canonical /a/amp-story.html",
    "/a/copy-of-good-1.html": "dropped: content duplicate of /a/good-1.html",
    "/private/report.html": "refused: robots.txt",
    "javascript:alert(1)": "refused: scheme",
    "data:text/html,<p>x</p>": "refused: scheme",
    "file:///etc/passwd": "refused: scheme",
    "http://10.11.12.13/private.html": "refused: private address",
    "/enc/gbk-undeclared.html": "stored: decoded as GBK (detected)",
    "/enc/gb18030-meta.html": "stored: decoded as GB18030 (from <meta>)",
    "/enc/big5-wrong-header.html": "stored: decoded as Big5 despite the utf-8 header",
    "/enc/sjis-undeclared.html": "stored: decoded as Shift_JIS (detected)",
    "/enc/cp1252-as-latin1.html": "stored: decoded as Windows-1252, not strict Latin-1",
    "/enc/utf8-wrong-meta.html": "stored: decoded as UTF-8 despite the windows-1252 meta",
    **{path: "stored" for path in STORIES},
}


# --- HTML ----------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def render_article(url: str, headline: str, author: str, paragraphs: tuple[str, ...],
                   published: datetime, *, charset: str | None = "utf-8",
                   canonical: str | None = None, lang: str = "en", amp: bool = False,
                   filler: str = "") -> str:
    """A news article page with a little navigation and footer boilerplate around it.

    canonical: the <link rel="canonical"> target (the page's own URL when None).
    charset: the <meta charset>, or None to leave the page undeclared.
    filler: raw HTML put after the article (the huge page pads itself there).
    """
    head = [f'<meta charset="{charset}">'] if charset else []
    if amp:
        head += ['<meta name="viewport" content="width=device-width,minimum-scale=1">',
                 '<script async src="https://cdn.ampproject.org/v0.js"></script>',
                 "<style amp-boilerplate>body{visibility:visible}</style>"]
    head += [f"<title>{_esc(headline)} | {OUTLET}</title>",
             f'<link rel="canonical" href="{_esc(canonical or url)}">',
             f'<meta name="author" content="{_esc(author)}">',
             '<meta property="og:type" content="article">',
             f'<meta property="og:title" content="{_esc(headline)}">',
             f'<meta property="article:published_time" content="{published.isoformat()}">']
    body = "\n".join(f"<p>{_esc(text)}</p>" for text in paragraphs)
    html_tag = f'<html amp lang="{lang}">' if amp else f'<html lang="{lang}">'
    return f"""<!DOCTYPE html>
{html_tag}
<head>
{chr(10).join(head)}
</head>
<body>
<header class="masthead"><a class="logo" href="/">{OUTLET}</a>
<nav><ul><li><a href="/">Latest</a></li><li><a href="/">Hardware</a></li>
<li><a href="/">Software</a></li><li><a href="/">Startups</a></li></ul></nav></header>
<main>
<article>
<h1>{_esc(headline)}</h1>
<div class="byline">By <span class="author">{_esc(author)}</span> |
<time datetime="{published.isoformat()}">{published.strftime("%d %B %Y")}</time></div>
{body}
</article>
<aside class="newsletter"><h2>Get the week in launches</h2>
<a href="/">Sign up for the newsletter</a></aside>{filler}
</main>
<footer><p>&copy; {published.year} {OUTLET}. Invented news served on loopback for tests.</p>
<p><a href="/">About</a> | <a href="/">Privacy</a> | <a href="/">Contact</a></p></footer>
</body>
</html>
"""


def homepage(base: str) -> bytes:
    items = "\n".join(f'<li><a href="{base}{path}">{_esc(story.headline)}</a></li>'
                      for path, story in STORIES.items())
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{OUTLET}'
            f"</title></head>\n<body><h1>{OUTLET}</h1><ul>\n{items}\n</ul></body></html>\n"
            ).encode("utf-8")


def html_where_feed_expected(base: str) -> bytes:
    """/feeds/html.xml: the outlet's homepage, as a CMS serves it for a feed URL it lost."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{OUTLET} - Latest technology news</title></head>
<body>
<header><a href="/">{OUTLET}</a><nav><a href="/">Latest</a> <a href="/">Hardware</a></nav></header>
<main><h1>Latest</h1>
<div class="teaser"><h2><a href="{base}/">Our feeds have moved</a></h2>
<p>We are rebuilding our feeds. In the meantime, read the latest stories on our homepage.</p>
</div></main>
<footer><p>&copy; {OUTLET}</p></footer>
</body>
</html>
""".encode("utf-8")


def bot_check_page() -> bytes:
    """/feeds/botcheck.xml: what a CDN's browser challenge looks like to a crawler."""
    return """<!DOCTYPE html>
<html lang="en-US">
<head>
<title>Just a moment...</title>
<meta charset="UTF-8">
<meta http-equiv="refresh" content="30">
<meta name="robots" content="noindex,nofollow">
<meta name="viewport" content="width=device-width,initial-scale=1">
</head>
<body class="no-js">
<div class="main-wrapper" role="main">
<div class="main-content">
<h1 class="zone-name-title h1">hostile-wire.example</h1>
<h2 id="challenge-running" class="h2">Checking your browser before accessing
hostile-wire.example.</h2>
<noscript><div id="challenge-error-title"><div class="h2">
<span id="challenge-error-text">Please enable JavaScript and cookies to continue</span>
</div></div></noscript>
<div id="cf-challenge-body" class="cf-challenge">
<form id="challenge-form" action="/feeds/botcheck.xml?__cf_chl_f_tk=q8Zb1x" method="POST"
 enctype="application/x-www-form-urlencoded">
<input type="hidden" name="md" value="a1b2c3d4e5">
<input type="hidden" name="cf_ch_verify" value="plat">
</form>
</div>
<div id="cf-error-details" class="cf-error-details-wrapper">
<h2 class="cf-subheadline">Access denied</h2>
<p>This website is using a security service to protect itself from online attacks.</p>
</div>
</div>
</div>
<div class="footer" role="contentinfo">
<div class="footer-inner">Ray ID: <code>7d2f00c0ffee1234</code> | Performance &amp; security
by a content delivery network</div>
</div>
<script>window._cf_chl_opt={cvId:'3',cZone:'hostile-wire.example',cType:'managed',
cRay:'7d2f00c0ffee1234'};</script>
</body>
</html>
""".encode("utf-8")


# --- Feeds ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    title: str
    link: str
    summary: str
    published: datetime
    author: str = OUTLET
    guid: str = ""


def _x(text: str) -> str:
    """Escape for XML text and attribute values."""
    return html.escape(text, quote=True)


def _rfc822(when: datetime) -> str:
    return format_datetime(when)


def rss20(title: str, base: str, self_url: str, items: list[Item]) -> str:
    newest = max((item.published for item in items), default=STALE_DATE)
    entries = "".join(f"""
<item>
<title>{_x(item.title)}</title>
<link>{_x(item.link)}</link>
<guid isPermaLink="false">{_x(item.guid or item.link)}</guid>
<pubDate>{_rfc822(item.published)}</pubDate>
<dc:creator>{_x(item.author)}</dc:creator>
<description>{_x(item.summary)}</description>
</item>""" for item in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{_x(title)}</title>
<link>{_x(base)}/</link>
<atom:link href="{_x(self_url)}" rel="self" type="application/rss+xml"/>
<description>Invented technology news for crawler tests</description>
<language>en</language>
<lastBuildDate>{_rfc822(newest)}</lastBuildDate>{entries}
</channel>
</rss>
"""


def rss091(base: str, item: Item) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="0.91">
<channel>
<title>{OUTLET} (RSS 0.91)</title>
<link>{_x(base)}/</link>
<description>Invented technology news, in the oldest RSS still around</description>
<language>en-us</language>
<item>
<title>{_x(item.title)}</title>
<link>{_x(item.link)}</link>
<description>{_x(item.summary)}</description>
</item>
</channel>
</rss>
"""


def rss10(base: str, self_url: str, item: Item) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{_x(self_url)}">
<title>{OUTLET} (RSS 1.0)</title>
<link>{_x(base)}/</link>
<description>Invented technology news, as RDF</description>
<dc:date>{item.published.isoformat()}</dc:date>
<items>
<rdf:Seq>
<rdf:li rdf:resource="{_x(item.link)}"/>
</rdf:Seq>
</items>
</channel>
<item rdf:about="{_x(item.link)}">
<title>{_x(item.title)}</title>
<link>{_x(item.link)}</link>
<description>{_x(item.summary)}</description>
<dc:creator>{_x(item.author)}</dc:creator>
<dc:date>{item.published.isoformat()}</dc:date>
</item>
</rdf:RDF>
"""


def atom03(base: str, item: Item) -> str:
    when = item.published.isoformat()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="en">
<title>{OUTLET} (Atom 0.3)</title>
<link rel="alternate" type="text/html" href="{_x(base)}/"/>
<modified>{when}</modified>
<author><name>{OUTLET}</name></author>
<entry>
<title>{_x(item.title)}</title>
<link rel="alternate" type="text/html" href="{_x(item.link)}"/>
<id>{_x(item.link)}</id>
<issued>{when}</issued>
<modified>{when}</modified>
<author><name>{_x(item.author)}</name></author>
<summary>{_x(item.summary)}</summary>
</entry>
</feed>
"""


def atom10(base: str, self_url: str, item: Item) -> str:
    when = item.published.isoformat()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>{OUTLET} (Atom 1.0)</title>
<id>{_x(self_url)}</id>
<link rel="self" type="application/atom+xml" href="{_x(self_url)}"/>
<link rel="alternate" type="text/html" href="{_x(base)}/"/>
<updated>{when}</updated>
<author><name>{OUTLET}</name></author>
<entry>
<title>{_x(item.title)}</title>
<link rel="alternate" type="text/html" href="{_x(item.link)}"/>
<id>{_x(item.link)}</id>
<published>{when}</published>
<updated>{when}</updated>
<author><name>{_x(item.author)}</name></author>
<summary>{_x(item.summary)}</summary>
</entry>
</feed>
"""


def json_feed(base: str, self_url: str, item: Item) -> str:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{OUTLET} (JSON Feed)",
        "home_page_url": f"{base}/",
        "feed_url": self_url,
        "language": "en",
        "items": [{"id": item.link, "url": item.link, "title": item.title,
                   "content_text": item.summary,
                   "date_published": item.published.isoformat(),
                   "authors": [{"name": item.author}]}],
    }, ensure_ascii=False, indent=2)


def malformed_rss(base: str, first: Item, second: Item) -> str:
    """Not XML: a bare & in a title, an unclosed <b>, and no </channel></rss> at the end."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>{OUTLET} (hand-edited feed)</title>
<link>{base}/</link>
<description>Somebody edited this feed by hand</description>
<item>
<title>{first.title}</title>
<link>{first.link}</link>
<pubDate>{_rfc822(first.published)}</pubDate>
<description>Two publishers become one & keep every studio</description>
</item>
<item>
<title>{second.title}</title>
<link>{second.link}</link>
<pubDate>{_rfc822(second.published)}</pubDate>
<description>Tracker blocking, <b>on by default</description>
</item>
"""


# --- Binary bodies -------------------------------------------------------------------------

_bomb_lock = threading.Lock()
_bomb_cache: list[bytes] = []


def gzip_bomb() -> bytes:
    """BOMB_SIZE bytes of HTML-ish spaces, gzip-compressed once per process (~200 KB)."""
    with _bomb_lock:
        if not _bomb_cache:
            prefix = b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Live blog</title>'
            prefix += b"</head><body><article><h1>Live blog</h1>"
            suffix = b"</article></body></html>\n"
            chunk = b" " * (1 << 20)
            left = BOMB_SIZE - len(prefix) - len(suffix)
            compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip wrapper
            parts = [compressor.compress(prefix)]
            while left > 0:
                parts.append(compressor.compress(chunk[:min(left, len(chunk))]))
                left -= len(chunk)
            parts += [compressor.compress(suffix), compressor.flush()]
            _bomb_cache.append(b"".join(parts))
        return _bomb_cache[0]


def huge_page(url: str, published: datetime) -> bytes:
    """Exactly HUGE_SIZE bytes: a short article followed by an enormous 'archive' section."""
    paragraphs = ("Our complete archive of every launch we have covered, one line per launch, "
                  "kept on a single page because the content system could not paginate it. "
                  "Readers asked for it; we never expected it to grow this large, and we are "
                  "sorry to anyone loading it over a slow connection or on an old phone.",)
    shell = render_article(url, "The complete launch archive, 2010 to today", OUTLET,
                           paragraphs, published, filler="\n<!--FILLER-->")
    lines = []
    size = len(shell.encode("utf-8"))
    number = 0
    while size < HUGE_SIZE - 200:
        number += 1
        line = (f'<p class="archive">Launch {number:07d}: a product, a date, a price and a '
                f"link that nobody clicks.</p>\n")
        lines.append(line)
        size += len(line)
    section = '\n<section class="archive">\n' + "".join(lines) + "</section>"
    body = shell.replace("<!--FILLER-->", section)
    pad = HUGE_SIZE - len(body.encode("utf-8")) - len("<!---->")
    body = body.replace("</section>", "</section><!--" + " " * pad + "-->")
    data = body.encode("utf-8")
    assert len(data) == HUGE_SIZE
    return data


def tiny_png() -> bytes:
    """A valid 8x8 orange PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x66\x00" * 8 for _ in range(8))  # filter byte + RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


FAKE_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


# --- The server ----------------------------------------------------------------------------

class HostileSite(LoopbackSite):
    """Serve every hostile case on 127.0.0.1 from a background thread.

    port (int): 0 picks a free port.
    hits (Counter): path (query string dropped) -> GET requests received.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        super().__init__(host, port)
        self.started = datetime.now(timezone.utc).replace(microsecond=0)
        self._robots_and_home()
        self._article_routes()
        self._encoding_routes()
        self._feed_routes()
        self._broken_feed_routes()

    def published(self, story: Story | EncodedStory) -> datetime:
        if isinstance(story, Story) and story.published:
            return story.published
        return self.started - timedelta(hours=story.hours_ago)

    def _item(self, path: str, link: str | None = None, title: str | None = None) -> Item:
        story = STORIES.get(path) or ENCODED[path]
        return Item(title or story.headline, link or self.url(path),
                    story.paragraphs[0][:160].rsplit(" ", 1)[0] + " ...",
                    self.published(story), story.author)

    def _page(self, path: str, story: Story, **options: Any) -> Reply:
        markup = render_article(self.url(path), story.headline, story.author,
                                story.paragraphs, self.published(story), **options)
        return Reply(200, markup.encode("utf-8"), {"Content-Type": HTML})

    # families of routes

    def _robots_and_home(self) -> None:
        self.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n",
                                           {"Content-Type": "text/plain; charset=utf-8"})
        self.routes["/"] = Reply(200, homepage(self.base_url), {"Content-Type": HTML})
        self.routes["/private/report.html"] = self._page("/private/report.html", PRIVATE_STORY)

    def _article_routes(self) -> None:
        for path, story in STORIES.items():
            self.routes[path] = self._page(path, story)
        good_1 = STORIES["/a/good-1.html"]
        self.routes["/a/copy-of-good-1.html"] = self._page("/a/copy-of-good-1.html", good_1)
        amp = STORIES["/a/amp-story.html"]
        self.routes["/amp/a/amp-story.html"] = self._page(
            "/amp/a/amp-story.html", amp, amp=True, canonical=self.url("/a/amp-story.html"))
        self.routes["/r/tracked"] = Reply(301, b"", {"Location": self.url("/a/tracked.html")})
        self.routes["/a/huge.html"] = Reply(
            200, huge_page(self.url("/a/huge.html"), self.started), {"Content-Type": HTML})
        bomb = gzip_bomb()
        self.routes["/a/bomb.html"] = Reply(200, bomb, {"Content-Type": HTML,
                                                        "Content-Encoding": "gzip"})
        self.routes["/a/doc.pdf"] = Reply(200, FAKE_PDF, {"Content-Type": "application/pdf"})
        self.routes["/a/image.png"] = Reply(200, tiny_png(), {"Content-Type": "image/png"})
        self.routes["/a/gone.html"] = error_reply(410, "Gone")
        self.routes["/a/missing.html"] = error_reply(404, "Not Found")
        self.routes["/a/error.html"] = error_reply(500, "Internal Server Error")

    def _encoding_routes(self) -> None:
        for path, story in ENCODED.items():
            markup = render_article(self.url(path), story.headline, story.author,
                                    story.paragraphs, self.published(story),
                                    charset=story.meta_charset, lang=story.lang)
            self.routes[path] = Reply(200, markup.encode(story.encoding),
                                      {"Content-Type": story.content_type})

    def _feed_routes(self) -> None:
        base = self.base_url
        items = [self._item(path) for path in ("/a/good-1.html", "/a/good-2.html",
                                               "/a/good-3.html")]
        when = self.started - timedelta(minutes=30)

        def odd(path: str, title: str, summary: str, link: str | None = None) -> Item:
            return Item(title, link or self.url(path), summary, when)

        items += [
            odd("/a/huge.html", "The complete launch archive, 2010 to today",
                "Every launch we ever covered, on one very long page."),
            odd("/a/bomb.html", "Live blog: the developer conference keynote, as it happens",
                "Follow the keynote minute by minute."),
            odd("/a/doc.pdf", "Download the State of Open Hardware report (PDF)",
                "Our annual report on open hardware."),
            odd("/a/image.png", "Infographic: where this year's chips were made",
                "One picture, many fabs."),
            odd("/a/gone.html", "Withdrawn: rumoured acquisition of a chip designer",
                "This story has been withdrawn."),
            odd("/a/missing.html", "Review: the phone we never actually reviewed",
                "A review that was never published."),
            odd("/a/error.html", "Breaking: the story our server chokes on",
                "Developing story."),
            self._item("/a/tracked.html", link=self.url(f"/a/tracked.html?{TRACKED_QUERY}")),
            self._item("/a/tracked.html", link=self.url("/r/tracked")),
            self._item("/a/amp-story.html", link=self.url("/amp/a/amp-story.html")),
            self._item("/a/good-1.html", link=self.url("/a/copy-of-good-1.html")),
            *(self._item(path) for path in ENCODED),
            odd("/private/report.html", PRIVATE_STORY.headline,
                "For subscribers: the quarterly launch report."),
        ]
        for number, link in enumerate(HOSTILE_LINKS, start=1):
            items.append(Item(["You have won a free phone", "Inline preview of today's story",
                               "System notes from the newsroom",
                               "Internal memo: next month's launch schedule"][number - 1],
                              link, "Click through to read more.", when,
                              guid=f"tag:hostile-wire.example,2026:hostile-{number}"))
        main = rss20(f"{OUTLET} - everything", base, self.url("/feeds/main.xml"), items)
        self.main_feed = main.encode("utf-8")
        self.main_etag = '"' + hashlib.sha1(self.main_feed).hexdigest()[:16] + '"'
        self.main_last_modified = format_datetime(self.started, usegmt=True)
        self.routes["/feeds/main.xml"] = self._main_feed

        one = {name: self._item(f"/a/fmt-{name}.html")
               for name in ("rss091", "rss10", "atom03", "atom10", "jsonfeed")}
        self.routes["/feeds/rss091.xml"] = Reply(
            200, rss091(base, one["rss091"]).encode("utf-8"), {"Content-Type": RSS})
        self.routes["/feeds/rss10.rdf"] = Reply(
            200, rss10(base, self.url("/feeds/rss10.rdf"), one["rss10"]).encode("utf-8"),
            {"Content-Type": "application/rdf+xml; charset=utf-8"})
        self.routes["/feeds/atom03.xml"] = Reply(
            200, atom03(base, one["atom03"]).encode("utf-8"),
            {"Content-Type": "application/atom+xml; charset=utf-8"})
        self.routes["/feeds/atom10.xml"] = Reply(
            200, atom10(base, self.url("/feeds/atom10.xml"), one["atom10"]).encode("utf-8"),
            {"Content-Type": "application/atom+xml; charset=utf-8"})
        self.routes["/feeds/jsonfeed.json"] = Reply(
            200, json_feed(base, self.url("/feeds/jsonfeed.json"), one["jsonfeed"])
            .encode("utf-8"), {"Content-Type": "application/feed+json; charset=utf-8"})

    def _broken_feed_routes(self) -> None:
        base = self.base_url
        self.routes["/feeds/malformed.xml"] = Reply(
            200, malformed_rss(base, self._item("/a/recovered-1.html"),
                               self._item("/a/recovered-2.html")).encode("utf-8"),
            {"Content-Type": RSS})
        self.routes["/feeds/html.xml"] = Reply(200, html_where_feed_expected(base),
                                               {"Content-Type": HTML})
        self.routes["/feeds/empty.xml"] = Reply(200, b"", {"Content-Type": RSS})
        self.routes["/feeds/404.xml"] = error_reply(404, "Not Found")
        self.routes["/feeds/410.xml"] = error_reply(410, "Gone")
        self.routes["/feeds/500.xml"] = error_reply(500, "Internal Server Error")
        self.after_retry_feed = rss20(f"{OUTLET} - back online", base,
                                      self.url("/feeds/503.xml"),
                                      [self._item("/a/after-retry.html")]).encode("utf-8")
        self.routes["/feeds/503.xml"] = self._flaky_feed
        self.routes["/feeds/slow.xml"] = self._slow_feed
        self.routes["/feeds/loop.xml"] = Reply(302, b"",
                                               {"Location": self.url("/feeds/loop2.xml")})
        self.routes["/feeds/loop2.xml"] = Reply(302, b"",
                                                {"Location": self.url("/feeds/loop.xml")})
        self.routes["/feeds/botcheck.xml"] = Reply(200, bot_check_page(), {"Content-Type": HTML})
        self.routes["/feeds/stale.xml"] = Reply(
            200, rss20(f"{OUTLET} - abandoned", base, self.url("/feeds/stale.xml"),
                       [self._item("/a/stale-1.html")]).encode("utf-8"), {"Content-Type": RSS})

    # routes that depend on the request

    def _main_feed(self, request: BaseHTTPRequestHandler, count: int) -> Reply:
        validators = {"ETag": self.main_etag, "Last-Modified": self.main_last_modified}
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip() for tag in if_none_match.split(",")}
            fresh = "*" in tags or self.main_etag in tags
        else:
            fresh = request.headers.get("If-Modified-Since") == self.main_last_modified
        if fresh:
            return Reply(304, b"", validators)
        return Reply(200, self.main_feed, {"Content-Type": RSS, **validators})

    def _flaky_feed(self, request: BaseHTTPRequestHandler, count: int) -> Reply:
        if count == 1:
            return Reply(503, simple_page("Service Unavailable", "Back in a second."),
                         {"Content-Type": HTML, "Retry-After": "1"})
        return Reply(200, self.after_retry_feed, {"Content-Type": RSS})

    def _slow_feed(self, request: BaseHTTPRequestHandler, count: int) -> Reply:
        self._stopping.wait(SLOW_SECONDS)   # sleeps this thread only; stop() cuts it short
        feed = rss20(f"{OUTLET} - eventually", self.base_url, self.url("/feeds/slow.xml"), [])
        return Reply(200, feed.encode("utf-8"), {"Content-Type": RSS})

    # sources

    def sources_toml(self) -> str:
        """A launchwire sources file with three sources: main, formats and broken feeds."""
        groups = [
            ("hostile-main", ["/feeds/main.xml"]),
            ("formats", ["/feeds/rss091.xml", "/feeds/rss10.rdf", "/feeds/atom03.xml",
                         "/feeds/atom10.xml", "/feeds/jsonfeed.json"]),
            ("broken", ["/feeds/malformed.xml", "/feeds/html.xml", "/feeds/empty.xml",
                        "/feeds/404.xml", "/feeds/410.xml", "/feeds/500.xml", "/feeds/503.xml",
                        "/feeds/slow.xml", "/feeds/loop.xml", "/feeds/botcheck.xml",
                        "/feeds/stale.xml"]),
        ]
        lines: list[str] = []
        for name, feeds in groups:
            lines += ["[[source]]", f'name = "{name}"', f'homepage = "{self.base_url}/"',
                      "feeds = [" + ", ".join(f'"{self.url(feed)}"' for feed in feeds) + "]",
                      'language = "en"', 'region = "global"', "allow_private = true", ""]
        return "\n".join(lines)


def gunzipped_size(data: bytes) -> int:
    """How large a gzip body becomes, read 1 MiB at a time (never all held in memory)."""
    total = 0
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        while piece := stream.read(1 << 20):
            total += len(piece)
    return total


if __name__ == "__main__":   # python tests/crawlers/hostile_site.py: serve until Ctrl-C
    import time

    with HostileSite(port=8766) as running:
        print(f"Hostile site on {running.base_url}/ ({len(CASES)} routes); Ctrl-C to stop")
        print(running.sources_toml())
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass

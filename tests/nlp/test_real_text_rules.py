"""What real tech news says, in the team's own sentences (#13): figures and launches told the
ways published articles tell them."""

from __future__ import annotations

import pytest

from nlp.extract import analyze_doc
from nlp.launches import headline_text

FIGURES = [
    ("The Corvale Aria 5 retails at $349 in the US.", "price", 349, "reported"),
    ("The Pallas Nova 12 costs $899 unlocked.", "price", 899, "reported"),
    ("Veyra said 1.2 million units shipped in the quarter.", "units", 1_200_000, "reported"),
    ("Pebblet has been downloaded 40 million times.", "downloads", 40_000_000, "reported"),
    ("Quellix has more than 500 enterprise customers.", "subscribers", 500, "reported"),
    ("Card sales made up 60% of Tidelark's revenue in 2024, up from 35% two years earlier.",
     "share", 35, "reported"),
    ("The round values Tidelark at $90 million, a person familiar with the deal said.",
     "valuation", 90e6, "rumored"),
    ("Earshot now has 3 million daily users.", "dau", 3_000_000, "reported"),
    ("Sablefin has a market capitalisation of $12 billion.", "valuation", 12e9, "reported"),
    ("Sablefin's revenue was up 40 per cent on the year.", "growth", 40, "reported"),
    ("Quarrystone raised $30 million at a $2.4bn valuation.", "valuation", 2.4e9, "reported"),
    ("Oaktide made an offer to buy Halvard for $800 million.", "deal", 800e6, "reported"),
    ("Corvale is projecting revenue of $60 million next year.", "revenue", 60e6, "forecast"),
    ("Kunlei intends to ship 2 million phones this year.", "units", 2_000_000, "forecast"),
    ("Jotpond has raised $18 million to date.", "funding", 18e6, "reported"),
    ("Halvard secured $58 million in equity financing on Monday.", "funding", 58e6, "reported"),
    ("Databricks raised a round worth more than $500 million.", "funding", 500e6, "reported"),
    ("The global drone market is expected to be worth $40 billion by 2030.", "revenue", 40e9,
     "forecast"),
    ("Lumeo Band 4 Save $20 Current price: $129 Original price: $149", "price", 129, "reported"),
    ("Its revenue was $1.95 billion, up 38% from $1.28 billion a year ago.", "growth", 38,
     "reported"),
    ("Halvard invests $200 million in Quarrystone Labs.", "deal", 200e6, "reported"),
    ("Norway's Tidelark bags €40M to grow its solar marketplace.", "funding", 40e6, "reported"),
    ("The Lumeo Duo 2 will ship in July for $149.", "price", 149, "reported"),
    ("The Lumeo Time 2 will ship in December and cost $225 - it will have a touchscreen.",
     "price", 225, "reported"),
    ("Pricing is between $3,995 and $4,295, which puts the e-bike mid-range.", "price", 3995,
     "reported"),
    ("The Pallas 17e is set to launch imminently at $599.", "price", 599, "reported"),
    ("Whatever the $159 earbuds sounded like, few people bought them.", "price", 159,
     "reported"),
    ("Staff may sell shares at a value of about $500 billion.", "valuation", 500e9, "reported"),
    ("Regulators are reviewing Quellix's $2.5 billion sale to Halvard.", "deal", 2.5e9,
     "reported"),
    ("Quellix expects to reach 700 million weekly users this week, up from 500 million at the "
     "end of March.", "users", 500e6, "reported"),
    ("Visa has offered Halvard around $100 million for its card business.", "deal", 100e6,
     "reported"),
    ("Halvard subscribers pay $9 a month for the premium tier.", "price", 9, "reported"),
    ("Among teens, 64 percent say they use TikTok, followed by 41 percent for Snapchat.",
     "share", 41, "reported"),
    ("Sablefin now trades at $41 a share, with a $2.3 billion market cap.", "valuation", 2.3e9,
     "reported"),
    ("Card sales made up 60% of Tidelark's revenue last year.", "share", 60,
     "reported"),
    ("Tidelark's ring sales declined by 57% to $80 million in the quarter.", "growth",
     -57, "reported"),
    ("Sablefin's shipments saw a 12% drop in the quarter.", "growth", -12, "reported"),
    ("Redfern predicts the drone industry will grow 12.5% to more than $40.5 billion in 2027.",
     "revenue", 40.5e9, "forecast"),
    ("Both segments are predicted to grow at compound annual growth rates of 14.5% and 11.5% "
     "respectively through 2031.", "growth", 11.5, "forecast"),
    # A price set for what is to come is the price; a plan to price it is a forecast.
    ("From next month the Corvale Aria 5 will cost $349.", "price", 349, "reported"),
    ("Oaktide expects its first phone to cost $299.", "price", 299, "forecast"),
]


@pytest.mark.parametrize("text, metric, value, modality", FIGURES)
def test_figures_as_real_articles_tell_them(nlp, text: str, metric: str, value: float,
                                            modality: str) -> None:
    found = [(m.metric, m.value, m.modality) for m in nlp(text)._.metrics]
    assert any(m == metric and abs(v - value) <= 1e-6 * abs(value) and mod == modality
               for m, v, mod in found), found


@pytest.mark.parametrize("text", [
    "Shares of Tidelark closed at $36.68 a share on Monday.",
    "Cruise paid a $112,500 fine for failing to report the crash.",
    "Save $50 on the Lumeo Band 4 this week.",
    "Gleamer has raised €27 million ($29.5 million) in a Series B round.",
    "Only 10 percent of the teenagers surveyed said they use the app daily.",
    "Our review unit costs $300 more than the Lumeo Book 14.",
    "Tidelark shares closed Monday at $36.68, making the stake worth $7.58 billion.",
    "Average contract values for Quellix's software reached $530,000 this year.",
    "The tag finds items up to 50% farther away than before.",
    # Distances, reading times, multipliers and a person's wealth.
    "Tidelark's robotaxis have driven more than 3 million kilometers in 50 cities.",
    "Its test cars have covered 1.2 million miles on public roads so far.",
    "Dana Okafor Nov. 2, 2025 6:00 a.m. PT 50 min read The Lumeo Tab is thin.",
    "The new Halvard model will be 50 times cheaper for developers to run.",
    "Before Tidelark went public, its founder had a net worth of $300 million.",
    "Tidelark, maker of the Halo ring, is getting ready to ship two new watches.",
    "Halvard Family subscriptions (up to six people) will replace the old plan.",
])
def test_no_business_figure_where_there_is_none(nlp, text: str) -> None:
    found = [(m.metric, m.value) for m in nlp(text)._.metrics]
    assert all(value not in {36.68, 112_500, 50, 29.5e6, 300, 530_000, 3e6, 1.2e6, 300e6, 2, 6}
               and metric != "growth" for metric, value in found), found


@pytest.mark.parametrize("text, metric", [
    ("Analysts at Redfern Research say the smart-ring market will grow 30% next year.", "growth"),
    # The market named by the figure's own noun, by a relative clause, or compared before.
    ("Quarrystone Labs sells to schools. Tutoring apps are estimated to become a $9 billion "
     "industry by 2030, up from almost $3 billion last year.", "revenue"),
    ("Quarrystone Labs leads the segment, which is expected to be worth $40 billion by "
     "2031.", "revenue"),
    ("Quarrystone Labs builds robots. About $80 million was raised by such startups "
     "this spring.", "funding"),
    ("Quarrystone Labs sells ads. Redfern predicts a 300% increase in holiday traffic.",
     "growth"),
    ("Quarrystone Labs sells locks. Both segments are predicted to grow at compound annual "
     "growth rates of 14.5% and 11.5% respectively through 2031.", "growth"),
])
def test_a_market_figure_has_no_subject(nlp, text: str, metric: str) -> None:
    figures = [m for m in nlp(text)._.metrics if m.metric == metric]
    assert figures and all(figure.subject is None for figure in figures), \
        [(figure.value, figure.subject) for figure in figures]


LAUNCHES = [
    ("The Tarsi Fit 3 goes on sale in India on Friday at 2,499 rupees.", "Tarsi Fit 3", "launched"),
    ("The Tarsi Fit 3 is getting a limited release in Japan this week.", "Tarsi Fit 3",
     "launched"),
    ("At its developer conference, Tidelark said it was making Quillo, its note-taking app, "
     "more widely available in Europe.", "Quillo", "launched"),
    ("Kwai rolls out to Brazil this week, Kuaishou said.", "Kwai", "launched"),
    ("Mellowdesk opened a public beta of Mellowdesk Notes on Tuesday.", "Mellowdesk Notes",
     "launched"),
    ("Veyra shipped the Veyra C5 to its first customers in Shenzhen on Monday.", "Veyra C5",
     "launched"),
    ("ByteDance has a new app called Jotpond, available in Indonesia.", "Jotpond", "launched"),
    ("Corvale revealed a new version of its Nimbra X2 accelerator on Thursday.", "Nimbra X2",
     "announced"),
    ("The Hollis Tab 13 is due for release in the spring, Hollis Learning said.", "Hollis Tab 13",
     "planned"),
    ("Pennock is to offer Pennock Guard to hospitals from next year.", "Pennock Guard", "planned"),
    ("Apple is expected to announce the Vision Air at its event in June.", "Vision Air",
     "rumored"),
    ("Samsung is reportedly set to unveil the Galaxy Ring 2 next month.", "Galaxy Ring 2",
     "rumored"),
    ("Halvard expects to release the Halvard Go 2 in August.", "Halvard Go 2", "planned"),
    ("Halvard is releasing the Halvard Go 2 tomorrow.", "Halvard Go 2", "planned"),
    ("Halvard's upcoming Halvard Go 3 phones will deliver twice the battery life.",
     "Halvard Go 3", "planned"),
]


@pytest.mark.parametrize("text, product, modality", LAUNCHES)
def test_launches_without_the_word_launch(nlp, text: str, product: str, modality: str) -> None:
    launch = nlp(text)._.launch
    assert launch is not None and launch.product.text == product and launch.modality == modality


@pytest.mark.parametrize("text", [
    "When Tidelark first unveiled the Halo 2, its flagship ring, reviewers praised it.",
    "Kestrelbyte is now launching an in-app translation tool for its riders.",
    "Kestrelbyte is also launching an app redesign that shows arrival times.",
    # A new product named in passing; a new company.
    "A report says Halvard will be building a radio chip into the new Halvard Go 6.",
    "Dana Ruiz today announced the launch of a new organization, xAI, to study physics.",
    "Tidelark's founder today announced a new venture, Quarrystone AI, to study robots.",
])
def test_background_and_features_are_not_launches(nlp, text: str) -> None:
    assert nlp(text)._.launch is None


def test_headlines_are_read_in_sentence_case() -> None:
    assert headline_text("Meta Releases Muse Code For Developers") == \
        "Meta releases Muse Code for Developers"
    assert headline_text("Meta releases Muse Code") == "Meta releases Muse Code"


def test_a_launch_told_only_in_the_headline(nlp) -> None:
    body = nlp("Kestrel Notes turns voice memos into tasks. It works offline and syncs with "
               "calendars. Kestrelbyte charges $4 a month for it.")
    headline = nlp(headline_text("Kestrelbyte Launches Kestrel Notes, A Voice-First To-Do App"))
    launch = analyze_doc(body, "2026-03-02", headline).launches
    assert launch and launch[0].product == "Kestrel Notes" and launch[0].modality == "launched"
    assert launch[0].sentence.startswith("Kestrel Notes turns")  # a sentence of the article
    assert launch[0].company == "Kestrelbyte"


@pytest.mark.parametrize("title, company, product, modality", [
    ("Ravelby launches sidewalk delivery robots in Leeds", "Ravelby", "sidewalk delivery robots",
     "launched"),
    ("Quillmere introduces its AI-powered video editor for newsrooms", "Quillmere",
     "AI-powered video editor", "announced"),
    ("Tessaly to launch a grocery chatbot in 2027", "Tessaly", "grocery chatbot", "planned"),
])
def test_a_headline_may_describe_what_it_launches(nlp, title: str, company: str, product: str,
                                                  modality: str) -> None:
    body = nlp("Customers in three cities can try it from today. Prices were not disclosed.")
    launch = analyze_doc(body, "2026-03-02", nlp(headline_text(title))).launches
    assert launch and (launch[0].company, launch[0].product, launch[0].modality) == (
        company, product, modality), launch


def test_a_described_launch_takes_the_name_the_lead_gives(nlp) -> None:
    body = nlp("Quillmere's Inkwell app turns interview recordings into drafts. It is free for "
               "the first month.")
    headline = nlp(headline_text("Quillmere releases a free AI tool for newsrooms"))
    launch = analyze_doc(body, "2026-03-02", headline).launches
    assert launch and (launch[0].company, launch[0].product) == ("Quillmere", "Inkwell")


@pytest.mark.parametrize("body, title, company, product", [
    # A described launch gives way to the name the text gives it.
    ("Quenby Home will launch the Quenby Trim, a robot lawnmower, next spring.",
     "Quenby Home will launch a robot lawnmower next spring", "Quenby Home", "Quenby Trim"),
    # The lead's deal and partnership keep its own sentences from being the launch; the
    # headline still tells one.
    ("Halvard is the market leader at home, swallowing up rivals. It acquired Quarrystone Labs "
     "earlier this year and has announced a partnership with Oaktide. In 2019 Halvard launched "
     "Halvard Go in Chile.", "Halvard launches ride-hailing service in Mexico", "Halvard",
     "ride-hailing service"),
    # A title's "new features" beside a named product, and a lead's features of something else.
    ("Kestrelbyte has shipped many new features to its users this year. Its image model "
     "now draws hands.", "Kestrelbyte unveils Kestrel Draw 2, new AI features", "Kestrelbyte",
     "Kestrel Draw 2"),
    # The text's launch names no maker; the headline does.
    ("The Mate X9 Fold will be released in Chile, Peru and Kenya. Other countries follow "
     "later.", "Huawei's folding phone launches in new markets", "Huawei", "Mate X9 Fold"),
])
def test_the_launch_a_headline_tells(nlp, body: str, title: str, company: str,
                                     product: str) -> None:
    launch = analyze_doc(nlp(body), None, nlp(headline_text(title))).launches
    assert launch and (launch[0].company, launch[0].product) == (company, product), launch


def test_a_headline_about_a_feature_or_a_raise_is_no_launch(nlp) -> None:
    body = nlp("The app now lets people pin notes. Kestrelbyte said the round was led by "
               "Oaktide Ventures.")
    for title in ("Kestrelbyte Launches Pinned Notes Feature",
                  "Kestrelbyte raises $12 million to launch Kestrel Notes"):
        assert not analyze_doc(body, None, nlp(headline_text(title))).launches


def test_a_headline_launch_the_lead_calls_a_feature_is_no_launch(nlp) -> None:
    body = nlp("Kestrel Canvas is a new feature that turns notes into boards inside Kestrel "
               "Notes. It is free for every user.")
    headline = nlp(headline_text("Kestrelbyte Launches Kestrel Canvas For Kestrel Notes"))
    assert not analyze_doc(body, None, headline).launches


def _entities(nlp, text: str) -> set[tuple[str, str]]:
    return {(ent.text, ent.label_) for ent in nlp(text).ents
            if ent.label_ in {"COMPANY", "APP", "PRODUCT"}}


@pytest.mark.parametrize("text, person", [
    ("The round was led by Accel, with Jason Portnoy, Quarrystone Ventures and Kelvin Lab "
     "joining.", "Jason Portnoy"),
    ("Its backers include Karen Whitlock and Halvard Capital.", "Karen Whitlock"),
    ("Former CTO Mira Murati's new startup, Tessellate Works, is hiring.", "CTO Mira Murati"),
    ("Gillespie said the sequencer would ship in May.", "Gillespie"),
    # Told as a person: "who", a quote's "says X", "X said he".
    ("At Halvard, Wosarek ran the research group. Wosarek, who led the lab, left in May.",
     "Wosarek"),
    ("“It took me a year to learn,” says Sassolin. Sassolin released an album in 2021.",
     "Sassolin"),
    ("Musk has said he wants a rocket on Mars. Musk also plans to sue the maker.",
     "Musk"),
    # A role in apposition: "X, co-founder of …", "X, chief data officer".
    ("“We built it for small shops,” said Udo Brenning, chief data officer, at Halvard.",
     "Udo Brenning"),
    ("Nikola Vasquez , co-founder of Tidelark Dynamics , said the drones ship in May.",
     "Nikola Vasquez"),
    # A full-named person's given name, on its own later on.
    ("By Amy Okafor, a senior reporter. Amy has covered chips and phones since 2015.", "Amy"),
])
def test_people_are_not_companies(nlp, text: str, person: str) -> None:
    found = _entities(nlp, text)
    assert all(name != person and not (person.endswith(name) and len(name) > 3)
               for name, _ in found), found


@pytest.mark.parametrize("text, not_a_company", [
    # An organisation the model saw, named as a modifier of something else.
    ("Shoppers who join the Corvex Club program get free delivery on every order.",
     "Corvex Club"),
    # In a list of people.
    ("The studio was set up by Elif Duru Kaya and Sean Brody two years ago.", "Elif Duru Kaya"),
    # A photo credit.
    ("Image credit: Corvale Press/Tom Weir The drone flew for six hours.", "Corvale Press/"),
    # A stock exchange, a hospital, a project.
    ("Its shares will start trading on the Lagos Stock Exchange next week.",
     "Lagos Stock Exchange"),
    ("The money went to the Westbrook Children’s Hospital and two shelters.",
     "Westbrook Children’s Hospital"),
    ("Reading a genome with the machines of the Nightingale Genome Project would cost "
     "$25 million.", "Nightingale Genome Project"),
])
def test_what_the_model_calls_an_organisation_its_sentence_may_deny(nlp, text: str,
                                                                     not_a_company: str) -> None:
    assert all(name != not_a_company for name, _ in _entities(nlp, text)), _entities(nlp, text)


@pytest.mark.parametrize("text, name, label", [
    ("Pennock, one of Italy's busiest early-stage VCs, is raising a second fund.",
     "Pennock", "COMPANY"),
    ("Mountain View-based Quarrystone counted 9,000 stale web addresses.", "Quarrystone",
     "COMPANY"),
    ("Project Halyard remains a closely guarded plan at Tidelark.", "Project Halyard", "PRODUCT"),
    ("At its last round, Moveworks was valued at $3 billion.", "Moveworks", "COMPANY"),
    ("Axonius, a cybersecurity startup developing a device platform, raised $58 million.",
     "Axonius", "COMPANY"),
    ("Brennix tracked 12,000 phishing pages last month.", "Brennix", "COMPANY"),
    ("Tovaro purchased a small drone maker in March.", "Tovaro", "COMPANY"),
    ("Pennock raised $4 million from Halvard and Oaktide last year.", "Oaktide", "COMPANY"),
    # What a company launches is no company.
    ("After a preview in May, Quellix today launched Pondwise Command, a hub for model "
     "training.", "Pondwise Command", "APP"),
])
def test_an_unknown_name_is_read_off_its_cue(nlp, text: str, name: str, label: str) -> None:
    assert (name, label) in _entities(nlp, text), _entities(nlp, text)


@pytest.mark.parametrize("text, name, label", [
    ("Microsoft sold fewer of the Xbox One than it hoped.", "Xbox One", "PRODUCT"),
    ("Teams on Gemini Enterprise get longer chats.", "Gemini Enterprise", "APP"),
    ("Developers can build on the Cursor SDK from today.", "Cursor SDK", "APP"),
    # An assistant's numbered names are its models; a browser's are its versions.
    ("Google released Gemini 3.1 Pro as the core model of its assistant.", "Gemini 3.1 Pro",
     "PRODUCT"),
    ("Google's Gemini 2.5 Pro is now in public preview.", "Gemini 2.5 Pro", "PRODUCT"),
    ("Ask Gemini to plan the trip for you.", "Gemini", "APP"),
    ("The Chrome 32 update ships today.", "Chrome 32", "APP"),
])
def test_a_known_name_keeps_its_edition_or_tier(nlp, text: str, name: str, label: str) -> None:
    assert (name, label) in _entities(nlp, text), _entities(nlp, text)


@pytest.mark.parametrize("text, name, label", [
    ("Bluesky CEO Jay Graber poked fun at its rivals.", "Bluesky", "COMPANY"),
    ("More than 3,000 lawsuits against Meta, YouTube and TikTok are pending.", "TikTok",
     "COMPANY"),
    ("Facebook has made several of its research tools available to outsiders.", "Facebook",
     "COMPANY"),
    ("The deal combines Moveworks with ServiceNow's workflow tools.", "ServiceNow", "COMPANY"),
    ("Sellers on Etsy can now offer gift cards.", "Etsy", "APP"),
    ("She posted the clip on TikTok last week.", "TikTok", "APP"),
    ("The app runs on all iPhones from the iPhone 12 up.", "iPhones", "PRODUCT"),
    ("The chatbot was developed by Meta AI, the company's research lab.", "Meta AI", "COMPANY"),
    ("Anthropic's Claude models are praised for their long memory.", "Claude", "PRODUCT"),
    ("Facebook is researching glasses that remember what you see.", "Facebook", "COMPANY"),
    ("Facebook has directed its team to build detection tools.", "Facebook", "COMPANY"),
    ("She saw Facebook's leadership put profit first.", "Facebook", "COMPANY"),
])
def test_the_sentence_decides_a_known_name_s_role(nlp, text: str, name: str, label: str) -> None:
    assert (name, label) in _entities(nlp, text)


@pytest.mark.parametrize("text, not_a_name", [
    ("Tickets for TechCrunch Disrupt 2025 go on sale today.", "TechCrunch"),
    ("The SDK is written in TypeScript and runs models in PyTorch.", "PyTorch"),
    ("Comment Tidelark, the maker of budget earbuds, has closed its doors.", "Comment Tidelark"),
    ("The project is turning into a disaster for everyone except Quarrystone & Co.",
     "Quarrystone &"),
    ("The project is turning into a disaster for everyone except Quarrystone & Co.", "Co."),
    ("The Robotics Tour Connect meets in Berlin on Friday.",
     "Impact Tour Connect"),
    ("The wallet held Tether and Bitcoin worth $2 million.", "Bitcoin"),
    ("Researchers guess there is a 50 percent chance we will have built AGI by 2099.", "AGI"),
    # X, the app, is no letter inside another name.
    ("Our $1,200 Tarsi X 14 test laptop beats the last one.", "X"),
    ("Our $1,200 Tarsi X 14 test laptop beats the last one.", "X 14"),
    # Sentence adverbs, common words, a name run into the word before it, a company's team.
    ("Quellix sorts parcels for small couriers. Moreover, the company says it can plan their "
     "routes.", "Moreover"),
    ("Our review of the Lumeo Tab ends here Finally, a sturdy phone that survives a fall onto "
     "stone.", "Finally"),
    ("Feeding the network examples until its guesses improve is called training, and it "
     "takes weeks.", "training"),
    ("According toHalvard, the headset will reach soldiers next year.", "toHalvard"),
    ("She co-led Tidelark's Northstar team until last spring.", "Northstar"),
    # A page's share and shop buttons.
    ("Tidelark shipped its first drone in 2021 Share on Facebook Share on Twitter The drone "
     "flew for six hours.", "Twitter"),
    ("Three cheap cameras we liked View now at Walmart View now at Amazon The smallest weighs "
     "90 grams.", "Amazon"),
    ("The best budget earbuds View now View at Best Buy View now View at Walmart The Lumeo "
     "Buds 2 last nine hours.", "Walmart"),
    ("Off English Facebook Twitter Email Reddit Link Why the Lumeo Tab sold out", "Reddit"),
    # A picture's credit, a menu's section tags, a place the trade names.
    ("Credit: Quarrystone Images Tidelark's new drone flew for six hours on Monday.",
     "Quarrystone Images"),
    ("Sep. 2, 2025 at 9:10 a.m. PT Dana Okafor/Pixelgrid The Lumeo Tab is thin.", "Pixelgrid"),
    ("You are a founder of a Silicon Valley enterprise software company.", "Silicon Valley"),
    ("Home Tech Smartphones Mobile Accessories How to pick a phone case",
     "Home Tech Smartphones Mobile"),
    ("In 2009, Stanford researchers released the ImageNet data set.", "ImageNet"),
    ("Work shows that many NLP models leverage spurious connections.", "NLP"),
    ("Welcome back to The TechCrunch Podcast, where we break down the biggest news.",
     "TechCrunch Podcast"),
    # A byline's date, a bug id, a job title, a public body and a trade show.
    ("Written by Dana Oyelaran, Reviews Editor Nov. 17, 2023 at 8:29 a.m. PT The Lumeo Tab "
     "is thin.", "Reviews Editor Nov. 17"),
    ("Written by Dana Oyelaran, Reviews Editor Nov. 17, 2023 at 8:29 a.m. PT The Lumeo Tab "
     "is thin.", "Nov. 17"),
    ("Attackers could bypass Tidelark's patch for CVE-2024-40112, a firmware flaw.",
     "CVE-2024-40112"),
    ("Quellix's Executive Vice President, Mara Lindqvist, says the rollout is done.",
     "Executive Vice President"),
    ("Here is our interview with Quellix's Chief Technology Officer, Ravi Menon.",
     "Chief Technology"),
    ("Tidelark scrapped a partnership with the National Institutes of Health in 2019.",
     "National Institutes of Health"),
    ("The Shenzhen Academy of Robotics released the model weights on Monday.",
     "Shenzhen Academy of Robotics"),
    ("Makers drop news at the annual Consumer Electronics Show in Las Vegas.",
     "Consumer Electronics"),
])
def test_events_languages_and_page_furniture_are_not_entities(nlp, text: str,
                                                               not_a_name: str) -> None:
    assert all(name != not_a_name for name, _ in _entities(nlp, text))


@pytest.mark.parametrize("text, name", [
    ("Netflix Chair Reed Hastings gave the college a new library.", "Netflix"),
    ("Speaking on stage, Amazon CTO Werner Vogels said the service was ready.", "Amazon"),
])
def test_a_role_ends_a_name(nlp, text: str, name: str) -> None:
    found = [ent.text for ent in nlp(text).ents if ent.label_ in {"COMPANY", "APP", "PRODUCT"}]
    assert name in found and not any(other.startswith(name + " ") for other in found), found


@pytest.mark.parametrize("text, name, starts", [
    # A shop's buttons repeat a name the text gives: only the text's mention counts.
    ("View now View at Apple View now View at Apple Apple has just unveiled a cheaper "
     "iPad.", "Apple", [46]),
    # A menu's section tag between slashes is no mention; the headline's is.
    ("More Menu Tech / Nvidia / Science Nvidia said it would ship the chip in May.",
     "Nvidia", [34]),
    ("Creators Stability AI, maker of image models, gets a $1 billion valuation",
     "Stability AI", [9]),
])
def test_furniture_mentions_of_a_real_name_are_left_out(nlp, text: str, name: str,
                                                        starts: list[int]) -> None:
    doc = nlp(text)
    assert [ent.start_char for ent in doc.ents if ent.text == name] == starts


def test_listed_companies_are_known_but_not_everyday_words(nlp) -> None:
    """The S&P 500 names the gazetteer took in (`name_lists --companies`)."""
    from nlp.gazetteer import load_gazetteer
    known = {spelling for entry in load_gazetteer() for spelling in entry.spellings}
    assert {"Equifax", "Wells Fargo", "Lockheed Martin"} <= known
    assert not {"Target", "Block", "Ball", "News", "AES", "RTX"} & known
    doc = nlp("Quellix is suing Equifax over the breach.")
    assert ("Equifax", "COMPANY") in {(ent.text, ent.label_) for ent in doc.ents}


def test_name_lists_leave_known_names_alone() -> None:
    """A given name that opens a gazetteer name ("Alexa", "Claude") would make it a person."""
    from nlp.gazetteer import load_gazetteer
    from nlp.names import given_names, surnames
    openers = {spelling.split()[0].lower() for entry in load_gazetteer()
               for spelling in entry.spellings}
    assert len(given_names()) > 4000 and len(surnames()) > 15000
    assert not openers & given_names(), sorted(openers & given_names())[:10]
    assert not openers & surnames(), sorted(openers & surnames())[:10]


@pytest.mark.parametrize("text, metric, subject", [
    # The product whose shipments or sales are counted, not the maker acting.
    ("Google doubled its target for Pixel 9 shipments from 5 million units to 10 million "
     "units.", "units", "Pixel 9"),
    ("Sakurado's Nova 2 handheld costs $399 in the United States.", "price", "Nova 2"),
    ("Tidelark has opened orders for the Halo 2 ring. The device costs $275.", "price",
     "Halo 2"),
    ("Among teens, 64 percent say they use TikTok, followed by 41 percent for Snapchat.",
     "share", "Snapchat"),
    ("Pennock Sense today announced an $18 million Series A, with investors like Quarrystone "
     "and Halvard joining.", "funding", "Pennock Sense"),
    ("Pennock Sense builds home cameras. The company, which has raised $40 million, sells "
     "in nine countries.", "funding", "Pennock Sense"),
    # An outlet the company spoke to, or one that reported on it, is no subject.
    ("Quarrystone Labs makes budget earbuds. In an interview with The Verge on Monday, its "
     "chief said the app has 5 million subscribers.", "subscribers", "Quarrystone Labs"),
    ("Quarrystone Labs makes earbuds, and TechCrunch Media covered it. TechCrunch Media said "
     "the company has 5 million subscribers.", "subscribers", "Quarrystone Labs"),
    # The company a relative clause describes; a business that is valued or bought.
    ("Pennock Sense builds home cameras. Tidelark Labs, the Oaktide-backed startup that has "
     "raised over $90 million, is a rival.", "funding", "Tidelark Labs"),
    ("At its last round, Moveworks was valued at $3 billion.", "valuation", "Moveworks"),
    ("It comes after Oaktide's $400 million acquisition of MosaicML.", "deal", "MosaicML"),
    # A price told of "the model" or of "it" is the product named before.
    ("Tidelark released the Halo 2 ring in May. The model is priced at twice the price of the "
     "Halo 1 at $300.", "price", "Halo 2"),
    ("Cerevo showed the Hackey keyboard. It has a campaign on Indiegogo, where backers can "
     "pre-order it for $49.", "price", "Hackey"),
    # A revenue figure is not the product a later clause names.
    ("Quarrystone Labs makes coding tools. Its yearly revenue rose from $20 million to "
     "$90 million, with Claude Code alone bringing in $30 million.", "revenue",
     "Quarrystone Labs"),
    # A deal's figure is the company bought, invested in or paid, never the buyer.
    ("Oaktide is buying Halvard for $800 million.", "deal", "Halvard"),
    ("The move follows Oaktide's $1.3 billion acquisition of Quarrystone Labs.", "deal",
     "Quarrystone Labs"),
    ("Oaktide invests $200 million in Quarrystone Labs.", "deal", "Quarrystone Labs"),
    ("Visa has offered Halvard around $100 million for its card business.", "deal", "Halvard"),
    ("Oaktide plans to buy $2 billion of chips from Oracle.", "deal", "Oracle"),
    ("Oaktide Inc. is paying $9 billion for the use of Halvard's patents.", "deal",
     "Halvard"),
])
def test_whose_figure_it_is(nlp, text: str, metric: str, subject: str) -> None:
    found = [(m.metric, m.subject.text if m.subject is not None else None)
             for m in nlp(text)._.metrics]
    assert (metric, subject) in found, found


def test_a_launch_s_maker_may_open_its_product_s_name(nlp) -> None:
    doc = nlp("Microsoft Fabric, which aims to beat Amazon and Google in the cloud, went live "
              "on Tuesday.")
    assert doc._.launch is not None and doc._.launch.company.kb_id_ == "Microsoft"


def test_a_launch_s_maker_is_the_sentence_s_subject(nlp) -> None:
    doc = nlp("Halvard Robotics, a startup backed by former Google CEO Dana Ruiz, has unveiled a "
              "home robot called Eno.")
    assert doc._.launch is not None and doc._.launch.company.text == "Halvard Robotics"


def test_a_lead_may_launch_a_new_thing_it_describes(nlp) -> None:
    body = nlp("Halvard Labs has unveiled a new set of tools for shops. The tools answer "
               "customers at night.")
    launch = analyze_doc(body, None, None).launches
    assert launch and launch[0].company == "Halvard Labs", launch
    # Not where the headline says it is about controls or a feature.
    body = nlp("Halvard Labs rolled out new tools that let users adjust their feeds.")
    headline = nlp(headline_text("Halvard Labs has introduced Feed Controls"))
    assert not analyze_doc(body, None, headline).launches


def test_a_launch_s_maker_is_the_owner_before_a_brand(nlp) -> None:
    doc = nlp("SpaceX's upcoming Starlink V3 dishes will be half the size.")
    assert doc._.launch is not None and doc._.launch.company.text == "SpaceX"


def test_figures_listed_respectively_go_to_the_names_in_order(nlp) -> None:
    doc = nlp("Samsung and Xiaomi hold 41% and 22% of the foldable phone market in India, "
              "respectively, a survey found.")
    found = [(m.value, m.subject.text if m.subject is not None else None)
             for m in doc._.metrics]
    assert found == [(41, "Samsung"), (22, "Xiaomi")], found


@pytest.mark.parametrize("lead, modality", [
    ("Corrimal Labs has launched Wrenlight, an e-reader app. It will be available in March for "
     "$4 a month.", "announced"),
    ("Corrimal Labs has launched Wrenlight, an e-reader app. It is available now for $4 a month, "
     "and a tablet edition will be available in March.", "launched"),
    ("Corrimal Labs has launched Wrenlight, an e-reader app. It costs $4 a month.", "launched"),
])
def test_a_launch_the_lead_says_ships_later_is_announced(nlp, lead: str, modality: str) -> None:
    launches = analyze_doc(nlp(lead), "2026-03-02").launches
    assert launches and launches[0].product == "Wrenlight" and launches[0].modality == modality


def test_a_round_is_not_its_investor_s_even_where_the_investor_is_named_most(nlp) -> None:
    doc = nlp("The startup today announced an $18 million round led by Tallis Capital, with "
              "participation from Orrin Labs. Orrin's investment comes from its venture fund. "
              "Founded in 2021, Larkfield Robotics builds robots for warehouses.")
    found = [(f.metric, f.value, f.subject.text if f.subject is not None else None)
             for f in doc._.metrics]
    assert found == [("funding", 18_000_000, "Larkfield Robotics")]


@pytest.mark.parametrize("label", ["TECH_PRODUCT", "TECH_COMPANY", "ORG", "PRODUCT"])
def test_a_title_before_a_name_makes_a_person_whatever_the_model_says(nlp, label: str) -> None:
    from spacy.tokens import Span

    # A given name no census list holds, as many founders' are.
    text = "Lindqvist Cloud COO Tavishi Morrow said the new region opens in May."
    with nlp.select_pipes(disable=["launchwire_entities", "launchwire_metrics",
                                   "launchwire_launches"]):
        doc = nlp(text)
    start = next(token.i for token in doc if token.text == "COO")
    guess = Span(doc, start, start + 3, label=label)
    doc.ents = [ent for ent in doc.ents if ent.end <= start or ent.start >= start + 3] + [guess]
    doc = nlp.get_pipe("launchwire_entities")(doc)
    assert not [ent.text for ent in doc.ents if "Morrow" in ent.text
                and ent.label_ in {"COMPANY", "APP", "PRODUCT"}]

"""Trade metadata: ONIX 3.0 product records (reference tags) for the book trade and libraries.

Written when this edition has an ISBN: one product per volume and format (EPUB and
screen PDF) of the reader and of every offprint. The reader's EPUB carries the edition's
ISBN (the identifier of the EPUB itself); the other files, which have no ISBN of their own,
are identified by the volume's own identifier (proprietary ID). Each record gives titles,
contributors, publishers, language, NUR and Thema subjects (``trade`` in publication.yaml),
the edition, the licence and a free price (unpriced: free of charge), and, for EPUBs, the
accessibility features (ProductFormFeatureType 09, code list 196) that the EPUB's own
metadata states, with the accessibility summary and the address of the accessibility
statement. No conformance is claimed there: the statement says what was measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .config import Config

NS = "http://ns.editeur.org/onix/3.0/reference"
LANGUAGES = {"nl": "dut", "en": "eng"}
# schema.org accessibilityFeature (EPUB metadata) → ONIX code list 196
FEATURES = {
    "tableOfContents": "11",
    "index": "12",
    "readingOrder": "13",
    "alternativeText": "14",
    "pageNavigation": "19",
    "structuralNavigation": "29",
    "ARIA": "30",
    "displayTransformability": "36",
}


@dataclass(frozen=True)
class Product:
    record: str  # RecordReference
    isbn: str | None  # ISBN-13 without hyphens, or None: identified by ``record``
    format: str  # 'epub' or 'pdf'
    title: str
    subtitle: str | None
    series_position: int | None  # for an offprint: its number in the series
    offprint: bool
    authors: tuple[str, ...]
    summary: str | None
    keywords: tuple[str, ...]
    pages: int | None
    cover_url: str
    download_url: str
    features: tuple[str, ...] = ()  # schema.org accessibilityFeature values of the EPUB
    accessibility_summary: str | None = None


def _add(parent, tag, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def message(config: Config, products: list[Product], statement_url: str) -> bytes:
    assert config.trade is not None and config.isbn, "ONIX records need an ISBN and 'trade' in publication.yaml"
    date = config.edition_date.strftime("%Y%m%d")
    root = etree.Element(f"{{{NS}}}ONIXMessage", {"release": "3.0"}, nsmap={None: NS})
    header = _add(root, "Header")
    sender = _add(header, "Sender")
    _add(sender, "SenderName", config.publishers[0].name)
    if config.contact:
        _add(sender, "EmailAddress", config.contact.email)
    _add(header, "SentDateTime", date)
    _add(header, "DefaultLanguageOfText", LANGUAGES[config.language])
    for product in products:
        _product(root, config, product, date, statement_url)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _product(root, config: Config, p: Product, date: str, statement_url: str) -> None:
    product = _add(root, "Product")
    _add(product, "RecordReference", p.record)
    _add(product, "NotificationType", "03")
    identifier = _add(product, "ProductIdentifier")
    if p.isbn:
        _add(identifier, "ProductIDType", "15")
        _add(identifier, "IDValue", p.isbn)
    else:
        _add(identifier, "ProductIDType", "01")
        _add(identifier, "IDTypeName", "URN")
        _add(identifier, "IDValue", p.record)
    detail = _add(product, "DescriptiveDetail")
    _add(detail, "ProductComposition", "00")
    _add(detail, "ProductForm", "ED")
    _add(detail, "ProductFormDetail", "E101" if p.format == "epub" else "E107")
    if p.format == "epub":
        for code in sorted({FEATURES[f] for f in p.features if f in FEATURES} | {"22"}):  # 22: language tagging (lang on every text)
            feature = _add(detail, "ProductFormFeature")
            _add(feature, "ProductFormFeatureType", "09")
            _add(feature, "ProductFormFeatureValue", code)
        if p.accessibility_summary:
            feature = _add(detail, "ProductFormFeature")
            _add(feature, "ProductFormFeatureType", "09")
            _add(feature, "ProductFormFeatureValue", "00")
            _add(feature, "ProductFormFeatureDescription", p.accessibility_summary)
        feature = _add(detail, "ProductFormFeature")
        _add(feature, "ProductFormFeatureType", "09")
        _add(feature, "ProductFormFeatureValue", "94")  # web page with detailed accessibility information
        _add(feature, "ProductFormFeatureDescription", statement_url)
        if config.contact:
            feature = _add(detail, "ProductFormFeature")
            _add(feature, "ProductFormFeatureType", "09")
            _add(feature, "ProductFormFeatureValue", "99")  # publisher contact for accessibility
            _add(feature, "ProductFormFeatureDescription", config.contact.email)
    _add(detail, "EpubTechnicalProtection", "00")
    licence = _add(detail, "EpubLicense")
    _add(licence, "EpubLicenseName", config.licence_name)
    if config.licence_url:
        expression = _add(licence, "EpubLicenseExpression")
        _add(expression, "EpubLicenseExpressionType", "02")  # human-readable document
        _add(expression, "EpubLicenseExpressionLink", config.licence_url)
    if p.offprint:
        collection = _add(detail, "Collection")
        _add(collection, "CollectionType", "10")  # publisher collection
        title = _add(collection, "TitleDetail")
        _add(title, "TitleType", "01")
        element = _add(title, "TitleElement")
        _add(element, "TitleElementLevel", "02")
        if p.series_position is not None:
            _add(element, "PartNumber", p.series_position)
        _add(element, "TitleText", config.title)
    title = _add(detail, "TitleDetail")
    _add(title, "TitleType", "01")
    element = _add(title, "TitleElement")
    _add(element, "TitleElementLevel", "01")
    _add(element, "TitleText", p.title)
    if p.subtitle:
        _add(element, "Subtitle", p.subtitle)
    sequence = 0
    for name in p.authors:
        sequence += 1
        contributor = _add(detail, "Contributor")
        _add(contributor, "SequenceNumber", sequence)
        _add(contributor, "ContributorRole", "A01")
        # a contributor or publisher of publication.yaml is an organisation; other authors are people
        corporate = name in {c.name for c in (*config.contributors, *config.publishers)}
        _add(contributor, "CorporateName" if corporate else "PersonName", name)
    if not p.authors:
        for party in config.contributors:
            sequence += 1
            contributor = _add(detail, "Contributor")
            _add(contributor, "SequenceNumber", sequence)
            _add(contributor, "ContributorRole", "A01")
            _add(contributor, "CorporateName", party.name)
    _add(detail, "EditionNumber", config.edition_number)
    language = _add(detail, "Language")
    _add(language, "LanguageRole", "01")
    _add(language, "LanguageCode", LANGUAGES[config.language])
    if p.pages:
        extent = _add(detail, "Extent")
        _add(extent, "ExtentType", "00")  # main content page count
        _add(extent, "ExtentValue", p.pages)
        _add(extent, "ExtentUnit", "03")  # pages
    for number, code in enumerate(config.trade.thema):
        subject = _add(detail, "Subject")
        if number == 0:
            _add(subject, "MainSubject")
        _add(subject, "SubjectSchemeIdentifier", "93")  # Thema subject category
        _add(subject, "SubjectCode", code)
    subject = _add(detail, "Subject")
    _add(subject, "SubjectSchemeIdentifier", "32")  # NUR
    _add(subject, "SubjectCode", config.trade.nur)
    if p.keywords:
        subject = _add(detail, "Subject")
        _add(subject, "SubjectSchemeIdentifier", "20")  # keywords
        _add(subject, "SubjectHeadingText", "; ".join(p.keywords))
    collateral = _add(product, "CollateralDetail")
    if p.summary:
        text = _add(collateral, "TextContent")
        _add(text, "TextType", "03")  # description
        _add(text, "ContentAudience", "00")
        _add(text, "Text", p.summary)
    resource = _add(collateral, "SupportingResource")
    _add(resource, "ResourceContentType", "01")  # front cover
    _add(resource, "ContentAudience", "00")
    _add(resource, "ResourceMode", "03")  # image
    version = _add(resource, "ResourceVersion")
    _add(version, "ResourceForm", "02")  # downloadable file
    _add(version, "ResourceLink", p.cover_url)
    publishing = _add(product, "PublishingDetail")
    for number, party in enumerate(config.publishers):
        publisher = _add(publishing, "Publisher")
        _add(publisher, "PublishingRole", "01" if number == 0 else "02")  # publisher, co-publisher
        _add(publisher, "PublisherName", party.name)
    _add(publishing, "PublishingStatus", "04")  # active
    published = _add(publishing, "PublishingDate")
    _add(published, "PublishingDateRole", "01")
    _add(published, "Date", date)
    supply = _add(product, "ProductSupply")
    market = _add(supply, "Market")
    territory = _add(market, "Territory")
    _add(territory, "RegionsIncluded", "WORLD")
    supply_detail = _add(supply, "SupplyDetail")
    supplier = _add(supply_detail, "Supplier")
    _add(supplier, "SupplierRole", "09")  # publisher to end-customers
    _add(supplier, "SupplierName", config.publishers[0].name)
    website = _add(supplier, "Website")
    _add(website, "WebsiteRole", "36")  # supplier's download page for the product
    _add(website, "WebsiteLink", p.download_url)
    _add(supply_detail, "ProductAvailability", "20")  # available
    _add(supply_detail, "UnpricedItemType", "01")  # free of charge

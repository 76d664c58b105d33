"""The ONIX 3.0 records (build/dist/onix.xml), validated against the ONIX for Books 3.0
XSD that the onixcheck package ships."""

from __future__ import annotations

import pytest
from lxml import etree
from onixcheck import validate

pytestmark = pytest.mark.slow

NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}


def _messages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "onix.xml"
    path.write_bytes(data)
    return [str(m) for m in validate(str(path))]


def test_the_onix_records_are_valid(mini_dist, tmp_path):
    project, _ = mini_dist
    data = (project / "build" / "dist" / "onix.xml").read_bytes()
    assert _messages(data, tmp_path) == []


def test_the_validation_can_fail(mini_dist, tmp_path):
    project, _ = mini_dist
    data = (project / "build" / "dist" / "onix.xml").read_bytes()
    for old, new in ((b"<ProductForm>ED</ProductForm>", b"<ProductForm>XX</ProductForm>"), (b"<NotificationType>03</NotificationType>", b"")):
        assert old in data
        assert _messages(data.replace(old, new, 1), tmp_path), old


def test_one_record_per_volume_and_format_with_trade_subjects_and_accessibility(mini_dist):
    project, result = mini_dist
    root = etree.parse(str(project / "build" / "dist" / "onix.xml")).getroot()
    products = root.findall("o:Product", NS)
    assert len(products) == 2 * len(result.build.volumes) == 8
    isbns = root.xpath("//o:ProductIdentifier[o:ProductIDType='15']/o:IDValue/text()", namespaces=NS)
    assert isbns == ["9789000000005"]  # the reader's EPUB: the edition's ISBN
    for product in products:
        detail = product.find("o:DescriptiveDetail", NS)
        assert detail.findtext("o:Language/o:LanguageCode", namespaces=NS) == "dut"
        assert detail.xpath("o:Subject[o:SubjectSchemeIdentifier='32']/o:SubjectCode/text()", namespaces=NS) == ["740"]
        assert detail.xpath("o:Subject[o:SubjectSchemeIdentifier='93']/o:SubjectCode/text()", namespaces=NS) == ["JPP", "JPQ"]
        assert detail.findtext("o:EpubLicense/o:EpubLicenseName", namespaces=NS) == "CC BY 4.0"
        assert product.findtext("o:ProductSupply/o:SupplyDetail/o:UnpricedItemType", namespaces=NS) == "01"  # free of charge
        assert detail.findtext("o:TitleDetail/o:TitleElement/o:TitleText", namespaces=NS)
        assert product.findtext("o:PublishingDetail/o:Publisher/o:PublisherName", namespaces=NS) == "Vereniging Nederlandse Gemeenten"
        features = detail.xpath("o:ProductFormFeature[o:ProductFormFeatureType='09']/o:ProductFormFeatureValue/text()", namespaces=NS)
        if detail.findtext("o:ProductFormDetail", namespaces=NS) == "E101":  # EPUB
            assert {"11", "13", "22", "29", "36", "94"} <= set(features)
            statement = detail.xpath("o:ProductFormFeature[o:ProductFormFeatureValue='94']/o:ProductFormFeatureDescription/text()", namespaces=NS)
            assert statement == ["https://example.org/proefreeks/toegankelijkheid.html"]
            assert not {"04", "81", "85"} & set(features)  # no conformance claimed beyond what was measured
        else:
            assert features == []


def test_no_onix_without_an_isbn(series_dist):
    project, _ = series_dist
    assert not (project / "build" / "dist" / "onix.xml").exists()

import pytest

from wuwei.methodology.names import normalize_company_name


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("ACME Co., Ltd.", "acme"),
        ("ＡＣＭＥ（中国）有限公司", "acme中国"),
        ("华为技术股份有限公司", "华为技术"),
        ("美的集团有限公司", "美的集团"),
        ("华为技术有限公司北京分公司", "华为技术有限公司北京分公司"),
        ("Costco Inc", "costco"),
        ("Zinc Ltd", "zinc"),
        ("Company", "company"),
        ("有限公司", "有限公司"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_normalize_company_name(name: str, normalized: str) -> None:
    assert normalize_company_name(name) == normalized


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("华为技术有限公司", "华为技术股份有限公司"),
        ("华为技术有限公司", "华为技术有限责任公司"),
        ("华为技术有限公司", "华为技术"),
        ("华为技术有限公司", "华为技术公司"),
        ("华为　技术有限公司", "华为技术"),
        ("ACME Co., Ltd.", "acme inc"),
        ("ＡＣＭＥ（中国）有限公司", "ACME(中国)"),
        ("阿里巴巴（中国）网络技术有限公司", "阿里巴巴(中国)网络技术有限公司"),
        ("《腾讯》科技", "腾讯 科技"),
        ("中国·东方电气集团有限公司", "中国东方电气集团"),
        ("北京字节跳动科技有限公司。", "北京字节跳动科技"),
        ("美的，集团、股份有限公司", "美的集团"),
        ("ACME Corporation", "ACME CORP."),
        ("Acme LLC", "acme limited"),
        ("Siemens GmbH", "SIEMENS"),
        ("Acme Company Limited", "Acme"),
        ("ACME Holdings Co.,Ltd.", "acme holdings"),
        ("Acme Incorporated", "ACME, Inc."),
        ("ACME™ Inc.", "Acme"),
        ("Tesla PLC", "tesla"),
        ("ACME (China) Co., Ltd.", "Acme China"),
    ],
)
def test_names_that_must_match(first: str, second: str) -> None:
    assert normalize_company_name(first) == normalize_company_name(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("华为技术", "华为终端"),
        ("华为技术有限公司", "华为科技有限公司"),
        ("北京华为技术有限公司", "华为技术有限公司"),
        ("美的集团有限公司", "美的有限公司"),
        ("华为技术有限公司北京分公司", "华为技术有限公司"),
        ("ACME(中国)", "ACME"),
        ("ACME Group", "ACME"),
        ("Costco Inc", "Cost Inc"),
        ("Zinc Ltd", "Z Ltd"),
        ("Limited Brands Inc", "Brands Inc"),
        ("ABC Co", "ABD Co"),
    ],
)
def test_names_that_must_not_match(first: str, second: str) -> None:
    assert normalize_company_name(first) != normalize_company_name(second)

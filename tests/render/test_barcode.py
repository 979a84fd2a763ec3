"""The back-cover ISSN barcode: the digits by the GS1 rules, and a real scanner reading them off the printed page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require

from typeset.identifiers import ean_check_digit
from typeset.pipeline import Built, build
from typeset.render.barcode import (
    ean2_modules,
    ean13_modules,
    isbn_ean13,
    issn_ean13,
    issue_addon,
)
from typeset.scaffold import new_publication


def test_ean13_of_an_issn_is_977_seven_digits_price_code_check_digit() -> None:
    # 9 7 7 2 9 8 9 3 0 3 0 0 weighted 1,3,1,3…: 9+21+7+6+9+24+9+9+0+9+0+0 = 103, so the check digit is 7.
    assert issn_ean13("2989-3038") == "9772989303007"
    assert issn_ean13("1234-5679") == "9771234567003"  # the ISSN Manual's example
    assert ean_check_digit("400638133393") == "1"  # 4006381333931, a GS1 example


def test_issue_number_is_the_two_digit_addon() -> None:
    assert issue_addon(8) == "08" and issue_addon(12) == "12" and issue_addon(108) == "08"


def test_modules_follow_the_gs1_tables() -> None:
    modules = ean13_modules("9772989303007")
    assert len(modules) == 95
    assert modules[:3] == "101" and modules[45:50] == "01010" and modules[-3:] == "101"
    assert modules[3:10] == "0111011"  # second digit 7, odd parity (first digit 9: LGGLGL)
    assert modules[10:17] == "0010001"  # third digit 7, even parity
    assert ean2_modules("08") == "1011" + "0001101" + "01" + "0110111"  # 8 mod 4 = 0: both odd


def _scan(pdf: Path, page: int, tmp_path: Path) -> set[str]:
    """The symbols zbarimg reads from one page rendered at 300 dpi, as a scanner at the till would see it."""
    require(bool(shutil.which("zbarimg") and shutil.which("pdftoppm")), "zbarimg (zbar-tools) and pdftoppm (poppler-utils)")
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", str(page), "-l", str(page), str(pdf), str(tmp_path / "page")], check=True)
    [image] = tmp_path.glob("page*.png")
    result = subprocess.run(["zbarimg", "--nodbus", "-q", "-Sean2.enable", str(image)], capture_output=True, text=True, check=False)
    return set(result.stdout.split())


def test_sample_back_cover_scans_as_the_issn_ean_with_issue_addon(sample_build: Built, tmp_path: Path) -> None:
    assert _scan(sample_build.pdf, sample_build.pages, tmp_path) == {"EAN-13:9772989303007", "EAN-2:08"}


def test_print_back_cover_scans_after_cmyk_conversion(all_profiles: Built, tmp_path: Path) -> None:
    made = next(o for o in all_profiles.outputs if o.profile.name == "print")
    assert _scan(all_profiles.pdf.parent / made.path, made.pages, tmp_path) == {"EAN-13:9772989303007", "EAN-2:03"}


def test_an_isbn_is_its_own_ean13_and_an_isbn10_gets_the_978_prefix() -> None:
    assert isbn_ean13("978-3-16-148410-0") == "9783161484100"
    assert isbn_ean13("ISBN 0-306-40615-2") == "9780306406157"  # 978 + 030640615 + a new check digit
    assert isbn_ean13("979-10-90636-07-1") == "9791090636071"
    assert isbn_ean13("2989-3038") == ""


@pytest.mark.slow
def test_report_back_cover_scans_as_its_isbn_and_says_it_everywhere(tmp_path: Path) -> None:
    import pikepdf

    root = tmp_path / "report"
    new_publication(root, "report", today=dt.date(2024, 6, 5))
    issue = root / "issue.yaml"
    text = issue.read_text(encoding="utf-8").replace("  # isbn:\n", "  isbn: 978-3-16-148410-0\n").replace("  # number:\n", "  number: Briefing 2024/2\n")
    issue.write_text(text.replace("  # address:\n", "  address: 1 Example Street, London\n"), encoding="utf-8")
    built = build(root, tmp_path / "out")
    assert built.diagnostics == ()
    assert _scan(built.pdf, built.pages, tmp_path) == {"EAN-13:9783161484100"}  # no add-on: a report is no issue
    with pikepdf.open(built.pdf) as pdf:
        meta = pdf.open_metadata()
        prism = "{http://prismstandard.org/namespaces/basic/2.0/}"
        assert meta["dc:identifier"] == "urn:isbn:9783161484100" and meta[prism + "isbn"] == "978-3-16-148410-0"
        assert prism + "number" not in meta and prism + "issn" not in meta
        assert str(pdf.docinfo.Subject) == (
            "First Author, Second Author, Name of the Author, Title of the Report: A subtitle that says what it is about "
            "(Briefing 2024/2, Name of the Organisation, June 2024). ISBN 978-3-16-148410-0."
        )

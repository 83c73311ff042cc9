"""brand: in trust.yaml and a school file: the logo and accent colour checked, located, and shown
in every format (the web page's header, the PDF's cover as a tagged Figure, the Word header)."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from policyc.errors import Problems
from policyc.source.brand import darker
from policyc.source.check import load_project
from policyc.text.colour import contrast
from tests.helpers import EXAMPLE, NS, POLICY, SCHOOL, TRUST, W, write_tree

LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
            '<rect width="40" height="40" fill="#125a4e"/></svg>')


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour, written by hand so the test needs no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x12\x5a\x4e" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def tree(tmp_path: Path, trust_brand: str = "", school_brand: str = "", files: dict = None) -> Path:
    root = write_tree(tmp_path / "src", {"trust.yaml": TRUST + trust_brand, "policies/social-media.yaml": POLICY,
                                         "schools/oak-primary.yaml": SCHOOL + school_brand})
    for name, data in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data.encode() if isinstance(data, str) else data)
    return root


def errors(run, root: Path) -> list[str]:
    result = run("validate", "--source", root)
    assert result.code == 1 and "Traceback" not in result.err
    return [line for line in result.err.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]


# --- checked at validate time -------------------------------------------------------------

def test_a_pale_accent_is_refused_with_its_ratio_and_a_darker_shade(run, tmp_path):
    root = tree(tmp_path, 'brand:\n  accent: "#8ab4f8"\n')
    found = errors(run, root)
    assert found == [f"{root}/trust.yaml:6:11: the accent colour #8ab4f8 has a contrast of 2.11:1 against white; "
                     "headings in it need 4.5:1 or more to be read"]
    assert contrast(darker("#8ab4f8")) >= 4.5 and darker("#8ab4f8") in run("validate", "--source", root).err


def test_every_brand_problem_is_reported_in_one_run(run, tmp_path):
    root = tree(tmp_path, 'brand:\n  accent: teal\n  logo: {file: ../outside.svg, alt: Test Trust}\n',
                'brand: {logo: {file: brand/none.png, alt: Oak}}\n',
                files={"../outside.svg": LOGO_SVG})
    found = errors(run, root)
    assert len(found) == 3, found
    assert found[0].startswith(f"{root}/schools/oak-primary.yaml:12:") and "no logo file 'brand/none.png'" in found[0]
    assert found[1] == f"{root}/trust.yaml:6:11: 'teal' is not a colour policyc can check"
    assert found[2] == f"{root}/trust.yaml:7:16: the logo '../outside.svg' is outside the source folder"


@pytest.mark.parametrize("name, data, says", [
    ("brand/logo.jpg", b"\xff\xd8\xff", "is not an SVG or PNG file"),
    ("brand/logo.png", b"GIF89a not a png", "is not a PNG image"),
    ("brand/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
                       "<image href='https://example.org/x.png'/></svg>", "links to a file, an image or a web address"),
    ("brand/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
                       "<rect style='fill: url(file:///etc/passwd)'/></svg>", "links to a file"),
    ("brand/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "holds a script"),
    ("brand/logo.svg", "<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg xmlns='http://www.w3.org/2000/svg'/>", "links to a file"),
    ("brand/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>", "gives no size"),
    ("brand/logo.svg", "<html><body/></html>", "is not an SVG image"),
    ("brand/logo.svg", "<svg", "is not a readable SVG file"),
])
def test_a_logo_that_is_not_a_plain_svg_or_png_is_refused(run, tmp_path, name, data, says):
    root = tree(tmp_path, f"brand:\n  logo: {{file: {name}, alt: Test Trust}}\n", files={name: data})
    found = errors(run, root)
    assert len(found) == 1 and found[0].startswith(f"{root}/trust.yaml:6:16: the logo '{name}' ") and says in found[0]


def test_a_logo_needs_its_text_alternative(run, tmp_path):
    root = tree(tmp_path, "brand:\n  logo: {file: brand/logo.svg}\n", files={"brand/logo.svg": LOGO_SVG})
    found = errors(run, root)
    assert len(found) == 1 and "alt" in found[0] and found[0].startswith(f"{root}/trust.yaml:6:")


def test_a_good_brand_is_read_with_the_logos_bytes_and_a_school_takes_its_own_over_the_trusts(tmp_path):
    logo = png(30, 10)
    root = tree(tmp_path, 'brand:\n  accent: "#125A4E"\n  logo: {file: brand/trust.png, alt: "  Test   Trust "}\n',
                'brand: {accent: "#5b2a86"}\n', files={"brand/trust.png": logo})
    problems = Problems()
    project = load_project(root, problems)
    assert not problems.errors
    brand = project.trust.brand
    assert brand.accent == "#125a4e"
    assert (brand.logo.data, brand.logo.media_type, brand.logo.alt) == (logo, "image/png", "Test Trust")
    assert (brand.logo.width, brand.logo.height) == (30, 10)
    school = project.schools[0].brand.over(brand)
    assert school.accent == "#5b2a86" and school.logo == brand.logo


# --- shown in every format ------------------------------------------------------------------

@pytest.mark.slow
def test_the_example_trusts_logo_is_in_its_web_pages_with_its_alt_text(example_output):
    page = (example_output / "hollin-bank-primary/social-media.html").read_text()
    img = re.search(r'<p class="brand-logo"><img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" '
                    r'alt="Skylark Ridge Learning Trust" width="\d+" height="56"></p>', page)
    assert img and page.index("brand-logo") < page.index('id="policy-title"')  # in the header, above the title
    assert "html:root { --accent: #125a4e; }" in page


@pytest.mark.slow
@pytest.mark.pdf
def test_the_pdf_cover_has_the_logo_as_a_figure_with_its_alt_text_and_every_page_after_it_at_its_head(example_output):
    import pdfplumber
    import pikepdf

    path = example_output / "hollin-bank-primary/social-media.pdf"
    with pikepdf.open(path) as pdf:
        figures = []

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt")))
                if "/K" in node:
                    walk(node.K)
        walk(pdf.Root.StructTreeRoot)
        assert figures == ["Skylark Ridge Learning Trust"]  # once: the running copies are artifacts
        drawn = [sum(1 for _, x in page.Resources.get("/XObject", {}).items()) for page in pdf.pages[:3]]
    assert all(n > 0 for n in drawn)  # the SVG drawn on the cover, and at the head of pages 2 and 3
    with pdfplumber.open(path) as pdf:
        words = [w["text"] for w in pdf.pages[0].extract_words()]
    # the logo (its name is text the SVG draws) above the school's name and the title
    assert words[:2] == ["Skylark", "Ridge"] and words.index("Hollin") < words.index("Staff")


@pytest.mark.slow
def test_the_word_header_has_the_logo_with_its_description(run, tmp_path):
    out = tmp_path / "out"
    assert run("--source", EXAMPLE, "--output", out, "--today", "2026-11-22", "-q", "--format", "docx",
               "--policy", "social-media").code == 0
    path = out / "hollin-bank-primary/social-media.docx"
    with zipfile.ZipFile(path) as z:
        header = next(n for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n))
        xml = z.read(header).decode()
        rels = z.read(header.replace("word/", "word/_rels/") + ".rels").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media and z.read(media[0]).startswith(b"\x89PNG")
    assert re.search(r'<wp:docPr id="\d+" name="Logo" descr="Skylark Ridge Learning Trust"', xml)
    assert "media/" in rels
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert re.search(r'w:styleId="Heading1".*?<w:color w:val="125A4E"/>', styles, re.S)  # the trust's accent


@pytest.mark.slow
@pytest.mark.pdf
def test_a_png_logo_is_an_image_in_every_format(run, tmp_path):
    import pdfplumber

    root = tree(tmp_path, "brand:\n  logo: {file: brand/logo.png, alt: Test Trust}\n",
                files={"brand/logo.png": png(90, 30)})
    out = tmp_path / "out"
    assert run("--source", root, "--output", out, "--today", "2026-11-22", "-q", "--format", "html,pdf,docx").code == 0
    assert 'alt="Test Trust"' in (out / "oak-primary/social-media.html").read_text()
    with pdfplumber.open(out / "oak-primary/social-media.pdf") as pdf:
        images = pdf.pages[0].images
        assert len(images) == 1 and images[0]["srcsize"] == (90, 30)
        assert images[0]["top"] < 120  # at the top of the cover
    with zipfile.ZipFile(out / "oak-primary/social-media.docx") as z:
        assert png(90, 30) in [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    body = zipfile.ZipFile(out / "oak-primary/social-media.docx").read("word/header1.xml").decode()
    assert 'descr="Test Trust"' in body and NS["w"] == W

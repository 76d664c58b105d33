
import pytest

from publisher.assemble import Mount
from publisher.fetcher import ProjectFetcher


@pytest.fixture
def fetcher(tmp_path):
    (tmp_path / "layouts" / "css").mkdir(parents=True)
    (tmp_path / "layouts" / "css" / "a.css").write_text("p{}", "utf-8")
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "x.svg").write_text("<svg/>", "utf-8")
    (tmp_path / "secret.txt").write_text("geheim", "utf-8")
    base = tmp_path / "build" / "html"
    mounts = (Mount("css", tmp_path / "layouts" / "css"), Mount("images", tmp_path / "content" / "images"))
    return ProjectFetcher(base, mounts), base


def test_serves_files_of_the_mounts(fetcher):
    fetch, base = fetcher
    response = fetch.fetch((base / "css" / "a.css").as_uri())
    assert response.read() == b"p{}" and response.content_type == "text/css"
    assert fetch.fetch((base / "images" / "x.svg").as_uri()).content_type == "image/svg+xml"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/x.png",
        "http://127.0.0.1/",
        "data:text/plain,hallo",
    ],
)
def test_refuses_everything_else(fetcher, url):
    fetch, _ = fetcher
    with pytest.raises((PermissionError, ValueError)):
        fetch.fetch(url)


def test_refuses_escapes_from_a_mount(fetcher):
    fetch, base = fetcher
    for url in (
        (base / "css" / ".." / ".." / ".." / "secret.txt").as_uri(),
        base.as_uri() + "/images/../../../secret.txt",
        (base / "elsewhere" / "secret.txt").as_uri(),
    ):
        with pytest.raises((PermissionError, FileNotFoundError)):
            fetch.fetch(url)
    assert len(fetch.refused) == 3


def test_missing_file_is_refused_and_recorded(fetcher):
    fetch, base = fetcher
    with pytest.raises(FileNotFoundError):
        fetch.fetch((base / "images" / "weg.svg").as_uri())
    assert fetch.refused == [("images/weg.svg", "file not found")]

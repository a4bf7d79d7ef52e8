"""The data layer: lookup order, hash verification, atomic downloads and clear errors."""
from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from pathlib import Path

import pytest

import d2lbook_utils as d2l
from d2lbook_utils import data

PAYLOAD = b"The Time Traveller (for so it will be convenient to speak of him)\n" * 200
SHA1 = hashlib.sha1(PAYLOAD).hexdigest()


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 (http.server API)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        if self.path.startswith("/truncated/"):
            # Promise the whole file, send half of it, then hang up.
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    """An HTTP server on the loopback interface that serves test files."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.files
    httpd.shutdown()


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """An empty data folder and cache folder, and a registry with one test dataset."""
    data_folder, cache = tmp_path / "data", tmp_path / "cache"
    data_folder.mkdir()
    monkeypatch.setenv("D2LBOOK_DATA", str(data_folder))
    monkeypatch.setenv("D2LBOOK_CACHE", str(cache))
    monkeypatch.setattr(data, "DATASETS", dict(data.DATASETS))
    return data_folder, cache


def register(name, path="book.txt", url="http://127.0.0.1:9/unreachable", sha1=SHA1, archive=None):
    data.DATASETS[name] = data.DataFile(path, sha1, url, archive)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_data_folder_is_used_first_and_never_written(dirs):
    data_folder, cache = dirs
    register("book")
    (data_folder / "book.txt").write_bytes(PAYLOAD)
    assert d2l.fetch("book") == data_folder / "book.txt"
    assert leftovers(cache) == []


def test_cache_is_used_when_data_folder_lacks_the_file(dirs):
    _, cache = dirs
    register("book")
    cache.mkdir()
    (cache / "book.txt").write_bytes(PAYLOAD)
    assert d2l.fetch("book") == cache / "book.txt"


def test_download_verifies_and_renames_atomically(dirs, server):
    _, cache = dirs
    base, files = server
    files["/book.txt"] = PAYLOAD
    register("book", url=base + "/book.txt")
    path = d2l.fetch("book")
    assert path == cache / "book.txt" and path.read_bytes() == PAYLOAD
    assert leftovers(cache) == ["book.txt"]  # no .part file left behind


def test_corrupt_cached_file_is_removed_and_fetched_again(dirs, server):
    _, cache = dirs
    base, files = server
    files["/book.txt"] = PAYLOAD
    register("book", url=base + "/book.txt")
    cache.mkdir()
    (cache / "book.txt").write_bytes(PAYLOAD[:-10] + b"corrupted!")
    path = d2l.fetch("book")
    assert data.sha1_of(path) == SHA1


def test_corrupt_file_in_data_folder_is_never_used(dirs):
    data_folder, _ = dirs
    register("book")
    (data_folder / "book.txt").write_bytes(b"not the book")
    with pytest.raises(d2l.DataNotFoundError, match="哈希不符"):
        d2l.fetch("book")
    assert (data_folder / "book.txt").read_bytes() == b"not the book"  # the user's folder is left alone


def test_truncated_download_leaves_nothing(dirs, server):
    _, cache = dirs
    base, files = server
    files["/truncated/book.txt"] = PAYLOAD
    register("book", url=base + "/truncated/book.txt")
    with pytest.raises((d2l.DataNotFoundError, d2l.HashMismatchError)):
        d2l.fetch("book")
    assert leftovers(cache) == []


def test_download_with_wrong_content_is_rejected(dirs, server):
    _, cache = dirs
    base, files = server
    files["/other.txt"] = b"a different file"
    register("book", url=base + "/other.txt")
    with pytest.raises(d2l.HashMismatchError, match="SHA-1"):
        d2l.fetch("book")
    assert leftovers(cache) == []


def test_missing_offline_names_file_places_and_remedy(dirs):
    data_folder, cache = dirs
    register("book")  # its URL points at a closed port: the same as being offline
    with pytest.raises(d2l.DataNotFoundError) as info:
        d2l.fetch("book")
    message = str(info.value)
    assert "book.txt" in message
    assert str(data_folder / "book.txt") in message and str(cache / "book.txt") in message
    assert "D2LBOOK_DATA" in message and "下载" in message
    assert isinstance(info.value, FileNotFoundError)
    assert leftovers(cache) == []


def _zip(path: Path, member: str, payload: bytes) -> str:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, payload)
    return data.sha1_of(path)


def test_archive_with_any_known_hash_is_extracted_and_checked(dirs):
    data_folder, cache = dirs
    archive_sha1 = _zip(data_folder / "pairs.zip", "pairs/fra.txt", PAYLOAD)
    register("pairs", path="pairs/fra.txt", url=None,
             archive=data.Archive("pairs.zip", "http://127.0.0.1:9/pairs.zip", ("0" * 40, archive_sha1), "pairs/fra.txt"))
    path = d2l.fetch("pairs")
    assert path == cache / "pairs" / "fra.txt" and path.read_bytes() == PAYLOAD


def test_archive_with_unknown_hash_is_refused(dirs):
    data_folder, cache = dirs
    _zip(data_folder / "pairs.zip", "pairs/fra.txt", PAYLOAD)
    register("pairs", path="pairs/fra.txt", url=None,
             archive=data.Archive("pairs.zip", "http://127.0.0.1:9/pairs.zip", ("0" * 40,), "pairs/fra.txt"))
    with pytest.raises(d2l.DataNotFoundError, match="pairs.zip（哈希不符"):
        d2l.fetch("pairs")
    assert leftovers(cache) == []


def test_archive_whose_member_differs_is_refused(dirs):
    data_folder, cache = dirs
    archive_sha1 = _zip(data_folder / "pairs.zip", "pairs/fra.txt", b"other sentences")
    register("pairs", path="pairs/fra.txt", url=None,
             archive=data.Archive("pairs.zip", "http://127.0.0.1:9/pairs.zip", (archive_sha1,), "pairs/fra.txt"))
    with pytest.raises(d2l.HashMismatchError, match="哈希不符"):
        d2l.fetch("pairs")
    assert leftovers(cache) == []


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(ValueError, match="未知的数据集 'mnist'.*time_machine"):
        d2l.fetch("mnist")


@pytest.mark.parametrize("bad", [None, 3, Path("time_machine")])
def test_dataset_name_must_be_a_string(bad):
    with pytest.raises(TypeError, match="name 必须是字符串"):
        d2l.fetch(bad)


def test_registry_hashes_match_the_verified_offline_copies():
    """Every registered file (or its archive) is found and verified in D2LBOOK_DATA when it is set."""
    folder = d2l.data_dir()
    if folder is None:
        pytest.skip("D2LBOOK_DATA is not set")
    for name, entry in d2l.DATASETS.items():
        candidates = [folder / entry.path] + ([folder / entry.archive.path] if entry.archive else [])
        hashes = [entry.sha1] + (list(entry.archive.sha1s) if entry.archive else [])
        present = [p for p in candidates if p.is_file()]
        assert present, f"{name}: none of {candidates} exists"
        assert all(data.sha1_of(p) in hashes for p in present), name


def test_fra_eng_archive_alone_yields_the_verified_text(tmp_path, monkeypatch):
    """Offline with only the rebuilt archive (as on machines without the extracted folder)."""
    folder = d2l.data_dir()
    if folder is None or not (folder / "fra-eng.zip").is_file():
        pytest.skip("D2LBOOK_DATA with fra-eng.zip is not available")
    only_zip = tmp_path / "data"
    only_zip.mkdir()
    (only_zip / "fra-eng.zip").symlink_to(folder / "fra-eng.zip")
    monkeypatch.setenv("D2LBOOK_DATA", str(only_zip))
    monkeypatch.setenv("D2LBOOK_CACHE", str(tmp_path / "cache"))
    path = d2l.fetch("fra_eng")
    assert path == tmp_path / "cache" / "fra-eng" / "fra.txt"
    assert data.sha1_of(path) == d2l.DATASETS["fra_eng"].sha1

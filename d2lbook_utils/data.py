"""数据层：书中所有数据集的登记表，以及带哈希校验的查找与下载（《数据预处理》一节介绍）。

查找顺序：环境变量 D2LBOOK_DATA 指向的文件夹 → 缓存文件夹 → 从登记的网址下载。
缓存文件夹默认是 ~/.cache/d2lbook，可用环境变量 D2LBOOK_CACHE 改变。
下载先写入临时文件，边下边算 SHA-1，校验通过后才原子地改名为正式文件；
哈希不符的文件一律不用。导入本模块不会下载任何东西。
"""
from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DATASETS", "DataNotFoundError", "HashMismatchError", "cache_dir", "data_dir", "fetch"]

DATA_ENV = "D2LBOOK_DATA"
CACHE_ENV = "D2LBOOK_CACHE"
D2L_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"
FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
DOWNLOAD_TIMEOUT_S = 60


class DataNotFoundError(FileNotFoundError):
    """本地没有可用的数据文件，下载也没有成功。见《数据预处理》。"""


class HashMismatchError(ValueError):
    """得到的文件内容与登记的哈希不符（文件损坏、下载不完整或版本不对）。见《数据预处理》。"""


@dataclass(frozen=True)
class Archive:
    """某个数据文件通常装在 zip 压缩包里发布。

    `sha1s` 列出内容相同、逐字节校验过的压缩包哈希（例如 d2l 的原包与重新打包的本地副本）；
    解压出的文件还要再对登记的文件哈希校验一次，所以接受多个包哈希并不放松对内容的校验。
    """

    path: str
    url: str
    sha1s: tuple[str, ...]
    member: str


@dataclass(frozen=True)
class DataFile:
    """登记表中的一个文件：在数据文件夹里的相对路径、SHA-1 和下载方式。"""

    path: str
    sha1: str
    url: str | None = None
    archive: Archive | None = None


DATASETS: dict[str, DataFile] = {
    "time_machine": DataFile("timemachine.txt", "090b5e7e70c295757f55df93cb0a180b9691891a",
                             D2L_URL + "timemachine.txt"),
    "kaggle_house_train": DataFile("kaggle_house_pred_train.csv", "585e9cc93e70b39160e7921475f9bcd7d31219ce",
                                   D2L_URL + "kaggle_house_pred_train.csv"),
    "kaggle_house_test": DataFile("kaggle_house_pred_test.csv", "fa19780a7b011d9b009e8bff8e99922a8ee2eb90",
                                  D2L_URL + "kaggle_house_pred_test.csv"),
    "fashion_mnist/train-images": DataFile("fashion-mnist/train-images-idx3-ubyte.gz",
                                           "95978b76b6897f6ca69a25145d01716efb615989",
                                           FASHION_URL + "train-images-idx3-ubyte.gz"),
    "fashion_mnist/train-labels": DataFile("fashion-mnist/train-labels-idx1-ubyte.gz",
                                           "09814cfef5a041118ceace42f8dae995319d331a",
                                           FASHION_URL + "train-labels-idx1-ubyte.gz"),
    "fashion_mnist/test-images": DataFile("fashion-mnist/t10k-images-idx3-ubyte.gz",
                                          "5edda96c6d8c36ff915115a0e8136d370a021576",
                                          FASHION_URL + "t10k-images-idx3-ubyte.gz"),
    "fashion_mnist/test-labels": DataFile("fashion-mnist/t10k-labels-idx1-ubyte.gz",
                                          "9caad14e1aff9adac77d3744963212d36af15bee",
                                          FASHION_URL + "t10k-labels-idx1-ubyte.gz"),
    # d2l's archive and the byte-verified rebuild used offline hold the same fra.txt (checked below).
    "fra_eng": DataFile("fra-eng/fra.txt", "c43f99dce27311d3afd4d3e0716848194cfcc103",
                        archive=Archive("fra-eng.zip", D2L_URL + "fra-eng.zip",
                                        ("94646ad1522d915e7b0f9296181140edcf86a4f5",
                                         "fec31f866822e6776438800ae38a9ffe23806285"),
                                        "fra-eng/fra.txt")),
}


def data_dir() -> Path | None:
    """环境变量 D2LBOOK_DATA 指向的只读数据文件夹；未设置时为 None。见《数据预处理》。"""
    value = os.environ.get(DATA_ENV)
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """可写的缓存文件夹：D2LBOOK_CACHE，否则 $XDG_CACHE_HOME/d2lbook，否则 ~/.cache/d2lbook。见《数据预处理》。"""
    value = os.environ.get(CACHE_ENV)
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "d2lbook"


def sha1_of(path: Path) -> str:
    """文件的 SHA-1（分块读取，大文件也不占内存）。"""
    digest = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(name: str) -> DataFile:
    if not isinstance(name, str):
        raise TypeError(f"name 必须是字符串（数据集名），收到 {type(name).__name__} 类型的 {name!r}")
    if name not in DATASETS:
        raise ValueError(f"未知的数据集 {name!r}；可用的有：{'、'.join(sorted(DATASETS))}")
    return DATASETS[name]


def fetch(name: str) -> Path:
    """返回数据集文件的本地路径，必要时下载；返回的文件一定通过了哈希校验。见《数据预处理》。

    `name` 是 `DATASETS` 的键，例如 'time_machine'、'fashion_mnist/train-images'、'fra_eng'。
    找不到又下载不了时抛出 DataNotFoundError，说明找过哪里、怎样提供文件。
    """
    entry = _entry(name)
    cache = cache_dir()
    roots = [r for r in (data_dir(), cache) if r is not None]
    looked: list[str] = []

    def usable(path: Path, hashes: tuple[str, ...]) -> bool:
        if not path.is_file():
            looked.append(f"{path}（不存在）")
            return False
        if sha1_of(path) in hashes:
            return True
        looked.append(f"{path}（哈希不符，未使用）")
        if path.is_relative_to(cache):
            path.unlink()  # a corrupt cached copy is removed so the next attempt starts clean
        return False

    for root in roots:
        if usable(root / entry.path, (entry.sha1,)):
            return root / entry.path
    if entry.archive is not None:
        for root in roots:
            if usable(root / entry.archive.path, entry.archive.sha1s):
                return _extract(entry, root / entry.archive.path, cache)

    url, target, hashes = ((entry.archive.url, cache / entry.archive.path, entry.archive.sha1s)
                           if entry.archive is not None else (entry.url, cache / entry.path, (entry.sha1,)))
    try:
        download(url, target, hashes)
    except (OSError, http.client.HTTPException) as err:
        raise DataNotFoundError(_not_found_message(name, entry, looked, url, err)) from None
    return _extract(entry, target, cache) if entry.archive is not None else target


def download(url: str, target: Path, sha1s: tuple[str, ...]) -> Path:
    """把 `url` 下载到 `target`，显示进度条；SHA-1 属于 `sha1s` 才保存。见《数据预处理》。

    失败（断网、下载不完整、哈希不符）时不留下任何文件。
    """
    from tqdm.auto import tqdm

    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=f"下载 {Path(target).name}") as bar:
            chunks = (bar.update(len(chunk)) or chunk for chunk in iter(lambda: response.read(1 << 16), b""))
            return _write_verified(chunks, Path(target), sha1s, f"从 {url} 下载的文件")


def _extract(entry: DataFile, archive_path: Path, cache: Path) -> Path:
    """从已校验的压缩包中取出 `entry` 对应的文件到缓存，并对文件本身的哈希再校验一次。"""
    assert entry.archive is not None
    target = cache / entry.path
    if target.is_file() and sha1_of(target) == entry.sha1:
        return target
    with zipfile.ZipFile(archive_path) as zf:
        if entry.archive.member not in zf.namelist():
            raise HashMismatchError(f"压缩包 {archive_path} 中没有 {entry.archive.member}")
        with zf.open(entry.archive.member) as member:
            chunks = iter(lambda: member.read(1 << 20), b"")
            return _write_verified(chunks, target, (entry.sha1,),
                                   f"从 {archive_path} 解压出的 {entry.archive.member}")


def _write_verified(chunks, target: Path, sha1s: tuple[str, ...], what: str) -> Path:
    """把 `chunks` 写入 `target` 旁的临时文件并计算 SHA-1；哈希正确才原子地改名为 `target`，否则不留痕迹。"""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha1()
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
        if digest.hexdigest() not in sha1s:
            raise HashMismatchError(
                f"{what}哈希不符：SHA-1 为 {digest.hexdigest()}，应为 {' 或 '.join(sha1s)}；"
                "文件可能不完整或已被改动，已丢弃。请重试，或手动下载并核对哈希。")
        os.replace(tmp, target)
        return target
    finally:
        tmp.unlink(missing_ok=True)


def _not_found_message(name: str, entry: DataFile, looked: list[str], url: str, err: BaseException) -> str:
    where = "\n".join(f"  - {line}" for line in looked)
    hint_dir = data_dir() or cache_dir()
    file_name = entry.archive.path if entry.archive is not None else entry.path
    return (
        f"找不到数据集 {name!r} 的文件 {entry.path}。\n"
        f"查找过：\n{where}\n"
        f"从 {url} 下载失败：{err}\n"
        f"解决办法：联网后重试；或手动下载 {url}，保存为 {hint_dir / file_name}；"
        f"或把环境变量 {DATA_ENV} 指向已有这些数据文件的文件夹。"
    )

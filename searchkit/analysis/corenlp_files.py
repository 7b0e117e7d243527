"""Where Stanford CoreNLP's tagger lives on this machine, and fetching it from Maven Central.

CoreNLP (GPL-3.0-or-later, Stanford NLP Group) is never shipped with searchkit: `fetch_corenlp`
downloads its jar and the models jar from Maven Central, checks both against Maven's SHA-1
files, keeps the jar and the one NER model searchkit uses, and drops the rest (the models jar
is 474 MB; the kept files about 41 MB). The folder is $SEARCHKIT_CORENLP_HOME, else
~/.cache/searchkit/corenlp-VERSION. A mirror of Maven Central can be named with
$SEARCHKIT_MAVEN_REPO.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import SearchkitError

VERSION = "4.5.10"
MODEL = "english.all.3class.distsim.crf.ser.gz"
MODEL_IN_JAR = f"edu/stanford/nlp/models/ner/{MODEL}"
MAVEN = "https://repo1.maven.org/maven2"
ENV_HOME = "SEARCHKIT_CORENLP_HOME"
ENV_REPO = "SEARCHKIT_MAVEN_REPO"
FETCH_COMMAND = "searchkit fetch-corenlp"


class CoreNLPError(SearchkitError):
    """CoreNLP's tagger is missing, cannot start, or stopped answering."""

    hint = f"fetch it with: {FETCH_COMMAND} (needs Java 11+ with its compiler, a JDK)"


@dataclass(frozen=True)
class CoreNLPFiles:
    jar: Path
    model: Path


def corenlp_home() -> Path:
    """The folder that holds (or will hold) CoreNLP's jar and model."""
    given = os.environ.get(ENV_HOME, "").strip()
    if given:
        return Path(given).expanduser()
    return Path.home() / ".cache" / "searchkit" / f"corenlp-{VERSION}"


def corenlp_files(home: Path | None = None) -> CoreNLPFiles:
    """The fetched files, or CoreNLPError saying how to fetch them."""
    home = corenlp_home() if home is None else Path(home)
    files = CoreNLPFiles(home / f"stanford-corenlp-{VERSION}.jar", home / MODEL)
    missing = [path.name for path in (files.jar, files.model) if not path.is_file()]
    if missing:
        raise CoreNLPError(f"CoreNLP's tagger is not in {home} (missing {', '.join(missing)})")
    return files


def fetch_corenlp(home: Path | None = None,
                  progress: Callable[[str], None] | None = None) -> CoreNLPFiles:
    """Download what corenlp_files needs into `home` (default corenlp_home()); files already
    there are kept. `progress` is told what is being fetched."""
    home = corenlp_home() if home is None else Path(home)
    home.mkdir(parents=True, exist_ok=True)
    base = f"{os.environ.get(ENV_REPO, MAVEN).rstrip('/')}/edu/stanford/nlp/stanford-corenlp/{VERSION}"
    jar = home / f"stanford-corenlp-{VERSION}.jar"
    if not jar.is_file():
        _download(f"{base}/stanford-corenlp-{VERSION}.jar", jar, progress)
    if not (home / MODEL).is_file():
        with tempfile.TemporaryDirectory(dir=home) as scratch:
            models = Path(scratch) / "models.jar"
            _download(f"{base}/stanford-corenlp-{VERSION}-models.jar", models, progress)
            _extract(models, MODEL_IN_JAR, home / MODEL)
    return corenlp_files(home)


def _download(url: str, dest: Path, progress: Callable[[str], None] | None) -> None:
    """url into dest, checked against url.sha1; dest appears only when complete and right."""
    if progress:
        progress(f"fetching {url}")
    part = dest.with_name(dest.name + ".part")
    digest = hashlib.sha1()
    try:
        expected = _read(url + ".sha1").decode("ascii", "replace").split()[0].lower()
        with urllib.request.urlopen(url, timeout=60) as answer, open(part, "wb") as out:
            while chunk := answer.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except (OSError, urllib.error.URLError, IndexError) as exc:
        part.unlink(missing_ok=True)
        raise CoreNLPError(f"could not fetch {url}: {exc}",
                           hint=f"check the network, or set {ENV_REPO} to a Maven mirror") from None
    if digest.hexdigest() != expected:
        part.unlink(missing_ok=True)
        raise CoreNLPError(f"{url} does not match its SHA-1 ({digest.hexdigest()} != {expected})",
                           hint="fetch it again; if it persists, the mirror serves a damaged file")
    part.rename(dest)


def _read(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read()


def _extract(archive: Path, member: str, dest: Path) -> None:
    part = dest.with_name(dest.name + ".part")
    try:
        with zipfile.ZipFile(archive) as jar, jar.open(member) as source, open(part, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    except (KeyError, zipfile.BadZipFile) as exc:
        part.unlink(missing_ok=True)
        raise CoreNLPError(f"{archive.name} has no {member}: {exc}") from None
    part.rename(dest)

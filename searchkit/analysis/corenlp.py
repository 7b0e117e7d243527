"""The rules checked by a trained tagger: Stanford CoreNLP's CRF named-entity model.

`CheckedExtractor` (`SEARCHKIT_EXTRACTOR=corenlp`) runs the rule-based extractor, then reads
each organisation the gazetteers and the alias file do not know against CoreNLP's tagger: it is
dropped when the tagger marks no name on any of its mentions, takes the tagger's name when that
holds the mention, and becomes the tagger's organisations when the mention runs several names
together. A person is dropped when no mention is tagged as a name or every tagged mention is
an organisation. Places and known organisations are never touched, and an article with no
person and no unknown organisation never reaches the tagger. How the tagger's names are read
against the rules' is in corenlp_spans; the tagger runs in a Java process of its own
(`NerTagger`), started on first use in each process and stopped at exit; its files are fetched
once with `searchkit fetch-corenlp` (corenlp_files). See docs/entities.md.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import threading
from collections import deque
from pathlib import Path

from ..models import Entity
from .aliases import Aliases
from .corenlp_files import CoreNLPError, CoreNLPFiles, corenlp_files
from .corenlp_spans import Span, person_confirmed, repaired
from .gazetteer import load_gazetteer, normalise_key
from .org_check import unknown_org

BRIDGE = Path(__file__).with_name("java") / "SearchkitNer.java"
ENV_HEAP = "SEARCHKIT_CORENLP_HEAP"
LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # one document = one line
# The model learnt from straight quotes: "Council’s" is read as no name, "Council's" as one.
# Each is one code point for one, so the offsets stay the text's.
STRAIGHT_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

class NerTagger:
    """CoreNLP's CRF tagger in a Java process of its own, one document at a time."""

    def __init__(self, files: CoreNLPFiles | None = None, java: str | None = None) -> None:
        self.files = files
        self.java = java
        self._process: subprocess.Popen | None = None
        self._owner = 0  # the pid that started the process: a forked child starts its own
        self._errors: deque[str] = deque(maxlen=20)
        self._lock = threading.Lock()
        self._at_exit = False

    def tag(self, text: str) -> list[Span]:
        """The names the model finds in `text`, with their offsets in it."""
        line = LINE_BREAKS.sub(" ", text).translate(STRAIGHT_QUOTES)  # same length: the text's offsets
        with self._lock:
            process = self._running()
            try:
                process.stdin.write(line + "\n")
                process.stdin.flush()
                answer = process.stdout.readline()
            except (BrokenPipeError, OSError):
                answer = ""
            if not answer.endswith("\n"):
                self._stop()
                raise CoreNLPError(f"CoreNLP's tagger stopped: {self._stderr_tail()}",
                                   hint=f"give it more memory with {ENV_HEAP} (now {_heap()})")
        spans = []
        for item in answer.rstrip("\n").split("\t"):
            if item:
                label, start, end = item.split(" ")
                spans.append((label, int(start), int(end)))
        return spans

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen:
        if self._process is not None and self._owner == os.getpid() and self._process.poll() is None:
            return self._process
        self._process = None  # inherited from a parent, or exited: never shared
        files = self.files or corenlp_files()
        java = self.java or _java()
        command = [java, f"-Xmx{_heap()}", "-cp", str(files.jar), str(BRIDGE), str(files.model)]
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, encoding="utf-8")
        except OSError as exc:
            raise CoreNLPError(f"cannot run {java}: {exc}") from None
        threading.Thread(target=self._drain, args=(process,), daemon=True).start()
        if process.stdout.readline().strip() != "ready":
            process.wait()
            raise CoreNLPError(f"CoreNLP's tagger did not start: {self._stderr_tail()}")
        self._process, self._owner = process, os.getpid()
        if not self._at_exit:
            atexit.register(self.close)
            self._at_exit = True
        return process

    def _drain(self, process: subprocess.Popen) -> None:
        for line in process.stderr:  # the model's loading messages, and errors: the last kept
            self._errors.append(line.strip())

    def _stderr_tail(self) -> str:
        lines = [line for line in self._errors if line]
        return " / ".join(lines[-3:]) or "no message"

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None or self._owner != os.getpid():
            return
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _heap() -> str:
    return os.environ.get(ENV_HEAP, "").strip() or "1g"


def _java() -> str:
    home = os.environ.get("JAVA_HOME", "").strip()
    candidate = Path(home) / "bin" / "java" if home else None
    if candidate is not None and candidate.is_file():
        return str(candidate)
    found = shutil.which("java")
    if not found:
        raise CoreNLPError("Java is not installed: CoreNLP's tagger runs on Java 11 or newer",
                           hint="install a JDK (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME")
    return found


class CheckedExtractor:
    """The rule-based extractor, its people and unknown organisations checked by CoreNLP's tagger."""

    reads_aliases = True  # extract_entities passes the alias file to extract()

    def __init__(self, aliases: Aliases | None = None, tagger: NerTagger | None = None) -> None:
        self.aliases = aliases
        self.tagger = tagger or NerTagger()

    def check(self) -> None:
        """Raise CoreNLPError now, before any article, when the tagger cannot run."""
        self.tagger.tag("")

    def close(self) -> None:
        """Stop the tagger's Java process (a later extract starts it again)."""
        self.tagger.close()

    def extract(self, text: str, dateline: str | None = None,
                aliases: Aliases | None = None) -> list[Entity]:
        from .entities import extract_with_rules

        aliases = aliases if aliases is not None else self.aliases
        entities = extract_with_rules(text, dateline, aliases, check_orgs=False)  # the tagger checks them
        known = load_gazetteer().known
        unknown = {e for e in entities if unknown_org(e, aliases)
                   or (e.kind == "person" and not (aliases and aliases.rule_for(e.name)))}
        if not unknown:
            return entities
        spans = self.tagger.tag(text)
        out: list[Entity] = []
        seen: set[tuple[str, str]] = set()
        for entity in entities:
            if entity not in unknown:
                found = [(entity.name, entity.kind)]
            elif entity.kind == "person":
                found = [(entity.name, "person")] if person_confirmed(entity.name, text, spans) else []
            else:
                found = [known(name) or (name, "org") for name in repaired(entity.name, text, spans)]
            for name, kind in found:
                key = (normalise_key(name), kind)
                if key not in seen:
                    seen.add(key)
                    out.append(Entity(name, kind))
        return out

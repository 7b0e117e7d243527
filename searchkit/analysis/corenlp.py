"""The rules checked by a trained tagger: Stanford CoreNLP's CRF named-entity model.

`CheckedExtractor` (`SEARCHKIT_EXTRACTOR=corenlp`) runs the rule-based extractor, then reads
each organisation the gazetteers and the alias file do not know against CoreNLP's tagger: it is
dropped when the tagger marks no name on any of its mentions, takes the tagger's name when that
holds the mention, and becomes the tagger's organisations when the mention runs several names
together (see `repaired`). A person is dropped when no mention is tagged as a name or every
tagged mention is an organisation (`person_confirmed`). Places and known organisations are
never touched. An article whose
organisations are all known never reaches the tagger. The tagger runs in a Java process of its
own (`NerTagger`), started on first use in each process and stopped at exit; its files are
fetched once with `searchkit fetch-corenlp` (see corenlp_files). See docs/entities.md.
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
from .gazetteer import load_gazetteer, normalise_key

BRIDGE = Path(__file__).with_name("java") / "SearchkitNer.java"
ENV_HEAP = "SEARCHKIT_CORENLP_HEAP"
LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # one document = one line

Span = tuple[str, int, int]  # (PERSON | ORGANIZATION | LOCATION, start, end), code points


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
        line = LINE_BREAKS.sub(" ", text)  # same length: the offsets stay the text's
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


def mentions(name: str, text: str) -> list[tuple[int, int]]:
    """Where `name` is written out in `text`, as a whole name."""
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]


def repaired(name: str, text: str, spans: list[Span]) -> list[str]:
    """What an unknown organisation's name becomes once the tagger has read the text.

    Each mention of the name is read against the tagged names it overlaps:
    - tagged as it is (or as part of a name it does not fit inside): the name stands;
    - inside a longer tagged organisation ("Medical Center" in "Aurora St. Luke's Medical
      Center"): that organisation's name, unless the longer name only adds an owner
      ("Tsvangirai's Movement for Democratic Change");
    - running several tagged names together ("Arab Times Bishara", "British Steel, Dorman
      Long"): the organisations among them.
    A name that one mention gives as it is stands; otherwise the run-together mentions' names
    win over the longer ones; with no tagged mention at all the name is dropped ([]), unless
    a mention and a tagged organisation define each other in brackets ("Fédération
    Internationale des Échecs (FIDE)"). A name not written out in the text (a canonical
    form) stands."""
    found = mentions(name, text)
    if not found:
        return [name]
    longer: list[str] = []
    parts: list[str] | None = None
    tagged = False
    for start, end in found:
        inside = [s for s in spans if start < s[2] and s[1] < end]
        if not inside:
            continue
        tagged = True
        if len(inside) == 1:
            label, first, last = inside[0]
            if label == "ORGANIZATION" and first <= start and end <= last and (first, last) != (start, end):
                whole = span_name(text, first, last)
                if (_is_name(whole) and not _lists(whole)
                        and not _adds_owner_or_title(text[first:start], text[end:last])):
                    longer.append(whole)
                    continue
            return [name]
        if parts is None and all(start <= s[1] and s[2] <= end for s in inside) and _run_together(text, inside):
            parts = [span_name(text, s[1], s[2]) for s in inside if s[0] == "ORGANIZATION"]
            continue
        return [name]
    if not tagged:
        return [name] if any(_defined(text, start, end, spans) for start, end in found) else []
    names = parts if parts is not None else longer
    return [n for n in dict.fromkeys(names) if _is_name(n)]


POSSESSIVE = re.compile(r"(\S+?) ?['’](s?)(?=\s)")  # "Tsvangirai's", "Kingdom 's", "Times'"
ODD = re.compile(r"[()\[\]{}|*=<>;:\n]")  # markup, not a name
CONNECTORS = frozenset("and & of the for de du des la le und in on at".split())


def _adds_owner_or_title(before: str, after: str) -> bool:
    """Whether the words a longer name adds are an owner or a person's title, not the
    organisation's own: an owner or any title before it ("Buffalo 's Planning Board",
    "President of Group Support Services"), a title right after it ("Foreign Ministry
    Spokesman Hamid"; "Department of Justice" is the department's own)."""
    titles = load_gazetteer().words["titles"]
    following = after.split()[:1]
    return (_owner(before) or any(word.strip(".,") in titles for word in before.split())
            or any(word.strip(".,") in titles for word in following))


def _owner(before: str) -> bool:
    """Whether the words before a name end in an owner's possessive: "Tsvangirai's", not one
    that names use ("Children's", "St. Luke's")."""
    inside = load_gazetteer().words["name_possessives"]
    for match in POSSESSIVE.finditer(before):
        word = match.group(1) + "'" + match.group(2)
        preceding = before[:match.start()].split()[-1:]
        if word not in inside and word.replace("'", "’") not in inside and preceding not in (["St."], ["St"]):
            return True
    return False


def _lists(name: str) -> bool:
    """Whether a name holds a comma that lists names ("Communist Party of Jordan, Party of
    Democratic Socialism"), not one before a company's suffix ("Adscape Media, Inc")."""
    return any(match.group(1).replace(".", "") not in COMPANY_SUFFIXES
               for match in re.finditer(r",\s*([^\s,]*)", name))


COMPANY_SUFFIXES = frozenset("Inc Ltd LLC Co Corp plc PLC SA AG NV LP Limited GmbH Pty".split())


def person_confirmed(name: str, text: str, spans: list[Span]) -> bool:
    """Whether a person the rules found stands once the tagger has read the text: not when no
    mention of the name is tagged as a name ("Exchequer", "Bradley Fighting Vehicle"), nor when
    every tagged mention is an organisation ("Al Jazeera", "Ryanair"; it is not made one: such
    names are often a longer organisation's fragment, "Globe", "Council"). A name not written
    out in the text stands."""
    found = mentions(name, text)
    if not found:
        return True
    labels = {label for start, end in found for label, first, last in spans if start < last and first < end}
    return bool(labels) and labels != {"ORGANIZATION"}


def _defined(text: str, start: int, end: int, spans: list[Span]) -> bool:
    """Whether the mention at start:end and a tagged organisation define each other in
    brackets: "People's Mujahedin of Iran (MEK)", "the ACLU (American Civil Liberties Union)"."""
    if text[start - 1:start] == "(" and text[end:end + 1] == ")":
        before = text[:start - 1].rstrip()
        return any(label == "ORGANIZATION" and last == len(before) for label, _, last in spans)
    after = text[end:]
    opening = len(after) - len(after.lstrip())
    if after[opening:opening + 1] == "(":
        first = end + opening + 1
        return any(label == "ORGANIZATION" and begin == first and text[last:last + 1] == ")"
                   for label, begin, last in spans)
    return False


def _run_together(text: str, inside: list[Span]) -> bool:
    """Whether tagged names inside one mention are several names, not one name's parts: a
    person among them, or a mark between two of them (a comma, a full stop); words that join
    one name's parts ("Ministry of Culture and Islamic Guidance") do not count."""
    if any(label == "PERSON" for label, _, _ in inside):
        return True
    for a, b in zip(inside, inside[1:]):
        gap = text[a[2]:b[1]]
        if gap.strip() and not all(word.lower() in CONNECTORS for word in gap.split()):
            return True
    return False


def span_name(text: str, start: int, end: int) -> str:
    """A tagged span as a name: spaces single, no leading "The", no full stop after an
    abbreviation ("Apple Inc." -> "Apple Inc", as the rules write it)."""
    name = " ".join(text[start:end].split())
    if name.startswith(("The ", "the ")) and len(name) > 4:
        name = name[4:]
    if name.endswith(".") and "." not in name.rsplit(" ", 1)[-1][:-1]:
        name = name[:-1]
    return name


def _is_name(name: str) -> bool:
    return len(name) > 1 and (name[0].isupper() or name[0].isdigit()) and not ODD.search(name)


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
        entities = extract_with_rules(text, dateline, aliases)
        known = load_gazetteer().known
        unknown = {e for e in entities if e.kind in ("org", "person") and not (aliases and aliases.rule_for(e.name))
                   and (e.kind == "person" or known(e.name) is None)}
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

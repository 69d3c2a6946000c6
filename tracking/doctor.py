"""`driftrec doctor`: the event log, the profile versions and Chroma checked against each other.

The event log is the source of truth. Every profile version's Chroma write goes through the outbox
(:meth:`tracking.events.EventLog.enqueue`), so the usual gap between them is a pending write that
the next command applies; the doctor finds what is left after crashes, a Chroma store restored
from an old backup, or writes made by an older driftrec, and repairs it from the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from retrieval.store import BUILDING_SUFFIX, collection_name, open_client
from tracking.service import Tracker, chroma_record


@dataclass
class Finding:
    """One problem: what is wrong, how many records, and whether ``--repair`` can fix it."""

    check: str
    problem: str
    count: int
    repairable: bool
    fix: str
    items: list[str] = field(default_factory=list, repr=False)


@dataclass
class DoctorReport:
    findings: list[Finding]
    checked: dict[str, int]
    repaired: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.findings


def examine(tracker: Tracker) -> DoctorReport:
    """Every check, nothing changed."""
    log = tracker.log
    findings: list[Finding] = []
    integrity = log.integrity_check()
    if integrity != ["ok"]:
        findings.append(Finding("event log", f"SQLite integrity check: {'; '.join(integrity[:3])}", len(integrity),
                                False, "restore events.sqlite from a backup"))
    users = set(log.users())
    latest = _latest_versions(tracker)
    orphans = sorted(set(latest) - users)
    if orphans:
        findings.append(Finding("profile versions", "versions of users with no events", len(orphans), True,
                                "delete them (and their Chroma records)", orphans))
    unversioned = sorted(users - set(latest))
    if unversioned:
        findings.append(Finding("profile versions", "users with events but no profile version", len(unversioned),
                                True, "write their first version", unversioned))
    pending = log.outbox_size()
    if pending:
        errors = {entry["last_error"] for entry in log.outbox() if entry["last_error"]}  # the oldest page's
        findings.append(Finding("outbox", "Chroma writes not applied yet" + (f" (last error: {sorted(errors)[0]})" if errors else ""),
                                pending, True, "apply them (Chroma must be reachable)"))
    chroma = _chroma_profiles(tracker)
    if chroma is None:
        findings.append(Finding("chroma", "Chroma cannot be reached", 1, False,
                                "start the Chroma server or check --chroma-url, then run the doctor again"))
    else:
        waiting = log.outbox_users()
        missing = sorted(u for u, version in latest.items() if u in users and u not in waiting and chroma.get(u) != version)
        if missing:
            findings.append(Finding("chroma", "profiles missing or older in Chroma than in the log", len(missing), True,
                                    "write the log's latest version to Chroma", missing))
        stray = sorted(u for u in chroma if u not in latest and u not in waiting)
        if stray:
            findings.append(Finding("chroma", "Chroma profiles of users the log does not know (forgotten?)", len(stray),
                                    True, "delete them from Chroma", stray))
        findings += _index_findings(tracker)
    return DoctorReport(findings, {"users": len(users), "versions": len(latest), "chroma profiles": len(chroma or {})})


def repair(tracker: Tracker, report: DoctorReport) -> DoctorReport:
    """Fix every repairable finding from the log; returns a fresh examination with what was done."""
    done: list[str] = []
    collection = f"profiles.{tracker.settings.dataset}"
    for finding in report.findings:
        if not finding.repairable:
            continue
        if finding.problem.startswith("versions of users with no events"):
            for user_id in finding.items:
                tracker.log.forget(user_id, collection)
        elif finding.problem.startswith("users with events but no profile version"):
            for user_id in finding.items:
                tracker.save_version(user_id)
        elif finding.check == "chroma" and finding.problem.startswith("profiles missing"):
            for user_id in finding.items:
                tracker.log.enqueue(user_id, "upsert", collection, _record_of(tracker, user_id))
        elif finding.check == "chroma" and finding.problem.startswith("Chroma profiles of users"):
            for user_id in finding.items:
                tracker.log.enqueue(user_id, "delete", collection)
        elif finding.check == "movie index" and finding.problem.startswith("a build was interrupted"):
            open_client(tracker.settings).delete_collection(collection_name(tracker.settings.dataset) + BUILDING_SUFFIX)
        else:
            continue
        done.append(f"{finding.check}: {finding.fix} ({finding.count})")
    left = tracker.sync_chroma(force=True)
    if left:
        done.append(f"outbox: {left} Chroma writes still pending (is Chroma reachable?)")
    fresh = examine(tracker)
    fresh.repaired = done
    return fresh


def _latest_versions(tracker: Tracker) -> dict[str, int]:
    return tracker.log.latest_versions()


def _chroma_profiles(tracker: Tracker) -> dict[str, int] | None:
    """Chroma's profile records as ``user → version``; None when Chroma cannot be reached."""
    try:
        stored = tracker._profile_collection().get(include=["metadatas"])
    except Exception:  # noqa: BLE001 - any client error means "cannot reach it", reported as a finding
        tracker._chroma = None
        return None
    return {str(i): int((meta or {}).get("version", -1)) for i, meta in zip(stored["ids"], stored["metadatas"])}


def _record_of(tracker: Tracker, user_id: str) -> dict[str, Any]:
    """The Chroma record of the user's latest version, rebuilt from the log."""
    latest = tracker.log.latest_profile_version(user_id)
    return {**chroma_record(latest["payload"], latest["created_at"]), "version": latest["version"]}


def _index_findings(tracker: Tracker) -> list[Finding]:
    settings = tracker.settings
    client = open_client(settings)  # the store only: no encoder is loaded
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    findings = []
    if collection_name(settings.dataset) + BUILDING_SUFFIX in names:
        findings.append(Finding("movie index", "a build was interrupted (a partial collection is left)", 1, True,
                                "delete the partial collection"))
    live = collection_name(settings.dataset)
    if live not in names:
        findings.append(Finding("movie index", f"no movie index for {settings.dataset}", 1, False,
                                f"run `driftrec index --dataset {settings.dataset}`"))
        return findings
    collection = client.get_collection(live)
    if (collection.metadata or {}).get("encoder") != settings.encoder:
        findings.append(Finding("movie index", f"built with encoder {collection.metadata.get('encoder')!r}, not "
                                f"{settings.encoder!r}", 1, False, "run `driftrec index` with the encoder you use"))
    expected = len(tracker.movies)
    if collection.count() < expected:
        findings.append(Finding("movie index", f"{collection.count()} of {expected} movies indexed", expected - collection.count(),
                                False, f"run `driftrec index --dataset {settings.dataset}`"))
    return findings

"""Writes of a campaign: each one function, each in one transaction.

Every rule comes from :mod:`libinnov.campaigns` (conflicts, assignment, ranking,
shortlist, awards and what the organiser sets by hand); these functions load the
rows, call the core, and store what it decided. E-mail goes out after the write
it announces has committed, and a notice that fails never undoes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from libinnov.campaigns.assignment import Assignment, assign_reviewers
from libinnov.campaigns.conflicts import conflict
from libinnov.campaigns.scoring import Results, decide_results
from libinnov.cases import Case as CoreCase
from libinnov.cases import case_from_record
from libinnov.cases.gazetteer import enrich_case
from libinnov.codebook import Codebook
from libinnov.codebook.derive import short_province
from libinnov.exceptions import LibinnovError
from libinnov.web.campaigns import notices, selectors
from libinnov.web.campaigns.attachments import CheckedFile, checked_files
from libinnov.web.campaigns.errors import CallClosed, NeedsConfirmation, Refused
from libinnov.web.campaigns.models import (
    AssignmentStatus,
    Attachment,
    Campaign,
    CampaignReviewer,
    Review,
    ReviewAssignment,
    Status,
    Submission,
    SubmissionStatus,
    WithdrawnBy,
)
from libinnov.web.cases.models import Case, Origin
from libinnov.web.cases.services import atomic, cases_import


@dataclass(frozen=True)
class SubmissionData:
    """What the public form asks for (attachments come separately)."""

    title: str
    library: str
    contact_name: str
    contact_email: str
    province: str = ""
    year: int | None = None
    authors: str = ""
    summary: str = ""


def _panel_province(text: str) -> str:
    """A reviewer's province as the conflict rules compare it (浙江省 → 浙江)."""
    return short_province(text) if text.strip() else ""


def reviewer_add(
    *,
    campaign: Campaign,
    user: AbstractBaseUser,
    institution: str = "",
    province: str = "",
) -> CampaignReviewer:
    """Add (or update) a reviewer with what the conflict rules compare.

    A reviewer removed earlier is back on the panel, and so are the reviews they
    had submitted (withdrawn when they were removed).
    """
    with atomic():
        row, _created = CampaignReviewer.objects.update_or_create(
            campaign=campaign,
            user=user,
            defaults={
                "institution": institution.strip(),
                "province": _panel_province(province),
                "removed_at": None,
            },
        )
        row.assignments.filter(status=AssignmentStatus.WITHDRAWN).update(
            status=AssignmentStatus.DONE, updated_at=timezone.now()
        )
    return row


def reviewer_update(
    *,
    reviewer: CampaignReviewer,
    name: str,
    email: str,
    institution: str = "",
    province: str = "",
) -> CampaignReviewer:
    """Correct a reviewer's name, e-mail address, institution and province.

    Name and address are the reviewer's account's (notices go to it, in every
    call they review for); the whole name goes in ``first_name``, as Chinese
    names are written in one piece. No two reviewers of one call may share an
    address, or one would get the other's notices; an empty address means no
    notices.
    """
    email = BaseUserManager.normalize_email(email.strip())
    others = reviewer.campaign.reviewers.exclude(pk=reviewer.pk)
    with atomic():
        if email and others.filter(user__email__iexact=email).exists():
            raise Refused(
                _("Another reviewer of this call has the address %(email)s.")
                % {"email": email},
                field="email",
            )
        user = reviewer.user
        user.first_name, user.last_name, user.email = name.strip(), "", email
        user.save(update_fields=["first_name", "last_name", "email"])
        reviewer.institution = institution.strip()
        reviewer.province = _panel_province(province)
        reviewer.save(update_fields=["institution", "province"])
    return reviewer


@dataclass(frozen=True)
class Removal:
    """What removing a reviewer did."""

    cancelled: int  # open assignments deleted
    withdrawn: int  # submitted reviews kept but no longer counted


def reviewer_remove(*, reviewer: CampaignReviewer, confirmed: bool = False) -> Removal:
    """Take a reviewer off the panel; the next assignment run fills the gaps.

    Their open assignments go. Reviews they already submitted stay in the database,
    marked withdrawn, and leave the standings, which only happens once the organiser
    has confirmed it (:class:`NeedsConfirmation` otherwise).
    """
    with atomic():
        locked = CampaignReviewer.objects.select_for_update().get(pk=reviewer.pk)
        if locked.removed_at is not None:
            raise Refused(_("This reviewer is no longer on the panel."))
        done = reviewer.assignments.filter(status=AssignmentStatus.DONE)
        withdrawn = done.count()
        if withdrawn and not confirmed:
            raise NeedsConfirmation(
                _(
                    "%(name)s has submitted %(n)d reviews; removing them takes those "
                    "reviews out of the standings."
                )
                % {"name": reviewer.name, "n": withdrawn},
                withdrawn=withdrawn,
            )
        open_rows = reviewer.assignments.filter(status=AssignmentStatus.ASSIGNED)
        cancelled = open_rows.count()
        open_rows.delete()
        done.update(status=AssignmentStatus.WITHDRAWN, updated_at=timezone.now())
        reviewer.removed_at = timezone.now()
        reviewer.save(update_fields=["removed_at"])
    return Removal(cancelled=cancelled, withdrawn=withdrawn)


def library_facts(data: SubmissionData, codebook: Codebook) -> CoreCase:
    """The submission as a core case, with province and library type filled in
    from the library's name by the gazetteer, as imports are."""
    record = {
        "title": data.title,
        "library": data.library,
        "province": data.province,
        "year": data.year,
        "summary": data.summary,
    }
    return enrich_case(case_from_record(record, codebook), codebook)


def _attach(submission: Submission, checked: CheckedFile, stored: list[str]) -> None:
    """Store one checked file; its name goes into ``stored`` as soon as it is
    written, so a later failure can remove it."""
    attachment = Attachment(
        submission=submission,
        original_name=checked.name[:255],
        kind=checked.kind,
        size=checked.size,
        text=checked.text,
    )
    with checked.path.open("rb") as handle:
        attachment.file.save(checked.path.name, File(handle), save=False)
    stored.append(attachment.file.name)
    attachment.save()


def _next_ref(campaign: Campaign) -> str:
    """A reference like 2026-0001, numbered within the locked campaign row."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.accepts_submissions:
        raise CallClosed(_("This call is closed: it no longer takes submissions."))
    locked.last_number += 1
    locked.save(update_fields=["last_number"])
    return f"{timezone.localdate().year}-{locked.last_number:04d}"


def submission_create(
    *,
    campaign: Campaign,
    data: SubmissionData,
    uploads: Sequence[Any],
    codebook: Codebook,
) -> Submission:
    """Save a submission and its attachments: all of it, or nothing.

    Attachments are checked and read before the transaction; a file written to
    storage is deleted again if the transaction does not commit.
    """
    if not campaign.accepts_submissions:
        raise CallClosed(_("This call is closed: it no longer takes submissions."))
    stored: list[str] = []
    with checked_files(uploads) as files:
        if not data.summary.strip():
            texts = [f.summary for f in files]
            data = replace(data, summary="\n\n".join(texts))
        try:
            core = library_facts(data, codebook)
        except LibinnovError as exc:
            raise Refused(exc.render(_), field=exc.field) from exc
        try:
            with atomic():
                submission = Submission.objects.create(
                    campaign=campaign,
                    ref=_next_ref(campaign),
                    title=core.title,
                    library=core.library,
                    province=core.province or "",
                    library_type=str(core.codes.get("library_type") or ""),
                    year=core.year,
                    summary=core.summary,
                    authors=data.authors.strip(),
                    contact_name=data.contact_name.strip(),
                    contact_email=data.contact_email.strip(),
                )
                for checked in files:
                    _attach(submission, checked, stored)
        except BaseException:
            for name in stored:
                default_storage.delete(name)
            raise
    return submission


def assignments_make(*, campaign: Campaign) -> Assignment:
    """Give every submission its reviewers, keeping the assignments already made.

    The core never pairs a reviewer with a submission they conflict with
    (declared, author, same institution, same province when the campaign says
    so) and balances the load; what it could not fill is in ``short``.
    """
    if campaign.status == Status.CLOSED:
        raise Refused(_("The campaign is closed."))
    rules = campaign.conflict_rules()
    with atomic():
        # Writing the campaign's row first takes its lock (PostgreSQL) or the
        # database's write lock (SQLite) before anything is read, so a second
        # "assign" sent at once (a double click on a slow call) waits for this
        # one and then finds its assignments made, instead of failing on them.
        Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())
        entries = {e.id: e for e in selectors.core_entries(campaign)}
        reviewers = {r.id: r for r in selectors.core_reviewers(campaign)}
        rows = {
            (row.submission.ref, str(row.reviewer_id)): row
            for row in ReviewAssignment.objects.filter(
                submission__campaign=campaign, status__in=selectors.ACTIVE
            )
            .exclude(submission__status=SubmissionStatus.WITHDRAWN)
            .select_related("submission")
        }
        existing: dict[str, list[str]] = {}
        for ref, reviewer_id in rows:
            existing.setdefault(ref, []).append(reviewer_id)
        result = assign_reviewers(
            list(entries.values()),
            list(reviewers.values()),
            campaign.reviewers_per_entry,
            rules,
            existing=existing,
        )
        for ref, reviewer_ids in result.dropped.items():
            for reviewer_id in reviewer_ids:
                row = rows[(ref, reviewer_id)]
                row.status = AssignmentStatus.CONFLICT
                row.conflict_reason = (
                    conflict(reviewers[reviewer_id], entries[ref], rules) or ""
                )
                row.save(update_fields=["status", "conflict_reason", "updated_at"])
        by_ref = {s.ref: s for s in campaign.submissions.active()}
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(submission=by_ref[ref], reviewer_id=int(reviewer_id))
            for ref, reviewer_ids in result.reviewers.items()
            for reviewer_id in reviewer_ids
            if (ref, reviewer_id) not in rows
        )
    return result


def _check_reviewable(assignment: ReviewAssignment) -> None:
    if not assignment.submission.campaign.accepts_reviews:
        raise Refused(_("This campaign is not taking reviews now."))
    if assignment.status == AssignmentStatus.CONFLICT:
        raise Refused(_("You declared a conflict with this submission."))


def review_submit(
    *, assignment: ReviewAssignment, scores: Mapping[str, Any], comment: str = ""
) -> Review:
    """Store a reviewer's scores (checked by the campaign's rubric) and finish."""
    _check_reviewable(assignment)
    rubric = assignment.submission.campaign.get_rubric()
    try:
        checked = rubric.validate_scores(scores)
    except LibinnovError as exc:
        raise Refused(exc.render(_), field=exc.field) from exc
    with atomic():
        review, _created = Review.objects.update_or_create(
            assignment=assignment,
            defaults={"scores": checked, "comment": comment.strip()},
        )
        assignment.status = AssignmentStatus.DONE
        assignment.save(update_fields=["status", "updated_at"])
    return review


def conflict_declare(*, assignment: ReviewAssignment, note: str = "") -> None:
    """The reviewer steps back; the organiser's next assignment run fills the gap."""
    _check_reviewable(assignment)
    assignment.status = AssignmentStatus.CONFLICT
    assignment.conflict_reason = "declared"
    assignment.declared_note = note.strip()
    assignment.save(
        update_fields=["status", "conflict_reason", "declared_note", "updated_at"]
    )


def _decide(campaign: Campaign, submissions: Sequence[Submission]) -> Results:
    """The core's shortlist and awards, with the choices the rows hold by hand."""
    include, exclude = set(), set()
    for s in submissions:
        if s.shortlist_by_hand:
            (include if s.shortlisted else exclude).add(s.ref)
    try:
        return decide_results(
            selectors.standings(campaign),
            campaign.get_tiers(),
            size=campaign.shortlist_size,
            include=include,
            exclude=exclude,
            awards_by_hand={s.ref: s.award for s in submissions if s.award_by_hand},
        )
    except LibinnovError as exc:
        raise Refused(exc.render(_), field=exc.field) from exc


def _store(submissions: Sequence[Submission], results: Results) -> None:
    chosen = set(results.shortlisted)
    for s in submissions:
        status = (
            SubmissionStatus.SHORTLISTED
            if s.ref in chosen
            else SubmissionStatus.SUBMITTED
        )
        won = results.awards.get(s.ref, "")
        if (s.status, s.award) != (status, won):
            s.status, s.award = status, won
            s.save(update_fields=["status", "award"])


def _in_call(campaign: Campaign) -> list[Submission]:
    """The campaign's submissions still in the call, locked for a results write."""
    return list(
        Submission.objects.select_for_update()
        .filter(campaign=campaign)
        .active()
        .order_by("ref")
    )


def results_save(*, campaign: Campaign) -> Results:
    """Shortlist by the standings and award the shortlist by the campaign's tiers,
    keeping every choice the organiser made by hand; both are saved on the
    submissions."""
    with atomic():
        submissions = _in_call(campaign)
        results = _decide(campaign, submissions)
        _store(submissions, results)
    return results


#: what the standings page may ask for one submission ("" follows the ranking)
SHORTLIST_CHOICES = ("", "include", "exclude")
NO_AWARD = "none"


def result_set(
    *, submission: Submission, shortlist: str = "", award: str = ""
) -> Results:
    """Set one submission's shortlist place and award by hand, and save the results.

    ``shortlist`` is ``include``, ``exclude`` or ``""`` (by the ranking); ``award``
    a tier key, ``"none"`` or ``""`` (by the ranking). The whole results are
    decided again, so an exclusion's place goes to the next entry at once.
    """
    if shortlist not in SHORTLIST_CHOICES:
        raise Refused(_("Unknown shortlist choice."), field="shortlist")
    campaign = submission.campaign
    with atomic():
        submissions = _in_call(campaign)
        target = next((s for s in submissions if s.pk == submission.pk), None)
        if target is None:
            raise Refused(_("This submission is withdrawn."))
        target.shortlist_by_hand = bool(shortlist)
        if shortlist:
            target.status = (
                SubmissionStatus.SHORTLISTED
                if shortlist == "include"
                else SubmissionStatus.SUBMITTED
            )
        target.award_by_hand = bool(award)
        if award:
            target.award = "" if award == NO_AWARD else award
        results = _decide(campaign, submissions)
        # the choice itself first: _store only writes what differs from memory
        target.save(
            update_fields=["shortlist_by_hand", "award_by_hand", "status", "award"]
        )
        _store(submissions, results)
    return results


def results_reset(*, campaign: Campaign) -> Results:
    """Drop every choice made by hand and save the results by the ranking alone."""
    with atomic():
        campaign.submissions.filter(
            Q(shortlist_by_hand=True) | Q(award_by_hand=True)
        ).update(shortlist_by_hand=False, award_by_hand=False)
        return results_save(campaign=campaign)


def submission_withdraw(
    *, submission: Submission, by: WithdrawnBy, reason: str = ""
) -> int:
    """Take a submission out of the call; it stays stored, marked withdrawn.

    The sender may do so while the call takes submissions and the case is not in
    the library; the organiser at any time, giving a reason. Its open assignments
    go (returned: how many); its reviews stay, no longer counted, and it loses any
    shortlist place and award.
    """
    reason = reason.strip()
    if submission.withdrawn:
        raise Refused(_("This submission is already withdrawn."))
    if by == WithdrawnBy.SUBMITTER and not submission.submitter_may_withdraw:
        if submission.case_id is not None:
            raise Refused(
                _(
                    "This submission is published in the case library; write to the "
                    "organisers to withdraw it."
                )
            )
        raise Refused(_("The call is closed: write to the organisers to withdraw it."))
    if by == WithdrawnBy.ORGANISER and not reason:
        raise Refused(_("Give the reason for withdrawing it."), field="reason")
    with atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.withdrawn:
            raise Refused(_("This submission is already withdrawn."))
        open_rows = submission.assignments.filter(status=AssignmentStatus.ASSIGNED)
        cancelled = open_rows.count()
        open_rows.delete()
        submission.status = SubmissionStatus.WITHDRAWN
        submission.award = ""
        submission.shortlist_by_hand = submission.award_by_hand = False
        submission.withdrawn_at = timezone.now()
        submission.withdrawn_by = by
        submission.withdrawal_reason = reason
        submission.save(
            update_fields=[
                "status",
                "award",
                "shortlist_by_hand",
                "award_by_hand",
                "withdrawn_at",
                "withdrawn_by",
                "withdrawal_reason",
            ]
        )
    return cancelled


def _notify_sender(submission: Submission, message: EmailMessage, sent_at: str) -> bool:
    """Send a notice to the sender and stamp ``sent_at`` if it went out.

    ``False`` if it failed: the change it announces stands, and the empty stamp
    is what flags the submission to the organiser.
    """
    if not notices.send(message):
        return False
    setattr(submission, sent_at, timezone.now())
    submission.save(update_fields=[sent_at])
    return True


def withdrawal_notify(*, submission: Submission, receipt_url: str) -> bool:
    """E-mail the sender that the organisers withdrew their submission; ``False``
    if it did not go out. ``withdrawal_notice_sent_at`` records it, as
    ``confirmation_sent_at`` does the confirmation; the withdrawal stands either
    way. A sender who withdrew it themselves saw it on their receipt: no mail.
    """
    if submission.withdrawn_by != WithdrawnBy.ORGANISER:
        return True
    return _notify_sender(
        submission,
        notices.withdrawal(submission, receipt_url),
        "withdrawal_notice_sent_at",
    )


def submission_restore(
    *, submission: Submission, reason: str, receipt_url: str
) -> bool:
    """Bring a withdrawn submission back into the call, giving the reason, and
    e-mail the sender so; ``False`` if that notice failed.

    Only while what the review decides can still change: not once the call is
    closed (its awards are public) nor once any of its submissions is in the case
    library (the shortlist was acted on). The reviews it kept count again; its
    open assignments were cancelled, so the next assignment run gives it
    reviewers. The withdrawal (who, when, why) stays on record beside it. As
    with the confirmation, ``restoration_notice_sent_at`` records the notice,
    and the restoration stands whether or not it went out.
    """
    reason = reason.strip()
    if not reason:
        raise Refused(_("Give the reason for restoring it."), field="reason")
    campaign = submission.campaign
    if campaign.status == Status.CLOSED:
        raise Refused(
            _("The call is closed and its results are final: it stays withdrawn.")
        )
    if campaign.submissions.filter(case__isnull=False).exists():
        raise Refused(
            _(
                "The call's results are published in the case library: it stays "
                "withdrawn."
            )
        )
    with atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.withdrawn:
            raise Refused(_("This submission is not withdrawn."))
        submission.status = SubmissionStatus.SUBMITTED
        submission.restored_at = timezone.now()
        submission.restoration_reason = reason
        submission.restoration_notice_sent_at = None
        submission.save(
            update_fields=[
                "status",
                "restored_at",
                "restoration_reason",
                "restoration_notice_sent_at",
            ]
        )
    return _notify_sender(
        submission,
        notices.restoration(submission, receipt_url),
        "restoration_notice_sent_at",
    )


#: how soon the sender may ask for their confirmation again
RESEND_AFTER = timedelta(minutes=10)


def submission_confirm_again(
    *, submission: Submission, receipt_url: str, by_sender: bool
) -> bool:
    """Send the confirmation once more; ``False`` if it failed.

    The organiser may at any time (the sender lost it, or the first one
    failed); the sender, from the receipt, once per :data:`RESEND_AFTER`, as
    the link alone lets anyone who has it ask. Never for a withdrawn submission,
    whose confirmation would say it is in the call.
    """
    if submission.withdrawn:
        raise Refused(_("This submission is withdrawn."))
    sent = submission.confirmation_sent_at
    if by_sender and sent is not None and timezone.now() - sent < RESEND_AFTER:
        raise Refused(
            _(
                "The confirmation went to %(email)s at %(when)s; ask again in a "
                "few minutes if it does not arrive."
            )
            % {
                "email": submission.contact_email,
                "when": timezone.localtime(sent).strftime("%H:%M"),
            }
        )
    return submission_confirm(submission=submission, receipt_url=receipt_url)


def submission_confirm(*, submission: Submission, receipt_url: str) -> bool:
    """E-mail the sender their reference and receipt link; ``False`` if it failed.

    When it went out, ``confirmation_sent_at`` says so; when not, the organiser
    sees the submission flagged (the submission itself is saved either way).
    """
    return _notify_sender(
        submission,
        notices.confirmation(submission, receipt_url),
        "confirmation_sent_at",
    )


@dataclass
class NoticeReport:
    """Reviewers told of new assignments, and those who could not be."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)


def assignment_notices_send(*, campaign: Campaign, review_url: str) -> NoticeReport:
    """E-mail each reviewer the open assignments nobody told them of yet.

    One message per reviewer. An assignment is marked notified only once its
    message went out, so one that failed is sent with the next run.
    """
    pending: dict[int, list[ReviewAssignment]] = defaultdict(list)
    rows = (
        ReviewAssignment.objects.filter(
            submission__campaign=campaign,
            status=AssignmentStatus.ASSIGNED,
            notified_at__isnull=True,
            reviewer__removed_at__isnull=True,
        )
        .exclude(submission__status=SubmissionStatus.WITHDRAWN)
        .select_related("submission", "reviewer__user", "reviewer__campaign")
        .order_by("reviewer_id", "submission__ref")
    )
    for row in rows:
        pending[row.reviewer_id].append(row)
    report = NoticeReport()
    for assignments in pending.values():
        reviewer = assignments[0].reviewer
        if not reviewer.user.email:
            report.no_address.append(reviewer.name)
            continue
        message = notices.assignment_notice(reviewer, assignments, review_url)
        if not notices.send(message):
            report.failed.append(reviewer.name)
            continue
        ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(
            notified_at=timezone.now()
        )
        report.sent.append(reviewer.name)
    return report


def case_of(submission: Submission, codebook: Codebook) -> CoreCase:
    """The library case a submission becomes (contact details stay behind)."""
    record = {
        "id": f"{submission.campaign.slug}-{submission.ref}",
        "title": submission.title,
        "library": submission.library,
        "province": submission.province,
        "year": submission.year,
        "summary": submission.summary,
    }
    if submission.library_type and "library_type" in codebook:
        record["library_type"] = submission.library_type
    if submission.award:  # the analysis counts awards in a group's capability
        tiers = {t.key: t.label_zh for t in submission.campaign.get_tiers()}
        record["award"] = tiers.get(submission.award, submission.award)
    return enrich_case(case_from_record(record, codebook), codebook)


def campaign_publish(
    *, campaign: Campaign, codebook: Codebook, codebook_version: str
) -> list[Case]:
    """Shortlisted submissions become library cases, through the import service.

    So they are coded (province, region, library type) and indexed for search like
    imported cases. A submission already published is skipped, so publishing
    twice adds nothing.
    """
    todo = list(
        campaign.submissions.filter(
            status=SubmissionStatus.SHORTLISTED, case__isnull=True
        ).order_by("ref")
    )
    if not todo:
        return []
    cores = [case_of(s, codebook) for s in todo]
    with atomic():
        saved = cases_import(
            cores,
            codebook=codebook,
            codebook_version=codebook_version,
            origin=Origin.SUBMISSION,
            published=True,
            submission_refs={
                core.id: s.case_ref for s, core in zip(todo, cores, strict=True)
            },
        )
        by_id = {case.id: case for case in saved}
        for submission, core in zip(todo, cores, strict=True):
            submission.case = by_id[core.id]
            submission.save(update_fields=["case"])
    return saved

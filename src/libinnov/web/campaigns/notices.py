"""E-mail notices of a campaign: to the sender, the confirmation and the news of a
withdrawal by the organisers or a restoration; to reviewers, their new work.

Neither a sender nor a reviewer has told the site which language they read, so
each notice is written in both, Chinese (the site's language) first. Mail goes
through Django's e-mail framework (``LIBINNOV_EMAIL_URL`` picks the way out).
:func:`send` never raises: a notice that could not go out is logged and reported
to the caller, and the submission or assignment it announces stays saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from libinnov.web.campaigns.models import CampaignReviewer, ReviewAssignment, Submission

logger = logging.getLogger(__name__)

LANGUAGES = ("zh-hans", "en")
_RULE = "\n\n" + "—" * 24 + "\n\n"


def _in_both(render: Callable[[], str], joiner: str) -> str:
    parts = []
    for code in LANGUAGES:
        with translation.override(code):
            parts.append(render().strip())
    return joiner.join(dict.fromkeys(parts))  # one copy of what reads the same


def _body(template: str, context: dict[str, Any]) -> str:
    return _in_both(lambda: render_to_string(template, context), _RULE) + "\n"


def _to_sender(
    submission: Submission,
    subject: Callable[[], str],
    template: str,
    receipt_url: str,
) -> EmailMessage:
    """A notice to a submission's sender, about it, with the link to its receipt."""
    campaign = submission.campaign
    return EmailMessage(
        subject=f"[{campaign.title}] {_in_both(subject, ' / ')} {submission.ref}",
        body=_body(
            template,
            {
                "campaign": campaign,
                "submission": submission,
                "receipt_url": receipt_url,
            },
        ),
        to=[submission.contact_email],
    )


def confirmation(submission: Submission, receipt_url: str) -> EmailMessage:
    """To the sender: the reference number and the link to the receipt."""
    return _to_sender(
        submission,
        lambda: _("Submission received"),
        "campaigns/email/received.txt",
        receipt_url,
    )


def withdrawal(submission: Submission, receipt_url: str) -> EmailMessage:
    """To the sender: the organisers took the submission out of the call.

    The organisers' reason is theirs (the form says so); the notice tells the
    sender whom to ask instead.
    """
    return _to_sender(
        submission,
        lambda: _("Submission withdrawn"),
        "campaigns/email/withdrawn.txt",
        receipt_url,
    )


def restoration(submission: Submission, receipt_url: str) -> EmailMessage:
    """To the sender: the organisers brought the withdrawn submission back, and why."""
    return _to_sender(
        submission,
        lambda: _("Submission restored"),
        "campaigns/email/restored.txt",
        receipt_url,
    )


def assignment_notice(
    reviewer: CampaignReviewer,
    assignments: Sequence[ReviewAssignment],
    review_url: str,
) -> EmailMessage:
    """To a reviewer: the submissions newly assigned to them, and where to score."""
    campaign = reviewer.campaign
    subject = _in_both(lambda: _("New review assignments"), " / ")
    return EmailMessage(
        subject=f"[{campaign.title}] {subject}",
        body=_body(
            "campaigns/email/assigned.txt",
            {
                "campaign": campaign,
                "reviewer": reviewer,
                "assignments": assignments,
                "review_url": review_url,
            },
        ),
        to=[reviewer.user.email],
    )


def send(message: EmailMessage) -> bool:
    """Send one notice; ``False`` (and a log entry) if it did not go out."""
    try:
        message.send(fail_silently=False)
    except Exception:  # any backend, any failure: the caller reports it
        logger.exception("could not send %r to %s", message.subject, message.to)
        return False
    return True

"""Two "assign" requests at once (a double click on a slow call) give the same
assignments as one: the second waits for the first and finds its work done."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from campaign_support import add_reviewer, add_submission, new_campaign
from django.db import connections

from libinnov.web.campaigns.models import ReviewAssignment
from libinnov.web.campaigns.services import assignments_make

pytestmark = pytest.mark.django_db(databases=["default", "postgres"], transaction=True)

LIBRARIES = ("温州市图书馆", "广州图书馆", "杭州图书馆", "苏州图书馆", "成都图书馆")


def test_assigning_twice_at_once_makes_each_assignment_once(
    backend: str, user_factory: Any
) -> None:
    campaign = new_campaign(reviewers_per_entry=3)
    for i in range(12):
        add_reviewer(campaign, user_factory(f"reviewer_{i}", None), f"评审单位{i}")
    for i in range(120):
        add_submission(campaign, f"案例 {i}", LIBRARIES[i % len(LIBRARIES)])
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def assign() -> None:
        try:
            start.wait(timeout=10)
            assignments_make(campaign=campaign)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    rows = ReviewAssignment.objects.filter(submission__campaign=campaign)
    assert rows.count() == 120 * 3
    pairs = set(rows.values_list("submission_id", "reviewer_id"))
    assert len(pairs) == 120 * 3

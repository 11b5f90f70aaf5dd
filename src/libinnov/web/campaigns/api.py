"""REST endpoints for case campaigns: the public calls, and the standings for
organisers (the core's ranking, as on the standings page)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from libinnov.web.accounts.permissions import HasRole
from libinnov.web.campaigns import selectors
from libinnov.web.campaigns.models import Campaign, Status, SubmissionStatus


class CampaignCountsSerializer(serializers.Serializer):
    submissions = serializers.IntegerField(source="n_submissions")
    shortlisted = serializers.IntegerField(source="n_shortlisted")
    published = serializers.IntegerField(
        source="n_published", help_text="shortlisted cases now in the case library"
    )


class CampaignSerializer(serializers.ModelSerializer):
    counts = CampaignCountsSerializer(source="*", read_only=True)

    class Meta:
        model = Campaign
        fields = (
            "slug",
            "title",
            "description",
            "status",
            "closes_at",
            "rubric",
            "counts",
        )


class StandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField(
        allow_null=True, help_text="competition rank (1, 2, 2, 4); null when unreviewed"
    )
    ref = serializers.CharField()
    title = serializers.CharField()
    library = serializers.CharField()
    score = serializers.FloatField(
        allow_null=True, help_text="mean normalised total; null when unreviewed"
    )
    raw = serializers.FloatField(allow_null=True, help_text="mean raw weighted total")
    n_reviews = serializers.IntegerField()
    spread = serializers.FloatField(allow_null=True)
    criteria = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="mean raw score per rubric criterion",
    )
    flags = serializers.ListField(child=serializers.CharField())
    shortlisted = serializers.BooleanField()
    award = serializers.CharField(allow_null=True)


class StandingsSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="zscore, rank or none")
    count = serializers.IntegerField()
    results = StandingSerializer(many=True)


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for cases (drafts are never listed); standings for organisers."""

    serializer_class = CampaignSerializer
    lookup_field = "slug"
    required_role = "admin"

    def get_queryset(self) -> QuerySet[Campaign]:
        if self.action == "standings":
            return Campaign.objects.all()
        shortlisted = Q(submissions__status=SubmissionStatus.SHORTLISTED)
        return (
            Campaign.objects.exclude(status=Status.DRAFT)
            .annotate(
                n_submissions=Count("submissions"),
                n_shortlisted=Count("submissions", filter=shortlisted),
                n_published=Count(
                    "submissions", filter=Q(submissions__case__isnull=False)
                ),
            )
            .order_by("-created_at")
        )

    @extend_schema(responses=StandingsSerializer)
    @action(detail=True, permission_classes=[HasRole], pagination_class=None)
    def standings(self, request: Request, slug: str) -> Response:
        """The ranking with the call's normalisation (organisers only)."""
        campaign = self.get_object()
        results = selectors.standing_records(campaign)
        return Response(
            {
                "method": campaign.normalisation,
                "count": len(results),
                "results": results,
            }
        )

"""Routes of the REST API, mounted at /api/ (see openapi.DOCUMENT)."""

from django.urls import path
from django.views.generic import TemplateView

from . import openapi, steer, world

urlpatterns = [
    path("openapi.json", openapi.OpenApiDocument.as_view(), name="api-openapi"),
    path("docs", TemplateView.as_view(template_name="api/docs.html"), name="api-docs"),
    path("world/state", world.WorldState.as_view(), name="api-world-state"),
    path("world/history", world.WorldHistory.as_view(), name="api-world-history"),
    path("world/logs", world.WorldLogs.as_view(), name="api-world-logs"),
    path("world/logs/stream", world.WorldLogStream.as_view(), name="api-world-logs-stream"),
    path("npc/<int:agent_id>", world.Npc.as_view(), name="api-npc"),
    path("admin/tick", steer.AdminTick.as_view(), name="api-admin-tick"),
    path("director", steer.DirectorStatus.as_view(), name="api-director"),
    path("director/log", steer.DirectorLog.as_view(), name="api-director-log"),
    path("director/<str:action>", steer.DirectorMode.as_view(), name="api-director-mode"),
    path("snapshots", steer.Snapshots.as_view(), name="api-snapshots"),
    path("snapshots/<str:snapshot_id>/restore", steer.SnapshotRestore.as_view(), name="api-snapshot-restore"),
    path("proposals", steer.Proposals.as_view(), name="api-proposals"),
    path("proposals/<str:proposal_id>", steer.ProposalDetail.as_view(), name="api-proposal"),
    path("proposals/<str:proposal_id>/approve", steer.ProposalApprove.as_view(), name="api-proposal-approve"),
    path("proposals/<str:proposal_id>/reject", steer.ProposalReject.as_view(), name="api-proposal-reject"),
]

"""Models of the international response, linked to the record's interventions and acts."""

from vigil.responses.models.coding import CodingStatus, Standard, ViolationCoding
from vigil.responses.models.forums import Forum, ForumPosition, PositionKind
from vigil.responses.models.interventions import (
    BeneficiaryKind,
    FollowUp,
    InterventionBeneficiary,
    StateResponse,
)

__all__ = [
    "BeneficiaryKind",
    "CodingStatus",
    "FollowUp",
    "Forum",
    "ForumPosition",
    "InterventionBeneficiary",
    "PositionKind",
    "Standard",
    "StateResponse",
    "ViolationCoding",
]

"""How closely a plan keeps the roadmap's order: the profile keys `order` and `max_shift`.

The plan's reference order is the roadmap's order as far as the prerequisites allow
(topological, the roadmap's position breaking ties), goals first. `roadmap`: exactly;
`balanced`: each topic at most `max_shift` places from its place in it; `free`: anywhere.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

OrderMode = Literal["roadmap", "balanced", "free"]
ORDER_MODES: tuple[OrderMode, ...] = ("roadmap", "balanced", "free")

# The profile's fields, titled and described for the API schema and the web app's form.
OrderField = Annotated[
    OrderMode,
    Field(
        title="Order",
        description="How closely to follow the roadmap's order: roadmap (exactly), balanced "
        "(each topic at most max_shift places from its place in it, and never more sessions "
        "or a later finish than the roadmap's order), free (any order the prerequisites allow).",
    ),
]
MaxShift = Annotated[
    int,
    Field(
        ge=0,
        le=50,
        strict=True,
        title="Max shift",
        description="In balanced order: how many places a topic may move from its place in "
        "the roadmap's order.",
    ),
]

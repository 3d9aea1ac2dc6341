"""The options of an estimate on the command line, the same in `vigil estimate` and
`vigil lists estimate`: the method and its seed, the linkage draws, what a stored one counts.

The estimators' modules import numpy and scipy: they are imported when the options are added
(a command's parser is built only when that command runs), not when this module is.
"""

from __future__ import annotations

from typing import Any

from vigil.counting.models import Category


def add_method_options(parser: Any) -> None:
    """``--method`` and ``--seed``."""
    from vigil.counting.estimate import METHODS

    parser.add_argument(
        "--method",
        choices=METHODS,
        default="loglinear",
        help="log-linear models chosen by AIC (default) or the LCMCR latent-class model",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed of the random draws (default: a new one)"
    )


def add_link_draws_option(parser: Any) -> None:
    """``--link-draws``: how many linkages are drawn to carry their uncertainty."""
    from vigil.counting.uncertain_links import DEFAULT_DRAWS

    parser.add_argument(
        "--link-draws",
        type=int,
        default=DEFAULT_DRAWS,
        help=f"linkage draws carried into the interval (default {DEFAULT_DRAWS})",
    )


def add_stored_options(parser: Any) -> None:
    """``--save``, ``--category`` and ``--period``: a stored estimate's label and what it counts."""
    parser.add_argument(
        "--save", metavar="LABEL", default=None, help="store the estimate under this label"
    )
    parser.add_argument(
        "--category",
        choices=Category.values,
        default=Category.OTHER,
        help="what the stored estimate counts (its section of the How many? page)",
    )
    parser.add_argument("--period", default="", help="the period it covers, as text")

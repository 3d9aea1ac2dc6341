"""The one operating threshold of name screening, and the lower one that asks for review."""

#: A score at or above this is a match, in every direction and script.
OPERATING_THRESHOLD = 0.82
#: A score at or above this (and below the operating threshold) goes to human review.
REVIEW_THRESHOLD = 0.7

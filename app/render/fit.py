"""A packet and a page counter → the packet whose page 1 fits one page: long answers shortened, continued later."""

from __future__ import annotations

from collections.abc import Callable

from app.packet.build import Packet, shorten_answers

__all__ = ["SHORTEST_CAP", "fit_summary"]

SHORTEST_CAP = 60
"""No answer is cut below this many characters: a sentence's start is the least page 1 can usefully show."""


def fit_summary(packet: Packet, summary_pages: Callable[[Packet], int]) -> Packet:
    """The longest cut of the typed answers that keeps page 1 to one page (found by halving: each try is one
    layout of page 1). Unchanged when it already fits; at SHORTEST_CAP when nothing fits."""
    if summary_pages(packet) <= 1:
        return packet
    longest = max((len(text) for _, _, text in packet.answers()), default=0)
    low, high = SHORTEST_CAP, longest
    best = shorten_answers(packet, SHORTEST_CAP)
    while high - low > 40:
        middle = (low + high) // 2
        candidate = shorten_answers(packet, middle)
        if summary_pages(candidate) <= 1:
            best, low = candidate, middle
        else:
            high = middle
    return best

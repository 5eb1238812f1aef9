"""Answering people's questions: the text analyser (``terms``), the ranking
by words and meaning (``retrieval``, ``meaning``, ``embedding``), the scope
rule (``scope``, ``vocabulary``), the crisis and warning-sign screen with its
second net (``safety_screen``, ``safety_net``) and the answer itself
(``answering``)."""

"""Answering people's questions: the text analyser (``terms``), the ranking
(``retrieval``), the scope rule (``scope``), the warning-sign and crisis
screens (``safety_screen``, ``crisis``) and the answer itself (``answering``)."""

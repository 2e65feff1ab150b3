"""``/risk``: the "Will AI replace your job?" quiz, privately, one question per step.

- ``flow.py``: :class:`RiskFlow`, one user's pass through the quiz (a view).
- ``embeds.py``: questions, the result, the shared card, the last result, statistics.
- ``cog.py``: the command (the extension ``bot.discord.risk.cog``).

The quiz definition is ``knowledge.kb.quizzes["risk"]`` and the scoring is
``bot.quiz.scoring.score``; results are saved through ``QuizResults`` before
they are shown.
"""

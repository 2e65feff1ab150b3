"""``/risk``: the "Will AI replace your job?" quiz, privately, one question per step.

- ``flow.py``: :class:`RiskSessions`, every user's pass through the quiz, saved after each
  click (``bot.storage.quiz_sessions``) so its components carry on after a restart.
- ``embeds.py``: questions, the result, the shared card, the last result, statistics.
- ``cog.py``: the command (the extension ``bot.discord.risk.cog``).

The quiz definition is ``knowledge.kb.quizzes["risk"]`` and the scoring is
``bot.quiz.scoring.score``; results are saved through ``QuizResults`` before
they are shown.
"""

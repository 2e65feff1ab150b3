"""What the quiz shows: a question, the result with citations, a shareable card, statistics."""

from __future__ import annotations

import discord

from bot.discord.embeds import BRAND, MUTED
from bot.discord.limits import EMBED_FIELD_VALUE_MAX
from bot.discord.text import escape_user_text, fit_embed, join_within, link, truncate
from bot.quiz.schema import Quiz
from bot.quiz.scoring import QuizResult
from bot.storage.quiz_results import QuizStats, StoredQuizResult

BAR_WIDTH = 12
CITATION_TITLE_MAX = 70


def question_embed(quiz: Quiz, step: int) -> discord.Embed:
    question = quiz.questions[step]
    total = len(quiz.questions)
    parts = []
    if step == 0 and quiz.intro:
        parts.append(quiz.intro)
    parts.append(f"**{step + 1}/{total}** · {question.prompt}")
    embed = discord.Embed(title=quiz.title, description="\n\n".join(parts), colour=BRAND)
    embed.set_footer(text=f"Question {step + 1} of {total} · only you can see this")
    return fit_embed(embed)


def result_embed(result: QuizResult) -> discord.Embed:
    band = result.band
    embed = discord.Embed(
        title=f"Your AI risk score: {result.score}/100 · {band.name}",
        description=f"{band.headline}\n`{result.sum_text}` · `{result.arithmetic}`",
        colour=BRAND,
    )
    for item in result.breakdown:
        cites = ", ".join(link(c.id, c.url) for c in item.citations)
        embed.add_field(
            name=f"{item.factor}: {item.short} ({item.points}/{item.max_points})",
            value=truncate(f"{item.rationale} [{cites}]" if cites else item.rationale,
                           EMBED_FIELD_VALUE_MAX),
            inline=False,
        )
    advice = [f"{n}. {text}" for n, text in enumerate(band.advice[:3], start=1)]
    embed.add_field(name="Three things to do next",
                    value=join_within(advice, EMBED_FIELD_VALUE_MAX), inline=False)
    sources = [f"{link(c.id, c.url)} {truncate(c.title, CITATION_TITLE_MAX)} ({c.year})"
               for c in result.citations()]
    embed.add_field(name="Sources", value=join_within(sources, EMBED_FIELD_VALUE_MAX), inline=False)
    embed.set_footer(text=f"Data as of {result.data_as_of} · quiz v{result.quiz_version} · "
                          f"{result.disclaimer}")
    return fit_embed(embed)


def share_embed(result: QuizResult, who: str) -> discord.Embed:
    embed = discord.Embed(
        title=result.quiz_title,
        description=(f"{escape_user_text(who)} scored **{result.score}/100 ({result.band.name})**: "
                     f"{result.band.headline}\nTake it yourself with `/risk`."),
        colour=BRAND,
    )
    embed.set_footer(text=f"Data as of {result.data_as_of} · a relative index, not a prediction")
    return fit_embed(embed)


def last_result_embed(quiz: Quiz | None, stored: StoredQuizResult) -> discord.Embed:
    band = next((b for b in quiz.bands if b.id == stored.band), None) if quiz else None
    name = band.name if band else stored.band
    lines = [f"**{stored.score}/100 · {name}**" + (f": {band.headline}" if band else "")]
    if quiz is not None:
        for question in quiz.questions:
            option = question.option(stored.answers.get(question.id, ""))
            if option is not None:
                lines.append(f"{question.short}: {option.display_short}")
    lines.append(f"Taken {stored.created_at[:10]} (quiz v{stored.quiz_version}). "
                 "Retake it with `/risk`.")
    return fit_embed(discord.Embed(title="Your last risk score", description="\n".join(lines),
                                   colour=BRAND))


def stats_embed(quiz: Quiz | None, stats: QuizStats, scope: str) -> discord.Embed:
    embed = discord.Embed(title=f"Risk quiz results {scope}", colour=MUTED)
    if stats.count == 0:
        embed.description = "Nobody has taken the quiz here yet. Be the first with `/risk`."
        return fit_embed(embed)
    median = f"{stats.median:g}" if stats.median is not None else "n/a"
    embed.description = (f"**{stats.count}** people ({stats.attempts} attempts) · median score "
                         f"**{median}**/100 (each person's latest result)")
    bands = [(b.id, f"{b.name} ({b.min}-{b.max})") for b in quiz.bands] if quiz else \
        [(k, k) for k in stats.by_band]
    lines = []
    for band_id, label in bands:
        count = stats.by_band.get(band_id, 0)
        bar = "█" * round(BAR_WIDTH * count / stats.count)
        lines.append(f"`{bar:<{BAR_WIDTH}}` {count} · {label}")
    embed.add_field(name="By band", value=join_within(lines, EMBED_FIELD_VALUE_MAX), inline=False)
    return fit_embed(embed)

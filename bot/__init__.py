"""Labwire: AI-lab news answers and a job-risk quiz, for Discord and the terminal."""

__version__ = "0.1.0"

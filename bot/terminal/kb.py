"""``labwire kb``: validate, summarise and export the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.export import SCHEMA_MODELS, export_model, json_schema
from bot.settings import Settings
from bot.terminal.common import load_or_report
from bot.wording import plural
from bot.yamldocs.problems import count_text

DIRECTORY_HELP = "the knowledge directory (default: $LABWIRE_KNOWLEDGE or ./knowledge)"


def register(sub: Any) -> None:
    kb = sub.add_parser("kb", help="validate, inspect and export the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="SUBCOMMAND", required=True)

    validate = kb_sub.add_parser("validate", help="check every file; list every problem")
    validate.add_argument("directory", nargs="?", type=Path, default=None, help=DIRECTORY_HELP)
    validate.set_defaults(func=cmd_validate)

    stats = kb_sub.add_parser("stats", help="counts by kind and the newest articles")
    stats.add_argument("directory", nargs="?", type=Path, default=None, help=DIRECTORY_HELP)
    stats.set_defaults(func=cmd_stats)

    export = kb_sub.add_parser("export", help="the whole validated model as JSON")
    export.add_argument("--json", action="store_true", default=True, help="JSON (the default)")
    export.add_argument("directory", nargs="?", type=Path, default=None, help=DIRECTORY_HELP)
    export.set_defaults(func=cmd_export)

    schema = kb_sub.add_parser("schema", help="JSON Schema for knowledge files (for editors)")
    schema.add_argument("kind", choices=[*SCHEMA_MODELS, "all"], nargs="?", default="all",
                        help="which file kind's schema to print (default: all)")
    schema.add_argument("--write", type=Path, metavar="DIR", default=None,
                        help="write <kind>.schema.json for every kind into DIR")
    schema.set_defaults(func=cmd_schema)


def _summary(kb: KnowledgeBase) -> str:
    c = kb.counts()
    return ", ".join([plural(c["articles"], "article"), plural(c["people"], "person", "people"),
                      plural(c["orgs"], "org"), plural(c["takeaways"], "takeaway"),
                      plural(c["quizzes"], "quiz", "quizzes")])


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    directory = args.directory or settings.knowledge_dir
    kb, problems = load_knowledge(directory)
    for problem in problems:
        print(problem)
    if kb is None:
        print(f"{count_text(problems)} in {directory}", file=sys.stderr)
        return 1
    print(f"OK: {_summary(kb)} in {directory}")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_or_report(args.directory or settings.knowledge_dir)
    if kb is None:
        return 1
    print(f"Knowledge base: {_summary(kb)}")
    print("Newest articles:")
    for article in kb.newest_articles(5):
        print(f"  {article.story_date or 'undated':10}  {article.title}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    kb = load_or_report(args.directory or settings.knowledge_dir)
    if kb is None:
        return 1
    json.dump(export_model(kb), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2) + "\n"


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    if args.write is None:
        sys.stdout.write(schema_text(args.kind))
        return 0
    try:
        args.write.mkdir(parents=True, exist_ok=True)
        for kind in SCHEMA_MODELS:
            (args.write / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
            print(f"wrote {args.write / f'{kind}.schema.json'}")
    except OSError as exc:
        what = "it is a file, not a folder" if args.write.is_file() else (exc.strerror or exc)
        print(f"labwire kb schema: cannot write into {args.write}: {what}", file=sys.stderr)
        return 1
    return 0

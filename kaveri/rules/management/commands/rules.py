"""`kaveri rules check PATH`: validate a rule set folder or one rule file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaveri.rules.loader import RuleSetInvalid, check_single_file, load_rule_set


class Command(BaseCommand):
    help = "Work with rule sets. `check PATH` validates a rule set folder or a single file."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="Validate a rule set folder or one YAML file.")
        check.add_argument("path", type=Path)

    def handle(self, *args, **options):
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder.")
        if path.is_dir():
            try:
                rules = load_rule_set(path)
            except RuleSetInvalid as invalid:
                self._fail(invalid.problems)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path}: rule set {rules.version} is valid "
                    f"({len(rules.data.pathways)} pathways, {len(rules.data.processes)} processes, "
                    f"{len(rules.services)} services, {len(rules.benefits)} benefits)."
                )
            )
            return
        problems = check_single_file(path)
        if problems:
            self._fail(problems)
        self.stdout.write(
            self.style.SUCCESS(
                f"{path}: valid on its own (check the whole folder for cross-references)."
            )
        )

    def _fail(self, problems) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(f"{len(problems)} problem(s) found.")

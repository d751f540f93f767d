"""`kaveri token create USER`, `kaveri token list`, `kaveri token revoke PREFIX`."""

import argparse

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kaveri.access.models import ApiToken
from kaveri.access.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = "Manage API tokens for integrations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Create a token for a user; shows the key once.")
        create.add_argument("username")
        create.add_argument("--name", default="integration", help="What the token is for.")
        sub.add_parser("list", help="List tokens (never their keys).")
        revoke = sub.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument(
            "prefix",
            nargs="?",
            help="The token's prefix, as `list` shows it. One that begins with '-' (made by "
            "an earlier version) is given as --prefix=-abc or after --.",
        )
        revoke.add_argument("--prefix", dest="prefix_option", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        getattr(self, f"_{options['subcommand']}")(options)

    def _create(self, options):
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user '{options['username']}'; check the user name.") from None
        token, key = create_token(user, options["name"])
        self.stdout.write(f"Token {token.prefix} for {user.username} ({token.name}).")
        self.stdout.write("Hand this key over now; it is not stored and cannot be shown again:")
        self.stdout.write(key)

    def _list(self, options):
        for token in ApiToken.objects.select_related("user"):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}  {token.user.username:<20} {token.name:<20} {state:<18} "
                f"last used {used}"
            )

    def _revoke(self, options):
        prefix = options["prefix_option"] or options["prefix"]
        if not prefix:
            raise CommandError("Give the token's prefix, as `kaveri token list` shows it.")
        try:
            token = revoke_token(prefix)
        except ApiToken.DoesNotExist:
            raise CommandError(
                f"No token with prefix '{prefix}'; see `kaveri token list`."
            ) from None
        self.stdout.write(f"Token {token.prefix} is revoked.")

"""`kaveri gdpr export CLIENT_ID` (or `--hetu-stdin`): all data held on a client as JSON.

The identity code is read from standard input, never from the command line, so
that it stays out of shell history and process lists. The export is audited.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_access
from kaveri.access.files import write_private_file
from kaveri.people.export import export_client
from kaveri.people.models import Client
from kaveri.people.validators import normalise_hetu


class Command(BaseCommand):
    help = "Subject access: `export CLIENT_ID` prints all data held on a client as JSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Export all data held on one client.")
        export.add_argument("client_id", nargs="?", type=int, help="The client's id in Kaveri.")
        export.add_argument(
            "--hetu-stdin",
            action="store_true",
            help="Read the client's henkilötunnus from standard input instead.",
        )
        export.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        client = self._client(options)
        data = export_client(client)
        record_console_access(
            Action.CONSOLE_SUBJECT_ACCESS, [client], basis="subject access request"
        )
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options["output"]:
            write_private_file(options["output"], text + "\n")
            self.stderr.write(f"Wrote the data of client {client.pk} to {options['output']}.")
        else:
            self.stdout.write(text)

    def _client(self, options) -> Client:
        if options["hetu_stdin"]:
            code = normalise_hetu(sys.stdin.readline().strip())
            found = Client.objects.with_identity_code(code).first()
            if found is None:
                raise CommandError("No client has that identity code; check it for typing errors.")
            return found
        if options["client_id"] is None:
            raise CommandError("Give the client's id, or --hetu-stdin and the code on stdin.")
        try:
            return Client.objects.get(pk=options["client_id"])
        except Client.DoesNotExist:
            raise CommandError(f"No client with id {options['client_id']}.") from None

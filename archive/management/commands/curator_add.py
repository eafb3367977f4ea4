"""Make a staff user who curates: a member of the Curators group and nothing more."""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a staff user in the Curators group (or add an existing user to it)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )

    def handle(self, *args, username: str, email: str, password_stdin: bool, **options):
        User = get_user_model()
        group = Group.objects.get(name="Curators")  # made by migration archive 0005
        user = User.objects.filter(username=username).first()
        if user is None:
            password = self.stdin_password() if password_stdin else self.prompt_password()
            user = User(username=username, email=email, is_staff=True)
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
            user.save()
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
        self.stdout.write(f"{username} is a curator.")

    def stdin_password(self) -> str:
        import sys

        return sys.stdin.readline().rstrip("\n")

    def prompt_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password

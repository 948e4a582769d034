from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from secretariat import demo
from secretariat.models import User


class Command(BaseCommand):
    help = "Load the reference data and, when DEBUG is on, the demo accounts and every app's demo records."

    def handle(self, *args, **options) -> None:
        call_command("load_reference", stdout=self.stdout)
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo accounts created.")
            return
        accounts = demo.load_demo_records()
        for line in demo.load_app_demos(by=User.objects.get(username=demo.DEMO_ADMIN)):
            self.stdout.write(line)
        # Every demo record that is a case has its case (what waits on whom: My work).
        call_command("sync_cases", stdout=self.stdout)
        self.stdout.write(f"\nDemo accounts (password for all: {demo.DEMO_PASSWORD}):")
        for username, role, affiliation in accounts:
            self.stdout.write(f"  {username:<22} {role:<28} {affiliation}")
        self.stdout.write("\nBack office: http://127.0.0.1:8000/admin/")

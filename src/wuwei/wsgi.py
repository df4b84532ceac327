import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
application = get_wsgi_application()
# Background and periodic jobs run in `wuwei worker` processes, never here (core.jobs).

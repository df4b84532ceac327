import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuwei.settings")
application = get_wsgi_application()

# Each web process runs the registered background jobs (idempotent); WUWEI_SCHEDULER=0: off.
from wuwei.core.scheduler import start_in_background  # noqa: E402

start_in_background()

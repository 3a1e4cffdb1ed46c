"""Settings for the whole site. Everything that differs between machines comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from judge.env import (
    env_base64_key,
    env_bool,
    env_header_pair,
    env_int,
    env_list,
    env_networks,
    env_secret,
    env_str,
)
from sandbox import languages as sandbox_languages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OJ_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "Online Judge")

INSTALLED_APPS = [
    "daphne",
    "judge.admin_site.SiteAdminConfig",  # the Django admin, for site administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "channels",
    "axes",
    "accounts",
    "problems",
    "judge",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "judge.middleware.RejectNulMiddleware",  # before anything (sessions too) can put a NUL into a query
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "judge.contests.middleware.ContestLockdownMiddleware",  # a running contest's participants see only it
    "accounts.audit.ActorMiddleware",  # staff actions in the execution log name the request's user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a login lockout into the 429 page
]

ROOT_URLCONF = "judge.urls"
ASGI_APPLICATION = "judge.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Web server and worker write at once; wait for the lock instead of failing. WAL: readers never
    # wait for the writer, and a commit appends to the log without an fsync (synchronous=NORMAL; a
    # power cut may lose the last commits, never the file), where a rollback journal fsyncs each
    # commit several times: that was a fifth of a judging's time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so browser tests can share the test database with a real worker process.
    # One per process, so two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "problems:list"
LOGOUT_REDIRECT_URL = "home"
# django-axes, on the site's and the admin's login alike: a username and, counted separately, a client
# address with AXES_FAILURE_LIMIT failures within the cool-off are refused (429 page) until it passes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # axes reads a float as hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True  # only that user's failures from that address (accounts/lockout.py)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # so "try again after" on the page stays true
AXES_HANDLER = "accounts.lockout.JudgeAxesHandler"
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not every student's logins and addresses forever
# Behind N reverse proxies set TRUSTED_PROXY_COUNT=N: the client address then comes from X-Forwarded-For
# (accounts/client_ip.py). With 0, only REMOTE_ADDR counts: nothing a client sends can change it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_get"
RATELIMIT_IP_META_KEY = "accounts.client_ip.client_ip_get"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# Request bodies past these get a 413 before they are read (judge/http_limits.py; in daphne as the headers
# arrive: judge/daphne_limits.py). Uploads: the 256 MiB test-data zip plus its multipart envelope.
JUDGE_MAX_REQUEST_BYTES = env_int("JUDGE_MAX_REQUEST_BYTES", 6 * 1024 * 1024)
JUDGE_MAX_UPLOAD_BYTES = env_int("JUDGE_MAX_UPLOAD_BYTES", 257 * 1024 * 1024)
JUDGE_UPLOAD_URL_NAMES = ["manage:tests_upload"]

# Secure by default once DEBUG is off: cookies only over HTTPS, HSTS on HTTPS responses. `make run` serves
# plain HTTP on loopback and says SECURE_COOKIES=false; behind a TLS proxy set SECURE_PROXY_SSL_HEADER.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = env_header_pair("SECURE_PROXY_SSL_HEADER")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every page loads its own static/js/<page>.js. Statement images may
# come from any HTTPS address (authors link figures); everything else is this site's own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF],
        "img-src": [csp_constants.SELF, "data:", "https:"],
        "font-src": [csp_constants.SELF, "data:"],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL]},
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}

# Dotted path of the sandbox engine; empty: OciEngine where this host can run it, else DockerEngine.
SANDBOX_ENGINE = env_str("SANDBOX_ENGINE", "")
# The languages the sandbox has, for apps that must not import it (problems: checker language choices).
JUDGE_LANGUAGE_CHOICES = [(key, lang.name) for key, lang in sandbox_languages.LANGUAGES.items()]
JUDGE_MAX_SOURCE_BYTES = env_int("JUDGE_MAX_SOURCE_BYTES", 64 * 1024)
JUDGE_STUCK_AFTER_SECONDS = env_int("JUDGE_STUCK_AFTER_SECONDS", 180)
# Who runs submissions: "local", the Celery worker on this machine; "hosts", judge hosts that pull jobs
# over HTTP(S) and hold no database access (python -m sandbox.host; judge/hosts/).
JUDGE_EXECUTION = env_str("JUDGE_EXECUTION", "local")
if JUDGE_EXECUTION not in ("local", "hosts"):
    raise ImproperlyConfigured(f"JUDGE_EXECUTION must be 'local' or 'hosts', not {JUDGE_EXECUTION!r}")
JUDGE_HOST_MAX_MESSAGE_BYTES = env_int("JUDGE_HOST_MAX_MESSAGE_BYTES", 256 * 1024)

CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 900)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 300}
CELERY_TASK_IGNORE_RESULT = True
# Judging and housekeeping have their own queues, so the sweeper and the reconcile never wait behind a
# backlog; scripts/run.sh starts the worker with `-Q judging,housekeeping`.
CELERY_TASK_DEFAULT_QUEUE = "judging"
# A submit must not hang on a broker that is down: try briefly, then the reconcile sends the message.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_ROUTES = {
    "judge.tasks.sweep_stuck_submissions": {"queue": "housekeeping"},
    "judge.tasks.reconcile_queued_submissions": {"queue": "housekeeping"},
    "judge.tasks.sweep_containers": {"queue": "housekeeping"},
    "judge.tasks.ops_publish": {"queue": "housekeeping"},
    "judge.tasks.similarity_check": {"queue": "housekeeping"},  # bounded; keeps judging slots free
}
# The database is the record of pending work: queued rows older than this the broker does not hold get
# their message again (every JUDGE_RECONCILE_SECONDS, at most JUDGE_RECONCILE_BATCH at once).
JUDGE_RECONCILE_SECONDS = env_int("JUDGE_RECONCILE_SECONDS", 30)
JUDGE_RECONCILE_AFTER_SECONDS = env_int("JUDGE_RECONCILE_AFTER_SECONDS", 60)
JUDGE_RECONCILE_BATCH = env_int("JUDGE_RECONCILE_BATCH", 500)
JUDGE_SWEEP_SECONDS = env_int("JUDGE_SWEEP_SECONDS", 60)  # how often stuck submissions are looked for
JUDGE_CONTAINER_SWEEP_SECONDS = env_int("JUDGE_CONTAINER_SWEEP_SECONDS", 300)
# Fail fast: refuse submits (503) with no live worker, or with this many waiting (0: no bound).
JUDGE_REQUIRE_LIVE_WORKER = env_bool("JUDGE_REQUIRE_LIVE_WORKER", True)
JUDGE_MAX_QUEUE_DEPTH = env_int("JUDGE_MAX_QUEUE_DEPTH", 2000)
JUDGE_WORKER_HEARTBEAT_SECONDS = env_int("JUDGE_WORKER_HEARTBEAT_SECONDS", 5)
JUDGE_WORKER_DEAD_AFTER_SECONDS = env_int("JUDGE_WORKER_DEAD_AFTER_SECONDS", 20)
JUDGE_ENGINE_CHECK_SECONDS = env_int("JUDGE_ENGINE_CHECK_SECONDS", 30)
JUDGE_ENGINE_RETRY_MAX_SECONDS = env_int("JUDGE_ENGINE_RETRY_MAX_SECONDS", 30)
# The operators' dashboard (/ops/): a fresh snapshot to open dashboards this often, a load sample this often.
JUDGE_OPS_PUSH_SECONDS = env_int("JUDGE_OPS_PUSH_SECONDS", 5)
JUDGE_OPS_SAMPLE_SECONDS = env_int("JUDGE_OPS_SAMPLE_SECONDS", 60)

# /metrics (Prometheus): a client with `Authorization: Bearer $METRICS_TOKEN`, or one whose address is in
# METRICS_ALLOW (addresses or networks); with neither set, only loopback not forwarded by a proxy.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOW = env_networks("METRICS_ALLOW")
# A worker on a machine of its own serves its counters on this port (0: it doesn't); see the README.
JUDGE_WORKER_METRICS_PORT = env_int("JUDGE_WORKER_METRICS_PORT", 0)
JUDGE_WORKER_METRICS_ADDR = env_str("JUDGE_WORKER_METRICS_ADDR", "127.0.0.1")
# The execution log (judge/audit/): each machine signs what it appends with its own Ed25519 key, base64 of
# the raw 32 bytes. Unset: a key made once and kept in JUDGE_AUDIT_KEY_FILE (fine on one machine).
JUDGE_AUDIT_SIGNING_KEY = env_base64_key("JUDGE_AUDIT_SIGNING_KEY", length=32)
JUDGE_AUDIT_KEY_ID = env_str("JUDGE_AUDIT_KEY_ID", "")  # default: from the public key
JUDGE_AUDIT_KEY_FILE = Path(env_str("JUDGE_AUDIT_KEY_FILE", str(VAR_DIR / "audit-signing-key")))
# `key_id=base64 public key, ...`: audit_verify then trusts only these, not the keys the database lists.
JUDGE_AUDIT_PUBLIC_KEYS = env_list("JUDGE_AUDIT_PUBLIC_KEYS", [])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # JSON only: the site has its own pages, and the browsable API is one more surface to keep safe.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "judge.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": 'Problems and submissions. Errors are JSON: `{"detail": "..."}` or per-field lists.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-submissions": {
        "task": "judge.tasks.sweep_stuck_submissions",
        "schedule": float(JUDGE_SWEEP_SECONDS),
    },
    "reconcile-queued-submissions": {
        "task": "judge.tasks.reconcile_queued_submissions",
        "schedule": float(JUDGE_RECONCILE_SECONDS),
    },
    "sweep-containers": {
        "task": "judge.tasks.sweep_containers",
        "schedule": float(JUDGE_CONTAINER_SWEEP_SECONDS),
    },
    "ops-publish": {
        "task": "judge.tasks.ops_publish",
        "schedule": float(JUDGE_OPS_PUSH_SECONDS),
        "options": {"expires": float(JUDGE_OPS_PUSH_SECONDS)},  # a late push is useless: the next one comes
    },
}
JUDGE_SUBMIT_RATE = env_str("JUDGE_SUBMIT_RATE", "6/m")
JUDGE_MAX_QUEUED_PER_USER = env_int("JUDGE_MAX_QUEUED_PER_USER", 5)
# Someone outside a problem's course or club is judged on the shared "Public practice" pool, not on the
# problem's tenant. These are the pool's limits when its quota row is first made; the admin edits them later.
JUDGE_PUBLIC_QUOTA = {
    "max_running": env_int("JUDGE_PUBLIC_MAX_RUNNING", 1),
    "max_queued": env_int("JUDGE_PUBLIC_MAX_QUEUED", 50),
    "cpu_seconds_per_day": env_int("JUDGE_PUBLIC_CPU_SECONDS_PER_DAY", 3600),
}
ACCOUNTS_SIGNUP_RATE = env_str("ACCOUNTS_SIGNUP_RATE", "5/h")  # accounts made per client address
ACCOUNTS_JOIN_CODE_RATE = env_str("ACCOUNTS_JOIN_CODE_RATE", "10/h")  # wrong join codes per user
ACCOUNTS_JOIN_CODE_IP_RATE = env_str("ACCOUNTS_JOIN_CODE_IP_RATE", "50/h")  # ... per address (a whole class)
MANAGE_PREVIEW_RATE = env_str("MANAGE_PREVIEW_RATE", "60/m")  # statement previews per instructor
JUDGE_RUN_RATE = env_str("JUDGE_RUN_RATE", "10/m")  # Run-box runs (try before submitting) per user

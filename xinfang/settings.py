"""Settings, read from the environment with defaults that run a fresh clone on SQLite.

Nothing secret lives here: SECRET_KEY comes from the environment or from a file under
var/ created on first start.
"""

import datetime
import json
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINFANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def _secret_key():
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "xinfang.org",
    "xinfang.calendar",
    "xinfang.audit",
    "xinfang.documents",
    "xinfang.notify",
    "xinfang.supervision",
    "xinfang.intake",
    "xinfang.cases",
    "xinfang.api",
    "xinfang.analytics",
    "xinfang.web",
    "xinfang.nlp",
    "xinfang.demo",
    "xinfang.ops",
    "xinfang.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xinfang.portal.middleware.PublicSecurityHeaders",  # strict CSP, no-store on the public site
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinfang.org.middleware.SessionMiddleware",  # Django's; a failed save after the view's commit is no 400
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xinfang.audit.middleware.AuditContextMiddleware",
    "xinfang.org.middleware.AccountGateMiddleware",  # idle timeout, first-login password, second factor
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its answer
]

ROOT_URLCONF = "xinfang.urls"
WSGI_APPLICATION = "xinfang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xinfang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Service messages in one language on every page (xinfang/lib/pagetext.py).
            "builtins": ["xinfang.lib.pagetext"],
        },
    }
]


def _database():
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
        db["CONN_HEALTH_CHECKS"] = True
        if db["ENGINE"].endswith("postgresql") and env_bool("PG_SERVER_SIDE_BINDING", False):
            # Server-side parameters (psycopg prepares a statement after its fifth use on a
            # connection). Off by default: on the registration benchmark it changed
            # neither the server's nor PostgreSQL's CPU per request (bench/README.md).
            db.setdefault("OPTIONS", {})["server_side_binding"] = True
        if db["ENGINE"].endswith("postgresql") and not env_bool("PG_JIT", False):
            # PostgreSQL compiles any query its planner costs above 100,000 to machine
            # code first. For a county's unfiltered case count over 100,000 cases that
            # took 88 of 155 ms; without it the query takes 56 ms (bench/README.md).
            options = db.setdefault("OPTIONS", {})
            options["options"] = (options.get("options", "") + " -c jit=off").strip()
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "xinfang.sqlite3")),
        "OPTIONS": {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
            # at BEGIN so two writers queue instead of failing half-way with "locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
        # A file, not :memory:, so that tests with several threads (two clerks at once)
        # use real connections; pytest-xdist appends the worker name.
        "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:my_work"
LOGOUT_REDIRECT_URL = "web:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Logins: django-axes refuses an account after repeated failures, on the login page and
# the API token route alike (org/backends.py); the model backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "xinfang.org.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xinfang.org.validators.UserAttributeContainmentValidator"},
    {"NAME": "xinfang.org.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "xinfang" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Django's, except that a write the full disk cut short leaves no half file (lib/storage.py).
    "default": {"BACKEND": "xinfang.lib.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Shared by every process of the machine (rate limits must add up across gunicorn
# workers): files under var/cache with atomic add/incr (lib/filecache.py); Redis when
# REDIS_URL is set, for several machines. CACHE_DIR moves the files.
CACHES = {"default": {
    "BACKEND": "xinfang.lib.filecache.LockedFileCache",
    "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
    # Rate-limit counters are entries too: past MAX_ENTRIES Django drops a share of them.
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", 20000))},
}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}

SESSION_COOKIE_HTTPONLY = True
# A session lasts at most SESSION_COOKIE_AGE, and ends earlier after SESSION_IDLE_TIMEOUT
# seconds without a request (org/middleware.py); 0 turns the idle limit off.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 30 * 60))
# Requests a page makes by itself (the notification bell's poll): they neither count as
# activity for the idle limit nor keep a session alive (org/middleware.py).
SESSION_PASSIVE_PATHS = ["/notify/bell/"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background work: huey on SQLite under var/ by default, Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "xinfang", "url": os.environ["REDIS_URL"], "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "xinfang",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }

# The electronic case file (docs/documents.md): LibreOffice converts the Word documents
# (`make office` installs libreoffice-writer-nogui); `timeout` in seconds per document;
# `processes`: LibreOffice runs at once for one case file (one per core is best);
# the retention (保管期限) an archived case gets by its kind unless the archivist chooses.
XINFANG_CASEFILE = {
    "soffice": os.environ.get("SOFFICE", "soffice"),
    "timeout": int(os.environ.get("CASEFILE_TIMEOUT", 60)),
    "processes": int(os.environ.get("CASEFILE_PROCESSES", 2)),
    "startup": 30,  # seconds a LibreOffice run may take to start, on top of the documents' time
    "font_file": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "retention": {"grievance": "10y", "suggestion": "10y", "accusation": "30y"},
}

# Attachments: what a clerk may upload with a petition or a reply.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
# Written documents (documents/services.py): an uploaded Word template, and a new version
# of an issued document by its real type ("default" is also the most read of any upload).
DOCUMENT_TEMPLATE_MAX_BYTES = int(os.environ.get("DOCUMENT_TEMPLATE_MAX_BYTES", 5 * 1024 * 1024))
DOCUMENT_VERSION_MAX_BYTES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 10 * 1024 * 1024,
    "application/pdf": 20 * 1024 * 1024,
    "default": 20 * 1024 * 1024,
}
DOCUMENT_IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff", "image/webp")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Legal limits (DOMAIN.md). National defaults; a deployment overrides any of them with
# XINFANG_LIMITS='{"handle_days": {"grievance": 60}, "decide_working_days": true}'.
XINFANG_LIMITS = {
    "decide_days": 15,  # Arts. 22-23: decide acceptance / route
    "decide_working_days": False,
    "handle_days": {"grievance": 60, "suggestion": 60, "accusation": 60},  # Arts. 29-34
    "handle_working_days": False,
    "extend_max_days": 30,  # Art. 34, once
    "objection_working_days": 5,  # Art. 23: a wrongly assigned unit objects within 5 working days
    "review_window_days": 30,  # Art. 35: petitioner asks for review
    "review_answer_days": 30,
    "re_review_window_days": 30,  # Art. 36
    "re_review_answer_days": 30,
    "due_soon_days": 3,  # "due soon" badge on the work list
    # A petition received more than this many days before it is registered is a late
    # entry (补录): registering it asks for confirmation, and the case carries the mark.
    "late_entry_days": 30,
    # An assisting unit (协办) submits its part within this many days of the assignment,
    # and never later than the lead unit's handling deadline.
    "assist_days": 15,
    # A written answer is delivered (送达) within this many calendar days of the reply:
    # after it, the case is on the overdue lists as 答复送达期限 (docs/deadlines.md).
    "deliver_days": 5,
}
XINFANG_LIMITS.update(json.loads(os.environ.get("XINFANG_LIMITS", "{}")))

API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", 12))

# Lockout after repeated failed logins (django-axes). By default the account name is
# locked, whatever address the guesses come from: AXES_LOCKOUT_PARAMETERS="username,ip_address"
# locks the pair instead (a guesser cannot lock a colleague out from elsewhere).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [os.environ.get("AXES_LOCKOUT_PARAMETERS", "username").split(",")]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the cool-off runs from the failure that locked
AXES_LOCKOUT_CALLABLE = "xinfang.org.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # logins and logouts are in the audit record
AXES_VERBOSE = False
# axes.W006 asks for the address among the lockout parameters; many offices reach the
# server through one NAT address, and locking it would lock the whole office out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Second factor (TOTP, django-otp) for staff: required for the roles listed here
# (codes of org.choices.Role, plus "superuser"), e.g. OTP_REQUIRED_ROLES="admin,auditor";
# anyone may enrol, and whoever has enrolled is asked for a code at every login.
OTP_REQUIRED_ROLES = [r for r in os.environ.get("OTP_REQUIRED_ROLES", "").split(",") if r]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "信访业务系统")

# The auditor's export: rows per file at most (narrow the dates for more).
AUDIT_EXPORT_MAX_ROWS = int(os.environ.get("AUDIT_EXPORT_MAX_ROWS", 200_000))
# The case list's export (案件查询 → 导出): rows per file at most; more is refused with a
# request to narrow the filters, never cut short.
CASE_EXPORT_MAX_ROWS = int(os.environ.get("CASE_EXPORT_MAX_ROWS", 50_000))

# Backups (python manage.py backup): where archives go, and how many to keep.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", 14))

# Personal data at rest (xinfang/lib/crypto.py, docs/security.md): AES-256-GCM keys and
# the separate keys of the lookup hashes, each "id:base64,id:base64" (newest last); when
# unset, the key file, which a fresh clone creates on first use. A production server sets
# XINFANG_KEYS_AUTOCREATE=0 so that a missing file is an error, never a new key.
XINFANG_DATA_KEYS = os.environ.get("XINFANG_DATA_KEYS", "")
XINFANG_LOOKUP_KEYS = os.environ.get("XINFANG_LOOKUP_KEYS", "")
XINFANG_KEY_FILE = Path(os.environ.get("XINFANG_KEY_FILE", VAR_DIR / "keys" / "data.keys"))
XINFANG_KEYS_AUTOCREATE = env_bool("XINFANG_KEYS_AUTOCREATE", True)

# The public site (网上信访, xinfang.portal; docs/portal.md).
PORTAL_URL_PREFIX = "/portal/"
PORTAL_CSP_PATHS = [PORTAL_URL_PREFIX, "/api/v1/public/"]
# Key of the query codes' HMAC; SECRET_KEY when unset. Changing it invalidates every code.
PORTAL_CODE_KEY = os.environ.get("PORTAL_CODE_KEY", "")
# Per network (IPv4 address, IPv6 /64) unless named per code. N/period, period in s, m, h, d.
# Counted in the shared cache (lib/ratelimit.py): exact across the processes of one machine,
# and across machines with REDIS_URL.
PORTAL_RATE_LIMITS = {
    "submit_ip": "10/1h",  # accepted submissions (a village or a carrier may share one address)
    "captcha_ip": "60/1h",  # new captcha challenges (each submit form shows one)
    "follow_ip": "60/1h",  # follow queries, right or wrong
    "follow_fail_ip": "10/1h",  # queries with a code that does not exist or a wrong last-four
    "code_fail": "5/1d",  # wrong last-four for one code: then that code is locked for the day
    "act_ip": "20/1h",  # evaluations and review requests
}
PORTAL_RATE_LIMITS.update(json.loads(os.environ.get("PORTAL_RATE_LIMITS", "{}")))
# Staff, per person: full personal records shown with 显示完整信息 (a clerk calling back a
# few petitioners needs a handful; hundreds an hour is harvesting, and is refused and recorded).
STAFF_RATE_LIMITS = {"reveal_user": "60/1h"}
STAFF_RATE_LIMITS.update(json.loads(os.environ.get("STAFF_RATE_LIMITS", "{}")))
PORTAL_UPLOAD_MAX_BYTES = int(os.environ.get("PORTAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
PORTAL_UPLOAD_MAX_FILES = 5
# Behind a reverse proxy: the META key of the header it sets to the visitor's address
# (e.g. HTTP_X_REAL_IP). Only set it when every request comes through that proxy.
PORTAL_CLIENT_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER", "")
# The public site's address as petitioners reach it (e.g. https://xf.example.gov.cn), printed
# on the receipts that staff hand out; unset, the address of the page that prints them.
PORTAL_PUBLIC_URL = os.environ.get("PORTAL_PUBLIC_URL", "").rstrip("/")
# Notifications and the outbox (xinfang.notify, docs/notify.md). Messages to people are
# held outside working hours (Beijing time) and on the legal calendar's rest days and
# holidays; a failed one is tried again after backoff_seconds × 1, 2, 4 … and given up
# (and shown to the administrators) after max_attempts tries.
NOTIFY = {
    "work_start": "08:30",
    "work_end": "18:00",
    "max_attempts": 5,
    "backoff_seconds": 60,
    "lease_seconds": 300,  # how long a worker may take to send one batch before another takes it over
    "batch": 100,
}
NOTIFY.update(json.loads(os.environ.get("XINFANG_NOTIFY", "{}")))
# Reminders and overdue sweeps (xinfang.supervision.sweeps, docs/supervision.md): a
# deadline within remind_before_working_days working days gets a 临期提醒, a passed one a
# 逾期催办, and one escalate_after_days calendar days overdue a 逾期通报 (the supervising
# unit told, the supervision level raised). Override with
# XINFANG_SUPERVISION='{"remind_before_working_days": 5}'.
SUPERVISION = {
    "remind_before_working_days": 3,
    "escalate_after_days": 5,
    "sweep_minutes": 15,  # how often the huey periodic task runs the sweep
}
SUPERVISION.update(json.loads(os.environ.get("XINFANG_SUPERVISION", "{}")))
# SMS: the adapter (xinfang/notify/sms.py). xinfang.notify.sms.HttpSMSBackend posts to a
# gateway at SMS_HTTP_URL with SMS_HTTP_TOKEN as bearer token.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "xinfang.notify.sms.LoggingSMSBackend")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = float(os.environ.get("SMS_HTTP_TIMEOUT", 10))
# Email through Django's backends: SMTP when EMAIL_HOST is set, the console otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST")
                               else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xinfang@localhost")
# The staff site's address (e.g. https://xf.example.gov.cn), put before links in emails.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
CSRF_FAILURE_VIEW = "xinfang.portal.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"xinfang.sms": {"level": "INFO"}},
}

"""ITA Desk settings. Everything that differs between machines comes from environment variables
(documented in README.md): the embedded default is a SQLite file under ``var/``."""

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
if "ITADESK_VAR_DIR" not in os.environ and "pytest" in sys.modules:
    # A test run started without a var directory of its own (plain ``pytest``; scripts/run-tests.sh gives one)
    # keeps its files (secret key, job queue, media, backups) in a temporary one, never in the checkout's var/.
    # Set in the environment, so the processes the tests start use it too; tests/conftest.py removes it.
    os.environ["ITADESK_VAR_DIR"] = tempfile.mkdtemp(prefix="itadesk-test-var-")
VAR_DIR = Path(os.environ.get("ITADESK_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


DEBUG = env_bool("ITADESK_DEBUG", False)
SECRET_KEY = os.environ.get("ITADESK_SECRET_KEY", "")
if not SECRET_KEY:
    # A stable per-installation key kept beside the database, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        from django.utils.crypto import get_random_string

        key_file.write_text(get_random_string(64))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

SITE_URL = os.environ.get("ITADESK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_SITE_HOST = urlsplit(SITE_URL).hostname or "127.0.0.1"
# The site's own host name and the loopback names (the test client adds its own "testserver").
ALLOWED_HOSTS = env_list("ITADESK_ALLOWED_HOSTS", ",".join(dict.fromkeys([_SITE_HOST, "127.0.0.1", "localhost", "[::1]"])))
CSRF_TRUSTED_ORIGINS = env_list("ITADESK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "itadesk.core",
    "itadesk.registry",
    "itadesk.accounts",
    "itadesk.cycles",
    "itadesk.committee",
    "itadesk.methodology",
    "itadesk.evidence",
    "itadesk.surveys",
    "itadesk.questionnaires",
    "itadesk.documents",
    "itadesk.reports",
    "itadesk.projects",
    "itadesk.calendars",
    "itadesk.notifications",
    "itadesk.demo",
    "itadesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page, the public questionnaire pages included (set before them).
    "itadesk.core.csp.PolicyMiddleware",
    # The public questionnaire pages (/q/<id>/) with only what they need; every other path passes through.
    "itadesk.questionnaires.middleware.PublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "itadesk.core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in user kept under the data versions when the page cache is on (core.versions).
    "itadesk.core.middleware.AuthenticationMiddleware",
    # Two-step sign-in (itadesk/accounts/twofactor.py): a session that still owes its code reaches only the code page.
    "itadesk.accounts.twofactor.OTPMiddleware",
    "itadesk.accounts.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An agency that is not in the round of the URL gets a page that says so, not a bare 404.
    "itadesk.cycles.rounds.NotInRoundMiddleware",
]

ROOT_URLCONF = "itadesk.urls"
WSGI_APPLICATION = "itadesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # Django's CSRF token (built into every template context) with a cheaper mask: core.context_processors.
                "itadesk.core.context_processors.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "itadesk.accounts.context_processors.roles",
                "itadesk.cycles.context_processors.round_switcher",
            ],
            "builtins": ["itadesk.core.templatetags.thai", "itadesk.core.templatetags.layout"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'itadesk.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("ITADESK_DB_PREPARED", True):
    # PostgreSQL: parameters sent apart from the statement, and a statement run five times on a connection is
    # prepared once and planned no more (a page's queries repeat on every request of its kind: about 15 % less
    # of the database's CPU on deadline day, docs/benchmarks.md). ITADESK_DB_PREPARED=0 for a transaction-mode
    # connection pooler that cannot keep prepared statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Thai first: Thai UI by default, English on request; times shown in Asia/Bangkok, stored in UTC.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ITADESK_IMPORT_MAX_BYTES = int(os.environ.get("ITADESK_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
# Import files above either size are checked (and applied) by a background job with a progress bar, not in the
# request: bytes of the file (an XLSX counts what it unpacks to), or lines of a CSV.
ITADESK_IMPORT_BACKGROUND_BYTES = int(os.environ.get("ITADESK_IMPORT_BACKGROUND_BYTES", 1024 * 1024))
ITADESK_IMPORT_BACKGROUND_ROWS = int(os.environ.get("ITADESK_IMPORT_BACKGROUND_ROWS", 2000))
# A running job whose worker has not been heard of for this many seconds is taken as dead (killed, machine
# restarted): it is queued again, or marked failed with its progress after ITADESK_JOB_MAX_ATTEMPTS tries.
ITADESK_JOB_LEASE_SECONDS = int(os.environ.get("ITADESK_JOB_LEASE_SECONDS", 120))
ITADESK_JOB_MAX_ATTEMPTS = int(os.environ.get("ITADESK_JOB_MAX_ATTEMPTS", 2))
# Results and exports of an open mock questionnaire move only after this many new responses (anonymity).
ITADESK_QUESTIONNAIRE_RELEASE_K = int(os.environ.get("ITADESK_QUESTIONNAIRE_RELEASE_K", "5"))

ITADESK_REPORT_PDF_MAX_ROWS = int(os.environ.get("ITADESK_REPORT_PDF_MAX_ROWS", 2000))  # rows of one table a report PDF prints

# E-mail: console by default; SMTP when ITADESK_EMAIL_URL-style settings are given.
EMAIL_HOST = os.environ.get("ITADESK_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("ITADESK_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("ITADESK_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("ITADESK_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("ITADESK_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get("ITADESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("ITADESK_EMAIL_FROM", "ITA Desk <noreply@itadesk.local>")

# Background jobs: Huey on its own SQLite file by default; Redis when ITADESK_REDIS_URL is set.
_redis = os.environ.get("ITADESK_REDIS_URL")
HUEY = {
    "name": "itadesk",
    "immediate": env_bool("ITADESK_JOBS_IMMEDIATE", False),
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if _redis:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")})

# The cache of the busiest pages and their data versions (itadesk.core.versions): shared by the web
# processes and the job workers through Redis when ITADESK_REDIS_URL is set (production), and only then are
# pages cached: without Redis the job worker is another process whose writes could not reach the web
# process's memory. ITADESK_PAGE_CACHE=0 turns it off; the tests turn it on (one process).
if _redis:
    CACHES = {"default": {"BACKEND": "itadesk.core.versions.RedisCache", "LOCATION": _redis,  # Django's, a client kept
                          "KEY_PREFIX": "itadesk-cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
ITADESK_PAGE_CACHE = env_bool("ITADESK_PAGE_CACHE", bool(_redis))
# Sessions: read from the shared Redis cache and written through to the database (cached_db), so that a page
# does not query its session row and a Redis restart logs nobody out; the database alone without Redis.
# itadesk.core.sessions is cached_db reading the session in one round trip with the data versions.
if _redis:
    SESSION_ENGINE = "itadesk.core.sessions"
# Count the cached pages' hits and misses in the cache (core.versions.page_stats; bench/deadline_day.py reads
# them): counted in each process and added to the cache at most once a second, so that counting costs no request
# a round trip of its own.
ITADESK_PAGE_CACHE_STATS = env_bool("ITADESK_PAGE_CACHE_STATS", False)

# Days before a deadline on which reminder digests go out (comma-separated).
# OIT evidence checker (itadesk.evidence.checker builds its CheckerConfig from these).
ITADESK_CRAWLER_ALLOW = env_list("ITADESK_CRAWLER_ALLOW")  # hosts/networks allowed although private, e.g. 127.0.0.1
ITADESK_CRAWLER_PER_HOST = int(os.environ.get("ITADESK_CRAWLER_PER_HOST", "2"))  # concurrent requests per host
ITADESK_CRAWLER_DELAY = float(os.environ.get("ITADESK_CRAWLER_DELAY", "0.5"))  # seconds between requests to a host
ITADESK_CRAWLER_TIMEOUT = float(os.environ.get("ITADESK_CRAWLER_TIMEOUT", "20"))  # seconds per request
ITADESK_CRAWLER_MAX_BYTES = int(os.environ.get("ITADESK_CRAWLER_MAX_BYTES", 25 * 1024 * 1024))
ITADESK_CRAWLER_MAX_REDIRECTS = int(os.environ.get("ITADESK_CRAWLER_MAX_REDIRECTS", "5"))
# Who runs this checker, added to its User-Agent so that a website's administrator can reach you,
# e.g. "https://ita.loei.go.th/ or itadesk@loei.go.th".
ITADESK_CRAWLER_CONTACT = os.environ.get("ITADESK_CRAWLER_CONTACT", "") or None
# Processes that extract text and apply the rules (CPU work); empty: one per CPU, 0: in the job's own process.
ITADESK_CRAWLER_WORKERS = int(os.environ["ITADESK_CRAWLER_WORKERS"]) if os.environ.get("ITADESK_CRAWLER_WORKERS") else None
# Pages the checker opens when a URL cannot be reached: if none answers, the checker itself is offline and
# reports "not checked" instead of blaming the agency (comma-separated; "-" = never probe).
ITADESK_CRAWLER_PROBE_URLS = [u for u in env_list("ITADESK_CRAWLER_PROBE_URLS")
                              or ["https://www.nacc.go.th/", "https://www.google.com/"] if u != "-"]
ITADESK_SNAPSHOT_MAX_FILE_BYTES = int(os.environ.get("ITADESK_SNAPSHOT_MAX_FILE_BYTES", 5 * 1024 * 1024))
ITADESK_EVIDENCE_CHECK_HOUR = int(os.environ.get("ITADESK_EVIDENCE_CHECK_HOUR", "2"))  # nightly check (Bangkok)
# URLs per part of the nightly check: a province's URLs are split by host into parts that any worker can take
ITADESK_EVIDENCE_CHECK_PART_URLS = int(os.environ.get("ITADESK_EVIDENCE_CHECK_PART_URLS", "2000"))

ITADESK_REMINDER_DAYS = [int(d) for d in env_list("ITADESK_REMINDER_DAYS", "14,7,3,1")]
ITADESK_REMINDER_HOUR = int(os.environ.get("ITADESK_REMINDER_HOUR", "8"))
# Notifications (docs/notifications.md): delivered by a background job after the hand-off commits (inline, in
# the same process, when ITADESK_NOTIFY_INLINE is set or jobs run immediately); LINE messages of one recipient
# collected for ITADESK_LINE_DIGEST_MINUTES and pushed as one digest; the LINE Messaging API's address.
ITADESK_NOTIFY_INLINE = env_bool("ITADESK_NOTIFY_INLINE", HUEY["immediate"])
ITADESK_LINE_DIGEST_MINUTES = int(os.environ.get("ITADESK_LINE_DIGEST_MINUTES", "10"))
ITADESK_LINE_API_URL = os.environ.get("ITADESK_LINE_API_URL", "https://api.line.me").rstrip("/")
# Days an invitation's set-password link stays valid (docs/people.md); resending starts a new period.
ITADESK_INVITATION_DAYS = int(os.environ.get("ITADESK_INVITATION_DAYS", "14"))
# Calendar feeds (docs/calendars.md): reminders before a deadline, how long a built feed is kept, how often a
# calendar application is asked to refresh, reads of one address a minute.
ITADESK_CALENDAR_ALARM_DAYS = [int(d) for d in env_list("ITADESK_CALENDAR_ALARM_DAYS", "7,1")]
ITADESK_CALENDAR_CACHE_SECONDS = int(os.environ.get("ITADESK_CALENDAR_CACHE_SECONDS", "300"))
ITADESK_CALENDAR_REFRESH_SECONDS = int(os.environ.get("ITADESK_CALENDAR_REFRESH_SECONDS", "3600"))
ITADESK_CALENDAR_FEED_PER_MINUTE = int(os.environ.get("ITADESK_CALENDAR_FEED_PER_MINUTE", "20"))

SESSION_COOKIE_HTTPONLY = True
# Secure by default when the site is served over HTTPS (ITADESK_SITE_URL=https://…): cookies only over
# HTTPS, plain HTTP redirected, HSTS for a year (ITADESK_HSTS_SECONDS; 0 turns it off). Behind a reverse
# proxy that terminates TLS (ITADESK_TRUSTED_PROXIES set), its X-Forwarded-Proto says whether the request
# came in over HTTPS; the proxy must set that header itself (Caddy does), never pass on the client's.
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("ITADESK_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("ITADESK_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # a local probe straight to the app server, over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("ITADESK_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ITADESK_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("ITADESK_HSTS_PRELOAD", False)
    if env_list("ITADESK_TRUSTED_PROXIES"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = CSRF_TRUSTED_ORIGINS or [SITE_URL]
# Asking browsers' preload lists to pin the domain to HTTPS is the domain owner's decision, made outside the
# app (hstspreload.org); it stays off by default, so the deploy check's reminder about it is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp; docs/security.md): scripts, styles, fonts and images only from the
# site's own static files, no inline script or style at all (behaviour is in static JavaScript, looks in
# CSS classes), no plugins, no framing, forms post only to the site. Bootstrap's icons in its CSS are
# data: images. ITADESK_CSP=0 turns it off; ITADESK_CSP_REPORT_ONLY=1 only reports violations.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if env_bool("ITADESK_CSP", True):
    if env_bool("ITADESK_CSP_REPORT_ONLY", False):
        CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
    else:
        CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ITADESK_LOG_LEVEL", "WARNING")},
}

# Official ITAS questionnaire links, from an agency's ITAS code ({instrument} is "iit" or "eit").
ITADESK_ITAS_QUESTIONNAIRE_URL = os.environ.get("ITADESK_ITAS_QUESTIONNAIRE_URL",
                                                "https://itas.nacc.go.th/go/{instrument}/{code}")

# The Thai font that generated Word files declare (every run, for Latin and complex script): TH SarabunPSK
# is the government's standard font (Cabinet resolution of 7 Sep 2553); offices that type in
# TH SarabunIT๙ or TH Sarabun New may set that name instead.
ITADESK_DOCX_FONT = os.environ.get("ITADESK_DOCX_FONT", "TH SarabunPSK")

# Backups (``itadesk backup`` / ``itadesk restore``; docs/deploy.md). The nightly job writes one archive at
# ITADESK_BACKUP_HOUR:00 Bangkok time into ITADESK_BACKUP_DIR and keeps the newest ITADESK_BACKUP_KEEP;
# an empty ITADESK_BACKUP_HOUR turns it off.
ITADESK_BACKUP_DIR = Path(os.environ.get("ITADESK_BACKUP_DIR", VAR_DIR / "backups"))
ITADESK_BACKUP_KEEP = int(os.environ.get("ITADESK_BACKUP_KEEP", "14"))
ITADESK_BACKUP_HOUR = os.environ.get("ITADESK_BACKUP_HOUR", "1").strip()

# Slowing down password guessing (itadesk/core/throttle.py): after ITADESK_LOGIN_FAILURES failed logins of
# one user name from one address within a day (or ITADESK_LOGIN_FAILURES_PER_ADDRESS of any names from one
# address within an hour) logins are refused for ITADESK_LOGIN_LOCK_MINUTES, doubled for each further
# failure, at most a day. Password reset: at most ITADESK_RESET_PER_EMAIL requests an hour per e-mail and
# ITADESK_RESET_PER_ADDRESS per client address.
ITADESK_LOGIN_THROTTLE = env_bool("ITADESK_LOGIN_THROTTLE", True)
ITADESK_LOGIN_FAILURES = int(os.environ.get("ITADESK_LOGIN_FAILURES", "5"))
ITADESK_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("ITADESK_LOGIN_FAILURES_PER_ADDRESS", "30"))
ITADESK_LOGIN_LOCK_MINUTES = int(os.environ.get("ITADESK_LOGIN_LOCK_MINUTES", "5"))
ITADESK_RESET_PER_EMAIL = int(os.environ.get("ITADESK_RESET_PER_EMAIL", "3"))
ITADESK_RESET_PER_ADDRESS = int(os.environ.get("ITADESK_RESET_PER_ADDRESS", "10"))
AUTHENTICATION_BACKENDS = ["itadesk.core.throttle.LoginThrottleBackend"]
# The API (/api/v1/, docs/api.md): calls per personal token per minute (0: no limit), and page sizes.
ITADESK_API_RATE_PER_MINUTE = int(os.environ.get("ITADESK_API_RATE_PER_MINUTE", "120"))
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
# Two-step sign-in (docs/security.md): the secretariat, officers, reviewers and superusers may add a code from
# an authenticator app. ITADESK_REQUIRE_2FA lists the roles that must ("secretariat,officer,reviewer,superuser",
# or "all" for those four); empty: nobody must. Wrong codes are throttled like passwords.
ITADESK_REQUIRE_2FA = env_list("ITADESK_REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("ITADESK_2FA_ISSUER", "ITA Desk")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the secret is shown only on the set-up page, never in Django admin
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks), e.g. "127.0.0.1,::1" when Caddy
# runs on the same machine. Empty: the connection's own address is the client's (itadesk/core/client_ip.py).
ITADESK_TRUSTED_PROXIES = env_list("ITADESK_TRUSTED_PROXIES")

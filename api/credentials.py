"""A plan's CalDAV password (or OAuth access token), encrypted at rest with the
operator's key (PLANNER_SECRET_KEY, Fernet from `cryptography`: AES-128-CBC with an
HMAC-SHA256, so a stored value that was altered is refused, not decrypted to garbage).
Several keys, comma-separated, rotate: the first encrypts, each of them decrypts.

The clear text exists only in memory, for the requests to the learner's server: it is
never logged, answered, or put in the plan's JSON."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from api.settings import Settings

NO_KEY = (
    "this service keeps no calendar passwords: its operator must set PLANNER_SECRET_KEY "
    "(a Fernet key, which encrypts them at rest) and restart it"
)


class NoSecretKeyError(Exception):
    """The operator set no key (or not a Fernet key): no calendar target can be kept
    (503: the service's configuration, not the request)."""

    def __init__(self, problem: str = NO_KEY) -> None:
        super().__init__(problem)


class SecretBox:
    """Encrypts and decrypts with the operator's keys."""

    def __init__(self, keys: list[str]) -> None:
        try:
            self._fernet = MultiFernet([Fernet(key.strip().encode()) for key in keys])
        except (ValueError, TypeError):
            raise NoSecretKeyError(
                "PLANNER_SECRET_KEY is not a Fernet key (32 url-safe base64-encoded bytes); "
                "the operator must set a valid one: no calendar passwords are kept until then"
            ) from None

    def seal(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode())

    def open(self, sealed: bytes) -> str:
        """The clear text.

        Raises:
            NoSecretKeyError: none of the keys encrypted it (the key was replaced
                without keeping the old one beside it).
        """
        try:
            return self._fernet.decrypt(sealed).decode()
        except InvalidToken:
            raise NoSecretKeyError(
                "the stored calendar password was encrypted with a key PLANNER_SECRET_KEY no "
                "longer holds: the operator must add the old key after the new one (or the "
                "owner sets the calendar again)"
            ) from None


def secret_box(settings: Settings) -> SecretBox:
    """The box of the settings' keys.

    Raises:
        NoSecretKeyError: no key is set, or one is not a Fernet key.
    """
    if settings.secret_key is None or not settings.secret_key.get_secret_value().strip():
        raise NoSecretKeyError()
    return SecretBox(settings.secret_key.get_secret_value().split(","))


def key_problem(settings: Settings) -> str | None:
    """Why calendar targets are off (None: they are on): the log line at start."""
    try:
        secret_box(settings)
    except NoSecretKeyError as error:
        return str(error)
    return None

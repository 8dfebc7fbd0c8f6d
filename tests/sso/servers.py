"""The real servers the sign-in tests start and stop: Debian's slapd as the city
directory and a django-oauth-toolkit project as the city's OpenID provider. Each runs
on a free port of 127.0.0.1 with its own configuration and data in a temporary folder
(never the machine's), in a process group of its own that is stopped afterwards."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings

from tests.conftest import free_port, missing, port_open

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
SUFFIX = "dc=busan,dc=example"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMIN_DN = f"cn=admin,{SUFFIX}"


def wait_until(what: str, condition, process: subprocess.Popen, log: Path, seconds=30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the city directory ------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryPerson:
    uid: str
    name: str
    department: str
    groups: tuple[str, ...]
    password: str = "directory-password"

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


# Who the city directory holds (bureaus by their organisation code in departmentNumber):
# 6260110 finance, 6260010 the mayor's office's policy planning, 6260200 welfare.
DIRECTORY = [
    DirectoryPerson("kim.minsu", "김민수", "6260110", ("tracker-users", "busan-finance")),
    DirectoryPerson("lee.jiyoung", "이지영", "6260010", ("tracker-users", "tracker-mayors-office")),
    DirectoryPerson("park.outsider", "박외부", "6260110", ()),
    # The tracker's economy_head (tests/conftest.py's city) has the same user name here.
    DirectoryPerson("economy_head", "정경제", "6260200", ("tracker-users",)),
    DirectoryPerson("choi.newteam", "최신설", "9999999", ("tracker-users",)),
]
GROUP_NAMES = ("tracker-users", "tracker-mayors-office", "busan-finance")


def ssha(password: str) -> str:
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def directory_ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: busan\no: Busan",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
    ]
    for person in DIRECTORY:
        entries.append(
            f"dn: {person.dn}\nobjectClass: inetOrgPerson\nuid: {person.uid}\n"
            f"cn: {person.name}\nsn: {person.name[0]}\nmail: {person.uid}@busan.example\n"
            f"departmentNumber: {person.department}\nuserPassword: {ssha(person.password)}"
        )
    for group in GROUP_NAMES:
        # groupOfNames needs a member: the administrator keeps a group that empties valid.
        members = [ADMIN_DN, *(p.dn for p in DIRECTORY if group in p.groups)]
        entries.append(
            f"dn: cn={group},{GROUPS}\nobjectClass: groupOfNames\ncn: {group}\n"
            + "\n".join(f"member: {dn}" for dn in members)
        )
    return "\n\n".join(entries) + "\n"


class Directory:
    """slapd with an mdb database of its own, filled offline with slapadd."""

    def __init__(self, folder: Path):
        if not SLAPD.exists():
            missing("slapd is not installed (bin/test installs it: apt-get install slapd)")
        self.folder = folder
        self.admin_password = secrets.token_urlsafe(12)
        (folder / "data").mkdir(parents=True)
        config = folder / "slapd.conf"
        config.write_text(
            "\n".join(
                [
                    *(
                        f"include {SCHEMAS / name}.schema"
                        for name in ("core", "cosine", "inetorgperson")
                    ),
                    f"pidfile {folder / 'slapd.pid'}",
                    f"argsfile {folder / 'slapd.args'}",
                    f"modulepath {MODULES}",
                    "moduleload back_mdb",
                    "database mdb",
                    "maxsize 10485760",
                    f'suffix "{SUFFIX}"',
                    f'rootdn "{ADMIN_DN}"',
                    f"rootpw {self.admin_password}",
                    f"directory {folder / 'data'}",
                    "access to attrs=userPassword by anonymous auth by * none",
                    "access to * by * read",
                ]
            )
            + "\n"
        )
        ldif = folder / "city.ldif"
        ldif.write_text(directory_ldif())
        subprocess.run(
            [str(SLAPADD), "-f", str(config), "-l", str(ldif)],
            check=True,
            capture_output=True,
            timeout=30,
        )
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.log = folder / "slapd.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [str(SLAPD), "-f", str(config), "-h", f"{self.uri}/", "-d", "0"],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until("slapd", lambda: port_open("127.0.0.1", self.port), self.process, self.log)

    def environment(self, **overrides: str) -> dict[str, str]:
        """The variables city IT would set for this directory (README "Single sign-on")."""
        return {
            "LDAP_SERVER_URI": self.uri,
            "LDAP_USER_SEARCH_BASE": PEOPLE,
            "LDAP_USER_FILTER": "(uid=%(user)s)",
            "LDAP_GROUP_SEARCH_BASE": GROUPS,
            "LDAP_GROUP_TYPE": "groupOfNames",
            "LDAP_REQUIRE_GROUP": f"cn=tracker-users,{GROUPS}",
            "LDAP_MAYORS_OFFICE_GROUP": f"cn=tracker-mayors-office,{GROUPS}",
            "LDAP_BUREAU_ATTRIBUTE": "departmentNumber",
            **overrides,
        }

    def connect(self):
        import ldap

        conn = ldap.initialize(self.uri)
        conn.simple_bind_s(ADMIN_DN, self.admin_password)
        return conn

    def modify(self, dn: str, changes: list) -> None:
        conn = self.connect()
        try:
            conn.modify_s(dn, changes)
        finally:
            conn.unbind_s()

    def snapshot(self) -> dict[str, list[bytes]]:
        """Every group's members, for ``restore`` after a test changed them."""
        import ldap

        conn = self.connect()
        try:
            found = conn.search_s(GROUPS, ldap.SCOPE_ONELEVEL, "(objectClass=groupOfNames)")
        finally:
            conn.unbind_s()
        return {dn: attrs["member"] for dn, attrs in found}

    def restore(self, memberships: dict[str, list[bytes]]) -> None:
        import ldap

        for dn, members in memberships.items():
            self.modify(dn, [(ldap.MOD_REPLACE, "member", members)])

    def leave_group(self, person: DirectoryPerson, group: str) -> None:
        import ldap

        self.modify(f"cn={group},{GROUPS}", [(ldap.MOD_DELETE, "member", [person.dn.encode()])])

    def join_group(self, person: DirectoryPerson, group: str) -> None:
        import ldap

        self.modify(f"cn={group},{GROUPS}", [(ldap.MOD_ADD, "member", [person.dn.encode()])])

    def stop(self) -> None:
        stop(self.process)


# --- the city's OpenID provider -------------------------------------------------------


PROVIDER_PEOPLE = {
    "kim.minsu": {
        "password": "provider-password",
        "claims": {
            "name": "김민수",
            "email": "kim.minsu@busan.example",
            "department": "6260110",
            "groups": ["tracker-users", "busan-finance"],
        },
    },
    "lee.jiyoung": {
        "password": "provider-password",
        "claims": {
            "name": "이지영",
            "email": "lee.jiyoung@busan.example",
            "department": "6260010",
            "groups": ["tracker-users", "tracker-mayors-office"],
        },
    },
    "park.outsider": {
        "password": "provider-password",
        "claims": {"name": "박외부", "department": "6260110", "groups": []},
    },
}


class Provider:
    """The test OpenID provider (tests/sso/provider) under gunicorn."""

    def __init__(self, folder: Path, redirect_uris: list[str]):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.client_id = "busan-tracker"
        self.client_secret = secrets.token_urlsafe(24)
        config = folder / "config.json"
        config.write_text(
            json.dumps(
                {
                    "people": PROVIDER_PEOPLE,
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "redirect_uris": redirect_uris,
                }
            )
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_"))
        }
        env["PROVIDER_STATE"] = str(folder)
        subprocess.run(
            [sys.executable, "-m", "tests.sso.provider.setup", str(folder), str(config)],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "provider.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "tests.sso.provider.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--no-control-socket",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until("the OpenID provider", self.answers, self.process, self.log, seconds=60)

    def answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/o/.well-known/jwks.json", timeout=5).ok
        except requests.RequestException:
            return False

    def environment(self, **overrides: str) -> dict[str, str]:
        """The variables city IT would set for this provider (README "Single sign-on")."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_BUREAU_CLAIM": "department",
            "OIDC_MAYORS_OFFICE_GROUP": "tracker-mayors-office",
            "OIDC_REQUIRE_GROUP": "tracker-users",
            **overrides,
        }

    def change_claims(self, username: str, **claims) -> None:
        people = json.loads((self.folder / "people.json").read_text())
        people[username]["claims"].update(claims)
        (self.folder / "people.json").write_text(json.dumps(people, ensure_ascii=False))

    def reset_claims(self) -> None:
        (self.folder / "people.json").write_text(json.dumps(PROVIDER_PEOPLE, ensure_ascii=False))

    def stop(self) -> None:
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)

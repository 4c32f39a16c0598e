"""PostgreSQL and pgbouncer for the database series, started and stopped by the harness.

Debian's PostgreSQL 15 and pgbouncer, installed with apt-get when missing. Each run gets
a fresh cluster (`initdb`) under the repository's `target/real-db/`, owned by the system
user `postgres`: PostgreSQL and pgbouncer both refuse to run as root, and we run as
root. Both listen on 127.0.0.1 only (and on Unix sockets in the run's own directory),
with trust authentication, which is safe because nothing reaches past loopback.

Both are stopped by process id and process group, never by name: a fast shutdown
(SIGINT), then SIGKILL of the group. They also die with the harness if the harness is
killed (PR_SET_PDEATHSIG, set after the switch to the `postgres` user because a change
of credentials clears it), and `stop()` is registered with atexit as a last resort.

The cluster is tuned for a benchmark that must not disturb itself: no fsync (nothing
here needs to survive a crash), no autovacuum (it would wake up mid-point and take
CPU), statement-level logging off.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import env
from env import log
from servers import PRIORITY, free_port, group_pids

PG_MAJOR = "15"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin")
PGBOUNCER = Path("/usr/sbin/pgbouncer")
OS_USER = "postgres"  # PostgreSQL and pgbouncer refuse root; Debian's package makes this user
DB_USER = "bench"
DB_NAME = "bench"
MAX_CONNECTIONS = 300  # above every pool the matrix opens, so that PostgreSQL never refuses one


class StepError(RuntimeError):
    """A step of the database's life failed; the message names the step."""

    def __init__(self, step: str, detail: str):
        super().__init__(f"{step}: {detail}")
        self.step, self.detail = step, detail


def ensure_installed() -> None:
    """Installs Debian's PostgreSQL 15 server and client and pgbouncer when missing."""
    missing = []
    if not (PG_BIN / "postgres").exists() or not (PG_BIN / "initdb").exists():
        missing.append(f"postgresql-{PG_MAJOR}")
    if not (PG_BIN / "psql").exists():
        missing.append(f"postgresql-client-{PG_MAJOR}")
    if not PGBOUNCER.exists():
        missing.append("pgbouncer")
    if missing:
        try:
            env.apt_install(missing)
        except SystemExit as e:
            raise StepError("installing PostgreSQL and pgbouncer", str(e)) from None
    for path in (PG_BIN / "postgres", PG_BIN / "initdb", PG_BIN / "psql", PGBOUNCER):
        if not path.exists():
            raise StepError("installing PostgreSQL and pgbouncer", f"{path} is still missing")
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        OS_USER], check=True, timeout=60)


def versions() -> dict:
    """What `machine` records: the exact PostgreSQL and pgbouncer builds."""
    pg = subprocess.run([str(PG_BIN / "postgres"), "--version"], capture_output=True, text=True,
                        timeout=30).stdout.strip()
    bouncer = subprocess.run([str(PGBOUNCER), "--version"], capture_output=True, text=True,
                             timeout=30).stdout.strip().splitlines()
    return {"postgresql": pg.replace("postgres (PostgreSQL) ", ""),
            "pgbouncer": bouncer[0].replace("PgBouncer ", "") if bouncer else "unknown"}


def _as_db_user(uid: int, gid: int):
    """preexec_fn for PostgreSQL and pgbouncer: the harness's priority (set while still
    root, as servers.prepare_child does), then the `postgres` user, then the death signal
    (after the switch, which clears it)."""

    def prepare() -> None:
        with contextlib.suppress(OSError):
            Path("/proc/self/autogroup").write_text(str(PRIORITY))
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return prepare


@dataclass
class Proc:
    name: str
    process: subprocess.Popen
    log: Path

    @property
    def pgid(self) -> int:
        return self.process.pid  # started with start_new_session: leader's pid = group id

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class Database:
    """One PostgreSQL cluster with a generated table, and a pgbouncer in front of it."""

    target: Path  # the repository's target/ directory
    rows: int
    pg_port: int = 0  # 0: a free port
    bouncer_port: int = 0
    keep: bool = False  # keep the cluster's directory afterwards (for a post-mortem)
    dir: Path = field(init=False)
    postgres: Proc | None = field(default=None, init=False)
    bouncer: Proc | None = field(default=None, init=False)
    bouncer_pool: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.dir = self.target / "real-db" / f"run-{os.getpid()}"
        user = pwd.getpwnam(OS_USER)
        self._uid, self._gid = user.pw_uid, user.pw_gid
        atexit.register(self.stop)

    # -- PostgreSQL ------------------------------------------------------------------

    def start(self) -> None:
        """initdb, start PostgreSQL, create and fill the table, warm it into memory."""
        if self.dir.exists():
            shutil.rmtree(self.dir)
        (self.dir / "sock").mkdir(parents=True)
        (self.dir / "logs").mkdir()
        for d in (self.dir, self.dir / "sock", self.dir / "logs"):
            os.chown(d, self._uid, self._gid)
        step = "initdb"
        result = subprocess.run(
            [str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", DB_USER, "-A", "trust",
             "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, timeout=180, cwd=self.dir,
            env=self._env(), preexec_fn=_as_db_user(self._uid, self._gid))
        if result.returncode != 0:
            raise StepError(step, (result.stderr or result.stdout).strip()[-1500:])
        self.pg_port = self.pg_port or free_port()
        settings = {
            "listen_addresses": "127.0.0.1", "port": self.pg_port,
            "unix_socket_directories": str(self.dir / "sock"),
            "max_connections": MAX_CONNECTIONS, "shared_buffers": "256MB",
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "autovacuum": "off", "jit": "off", "logging_collector": "off",
            "log_min_messages": "warning", "max_wal_size": "2GB",
        }
        argv = [str(PG_BIN / "postgres"), "-D", str(self.dir / "data")]
        for key, value in settings.items():
            argv += ["-c", f"{key}={value}"]
        self.postgres = self._spawn("postgres", argv)
        self._wait_ready("starting PostgreSQL", self.postgres, self.pg_port, "postgres")
        self._psql("creating the database", self.pg_port, "postgres", f"CREATE DATABASE {DB_NAME}")
        log(f"PostgreSQL {versions()['postgresql']} up on 127.0.0.1:{self.pg_port} "
            f"(pid {self.postgres.process.pid}); generating {self.rows:,} rows")
        # Paterson's table: an integer primary key and a short text, read by key.
        self._psql("generating the table", self.pg_port, DB_NAME, f"""
            CREATE TABLE test (a integer PRIMARY KEY, b text NOT NULL);
            INSERT INTO test SELECT g, md5(g::text) FROM generate_series(1, {self.rows}) g;
            VACUUM ANALYZE test;
            CREATE EXTENSION pg_prewarm;
            SELECT pg_prewarm('test'), pg_prewarm('test_pkey');
        """, timeout=600)

    # -- pgbouncer -------------------------------------------------------------------

    def start_bouncer(self, pool_size: int) -> int:
        """(Re)starts pgbouncer in transaction mode with `pool_size` server connections
        (PostgreSQL runs at most that many of the apps' queries at once); returns its port.
        Transaction pooling hands a server connection to a client for one transaction
        only, which is what lets a pool of app connections larger than the bouncer's wait
        at the bouncer rather than hang; the apps therefore turn off prepared statements."""
        if self.bouncer and self.bouncer_pool == pool_size and self.bouncer.process.poll() is None:
            return self.bouncer_port
        self.stop_bouncer()
        self.bouncer_port = self.bouncer_port or free_port()
        ini = self.dir / "pgbouncer.ini"
        users = self.dir / "userlist.txt"
        users.write_text(f'"{DB_USER}" ""\n')
        ini.write_text(f"""[databases]
{DB_NAME} = host=127.0.0.1 port={self.pg_port} dbname={DB_NAME} user={DB_USER}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.bouncer_port}
unix_socket_dir = {self.dir / 'sock'}
auth_type = trust
auth_file = {users}
pool_mode = transaction
default_pool_size = {pool_size}
min_pool_size = {pool_size}
reserve_pool_size = 0
max_client_conn = 4000
max_db_connections = {pool_size}
server_check_delay = 30
ignore_startup_parameters = extra_float_digits,search_path
log_connections = 0
log_disconnections = 0
log_pooler_errors = 1
stats_period = 3600
""")
        for f in (ini, users):
            os.chown(f, self._uid, self._gid)
        self.bouncer = self._spawn("pgbouncer", [str(PGBOUNCER), str(ini)])
        self.bouncer_pool = pool_size
        self._wait_ready("starting pgbouncer", self.bouncer, self.bouncer_port, DB_NAME)
        return self.bouncer_port

    def stop_bouncer(self) -> None:
        if self.bouncer:
            _stop(self.bouncer, signal.SIGTERM)  # immediate: the apps are gone by then
            self.bouncer = None

    # -- both ------------------------------------------------------------------------

    def dsn(self) -> str:
        """What the apps connect to: pgbouncer."""
        return f"postgresql://{DB_USER}@127.0.0.1:{self.bouncer_port}/{DB_NAME}"

    def pids(self) -> list[int]:
        """Every process of the database now: pgbouncer's group, the postmaster and its
        children. PostgreSQL's backends call setsid(), so they are not in the
        postmaster's process group; they are found by their parent instead."""
        pids = []
        if self.bouncer:
            pids += group_pids(self.bouncer.pgid)
        if self.postgres:
            pids += [self.postgres.process.pid, *children(self.postgres.process.pid)]
        return pids

    def alive(self) -> str | None:
        """None while both run; otherwise which one exited, with its last log lines."""
        for p in (self.postgres, self.bouncer):
            if p and p.process.poll() is not None:
                return f"{p.name} exited with code {p.process.returncode}:\n{p.tail()}"
        return None

    def stop(self) -> None:
        """Stops pgbouncer, then PostgreSQL (fast shutdown), by pid and process group;
        removes the cluster's directory unless asked to keep it. Safe to call twice."""
        self.stop_bouncer()
        if self.postgres:
            backends = children(self.postgres.process.pid)
            _stop(self.postgres, signal.SIGINT)
            # A fast shutdown ends the backends; should one outlive its postmaster
            # (their own sessions keep them out of its group), it is killed by its pid.
            for pid in backends:
                if _is_ours(pid, self._uid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            self.postgres = None
        if not self.keep and self.dir.exists():
            shutil.rmtree(self.dir, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.dir.parent.rmdir()  # target/real-db, when no other run's cluster is there

    # -- helpers ---------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        return {"PATH": f"{PG_BIN}:/usr/bin:/bin", "HOME": str(self.dir), "LANG": "C",
                "LC_ALL": "C"}

    def _spawn(self, name: str, argv: list[str]) -> Proc:
        log_path = self.dir / "logs" / f"{name}.log"
        with open(log_path, "ab") as out:
            process = subprocess.Popen(argv, cwd=self.dir, env=self._env(), stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                       preexec_fn=_as_db_user(self._uid, self._gid))
        return Proc(name, process, log_path)

    def _wait_ready(self, step: str, proc: Proc, port: int, dbname: str, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if proc.process.poll() is not None:
                raise StepError(step, f"{proc.name} exited with code {proc.process.returncode}; "
                                      f"its last log lines:\n{proc.tail()}")
            if "cannot listen on 127.0.0.1" in proc.tail(50):
                # pgbouncer keeps running on its Unix socket when the TCP port is taken.
                raise StepError(step, f"{proc.name} could not listen on 127.0.0.1:{port}; "
                                      f"its last log lines:\n{proc.tail()}")
            try:
                ok = subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER,
                                     "-d", dbname, "-Atqc", "SELECT 1"], capture_output=True, text=True,
                                    timeout=5, env={**self._env(), "PGCONNECT_TIMEOUT": "2"})
                if ok.returncode == 0 and ok.stdout.strip() == "1":
                    return
            except subprocess.TimeoutExpired:
                pass  # something that is not PostgreSQL may be holding the port: look again
            time.sleep(0.2)
        raise StepError(step, f"{proc.name} did not accept connections on 127.0.0.1:{port} within "
                              f"{timeout_s:g} s; its last log lines:\n{proc.tail()}")

    def _psql(self, step: str, port: int, dbname: str, sql: str, timeout: float = 60) -> str:
        """Runs the statements one by one (each its own transaction: VACUUM needs that)."""
        commands = []
        for statement in filter(None, (s.strip() for s in sql.split(";"))):
            commands += ["-c", statement]
        try:
            result = subprocess.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", DB_USER,
                                     "-d", dbname, "-v", "ON_ERROR_STOP=1", "-Atq", *commands],
                                    capture_output=True, text=True, timeout=timeout, env=self._env())
        except subprocess.TimeoutExpired:
            raise StepError(step, f"psql did not finish within {timeout:g} s") from None
        if result.returncode != 0:
            raise StepError(step, result.stderr.strip()[-1500:])
        return result.stdout


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid`, from /proc."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _is_ours(pid: int, uid: int) -> bool:
    """Still a PostgreSQL process of the database user (not a reused pid)."""
    try:
        return (Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
                and os.stat(f"/proc/{pid}").st_uid == uid)
    except OSError:
        return False


def _stop(proc: Proc, first: signal.Signals) -> None:
    """`first` to the leader (SIGINT: PostgreSQL's fast shutdown; SIGTERM: pgbouncer's
    immediate one), up to 10 s, then SIGKILL to the whole group; waits until /proc shows
    none of it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.process.pid, first)
    try:
        proc.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while group_pids(proc.pgid) and time.monotonic() < deadline:
        time.sleep(0.05)

"""A throwaway PostgreSQL/PostGIS cluster for the tests and for CI.

``python -m tests.pgcluster start DIR`` creates a cluster in ``DIR`` (initdb,
as an unprivileged user when run as root), starts it on 127.0.0.1 on a free
port with password authentication and prints its URL; ``stop DIR`` stops it.
The test fixtures use the same functions to run a private cluster they can
stop and start (fault tests). Nothing here is part of the product.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

USER = "wijkatlas"
PASSWORD = "geheim-ci-wachtwoord"
DATABASE = "wijkatlas"


def bindir() -> Path | None:
    """Where initdb and pg_ctl live, or None when PostgreSQL is not installed."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    return None


def postgis_available() -> bool:
    """The PostGIS extension files are installed for the server in :func:`bindir`."""
    b = bindir()
    if b is None:
        return False
    version = b.parent.name  # /usr/lib/postgresql/15/bin → 15
    return bool(glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"))


def free_port(low: int = 55400, high: int = 55499) -> int:
    """A TCP port on 127.0.0.1 nobody listens on (``WIJKATLAS_PG_PORTS=low-high`` narrows the range)."""
    spec = os.environ.get("WIJKATLAS_PG_PORTS")
    if spec:
        low, high = (int(p) for p in spec.split("-"))
    for port in range(low, high + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


@dataclass
class Cluster:
    datadir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(bindir() / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "nobody", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd="/")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir / "data"), "-l", str(self.datadir / "log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.datadir / "data"), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.datadir / "data"), "status", check=False).returncode == 0


def create(datadir: str | Path, port: int | None = None) -> Cluster:
    """initdb a new cluster in ``datadir``, start it and create the database with PostGIS."""
    if bindir() is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb)")
    datadir = Path(datadir).resolve()
    datadir.mkdir(parents=True, exist_ok=True)
    pwfile = datadir / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for p in (datadir, pwfile):
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
        # nobody must be able to reach the folder (tmp dirs are 0700 for root).
        for parent in datadir.parents:
            if parent == Path("/"):
                break
            mode = parent.stat().st_mode
            if not mode & 0o001:
                os.chmod(parent, mode | 0o001)
    cluster = Cluster(datadir, port or free_port())
    cluster._run("initdb", "-D", str(datadir / "data"), "-U", USER, f"--pwfile={pwfile}",
                 "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
    with open(datadir / "data" / "postgresql.conf", "a") as conf:
        # A test cluster: no fsync (the machine does not crash in a test), but
        # commits are durable across a server crash: the fault tests stop it hard.
        conf.write("fsync = off\nfull_page_writes = off\n"
                   "max_connections = 200\nshared_buffers = 64MB\n")
    cluster.start()
    _psql(cluster, "postgres", f"CREATE DATABASE {DATABASE}")
    _psql(cluster, DATABASE, "CREATE EXTENSION IF NOT EXISTS postgis")
    return cluster


def _psql(cluster: Cluster, db: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=cluster.port, user=USER, password=PASSWORD, dbname=db,
                         autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def _main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python -m tests.pgcluster start|stop DIR", file=sys.stderr)
        return 2
    action, datadir = argv
    if action == "start":
        cluster = create(datadir)
        (Path(datadir) / "port").write_text(str(cluster.port))
        print(cluster.url)
        return 0
    port = int((Path(datadir) / "port").read_text())
    Cluster(Path(datadir).resolve(), port).stop()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

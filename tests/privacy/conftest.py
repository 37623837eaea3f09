import shutil
import tempfile
from pathlib import Path

import pytest

from tests.postgres import PostgresCluster, why_postgres_cannot_run


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL cluster for the session (started here, stopped and removed at the end).

    Its folder is made with mkdtemp in /tmp, not under pytest's 0700 temp root, which the
    `postgres` user could not enter.
    """
    reason = why_postgres_cannot_run()
    if reason:
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="zorgrecht-pg-"))
    folder.chmod(0o711)  # the postgres user must be able to enter it
    cluster = PostgresCluster(folder / "cluster")
    cluster.create()
    try:
        yield cluster
    finally:
        try:
            cluster.stop()
        except Exception:  # noqa: BLE001 - already stopped by a fault-injection test
            pass
        shutil.rmtree(folder, ignore_errors=True)

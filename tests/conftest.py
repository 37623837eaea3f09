import pytest


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """One real action server and Rasa server for the whole test session (the trained model)."""
    from tests.servers import running_servers

    with running_servers(tmp_path_factory.mktemp("state")) as running:
        yield running

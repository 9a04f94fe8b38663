import pytest


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Uploads and job results under a temporary folder."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR

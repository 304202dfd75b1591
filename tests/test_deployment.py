"""The server's settings a deployment relies on (README "Deployment")."""
import tomllib
from pathlib import Path

from mekong.importers import MAX_BYTES

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_the_server_listens_on_this_machine_with_the_import_limit():
    config = tomllib.loads(CONFIG.read_text())
    server = config["server"]
    assert server["address"] == "127.0.0.1"
    assert server["maxUploadSize"] == MAX_BYTES // 2**20  # agrees with --max-mb's default
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert config["client"]["showErrorDetails"] == "none"

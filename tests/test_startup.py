"""Starting the dashboard makes no request to the internet: Streamlit looks up the
machine's external IP address for its start-up message unless browser.serverAddress is
set (.streamlit/config.toml). The same file turns off the full garbage collection
Streamlit makes after every run."""
import subprocess
import sys

from mekong.paths import ROOT

PROBE = """
from streamlit import config, net_util
from streamlit.web import bootstrap
config.get_config_options(force_reparse=True)
def no_lookup():
    raise SystemExit("the external IP address was looked up")
net_util.get_external_ip = no_lookup
bootstrap._print_url(False)
print("server address:", config.get_option("browser.serverAddress"), config.get_option("server.headless"))
print("collection after each run:", config.get_option("runner.postScriptGC"))
"""


def test_start_up_message_makes_no_external_ip_lookup():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "server address: localhost True" in out.stdout  # headless, as served, and still no lookup
    assert "External URL" not in out.stdout
    # no full garbage collection after every run: it cost 100-250 ms per filter change
    assert "collection after each run: False" in out.stdout

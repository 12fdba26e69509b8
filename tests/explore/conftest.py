"""Fixtures of the explorer's tests (tests/explore): a running `cdpsim explore --no-browser`.

CTest sets the environment (tests/CMakeLists.txt, explore:server and explore:browser). By hand:

    CDPSIM_BIN=build/app/cdpsim CDPSIM_SOURCE_DIR=$PWD /usr/bin/python3 -m pytest -q tests/explore
"""
import os
import re
import subprocess
import time
import urllib.parse

import pytest

BIN = os.environ.get("CDPSIM_BIN", "build/app/cdpsim")
SOURCE = os.environ.get("CDPSIM_SOURCE_DIR", os.getcwd())
OUT = os.environ.get("CDPSIM_EXPLORE_OUT", os.path.join(os.getcwd(), "explore-test-output"))


class Explorer:
    def __init__(self, proc, url):
        self.proc = proc
        self.url = url
        parts = urllib.parse.urlsplit(url)
        self.host = parts.hostname
        self.port = parts.port
        self.token = urllib.parse.parse_qs(parts.query)["token"][0]
        self.base = f"http://{self.host}:{self.port}"


def start_explorer(*args):
    proc = subprocess.Popen([BIN, "explore", "--no-browser", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 20
    url = None
    while time.time() < deadline and url is None:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"open (http://\S+)", line)
        if m:
            url = m.group(1)
    if url is None:
        proc.kill()
        raise RuntimeError("cdpsim explore printed no address: " + proc.stderr.read())
    return Explorer(proc, url)


def stop_explorer(e):
    e.proc.terminate()
    try:
        e.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        e.proc.kill()


@pytest.fixture
def explorer():
    e = start_explorer()
    yield e
    stop_explorer(e)
    assert e.proc.returncode == 0, e.proc.stderr.read()


@pytest.fixture
def out_dir():
    os.makedirs(OUT, exist_ok=True)
    return OUT

"""Shared helpers of the parstep module's tests."""

import faulthandler
import os
import subprocess
import sys
import tempfile
import time
import unittest
from typing import List

PARSTEP = os.environ.get("PARSTEP_BINARY", "parstep")
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A hang is stopped, never waited for: limits stop hangs, they measure nothing.
HANG_LIMIT = 300

_counter = 0


def unique_sleep() -> str:
  """Seconds for `sleep` that no other process uses, to find it in /proc."""
  global _counter
  _counter += 1
  return f"8{os.getpid() % 1000}.{_counter}03"


def processes_with_argument(word: str) -> List[int]:
  """Live (non-zombie) processes with `word` as one argument."""
  found = []
  for entry in os.listdir("/proc"):
    if not entry.isdigit():
      continue
    try:
      with open(f"/proc/{entry}/cmdline", "rb") as f:
        args = f.read().split(b"\0")
      with open(f"/proc/{entry}/stat", "rb") as f:
        state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
      continue
    if word.encode() in args and state != b"Z":
      found.append(int(entry))
  return found


def read(path: str) -> str:
  with open(path, encoding="utf-8") as f:
    return f.read()


def wait_for_file(path: str) -> None:
  """Waits until `path` exists (a step's sign that it runs)."""
  deadline = time.monotonic() + HANG_LIMIT
  while not os.path.exists(path):
    if time.monotonic() > deadline:
      raise AssertionError(f"{path} never appeared")
    time.sleep(0.005)


def run_script(code: str, *args: str, **kwargs) -> subprocess.Popen:
  """Starts a Python script that imports this tree's parstep module."""
  env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PARSTEP_BINARY=PARSTEP)
  return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, **kwargs)


class TestCase(unittest.TestCase):
  """Each test with its own directory and a guard against hanging."""

  def setUp(self) -> None:
    faulthandler.dump_traceback_later(HANG_LIMIT, exit=True)
    self._dir = tempfile.TemporaryDirectory(prefix="parstep-py-test-")
    self.dir = self._dir.name

  def tearDown(self) -> None:
    faulthandler.cancel_dump_traceback_later()
    self._dir.cleanup()

  def path(self, name: str) -> str:
    return os.path.join(self.dir, name)

"""One run of the parstep binary: started, relayed, stopped, and read."""

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from typing import Any, BinaryIO, Iterator, List, Mapping, Optional, TextIO, Union

from parstep import _binary, _options
from parstep._results import ParstepError, StepResult, StepsFailed, read_report

_USAGE_ERROR = b"parstep: error: "


class Terminated(BaseException):
  """SIGTERM reached the script while parstep ran; re-delivered once it stopped."""


def _fd_of(stream: Any) -> Optional[int]:
  try:
    stream.flush()
    return stream.fileno()
  except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
    return None


def _write(stream: Union[TextIO, Any], data: bytes) -> None:
  buffer = getattr(stream, "buffer", None)
  if buffer is not None:
    buffer.write(data)
    buffer.flush()
  else:
    stream.write(data.decode("utf-8", "replace"))
    stream.flush()


class _Relay(threading.Thread):
  """Copies a pipe of parstep's to a Python stream as bytes arrive.

  A usage error ("parstep: error: ..." as the first bytes) is held back:
  the caller raises it as ValueError instead. With `keep`, everything is
  kept and nothing copied.
  """

  def __init__(self, pipe: BinaryIO, stream: Any, keep: bool):
    super().__init__(daemon=True)
    self._pipe, self._stream, self._keep = pipe, stream, keep
    self.held = b""

  def run(self) -> None:
    holding = True
    for chunk in iter(lambda: os.read(self._pipe.fileno(), 65536), b""):
      if self._keep or holding:
        self.held += chunk
        head = self.held[:len(_USAGE_ERROR)]
        holding = not self._keep and _USAGE_ERROR.startswith(head)
        if self._keep or holding:
          continue
        chunk, self.held = self.held, b""
      _write(self._stream, chunk)
    self._pipe.close()

  def release(self) -> None:
    """Copies what was held back (it was no usage error after all)."""
    if self.held and not self._keep:
      _write(self._stream, self.held)
      self.held = b""


@contextlib.contextmanager
def sigterm_as_exception() -> Iterator[None]:
  """While inside, SIGTERM to the script raises Terminated (main thread only).

  That lets the caller stop parstep before the script dies; the caller then
  calls redeliver_sigterm().
  """
  main = threading.current_thread() is threading.main_thread()
  if not main or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
    yield
    return

  def handler(signum: int, frame: Any) -> None:
    raise Terminated()

  signal.signal(signal.SIGTERM, handler)
  try:
    yield
  finally:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def redeliver_sigterm() -> None:
  """Dies by SIGTERM, as the script would have without us."""
  signal.signal(signal.SIGTERM, signal.SIG_DFL)
  os.kill(os.getpid(), signal.SIGTERM)


class ParstepRun:
  """The parstep binary running with `args`, its steps fed on stdin.

  Writes its report and step logs to a temporary directory unless the
  options name their own.
  """

  def __init__(self, args: List[str], options: Mapping[str, Any]):
    self.capture = bool(options.get("capture", False))
    binary = _binary.find_parstep(options.get("parstep_binary"))
    self._tmp = tempfile.TemporaryDirectory(prefix="parstep-")
    self.report = options.get("report") or os.path.join(self._tmp.name, "report.json")
    extra = [] if options.get("report") else ["--report", self.report]
    if not options.get("log_dir"):
      extra += ["--log-dir", os.path.join(self._tmp.name, "logs")]
    argv = [binary] + args + _options.command_line(options) + extra
    out_fd = None if self.capture else _fd_of(sys.stdout)
    _fd_of(sys.stderr)
    self.proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL if self.capture else (out_fd if out_fd is not None else subprocess.PIPE),
        stderr=subprocess.PIPE, cwd=_options.working_directory(options), env=_options.environment(options))
    self._relays = [_Relay(self.proc.stderr, sys.stderr, keep=self.capture)]
    if self.proc.stdout is not None:
      self._relays.append(_Relay(self.proc.stdout, sys.stdout, keep=False))
    for relay in self._relays:
      relay.start()

  def write(self, data: bytes) -> bool:
    """Feeds parstep's stdin; False when parstep no longer reads it."""
    try:
      self.proc.stdin.write(data)
      self.proc.stdin.flush()
      return True
    except (BrokenPipeError, ValueError):
      return False

  def close_stdin(self) -> None:
    with contextlib.suppress(BrokenPipeError, ValueError):
      self.proc.stdin.close()

  def stop(self) -> None:
    """Stops every step (SIGTERM to parstep) and waits until parstep is gone."""
    with contextlib.suppress(ProcessLookupError):
      if self.proc.poll() is None:
        self.proc.send_signal(signal.SIGTERM)
    self.close_stdin()
    self._wait(interruptible=False)
    self._tmp.cleanup()

  def _wait(self, interruptible: bool = True) -> int:
    while True:
      try:
        code = self.proc.wait()
        break
      except KeyboardInterrupt:
        if interruptible:
          raise
        # It is stopping already; leaving now would leave it behind.
    for relay in self._relays:
      relay.join()
    return code

  def finish(self) -> List[StepResult]:
    """Waits for the end and returns the results in the given order.

    Raises:
      ValueError: parstep refused its input (exit 2); nothing ran.
      StepsFailed: When any step did not succeed.
    """
    try:
      code = self._wait()
      stderr = self._relays[0]
      if code == 2:
        message = stderr.held.decode("utf-8", "replace").strip()
        if message.startswith(_USAGE_ERROR.decode()):
          message = message[len(_USAGE_ERROR):]
        # A position in the JSON the module wrote means nothing to the script.
        raise ValueError(re.sub(r"^<stdin>:[0-9]+:[0-9]+: ", "", message))
      stderr.release()
      if code not in (0, 1) and not os.path.exists(self.report):
        raise ParstepError(f"parstep ended with status {code} and wrote no report")
      results = read_report(self.report, self.capture)
      if code != 0 or any(not r.ok for r in results):
        raise StepsFailed(results)
      return results
    finally:
      self._tmp.cleanup()

  @property
  def stderr_text(self) -> str:
    """What parstep wrote on stderr, when captured."""
    return self._relays[0].held.decode("utf-8", "replace")

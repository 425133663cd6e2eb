"""What a run of parstep gives back: one StepResult per step."""

import dataclasses
import json
from typing import Any, Dict, List, Optional, Sequence

TAIL_LINES = 10


@dataclasses.dataclass
class StepResult:
  """What happened to one step (one entry of parstep's JSON report).

  Attributes:
    name: Its name (given, else its command).
    index: Its position in the steps given (or the put order).
    status: ok, failed, timed_out, hung, stopped, not_started or error.
    exit_code: Its exit status, or None (killed, or never ran).
    signal: The signal that killed it ("SIGKILL"), or None.
    duration: Seconds from its first start to its last end.
    attempts: How many times it was started.
    output_bytes: How many bytes of output its last attempt wrote.
    error: Why it could not start or keep its output (status error).
    output: Its output, with capture=True; else None.
    tail: The last lines of its output, for a step that did not succeed.
  """

  name: str
  index: int
  status: str
  exit_code: Optional[int]
  signal: Optional[str]
  duration: float
  attempts: int
  output_bytes: int
  error: Optional[str] = None
  output: Optional[bytes] = None
  tail: str = ""

  @property
  def ok(self) -> bool:
    """Whether it succeeded."""
    return self.status == "ok"

  def describe(self) -> str:
    """What happened, in a few words: "exit 3", "killed by SIGTERM", "stopped"."""
    if self.error:
      return self.error
    if self.signal:
      return f"{self.status}: killed by {self.signal}" if self.status != "failed" else f"killed by {self.signal}"
    if self.status == "failed" and self.exit_code is not None:
      return f"exit {self.exit_code}"
    return self.status.replace("_", " ")


class StepsFailed(Exception):
  """At least one step did not succeed.

  Attributes:
    failed: The StepResult of every step that did not succeed, in the
      given order (also steps stopped by halt_on_error or never started).
    results: Every step's StepResult, in the given order.
  """

  def __init__(self, results: Sequence[StepResult]):
    self.results = list(results)
    self.failed = [r for r in self.results if not r.ok]
    super().__init__(self._message())

  def _message(self) -> str:
    lines = [f"{len(self.failed)} of {len(self.results)} steps did not succeed:"]
    for r in self.failed:
      lines.append(f"  {r.name}: {r.describe()}")
      lines += [f"    | {line}" for line in r.tail.splitlines()]
    return "\n".join(lines)


class ParstepError(RuntimeError):
  """parstep itself failed (no report, killed from outside)."""


def _read_log(path: Optional[str]) -> Optional[bytes]:
  if not path:
    return None
  try:
    with open(path, "rb") as f:
      return f.read()
  except OSError:
    return None


def _tail(output: Optional[bytes]) -> str:
  if not output:
    return ""
  lines = output.decode("utf-8", "replace").splitlines()
  return "\n".join(lines[-TAIL_LINES:])


def _result(step: Dict[str, Any], capture: bool) -> StepResult:
  r = StepResult(name=step["name"], index=step["index"], status=step["status"],
                 exit_code=step.get("exit_code"), signal=step.get("signal"),
                 duration=float(step.get("duration_s") or 0.0), attempts=step.get("attempts", 0),
                 output_bytes=step.get("output_bytes", 0), error=step.get("error"))
  needs_output = capture or not r.ok
  output = _read_log(step.get("log")) if needs_output else None
  if capture:
    r.output = output if output is not None else b""
  if not r.ok:
    r.tail = _tail(output)
  return r


def read_report(path: str, capture: bool) -> List[StepResult]:
  """The results in a report parstep wrote (SPEC 5), in the given order.

  Raises:
    ParstepError: When there is no readable report.
  """
  try:
    with open(path, encoding="utf-8") as f:
      report = json.load(f)
  except (OSError, ValueError) as e:
    raise ParstepError(f"parstep wrote no readable report: {e}") from None
  steps = sorted(report.get("steps", []), key=lambda s: s["index"])
  return [_result(s, capture) for s in steps]

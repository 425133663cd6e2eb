"""Steps as Python gives them, checked and turned into manifest JSON."""

import dataclasses
import json
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

# A duration: seconds as a number, or a string parstep reads ("90", "1.5m").
Duration = Union[int, float, str]
Command = Union[str, Sequence[str]]


@dataclasses.dataclass(frozen=True)
class Step:
  """One step with its own settings.

  Attributes:
    command: A shell command line (str), or an argv list executed directly.
    name: Its name in output, reports and StepsFailed (must be unique).
      Default: the command, or the argv joined by spaces.
    cwd: Its working directory (relative: to the script's).
    env: Variables added to its environment.
    timeout: Stop it and count it failed after this long.
    retries: Rerun it up to this many more times when it fails.
    launcher: A command prefix to run it through, e.g. ["srun", "--"];
      [] runs it locally when the run has a launcher.
  """

  command: Command
  name: Optional[str] = None
  cwd: Union[str, "os.PathLike[str]", None] = None
  env: Optional[Mapping[str, str]] = None
  timeout: Optional[Duration] = None
  retries: Optional[int] = None
  launcher: Optional[Sequence[str]] = None


def text(value: Any, where: str) -> str:
  """Returns `value` as a str parstep can take, or raises.

  Raises:
    TypeError: When it is not a str or os.PathLike.
    ValueError: When it holds a NUL or cannot be written as UTF-8.
  """
  if isinstance(value, os.PathLike):
    value = os.fspath(value)
  if not isinstance(value, str):
    raise TypeError(f"{where}: expected a string, got {type(value).__name__}")
  if "\0" in value:
    raise ValueError(f"{where}: contains a NUL character")
  try:
    value.encode("utf-8")
  except UnicodeEncodeError as e:
    raise ValueError(f"{where}: not valid Unicode ({e.reason})") from None
  return value


def argv_list(value: Any, where: str) -> List[str]:
  """Returns a non-empty argv list of str, or raises TypeError/ValueError."""
  if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
    raise TypeError(f"{where}: expected a list of strings, got {type(value).__name__}")
  words = [text(word, f"{where}[{i}]") for i, word in enumerate(value)]
  if not words or not words[0]:
    raise ValueError(f"{where}: needs at least a program name")
  return words


def duration(value: Any, where: str) -> Union[float, str]:
  """Returns a duration for the manifest, or raises TypeError/ValueError."""
  if isinstance(value, bool) or not isinstance(value, (int, float, str)):
    raise TypeError(f"{where}: expected seconds or a duration string, got {type(value).__name__}")
  if isinstance(value, str):
    return text(value, where)
  if not value > 0 or value != value or value == float("inf"):
    raise ValueError(f"{where}: expected seconds greater than 0, got {value!r}")
  return value


def whole(value: Any, where: str) -> int:
  """Returns a whole number >= 0, or raises TypeError/ValueError."""
  if isinstance(value, bool) or not isinstance(value, int):
    raise TypeError(f"{where}: expected a whole number, got {type(value).__name__}")
  if value < 0:
    raise ValueError(f"{where}: expected a whole number from 0, got {value}")
  return value


def _command(command: Any, where: str) -> Dict[str, Any]:
  if isinstance(command, str):
    if not command.strip():
      raise ValueError(f"{where}: empty command")
    return {"shell": text(command, where)}
  return {"argv": argv_list(command, where)}


def _step_object(step: Step, where: str) -> Dict[str, Any]:
  entry = _command(step.command, f"{where}.command")
  if step.name is not None:
    entry["name"] = text(step.name, f"{where}.name")
    if not entry["name"]:
      raise ValueError(f"{where}.name: must not be empty")
  if step.cwd is not None:
    entry["cwd"] = text(step.cwd, f"{where}.cwd")
  if step.env is not None:
    if not isinstance(step.env, Mapping):
      raise TypeError(f"{where}.env: expected a mapping of strings, got {type(step.env).__name__}")
    entry["env"] = {text(k, f"{where}.env"): text(v, f"{where}.env[{k!r}]") for k, v in step.env.items()}
  if step.timeout is not None:
    entry["timeout"] = duration(step.timeout, f"{where}.timeout")
  if step.retries is not None:
    entry["retries"] = whole(step.retries, f"{where}.retries")
  if step.launcher is not None:
    entry["launcher"] = [text(w, f"{where}.launcher[{i}]") for i, w in enumerate(
        argv_list(step.launcher, f"{where}.launcher") if step.launcher else [])]
  return entry


def manifest_step(step: Any, index: int) -> Union[str, Dict[str, Any]]:
  """Checks one step and returns it as a manifest step.

  Args:
    step: A shell command string, an argv list of strings, or a Step.
    index: Its position, for messages ("steps[3]: ...").

  Raises:
    TypeError: When it is none of those (naming its index).
    ValueError: When its content cannot run (empty argv, NUL, ...).
  """
  where = f"steps[{index}]"
  if isinstance(step, Step):
    return _step_object(step, where)
  if isinstance(step, str):
    return _command(step, where)["shell"]
  if isinstance(step, (list, tuple)):
    return _command(step, where)
  raise TypeError(f"{where}: expected a command string, a list of strings or a Step, "
                  f"got {type(step).__name__}")


def json_line(value: Any) -> bytes:
  """One JSON document on one line, UTF-8, ending in a newline."""
  return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

"""The keyword options of run_parallel_steps and BackgroundTaskRunner,
checked and turned into parstep's command line."""

import os
import shlex
from typing import Any, Callable, Dict, List, Mapping, Optional

from parstep import _steps

_CHOICES = {
    "output": ("group", "ordered", "line"),
    "on_error": ("continue", "finish", "halt"),
    "color": ("auto", "always", "never"),
    "progress": ("auto", "always", "never"),
    "jobserver_style": ("auto", "fifo", "pipe"),
    "schedule": ("given", "longest"),
    "ci": ("auto", "github", "gitlab", "none"),
}
_DURATIONS = ("timeout", "silent_timeout", "kill_after")
_PATHS = ("report", "junit", "log_dir", "trace", "history", "shell")
_FLAGS = ("output_on_failure", "no_header", "jobserver", "rerun_failed", "pty")
# Options of the module itself, not of the command line.
_OWN = ("capture", "parstep_binary", "cwd", "env")


def _flag(name: str) -> str:
  return "--" + name.replace("_", "-")


def _choice(name: str, value: Any) -> List[str]:
  if value not in _CHOICES[name]:
    raise ValueError(f"{name}: expected one of {', '.join(_CHOICES[name])}, got {value!r}")
  return [_flag(name), value]


def _launcher(value: Any) -> List[str]:
  if isinstance(value, str):
    return ["--launcher", _steps.text(value, "launcher")]
  try:
    words = _steps.argv_list(value, "launcher")
  except TypeError as e:
    raise ValueError(str(e)) from None
  return ["--launcher", shlex.join(words)]


def _one(name: str, value: Any) -> List[str]:
  if name in _CHOICES:
    return _choice(name, value)
  if name in _FLAGS:
    if not isinstance(value, bool):
      raise ValueError(f"{name}: expected True or False, got {value!r}")
    return [_flag(name)] if value else []
  if name in _DURATIONS:
    return [_flag(name), str(_checked(_steps.duration, value, name))]
  if name == "retries":
    return ["--retries", str(_checked(_steps.whole, value, name))]
  if name in _PATHS:
    path = _checked(_steps.text, value, name)
    if not path:
      raise ValueError(f"{name}: expected a path, got ''")
    return [_flag(name), path]
  if name == "launcher":
    return _launcher(value)
  raise ValueError(f"unknown option {name!r}")


def _checked(check: Callable[[Any, str], Any], value: Any, name: str) -> Any:
  """Runs a checker; a wrong type of an option is a ValueError too."""
  try:
    return check(value, name)
  except TypeError as e:
    raise ValueError(str(e)) from None


def command_line(options: Mapping[str, Any]) -> List[str]:
  """parstep's options for the keyword options given.

  Args:
    options: Keyword options: output, on_error, timeout, silent_timeout,
      kill_after, retries, report, junit, log_dir, trace, history, shell,
      launcher, color, progress, jobserver, jobserver_style, schedule, ci,
      output_on_failure, no_header, rerun_failed, pty; and the module's own
      (capture, parstep_binary, cwd, env), which are skipped here.

  Raises:
    ValueError: For an unknown option or a value it cannot take.
  """
  args: List[str] = []
  for name, value in options.items():
    if name in _OWN or value is None:
      continue
    args += _one(name, value)
  return args


def jobs(value: Any, name: str) -> List[str]:
  """`-j N` for max_parallel / processes; none for None."""
  if value is None:
    return []
  if isinstance(value, bool) or not isinstance(value, int) or value < 0:
    raise ValueError(f"{name}: expected a whole number from 0 (no limit), got {value!r}")
  return ["-j", str(value)]


def environment(options: Mapping[str, Any]) -> Optional[Dict[str, str]]:
  """The environment to start parstep in: os.environ plus `env`."""
  env = options.get("env")
  if env is None:
    return None
  if not isinstance(env, Mapping):
    raise ValueError(f"env: expected a mapping of strings, got {type(env).__name__}")
  merged = dict(os.environ)
  for key, value in env.items():
    merged[_checked(_steps.text, key, "env")] = _checked(_steps.text, value, f"env[{key!r}]")
  return merged


def working_directory(options: Mapping[str, Any]) -> Optional[str]:
  """The directory to start parstep in (relative cwd of steps is from there)."""
  cwd = options.get("cwd")
  if cwd is None:
    return None
  path = _checked(_steps.text, cwd, "cwd")
  if not os.path.isdir(path):
    raise ValueError(f"cwd: {path!r} is not a directory")
  return path

"""Finding the parstep binary the module drives."""

import os
import shutil
from pathlib import Path
from typing import Optional, Union


class ParstepNotFound(FileNotFoundError):
  """The parstep binary is neither given, next to the module, nor on PATH."""


def _installed_binary() -> Optional[Path]:
  """The binary of the installation this module belongs to, if any.

  `cmake --install` writes _layout.py with the way from the module's
  directory to the binary's; a source tree has none.
  """
  try:
    from parstep import _layout  # pylint: disable=import-outside-toplevel
  except ImportError:
    return None
  candidate = (Path(__file__).resolve().parent / _layout.RELATIVE_BINARY).resolve()
  return candidate if os.access(candidate, os.X_OK) else None


def find_parstep(parstep_binary: Union[str, "os.PathLike[str]", None] = None) -> str:
  """Returns the path of the parstep binary to run.

  Args:
    parstep_binary: The binary to use. Default: the one installed with this
      module (<prefix>/bin/parstep), else `parstep` on PATH.

  Returns:
    The path of an executable file.

  Raises:
    ParstepNotFound: When there is none.
  """
  if parstep_binary is not None:
    path = os.fspath(parstep_binary)
    if os.path.isfile(path) and os.access(path, os.X_OK):
      return path
    found = shutil.which(path) if os.sep not in path else None
    if found:
      return found
    raise ParstepNotFound(f"parstep_binary={path!r} is not an executable file")
  installed = _installed_binary()
  if installed is not None:
    return str(installed)
  found = shutil.which("parstep")
  if found:
    return found
  raise ParstepNotFound(
      "the parstep binary was not found next to the parstep module nor on PATH; "
      "install parstep or pass parstep_binary=")

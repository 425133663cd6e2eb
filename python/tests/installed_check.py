"""Run by ctest against an installed tree: the module finds its own binary.

Usage: installed_check.py PREFIX/bin/parstep
"""

import os
import sys

import parstep

expected = os.path.realpath(sys.argv[1])
found = os.path.realpath(parstep.find_parstep())
assert found == expected, f"found {found}, expected {expected}"
results = parstep.run_parallel_steps([["echo", "installed"]], capture=True)
assert results[0].output == b"installed\n", results
print(f"parstep module at {os.path.dirname(parstep.__file__)} runs {found}")

"""Run build steps in parallel from Python, with parstep doing the work.

chromite's RunParallelSteps and BackgroundTaskRunner for scripts whose steps
are commands: each step is a child process of the parstep binary, which runs
at most N at a time, prints each step's output as one unbroken block, halts
everything on the first error when asked and never leaves a process behind.

Example:
  from parstep import run_parallel_steps, BackgroundTaskRunner, StepsFailed

  run_parallel_steps([["protoc", "--cpp_out=gen", "a.proto"], "make -C docs"],
                     max_parallel=4, halt_on_error=True)

  with BackgroundTaskRunner(["gzip", "-k"], processes=4) as queue:
    for path in files:
      queue.put([path])
"""

from parstep._background import BackgroundTaskRunner, TaskQueue
from parstep._binary import ParstepNotFound, find_parstep
from parstep._results import StepResult, StepsFailed
from parstep._run import run_parallel_steps
from parstep._steps import Step

__all__ = [
    "BackgroundTaskRunner",
    "ParstepNotFound",
    "Step",
    "StepResult",
    "StepsFailed",
    "TaskQueue",
    "find_parstep",
    "run_parallel_steps",
]

"""run_parallel_steps: chromite's RunParallelSteps for commands."""

from typing import Any, List, Optional, Sequence

from parstep import _options, _process, _steps
from parstep._results import StepResult


def run_parallel_steps(steps: Sequence[Any], max_parallel: Optional[int] = None, halt_on_error: bool = False,
                       **options: Any) -> List[StepResult]:
  """Run a list of commands in parallel.

  This function blocks until all steps are completed.

  The output of the steps is printed as if they were run in sequence
  (parstep's `ordered` output: the first unfinished step's output live, the
  others' each as one block when its turn comes), or kept in each result's
  `output` with capture=True.

  If steps fail, the run goes on until all steps have ended, and then a
  StepsFailed is raised naming every step that did not succeed with what
  happened and the last lines of its output.

  Args:
    steps: A list of steps: shell command lines (str), argv lists (run
      directly, no shell) or Step objects (with a name, cwd, env, timeout,
      retries, launcher).
    max_parallel: The maximum number of steps to run at once. By default,
      run all steps in parallel.
    halt_on_error: After the first failure, stop the running steps at once,
      start no more and print nothing more of them; StepsFailed is raised
      right away.
    **options: parstep's options by their long names (output="group",
      timeout=600, retries=1, report="r.json", log_dir=..., launcher=[...],
      output_on_failure=True, ...), and capture=True, parstep_binary=PATH,
      cwd=DIR, env={...} (added to the environment of every step).

  Returns:
    A list with one StepResult per step, in the order given.

  Raises:
    TypeError: A step is neither a str, a list of str nor a Step (before
      anything runs).
    ValueError: An option or a step cannot be used (before anything runs).
    StepsFailed: At least one step did not succeed.
    ParstepNotFound: There is no parstep binary.

  Example:
    # This runs, in parallel: make -C docs, protoc ..., ./lint.sh
    steps = ["make -C docs", ["protoc", "--cpp_out=gen", "a.proto"], "./lint.sh"]
    run_parallel_steps(steps)
    # Blocks until all commands have completed.
  """
  manifest = [_steps.manifest_step(step, i) for i, step in enumerate(steps)]
  options.setdefault("output", "ordered")
  args = ["-f", "-"]
  args += _options.jobs(0 if max_parallel is None else max_parallel, "max_parallel")
  if halt_on_error:
    args += ["--on-error", "halt"]
  _options.command_line(options)  # every option checked before anything runs
  if not manifest:
    return []
  with _process.sigterm_as_exception():
    run = _process.ParstepRun(args, options)
    try:
      run.write(_steps.json_line({"steps": manifest}))
      run.close_stdin()
      return run.finish()
    except _process.Terminated:
      run.stop()
      _process.redeliver_sigterm()
      raise
    except BaseException:
      if run.proc.returncode is None:
        run.stop()
      raise

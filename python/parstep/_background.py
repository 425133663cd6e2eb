"""BackgroundTaskRunner: chromite's queue-fed task pool for commands."""

from types import TracebackType
from typing import Any, List, Optional, Sequence, Type

from parstep import _options, _process, _steps
from parstep._results import StepResult, StepsFailed


class TaskQueue:
  """The queue a BackgroundTaskRunner block puts its tasks on."""

  def __init__(self, runner: "BackgroundTaskRunner"):
    self._runner = runner
    self.puts = 0

  def put(self, args: Sequence[str]) -> None:
    """Runs task_argv + args as soon as a slot is free.

    Args:
      args: The task's further arguments, a list of str (may be empty).

    Raises:
      TypeError: args is not a list of str.
      StepsFailed: The run has already ended (halt_on_error after a failure).
    """
    if isinstance(args, (str, bytes)) or not isinstance(args, Sequence):
      raise TypeError(f"put: expected a list of strings, got {type(args).__name__}")
    argv = self._runner.task_argv + [_steps.text(a, f"put[{i}]") for i, a in enumerate(args)]
    if not argv or not argv[0]:
      raise ValueError("put: the task has no program name")
    self._runner._put(_steps.json_line({"argv": argv}))  # pylint: disable=protected-access
    self.puts += 1


class BackgroundTaskRunner:
  """Run a command on each queued input in a pool of parstep slots.

  Each queue.put(args) starts `task_argv + args` as soon as one of
  `processes` slots is free: parstep reads the tasks as JSON lines in queue
  mode. The output of the tasks is printed as if they were run in sequence
  (output="ordered", the default), or kept with capture=True.

  Leaving the block closes the queue and waits for every task. If tasks
  failed, StepsFailed is raised naming each with what happened and the last
  lines of its output. An exception inside the block stops every task and
  propagates.

  Example:
    # This runs gzip -k PATH for each path, four at a time, in the
    # background as soon as each is put on the queue.
    with BackgroundTaskRunner(["gzip", "-k"], processes=4) as queue:
      for path in files:
        queue.put([path])
    # Leaving the with statement blocks until all tasks have completed.

  Args:
    task_argv: The command each task runs (argv list, no shell), to which
      each put's arguments are appended.
    processes: How many tasks run at once. Default: parstep's (the CPU
      count).
    halt_on_error: After the first failure, stop the running tasks at once
      and start no more; the next put() or the block's end raises
      StepsFailed.
    **options: As for run_parallel_steps.

  Attributes:
    results: After the block, one StepResult per task in put order.
  """

  def __init__(self, task_argv: Sequence[str], processes: Optional[int] = None, halt_on_error: bool = False,
               **options: Any):
    if isinstance(task_argv, (str, bytes)) or not isinstance(task_argv, Sequence):
      raise TypeError(f"task_argv: expected a list of strings, got {type(task_argv).__name__}")
    self.task_argv: List[str] = [_steps.text(a, f"task_argv[{i}]") for i, a in enumerate(task_argv)]
    options.setdefault("output", "ordered")
    options.setdefault("retries", 0)  # set, so parstep knows no task retries and can stream live
    self._args = ["--queue-format", "json"] + _options.jobs(processes, "processes")
    if halt_on_error:
      self._args += ["--on-error", "halt"]
    _options.command_line(options)  # every option checked before anything runs
    self._options = options
    self._run: Optional[_process.ParstepRun] = None
    self._sigterm: Any = None
    self.results: List[StepResult] = []

  def __enter__(self) -> TaskQueue:
    self._sigterm = _process.sigterm_as_exception()
    self._sigterm.__enter__()
    try:
      self._run = _process.ParstepRun(self._args, self._options)
    except BaseException:
      self._sigterm.__exit__(None, None, None)
      raise
    return TaskQueue(self)

  def _put(self, line: bytes) -> None:
    assert self._run is not None, "put() outside the with block"
    if not self._run.write(line):
      self._finish()  # parstep stopped reading: the run halted
      raise StepsFailed(self.results)

  def _finish(self) -> None:
    assert self._run is not None
    self._run.close_stdin()
    try:
      self.results = self._run.finish()
    except StepsFailed as e:
      self.results = e.results
      raise

  def __exit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException],
               traceback: Optional[TracebackType]) -> None:
    assert self._run is not None
    try:
      if kind is None:
        self._finish()
      elif self._run.proc.returncode is None:
        self._run.stop()
    except _process.Terminated:
      self._run.stop()
      kind = _process.Terminated
    except BaseException:
      if self._run.proc.returncode is None:
        self._run.stop()
      raise
    finally:
      self._sigterm.__exit__(None, None, None)
    if kind is _process.Terminated:
      _process.redeliver_sigterm()

"""KeyboardInterrupt and SIGTERM to a script stop every step: no process is left."""

import signal
import unittest

import support

# Each step says it runs (a file), then sleeps with a unique argument.
PRELUDE = """
import os, signal, sys, parstep
signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored
binary, directory, markers = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
task = ["sh", "-c", ': > "$1"; exec sleep "$0"']
"""
RUN = PRELUDE + """
parstep.run_parallel_steps([task + [m, os.path.join(directory, m)] for m in markers], parstep_binary=binary)
"""
BACKGROUND = PRELUDE + """
with parstep.BackgroundTaskRunner(task, processes=len(markers), parstep_binary=binary) as queue:
  for m in markers:
    queue.put([m, os.path.join(directory, m)])
  signal.pause()
"""


class Interrupts(support.TestCase):

  def interrupt(self, script, signum):
    markers = [support.unique_sleep() for _ in range(3)]
    child = support.run_script(script, support.PARSTEP, self.dir, ",".join(markers))
    for m in markers:
      support.wait_for_file(self.path(m))
    self.assertEqual(sum(len(support.processes_with_argument(m)) for m in markers), 3)
    child.send_signal(signum)
    _, err = child.communicate(timeout=support.HANG_LIMIT)
    self.assertEqual([m for m in markers if support.processes_with_argument(m)], [])
    return child.returncode, err.decode()

  def test_keyboard_interrupt_in_run_parallel_steps(self):
    code, err = self.interrupt(RUN, signal.SIGINT)
    self.assertEqual(code, -signal.SIGINT)  # Python re-raises an uncaught KeyboardInterrupt
    self.assertTrue(err.rstrip().endswith("KeyboardInterrupt"), err)

  def test_sigterm_in_run_parallel_steps(self):
    code, err = self.interrupt(RUN, signal.SIGTERM)
    self.assertEqual(code, -signal.SIGTERM, err)

  def test_keyboard_interrupt_in_background_task_runner(self):
    code, err = self.interrupt(BACKGROUND, signal.SIGINT)
    self.assertEqual(code, -signal.SIGINT)  # Python re-raises an uncaught KeyboardInterrupt
    self.assertTrue(err.rstrip().endswith("KeyboardInterrupt"), err)

  def test_sigterm_in_background_task_runner(self):
    code, err = self.interrupt(BACKGROUND, signal.SIGTERM)
    self.assertEqual(code, -signal.SIGTERM, err)


if __name__ == "__main__":
  unittest.main()

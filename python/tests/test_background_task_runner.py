"""BackgroundTaskRunner against the built parstep binary."""

import os
import unittest

import support
from parstep import BackgroundTaskRunner, StepsFailed
from test_run_parallel_steps import ODD_WORDS

BIN = support.PARSTEP


class Queue(support.TestCase):

  def test_the_first_task_starts_before_the_block_ends(self):
    fifo, out = self.path("fifo"), self.path("out")
    os.mkfifo(fifo)
    with BackgroundTaskRunner(["sh", "-c", 'cat "$0" > "$1"'], processes=1, capture=True,
                              parstep_binary=BIN) as queue:
      queue.put([fifo, out])
      with open(fifo, "w") as f:  # opens only once the task reads it
        f.write("from the block\n")
    self.assertEqual(support.read(out), "from the block\n")

  def test_argv_bytes_reach_the_task_exactly(self):
    runner = BackgroundTaskRunner(["printf", "<%s>\\n"], capture=True, parstep_binary=BIN)
    with runner as queue:
      queue.put(ODD_WORDS)
      queue.put(["x y"])
    self.assertEqual([r.output for r in runner.results],
                     ["".join(f"<{w}>\n" for w in ODD_WORDS).encode("utf-8"), b"<x y>\n"])

  def test_a_thousand_tasks_on_two_slots_give_a_thousand_results(self):
    first = self.path("first")
    runner = BackgroundTaskRunner(["sh", "-c", '[ "$1" = 0 ] && : > "$0"; exit 0', first], processes=2,
                                  no_header=True, parstep_binary=BIN)
    with runner as queue:
      for i in range(1000):
        if i == 999:
          support.wait_for_file(first)  # the first task ran before the 1000th put
        queue.put([str(i)])
    self.assertEqual(len(runner.results), 1000)
    self.assertEqual([r.index for r in runner.results], list(range(1000)))
    self.assertEqual({r.status for r in runner.results}, {"ok"})

  def test_failures_raise_steps_failed_when_the_block_ends(self):
    runner = BackgroundTaskRunner(["sh", "-c", 'echo "task $0"; exit "$0"'], capture=True, parstep_binary=BIN)
    with self.assertRaises(StepsFailed) as caught:
      with runner as queue:
        for code in ("0", "4", "0"):
          queue.put([code])
    self.assertEqual([(r.index, r.exit_code, r.tail) for r in caught.exception.failed], [(1, 4, "task 4")])
    self.assertEqual(len(runner.results), 3)

  def test_an_exception_in_the_block_stops_every_task_and_propagates(self):
    marker, started = support.unique_sleep(), self.path("started")
    with self.assertRaisesRegex(RuntimeError, "^boom$"):
      with BackgroundTaskRunner(["sh", "-c", ': > "$1"; exec sleep "$0"'], parstep_binary=BIN) as queue:
        queue.put([marker, started])
        support.wait_for_file(started)
        self.assertEqual(len(support.processes_with_argument(marker)), 1)
        raise RuntimeError("boom")
    self.assertEqual(support.processes_with_argument(marker), [])

  def test_after_a_halt_the_next_put_raises(self):
    with self.assertRaises(StepsFailed) as caught:
      with BackgroundTaskRunner(["sh", "-c", 'exit "$0"'], halt_on_error=True, processes=1,
                                capture=True, parstep_binary=BIN) as queue:
        queue.put(["5"])
        while True:  # parstep stops reading once it halts; a put then fails
          queue.put(["0"])
    self.assertEqual(caught.exception.failed[0].exit_code, 5)

  def test_bad_input_is_refused_before_anything_runs(self):
    with self.assertRaisesRegex(TypeError, "^task_argv: expected a list of strings, got str$"):
      BackgroundTaskRunner("gzip -k", parstep_binary=BIN)
    with self.assertRaisesRegex(ValueError, "^processes: expected a whole number from 0"):
      BackgroundTaskRunner(["true"], processes="4", parstep_binary=BIN)
    with self.assertRaisesRegex(ValueError, "^unknown option 'halt'$"):
      BackgroundTaskRunner(["true"], halt=True, parstep_binary=BIN)
    runner = BackgroundTaskRunner(["true"], capture=True, parstep_binary=BIN)
    with runner as queue:
      with self.assertRaisesRegex(TypeError, "^put: expected a list of strings, got str$"):
        queue.put("x")
      with self.assertRaisesRegex(TypeError, r"^put\[0\]: expected a string, got int$"):
        queue.put([1])
    self.assertEqual(runner.results, [])


if __name__ == "__main__":
  unittest.main()

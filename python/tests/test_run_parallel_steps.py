"""run_parallel_steps against the built parstep binary."""

import os
import sys
import time
import unittest

import support
from parstep import Step, StepsFailed, run_parallel_steps

BIN = support.PARSTEP
ODD_WORDS = ["a b", "\"q\" 'q'", "$HOME", "*", "back\\slash", "\u00fcn\u00ef \u2603", "new\nline", "", "-n"]


class Results(support.TestCase):

  def test_one_result_per_step_in_the_given_order(self):
    fifo = self.path("fifo")
    os.mkfifo(fifo)
    steps = [
        f"cat {fifo} > /dev/null; echo first",     # ends only after the next one wrote
        ["sh", "-c", f"echo second; echo x > {fifo}"],
        Step(["sh", "-c", "echo $K; pwd"], name="third", env={"K": "v"}, cwd=self.dir),
    ]
    results = run_parallel_steps(steps, capture=True, parstep_binary=BIN)
    self.assertEqual([r.name for r in results], [steps[0], f"sh -c echo second; echo x > {fifo}", "third"])
    self.assertEqual([r.index for r in results], [0, 1, 2])
    self.assertEqual([r.status for r in results], ["ok"] * 3)
    self.assertEqual([r.exit_code for r in results], [0] * 3)
    self.assertEqual([r.output for r in results], [b"first\n", b"second\n", f"v\n{self.dir}\n".encode()])
    self.assertEqual([r.output_bytes for r in results], [6, 7, 3 + len(self.dir)])
    self.assertEqual([r.attempts for r in results], [1, 1, 1])
    self.assertTrue(all(r.duration > 0 for r in results))

  def test_output_is_printed_as_if_run_in_sequence(self):
    script = ("import os, parstep\n"
              "parstep.run_parallel_steps(['sleep 0.2; echo one', 'echo two', ['printf', 'three']],\n"
              "    no_header=True, parstep_binary=os.environ['PARSTEP_BINARY'])\n")
    child = support.run_script(script)
    out, err = child.communicate(timeout=support.HANG_LIMIT)
    self.assertEqual(child.returncode, 0, err)
    self.assertEqual(out, b"one\ntwo\nthree")
    self.assertEqual(err, b"")

  def test_argv_bytes_reach_the_program_exactly(self):
    results = run_parallel_steps([["printf", "<%s>\\n", *ODD_WORDS]], capture=True, parstep_binary=BIN)
    expected = "".join(f"<{w}>\n" for w in ODD_WORDS).encode("utf-8")
    self.assertEqual(results[0].output, expected)

  def test_no_steps_run_nothing(self):
    self.assertEqual(run_parallel_steps([], parstep_binary=BIN), [])


class Failures(support.TestCase):

  def test_steps_failed_names_every_failed_step_with_its_output_tail(self):
    steps = ["echo fine",
             Step("for i in $(seq 1 15); do echo line $i; done; exit 3", name="three"),
             Step("echo bye; kill -KILL $$", name="killed"),
             ["parstep-no-such-program"]]
    with self.assertRaises(StepsFailed) as caught:
      run_parallel_steps(steps, capture=True, parstep_binary=BIN)
    e = caught.exception
    self.assertEqual([r.name for r in e.results], ["echo fine", "three", "killed", "parstep-no-such-program"])
    self.assertEqual([r.name for r in e.failed], ["three", "killed", "parstep-no-such-program"])
    three, killed, missing = e.failed
    self.assertEqual((three.status, three.exit_code, three.signal), ("failed", 3, None))
    self.assertEqual(three.tail, "\n".join(f"line {i}" for i in range(6, 16)))
    self.assertEqual((killed.status, killed.exit_code, killed.signal, killed.tail), ("failed", None, "SIGKILL", "bye"))
    self.assertEqual(missing.status, "error")
    self.assertEqual(missing.error, "could not start: parstep-no-such-program: No such file or directory")
    self.assertEqual(str(e).splitlines()[:4], [
        "3 of 4 steps did not succeed:", "  three: exit 3", "    | line 6", "    | line 7"])
    self.assertIn("  killed: killed by SIGKILL\n    | bye\n", str(e))

  def test_failures_are_raised_after_all_steps_ended(self):
    done = self.path("done")
    with self.assertRaises(StepsFailed) as caught:
      run_parallel_steps(["exit 1", f"sleep 0.3; touch {done}"], capture=True, parstep_binary=BIN)
    self.assertTrue(os.path.exists(done))
    self.assertEqual([r.status for r in caught.exception.results], ["failed", "ok"])

  def test_halt_on_error_stops_running_steps_at_once(self):
    marker = support.unique_sleep()
    started, failed_at, stopped_at = self.path("started"), self.path("failed_at"), self.path("stopped_at")
    stoppable = ('trap \'date +%s.%N > "$1"; kill $!; exit 143\' TERM; '
                 ': > "$2"; sleep "$0" & wait')
    steps = [["sh", "-c", stoppable, marker, stopped_at, started],
             f"while [ ! -e {started} ]; do sleep 0.001; done; date +%s.%N > {failed_at}; exit 7"]
    with self.assertRaises(StepsFailed) as caught:
      run_parallel_steps(steps, halt_on_error=True, capture=True, parstep_binary=BIN)
    returned = time.time()
    failed = float(support.read(failed_at))
    stop_ms, return_ms = (float(support.read(stopped_at)) - failed) * 1000, (returned - failed) * 1000
    sys.stderr.write(f"halt: running step got SIGTERM {stop_ms:.0f} ms and StepsFailed was raised "
                     f"{return_ms:.0f} ms after the failing step's last act\n")
    self.assertEqual([r.status for r in caught.exception.results], ["stopped", "failed"])
    self.assertEqual(support.processes_with_argument(marker), [])
    self.assertLess(return_ms, 60000)  # only against a hang; the figures are printed above


class BadInput(support.TestCase):

  def assert_nothing_ran(self, call, error, message):
    witness = self.path("ran")
    with self.assertRaises(error) as caught:
      call(f"touch {witness}")
    self.assertEqual(str(caught.exception), message)
    self.assertFalse(os.path.exists(witness))

  def test_a_step_of_the_wrong_type_is_a_type_error_naming_its_index(self):
    cases = [
        (lambda ok: run_parallel_steps([ok, 3], parstep_binary=BIN),
         "steps[1]: expected a command string, a list of strings or a Step, got int"),
        (lambda ok: run_parallel_steps([ok, ["echo", b"x"]], parstep_binary=BIN),
         "steps[1][1]: expected a string, got bytes"),
        (lambda ok: run_parallel_steps([ok, Step(None)], parstep_binary=BIN),
         "steps[1].command: expected a list of strings, got NoneType"),
        (lambda ok: run_parallel_steps([ok, {"argv": ["x"]}], parstep_binary=BIN),
         "steps[1]: expected a command string, a list of strings or a Step, got dict"),
    ]
    for call, message in cases:
      self.assert_nothing_ran(call, TypeError, message)

  def test_an_invalid_option_or_step_is_a_value_error(self):
    cases = [
        (lambda ok: run_parallel_steps([ok], colour="always", parstep_binary=BIN), "unknown option 'colour'"),
        (lambda ok: run_parallel_steps([ok], output="fancy", parstep_binary=BIN),
         "output: expected one of group, ordered, line, got 'fancy'"),
        (lambda ok: run_parallel_steps([ok], max_parallel=-1, parstep_binary=BIN),
         "max_parallel: expected a whole number from 0 (no limit), got -1"),
        (lambda ok: run_parallel_steps([ok], retries=True, parstep_binary=BIN),
         "retries: expected a whole number, got bool"),
        (lambda ok: run_parallel_steps([ok], timeout="soon", parstep_binary=BIN),
         "--timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got 'soon'"),
        (lambda ok: run_parallel_steps([ok, []], parstep_binary=BIN), "steps[1]: needs at least a program name"),
        (lambda ok: run_parallel_steps([ok, "a\0b"], parstep_binary=BIN), "steps[1]: contains a NUL character"),
        (lambda ok: run_parallel_steps([ok, Step("x", name="a"), Step("y", name="a")], parstep_binary=BIN),
         "steps[2].name: \"a\" is also the name of steps[1]"),
    ]
    for call, message in cases:
      self.assert_nothing_ran(call, ValueError, message)

  def test_a_missing_binary_is_a_clear_error(self):
    with self.assertRaises(FileNotFoundError) as caught:
      run_parallel_steps(["true"], parstep_binary=self.path("nothing"))
    self.assertIn("is not an executable file", str(caught.exception))


if __name__ == "__main__":
  unittest.main()

# Distributed with parstep.

#[=======================================================================[.rst:
ParStep
-------

Run many build steps in parallel from one CMake target, each step's output
printed as one unbroken block, halting on the first error when asked.

The functions below are defined once ``find_package(ParStep)`` has found an
installed parstep, or once parstep's source tree was added with
``add_subdirectory()``. ``include(ParStep)`` also works after
``find_package(ParStep)``. The ``ParStep::parstep`` executable target runs
the steps.

.. command:: parstep_add_target

  Add a custom target that runs its steps with parstep::

    parstep_add_target(<target> [ALL]
      [JOBS <n>] [ON_ERROR continue|finish|halt | HALT_ON_ERROR]
      [OUTPUT group|ordered|line] [OUTPUT_ON_FAILURE]
      [TIMEOUT <sec>] [SILENT_TIMEOUT <sec>] [REPORT <file>]
      [DEPENDS <file|target>...] [BYPRODUCTS <file>...]
      [WORKING_DIRECTORY <dir>] [USES_TERMINAL] [JOB_POOL <pool>]
      [COMMENT <text>]
      STEP <name> [WORKING_DIRECTORY <dir>] [TIMEOUT <sec>]
           COMMAND <cmd> [<arg>...]
      [STEP <name> ... COMMAND ...]...)

  Like :command:`add_custom_target`, the target is always out of date.

  ``ALL``
    Build the target with the default build target.

  ``JOBS <n>``
    Run at most ``<n>`` steps at once (``0``: no limit). Default: the
    number of CPUs parstep may run on.

  ``ON_ERROR continue|finish|halt``, ``HALT_ON_ERROR``
    What a failing step does to the others: ``continue`` (default) runs
    them all, ``finish`` starts no new step, ``halt`` (or
    ``HALT_ON_ERROR``) stops the running ones at once. Any failure fails
    the target.

  ``OUTPUT group|ordered|line``
    How step output is printed: blocks as steps end (``group``, the
    default), blocks in the given order (``ordered``), or prefixed lines
    (``line``).

  ``OUTPUT_ON_FAILURE``
    Print the output only of steps that did not succeed.

  ``TIMEOUT <sec>``, ``SILENT_TIMEOUT <sec>``
    Stop and fail a step that runs longer than ``<sec>``, or that writes
    nothing for ``<sec>`` (it is reported as hung, with its processes).

  ``REPORT <file>``
    Write parstep's JSON report of the run to ``<file>`` (relative to the
    current binary directory; generator expressions allowed).

  ``DEPENDS``, ``BYPRODUCTS``, ``COMMENT``
    As for :command:`add_custom_target`.

  ``WORKING_DIRECTORY <dir>``
    Where parstep and its steps run (default: the current binary
    directory). A relative path is relative to the current binary
    directory.

  ``USES_TERMINAL``, ``JOB_POOL <pool>``
    As for :command:`add_custom_target` (Ninja: the ``console`` pool, or
    the given pool). They cannot be combined.

  ``STEP <name>``
    Starts a step. Names must be unique within the call. After the name:

    ``WORKING_DIRECTORY <dir>``
      Where this step runs; relative to the current binary directory.

    ``TIMEOUT <sec>``
      This step's own time limit.

    ``COMMAND <cmd> [<arg>...]``
      The step's program and arguments, up to the next ``STEP``. They
      reach the program byte for byte, as with
      ``add_custom_command(... VERBATIM)``, and are not passed through a
      shell. Generator expressions are evaluated (``$<TARGET_FILE:gen>``,
      ``$<CONFIG>``; ``$<SEMICOLON>`` for a ``;``). When ``<cmd>`` is the
      name of an executable target, that target's file runs and the
      target is built first.

.. command:: parstep_add_command

  Add a custom command that produces files by running its steps with
  parstep, so that the steps run only when the outputs are out of date::

    parstep_add_command(OUTPUT <file>... [DEPENDS <file|target>...]
      <options as for parstep_add_target, but ALL>
      STEP <name> ... COMMAND ...
      [STEP ...]...)

  ``OUTPUT`` comes first and lists the files; a later ``OUTPUT
  group|ordered|line`` sets the output mode. The command reruns when a
  ``DEPENDS`` file is newer than an output, or when the steps change.

Example:

.. code-block:: cmake

  find_package(ParStep REQUIRED)
  add_executable(gen gen.c)
  parstep_add_target(generate ALL JOBS 4 HALT_ON_ERROR
    STEP protos  COMMAND protoc --cpp_out=${CMAKE_CURRENT_BINARY_DIR} a.proto
    STEP tables  COMMAND gen --config $<CONFIG> tables.txt
    STEP docs    WORKING_DIRECTORY docs TIMEOUT 300 COMMAND doxygen)

How the steps reach parstep: each call writes a JSON manifest per
configuration with :command:`file(GENERATE)` and runs ``parstep -f`` on it.
A manifest keeps every argument exact (no shell and no build-tool quoting
in between) and lets generator expressions be evaluated per configuration;
each argument's ``;`` is written as ``$<SEMICOLON>`` so that CMake's list
handling cannot split it.
#]=======================================================================]

include_guard(GLOBAL)

# Quotes one argument as a JSON string. Backslashes, quotes and control
# characters are escaped; ';' becomes $<SEMICOLON> (evaluated back by
# file(GENERATE)) so the result is one list element.
function(_parstep_json_string out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE "\r" "\\r" value "${value}")
  string(REPLACE "\t" "\\t" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

# A path relative to the current binary directory, as add_custom_command
# reads one; generator expressions are left to be evaluated later.
function(_parstep_absolute out path)
  if(NOT path STREQUAL "" AND NOT IS_ABSOLUTE "${path}" AND NOT path MATCHES "^\\$<")
    set(path "${CMAKE_CURRENT_BINARY_DIR}/${path}")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

function(_parstep_fail fn problem)
  message(FATAL_ERROR "${fn}: ${problem}")
endfunction()

# Parses the step list (everything from the first STEP on), given as a list
# whose ';' inside arguments were already written as $<SEMICOLON>. Sets in
# the caller: _steps_json (the manifest's step array) and _step_targets
# (executable targets run by steps).
function(_parstep_parse_steps fn)
  set(json "")
  set(targets "")
  set(names "")
  set(state "start")
  foreach(arg IN LISTS ARGN)
    if(arg STREQUAL "STEP")
      if(state STREQUAL "name" OR state STREQUAL "options")
        _parstep_fail(${fn} "STEP ${name} has no COMMAND")
      endif()
      if(state STREQUAL "command")
        string(APPEND json "${step}]},")
      endif()
      set(state "name")
    elseif(state STREQUAL "name")
      set(name "${arg}")
      if(name STREQUAL "")
        _parstep_fail(${fn} "a STEP needs a name")
      endif()
      if(name IN_LIST names)
        _parstep_fail(${fn} "two steps are named \"${name}\"")
      endif()
      list(APPEND names "${name}")
      _parstep_json_string(quoted "${name}")
      set(step "{\"name\": ${quoted}, ")
      set(state "options")
      set(expect "")
    elseif(state STREQUAL "options" AND expect STREQUAL "" AND arg MATCHES "^(WORKING_DIRECTORY|TIMEOUT)$")
      set(expect "${arg}")
    elseif(state STREQUAL "options" AND expect STREQUAL "WORKING_DIRECTORY")
      _parstep_absolute(dir "${arg}")
      _parstep_json_string(quoted "${dir}")
      string(APPEND step "\"cwd\": ${quoted}, ")
      set(expect "")
    elseif(state STREQUAL "options" AND expect STREQUAL "TIMEOUT")
      if(NOT arg MATCHES "^[0-9]+(\\.[0-9]+)?$")
        _parstep_fail(${fn} "STEP ${name}: TIMEOUT must be seconds, got \"${arg}\"")
      endif()
      string(APPEND step "\"timeout\": ${arg}, ")
      set(expect "")
    elseif(state STREQUAL "options" AND expect STREQUAL "" AND arg STREQUAL "COMMAND")
      set(state "first")
    elseif(state STREQUAL "options")
      _parstep_fail(${fn} "STEP ${name}: unexpected \"${arg}\" (expected WORKING_DIRECTORY, TIMEOUT or COMMAND)")
    elseif(state STREQUAL "first")
      if(TARGET "${arg}")
        get_target_property(type "${arg}" TYPE)
        if(type STREQUAL "EXECUTABLE")
          list(APPEND targets "${arg}")
          set(arg "$<TARGET_FILE:${arg}>")
        endif()
      endif()
      _parstep_json_string(quoted "${arg}")
      string(APPEND step "\"argv\": [${quoted}")
      set(state "command")
    elseif(state STREQUAL "command")
      _parstep_json_string(quoted "${arg}")
      string(APPEND step ", ${quoted}")
    else()
      _parstep_fail(${fn} "unexpected \"${arg}\" before the first STEP")
    endif()
  endforeach()
  if(state STREQUAL "start")
    _parstep_fail(${fn} "no STEP given")
  elseif(NOT state STREQUAL "command")
    _parstep_fail(${fn} "STEP ${name} has no COMMAND")
  endif()
  string(APPEND json "${step}]}")
  set(_steps_json "[${json}]" PARENT_SCOPE)
  set(_step_targets "${targets}" PARENT_SCOPE)
endfunction()

# In _parstep_parse: when KEYWORD was given, checks its value against
# `pattern` and appends --<option>=<value> to `flags`.
macro(_parstep_checked_flag keyword option pattern expected)
  if(DEFINED P_${keyword})
    if(NOT P_${keyword} MATCHES "${pattern}")
      _parstep_fail(${fn} "${keyword} must be ${expected}, got \"${P_${keyword}}\"")
    endif()
    list(APPEND flags "--${option}=${P_${keyword}}")
  endif()
endmacro()

# Parses a whole call: options, then steps. `args` is the call's arguments
# after the target name (or after OUTPUT's files). Sets in the caller the
# parstep command line (_parstep_command), the manifest file of each
# configuration (_parstep_manifest, with $<CONFIG>), and the custom
# target/command options (_parstep_custom_args) and dependencies.
function(_parstep_parse fn name)
  set(options_end -1)
  list(FIND ARGN "STEP" options_end)
  if(options_end EQUAL -1)
    _parstep_fail(${fn} "no STEP given")
  endif()
  list(SUBLIST ARGN 0 ${options_end} option_args)
  list(SUBLIST ARGN ${options_end} -1 step_args)
  cmake_parse_arguments(P "ALL;HALT_ON_ERROR;OUTPUT_ON_FAILURE;USES_TERMINAL"
    "JOBS;ON_ERROR;OUTPUT;TIMEOUT;SILENT_TIMEOUT;REPORT;WORKING_DIRECTORY;JOB_POOL;COMMENT"
    "DEPENDS;BYPRODUCTS" ${option_args})
  if(P_UNPARSED_ARGUMENTS)
    list(GET P_UNPARSED_ARGUMENTS 0 bad)
    _parstep_fail(${fn} "unknown argument \"${bad}\"")
  endif()
  if(P_ALL AND NOT fn STREQUAL "parstep_add_target")
    _parstep_fail(${fn} "ALL is for parstep_add_target only")
  endif()

  set(flags "")
  if(P_HALT_ON_ERROR)
    set(P_ON_ERROR halt)
  endif()
  _parstep_checked_flag(JOBS jobs "^[0-9]+$" "a whole number")
  _parstep_checked_flag(ON_ERROR on-error "^(continue|finish|halt)$" "continue, finish or halt")
  _parstep_checked_flag(OUTPUT output "^(group|ordered|line)$" "group, ordered or line")
  _parstep_checked_flag(TIMEOUT timeout "^[0-9]+(\\.[0-9]+)?$" "seconds")
  _parstep_checked_flag(SILENT_TIMEOUT silent-timeout "^[0-9]+(\\.[0-9]+)?$" "seconds")
  if(P_OUTPUT_ON_FAILURE)
    list(APPEND flags "--output-on-failure")
  endif()
  if(DEFINED P_REPORT)
    _parstep_absolute(report "${P_REPORT}")
    list(APPEND flags "--report=${report}")
  endif()
  if(P_USES_TERMINAL AND DEFINED P_JOB_POOL)
    _parstep_fail(${fn} "USES_TERMINAL and JOB_POOL cannot be combined (USES_TERMINAL is the console pool)")
  endif()

  _parstep_parse_steps(${fn} ${step_args})
  set(manifest "${CMAKE_CURRENT_BINARY_DIR}/parstep/${name}$<$<BOOL:$<CONFIG>>:-$<CONFIG>>.json")
  file(GENERATE OUTPUT "${manifest}" CONTENT "{\"steps\": ${_steps_json}}\n")

  set(custom "")
  if(DEFINED P_WORKING_DIRECTORY)
    list(APPEND custom WORKING_DIRECTORY "${P_WORKING_DIRECTORY}")
  endif()
  if(DEFINED P_COMMENT)
    list(APPEND custom COMMENT "${P_COMMENT}")
  endif()
  if(P_BYPRODUCTS)
    list(APPEND custom BYPRODUCTS ${P_BYPRODUCTS})
  endif()
  if(P_USES_TERMINAL)
    list(APPEND custom USES_TERMINAL)
  endif()
  if(DEFINED P_JOB_POOL)
    list(APPEND custom JOB_POOL "${P_JOB_POOL}")
  endif()

  # The tool itself: built in this build (add_subdirectory) or imported.
  set(tool_targets ${_step_targets})
  get_target_property(real ParStep::parstep ALIASED_TARGET)
  if(real)
    list(APPEND tool_targets ${real})
  endif()

  set(_parstep_command "$<TARGET_FILE:ParStep::parstep>" -f "${manifest}" ${flags} PARENT_SCOPE)
  set(_parstep_manifest "${manifest}" PARENT_SCOPE)
  set(_parstep_custom_args "${custom}" PARENT_SCOPE)
  set(_parstep_depends "${P_DEPENDS}" PARENT_SCOPE)
  set(_parstep_tool_targets "${tool_targets}" PARENT_SCOPE)
  set(_parstep_all "${P_ALL}" PARENT_SCOPE)
endfunction()

# The calling function's arguments from `first` to `count` - 1, one list
# element each: ';' inside an argument is written as $<SEMICOLON> and an
# empty argument as $<1:>, both of which file(GENERATE) turns back into what
# was given. A macro, to read the caller's ARGV<n>; `count` is passed
# because a macro's own ${ARGC} would shadow the caller's.
macro(_parstep_collect_args out first count)
  set(${out} "")
  foreach(_parstep_i RANGE ${first} ${count})
    if(_parstep_i LESS ${count})
      set(_parstep_arg "${ARGV${_parstep_i}}")
      string(REPLACE ";" "$<SEMICOLON>" _parstep_arg "${_parstep_arg}")
      if(_parstep_arg STREQUAL "")
        set(_parstep_arg "$<1:>")
      endif()
      list(APPEND ${out} "${_parstep_arg}")
    endif()
  endforeach()
endmacro()

function(parstep_add_target target)
  if(TARGET "${target}")
    _parstep_fail(parstep_add_target "target \"${target}\" already exists")
  endif()
  _parstep_collect_args(args 1 ${ARGC})
  _parstep_parse(parstep_add_target "${target}" ${args})
  set(all "")
  if(_parstep_all)
    set(all ALL)
  endif()
  add_custom_target(${target} ${all}
    COMMAND ${_parstep_command}
    DEPENDS ${_parstep_depends}
    ${_parstep_custom_args}
    VERBATIM)
  if(_parstep_tool_targets)
    add_dependencies(${target} ${_parstep_tool_targets})
  endif()
endfunction()

function(parstep_add_command)
  if(NOT ARGV0 STREQUAL "OUTPUT")
    _parstep_fail(parstep_add_command "the first argument must be OUTPUT, followed by the files it makes")
  endif()
  # OUTPUT's files run to the next keyword; a later OUTPUT is the mode.
  set(outputs "")
  set(i 1)
  while(i LESS ARGC AND NOT "${ARGV${i}}" MATCHES
        "^(DEPENDS|BYPRODUCTS|JOBS|ON_ERROR|HALT_ON_ERROR|OUTPUT|OUTPUT_ON_FAILURE|TIMEOUT|SILENT_TIMEOUT|REPORT|WORKING_DIRECTORY|USES_TERMINAL|JOB_POOL|COMMENT|STEP|ALL)$")
    _parstep_absolute(file "${ARGV${i}}")
    list(APPEND outputs "${file}")
    math(EXPR i "${i} + 1")
  endwhile()
  if(NOT outputs)
    _parstep_fail(parstep_add_command "OUTPUT names no file")
  endif()
  list(GET outputs 0 first)
  get_filename_component(base "${first}" NAME)
  string(MD5 hash "${outputs}")
  string(SUBSTRING "${hash}" 0 8 hash)
  _parstep_collect_args(args ${i} ${ARGC})
  _parstep_parse(parstep_add_command "${base}-${hash}" ${args})
  add_custom_command(OUTPUT ${outputs}
    COMMAND ${_parstep_command}
    DEPENDS ${_parstep_depends} "${_parstep_manifest}" ${_parstep_tool_targets}
    ${_parstep_custom_args}
    VERBATIM)
endfunction()

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
      [OUTPUT group|ordered|line] [OUTPUT_ON_FAILURE] [PTY]
      [TIMEOUT <dur>] [SILENT_TIMEOUT <dur>] [RETRIES <n>] [REPORT <file>] [JUNIT <file>]
      [HISTORY <file> | NO_HISTORY]
      [DEPENDS <file|target>...] [BYPRODUCTS <file>...]
      [WORKING_DIRECTORY <dir>] [USES_TERMINAL] [JOB_POOL <pool>]
      [COMMENT <text>] [LAUNCHER <cmd>...]
      STEP <name> [WORKING_DIRECTORY <dir>] [TIMEOUT <dur>]
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

  ``PTY``
    Give each running step a pseudo-terminal as stdout and stderr
    (parstep's ``--pty``), for tools that colour or line-buffer only when
    ``isatty`` says so.

  ``TIMEOUT <dur>``, ``SILENT_TIMEOUT <dur>``
    Stop and fail a step that runs longer than ``<dur>``, or that writes
    nothing for ``<dur>`` (it is reported as hung, with its processes).
    ``<dur>`` is a number with an optional unit ``ms``, ``s``, ``m`` or
    ``h`` (``90``, ``1.5m``, ``500ms``); a bare number is seconds.

  ``RETRIES <n>``
    Run a failing step again, up to ``<n>`` more times (parstep's
    ``--retries``).

  ``REPORT <file>``
    Write parstep's JSON report of the run to ``<file>`` (relative to the
    current binary directory; generator expressions allowed).

  ``JUNIT <file>``
    Write parstep's JUnit XML report of the run to ``<file>``, for a CI's
    test reporter (relative to the current binary directory; generator
    expressions allowed).

  ``HISTORY <file>``, ``NO_HISTORY``
    parstep's ``--history``: remember each step's duration and result, and
    start the longest steps first from the second build on. Default: on,
    in ``<current binary dir>/parstep/<target>[-<config>].history.json``.
    A relative ``<file>`` is relative to the current binary directory.
    ``NO_HISTORY`` turns it off.

  ``DEPENDS``, ``BYPRODUCTS``, ``COMMENT``
    As for :command:`add_custom_target`.

  ``LAUNCHER <cmd>...``
    Run every step through this command prefix (parstep's ``--launcher``),
    e.g. ``LAUNCHER srun --quiet --ntasks=1 --`` runs each step as a Slurm
    job. Each word reaches the launcher as one argument, byte for byte; the
    words end at the next keyword of this function.

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

    ``TIMEOUT <dur>``
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
in between) and lets generator expressions be evaluated per configuration.
The arguments are never put in a CMake list, so a trailing ``\``,
unbalanced ``[`` or ``]``, ``;`` and empty arguments stay as given. An
argument (or step ``WORKING_DIRECTORY``) that holds a generator expression
is written by :command:`file(GENERATE)` into a file of its own, and the
manifest names that file (``{"file": "<path>"}``): parstep reads the
file's bytes as the argument, so a result holding ``"`` or ``\`` needs no
escaping.

With a Makefile generator on CMake 3.28 or newer the target is
``JOB_SERVER_AWARE``: parstep joins make's jobserver and the steps share
make's ``-j``. Older CMake cannot mark a target so, and make closes its
jobserver for the command; the module then runs parstep with
``PARSTEP_JOBSERVER_MISSING_OK=1`` in its environment, and parstep limits
itself with ``JOBS`` (or the CPU count) without a warning.
#]=======================================================================]

include_guard(GLOBAL)

# The keywords of a call, declared once. The parser reads them from these
# lists, parstep_add_command ends its OUTPUT files at any of them, and each
# becomes a parstep flag, a manifest key or a custom target option in one
# line of _parstep_parse. A macro, not variables of this file: a project
# that add_subdirectory()s parstep does not see this directory's variables.
macro(_parstep_declare_keywords)
  set(_PARSTEP_OPTION_KEYWORDS ALL HALT_ON_ERROR OUTPUT_ON_FAILURE PTY USES_TERMINAL NO_HISTORY)
  set(_PARSTEP_VALUE_KEYWORDS
    JOBS ON_ERROR OUTPUT TIMEOUT SILENT_TIMEOUT RETRIES REPORT JUNIT HISTORY WORKING_DIRECTORY JOB_POOL COMMENT)
  set(_PARSTEP_LIST_KEYWORDS DEPENDS BYPRODUCTS LAUNCHER)
  set(_PARSTEP_KEYWORDS
    ${_PARSTEP_OPTION_KEYWORDS} ${_PARSTEP_VALUE_KEYWORDS} ${_PARSTEP_LIST_KEYWORDS} STEP)
endmacro()

# Policies this module relies on, set here so a consumer's own policy
# settings do not change how it parses (as CMake's modules do).
cmake_policy(PUSH)
cmake_policy(SET CMP0054 NEW)  # quoted arguments of if() are not dereferenced
cmake_policy(SET CMP0057 NEW)  # if(IN_LIST)

# Quotes one string as JSON: backslashes, quotes and control characters
# escaped. Only for strings known now (no generator expression).
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

# The calling function's arguments from `first` on, stored one variable
# each (_parstep_arg_<i>, and _parstep_argc) and never joined into a CMake
# list: a list would merge an argument ending in '\' with the next, split
# at ';' and mis-split around an unbalanced '['. A macro, to read the
# caller's ARGV<n>; `count` is the caller's ARGC (a macro's own would
# shadow it).
macro(_parstep_store_args first count)
  set(_parstep_argc 0)
  set(_parstep_i ${first})
  while(_parstep_i LESS ${count})
    set(_parstep_arg_${_parstep_argc} "${ARGV${_parstep_i}}")
    math(EXPR _parstep_argc "${_parstep_argc} + 1")
    math(EXPR _parstep_i "${_parstep_i} + 1")
  endwhile()
endmacro()

# One argument or path as a JSON manifest value. A value holding a
# generator expression, whose result is known only at generate time, is
# written by file(GENERATE) into a file of its own, and the manifest names
# that file: parstep reads its bytes, so nothing needs escaping.
function(_parstep_json_value out value file)
  if(value MATCHES "\\$<")
    file(GENERATE OUTPUT "${file}" CONTENT "${value}")
    _parstep_json_string(path "${file}")
    set(${out} "{\"file\": ${path}}" PARENT_SCOPE)
  else()
    _parstep_json_string(quoted "${value}")
    set(${out} "${quoted}" PARENT_SCOPE)
  endif()
endfunction()

# The first word of a COMMAND: an executable target's file, or as given.
function(_parstep_program out targets_var word)
  set(targets ${${targets_var}})
  if(TARGET "${word}")
    get_target_property(type "${word}" TYPE)
    if(type STREQUAL "EXECUTABLE")
      list(APPEND targets "${word}")
      set(word "$<TARGET_FILE:${word}>")
    endif()
  endif()
  set(${out} "${word}" PARENT_SCOPE)
  set(${targets_var} "${targets}" PARENT_SCOPE)
endfunction()

# Parses the steps: stored arguments from index `i` (the first STEP) on.
# `files` is where per-argument files go (with the configuration in it).
# Sets in the caller: _steps_json (the manifest's step array) and
# _step_targets (executable targets run by steps).
function(_parstep_parse_steps fn i files)
  set(json "")
  set(targets "")
  set(state "start")
  while(i LESS _parstep_argc)
    set(arg "${_parstep_arg_${i}}")
    set(file "${files}/${i}")
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
      string(MD5 key "${name}")  # names may hold ';', so no list of them
      if(DEFINED seen_${key})
        _parstep_fail(${fn} "two steps are named \"${name}\"")
      endif()
      set(seen_${key} TRUE)
      _parstep_json_string(quoted "${name}")
      set(step "{\"name\": ${quoted}, ")
      set(state "options")
      set(expect "")
    elseif(state STREQUAL "options" AND expect STREQUAL "" AND arg MATCHES "^(WORKING_DIRECTORY|TIMEOUT)$")
      set(expect "${arg}")
    elseif(state STREQUAL "options" AND expect STREQUAL "WORKING_DIRECTORY")
      _parstep_absolute(dir "${arg}")
      _parstep_json_value(value "${dir}" "${file}")
      string(APPEND step "\"cwd\": ${value}, ")
      set(expect "")
    elseif(state STREQUAL "options" AND expect STREQUAL "TIMEOUT")
      if(NOT arg MATCHES "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h)?$")
        _parstep_fail(${fn} "STEP ${name}: TIMEOUT must be a duration like 1.5m, got \"${arg}\"")
      endif()
      string(APPEND step "\"timeout\": \"${arg}\", ")
      set(expect "")
    elseif(state STREQUAL "options" AND expect STREQUAL "" AND arg STREQUAL "COMMAND")
      set(state "first")
    elseif(state STREQUAL "options")
      _parstep_fail(${fn} "STEP ${name}: unexpected \"${arg}\" (expected WORKING_DIRECTORY, TIMEOUT or COMMAND)")
    elseif(state STREQUAL "first")
      _parstep_program(arg targets "${arg}")
      _parstep_json_value(value "${arg}" "${file}")
      string(APPEND step "\"argv\": [${value}")
      set(state "command")
    elseif(state STREQUAL "command")
      _parstep_json_value(value "${arg}" "${file}")
      string(APPEND step ", ${value}")
    endif()
    math(EXPR i "${i} + 1")
  endwhile()
  if(NOT state STREQUAL "command")
    _parstep_fail(${fn} "STEP ${name} has no COMMAND")
  endif()
  string(APPEND json "${step}]}")
  set(_steps_json "[${json}]" PARENT_SCOPE)
  set(_step_targets "${targets}" PARENT_SCOPE)
endfunction()

# Reads the keywords before the first STEP from the stored arguments,
# starting at index 0. Sets in the caller _parstep_kw_<KEYWORD> (TRUE for an option,
# the value for a one-value keyword, a list for DEPENDS/BYPRODUCTS: those
# are lists for add_custom_command anyway) and _parstep_steps_at, the index
# of the first STEP.
macro(_parstep_parse_keywords fn)
  _parstep_declare_keywords()
  foreach(_parstep_kw IN LISTS _PARSTEP_KEYWORDS)
    unset(_parstep_kw_${_parstep_kw})  # a caller's variable of that name
  endforeach()
  set(_parstep_kw "")
  set(_parstep_i 0)
  while(_parstep_i LESS _parstep_argc)
    set(_parstep_kw "${_parstep_arg_${_parstep_i}}")
    math(EXPR _parstep_i "${_parstep_i} + 1")
    if(_parstep_kw STREQUAL "STEP")
      break()
    elseif(_parstep_kw IN_LIST _PARSTEP_OPTION_KEYWORDS)
      set(_parstep_kw_${_parstep_kw} TRUE)
    elseif(_parstep_kw IN_LIST _PARSTEP_VALUE_KEYWORDS)
      if(NOT _parstep_i LESS _parstep_argc OR "${_parstep_arg_${_parstep_i}}" IN_LIST _PARSTEP_KEYWORDS)
        _parstep_fail(${fn} "${_parstep_kw} needs a value")
      endif()
      set(_parstep_kw_${_parstep_kw} "${_parstep_arg_${_parstep_i}}")
      math(EXPR _parstep_i "${_parstep_i} + 1")
    elseif(_parstep_kw IN_LIST _PARSTEP_LIST_KEYWORDS)
      set(_parstep_kw_${_parstep_kw} "")
      while(_parstep_i LESS _parstep_argc AND NOT "${_parstep_arg_${_parstep_i}}" IN_LIST _PARSTEP_KEYWORDS)
        list(APPEND _parstep_kw_${_parstep_kw} "${_parstep_arg_${_parstep_i}}")
        math(EXPR _parstep_i "${_parstep_i} + 1")
      endwhile()
    else()
      _parstep_fail(${fn} "unknown argument \"${_parstep_kw}\"")
    endif()
  endwhile()
  if(NOT _parstep_kw STREQUAL "STEP")
    _parstep_fail(${fn} "no STEP given")
  endif()
  math(EXPR _parstep_steps_at "${_parstep_i} - 1")
endmacro()

# In _parstep_parse: when KEYWORD was given, checks its value against
# `pattern` and appends --<option>=<value> to `flags`.
macro(_parstep_checked_flag keyword option pattern expected)
  if(DEFINED _parstep_kw_${keyword})
    if(NOT _parstep_kw_${keyword} MATCHES "${pattern}")
      _parstep_fail(${fn} "${keyword} must be ${expected}, got \"${_parstep_kw_${keyword}}\"")
    endif()
    list(APPEND flags "--${option}=${_parstep_kw_${keyword}}")
  endif()
endmacro()

# In _parstep_parse: a path keyword, relative to the current binary
# directory, as --<option>=<path>.
macro(_parstep_path_flag keyword option)
  if(DEFINED _parstep_kw_${keyword})
    _parstep_absolute(_parstep_path "${_parstep_kw_${keyword}}")
    list(APPEND flags "--${option}=${_parstep_path}")
  endif()
endmacro()

# In _parstep_parse: an option keyword as a parstep flag.
macro(_parstep_switch_flag keyword option)
  if(_parstep_kw_${keyword})
    list(APPEND flags "--${option}")
  endif()
endmacro()

# In _parstep_parse: a keyword passed on to add_custom_target/command.
macro(_parstep_custom_arg keyword)
  if("${keyword}" IN_LIST _PARSTEP_OPTION_KEYWORDS)
    if(_parstep_kw_${keyword})
      list(APPEND custom ${keyword})
    endif()
  elseif(DEFINED _parstep_kw_${keyword})
    list(APPEND custom ${keyword} "${_parstep_kw_${keyword}}")
  endif()
endmacro()

# Parses a whole call from the stored arguments: keywords, then steps.
# Sets in the caller the parstep command line (_parstep_command), the
# manifest file of each configuration (_parstep_manifest, with $<CONFIG>),
# the custom target/command options (_parstep_custom_args) and dependencies.
function(_parstep_parse fn name)
  _parstep_parse_keywords(${fn})
  if(_parstep_kw_ALL AND NOT fn STREQUAL "parstep_add_target")
    _parstep_fail(${fn} "ALL is for parstep_add_target only")
  endif()
  if(_parstep_kw_HALT_ON_ERROR)
    set(_parstep_kw_ON_ERROR halt)
  endif()
  if(_parstep_kw_USES_TERMINAL AND DEFINED _parstep_kw_JOB_POOL)
    _parstep_fail(${fn} "USES_TERMINAL and JOB_POOL cannot be combined (USES_TERMINAL is the console pool)")
  endif()

  set(flags "")
  _parstep_checked_flag(JOBS jobs "^[0-9]+$" "a whole number")
  _parstep_checked_flag(ON_ERROR on-error "^(continue|finish|halt)$" "continue, finish or halt")
  _parstep_checked_flag(OUTPUT output "^(group|ordered|line)$" "group, ordered or line")
  _parstep_checked_flag(TIMEOUT timeout "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h)?$" "a duration like 1.5m")
  _parstep_checked_flag(SILENT_TIMEOUT silent-timeout "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h)?$" "a duration like 1.5m")
  _parstep_checked_flag(RETRIES retries "^[0-9]+$" "a whole number")
  _parstep_switch_flag(OUTPUT_ON_FAILURE output-on-failure)
  _parstep_switch_flag(PTY pty)
  _parstep_path_flag(REPORT report)
  _parstep_path_flag(JUNIT junit)
  if(_parstep_kw_NO_HISTORY AND DEFINED _parstep_kw_HISTORY)
    _parstep_fail(${fn} "HISTORY and NO_HISTORY cannot be combined")
  elseif(NOT _parstep_kw_NO_HISTORY AND NOT DEFINED _parstep_kw_HISTORY)
    # On by default: from the second build on, the longest steps start first.
    set(_parstep_kw_HISTORY "${CMAKE_CURRENT_BINARY_DIR}/parstep/${name}$<$<BOOL:$<CONFIG>>:-$<CONFIG>>.history.json")
  endif()
  _parstep_path_flag(HISTORY history)

  set(custom "")
  _parstep_custom_arg(WORKING_DIRECTORY)
  _parstep_custom_arg(COMMENT)
  _parstep_custom_arg(BYPRODUCTS)
  _parstep_custom_arg(USES_TERMINAL)
  _parstep_custom_arg(JOB_POOL)

  set(config "$<$<BOOL:$<CONFIG>>:-$<CONFIG>>")
  _parstep_parse_steps(${fn} ${_parstep_steps_at} "${CMAKE_CURRENT_BINARY_DIR}/parstep/${name}${config}.args")
  set(manifest "${CMAKE_CURRENT_BINARY_DIR}/parstep/${name}${config}.json")
  _parstep_launcher_json(launcher_json)
  file(GENERATE OUTPUT "${manifest}" CONTENT "{${launcher_json}\"steps\": ${_steps_json}}\n")

  # The tool itself: built in this build (add_subdirectory) or imported.
  set(tool_targets ${_step_targets})
  get_target_property(real ParStep::parstep ALIASED_TARGET)
  if(real)
    list(APPEND tool_targets ${real})
  endif()

  _parstep_jobserver_args(jobserver launcher)
  set(_parstep_command ${launcher} "$<TARGET_FILE:ParStep::parstep>" -f "${manifest}" ${flags} PARENT_SCOPE)
  set(_parstep_manifest "${manifest}" PARENT_SCOPE)
  set(_parstep_custom_args ${custom} ${jobserver} PARENT_SCOPE)
  set(_parstep_depends "${_parstep_kw_DEPENDS}" PARENT_SCOPE)
  set(_parstep_tool_targets "${tool_targets}" PARENT_SCOPE)
  set(_parstep_all "${_parstep_kw_ALL}" PARENT_SCOPE)
endfunction()

# LAUNCHER's words as the manifest's "launcher" key (SPEC 9), each word
# JSON-quoted so that it reaches parstep byte for byte; empty when LAUNCHER
# was not given.
function(_parstep_launcher_json out)
  set(json "")
  if(DEFINED _parstep_kw_LAUNCHER)
    if(_parstep_kw_LAUNCHER STREQUAL "")
      _parstep_fail(${fn} "LAUNCHER needs a command")
    endif()
    foreach(word IN LISTS _parstep_kw_LAUNCHER)
      _parstep_json_string(quoted "${word}")
      string(APPEND json "${quoted}, ")
    endforeach()
    string(REGEX REPLACE ", $" "" json "${json}")
    set(json "\"launcher\": [${json}], ")
  endif()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# How the command meets make's jobserver (SPEC 7). Makefile generators on
# CMake >= 3.28: JOB_SERVER_AWARE (a '+' recipe), so parstep joins make's
# pool. Older CMake runs the recipe without '+': make closes the
# jobserver's descriptors but leaves it in MAKEFLAGS, so parstep is told,
# through PARSTEP_JOBSERVER_MISSING_OK in its environment, that a missing
# jobserver is expected and falls back to JOBS without a warning.
function(_parstep_jobserver_args out_args out_launcher)
  set(args "")
  set(launcher "")
  if(CMAKE_GENERATOR MATCHES "Makefiles")
    if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.28)
      set(args JOB_SERVER_AWARE TRUE)
    else()
      set(launcher "${CMAKE_COMMAND}" -E env PARSTEP_JOBSERVER_MISSING_OK=1)
    endif()
  endif()
  set(${out_args} ${args} PARENT_SCOPE)
  set(${out_launcher} ${launcher} PARENT_SCOPE)
endfunction()

function(parstep_add_target target)
  if(TARGET "${target}")
    _parstep_fail(parstep_add_target "target \"${target}\" already exists")
  endif()
  _parstep_store_args(1 ${ARGC})
  _parstep_parse(parstep_add_target "${target}")
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
  _parstep_declare_keywords()
  set(outputs "")
  set(i 1)
  while(i LESS ARGC AND NOT "${ARGV${i}}" IN_LIST _PARSTEP_KEYWORDS)
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
  _parstep_store_args(${i} ${ARGC})
  _parstep_parse(parstep_add_command "${base}-${hash}")
  add_custom_command(OUTPUT ${outputs}
    COMMAND ${_parstep_command}
    DEPENDS ${_parstep_depends} "${_parstep_manifest}" ${_parstep_tool_targets}
    ${_parstep_custom_args}
    VERBATIM)
endfunction()

cmake_policy(POP)

#include "jobserver_policy.h"

#include <string>
#include <string_view>
#include <system_error>

#include "jobserver.h"
#include "messages.h"
#include "usage_error.h"

namespace parstep {
namespace {

// --jobserver: a pool of -j slots, announced in the style asked for.
void serve_jobserver(const JobserverRequest& request, const Surroundings& env, RunOptions& run) {
  if (run.jobs == 0) throw UsageError("--jobserver needs a number of slots: give -j N with N >= 1");
  if (run.jobs > Jobserver::max_slots())
    throw UsageError("--jobserver: at most " + std::to_string(Jobserver::max_slots()) +
                     " slots (the tokens one pipe can hold, /proc/sys/fs/pipe-max-size), got -j " +
                     std::to_string(run.jobs));
  JobserverStyle style = request.style ? *request.style : automatic_jobserver_style();
  try {
    run.jobserver = Jobserver::serve(run.jobs, style, env.makeflags ? env.makeflags : "");
  } catch (const std::system_error& e) {
    throw UsageError(std::string("--jobserver: ") + e.what());
  }
}

// The inherited jobserver is unusable: steps get MAKEFLAGS without it.
void fall_back(const std::string& problem, const Surroundings& env, RunOptions& run, const WarningSink& warn) {
  run.env.emplace_back("MAKEFLAGS", makeflags_without_jobserver(env.makeflags ? env.makeflags : ""));
  if (env.jobserver_missing_ok && std::string_view(env.jobserver_missing_ok) == "1") return;
  warn(warning_line("the jobserver in MAKEFLAGS is unusable: " + problem + "; running at most " +
                        (run.jobs == 0 ? "unlimited" : std::to_string(run.jobs)) + " steps at once",
                    run.colour));
}

}  // namespace

void attach_jobserver(const JobserverRequest& request, const Surroundings& env, RunOptions& run,
                      const WarningSink& warn) {
  JobserverAuth auth = parse_makeflags(env.makeflags ? env.makeflags : "");
  if (request.serve && (request.jobs_given || auth.kind == JobserverAuth::Kind::none))
    return serve_jobserver(request, env, run);
  if (auth.kind == JobserverAuth::Kind::none) return;
  std::string problem;
  run.jobserver = Jobserver::join(auth, problem);
  if (run.jobserver) {
    if (!request.jobs_given) run.jobs = 0;  // the jobserver alone limits
    return;
  }
  if (!request.jobs_given && auth.jobs && *auth.jobs > 0) run.jobs = *auth.jobs;
  if (request.serve) return serve_jobserver(request, env, run);  // its MAKEFLAGS drops the dead one
  fall_back(problem, env, run, warn);
}

}  // namespace parstep

#include "app/explore/server.hpp"

#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/explore/export.hpp"
#include "app/explore/security.hpp"
#include "app/explore/session.hpp"
#include "app/explore/views.hpp"
#include "experiments/scenario_io.hpp"

extern char** environ;

namespace cdpsim::app::explore {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path exe_dir() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path{} : p.parent_path();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", message}}.dump(), "application/json");
}

std::string mime_of(const fs::path& p) {
  const std::string e = p.extension().string();
  if (e == ".html") return "text/html; charset=utf-8";
  if (e == ".js") return "text/javascript; charset=utf-8";
  if (e == ".css") return "text/css; charset=utf-8";
  if (e == ".json") return "application/json";
  if (e == ".svg") return "image/svg+xml";
  if (e == ".png") return "image/png";
  return "application/octet-stream";
}

// A command's body as a JSON object; throws Refused(400) when it is none.
json body_of(const httplib::Request& req) {
  json j;
  try {
    j = json::parse(req.body.empty() ? std::string("{}") : req.body);
  } catch (const json::exception& e) {
    throw Refused(400, std::string("malformed JSON: ") + e.what());
  }
  if (!j.is_object()) throw Refused(400, "the body must be a JSON object");
  return j;
}

template <class T>
T get_or(const json& j, const char* key, T fallback) {
  if (!j.contains(key)) return fallback;
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    throw Refused(422, std::string(key) + ": wrong type");
  }
}

Date parse_date(const std::string& text, const char* what) {
  Date d;
  char extra = 0;
  if (text.size() > 10 ||
      std::sscanf(text.c_str(), "%d-%d-%d%c", &d.year, &d.month, &d.day, &extra) != 3 ||
      !d.valid() || d.year < 1900 || d.year > 2200)
    throw Refused(422, std::string(what) + ": expected a date YYYY-MM-DD");
  return d;
}

// The shock switches of the page applied to `s`: each kind given replaces the scenario's shocks
// of that kind (on: one shock with the page's start, duration and intensity; off: none).
void apply_shocks(Scenario& s, const json& shocks) {
  if (!shocks.is_object()) throw Refused(422, "shocks: expected an object");
  for (const auto& [kind, v] : shocks.items()) {
    if (kind != "pandemic" && kind != "funding_cut" && kind != "platform_migration")
      throw Refused(422, "shocks: '" + kind.substr(0, 30) +
                             "' is not a shock kind (allowed: pandemic, funding_cut, "
                             "platform_migration)");
    if (!v.is_object()) throw Refused(422, "shocks." + kind + ": expected an object");
    std::string label;
    ShockSpec spec;
    spec.kind = kind;
    for (const ShockSpec& old : s.shocks)
      if (old.kind == kind) {
        spec = old;
        break;
      }
    std::erase_if(s.shocks, [&](const ShockSpec& x) { return x.kind == kind; });
    if (!get_or<bool>(v, "on", false)) continue;
    if (v.contains("start")) spec.start = parse_date(get_or<std::string>(v, "start", ""), "start");
    spec.intensity = get_or<double>(v, "intensity", spec.intensity);
    spec.duration_weeks = get_or<std::int64_t>(v, "duration_weeks", spec.duration_weeks);
    if (!(spec.intensity >= 0.0 && spec.intensity <= 1.0))
      throw Refused(422, "shocks." + kind + ".intensity: allowed 0 to 1");
    if (spec.duration_weeks < 1 || spec.duration_weeks > 5200)
      throw Refused(422, "shocks." + kind + ".duration_weeks: allowed 1 to 5200");
    if (spec.label.empty()) spec.label = kind == "pandemic" ? "pandemic" : kind;
    s.shocks.push_back(spec);
  }
}

void open_in_browser(const std::string& url) {
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  pid_t pid = 0;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  if (posix_spawnp(&pid, "xdg-open", &fa, nullptr, const_cast<char**>(argv), environ) == 0)
    std::thread([pid] { waitpid(pid, nullptr, 0); }).detach();
  posix_spawn_file_actions_destroy(&fa);
}

}  // namespace

fs::path find_web_dir() {
  if (const char* env = std::getenv("CDPSIM_EXPLORE_WEB"); env != nullptr && *env != 0) return env;
  const fs::path dir = exe_dir();
  std::error_code ec;
  for (const fs::path& c : {dir / "explore-web", dir / ".." / "share" / "cdpsim" / "explore"})
    if (fs::exists(c / "index.html", ec)) return fs::weakly_canonical(c, ec);
  return {};
}

fs::path find_chart_js(const fs::path& web_dir) {
  std::error_code ec;
  for (const fs::path& c :
       {web_dir / "chart.min.js", fs::path("/usr/share/javascript/chart.js/chart.min.js")})
    if (fs::exists(c, ec)) return c;
  return {};
}

fs::path find_presets_dir() {
  const fs::path dir = exe_dir();
  std::error_code ec;
  for (const fs::path& c :
       {dir / ".." / "share" / "cdpsim" / "scenarios", fs::path(CDPSIM_SOURCE_DIR) / "scenarios"})
    if (fs::is_directory(c, ec)) return fs::weakly_canonical(c, ec);
  return {};
}

int serve(ServerOptions opts, std::atomic<bool>& stop) {
  const Limits limits;
  check_limits(opts.scenario, limits);
  // The page's files, read once: only these names are served.
  std::map<std::string, std::pair<std::string, std::string>> files;  // name -> (mime, bytes)
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(opts.web_dir, ec))
    if (e.is_regular_file())
      files[e.path().filename().string()] = {mime_of(e.path()), read_file(e.path())};
  if (!files.contains("index.html")) {
    std::fprintf(stderr,
                 "cdpsim: error: the explorer's web files are missing (no index.html in '%s')\n",
                 opts.web_dir.string().c_str());
    return 1;
  }
  files["chart.min.js"] = {"text/javascript; charset=utf-8", read_file(opts.chart_js)};

  const std::vector<Preset> presets = find_presets(opts.presets_dir, limits.max_potential_members);
  const json meta =
      meta_json(presets, limits.max_potential_members, limits.max_speed, limits.max_redraw);
  Session session(opts.scenario, opts.preset, limits);
  const fs::path tmp = fs::temp_directory_path() / ("cdpsim-explore-" + std::to_string(getpid()));

  httplib::Server srv;
  srv.new_task_queue = [] { return new httplib::ThreadPool(16); };
  srv.set_payload_max_length(kMaxBody);
  srv.set_keep_alive_max_count(1000);
  srv.set_read_timeout(5, 0);
  srv.set_write_timeout(5, 0);

  const int port = opts.port == 0 ? srv.bind_to_any_port(opts.host) : opts.port;
  if (opts.port != 0 && !srv.bind_to_port(opts.host, opts.port)) {
    std::fprintf(
        stderr,
        "cdpsim: error: cannot listen on %s:%d (in use, or not an address of this machine)\n",
        opts.host.c_str(), opts.port);
    return 2;
  }
  if (port < 0) {
    std::fprintf(stderr, "cdpsim: error: cannot listen on %s\n", opts.host.c_str());
    return 2;
  }
  const Guard guard(make_token(), opts.host, port);
  std::atomic<int> streams{0};
  std::atomic<int> exports{0};

  srv.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.has_param("token") ? req.get_param_value("token")
                                                     : req.get_header_value("X-Cdpsim-Token");
    if (auto r =
            guard.check(req.method, req.get_header_value("Host"), req.get_header_value("Origin"),
                        token, req.get_header_value("Content-Type"), req.has_header("Origin"))) {
      send_error(res, r->status, r->message);
      return httplib::Server::HandlerResponse::Handled;
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'");
    return httplib::Server::HandlerResponse::Unhandled;
  });
  srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* what = res.status == 404   ? "no such page or endpoint"
                       : res.status == 413 ? "request body too large (at most 16 KiB)"
                       : res.status == 405 ? "method not allowed (commands are POST)"
                                           : "bad request";
    res.set_content(json{{"error", what}}.dump(), "application/json");
  });
  srv.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        try {
          std::rethrow_exception(ep);
        } catch (const Refused& e) {
          send_error(res, e.status, e.what());
        } catch (const std::exception& e) {
          send_error(res, 500, std::string("internal error: ") + e.what());
        } catch (...) {
          send_error(res, 500, "internal error");
        }
      });

  // The page, its scripts and the chart library.
  srv.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    std::string html = files.at("index.html").second;
    for (std::size_t at = html.find("{{TOKEN}}"); at != std::string::npos;
         at = html.find("{{TOKEN}}"))
      html.replace(at, 9, guard.token());
    res.set_content(html, "text/html; charset=utf-8");
  });
  srv.Get(R"(/static/([A-Za-z0-9_.-]{1,64}))",
          [&](const httplib::Request& req, httplib::Response& res) {
            const auto it = files.find(req.matches[1]);
            if (it == files.end() || it->first == "index.html")
              return send_error(res, 404, "no such file");
            res.set_content(it->second.second, it->second.first);
          });

  // The tables the page is generated from, and the state.
  srv.Get("/api/meta", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(meta.dump(), "application/json");
  });
  srv.Get("/api/state", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(session.state().dump(), "application/json");
  });

  // The stream: every frame of the current epoch, then new ones as they come.
  srv.Get("/api/stream", [&](const httplib::Request&, httplib::Response& res) {
    if (streams.fetch_add(1) >= kMaxStreams) {
      streams.fetch_sub(1);
      return send_error(res, 429, "too many open pages (at most 8 at once)");
    }
    auto pos = std::make_shared<std::pair<std::uint64_t, std::size_t>>(0, 0);
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream",
        [&, pos](std::size_t, httplib::DataSink& sink) {
          if (stop || session.stopped()) return false;
          Session::Frames f = session.frames_since(pos->first, pos->second, 1000);
          std::string out;
          if (f.epoch != pos->first) out += "event: epoch\ndata: {}\n\n";
          for (const auto& s : f.items) out += "data: " + *s + "\n\n";
          if (out.empty()) out = ": keep-alive\n\n";
          *pos = {f.epoch, f.next};
          return sink.write(out.data(), out.size());
        },
        [&](bool) { streams.fetch_sub(1); });
  });

  // Commands: JSON POSTs.
  const auto reply = [&](httplib::Response& res) {
    res.set_content(session.state().dump(), "application/json");
  };
  srv.Post("/api/play", [&](const httplib::Request& req, httplib::Response& res) {
    (void)body_of(req);
    session.play();
    reply(res);
  });
  srv.Post("/api/pause", [&](const httplib::Request& req, httplib::Response& res) {
    (void)body_of(req);
    session.pause();
    reply(res);
  });
  srv.Post("/api/step", [&](const httplib::Request& req, httplib::Response& res) {
    session.step(get_or<int>(body_of(req), "weeks", 1));
    reply(res);
  });
  srv.Post("/api/speed", [&](const httplib::Request& req, httplib::Response& res) {
    const json b = body_of(req);
    const json st = session.state();
    session.set_speed(get_or<int>(b, "speed", st["speed"].get<int>()),
                      get_or<int>(b, "redraw", st["redraw"].get<int>()));
    reply(res);
  });
  srv.Post("/api/lever", [&](const httplib::Request& req, httplib::Response& res) {
    const json b = body_of(req);
    if (!b.contains("key") || !b["key"].is_string() || !b.contains("value"))
      throw Refused(400, "expected {\"key\": \"levers.NAME\", \"value\": ..., \"run\": \"a\"}");
    session.set_key(get_or<std::string>(b, "run", "a"), b["key"].get<std::string>(), b["value"]);
    reply(res);
  });
  srv.Post("/api/compare", [&](const httplib::Request& req, httplib::Response& res) {
    session.set_compare(get_or<bool>(body_of(req), "on", true));
    reply(res);
  });
  srv.Post("/api/reset", [&](const httplib::Request& req, httplib::Response& res) {
    const json b = body_of(req);
    std::optional<std::int64_t> seed;
    if (b.contains("seed")) {
      if (!b["seed"].is_number_integer()) throw Refused(422, "seed: expected a whole number");
      seed = b["seed"].get<std::int64_t>();
      if (*seed < 0 || *seed > 9000000000000000LL)
        throw Refused(422, "seed: allowed 0 to 9000000000000000");
    }
    if (!b.contains("preset") && !b.contains("shocks")) {
      session.reset_same(seed);
      return reply(res);
    }
    Scenario s = session.base();
    std::string name = session.state()["preset"].get<std::string>();
    if (b.contains("preset")) {
      name = get_or<std::string>(b, "preset", "");
      const auto it = std::find_if(presets.begin(), presets.end(),
                                   [&](const Preset& p) { return p.id == name; });
      if (it == presets.end())
        throw Refused(422, "preset: '" + name.substr(0, 40) + "' is not one of scenarios/");
      if (it->too_large)
        throw Refused(422,
                      "preset '" + name + "' has " + std::to_string(it->potential_members) +
                          " potential members, more than the explorer allows (use cdpsim run)");
      s = load_scenario(it->path);
    }
    if (b.contains("shocks")) apply_shocks(s, b["shocks"]);
    if (seed) s.simulation.seed = *seed;
    session.reset(std::move(s), name);
    reply(res);
  });

  // Exports.
  const auto run_param = [](const httplib::Request& req) {
    return req.has_param("run") ? req.get_param_value("run") : std::string("a");
  };
  srv.Get("/api/export/scenario.toml", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string run = run_param(req);
    res.set_header("Content-Disposition", "attachment; filename=\"explored-" + run + ".toml\"");
    res.set_content(scenario_toml(session.reproducing_scenario(run)), "application/toml");
  });
  srv.Get("/api/export/series.csv", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string run = run_param(req);
    res.set_header("Content-Disposition", "attachment; filename=\"explored-" + run + ".csv\"");
    res.set_content(session.series_csv(run), "text/csv");
  });
  srv.Get("/api/export/run.h5", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string run = run_param(req);
    const Scenario s = session.reproducing_scenario(run);
    if (exports.fetch_add(1) >= 1) {
      exports.fetch_sub(1);
      return send_error(res, 429, "an export is already running (one at a time)");
    }
    try {
      const std::string bytes = run_h5(s, tmp);
      exports.fetch_sub(1);
      res.set_header("Content-Disposition", "attachment; filename=\"explored-" + run + ".h5\"");
      res.set_content(bytes, "application/x-hdf5");
    } catch (...) {
      exports.fetch_sub(1);
      throw;
    }
  });

  const std::string shown =
      opts.host.find(':') != std::string::npos ? "[" + opts.host + "]" : opts.host;
  const std::string url = "http://" + (opts.host == "0.0.0.0" ? std::string("127.0.0.1") : shown) +
                          ":" + std::to_string(port) + "/?token=" + guard.token();
  std::printf("cdpsim explore: %s (%s)\n  open %s\n  Ctrl-C stops the server\n",
              opts.scenario.simulation.name.c_str(), opts.preset.c_str(), url.c_str());
  std::fflush(stdout);
  if (opts.open_browser) open_in_browser(url);

  std::thread watcher([&] {
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    session.stop();
    srv.stop();
  });
  const bool ok = srv.listen_after_bind();
  stop = true;  // listen ended by itself (an error): the watcher ends too
  watcher.join();
  fs::remove_all(tmp, ec);
  return ok ? 0 : 1;
}

}  // namespace cdpsim::app::explore

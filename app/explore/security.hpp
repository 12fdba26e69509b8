// The explorer's guards (docs/explorer.md, "Security"), checked before any route runs: a local
// server is still a server. A request passes when
//   - its Host header names this server by a loopback name (127.0.0.1, localhost, [::1]) and its
//     port, or the --host given with --allow-remote (DNS rebinding, as Jupyter's check_host);
//   - it carries the random token made at start (?token= or the X-Cdpsim-Token header), for
//     every request, static files included;
//   - a state-changing request (POST) has no Origin or this server's own, and a JSON body.
// Each refusal is a 4xx with a one-line message (JSON {"error": ...}).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdpsim::app::explore {

inline constexpr std::size_t kMaxBody = 16 * 1024;  // bytes of a command's body
inline constexpr int kMaxStreams = 8;               // live SSE clients at once

// 32 hex digits from the system's random device.
std::string make_token();

// Whether `host` (an address or name) is a loopback one.
bool is_loopback(std::string_view host);

struct Refusal {
  int status;
  std::string message;
};

class Guard {
 public:
  // `bound_host`: what the server listens on; accepted in Host headers only if not loopback
  // (then --allow-remote was given).
  Guard(std::string token, std::string bound_host, int port);
  [[nodiscard]] const std::string& token() const { return token_; }
  // nullopt when the request may go on.
  [[nodiscard]] std::optional<Refusal> check(std::string_view method, std::string_view host_header,
                                             std::string_view origin, std::string_view token,
                                             std::string_view content_type, bool has_origin) const;

 private:
  [[nodiscard]] bool host_ok(std::string_view host_header) const;
  [[nodiscard]] bool origin_ok(std::string_view origin) const;
  std::string token_;
  std::vector<std::string> hosts_;  // "127.0.0.1:PORT", ...
};

}  // namespace cdpsim::app::explore

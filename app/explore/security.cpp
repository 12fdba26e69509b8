#include "app/explore/security.hpp"

#include <cstdio>
#include <random>

namespace cdpsim::app::explore {

std::string make_token() {
  std::random_device rd;
  std::string out;
  char buf[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    out += buf;
  }
  return out;
}

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]" ||
         host.starts_with("127.");
}

Guard::Guard(std::string token, std::string bound_host, int port) : token_(std::move(token)) {
  const std::string p = ":" + std::to_string(port);
  for (const char* h : {"127.0.0.1", "localhost", "[::1]"}) hosts_.push_back(h + p);
  if (!is_loopback(bound_host) && bound_host != "0.0.0.0" && bound_host != "::")
    hosts_.push_back(
        (bound_host.find(':') != std::string::npos ? "[" + bound_host + "]" : bound_host) + p);
  if (bound_host == "0.0.0.0" || bound_host == "::") hosts_.push_back("*" + p);
}

bool Guard::host_ok(std::string_view h) const {
  for (const std::string& ok : hosts_) {
    if (h == ok) return true;
    if (ok.starts_with('*') && h.size() > ok.size() - 1 && h.ends_with(ok.substr(1)))
      return true;  // listening on every address: any name, on this port (--allow-remote)
  }
  return false;
}

bool Guard::origin_ok(std::string_view origin) const {
  for (const std::string& ok : hosts_) {
    if (ok.starts_with('*')) {
      if (origin.starts_with("http://") && origin.ends_with(ok.substr(1))) return true;
      continue;
    }
    if (origin == "http://" + ok) return true;
  }
  return false;
}

std::optional<Refusal> Guard::check(std::string_view method, std::string_view host_header,
                                    std::string_view origin, std::string_view token,
                                    std::string_view content_type, bool has_origin) const {
  if (!host_ok(host_header))
    return Refusal{403, "Host header '" + std::string(host_header.substr(0, 80)) +
                            "' is not this server's (DNS rebinding guard)"};
  // Constant-time comparison of the token.
  unsigned diff = token.size() == token_.size() ? 0u : 1u;
  for (std::size_t i = 0; i < token_.size(); ++i)
    diff |= static_cast<unsigned>(static_cast<unsigned char>(i < token.size() ? token[i] : 0) ^
                                  static_cast<unsigned char>(token_[i]));
  if (diff != 0)
    return Refusal{403, token.empty() ? "missing token (open the address cdpsim explore printed)"
                                      : "wrong token (open the address cdpsim explore printed)"};
  if (method == "GET" || method == "HEAD") return std::nullopt;
  if (method != "POST") return Refusal{405, "only GET and POST are served"};
  if (has_origin && !origin_ok(origin))
    return Refusal{403, "Origin '" + std::string(origin.substr(0, 80)) +
                            "' may not send commands to this server"};
  const std::string_view ct = content_type.substr(0, content_type.find(';'));
  if (ct != "application/json")
    return Refusal{415, "commands are JSON: Content-Type must be application/json"};
  return std::nullopt;
}

}  // namespace cdpsim::app::explore

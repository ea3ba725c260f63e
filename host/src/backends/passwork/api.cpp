// SPDX-License-Identifier: MIT
#include "backends/passwork/api.hpp"

#include <algorithm>
#include <initializer_list>
#include <stdexcept>

#include "backends/common.hpp"
#include "backends/server_address.hpp"
#include "log/log.hpp"
#include "protocol/envelope.hpp"

namespace pah::passwork {

using nlohmann::json;

namespace {

// key=value&... with RFC 3986 percent-encoding, written straight into `body`.
// WARNING: the body may hold a secret (the password, the session code): reserve it with
// form_capacity() first, so that it never reallocates and leaves a copy behind;
// HttpClient wipes it once sent.
// `Body` is a std::string or a LockedForm (push_back and append).
template <class Body>
void append_param(Body& body, std::string_view key, std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    if (!body.empty()) {
        body.push_back('&');
    }
    body.append(key);
    body.push_back('=');
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '.' || c == '_' || c == '~';
        if (plain) {
            body.push_back(c);
        } else {
            body.push_back('%');
            body.push_back(kHex[u >> 4U]);
            body.push_back(kHex[u & 0x0fU]);
        }
    }
}

// A form in locked memory (openSession's, which carries the password), written into a
// buffer of form_capacity() bytes.
class LockedForm {
public:
    explicit LockedForm(std::size_t capacity) : buffer_(capacity) {}
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    void push_back(char c) { append(std::string_view(&c, 1)); }
    void append(std::string_view text) {
        if (size_ + text.size() > buffer_.size()) {
            throw std::length_error("form_capacity was too small");
        }
        std::copy(text.begin(), text.end(), buffer_.data() + size_);
        size_ += text.size();
    }
    SecretBuffer take() {
        buffer_.truncate(size_);
        return std::move(buffer_);
    }

private:
    SecretBuffer buffer_;
    std::size_t size_ = 0;
};

// The most a form of these parameters can take: every byte of a value encoded as %XX.
std::size_t form_capacity(std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
    std::size_t size = 0;
    for (const auto& [key, value] : params) {
        size += 2 + key.size() + 3 * value.size();
    }
    return size;
}

}  // namespace

Error passwork_status_error(long status) {
    json extra = {{"status", status}};
    if (status == 404) {
        return {ErrorCode::NotFound,
                "There is no Passwork API at this address. Check the Passwork address (the API lives under /api3/).",
                std::move(extra)};
    }
    if (status == 429) {
        extra["retryAfter"] = 30;
        return {ErrorCode::RateLimited, "Passwork asks to wait before trying again.", std::move(extra)};
    }
    return other_status_error("Passwork", status, std::move(extra));
}

Result<std::unique_ptr<PassworkApi>> PassworkApi::create(std::string_view server, std::string_view email,
                                                         std::string_view password, http::ClientOptions options) {
    auto normalised = normalise_server_address(server, "/api3");
    if (!normalised) {
        return std::unexpected(normalised.error());
    }
    if (email.empty()) {
        return fail(ErrorCode::BadRequest, "Enter your Passwork email address.", {{"field", "email"}});
    }
    return std::unique_ptr<PassworkApi>(new PassworkApi(std::move(*normalised), SecretBuffer::copy_of(email),
                                                        SecretBuffer::copy_of(password), std::move(options)));
}

PassworkApi::PassworkApi(std::string server, SecretBuffer email, SecretBuffer password, http::ClientOptions options)
    : server_(std::move(server)),
      api_base_(server_ + "/api3/"),
      email_(std::move(email)),
      password_(std::move(password)),
      client_(std::make_unique<http::HttpClient>(std::move(options))) {}

PassworkApi::~PassworkApi() = default;

std::string PassworkApi::hash() const {
    std::lock_guard lock(mu_);
    return hash_;
}

std::size_t PassworkApi::sessions_opened() const {
    std::lock_guard lock(mu_);
    return opened_;
}

Result<json> PassworkApi::post(std::string_view name, std::string body, const SecretBuffer* secret_body) {
    http::HttpRequest request;
    request.method = "POST";
    request.url = api_base_ + std::string(name);
    request.headers = {"Accept: application/json", "Content-Type: application/x-www-form-urlencoded"};
    request.body = std::move(body);
    request.secret_body = secret_body;
    // getGroups and getPasswords return lists; openSession a session code.
    request.max_reply_bytes = name == "openSession" ? http::kLoginReplyBytes : http::kListReplyBytes;
    auto response = client_->send(request);  // wipes the body
    wipe_string(request.body);
    if (!response) {
        return std::unexpected(response.error());
    }
    if (response->status < 200 || response->status >= 300) {
        log::info("passwork", std::string(name) + " -> HTTP " + std::to_string(response->status));
        return std::unexpected(passwork_status_error(response->status));
    }
    auto reply = parse_reply(response->body);
    wipe_string(response->body);  // openSession's carries the session code
    return reply;
}

Result<void> PassworkApi::open_session() {
    LockedForm form(form_capacity({{"email", email_.view()}, {"password", password_.view()}}));
    append_param(form, "email", email_.view());
    append_param(form, "password", password_.view());
    const SecretBuffer body = form.take();
    auto reply = post("openSession", {}, &body);
    if (!reply) {
        // response false, but not a ban: the document's "wrong login or password".
        const Error& error = reply.error();
        if (error.extra.contains("errorCode") && error.code != ErrorCode::Forbidden) {
            return fail(ErrorCode::BadCredentials, "Passwork refused the email or password.");
        }
        return std::unexpected(error);
    }
    auto session = parse_session(*reply);
    wipe_json(*reply);
    if (!session) {
        return std::unexpected(session.error());
    }
    {
        std::lock_guard lock(mu_);
        session_ = SecretBuffer::copy_of(session->code);
        hash_ = session->hash;
        ++opened_;
    }
    wipe_string(session->code);
    return {};
}

Result<json> PassworkApi::call(std::string_view name, const Params& params) {
    for (int attempt = 0;; ++attempt) {
        SecretBuffer used;
        std::string body;
        {
            std::lock_guard lock(mu_);
            used = SecretBuffer::copy_of(session_.view());
            std::size_t capacity = form_capacity({{"session", session_.view()}});
            for (const auto& [key, value] : params) {
                capacity += form_capacity({{key, value}});
            }
            body.reserve(capacity);
            append_param(body, "session", session_.view());
        }
        for (const auto& [key, value] : params) {
            append_param(body, key, value);
        }
        auto reply = post(name, std::move(body));
        if (reply || reply.error().code != ErrorCode::NotLoggedIn || attempt > 0) {
            return reply;
        }
        // Expired: open a new session, unless another request already did.
        std::lock_guard reopen(open_mu_);
        bool same = false;
        {
            std::lock_guard lock(mu_);
            same = session_.equals(used.span());
        }
        if (same) {
            log::info("passwork", "the session expired; opening a new one");
            auto opened = open_session();
            if (!opened) {
                if (opened.error().code == ErrorCode::BadCredentials) {
                    return fail(ErrorCode::NotLoggedIn, "Passwork no longer accepts this login.");
                }
                return std::unexpected(opened.error());
            }
        }
    }
}

Result<std::vector<Group>> PassworkApi::groups() {
    auto reply = call("getGroups", {});
    if (!reply) {
        return std::unexpected(reply.error());
    }
    return parse_groups(*reply);
}

Result<PasswordList> PassworkApi::passwords(std::string_view group_id, std::string_view folder_id) {
    // The document spells the parameter "groupdId"; "groupId" is sent too, for servers
    // that read the evident name.
    auto reply = call("getPasswords", {{"groupdId", group_id}, {"groupId", group_id}, {"categoryId", folder_id}});
    if (!reply) {
        return std::unexpected(reply.error());
    }
    return parse_passwords(*reply);
}

}  // namespace pah::passwork

// SPDX-License-Identifier: MIT
#include "http/client.hpp"
#include "http/headers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <mutex>
#include <utility>

#include <curl/curl.h>

#include "http/url.hpp"
#include "io/lazy_library.hpp"
#include "log/log.hpp"
#include "secure/wiping_alloc.hpp"
#include "version.hpp"

namespace pah::http {

namespace {

constexpr std::size_t kMaxHeaderBytes = std::size_t{256} * 1024;

// libcrypto, opened here only to hand OpenSSL the wiping allocator before libcurl starts it
// (the crypto stubs open the same library for themselves).
io::LazyLibrary g_libcrypto("OpenSSL's libcrypto", "libcrypto.so.3", "libssl3",
                            [](const std::string& why) { log::warn("http", why); });

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        // OpenSSL first: libcurl starts it (TLS record buffers will hold request bytes),
        // and OpenSSL takes a new allocator only before its first allocation.
        secure::install_openssl_allocator(
            g_libcrypto.find<secure::OpenSslSetMemFunctions>("CRYPTO_set_mem_functions"));
        // libcurl's own memory, wiped when freed: it copies a small request body (a
        // password grant) into its request buffer, and header lines (a bearer token) into
        // lists and buffers, and frees them without wiping.
        if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, secure::wiping_malloc, secure::wiping_free,
                                 secure::wiping_realloc, secure::wiping_strdup, secure::wiping_calloc) != CURLE_OK) {
            log::error("http", "curl_global_init failed");
        }
    });
}

// What the callbacks of one transfer share.
struct Transfer {
    HttpResponse* response = nullptr;
    const BodySink* sink = nullptr;
    std::size_t max_body = 0;
    std::size_t header_bytes = 0;
    const std::atomic<bool>* cancel = nullptr;
    bool too_large = false;
    bool headers_too_large = false;
    bool sink_stopped = false;
    bool cancelled = false;
    bool secret_reply = false;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    t->header_bytes += n;
    if (t->header_bytes > kMaxHeaderBytes) {
        t->headers_too_large = true;
        return 0;
    }
    add_header_line(std::string_view(data, n), t->response->headers, &t->response->status);
    // A body announced within the cap is read into one allocation, not grown by doubling.
    if (t->sink == nullptr && t->response->body.empty()) {
        if (const std::string* length = t->response->header("content-length"); length != nullptr) {
            std::size_t announced = 0;
            const auto [end, ec] =
                std::from_chars(length->data(), length->data() + length->size(), announced);
            if (ec == std::errc() && end == length->data() + length->size() && announced <= t->max_body) {
                t->response->body.reserve(announced);
            }
        }
    }
    return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    const long status = t->response->status;
    if (t->sink != nullptr && status >= 200 && status < 300) {
        if (!(*t->sink)(std::string_view(data, n))) {
            t->sink_stopped = true;
            return 0;
        }
        return n;
    }
    if (n > t->max_body - t->response->body.size()) {
        t->too_large = true;
        return 0;
    }
    std::string& body = t->response->body;
    if (t->secret_reply && body.size() + n > body.capacity()) {
        // Grown by hand: std::string would free the outgrown buffer with the secret in it.
        std::string bigger;
        bigger.reserve(std::max(body.size() + n, body.capacity() * 2));
        bigger.append(body).append(data, n);
        wipe_string(body);
        body.swap(bigger);  // `bigger` now frees the old buffer, zeroed above
        return n;
    }
    body.append(data, n);
    return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    if (t->cancel != nullptr && t->cancel->load()) {
        t->cancelled = true;
        return 1;
    }
    return 0;
}

Error too_large(const std::string& host, std::size_t cap) {
    return {ErrorCode::TooLarge,
            "The reply from \"" + host + "\" is larger than the " + std::to_string(cap >> 10U) +
                " KiB the host accepts for this request; it stopped reading it.",
            {{"limitBytes", cap}}};
}

Error network_error(CURLcode code, const Transfer& t, const UrlParts& url, const char* detail) {
    const std::string& host = url.host;
    std::string extra = detail != nullptr && detail[0] != '\0' ? std::string(" (") + detail + ")" : "";
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
            return {ErrorCode::Network, "Could not find the server \"" + host + "\" (DNS lookup failed)."};
        case CURLE_COULDNT_RESOLVE_PROXY:
            return {ErrorCode::Network, "Could not find the proxy server set in the environment" + extra + "."};
        case CURLE_COULDNT_CONNECT:
            return {ErrorCode::Network, "Could not connect to \"" + host +
                                            "\": the server is down or unreachable" + extra + "."};
        case CURLE_OPERATION_TIMEDOUT:
            return {ErrorCode::Network, "The server \"" + host + "\" did not answer in time" + extra + "."};
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return {ErrorCode::Network, "The secure connection to \"" + host +
                                            "\" could not be verified" + extra + "."};
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return {ErrorCode::Network, "The connection to \"" + host +
                                            "\" broke off before the reply was complete" + extra + "."};
        case CURLE_FILESIZE_EXCEEDED: return too_large(host, t.max_body);
        case CURLE_ABORTED_BY_CALLBACK:
            if (t.cancelled) {
                return {ErrorCode::Network, "The request to \"" + host + "\" was cancelled."};
            }
            break;
        case CURLE_WRITE_ERROR:
            if (t.too_large) {
                return too_large(host, t.max_body);
            }
            if (t.headers_too_large) {
                return {ErrorCode::Network, "The reply from \"" + host + "\" has oversized headers."};
            }
            break;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return {ErrorCode::BadRequest, "The address for \"" + host + "\" is not usable" + extra + "."};
        default:
            break;
    }
    return {ErrorCode::Network, "The request to \"" + host + "\" failed: " + curl_easy_strerror(code) + extra + "."};
}

struct EasyDeleter {
    void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

}  // namespace

const std::string* HttpResponse::header(std::string_view lower_name) const {
    const auto it = headers.find(std::string(lower_name));
    return it == headers.end() ? nullptr : &it->second;
}

struct HttpClient::Shared {
    CURLSH* share = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

    Shared() {
        share = curl_share_init();
        if (share == nullptr) {
            return;
        }
        curl_share_setopt(share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Shared::lock);
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Shared::unlock);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    }
    ~Shared() {
        if (share != nullptr) {
            curl_share_cleanup(share);
        }
    }
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
        auto* self = static_cast<Shared*>(user);
        self->locks.at(static_cast<std::size_t>(data)).lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* user) {
        auto* self = static_cast<Shared*>(user);
        self->locks.at(static_cast<std::size_t>(data)).unlock();
    }
};

HttpClient::HttpClient(ClientOptions options) : options_(std::move(options)) {
    if (options_.user_agent.empty()) {
        options_.user_agent = "passagent-host/" + std::string(kVersion);
    }
}

HttpClient::~HttpClient() = default;

HttpClient::Shared& HttpClient::shared() {
    std::call_once(shared_once_, [this] {
        global_init();
        shared_ = std::make_unique<Shared>();
    });
    return *shared_;
}

ClientStats HttpClient::stats() const noexcept { return {requests_.load(), connects_.load()}; }

Result<HttpResponse> HttpClient::send(HttpRequest& request) { return perform(request, nullptr); }

Result<HttpResponse> HttpClient::stream(HttpRequest& request, const BodySink& sink) {
    return perform(request, &sink);
}

Result<HttpResponse> HttpClient::perform(HttpRequest& request, const BodySink* sink) {
    // Whatever happens below, the body and the headers (bearer token, password) are
    // wiped on the way out.
    struct WipeOnExit {
        HttpRequest& r;
        ~WipeOnExit() {
            wipe(r.body);
            for (auto& h : r.headers) {
                wipe(h);
            }
        }
    } wipe_on_exit{request};

    auto url = check_transport(request.url);
    if (!url) {
        return std::unexpected(url.error());
    }
    Shared& sh = shared();
    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy) {
        return fail(ErrorCode::Internal, "Could not start a network request (out of memory?).");
    }
    CURL* c = easy.get();

    HttpResponse response;
    Transfer t;
    t.response = &response;
    t.sink = sink;
    const bool capped = request.max_reply_bytes != 0 && request.max_reply_bytes < options_.max_body_bytes;
    t.max_body = capped ? request.max_reply_bytes : options_.max_body_bytes;
    t.cancel = request.cancel;
    t.secret_reply = request.secret_reply;
    std::array<char, CURL_ERROR_SIZE> errbuf{};

    // NOTE: curl_slist_append copies each line (the Authorization header too) into
    // curl's own memory, freed without wiping: unavoidable with libcurl.
    std::unique_ptr<curl_slist, ListDeleter> list;
    for (const auto& h : request.headers) {
        curl_slist* next = curl_slist_append(list.get(), h.c_str());
        if (next == nullptr) {
            return fail(ErrorCode::Internal, "Out of memory building a request.");
        }
        static_cast<void>(list.release());
        list.reset(next);
    }
    // No "Expect: 100-continue" round trip for small JSON bodies.
    if (curl_slist* next = curl_slist_append(list.get(), "Expect:"); next != nullptr) {
        static_cast<void>(list.release());
        list.reset(next);
    }

    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_SHARE, sh.share);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf.data());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_time.count()));
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip etc.; the cap applies after decoding
    // A Content-Length over the cap ends the transfer before the body is read.
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(sink == nullptr ? t.max_body : options_.max_body_bytes));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    // Proxies come from the environment (curl's default); a loopback server is this
    // computer, which no proxy can reach for us.
    if (is_loopback_host(url->host)) {
        curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    }

    if (request.method == "GET") {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        if (request.method != "POST") {
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        }
        // POSTFIELDS points at our string without a copy: the plaintext stays in one
        // place we wipe (curl's send buffer holds a chunk of it briefly).
        const std::string_view body =
            request.secret_body != nullptr ? request.secret_body->view() : std::string_view(request.body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        // NOLINTNEXTLINE(bugprone-suspicious-stringview-data-usage): its length is POSTFIELDSIZE_LARGE
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    }

    const CURLcode rc = curl_easy_perform(c);
    requests_.fetch_add(1);
    long connects = 0;
    if (curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0) {
        connects_.fetch_add(static_cast<std::uint64_t>(connects));
    }
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && t.sink_stopped)) {
        Error e = network_error(rc, t, *url, errbuf.data());
        log::debug("http", request.method + " " + url->host + url->path + ": " + e.message);
        return std::unexpected(std::move(e));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    response.status = status;
    return response;
}

}  // namespace pah::http

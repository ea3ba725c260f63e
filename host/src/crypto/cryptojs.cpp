// SPDX-License-Identifier: MIT
#include "crypto/cryptojs.hpp"

#include <array>
#include <cctype>
#include <memory>

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/random.hpp"

namespace pah {

namespace {

constexpr std::string_view kSaltedMagic = "Salted__";
constexpr std::size_t kSaltSize = 8;
constexpr std::size_t kBlock = 16;
constexpr std::size_t kMaxCiphertext = std::size_t{64} << 20;

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

// EVP_BytesToKey(MD5, count 1): D_i = MD5(D_{i-1} || password || salt) until 48 bytes.
CryptoResult<SecretBuffer> bytes_to_key(ByteView password, ByteView salt) {
    SecretBuffer key_iv(48);
    const int n = EVP_BytesToKey(EVP_aes_256_cbc(), EVP_md5(), salt.data(),
                                 password.empty() ? salt.data() : password.data(),
                                 static_cast<int>(password.size()), 1, key_iv.data(),
                                 key_iv.data() + 32);
    if (n != 32) {
        return crypto_fail(CryptoErrc::Internal, "EVP_BytesToKey failed");
    }
    return key_iv;
}

CryptoResult<void> run_cbc(bool encrypt, ByteView key_iv, ByteView in, std::uint8_t* out) {
    const std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx ||
        EVP_CipherInit_ex2(ctx.get(), EVP_aes_256_cbc(), key_iv.data(), key_iv.data() + 32,
                           encrypt ? 1 : 0, nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_CipherUpdate(ctx.get(), out, &len, in.data(), static_cast<int>(in.size())) != 1 ||
        static_cast<std::size_t>(len) != in.size()) {
        return crypto_fail(CryptoErrc::Internal, "AES-256-CBC failed");
    }
    return {};
}

}  // namespace

CryptoResult<SecretBuffer> cryptojs_decrypt_base64(std::string_view base64_text, ByteView password) {
    if (base64_text.size() > kMaxCiphertext / 3 * 4 + 64) {
        return crypto_fail(CryptoErrc::BadFormat, "CryptoJS: the ciphertext is too large");
    }
    const auto raw = base64_decode(base64_text);
    if (!raw) {
        return crypto_fail(CryptoErrc::BadFormat, "CryptoJS: the data is not base64");
    }
    if (raw->size() < kSaltedMagic.size() + kSaltSize + kBlock ||
        as_text(ByteView(*raw).first(kSaltedMagic.size())) != kSaltedMagic) {
        return crypto_fail(CryptoErrc::BadFormat, "CryptoJS: no \"Salted__\" header");
    }
    const ByteView salt = ByteView(*raw).subspan(kSaltedMagic.size(), kSaltSize);
    const ByteView ciphertext = ByteView(*raw).subspan(kSaltedMagic.size() + kSaltSize);
    if (ciphertext.size() % kBlock != 0) {
        return crypto_fail(CryptoErrc::BadFormat, "CryptoJS: the ciphertext is not whole blocks");
    }
    auto key_iv = bytes_to_key(password, salt);
    if (!key_iv) {
        return std::unexpected(std::move(key_iv.error()));
    }
    SecretBuffer plain(ciphertext.size());
    if (auto ok = run_cbc(false, key_iv->span(), ciphertext, plain.data()); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    // Strict PKCS#7, without branching on the plaintext bytes.
    const std::uint8_t pad = plain.data()[plain.size() - 1];
    unsigned bad = static_cast<unsigned>(pad == 0) | static_cast<unsigned>(pad > kBlock);
    for (std::size_t i = 1; i <= kBlock; ++i) {
        const std::uint8_t byte = plain.data()[plain.size() - i];
        const unsigned in_pad = static_cast<unsigned>(i <= pad);
        bad |= in_pad & static_cast<unsigned>(byte != pad);
    }
    if (bad != 0) {
        return crypto_fail(CryptoErrc::WrongKey, "CryptoJS: bad padding (wrong password?)");
    }
    plain.truncate(plain.size() - pad);
    if (!is_valid_utf8(plain.span())) {
        plain.reset();
        return crypto_fail(CryptoErrc::WrongKey, "CryptoJS: the text is not UTF-8 (wrong password?)");
    }
    return plain;
}

CryptoResult<SecretBuffer> cryptojs_decrypt(std::string_view passwork_data, ByteView password) {
    const Bytes base64_text = passwork_base32_decode(passwork_data);
    return cryptojs_decrypt_base64(as_text(base64_text), password);
}

CryptoResult<std::string> cryptojs_encrypt_base64(ByteView plaintext, ByteView password) {
    if (plaintext.size() > kMaxCiphertext - kBlock) {
        return crypto_fail(CryptoErrc::BadFormat, "CryptoJS: the plaintext is too large");
    }
    Bytes salt = random_vector(kSaltSize);
    auto key_iv = bytes_to_key(password, salt);
    if (!key_iv) {
        return std::unexpected(std::move(key_iv.error()));
    }
    const std::size_t pad = kBlock - plaintext.size() % kBlock;
    SecretBuffer padded(plaintext.size() + pad);
    std::copy(plaintext.begin(), plaintext.end(), padded.data());
    for (std::size_t i = plaintext.size(); i < padded.size(); ++i) {
        padded.data()[i] = static_cast<std::uint8_t>(pad);
    }
    Bytes raw(kSaltedMagic.size() + kSaltSize + padded.size());
    std::copy(kSaltedMagic.begin(), kSaltedMagic.end(), raw.begin());
    std::copy(salt.begin(), salt.end(), raw.begin() + kSaltedMagic.size());
    if (auto ok = run_cbc(true, key_iv->span(), padded.span(),
                          raw.data() + kSaltedMagic.size() + kSaltSize);
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return base64_encode(raw);
}

CryptoResult<std::string> cryptojs_encrypt(ByteView plaintext, ByteView password) {
    auto base64_text = cryptojs_encrypt_base64(plaintext, password);
    if (!base64_text) {
        return std::unexpected(std::move(base64_text.error()));
    }
    return passwork_base32_encode(as_bytes(*base64_text));
}

bool passwork_master_hash_matches(ByteView master_password, std::string_view hash) {
    const EVP_MD* md = hash.size() == 64 ? EVP_sha256() : hash.size() == 32 ? EVP_md5() : nullptr;
    if (md == nullptr) {
        return false;
    }
    const auto expected = hex_decode(hash);
    if (!expected) {
        return false;
    }
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
    unsigned digest_len = 0;
    static constexpr std::uint8_t kEmpty = 0;
    if (EVP_Digest(master_password.empty() ? &kEmpty : master_password.data(),
                   master_password.size(), digest.data(), &digest_len, md, nullptr) != 1 ||
        digest_len != expected->size()) {
        return false;
    }
    const bool same = sodium_memcmp(digest.data(), expected->data(), digest_len) == 0;
    sodium_memzero(digest.data(), digest.size());
    return same;
}

}  // namespace pah

// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// Passwork (legacy API 3): decode(data, pwd) = CryptoJS.AES.decrypt(base32.decode(data),
// pwd).toString(CryptoJS.enc.Utf8), i.e. Passwork base32 -> base64 text -> "Salted__" +
// 8-byte salt + AES-256-CBC ciphertext, key and IV from EVP_BytesToKey(MD5, 1 round).
//
// CryptoJS never checks the padding, so a wrong password often "decrypts" to garbage or
// to nothing. Here the PKCS#7 padding is checked strictly and the result must be UTF-8;
// failing either is WrongKey. Still check the master password with
// passwork_master_hash_matches first: 1 wrong password in ~256 passes both checks.
CryptoResult<SecretBuffer> cryptojs_decrypt(std::string_view passwork_data, ByteView password);
// The inner step alone: the CryptoJS OpenSSL-format base64 ("U2FsdGVkX1...").
CryptoResult<SecretBuffer> cryptojs_decrypt_base64(std::string_view base64_text, ByteView password);
// Random salt; returns Passwork base32 of the CryptoJS base64 text.
CryptoResult<std::string> cryptojs_encrypt(ByteView plaintext, ByteView password);
CryptoResult<std::string> cryptojs_encrypt_base64(ByteView plaintext, ByteView password);

// openSession's `hash`: lowercase hex SHA-256 of the master password (64 digits), or
// MD5 on old servers (32 digits); compared in constant time, either case.
bool passwork_master_hash_matches(ByteView master_password, std::string_view hash);

}  // namespace pah

#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

// Swift cannot import function-like macros, nor the SSL_OP_* constants (built with the SSL_OP_BIT macro),
// so each one gets a one-line accessor. These translate only: no loops, state or policy.

/// The `SSL_CTX_set_min_proto_version` macro (an `SSL_CTX_ctrl` call).
static inline int copenssl_ctx_set_min_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}
/// The `SSL_CTX_set_mode` macro (an `SSL_CTX_ctrl` call); returns the new mode bits.
static inline long copenssl_ctx_set_mode(SSL_CTX *context, long mode) { return SSL_CTX_set_mode(context, mode); }
/// The `SSL_CTX_set_session_cache_mode` macro (an `SSL_CTX_ctrl` call).
static inline long copenssl_ctx_set_session_cache_mode(SSL_CTX *context, long mode) {
    return SSL_CTX_set_session_cache_mode(context, mode);
}
/// The `SSL_set_tlsext_host_name` macro (an `SSL_ctrl` call): the SNI name a client sends.
static inline int copenssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}
/// The `SSL_OP_NO_COMPRESSION` option.
static inline uint64_t copenssl_op_no_compression(void) { return SSL_OP_NO_COMPRESSION; }
/// The `SSL_OP_NO_RENEGOTIATION` option.
static inline uint64_t copenssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
/// The `SSL_OP_NO_TICKET` option.
static inline uint64_t copenssl_op_no_ticket(void) { return SSL_OP_NO_TICKET; }
/// The `SSL_OP_CIPHER_SERVER_PREFERENCE` option.
static inline uint64_t copenssl_op_cipher_server_preference(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }
/// The `ERR_SYSTEM_ERROR` macro: whether an error-queue code carries an `errno` value as its reason.
static inline int copenssl_err_is_system_error(unsigned long code) { return ERR_SYSTEM_ERROR(code) ? 1 : 0; }
#endif

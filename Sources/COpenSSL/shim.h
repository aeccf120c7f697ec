// OpenSSL's libcrypto (Debian's libssl-dev): Folio uses its SHA-256 through the EVP interface.
#include <openssl/evp.h>

/*
 * keyfile: CURVE key pairs on disk, shared by pooltop (keygen, --key) and
 * pooltopd (--server-key).  A key file holds one Z85 line: 40 characters
 * for a 32-byte key.  PATH holds the secret key and must not be readable
 * by anyone but its owner; PATH.pub holds the public key.
 */
#ifndef POOLTOP_KEYFILE_H
#define POOLTOP_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#define KEYFILE_Z85_LEN 40     /* Z85 of a 32-byte key, without the NUL */

/* Write a fresh pair: PATH (secret, mode 0600, created exclusively) and
 * PATH.pub (public, 0644).  0, or -1 with err. */
int keyfile_generate(const char *path, char *err, size_t errlen);

/* Read PATH's secret key; refused if the file can be read by group or
 * others.  Also derives the public key when pub is not NULL.  0 or -1. */
int keyfile_read_secret(const char *path, char secret[KEYFILE_Z85_LEN + 1],
                        char pub[KEYFILE_Z85_LEN + 1], char *err, size_t errlen);

/* A public key given as 40 Z85 characters, or as a file holding them.
 * 0 or -1 with err. */
int keyfile_read_public(const char *path_or_key, char pub[KEYFILE_Z85_LEN + 1],
                        char *err, size_t errlen);

/* Whether s is exactly a valid Z85-encoded 32-byte key. */
bool keyfile_z85_valid(const char *s);

/* ${XDG_CONFIG_HOME:-~/.config}/pooltop/NAME into buf; buf. */
const char *keyfile_default(char *buf, size_t len, const char *name);

#endif

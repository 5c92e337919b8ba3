/*
 * Key files: one Z85 line each.  The secret half is written with O_EXCL
 * and mode 0600 so it is never, even for a moment, readable by others,
 * and is refused on reading when its mode says it could have been.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/keyfile.h"

static int
keyfile_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
keyfile_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

bool
keyfile_z85_valid(const char *s)
{
	uint8_t raw[32];

	return s != NULL && strlen(s) == KEYFILE_Z85_LEN && zmq_z85_decode(raw, s) != NULL;
}

const char *
keyfile_default(char *buf, size_t len, const char *name)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (x != NULL && *x == '/')
		snprintf(buf, len, "%s/pooltop/%s", x, name);
	else
		snprintf(buf, len, "%s/.config/pooltop/%s", home ? home : ".", name);
	return buf;
}

static int
keyfile_write(const char *path, const char *z85, mode_t mode, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	char line[KEYFILE_Z85_LEN + 2];
	size_t n;

	if (fd < 0)
		return keyfile_fail(err, errlen, "cannot create %s: %s", path, strerror(errno));
	n = (size_t)snprintf(line, sizeof line, "%s\n", z85);
	if (write(fd, line, n) != (ssize_t)n || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(path);
		return keyfile_fail(err, errlen, "cannot write %s: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

int
keyfile_generate(const char *path, char *err, size_t errlen)
{
	char pub[KEYFILE_Z85_LEN + 1], sec[KEYFILE_Z85_LEN + 1], pubpath[4096];
	int rc;

	if (zmq_has("curve") == 0)
		return keyfile_fail(err, errlen, "this libzmq was built without CURVE support");
	if (snprintf(pubpath, sizeof pubpath, "%s.pub", path) >= (int)sizeof pubpath)
		return keyfile_fail(err, errlen, "path too long: %s", path);
	if (zmq_curve_keypair(pub, sec) != 0)
		return keyfile_fail(err, errlen, "cannot make a key pair: %s", zmq_strerror(zmq_errno()));
	if (keyfile_write(path, sec, 0600, err, errlen) < 0) {
		memset(sec, 0, sizeof sec);
		return -1;
	}
	memset(sec, 0, sizeof sec);
	rc = keyfile_write(pubpath, pub, 0644, err, errlen);
	if (rc < 0)
		unlink(path);
	return rc;
}

/* The first line of a small file, without its newline. */
static int
keyfile_line(const char *path, char out[KEYFILE_Z85_LEN + 1], struct stat *st, char *err,
             size_t errlen)
{
	char buf[128];
	FILE *f = fopen(path, "re");
	size_t n;

	if (f == NULL)
		return keyfile_fail(err, errlen, "cannot open key file %s: %s", path, strerror(errno));
	if (fstat(fileno(f), st) < 0 || !S_ISREG(st->st_mode)) {
		fclose(f);
		return keyfile_fail(err, errlen, "%s is not a regular file", path);
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!keyfile_z85_valid(buf))
		return keyfile_fail(err, errlen, "%s does not hold a key (one line of 40 Z85 characters)",
		                    path);
	memcpy(out, buf, KEYFILE_Z85_LEN + 1);
	memset(buf, 0, sizeof buf);
	return 0;
}

int
keyfile_read_secret(const char *path, char secret[KEYFILE_Z85_LEN + 1],
                    char pub[KEYFILE_Z85_LEN + 1], char *err, size_t errlen)
{
	struct stat st;

	if (keyfile_line(path, secret, &st, err, errlen) < 0)
		return -1;
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		memset(secret, 0, KEYFILE_Z85_LEN + 1);
		return keyfile_fail(err, errlen, "%s holds a secret key but is readable by others "
		                    "(mode %03o); run: chmod 600 %s", path,
		                    (unsigned)(st.st_mode & 0777), path);
	}
	if (pub != NULL && zmq_curve_public(pub, secret) != 0)
		return keyfile_fail(err, errlen, "cannot derive the public key of %s", path);
	return 0;
}

int
keyfile_read_public(const char *path_or_key, char pub[KEYFILE_Z85_LEN + 1], char *err,
                    size_t errlen)
{
	struct stat st;

	if (keyfile_z85_valid(path_or_key) && access(path_or_key, F_OK) != 0) {
		memcpy(pub, path_or_key, KEYFILE_Z85_LEN + 1);
		return 0;
	}
	return keyfile_line(path_or_key, pub, &st, err, errlen);
}

/* The configuration file (SPEC §2): one file, then resolution and
 * validation of every profile; the user rule or the PAM rule by the
 * first byte. */
#include "config.h"

#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/conf.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct optt_conf c;
	struct optt_err err;
	char path[64];
	int fd;

	if (size < 1 || (fd = memfd_create("optt-fuzz-conf", 0)) < 0)
		return 0;
	if (fchmod(fd, 0600) != 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	optt_conf_init(&c);
	optt_err_init(&err);
	if (optt_conf_load_file(&c, path, (data[0] & 1) ? OPTT_CONF_PAM : 0, &err) == OPTT_OK &&
	    optt_conf_finish(&c, &err) == OPTT_OK && c.nprofiles > 0) {
		char buf[1024];
		size_t k;

		(void)optt_conf_profile_for_host(&c, "git.example.com", "team/repo.git");
		for (k = 0; k < OPTT_K_COUNT; k++)
			(void)optt_key_display(&c.profiles[0], (enum optt_key)k, buf, sizeof(buf));
	}
	optt_conf_clear(&c);
	close(fd);
	return 0;
}

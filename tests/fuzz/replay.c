/*
 * replay.c - run a libFuzzer target without libFuzzer.
 *
 * Every fuzz target is also linked with this main() and run by ctest over
 * its seed corpus, so the corpus (and any crash reproducer added to it)
 * is checked on every build, with any compiler, sanitizers or not.
 *
 * usage: replay FILE-OR-DIRECTORY...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long size;
	int error = -1;

	if (!f) {
		perror(path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0)
		goto done;
	/* malloc(0) may return NULL; the target must still see a valid pointer. */
	if (!(data = malloc((size_t)size + 1)))
		goto done;
	if (fread(data, 1, (size_t)size, f) != (size_t)size)
		goto done;
	LLVMFuzzerTestOneInput(data, (size_t)size);
	error = 0;

done:
	if (error < 0)
		fprintf(stderr, "%s: could not read\n", path);
	free(data);
	fclose(f);
	return error;
}

static int replay(const char *path, unsigned *count)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	char child[4096];
	int error = 0;

	if (stat(path, &st) < 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return replay_file(path);
	}
	if (!(dir = opendir(path))) {
		perror(path);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (replay(child, count) < 0)
			error = -1;
	}
	closedir(dir);
	return error;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int i, error = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay(argv[i], &count) < 0)
			error = 1;
	printf("replayed %u inputs\n", count);
	return error || count == 0;
}

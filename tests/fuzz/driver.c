/* tests/fuzz/driver.c - runs a libFuzzer entry point over files, without
 * libFuzzer: each file whole, then every prefix of it cut at each of 64
 * points, then with single bytes flipped (a cheap, deterministic mutation),
 * so that CTest exercises the loaders on broken input under ASan/UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size)
{
    /* A copy of exactly @size bytes: ASan sees any read past the end. */
    uint8_t *copy = malloc(size ? size : 1);

    if (!copy)
        exit(2);
    memcpy(copy, data, size);
    LLVMFuzzerTestOneInput(copy, size);
    free(copy);
}

int main(int argc, char **argv)
{
    static const uint8_t flips[] = {'{', '}', '[', '"', ',', ':', '\\', '\n', '=', '%', 0, 0xff};
    long inputs = 0;

    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *data;
        long size;

        if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET) != 0 || !(data = malloc((size_t)size + 1)) ||
            fread(data, 1, (size_t)size, f) != (size_t)size) {
            fprintf(stderr, "driver: cannot read %s\n", argv[i]);
            return 2;
        }
        fclose(f);
        run(data, (size_t)size);
        for (long cut = 0; cut < size; cut += size / 64 + 1, inputs++)
            run(data, (size_t)cut);
        for (long at = 0; at < size; at += size / 32 + 1) {
            uint8_t saved = data[at];

            for (size_t k = 0; k < sizeof(flips); k++, inputs++) {
                data[at] = flips[k];
                run(data, (size_t)size);
            }
            data[at] = saved;
        }
        free(data);
    }
    printf("driver: %d files, %ld inputs\n", argc - 1, inputs + argc - 1);
    return 0;
}

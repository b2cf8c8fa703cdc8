#ifndef PODSCOPE_RECFILE_INT_H
#define PODSCOPE_RECFILE_INT_H

#include <stddef.h>
#include <stdint.h>

/* Shared by the writer (recfile.c) and the reader (recread.c). */

extern const uint8_t rec_magic[8];

enum { T_NULL, T_FALSE, T_TRUE, T_INT, T_DOUBLE, T_STR, T_REF, T_LIT, T_ARR, T_OBJ };

uint32_t rec_crc32(const uint8_t *p, size_t n);

#endif

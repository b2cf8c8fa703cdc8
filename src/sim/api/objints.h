#ifndef PODSCOPE_SIM_OBJINTS_H
#define PODSCOPE_SIM_OBJINTS_H

#include <stddef.h>

#include <cjson/cJSON.h>

/*
 * The integer fields of the kinds podscope-sim serves (int32 and int64 in
 * Kubernetes' Go types, IntOrString counted as int32), checked the two ways
 * kube-apiserver turns JSON into its typed objects:
 *
 * - OBJINTS_DECODE: encoding/json into the typed struct (a POST or PUT
 *   body, and the result of a JSON or merge patch). A literal that is not an
 *   integer, or does not fit the field, fails with encoding/json's wording:
 *   "json: cannot unmarshal number 2147483648 into Go struct field
 *   DeploymentSpec.spec.replicas of type int32".
 * - OBJINTS_CONVERT: the unstructured converter (strategic merge and apply
 *   patches). Integral numbers are converted with Go's reflect Convert,
 *   which wraps to the field's width as amd64 does (4294967297 becomes 1,
 *   2147483648 becomes -2147483648); the value is changed in obj. Other
 *   numbers fail with "cannot convert float64 to int32", other types with
 *   "unrecognized type: int32".
 *
 * raw (may be NULL) is the JSON text the numbers came from, so the message
 * quotes the literal as the client wrote it ("1e400", not "inf").
 * Returns NULL when every field is fine, else a heap message (free it).
 */
enum objints_how {
	OBJINTS_DECODE,
	OBJINTS_CONVERT,
};

char *objints_check(const char *kind, cJSON *obj, enum objints_how how, const char *raw,
		    size_t rawlen);

/*
 * The first number in raw (JSON text) that a float64 cannot hold (1e400):
 * the literal, copied into out, and 1; else 0. The strategic merge patch
 * decoder fails on it before anything else ("json: cannot unmarshal number
 * 1e400 into Go value of type float64").
 */
int objints_overflow_literal(const char *raw, size_t rawlen, char *out, size_t n);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * trace_schema - the types of the keys of the JSON chunks (docs/trace-format.md, "JSON chunks"),
 * checked once by the reader, so that no consumer of a trace ever sees a key of the wrong type.
 */
#ifndef RINGSCOPE_TRACE_SCHEMA_H
#define RINGSCOPE_TRACE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * trace_schema_check - whether every key of @obj, the payload of JSON chunk @type, that the
 * format names (nested objects and array items too) has a type the format allows. Keys it does
 * not name are not checked (readers ignore them). Returns 0, or -EBADMSG with @why saying which
 * key, for example: "probe" is null, not a string.
 */
int trace_schema_check(uint32_t type, struct json_object *obj, char *why, size_t len);

#endif

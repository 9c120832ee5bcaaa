/* json.h - quire's own JSON format (json, jsonl): the parts as the
 * descriptor and each other see them.  docs/formats/json.md is the format. */
#ifndef QUIRE_JSON_H
#define QUIRE_JSON_H

#include <jansson.h>
#include <quire/plugin.h>

#include "json_out.h"

/* The format version written, and the major version read. */
#define JSON_FORMAT_VERSION "1.0"
#define JSON_FORMAT_MAJOR 1

/* The fields of a document object, in the order they are written. */
enum {
  JF_QUIRE = 1 << 0,
  JF_ID = 1 << 1,
  JF_TITLE = 1 << 2,
  JF_DATE = 1 << 3,
  JF_LANGUAGE = 1 << 4,
  JF_SOURCE = 1 << 5,
  JF_URL = 1 << 6,
  JF_TEXT = 1 << 7,
  JF_META = 1 << 8,
  JF_BLOCKS = 1 << 9
};

/* ---- Writing (json_write.c, json_text.c) --------------------------------- */
int json_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state);
int jsonl_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state);
int json_write_doc(quire_env *env, void *state, const quire_doc *doc);
int json_write_close(quire_env *env, void *state, int ok);

/* Appends doc's plain text (the `text` field) to b, escaped for the inside
 * of a JSON string. */
void json_text(const quire_services *svc, const quire_doc *doc, json_out *b);

/* ---- Reading (json_read.c, json_build.c) ---------------------------------- */
int json_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state);
int jsonl_read_open(quire_env *env, quire_input *in,
                    const quire_options *opts, void **state);
int json_read_next(quire_env *env, void *state, quire_doc **doc);
void json_read_close(quire_env *env, void *state);

/* Builds a document from one JSON value: a quire document object, or a
 * record of another tool (an object with a `text`).  `loc` is where the
 * value starts, for messages; `number` the document's place in the input
 * (1 for the first).  QUIRE_OK or QUIRE_WARN with *doc (the caller's), or
 * QUIRE_FAILED / QUIRE_FATAL with the message set and no document. */
int json_build(quire_env *env, const json_t *value, const quire_loc *loc,
               unsigned long number, quire_doc **doc);

#endif

/* json.h - quire's own JSON format (json, jsonl): the parts as the
 * descriptor and each other see them.  docs/formats/json.md is the format. */
#ifndef QUIRE_JSON_H
#define QUIRE_JSON_H

#include <jansson.h>
#include <quire/plugin.h>

#include "json_out.h"

/* The format version written, and the versions read: any 1.x.  A document
 * of a minor version up to JSON_FORMAT_MINOR is held to it (an unknown
 * node type is an error); a later minor's unknown types keep their
 * content, with a warning. */
#define JSON_FORMAT_VERSION "1.1"
#define JSON_FORMAT_MAJOR 1
#define JSON_FORMAT_MINOR 1

/* At most this many key/value attributes on one node: far beyond any real
 * document, and it keeps setting them (a search each) linear in the
 * input. */
#define JSON_MAX_ATTRS 1024

/* Row and column spans read: HTML's own bounds. */
#define JSON_MAX_ROWSPAN 65534
#define JSON_MAX_COLSPAN 1000

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
  JF_BLOCKS = 1 << 9,
  JF_RESOURCES = 1 << 10
};

/* What --json-resources asks of the `resources` field. */
typedef enum json_res_mode {
  RES_EMBED,         /* every resource with its bytes, base64 */
  RES_LIST,          /* name, type, size, digest: no bytes */
  RES_NONE           /* no resources field */
} json_res_mode;

/* ---- Writing (json_write.c, json_tree.c, json_text.c, json_res.c) -------- */
int json_write_open(quire_env *env, quire_output *out,
                    const quire_options *opts, const quire_meta *corpus,
                    void **state);
int jsonl_write_open(quire_env *env, quire_output *out,
                     const quire_options *opts, const quire_meta *corpus,
                     void **state);
int json_write_doc(quire_env *env, void *state, const quire_doc *doc);
/* Parts (ABI 2.4): the object but its head, rendered ahead. */
int json_part_render(quire_env *env, const quire_options *opts,
                     const quire_doc *doc, void **part);
int jsonl_part_render(quire_env *env, const quire_options *opts,
                      const quire_doc *doc, void **part);
int json_write_part(quire_env *env, void *state, const quire_doc *doc,
                    void *part);
void json_part_free(void *part);
int json_write_close(quire_env *env, void *state, int ok);

/* Where a writer's buffer goes when it grows: the output, or the held
 * first document.  Empties b; QUIRE_OK, or QUIRE_FATAL with the message
 * set. */
typedef int (*json_flush_fn)(void *user, json_out *b);

/* Hand the buffer on past this size. */
#define JSON_FLUSH_AT (64 * 1024)

/* Appends the document's tree (the `blocks` array) to b, handing b to
 * flush whenever it grows past JSON_FLUSH_AT.  QUIRE_OK, or what flush
 * returned. */
int json_write_blocks(const quire_services *svc, const quire_doc *doc,
                      json_out *b, json_flush_fn flush, void *user);

/* Appends the `resources` array of doc (mode RES_EMBED or RES_LIST) to b,
 * streaming the bytes through flush.  QUIRE_OK, or QUIRE_FATAL with the
 * message set (a resource cannot be read, or flush failed). */
int json_write_resources(quire_env *env, const quire_doc *doc,
                         json_res_mode mode, json_out *b, json_flush_fn flush,
                         void *user);

/* Appends doc's plain text (the `text` field) to b, escaped for the inside
 * of a JSON string.  QUIRE_OK, or QUIRE_FATAL when memory is exhausted. */
int json_text(const quire_services *svc, const quire_doc *doc, json_out *b);

/* ---- Reading (json_read.c, json_build.c, json_build_node.c, json_res.c) --- */
int json_read_open(quire_env *env, quire_input *in, const quire_options *opts,
                   void **state);
int jsonl_read_open(quire_env *env, quire_input *in,
                    const quire_options *opts, void **state);
int json_read_next(quire_env *env, void *state, quire_doc **doc);
void json_read_close(quire_env *env, void *state);

/* Builds a document from one JSON value: a quire document object, or a
 * record of another tool (an object with a `text`).  `loc` is where the
 * value starts, and text[0..len) its JSON text (or NULL), for messages
 * that give the line and column of the part at fault; `number` the
 * document's place in the input (1 for the first).  QUIRE_OK or
 * QUIRE_WARN with *doc (the caller's), or QUIRE_FAILED / QUIRE_FATAL with
 * the message set and no document. */
int json_build(quire_env *env, const json_t *value, const quire_loc *loc,
               const char *text, size_t len, unsigned long number,
               quire_doc **doc);

/* Decodes base64 text s[0..n) into a new buffer (the caller frees it):
 * QUIRE_OK with *data and *len, QUIRE_FAILED when s is not base64, or
 * QUIRE_FATAL when memory is exhausted. */
int json_base64_decode(const char *s, size_t n, unsigned char **data,
                       size_t *len);
/* The SHA-256 of data[0..n) as 64 lowercase hex digits and a NUL. */
void json_sha256_hex(const unsigned char *data, size_t n, char hex[65]);

#endif
